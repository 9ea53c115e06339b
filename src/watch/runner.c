/*
 * The runner: forks what ptmon watches, reads its output, reaps, and ends
 * its whole tree.
 *
 * The root enters ptmon's cgroup when there is one (tree_cgroup.h) and gets
 * a session of its own (setsid), so every process of the tree is in that
 * cgroup and, unless it made a session of its own, shares the root's
 * session id. Nothing of it may outlive ptmon: on the normal paths ptmon
 * kills the cgroup, the session and every orphan it adopted as subreaper;
 * if ptmon itself is killed, the keeper (see keeper.c) kills the cgroup and
 * the session, and PR_SET_PDEATHSIG, set again after each fork of a
 * scenario (see tutorial.c), takes the chain down at once.
 */
#include "config.h"

#include "runner.h"

#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ctl.h"
#include "keeper.h"
#include "procfs.h"
#include "sanitize.h"
#include "scenario.h"
#include "tree_cgroup.h"
#include "tutorial.h"
#include "xalloc.h"

#define RUNNER_LINE_MAX	2048
/* The most reads of one pipe per pass of the loop (64 KiB at most). */
#define RUNNER_READS_MAX	32

/* One output pipe, read a line at a time. */
struct stream {
	int		 fd;		/* read end, -1 once closed */
	int		 which;		/* 1 stdout, 2 stderr */
	bool		 framed;	/* lines are "PID TEXT" (scenarios) */
	char		 buf[RUNNER_LINE_MAX];
	size_t		 len;
};

struct runner {
	pid_t			 root;
	int			 pidfd;
	struct stream		 streams[2];
	int			 nstreams;
	bool			 root_ended;
	int			 root_status;	/* raw waitpid status */
	struct runner_hooks	 hooks;
};

int
runner_become_subreaper(void)
{
	return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
}

/*
 * In a forked child: a session of its own, death with ptmon, default
 * signals, and stdin/stdout/stderr as given (-1 keeps ptmon's).
 */
static void
become_root(pid_t monitor, int in, int out, int err, int keep_fd)
{
	sigset_t none;
	int sig;

	/* Before anything else runs, so that no fork gets out first. */
	(void)tree_cgroup_enter(tree_cgroup_fd());
	setsid();
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != monitor)
		_exit(127);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/*
	 * Every disposition back to the default: a scenario runs on without
	 * exec, and must not keep ncurses' SIGTERM handler (which would reset
	 * a terminal it does not own and exit 1 instead of dying of SIGTERM),
	 * ptmon's crash handler or its ignored SIGPIPE.
	 */
	for (sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	if ((in >= 0 && dup2(in, STDIN_FILENO) < 0) ||
	    dup2(out, STDOUT_FILENO) < 0 || dup2(err, STDERR_FILENO) < 0)
		_exit(127);
	/*
	 * A scenario runs on without exec, so close-on-exec never closes what
	 * ptmon holds (the sampler's kept files, the terminal, pipes): close
	 * every descriptor but the three standard ones now. A command keeps
	 * its report pipe, which is close-on-exec.
	 */
	if (keep_fd < 0)
		close_range(3, ~0U, 0);
	else
		close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
}

/*
 * In the forked command, before exec: keeps the control block's memfd
 * open across exec and says where it is, and puts the tracer's directory
 * first on PYTHONPATH. ptmon has one thread, so its child may setenv.
 * Should any of it fail, the program runs untraced and says why.
 */
static void
hand_down(const struct runner_trace *trace)
{
	const char *old = getenv("PYTHONPATH");
	char num[32];
	char *path;

	if (fcntl(trace->ctl_fd, F_SETFD, 0) < 0)
		return;
	snprintf(num, sizeof num, "%d", trace->ctl_fd);
	setenv("PTMON_CTL_FD", num, 1);
	snprintf(num, sizeof num, "%zu", trace->ctl_size);
	setenv("PTMON_CTL_SIZE", num, 1);
	if (old != NULL && *old != '\0') {
		size_t len = strlen(trace->dir) + strlen(old) + 2;

		path = malloc(len);
		if (path == NULL)
			return;
		snprintf(path, len, "%s:%s", trace->dir, old);
		setenv("PYTHONPATH", path, 1);
		free(path);
	} else
		setenv("PYTHONPATH", trace->dir, 1);
}

static int
open_null(void)
{
	return open("/dev/null", O_RDWR | O_CLOEXEC);
}

