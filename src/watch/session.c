/*
 * One run under watch: a scenario (control block + runner), a command
 * (runner only) or an attached process (a pidfd only), polled by the
 * driver. It is also the one place that decides how a command reaches a
 * watched task: gates for scenario tasks, SIGSTOP/SIGCONT and other
 * signals through pidfds for everything else.
 */
#include "config.h"

#include "session.h"

#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "clock.h"
#include "ctl.h"
#include "keeper.h"
#include "model.h"
#include "procfs.h"
#include "runner.h"
#include "sanitize.h"
#include "scenario.h"
#include "schedule.h"
#include "tree_cgroup.h"
#include "xalloc.h"
#include "i18n.h"

#define STEPPED_MAX	64
#define HELD_MAX	256
/* How long a SIGSTOP or SIGCONT may take to show in /proc. */
#define SIGNAL_SETTLE_MS	50
/*
 * How long a gated task may take to stand still again after a pause or a
 * step, before the snapshot that shows it is taken: within one frame.
 */
#define GATE_SETTLE_S		0.016

/* What is watched: the session's own business, not its callers'. */
enum session_kind {
	SESSION_SCENARIO,
	SESSION_COMMAND,
	SESSION_ATTACHED,
};

struct session {
	enum session_kind	 kind;
	const struct scenario	*scenario;
	struct ctl		*ctl;
	struct runner		*runner;	/* NULL when attached */
	pid_t			 attached;
	int			 attached_fd;	/* pidfd, -1 once it ended */
	double			 started;	/* clock_seconds() */
	double			 ended;		/* when the run ended; 0 */
	char			 title[256];
	char			 note[320];	/* ptmon's word on the start */
	struct session_hooks	 hooks;
	int			 root_wait;	/* raw waitpid status of the root */
	bool			 root_reaped;
	bool			 holding;	/* P holds every process */
	struct schedule		 taken;		/* steps of gated tasks */
	/* Foreign processes ptmon stopped, to continue on resume-all. */
	pid_t			 held[HELD_MAX];
	unsigned long long	 held_start[HELD_MAX];
	int			 nheld;
	/* Foreign processes let run for one tick by a step. */
	pid_t			 stepped[STEPPED_MAX];
	unsigned long long	 stepped_start[STEPPED_MAX];
	int			 nstepped;
};

void
session_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGQUIT);
	sigaddset(set, SIGWINCH);
	sigaddset(set, SIGTSTP);
	sigaddset(set, SIGCONT);
}

int
session_init_process(void)
{
	sigset_t set;

	/*
	 * The cgroup first, so the keeper holds it too; without one (no
	 * cgroup2, no right to make one) the session and the subreaper
	 * remain, and README's Guarantees say what that leaves possible.
	 */
	if (tree_cgroup_create() >= 0 && atexit(tree_cgroup_remove) != 0)
		return -1;
	/* Before ptmon is a subreaper, so the keeper is not its child. */
	if (keeper_start() < 0)
		return -1;
	session_signals(&set);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	/* A closed stdout must be an error we see, not a silent death. */
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		return -1;
	return runner_become_subreaper();
}

static void
on_output(void *arg, const struct output_line *line)
{
	struct session *s = arg;

	if (s->hooks.output != NULL)
		s->hooks.output(s->hooks.arg, line);
}

static void
on_exit_(void *arg, pid_t pid, int status)
{
	struct session *s = arg;

	if (s->runner != NULL && pid == runner_root(s->runner)) {
		s->root_wait = status;
		s->root_reaped = true;
	}
	if (s->hooks.exit != NULL)
		s->hooks.exit(s->hooks.arg, pid, status);
}

/* A seed from the clock when --seed was not given. */
static uint64_t
clock_seed(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000007ULL ^ (uint64_t)ts.tv_nsec ^
	    (uint64_t)getpid() << 20;
}

