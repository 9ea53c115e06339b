/*
 * The dialogs over the main screen: help, built from the key table the
 * dispatcher uses (with the keys that differ from htop in a section of
 * their own), and the signal menu (F9/k), which signals only processes
 * of the current snapshot, never ptmon itself, through driver_signal (a
 * pidfd checked against the process's start time, so that a reused pid is
 * never hit).
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "model.h"
#include "ui.h"
#include "ui_format.h"
#include "ui_screen.h"

#define HELP_LINES	64

struct help_line {
	char		 keys[48];
	const char	*help;		/* the key table's, to join keys */
	char		 text[320];
};

static const struct {
	int		 sig;
	const char	*name;
} signals_[] = {
	{ SIGTERM, "SIGTERM" }, { SIGINT, "SIGINT" }, { SIGHUP, "SIGHUP" },
	{ SIGKILL, "SIGKILL" }, { SIGSTOP, "SIGSTOP" }, { SIGCONT, "SIGCONT" },
	{ SIGUSR1, "SIGUSR1" }, { SIGUSR2, "SIGUSR2" },
};
#define NSIGNALS	((int)(sizeof signals_ / sizeof signals_[0]))

/*
 * Fills lines from the key table, keys with the same help on one line;
 * with `differs`, only the keys htop gives another meaning, saying both.
 */
static int
help_lines(struct help_line *lines, int max, bool differs)
{
	const struct ui_key *keys;
	size_t nkeys, i;
	int n = 0;

	keys = ui_keys_table(&nkeys);
	for (i = 0; i < nkeys; i++) {
		size_t out;

		if (keys[i].name == NULL || keys[i].help == NULL ||
		    (differs && keys[i].htop == NULL))
			continue;
		if (n > 0 && strcmp(lines[n - 1].help, keys[i].help) == 0) {
			out = strlen(lines[n - 1].keys);
			snprintf(lines[n - 1].keys + out,
			    sizeof lines[n - 1].keys - out, " %s",
			    keys[i].name);
			continue;
		}
		if (n == max)
			break;
		snprintf(lines[n].keys, sizeof lines[n].keys, "%s",
		    keys[i].name);
		lines[n].help = keys[i].help;
		if (differs)
			snprintf(lines[n].text, sizeof lines[n].text,
			    _("htop: %s; here: %s"), _(keys[i].htop),
			    _(keys[i].help));
		else
			snprintf(lines[n].text, sizeof lines[n].text, "%s",
			    _(keys[i].help));
		n++;
	}
	return n;
}

void
ui_keys_print(FILE *f)
{
	const struct ui_key *keys;
	size_t nkeys, i;

	keys = ui_keys_table(&nkeys);
	for (i = 0; i < nkeys; i++) {
		if (keys[i].name == NULL || keys[i].help == NULL)
			continue;
		fprintf(f, "%s\t%s", keys[i].name, keys[i].help);
		if (keys[i].htop != NULL)
			fprintf(f, "\thtop: %s", keys[i].htop);
		fputc('\n', f);
	}
}

struct ui_rect
ui_dialog_box(struct ui *ui, int h, int w, const char *title)
{
	struct ui_rect r;
	int k;

	if (h > LINES - 2)
		h = LINES - 2;
	if (w > COLS - 2)
		w = COLS - 2;
	r.y = (LINES - h) / 2;
	r.x = (COLS - w) / 2;
	for (k = 0; k < h; k++)
		ui_put(r.y + k, r.x, w, "", ui_attr(ui, UI_C_DIALOG), true);
	ui_put(r.y, r.x, w, title, ui_attr(ui, UI_C_TITLE), true);
	return (struct ui_rect){ r.y + 1, r.x + 2, h - 2, w - 4 };
}

struct help_row {
	const char	*keys;		/* NULL on a continuation or legend row */
	int		 indent;	/* 14 for a key's help, 0 for the legend */
	char		 text[160];
};

/*
 * Appends `text` cut into rows of at most `width` cells, at spaces where
 * it has them (a translation may have none, and wide characters), the
 * first row with `keys`; returns the new row count.
 */
