/*
 * The full-screen UI's loop: one poll() over the terminal, the session's
 * fds (output pipes, pidfd and signalfd) and the refresh tick as poll's
 * timeout. The session is a scenario, a command (ptmon -- COMMAND) or an
 * existing process (ptmon -p PID); the UI draws them alike.
 * Each tick samples the tree and builds a snapshot; key handlers and
 * session hooks only change state and set flags; the screen is drawn once
 * per pass. Signals arrive through the session's signalfd (or our own while
 * the picker shows and no session runs): SIGWINCH resizes, SIGTSTP leaves
 * curses and stops, SIGCONT repaints, SIGINT/SIGTERM/SIGHUP/SIGQUIT end.
 */
#include "config.h"

#include "ui.h"

#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sampler.h"
#include "scenario.h"
#include "session.h"
#include "ui_format.h"
#include "ui_screen.h"
#include "xalloc.h"

/* Below this the screen only says it is too small. */
#define UI_MIN_COLS	40
#define UI_MIN_ROWS	12
#define UI_SIDE_COLS	44
#define UI_MESSAGE_MS	4000

static bool	 curses_on;

/* Leaves curses; a cleanup hook, so fatal() restores the terminal too. */
static void
ui_endwin(void)
{
	if (curses_on && !isendwin())
		endwin();
}

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

/* Sets up colour pairs, one per colour role, unless NO_COLOR says not to. */
static void
init_colors(struct ui *ui)
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
}

void
ui_put(int y, int x, int w, const char *text, attr_t attr, bool pad)
{
	char buf[UI_FORMAT_ROW_LEN];

	if (w <= 0 || y < 0 || y >= LINES || x < 0 || x >= COLS)
		return;
	if (w > COLS - x)
		w = COLS - x;
	ui_format_fit(buf, sizeof buf, text, w, pad);
	attrset(attr);
	mvaddstr(y, x, buf);
	attrset(A_NORMAL);
}

void
ui_message(struct ui *ui, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->message, sizeof ui->message, fmt, ap);
	va_end(ap);
	ui->message_until = ui_now_ms() + UI_MESSAGE_MS;
}

int
ui_scenario_count(void)
{
	int n = 0;

	while (scenarios[n] != NULL)
		n++;
	return n;
}

int
ui_scenario_index(const struct scenario *sc)
{
	int i;

	for (i = 0; scenarios[i] != NULL; i++)
		if (scenarios[i] == sc)
			return i;
	return -1;
}

/* Session hook: a line of the scenario's output goes to the log. */
static void
on_output(void *arg, pid_t pid, const char *text)
{
	struct ui *ui = arg;

	(void)pid;
	ui_log_add(&ui->log, text, false);
}

/* Session hook: keeps how the command itself ended. */
static void
on_exit_(void *arg, pid_t pid, int status)
{
	struct ui *ui = arg;

	if (ui->session != NULL && pid == session_root(ui->session)) {
		ui->root_status = status;
		ui->root_known = true;
	}
}

/* Session hook: before the root starts, the replay pauses its tasks. */
static void
on_prepare(void *arg, struct ctl *ctl)
{
	struct ui *ui = arg;

	if (ui->replay != NULL)
		stepper_prepare(ui->replay, ctl);
}

void
ui_replay_text(const struct ui *ui, char *buf, size_t len)
{
	buf[0] = '\0';
	if (ui->replay == NULL)
		return;
	switch (ui->replay_state) {
	case STEPPER_STEPPING:
		snprintf(buf, len, "replaying %s: step %zu of %zu",
		    ui->cli.replay, stepper_taken(ui->replay)->n, ui->plan.n);
		break;
	case STEPPER_FREE:
		snprintf(buf, len, "replay done: %zu steps of %s",
		    stepper_taken(ui->replay)->n, ui->cli.replay);
		break;
	case STEPPER_ERROR:
		snprintf(buf, len, "replay stopped at step %zu of %zu: %s",
		    stepper_taken(ui->replay)->n, ui->plan.n,
		    stepper_error(ui->replay));
		break;
	}
}

size_t
ui_steps_taken(const struct ui *ui)
{
	if (ui->session == NULL)
		return 0;
	if (ui->replay != NULL)
		return stepper_taken(ui->replay)->n;
	return session_taken(ui->session)->n;
}

