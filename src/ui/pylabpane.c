/*
 * The lab for a traced Python program (ptmon -- python3 PROG), shown in
 * the lab's place: on the left, the source lines around the focused
 * thread's line with an arrow per thread, and, stepping by instruction
 * (b), the instructions of that line with an arrow at each thread's next
 * one; on the right, a row per thread (where, next instruction, what it
 * holds) and the watched globals with their lost updates. The text is
 * pylab.c's; here it is placed and coloured.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "pylab.h"
#include "ui_format.h"
#include "ui_screen.h"

#define PYLAB_ROWS	12	/* the pane's height, title included */
#define PYLAB_LEFT_MIN	60	/* narrower: the right column only */

bool
ui_pylab_shown(const struct ui *ui)
{
	return ui_has_run(ui) && ui->sc == NULL && ui->snap != NULL &&
	    ui->snap->py.present;
}

int
ui_pylab_height(const struct ui *ui)
{
	(void)ui;
	return PYLAB_ROWS;
}

/* The left column: source lines, then the line's instructions. */
static void
draw_left(struct ui *ui, const struct snap_task *f, int y, int x, int w,
    int rows)
{
	const struct snapshot *snap = ui->snap;
	const struct snap_py_task *p;
	struct pylab_op ops[PYLAB_OPS_MAX];
	char code[UI_FORMAT_ROW_LEN], buf[UI_FORMAT_ROW_LEN];
	int first, line, nsrc, k, row = 0;
	size_t n = 0, i;

	if (f == NULL || f->slot < 0 || f->slot >= CTL_MAX_TASKS)
		return;
	p = &snap->py.tasks[f->slot];
	if (snap->py.by_op)
		n = pylab_parse_ops(p->ops, ops, PYLAB_OPS_MAX);
	/* Source lines: all rows, or what the instructions leave. */
	nsrc = n > 0 ? rows - (int)n - 1 : rows;
	if (nsrc < 3)
		nsrc = rows >= 3 ? 3 : rows;
	first = p->line - nsrc / 2;
	if (first < 1)
		first = 1;
	for (k = 0; k < nsrc && row < rows; k++) {
		line = first + k;
		if (!pylab_source_line(p->path, line, code, sizeof code))
			break;
		pylab_code_line(snap, p->path, line, code, buf, sizeof buf);
		ui_put(y + row++, x, w, buf, line == p->line ? A_BOLD :
		    A_NORMAL, true);
	}
	if (n == 0 || row >= rows)
		return;
	snprintf(buf, sizeof buf, _("  instructions of %s:%d (b: by line)"),
	    pylab_base(p->path), p->line);
	ui_put(y + row++, x, w, buf, ui_attr(ui, UI_C_COLUMNS), true);
	for (i = 0; i < n && row < rows; i++) {
		pylab_op_line(snap, p->path, p->line, &ops[i], buf, sizeof buf);
		ui_put(y + row++, x, w, buf, strstr(buf, "<-") != NULL ?
		    ui_attr(ui, UI_C_PAUSED) | A_BOLD : A_NORMAL, true);
	}
}