static struct session *
session_new(enum session_kind kind, const struct session_hooks *hooks)
{
	struct session *s = xcalloc(1, sizeof *s);

	s->kind = kind;
	s->hooks = *hooks;
	s->attached_fd = -1;
	s->started = clock_seconds();
	return s;
}

static struct runner_hooks
runner_hooks_of(struct session *s)
{
	struct runner_hooks rh = {
		.output = on_output, .exit = on_exit_, .arg = s,
	};

	return rh;
}

struct session *
session_start(const struct cli *cli, const struct scenario *sc,
    const struct params *params, const struct session_hooks *hooks,
    const char **cause)
{
	struct session *s = session_new(SESSION_SCENARIO, hooks);
	struct runner_hooks rh = runner_hooks_of(s);

	s->scenario = sc;
	snprintf(s->title, sizeof s->title, "%s", sc->name);
	s->ctl = ctl_new(cli->speed, cli->seeded ? cli->seed : clock_seed());
	if (s->ctl == NULL) {
		free(s);
		*cause = "cannot map the control block";
		return NULL;
	}
	ctl_set_pace(s->ctl, cli->pace);
	if (sc->queues[0] != NULL) {
		int k;

		/* Its own queues, in place of the one "queue". */
		for (k = 0; k < CTL_QUEUES; k++)
			ctl_queue_name(s->ctl, k,
			    sc->queues[k] != NULL ? sc->queues[k] : "");
	}
	if (cli->paused)
		ctl_pause_new(s->ctl, sc->root_runs_when_paused ?
		    CTL_PAUSE_ALL_BUT_ROOT : CTL_PAUSE_ALL, NULL, 0);
	if (hooks->prepare != NULL)
		hooks->prepare(hooks->arg, s->ctl);
	s->runner = runner_start(sc, params, s->ctl, &rh, cause);
	if (s->runner == NULL) {
		ctl_free(s->ctl);
		free(s);
		return NULL;
	}
	return s;
}

/* True when argv0 names a Python 3 interpreter: python3, python3.11. */
bool
session_python_command(const char *argv0)
{
	const char *base = strrchr(argv0, '/');
	const char *p;

	base = base != NULL ? base + 1 : argv0;
	if (strncmp(base, "python3", 7) != 0)
		return false;
	p = base + 7;
	if (*p == '\0')
		return true;
	if (*p++ != '.' || *p == '\0')
		return false;
	for (; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

#ifdef HAVE_PYTRACE
/* True when dir holds the tracer's sitecustomize.py. */
static bool
tracer_in(const char *dir)
{
	char path[PATH_MAX + 32];

	if (snprintf(path, sizeof path, "%s/sitecustomize.py", dir) >=
	    (int)sizeof path)
		return false;
	return access(path, R_OK) == 0;
}

/*
 * Makefile.am defines the installed tracer's directory; a build of these
 * sources outside automake (tests/fuzz/run.sh) has none to install.
 */
#ifndef PTMON_PYTRACE_DIR
#define PTMON_PYTRACE_DIR	"(not installed)"
#endif

/*
 * Where the tracer is: $PTMON_PYTRACE_DIR, else pytrace/ beside ptmon
 * (the build tree), else where `make install` puts it. -1 when nowhere.
 */
static int
tracer_dir(char *buf, size_t len)
{
	const char *env = getenv("PTMON_PYTRACE_DIR");
	char exe[PATH_MAX];
	ssize_t n;
	char *slash;

	if (env != NULL && *env != '\0') {
		snprintf(buf, len, "%s", env);
		return tracer_in(buf) ? 0 : -1;
	}
	n = readlink("/proc/self/exe", exe, sizeof exe - 16);
	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			if (snprintf(buf, len, "%s/pytrace", exe) < (int)len &&
			    tracer_in(buf))
				return 0;
		}
	}
	snprintf(buf, len, "%s", PTMON_PYTRACE_DIR);
	return tracer_in(buf) ? 0 : -1;
}
#endif

