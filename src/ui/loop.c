/*
 * The full-screen UI as a sink of the driver: it owns the terminal, not
 * the loop. The driver calls these hooks: output goes to the log, each
 * snapshot keeps the selection on its task, the end of a run is told in
 * the log, keys arrive on stdin (input), and the screen is drawn once per
 * pass when something changed (idle). Signals come through the driver's
 * signalfd: SIGWINCH resizes, SIGTSTP leaves curses and stops, SIGCONT
 * repaints, SIGINT/SIGTERM/SIGHUP/SIGQUIT end ptmon.
 *
 * PTMON_TRACE=FILE (for bench/run.sh, off by default): a line per key
 * read, "key NS CODE", per snapshot taken, "sampled NS", and per frame
 * drawn, "drawn NS", NS on the monotonic clock in nanoseconds, so a bench
 * can time a key to the screen.
 */
#include "config.h"

#include "i18n.h"
#include "ui.h"

#include <sys/ioctl.h>

#include <errno.h>
#include <fcntl.h>
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

#include "clock.h"
#include "scenario.h"
#include "ui_format.h"
#include "ui_screen.h"
#include "xalloc.h"

#define UI_MESSAGE_MS	4000

static bool	 curses_on;
static int	 trace_fd = -1;	/* PTMON_TRACE, -1 when off */

/* Opens PTMON_TRACE's file, if set, before curses takes the terminal. */
static void
trace_open(void)
{
	const char *path = getenv("PTMON_TRACE");

	if (path == NULL || *path == '\0')
		return;
	trace_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND |
	    O_CLOEXEC, 0644);
	if (trace_fd < 0)
		fatal("PTMON_TRACE %s", path);
}

/* One line of the trace: what, the monotonic time in ns, and code. */
static void
trace_line(const char *what, int code)
{
	char line[64];
	int n;

	if (trace_fd < 0)
		return;
	if (code >= 0)
		n = snprintf(line, sizeof line, "%s %lld %d\n", what,
		    clock_ns(), code);
	else
		n = snprintf(line, sizeof line, "%s %lld\n", what, clock_ns());
	/* A trace that cannot be written is a bench's loss, not the UI's. */
	if (write(trace_fd, line, (size_t)n) < 0)
		trace_fd = -1;
}

/* Leaves curses; a cleanup hook, so fatal() restores the terminal too. */
static void
ui_endwin(void)
{
	if (curses_on && !isendwin())
		endwin();
}

bool
ui_ended(const struct ui *ui)
{
	return driver_phase(ui->d) == DRIVER_ENDED;
}

bool
ui_has_run(const struct ui *ui)
{
	return driver_phase(ui->d) != DRIVER_IDLE;
}

void
ui_message(struct ui *ui, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->message, sizeof ui->message, fmt, ap);
	va_end(ap);
	ui->message_until = clock_ms() + UI_MESSAGE_MS;
	ui->flags |= UI_REDRAW;
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

void
ui_replay_text(const struct ui *ui, char *buf, size_t len)
{
	const struct stepper *st = driver_stepper(ui->d);

	buf[0] = '\0';
	if (st == NULL)
		return;
	switch (driver_stepper_state(ui->d)) {
	case STEPPER_STEPPING:
		snprintf(buf, len, _("replaying %s: step %zu of %zu"),
		    ui->cli.replay, stepper_taken(st)->n,
		    driver_plan_length(ui->d));
		break;
	case STEPPER_FREE:
		snprintf(buf, len, _("replay done: %zu steps of %s"),
		    stepper_taken(st)->n, ui->cli.replay);
		break;
	case STEPPER_ERROR:
		snprintf(buf, len, _("replay stopped at step %zu of %zu: %s"),
		    stepper_taken(st)->n, driver_plan_length(ui->d),
		    stepper_error(st));
		break;
	}
}

/*
 * The driver's words on the run, in the user's language: src/watch says
 * them in English (batch and JSON print them so), the UI translates them
 * here, where they are shown. An English catalogue gives the same bytes.
 */
const char *
ui_noun(const struct ui *ui)
{
	static const char *const nouns[] = { N_("the command"),
	    N_("the process"), N_("the scenario"), N_("nothing") };
	const char *n = driver_noun(ui->d);
	size_t i;

	for (i = 0; i < sizeof nouns / sizeof nouns[0]; i++)
		if (strcmp(n, nouns[i]) == 0)
			return _(nouns[i]);
	return n;
}

