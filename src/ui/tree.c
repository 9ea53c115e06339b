/*
 * The tree pane: one row per process and thread shown (list.c builds
 * them: filtered, sorted, a tree or a list), with the selection kept by
 * tid (htop's "following") so that rows appearing or vanishing above it,
 * a filter or a sort do not move it to another task.
 */
#include "config.h"

#include <strings.h>
#include <string.h>

#include "i18n.h"
#include "ui_format.h"
#include "ui_list.h"
#include "ui_screen.h"

void
ui_tree_refresh(struct ui *ui)
{
	struct ui_view *v = &ui->view;
	struct ui_list_opts opts = {
		.flat = ui->vopts.flat,
		.hide_threads = ui->vopts.hide_threads,
		.sort = ui->vopts.sort,
		.filter = ui->vopts.filter,
	};
	size_t i, n;

	if (ui_list_is_identity(&opts))
		ui->shown = *ui->snap;	/* no copy of thousands of rows */
	else {
		ui_list_build(&ui->shown_store, ui->snap, &opts);
		ui->shown = ui->shown_store;
	}
	n = ui->shown.ntasks;

	if (n == 0) {
		v->sel = 0;
		v->top = 0;
		return;
	}
	if (v->sel_tid != 0)
		for (i = 0; i < n; i++)
			if (ui->shown.tasks[i].s.tid == v->sel_tid) {
				v->sel = i;
				return;
			}
	/*
	 * The task is gone: stay on the same row, follow what is there. One
	 * the view hides (a filter, H) is still chosen: it is selected
	 * again when it shows again, unless the selection moves first.
	 */
	if (v->sel >= n)
		v->sel = n - 1;
	if (v->sel_tid == 0 || model_find(ui->snap, v->sel_tid) == NULL)
		v->sel_tid = ui->shown.tasks[v->sel].s.tid;
}

void
ui_tree_move(struct ui *ui, long delta)
{
	struct ui_view *v = &ui->view;
	long n = (long)ui->shown.ntasks, sel = (long)v->sel + delta;

	if (n == 0)
		return;
	if (sel < 0)
		sel = 0;
	if (sel >= n)
		sel = n - 1;
	v->sel = (size_t)sel;
	v->sel_tid = ui->shown.tasks[v->sel].s.tid;
}

bool
ui_tree_click(struct ui *ui, int y)
{
	size_t i;

	if (y <= ui->tree.y || y >= ui->tree.y + ui->tree.h)
		return false;
	i = ui->view.top + (size_t)(y - ui->tree.y - 1);
	if (i >= ui->shown.ntasks)
		return false;
	ui->view.sel = i;
	ui->view.sel_tid = ui->shown.tasks[i].s.tid;
	return true;
}

const struct snap_task *
ui_tree_selected(const struct ui *ui)
{
	if (ui->view.sel >= ui->shown.ntasks)
		return NULL;
	return &ui->shown.tasks[ui->view.sel];
}

/* True when task t's shown name or its comm holds ui->search. */
static bool
matches(const struct ui *ui, const struct snap_task *t)
{
	const char *name = model_task_name(t);
	size_t k, len = strlen(ui->search), nl;

	if (len == 0)
		return false;
	for (nl = strlen(name), k = 0; k + len <= nl; k++)
		if (strncasecmp(name + k, ui->search, len) == 0)
			return true;
	for (nl = strlen(t->s.name), k = 0; k + len <= nl; k++)
		if (strncasecmp(t->s.name + k, ui->search, len) == 0)
			return true;
	return false;
}

bool
ui_tree_search(struct ui *ui, bool next)
{
	size_t n = ui->shown.ntasks, k, start;

	if (n == 0)
		return false;
	start = ui->view.sel + (next ? 1 : 0);
	for (k = 0; k < n; k++) {
		size_t i = (start + k) % n;

		if (matches(ui, &ui->shown.tasks[i])) {
			ui->view.sel = i;
			ui->view.sel_tid = ui->shown.tasks[i].s.tid;
			return true;
		}
	}
	return false;
}

