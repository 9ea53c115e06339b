/*
 * spawn_tree: a tree of sleeping tasks for the sampler benchmark.
 *
 *	spawn_tree PROCESSES TASKS
 *
 * Forks PROCESSES children, each of TASKS tasks: its main thread and
 * TASKS - 1 pthreads named "worker-N". When every task is up it prints its
 * own pid (the root of the tree) on stdout and sleeps until killed. Each
 * child has PR_SET_PDEATHSIG, so killing the root ends the whole tree.
 */
#include "config.h"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/types.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define SPAWN_MAX		100000
#define SPAWN_STACK		(64 * 1024)

/* A worker thread: sleeps for ever. */
static void *
spawn_sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* Parses a count in [1, SPAWN_MAX]; exits 2 on bad input. */
static long
spawn_count(const char *arg, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || v < 1 ||
	    v > SPAWN_MAX) {
		fprintf(stderr, "spawn_tree: bad %s: %s\n", what, arg);
		exit(2);
	}
	return v;
}

/* In a child: starts the threads, reports on fd, never returns. */
static void __attribute__((noreturn))
spawn_child(long tasks, int fd, pid_t parent)
{
	pthread_attr_t attr;
	pthread_t t;
	char name[16], ok = 'y';
	long i;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(1);
	if (pthread_attr_init(&attr) != 0 ||
	    pthread_attr_setstacksize(&attr, SPAWN_STACK) != 0)
		ok = 'n';
	for (i = 1; ok == 'y' && i < tasks; i++) {
		if (pthread_create(&t, &attr, spawn_sleeper, NULL) != 0) {
			ok = 'n';
			break;
		}
		snprintf(name, sizeof name, "worker-%d", (int)(i % SPAWN_MAX));
		pthread_setname_np(t, name);
	}
	if (write(fd, &ok, 1) != 1 || ok != 'y')
		_exit(1);
	close(fd);
	for (;;)
		pause();
}

int
main(int argc, char **argv)
{
	struct rlimit rl;
	long procs, tasks, i;
	pid_t self = getpid();
	int fds[2];
	char c;

	if (argc != 3) {
		fprintf(stderr, "usage: spawn_tree PROCESSES TASKS\n");
		return 2;
	}
	procs = spawn_count(argv[1], "process count");
	tasks = spawn_count(argv[2], "task count");

	/* Root needs no raise; others may, up to the hard limit. */
	if (getrlimit(RLIMIT_NPROC, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NPROC, &rl);
	}
	if (pipe(fds) < 0) {
		perror("spawn_tree: pipe");
		return 1;
	}
	for (i = 0; i < procs; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("spawn_tree: fork");
			goto fail;
		}
		if (pid == 0) {
			close(fds[0]);
			spawn_child(tasks, fds[1], self);
		}
	}
	close(fds[1]);
	for (i = 0; i < procs; i++) {
		if (read(fds[0], &c, 1) != 1 || c != 'y') {
			fprintf(stderr, "spawn_tree: a child failed to start "
			    "its threads\n");
			goto fail;
		}
	}
	close(fds[0]);

	printf("%d\n", (int)self);
	if (fflush(stdout) != 0)
		goto fail;
	for (;;)
		pause();

fail:
	/* Dying is enough: PR_SET_PDEATHSIG ends the children. */
	return 1;
}