/* Sets up a runner's common parts; the caller forks. */
static struct runner *
runner_new(const struct runner_hooks *hooks)
{
	struct runner *r = xcalloc(1, sizeof *r);

	r->hooks = *hooks;
	r->pidfd = -1;
	r->streams[0].fd = r->streams[1].fd = -1;
	return r;
}

/* After the fork, in ptmon: watch the new session, take a pidfd. */
static void
runner_started(struct runner *r)
{
	int i;

	keeper_watch(r->root);
	/* The child cannot be reaped before we wait for it: no PID reuse. */
	r->pidfd = (int)syscall(SYS_pidfd_open, r->root, 0);
	for (i = 0; i < r->nstreams; i++)
		fcntl(r->streams[i].fd, F_SETFL,
		    fcntl(r->streams[i].fd, F_GETFL) | O_NONBLOCK);
}

struct runner *
runner_start(const struct scenario *sc, const struct params *params,
    struct ctl *ctl, const struct runner_hooks *hooks, const char **cause)
{
	struct runner *r;
	int fds[2], devnull;
	pid_t monitor = getpid();

	if (pipe2(fds, O_CLOEXEC) < 0) {
		*cause = "cannot make the output pipe";
		return NULL;
	}
	r = runner_new(hooks);
	r->streams[0].fd = fds[0];
	r->streams[0].which = 1;
	r->streams[0].framed = true;
	r->nstreams = 1;
	r->root = fork();
	if (r->root < 0) {
		close(fds[0]);
		close(fds[1]);
		free(r);
		*cause = "cannot fork the scenario";
		return NULL;
	}
	if (r->root == 0) {
		int status;

		free(r);	/* ptmon's, not the scenario's */
		devnull = open_null();
		become_root(monitor, devnull, fds[1], fds[1], -1);
		tutorial_begin(ctl, STDOUT_FILENO, sc->root_role);
		status = sc->main(params);
		tutorial_end();
		_exit(status);
	}
	close(fds[1]);
	runner_started(r);
	return r;
}

struct runner *
runner_start_command(char *const argv[], bool keep_stdin,
    const struct runner_trace *trace, const struct runner_hooks *hooks,
    int *exec_errno, const char **cause)
{
	struct runner *r;
	int out[2], err[2], report[2];
	pid_t monitor = getpid();
	ssize_t n;
	int child_errno = 0;

	*exec_errno = 0;
	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0 ||
	    pipe2(report, O_CLOEXEC) < 0) {
		*cause = "cannot make the output pipes";
		return NULL;
	}
	r = runner_new(hooks);
	r->streams[0].fd = out[0];
	r->streams[0].which = 1;
	r->streams[1].fd = err[0];
	r->streams[1].which = 2;
	r->nstreams = 2;
	r->root = fork();
	if (r->root < 0) {
		*cause = "cannot fork the command";
		close(out[0]);
		close(out[1]);
		close(err[0]);
		close(err[1]);
		close(report[0]);
		close(report[1]);
		free(r);
		return NULL;
	}
	if (r->root == 0) {
		become_root(monitor, keep_stdin ? -1 : open_null(), out[1],
		    err[1], report[1]);
		if (trace != NULL)
			hand_down(trace);
		execvp(argv[0], argv);
		/* Tell ptmon why through the close-on-exec report pipe. */
		child_errno = errno;
		if (write(report[1], &child_errno, sizeof child_errno) < 0)
			_exit(127);
		_exit(child_errno == ENOENT ? 127 : 126);
	}
	close(out[1]);
	close(err[1]);
	close(report[1]);
	/* EOF at exec, or the errno of a failed exec. */
	while ((n = read(report[0], &child_errno, sizeof child_errno)) < 0 &&
	    errno == EINTR)
		;
	close(report[0]);
	runner_started(r);
	if (n == (ssize_t)sizeof child_errno) {
		*exec_errno = child_errno;
		*cause = strerror(child_errno);
		runner_free(r);
		return NULL;
	}
	return r;
}

int
runner_pollfds(const struct runner *r, struct pollfd *fds)
{
	int i, n = 0;

	for (i = 0; i < r->nstreams; i++) {
		if (r->streams[i].fd < 0)
			continue;
		fds[n].fd = r->streams[i].fd;
		fds[n].events = POLLIN;
		fds[n++].revents = 0;
	}
	return n;
}