/*
 * For a Python 3 command, the control block its tracer will map (see
 * src/pytrace/): into *trace, with the block in s->ctl. Otherwise, or
 * when it cannot be, s->note says why and the command runs untraced.
 */
static bool
trace_python(struct session *s, const struct cli *cli,
    struct runner_trace *trace, char *dir, size_t dirlen)
{
	char name[64];

	if (cli->no_trace || !session_python_command(cli->argv[0]))
		return false;
	sanitize_text(cli->argv[0], strlen(cli->argv[0]), name, sizeof name, 0);
#ifdef HAVE_PYTRACE
	if (tracer_dir(dir, dirlen) < 0) {
		snprintf(s->note, sizeof s->note, _("Python stepping is off: "
		    "ptmon's tracer is not in %.200s; %s runs untraced"),
		    PTMON_PYTRACE_DIR, name);
		return false;
	}
	s->ctl = ctl_new_shared(cli->speed, cli->seeded ? cli->seed :
	    clock_seed(), &trace->ctl_fd);
	if (s->ctl == NULL) {
		snprintf(s->note, sizeof s->note, _("Python stepping is off: "
		    "no control block (%s); %s runs untraced"), strerror(errno),
		    name);
		return false;
	}
	ctl_set_pace(s->ctl, 0);
	/* No queue until the program makes one (ctl_queue_claim). */
	ctl_queue_name(s->ctl, 0, "");
	if (cli->paused)
		ctl_pause_new(s->ctl, CTL_PAUSE_ALL, NULL, 0);
	/* --watch: the lab shows these globals from the start. */
	for (int k = 0; k < cli->nwatch; k++)
		(void)ctl_py_watch_add(s->ctl, cli->watch[k], true);
	/* A schedule's step of a Python thread is one instruction. */
	if (cli->replay != NULL || cli->explore > 0 || cli->record != NULL)
		ctl_py_set_by_op(s->ctl, true);
	if (s->hooks.prepare != NULL)
		s->hooks.prepare(s->hooks.arg, s->ctl);
	trace->ctl_size = ctl_size();
	trace->dir = dir;
	return true;
#else
	(void)trace;
	(void)dir;
	(void)dirlen;
	snprintf(s->note, sizeof s->note, _("Python stepping is not built in "
	    "(no python3-dev when ptmon was built); %s runs untraced"), name);
	return false;
#endif
}

struct session *
session_start_command(const struct cli *cli, const struct session_hooks *hooks,
    int *exec_errno, const char **cause)
{
	struct session *s = session_new(SESSION_COMMAND, hooks);
	struct runner_hooks rh = runner_hooks_of(s);
	struct runner_trace trace = { .ctl_fd = -1 };
	char raw[sizeof s->title], dir[PATH_MAX];
	size_t len = 0;
	bool traced;
	int i;

	/* The command line is the user's text, but it reaches the terminal. */
	for (i = 0; i < cli->argc && len < sizeof raw - 1; i++)
		len += (size_t)snprintf(raw + len, sizeof raw - len, "%s%s",
		    i ? " " : "", cli->argv[i]);
	sanitize_text(raw, strlen(raw), s->title, sizeof s->title, 0);
	traced = trace_python(s, cli, &trace, dir, sizeof dir);
	s->runner = runner_start_command(cli->argv, cli->batch,
	    traced ? &trace : NULL, &rh, exec_errno, cause);
	/* The command has its copy, or failed: ptmon keeps its mapping. */
	if (trace.ctl_fd >= 0)
		close(trace.ctl_fd);
	if (s->runner == NULL) {
		ctl_free(s->ctl);
		free(s);
		return NULL;
	}
	return s;
}

const char *
session_note(const struct session *s)
{
	return s->note;
}

