/*
 * The runner: forks a scenario root and ends its whole tree.
 *
 * Nothing of a scenario may outlive ptmon. On the normal paths ptmon kills
 * the root's process group; if ptmon itself is killed, PR_SET_PDEATHSIG
 * takes the root down, and every scenario process sets it again after its
 * own fork (see tutorial.c), so the chain ends with the last leaf.
 */
#include "config.h"

#include "runner.h"

#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ctl.h"
#include "sanitize.h"
#include "scenario.h"
#include "tutorial.h"
#include "xalloc.h"

#define RUNNER_LINE_MAX	2048

struct runner {
	pid_t			 root;
	int			 pidfd;
	int			 out;		/* read end of the output pipe */
	bool			 root_ended;
	int			 root_status;	/* raw waitpid status */
	struct runner_hooks	 hooks;
	struct timespec		 started;
	char			 buf[RUNNER_LINE_MAX];
	size_t			 len;
};

int
runner_become_subreaper(void)
{
	return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
}

/* In the forked child: becomes the scenario root and never returns. */
static void __attribute__((noreturn))
run_root(const struct scenario *sc, const struct params *params,
    struct ctl *ctl, int out, pid_t monitor)
{
	sigset_t none;
	int devnull;

	/* Own process group: ptmon can end the whole tree with one kill. */
	setpgid(0, 0);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != monitor)
		_exit(127);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0 || dup2(devnull, STDIN_FILENO) < 0 ||
	    dup2(out, STDOUT_FILENO) < 0 || dup2(out, STDERR_FILENO) < 0)
		_exit(127);
	tutorial_begin(ctl, STDOUT_FILENO, sc->root_role);
	{
		int status = sc->main(params);

		tutorial_end();
		_exit(status);
	}
}

struct runner *
runner_start(const struct scenario *sc, const struct params *params,
    struct ctl *ctl, const struct runner_hooks *hooks, const char **cause)
{
	struct runner *r;
	int fds[2];
	pid_t monitor = getpid();

	if (pipe2(fds, O_CLOEXEC) < 0) {
		*cause = "cannot make the output pipe";
		return NULL;
	}
	r = xcalloc(1, sizeof *r);
	r->hooks = *hooks;
	r->out = fds[0];
	clock_gettime(CLOCK_MONOTONIC, &r->started);
	r->root = fork();
	if (r->root < 0) {
		close(fds[0]);
		close(fds[1]);
		free(r);
		*cause = "cannot fork the scenario";
		return NULL;
	}
	if (r->root == 0) {
		close(fds[0]);
		run_root(sc, params, ctl, fds[1], monitor);
	}
	close(fds[1]);
	/* Both sides set the group, so no kill can come before it exists. */
	setpgid(r->root, r->root);
	r->pidfd = (int)syscall(SYS_pidfd_open, r->root, 0);
	fcntl(r->out, F_SETFL, fcntl(r->out, F_GETFL) | O_NONBLOCK);
	return r;
}

int
runner_fd(const struct runner *r)
{
	return r->out;
}

pid_t
runner_root(const struct runner *r)
{
	return r->root;
}

/* Hands one framed line, "PID TEXT", to the output hook. */
static void
deliver(struct runner *r, char *line)
{
	char clean[RUNNER_LINE_MAX * 4];
	char *text = line;
	long pid = 0;

	while (*text >= '0' && *text <= '9' && pid < 1L << 30)
		pid = pid * 10 + (*text++ - '0');
	if (*text == ' ' && pid > 0)
		text++;
	else {
		pid = r->root;
		text = line;
	}
	sanitize_text(text, strlen(text), clean, sizeof clean, 1);
	if (r->hooks.output != NULL)
		r->hooks.output(r->hooks.arg, (pid_t)pid, clean);
}

void
runner_read(struct runner *r)
{
	for (;;) {
		ssize_t n;
		char *nl;

		if (r->out < 0)
			return;
		n = read(r->out, r->buf + r->len, sizeof r->buf - 1 - r->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return;	/* EAGAIN: all read for now */
		if (n == 0) {
			/* Every writer is gone: flush a last unended line. */
			if (r->len > 0) {
				r->buf[r->len] = '\0';
				deliver(r, r->buf);
				r->len = 0;
			}
			close(r->out);
			r->out = -1;
			return;
		}
		r->len += (size_t)n;
		r->buf[r->len] = '\0';
		while ((nl = memchr(r->buf, '\n', r->len)) != NULL) {
			size_t used = (size_t)(nl - r->buf) + 1;

			*nl = '\0';
			deliver(r, r->buf);
			memmove(r->buf, r->buf + used, r->len - used);
			r->len -= used;
		}
		if (r->len == sizeof r->buf - 1) {
			/* A line longer than the buffer: pass it on in pieces. */
			r->buf[r->len] = '\0';
			deliver(r, r->buf);
			r->len = 0;
		}
	}
}

/* Kills what is left of the tree: the root's group, and the root itself. */
static void
kill_tree(struct runner *r)
{
	if (r->root_ended)
		return;
	/* The root is not reaped yet, so its pid is still its group's id. */
	if (r->pidfd >= 0)
		syscall(SYS_pidfd_send_signal, r->pidfd, SIGKILL, NULL, 0);
	kill(-r->root, SIGKILL);
}

void
runner_reap(struct runner *r)
{
	siginfo_t info;

	/*
	 * While the ended root is still a zombie its pid cannot be reused, so
	 * its group id still names our tree: end the rest of it now.
	 */
	memset(&info, 0, sizeof info);
	if (!r->root_ended && waitid(P_PID, (id_t)r->root, &info,
	    WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == r->root)
		kill(-r->root, SIGKILL);
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG | __WALL);

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
	return r->root_ended && r->out < 0;
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

double
runner_elapsed(const struct runner *r)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - r->started.tv_sec) +
	    (now.tv_nsec - r->started.tv_nsec) / 1e9;
}

int
runner_signal_root(struct runner *r, int sig)
{
	if (r->pidfd < 0) {
		errno = ESRCH;
		return -1;
	}
	return (int)syscall(SYS_pidfd_send_signal, r->pidfd, sig, NULL, 0);
}

void
runner_free(struct runner *r)
{
	if (r == NULL)
		return;
	kill_tree(r);
	/* Reap the tree: block until no child of ptmon is left. */
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, __WALL);

		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			break;
		if (pid == r->root && !r->root_ended) {
			r->root_ended = true;
			r->root_status = status;
		}
	}
	if (r->pidfd >= 0)
		close(r->pidfd);
	if (r->out >= 0)
		close(r->out);
	free(r);
}
