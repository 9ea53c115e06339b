/*
 * The one key table: each key with its action and the help text that the
 * help screen and the key bar are built from. Actions change the UI's state
 * or send commands to the watched tasks through session_* (gates for
 * scenario tasks, SIGSTOP/SIGCONT for other processes) and return a
 * reaction mask (UI_REDRAW, UI_QUIT…); they never draw.
 */
#include "config.h"

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "scenario.h"
#include "session.h"
#include "ui_format.h"
#include "ui_screen.h"
#include "xalloc.h"

#define KEY_ESC		27
#define KEY_CTRL_L	12
#define KEY_TAB		9

/* Speeds that + and - step through. */
static const double speeds[] = {
	0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000,
};
#define NSPEEDS	(sizeof speeds / sizeof speeds[0])

/* What the watched thing is called in messages. */
static const char *
watched_noun(const struct ui *ui)
{
	switch (session_kind(ui->session)) {
	case SESSION_COMMAND:
		return "the command";
	case SESSION_ATTACHED:
		return "the process";
	case SESSION_SCENARIO:
		break;
	}
	return "the scenario";
}

/* True when a session runs; else sets a message if one has ended. */
static bool
running(struct ui *ui)
{
	if (ui->session == NULL)
		return false;
	if (ui->ended) {
		ui_message(ui, "%s has ended%s", watched_noun(ui),
		    session_kind(ui->session) == SESSION_ATTACHED ? "" :
		    ": r runs it again");
		return false;
	}
	return true;
}

/* The selected task, to change in place; else sets a message and NULL. */
static struct snap_task *
selection(struct ui *ui)
{
	const struct snap_task *t;

	if (!running(ui))
		return NULL;
	t = ui_tree_selected(ui);
	if (t == NULL) {
		ui_message(ui, "no task selected");
		return NULL;
	}
	/* The UI owns its snapshot: actions mark the change at once. */
	return &ui->snap.tasks[t - ui->snap.tasks];
}

/*
 * True when t is a process of the scenario (ptmon's own program, forked)
 * that has no gate yet: it gets one at its first checkpoint, and a
 * SIGSTOP now would hold it behind the gates' back.
 */
static bool
not_gated_yet(const struct ui *ui, const struct snap_task *t)
{
	struct stat self, it;
	char path[64];

	if (session_kind(ui->session) != SESSION_SCENARIO ||
	    t->gate != SNAP_GATE_NONE)
		return false;
	snprintf(path, sizeof path, "/proc/%d/exe", (int)t->s.tgid);
	if (stat("/proc/self/exe", &self) < 0 || stat(path, &it) < 0)
		return false;
	return self.st_dev == it.st_dev && self.st_ino == it.st_ino;
}

/* The selection, unless it is a scenario task without its gate yet. */
static struct snap_task *
commandable(struct ui *ui)
{
	struct snap_task *t = selection(ui);

	if (t != NULL && not_gated_yet(ui, t)) {
		ui_message(ui, "%s (%d) has no gate yet: it has not reached "
		    "its first checkpoint", model_task_name(t), (int)t->s.tid);
		return NULL;
	}
	return t;
}

/* Says why a command to task t failed. */
static void
failed(struct ui *ui, const char *what, const struct snap_task *t,
    const char *why)
{
	ui_message(ui, "cannot %s %s (%d): %s", what, model_task_name(t),
	    (int)t->s.tid, why != NULL ? why : strerror(errno));
}

/* A foreign process was let run: it stops again after one refresh. */
static void
step_started(struct ui *ui)
{
	ui->step_due = ui_now_ms() + ui->cli.delay * 100LL;
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
	ui_tree_move(ui, key == KEY_HOME ? -(long)ui->snap.ntasks :
	    (long)ui->snap.ntasks);
	return UI_REDRAW;
}

static unsigned
act_search(struct ui *ui, int key)
{
	(void)key;
	if (ui->session == NULL)
		return 0;
	ui->mode = UI_MODE_SEARCH;
	ui->search[0] = '\0';
	ui->search_failed = false;
	return UI_REDRAW;
}

