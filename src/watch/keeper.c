/*
 * The keeper process and the session killer it shares with ptmon.
 *
 * ptmon forks the keeper twice, so that the keeper is adopted by init and
 * not by ptmon. The keeper holds a pidfd of ptmon, ptmon's cgroup (when it
 * has one, see tree_cgroup.h) and a shared page naming the session ptmon
 * watches and the foreign processes ptmon has stopped. When the pidfd says
 * ptmon has ended, it kills the cgroup and the session, continues what
 * ptmon stopped, and exits. Processes of a session are found by their
 * session id, so even a grandchild that made its own process group goes.
 */
#include "config.h"

#include "keeper.h"

#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "procfs.h"
#include "tree_cgroup.h"

/* What ptmon tells the keeper, in a page they share. */
struct keeper_page {
	/* The watched session while its leader lives or is a zombie; 0. */
	_Atomic pid_t			 sid;
	/* Foreign processes ptmon stopped: pid and start time; 0 when free. */
	_Atomic pid_t			 held[KEEPER_HELD_MAX];
	_Atomic unsigned long long	 held_start[KEEPER_HELD_MAX];
};

static struct keeper_page	*page;

/* The session id of live process pid; -1 if it is gone or a zombie. */
static pid_t
session_of(pid_t pid)
{
	struct procfs_stat st;

	/* A zombie is dead already: nothing to kill, its parent reaps it. */
	if (procfs_stat(pid, pid, &st) < 0 || st.state == 'Z' ||
	    st.state == 'X')
		return -1;
	return st.session;
}

int
kill_session(pid_t sid)
{
	struct timespec pause = { 0, 5 * 1000 * 1000 };
	int total = 0, round;

	if (sid <= 1)
		return 0;
	for (round = 0; round < 200; round++) {
		struct dirent *d;
		DIR *dir = opendir("/proc");
		int found = 0;

		if (dir == NULL)
			return total;
		while ((d = readdir(dir)) != NULL) {
			pid_t pid = (pid_t)atoi(d->d_name);
			int pidfd;

			if (pid <= 1 || pid == getpid() || session_of(pid) != sid)
				continue;
			pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
			if (pidfd < 0 && errno == ENOSYS) {
				/* An old kernel (or valgrind): no pidfds. */
				if (kill(pid, SIGKILL) == 0) {
					found++;
					total++;
				}
				continue;
			}
			if (pidfd < 0)
				continue;
			/* The pid could have been reused before the open. */
			if (session_of(pid) == sid &&
			    syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL,
			    0) == 0) {
				found++;
				total++;
			}
			close(pidfd);
		}
		closedir(dir);
		if (found == 0)
			break;
		nanosleep(&pause, NULL);
	}
	return total;
}

/* The start time of pid (clock ticks after boot), or 0 if it is gone. */
static unsigned long long
start_of(pid_t pid)
{
	struct procfs_stat st;

	return procfs_stat(pid, pid, &st) == 0 ? st.start : 0;
}

/*
 * Waits until ptmon has ended: on its pidfd, or where there are no pidfds
 * by looking every 50 ms whether a process with its pid and start time
 * still lives.
 */
static void
wait_for_ptmon(int ptmon_pidfd, pid_t ptmon, unsigned long long started)
{
	struct pollfd pfd = { .fd = ptmon_pidfd, .events = POLLIN };
	struct timespec nap = { 0, 50 * 1000 * 1000 };

	if (ptmon_pidfd >= 0) {
		while (poll(&pfd, 1, -1) < 0 && errno == EINTR)
			;
		return;
	}
	while (start_of(ptmon) == started)
		nanosleep(&nap, NULL);
}

/* Continues each process ptmon stopped that is still the one it stopped. */
static void
continue_held(void)
{
	int i;

	for (i = 0; i < KEEPER_HELD_MAX; i++) {
		pid_t pid = atomic_load(&page->held[i]);

		if (pid > 1 && start_of(pid) == atomic_load(&page->held_start[i]))
			kill(pid, SIGCONT);
	}
}

/* The keeper's life: wait for ptmon to end, then end what it watched. */
static void __attribute__((noreturn))
keeper_main(int ptmon_pidfd, pid_t ptmon, unsigned long long started,
    int cgroup_fd, const char *cgroup_path)
{
	sigset_t all;
	int fd;

	/* Nothing but SIGKILL (from ptmon, at its normal end) may stop us. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	setsid();
	prctl(PR_SET_NAME, "ptmon-keeper");
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
	}
	/* Hold no pipe of ptmon's open, or its readers would never see EOF. */
	for (fd = 3; fd < 1024; fd++)
		if (fd != ptmon_pidfd && fd != cgroup_fd)
			close(fd);
	wait_for_ptmon(ptmon_pidfd, ptmon, started);
	tree_cgroup_end(cgroup_fd, cgroup_path);
	kill_session(atomic_load(&page->sid));
	continue_held();
	_exit(0);
}

int
keeper_start(void)
{
	pid_t ptmon = getpid();
	unsigned long long started = start_of(ptmon);
	pid_t first;
	int status;

	page = mmap(NULL, sizeof *page, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED) {
		page = NULL;
		return -1;
	}
	first = fork();
	if (first < 0)
		return -1;
	if (first == 0) {
		int pidfd = (int)syscall(SYS_pidfd_open, ptmon, 0);

		/* ptmon may not be the one we meant if it died before the open. */
		if ((pidfd < 0 && errno != ENOSYS) || getppid() != ptmon)
			_exit(1);
		if (fork() == 0)
			keeper_main(pidfd, ptmon, started, tree_cgroup_fd(),
			    tree_cgroup_path());
		_exit(0);
	}
	while (waitpid(first, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

void
keeper_watch(pid_t sid)
{
	if (page != NULL)
		atomic_store(&page->sid, sid);
}

void
keeper_hold(pid_t pid, unsigned long long start, bool held)
{
	int i, free_slot = -1;

	if (page == NULL)
		return;
	for (i = 0; i < KEEPER_HELD_MAX; i++) {
		pid_t p = atomic_load(&page->held[i]);

		if (p == pid && atomic_load(&page->held_start[i]) == start) {
			if (!held)
				atomic_store(&page->held[i], 0);
			return;
		}
		if (p == 0 && free_slot < 0)
			free_slot = i;
	}
	if (held && free_slot >= 0) {
		/* The start time first: the keeper reads the pid first. */
		atomic_store(&page->held_start[free_slot], start);
		atomic_store(&page->held[free_slot], pid);
	}
}