struct session *
session_attach(const struct cli *cli, const struct session_hooks *hooks,
    const char **cause)
{
	struct session *s = session_new(SESSION_ATTACHED, hooks);

	s->attached = cli->pid;
	snprintf(s->title, sizeof s->title, "pid %d", (int)cli->pid);
	if (cli->pid == getpid()) {
		*cause = _("ptmon does not watch itself");
		free(s);
		return NULL;
	}
	s->attached_fd = (int)syscall(SYS_pidfd_open, cli->pid, 0);
	if (s->attached_fd < 0) {
		*cause = errno == ESRCH ? _("no such process") : strerror(errno);
		free(s);
		return NULL;
	}
	return s;
}

int
session_pollfds(struct session *s, struct pollfd *fds)
{
	int n = 0;

	if (s->runner != NULL)
		n += runner_pollfds(s->runner, fds + n);
	if (s->attached_fd >= 0) {
		fds[n].fd = s->attached_fd;
		fds[n].events = POLLIN;
		fds[n++].revents = 0;
	}
	return n;
}

void
session_handle(struct session *s, const struct pollfd *fds, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (fds[i].revents == 0)
			continue;
		if (fds[i].fd == s->attached_fd) {
			/* The attached process has ended. */
			close(s->attached_fd);
			s->attached_fd = -1;
		} else if (s->runner != NULL)
			runner_handle(s->runner, fds[i].fd);
	}
}

void
session_reap(struct session *s)
{
	if (s->runner != NULL)
		runner_reap(s->runner);
}

bool
session_done(const struct session *s)
{
	if (s->runner == NULL)
		return s->attached_fd < 0;
	return runner_done(s->runner);
}

int
session_status(const struct session *s)
{
	if (s->runner == NULL)
		return s->attached_fd < 0 ? 0 : -1;
	return runner_status(s->runner);
}

double
session_elapsed(const struct session *s)
{
	/* The clock of a run that has ended stands still. */
	return (s->ended > 0 ? s->ended : clock_seconds()) - s->started;
}

struct ctl *
session_ctl(struct session *s)
{
	return s->ctl;
}

pid_t
session_root(const struct session *s)
{
	return s->runner != NULL ? runner_root(s->runner) : s->attached;
}

const char *
session_title(const struct session *s)
{
	return s->title;
}

const char *
session_noun(const struct session *s)
{
	switch (s->kind) {
	case SESSION_COMMAND:
		return _("the command");
	case SESSION_ATTACHED:
		return _("the process");
	case SESSION_SCENARIO:
		break;
	}
	return _("the scenario");
}

bool
session_restartable(const struct session *s)
{
	return s->kind != SESSION_ATTACHED;
}

int
session_end_signal(const struct session *s)
{
	return s->root_reaped && WIFSIGNALED(s->root_wait) ?
	    WTERMSIG(s->root_wait) : 0;
}

void
session_end_text(const struct session *s, char *buf, size_t len)
{
	const char *name;

	if (!s->root_reaped) {
		snprintf(buf, len, "%s", _("has ended"));
		return;
	}
	if (WIFSIGNALED(s->root_wait)) {
		name = sigabbrev_np(WTERMSIG(s->root_wait));
		if (name != NULL)
			snprintf(buf, len, _("was killed by SIG%s%s"), name,
			    WCOREDUMP(s->root_wait) ? _(" (core dumped)") : "");
		else
			snprintf(buf, len, _("was killed by signal %d"),
			    WTERMSIG(s->root_wait));
	} else
		snprintf(buf, len, _("exited with status %d"),
		    WEXITSTATUS(s->root_wait));
}

unsigned
session_panes(const struct session *s)
{
	if (s->scenario != NULL)
		return s->scenario->panes;
	/* A traced Python command: its lab, and its queues once it has one. */
	if (s->ctl == NULL)
		return 0;
	return MODEL_PY | (ctl_queues_named(s->ctl) > 0 ? MODEL_QUEUE : 0);
}