/*
 * On each refresh tick: the replay takes its next step (one at most).
 * After an error it takes none: the tasks stay as they are.
 */
static unsigned
replay_tick(struct ui *ui)
{
	struct ctl *ctl;
	char line[512];

	if (ui->replay == NULL || ui->session == NULL ||
	    ui->replay_state != STEPPER_STEPPING)
		return 0;
	ctl = session_ctl(ui->session);
	if (ctl == NULL)
		return 0;
	ui->replay_state = stepper_advance(ui->replay, ctl,
	    session_status(ui->session) >= 0);
	if (ui->replay_state == STEPPER_FREE) {
		snprintf(line, sizeof line, "[ptmon] replay done: %zu steps "
		    "of %s", stepper_taken(ui->replay)->n, ui->cli.replay);
		ui_log_add(&ui->log, line, true);
	} else if (ui->replay_state == STEPPER_ERROR) {
		snprintf(line, sizeof line, "[ptmon] replay stopped: %s: %s",
		    ui->cli.replay, stepper_error(ui->replay));
		ui_log_add(&ui->log, line, true);
		ui_message(ui, "%s", line + 8);
	}
	return UI_REDRAW;
}

/* Leaves curses and stops ptmon, as Ctrl-Z asks; SIGCONT brings it back. */
static void
suspend(void)
{
	endwin();
	fflush(stdout);
	raise(SIGSTOP);
}

/* Makes curses take the terminal's current size. */
static void
resize(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
}

/* Flags of what a signal asks the loop to do. */
static unsigned
handle_signal(struct ui *ui, int sig)
{
	switch (sig) {
	case SIGWINCH:
		resize();
		return UI_REDRAW | UI_CLEAR;
	case SIGTSTP:
		suspend();
		/* Back here after SIGCONT. */
		resize();
		return UI_REDRAW | UI_CLEAR;
	case SIGCONT:
		resize();
		return UI_REDRAW | UI_CLEAR;
	case SIGINT:
	case SIGTERM:
	case SIGHUP:
	case SIGQUIT:
		ui->stop_signal = sig;
		return UI_QUIT;
	default:
		return 0;
	}
}

/* Where signals go while a session runs: they set flags for the loop. */
static unsigned	 pending_flags;

/* Session hook: a signal other than SIGCHLD. */
static void
on_signal(void *arg, int sig)
{
	pending_flags |= handle_signal(arg, sig);
}

/* Reads our own signalfd (no session): the same handling, and reaping. */
static void
read_own_signals(struct ui *ui)
{
	struct signalfd_siginfo si;

	while (read(ui->sigfd, &si, sizeof si) == sizeof si) {
		if (si.ssi_signo == SIGCHLD) {
			while (waitpid(-1, NULL, WNOHANG) > 0)
				continue;
		} else
			pending_flags |= handle_signal(ui, (int)si.ssi_signo);
	}
}

/* Forgets what the last session left: its end, pauses and steps. */
static void
reset_run(struct ui *ui)
{
	ui->ended = false;
	ui->root_known = false;
	ui->root_status = 0;
	ui->all_paused = false;
	ui->stopped_any = false;
	ui->step_due = 0;
	ui->lost_seen = 0;
	ui->stale_note[0] = '\0';
	ui->recorded = false;
	ui->final_known = false;
	ui->final_balance = 0;
}

void
ui_stop(struct ui *ui)
{
	if (ui->session != NULL) {
		if (ui_lab_record(ui) < 0)
			ui_message(ui, "cannot write %s: %s", ui->cli.record,
			    strerror(errno));
		/* A process we only watch is not left stopped by us. */
		if (session_kind(ui->session) == SESSION_ATTACHED &&
		    ui->stopped_any && !ui->ended)
			session_resume_all(ui->session, &ui->snap);
		session_free(ui->session);
		ui->session = NULL;
		ui->generation++;
	}
	stepper_free(ui->replay);
	ui->replay = NULL;
	ui->snap.ntasks = 0;
	reset_run(ui);
	if (ui->sc != NULL)
		ui->picker_sel = ui_scenario_index(ui->sc);
	ui->sc = NULL;
	ui->mode = UI_MODE_PICKER;
}

