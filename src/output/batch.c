/*
 * Batch mode: a poll() loop over the session. Plain, it prints the
 * scenario's output as the tutorial shows it (a command's stdout and
 * stderr pass through, sanitised; an attached process's tree is printed
 * every --delay, as top -b does); with --json it writes JSON Lines: start,
 * output, spawn, exit, a snapshot every --delay, and a last snapshot and
 * end when what it watches is over.
 */
#include "config.h"

#include "batch.h"

#include <sys/wait.h>

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ctl.h"
#include "json.h"
#include "stepper.h"
#include "model.h"
#include "sampler.h"
#include "sanitize.h"
#include "scenario.h"
#include "schedule.h"
#include "session.h"
#include "xalloc.h"

/* A task batch mode has announced, so spawn and exit come once each. */
struct seen_task {
	pid_t	 tid;
	bool	 exited;
};

struct batch {
	const struct cli	*cli;
	const struct scenario	*sc;
	struct session		*session;
	struct sampler		*sampler;
	struct snapshot		 snap;
	struct json		 j;
	struct seen_task	*seen;
	size_t			 nseen, capseen;
	int			 stop_signal;	/* set when ptmon must end */
	int			 write_error;
	struct stepper		*lab;		/* --replay */
	struct schedule		 plan;
};

/* Writes the JSON object in b->j as one line. */
static void
emit(struct batch *b)
{
	if (fputs(b->j.buf, stdout) == EOF || putchar('\n') == EOF)
		b->write_error = errno;
	json_reset(&b->j);
}

/* Starts an event object with its type and time. */
static void
event(struct batch *b, const char *type)
{
	json_open(&b->j, '{');
	json_key(&b->j, "type");
	json_string(&b->j, type);
	json_key(&b->j, "t");
	json_number(&b->j, b->session != NULL ?
	    session_elapsed(b->session) : 0, 3);
}

static void
on_error(void *arg, pid_t pid, const char *text)
{
	struct batch *b = arg;

	if (!b->cli->json) {
		fprintf(stderr, "%s\n", text);
		return;
	}
	event(b, "output");
	json_key(&b->j, "pid");
	json_int(&b->j, pid);
	json_key(&b->j, "stream");
	json_string(&b->j, "stderr");
	json_key(&b->j, "text");
	json_string(&b->j, text);
	json_close(&b->j, '}');
	emit(b);
}

static struct seen_task *
find_seen(struct batch *b, pid_t tid)
{
	size_t i;

	for (i = 0; i < b->nseen; i++)
		if (b->seen[i].tid == tid)
			return &b->seen[i];
	return NULL;
}

/* Announces a task the first time batch mode sees it. */
static void
spawned(struct batch *b, pid_t pid, pid_t tid, pid_t ppid, const char *name)
{
	if (tid <= 0 || find_seen(b, tid) != NULL)
		return;
	if (b->nseen == b->capseen) {
		b->capseen = b->capseen ? b->capseen * 2 : 64;
		b->seen = xrealloc(b->seen, b->capseen * sizeof *b->seen);
	}
	b->seen[b->nseen].tid = tid;
	b->seen[b->nseen++].exited = false;
	if (!b->cli->json)
		return;
	event(b, "spawn");
	json_key(&b->j, "pid");
	json_int(&b->j, pid);
	json_key(&b->j, "tid");
	json_int(&b->j, tid);
	json_key(&b->j, "ppid");
	json_int(&b->j, ppid);
	json_key(&b->j, "name");
	json_string(&b->j, name);
	json_close(&b->j, '}');
	emit(b);
}

/* Announces the end of a task once; status < 0 when it is not known. */
static void
exited(struct batch *b, pid_t tid, int status)
{
	struct seen_task *t = find_seen(b, tid);

	if (t == NULL || t->exited)
		return;
	t->exited = true;
	event(b, "exit");
	json_key(&b->j, "pid");
	json_int(&b->j, tid);
	if (status >= 0 && WIFSIGNALED(status)) {
		json_key(&b->j, "signal");
		json_int(&b->j, WTERMSIG(status));
	} else {
		json_key(&b->j, "status");
		if (status >= 0)
			json_int(&b->j, WEXITSTATUS(status));
		else
			json_null(&b->j);
	}
	json_close(&b->j, '}');
	emit(b);
}

/*
 * Tasks the control block tells of: spawns at once (a task takes its slot
 * before it prints anything). Ends are only noted in *done here: a task
 * prints, then ends, so its end is told after the output pipe is drained.
 */