/* Draws bytes [from, to) of a row at the cursor with attr. */
static void
put_bytes(const char *text, size_t from, size_t to, attr_t attr)
{
	if (to <= from)
		return;
	ui_add(text + from, to - from, attr);
}

/* What an empty tree pane says. */
static const char *
ended_text(const struct ui *ui)
{
	if (ui->snap->ntasks > 0)
		return _("No task matches the filter: F4 changes it, Escape in "
		    "its prompt clears it.");
	if (!ui_ended(ui))
		return _("(waiting for the first sample)");
	if (ui->sc != NULL)
		return _("The scenario has ended: r runs it again, Tab the next "
		    "one, q quits.");
	if (driver_restartable(ui->d))
		return _("The command has ended: r runs it again, Tab starts a "
		    "scenario, q quits.");
	return _("The process has ended: q quits.");
}

/* Marks the column the rows are sorted by in the column header, as htop. */
static void
mark_sort_column(struct ui *ui, struct ui_rect r, const char *head)
{
	static const char *const labels[UI_SORT_COUNT] = {
		[UI_SORT_PID] = "PID", [UI_SORT_CPU] = "%CPU",
		[UI_SORT_STATE] = " S ", [UI_SORT_NAME] = N_("NAME"),
	};
	/* Only NAME is a word; the others are the kernel's field names. */
	const char *label = _(labels[ui->vopts.sort]);
	const char *at = strstr(head, label);
	int x;

	if (at == NULL)
		return;
	if (label[0] == ' ') {
		at++;
		label = "S";
	}
	/* The header is ASCII up to the labels: bytes are columns. */
	x = (int)(at - head);
	if (x + cells_width(label) <= r.w)
		ui_put(r.y, r.x + x, cells_width(label), label,
		    ui_attr(ui, UI_C_TITLE), false);
}

void
ui_tree_draw(struct ui *ui, struct ui_rect r)
{
	static struct ui_row row;
	struct ui_view *v = &ui->view;
	char head[UI_FORMAT_ROW_LEN];
	/* What ended stays: a scenario's kept tree, a command's last one. */
	size_t i, n = ui->shown.ntasks;
	int rows = r.h - 1, k;

	if (r.h <= 0 || r.w <= 0)
		return;
	ui_format_tree_header(head, sizeof head, r.w);
	ui_put(r.y, r.x, r.w, head, ui_attr(ui, UI_C_COLUMNS), true);
	mark_sort_column(ui, r, head);
	v->rows = rows > 0 ? rows : 0;
	if (rows <= 0)
		return;
	if (n == 0) {
		ui_put(r.y + 1, r.x + 2, r.w - 2, ended_text(ui),
		    ui_attr(ui, UI_C_DIM) | A_BOLD, false);
		return;
	}
	if (v->sel < v->top)
		v->top = v->sel;
	if (v->sel >= v->top + (size_t)rows)
		v->top = v->sel - (size_t)rows + 1;
	if (v->top + (size_t)rows > n)
		v->top = n > (size_t)rows ? n - (size_t)rows : 0;
	for (k = 0; k < rows && v->top + (size_t)k < n; k++) {
		const struct snap_task *t;
		size_t len;
		attr_t base, name;

		i = v->top + (size_t)k;
		t = &ui->shown.tasks[i];
		ui_format_task(&ui->shown, i, ui->ascii, ui->hz, r.w, &row);
		len = strlen(row.text);
		base = A_NORMAL;
		name = t->is_thread ? ui_attr(ui, UI_C_THREAD) : A_BOLD;
		if (ui_format_paused(t))
			base = name = ui_attr(ui, UI_C_PAUSED);
		/* The last tree of what has ended. */
		if (ui_ended(ui))
			base = name = ui_attr(ui, UI_C_DIM);
		if (i == v->sel)
			base = name = ui_attr(ui, UI_C_SELECTED);
		move(r.y + 1 + k, r.x);
		put_bytes(row.text, 0, row.name_off, base);
		put_bytes(row.text, row.name_off, row.name_off + row.name_len,
		    name);
		put_bytes(row.text, row.name_off + row.name_len, len, base);
	}
}