void
ui_start(struct ui *ui, const struct scenario *sc,
    const struct params *params)
{
	struct session_hooks hooks = {
		.output = on_output, .exit = on_exit_, .signal = on_signal,
		.prepare = on_prepare, .arg = ui,
	};
	const char *cause = NULL;

	ui_stop(ui);
	if (ui->replay_on) {
		/* From the plan's first line, on r too. */
		ui->replay = stepper_replay(&ui->plan);
		stepper_set_pace(ui->replay, 1);
		ui->replay_state = STEPPER_STEPPING;
	}
	ui->generation++;
	ui_log_clear(&ui->log);
	memset(&ui->view, 0, sizeof ui->view);
	ui->params = *params;
	ui->sc = sc;
	ui->mode = UI_MODE_MAIN;
	ui->message[0] = '\0';
	ui->session = session_start(&ui->cli, sc, &ui->params, &hooks,
	    &cause);
	if (ui->session == NULL) {
		ui_message(ui, "cannot start %s: %s", sc->name, cause);
		stepper_free(ui->replay);
		ui->replay = NULL;
		ui->sc = NULL;
		ui->mode = UI_MODE_PICKER;
		return;
	}
	ui_sample(ui);
}

int
ui_watch(struct ui *ui, int *exec_errno, const char **cause)
{
	struct session_hooks hooks = {
		.output = on_output, .exit = on_exit_, .signal = on_signal,
		.arg = ui,
	};
	struct session *s;

	ui_stop(ui);
	ui->generation++;
	ui_log_clear(&ui->log);
	memset(&ui->view, 0, sizeof ui->view);
	ui->message[0] = '\0';
	*exec_errno = 0;
	if (ui->cli.target == CLI_TARGET_PID)
		s = session_attach(&ui->cli, &hooks, cause);
	else
		s = session_start_command(&ui->cli, &hooks, exec_errno, cause);
	if (s == NULL)
		return -1;
	ui->session = s;
	ui->mode = UI_MODE_MAIN;
	ui_sample(ui);
	return 0;
}

void
ui_end_text(const struct ui *ui, char *buf, size_t len)
{
	const char *name;

	if (ui->session == NULL || session_kind(ui->session) !=
	    SESSION_COMMAND || !ui->root_known) {
		snprintf(buf, len, "has ended");
		return;
	}
	if (WIFSIGNALED(ui->root_status)) {
		name = sigabbrev_np(WTERMSIG(ui->root_status));
		if (name != NULL)
			snprintf(buf, len, "was killed by SIG%s%s", name,
			    WCOREDUMP(ui->root_status) ? " (core dumped)" : "");
		else
			snprintf(buf, len, "was killed by signal %d",
			    WTERMSIG(ui->root_status));
	} else
		snprintf(buf, len, "exited with status %d",
		    WEXITSTATUS(ui->root_status));
}

/*
 * While P holds every process of a command or attached tree, stops those
 * that appeared since (a process forked between two samples).
 */
static void
keep_stopped(struct ui *ui)
{
	const char *why;
	size_t i;

	if (!ui->all_paused || ui->step_due != 0)
		return;
	for (i = 0; i < ui->snap.ntasks; i++) {
		struct snap_task *t = &ui->snap.tasks[i];

		if (t->is_thread || t->gate != SNAP_GATE_NONE ||
		    t->s.state == 'T' || t->s.state == 'Z')
			continue;
		if (session_pause(ui->session, t, &why) == 0)
			t->s.state = 'T';
	}
}

void
ui_start_default(struct ui *ui, int i)
{
	struct params params;
	char cause[256];

	if (i < 0 || i >= ui_scenario_count())
		return;
	if (params_parse(scenarios[i]->params, 0, NULL, &params, cause,
	    sizeof cause) < 0) {
		ui_message(ui, "%s: %s", scenarios[i]->name, cause);
		return;
	}
	/* Another scenario (Tab, a digit, the picker) is not replayed. */
	ui->replay_on = false;
	ui_start(ui, scenarios[i], &params);
}

/*
 * True when the root is among the samples and not ending: a process that
 * is exiting has given back its memory (no RSS, no command line) before
 * it turns zombie.
 */
static bool
has_root(const struct sample *samples, size_t n, pid_t root)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (samples[i].tid == root)
			return samples[i].state != 'Z' &&
			    samples[i].state != 'X' &&
			    (samples[i].rss_kib > 0 ||
			    samples[i].cmdline[0] != '\0');
	return false;
}

