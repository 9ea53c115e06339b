/*
 * The view's keys, as htop has them: F4 filters the rows by name or
 * command line, F5 shows a tree or a flat list, F6 chooses the sort from a
 * menu, H hides or shows threads. They change only what the tree pane
 * shows (list.c builds it); they never pause, signal or change a task. The
 * selection stays on its task while that task is still shown.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "ui_list.h"
#include "ui_screen.h"

/* A filter takes printable ASCII, as the search does. */
static bool
filter_char(int key, size_t len)
{
	(void)len;
	return key >= 0x20 && key <= 0x7e;
}

unsigned
ui_view_filter_key(struct ui *ui, int key)
{
	(void)key;
	if (!ui_has_run(ui))
		return 0;
	/* The filter stays as it is while it is edited: htop's way. */
	ui->mode = UI_MODE_FILTER;
	return UI_REDRAW;
}

unsigned
ui_view_filter_prompt_key(struct ui *ui, int key)
{
	switch (key) {
	case KEY_ESC:
		ui->vopts.filter[0] = '\0';
		ui->mode = UI_MODE_MAIN;
		ui_tree_refresh(ui);
		ui_message(ui, _("filter cleared: every task is shown"));
		return UI_REDRAW;
	case '\r':
	case '\n':
	case KEY_ENTER:
	case KEY_F(4):
		ui->mode = UI_MODE_MAIN;
		if (ui->vopts.filter[0] == '\0')
			ui_message(ui, _("no filter: every task is shown"));
		else
			ui_message(ui, _("filter \"%s\": %zu of %zu tasks shown; "
			    "F4 then Escape clears it"), ui->vopts.filter,
			    ui->shown.ntasks, ui->snap->ntasks);
		return UI_REDRAW;
	case KEY_MOUSE:
	case KEY_RESIZE:
		return UI_REDRAW;
	default:
		if (!ui_prompt_edit(ui->vopts.filter, sizeof ui->vopts.filter,
		    key, filter_char))
			return 0;
		ui_tree_refresh(ui);
		return UI_REDRAW;
	}
}

void
ui_view_filter_text(const struct ui *ui, char *buf, size_t len)
{
	snprintf(buf, len, _(" Filter: %s_   %zu of %zu shown  (Enter keeps, "
	    "Escape clears)"), ui->vopts.filter, ui->shown.ntasks,
	    ui->snap->ntasks);
}

unsigned
ui_view_tree_key(struct ui *ui, int key)
{
	(void)key;
	if (!ui_has_run(ui))
		return 0;
	ui->vopts.flat = !ui->vopts.flat;
	ui_tree_refresh(ui);
	if (ui->vopts.flat)
		ui_message(ui, _("flat list sorted by %s: F5 shows the tree"),
		    _(ui_list_sort_name(ui->vopts.sort)));
	else
		ui_message(ui, _("tree, siblings sorted by %s: F5 shows a flat "
		    "list"), _(ui_list_sort_name(ui->vopts.sort)));
	return UI_REDRAW;
}

unsigned
ui_view_threads_key(struct ui *ui, int key)
{
	(void)key;
	if (!ui_has_run(ui))
		return 0;
	ui->vopts.hide_threads = !ui->vopts.hide_threads;
	ui_tree_refresh(ui);
	ui_message(ui, ui->vopts.hide_threads ? _("threads hidden: H shows "
	    "them") : _("threads shown: H hides them"));
	return UI_REDRAW;
}

unsigned
ui_view_sort_key(struct ui *ui, int key)
{
	(void)key;
	if (!ui_has_run(ui))
		return 0;
	ui->vopts.menu_sel = (int)ui->vopts.sort;
	ui->mode = UI_MODE_SORT;
	return UI_REDRAW;
}

/* Sorts by the menu's row and closes the menu. */
static unsigned
sort_by(struct ui *ui, int sel)
{
	ui->mode = UI_MODE_MAIN;
	ui->vopts.sort = (enum ui_sort)sel;
	ui_tree_refresh(ui);
	ui_message(ui, _("%s sorted by %s"), ui->vopts.flat ? _("list") :
	    _("siblings"), _(ui_list_sort_name(ui->vopts.sort)));
	return UI_REDRAW;
}

unsigned
ui_view_sort_menu_key(struct ui *ui, int key)
{
	int k;

	switch (key) {
	case KEY_UP:
		if (ui->vopts.menu_sel > 0)
			ui->vopts.menu_sel--;
		return UI_REDRAW;
	case KEY_DOWN:
		if (ui->vopts.menu_sel + 1 < UI_SORT_COUNT)
			ui->vopts.menu_sel++;
		return UI_REDRAW;
	case '\r':
	case '\n':
	case KEY_ENTER:
		return sort_by(ui, ui->vopts.menu_sel);
	case KEY_ESC:
	case 'q':
	case KEY_F(6):
	case KEY_F(10):
		ui->mode = UI_MODE_MAIN;
		return UI_REDRAW;
	case KEY_MOUSE:
	case KEY_RESIZE:
		return UI_REDRAW;
	default:
		/* The first letter of a sort picks it: p, c, s, n. */
		for (k = 0; k < UI_SORT_COUNT; k++)
			if (key < 0x80 && key > 0 &&
			    (key | 0x20) == (ui_list_sort_name(
			    (enum ui_sort)k)[0] | 0x20))
				return sort_by(ui, k);
		return 0;
	}
}

void
ui_view_sort_draw(struct ui *ui)
{
	struct ui_rect r;
	char line[64];
	int k;

	r = ui_dialog_box(ui, UI_SORT_COUNT + 4, 36, _(" Sort by"));
	for (k = 0; k < UI_SORT_COUNT && k < r.h; k++) {
		const char *en = ui_list_sort_name((enum ui_sort)k);
		const char *name = _(en);

		/* A translated name says which letter picks it. */
		if (strcmp(name, en) != 0)
			snprintf(line, sizeof line, "%s %s (%c)", k ==
			    (int)ui->vopts.sort ? "*" : " ", name, en[0]);
		else
			snprintf(line, sizeof line, "%s %s", k ==
			    (int)ui->vopts.sort ? "*" : " ", en);
		ui_put(r.y + k, r.x, r.w, line, k == ui->vopts.menu_sel ?
		    ui_attr(ui, UI_C_SELECTED) : ui_attr(ui, UI_C_DIALOG),
		    true);
	}
	if (UI_SORT_COUNT + 1 < r.h)
		ui_put(r.y + UI_SORT_COUNT + 1, r.x, r.w, _("Enter sorts, Escape "
		    "cancels"), ui_attr(ui, UI_C_DIALOG), false);
}