/* The start time of task tid of process pid; 0 if it is gone. */
static unsigned long long
start_time_of(pid_t pid, pid_t tid)
{
	struct procfs_stat st;

	return procfs_stat(pid, tid, &st) == 0 ? st.start : 0;
}

/*
 * Why ptmon may not stop process pid, or NULL: stopping ptmon itself, one
 * of its ancestors (its shell, tmux, the terminal emulator, init), the
 * leader of its terminal's session or a process of its own group (a
 * pipeline partner such as `| less`) would freeze the terminal ptmon
 * draws on, and nobody could press a key to undo it.
 */
/*
 * ptmon's ancestors and its terminal's session leader: what a stop must
 * spare. Read again when more than a second old, not once per process a
 * pause-all stops (a tree may have hundreds).
 */
static struct {
	pid_t		 ancestors[64];
	int		 n;
	pid_t		 tty_leader;	/* 0: no terminal */
	long long	 read_ms;	/* 0: never read */
} spare;

static void
spare_refresh(void)
{
	struct procfs_stat st;
	long long now = clock_ms();
	pid_t p;
	int tty;

	if (spare.read_ms != 0 && now - spare.read_ms < 1000)
		return;
	spare.read_ms = now;
	spare.n = 0;
	for (p = getppid(); p > 1 && spare.n < (int)(sizeof spare.ancestors /
	    sizeof spare.ancestors[0]); ) {
		spare.ancestors[spare.n++] = p;
		if (procfs_stat(p, p, &st) < 0)
			break;
		p = st.ppid;
	}
	spare.tty_leader = 0;
	tty = open("/dev/tty", O_RDONLY | O_NOCTTY | O_CLOEXEC);
	if (tty >= 0) {
		pid_t leader = tcgetsid(tty);

		close(tty);
		spare.tty_leader = leader > 0 ? leader : 0;
	}
}

/*
 * Why ptmon may not stop process pid, or NULL: stopping ptmon itself, one
 * of its ancestors (its shell, tmux, the terminal emulator, init), the
 * leader of its terminal's session or a process of its own group (a
 * pipeline partner such as `| less`) would freeze the terminal ptmon
 * draws on, and nobody could press a key to undo it.
 */
static const char *
unstoppable(pid_t pid)
{
	struct procfs_stat st;
	int i;

	if (pid == getpid())
		return _("ptmon does not stop itself");
	if (pid <= 1)
		return _("ptmon does not stop init");
	if (procfs_stat(pid, pid, &st) == 0 && st.pgrp == getpgrp())
		return _("it is in ptmon's own process group: stopping it would "
		    "freeze ptmon's terminal");
	spare_refresh();
	for (i = 0; i < spare.n; i++)
		if (spare.ancestors[i] == pid)
			return _("it is an ancestor of ptmon (its shell, tmux or "
			    "terminal): stopping it would freeze ptmon's own "
			    "terminal");
	if (spare.tty_leader == pid)
		return _("it owns ptmon's terminal: stopping it would freeze it");
	return NULL;
}

/*
 * Sends sig to process pid if its task tid is still the one that started at
 * `start` (a thread names its process this way): a pidfd pins the process,
 * then the start time rules out a recycled pid. Never ptmon itself.
 */
