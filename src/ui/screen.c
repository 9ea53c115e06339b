/*
 * The screen: colours, the one text-drawing helper, the layout of the
 * panes, the header and the footer. Everything here reads the UI's state
 * and the driver's snapshot and draws; nothing changes state.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "scenario.h"
#include "ui_format.h"
#include "ui_screen.h"

/* Below this the screen only says it is too small. */
#define UI_MIN_COLS	40
#define UI_MIN_ROWS	12
#define UI_SIDE_COLS	44
/* The tree's fewest rows (header and three), its spare, the log's fewest. */
#define UI_TREE_MIN	4
#define UI_TREE_SPARE	1
#define UI_LOG_MIN	5

attr_t
ui_attr(const struct ui *ui, enum ui_color c)
{
	static const attr_t mono[UI_C_COUNT] = {
		[UI_C_TITLE] = A_BOLD | A_REVERSE,
		[UI_C_COLUMNS] = A_REVERSE,
		[UI_C_SELECTED] = A_REVERSE,
		[UI_C_PAUSED] = A_BOLD,
		[UI_C_KEY] = A_BOLD,
		[UI_C_KEYLABEL] = A_REVERSE,
		[UI_C_BAD] = A_BOLD | A_UNDERLINE,
		[UI_C_DIM] = A_DIM,
		[UI_C_DIALOG] = A_REVERSE,
		[UI_C_TL_RUN] = A_BOLD,
		[UI_C_TL_WAIT] = A_UNDERLINE,
		[UI_C_TL_PAUSE] = A_BOLD | A_UNDERLINE,
	};
	static const attr_t extra[UI_C_COUNT] = {
		[UI_C_TITLE] = A_BOLD,
		[UI_C_PAUSED] = A_BOLD,
		[UI_C_BAD] = A_BOLD,
		[UI_C_KEY] = A_BOLD,
	};

	if (c == UI_C_NORMAL)
		return A_NORMAL;
	if (!ui->color)
		return mono[c];
	return COLOR_PAIR(c) | extra[c];
}

void
ui_init_colors(struct ui *ui)
{
	const char *nc = getenv("NO_COLOR");

	ui->color = (nc == NULL || nc[0] == '\0') && has_colors();
	if (!ui->color)
		return;
	start_color();
	use_default_colors();
	init_pair(UI_C_TITLE, COLOR_BLACK, COLOR_CYAN);
	init_pair(UI_C_COLUMNS, COLOR_BLACK, COLOR_GREEN);
	init_pair(UI_C_SELECTED, COLOR_BLACK, COLOR_CYAN);
	init_pair(UI_C_PAUSED, COLOR_YELLOW, -1);
	init_pair(UI_C_THREAD, COLOR_GREEN, -1);
	init_pair(UI_C_KEY, COLOR_WHITE, -1);
	init_pair(UI_C_KEYLABEL, COLOR_BLACK, COLOR_CYAN);
	init_pair(UI_C_BAD, COLOR_RED, -1);
	init_pair(UI_C_GOOD, COLOR_GREEN, -1);
	init_pair(UI_C_DIM, COLOR_BLUE, -1);
	init_pair(UI_C_DIALOG, COLOR_BLACK, COLOR_WHITE);
	init_pair(UI_C_TL_RUN, COLOR_BLACK, COLOR_GREEN);
	init_pair(UI_C_TL_READY, COLOR_BLACK, COLOR_YELLOW);
	init_pair(UI_C_TL_WAIT, COLOR_WHITE, COLOR_RED);
	init_pair(UI_C_TL_PAUSE, COLOR_BLACK, COLOR_CYAN);
}

void
ui_put(int y, int x, int w, const char *text, attr_t attr, bool pad)
{
	char buf[UI_FORMAT_ROW_LEN];

	if (w <= 0 || y < 0 || y >= LINES || x < 0 || x >= COLS)
		return;
	if (w > COLS - x)
		w = COLS - x;
	cells_fit(buf, sizeof buf, text, w, pad);
	move(y, x);
	ui_add(buf, strlen(buf), attr);
}