static unsigned
act_pause(struct ui *ui, int key)
{
	struct snap_task *t = commandable(ui);
	const char *why = NULL;
	bool paused;

	(void)key;
	if (t == NULL)
		return UI_REDRAW;
	paused = ui_format_paused(t);
	if ((paused ? session_resume(ui->session, t, &why) :
	    session_pause(ui->session, t, &why)) < 0) {
		failed(ui, paused ? "resume" : "pause", t, why);
		return UI_REDRAW;
	}
	if (t->gate != SNAP_GATE_NONE) {
		t->gate = paused ? SNAP_GATE_RUNNING : SNAP_GATE_PAUSED;
		if (paused)
			ui_message(ui, "resumed %s (%d)", model_task_name(t),
			    (int)t->s.tid);
		else
			ui_message(ui, "paused %s (%d) at its next checkpoint",
			    model_task_name(t), (int)t->s.tid);
		return UI_REDRAW;
	}
	/* A process: the kernel state says, until the next sample. */
	t->s.state = paused ? 'R' : 'T';
	if (paused) {
		ui->all_paused = false;
		ui_message(ui, "resumed %s (%d) with SIGCONT",
		    model_task_name(t), (int)t->s.tid);
	} else {
		ui->stopped_any = true;
		ui_message(ui, "stopped %s (%d) with SIGSTOP",
		    model_task_name(t), (int)t->s.tid);
	}
	return UI_REDRAW;
}

/*
 * Stops or continues every process of a command or attached tree, one by
 * one so that a refusal can be told; returns how many failed, *why the
 * first reason.
 */
static size_t
signal_all(struct ui *ui, bool pause, const char **why)
{
	const char *w = NULL;
	size_t i, bad = 0;

	*why = NULL;
	for (i = 0; i < ui->snap.ntasks; i++) {
		struct snap_task *t = &ui->snap.tasks[i];

		if (t->is_thread || t->s.state == 'Z')
			continue;
		if ((pause ? session_pause(ui->session, t, &w) :
		    session_resume(ui->session, t, &w)) < 0) {
			/* One that ended meanwhile needs no stopping. */
			if (errno != ESRCH && bad++ == 0)
				*why = w;
			continue;
		}
		t->s.state = pause ? 'T' : 'R';
	}
	return bad;
}

static unsigned
act_pause_all(struct ui *ui, int key)
{
	struct snapshot only;
	struct ctl *ctl;
	const char *why = NULL;
	bool pause;
	size_t i, bad;

	(void)key;
	if (!running(ui))
		return UI_REDRAW;
	ctl = session_ctl(ui->session);
	if (ctl == NULL) {
		pause = !ui->all_paused;
		bad = signal_all(ui, pause, &why);
		ui->all_paused = pause;
		ui->stopped_any |= pause;
		ui->step_due = 0;
		if (!pause)
			/* Forget steps: nothing is to be stopped again. */
			session_resume_all(ui->session, &ui->snap);
		if (bad > 0)
			ui_message(ui, "%s every process but %zu: %s",
			    pause ? "stopped" : "resumed", bad,
			    why != NULL ? why : "refused");
		else
			ui_message(ui, pause ? "stopped every process "
			    "(SIGSTOP)" : "resumed every process (SIGCONT)");
		return UI_REDRAW;
	}
	pause = !ctl_pausing_new(ctl);
	/*
	 * Scenario processes without their gate yet stop at their first
	 * checkpoint (the control block pauses new tasks): a SIGSTOP now
	 * would outlast the resume, which finds them gated.
	 */
	only = ui->snap;
	only.tasks = xcalloc(ui->snap.ntasks + 1, sizeof *only.tasks);
	only.ntasks = 0;
	for (i = 0; i < ui->snap.ntasks; i++)
		if (!not_gated_yet(ui, &ui->snap.tasks[i]))
			only.tasks[only.ntasks++] = ui->snap.tasks[i];
	if (pause)
		session_pause_all(ui->session, &only);
	else
		session_resume_all(ui->session, &only);
	free(only.tasks);
	for (i = 0; i < ui->snap.ntasks; i++)
		if (ui->snap.tasks[i].gate != SNAP_GATE_NONE)
			ui->snap.tasks[i].gate = pause ? SNAP_GATE_PAUSED :
			    SNAP_GATE_RUNNING;
	ui_message(ui, pause ? "paused every task" : "resumed every task");
	return UI_REDRAW;
}

static unsigned
act_step(struct ui *ui, int key)
{
	struct snap_task *t = commandable(ui);
	const char *why = NULL;

	(void)key;
	if (t == NULL)
		return UI_REDRAW;
	if (session_step(ui->session, t, &why) < 0) {
		failed(ui, "step", t, why);
		return UI_REDRAW;
	}
	if (t->gate != SNAP_GATE_NONE) {
		/* A running task stops at its next checkpoint: one step. */
		t->gate = t->gate == SNAP_GATE_RUNNING ? SNAP_GATE_PAUSED :
		    SNAP_GATE_STEPPING;
		ui_message(ui, "%s (%d) steps to its next checkpoint",
		    model_task_name(t), (int)t->s.tid);
		return UI_REDRAW;
	}
	t->s.state = 'R';
	step_started(ui);
	ui_message(ui, "%s (%d) runs for %.1f s, then stops", model_task_name(t),
	    (int)t->s.tid, ui->cli.delay / 10.0);
	return UI_REDRAW;
}

