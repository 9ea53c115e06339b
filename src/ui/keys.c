/*
 * The one key table: each key with its action and the help text that the
 * help screen and the key bar are built from, where it ranks on the key
 * bar, and what htop does with it when that differs (help lists those). Actions change the UI's state
 * or send commands to the watched tasks through the driver's verbs (the
 * session decides how: gates for scenario tasks, SIGSTOP/SIGCONT for
 * other processes; the driver resamples at once) and return a
 * reaction mask (UI_REDRAW, UI_QUIT…); they never draw.
 */
#include "config.h"

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "i18n.h"
#include "scenario.h"
#include "ui_format.h"
#include "ui_screen.h"

/*
 * The tempos + and - step through, slowest first: a beat per statement
 * that gets shorter down to none (full speed), then sleeps that get
 * shorter (--speed).
 */
static const struct tempo {
	double	 pace;		/* seconds per statement */
	double	 speed;		/* sleeps divided by */
} tempos[] = {
	{ 2, 1 }, { 1, 1 }, { 0.5, 1 }, { 0.25, 1 }, { 0.1, 1 },
	{ 0, 1 }, { 0, 2 }, { 0, 5 }, { 0, 10 }, { 0, 100 }, { 0, 1000 },
};
#define NTEMPOS	(sizeof tempos / sizeof tempos[0])

/* True when tempo a runs faster than b. */
static bool
tempo_faster(const struct tempo *a, const struct tempo *b)
{
	if (a->pace < b->pace - 1e-6)
		return true;
	if (a->pace > b->pace + 1e-6)
		return false;
	return a->speed > b->speed * 1.001;
}

/* True when a run goes on; else sets a message if one has ended. */
static bool
running(struct ui *ui)
{
	if (!ui_has_run(ui))
		return false;
	if (ui_ended(ui)) {
		ui_message(ui, _("%s has ended%s"), ui_noun(ui),
		    driver_restartable(ui->d) ? _(": r runs it again") : "");
		return false;
	}
	return true;
}

/* The selected task; else sets a message and returns NULL. */
static const struct snap_task *
selection(struct ui *ui)
{
	const struct snap_task *t;

	if (!running(ui))
		return NULL;
	t = ui_tree_selected(ui);
	if (t == NULL)
		ui_message(ui, _("no task selected"));
	return t;
}

/* Says why a command to task t failed. */
static void
failed(struct ui *ui, const char *what, const struct snap_task *t,
    const char *why)
{
	ui_message(ui, _("cannot %s %s (%d): %s"), what, model_task_name(t),
	    (int)t->s.tid, why != NULL ? why : strerror(errno));
}

static unsigned
act_up(struct ui *ui, int key)
{
	(void)key;
	ui_tree_move(ui, -1);
	return UI_REDRAW;
}

static unsigned
act_down(struct ui *ui, int key)
{
	(void)key;
	ui_tree_move(ui, 1);
	return UI_REDRAW;
}

static unsigned
act_page(struct ui *ui, int key)
{
	long page = ui->view.rows > 1 ? ui->view.rows - 1 : 1;

	ui_tree_move(ui, key == KEY_PPAGE ? -page : page);
	return UI_REDRAW;
}

static unsigned
act_home_end(struct ui *ui, int key)
{
	ui_tree_move(ui, key == KEY_HOME ? -(long)ui->shown.ntasks :
	    (long)ui->shown.ntasks);
	return UI_REDRAW;
}

static unsigned
act_search(struct ui *ui, int key)
{
	(void)key;
	if (!ui_has_run(ui))
		return 0;
	ui->mode = UI_MODE_SEARCH;
	ui->search[0] = '\0';
	ui->search_failed = false;
	return UI_REDRAW;
}