/* ui_noun() at the start of a sentence: "The command". */
const char *
ui_noun_cap(const struct ui *ui)
{
	const char *n = driver_noun(ui->d);

	if (strcmp(n, "the command") == 0)
		return _("The command");
	if (strcmp(n, "the process") == 0)
		return _("The process");
	if (strcmp(n, "the scenario") == 0)
		return _("The scenario");
	return _("Nothing");
}

/* driver_end_text(), translated: how the run's root ended. */
void
ui_end_text(const struct ui *ui, char *buf, size_t len)
{
	char en[128];
	int sig = driver_end_signal(ui->d);
	const char *name;

	driver_end_text(ui->d, en, sizeof en);
	if (strncmp(en, "exited with status ", 19) == 0)
		snprintf(buf, len, _("exited with status %d"),
		    atoi(en + 19));
	else if (sig > 0 && (name = sigabbrev_np(sig)) != NULL)
		snprintf(buf, len, _("was killed by SIG%s%s"), name,
		    strstr(en, " (core dumped)") != NULL ?
		    _(" (core dumped)") : "");
	else if (sig > 0)
		snprintf(buf, len, _("was killed by signal %d"), sig);
	else if (strcmp(en, "has ended") == 0)
		snprintf(buf, len, "%s", _("has ended"));
	else
		snprintf(buf, len, "%s", en);
}

size_t
ui_steps_taken(const struct ui *ui)
{
	return driver_taken(ui->d)->n;
}

/* Driver hook: a line of output goes to the log. */
static void
on_output(void *arg, const struct output_line *line)
{
	struct ui *ui = arg;

	ui_log_add(&ui->log, line->text, false);
	ui->flags |= UI_REDRAW;
}

/* Driver hook: ptmon's word on the run, to the log. */
static void
on_note(void *arg, const char *text)
{
	struct ui *ui = arg;
	char line[512];

	snprintf(line, sizeof line, "[ptmon] %s", text);
	ui_log_add(&ui->log, line, true);
	ui->flags |= UI_REDRAW;
}

/* Driver hook: a fresh snapshot. */
static void
on_snapshot(void *arg, const struct snapshot *snap)
{
	struct ui *ui = arg;

	(void)snap;
	trace_line("sampled", -1);
	ui_tree_refresh(ui);
	ui_meters_sample(ui);
	if (driver_phase(ui->d) == DRIVER_RUNNING)
		ui_lab_sampled(ui);
	ui->flags |= UI_REDRAW;
}

/* Driver hook: the replay is done or cannot go on. */
static void
on_lab(void *arg, enum stepper_state st)
{
	struct ui *ui = arg;
	const struct stepper *lab = driver_stepper(ui->d);
	char line[512];

	if (st == STEPPER_FREE) {
		snprintf(line, sizeof line, "[ptmon] ");
		snprintf(line + 8, sizeof line - 8, _("replay done: %zu "
		    "steps of %s"), stepper_taken(lab)->n, ui->cli.replay);
		ui_log_add(&ui->log, line, true);
	} else if (st == STEPPER_ERROR) {
		snprintf(line, sizeof line, "[ptmon] ");
		snprintf(line + 8, sizeof line - 8, _("replay stopped: %s: %s"),
		    ui->cli.replay, stepper_error(lab));
		ui_log_add(&ui->log, line, true);
		ui_message(ui, "%s", line + 8);
	}
	ui->flags |= UI_REDRAW;
}

/* Driver hook: a pause-all or resume-all has gone out. */
static void
on_paused(void *arg, bool pause, size_t refused, const char *why)
{
	struct ui *ui = arg;

	ui_paused(ui, pause, refused, why);
	ui->flags |= UI_REDRAW;
}