static void
watch_slots(struct batch *b, pid_t *done, size_t *ndone)
{
	struct ctl *ctl = session_ctl(b->session);
	struct ctl_task_view v;
	int cursor = 0;

	if (ctl == NULL)
		return;
	while (ctl_task_next(ctl, &cursor, &v)) {
		spawned(b, v.pid, v.tid, v.ppid, v.role);
		/* The root's end comes with its status when ptmon reaps it. */
		if (done != NULL && v.doing == CTL_DONE &&
		    v.tid != session_root(b->session))
			done[(*ndone)++] = v.tid;
	}
}

static void
on_output(void *arg, pid_t pid, const char *text)
{
	struct batch *b = arg;

	if (!b->cli->json) {
		if (fputs(text, stdout) == EOF || putchar('\n') == EOF)
			b->write_error = errno;
		return;
	}
	watch_slots(b, NULL, NULL);
	event(b, "output");
	json_key(&b->j, "pid");
	json_int(&b->j, pid);
	json_key(&b->j, "text");
	json_string(&b->j, text);
	json_close(&b->j, '}');
	emit(b);
}

static void
on_exit_(void *arg, pid_t pid, int status)
{
	struct batch *b = arg;

	if (b->cli->json)
		exited(b, pid, status);
}

static void
on_prepare(void *arg, struct ctl *ctl)
{
	struct batch *b = arg;

	if (b->lab != NULL)
		stepper_prepare(b->lab, ctl);
}

/* After a replay: the steps go to --record, a target= gets its answer. */
static void
report_lab(struct batch *b, const struct params *params, int64_t balance)
{
	const struct param_value *target = params != NULL ?
	    params_get(params, "target") : NULL;
	size_t steps = b->lab != NULL ? stepper_taken(b->lab)->n : 0;
	FILE *f;

	if (b->cli->record != NULL && b->lab != NULL) {
		f = fopen(b->cli->record, "w");
		if (f == NULL || schedule_write(f, stepper_taken(b->lab),
		    "steps taken by ptmon --replay") < 0)
			fatal("%s", b->cli->record);
		fclose(f);
	}
	if (target == NULL || !target->set || b->cli->json)
		return;
	if (balance == target->num)
		printf("target %ld reached: final balance %lld in %zu steps\n",
		    target->num, (long long)balance, steps);
	else
		printf("target %ld not reached: final balance %lld after %zu "
		    "steps\n", target->num, (long long)balance, steps);
}

static void
on_signal(void *arg, int sig)
{
	struct batch *b = arg;

	if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGQUIT)
		b->stop_signal = sig;
}

static const char *
gate_name(enum snap_gate gate)
{
	switch (gate) {
	case SNAP_GATE_NONE:		return "none";
	case SNAP_GATE_RUNNING:		return "running";
	case SNAP_GATE_PAUSED:		return "paused";
	case SNAP_GATE_STEPPING:	return "stepping";
	}
	return "?";
}

static void
write_task(struct json *j, const struct snap_task *t)
{
	char state[2] = { t->s.state, '\0' };
	long hz = sysconf(_SC_CLK_TCK);

	json_open(j, '{');
	json_key(j, "pid");
	json_int(j, t->s.tgid);
	json_key(j, "tid");
	json_int(j, t->s.tid);
	json_key(j, "ppid");
	json_int(j, t->s.ppid);
	json_key(j, "depth");
	json_int(j, t->depth);
	json_key(j, "thread");
	json_bool(j, t->is_thread);
	json_key(j, "name");
	json_string(j, t->s.name);
	json_key(j, "role");
	json_string(j, t->role);
	json_key(j, "state");
	json_string(j, state);
	json_key(j, "cpu");
	json_number(j, t->s.cpu, 1);
	json_key(j, "rss");
	json_int(j, (long long)t->s.rss_kib);
	json_key(j, "time");
	json_number(j, (double)t->s.ticks / (double)(hz > 0 ? hz : 100), 2);
	json_key(j, "processor");
	json_int(j, t->s.processor);
	json_key(j, "gate");
	json_string(j, gate_name(t->gate));
	json_key(j, "doing");
	if (t->slot >= 0)
		json_string(j, ctl_doing_name(t->doing));
	else
		json_null(j);
	json_key(j, "at");
	json_string(j, t->slot >= 0 ? checkpoint_label(t->at) : "");
	json_key(j, "local");
	json_int(j, t->local);
	json_key(j, "cmdline");
	json_string(j, t->s.cmdline);
	json_close(j, '}');
}

