/*
 * The driver: one run at a time, one poll() loop for every front end.
 *
 * Each pass: the sink may draw (idle), then poll() waits on the signalfd,
 * the session's output pipes and pidfd, and the sink's input fd, until the
 * next refresh tick, the end of a timed step, or at once while a schedule
 * is played at full speed. Then: signals (SIGCHLD reaps), output (tasks
 * the control block tells of are announced before their lines, and their
 * ends after them), input, the stepper, the tick (sample, snapshot), and
 * the end of the run (a last snapshot, --record, the sink's ended hook).
 */
#include "config.h"

#include "driver.h"

#include <sys/signalfd.h>
#include <sys/wait.h>

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "clock.h"
#include "ctl.h"
#include "model.h"
#include "params.h"
#include "sampler.h"
#include "scenario.h"
#include "schedule.h"
#include "session.h"
#include "tidmap.h"
#include "timeline.h"
#include "xalloc.h"
#include "i18n.h"

/* A task the sink has heard of, so spawn and exit come once each. */
struct seen_task {
	pid_t	 pid;		/* its process (tgid) */
	pid_t	 tid;
	bool	 exited;
	int	 status;	/* as from waitpid; -1 unknown */
	/* Its life on the session's clock (model_task_ended); NAN unknown. */
	double	 born;		/* first seen, then the kernel's start */
	double	 died;		/* seen gone */
	bool	 born_kernel;	/* born is the kernel's start time */
	unsigned sampled;	/* the sample generation it was last in */
};

struct driver {
	struct cli		 cli;		/* a copy: speed changes here */
	struct driver_sink	 sink;
	int			 sigfd;
	long			 tick_ms;
	long long		 next_tick;	/* ms, monotonic */
	long long		 step_due;	/* ms: stop stepped processes */
	/* Frames on events: at most one per event_ms, 0 for none. */
	long			 event_ms;
	long long		 last_event;	/* ms of the last one */
	long long		 next_bell;	/* ms: look at the doorbell */
	long			 ticks;		/* refreshes of this process */
	bool			 resample_due;	/* once the sink has drawn */
	/* P's signals, sent once the sink has drawn the key's frame. */
	enum { PAUSE_NONE, PAUSE_STOP, PAUSE_GO } pause_due;
	bool			 ticks_done;	/* -n reached: quit once drawn */
	uint32_t		 last_bell;	/* the doorbell then */
	bool			 quit;
	int			 status;
	unsigned		 generation;	/* bumped per run started */

	struct sampler		*sampler;	/* NULL when tick_ms is 0 */
	struct snapshot		 snap;

	/* The run. */
	struct session		*session;
	enum driver_phase	 phase;
	const struct scenario	*sc;
	struct params		 params;
	bool			 watching;	/* a command or -p PID */

	/* Schedules. */
	struct schedule		 plan;		/* --replay's */
	bool			 replay_on;
	bool			 explore_on;
	uint64_t		 explore_seed;
	int			 lab_pace;	/* steps per tick; 0: at once */
	struct stepper		*stepper;
	enum stepper_state	 stepper_state;
	bool			 autorecord;
	bool			 recorded;
	int			 record_errno;

	struct seen_task	*seen;
	size_t			 nseen, capseen;
	struct tidmap		 seen_by_tid;	/* tid -> index in seen */
	unsigned		 sample_gen;	/* counts samples */
	/* The tree kept once a run has ended: every task that ran. */
	struct snapshot		 kept;
	struct sample		*kept_samples;	/* a scenario's, by tid */
	size_t			 nkept, capkept;
	struct sample		*named;		/* a sample less its unnamed */
	size_t			 capnamed;
	/* Each task's state per refresh; the next sample begins a cell. */
	struct timeline		 timeline;
	bool			 cell_due;
	bool			 kept_shown;	/* snap is the kept tree */
};

/*
 * Keeps the latest sample of a scenario's task for the tree shown once
 * the run has ended (a scenario has a handful of tasks; a command's tree,
 * which may have thousands, keeps its last snapshot instead).
 */
static void
keep_sample(struct driver *d, const struct sample *s)
{
	size_t i;

	if (d->sc == NULL || s->tid <= 0)
		return;
	for (i = 0; i < d->nkept; i++)
		if (d->kept_samples[i].tid == s->tid) {
			d->kept_samples[i] = *s;
			return;
		}
	if (d->nkept == d->capkept) {
		d->capkept = d->capkept ? d->capkept * 2 : 16;
		d->kept_samples = xrealloc(d->kept_samples,
		    d->capkept * sizeof *d->kept_samples);
	}
	d->kept_samples[d->nkept++] = *s;
}

/* Now on the session's clock (the snapshot's t); NAN without a run. */
static double
run_clock(const struct driver *d)
{
	return d->session != NULL ? session_elapsed(d->session) : NAN;
}