void
ui_add(const char *text, size_t n, attr_t attr)
{
	chtype line[UI_FORMAT_ROW_LEN];
	size_t i;
	int y, x;

	for (i = 0; i < n && i < sizeof line / sizeof line[0]; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c < 0x20 || c >= 0x7f)
			break;
		line[i] = c | attr;
	}
	if (i < n) {
		/* UTF-8 (tree guides, names, translations): curses decodes. */
		attrset(attr);
		addnstr(text, (int)n);
		attrset(A_NORMAL);
		return;
	}
	/*
	 * Printable ASCII, most of a frame, goes in as cells: addnstr would
	 * decode and place each byte, a fifth of a small tree's refresh.
	 * addchnstr leaves the cursor where it was: move it past the text.
	 */
	getyx(stdscr, y, x);
	addchnstr(line, (int)n);
	if (x + (int)n < COLS)
		move(y, x + (int)n);
	else
		move(y, COLS - 1);
}

bool
ui_too_small(void)
{
	return COLS < UI_MIN_COLS || LINES < UI_MIN_ROWS;
}

/* What the header says the run is doing. */
static void
run_state(const struct ui *ui, char *buf, size_t len)
{
	const struct snapshot *snap = ui->snap;
	size_t i, paused = 0, pausable = 0;
	const char *word = ui->sc != NULL ? _("paused") : _("stopped");
	int st;

	if (ui_ended(ui)) {
		st = driver_status(ui->d);
		if (driver_end_signal(ui->d) != 0 && st >= 0)
			snprintf(buf, len, _("KILLED (SIG%s)"),
			    sigabbrev_np(driver_end_signal(ui->d)) != NULL ?
			    sigabbrev_np(driver_end_signal(ui->d)) : "?");
		else if (ui->sc != NULL)
			snprintf(buf, len, _("FINISHED (status %d)"), st);
		else if (!driver_restartable(ui->d) || st < 0)
			snprintf(buf, len, "%s", _("ENDED"));
		else
			snprintf(buf, len, _("EXITED (status %d)"), st);
		return;
	}
	/* Gated tasks pause one by one; other processes stop whole. */
	for (i = 0; i < snap->ntasks; i++) {
		const struct snap_task *t = &snap->tasks[i];

		if (t->gate == SNAP_GATE_NONE && (t->is_thread ||
		    ui->sc != NULL))
			continue;
		pausable++;
		if (ui_format_paused(t))
			paused++;
	}
	if (driver_all_paused(ui->d))
		snprintf(buf, len, "%s", ui->sc != NULL ? _("PAUSED") :
		    _("STOPPED"));
	else if (paused > 0)
		snprintf(buf, len, _("RUNNING, %zu of %zu %s"), paused, pausable,
		    word);
	else
		snprintf(buf, len, "%s", _("RUNNING"));
}

/* Draws the header: title, what to watch for, meters and task counts. */
static void
draw_header(struct ui *ui)
{
	char left[768], right[160], state[64], speed[64], how[384];
	const char *title = driver_title(ui->d);
	bool ended = ui_ended(ui);
	int rw;

	run_state(ui, state, sizeof state);
	speed[0] = '\0';
	/* The tempo: the pace of statements, the speed of sleeps. */
	if (ui->sc != NULL && driver_pace(ui->d) > 0 &&
	    driver_speed(ui->d) == 1)
		snprintf(speed, sizeof speed, _("pace %gs  "),
		    driver_pace(ui->d));
	else if (ui->sc != NULL && driver_pace(ui->d) > 0)
		snprintf(speed, sizeof speed, _("pace %gs speed %gx  "),
		    driver_pace(ui->d), driver_speed(ui->d));
	else if (ui->sc != NULL)
		snprintf(speed, sizeof speed, _("speed %gx  "),
		    driver_speed(ui->d));
	/* The clock in 5 cells: the title does not move when it passes 10 s. */
	snprintf(right, sizeof right, _(" %s%s  refresh %.1fs  %5.1fs "), speed,
	    state, ui->cli.delay / 10.0,
	    ended || ui->snap->t == 0 ? driver_elapsed(ui->d) : ui->snap->t);
	rw = cells_width(right);
	if (ui->sc != NULL)
		snprintf(left, sizeof left, " ptmon  %s: %s", title,
		    _(ui->sc->summary));
	else if (!driver_restartable(ui->d) && ui->snap->ntasks > 0)
		snprintf(left, sizeof left, " ptmon  %s (%s)", title,
		    ui->snap->tasks[0].s.name);
	else
		snprintf(left, sizeof left, " ptmon  %s", title);
	ui_put(0, 0, COLS, left, ui_attr(ui, UI_C_TITLE), true);
	if (rw < COLS - 20)
		ui_put(0, COLS - rw, rw, right, ui_attr(ui, UI_C_TITLE), true);
	if (ui->sc != NULL && driver_stepper(ui->d) != NULL) {
		ui_replay_text(ui, how, sizeof how);
		snprintf(left, sizeof left, _(" %s   Watch for: %s"), how,
		    _(ui->sc->watch_for));
	} else if (ui->sc != NULL)
		snprintf(left, sizeof left, _(" Watch for: %s"),
		    _(ui->sc->watch_for));
	else if (ended) {
		ui_end_text(ui, how, sizeof how);
		snprintf(left, sizeof left, " %s %s: %s",
		    ui_noun_cap(ui), how, driver_restartable(ui->d) ?
		    _("r runs it again, q quits") : _("q quits"));
	} else
		snprintf(left, sizeof left, _(" Watching %s %d and its "
		    "descendants: Space stops one, P all, s steps, k signals"),
		    driver_restartable(ui->d) ? _("command") : "pid",
		    (int)driver_root(ui->d));
	ui_put(1, 0, COLS, left, ended && ui->sc == NULL ?
	    ui_attr(ui, UI_C_BAD) | A_BOLD : A_BOLD, true);
	ui_meters_draw(ui, 2, ui->header_h - 2);
}