static unsigned
act_pause(struct ui *ui, int key)
{
	const struct snap_task *sel = selection(ui);
	const char *why = NULL;
	struct snap_task t;
	bool paused;

	(void)key;
	if (sel == NULL)
		return UI_REDRAW;
	/* A copy: the verb resamples, which replaces what sel points to. */
	t = *sel;
	paused = ui_format_paused(&t);
	if ((paused ? driver_resume(ui->d, &t, &why) :
	    driver_pause(ui->d, &t, &why)) < 0) {
		failed(ui, paused ? _("resume") : _("pause"), &t, why);
		return UI_REDRAW;
	}
	if (t.gate != SNAP_GATE_NONE)
		ui_message(ui, paused ? _("resumed %s (%d)") :
		    _("paused %s (%d) at its next checkpoint"),
		    model_task_name(&t), (int)t.s.tid);
	else
		ui_message(ui, paused ? _("resumed %s (%d) with SIGCONT") :
		    _("stopped %s (%d) with SIGSTOP"), model_task_name(&t),
		    (int)t.s.tid);
	return UI_REDRAW;
}

/*
 * What P says, by [a scenario's tasks][pause][done]: in the frame of the
 * key, then once the signals have gone out (ui_paused).
 */
static const char *const pause_all_words[2][2][2] = {
	{ { N_("resuming every process (SIGCONT)..."),
	    N_("resumed every process (SIGCONT)") },
	  { N_("stopping every process (SIGSTOP)..."),
	    N_("stopped every process (SIGSTOP)") } },
	{ { N_("resuming every task..."), N_("resumed every task") },
	  { N_("pausing every task..."), N_("paused every task") } },
};

static unsigned
act_pause_all(struct ui *ui, int key)
{
	const char *why = NULL;
	bool pause;

	(void)key;
	if (!running(ui))
		return UI_REDRAW;
	pause = !driver_all_paused(ui->d);
	if (driver_pause_all(ui->d, pause, &why) < 0)
		ui_message(ui, "%s", why);
	else
		ui_message(ui, "%s",
		    _(pause_all_words[ui->sc != NULL][pause][0]));
	return UI_REDRAW;
}

void
ui_paused(struct ui *ui, bool pause, size_t bad, const char *why)
{
	const char *noun = ui->sc != NULL ? _("task") : _("process");

	if (bad > 0)
		ui_message(ui, _("%s every %s but %zu: %s"), pause ?
		    _("stopped") : _("resumed"), noun, bad, why != NULL ? why :
		    _("refused"));
	else
		ui_message(ui, "%s",
		    _(pause_all_words[ui->sc != NULL][pause][1]));
}

static unsigned
act_step(struct ui *ui, int key)
{
	const struct snap_task *sel = selection(ui);
	const char *why = NULL;
	struct snap_task t;

	(void)key;
	if (sel == NULL)
		return UI_REDRAW;
	/* A copy: the verb resamples, which replaces what sel points to. */
	t = *sel;
	if (driver_step(ui->d, &t, &why) < 0) {
		failed(ui, _("step"), &t, why);
		return UI_REDRAW;
	}
	if (driver_steps_by_time(ui->d, &t))
		ui_message(ui, _("%s (%d) runs for %.1f s, then stops"),
		    model_task_name(&t), (int)t.s.tid, ui->cli.delay / 10.0);
	else if (t.gate == SNAP_GATE_RUNNING)
		ui_message(ui, _("%s (%d) stops at its next checkpoint"),
		    model_task_name(&t), (int)t.s.tid);
	else
		ui_message(ui, _("%s (%d) steps to its next checkpoint"),
		    model_task_name(&t), (int)t.s.tid);
	return UI_REDRAW;
}

static unsigned
act_step_all(struct ui *ui, int key)
{
	size_t n;

	(void)key;
	if (!running(ui))
		return UI_REDRAW;
	n = driver_step_all(ui->d);
	ui_message(ui, ngettext("%zu paused task steps once",
	    "%zu paused tasks step once", n), n);
	return UI_REDRAW;
}

static unsigned
act_restart(struct ui *ui, int key)
{
	(void)key;
	if (!ui_has_run(ui))
		return 0;
	ui_restart(ui);
	return UI_REDRAW;
}