static struct seen_task *
find_seen(struct driver *d, pid_t tid)
{
	size_t i = tidmap_find(&d->seen_by_tid, tid);

	return i < d->nseen ? &d->seen[i] : NULL;
}

/* Tells the sink of a task the first time it is seen. */
static void
spawned(struct driver *d, pid_t pid, pid_t tid, pid_t ppid, const char *name)
{
	if (tid <= 0 || find_seen(d, tid) != NULL)
		return;
	if (d->nseen == d->capseen) {
		d->capseen = d->capseen ? d->capseen * 2 : 64;
		d->seen = xrealloc(d->seen, d->capseen * sizeof *d->seen);
	}
	memset(&d->seen[d->nseen], 0, sizeof d->seen[d->nseen]);
	d->seen[d->nseen].pid = pid;
	d->seen[d->nseen].tid = tid;
	d->seen[d->nseen].born = run_clock(d);
	d->seen[d->nseen].died = NAN;
	d->seen[d->nseen].status = -1;
	tidmap_put(&d->seen_by_tid, tid, d->nseen++);
	if (d->sc != NULL) {
		/* What the control block tells, until a sample tells more. */
		struct sample s = { .tid = tid, .tgid = pid, .ppid = ppid,
		    .state = 'S' };

		snprintf(s.name, sizeof s.name, "%s", name);
		keep_sample(d, &s);
	}
	if (d->sink.spawn != NULL)
		d->sink.spawn(d->sink.arg, pid, tid, ppid, name);
}

/*
 * A task's start as the kernel tells it is when it began; the first time
 * ptmon saw it may be a refresh later. Read once per task.
 */
static void
born_from_sample(struct driver *d, const struct sample *s, double boot_now,
    double t_now)
{
	static long hz;
	struct seen_task *t = find_seen(d, s->tid);
	double born;

	if (t == NULL || t->born_kernel)
		return;
	if (hz == 0)
		hz = sysconf(_SC_CLK_TCK);
	born = model_born_at(s->start_time, hz, boot_now, t_now);
	if (!isnan(born)) {
		t->born = born;
		t->born_kernel = true;
	}
}

/* Tells the sink of a task's end once; status < 0 when not known. */
static void
exited(struct driver *d, pid_t tid, int status)
{
	struct seen_task *t = find_seen(d, tid);

	if (t == NULL || t->exited)
		return;
	t->exited = true;
	t->status = status;
	t->died = run_clock(d);
	if (d->sink.exit != NULL)
		d->sink.exit(d->sink.arg, t->pid, tid, status);
}

/*
 * Tasks the control block tells of: spawns at once (a task takes its slot
 * before it prints anything). Ends are only noted in done[] here: a task
 * prints, then ends, so its end is told after its output is drained.
 */
static size_t
watch_tasks(struct driver *d, pid_t *done)
{
	struct ctl *ctl;
	struct ctl_task_view v;
	size_t ndone = 0;
	int cursor = 0;

	/*
	 * A traced command's block is written by the program: its tasks are
	 * told from samples only, never from what the block claims.
	 */
	if (d->session == NULL || d->sc == NULL ||
	    (ctl = session_ctl(d->session)) == NULL)
		return 0;
	while (ctl_task_next(ctl, &cursor, &v)) {
		spawned(d, v.pid, v.tid, v.ppid, v.role);
		/* The root's end comes with its status when ptmon reaps it. */
		if (done != NULL && v.doing == CTL_DONE &&
		    v.tid != session_root(d->session) && ndone < CTL_MAX_TASKS)
			done[ndone++] = v.tid;
	}
	return ndone;
}

static void
on_output(void *arg, const struct output_line *line)
{
	struct driver *d = arg;

	watch_tasks(d, NULL);
	if (d->sink.output != NULL)
		d->sink.output(d->sink.arg, line);
}

static void
on_exit_(void *arg, pid_t pid, int status)
{
	struct driver *d = arg;
	struct seen_task *t;

	exited(d, pid, status);
	/* The sampler may have seen it gone first: the status still counts. */
	if ((t = find_seen(d, pid)) != NULL && status >= 0)
		t->status = status;
}