void
ui_sample(struct ui *ui)
{
	const struct sample *samples;
	size_t n;

	if (ui->session == NULL)
		return;
	if (session_done(ui->session)) {
		char line[384], how[64];

		if (!ui->ended &&
		    session_kind(ui->session) == SESSION_SCENARIO) {
			snprintf(line, sizeof line, "[ptmon] %s ended, status "
			    "%d", session_title(ui->session),
			    session_status(ui->session));
			ui_log_add(&ui->log, line, true);
		} else if (!ui->ended) {
			ui_end_text(ui, how, sizeof how);
			snprintf(line, sizeof line, "[ptmon] %.200s %s%s",
			    session_title(ui->session), how,
			    session_kind(ui->session) == SESSION_COMMAND ?
			    "; r runs it again" : "");
			ui_log_add(&ui->log, line, true);
		}
		ui_lab_ended(ui);
		if (ui_lab_record(ui) < 0)
			ui_message(ui, "cannot write %s: %s", ui->cli.record,
			    strerror(errno));
		ui->ended = true;
		ui->step_due = 0;
		/* A command's last tree stays on screen; a scenario's goes. */
		if (session_kind(ui->session) == SESSION_SCENARIO)
			ui->snap.ntasks = 0;
		ui_tree_follow(ui);
		return;
	}
	if (sampler_read(ui->sampler, session_root(ui->session), getpid(),
	    &samples, &n) < 0) {
		ui_message(ui, "cannot read the process tree");
		return;
	}
	/* A command whose root is gone keeps its last tree on screen. */
	if (ui->snap.ntasks > 0 &&
	    session_kind(ui->session) != SESSION_SCENARIO &&
	    !has_root(samples, n, session_root(ui->session)))
		return;
	model_build(&ui->snap, session_root(ui->session), samples, n,
	    session_ctl(ui->session), session_panes(ui->session),
	    session_elapsed(ui->session));
	keep_stopped(ui);
	ui_tree_follow(ui);
	ui_lab_sampled(ui);
}

/* What the header says the scenario is doing. */
static void
run_state(struct ui *ui, char *buf, size_t len)
{
	struct ctl *ctl;
	size_t i, paused = 0, gated = 0;
	int st;

	if (ui->ended && session_kind(ui->session) == SESSION_SCENARIO) {
		snprintf(buf, len, "FINISHED (status %d)",
		    session_status(ui->session));
		return;
	}
	if (ui->ended) {
		st = ui->root_status;
		if (session_kind(ui->session) != SESSION_COMMAND ||
		    !ui->root_known)
			snprintf(buf, len, "ENDED");
		else if (WIFSIGNALED(st))
			snprintf(buf, len, "KILLED (SIG%s)",
			    sigabbrev_np(WTERMSIG(st)) != NULL ?
			    sigabbrev_np(WTERMSIG(st)) : "?");
		else
			snprintf(buf, len, "EXITED (status %d)",
			    WEXITSTATUS(st));
		return;
	}
	ctl = session_ctl(ui->session);
	if (ctl == NULL) {
		/* Processes without gates: stopped or not, by signals. */
		for (i = 0; i < ui->snap.ntasks; i++) {
			if (ui->snap.tasks[i].is_thread)
				continue;
			gated++;
			if (ui->snap.tasks[i].s.state == 'T')
				paused++;
		}
		if (ui->all_paused)
			snprintf(buf, len, "STOPPED");
		else if (paused > 0)
			snprintf(buf, len, "RUNNING, %zu of %zu stopped",
			    paused, gated);
		else
			snprintf(buf, len, "RUNNING");
		return;
	}
	for (i = 0; i < ui->snap.ntasks; i++) {
		if (ui->snap.tasks[i].slot < 0)
			continue;
		gated++;
		if (ui->snap.tasks[i].gate != SNAP_GATE_RUNNING)
			paused++;
	}
	if (ctl_pausing_new(ctl))
		snprintf(buf, len, "PAUSED");
	else if (paused > 0)
		snprintf(buf, len, "RUNNING, %zu of %zu paused", paused, gated);
	else
		snprintf(buf, len, "RUNNING");
}