static unsigned
act_speed(struct ui *ui, int key)
{
	struct tempo cur = { driver_pace(ui->d), driver_speed(ui->d) };
	const struct tempo *next = NULL;
	size_t i;

	if (key == '+' || key == '=') {
		for (i = 0; i < NTEMPOS && next == NULL; i++)
			if (tempo_faster(&tempos[i], &cur))
				next = &tempos[i];
	} else {
		for (i = NTEMPOS; i-- > 0 && next == NULL;)
			if (tempo_faster(&cur, &tempos[i]))
				next = &tempos[i];
	}
	if (next == NULL) {
		ui_message(ui, "%s", key == '-' ? _("already the slowest pace") :
		    _("already the fastest"));
		return UI_REDRAW;
	}
	if (driver_set_pace(ui->d, next->pace) < 0 ||
	    driver_set_speed(ui->d, next->speed) < 0) {
		ui_message(ui, _("+ and - set a scenario's pace; %s runs at "
		    "its own"), ui_noun(ui));
		return UI_REDRAW;
	}
	if (next->pace > 0)
		ui_message(ui, _("pace %gs: each statement shows that long"),
		    next->pace);
	else if (next->speed > 1)
		ui_message(ui, _("full speed, sleeps %gx shorter"), next->speed);
	else
		ui_message(ui, _("full speed: no pause between statements"));
	return UI_REDRAW;
}

/*
 * True (and says why) when a key that starts a scenario would end the
 * user's own command or attached process, which is still running: such a
 * key does nothing there, it does not kill what the user asked to watch.
 */
static bool
would_end_watched(struct ui *ui, int key)
{
	if (ui->sc != NULL || !ui_has_run(ui) || ui_ended(ui))
		return false;
	ui_message(ui, _("%s would end %s you watch: quit with q first, "
	    "or end it with k"), key == KEY_TAB ? "Tab" : key == '0' ? "0" :
	    "a digit", ui_noun(ui));
	return true;
}

static unsigned
act_next_scenario(struct ui *ui, int key)
{
	int i = ui->sc != NULL ? ui_scenario_index(ui->sc) : ui->picker_sel;

	if (would_end_watched(ui, key))
		return UI_REDRAW;
	/* From a command or process: the first scenario. */
	if (ui->sc == NULL && ui_has_run(ui))
		i = -1;
	ui_start_default(ui, (i + 1) % ui_scenario_count());
	return UI_REDRAW;
}

static unsigned
act_digit(struct ui *ui, int key)
{
	if (would_end_watched(ui, key))
		return UI_REDRAW;
	if (key == '0') {
		ui_stop(ui);
		return UI_REDRAW;
	}
	if (key - '1' >= ui_scenario_count())
		return 0;
	ui_start_default(ui, key - '1');
	return UI_REDRAW;
}

static unsigned
act_signal(struct ui *ui, int key)
{
	(void)key;
	if (selection(ui) == NULL)
		return UI_REDRAW;
	ui->signal_tid = ui_tree_selected(ui)->s.tid;
	ui->signal_sel = 0;
	ui->mode = UI_MODE_SIGNAL;
	return UI_REDRAW;
}

static unsigned
act_help(struct ui *ui, int key)
{
	(void)key;
	ui->help_top = 0;
	ui->mode = UI_MODE_HELP;
	return UI_REDRAW;
}

static unsigned
act_log(struct ui *ui, int key)
{
	long page = ui->logr.h > 2 ? ui->logr.h - 2 : 1;

	ui_log_scroll(&ui->log, key == '[' ? page : -page);
	return UI_REDRAW;
}

/*
 * A click on the key bar does what the entry's key does. While a message
 * covers the bar, the click only takes the message away.
 */
static unsigned
bar_click(struct ui *ui, int x)
{
	int key;

	if (ui->message[0] != '\0') {
		ui->message[0] = '\0';
		return UI_REDRAW;
	}
	key = ui_keys_bar_key_at(ui, x);
	if (key == 0)
		return UI_REDRAW;
	return ui_keys_dispatch(ui, key) | UI_REDRAW;
}