static void
on_prepare(void *arg, struct ctl *ctl)
{
	struct driver *d = arg;

	if (d->stepper != NULL)
		stepper_prepare(d->stepper, ctl);
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

/*
 * The samples less the tasks the scenario made a moment ago that have not
 * named themselves yet (model_is_unnamed): the next sample shows them
 * under their own names. Returns `samples` itself when none is unnamed.
 */
static const struct sample *
named_only(struct driver *d, const struct ctl *ctl,
    const struct sample *samples, size_t *n)
{
	struct ctl_task_view tasks[CTL_MAX_TASKS];
	size_t ntasks = 0, i, kept = 0;
	int cursor = 0;

	while (ntasks < CTL_MAX_TASKS &&
	    ctl_task_next(ctl, &cursor, &tasks[ntasks]))
		ntasks++;
	for (i = 0; i < *n; i++)
		if (model_is_unnamed(&samples[i], tasks, ntasks))
			break;
	if (i == *n)
		return samples;
	if (d->capnamed < *n) {
		d->named = xrealloc(d->named, *n * sizeof *d->named);
		d->capnamed = *n;
	}
	for (i = 0; i < *n; i++)
		if (!model_is_unnamed(&samples[i], tasks, ntasks))
			d->named[kept++] = samples[i];
	*n = kept;
	return d->named;
}

void
driver_resample(struct driver *d)
{
	const struct sample *samples = NULL;
	size_t n = 0, i;
	double boot_now, t_now;
	bool built = false;
	pid_t root;

	/* The kept tree is what an ended scenario shows: no sample replaces it. */
	if (d->session == NULL || d->kept_shown)
		return;
	root = session_root(d->session);
	/* What this sample shows: the events rung before it. */
	if (session_ctl(d->session) != NULL)
		d->last_bell = ctl_doorbell(session_ctl(d->session));
	watch_tasks(d, NULL);
	if (d->sampler != NULL &&
	    sampler_read(d->sampler, root, getpid(), &samples, &n) < 0)
		n = 0;
	if (session_ctl(d->session) != NULL)
		samples = named_only(d, session_ctl(d->session), samples, &n);
	boot_now = clock_boot_seconds();
	t_now = run_clock(d);
	/*
	 * A scenario's root is a fork of ptmon: until it names itself its
	 * comm is "ptmon". It is the scenario's root all the same, and never
	 * shown as ptmon.
	 */
	d->sample_gen++;
	for (i = 0; i < n; i++) {
		struct seen_task *t;

		spawned(d, samples[i].tgid, samples[i].tid, samples[i].ppid,
		    d->sc != NULL && samples[i].tid == root ?
		    d->sc->root_role : samples[i].name);
		if ((t = find_seen(d, samples[i].tid)) != NULL)
			t->sampled = d->sample_gen;
		born_from_sample(d, &samples[i], boot_now, t_now);
		keep_sample(d, &samples[i]);
	}
	/* Tasks that were seen and are gone now have ended. */
	if (d->sampler != NULL)
		for (i = 0; i < d->nseen; i++)
			if (!d->seen[i].exited &&
			    d->seen[i].sampled != d->sample_gen)
				exited(d, d->seen[i].tid, -1);
	/*
	 * What ptmon only watches keeps its last tree once its root is
	 * gone: the tree is what the user came to see.
	 */
	if (!(d->watching && d->snap.ntasks > 0 && d->sampler != NULL &&
	    !has_root(samples, n, root))) {
		model_build(&d->snap, root, samples, n,
		    session_ctl(d->session), session_panes(d->session),
		    session_elapsed(d->session));
		built = true;
	} else
		/* The tree kept; a traced program's last puts and gets too. */
		model_read_panes(&d->snap, session_ctl(d->session),
		    session_panes(d->session));
	for (i = 0; d->sc != NULL && i < d->snap.ntasks; i++)
		if (d->snap.tasks[i].s.tid == root)
			snprintf(d->snap.tasks[i].s.name,
			    sizeof d->snap.tasks[i].s.name, "%s",
			    d->sc->root_role);
	if (d->sampler != NULL) {
		/* A kept tree is not news: its tasks are gone. */
		static const struct snapshot none;

		timeline_record(&d->timeline, built ? &d->snap : &none,
		    d->cell_due);
		d->cell_due = false;
	}
	if (d->sink.snapshot != NULL)
		d->sink.snapshot(d->sink.arg, &d->snap);
}

struct driver *
driver_new(const struct cli *cli, const struct driver_sink *sink,
    long tick_ms)
{
	struct driver *d = xcalloc(1, sizeof *d);
	const char *cause = NULL;
	char why[512];
	sigset_t set;

	d->cli = *cli;
	d->sink = *sink;
	d->tick_ms = tick_ms;
	d->autorecord = true;
	if (cli->replay != NULL) {
		if (schedule_load(cli->replay, &d->plan, why, sizeof why) < 0)
			usage_error("%s", why);
		d->replay_on = true;
	}
	if (session_init_process() < 0)
		fatal(_("cannot set up signals"));
	session_signals(&set);
	d->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (d->sigfd < 0)
		fatal("signalfd");
	if (tick_ms > 0 && (d->sampler = sampler_new(&cause)) == NULL)
		fatalx("%s", cause);
	/* Samples between ticks (verbs, events) carry the tick's %CPU. */
	if (d->sampler != NULL)
		sampler_set_rate_interval(d->sampler, tick_ms * 0.9 / 1000.0);
	return d;
}

/* Writes --record for the run that ends, once, unless told not to. */
static void
autorecord(struct driver *d)
{
	char comment[256];

	/* A scenario, or a traced Python program: one with a block. */
	if (!d->autorecord || d->recorded || d->cli.record == NULL ||
	    d->session == NULL || session_ctl(d->session) == NULL)
		return;
	/* Without a schedule or keys there are no steps to keep. */
	if (d->stepper == NULL && d->sink.input_fd < 0)
		return;
	if (d->stepper != NULL)
		snprintf(comment, sizeof comment, "steps taken by ptmon "
		    "--replay");
	else if (d->sc != NULL)
		snprintf(comment, sizeof comment, "steps taken by keys in "
		    "ptmon %s; replay: ptmon --batch --replay FILE %s",
		    d->sc->name, d->sc->name);
	else
		snprintf(comment, sizeof comment, "steps taken by keys, one "
		    "instruction each; replay: ptmon --batch --replay FILE "
		    "-- %.80s", session_title(d->session));
	d->record_errno = driver_write_record(d, comment) < 0 ? errno : 0;
}

void
driver_stop(struct driver *d)
{
	if (d->session != NULL) {
		autorecord(d);
		session_free(d->session);
		d->session = NULL;
		d->generation++;
	}
	stepper_free(d->stepper);
	d->stepper = NULL;
	d->snap.ntasks = 0;
	d->resample_due = false;
	d->pause_due = PAUSE_NONE;
	d->nseen = 0;
	tidmap_clear(&d->seen_by_tid);
	timeline_clear(&d->timeline);
	d->nkept = 0;
	d->step_due = 0;
	d->phase = DRIVER_IDLE;
	d->sc = NULL;
	d->watching = false;
}

void
driver_free(struct driver *d)
{
	if (d == NULL)
		return;
	driver_stop(d);
	schedule_free(&d->plan);
	model_free(&d->snap);
	model_free(&d->kept);
	free(d->kept_samples);
	free(d->named);
	if (d->sampler != NULL)
		sampler_free(d->sampler);
	close(d->sigfd);
	free(d->seen);
	tidmap_free(&d->seen_by_tid);
	timeline_free(&d->timeline);
	free(d);
}

/* The stepper of the run about to start: --explore's or --replay's. */
static void
lab_begin(struct driver *d)
{
	if (d->explore_on) {
		d->stepper = stepper_explore(d->explore_seed);
		d->explore_on = false;
	} else if (d->replay_on)
		d->stepper = stepper_replay(&d->plan);
	if (d->stepper != NULL && d->lab_pace > 0)
		stepper_set_pace(d->stepper, d->lab_pace);
	d->stepper_state = STEPPER_STEPPING;
}

/* What every start shares once the session exists. */
static void
run_started(struct driver *d, struct session *s)
{
	d->session = s;
	d->phase = DRIVER_RUNNING;
	d->kept_shown = false;
	d->recorded = false;
	d->record_errno = 0;
	d->generation++;
	d->next_tick = clock_ms() + d->tick_ms;
	if (d->sink.started != NULL)
		d->sink.started(d->sink.arg);
	if (session_note(s)[0] != '\0' && d->sink.note != NULL)
		d->sink.note(d->sink.arg, session_note(s));
}

int
driver_start_scenario(struct driver *d, const struct scenario *sc,
    const struct params *params, const char **cause)
{
	struct session_hooks hooks = {
		.output = on_output, .exit = on_exit_, .prepare = on_prepare,
		.arg = d,
	};
	struct session *s;

	driver_stop(d);
	lab_begin(d);
	/* Copied first: the session and restarts read this copy. */
	d->params = *params;
	s = session_start(&d->cli, sc, &d->params, &hooks, cause);
	if (s == NULL) {
		stepper_free(d->stepper);
		d->stepper = NULL;
		return -1;
	}
	d->sc = sc;
	run_started(d, s);
	return 0;
}

int
driver_start_watch(struct driver *d, int *exec_errno, const char **cause)
{
	struct session_hooks hooks = {
		.output = on_output, .exit = on_exit_, .prepare = on_prepare,
		.arg = d,
	};
	struct session *s;

	driver_stop(d);
	*exec_errno = 0;
	/* A traced Python program's threads play schedules too. */
	if (d->cli.target == CLI_TARGET_COMMAND)
		lab_begin(d);
	if (d->cli.target == CLI_TARGET_PID)
		s = session_attach(&d->cli, &hooks, cause);
	else
		s = session_start_command(&d->cli, &hooks, exec_errno, cause);
	if (s == NULL) {
		stepper_free(d->stepper);
		d->stepper = NULL;
		return -1;
	}
	d->watching = true;
	run_started(d, s);
	if (d->cli.target == CLI_TARGET_COMMAND)
		spawned(d, session_root(s), session_root(s), getpid(),
		    session_title(s));
	return 0;
}

void
driver_start_or_exit(struct driver *d, const struct scenario *sc,
    const struct params *params)
{
	const char *cause = NULL;
	int exec_errno = 0;

	if (sc != NULL) {
		if (driver_start_scenario(d, sc, params, &cause) < 0)
			fatal("%s", cause);
		return;
	}
	if (driver_start_watch(d, &exec_errno, &cause) == 0)
		return;
	if (d->cli.target == CLI_TARGET_PID)
		usage_error("-p %d: %s", (int)d->cli.pid, cause);
	if (exec_errno == 0)
		fatalx("%s", cause);
	/* As a shell says it: 127 not found, 126 not runnable. */
	fprintf(stderr, "ptmon: %.200s: %s\n", d->cli.argv[0],
	    exec_errno == ENOENT ? _("command not found") : cause);
	exit(exec_errno == ENOENT ? 127 : 126);
}

int
driver_restart(struct driver *d, const char **cause)
{
	const struct scenario *sc = d->sc;
	struct params params = d->params;
	int exec_errno;

	if (sc != NULL)
		return driver_start_scenario(d, sc, &params, cause);
	if (d->session == NULL || !session_restartable(d->session)) {
		*cause = _("ptmon did not start it, so it cannot start it again");
		return -1;
	}
	return driver_start_watch(d, &exec_errno, cause);
}

void
driver_set_replay(struct driver *d, bool on)
{
	d->replay_on = on && d->cli.replay != NULL;
}

void
driver_explore(struct driver *d, uint64_t seed)
{
	d->explore_on = true;
	d->explore_seed = seed;
}

void
driver_set_autorecord(struct driver *d, bool on)
{
	d->autorecord = on;
}

void
driver_set_lab_pace(struct driver *d, int steps_per_tick)
{
	d->lab_pace = steps_per_tick > 0 ? steps_per_tick : 0;
}

void
driver_quit(struct driver *d, int status)
{
	d->quit = true;
	d->status = status;
}

static void advance_lab(struct driver *);

/*
 * A command's last tree stays when its root is gone: each task of it that
 * ptmon saw end is marked so, with its status and lifetime. An attached
 * process's children may outlive it: those stay as they were.
 */
static void
end_watched_tree(struct driver *d)
{
	size_t i;

	for (i = 0; i < d->snap.ntasks; i++) {
		struct snap_task *t = &d->snap.tasks[i];
		struct seen_task *seen = find_seen(d, t->s.tid);

		if (seen != NULL && seen->exited)
			model_task_ended(t, seen->status, seen->born,
			    seen->died);
	}
	model_settle(&d->snap);
}

/*
 * A scenario's tree goes with its root; what a learner came to see is
 * every task that ran: the snapshot becomes that kept tree, each task
 * marked ended with its status (the sinks had the last live one).
 */
static void
keep_tree(struct driver *d)
{
	struct snapshot live;
	size_t i;

	if (d->session == NULL)
		return;
	if (d->sc == NULL) {
		end_watched_tree(d);
		return;
	}
	if (d->nkept == 0)
		return;
	model_build(&d->kept, session_root(d->session), d->kept_samples,
	    d->nkept, session_ctl(d->session), session_panes(d->session),
	    session_elapsed(d->session));
	/* Every task seen is in it: fewer than live would be a bad read. */
	if (d->kept.ntasks < d->snap.ntasks)
		return;
	for (i = 0; i < d->kept.ntasks; i++) {
		struct snap_task *t = &d->kept.tasks[i];
		struct seen_task *seen = find_seen(d, t->s.tid);

		if (seen != NULL)
			model_task_ended(t, seen->status, seen->born,
			    seen->died);
		else
			model_task_ended(t, -1, NAN, NAN);
		if (t->s.tid == session_root(d->session))
			snprintf(t->s.name, sizeof t->s.name, "%s",
			    d->sc->root_role);
	}
	model_settle(&d->kept);
	live = d->snap;
	d->snap = d->kept;
	d->kept = live;
	d->kept_shown = true;
}

/* The run is over: a last snapshot, --record, and the sink is told. */
static void
end_run(struct driver *d)
{
	int i;

	/* The schedule learns that the root has ended, and says so. */
	for (i = 0; i < 16 && d->stepper != NULL &&
	    d->stepper_state == STEPPER_STEPPING; i++)
		advance_lab(d);
	d->phase = DRIVER_ENDED;
	d->step_due = 0;
	session_ended(d->session);
	d->cell_due = true;	/* the last cell: who has exited */
	driver_resample(d);
	keep_tree(d);
	/* Tasks that lived and ended between two samples exit there too. */
	if (d->sampler != NULL)
		timeline_record(&d->timeline, &d->snap, false);
	autorecord(d);
	if (d->sink.ended != NULL)
		d->sink.ended(d->sink.arg);
}

/* Reads every pending signal; SIGCHLD reaps, the rest go to the sink. */
static void
read_signals(struct driver *d)
{
	struct signalfd_siginfo si;
	int sig;

	while (read(d->sigfd, &si, sizeof si) == sizeof si) {
		sig = (int)si.ssi_signo;
		if (sig == SIGCHLD) {
			if (d->session != NULL)
				session_reap(d->session);
			else
				while (waitpid(-1, NULL, WNOHANG | __WALL) > 0)
					continue;
		} else if (d->sink.signal != NULL)
			d->sink.signal(d->sink.arg, sig);
		else if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP ||
		    sig == SIGQUIT)
			driver_quit(d, 128 + sig);
	}
}