static void
write_snapshot(struct batch *b)
{
	const struct snapshot *snap = &b->snap;
	struct json *j = &b->j;
	size_t i;

	event(b, "snapshot");
	json_key(j, "root");
	json_int(j, snap->root);
	json_key(j, "tasks");
	json_open(j, '[');
	for (i = 0; i < snap->ntasks; i++)
		write_task(j, &snap->tasks[i]);
	json_close(j, ']');
	if (snap->queue.present) {
		json_key(j, "queue");
		json_open(j, '{');
		json_key(j, "items");
		json_open(j, '[');
		for (i = 0; i < snap->queue.nitems; i++)
			json_string(j, snap->queue.items[i]);
		json_close(j, ']');
		json_key(j, "puts");
		json_int(j, snap->queue.puts);
		json_key(j, "gets");
		json_int(j, snap->queue.gets);
		json_key(j, "getters_waiting");
		json_int(j, snap->queue.getters_waiting);
		json_key(j, "putters_waiting");
		json_int(j, snap->queue.putters_waiting);
		json_close(j, '}');
	}
	if (snap->balance.present) {
		json_key(j, "balance");
		json_open(j, '{');
		json_key(j, "value");
		json_int(j, snap->balance.value);
		json_key(j, "expected");
		json_int(j, snap->balance.expected);
		json_key(j, "owner");
		json_int(j, snap->balance.owner);
		json_key(j, "waiters");
		json_int(j, snap->balance.waiters);
		json_close(j, '}');
	}
	json_close(j, '}');
	emit(b);
}

/* The tree as text, top -b style, for plain batch attach. */
static void
write_text_snapshot(struct batch *b)
{
	long hz = sysconf(_SC_CLK_TCK);
	size_t i;

	printf("ptmon %s, %.1f s, %zu tasks\n", session_title(b->session),
	    session_elapsed(b->session), b->snap.ntasks);
	printf("%7s %7s %7s S %5s %8s  %s\n", "PID", "TID", "PPID", "%CPU",
	    "TIME", "NAME");
	for (i = 0; i < b->snap.ntasks; i++) {
		const struct snap_task *t = &b->snap.tasks[i];

		printf("%7d %7d %7d %c %5.1f %8.2f  %*s%s\n", t->s.tgid,
		    t->s.tid, t->s.ppid, t->s.state, t->s.cpu,
		    (double)t->s.ticks / (double)(hz > 0 ? hz : 100),
		    2 * t->depth, "", t->s.name);
	}
	putchar('\n');
}

/* Samples the tree, builds the snapshot and writes it with its spawns. */
static void
take_snapshot(struct batch *b)
{
	const struct sample *samples = NULL;
	size_t n = 0, i;

	watch_slots(b, NULL, NULL);
	if (sampler_read(b->sampler, session_root(b->session), getpid(),
	    &samples, &n) < 0)
		n = 0;
	model_build(&b->snap, session_root(b->session), samples, n,
	    session_ctl(b->session), session_panes(b->session),
	    session_elapsed(b->session));
	for (i = 0; i < b->snap.ntasks; i++) {
		const struct snap_task *t = &b->snap.tasks[i];

		spawned(b, t->s.tgid, t->s.tid, t->s.ppid, t->s.name);
	}
	/* Tasks that were seen and are gone now have ended. */
	for (i = 0; i < b->nseen; i++)
		if (!b->seen[i].exited &&
		    model_find(&b->snap, b->seen[i].tid) == NULL)
			exited(b, b->seen[i].tid, -1);
	if (b->cli->json)
		write_snapshot(b);
	else
		write_text_snapshot(b);
}

static void
write_start(struct batch *b, const struct params *params)
{
	int i;

	event(b, "start");
	if (b->sc != NULL) {
		json_key(&b->j, "scenario");
		json_string(&b->j, b->sc->name);
		json_key(&b->j, "params");
		json_open(&b->j, '{');
		for (i = 0; i < params->n; i++) {
			json_key(&b->j, params->v[i].def->name);
			char clean[PARAM_VALUE_LEN * 4];

			sanitize_text(params->v[i].text,
			    strlen(params->v[i].text), clean, sizeof clean, 0);
			json_string(&b->j, clean);
		}
		json_close(&b->j, '}');
	} else {
		json_key(&b->j, session_kind(b->session) == SESSION_COMMAND ?
		    "command" : "attach");
		json_string(&b->j, session_title(b->session));
	}
	json_key(&b->j, "pid");
	json_int(&b->j, getpid());
	json_key(&b->j, "root");
	json_int(&b->j, session_root(b->session));
	json_key(&b->j, "speed");
	json_number(&b->j, b->cli->speed, 2);
	if (session_ctl(b->session) != NULL) {
		json_key(&b->j, "seed");
		json_int(&b->j, (long long)ctl_seed(session_ctl(b->session)));
	}
	json_close(&b->j, '}');
	emit(b);
}