static unsigned
act_mouse(struct ui *ui, int key)
{
	MEVENT ev;

	(void)key;
	if (getmouse(&ev) != OK)
		return 0;
	if (ev.bstate & BUTTON4_PRESSED) {
		if (ev.y >= ui->logr.y && ui_has_run(ui))
			ui_log_scroll(&ui->log, 3);
		else
			ui_tree_move(ui, -3);
	} else if (ev.bstate & BUTTON5_PRESSED) {
		if (ev.y >= ui->logr.y && ui_has_run(ui))
			ui_log_scroll(&ui->log, -3);
		else
			ui_tree_move(ui, 3);
	} else if (ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) {
		if (ui_has_run(ui) && ev.y == LINES - 1 &&
		    ui->mode == UI_MODE_MAIN)
			return bar_click(ui, ev.x);
		if (!ui_has_run(ui))
			ui_picker_click(ui, ev.y);
		else
			ui_tree_click(ui, ev.y);
	}
	return UI_REDRAW;
}

static unsigned
act_redraw(struct ui *ui, int key)
{
	(void)ui;
	(void)key;
	return UI_REDRAW | UI_CLEAR;
}

static unsigned
act_quit(struct ui *ui, int key)
{
	(void)ui;
	(void)key;
	return UI_QUIT;
}

/*
 * Bar ranks: 1 is never dropped (F1, F10); when the bar is too narrow the
 * highest rank goes first, the rightmost of equals first.
 */
/* htop keys ptmon has no use for: what htop does, and what to use here. */
static const struct {
	int		 key;
	const char	*why;
} htop_only[] = {
	{ KEY_F(2), N_("htop's F2 is setup: ptmon has none, its options are on "
	  "the command line (ptmon --help)") },
	{ KEY_F(7), N_("htop's F7/F8 change priority (nice): ptmon does not; "
	  "Space pauses a task, s steps it") },
	{ KEY_F(8), N_("htop's F7/F8 change priority (nice): ptmon does not; "
	  "Space pauses a task, s steps it") },
	{ 'M', N_("htop's M sorts by memory: F6 sorts here (PID, CPU, state, "
	  "name)") },
	{ 'T', N_("htop's T sorts by time: F6 sorts here (PID, CPU, state, "
	  "name)") },
	{ 'I', N_("htop's I inverts the sort: F6 picks the sort here") },
	{ 'u', N_("htop's u shows one user's processes: ptmon shows one tree; "
	  "F4 filters it") },
	{ 'K', N_("htop's K hides kernel threads: ptmon shows only the tree it "
	  "watches, none of them") },
	{ 'e', N_("htop's e shows a process's environment: ptmon does not") },
	{ 'l', N_("htop's l lists open files (lsof): ptmon does not") },
	{ 'a', N_("htop's a sets CPU affinity: ptmon does not") },
};

/* A key htop users try that ptmon does not have: says so, and what to use. */
static unsigned
act_htop_only(struct ui *ui, int key)
{
	size_t i;

	for (i = 0; i < sizeof htop_only / sizeof htop_only[0]; i++)
		if (htop_only[i].key == key) {
			ui_message(ui, "%s", _(htop_only[i].why));
			break;
		}
	return UI_REDRAW;
}