pid_t
runner_root(const struct runner *r)
{
	return r->root;
}

/*
 * Hands one line, or a piece of a long one, to the output hook: the bytes
 * as written and their sanitised form. Framed lines are "PID TEXT".
 */
static void
deliver(struct runner *r, struct stream *st, char *line, size_t len,
    bool ended)
{
	char clean[RUNNER_LINE_MAX * 4];
	struct output_line out = { .stream = st->which, .ended = ended };
	char *text = line;
	long pid = 0;

	if (st->framed) {
		while (text < line + len && *text >= '0' && *text <= '9' &&
		    pid < 1L << 30)
			pid = pid * 10 + (*text++ - '0');
		if (text < line + len && *text == ' ' && pid > 0)
			text++;
		else {
			pid = 0;
			text = line;
		}
	}
	/*
	 * A scenario frames each line with its writer's pid; a command's pipe
	 * is shared by its whole tree, so the writer is not known (0).
	 */
	out.pid = pid != 0 ? (pid_t)pid : st->framed ? r->root : 0;
	out.raw = text;
	out.rawlen = len - (size_t)(text - line);
	sanitize_text(out.raw, out.rawlen, clean, sizeof clean, 1);
	out.text = clean;
	if (r->hooks.output != NULL)
		r->hooks.output(r->hooks.arg, &out);
}

/*
 * Where to cut a full buffer that holds no newline: after the last whole
 * UTF-8 character, so that no piece ends inside one. A cut sequence at the
 * end waits for the rest; an invalid byte is a character of its own.
 */
static size_t
piece_end(const char *buf, size_t len)
{
	size_t lead = len, back;

	for (back = 1; back <= 3 && back <= len; back++) {
		unsigned char c = (unsigned char)buf[len - back];

		if ((c & 0xc0) != 0x80) {
			lead = len - back;
			break;
		}
	}
	if (lead < len) {
		unsigned char c = (unsigned char)buf[lead];
		size_t want = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;

		if (want > len - lead && lead > 0)
			return lead;
	}
	return len;
}

/*
 * Reads what one pipe holds, up to RUNNER_READS_MAX reads, and delivers
 * each whole line. The bound keeps a flood (`yes`) from holding the loop:
 * signals, snapshots and keys get their turn between two batches.
 */
