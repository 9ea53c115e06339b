/* Reading a task's state, parent, group, session and start time. */
#include "config.h"

#include "procfs.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
procfs_stat(pid_t pid, pid_t tid, struct procfs_stat *out)
{
	char path[64], buf[1024], *p;
	int fd, ppid, pgrp, session;
	ssize_t n;

	snprintf(path, sizeof path, "/proc/%d/task/%d/stat", (int)pid,
	    (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/*
	 * The name may hold spaces and parentheses: parse after the last ')'.
	 * Then come state (field 3), ppid (4), pgrp (5), session (6) and
	 * starttime (22).
	 */
	p = strrchr(buf, ')');
	if (p == NULL || sscanf(p + 1, " %c %d %d %d %*d %*d %*u %*u %*u "
	    "%*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu", &out->state,
	    &ppid, &pgrp, &session, &out->start) != 5)
		return -1;
	out->ppid = (pid_t)ppid;
	out->pgrp = (pid_t)pgrp;
	out->session = (pid_t)session;
	return 0;
}