static unsigned
act_step_all(struct ui *ui, int key)
{
	const char *why;
	size_t i, n = 0;

	(void)key;
	if (!running(ui))
		return UI_REDRAW;
	for (i = 0; i < ui->snap.ntasks; i++) {
		struct snap_task *t = &ui->snap.tasks[i];

		if (t->gate == SNAP_GATE_NONE) {
			/* A stopped process runs one refresh interval. */
			if (t->is_thread || t->s.state != 'T' ||
			    not_gated_yet(ui, t) ||
			    session_step(ui->session, t, &why) < 0)
				continue;
			t->s.state = 'R';
			step_started(ui);
			n++;
			continue;
		}
		if (t->gate == SNAP_GATE_RUNNING)
			continue;
		if (session_step(ui->session, t, &why) == 0) {
			t->gate = SNAP_GATE_STEPPING;
			n++;
		}
	}
	ui_message(ui, "%zu paused task%s step%s once", n, n == 1 ? "" : "s",
	    n == 1 ? "s" : "");
	return UI_REDRAW;
}

static unsigned
act_restart(struct ui *ui, int key)
{
	const struct scenario *sc = ui->sc;
	struct params params = ui->params;
	const char *cause = NULL;
	int exec_errno;

	(void)key;
	if (ui->session == NULL)
		return 0;
	switch (session_kind(ui->session)) {
	case SESSION_ATTACHED:
		ui_message(ui, "r: ptmon did not start pid %d, so it cannot "
		    "restart it", (int)session_root(ui->session));
		return UI_REDRAW;
	case SESSION_COMMAND:
		if (ui_watch(ui, &exec_errno, &cause) < 0) {
			ui_message(ui, "cannot run %s: %s", ui->cli.argv[0],
			    cause);
			return UI_REDRAW;
		}
		ui_message(ui, "restarted %s", ui->cli.argv[0]);
		return UI_REDRAW | UI_RESAMPLE;
	case SESSION_SCENARIO:
		break;
	}
	if (sc == NULL)
		return 0;
	ui_start(ui, sc, &params);
	ui_message(ui, "restarted %s", sc->name);
	return UI_REDRAW | UI_RESAMPLE;
}

static unsigned
act_speed(struct ui *ui, int key)
{
	double cur = ui->cli.speed, next = cur;
	size_t i;

	if (key == '+' || key == '=') {
		for (i = 0; i < NSPEEDS; i++)
			if (speeds[i] > cur * 1.001) {
				next = speeds[i];
				break;
			}
	} else {
		for (i = NSPEEDS; i-- > 0;)
			if (speeds[i] < cur / 1.001) {
				next = speeds[i];
				break;
			}
	}
	if (ui->session != NULL && session_ctl(ui->session) == NULL) {
		ui_message(ui, "speed scales a scenario's sleeps; %s runs at "
		    "its own pace", watched_noun(ui));
		return UI_REDRAW;
	}
	ui->cli.speed = next;
	/* The scenario reads it at its next sleep. */
	if (ui->session != NULL)
		ctl_set_speed(session_ctl(ui->session), next);
	ui_message(ui, "speed %gx", next);
	return UI_REDRAW;
}

static unsigned
act_next_scenario(struct ui *ui, int key)
{
	int i = ui->sc != NULL ? ui_scenario_index(ui->sc) : ui->picker_sel;

	(void)key;
	/* From a command or process: the first scenario. */
	if (ui->sc == NULL && ui->session != NULL)
		i = -1;
	ui_start_default(ui, (i + 1) % ui_scenario_count());
	return UI_REDRAW | UI_RESAMPLE;
}

static unsigned
act_digit(struct ui *ui, int key)
{
	if (key == '0') {
		ui_stop(ui);
		return UI_REDRAW;
	}
	if (key - '1' >= ui_scenario_count())
		return 0;
	ui_start_default(ui, key - '1');
	return UI_REDRAW | UI_RESAMPLE;
}

