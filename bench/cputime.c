/*
 * cputime: runs a command and writes what it cost to a file, for
 * bench/run.sh (a command in a tmux pane has no shell to ask).
 *
 *	cputime OUT COMMAND [ARG ...]
 *
 * When COMMAND ends, OUT gets one line: CPU ms (user + system, from
 * wait4, its reaped children included), wall ms, peak RSS in KiB
 * (ru_maxrss: the largest of the process and its reaped children) and
 * the exit status as a shell gives it. cputime exits with that status.
 */
#include "config.h"

#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Milliseconds on the monotonic clock. */
static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int
main(int argc, char **argv)
{
	struct rusage ru;
	double start, cpu;
	int status, code;
	FILE *out;
	pid_t pid;

	if (argc < 3) {
		fprintf(stderr, "usage: cputime OUT COMMAND [ARG ...]\n");
		return 2;
	}
	/* The command, not cputime, answers the terminal's signals. */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	start = now_ms();
	if ((pid = fork()) < 0) {
		perror("cputime: fork");
		return 1;
	}
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		execvp(argv[2], argv + 2);
		fprintf(stderr, "cputime: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("cputime: wait4");
			return 1;
		}
	}
	cpu = ru.ru_utime.tv_sec * 1e3 + ru.ru_utime.tv_usec / 1e3 +
	    ru.ru_stime.tv_sec * 1e3 + ru.ru_stime.tv_usec / 1e3;
	code = WIFEXITED(status) ? WEXITSTATUS(status) :
	    128 + WTERMSIG(status);
	if ((out = fopen(argv[1], "w")) == NULL) {
		perror(argv[1]);
		return 1;
	}
	fprintf(out, "%.3f %.3f %ld %d\n", cpu, now_ms() - start,
	    ru.ru_maxrss, code);
	if (fclose(out) != 0) {
		perror(argv[1]);
		return 1;
	}
	return code;
}