static int
signal_task(pid_t pid, pid_t tid, unsigned long long start, int sig,
    const char **why)
{
	int pidfd, rc;

	if (pid <= 1 || pid == getpid()) {
		*why = _("ptmon does not signal itself or init");
		errno = EPERM;
		return -1;
	}
	if ((sig == SIGSTOP || sig == SIGTSTP) &&
	    (*why = unstoppable(pid)) != NULL) {
		errno = EPERM;
		return -1;
	}
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0 && errno == ENOSYS) {
		/* No pidfds (an old kernel, valgrind): check, then kill(). */
		if (start_time_of(pid, tid) != start) {
			*why = _("the process has ended");
			errno = ESRCH;
			return -1;
		}
		rc = kill(pid, sig);
		if (rc < 0)
			*why = errno == EPERM ? _("permission denied") :
			    strerror(errno);
		return rc;
	}
	if (pidfd < 0) {
		*why = _("the process has ended");
		return -1;
	}
	if (start_time_of(pid, tid) != start) {
		close(pidfd);
		*why = _("the process has ended (its pid is someone else's now)");
		errno = ESRCH;
		return -1;
	}
	rc = (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
	if (rc < 0)
		*why = errno == EPERM ? _("permission denied") : strerror(errno);
	close(pidfd);
	return rc;
}

/* True when ptmon has stopped process pid (started at start). */
static bool
is_held(const struct session *s, pid_t pid, unsigned long long start)
{
	int i;

	for (i = 0; i < s->nheld; i++)
		if (s->held[i] == pid && s->held_start[i] == start)
			return true;
	return false;
}

/* Notes that ptmon stopped (held) or continued a foreign process. */
static void
hold_process(struct session *s, pid_t pid, unsigned long long start,
    bool held)
{
	int i;

	for (i = 0; i < s->nheld; i++)
		if (s->held[i] == pid && s->held_start[i] == start)
			break;
	if (held && i == s->nheld && s->nheld < HELD_MAX) {
		s->held[s->nheld] = pid;
		s->held_start[s->nheld++] = start;
	} else if (!held && i < s->nheld) {
		s->held[i] = s->held[--s->nheld];
		s->held_start[i] = s->held_start[s->nheld];
	}
	/* If ptmon dies, the keeper continues what it left stopped. */
	keeper_hold(pid, start, held);
}

/* Continues every process ptmon stopped and forgets them. */
static void
continue_held(struct session *s)
{
	const char *why;
	int k;

	for (k = 0; k < s->nheld; k++) {
		signal_task(s->held[k], s->held[k], s->held_start[k], SIGCONT,
		    &why);
		keeper_hold(s->held[k], s->held_start[k], false);
	}
	s->nheld = 0;
	s->nstepped = 0;
	s->holding = false;
}

/* True when the task is gated by the control block (a scenario task). */
static bool
gated(const struct session *s, const struct snap_task *t)
{
	return s->ctl != NULL && t->slot >= 0 && t->gate != SNAP_GATE_NONE;
}

/*
 * True when t is a process of the scenario (ptmon's own program, forked)
 * that has no gate yet: it gets one at its first checkpoint, and a
 * SIGSTOP now would hold it behind the gates' back.
 */
static bool
not_gated_yet(const struct session *s, const struct snap_task *t)
{
	struct stat self, it;
	char path[64];

	if (s->kind != SESSION_SCENARIO || t->gate != SNAP_GATE_NONE)
		return false;
	snprintf(path, sizeof path, "/proc/%d/exe", (int)t->s.tgid);
	if (stat("/proc/self/exe", &self) < 0 || stat(path, &it) < 0)
		return false;
	return self.st_dev == it.st_dev && self.st_ino == it.st_ino;
}

