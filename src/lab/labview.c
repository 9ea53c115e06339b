/*
 * The interleaving lab's view model: the lines the lab pane shows, built
 * from a snapshot. A thread "stands at" a code line only while it is held
 * at that line's checkpoint (or waits for the lock there): a thread that
 * runs freely passes every line millions of times a second.
 */
#include "config.h"

#include "labview.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cells.h"
#include "i18n.h"
#include "model.h"
#include "params.h"

/* change_it as the race runs it: each `balance = balance ± n` two lines. */
static const struct labview_code lab_race[] = {
	{ "def change_it(n):", "", CP_NONE },
	{ "    local = balance", N_("# read balance"), CP_READ_ADD },
	{ "    balance = local + n", N_("# write local+n"), CP_WRITE_ADD },
	{ "    local = balance", N_("# read balance"), CP_READ_SUB },
	{ "    balance = local - n", N_("# write local-n"), CP_WRITE_SUB },
};

/* The same inside the lock scenario's lock.acquire()/lock.release(). */
static const struct labview_code lab_lock[] = {
	{ "lock.acquire()", N_("# one at a time"), CP_ACQUIRE },
	{ "    local = balance", N_("# read balance"), CP_READ_ADD },
	{ "    balance = local + n", N_("# write local+n"), CP_WRITE_ADD },
	{ "    local = balance", N_("# read balance"), CP_READ_SUB },
	{ "    balance = local - n", N_("# write local-n"), CP_WRITE_SUB },
	{ "lock.release()", "", CP_RELEASE },
};

/* The width of a code line's code cell. */
#define LAB_CODE_COLS	24

const struct labview_code *
labview_code(bool with_lock, size_t *n)
{
	if (with_lock) {
		*n = sizeof lab_lock / sizeof lab_lock[0];
		return lab_lock;
	}
	*n = sizeof lab_race / sizeof lab_race[0];
	return lab_race;
}

size_t
labview_threads(const struct snapshot *snap, size_t *idx, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < snap->ntasks && n < max; i++) {
		const struct snap_task *t = &snap->tasks[i];

		if (t->slot >= 0 && t->is_thread && t->depth > 0)
			idx[n++] = i;
	}
	return n;
}

int
labview_number(const struct snap_task *t, size_t k)
{
	size_t len = strlen(t->role);

	if (len > 0 && t->role[len - 1] >= '1' && t->role[len - 1] <= '9')
		return t->role[len - 1] - '0';
	return (int)k + 1;
}

int
labview_line_of(const struct snap_task *t, bool with_lock)
{
	const struct labview_code *code;
	size_t i, n;

	if (t->slot < 0 || t->doing == CTL_DONE)
		return -1;
	/* A running thread stands nowhere for long, unless it waits. */
	if (t->gate == SNAP_GATE_RUNNING && t->doing != CTL_WAIT_LOCK)
		return -1;
	code = labview_code(with_lock, &n);
	for (i = 0; i < n; i++)
		if (code[i].cp != CP_NONE && t->at == code[i].cp)
			return (int)i;
	return -1;
}

int
labview_marks_width(const struct snapshot *snap)
{
	size_t idx[LABVIEW_THREADS_MAX];
	size_t n = labview_threads(snap, idx, LABVIEW_THREADS_MAX);

	/* Room for two markers at least, so the code does not move. */
	return 3 * (int)(n > 2 ? n : 2);
}

void
labview_code_line(const struct snapshot *snap, bool with_lock, size_t line,
    char *buf, size_t len)
{
	const struct labview_code *code;
	char marks[3 * LABVIEW_THREADS_MAX + 1];
	size_t idx[LABVIEW_THREADS_MAX], n, k, nlines;

	code = labview_code(with_lock, &nlines);
	if (line >= nlines) {
		snprintf(buf, len, "%s", "");
		return;
	}
	n = labview_threads(snap, idx, LABVIEW_THREADS_MAX);
	memset(marks, ' ', sizeof marks - 1);
	marks[labview_marks_width(snap)] = '\0';
	for (k = 0; k < n; k++) {
		const struct snap_task *t = &snap->tasks[idx[k]];
		int num = labview_number(t, k);

		if (labview_line_of(t, with_lock) != (int)line)
			continue;
		marks[3 * k] = num < 10 ? (char)('0' + num) : '#';
		marks[3 * k + 1] = '>';
	}
	snprintf(buf, len, "%s %-*s %s", marks, LAB_CODE_COLS,
	    code[line].code, code[line].note[0] != '\0' ?
	    _(code[line].note) : "");
	/* A line without a note ends with its code. */
	for (k = strlen(buf); k > 0 && buf[k - 1] == ' '; k--)
		buf[k - 1] = '\0';
}