/* Draws the two header lines. */
static void
draw_header(struct ui *ui)
{
	char left[768], right[160], state[64], speed[32], how[384];
	struct ctl *ctl = session_ctl(ui->session);
	enum session_kind kind = session_kind(ui->session);
	const char *title = session_title(ui->session);
	int rw;

	run_state(ui, state, sizeof state);
	speed[0] = '\0';
	if (ctl != NULL)
		snprintf(speed, sizeof speed, "speed %gx  ", ctl_speed(ctl));
	snprintf(right, sizeof right, " %s%s  refresh %.1fs  %.1fs ", speed,
	    state, ui->cli.delay / 10.0,
	    ui->ended || ui->snap.t == 0 ? session_elapsed(ui->session) :
	    ui->snap.t);
	rw = ui_format_width(right);
	if (kind == SESSION_SCENARIO)
		snprintf(left, sizeof left, " ptmon  %s: %s", title,
		    ui->sc != NULL ? ui->sc->summary : "");
	else if (kind == SESSION_ATTACHED && ui->snap.ntasks > 0)
		snprintf(left, sizeof left, " ptmon  %s (%s)", title,
		    ui->snap.tasks[0].s.name);
	else
		snprintf(left, sizeof left, " ptmon  %s", title);
	ui_put(0, 0, COLS, left, ui_attr(ui, UI_C_TITLE), true);
	if (rw < COLS - 20)
		ui_put(0, COLS - rw, rw, right, ui_attr(ui, UI_C_TITLE), true);
	if (kind == SESSION_SCENARIO && ui->replay != NULL) {
		ui_replay_text(ui, how, sizeof how);
		snprintf(left, sizeof left, " %s   Watch for: %s", how,
		    ui->sc != NULL ? ui->sc->watch_for : "");
	} else if (kind == SESSION_SCENARIO)
		snprintf(left, sizeof left, " Watch for: %s",
		    ui->sc != NULL ? ui->sc->watch_for : "");
	else if (ui->ended) {
		ui_end_text(ui, how, sizeof how);
		snprintf(left, sizeof left, " %s %s: %s",
		    kind == SESSION_COMMAND ? "The command" : "The process",
		    how, kind == SESSION_COMMAND ?
		    "r runs it again, q quits" : "q quits");
	} else
		snprintf(left, sizeof left, " Watching %s %d and its "
		    "descendants: Space stops one, P all, s steps, k signals",
		    kind == SESSION_COMMAND ? "command" : "pid",
		    (int)session_root(ui->session));
	ui_put(1, 0, COLS, left, ui->ended && kind != SESSION_SCENARIO ?
	    ui_attr(ui, UI_C_BAD) | A_BOLD : A_BOLD, true);
}

/*
 * Splits the screen below the header into tree, side and log panes; with
 * a balance, the lab goes full width between the tree and the log.
 */
static void
layout(struct ui *ui)
{
	int body = LINES - 3, band, side_h, lab_h = 0;
	unsigned panes = session_panes(ui->session);
	bool side;

	band = body / 3;
	if (band < 5)
		band = body >= 10 ? 5 : body / 2;
	ui->lab = (struct ui_rect){ 0, 0, 0, 0 };
	if (ui_lab_shown(ui)) {
		panes &= ~(unsigned)MODEL_BALANCE;
		/* The tree keeps its header and two rows. */
		lab_h = ui_lab_height(ui);
		if (lab_h > body - band - 3)
			lab_h = body - band - 3;
		if (lab_h < 0)
			lab_h = 0;
		body -= lab_h;
	}
	side = (panes & MODEL_QUEUE) != 0;
	side_h = 0;
	if (side && COLS < 2 * UI_SIDE_COLS) {
		/* Narrow: the side panes get their own band. */
		side_h = panes & MODEL_QUEUE ? 4 : 0;
		if (side_h > body / 3)
			side_h = body / 3;
	}
	ui->tree = (struct ui_rect){ 2, 0, body - band - side_h, COLS };
	if (lab_h > 0)
		ui->lab = (struct ui_rect){ 2 + body - band, 0, lab_h, COLS };
	ui->logr = (struct ui_rect){ 2 + body - band + lab_h, 0, band, COLS };
	if (!side)
		ui->side = (struct ui_rect){ 0, 0, 0, 0 };
	else if (side_h > 0)
		ui->side = (struct ui_rect){ 2 + body - band - side_h, 0,
		    side_h, COLS };
	else {
		ui->logr.w = COLS - UI_SIDE_COLS;
		ui->side = (struct ui_rect){ ui->logr.y, ui->logr.w,
		    band, UI_SIDE_COLS };
	}
}

