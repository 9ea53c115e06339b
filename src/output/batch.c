/*
 * Batch mode: a sink of the driver that writes what happens, no UI. Plain,
 * it prints the scenario's output as the tutorial shows it (a command's
 * stdout and stderr pass through, sanitised; an attached process's tree is
 * printed every --delay, as top -b does); with --json it writes JSON Lines
 * (jsonl.h): start, output, spawn, exit, a snapshot every --delay, and a
 * last snapshot and end when what it watches is over.
 */
#include "config.h"

#include "batch.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "driver.h"
#include "json.h"
#include "jsonl.h"
#include "model.h"
#include "outfd.h"
#include "params.h"
#include "scenario.h"
#include "schedule.h"
#include "timeline.h"
#include "xalloc.h"

struct batch {
	const struct cli	*cli;
	struct driver		*d;
	struct json		 j;
	struct outfd		 out, err;	/* stdout, stderr */
	bool			 out_tty, err_tty;
	long			 hz;
	int			 stop_signal;	/* set when ptmon must end */
	int			 write_error;
	bool			 lab_failed;	/* the replay cannot go on */
};

/*
 * A write failed: the reader is gone (EPIPE), or a signal that ends ptmon
 * came while the reader did not read (EINTR): stop at once either way.
 */
static void
write_failed(struct batch *b, const struct outfd *o)
{
	if (b->write_error != 0)
		return;
	b->write_error = o->error;
	if (o->error == EINTR && b->stop_signal == 0)
		b->stop_signal = outfd_ending_signal() != 0 ?
		    outfd_ending_signal() : SIGTERM;
	driver_quit(b->d, driver_status(b->d));
}

/* Writes what is buffered for o; false when it failed. */
static bool
flush(struct batch *b, struct outfd *o)
{
	if (b->write_error == 0 && outfd_flush(o) < 0)
		write_failed(b, o);
	return b->write_error == 0;
}

/* Writes the JSON object in b->j as one line. */
static void
emit(struct batch *b)
{
	if (b->write_error == 0) {
		outfd_puts(&b->out, b->j.buf);
		outfd_put(&b->out, "\n", 1);
		if (b->out.error != 0)
			write_failed(b, &b->out);
	}
	json_reset(&b->j);
}

static double
now(const struct batch *b)
{
	return driver_elapsed(b->d);
}

static void
on_started(void *arg)
{
	struct batch *b = arg;
	struct jsonl_start s = {
		.pid = getpid(), .root = driver_root(b->d),
		.speed = b->cli->speed,
	};

	if (!b->cli->json)
		return;
	if (driver_scenario(b->d) != NULL) {
		s.scenario = driver_scenario(b->d)->name;
		s.params = driver_params(b->d);
		s.has_seed = true;
		s.seed = driver_seed(b->d);
	} else if (b->cli->target == CLI_TARGET_COMMAND)
		s.command = driver_title(b->d);
	else
		s.attach = driver_title(b->d);
	jsonl_start(&b->j, now(b), &s);
	emit(b);
}

/* ptmon's word on the run: one line on stderr, outside the output. */
static void
on_note(void *arg, const char *text)
{
	(void)arg;
	fprintf(stderr, "ptmon: %s\n", text);
}

/*
 * Plain output passes a program's bytes on exactly, NULs and all, as cat
 * would, unless it goes to a terminal: there it shows sanitised, so that
 * no escape sequence of the program reaches the terminal through ptmon.
 * JSON always carries the sanitised text.
 */
static void
on_output(void *arg, const struct output_line *line)
{
	struct batch *b = arg;
	struct outfd *o = line->stream == 2 ? &b->err : &b->out;
	bool tty = line->stream == 2 ? b->err_tty : b->out_tty;

	if (b->cli->json) {
		jsonl_output(&b->j, now(b), line->pid, line->stream,
		    line->text);
		emit(b);
		return;
	}
	if (b->write_error != 0)
		return;
	/* The order of a command's stdout and stderr lines is kept. */
	if (!flush(b, line->stream == 2 ? &b->out : &b->err))
		return;
	if (tty)
		outfd_puts(o, line->text);
	else
		outfd_put(o, line->raw, line->rawlen);
	if (line->ended)
		outfd_put(o, "\n", 1);
	if (o->error != 0 || (line->stream == 2 && !flush(b, o)))
		write_failed(b, o);
}

