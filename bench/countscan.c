/*
 * countscan: an LD_PRELOAD library that counts how often a program opens
 * the /proc directory, the start of every scan of the host's tasks, for
 * programs that cannot be told to stop after N refreshes (htop 3.2 has no
 * -n). Each scan rewrites the count in the file COUNTSCAN_FILE names, so a
 * bench can read it while the program runs.
 *
 *	COUNTSCAN_FILE=/tmp/n LD_PRELOAD=bench/countscan.so htop -d 1
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static atomic_ulong	countscan_n;

/* True for "/proc" and "/proc/". */
static int
countscan_is_proc(const char *path)
{
	return path != NULL && (strcmp(path, "/proc") == 0 ||
	    strcmp(path, "/proc/") == 0);
}

/* Counts one scan and writes the count, fixed width, at the file's start. */
static void
countscan_hit(void)
{
	static int (*real_open)(const char *, int, ...);
	const char *file = getenv("COUNTSCAN_FILE");
	unsigned long n = atomic_fetch_add(&countscan_n, 1) + 1;
	char line[32];
	int fd, len;

	if (file == NULL)
		return;
	if (real_open == NULL)
		real_open = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT,
		    "open");
	if (real_open == NULL)
		return;
	fd = real_open(file, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	len = snprintf(line, sizeof line, "%20lu\n", n);
	if (pwrite(fd, line, (size_t)len, 0) != len)
		unlink(file);
	close(fd);
}

DIR *
opendir(const char *path)
{
	static DIR *(*real)(const char *);

	if (real == NULL)
		real = (DIR *(*)(const char *))dlsym(RTLD_NEXT, "opendir");
	if (countscan_is_proc(path))
		countscan_hit();
	return real(path);
}

int
openat(int dirfd, const char *path, int flags, ...)
{
	static int (*real)(int, const char *, int, ...);
	mode_t mode = 0;
	va_list ap;

	if (real == NULL)
		real = (int (*)(int, const char *, int, ...))dlsym(RTLD_NEXT,
		    "openat");
	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	if (countscan_is_proc(path))
		countscan_hit();
	return real(dirfd, path, flags, mode);
}