static const struct ui_key keys[] = {
	{ KEY_UP, "Up", NULL, act_up, N_("select the task above"), 0, NULL },
	{ KEY_DOWN, "Down", NULL, act_down, N_("select the task below"), 0,
	  NULL },
	{ KEY_PPAGE, "PgUp", NULL, act_page, N_("select a page up"), 0, NULL },
	{ KEY_NPAGE, "PgDn", NULL, act_page, N_("select a page down"), 0, NULL },
	{ KEY_HOME, "Home", NULL, act_home_end, N_("select the first task"), 0,
	  NULL },
	{ KEY_END, "End", NULL, act_home_end, N_("select the last task"), 0,
	  NULL },
	{ KEY_MOUSE, "click", NULL, act_mouse,
	  N_("select the row clicked, or do what the key bar entry clicked "
	  "does; the wheel scrolls"), 0, NULL },
	{ KEY_F(1), "F1", N_("Help"), act_help, N_("this help"), 1, NULL },
	{ '?', "?", NULL, act_help, N_("this help"), 0, NULL },
	{ 'h', "h", NULL, act_help, N_("this help"), 0, NULL },
	{ KEY_F(3), "F3", N_("Search"), act_search,
	  N_("search a task by name; F3 or Down: the next, Enter selects it"), 4,
	  NULL },
	{ '/', "/", NULL, act_search,
	  N_("search a task by name; F3 or Down: the next, Enter selects it"), 0,
	  NULL },
	{ KEY_F(4), "F4", N_("Filter"), ui_view_filter_key,
	  N_("show only tasks whose name or command line holds a text (and "
	  "their parents); Escape in the prompt clears it"), 4, NULL },
	{ '\\', "\\", NULL, ui_view_filter_key,
	  N_("show only tasks whose name or command line holds a text (and "
	  "their parents); Escape in the prompt clears it"), 0, NULL },
	{ KEY_F(5), "F5", N_("Tree"), ui_view_tree_key,
	  N_("a tree or a flat list"), 5, NULL },
	{ KEY_F(6), "F6", N_("SortBy"), ui_view_sort_key,
	  N_("sort by PID, CPU, state or name (in a tree: siblings)"), 5, NULL },
	{ 'H', "H", NULL, ui_view_threads_key, N_("hide or show threads"), 0,
	  NULL },
	{ 'w', "w", N_("Timeline"), ui_timeline_key,
	  N_("show or hide the timeline: each task's state at each refresh, "
	  "R running, r runnable, S sleeping, W waiting, P paused, Z exited"),
	  9, N_("wrap the command line") },
	{ ' ', "Space", N_("Pause"), act_pause,
	  N_("pause or resume the selected task"), 2, N_("tag a process") },
	{ 'P', "P", N_("All"), act_pause_all, N_("pause or resume every task"), 3,
	  N_("sort by CPU") },
	{ 's', "s", N_("Step"), act_step,
	  N_("step the selected task to its next checkpoint (a process: one "
	  "refresh)"), 2, N_("trace its system calls (strace)") },
	{ 'S', "S", N_("StepAll"), act_step_all, N_("step every paused task once"),
	  6, N_("setup") },
	{ 'b', "b", NULL, ui_pylab_by_op_key,
	  N_("ptmon -- python3 PROG: s steps a Python thread one bytecode "
	  "instruction (the lab shows the line's instructions), or, again, "
	  "one source line"), 0, NULL },
	{ 't', "t", NULL, ui_lab_target_key,
	  N_("race, lock: set a target final balance to reach by stepping"), 0,
	  N_("tree view on or off (F5 in both)") },
	{ 'r', "r", N_("Restart"), act_restart,
	  N_("restart the scenario or the command"), 6, NULL },
	{ '+', "+", N_("Faster"), act_speed,
	  N_("faster: shorter pauses between statements, then shorter sleeps"), 8,
	  N_("expand a tree branch") },
	{ '=', NULL, NULL, act_speed,
	  N_("faster: shorter pauses between statements, then shorter sleeps"), 0,
	  NULL },
	{ '-', "-", N_("Slower"), act_speed,
	  N_("slower: longer sleeps, then longer pauses between statements"), 8,
	  N_("collapse a tree branch") },
	{ KEY_TAB, "Tab", N_("Next"), act_next_scenario,
	  N_("end this scenario and start the next (not while a command runs)"),
	  7, N_("switch between screen tabs") },
	{ '1', "1..9", NULL, act_digit, N_("start scenario N of the list"), 0,
	  N_("type a PID to select it") },
	{ '2', NULL, NULL, act_digit, NULL, 0, NULL },
	{ '3', NULL, NULL, act_digit, NULL, 0, NULL },
	{ '4', NULL, NULL, act_digit, NULL, 0, NULL },
	{ '5', NULL, NULL, act_digit, NULL, 0, NULL },
	{ '6', NULL, NULL, act_digit, NULL, 0, NULL },
	{ '7', NULL, NULL, act_digit, NULL, 0, NULL },
	{ '8', NULL, NULL, act_digit, NULL, 0, NULL },
	{ '9', NULL, NULL, act_digit, NULL, 0, NULL },
	{ '0', "0", NULL, act_digit,
	  N_("end this scenario and show the list"), 0,
	  N_("type a PID to select it") },
	{ '[', "[", NULL, act_log, N_("scroll the output up"), 0,
	  N_("lower the priority (nice)") },
	{ ']', "]", NULL, act_log, N_("scroll the output down"), 0,
	  N_("raise the priority (nice)") },
	{ KEY_F(9), "F9", N_("Kill"), act_signal,
	  N_("send a signal to the selected task"), 3, NULL },
	{ 'k', "k", NULL, act_signal, N_("send a signal to the selected task"),
	  0, NULL },
	{ KEY_CTRL_L, "^L", NULL, act_redraw, N_("redraw the screen"), 0, NULL },
	{ KEY_RESIZE, NULL, NULL, act_redraw, NULL, 0, NULL },
	{ 'q', "q", NULL, act_quit, N_("quit: end the scenario and leave"), 0,
	  NULL },
	{ KEY_F(10), "F10", N_("Quit"), act_quit,
	  N_("quit: end the scenario and leave"), 1, NULL },
	{ KEY_F(2), NULL, NULL, act_htop_only, NULL, 0, NULL },
	{ KEY_F(7), NULL, NULL, act_htop_only, NULL, 0, NULL },
	{ KEY_F(8), NULL, NULL, act_htop_only, NULL, 0, NULL },
	{ 'M', NULL, NULL, act_htop_only, NULL, 0, NULL },
	{ 'T', NULL, NULL, act_htop_only, NULL, 0, NULL },
	{ 'I', NULL, NULL, act_htop_only, NULL, 0, NULL },
	{ 'u', NULL, NULL, act_htop_only, NULL, 0, NULL },
	{ 'K', NULL, NULL, act_htop_only, NULL, 0, NULL },
	{ 'e', NULL, NULL, act_htop_only, NULL, 0, NULL },
	{ 'l', NULL, NULL, act_htop_only, NULL, 0, NULL },
	{ 'a', NULL, NULL, act_htop_only, NULL, 0, NULL },
};