static void
read_stream(struct runner *r, struct stream *st)
{
	int reads;

	for (reads = 0; reads < RUNNER_READS_MAX; reads++) {
		ssize_t n;
		char *nl;

		if (st->fd < 0)
			return;
		n = read(st->fd, st->buf + st->len, sizeof st->buf - st->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return;	/* EAGAIN: all read for now */
		if (n == 0) {
			/* Every writer is gone: flush a last unended line. */
			if (st->len > 0)
				deliver(r, st, st->buf, st->len, false);
			st->len = 0;
			close(st->fd);
			st->fd = -1;
			return;
		}
		st->len += (size_t)n;
		while ((nl = memchr(st->buf, '\n', st->len)) != NULL) {
			size_t used = (size_t)(nl - st->buf) + 1;

			deliver(r, st, st->buf, used - 1, true);
			memmove(st->buf, st->buf + used, st->len - used);
			st->len -= used;
		}
		if (st->len == sizeof st->buf) {
			/* A line longer than the buffer: pass it on in pieces. */
			size_t cut = piece_end(st->buf, st->len);

			deliver(r, st, st->buf, cut, false);
			memmove(st->buf, st->buf + cut, st->len - cut);
			st->len -= cut;
		}
	}
}

void
runner_handle(struct runner *r, int fd)
{
	int i;

	for (i = 0; i < r->nstreams; i++)
		if (r->streams[i].fd >= 0 && r->streams[i].fd == fd)
			read_stream(r, &r->streams[i]);
}

/*
 * Kills ptmon's live children, as listed by /proc/self/task/TID/children
 * (ptmon has one thread): returns how many. Only ptmon's own children are
 * signalled, and an unreaped child keeps its pid, so no stranger is hit.
 */
static int
kill_children(void)
{
	char path[64], buf[4096];
	struct procfs_stat st;
	ssize_t n;
	char *p, *end;
	int fd, found = 0;

	snprintf(path, sizeof path, "/proc/self/task/%d/children",
	    (int)getpid());
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	for (p = buf; *p != '\0'; p = end) {
		long pid = strtol(p, &end, 10);

		if (end == p)
			break;
		if (pid <= 1 || procfs_stat((pid_t)pid, (pid_t)pid, &st) < 0 ||
		    st.state == 'Z' || st.state == 'X')
			continue;
		if (kill((pid_t)pid, SIGKILL) == 0)
			found++;
	}
	return found;
}

/*
 * Without a cgroup, kills the processes ptmon adopted as subreaper: a
 * daemon or a hopper that left the session is ptmon's child once its
 * parent is gone. Rounds repeat, since a killed daemon's children become
 * ptmon's in turn, until three rounds a millisecond apart find none. (Only
 * a cgroup catches a process that leaves its session on every fork.)
 */
static void
kill_adopted(void)
{
	struct timespec nap = { 0, 1000 * 1000 };
	int round, empty = 0;

	if (tree_cgroup_fd() >= 0)
		return;		/* cgroup.kill took them all */
	for (round = 0; round < 200 && empty < 3; round++) {
		empty = kill_children() == 0 ? empty + 1 : 0;
		nanosleep(&nap, NULL);
	}
}

/*
 * Ends every process of the tree but the root's zombie: the cgroup, the
 * root's group and session, what ptmon adopted. Called while the root is
 * alive or a zombie, when its pid still names our group and session; then
 * the keeper is told to forget the session, before the root is reaped and
 * its pid may go to a new session leader that is not ours.
 */
static void
end_tree(struct runner *r)
{
	(void)tree_cgroup_kill(tree_cgroup_fd());
	kill(-r->root, SIGKILL);
	kill_session(r->root);
	kill_adopted();
	keeper_watch(0);
}

/* Kills what is left of the tree, its root first. */
static void
kill_tree(struct runner *r)
{
	if (r->root_ended) {
		/* The rest was ended with the root (runner_reap). */
		(void)tree_cgroup_kill(tree_cgroup_fd());
		kill_adopted();
		return;
	}
	if (r->pidfd >= 0)
		syscall(SYS_pidfd_send_signal, r->pidfd, SIGKILL, NULL, 0);
	end_tree(r);
}

void
runner_reap(struct runner *r)
{
	for (;;) {
		siginfo_t info;
		int status;
		pid_t pid;

		/*
		 * Look before reaping: while the ended root is still a zombie
		 * its pid cannot be reused, so its group and session ids still
		 * name our tree. The scenario ends with its root, as a Python
		 * program does.
		 */
		memset(&info, 0, sizeof info);
		if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT |
		    __WALL) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (info.si_pid == 0)
			break;
		if (info.si_pid == r->root && !r->root_ended)
			end_tree(r);
		pid = waitpid(info.si_pid, &status, WNOHANG | __WALL);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid <= 0)
			break;
		if (pid == r->root) {
			r->root_ended = true;
			r->root_status = status;
			if (r->pidfd >= 0)
				close(r->pidfd);
			r->pidfd = -1;
		}
		if (r->hooks.exit != NULL)
			r->hooks.exit(r->hooks.arg, pid, status);
	}
}

bool
runner_done(const struct runner *r)
{
	int i;

	if (!r->root_ended)
		return false;
	for (i = 0; i < r->nstreams; i++)
		if (r->streams[i].fd >= 0)
			return false;
	return true;
}

int
runner_status(const struct runner *r)
{
	if (!r->root_ended)
		return -1;
	if (WIFSIGNALED(r->root_status))
		return 128 + WTERMSIG(r->root_status);
	return WEXITSTATUS(r->root_status);
}

void
runner_free(struct runner *r)
{
	struct timespec nap = { 0, 2 * 1000 * 1000 };
	int i, tries;

	if (r == NULL)
		return;
	kill_tree(r);
	/*
	 * Reap the tree. Should a process that cannot be killed (stuck in
	 * the kernel, 'D') remain, give up on it after a second.
	 */
	for (tries = 0; tries < 500; tries++) {
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG | __WALL);

		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			break;
		if (pid == 0) {
			nanosleep(&nap, NULL);
			continue;
		}
		if (pid == r->root && !r->root_ended) {
			r->root_ended = true;
			r->root_status = status;
		}
	}
	keeper_watch(0);
	if (r->pidfd >= 0)
		close(r->pidfd);
	for (i = 0; i < r->nstreams; i++)
		if (r->streams[i].fd >= 0)
			close(r->streams[i].fd);
	free(r);
}