/*
 * The rows the tree pane wants: its header, a row per task and one to
 * spare. The most this run has wanted, so that the panes do not jump
 * each time a task comes or goes (a new root starts afresh).
 */
static int
tree_rows_wanted(struct ui *ui)
{
	int want = 1 + (int)ui->snap->ntasks + UI_TREE_SPARE;

	if (ui->snap->root != ui->tree_want_root) {
		ui->tree_want_root = ui->snap->root;
		ui->tree_want = 0;
	}
	if (want > ui->tree_want)
		ui->tree_want = want;
	return ui->tree_want;
}

/*
 * The rows of the Output pane when it and the tree share `rows`: the tree
 * takes what it wants, and the Output pane the rest, a quarter of the
 * body at least (5 rows); the tree never gets fewer than its header and
 * three rows while the Output pane has its fewest.
 */
static int
log_rows(struct ui *ui, int rows, int body)
{
	int least = body / 4, tree;

	if (least < UI_LOG_MIN)
		least = UI_LOG_MIN;
	if (rows < UI_TREE_MIN + UI_LOG_MIN)
		return rows / 2;
	if (least > rows - UI_TREE_MIN)
		least = rows - UI_TREE_MIN;
	tree = tree_rows_wanted(ui);
	if (tree < UI_TREE_MIN)
		tree = UI_TREE_MIN;
	if (tree > rows - least)
		tree = rows - least;
	return rows - tree;
}

/*
 * The panes beside the tree: the scenario's, or for a command (a traced
 * Python program) the queue pane once the program has made a queue.
 */
static unsigned
side_panes(const struct ui *ui)
{
	if (ui->sc != NULL)
		return ui->sc->panes;
	return ui->snap != NULL && ui->snap->queues[0].present ?
	    MODEL_QUEUE : 0;
}

/* How many queues the queue pane shows. */
static int
side_nqueues(const struct ui *ui)
{
	int n = 0;

	if (ui->sc != NULL)
		return scenario_nqueues(ui->sc);
	while (ui->snap != NULL && n < CTL_QUEUES && ui->snap->queues[n].present)
		n++;
	return n;
}

/*
 * Splits the screen below the header into tree, side and log panes; with
 * a balance, the lab goes full width between the tree and the log. The
 * tree and the Output pane share the rows below the header and its CPU
 * meters by what they hold (log_rows).
 */
