/*
 * The interleaving lab, shown for the scenarios with a balance (race,
 * lock) in place of a balance pane: change_it as lines of code with a
 * marker per thread on the statement it stands at, like a debugger; a
 * table of the threads (n, iteration, the value each read, where each
 * stands); the balance against what is expected, the lock's owner and
 * waiters, the lost updates seen while stepping, and the challenge of a
 * target final balance (t).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "ctl.h"
#include "labview.h"
#include "params.h"
#include "scenario.h"
#include "schedule.h"
#include "ui_format.h"
#include "ui_screen.h"

/* Narrower than this, the code view gives way to the thread table. */
#define LAB_CODE_MIN_COLS	96
/* The thread table keeps room for this many rows: two threads, the root. */
#define LAB_TASK_ROWS		3
#define LAB_LINES_MAX		16

/* A line of the lab's right column, with how much it matters. */
struct lab_line {
	char	 text[UI_FORMAT_ROW_LEN];
	attr_t	 attr;
	int	 prio;		/* lines of the lowest go first: 0 blank,
				   1 header, 3 root, 4 target, 5-6 lock,
				   7 lost updates, 8 threads, 9 balance */
};

bool
ui_lab_shown(const struct ui *ui)
{
	return (ui_has_run(ui) && ui->sc != NULL &&
	    (ui->sc->panes & MODEL_BALANCE) != 0) || ui_pylab_shown(ui);
}

/* True when the scenario takes a lock: its view has lock.acquire()/release(). */
static bool
with_lock(const struct ui *ui)
{
	return ui->sc != NULL && ui->sc->has_lock;
}

/* The scenario's parameter `name`, to change in place, or NULL. */
static struct param_value *
param(struct ui *ui, const char *name)
{
	int i;

	for (i = 0; i < ui->params.n; i++)
		if (ui->params.v[i].def != NULL &&
		    strcmp(ui->params.v[i].def->name, name) == 0)
			return &ui->params.v[i];
	return NULL;
}

/* The rows of the right column: the lock's has two more. */
static int
right_rows(const struct ui *ui)
{
	/* Header, tasks, balance, lost updates, target. */
	return 1 + LAB_TASK_ROWS + 1 + 1 + 1 + (with_lock(ui) ? 2 : 0);
}

int
ui_lab_height(const struct ui *ui)
{
	size_t ncode;
	int rows;

	if (ui_pylab_shown(ui))
		return ui_pylab_height(ui);
	labview_code(with_lock(ui), &ncode);
	rows = right_rows(ui);
	if ((int)ncode > rows)
		rows = (int)ncode;
	/* Title and hint. */
	return rows + 2;
}

/* Appends a line to the right column. */
static struct lab_line *
add_line(struct lab_line *lines, int *n, attr_t attr, int prio)
{
	struct lab_line *l = &lines[*n];

	/* The column has fewer lines than that: overflow reuses the last. */
	if (*n < LAB_LINES_MAX)
		(*n)++;
	else
		l = &lines[LAB_LINES_MAX - 1];
	l->text[0] = '\0';
	l->attr = attr;
	l->prio = prio;
	return l;
}

/* The challenge's line, when a target is set; returns its attribute. */
static attr_t
target_line(struct ui *ui, char *buf, size_t len)
{
	const struct param_value *target = param(ui, "target");
	size_t steps = ui_steps_taken(ui);
	int r;

	if (target == NULL || !target->set) {
		snprintf(buf, len, "%s", _("no target: t sets one, a final "
		    "balance to reach by stepping"));
		return ui_attr(ui, UI_C_DIM);
	}
	r = labview_target(target->num, ui_ended(ui),
	    ui->snap->balance.value, steps, buf, len);
	if (r > 0)
		return ui_attr(ui, UI_C_GOOD) | A_BOLD;
	if (r < 0)
		return ui_attr(ui, UI_C_BAD) | A_BOLD;
	return A_BOLD;
}