/* Takes the stepper's next steps; tells the sink when its state changes. */
static void
advance_lab(struct driver *d)
{
	enum stepper_state st;

	if (d->stepper == NULL || d->stepper_state != STEPPER_STEPPING ||
	    d->session == NULL || session_ctl(d->session) == NULL)
		return;
	st = stepper_advance(d->stepper, session_ctl(d->session),
	    session_status(d->session) >= 0);
	d->stepper_state = st;
	if (st != STEPPER_STEPPING && d->sink.lab != NULL)
		d->sink.lab(d->sink.arg, st);
}

/* True while the stepper plays its schedule as fast as it can. */
static bool
lab_at_full_speed(const struct driver *d)
{
	return d->stepper != NULL && d->lab_pace == 0 &&
	    d->stepper_state == STEPPER_STEPPING;
}

/* The control block of the scenario running, or NULL. */
static struct ctl *
running_ctl(const struct driver *d)
{
	if (d->phase != DRIVER_RUNNING || d->session == NULL)
		return NULL;
	return session_ctl(d->session);
}

/*
 * Samples again when a task of the scenario has done something the tree
 * shows (started, reached a statement, blocked, parked, ended): the
 * doorbell rang since the last frame. At most one such frame per
 * event_ms; the tick still drives %CPU (the sampler carries it).
 */
