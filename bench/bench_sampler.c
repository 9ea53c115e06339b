/*
 * bench_sampler: what one refresh of the sampler costs, next to the floor
 * of a bare loop over /proc and next to top -H, on trees of sleeping tasks.
 *
 *	bench_sampler [-S] [-n REFRESHES] [-r RUNS] [-d SECONDS]
 *	    [-s SPAWN_TREE] [-b PROCSxTASKS] [PROCSxTASKS ...]
 *	bench_sampler -p ROOT [-n REFRESHES] [-r RUNS] [-d SECONDS]
 *
 * For each tree (default 5x10, 50x10, 50x100: 51, 501 and 5,001 tasks with
 * the root) it starts bench/spawn_tree, then, RUNS times, makes REFRESHES
 * refreshes DELAY apart with each method and takes the CPU time (user +
 * system) they used:
 *
 *	sampler		sampler_read() on the tree, as ptmon calls it
 *	open+read	open, read, close /proc/PID/task/TID/stat of each task
 *	pread		pread() of the same files kept open
 *	top		top -b -H -d DELAY: (n = REFRESHES + 1) - (n = 1),
 *			so top's start-up cancels out; from wait4()
 *
 * and prints the median per refresh. Run as root or raise RLIMIT_NOFILE:
 * the pread column keeps one fd per task.
 *
 * With -p, only the two floors, on the tree of a running ROOT (bench/run.sh
 * spawns the trees), as one line: "floors TASKS OPEN_MS PREAD_MS".
 * -b starts a tree that stays up, untouched, while the others are measured:
 * what a small tree costs on a busy host. The sampler then reads with no
 * adopter, since the background tree is the benchmark's child and would
 * be taken for adopted orphans. -S measures the sampler alone (for a
 * profiler: perf record -g bench/bench_sampler -S -r 1 50x100).
 */
#include "config.h"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sampler.h"
#include "xalloc.h"

#define BENCH_MAX_RUNS	15
#define BENCH_MAX_TREES	8

enum bench_method {
	M_SAMPLER,
	M_OPEN,
	M_PREAD,
	M_TOP,
	M_COUNT
};

struct bench_task {
	pid_t			 tgid;
	pid_t			 tid;
};

static int		 bench_refreshes = 20;
static int		 bench_runs = 3;
static double		 bench_delay = 0.1;
static const char	*bench_spawn = "bench/spawn_tree";
static int		 bench_sampler_only;
static volatile pid_t	 bench_tree;
static volatile pid_t	 bench_back;	/* -b: the background tree */

/* CPU seconds (user + system) in a rusage. */
static double
ru_seconds(const struct rusage *ru)
{
	return ru->ru_utime.tv_sec + ru->ru_utime.tv_usec / 1e6 +
	    ru->ru_stime.tv_sec + ru->ru_stime.tv_usec / 1e6;
}

/* CPU seconds this process has used so far. */
static double
self_seconds(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) < 0)
		fatal("getrusage");
	return ru_seconds(&ru);
}

/* Sleeps until the next tick of a DELAY clock that started at *next. */
static void
tick_wait(struct timespec *next)
{
	long ns = (long)(bench_delay * 1e9);

	next->tv_nsec += ns % 1000000000L;
	next->tv_sec += ns / 1000000000L + next->tv_nsec / 1000000000L;
	next->tv_nsec %= 1000000000L;
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, next, NULL) ==
	    EINTR)
		;
}

/* Cleanup hook for fatal(): ends the trees. */
static void
tree_kill(void)
{
	if (bench_tree > 0)
		kill(bench_tree, SIGKILL);
	if (bench_back > 0)
		kill(bench_back, SIGKILL);
}

/* On SIGINT or SIGTERM: ends the trees, then the benchmark. */
static void
on_signal(int sig)
{
	(void)sig;
	tree_kill();
	_exit(1);
}