static unsigned
act_signal(struct ui *ui, int key)
{
	(void)key;
	if (selection(ui) == NULL)
		return UI_REDRAW;
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

static unsigned
act_mouse(struct ui *ui, int key)
{
	MEVENT ev;

	(void)key;
	if (getmouse(&ev) != OK)
		return 0;
	if (ev.bstate & BUTTON4_PRESSED) {
		if (ev.y >= ui->logr.y && ui->session != NULL)
			ui_log_scroll(&ui->log, 3);
		else
			ui_tree_move(ui, -3);
	} else if (ev.bstate & BUTTON5_PRESSED) {
		if (ev.y >= ui->logr.y && ui->session != NULL)
			ui_log_scroll(&ui->log, -3);
		else
			ui_tree_move(ui, 3);
	} else if (ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) {
		if (ui->session == NULL)
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

static const struct ui_key keys[] = {
	{ KEY_UP, "Up", NULL, act_up, "select the task above" },
	{ KEY_DOWN, "Down", NULL, act_down, "select the task below" },
	{ KEY_PPAGE, "PgUp", NULL, act_page, "select a page up" },
	{ KEY_NPAGE, "PgDn", NULL, act_page, "select a page down" },
	{ KEY_HOME, "Home", NULL, act_home_end, "select the first task" },
	{ KEY_END, "End", NULL, act_home_end, "select the last task" },
	{ KEY_MOUSE, "click", NULL, act_mouse,
	  "select the row clicked; the wheel scrolls" },
	{ '/', "/", "Search", act_search,
	  "search a task by name; Enter selects it" },
	{ ' ', "Space", "Pause", act_pause,
	  "pause or resume the selected task" },
	{ 'P', "P", "All", act_pause_all, "pause or resume every task" },
	{ 's', "s", "Step", act_step,
	  "step the selected task to its next checkpoint (a process: one "
	  "refresh)" },
	{ 'S', "S", "StepAll", act_step_all, "step every paused task once" },
	{ 't', "t", NULL, ui_lab_target_key,
	  "race, lock: set a target final balance to reach by stepping" },
	{ 'r', "r", "Restart", act_restart,
	  "restart the scenario or the command" },
	{ '+', "+", "Faster", act_speed, "faster: scenario sleeps shorter" },
	{ '=', NULL, NULL, act_speed, "faster: scenario sleeps shorter" },
	{ '-', "-", "Slower", act_speed, "slower: scenario sleeps longer" },
	{ KEY_TAB, "Tab", "Next", act_next_scenario,
	  "end this scenario (or command) and start the next" },
	{ '1', "1..8", NULL, act_digit, "start scenario N of the list" },
	{ '2', NULL, NULL, act_digit, NULL },
	{ '3', NULL, NULL, act_digit, NULL },
	{ '4', NULL, NULL, act_digit, NULL },
	{ '5', NULL, NULL, act_digit, NULL },
	{ '6', NULL, NULL, act_digit, NULL },
	{ '7', NULL, NULL, act_digit, NULL },
	{ '8', NULL, NULL, act_digit, NULL },
	{ '9', NULL, NULL, act_digit, NULL },
	{ '0', "0", NULL, act_digit,
	  "end this scenario and show the list" },
	{ '[', "[", NULL, act_log, "scroll the output up" },
	{ ']', "]", NULL, act_log, "scroll the output down" },
	{ KEY_F(9), "F9", "Kill", act_signal,
	  "send a signal to the selected task" },
	{ 'k', "k", NULL, act_signal, "send a signal to the selected task" },
	{ KEY_F(1), "F1", "Help", act_help, "this help" },
	{ '?', "?", NULL, act_help, "this help" },
	{ 'h', "h", NULL, act_help, "this help" },
	{ KEY_CTRL_L, "^L", NULL, act_redraw, "redraw the screen" },
	{ KEY_RESIZE, NULL, NULL, act_redraw, NULL },
	{ 'q', "q", NULL, act_quit, "quit: end the scenario and leave" },
	{ KEY_F(10), "F10", "Quit", act_quit,
	  "quit: end the scenario and leave" },
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
			ui_message(ui, "selected %s",
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

void
ui_keys_draw_bar(struct ui *ui, int y)
{
	int x = 0;
	size_t i;

	move(y, 0);
	attrset(ui_attr(ui, UI_C_KEYLABEL));
	hline(' ', COLS);
	attrset(A_NORMAL);
	if (ui->message[0] != '\0') {
		ui_put(y, 0, COLS, ui->message, ui_attr(ui, UI_C_KEYLABEL) |
		    A_BOLD, true);
		return;
	}
	for (i = 0; i < sizeof keys / sizeof keys[0] && x < COLS; i++) {
		int kw, lw;

		if (keys[i].footer == NULL)
			continue;
		kw = ui_format_width(keys[i].name);
		lw = ui_format_width(keys[i].footer) + 1;
		ui_put(y, x, kw, keys[i].name, ui_attr(ui, UI_C_KEY), false);
		ui_put(y, x + kw, lw, keys[i].footer,
		    ui_attr(ui, UI_C_KEYLABEL), true);
		x += kw + lw;
	}
}