int
batch_run(const struct cli *cli, const struct scenario *sc,
    const struct params *params)
{
	struct batch b = { .cli = cli, .sc = sc };
	struct session_hooks hooks = {
		.output = on_output, .error = on_error, .exit = on_exit_,
		.signal = on_signal, .prepare = on_prepare, .arg = &b,
	};
	const char *cause = NULL;
	double next = cli->delay / 10.0;
	bool snapshots = cli->json || cli->target == CLI_TARGET_PID;
	int status, exec_errno = 0;
	int64_t balance = 0;
	struct ctl_balance_view end;
	char why[512];

	if (cli->replay != NULL) {
		if (schedule_load(cli->replay, &b.plan, why, sizeof why) < 0)
			usage_error("%s", why);
		b.lab = stepper_replay(&b.plan);
	}

	if (snapshots && (b.sampler = sampler_new(&cause)) == NULL)
		fatalx("%s", cause);
	switch (cli->target) {
	case CLI_TARGET_COMMAND:
		b.session = session_start_command(cli, &hooks, &exec_errno,
		    &cause);
		if (b.session == NULL && exec_errno != 0) {
			/* As a shell says it: 127 not found, 126 not runnable. */
			fprintf(stderr, "ptmon: %.200s: %s\n", cli->argv[0],
			    exec_errno == ENOENT ? "command not found" : cause);
			exit(exec_errno == ENOENT ? 127 : 126);
		}
		break;
	case CLI_TARGET_PID:
		b.session = session_attach(cli, &hooks, &cause);
		if (b.session == NULL)
			usage_error("-p %d: %s", (int)cli->pid, cause);
		break;
	default:
		b.session = session_start(cli, sc, params, &hooks, &cause);
		break;
	}
	if (b.session == NULL)
		fatal("%s", cause);
	if (cli->json) {
		write_start(&b, params);
		if (sc == NULL && cli->target == CLI_TARGET_COMMAND)
			spawned(&b, session_root(b.session),
			    session_root(b.session), getpid(), cli->argv[0]);
	}
	while (!session_done(b.session) && b.stop_signal == 0 &&
	    b.write_error == 0) {
		struct pollfd fds[SESSION_POLLFDS];
		int n = session_pollfds(b.session, fds);
		int timeout = -1;

		if (snapshots) {
			double left = next - session_elapsed(b.session);

			timeout = left > 0 ? (int)(left * 1000) + 1 : 0;
		}
		if (b.lab != NULL) {
			/* While it steps, the lab waits on the doorbell. */
			enum stepper_state st = stepper_advance(b.lab,
			    session_ctl(b.session),
			    session_status(b.session) >= 0);

			if (st == STEPPER_ERROR) {
				session_free(b.session);
				usage_error("%s: %s", cli->replay,
				    stepper_error(b.lab));
			}
			if (st == STEPPER_STEPPING)
				timeout = 0;
		}
		if (poll(fds, (nfds_t)n, timeout) < 0 && errno != EINTR)
			fatal("poll");
		if (cli->json) {
			pid_t done[CTL_MAX_TASKS];
			size_t ndone = 0, i;

			watch_slots(&b, done, &ndone);
			session_handle(b.session, fds, n);
			for (i = 0; i < ndone; i++)
				exited(&b, done[i], -1);
		} else
			session_handle(b.session, fds, n);
		if (snapshots && session_elapsed(b.session) >= next) {
			take_snapshot(&b);
			next += cli->delay / 10.0;
			if (next < session_elapsed(b.session))
				next = session_elapsed(b.session) +
				    cli->delay / 10.0;
		}
		if (fflush(stdout) == EOF)
			b.write_error = errno;
	}
	status = session_status(b.session);
	if (session_ctl(b.session) != NULL) {
		ctl_balance_read(session_ctl(b.session), &end);
		balance = end.value;
	}
	if (cli->json && b.write_error == 0) {
		take_snapshot(&b);
		event(&b, "end");
		json_key(&b.j, "status");
		json_int(&b.j, b.stop_signal ? 128 + b.stop_signal : status);
		json_close(&b.j, '}');
		emit(&b);
		fflush(stdout);
	}
	session_free(b.session);
	report_lab(&b, params, balance);
	stepper_free(b.lab);
	schedule_free(&b.plan);
	if (b.sampler != NULL)
		sampler_free(b.sampler);
	model_free(&b.snap);
	json_free(&b.j);
	free(b.seen);
	if (b.stop_signal != 0)
		return 128 + b.stop_signal;
	if (b.write_error != 0 && b.write_error != EPIPE) {
		errno = b.write_error;
		fatal("writing output");
	}
	return status;
}
