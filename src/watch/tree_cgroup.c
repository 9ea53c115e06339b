/*
 * ptmon's own cgroup v2: made at start, entered by each root ptmon forks,
 * killed when a run ends, removed at exit (or by the keeper).
 */
#include "config.h"

#include "tree_cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int	cgroup_fd = -1;
static char	cgroup_path[PATH_MAX];

/* Where cgroup2 is mounted, from /proc/self/mountinfo. */
static int
cgroup2_mount(char *out, size_t len)
{
	char line[4096];
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int found = -1;

	if (f == NULL)
		return -1;
	while (found < 0 && fgets(line, sizeof line, f) != NULL) {
		/* id parent major:minor root MOUNTPOINT opts... - TYPE ... */
		char *dash = strstr(line, " - ");
		char mnt[PATH_MAX], type[64];

		if (dash == NULL || sscanf(dash, " - %63s", type) != 1 ||
		    strcmp(type, "cgroup2") != 0)
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) == 1 &&
		    strlen(mnt) < len && strchr(mnt, '\\') == NULL) {
			strcpy(out, mnt);
			found = 0;
		}
	}
	fclose(f);
	return found;
}

/* ptmon's own cgroup v2 path ("0::PATH" in /proc/self/cgroup). */
static int
own_cgroup(char *out, size_t len)
{
	char line[4096];
	FILE *f = fopen("/proc/self/cgroup", "re");
	int found = -1;

	if (f == NULL)
		return -1;
	while (found < 0 && fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "0::", 3) == 0 && strlen(line + 3) < len) {
			strcpy(out, line + 3);
			found = 0;
		}
	}
	fclose(f);
	return found;
}

static int
write_file(int dirfd, const char *name, const char *text)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int saved;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	saved = errno;
	close(fd);
	errno = saved;
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

int
tree_cgroup_create(void)
{
	char mnt[PATH_MAX], own[PATH_MAX];
	const char *off = getenv("PTMON_NO_CGROUP");
	int n;

	if (off != NULL && *off != '\0' && strcmp(off, "0") != 0) {
		errno = ENOTSUP;
		return -1;
	}
	if (cgroup2_mount(mnt, sizeof mnt) < 0 ||
	    own_cgroup(own, sizeof own) < 0) {
		errno = ENOENT;
		return -1;
	}
	n = snprintf(cgroup_path, sizeof cgroup_path, "%s%s%sptmon-%d", mnt,
	    own, own[strlen(own) - 1] == '/' ? "" : "/", (int)getpid());
	if (n < 0 || (size_t)n >= sizeof cgroup_path) {
		cgroup_path[0] = '\0';
		errno = ENAMETOOLONG;
		return -1;
	}
	/* A cgroup of an earlier ptmon with this pid, left empty: reuse. */
	if (mkdir(cgroup_path, 0755) < 0 && errno != EEXIST) {
		cgroup_path[0] = '\0';
		return -1;
	}
	cgroup_fd = open(cgroup_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cgroup_fd < 0 || faccessat(cgroup_fd, "cgroup.procs", W_OK,
	    0) < 0) {
		int saved = errno;

		tree_cgroup_remove();
		errno = saved;
		return -1;
	}
	return cgroup_fd;
}

int
tree_cgroup_fd(void)
{
	return cgroup_fd;
}

const char *
tree_cgroup_path(void)
{
	return cgroup_path;
}

int
tree_cgroup_enter(int dirfd)
{
	if (dirfd < 0)
		return -1;
	/* "0" is the writer itself. */
	return write_file(dirfd, "cgroup.procs", "0");
}

bool
tree_cgroup_populated(int dirfd)
{
	char buf[256];
	ssize_t n;
	int fd = openat(dirfd, "cgroup.events", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return strstr(buf, "populated 1") != NULL;
}

/*
 * Kernels before 5.14 have no cgroup.kill: freeze the cgroup, so that no
 * member can fork or hop, then kill each member it lists.
 */
static int
kill_members(int dirfd)
{
	struct timespec nap = { 0, 2 * 1000 * 1000 };
	int round;

	(void)write_file(dirfd, "cgroup.freeze", "1");
	for (round = 0; round < 500 && tree_cgroup_populated(dirfd); round++) {
		int fd = openat(dirfd, "cgroup.procs", O_RDONLY | O_CLOEXEC);
		FILE *f;
		long pid;

		if (fd < 0 || (f = fdopen(fd, "r")) == NULL) {
			if (fd >= 0)
				close(fd);
			return -1;
		}
		/* A frozen member cannot exit: its pid is still its own. */
		while (fscanf(f, "%ld", &pid) == 1)
			if (pid > 1)
				kill((pid_t)pid, SIGKILL);
		fclose(f);
		nanosleep(&nap, NULL);
	}
	(void)write_file(dirfd, "cgroup.freeze", "0");
	return 0;
}

int
tree_cgroup_kill(int dirfd)
{
	if (dirfd < 0)
		return -1;
	if (!tree_cgroup_populated(dirfd))
		return 0;
	if (write_file(dirfd, "cgroup.kill", "1") == 0)
		return 0;
	return kill_members(dirfd);
}

void
tree_cgroup_remove(void)
{
	if (cgroup_fd >= 0)
		close(cgroup_fd);
	cgroup_fd = -1;
	if (cgroup_path[0] != '\0')
		(void)rmdir(cgroup_path);
	cgroup_path[0] = '\0';
}

void
tree_cgroup_end(int dirfd, const char *path)
{
	struct timespec nap = { 0, 5 * 1000 * 1000 };
	int i;

	if (dirfd < 0)
		return;
	tree_cgroup_kill(dirfd);
	/* rmdir fails while a member lives: dying takes a moment. */
	for (i = 0; i < 200 && tree_cgroup_populated(dirfd); i++)
		nanosleep(&nap, NULL);
	if (path != NULL && *path != '\0')
		(void)rmdir(path);
}