static void
event_frame(struct driver *d, long long now)
{
	struct ctl *ctl = running_ctl(d);
	uint32_t bell;

	if (d->event_ms <= 0 || ctl == NULL || now < d->next_bell)
		return;
	/* The next look, whether or not this one finds something. */
	d->next_bell = now + d->event_ms;
	if (now - d->last_event < d->event_ms)
		return;
	bell = ctl_doorbell(ctl);
	if (bell == d->last_bell)
		return;
	d->last_event = now;
	driver_resample(d);
}

void
driver_set_start_paused(struct driver *d, bool paused)
{
	d->cli.paused = paused;
}

void
driver_set_event_frames(struct driver *d, long min_ms)
{
	d->event_ms = min_ms > 0 ? min_ms : 0;
}

/* Milliseconds poll() may sleep: the nearest of the loop's deadlines. */
static int
poll_timeout(const struct driver *d, long sink_ms)
{
	long long now = clock_ms(), left[4];
	long long best = -1;
	int n = 0, i;

	if (lab_at_full_speed(d))
		return 0;
	if (d->phase == DRIVER_RUNNING && d->tick_ms > 0)
		left[n++] = d->next_tick - now;
	if (d->step_due != 0)
		left[n++] = d->step_due - now;
	/* Look at the doorbell again when the next event frame may come. */
	if (d->event_ms > 0 && running_ctl(d) != NULL)
		left[n++] = d->next_bell - now;
	if (sink_ms >= 0)
		left[n++] = sink_ms;
	for (i = 0; i < n; i++)
		if (best < 0 || left[i] < best)
			best = left[i] < 0 ? 0 : left[i];
	if (n == 0)
		return -1;
	return best > 60000 ? 60000 : (int)best;
}