/* Each pass of the loop: what is buffered goes out. */
static long
on_idle(void *arg)
{
	struct batch *b = arg;

	if (flush(b, &b->err))
		flush(b, &b->out);
	return -1;
}

static void
on_spawn(void *arg, pid_t pid, pid_t tid, pid_t ppid, const char *name)
{
	struct batch *b = arg;

	if (!b->cli->json)
		return;
	jsonl_spawn(&b->j, now(b), pid, tid, ppid, name);
	emit(b);
}

static void
on_exit_(void *arg, pid_t pid, pid_t tid, int status)
{
	struct batch *b = arg;

	if (!b->cli->json)
		return;
	jsonl_exit(&b->j, now(b), pid, tid, status);
	emit(b);
}

/* The tree as text, top -b style, for plain batch attach. */
static void
write_text_snapshot(struct batch *b, const struct snapshot *snap)
{
	size_t i;

	outfd_printf(&b->out, "ptmon %s, %.1f s, %zu tasks\n",
	    driver_title(b->d), driver_elapsed(b->d), snap->ntasks);
	outfd_printf(&b->out, "%7s %7s %7s S %5s %8s %-17s  %s\n", "PID",
	    "TID", "PPID", "%CPU", "TIME", "WCHAN", "NAME");
	for (i = 0; i < snap->ntasks; i++) {
		const struct snap_task *t = &snap->tasks[i];

		outfd_printf(&b->out,
		    "%7d %7d %7d %c %5.1f %8.2f %-17.17s  %*s%s%s%s\n",
		    t->s.tgid, t->s.tid, t->s.ppid, t->s.state, t->s.cpu,
		    (double)t->s.ticks / (double)(b->hz > 0 ? b->hz : 100),
		    t->s.wchan[0] != '\0' ? t->s.wchan : "-", 2 * t->depth, "",
		    t->is_thread ? "{" : "", t->s.name, t->is_thread ? "}" : "");
	}
	outfd_put(&b->out, "\n", 1);
}

/*
 * --timeline: each task of the last tree and its states, one letter per
 * refresh, after the scenario's output. Names are the sampler's,
 * sanitised already.
 */
static void
write_timeline(struct batch *b)
{
	const struct snapshot *snap = driver_snapshot(b->d);
	char states[TIMELINE_CELLS + 1], name[64];
	size_t i;
	int width = 4;

	for (i = 0; i < snap->ntasks; i++) {
		const struct snap_task *t = &snap->tasks[i];
		int w = 2 * t->depth + (int)strlen(model_task_name(t)) +
		    (t->is_thread ? 2 : 0);

		if (w > width)
			width = w > 32 ? 32 : w;
	}
	outfd_printf(&b->out, "\nTimeline, a letter per %.1f s refresh, "
	    "oldest first: R running, r runnable, S sleeping, W waiting, "
	    "P paused, Z exited, . not started\n", b->cli->delay / 10.0);
	outfd_printf(&b->out, "%-*s %7s  %s\n", width, "NAME", "TID",
	    "STATES");
	for (i = 0; i < snap->ntasks; i++) {
		const struct snap_task *t = &snap->tasks[i];

		snprintf(name, sizeof name, "%*s%s%s%s", 2 * t->depth, "",
		    t->is_thread ? "{" : "", model_task_name(t),
		    t->is_thread ? "}" : "");
		timeline_states(driver_timeline(b->d), t->s.tid,
		    TIMELINE_CELLS, states);
		outfd_printf(&b->out, "%-*.*s %7d  %s\n", width, width, name,
		    t->s.tid, states);
	}
}

static void
on_snapshot(void *arg, const struct snapshot *snap)
{
	struct batch *b = arg;

	if (b->cli->json) {
		jsonl_snapshot(&b->j, now(b), snap, b->hz,
		    driver_timeline(b->d));
		emit(b);
	} else if (b->cli->target == CLI_TARGET_PID &&
	    driver_phase(b->d) == DRIVER_RUNNING)
		write_text_snapshot(b, snap);
	flush(b, &b->out);
}

