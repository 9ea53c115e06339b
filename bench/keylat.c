/*
 * keylat: how long a key takes to reach ptmon's screen, from ptmon's
 * PTMON_TRACE file (see src/ui/loop.c): presses a key PRESSES times by
 * running COMMAND (e.g. tmux send-keys), at random phases of the refresh,
 * and pairs each "key" line with the first "drawn" line after it.
 *
 *	keylat TRACE PRESSES COMMAND [ARG ...]
 *
 * Prints one line, in milliseconds: "keylat PRESSES MEDIAN MAX SEND_MEDIAN
 * SENDCMD_MEDIAN SHOWN_MEDIAN SHOWN_MAX": key read to frame drawn (median
 * and largest), and from just before COMMAND ran to frame drawn (this
 * includes the time COMMAND takes to deliver the key, SENDCMD_MEDIAN, and
 * the time the key waited while ptmon was busy); last, key read to the
 * first frame drawn after the first snapshot taken after the key (a
 * "sampled" line): the screen that shows each task's new state.
 */
#include "config.h"
#include "clock.h"

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define KEYLAT_MAX	64
#define KEYLAT_TIMEOUT	10000000000LL

/* Nanoseconds on the monotonic clock, as PTMON_TRACE writes them. */

/* Runs argv to its end; exits on failure. */
static void
run(char **argv)
{
	int status;
	pid_t pid;

	if ((pid = fork()) < 0) {
		perror("keylat: fork");
		exit(1);
	}
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "keylat: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			perror("keylat: waitpid");
			exit(1);
		}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "keylat: %s failed\n", argv[0]);
		exit(1);
	}
}

/*
 * Reads the trace from byte `from` for a key line at or after `since`,
 * the first drawn line after it, and the first drawn line after the first
 * sampled line after it; 0 and the three times when all are found.
 */
static int
scan(const char *path, long from, long long since, long long *key,
    long long *drawn, long long *shown)
{
	char what[16];
	long long ns, sampled = 0;
	FILE *f;
	int c;

	*key = *drawn = *shown = 0;
	if ((f = fopen(path, "r")) == NULL || fseek(f, from, SEEK_SET) < 0) {
		perror(path);
		exit(1);
	}
	while (fscanf(f, "%15s %lld", what, &ns) == 2) {
		while ((c = getc(f)) != EOF && c != '\n')
			;
		if (*key == 0) {
			if (strcmp(what, "key") == 0 && ns >= since)
				*key = ns;
		} else if (strcmp(what, "sampled") == 0) {
			if (sampled == 0)
				sampled = ns;
		} else if (strcmp(what, "drawn") == 0) {
			if (*drawn == 0)
				*drawn = ns;
			if (sampled != 0) {
				*shown = ns;
				break;
			}
		}
	}
	fclose(f);
	return *shown != 0 ? 0 : -1;
}

static int
cmp_ll(const void *va, const void *vb)
{
	long long a = *(const long long *)va, b = *(const long long *)vb;

	return (a > b) - (a < b);
}

int
main(int argc, char **argv)
{
	long long lat[KEYLAT_MAX], all[KEYLAT_MAX], send[KEYLAT_MAX];
	long long shown_lat[KEYLAT_MAX];
	long long t0, t1, key, drawn, shown;
	struct timespec pause;
	struct stat st;
	int presses, i;

	if (argc < 4 || (presses = atoi(argv[2])) < 1 ||
	    presses > KEYLAT_MAX) {
		fprintf(stderr, "usage: keylat TRACE PRESSES COMMAND "
		    "[ARG ...]\n");
		return 2;
	}
	srand((unsigned)clock_ns());
	for (i = 0; i < presses; i++) {
		/* A random phase of a 100 ms refresh, and time to settle. */
		pause.tv_sec = 0;
		pause.tv_nsec = (200 + rand() % 200) * 1000000L;
		nanosleep(&pause, NULL);
		if (stat(argv[1], &st) < 0) {
			perror(argv[1]);
			return 1;
		}
		t0 = clock_ns();
		run(argv + 3);
		t1 = clock_ns();
		while (scan(argv[1], (long)st.st_size, t0, &key, &drawn,
		    &shown) < 0) {
			if (clock_ns() - t0 > KEYLAT_TIMEOUT) {
				fprintf(stderr, "keylat: no frame after key "
				    "%d in 10 s\n", i + 1);
				return 1;
			}
			usleep(2000);
		}
		lat[i] = drawn - key;
		shown_lat[i] = shown - key;
		all[i] = drawn - t0;
		send[i] = t1 - t0;
	}
	qsort(lat, (size_t)presses, sizeof lat[0], cmp_ll);
	qsort(all, (size_t)presses, sizeof all[0], cmp_ll);
	qsort(send, (size_t)presses, sizeof send[0], cmp_ll);
	qsort(shown_lat, (size_t)presses, sizeof shown_lat[0], cmp_ll);
	printf("keylat %d %.3f %.3f %.3f %.3f %.3f %.3f\n", presses,
	    lat[presses / 2] / 1e6, lat[presses - 1] / 1e6,
	    all[presses / 2] / 1e6, send[presses / 2] / 1e6,
	    shown_lat[presses / 2] / 1e6, shown_lat[presses - 1] / 1e6);
	return 0;
}