/* Starts spawn_tree PROCS TASKS; returns its pid once every task is up. */
static pid_t
tree_start(int procs, int tasks)
{
	char a[16], b[16], line[32];
	ssize_t got;
	size_t len = 0;
	int fds[2];
	pid_t pid;

	snprintf(a, sizeof a, "%d", procs);
	snprintf(b, sizeof b, "%d", tasks);
	if (pipe(fds) < 0)
		fatal("pipe");
	if ((pid = fork()) < 0)
		fatal("fork");
	if (pid == 0) {
		/* If the benchmark dies, the tree dies with it. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 ||
		    dup2(fds[1], STDOUT_FILENO) < 0)
			_exit(127);
		close(fds[0]);
		close(fds[1]);
		execl(bench_spawn, "spawn_tree", a, b, (char *)NULL);
		fprintf(stderr, "bench_sampler: %s: %s\n", bench_spawn,
		    strerror(errno));
		_exit(127);
	}
	bench_tree = pid;
	close(fds[1]);
	while (len < sizeof line - 1) {
		got = read(fds[0], line + len, sizeof line - 1 - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		len += got;
		if (memchr(line, '\n', len) != NULL)
			break;
	}
	close(fds[0]);
	line[len] = '\0';
	if (atoi(line) != pid)
		fatalx("spawn_tree %d %d did not start", procs, tasks);
	return pid;
}

/*
 * Kills the tree and reaps its root and its `procs` processes: we are a
 * subreaper, so the orphaned workers end up here. The background tree, if
 * any, is left alone.
 */
static void
tree_stop(pid_t pid, int procs)
{
	int left = procs + 1;
	pid_t got;

	kill(pid, SIGKILL);
	if (pid == bench_back)
		bench_back = 0;
	else
		bench_tree = 0;
	while (left > 0) {
		if ((got = wait(NULL)) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (got != bench_back)
			left--;
	}
}

/* Counts every task of the host, for the "all tasks" column. */
static long
host_tasks(void)
{
	struct dirent *de, *te;
	char path[64];
	DIR *proc, *task;
	long n = 0;

	if ((proc = opendir("/proc")) == NULL)
		fatal("/proc");
	while ((de = readdir(proc)) != NULL) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof path, "/proc/%.16s/task", de->d_name);
		if ((task = opendir(path)) == NULL)
			continue;
		while ((te = readdir(task)) != NULL) {
			if (te->d_name[0] >= '1' && te->d_name[0] <= '9')
				n++;
		}
		closedir(task);
	}
	closedir(proc);
	return n;
}

/* A new sampler, or the end of the benchmark. */
static struct sampler *
bench_sampler_new(void)
{
	struct sampler *s;
	const char *cause;

	if ((s = sampler_new(&cause)) == NULL)
		fatalx("%s", cause);
	return s;
}

/* Reads the tree until all `want` tasks show; fills the task list. */
static size_t
tree_tasks(pid_t root, pid_t adopter, size_t want, struct bench_task **tasks)
{
	struct sampler *s = bench_sampler_new();
	const struct sample *v;
	size_t n = 0, i;
	int tries;

	for (tries = 0; tries < 100; tries++) {
		if (sampler_read(s, root, adopter, &v, &n) < 0)
			fatal("sampler_read");
		if (n >= want)
			break;
		usleep(100000);
	}
	if (n < want)
		fatalx("the sampler sees %zu of %zu tasks", n, want);
	*tasks = xcalloc(n, sizeof **tasks);
	for (i = 0; i < n; i++) {
		(*tasks)[i].tgid = v[i].tgid;
		(*tasks)[i].tid = v[i].tid;
	}
	sampler_free(s);
	return n;
}

/*
 * CPU seconds per refresh of sampler_read() on the tree, after a first
 * read that finds the tree (as ptmon's first refresh does). Each run has a
 * sampler of its own, freed after, so that the fds it keeps leave room for
 * the pread column's.
 */
static double
run_sampler(pid_t root, pid_t adopter)
{
	const struct sample *v;
	struct sampler *s;
	struct timespec next;
	double t0, cost;
	size_t n;
	int i;

	s = bench_sampler_new();
	if (sampler_read(s, root, adopter, &v, &n) < 0)
		fatal("sampler_read");
	clock_gettime(CLOCK_MONOTONIC, &next);
	t0 = self_seconds();
	for (i = 0; i < bench_refreshes; i++) {
		if (sampler_read(s, root, adopter, &v, &n) < 0)
			fatal("sampler_read");
		tick_wait(&next);
	}
	cost = (self_seconds() - t0) / bench_refreshes;
	sampler_free(s);
	return cost;
}

/* Formats the stat path of a task. */
static void
stat_path(char *buf, size_t len, const struct bench_task *t)
{
	snprintf(buf, len, "/proc/%d/task/%d/stat", (int)t->tgid, (int)t->tid);
}

/* CPU seconds per refresh of open+read+close of every task's stat. */
static double
run_open(const struct bench_task *tasks, size_t n)
{
	struct timespec next;
	char path[64], buf[1024];
	double t0;
	size_t k;
	int i, fd;

	clock_gettime(CLOCK_MONOTONIC, &next);
	t0 = self_seconds();
	for (i = 0; i < bench_refreshes; i++) {
		for (k = 0; k < n; k++) {
			stat_path(path, sizeof path, &tasks[k]);
			if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
				continue;
			if (read(fd, buf, sizeof buf) < 0)
				fatal("read %s", path);
			close(fd);
		}
		tick_wait(&next);
	}
	return (self_seconds() - t0) / bench_refreshes;
}

/* CPU seconds per refresh of pread() of every task's stat, kept open. */
static double
run_pread(const struct bench_task *tasks, size_t n)
{
	struct timespec next;
	char path[64], buf[1024];
	double t0, cost;
	int *fds, i;
	size_t k;

	fds = xcalloc(n, sizeof *fds);
	for (k = 0; k < n; k++) {
		stat_path(path, sizeof path, &tasks[k]);
		if ((fds[k] = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			fatal("open %s", path);
	}
	clock_gettime(CLOCK_MONOTONIC, &next);
	t0 = self_seconds();
	for (i = 0; i < bench_refreshes; i++) {
		for (k = 0; k < n; k++) {
			if (pread(fds[k], buf, sizeof buf, 0) < 0)
				fatal("pread");
		}
		tick_wait(&next);
	}
	cost = (self_seconds() - t0) / bench_refreshes;
	for (k = 0; k < n; k++)
		close(fds[k]);
	free(fds);
	return cost;
}

/* CPU seconds that top -b -H -d DELAY -n ITERATIONS used; -1 if no top. */
static double
top_seconds(int iterations)
{
	char d[32], it[16];
	struct rusage ru;
	int status, fd;
	pid_t pid;

	snprintf(d, sizeof d, "%g", bench_delay);
	snprintf(it, sizeof it, "%d", iterations);
	if ((pid = fork()) < 0)
		fatal("fork");
	if (pid == 0) {
		fd = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0)
			_exit(127);
		execlp("top", "top", "-b", "-H", "-d", d, "-n", it,
		    (char *)NULL);
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR)
			fatal("wait4");
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	return ru_seconds(&ru);
}

/* CPU seconds per refresh of top, its start-up taken out; -1 if no top. */
static double
run_top(void)
{
	double one, many;

	if ((one = top_seconds(1)) < 0 ||
	    (many = top_seconds(bench_refreshes + 1)) < 0)
		return -1;
	return (many - one) / bench_refreshes;
}

/* Compares two doubles for qsort. */
static int
cmp_double(const void *va, const void *vb)
{
	double a = *(const double *)va, b = *(const double *)vb;

	return a < b ? -1 : a > b;
}

/* The median of v[0..n). */
static double
median(double *v, int n)
{
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * Makes room for `need` fds and some: the pread column keeps one per task.
 * The sampler raises the limit to the hard one itself.
 */
static void
raise_nofile(size_t need)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		fatal("getrlimit");
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need + 64) {
		rl.rlim_cur = need + 64;
		if (rl.rlim_max != RLIM_INFINITY && rl.rlim_cur > rl.rlim_max)
			fatalx("RLIMIT_NOFILE hard limit %llu is below %zu",
			    (unsigned long long)rl.rlim_max, need + 64);
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			fatal("setrlimit");
	}
}

/* Parses PROCSxTASKS; returns 0 when it is no such thing. */
static int
tree_parse(const char *arg, int *procs, int *tasks)
{
	char x;

	return sscanf(arg, "%d%c%d", procs, &x, tasks) == 3 && x == 'x' &&
	    *procs >= 1 && *tasks >= 1 && (long)*procs * *tasks <= 100000;
}

/* Measures one tree and prints its row. */
static void
bench_tree_row(int procs, int tasks)
{
	double v[M_COUNT][BENCH_MAX_RUNS], med[M_COUNT];
	struct bench_task *list;
	size_t want = (size_t)procs * tasks + 1, n;
	pid_t root, adopter = bench_back > 0 ? 0 : getpid();
	long all;
	int r, m;

	root = tree_start(procs, tasks);
	n = tree_tasks(root, adopter, want, &list);
	all = host_tasks();
	for (r = 0; r < bench_runs; r++) {
		v[M_SAMPLER][r] = run_sampler(root, adopter);
		if (bench_sampler_only) {
			v[M_OPEN][r] = v[M_PREAD][r] = 0;
			v[M_TOP][r] = -1;
			continue;
		}
		v[M_OPEN][r] = run_open(list, n);
		v[M_PREAD][r] = run_pread(list, n);
		v[M_TOP][r] = run_top();
	}
	tree_stop(root, procs);
	free(list);

	for (m = 0; m < M_COUNT; m++)
		med[m] = median(v[m], bench_runs) * 1e3;
	printf("%3dx%-4d %6zu (%5ld) %9.3f %9.3f %9.3f ", procs, tasks, n,
	    all, med[M_SAMPLER], med[M_OPEN], med[M_PREAD]);
	if (med[M_TOP] > 0)
		printf("%9.3f %8.3f\n", med[M_TOP], med[M_SAMPLER] /
		    med[M_TOP]);
	else
		printf("%9s %8s\n", "-", "-");
	fflush(stdout);
}

/* -p ROOT: the open+read and pread floors of an existing tree. */
static int
bench_floors(pid_t root)
{
	double v[2][BENCH_MAX_RUNS];
	struct bench_task *list;
	size_t n;
	int r;

	/* Not our child: no adopted orphans of ours to read besides it. */
	n = tree_tasks(root, 0, 1, &list);
	raise_nofile(n);
	for (r = 0; r < bench_runs; r++) {
		v[0][r] = run_open(list, n);
		v[1][r] = run_pread(list, n);
	}
	free(list);
	printf("floors %zu %.3f %.3f\n", n, median(v[0], bench_runs) * 1e3,
	    median(v[1], bench_runs) * 1e3);
	return 0;
}

int
main(int argc, char **argv)
{
	static const char *const defaults[] = { "5x10", "50x10", "50x100" };
	const char *const *trees;
	struct sigaction sa;
	const char *back = NULL;
	int ntrees, c, i, procs, tasks;
	size_t most = 0;
	pid_t root = 0;

	while ((c = getopt(argc, argv, "Sn:r:d:s:b:p:")) != -1) {
		switch (c) {
		case 'p':
			root = atoi(optarg);
			if (root <= 0)
				goto usage;
			break;
		case 'S':
			bench_sampler_only = 1;
			break;
		case 'b':
			back = optarg;
			break;
		case 'n':
			bench_refreshes = atoi(optarg);
			break;
		case 'r':
			bench_runs = atoi(optarg);
			break;
		case 'd':
			bench_delay = atof(optarg);
			break;
		case 's':
			bench_spawn = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (bench_refreshes < 1 || bench_runs < 1 ||
	    bench_runs > BENCH_MAX_RUNS || bench_delay <= 0 ||
	    bench_delay > 10 || argc - optind > BENCH_MAX_TREES)
		goto usage;
	if (root > 0) {
		if (optind < argc)
			goto usage;
		return bench_floors(root);
	}
	if (optind < argc) {
		trees = (const char *const *)argv + optind;
		ntrees = argc - optind;
	} else {
		trees = defaults;
		ntrees = 3;
	}

	for (i = 0; i < ntrees; i++) {
		if (!tree_parse(trees[i], &procs, &tasks))
			goto usage;
		if ((size_t)procs * tasks + 1 > most)
			most = (size_t)procs * tasks + 1;
	}
	if (back != NULL && !tree_parse(back, &procs, &tasks))
		goto usage;
	/* The pread column, and the sampler's stat and children files. */
	raise_nofile(3 * most + 64);

	cleanup_push(tree_kill);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		fatal("PR_SET_CHILD_SUBREAPER");
	if (back != NULL) {
		tree_parse(back, &procs, &tasks);
		bench_back = tree_start(procs, tasks);
		bench_tree = 0;
		printf("with a background tree of %d tasks (%s)\n",
		    procs * tasks + 1, back);
	}

	printf("CPU time per refresh, ms (user + system), median of %d runs "
	    "of %d refreshes, %g s apart\n", bench_runs, bench_refreshes,
	    bench_delay);
	printf("%-8s %6s (%5s) %9s %9s %9s %9s %8s\n", "tree", "tasks",
	    "all", "sampler", "open+read", "pread", "top -H", "smp/top");
	for (i = 0; i < ntrees; i++) {
		tree_parse(trees[i], &procs, &tasks);
		bench_tree_row(procs, tasks);
	}
	if (bench_back > 0) {
		tree_parse(back, &procs, &tasks);
		tree_stop(bench_back, procs);
	}
	return 0;

usage:
	fprintf(stderr, "usage: bench_sampler [-S] [-n REFRESHES] [-r RUNS] "
	    "[-d SECONDS] [-s SPAWN_TREE] [-b PROCSxTASKS] "
	    "[PROCSxTASKS ...]\n"
	    "       bench_sampler -p ROOT [-n REFRESHES] [-r RUNS] "
	    "[-d SECONDS]\n");
	return 2;
}
