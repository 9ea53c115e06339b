/*
 * The scenario picker: what ptmon shows with no scenario on the command
 * line. One line per scenario of the tutorial, what to watch for in the
 * selected one, and Enter (or its number) to start it.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "driver.h"
#include "scenario.h"
#include "ui_format.h"
#include "ui_screen.h"

#define PICKER_LIST_Y	4
#define PICKER_DIGITS	9	/* keys 1..9 start the first nine */

/*
 * Draws a key and its label (a translation: widths in cells) at y, x with
 * a space after the label; returns the x after it.
 */
static int
bar_entry(struct ui *ui, int y, int x, const char *key, const char *label)
{
	int kw = cells_width(key), lw = cells_width(label) + 1;

	ui_put(y, x, kw, key, ui_attr(ui, UI_C_KEY), false);
	ui_put(y, x + kw, lw, label, ui_attr(ui, UI_C_KEYLABEL), true);
	return x + kw + lw;
}

void
ui_picker_draw(struct ui *ui)
{
	int i, n = ui_scenario_count(), y, x;
	const struct scenario *sc;
	const struct param_def *d;
	char line[512], def[64];
	size_t out;

	if (ui->picker_sel < 0 || ui->picker_sel >= n)
		ui->picker_sel = 0;
	snprintf(line, sizeof line, _(" ptmon %s the multitasking tutorial, "
	    "live"), ui->ascii ? "-" : "—");
	ui_put(0, 0, COLS, line, ui_attr(ui, UI_C_TITLE), true);
	ui_put(2, 1, COLS - 1, _("Pick a scenario: Up/Down and Enter, or its "
	    "number; p starts it paused."), A_BOLD, false);
	for (i = 0; i < n && PICKER_LIST_Y + i < LINES - 1; i++) {
		sc = scenarios[i];
		/* A number is a key: only the first nine have one. */
		if (i < PICKER_DIGITS)
			snprintf(line, sizeof line, " %d  %-11s %s", i + 1,
			    sc->name, _(sc->summary));
		else
			snprintf(line, sizeof line, "    %-11s %s", sc->name,
			    _(sc->summary));
		ui_put(PICKER_LIST_Y + i, 1, COLS - 2, line,
		    i == ui->picker_sel ? ui_attr(ui, UI_C_SELECTED) : A_NORMAL,
		    true);
	}
	sc = scenarios[ui->picker_sel];
	y = PICKER_LIST_Y + n + 1;
	x = 2;
	snprintf(line, sizeof line, _("Watch for: %s"), _(sc->watch_for));
	ui_put(y++, x, COLS - x, line, A_BOLD, false);
	snprintf(line, sizeof line, "%s", _("Parameters:"));
	for (d = sc->params; d->name != NULL; d++) {
		out = strlen(line);
		snprintf(line + out, sizeof line - out, " %s=%s", d->name,
		    params_default_shown(d, def, sizeof def));
	}
	if (sc->params->name == NULL) {
		out = strlen(line);
		snprintf(line + out, sizeof line - out, " %s", _("none"));
	}
	ui_put(y++, x, COLS - x, line, A_NORMAL, false);
	snprintf(line, sizeof line, _("From the shell: ptmon %s [NAME=VALUE...]"),
	    sc->name);
	ui_put(y++, x, COLS - x, line, ui_attr(ui, UI_C_DIM), false);
	if (ui->message[0] != '\0')
		ui_put(y + 1, x, COLS - x, ui->message, ui_attr(ui, UI_C_BAD),
		    false);

	y = LINES - 1;
	move(y, 0);
	attrset(ui_attr(ui, UI_C_KEYLABEL));
	hline(' ', COLS);
	attrset(A_NORMAL);
	x = 0;
	x = bar_entry(ui, y, x, "Enter", _("Start"));
	snprintf(line, sizeof line, "1..%d", n < PICKER_DIGITS ? n :
	    PICKER_DIGITS);
	x = bar_entry(ui, y, x, line, _("Start"));
	x = bar_entry(ui, y, x, "p", _("Paused"));
	x = bar_entry(ui, y, x, "F1", _("Help"));
	(void)bar_entry(ui, y, x, "F10", _("Quit"));
}

unsigned
ui_picker_key(struct ui *ui, int key)
{
	int n = ui_scenario_count();

	switch (key) {
	case KEY_UP:
		if (ui->picker_sel > 0)
			ui->picker_sel--;
		return UI_REDRAW;
	case KEY_DOWN:
		if (ui->picker_sel + 1 < n)
			ui->picker_sel++;
		return UI_REDRAW;
	case KEY_HOME:
	case KEY_PPAGE:
		ui->picker_sel = 0;
		return UI_REDRAW;
	case KEY_END:
	case KEY_NPAGE:
		ui->picker_sel = n - 1;
		return UI_REDRAW;
	case '\t':
		ui->picker_sel = (ui->picker_sel + 1) % n;
		return UI_REDRAW;
	case '\r':
	case '\n':
	case KEY_ENTER:
		/* As the command line says: paused only with --paused. */
		driver_set_start_paused(ui->d, ui->cli.paused);
		ui_start_default(ui, ui->picker_sel);
		return UI_REDRAW | UI_RESAMPLE;
	case 'p':
		/* Every task waits at its first statement for Space or s. */
		driver_set_start_paused(ui->d, true);
		ui_start_default(ui, ui->picker_sel);
		return UI_REDRAW | UI_RESAMPLE;
	default:
		return 0;
	}
}

bool
ui_picker_click(struct ui *ui, int y)
{
	int i = y - PICKER_LIST_Y;

	if (i < 0 || i >= ui_scenario_count())
		return false;
	if (i == ui->picker_sel)
		ui_start_default(ui, i);
	else
		ui->picker_sel = i;
	return true;
}