/* Fills the right column: threads, balance, lock, lost updates, target. */
static int
right_lines(struct ui *ui, struct lab_line *lines)
{
	const struct snapshot *snap = ui->snap;
	const struct snap_balance *b = &snap->balance;
	const struct param_value *iters = param(ui, "iterations");
	size_t idx[LABVIEW_THREADS_MAX], n, k;
	char who[384], where[UI_FORMAT_ROW_LEN];
	struct lab_line *l;
	int nl = 0, shown = 0;
	unsigned flags;
	bool off;

	l = add_line(lines, &nl, ui_attr(ui, UI_C_COLUMNS), 1);
	labview_header(l->text, sizeof l->text);
	n = labview_threads(snap, idx, LABVIEW_THREADS_MAX);
	for (k = 0; k < n && shown < LAB_TASK_ROWS; k++, shown++) {
		const struct snap_task *t = &snap->tasks[idx[k]];

		l = add_line(lines, &nl, A_NORMAL, 8);
		flags = labview_thread(snap, t, labview_number(t, k),
		    iters != NULL ? iters->num : 0, l->text, sizeof l->text);
		if (flags & LABVIEW_STALE)
			l->attr = ui_attr(ui, UI_C_BAD) | A_BOLD;
		else if (flags & LABVIEW_HERE)
			l->attr = ui_attr(ui, UI_C_PAUSED);
		/* The row keys act on (the chosen task may be hidden). */
		if (ui_tree_selected(ui) != NULL &&
		    t->s.tid == ui_tree_selected(ui)->s.tid)
			l->attr |= A_REVERSE;
	}
	/* The root, waiting in its join. */
	if (snap->ntasks > 0 && snap->tasks[0].slot >= 0 &&
	    shown < LAB_TASK_ROWS) {
		l = add_line(lines, &nl, A_NORMAL, 3);
		ui_format_at(snap, &snap->tasks[0], where, sizeof where);
		labview_bystander(&snap->tasks[0], where, l->text,
		    sizeof l->text);
		shown++;
	}
	if (ui_ended(ui) && shown == 0) {
		l = add_line(lines, &nl, ui_attr(ui, UI_C_DIM), 3);
		snprintf(l->text, sizeof l->text, "   %s", _("the scenario has "
		    "ended: r runs it again"));
		shown++;
	}
	for (; shown < LAB_TASK_ROWS; shown++)
		add_line(lines, &nl, A_NORMAL, 0);
	l = add_line(lines, &nl, A_BOLD, 9);
	off = labview_balance(b, l->text, sizeof l->text);
	l->attr = ui_attr(ui, off ? UI_C_BAD : UI_C_GOOD) | A_BOLD;
	if (with_lock(ui)) {
		l = add_line(lines, &nl, A_NORMAL, 6);
		labview_lock_holder(snap, l->text, sizeof l->text);
		l = add_line(lines, &nl, A_NORMAL, 5);
		ui_format_waiters(snap, CTL_WAIT_LOCK, who, sizeof who);
		snprintf(l->text, sizeof l->text, _("waits for it: %s"), who);
	}
	l = add_line(lines, &nl, A_NORMAL, 7);
	if (labview_lost(b, l->text, sizeof l->text))
		l->attr = ui_attr(ui, UI_C_BAD) | A_BOLD;
	l = add_line(lines, &nl, A_NORMAL, 4);
	l->attr = target_line(ui, l->text, sizeof l->text);
	return nl;
}

/* Drops the least needed lines until n fit in rows; returns how many. */
static int
fit_lines(struct lab_line *lines, int n, int rows)
{
	int prio, k;

	for (prio = 0; n > rows && prio < 10; prio++)
		for (k = n - 1; k >= 0 && n > rows; k--) {
			if (lines[k].prio != prio)
				continue;
			memmove(&lines[k], &lines[k + 1],
			    (size_t)(n - k - 1) * sizeof *lines);
			n--;
		}
	return n < rows ? n : rows;
}

void
ui_lab_draw(struct ui *ui, struct ui_rect r)
{
	struct lab_line lines[LAB_LINES_MAX];
	char buf[UI_FORMAT_ROW_LEN];
	const struct param_value *iters;
	size_t ncode, i;
	int nl, rows, code_w = 0, mark_w, x, y;
	bool code, hint;

	if (ui_pylab_shown(ui)) {
		ui_pylab_draw(ui, r);
		return;
	}
	if (r.h <= 0 || r.w <= 0)
		return;
	if (driver_stepper(ui->d) != NULL) {
		char what[384];

		ui_replay_text(ui, what, sizeof what);
		snprintf(buf, sizeof buf, _(" Lab: %s.  %sr replays it again"),
		    what, driver_stepper_state(ui->d) == STEPPER_STEPPING ?
		    _("P pauses every task, ") : "");
	} else
		snprintf(buf, sizeof buf, "%s", _(" Lab: change_it step by "
		    "step.  Up/Down select a thread, s steps it one statement, "
		    "Space lets it run, t sets a target"));
	ui_put(r.y, r.x, r.w, buf, ui_attr(ui, UI_C_COLUMNS), true);
	rows = r.h - 1;
	if (rows <= 0)
		return;
	nl = right_lines(ui, lines);
	/* The hint goes first when rows are short. */
	hint = rows > nl;
	if (hint)
		rows--;
	labview_code(with_lock(ui), &ncode);
	code = r.w >= LAB_CODE_MIN_COLS && rows >= (int)ncode;
	if (code) {
		mark_w = labview_marks_width(ui->snap);
		for (i = 0; i < ncode; i++) {
			labview_code_line(ui->snap, with_lock(ui), i, buf,
			    sizeof buf);
			if (cells_width(buf) > code_w)
				code_w = cells_width(buf);
		}
		code_w += 2;
		for (i = 0; i < ncode; i++) {
			labview_code_line(ui->snap, with_lock(ui), i, buf,
			    sizeof buf);
			/* The markers (ASCII) stand out from the code. */
			ui_put(r.y + 1 + (int)i, r.x, mark_w, buf,
			    ui_attr(ui, UI_C_PAUSED) | A_BOLD, false);
			ui_put(r.y + 1 + (int)i, r.x + mark_w, code_w - mark_w,
			    buf + mark_w, A_NORMAL, false);
		}
		for (y = 0; y < rows; y++)
			ui_put(r.y + 1 + y, r.x + code_w, 1,
			    ui->ascii ? "|" : "\xe2\x94\x82",
			    ui_attr(ui, UI_C_DIM), false);
		code_w += 2;
	}
	x = r.x + code_w;
	nl = fit_lines(lines, nl, rows);
	for (y = 0; y < nl; y++)
		ui_put(r.y + 1 + y, x, r.w - code_w, lines[y].text,
		    lines[y].attr, false);
	if (!hint || ui->sc == NULL)
		return;
	iters = param(ui, "iterations");
	labview_hint(ui->sc->name, iters != NULL ? iters->num : 1,
	    param(ui, "amounts"), buf, sizeof buf);
	ui_put(r.y + r.h - 1, r.x + 1, r.w - 1, buf, ui_attr(ui, UI_C_DIM) |
	    A_BOLD, false);
}