static void
layout(struct ui *ui)
{
	int hh = 2 + ui_meters_height(ui), body, band, side_h, lab_h = 0;
	unsigned panes = side_panes(ui);
	bool side;

	if (hh > LINES / 3)
		hh = 2;
	ui->header_h = hh;
	body = LINES - hh - 1;
	ui->lab = (struct ui_rect){ 0, 0, 0, 0 };
	if (ui_lab_shown(ui)) {
		panes &= ~(unsigned)MODEL_BALANCE;
		/* The tree and the Output pane keep their fewest rows. */
		lab_h = ui_lab_height(ui);
		if (lab_h > body - UI_TREE_MIN - UI_LOG_MIN)
			lab_h = body - UI_TREE_MIN - UI_LOG_MIN;
		if (lab_h < 0)
			lab_h = 0;
	}
	side = (panes & MODEL_QUEUE) != 0;
	side_h = 0;
	if (side && COLS < 2 * UI_SIDE_COLS) {
		/* Narrow: the side panes get their own band. */
		side_h = side_nqueues(ui) <= 1 ? 4 :
		    3 * side_nqueues(ui) + 1;
		if (side_h > (body - lab_h) / 3)
			side_h = (body - lab_h) / 3;
	}
	band = log_rows(ui, body - lab_h - side_h, LINES - 3);
	body -= lab_h;
	ui->tree = (struct ui_rect){ hh, 0, body - band - side_h, COLS };
	if (lab_h > 0)
		ui->lab = (struct ui_rect){ hh + body - band, 0, lab_h, COLS };
	ui->logr = (struct ui_rect){ hh + body - band + lab_h, 0, band, COLS };
	if (!side)
		ui->side = (struct ui_rect){ 0, 0, 0, 0 };
	else if (side_h > 0)
		ui->side = (struct ui_rect){ hh + body - band - side_h, 0,
		    side_h, COLS };
	else {
		ui->logr.w = COLS - UI_SIDE_COLS;
		ui->side = (struct ui_rect){ ui->logr.y, ui->logr.w,
		    band, UI_SIDE_COLS };
	}
	ui_timeline_split(ui);
}

/* Draws the side panes the scenario or command has, stacked in r. */
static void
draw_side(struct ui *ui, struct ui_rect r)
{
	if (r.h <= 0 || r.w <= 0)
		return;
	if (side_panes(ui) & MODEL_QUEUE)
		ui_panes_draw_queue(ui, r);
}

/* Draws the footer: a prompt, a message, or the key bar. */
static void
draw_footer(struct ui *ui)
{
	char line[160];

	if (ui->mode == UI_MODE_SEARCH) {
		snprintf(line, sizeof line, _(" Search: %s_%s"), ui->search,
		    ui->search_failed ? _("   (no match)") : "");
		ui_put(LINES - 1, 0, COLS, line, ui_attr(ui,
		    ui->search_failed ? UI_C_BAD : UI_C_KEYLABEL), true);
		return;
	}
	if (ui->mode == UI_MODE_FILTER) {
		ui_view_filter_text(ui, line, sizeof line);
		ui_put(LINES - 1, 0, COLS, line, ui_attr(ui, UI_C_KEYLABEL),
		    true);
		return;
	}
	if (ui->mode == UI_MODE_TARGET) {
		ui_lab_prompt_text(ui, line, sizeof line);
		ui_put(LINES - 1, 0, COLS, line, ui_attr(ui, UI_C_KEYLABEL),
		    true);
		return;
	}
	ui_keys_draw_bar(ui, LINES - 1);
}

void
ui_draw(struct ui *ui)
{
	erase();
	if (ui_too_small()) {
		char line[64];

		snprintf(line, sizeof line, _("terminal too small (%dx%d)"),
		    COLS, LINES);
		ui_put(0, 0, COLS, line, A_BOLD, false);
		if (LINES > 1)
			ui_put(1, 0, COLS, _("enlarge it, or q to quit"),
			    A_NORMAL, false);
		return;
	}
	if (!ui_has_run(ui)) {
		ui_picker_draw(ui);
	} else {
		layout(ui);
		draw_header(ui);
		ui_tree_draw(ui, ui->tree);
		ui_timeline_draw(ui, ui->strips);
		draw_side(ui, ui->side);
		ui_lab_draw(ui, ui->lab);
		ui_panes_draw_log(ui, ui->logr);
		draw_footer(ui);
	}
	if (ui->mode == UI_MODE_HELP)
		ui_help_draw(ui);
	else if (ui->mode == UI_MODE_SIGNAL)
		ui_signal_draw(ui);
	else if (ui->mode == UI_MODE_SORT)
		ui_view_sort_draw(ui);
}