const struct ui_key *
ui_keys_table(size_t *n)
{
	*n = sizeof keys / sizeof keys[0];
	return keys;
}

unsigned
ui_keys_dispatch(struct ui *ui, int key)
{
	size_t i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (keys[i].key == key)
			return keys[i].action(ui, key);
	return 0;
}

bool
ui_prompt_edit(char *buf, size_t size, int key,
    bool (*accept)(int key, size_t len))
{
	size_t len = strlen(buf);

	if (key == KEY_BACKSPACE || key == 127 || key == 8) {
		if (len > 0)
			buf[len - 1] = '\0';
		return true;
	}
	if (!accept(key, len) || len + 1 >= size)
		return false;
	buf[len] = (char)key;
	buf[len + 1] = '\0';
	return true;
}

/* A search takes printable ASCII. */
static bool
search_char(int key, size_t len)
{
	(void)len;
	return key >= 0x20 && key <= 0x7e;
}

/* Handles a key while the search prompt is open. */
static unsigned
search_key(struct ui *ui, int key)
{
	switch (key) {
	case KEY_ESC:
		ui->mode = UI_MODE_MAIN;
		return UI_REDRAW;
	case '\r':
	case '\n':
	case KEY_ENTER:
		ui->mode = UI_MODE_MAIN;
		if (ui->search[0] != '\0' && ui_tree_search(ui, false))
			ui_message(ui, _("selected %s"),
			    model_task_name(ui_tree_selected(ui)));
		return UI_REDRAW;
	case KEY_F(3):
	case KEY_DOWN:
		ui->search_failed = !ui_tree_search(ui, true);
		return UI_REDRAW;
	default:
		if (!ui_prompt_edit(ui->search, sizeof ui->search, key,
		    search_char))
			return 0;
		ui->search_failed = ui->search[0] != '\0' &&
		    !ui_tree_search(ui, false);
		return UI_REDRAW;
	}
}