void
ui_lab_sampled(struct ui *ui)
{
	const struct snap_balance *b = &ui->snap->balance;
	char line[256];

	if (ui_pylab_shown(ui)) {
		ui_pylab_sampled(ui);
		return;
	}
	if (!ui_lab_shown(ui) || !b->present)
		return;
	if (b->lost > ui->lost_seen) {
		snprintf(line, sizeof line, "[ptmon] ");
		if (ui->stale_note[0] != '\0')
			snprintf(line + 8, sizeof line - 8, _("lost update: %s "
			    "(%llu so far)"), ui->stale_note, b->lost);
		else
			snprintf(line + 8, sizeof line - 8, _("lost update: a "
			    "write overwrote another thread's (%llu so far)"),
			    b->lost);
		ui_log_add(&ui->log, line, true);
		ui_message(ui, "%s", line + 8);
		ui->lost_seen = b->lost;
	}
	/* Which thread's next write would lose an update, and to what. */
	labview_stale_note(ui->snap, ui->stale_note, sizeof ui->stale_note);
}

void
ui_lab_ended(struct ui *ui)
{
	const struct param_value *target;
	char line[256];

	if (!ui_lab_shown(ui))
		return;
	target = param(ui, "target");
	if (target == NULL || !target->set)
		return;
	/* The driver's last snapshot holds the final balance. */
	labview_target(target->num, true, ui->snap->balance.value,
	    ui_steps_taken(ui), line + 8, sizeof line - 8);
	memcpy(line, "[ptmon] ", 8);
	ui_log_add(&ui->log, line, true);
}

unsigned
ui_lab_target_key(struct ui *ui, int key)
{
	const struct param_value *target;

	(void)key;
	if (ui->sc == NULL || param(ui, "target") == NULL) {
		ui_message(ui, _("t sets a target balance in race and lock"));
		return UI_REDRAW;
	}
	target = param(ui, "target");
	if (target->set)
		snprintf(ui->target_text, sizeof ui->target_text, "%ld",
		    target->num);
	else
		ui->target_text[0] = '\0';
	ui->mode = UI_MODE_TARGET;
	return UI_REDRAW;
}

/* Sets the target from what was typed; empty clears it. */
static void
set_target(struct ui *ui)
{
	struct param_value *target = param(ui, "target");
	const struct param_def *d;
	char *end;
	long v;

	if (target == NULL)
		return;
	d = target->def;
	if (ui->target_text[0] == '\0') {
		target->set = false;
		target->text[0] = '\0';
		ui_message(ui, _("no target"));
		return;
	}
	errno = 0;
	v = strtol(ui->target_text, &end, 10);
	if (errno != 0 || *end != '\0' || end == ui->target_text ||
	    v < d->min || v > d->max) {
		ui_message(ui, _("target: '%s' is not a whole number in %ld..%ld"),
		    ui->target_text, d->min, d->max);
		return;
	}
	target->set = true;
	target->num = v;
	snprintf(target->text, sizeof target->text, "%ld", v);
	/* It holds for restarts (r) too: the params go with the session. */
	ui_message(ui, _("target %ld: make the final balance %ld by stepping"),
	    v, v);
}

/* A target takes digits, and a minus sign first. */
static bool
target_char(int key, size_t len)
{
	return (key >= '0' && key <= '9') || (key == '-' && len == 0);
}

unsigned
ui_lab_prompt_key(struct ui *ui, int key)
{
	switch (key) {
	case KEY_ESC:
		ui->mode = UI_MODE_MAIN;
		return UI_REDRAW;
	case '\r':
	case '\n':
	case KEY_ENTER:
		ui->mode = UI_MODE_MAIN;
		set_target(ui);
		return UI_REDRAW;
	default:
		return ui_prompt_edit(ui->target_text,
		    sizeof ui->target_text, key, target_char) ? UI_REDRAW : 0;
	}
}

void
ui_lab_prompt_text(const struct ui *ui, char *buf, size_t len)
{
	snprintf(buf, len, _(" Target final balance: %s_   (Enter sets it, "
	    "empty clears it, Esc cancels)"), ui->target_text);
}
