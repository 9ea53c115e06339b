/*
 * The few fields of /proc/PID/task/TID/stat that ptmon's safety checks need
 * outside the sampler's own reads: a task's state, parent, group, session
 * and start time, to tell a live process of the watched session from a
 * recycled pid, ptmon's own ancestors from what it may stop, and whether a
 * new pid is a child of the watched tree.
 */
#ifndef PTMON_PROCFS_H
#define PTMON_PROCFS_H

#include <sys/types.h>

struct procfs_stat {
	char			 state;		/* R S D Z T t X … */
	pid_t			 ppid;
	pid_t			 pgrp;
	pid_t			 session;
	unsigned long long	 start;		/* clock ticks after boot */
};

/* Reads task tid of process pid; -1 when it is gone or unreadable. */
int		 procfs_stat(pid_t pid, pid_t tid, struct procfs_stat *out);

#endif