static int
wrap_rows(struct help_row *rows, int n, int max, const char *keys,
    int indent, const char *text, int width)
{
	size_t len = strlen(text);

	if (width < 10)
		width = 10;
	do {
		size_t cut;

		if (n == max)
			return n;
		/* What fits, unless that splits a word: then to a space. */
		(void)cells_fit(rows[n].text, sizeof rows[n].text, text,
		    width, false);
		cut = strlen(rows[n].text);
		if (text[cut] != ' ' && text[cut] != '\0')
			cut = cells_wrap(text, width);
		while (cut > 0 && text[cut - 1] == ' ')
			cut--;
		if (cut == 0)
			cut = len > 0 ? cells_wrap(text, width) : 0;
		if (cut >= sizeof rows[n].text)
			cut = sizeof rows[n].text - 1;
		rows[n].keys = keys;
		rows[n].indent = indent;
		memcpy(rows[n].text, text, cut);
		rows[n].text[cut] = '\0';
		n++;
		keys = NULL;
		text += cut;
		len -= cut;
		while (*text == ' ') {
			text++;
			len--;
		}
	} while (len > 0);
	return n;
}

void
ui_help_draw(struct ui *ui)
{
	static const char *const legend[] = {
		"",
		N_("Columns: PID and TID (equal for a process), PPID, S the kernel "
		    "state, %CPU, RSS, TIME+, NAME (the task's role), AT the "
		    "checkpoint it stands at."),
		N_("|| marks a paused task (or a stopped process), >| one granted "
		    "a step."),
		N_("A command's processes stop and go on with SIGSTOP and SIGCONT; "
		    "a thread of theirs cannot be stopped alone. Escape closes "
		    "this help."),
	};
	static struct help_line lines[HELP_LINES], differ[HELP_LINES];
	static struct help_row rows[3 * HELP_LINES];
	int n = help_lines(lines, HELP_LINES, false), total = 0, k, y, w;
	int nd = help_lines(differ, HELP_LINES, true);
	struct ui_rect r;
	attr_t a = ui_attr(ui, UI_C_DIALOG);

	/* The box's inside is w - 4 wide; keys take its first 14 columns. */
	w = COLS - 2 < 84 ? COLS - 2 : 84;
	for (k = 0; k < n; k++)
		total = wrap_rows(rows, total, 3 * HELP_LINES, lines[k].keys,
		    14, lines[k].text, w - 4 - 14);
	total = wrap_rows(rows, total, 3 * HELP_LINES, NULL, 0, "", w - 4);
	total = wrap_rows(rows, total, 3 * HELP_LINES, NULL, 0,
	    _("Differs from htop: keys ptmon gives another meaning"), w - 4);
	for (k = 0; k < nd; k++)
		total = wrap_rows(rows, total, 3 * HELP_LINES, differ[k].keys,
		    14, differ[k].text, w - 4 - 14);
	for (k = 0; k < (int)(sizeof legend / sizeof legend[0]); k++)
		total = wrap_rows(rows, total, 3 * HELP_LINES, NULL, 0,
		    legend[k][0] != '\0' ? _(legend[k]) : "", w - 4);
	r = ui_dialog_box(ui, total + 2, w, _(" ptmon help  (Escape closes, "
	    "Up/Down scroll)"));
	if (ui->help_top > total - r.h)
		ui->help_top = total - r.h > 0 ? total - r.h : 0;
	for (k = ui->help_top, y = r.y; k < total && y < r.y + r.h; k++, y++) {
		int in = rows[k].indent;

		if (rows[k].keys != NULL)
			ui_put(y, r.x, in, rows[k].keys, a | A_BOLD, true);
		ui_put(y, r.x + in, r.w - in, rows[k].text, a, false);
	}
}

unsigned
ui_help_key(struct ui *ui, int key)
{
	switch (key) {
	case KEY_UP:
		if (ui->help_top > 0)
			ui->help_top--;
		return UI_REDRAW;
	case KEY_DOWN:
		ui->help_top++;
		return UI_REDRAW;
	case KEY_MOUSE:
	case KEY_RESIZE:
		return UI_REDRAW;
	default:
		/* Escape, q, F1, ? or any other key closes the help. */
		ui->mode = ui_has_run(ui) ? UI_MODE_MAIN : UI_MODE_PICKER;
		return UI_REDRAW;
	}
}

/*
 * The task the menu was opened on, found by tid: if it has ended, the
 * menu says so rather than turn to whatever now stands on its row.
 */
static const struct snap_task *
signal_target(const struct ui *ui)
{
	return model_find(ui->snap, ui->signal_tid);
}