unsigned
ui_keys_handle(struct ui *ui, int key)
{
	unsigned r;

	if (key != KEY_MOUSE && key != KEY_RESIZE)
		ui->message[0] = '\0';
	switch (ui->mode) {
	case UI_MODE_HELP:
		return ui_help_key(ui, key);
	case UI_MODE_SIGNAL:
		return ui_signal_key(ui, key);
	case UI_MODE_SEARCH:
		return search_key(ui, key);
	case UI_MODE_TARGET:
		return ui_lab_prompt_key(ui, key);
	case UI_MODE_FILTER:
		return ui_view_filter_prompt_key(ui, key);
	case UI_MODE_SORT:
		return ui_view_sort_menu_key(ui, key);
	case UI_MODE_PICKER:
		r = ui_picker_key(ui, key);
		if (r != 0)
			return r;
		break;
	case UI_MODE_MAIN:
		if (key == KEY_ESC)
			return UI_REDRAW;
		break;
	}
	return ui_keys_dispatch(ui, key) | UI_REDRAW;
}

/* The label of a key bar entry: F4's shows the filter while one is on. */
static void
bar_label(const struct ui *ui, const struct ui_key *k, char *buf,
    size_t len)
{
	if (k->key == KEY_F(4) && ui->vopts.filter[0] != '\0')
		snprintf(buf, len, _("Filter=%.12s"), ui->vopts.filter);
	else
		snprintf(buf, len, "%s", _(k->footer));
}

size_t
ui_keys_bar(const struct ui *ui, int width, struct ui_bar_item *items,
    size_t max)
{
	bool drop[sizeof keys / sizeof keys[0]] = { false };
	size_t i, n;
	int total, x;

	for (;;) {
		size_t worst = SIZE_MAX;

		/* Each entry is key, label and a space; the last needs none. */
		total = -1;
		for (i = 0, n = 0; i < sizeof keys / sizeof keys[0]; i++) {
			char label[32];

			if (keys[i].footer == NULL || drop[i] || n == max)
				continue;
			bar_label(ui, &keys[i], label, sizeof label);
			total += cells_width(keys[i].name) +
			    cells_width(label) + 1;
			n++;
			if (keys[i].bar > 1 && (worst == SIZE_MAX ||
			    keys[i].bar >= keys[worst].bar))
				worst = i;
		}
		if (total <= width || worst == SIZE_MAX)
			break;
		drop[worst] = true;
	}
	x = 0;
	for (i = 0, n = 0; i < sizeof keys / sizeof keys[0] && n < max; i++) {
		struct ui_bar_item *it = &items[n];

		if (keys[i].footer == NULL || drop[i])
			continue;
		it->key = keys[i].key;
		it->name = keys[i].name;
		bar_label(ui, &keys[i], it->label, sizeof it->label);
		it->x = x;
		it->w = cells_width(it->name) + cells_width(it->label) +
		    1;
		x += it->w;
		n++;
	}
	return n;
}

int
ui_keys_bar_key_at(const struct ui *ui, int x)
{
	struct ui_bar_item items[UI_BAR_MAX];
	size_t i, n = ui_keys_bar(ui, COLS, items, UI_BAR_MAX);

	for (i = 0; i < n; i++)
		if (x >= items[i].x && x < items[i].x + items[i].w)
			return items[i].key;
	return 0;
}

void
ui_keys_draw_bar(struct ui *ui, int y)
{
	struct ui_bar_item items[UI_BAR_MAX];
	size_t i, n;

	move(y, 0);
	attrset(ui_attr(ui, UI_C_KEYLABEL));
	hline(' ', COLS);
	attrset(A_NORMAL);
	if (ui->message[0] != '\0') {
		ui_put(y, 0, COLS, ui->message, ui_attr(ui, UI_C_KEYLABEL) |
		    A_BOLD, true);
		return;
	}
	n = ui_keys_bar(ui, COLS, items, UI_BAR_MAX);
	for (i = 0; i < n; i++) {
		int kw = cells_width(items[i].name);

		ui_put(y, items[i].x, kw, items[i].name, ui_attr(ui, UI_C_KEY),
		    false);
		ui_put(y, items[i].x + kw, items[i].w - kw, items[i].label,
		    ui_attr(ui, UI_C_KEYLABEL), true);
	}
}