/* Foreign tasks pause per process: a thread cannot be stopped alone. */
static int
foreign_check(const struct session *s, const struct snap_task *t,
    const char **why)
{
	if (not_gated_yet(s, t)) {
		*why = _("it has no gate yet: it has not reached its first "
		    "checkpoint");
		errno = EAGAIN;
		return -1;
	}
	if (t->is_thread) {
		*why = _("a thread of a foreign process cannot be stopped alone: "
		    "select its process");
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/*
 * Waits, briefly, until the kernel shows process pid stopped (or no
 * longer stopped), so the snapshot taken next tells the truth.
 */
static void
settle(pid_t pid, bool stopped)
{
	struct timespec nap = { 0, 1000 * 1000 };
	struct procfs_stat st;
	int i;

	for (i = 0; i < SIGNAL_SETTLE_MS; i++) {
		if (procfs_stat(pid, pid, &st) < 0 ||
		    (st.state == 'T' || st.state == 't') == stopped ||
		    st.state == 'Z')
			return;
		nanosleep(&nap, NULL);
	}
}

/* SIGSTOP or SIGCONT to a foreign process, noted; not waited for. */
static int
signal_process(struct session *s, const struct snap_task *t, bool stop,
    const char **why)
{
	if (signal_task(t->s.tgid, t->s.tgid, t->s.start_time,
	    stop ? SIGSTOP : SIGCONT, why) < 0)
		return -1;
	hold_process(s, t->s.tgid, t->s.start_time, stop);
	return 0;
}

/* SIGSTOP or SIGCONT to a foreign process, noted and waited for. */
static int
stop_process(struct session *s, const struct snap_task *t, bool stop,
    const char **why)
{
	if (signal_process(s, t, stop, why) < 0)
		return -1;
	settle(t->s.tgid, stop);
	return 0;
}

/*
 * Waits, within a frame, for a gated task to park, block or end after a
 * command (its doorbell rings then), so the next snapshot shows it there.
 */
static int
gate_settle(struct session *s, uint32_t bell, int rc)
{
	if (rc == 0)
		ctl_wait_doorbell(s->ctl, bell, GATE_SETTLE_S);
	return rc;
}

int
session_pause(struct session *s, const struct snap_task *t, const char **why)
{
	*why = NULL;
	if (gated(s, t)) {
		uint32_t bell = ctl_doorbell(s->ctl);

		return gate_settle(s, bell, ctl_pause(s->ctl, t->slot));
	}
	if (foreign_check(s, t, why) < 0)
		return -1;
	return stop_process(s, t, true, why);
}

int
session_resume(struct session *s, const struct snap_task *t, const char **why)
{
	*why = NULL;
	if (gated(s, t))
		return ctl_resume(s->ctl, t->slot);
	if (foreign_check(s, t, why) < 0)
		return -1;
	s->holding = false;
	return stop_process(s, t, false, why);
}

int
session_step(struct session *s, const struct snap_task *t, const char **why)
{
	*why = NULL;
	if (gated(s, t)) {
		uint32_t bell = ctl_doorbell(s->ctl);

		if (t->gate == SNAP_GATE_RUNNING)
			return gate_settle(s, bell, ctl_pause(s->ctl, t->slot));
		if (ctl_is_blocked(s->ctl, t->slot)) {
			*why = _("it waits (on a lock, a queue or a join) and "
			    "stays waiting");
			/* A schedule keeps the step: replayed, it does nothing. */
			schedule_add(&s->taken, t->role);
			return -1;
		}
		if (ctl_step(s->ctl, t->slot) < 0) {
			*why = t->doing == CTL_DONE ? _("it has ended") :
			    _("it cannot step now");
			return -1;
		}
		schedule_add(&s->taken, t->role);
		return gate_settle(s, bell, 0);
	}
	if (foreign_check(s, t, why) < 0)
		return -1;
	/* A foreign process runs one refresh interval, then stops again. */
	if (stop_process(s, t, false, why) < 0)
		return -1;
	if (s->nstepped < STEPPED_MAX) {
		s->stepped[s->nstepped] = t->s.tgid;
		s->stepped_start[s->nstepped++] = t->s.start_time;
	}
	return 0;
}

int
session_signal(struct session *s, const struct snap_task *t, int sig,
    const char **why)
{
	(void)s;
	*why = NULL;
	return signal_task(t->s.tgid, t->s.tid, t->s.start_time, sig, why);
}

size_t
session_pause_all(struct session *s, const struct snapshot *snap, bool pause,
    const char **why)
{
	const char *w = NULL;
	size_t i, bad = 0, last = 0;
	bool signalled = false;

	*why = NULL;
	if (s->ctl != NULL) {
		if (pause)
			ctl_pause_all(s->ctl);
		else
			ctl_resume_all(s->ctl);
	}
	s->holding = pause && s->ctl == NULL;
	s->nstepped = 0;
	if (!pause)
		/* Everything ptmon stopped, gated since or not, goes on. */
		continue_held(s);
	for (i = 0; i < snap->ntasks; i++) {
		const struct snap_task *t = &snap->tasks[i];

		/*
		 * Scenario processes without their gate yet stop at their
		 * first checkpoint (the control block pauses new tasks): a
		 * SIGSTOP now would outlast the resume, which finds them gated.
		 */
		if (gated(s, t) || t->is_thread || t->s.state == 'Z' ||
		    not_gated_yet(s, t))
			continue;
		/*
		 * Signal every process first and wait once at the end: a
		 * tree of a hundred processes is stopped in one go.
		 */
		if (signal_process(s, t, pause, &w) == 0) {
			signalled = true;
			last = i;
		} else if (errno != ESRCH && bad++ == 0)
			*why = w;
	}
	/* The last one signalled is the last to stop: wait for it. */
	if (signalled)
		settle(snap->tasks[last].s.tgid, pause);
	return bad;
}

size_t
session_step_all(struct session *s, const struct snapshot *snap)
{
	const char *why;
	size_t i, n = 0;

	for (i = 0; i < snap->ntasks; i++) {
		const struct snap_task *t = &snap->tasks[i];

		if (gated(s, t) ? t->gate == SNAP_GATE_RUNNING :
		    t->is_thread || t->s.state != 'T')
			continue;
		if (session_step(s, t, &why) == 0)
			n++;
	}
	return n;
}

bool
session_all_paused(const struct session *s)
{
	if (s->ctl != NULL)
		return ctl_pausing_new(s->ctl);
	return s->holding;
}

bool
session_steps_by_time(const struct session *s, const struct snap_task *t)
{
	return !gated(s, t);
}

void
session_tick(struct session *s, const struct snapshot *snap)
{
	const char *why;
	size_t k;
	int i;

	for (i = 0; i < s->nstepped; i++)
		if (signal_task(s->stepped[i], s->stepped[i],
		    s->stepped_start[i], SIGSTOP, &why) == 0)
			hold_process(s, s->stepped[i], s->stepped_start[i],
			    true);
	s->nstepped = 0;
	if (!s->holding || snap == NULL)
		return;
	/* A process forked between two samples is held like the rest. */
	for (k = 0; k < snap->ntasks; k++) {
		const struct snap_task *t = &snap->tasks[k];

		if (t->is_thread || gated(s, t) || t->s.state == 'T' ||
		    t->s.state == 'Z')
			continue;
		/*
		 * Held already: its stop has not landed yet (a task in the
		 * kernel's "D" wait stops when it leaves it), or it was
		 * continued from outside, which stands. Either way it stays
		 * held, to be continued with the rest: forgotten, it would
		 * stay stopped after ptmon has gone.
		 */
		if (is_held(s, t->s.tgid, t->s.start_time))
			continue;
		if (signal_task(t->s.tgid, t->s.tgid, t->s.start_time,
		    SIGSTOP, &why) == 0)
			hold_process(s, t->s.tgid, t->s.start_time, true);
	}
}

void
session_ended(struct session *s)
{
	if (s->ended == 0)
		s->ended = clock_seconds();
	continue_held(s);
}

const struct schedule *
session_taken(const struct session *s)
{
	return &s->taken;
}

void
session_free(struct session *s)
{
	if (s == NULL)
		return;
	schedule_free(&s->taken);
	/* A process we only watch is not left stopped by us. */
	continue_held(s);
	if (s->runner != NULL)
		runner_free(s->runner);
	if (s->attached_fd >= 0)
		close(s->attached_fd);
	ctl_free(s->ctl);
	free(s);
}