/* The right column: threads, then the watched globals. */
static void
draw_right(struct ui *ui, int y, int x, int w, int rows)
{
	const struct snapshot *snap = ui->snap;
	const struct snap_task *sel = ui_tree_selected(ui);
	size_t idx[PYLAB_THREADS_MAX], n, k;
	char buf[UI_FORMAT_ROW_LEN];
	int row = 0, i, shown = 0;
	unsigned flags;
	attr_t a;

	pylab_header(buf, sizeof buf);
	ui_put(y + row++, x, w, buf, ui_attr(ui, UI_C_COLUMNS), true);
	n = pylab_threads(snap, idx, PYLAB_THREADS_MAX);
	for (k = 0; k < n && row < rows - 3; k++) {
		const struct snap_task *t = &snap->tasks[idx[k]];

		flags = pylab_thread(snap, t, buf, sizeof buf);
		a = flags & PYLAB_STALE ? ui_attr(ui, UI_C_BAD) | A_BOLD :
		    t->gate != SNAP_GATE_RUNNING ? ui_attr(ui, UI_C_PAUSED) :
		    A_NORMAL;
		if (sel != NULL && sel->s.tid == t->s.tid)
			a |= A_REVERSE;
		ui_put(y + row++, x, w, buf, a, true);
	}
	for (i = 0; i < snap->py.nwatch && row < rows; i++) {
		const struct snap_py_watch *wv = &snap->py.watch[i];
		bool off;

		if (!pylab_watched(wv))
			continue;
		shown++;
		off = pylab_watch_line(wv, buf, sizeof buf);
		ui_put(y + row++, x, w, buf, ui_attr(ui, off ? UI_C_BAD :
		    UI_C_GOOD) | A_BOLD, true);
		if (row >= rows)
			break;
		off = pylab_lost_line(wv, buf, sizeof buf);
		ui_put(y + row++, x, w, buf, off ? ui_attr(ui, UI_C_BAD) |
		    A_BOLD : A_NORMAL, true);
	}
	if (shown == 0 && row < rows)
		ui_put(y + row++, x, w, _("no watched globals yet: a global of "
		    "__main__ two threads store while stepping, or --watch "
		    "NAME"), ui_attr(ui, UI_C_DIM), true);
}

void
ui_pylab_draw(struct ui *ui, struct ui_rect r)
{
	const struct snap_task *f;
	char buf[UI_FORMAT_ROW_LEN];
	int left = 0, rows;

	if (r.h <= 0 || r.w <= 0)
		return;
	f = pylab_focus(ui->snap, ui_tree_selected(ui));
	snprintf(buf, sizeof buf, _(" Lab: %s.  s steps the selected thread "
	    "one %s, b: by %s, Space lets it run, P all"),
	    f != NULL ? model_task_name(f) : _("no Python thread yet"),
	    ui->snap->py.by_op ? _("bytecode instruction") : _("source line"),
	    ui->snap->py.by_op ? _("line") : _("instruction"));
	ui_put(r.y, r.x, r.w, buf, ui_attr(ui, UI_C_COLUMNS), true);
	rows = r.h - 1;
	if (rows <= 0)
		return;
	if (r.w >= 2 * PYLAB_LEFT_MIN) {
		left = r.w / 2;
		draw_left(ui, f, r.y + 1, r.x, left - 1, rows);
		for (int y = 0; y < rows; y++)
			ui_put(r.y + 1 + y, r.x + left - 1, 1,
			    ui->ascii ? "|" : "\xe2\x94\x82",
			    ui_attr(ui, UI_C_DIM), false);
	}
	draw_right(ui, r.y + 1, r.x + left + 1, r.w - left - 1, rows);
}

void
ui_pylab_sampled(struct ui *ui)
{
	unsigned long long lost = 0;
	char line[256], what[160] = "";
	int i;

	if (!ui_pylab_shown(ui))
		return;
	for (i = 0; i < ui->snap->py.nwatch; i++) {
		const struct snap_py_watch *w = &ui->snap->py.watch[i];

		lost += w->lost;
		if (w->lost > 0)
			pylab_watch_line(w, what, sizeof what);
	}
	if (lost > ui->lost_seen) {
		snprintf(line, sizeof line, "[ptmon] ");
		snprintf(line + 8, sizeof line - 8, _("lost update: a store "
		    "from a stale load overwrote another thread's (%llu so "
		    "far): %s"), lost, what);
		ui_log_add(&ui->log, line, true);
		ui_message(ui, "%s", line + 8);
	}
	ui->lost_seen = lost;
}

unsigned
ui_pylab_by_op_key(struct ui *ui, int key)
{
	bool by_op;

	(void)key;
	if (!ui_pylab_shown(ui)) {
		ui_message(ui, _("b steps a traced Python program by bytecode "
		    "instruction: ptmon -- python3 PROG"));
		return UI_REDRAW;
	}
	by_op = !ui->snap->py.by_op;
	if (driver_set_py_by_op(ui->d, by_op) < 0)
		return UI_REDRAW;
	ui_message(ui, by_op ? _("s steps a Python thread one bytecode "
	    "instruction") : _("s steps a Python thread one source line"));
	return UI_RESAMPLE | UI_REDRAW;
}