static void
on_lab(void *arg, enum stepper_state st)
{
	struct batch *b = arg;

	if (st == STEPPER_ERROR) {
		b->lab_failed = true;
		driver_quit(b->d, 2);
	}
}

static void
on_ended(void *arg)
{
	struct batch *b = arg;

	driver_quit(b->d, driver_status(b->d));
}

static void
on_signal(void *arg, int sig)
{
	struct batch *b = arg;

	if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP ||
	    sig == SIGQUIT) {
		b->stop_signal = sig;
		driver_quit(b->d, 128 + sig);
	}
}

/* After a replay: a target= gets its answer. */
static void
report_target(struct batch *b)
{
	const struct params *params = driver_params(b->d);
	const struct param_value *target;
	long long balance = driver_snapshot(b->d)->balance.value;
	size_t steps = driver_taken(b->d)->n;

	if (driver_scenario(b->d) == NULL || b->cli->json)
		return;
	target = params_get(params, "target");
	if (target == NULL || !target->set)
		return;
	if (balance == target->num)
		outfd_printf(&b->out, "target %ld reached: final balance %lld "
		    "in %zu steps\n", target->num, balance, steps);
	else
		outfd_printf(&b->out, "target %ld not reached: final balance "
		    "%lld after %zu steps\n", target->num, balance, steps);
	flush(b, &b->out);
}

int
batch_run(const struct cli *cli, const struct scenario *sc,
    const struct params *params)
{
	struct batch b = { .cli = cli, .hz = sysconf(_SC_CLK_TCK) };
	struct driver_sink sink = {
		.started = on_started, .output = on_output, .spawn = on_spawn,
		.exit = on_exit_, .snapshot = on_snapshot, .lab = on_lab,
		.ended = on_ended, .signal = on_signal, .idle = on_idle,
		.note = on_note, .input_fd = -1, .arg = &b,
	};
	bool snapshots = cli->json || cli->target == CLI_TARGET_PID ||
	    cli->timeline;
	char why[512];
	int status;

	outfd_init(&b.out, STDOUT_FILENO);
	outfd_init(&b.err, STDERR_FILENO);
	b.out_tty = isatty(STDOUT_FILENO);
	b.err_tty = isatty(STDERR_FILENO);
	b.d = driver_new(cli, &sink, snapshots ? cli->delay * 100L : 0);
	driver_start_or_exit(b.d, sc, params);
	status = driver_run(b.d);
	if (b.lab_failed) {
		if (flush(&b, &b.err))
			flush(&b, &b.out);
		snprintf(why, sizeof why, "%s: %s", cli->replay,
		    stepper_error(driver_stepper(b.d)));
		driver_free(b.d);
		usage_error("%s", why);
	}
	if (b.stop_signal != 0 && cli->json && b.write_error == 0)
		driver_resample(b.d);	/* the last snapshot, before end */
	if (cli->json && b.write_error == 0) {
		jsonl_end(&b.j, now(&b), status);
		emit(&b);
	}
	if (b.write_error == 0)
		report_target(&b);
	if (cli->timeline && b.write_error == 0) {
		/* After everything the scenario printed, stderr too. */
		if (flush(&b, &b.err))
			flush(&b, &b.out);
		write_timeline(&b);
	}
	if (flush(&b, &b.err))
		flush(&b, &b.out);
	driver_stop(b.d);
	if (driver_record_error(b.d) != 0) {
		errno = driver_record_error(b.d);
		fatal("%s", cli->record);
	}
	driver_free(b.d);
	json_free(&b.j);
	outfd_free(&b.out);
	outfd_free(&b.err);
	if (b.stop_signal != 0)
		return 128 + b.stop_signal;
	/* The reader went away (| head): as a program killed by SIGPIPE. */
	if (b.write_error == EPIPE)
		return 128 + SIGPIPE;
	if (b.write_error != 0) {
		errno = b.write_error;
		fatal("writing output");
	}
	return status;
}