static bool	can_command(struct driver *, const char **);

/* The pause-all or resume-all asked on the last pass goes out. */
static void
pause_all_now(struct driver *d)
{
	bool pause = d->pause_due == PAUSE_STOP;
	const char *why = NULL;
	size_t bad = 1;

	d->pause_due = PAUSE_NONE;
	if (can_command(d, &why)) {
		bad = session_pause_all(d->session, &d->snap, pause, &why);
		d->step_due = 0;
	}
	if (d->sink.paused != NULL)
		d->sink.paused(d->sink.arg, pause, bad, why);
}

/* One pass of the loop. */
static void
pass(struct driver *d)
{
	struct pollfd fds[2 + SESSION_POLLFDS];
	pid_t done[CTL_MAX_TASKS];
	size_t ndone = 0, i;
	long sink_ms = -1;
	int n = 0, nsession = 0, input = -1;
	unsigned generation;
	long long now;

	if (d->sink.idle != NULL)
		sink_ms = d->sink.idle(d->sink.arg);
	/* -n N: the Nth refresh has been shown; leave as top -n does. */
	if (d->ticks_done)
		driver_quit(d, 0);
	if (d->quit)
		return;
	/* A verb's effect is drawn: now the snapshot that follows it. */
	if (d->resample_due) {
		d->resample_due = false;
		if (d->pause_due != PAUSE_NONE)
			pause_all_now(d);
		driver_resample(d);
		return;
	}
	if (lab_at_full_speed(d))
		/* While it steps, the stepper waits on the doorbell. */
		advance_lab(d);
	if (d->quit)
		return;
	fds[n++] = (struct pollfd){ .fd = d->sigfd, .events = POLLIN };
	if (d->sink.input_fd >= 0) {
		input = n;
		fds[n++] = (struct pollfd){ .fd = d->sink.input_fd,
		    .events = POLLIN };
	}
	if (d->session != NULL) {
		nsession = session_pollfds(d->session, fds + n);
		n += nsession;
	}
	if (poll(fds, (nfds_t)n, poll_timeout(d, sink_ms)) < 0 &&
	    errno != EINTR)
		fatal("poll");

	generation = d->generation;
	if (fds[0].revents != 0)
		read_signals(d);
	if (input >= 0 && fds[input].revents != 0 && d->sink.input != NULL)
		d->sink.input(d->sink.arg, fds[input].revents);
	if (d->quit)
		return;
	/* Input or a signal ended or changed the run: its fds are stale. */
	if (d->generation != generation || d->session == NULL)
		return;
	ndone = watch_tasks(d, done);
	session_handle(d->session, fds + n - nsession, nsession);
	/* A SIGCHLD may have merged with one already read: reap anyway. */
	session_reap(d->session);
	for (i = 0; i < ndone; i++)
		exited(d, done[i], -1);
	if (d->phase != DRIVER_RUNNING)
		return;
	if (session_done(d->session)) {
		end_run(d);
		return;
	}
	/*
	 * A key was read: the sink draws what it did on the next pass,
	 * before a refresh due now spends a while sampling.
	 */
	if (input >= 0 && fds[input].revents != 0)
		return;
	now = clock_ms();
	if (d->step_due != 0 && now >= d->step_due) {
		/* Stepped processes had their refresh interval. */
		d->step_due = 0;
		session_tick(d->session, &d->snap);
		driver_resample(d);
	}
	if (d->tick_ms > 0 && now >= d->next_tick) {
		if (d->lab_pace > 0)
			advance_lab(d);
		if (d->step_due == 0)
			session_tick(d->session, &d->snap);
		d->cell_due = true;
		driver_resample(d);
		d->next_tick += d->tick_ms;
		if (d->next_tick <= now)
			d->next_tick = now + d->tick_ms;
		if (d->cli.max_iterations > 0 &&
		    ++d->ticks >= d->cli.max_iterations)
			d->ticks_done = true;
		return;
	}
	event_frame(d, now);
}

