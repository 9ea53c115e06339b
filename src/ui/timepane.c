/*
 * The timeline pane (w): to the right of the tree, each row's task as a
 * strip of its states, one cell per refresh, so it reads like a Gantt
 * chart of the run: it fills from the left, then the oldest cells scroll
 * out at the left and the newest is at the right edge. Letters as timeline.h
 * names them, with colours; with NO_COLOR the letters alone tell.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "driver.h"
#include "timeline.h"
#include "ui_screen.h"

/* The tree keeps its columns and a name (16) beside the strips. */
#define UI_TIMELINE_TREE_COLS	60
/* Fewer cells than this are not worth a pane. */
#define UI_TIMELINE_MIN_CELLS	8

void
ui_timeline_split(struct ui *ui)
{
	int w = ui->tree.w, tree_w;

	ui->strips = (struct ui_rect){ 0, 0, 0, 0 };
	if (!ui->vopts.timeline)
		return;
	tree_w = w / 2 > UI_TIMELINE_TREE_COLS ? w / 2 : UI_TIMELINE_TREE_COLS;
	if (w - tree_w - 1 < UI_TIMELINE_MIN_CELLS)
		tree_w = w - 1 - UI_TIMELINE_MIN_CELLS;
	if (tree_w < 20)
		return;		/* too narrow: the tree alone */
	ui->strips = (struct ui_rect){ ui->tree.y, tree_w + 1, ui->tree.h,
	    w - tree_w - 1 };
	ui->tree.w = tree_w;
}

static attr_t
letter_attr(const struct ui *ui, char c)
{
	switch (c) {
	case 'R':	return ui_attr(ui, UI_C_TL_RUN);
	case 'r':	return ui_attr(ui, UI_C_TL_READY);
	case 'W':	return ui_attr(ui, UI_C_TL_WAIT);
	case 'P':	return ui_attr(ui, UI_C_TL_PAUSE);
	case 'S':	return A_NORMAL;
	default:	return ui_attr(ui, UI_C_DIM);	/* Z . */
	}
}

void
ui_timeline_draw(struct ui *ui, struct ui_rect r)
{
	const struct timeline *tl = driver_timeline(ui->d);
	const struct ui_view *v = &ui->view;
	char head[160], states[TIMELINE_CELLS + 1];
	int k, cells = r.w < TIMELINE_CELLS ? r.w : TIMELINE_CELLS;

	if (r.w <= 0 || r.h <= 0)
		return;
	snprintf(head, sizeof head, _("TIMELINE %.1fs a cell  "
	    "R run r ready S sleep W wait P paused Z exited"),
	    ui->cli.delay / 10.0);
	ui_put(r.y, r.x, r.w, head, ui_attr(ui, UI_C_COLUMNS), true);
	for (k = 0; k < r.h - 1; k++) {
		size_t i = v->top + (size_t)k, len, c;

		if (i >= ui->shown.ntasks)
			break;
		len = timeline_states(tl, ui->shown.tasks[i].s.tid,
		    (size_t)cells, states);
		for (c = 0; c < len; c++) {
			attrset(letter_attr(ui, states[c]));
			mvaddch(r.y + 1 + k, r.x + (int)c, (chtype)states[c]);
		}
		attrset(A_NORMAL);
	}
}

unsigned
ui_timeline_key(struct ui *ui, int key)
{
	(void)key;
	if (!ui_has_run(ui))
		return 0;
	ui->vopts.timeline = !ui->vopts.timeline;
	ui_message(ui, ui->vopts.timeline ? _("timeline: each task's state "
	    "per refresh, newest at the right; w hides it") :
	    _("timeline hidden: w shows it"));
	return UI_REDRAW;
}