/* Draws the side panes the scenario has, stacked in r. */
static void
draw_side(struct ui *ui, struct ui_rect r)
{
	unsigned panes = session_panes(ui->session);

	if (r.h <= 0 || r.w <= 0)
		return;
	if (panes & MODEL_QUEUE)
		ui_panes_draw_queue(ui, r);
}

/* Draws the footer: the search prompt, a message, or the key bar. */
static void
draw_footer(struct ui *ui)
{
	char line[160];

	if (ui->mode == UI_MODE_SEARCH) {
		snprintf(line, sizeof line, " Search: %s_%s", ui->search,
		    ui->search_failed ? "   (no match)" : "");
		ui_put(LINES - 1, 0, COLS, line, ui_attr(ui,
		    ui->search_failed ? UI_C_BAD : UI_C_KEYLABEL), true);
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

/* Draws the whole screen from the state. */
static void
draw(struct ui *ui)
{
	erase();
	if (COLS < UI_MIN_COLS || LINES < UI_MIN_ROWS) {
		char line[64];

		snprintf(line, sizeof line, "terminal too small (%dx%d)",
		    COLS, LINES);
		ui_put(0, 0, COLS, line, A_BOLD, false);
		if (LINES > 1)
			ui_put(1, 0, COLS, "enlarge it, or q to quit",
			    A_NORMAL, false);
		return;
	}
	if (ui->session == NULL) {
		ui_picker_draw(ui);
	} else {
		draw_header(ui);
		layout(ui);
		ui_tree_draw(ui, ui->tree);
		draw_side(ui, ui->side);
		ui_lab_draw(ui, ui->lab);
		ui_panes_draw_log(ui, ui->logr);
		draw_footer(ui);
	}
	if (ui->mode == UI_MODE_HELP)
		ui_help_draw(ui);
	else if (ui->mode == UI_MODE_SIGNAL)
		ui_signal_draw(ui);
}

/* Milliseconds on the monotonic clock. */
long long
ui_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Opens our own signalfd for the signals session_init_process blocked. */
static int
own_signalfd(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	sigaddset(&set, SIGWINCH);
	sigaddset(&set, SIGTSTP);
	sigaddset(&set, SIGCONT);
	return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

/* Starts curses the way the UI wants it. */
static void
start_curses(struct ui *ui)
{
	if (initscr() == NULL)
		fatalx("cannot start the terminal UI");
	curses_on = true;
	cleanup_push(ui_endwin);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED |
	    BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	init_colors(ui);
}

/* Reads every key curses has; returns the reactions they ask for. */
static unsigned
read_keys(struct ui *ui)
{
	unsigned flags = 0;
	int ch;

	while ((ch = getch()) != ERR) {
		if (COLS < UI_MIN_COLS || LINES < UI_MIN_ROWS) {
			/* Too small to show anything: only quitting works. */
			if (ch == 'q' || ch == KEY_F(10))
				flags |= UI_QUIT;
			flags |= UI_REDRAW;
			continue;
		}
		flags |= ui_keys_handle(ui, ch);
		if (flags & UI_QUIT)
			break;
	}
	return flags;
}

int
ui_run(const struct cli *cli, const struct scenario *sc,
    const struct params *params)
{
	struct ui ui;
	const char *cause = NULL;
	long long next_tick;
	unsigned flags = UI_REDRAW;
	bool utf8;
	int exec_errno = 0;

	memset(&ui, 0, sizeof ui);
	ui.cli = *cli;
	if (ui.cli.delay < 1)
		ui.cli.delay = 1;
	ui.hz = sysconf(_SC_CLK_TCK);
	setlocale(LC_ALL, "");
	utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	ui.ascii = cli->ascii || !utf8;
	ui.sigfd = own_signalfd();
	if (ui.sigfd < 0)
		fatal("signalfd");
	ui.sampler = sampler_new(&cause);
	if (ui.sampler == NULL)
		fatalx("%s", cause);
	ui.mode = UI_MODE_PICKER;
	/* What cannot be watched is said before curses takes the terminal. */
	if ((cli->target == CLI_TARGET_COMMAND ||
	    cli->target == CLI_TARGET_PID) &&
	    ui_watch(&ui, &exec_errno, &cause) < 0) {
		if (cli->target == CLI_TARGET_PID)
			usage_error("-p %d: %s", (int)cli->pid, cause);
		if (exec_errno == 0)
			fatalx("%s", cause);
		/* As a shell says it: 127 not found, 126 not runnable. */
		fprintf(stderr, "ptmon: %.200s: %s\n", cli->argv[0],
		    exec_errno == ENOENT ? "command not found" : cause);
		exit(exec_errno == ENOENT ? 127 : 126);
	}
	/* As batch mode: a schedule that cannot be read ends ptmon here. */
	if (cli->replay != NULL) {
		char why[512];

		if (schedule_load(cli->replay, &ui.plan, why, sizeof why) < 0)
			usage_error("%s", why);
		ui.replay_on = true;
	}
	start_curses(&ui);

	if (sc != NULL)
		ui_start(&ui, sc, params);
	next_tick = ui_now_ms() + ui.cli.delay * 100LL;
	while (!(flags & UI_QUIT)) {
		struct pollfd fds[1 + SESSION_POLLFDS];
		long long now;
		int n = 1, timeout;
		unsigned generation;
		bool had_session;

		if (flags & UI_CLEAR)
			clearok(curscr, TRUE);
		if (flags & (UI_REDRAW | UI_CLEAR)) {
			draw(&ui);
			refresh();
		}
		flags = 0;

		fds[0] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
		if (ui.session != NULL)
			n += session_pollfds(ui.session, fds + 1);
		else
			fds[n++] = (struct pollfd){ .fd = ui.sigfd,
			    .events = POLLIN };
		now = ui_now_ms();
		timeout = next_tick > now ? (int)(next_tick - now) : 0;
		if (ui.step_due != 0 && ui.step_due - now < timeout)
			timeout = ui.step_due > now ? (int)(ui.step_due - now) :
			    0;
		if (poll(fds, (nfds_t)n, timeout) < 0 && errno != EINTR)
			fatal("poll");

		if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			ui.stop_signal = SIGHUP;
			break;
		}
		generation = ui.generation;
		had_session = ui.session != NULL;
		if (fds[0].revents & POLLIN)
			flags |= read_keys(&ui);
		if (flags & UI_QUIT)
			break;
		if (ui.generation != generation) {
			/* A key ended or changed the session: fds are stale. */
		} else if (had_session) {
			unsigned long before = ui.log.added;

			session_handle(ui.session, fds + 1, n - 1);
			if (ui.log.added != before)
				flags |= UI_REDRAW;
			if (!ui.ended && session_done(ui.session))
				flags |= UI_RESAMPLE;
		} else if (fds[1].revents != 0)
			read_own_signals(&ui);
		flags |= pending_flags;
		pending_flags = 0;

		now = ui_now_ms();
		if (ui.step_due != 0 && now >= ui.step_due) {
			/* Stepped processes had their refresh interval. */
			ui.step_due = 0;
			if (ui.session != NULL)
				session_tick(ui.session);
			flags |= UI_RESAMPLE;
		}
		if (ui.message[0] != '\0' && now >= ui.message_until) {
			ui.message[0] = '\0';
			flags |= UI_REDRAW;
		}
		if (now >= next_tick) {
			flags |= UI_RESAMPLE | replay_tick(&ui);
			next_tick += ui.cli.delay * 100LL;
			if (next_tick <= now)
				next_tick = now + ui.cli.delay * 100LL;
		}
		if (flags & UI_RESAMPLE) {
			ui_sample(&ui);
			flags |= UI_REDRAW;
		}
	}

	/* --record is written before ptmon leaves: an error goes to stderr. */
	if (ui_lab_record(&ui) < 0) {
		ui_endwin();
		fprintf(stderr, "ptmon: --record %s: %s\n", ui.cli.record,
		    strerror(errno));
		if (ui.stop_signal == 0)
			ui.status = 1;
	}
	ui_endwin();
	ui_stop(&ui);
	schedule_free(&ui.plan);
	model_free(&ui.snap);
	ui_log_clear(&ui.log);
	free(ui.log.lines);
	sampler_free(ui.sampler);
	close(ui.sigfd);
	if (ui.stop_signal != 0)
		return 128 + ui.stop_signal;
	return ui.status;
}