int
driver_run(struct driver *d)
{
	d->quit = false;
	while (!d->quit)
		pass(d);
	return d->status;
}

const struct snapshot *
driver_snapshot(const struct driver *d)
{
	return &d->snap;
}

const struct timeline *
driver_timeline(const struct driver *d)
{
	return &d->timeline;
}

enum driver_phase
driver_phase(const struct driver *d)
{
	return d->phase;
}

const struct scenario *
driver_scenario(const struct driver *d)
{
	return d->sc;
}

const struct params *
driver_params(const struct driver *d)
{
	return &d->params;
}

const char *
driver_title(const struct driver *d)
{
	return d->session != NULL ? session_title(d->session) : "";
}

const char *
driver_noun(const struct driver *d)
{
	return d->session != NULL ? session_noun(d->session) : _("nothing");
}

bool
driver_restartable(const struct driver *d)
{
	return d->session != NULL && session_restartable(d->session);
}

pid_t
driver_root(const struct driver *d)
{
	return d->session != NULL ? session_root(d->session) : 0;
}

double
driver_elapsed(const struct driver *d)
{
	return d->session != NULL ? session_elapsed(d->session) : 0;
}

int
driver_status(const struct driver *d)
{
	return d->session != NULL ? session_status(d->session) : -1;
}

void
driver_end_text(const struct driver *d, char *buf, size_t len)
{
	if (d->session == NULL)
		snprintf(buf, len, "%s", _("has ended"));
	else
		session_end_text(d->session, buf, len);
}

int
driver_end_signal(const struct driver *d)
{
	return d->session != NULL ? session_end_signal(d->session) : 0;
}

double
driver_speed(const struct driver *d)
{
	struct ctl *ctl = d->session != NULL ? session_ctl(d->session) : NULL;

	return ctl != NULL ? ctl_speed(ctl) : d->cli.speed;
}

int
driver_set_speed(struct driver *d, double speed)
{
	struct ctl *ctl = d->session != NULL ? session_ctl(d->session) : NULL;

	if (d->watching)
		return -1;
	d->cli.speed = speed;
	/* The scenario reads it at its next sleep. */
	if (ctl != NULL)
		ctl_set_speed(ctl, speed);
	return 0;
}

double
driver_pace(const struct driver *d)
{
	struct ctl *ctl = d->session != NULL ? session_ctl(d->session) : NULL;

	return ctl != NULL ? ctl_pace(ctl) : d->cli.pace;
}

