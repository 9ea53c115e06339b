/*
 * A process whose stop lands late, for tests/tui_command.sh. The process
 * to watch waits for a vfork child (CLONE_VFORK) in the kernel's
 * uninterruptible wait ("D"), where a SIGSTOP stays pending until that
 * child ends; the child waits for a signal, so the test says when the
 * stop lands by killing it (then the next child begins). The child is a
 * sibling of the watched process (CLONE_PARENT), so a monitor of that
 * tree does not stop the child too.
 *
 * Usage: slowstop
 * Prints the pid of the process to watch, then reaps the children until
 * that process ends (kill it; its children are ours).
 */
#include "config.h"

#include <sys/wait.h>

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define CHILD_STACK	(64 * 1024)

/* The vfork child: waits until a signal ends it. */
static int
nap(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return 0;
}

/* The process to watch: one vfork child after another. */
static int
watched(void)
{
	static char stack[CHILD_STACK] __attribute__((aligned(16)));

	for (;;)
		if (clone(nap, stack + sizeof stack,
		    CLONE_VM | CLONE_VFORK | CLONE_PARENT | SIGCHLD,
		    NULL) < 0) {
			perror("slowstop: clone");
			return 1;
		}
}

int
main(void)
{
	pid_t pid, w;

	if ((w = fork()) < 0) {
		perror("slowstop: fork");
		return 1;
	}
	if (w == 0)
		_exit(watched());
	printf("%d\n", (int)w);
	fflush(stdout);
	/* The naps are our children (CLONE_PARENT): reap them. */
	while ((pid = wait(NULL)) != w)
		if (pid < 0 && errno != EINTR) {
			perror("slowstop: wait");
			return 1;
		}
	return 0;
}