void
ui_signal_draw(struct ui *ui)
{
	const struct snap_task *t = signal_target(ui);
	char title[128], line[64];
	struct ui_rect r;
	int k;

	if (t == NULL)
		snprintf(title, sizeof title, _(" Task %d has ended: Escape "
		    "closes"), (int)ui->signal_tid);
	else
		snprintf(title, sizeof title, _(" Send a signal to %s (%d)"),
		    model_task_name(t), (int)t->s.tgid);
	r = ui_dialog_box(ui, NSIGNALS + 4, 44, title);
	for (k = 0; k < NSIGNALS && k < r.h; k++) {
		snprintf(line, sizeof line, "%2d %s", signals_[k].sig,
		    signals_[k].name);
		ui_put(r.y + k, r.x, r.w, line, k == ui->signal_sel ?
		    ui_attr(ui, UI_C_SELECTED) : ui_attr(ui, UI_C_DIALOG),
		    true);
	}
	if (NSIGNALS + 1 < r.h)
		ui_put(r.y + NSIGNALS + 1, r.x, r.w, _("Enter sends, Escape "
		    "cancels"), ui_attr(ui, UI_C_DIALOG), false);
}

/*
 * Sends sig to the process of task t (a thread's signal goes to its
 * process). Returns 0 or -1 with a reason in *why.
 */
static int
send_signal(struct ui *ui, const struct snap_task *t, int sig,
    const char **why)
{
	const struct snap_task *proc = model_find(ui->snap, t->s.tgid);

	struct snap_task copy;

	*why = NULL;
	if (proc == NULL) {
		*why = _("its process is not in the tree");
		return -1;
	}
	/* The process's start time guards the pid, not the thread's. */
	copy = *proc;
	if (driver_signal(ui->d, &copy, sig, why) < 0) {
		if (*why == NULL)
			*why = strerror(errno);
		return -1;
	}
	return 0;
}

/* True when sig waits for the stopped process of t to be resumed. */
static bool
stopped_hint(const struct ui *ui, const struct snap_task *t, int sig)
{
	const struct snap_task *proc = model_find(ui->snap, t->s.tgid);

	return proc != NULL && proc->s.state == 'T' && sig != SIGKILL &&
	    sig != SIGCONT && sig != SIGSTOP;
}

unsigned
ui_signal_key(struct ui *ui, int key)
{
	const struct snap_task *target = signal_target(ui);
	const char *cause = NULL;
	struct snap_task copy, *t = NULL;
	bool hint;
	int sig;

	/* A copy: sending resamples, which replaces the snapshot. */
	if (target != NULL) {
		copy = *target;
		t = &copy;
	}
	switch (key) {
	case KEY_UP:
		if (ui->signal_sel > 0)
			ui->signal_sel--;
		return UI_REDRAW;
	case KEY_DOWN:
		if (ui->signal_sel + 1 < NSIGNALS)
			ui->signal_sel++;
		return UI_REDRAW;
	case '\r':
	case '\n':
	case KEY_ENTER:
		ui->mode = UI_MODE_MAIN;
		if (t == NULL) {
			ui_message(ui, _("task %d has ended: nothing was sent"),
			    (int)ui->signal_tid);
			return UI_REDRAW;
		}
		sig = signals_[ui->signal_sel].sig;
		hint = stopped_hint(ui, t, sig);
		if (send_signal(ui, t, sig, &cause) < 0)
			ui_message(ui, _("cannot send %s to %d: %s"),
			    signals_[ui->signal_sel].name, (int)t->s.tgid,
			    cause);
		else if (hint)
			ui_message(ui, _("%s sent to %d, which is stopped: it "
			    "takes it once resumed"),
			    signals_[ui->signal_sel].name, (int)t->s.tgid);
		else if (t->is_thread)
			ui_message(ui, _("%s sent to %d, the process of thread "
			    "%d"), signals_[ui->signal_sel].name,
			    (int)t->s.tgid, (int)t->s.tid);
		else
			ui_message(ui, _("%s sent to %s (%d)"),
			    signals_[ui->signal_sel].name, model_task_name(t),
			    (int)t->s.tgid);
		return UI_REDRAW;
	case KEY_MOUSE:
	case KEY_RESIZE:
		return UI_REDRAW;
	case KEY_ESC:
	case 'q':
	case KEY_F(9):
	case KEY_F(10):
		ui->mode = UI_MODE_MAIN;
		return UI_REDRAW;
	default:
		return 0;
	}
}