int
driver_set_pace(struct driver *d, double seconds)
{
	struct ctl *ctl = d->session != NULL ? session_ctl(d->session) : NULL;

	if (d->watching)
		return -1;
	d->cli.pace = seconds;
	if (ctl != NULL)
		ctl_set_pace(ctl, seconds);
	return 0;
}

int
driver_set_py_by_op(struct driver *d, bool by_op)
{
	struct ctl *ctl = d->session != NULL ? session_ctl(d->session) : NULL;

	if (ctl == NULL || d->sc != NULL)
		return -1;
	ctl_py_set_by_op(ctl, by_op);
	return 0;
}

uint64_t
driver_seed(const struct driver *d)
{
	struct ctl *ctl = d->session != NULL ? session_ctl(d->session) : NULL;

	return ctl != NULL ? ctl_seed(ctl) : 0;
}

/* After a verb: a foreign process let run stops again after a refresh. */
static void
after_step(struct driver *d, const struct snap_task *t)
{
	if (session_steps_by_time(d->session, t))
		d->step_due = clock_ms() + d->cli.delay * 100LL;
}

/* A verb needs a running session; *why says when there is none. */
static bool
can_command(struct driver *d, const char **why)
{
	if (d->session != NULL && d->phase == DRIVER_RUNNING)
		return true;
	*why = _("nothing runs");
	errno = ESRCH;
	return false;
}

int
driver_pause(struct driver *d, const struct snap_task *t, const char **why)
{
	int rc;

	if (!can_command(d, why))
		return -1;
	rc = session_pause(d->session, t, why);
	driver_resample(d);
	return rc;
}

int
driver_resume(struct driver *d, const struct snap_task *t, const char **why)
{
	int rc;

	if (!can_command(d, why))
		return -1;
	rc = session_resume(d->session, t, why);
	driver_resample(d);
	return rc;
}

int
driver_step(struct driver *d, const struct snap_task *t, const char **why)
{
	int rc;

	if (!can_command(d, why))
		return -1;
	rc = session_step(d->session, t, why);
	if (rc == 0)
		after_step(d, t);
	driver_resample(d);
	return rc;
}

int
driver_signal(struct driver *d, const struct snap_task *t, int sig,
    const char **why)
{
	int rc;

	if (!can_command(d, why))
		return -1;
	rc = session_signal(d->session, t, sig, why);
	driver_resample(d);
	return rc;
}

int
driver_pause_all(struct driver *d, bool pause, const char **why)
{
	if (!can_command(d, why))
		return -1;
	/*
	 * Thousands of threads take a while to stop, and to sample: the
	 * sink draws what the key did (the header's state, its message)
	 * first; the next pass sends the signals, waits, then samples.
	 */
	d->pause_due = pause ? PAUSE_STOP : PAUSE_GO;
	d->resample_due = true;
	return 0;
}

size_t
driver_step_all(struct driver *d)
{
	size_t i, n;
	const char *why;

	if (!can_command(d, &why))
		return 0;
	n = session_step_all(d->session, &d->snap);
	for (i = 0; i < d->snap.ntasks && n > 0; i++)
		if (session_steps_by_time(d->session, &d->snap.tasks[i])) {
			d->step_due = clock_ms() + d->cli.delay * 100LL;
			break;
		}
	driver_resample(d);
	return n;
}

bool
driver_all_paused(const struct driver *d)
{
	if (d->pause_due != PAUSE_NONE)
		return d->pause_due == PAUSE_STOP;
	return d->session != NULL && session_all_paused(d->session);
}

bool
driver_steps_by_time(const struct driver *d, const struct snap_task *t)
{
	return d->session != NULL && session_steps_by_time(d->session, t);
}

const struct stepper *
driver_stepper(const struct driver *d)
{
	return d->stepper;
}

enum stepper_state
driver_stepper_state(const struct driver *d)
{
	return d->stepper_state;
}

size_t
driver_plan_length(const struct driver *d)
{
	return d->plan.n;
}

const struct schedule *
driver_taken(const struct driver *d)
{
	static const struct schedule none;

	if (d->stepper != NULL)
		return stepper_taken(d->stepper);
	return d->session != NULL ? session_taken(d->session) : &none;
}

int
driver_write_record(struct driver *d, const char *comment)
{
	FILE *f;
	int saved;

	if (d->cli.record == NULL)
		return 0;
	d->recorded = true;
	f = fopen(d->cli.record, "w");
	if (f == NULL)
		return -1;
	if (schedule_write(f, driver_taken(d), comment) < 0) {
		saved = errno;
		fclose(f);
		errno = saved;
		return -1;
	}
	return fclose(f) == EOF ? -1 : 0;
}

struct ctl *
driver_ctl(const struct driver *d)
{
	return d->session != NULL ? session_ctl(d->session) : NULL;
}

int
driver_record_error(const struct driver *d)
{
	return d->record_errno;
}
