/*
 * A process that tries to outlive ptmon, for tests/escape.sh.
 *
 *   escaper daemon NAME [exit]   double fork + setsid: a daemon named NAME
 *   escaper hopper NAME [exit]   forks again and again, each child in a new
 *                                session and process group, its parent gone
 *                                at once: a new pid, sid and pgid each hop
 *
 * The root (the process ptmon started) sleeps, or with `exit` ends at once
 * so that ptmon sees its run end normally. The escaping process names
 * itself NAME and, every 20 ms, appends its pid to the file $ESCAPER_LOG:
 * a hopper changes pid faster than ps can list /proc, but while anything of
 * it lives, that file grows.
 */
#include <sys/prctl.h>
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int	log_fd = -1;

/* One line in the log: "I am alive, as this pid". */
static void
heartbeat(void)
{
	char line[32];
	int n = snprintf(line, sizeof line, "%d\n", (int)getpid());
	struct stat st;

	if (log_fd < 0)
		return;
	/* The test removed its log: it is over, and so are we. */
	if (fstat(log_fd, &st) < 0 || st.st_nlink == 0 ||
	    write(log_fd, line, (size_t)n) < 0)
		_exit(1);
}

static void
nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Leaves ptmon's output pipes, so its reader sees them close. */
static void
detach_output(const char *name)
{
	int fd = open("/dev/null", O_RDWR);

	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	prctl(PR_SET_NAME, name);
}

static void
daemon_child(const char *name)
{
	pid_t pid = fork();

	if (pid != 0)
		_exit(pid < 0);
	setsid();
	if (fork() != 0)
		_exit(0);
	detach_output(name);
	for (;;) {
		heartbeat();
		nap_ms(20);
	}
}

static void
hopper_child(const char *name)
{
	detach_output(name);
	for (;;) {
		pid_t pid = fork();

		if (pid > 0)
			_exit(0);
		if (pid == 0)
			setsid();
		heartbeat();
		nap_ms(20);
	}
}

int
main(int argc, char *argv[])
{
	pid_t pid;

	if (argc < 3 || (strcmp(argv[1], "daemon") != 0 &&
	    strcmp(argv[1], "hopper") != 0)) {
		fprintf(stderr, "usage: escaper daemon|hopper NAME [exit]\n");
		return 2;
	}
	if (getenv("ESCAPER_LOG") != NULL)
		log_fd = open(getenv("ESCAPER_LOG"), O_WRONLY | O_CREAT |
		    O_APPEND | O_CLOEXEC, 0644);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		if (strcmp(argv[1], "daemon") == 0)
			daemon_child(argv[2]);
		else
			hopper_child(argv[2]);
	}
	printf("escaper started\n");
	fflush(stdout);
	if (argc > 3 && strcmp(argv[3], "exit") == 0) {
		nap_ms(300);	/* time for the escape to happen */
		return 0;
	}
	for (;;)
		nap_ms(1000);
}