void
labview_header(char *buf, size_t len)
{
	size_t out = 0;

	/* Translated headings are counted in cells, as the rows are. */
	cells_append(buf, len, &out, "   ", 3, CELLS_CUT);
	cells_append(buf, len, &out, _("thread"), 10, CELLS_LEFT);
	cells_append(buf, len, &out, "n", 5, CELLS_RIGHT);
	cells_append(buf, len, &out, " ", 1, CELLS_CUT);
	cells_append(buf, len, &out, _("iteration"), 11, CELLS_RIGHT);
	cells_append(buf, len, &out, " ", 1, CELLS_CUT);
	cells_append(buf, len, &out, _("local"), 5, CELLS_RIGHT);
	cells_append(buf, len, &out, "  ", 2, CELLS_CUT);
	cells_append(buf, len, &out, _("stands at"), INT_MAX, CELLS_CUT);
}

/* Where a lab thread stands, in words; returns LABVIEW_* flags. */
static unsigned
lab_where(const struct snapshot *snap, const struct snap_task *t,
    bool here, char *buf, size_t len)
{
	long long n = t->arg, wrote;
	bool add = t->at == CP_WRITE_ADD, sub = t->at == CP_WRITE_SUB;
	const char *at = _(checkpoint_label(t->at));

	if (t->doing == CTL_DONE) {
		snprintf(buf, len, "%s", _("done"));
		return 0;
	}
	if (!here) {
		if (t->gate == SNAP_GATE_RUNNING)
			snprintf(buf, len, "%s", _("running"));
		else
			snprintf(buf, len, "%s%s", at,
			    t->gate == SNAP_GATE_STEPPING ? _(", stepping") : "");
		return 0;
	}
	if (t->doing == CTL_WAIT_LOCK) {
		snprintf(buf, len, _("waits in %s"), at);
		return LABVIEW_HERE;
	}
	if (!add && !sub) {
		snprintf(buf, len, "%s%s", at,
		    t->gate == SNAP_GATE_STEPPING ? _(", stepping") : "");
		return LABVIEW_HERE;
	}
	wrote = add ? t->local + n : t->local - n;
	if (snap->balance.present && snap->balance.value != t->local) {
		/* The balance changed since it read: its write loses that. */
		snprintf(buf, len, "write %lld%c%lld = %lld over %lld: lost!",
		    t->local, add ? '+' : '-', n, wrote, snap->balance.value);
		return LABVIEW_HERE | LABVIEW_STALE;
	}
	snprintf(buf, len, "write %lld%c%lld = %lld", t->local, add ? '+' : '-',
	    n, wrote);
	return LABVIEW_HERE;
}

unsigned
labview_thread(const struct snapshot *snap, const struct snap_task *t,
    int number, long total, char *buf, size_t len)
{
	char mark[16], arg[24], iter[48], local[24], where[160];
	unsigned flags;
	int line = -1, k;

	/* Its line is in the race's view, or in the lock's. */
	for (k = 0; k < 2 && line < 0; k++)
		line = labview_line_of(t, k == 1);
	if (line >= 0)
		snprintf(mark, sizeof mark, "%d>", number);
	else
		snprintf(mark, sizeof mark, "%d ", number);
	snprintf(arg, sizeof arg, "%lld", t->arg);
	/*
	 * The count is only written now and then (at a pause, a burst): a
	 * thread that returned has run its loop to the end.
	 */
	if (t->doing == CTL_DONE && total > 0)
		snprintf(iter, sizeof iter, "%ld/%ld", total, total);
	else if (t->iterations == 0)
		snprintf(iter, sizeof iter, "-");
	else if (total > 0)
		snprintf(iter, sizeof iter, "%llu/%ld", t->iterations, total);
	else
		snprintf(iter, sizeof iter, "%llu", t->iterations);
	flags = lab_where(snap, t, line >= 0, where, sizeof where);
	/*
	 * Its `local` of `balance = local + n`: what it read, while it is
	 * between its read and its write.
	 */
	if (flags & LABVIEW_HERE &&
	    (t->at == CP_WRITE_ADD || t->at == CP_WRITE_SUB))
		snprintf(local, sizeof local, "%lld", t->local);
	else
		snprintf(local, sizeof local, "-");
	snprintf(buf, len, "%-3s%-10.10s %4s %11s %5s  %s", mark,
	    model_task_name(t), arg, iter, local, where);
	return flags;
}

