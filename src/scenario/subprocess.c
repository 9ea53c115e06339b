/*
 * subprocess.call() and Popen.communicate(): run an external command, show
 * its output and exit code. The tutorial runs `nslookup www.python.org`, and
 * then `nslookup` fed with "set q=mx\npython.org\nexit\n" on its stdin.
 *
 * A command that hangs (no network) is killed after timeout= seconds, and
 * its exit code is then -9, as Python reports a command killed by SIGKILL.
 */
#include "config.h"

#include <sys/syscall.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "scenario.h"
#include "tutorial.h"

#define MAX_ARGS	32
#define OUTPUT_MAX	65536

/* Splits `line` in place at spaces into argv; returns argc. */
static int
split_words(char *line, char *argv[], int max)
{
	int argc = 0;
	char *save = NULL, *w;

	for (w = strtok_r(line, " \t", &save); w != NULL && argc < max - 1;
	    w = strtok_r(NULL, " \t", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	return argc;
}

/* Turns the two characters "\n" into a newline, as in a Python literal. */
static void
unescape(const char *in, char *out, size_t outlen)
{
	size_t o = 0;

	for (; *in != '\0' && o + 1 < outlen; in++) {
		if (in[0] == '\\' && in[1] == 'n') {
			out[o++] = '\n';
			in++;
		} else
			out[o++] = *in;
	}
	out[o] = '\0';
}

struct command_run {
	pid_t	 pid;
	int	 status;	/* as Python's returncode: exit code or -signal */
	char	 output[OUTPUT_MAX];
	size_t	 len;
};

/*
 * Runs argv with its output on a pipe, feeding `input` to its stdin when not
 * NULL. With `relay`, each line is shown as the command's own output (call);
 * otherwise it is collected in run->output (communicate). Kills the command
 * when `timeout` seconds pass.
 */
static void
run_command(char *argv[], const char *input, int relay, double timeout,
    struct command_run *run)
{
	int out[2], in[2] = { -1, -1 };
	char line[1024];
	size_t linelen = 0;
	double deadline = time_time() + timeout;
	int pidfd, status;

	if (pipe2(out, O_CLOEXEC) < 0 ||
	    (input != NULL && pipe2(in, O_CLOEXEC) < 0)) {
		print("OSError: %s", strerror(errno));
		run->status = 1;
		return;
	}
	run->len = 0;
	run->pid = os_fork(argv[0]);
	if (run->pid == 0) {
		/* The child about to become the command: a beat to be seen. */
		checkpoint(CP_EXEC);
		dup2(input != NULL ? in[0] : open("/dev/null", O_RDONLY), 0);
		dup2(out[1], 1);
		dup2(out[1], 2);
		tutorial_leave();
		execvp(argv[0], argv);
		dprintf(1, "FileNotFoundError: [Errno %d] %s: '%s'\n", errno,
		    strerror(errno), argv[0]);
		_exit(errno == ENOENT ? 127 : 126);
	}
	close(out[1]);
	if (input != NULL) {
		void (*was)(int);

		close(in[0]);
		/*
		 * Small input fits the pipe buffer: write it all, then EOF.
		 * A command that has already ended (cmd=false) reads none of
		 * it: as in Python's communicate(), that broken pipe is no
		 * error, and no SIGPIPE may kill the scenario.
		 */
		was = signal(SIGPIPE, SIG_IGN);
		if (write(in[1], input, strlen(input)) < 0 && errno != EPIPE)
			print("BrokenPipeError: %s", strerror(errno));
		if (was != SIG_ERR)
			signal(SIGPIPE, was);
		close(in[1]);
	}
	pidfd = (int)syscall(SYS_pidfd_open, run->pid, 0);
	for (;;) {
		struct pollfd pfd = { .fd = out[0], .events = POLLIN };
		double left = deadline - time_time();
		char buf[4096];
		ssize_t n, i;

		if (left <= 0) {
			print("subprocess.TimeoutExpired: '%s' timed out after "
			    "%g seconds", argv[0], timeout);
			syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
			break;
		}
		if (poll(&pfd, 1, (int)(left * 1000) + 1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd.revents == 0)
			continue;
		n = read(out[0], buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (!relay) {
			if ((size_t)n > sizeof run->output - 1 - run->len)
				n = (ssize_t)(sizeof run->output - 1 - run->len);
			memcpy(run->output + run->len, buf, (size_t)n);
			run->len += (size_t)n;
			continue;
		}
		for (i = 0; i < n; i++) {
			if (buf[i] == '\n' || linelen == sizeof line - 1) {
				line[linelen] = '\0';
				print_as(run->pid, line);
				linelen = 0;
				if (buf[i] == '\n')
					continue;
			}
			line[linelen++] = buf[i];
		}
	}
	if (relay && linelen > 0) {
		line[linelen] = '\0';
		print_as(run->pid, line);
	}
	run->output[run->len] = '\0';
	close(out[0]);
	while (waitpid(run->pid, &status, 0) < 0 && errno == EINTR)
		;
	if (pidfd >= 0)
		close(pidfd);
	run->status = WIFSIGNALED(status) ? -WTERMSIG(status) :
	    WEXITSTATUS(status);
}

static int
subprocess_main(const struct params *params)
{
	static struct command_run run;
	char cmdline[256], input[256];
	char *argv[MAX_ARGS];
	double timeout = params_number(params, "timeout");

	/* r = subprocess.call(['nslookup', 'www.python.org']) */
	snprintf(cmdline, sizeof cmdline, "%s", params_text(params, "cmd"));
	checkpoint(CP_PRINT);
	print("$ %s", cmdline);
	if (split_words(cmdline, argv, MAX_ARGS) == 0)
		return 2;
	checkpoint(CP_CALL);
	run_command(argv, NULL, 1, timeout, &run);
	print("Exit code: %d", run.status);

	/* p = subprocess.Popen(['nslookup'], stdin=PIPE, stdout=PIPE, …) */
	argv[1] = NULL;
	checkpoint(CP_PRINT);
	print("$ %s", argv[0]);
	unescape(params_text(params, "input"), input, sizeof input);
	checkpoint(CP_COMMUNICATE);
	run_command(argv, input, 0, timeout, &run);
	print("%s", run.output);	/* print(output.decode('utf-8')) */
	print("Exit code: %d", run.status);
	return 0;
}

static const struct param_def subprocess_params[] = {
	{ .name = "cmd", .kind = PARAM_TEXT, .def = "nslookup www.python.org",
	  .max = 200, .help = N_("command run by subprocess.call(); its first "
	  "word is then run by communicate()") },
	{ .name = "input", .kind = PARAM_TEXT,
	  .def = "set q=mx\\npython.org\\nexit\\n", .max = 200,
	  .help = N_("stdin for communicate(), \\n for newlines") },
	{ .name = "timeout", .kind = PARAM_NUMBER, .def = "10", .min = 1,
	  .max = 600, .help = N_("seconds before a command is killed") },
	{ .name = NULL },
};

const struct scenario scenario_subprocess = {
	.name = "subprocess",
	.summary = N_("subprocess.call() and communicate() with nslookup"),
	.watch_for = N_("the external command runs as a child process of ours"),
	.root_role = "MainProcess",
	.panes = 0,
	.params = subprocess_params,
	.main = subprocess_main,
};
