/*
 * A cgroup v2 of ptmon's own that holds the watched tree, when the kernel
 * lets ptmon make one (cgroup2 mounted, ptmon's cgroup writable: root, or a
 * delegated subtree). Nothing escapes a cgroup: a daemon that made its own
 * session and a pid hopper that forks ahead of every scan are members all
 * the same, and cgroup.kill ends them all at once. Without one, ptmon falls
 * back on the watched session and on the orphans it reaps as subreaper.
 */
#ifndef PTMON_TREE_CGROUP_H
#define PTMON_TREE_CGROUP_H

#include <stdbool.h>

/*
 * Makes ptmon's cgroup (a child of its own, named ptmon-PID) and returns an
 * open fd of its directory, or -1 when there is none to be had (the reason
 * in errno). Set PTMON_NO_CGROUP=1 to do without (the fallback's tests).
 */
int		 tree_cgroup_create(void);
/* The fd from tree_cgroup_create(), or -1. */
int		 tree_cgroup_fd(void);
/*
 * Moves the calling process into cgroup dirfd; in a forked child, before
 * it runs anything. -1 when it cannot (it then stays where it was).
 */
int		 tree_cgroup_enter(int dirfd);
/*
 * Kills every process in cgroup dirfd (cgroup.kill; on kernels before 5.14
 * freezes it and kills each member). Returns -1 when it cannot.
 */
int		 tree_cgroup_kill(int dirfd);
/* True while cgroup dirfd holds a live process. */
bool		 tree_cgroup_populated(int dirfd);
/* Removes ptmon's cgroup (it must be empty); closes its fd. */
void		 tree_cgroup_remove(void);
/*
 * In the keeper, after ptmon has died: kills the cgroup, waits up to a
 * second for it to empty and removes it.
 */
void		 tree_cgroup_end(int dirfd, const char *path);
/* The path of ptmon's cgroup ("" when there is none), for the keeper. */
const char	*tree_cgroup_path(void);

#endif