void
labview_bystander(const struct snap_task *t, const char *where, char *buf,
    size_t len)
{
	snprintf(buf, len, "   %-10.10s %4s %11s %5s  %s", model_task_name(t),
	    "", "", "", where);
}

bool
labview_stale_note(const struct snapshot *snap, char *buf, size_t len)
{
	size_t idx[LABVIEW_THREADS_MAX], n, k;
	char row[256];

	buf[0] = '\0';
	n = labview_threads(snap, idx, LABVIEW_THREADS_MAX);
	for (k = 0; k < n; k++) {
		const struct snap_task *t = &snap->tasks[idx[k]];
		bool add = t->at == CP_WRITE_ADD;

		if (!(labview_thread(snap, t, 1, 0, row, sizeof row) &
		    LABVIEW_STALE))
			continue;
		snprintf(buf, len, _("%s wrote %lld over %lld"),
		    model_task_name(t), add ? t->local + t->arg :
		    t->local - t->arg, snap->balance.value);
		return true;
	}
	return false;
}

bool
labview_balance(const struct snap_balance *b, char *buf, size_t len)
{
	long long off = b->value - b->expected;

	if (off == 0)
		snprintf(buf, len, _("balance %lld  expected %lld  ok"),
		    b->value, b->expected);
	else
		snprintf(buf, len, _("balance %lld  expected %lld  off by %+lld"),
		    b->value, b->expected, off);
	return off != 0;
}

void
labview_lock_holder(const struct snapshot *snap, char *buf, size_t len)
{
	pid_t owner = snap->balance.owner;
	const struct snap_task *t = owner != 0 ? model_find(snap, owner) :
	    NULL;

	if (owner == 0)
		snprintf(buf, len, "%s", _("lock: free"));
	else
		snprintf(buf, len, _("lock: held by %s (%d)"), t != NULL ?
		    model_task_name(t) : "?", (int)owner);
}

bool
labview_lost(const struct snap_balance *b, char *buf, size_t len)
{
	/* Counted at the write gates: a free run at full speed passes none. */
	snprintf(buf, len, _("lost while stepping: %llu"), b->lost);
	return b->lost > 0;
}

int
labview_target(long target, bool ended, long long final, size_t steps,
    char *buf, size_t len)
{
	if (!ended) {
		snprintf(buf, len, ngettext("target %ld: %zu step so far, the "
		    "final balance decides", "target %ld: %zu steps so far, "
		    "the final balance decides", steps), target, steps);
		return 0;
	}
	if (final == target) {
		snprintf(buf, len, ngettext("target %ld reached: final balance "
		    "%lld in %zu step", "target %ld reached: final balance "
		    "%lld in %zu steps", steps), target, final, steps);
		return 1;
	}
	snprintf(buf, len, ngettext("target %ld not reached: final balance "
	    "%lld after %zu step (r tries again)", "target %ld not reached: "
	    "final balance %lld after %zu steps (r tries again)", steps),
	    target, final, steps);
	return -1;
}

void
labview_hint(const char *scenario, long iterations,
    const struct param_value *amounts, char *buf, size_t len)
{
	/* The command names the amounts only when they are not the default. */
	bool other = amounts != NULL && amounts->text[0] != '\0' &&
	    (amounts->def == NULL || amounts->def->def == NULL ||
	    strcmp(amounts->text, amounts->def->def) != 0);

	if (iterations < 1 || iterations > 3)
		iterations = 1;
	snprintf(buf, len, _("which final balances can happen? ptmon --batch "
	    "--explore 300 %s iterations=%ld%s%s"), scenario, iterations,
	    other ? " amounts=" : "", other ? amounts->text : "");
}