/* Driver hook: the run has ended; its last snapshot came before. */
static void
on_ended(void *arg)
{
	struct ui *ui = arg;
	char line[384], how[64];
	size_t n;

	if (ui->sc != NULL)
		snprintf(line, sizeof line, "[ptmon] %s", driver_title(ui->d));
	else
		snprintf(line, sizeof line, "[ptmon] %.200s",
		    driver_title(ui->d));
	n = strlen(line);
	if (ui->sc != NULL)
		snprintf(line + n, sizeof line - n, _(" ended, status %d"),
		    driver_status(ui->d));
	else {
		ui_end_text(ui, how, sizeof how);
		snprintf(line + n, sizeof line - n, " %s%s", how,
		    driver_restartable(ui->d) ? _("; r runs it again") : "");
	}
	ui_log_add(&ui->log, line, true);
	ui_lab_ended(ui);
	if (driver_record_error(ui->d) != 0)
		ui_message(ui, _("cannot write %s: %s"), ui->cli.record,
		    strerror(driver_record_error(ui->d)));
	ui_tree_refresh(ui);
	ui->flags |= UI_REDRAW;
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

/* Driver hook: a signal other than SIGCHLD. */
static void
on_signal(void *arg, int sig)
{
	struct ui *ui = arg;

	switch (sig) {
	case SIGTSTP:
		suspend();
		/* Back here after SIGCONT. */
		/* FALLTHROUGH */
	case SIGWINCH:
	case SIGCONT:
		resize();
		ui->flags |= UI_REDRAW | UI_CLEAR;
		break;
	case SIGINT:
	case SIGTERM:
	case SIGHUP:
	case SIGQUIT:
		driver_quit(ui->d, 128 + sig);
		break;
	default:
		break;
	}
}

/* Acts on what a key handler asks for. */
static void
react(struct ui *ui, unsigned flags)
{
	if (flags & UI_QUIT)
		driver_quit(ui->d, ui->status);
	if (flags & UI_RESAMPLE)
		driver_resample(ui->d);
	ui->flags |= flags & (UI_REDRAW | UI_CLEAR);
}

/* Driver hook: keys on stdin, or the terminal has gone. */
static void
on_input(void *arg, short revents)
{
	struct ui *ui = arg;
	unsigned flags = 0;
	int ch;

	if (revents & (POLLHUP | POLLERR | POLLNVAL)) {
		driver_quit(ui->d, 128 + SIGHUP);
		return;
	}
	while ((ch = getch()) != ERR) {
		trace_line("key", ch);
		if (ui_too_small()) {
			/* Too small to show anything: only quitting works. */
			if (ch == 'q' || ch == KEY_F(10))
				flags |= UI_QUIT;
			flags |= UI_REDRAW;
		} else
			flags |= ui_keys_handle(ui, ch);
		if (flags & UI_QUIT)
			break;
	}
	react(ui, flags);
}

/* Driver hook, before the loop sleeps: the screen is drawn here. */
static long
on_idle(void *arg)
{
	struct ui *ui = arg;
	long long now = clock_ms();

	if (ui->message[0] != '\0' && now >= ui->message_until) {
		ui->message[0] = '\0';
		ui->flags |= UI_REDRAW;
	}
	if (ui->flags & UI_CLEAR)
		clearok(curscr, TRUE);
	if (ui->flags & (UI_REDRAW | UI_CLEAR)) {
		ui_draw(ui);
		refresh();
		trace_line("drawn", -1);
	}
	ui->flags = 0;
	return ui->message[0] != '\0' ? (long)(ui->message_until - now) : -1;
}

/* Forgets what the last run left in the lab. */
static void
reset_run(struct ui *ui)
{
	ui->lost_seen = 0;
	ui->stale_note[0] = '\0';
	ui->message[0] = '\0';
	ui_log_clear(&ui->log);
	memset(&ui->view, 0, sizeof ui->view);
}

void
ui_stop(struct ui *ui)
{
	driver_stop(ui->d);
	if (driver_record_error(ui->d) != 0)
		ui_message(ui, _("cannot write %s: %s"), ui->cli.record,
		    strerror(driver_record_error(ui->d)));
	if (ui->sc != NULL)
		ui->picker_sel = ui_scenario_index(ui->sc);
	ui->sc = NULL;
	ui->mode = UI_MODE_PICKER;
	ui->flags |= UI_REDRAW;
}

void
ui_start(struct ui *ui, const struct scenario *sc,
    const struct params *params)
{
	const char *cause = NULL;

	reset_run(ui);
	ui_stop(ui);
	ui->params = *params;
	if (driver_start_scenario(ui->d, sc, &ui->params, &cause) < 0) {
		ui_message(ui, _("cannot start %s: %s"), sc->name, cause);
		return;
	}
	ui->sc = sc;
	ui->mode = UI_MODE_MAIN;
	driver_resample(ui->d);
}

int
ui_restart(struct ui *ui)
{
	const struct scenario *sc = ui->sc;
	const char *cause = NULL;

	if (!driver_restartable(ui->d)) {
		ui_message(ui, _("r: ptmon did not start pid %d, so it cannot "
		    "restart it"), (int)driver_root(ui->d));
		return -1;
	}
	reset_run(ui);
	if (driver_restart(ui->d, &cause) < 0) {
		ui_message(ui, _("cannot run %s: %s"), sc != NULL ? sc->name :
		    ui->cli.argv[0], cause);
		ui->sc = NULL;
		ui->mode = UI_MODE_PICKER;
		return -1;
	}
	ui->sc = sc;
	ui->mode = UI_MODE_MAIN;
	driver_resample(ui->d);
	ui_message(ui, _("restarted %s"), sc != NULL ? sc->name :
	    ui->cli.argv[0]);
	return 0;
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
	driver_set_replay(ui->d, false);
	ui_start(ui, scenarios[i], &params);
}

/* Starts curses the way the UI wants it. */
static void
start_curses(struct ui *ui)
{
	if (initscr() == NULL)
		fatalx("cannot start the terminal UI");
	curses_on = true;
	cleanup_push(ui_endwin);
	/*
	 * Until curses has come back from endwin() once, ncurses (6.4)
	 * flushes its output after every cursor jump: a frame reaches the
	 * terminal in dozens of writes, and the terminal can show half of
	 * one (the header's FINISHED over rows not yet redrawn). Going out
	 * and back in first sends each frame in one write (a few for one
	 * larger than curses' buffer). Before the modes below: endwin()
	 * takes the keypad and the mouse out of the terminal's modes.
	 */
	def_prog_mode();
	endwin();
	refresh();
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
	ui_init_colors(ui);
}

int
ui_run(const struct cli *cli, const struct scenario *sc,
    const struct params *params)
{
	struct ui ui;
	struct driver_sink sink = {
		.output = on_output, .snapshot = on_snapshot, .lab = on_lab,
		.ended = on_ended, .signal = on_signal, .input = on_input,
		.note = on_note, .paused = on_paused,
		.idle = on_idle, .input_fd = STDIN_FILENO, .arg = &ui,
	};
	int status;
	bool utf8;

	memset(&ui, 0, sizeof ui);
	ui.cli = *cli;
	if (ui.cli.delay < 1)
		ui.cli.delay = 1;
	ui.hz = sysconf(_SC_CLK_TCK);
	setlocale(LC_ALL, "");
	utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	ui.ascii = cli->ascii || !utf8;
	ui.mode = UI_MODE_PICKER;
	ui.flags = UI_REDRAW;
	ui.vopts.timeline = cli->timeline;
	ui.d = driver_new(&ui.cli, &sink, ui.cli.delay * 100L);
	ui.snap = driver_snapshot(ui.d);
	trace_open();
	/* A person watches a replay play: one step a refresh. */
	driver_set_lab_pace(ui.d, 1);
	/* Every moment of a scenario gets its frame, up to 60 a second. */
	driver_set_event_frames(ui.d, 16);
	/* What cannot be watched is said before curses takes the terminal. */
	if (sc == NULL && cli->target != CLI_TARGET_NONE) {
		driver_start_or_exit(ui.d, NULL, NULL);
		ui.mode = UI_MODE_MAIN;
	}
	start_curses(&ui);
	if (sc != NULL)
		ui_start(&ui, sc, params);
	else if (ui_has_run(&ui))
		driver_resample(ui.d);

	status = driver_run(ui.d);

	/* --record is written before ptmon leaves: an error goes to stderr. */
	driver_stop(ui.d);
	ui_endwin();
	if (trace_fd >= 0)
		close(trace_fd);
	if (driver_record_error(ui.d) != 0) {
		fprintf(stderr, "ptmon: --record %s: %s\n", ui.cli.record,
		    strerror(driver_record_error(ui.d)));
		if (status == 0)
			status = 1;
	}
	driver_free(ui.d);
	ui_list_free(&ui.shown_store);
	ui_log_clear(&ui.log);
	free(ui.log.lines);
	return status;
}
