/*
 * A hostile process for tests/hostile.sh: it names itself and its threads
 * with terminal escape sequences (an OSC title, an OSC 52 clipboard write, a
 * clear-screen CSI, BEL, the C1 control 0x9b raw and as UTF-8, invalid UTF-8
 * and U+202E), re-executes itself so that its command line carries the same,
 * prints them on stdout and stderr, then sleeps. ptmon must show all of it
 * inert.
 *
 * Usage: hostile [SECONDS]	(default 2; the re-executed copy reads the
 * time from PTMON_HOSTILE_SLEEP)
 */
#include "config.h"

#include <sys/prctl.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define HOSTILE_ENV	"PTMON_HOSTILE_SLEEP"
#define HOSTILE_THREADS	4

/* Task names: at most 15 bytes each, the kernel's limit. */
static const char main_name[] = "\033]0;PWNED\007";
static const char *const thread_names[HOSTILE_THREADS] = {
	"\033]52;c;SGk=\007",		/* OSC 52: write the clipboard */
	"\033[2J\033[H\007",		/* clear screen, home, BEL */
	"\2331m\302\2331mC1",		/* 0x9b raw and as UTF-8 (C2 9B) */
	"\377\376\342\200\256txt",	/* invalid UTF-8, then U+202E */
};

/* The command line of the re-executed copy; argv[0] too. */
static char arg0[] = "\033]0;ARGV-TITLE\007";
static char arg1[] = "\033]52;c;QVJHVg==\007";
static char arg2[] = "\033[2J\033[3J\033[H";
static char arg3[] = "bell\007\007";
static char arg4[] = "c1-\2332J-\302\2332J";
static char arg5[] = "bad-\377\376\300\200";
static char arg6[] = "\342\200\256exe.txt";

/* Lines the program prints: its output is as hostile as its names. */
static const char *const out_lines[] = {
	"out-title:\033]0;OUT-TITLE\007:end",
	"out-osc52:\033]52;c;T1VU\007:end",
	"out-clear:\033[2J\033[H:end",
	"out-bell:\007:end",
	"out-c1:\2332J:\302\2332J:end",
	"out-bad-utf8:\377\376\300\200:end",
	"out-rlo:\342\200\256gnp.exe:end",
	NULL,
};

static void	 hostile_sleep(double);
static void	*hostile_thread(void *);

/* Sleeps SECONDS, restarting after signals. */
static void
hostile_sleep(double seconds)
{
	struct timespec ts;

	ts.tv_sec = (time_t)seconds;
	ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) != 0)
		continue;
}

/* A thread that only waits to be seen; its name is set by main. */
static void *
hostile_thread(void *arg)
{
	hostile_sleep(*(const double *)arg);
	return NULL;
}

/* Re-executes itself with a hostile argv, then names, prints and sleeps. */
int
main(int argc, char *argv[])
{
	char *hostile_argv[] = { arg0, arg1, arg2, arg3, arg4, arg5, arg6,
	    NULL };
	pthread_t threads[HOSTILE_THREADS];
	const char *env;
	double seconds;
	int i;

	env = getenv(HOSTILE_ENV);
	if (env == NULL) {
		if (setenv(HOSTILE_ENV, argc > 1 ? argv[1] : "2", 1) != 0) {
			perror("hostile: setenv");
			return 1;
		}
		execv("/proc/self/exe", hostile_argv);
		perror("hostile: execv");
		return 1;
	}
	seconds = strtod(env, NULL);
	if (!(seconds >= 0 && seconds <= 3600))
		seconds = 2;

	if (prctl(PR_SET_NAME, main_name, 0, 0, 0) != 0) {
		perror("hostile: prctl");
		return 1;
	}
	for (i = 0; i < HOSTILE_THREADS; i++) {
		if (pthread_create(&threads[i], NULL, hostile_thread,
		    &seconds) != 0) {
			fputs("hostile: pthread_create failed\n", stderr);
			return 1;
		}
		if (pthread_setname_np(threads[i], thread_names[i]) != 0) {
			fputs("hostile: pthread_setname_np failed\n", stderr);
			return 1;
		}
	}
	for (i = 0; out_lines[i] != NULL; i++)
		printf("%s\n", out_lines[i]);
	fflush(stdout);
	fputs("err-title:\033]0;ERR-TITLE\007:end\n", stderr);
	for (i = 0; i < HOSTILE_THREADS; i++)
		pthread_join(threads[i], NULL);
	return 0;
}
