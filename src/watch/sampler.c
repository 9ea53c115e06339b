/*
 * The sampler: the watched subtree's processes and threads, read afresh on
 * every refresh, with %CPU from the tick delta since the previous read.
 *
 * Discovery does not scan /proc. It goes down the tree a level at a time:
 * each process's task directory names its threads (read again only when
 * stat's thread count differs from what it listed, or one of those threads
 * is gone), and each thread's /proc/PID/task/TID/children names the next
 * level (a child belongs to the thread that forked it, so every thread is
 * asked). The work follows the subtree, not the host.
 *
 * A children file changes only when a task is made (fork, clone) or when
 * one ends (its children go to another parent). So each read first looks
 * at the pids the kernel handed out since the read before (/proc/loadavg
 * names the last): when none of them is a child of the tree (stat's ppid)
 * and that read lost no task, every task's children are those it listed
 * last time, and the files are not read, but each task's every
 * SAMPLER_KIDS_EVERY reads all the same. A tree of sleepers on a host that
 * starts a few processes a second then costs one read per task, its stat.
 *
 * Every task found is kept in a table, keyed by tid, from the read that
 * first finds it to the read that misses it. With the task the table keeps
 * open, between reads, the files it reads each time: its stat, its
 * children, its wchan, and for a process its task directory. A refresh is
 * then a pread() at offset 0 of each (and getdents of each directory):
 * no path walk, no open, no close. An open file names one task for good:
 * once the task is gone its reads fail, so a reused tid shows up as a
 * failed read and then a new task; where no file could be kept (the budget
 * of fds below is spent) the start time in stat tells a reused tid.
 *
 * What stat says is taken from it on every read: state, utime + stime,
 * processor, rss (in pages: statm is never read), ppid, and comm, which a
 * thread may change (pthread_setname_np) and exec changes. What no stat
 * line says is read once per task and kept: the tgid (libproc2, from
 * status, once per process; a thread's is the directory it is listed in)
 * and the command line (read on a new process's first SAMPLER_CMD_YOUNG
 * reads, as it may exec, then again when comm changes, as at exec, and
 * every SAMPLER_CMD_EVERY reads for processes that rewrite their argv).
 * The wait channel costs the kernel a stack walk and a symbol lookup, so
 * it is read only for sleeping tasks, and in a big tree only when the task
 * ran or changed state since, or every SAMPLER_WCHAN_EVERY reads.
 *
 * The row whose tid is the tgid stands for the process: it comes from
 * /proc/PID/stat, so its ticks and %CPU are those of the whole thread
 * group, as in top -H and htop; the other rows are single threads.
 *
 * Memory: one struct task per task, one struct sample per task for the
 * caller, a hash index and an order array; all grow to the biggest tree
 * seen and are reused, so a steady tree allocates nothing per read (a
 * process's command line is allocated when it is read and differs).
 */
#include "config.h"

#include "sampler.h"

#include <sys/resource.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libproc2/pids.h>

#include "clock.h"
#include "procfs.h"
#include "sanitize.h"
#include "xalloc.h"

/* Bytes of a children file we accept; far beyond any real fan-out. */
#define SAMPLER_CHILDREN_MAX	(1024 * 1024)
/* Raw cmdline bytes read: enough to fill cmdline, whole characters. */
#define SAMPLER_CMD_RAW		(SAMPLE_CMD_LEN + 4)
/* A stat line: 52 fields of at most 20 digits and a comm of at most 64. */
#define SAMPLER_STAT_MAX	1536
/* comm as stat gives it: TASK_COMM_LEN (16) for every user task. */
#define SAMPLER_COMM_LEN	16
/* Reads between two reads of a command line nothing says has changed. */
#define SAMPLER_CMD_EVERY	16
/*
 * A new process is read its command line on each of its first reads: a
 * fork usually execs right away, and an exec that keeps the name (sh
 * running a script) changes no comm to tell.
 */
#define SAMPLER_CMD_YOUNG	8
/* Trees of at most this many tasks read every sleeper's wchan each time. */
#define SAMPLER_WCHAN_ALL	512
/* Else reads between two reads of a wchan nothing says has changed. */
#define SAMPLER_WCHAN_EVERY	8
/* New pids looked at before giving up and reading every children file. */
#define SAMPLER_NEW_PIDS_MAX	64
/*
 * Reads between two reads of a children file nothing says has changed: a
 * safety net only, since new pids and lost tasks are looked at each read.
 */
#define SAMPLER_KIDS_EVERY	64
/* Fds left to the rest of ptmon; the sampler keeps at most the others. */
#define SAMPLER_FD_RESERVE	256
/* Most fds kept open, whatever the limit: 4 per task at 16,384 tasks. */
#define SAMPLER_FD_MAX		65536

static enum pids_item sampler_items[] = {
	PIDS_ID_TGID,
};
enum {
	ITEM_TGID,
	ITEM_COUNT
};

/* A set of pids, cleared in O(1) by moving to a new generation. */
struct pidset_slot {
	pid_t			 pid;
	uint32_t		 gen;
};

struct pidset {
	struct pidset_slot	*slots;
	size_t			 cap;		/* power of two */
	size_t			 used;
	uint32_t		 gen;
};

/* A growable list of pids. */
struct pidlist {
	pid_t			*v;
	size_t			 n;
	size_t			 cap;
};

/* One process or thread, from the read that found it to the one that did not. */
struct task {
	pid_t			 tid;
	pid_t			 tgid;
	pid_t			 ppid;
	int			 processor;
	unsigned long long	 start;		/* start time: tells reuse */
	unsigned long long	 ticks;		/* utime + stime */
	unsigned long long	 rate_ticks;	/* ticks at the last rated read */
	double			 cpu;		/* %CPU of the last rated read */
	unsigned long		 rss_pages;
	char			*cmd;		/* a process's: sanitised */
	pid_t			*threads;	/* a process's, but the leader,
						   as last listed */
	uint32_t		 nthreads;
	uint32_t		 capthreads;
	pid_t			*kids;		/* its children file, as last
						   read; NULL for none */
	uint32_t		 nkids;
	uint32_t		 capkids;
	int			 stat_fd;	/* -1: not kept */
	int			 children_fd;	/* -1: not kept */
	int			 wchan_fd;	/* -1: not kept */
	int			 dir_fd;	/* a process's task directory */
	uint32_t		 gen;		/* the last read that found it */
	uint8_t			 cmd_age;	/* reads since the cmdline */
	uint8_t			 cmd_young;	/* reads left that read it */
	uint8_t			 wchan_age;	/* reads since the wchan */
	uint8_t			 kids_age;	/* reads since the children */
	bool			 kids_read;	/* kids holds a read */
	bool			 rated;		/* rate_ticks and cpu are set */
	bool			 moved;		/* ran or changed state */
	bool			 wchan_read;	/* wchan holds a read */
	char			 state;
	char			 comm[SAMPLER_COMM_LEN];	/* raw, from stat */
	char			 wchan[SAMPLE_WCHAN_LEN];	/* sanitised */
};

/* Where a task of this read goes in the output: by tgid, process first. */
struct order {
	uint64_t		 key;
	uint32_t		 task;
};

struct sampler {
	struct pids_info	*info;
	long			 hertz;
	unsigned long		 page_kib;

	struct pidset		 seen;		/* pids found this read */
	struct pidlist		 level;		/* processes to read now */
	struct pidlist		 next;		/* their children */
	struct pidlist		 threads;	/* a process's threads */
	uint32_t		 gen;		/* counts reads */

	/* Children files may be skipped: no task made or lost since. */
	int			 loadavg_fd;	/* -1: not open (yet) */
	long			 last_pid;	/* -1: not known */
	bool			 lost_task;	/* the last read missed one */
	bool			 kids_known;	/* this read may skip them */
	bool			 lost_now;	/* this read found one gone */

	/* The tasks, dense, and an index by tid (task + 1, 0: empty). */
	struct task		*tasks;
	size_t			 ntasks;
	size_t			 captasks;
	uint32_t		*index;
	size_t			 capindex;	/* power of two */
	size_t			 found;		/* tasks this read found */

	size_t			 fds_kept;	/* open in tasks */
	size_t			 fds_budget;	/* most kept open */
	bool			 fds_at_max;	/* the limit can grow no more */

	char			*buf;		/* for children files */
	size_t			 bufcap;
	char			*dents;		/* for task directories */
	size_t			 dentscap;

	/* This read's samples, in order. */
	struct order		*order;
	size_t			 caporder;
	struct sample		*cur;
	size_t			 ncur;
	size_t			 capcur;
	bool			 have_prev;
	/* %CPU: computed at most once per rate_interval since rate_time. */
	double			 rate_interval;
	double			 rate_time;
};

_Static_assert(sizeof sampler_items / sizeof sampler_items[0] == ITEM_COUNT,
    "sampler_items and the ITEM_ offsets disagree");

/* Empties the set. */
static void
pidset_clear(struct pidset *set)
{
	set->used = 0;
	if (++set->gen == 0) {
		/* Generation wrapped: old stamps could look current. */
		memset(set->slots, 0, set->cap * sizeof *set->slots);
		set->gen = 1;
	}
}

/* Slot index where pid is, or where it would go. */
static size_t
pidset_find(const struct pidset *set, pid_t pid)
{
	size_t mask = set->cap - 1;
	size_t i = ((uint32_t)pid * 2654435761u) & mask;

	while (set->slots[i].gen == set->gen && set->slots[i].pid != pid)
		i = (i + 1) & mask;
	return i;
}

/* Adds pid; returns 1 when it was not there yet, 0 when it was. */
static int
pidset_add(struct pidset *set, pid_t pid)
{
	size_t i;

	if ((set->used + 1) * 2 > set->cap) {
		struct pidset_slot *old = set->slots;
		size_t oldcap = set->cap, j;

		set->cap = oldcap != 0 ? oldcap * 2 : 256;
		set->slots = xcalloc(set->cap, sizeof *set->slots);
		for (j = 0; j < oldcap; j++) {
			if (old[j].gen != set->gen)
				continue;
			i = pidset_find(set, old[j].pid);
			set->slots[i] = old[j];
		}
		free(old);
	}
	i = pidset_find(set, pid);
	if (set->slots[i].gen == set->gen)
		return 0;
	set->slots[i].pid = pid;
	set->slots[i].gen = set->gen;
	set->used++;
	return 1;
}

/* Appends pid to the list. */
static void
pidlist_push(struct pidlist *l, pid_t pid)
{
	if (l->n == l->cap) {
		l->cap = l->cap != 0 ? l->cap * 2 : 64;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n++] = pid;
}

/* Makes room for n pids in the list. */
static void
pidlist_reserve(struct pidlist *l, size_t n)
{
	if (l->cap >= n)
		return;
	l->cap = n;
	l->v = xrealloc(l->v, l->cap * sizeof *l->v);
}

/* Queues pid for the next level unless this read has seen it already. */
static void
sampler_found(struct sampler *s, pid_t pid)
{
	if (pid > 0 && pidset_add(&s->seen, pid))
		pidlist_push(&s->next, pid);
}

/* Index slot where tid is, or the empty one where it would go. */
static size_t
index_find(const struct sampler *s, pid_t tid)
{
	size_t mask = s->capindex - 1;
	size_t i = ((uint32_t)tid * 2654435761u) & mask;

	while (s->index[i] != 0 && s->tasks[s->index[i] - 1].tid != tid)
		i = (i + 1) & mask;
	return i;
}

/* Makes the index anew, `cap` slots, from the dense table. */
static void
index_rebuild(struct sampler *s, size_t cap)
{
	size_t i;

	if (cap != s->capindex) {
		free(s->index);
		s->index = xcalloc(cap, sizeof *s->index);
		s->capindex = cap;
	} else
		memset(s->index, 0, cap * sizeof *s->index);
	for (i = 0; i < s->ntasks; i++)
		s->index[index_find(s, s->tasks[i].tid)] = (uint32_t)i + 1;
}

/* The task with this tid, or NULL. */
static struct task *
task_lookup(struct sampler *s, pid_t tid)
{
	size_t i;

	if (s->capindex == 0)
		return NULL;
	i = index_find(s, tid);
	return s->index[i] != 0 ? &s->tasks[s->index[i] - 1] : NULL;
}

/* Closes a kept fd, if any, and gives it back to the budget. */
static void
task_close(struct sampler *s, int *fd)
{
	if (*fd < 0)
		return;
	close(*fd);
	*fd = -1;
	s->fds_kept--;
}

/* Forgets all that was known of the task but its tid: it is a new one. */
static void
task_reset(struct sampler *s, struct task *t, pid_t tgid)
{
	pid_t tid = t->tid;

	task_close(s, &t->stat_fd);
	task_close(s, &t->children_fd);
	task_close(s, &t->wchan_fd);
	task_close(s, &t->dir_fd);
	free(t->cmd);
	free(t->threads);
	free(t->kids);
	memset(t, 0, sizeof *t);
	t->tid = tid;
	t->tgid = tgid;
	t->stat_fd = t->children_fd = t->wchan_fd = t->dir_fd = -1;
	/* Spread the periodic re-reads over the reads. */
	t->cmd_age = (uint8_t)((uint32_t)tid % SAMPLER_CMD_EVERY);
	t->cmd_young = SAMPLER_CMD_YOUNG;
	t->wchan_age = (uint8_t)((uint32_t)tid % SAMPLER_WCHAN_EVERY);
	t->kids_age = (uint8_t)((uint32_t)tid % SAMPLER_KIDS_EVERY);
}

/* The task with this tid, made new (with no fds) if there is none. */
static struct task *
task_get(struct sampler *s, pid_t tid, pid_t tgid)
{
	struct task *t;

	if ((t = task_lookup(s, tid)) != NULL)
		return t;
	if (s->ntasks == s->captasks) {
		s->captasks = s->captasks != 0 ? s->captasks * 2 : 64;
		s->tasks = xrealloc(s->tasks, s->captasks * sizeof *s->tasks);
	}
	if ((s->ntasks + 1) * 2 > s->capindex) {
		t = &s->tasks[s->ntasks++];
		t->tid = tid;
		index_rebuild(s, s->capindex != 0 ? s->capindex * 2 : 256);
	} else {
		t = &s->tasks[s->ntasks++];
		t->tid = tid;
		s->index[index_find(s, tid)] = (uint32_t)s->ntasks;
	}
	t->stat_fd = t->children_fd = t->wchan_fd = t->dir_fd = -1;
	t->cmd = NULL;
	t->threads = NULL;
	t->kids = NULL;
	task_reset(s, t, tgid);
	return t;
}

/* Drops the tasks this read did not find, closing their files. */
static void
sampler_sweep(struct sampler *s)
{
	size_t i, j;

	if (s->found == s->ntasks)
		return;
	/* Its children now have another parent: read every file next time. */
	s->lost_task = true;
	for (i = j = 0; i < s->ntasks; i++) {
		struct task *t = &s->tasks[i];

		if (t->gen != s->gen) {
			task_reset(s, t, 0);
			continue;
		}
		if (j != i)
			s->tasks[j] = *t;
		j++;
	}
	s->ntasks = j;
	index_rebuild(s, s->capindex);
}

/* The fds the sampler may keep under a limit of `limit`. */
static size_t
sampler_fd_budget(rlim_t limit)
{
	if (limit == RLIM_INFINITY ||
	    limit > SAMPLER_FD_MAX + SAMPLER_FD_RESERVE)
		return SAMPLER_FD_MAX;
	if (limit <= 2 * SAMPLER_FD_RESERVE)
		return limit / 2;
	return limit - SAMPLER_FD_RESERVE;
}

/*
 * Whether one more fd may be kept. When the budget is spent, raises
 * RLIMIT_NOFILE toward its hard limit, doubling it: a small tree leaves
 * the limit (which the watched commands started later inherit) alone.
 * ptmon uses poll(), never select(), so high fds are fine.
 */
static bool
sampler_fd_room(struct sampler *s)
{
	struct rlimit rl;

	if (s->fds_kept < s->fds_budget)
		return true;
	if (s->fds_at_max || getrlimit(RLIMIT_NOFILE, &rl) < 0 ||
	    rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= rl.rlim_max ||
	    sampler_fd_budget(rl.rlim_cur) >= SAMPLER_FD_MAX) {
		s->fds_at_max = true;
		return false;
	}
	if (rl.rlim_max == RLIM_INFINITY || rl.rlim_cur * 2 < rl.rlim_max)
		rl.rlim_cur *= 2;
	else
		rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
		s->fds_at_max = true;
		return false;
	}
	s->fds_budget = sampler_fd_budget(rl.rlim_cur);
	return s->fds_kept < s->fds_budget;
}

/*
 * Opens /proc/PID/FILE (tid 0) or /proc/PID/task/TID/FILE. Keeps it in
 * *kept when the budget allows; else *transient says the caller closes it.
 */
static int
task_open(struct sampler *s, int *kept, pid_t pid, pid_t tid,
    const char *file, int flags, bool *transient)
{
	char path[64];
	int fd;

	*transient = false;
	if (*kept >= 0)
		return *kept;
	if (tid != 0)
		snprintf(path, sizeof path, "/proc/%d/task/%d/%s", (int)pid,
		    (int)tid, file);
	else
		snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | flags)) < 0)
		return -1;
	if (sampler_fd_room(s)) {
		*kept = fd;
		s->fds_kept++;
	} else
		*transient = true;
	return fd;
}

/* pread at offset 0, again on EINTR; returns the length or -1. */
static ssize_t
pread_start(int fd, char *buf, size_t len)
{
	ssize_t got;

	do
		got = pread(fd, buf, len, 0);
	while (got < 0 && errno == EINTR);
	return got;
}

/*
 * Reads a task's small file (stat, wchan) into buf, NUL-terminated, through
 * its kept fd; returns the length, or -1 when the task is gone (or the file
 * may not be read).
 */
static ssize_t
task_read(struct sampler *s, int *kept, pid_t pid, pid_t tid,
    const char *file, char *buf, size_t len)
{
	bool transient;
	ssize_t got;
	int fd;

	if ((fd = task_open(s, kept, pid, tid, file, 0, &transient)) < 0)
		return -1;
	got = pread_start(fd, buf, len - 1);
	if (transient)
		close(fd);
	else if (got <= 0)
		task_close(s, kept);
	if (got < 0)
		return -1;
	buf[got] = '\0';
	return got;
}

/* Parses the unsigned number at *p and moves past it and one space. */
static unsigned long long
stat_number(const char **p)
{
	unsigned long long v = 0;
	const char *q = *p;

	if (*q == '-')
		q++;
	while (*q >= '0' && *q <= '9')
		v = v * 10 + (unsigned)(*q++ - '0');
	if (*q == ' ')
		q++;
	*p = q;
	return v;
}

/* Moves *p past n space-separated fields. */
static void
stat_skip(const char **p, int n)
{
	const char *q = *p;

	while (n-- > 0 && *q != '\0') {
		while (*q != ' ' && *q != '\0')
			q++;
		if (*q == ' ')
			q++;
	}
	*p = q;
}

/* What a stat line says. */
struct stat_line {
	char			 comm[SAMPLER_COMM_LEN];
	char			 state;
	pid_t			 ppid;
	unsigned long long	 ticks;
	long			 num_threads;
	unsigned long long	 start;
	unsigned long		 rss_pages;
	int			 processor;
};

/*
 * Parses "pid (comm) state ppid ..." (proc(5)): comm may hold spaces and
 * parentheses, so it ends at the last ')'. Returns 0, or -1 when the line
 * is not one.
 */
static int
stat_parse(const char *line, struct stat_line *sl)
{
	const char *open, *close, *p;
	size_t len;

	if ((open = strchr(line, '(')) == NULL ||
	    (close = strrchr(open, ')')) == NULL || close[1] != ' ' ||
	    close[2] == '\0')
		return -1;
	len = (size_t)(close - open - 1);
	if (len >= sizeof sl->comm)
		len = sizeof sl->comm - 1;
	memcpy(sl->comm, open + 1, len);
	sl->comm[len] = '\0';

	p = close + 2;
	sl->state = *p;					/* 3 */
	stat_skip(&p, 1);
	sl->ppid = (pid_t)stat_number(&p);		/* 4 */
	stat_skip(&p, 9);
	sl->ticks = stat_number(&p);			/* 14 utime */
	sl->ticks += stat_number(&p);			/* 15 stime */
	stat_skip(&p, 4);
	sl->num_threads = (long)stat_number(&p);	/* 20 */
	stat_skip(&p, 1);
	sl->start = stat_number(&p);			/* 22 */
	stat_skip(&p, 1);
	sl->rss_pages = (unsigned long)stat_number(&p);	/* 24 */
	stat_skip(&p, 14);
	if (*p == '\0')
		return -1;
	sl->processor = (int)stat_number(&p);		/* 39 */
	return 0;
}

/*
 * Reads the task's stat: /proc/PID/stat for a process (the thread group's
 * ticks), /proc/PID/task/TID/stat for a thread. A task whose kept file
 * fails, or whose start time changed, is gone: the task met now under its
 * tid is a new one, read from a fresh file. Returns -1 when there is none.
 */
static int
task_read_stat(struct sampler *s, struct task *t, struct stat_line *sl)
{
	char line[SAMPLER_STAT_MAX];
	pid_t tid = t->tid == t->tgid ? 0 : t->tid;
	bool known = t->start != 0;
	int tries;

	for (tries = 0; tries < 2; tries++) {
		if (task_read(s, &t->stat_fd, t->tgid, tid, "stat", line,
		    sizeof line) > 0 && stat_parse(line, sl) == 0 &&
		    (!known || sl->start == t->start))
			return 0;
		if (!known)
			return -1;
		task_reset(s, t, t->tgid);
		known = false;
	}
	return -1;
}

/* Takes a fresh stat into the task; notes what calls for re-reads. */
static void
task_take_stat(struct task *t, const struct stat_line *sl)
{
	bool renamed = strcmp(t->comm, sl->comm) != 0;

	t->moved = t->start == 0 || sl->state != t->state ||
	    sl->ticks != t->ticks;
	if (renamed && t->start != 0)
		t->cmd_age = SAMPLER_CMD_EVERY;	/* an exec: read it now */
	if (renamed)
		memcpy(t->comm, sl->comm, sizeof t->comm);
	t->state = sl->state;
	t->ppid = sl->ppid;
	t->ticks = sl->ticks;
	t->start = sl->start;
	t->rss_pages = sl->rss_pages;
	t->processor = sl->processor;
}

/*
 * Reads the process's arguments joined by spaces, sanitised; empty for
 * kernel threads, zombies and processes gone meanwhile. Only the first
 * SAMPLER_CMD_RAW bytes are read: that is all that fits. The stored copy
 * is replaced only when it differs.
 */
static void
task_read_cmdline(struct task *t)
{
	char path[32], raw[SAMPLER_CMD_RAW], cmd[SAMPLE_CMD_LEN];
	size_t len = 0, i;
	ssize_t got;
	int fd;

	t->cmd_age = 0;
	snprintf(path, sizeof path, "/proc/%d/cmdline", (int)t->tgid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
		while (len < sizeof raw) {
			got = read(fd, raw + len, sizeof raw - len);
			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0)
				break;
			len += got;
		}
		close(fd);
	}
	while (len > 0 && raw[len - 1] == '\0')
		len--;
	for (i = 0; i < len; i++) {
		if (raw[i] == '\0')
			raw[i] = ' ';
	}
	sanitize_text(raw, len, cmd, sizeof cmd, 0);
	if (t->cmd != NULL && strcmp(t->cmd, cmd) == 0)
		return;
	free(t->cmd);
	t->cmd = xstrdup(cmd);
}

/*
 * Reads the wait channel of a task that waits (sleeping, S or D, or
 * stopped) into t->wchan, when it may have changed. A running task has
 * none worth showing, since it is stale by the time it is shown, and a
 * dead one none at all. The kernel says "0" when there is no channel or we
 * may not see it: that leaves the field empty.
 */
static void
task_read_wchan(struct sampler *s, struct task *t, bool small_tree)
{
	char raw[64], *name;
	ssize_t len;

	if (t->state == 'R' || t->state == 'Z' || t->state == 'X') {
		t->wchan[0] = '\0';
		t->wchan_read = false;
		return;
	}
	if (t->wchan_read && !t->moved && !small_tree &&
	    ++t->wchan_age < SAMPLER_WCHAN_EVERY)
		return;
	t->wchan_age = 0;
	t->wchan_read = true;
	t->wchan[0] = '\0';
	len = task_read(s, &t->wchan_fd, t->tgid, t->tid, "wchan", raw,
	    sizeof raw);
	if (len <= 0 || strcmp(raw, "0") == 0)
		return;
	/* As libproc2 shows it: no ppc64 '.', no leading underscores. */
	for (name = raw; *name == '.' || *name == '_'; name++)
		;
	sanitize_text(name, strnlen(name, SAMPLE_WCHAN_LEN - 1), t->wchan,
	    sizeof t->wchan, 0);
}

/* Reads a children file whole into s->buf with pread; returns its length. */
static size_t
sampler_slurp(struct sampler *s, int fd)
{
	size_t len = 0;
	ssize_t got;

	for (;;) {
		if (len + 1 >= s->bufcap) {
			if (s->bufcap >= SAMPLER_CHILDREN_MAX)
				break;
			s->bufcap *= 2;
			s->buf = xrealloc(s->buf, s->bufcap);
		}
		got = pread(fd, s->buf + len, s->bufcap - len - 1, (off_t)len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		len += got;
	}
	s->buf[len] = '\0';
	return len;
}

/*
 * Queues each pid of the children file just read into s->buf, and keeps
 * them in t (when not NULL) for reads that may skip the file.
 */
static void
sampler_queue_children(struct sampler *s, struct task *t, size_t len)
{
	char *p, *end;

	if (t != NULL) {
		t->nkids = 0;
		t->kids_read = true;
		t->kids_age = 0;
	}

	for (p = s->buf; *p != '\0'; p = end) {
		long child;

		while (*p == ' ' || *p == '\n')
			p++;
		if (*p == '\0')
			break;
		errno = 0;
		child = strtol(p, &end, 10);
		if (end == p)
			break;
		/* A number cut by SAMPLER_CHILDREN_MAX may be wrong: skip. */
		if (*end == '\0' && len + 1 >= s->bufcap)
			break;
		if (errno != 0 || child <= 0 || child > INT32_MAX)
			continue;
		sampler_found(s, (pid_t)child);
		if (t == NULL)
			continue;
		if (t->nkids == t->capkids) {
			t->capkids = t->capkids != 0 ? t->capkids * 2 : 4;
			t->kids = xrealloc(t->kids,
			    t->capkids * sizeof *t->kids);
		}
		t->kids[t->nkids++] = (pid_t)child;
	}
}

/*
 * Queues each child of task t (of process pid): those it listed last time
 * when nothing can have changed them, else from /proc/PID/task/TID/children
 * through the task's kept fd. A task gone meanwhile simply has no children.
 */
static void
sampler_read_children(struct sampler *s, struct task *t, pid_t pid)
{
	bool transient;
	size_t len;
	int fd;

	if (s->kids_known && t->kids_read &&
	    ++t->kids_age < SAMPLER_KIDS_EVERY) {
		for (uint32_t i = 0; i < t->nkids; i++)
			sampler_found(s, t->kids[i]);
		return;
	}
	t->kids_read = false;
	fd = task_open(s, &t->children_fd, pid, t->tid, "children", 0,
	    &transient);
	if (fd < 0)
		return;
	len = sampler_slurp(s, fd);
	if (transient)
		close(fd);
	sampler_queue_children(s, t, len);
}

/*
 * The last pid the kernel handed out, from /proc/loadavg (its fifth
 * field), through a kept fd; -1 when it cannot be read.
 */
static long
sampler_last_pid(struct sampler *s)
{
	char buf[128], *p;
	ssize_t got;

	if (s->loadavg_fd < 0)
		s->loadavg_fd = open("/proc/loadavg", O_RDONLY | O_CLOEXEC);
	if (s->loadavg_fd < 0)
		return -1;
	got = pread(s->loadavg_fd, buf, sizeof buf - 1, 0);
	if (got <= 0)
		return -1;
	buf[got] = '\0';
	while (got > 0 && (buf[got - 1] == '\n' || buf[got - 1] == ' '))
		buf[--got] = '\0';
	if ((p = strrchr(buf, ' ')) == NULL)
		return -1;
	return strtol(p + 1, NULL, 10);
}

/*
 * Whether pid, new since the last read, is a process of the tree's: its
 * parent is a task the table holds. A pid already gone is not (what it
 * left, orphans, are new pids too, or go to init and out of the tree).
 */
static bool
sampler_new_in_tree(struct sampler *s, long pid)
{
	struct procfs_stat st;

	if (procfs_stat((pid_t)pid, (pid_t)pid, &st) < 0)
		return false;
	return task_lookup(s, st.ppid) != NULL;
}

/*
 * Whether this read may take each task's children from its last read: the
 * read before lost no task, and no pid handed out since (by fork or clone)
 * is a child of the tree's.
 */
static bool
sampler_kids_known(struct sampler *s)
{
	long last = sampler_last_pid(s), prev = s->last_pid, pid;
	bool known = s->have_prev && !s->lost_task && last > 0 && prev > 0 &&
	    last >= prev && last - prev <= SAMPLER_NEW_PIDS_MAX;

	for (pid = prev + 1; known && pid <= last; pid++)
		known = !sampler_new_in_tree(s, pid);
	s->last_pid = last;
	s->lost_task = false;
	return known;
}

/* The same for a task that is not the tree's: the file is not kept. */
static void
sampler_read_children_once(struct sampler *s, pid_t pid, pid_t tid)
{
	char path[64];
	size_t len;
	int fd;

	snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)pid,
	    (int)tid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	len = sampler_slurp(s, fd);
	close(fd);
	sampler_queue_children(s, NULL, len);
}

/* Queues the children of every thread of the adopter (ptmon itself). */
static void
sampler_read_adopted(struct sampler *s, pid_t adopter)
{
	char path[32];
	struct dirent *de;
	DIR *dir;

	snprintf(path, sizeof path, "/proc/%d/task", (int)adopter);
	if ((dir = opendir(path)) == NULL)
		return;
	while ((de = readdir(dir)) != NULL) {
		char *end;
		long tid;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		tid = strtol(de->d_name, &end, 10);
		if (*end == '\0' && tid > 0 && tid <= INT32_MAX)
			sampler_read_children_once(s, adopter, (pid_t)tid);
	}
	closedir(dir);
}

/*
 * Lists the process's threads (but the leader) into s->threads, from its
 * task directory, kept open and read again from the start.
 */
static void
sampler_list_threads(struct sampler *s, struct task *t)
{
	struct dirent64 *de;
	bool transient;
	ssize_t got, off;
	int fd;

	s->threads.n = 0;
	fd = task_open(s, &t->dir_fd, t->tgid, 0, "task", O_DIRECTORY,
	    &transient);
	if (fd < 0)
		return;
	if (transient || lseek(fd, 0, SEEK_SET) == 0) {
		for (;;) {
			got = getdents64(fd, s->dents, s->dentscap);
			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0)
				break;
			for (off = 0; off < got; off += de->d_reclen) {
				char *end;
				long tid;

				de = (struct dirent64 *)(s->dents + off);
				if (de->d_name[0] < '1' || de->d_name[0] > '9')
					continue;
				tid = strtol(de->d_name, &end, 10);
				if (*end == '\0' && tid > 0 &&
				    tid <= INT32_MAX && tid != t->tgid)
					pidlist_push(&s->threads, (pid_t)tid);
			}
		}
	}
	if (transient)
		close(fd);
}

/* Notes that this read found the task: it goes in the output. */
static void
sampler_emit(struct sampler *s, struct task *t)
{
	struct order *o;

	t->gen = s->gen;
	s->found++;
	if (s->ncur == s->caporder) {
		s->caporder = s->caporder != 0 ? s->caporder * 2 : 64;
		s->order = xrealloc(s->order, s->caporder * sizeof *s->order);
	}
	o = &s->order[s->ncur++];
	o->key = (uint64_t)(uint32_t)t->tgid << 32 |
	    (t->tid == t->tgid ? 0 : (uint32_t)t->tid);
	o->task = (uint32_t)(t - s->tasks);
}

/*
 * Reads one thread of a process already read; queues its children. Returns
 * false when the thread is gone.
 */
static bool
sampler_read_thread(struct sampler *s, pid_t tgid, pid_t tid)
{
	struct stat_line sl;
	struct task *t;

	t = task_get(s, tid, tgid);
	if (t->gen == s->gen)
		return true;	/* met twice in this read */
	if (t->tgid != tgid)
		task_reset(s, t, tgid);	/* the tid is another's now */
	if (task_read_stat(s, t, &sl) < 0) {
		s->lost_now = true;
		return false;
	}
	task_take_stat(t, &sl);
	sampler_emit(s, t);
	sampler_read_children(s, t, tgid);
	return true;
}

/* Reads the threads in s->threads; returns false when one was gone. */
static bool
sampler_read_threads(struct sampler *s, pid_t tgid)
{
	bool all = true;
	size_t i;

	for (i = 0; i < s->threads.n; i++) {
		if (!sampler_read_thread(s, tgid, s->threads.v[i]))
			all = false;
	}
	return all;
}

/*
 * Reads the threads of a process whose stat says it has `num_threads`.
 * When that is the count listed last time and every one of those is still
 * there, no thread came or went: the task directory is not read again. Else
 * it is, and what it lists is kept with the process for the next read.
 */
static void
sampler_process_threads(struct sampler *s, pid_t pid, long num_threads)
{
	struct task *t = task_lookup(s, pid);

	if (t->dir_fd >= 0 && num_threads == (long)t->nthreads + 1) {
		pidlist_reserve(&s->threads, t->nthreads);
		if (t->nthreads > 0)	/* no memcpy from NULL, even of 0 */
			memcpy(s->threads.v, t->threads,
			    t->nthreads * sizeof *t->threads);
		s->threads.n = t->nthreads;
		if (sampler_read_threads(s, pid))
			return;
		t = task_lookup(s, pid);	/* the table may have grown */
	}
	sampler_list_threads(s, t);
	sampler_read_threads(s, pid);

	t = task_lookup(s, pid);
	if (t->capthreads < s->threads.n) {
		t->capthreads = (uint32_t)s->threads.cap;
		t->threads = xrealloc(t->threads,
		    t->capthreads * sizeof *t->threads);
	}
	if (s->threads.n > 0)
		memcpy(t->threads, s->threads.v,
		    s->threads.n * sizeof *t->threads);
	t->nthreads = (uint32_t)s->threads.n;
}

/* The tgid of pid, from libproc2 (status); 0 when it is gone; -1 on error. */
static pid_t
sampler_tgid(struct sampler *s, pid_t pid)
{
	struct pids_fetch *fetch;
	unsigned id = (unsigned)pid;

	fetch = procps_pids_select(s->info, &id, 1, PIDS_SELECT_PID);
	if (fetch == NULL)
		return -1;
	if (fetch->stacks[0] == NULL)
		return 0;
	return PIDS_VAL(ITEM_TGID, s_int, fetch->stacks[0], s->info);
}

/*
 * Reads a process, its threads, and queues its threads' children. Returns
 * -1 only when libproc2 fails.
 */
static int
sampler_read_process(struct sampler *s, pid_t pid)
{
	struct stat_line sl;
	struct task *t;
	pid_t tgid;

	t = task_lookup(s, pid);
	if (t == NULL || t->tgid != pid) {
		/* New to us: is it a process, or a thread named as root? */
		if ((tgid = sampler_tgid(s, pid)) < 0)
			return -1;
		if (tgid != pid) {
			if (tgid > 0)
				sampler_found(s, tgid);
			return 0;
		}
		t = task_get(s, pid, pid);
		if (t->tgid != pid)
			task_reset(s, t, pid);
	}
	if (t->gen == s->gen)
		return 0;
	if (task_read_stat(s, t, &sl) < 0) {
		s->lost_now = true;
		return 0;
	}
	task_take_stat(t, &sl);
	if (t->cmd == NULL || t->cmd_young > 0 ||
	    t->cmd_age++ >= SAMPLER_CMD_EVERY - 1)
		task_read_cmdline(t);
	if (t->cmd_young > 0)
		t->cmd_young--;
	sampler_emit(s, t);
	sampler_read_children(s, t, pid);

	/* t moves when the table grows: use pids from here on. */
	sampler_process_threads(s, pid, sl.num_threads);
	return 0;
}

/* Orders this read's tasks by process, the process row first, then tid. */
static int
order_cmp(const void *va, const void *vb)
{
	const struct order *a = va, *b = vb;

	return a->key < b->key ? -1 : a->key > b->key;
}

/* The most %CPU a task can use: 100 for a thread, 100 per CPU for a process. */
static double
cpu_max(const struct sample *c)
{
	static long ncpu;

	if (ncpu <= 0)
		ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	if (c->tid != c->tgid || ncpu <= 0)
		return 100.0;
	return 100.0 * (double)ncpu;
}

/*
 * Sets the sample's %CPU from the task's last rated read: computed from
 * the ticks since then when that is rate_interval ago (`rating`), else
 * carried from it. A new task starts at 0.
 */
static void
sampler_rate(struct sampler *s, struct task *t, struct sample *c,
    bool rating, double elapsed)
{
	c->cpu = 0.0;
	if (!t->rated || c->ticks < t->rate_ticks) {
		t->rated = true;
		t->rate_ticks = c->ticks;
		t->cpu = 0.0;
	} else if (!rating)
		c->cpu = t->cpu;
	else {
		if (elapsed > 0) {
			c->cpu = (double)(c->ticks - t->rate_ticks) /
			    s->hertz / elapsed * 100.0;
			/*
			 * Ticks come in whole 1/Hz steps, so a short interval
			 * can overshoot: a thread uses at most one CPU, a
			 * process all.
			 */
			if (c->cpu > cpu_max(c))
				c->cpu = cpu_max(c);
		}
		t->rate_ticks = c->ticks;
		t->cpu = c->cpu;
	}
	c->rate_ticks = t->rate_ticks;
}

/* Fills the sample of one task from what the table holds. */
static void
sampler_fill(struct sampler *s, struct task *t, const char *cmd,
    struct sample *sm)
{
	sm->tid = t->tid;
	sm->tgid = t->tgid;
	sm->ppid = t->ppid;
	sm->state = t->state;
	sm->ticks = t->ticks;
	sm->rss_kib = t->rss_pages * s->page_kib;
	sm->processor = t->processor;
	sm->start_time = t->start;
	sanitize_text(t->comm, strnlen(t->comm, sizeof t->comm), sm->name,
	    sizeof sm->name, 0);
	if (cmd != NULL)
		memcpy(sm->cmdline, cmd, strlen(cmd) + 1);
	else
		sm->cmdline[0] = '\0';
	memcpy(sm->wchan, t->wchan, sizeof sm->wchan);
}

/*
 * Writes this read's samples in order, with %CPU and wait channels. Threads
 * share their process's command line.
 */
static void
sampler_output(struct sampler *s, double now)
{
	double elapsed = now - s->rate_time;
	bool rating = !s->have_prev || elapsed >= s->rate_interval;
	bool small_tree = s->ncur <= SAMPLER_WCHAN_ALL;
	const struct task *proc = NULL;
	size_t i;

	if (s->ncur > 1)
		qsort(s->order, s->ncur, sizeof *s->order, order_cmp);
	if (s->ncur > s->capcur) {
		free(s->cur);
		s->capcur = s->caporder;
		s->cur = xcalloc(s->capcur, sizeof *s->cur);
	}
	for (i = 0; i < s->ncur; i++) {
		struct task *t = &s->tasks[s->order[i].task];

		if (t->tid == t->tgid)
			proc = t;
		else if (proc == NULL || proc->tid != t->tgid)
			proc = task_lookup(s, t->tgid);
		task_read_wchan(s, t, small_tree);
		sampler_fill(s, t, proc != NULL ? proc->cmd : NULL, &s->cur[i]);
		sampler_rate(s, t, &s->cur[i], rating, elapsed);
	}
	if (rating)
		s->rate_time = now;
}

void
sampler_set_rate_interval(struct sampler *s, double seconds)
{
	s->rate_interval = seconds > 0 ? seconds : 0;
}

struct sampler *
sampler_new(const char **cause)
{
	struct sampler *s;
	struct rlimit rl;
	long page;

	s = xcalloc(1, sizeof *s);
	if (procps_pids_new(&s->info, sampler_items, ITEM_COUNT) < 0) {
		*cause = "libproc2 cannot read /proc";
		free(s);
		return NULL;
	}
	s->hertz = sysconf(_SC_CLK_TCK);
	page = sysconf(_SC_PAGESIZE);
	if (s->hertz <= 0 || page <= 0) {
		*cause = "cannot learn the clock tick or the page size";
		procps_pids_unref(&s->info);
		free(s);
		return NULL;
	}
	s->page_kib = (unsigned long)page / 1024;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0)
		s->fds_budget = sampler_fd_budget(rl.rlim_cur);
	s->bufcap = 4096;
	s->buf = xmalloc(s->bufcap);
	s->dentscap = 32768;
	s->dents = xmalloc(s->dentscap);
	s->loadavg_fd = -1;
	s->last_pid = -1;
	return s;
}

/*
 * One walk down the tree from root (and the adopter's children): finds
 * and reads every task. Returns -1 only when libproc2 fails.
 */
static int
sampler_walk(struct sampler *s, pid_t root, pid_t adopter)
{
	struct pidlist swap;
	size_t i;

	if (++s->gen == 0) {
		/* Wrapped: no task may look found by this read already. */
		for (i = 0; i < s->ntasks; i++)
			s->tasks[i].gen = 0;
		s->gen = 1;
	}
	s->ncur = s->found = 0;
	s->lost_now = false;
	pidset_clear(&s->seen);
	s->level.n = s->next.n = 0;
	if (adopter > 0 && adopter != root) {
		/* ptmon is no task of the tree, whoever lists it. */
		pidset_add(&s->seen, adopter);
		sampler_read_adopted(s, adopter);
	}
	sampler_found(s, root);

	while (s->next.n > 0) {
		swap = s->level;
		s->level = s->next;
		s->next = swap;
		s->next.n = 0;
		for (i = 0; i < s->level.n; i++)
			if (sampler_read_process(s, s->level.v[i]) < 0)
				return -1;
	}
	return 0;
}

int
sampler_read(struct sampler *s, pid_t root, pid_t adopter,
    const struct sample **out, size_t *n)
{
	double now = clock_seconds();
	int rc;

	/* Before any children file: a fork from now on is seen next time. */
	s->kids_known = sampler_kids_known(s);
	rc = sampler_walk(s, root, adopter);
	if (rc == 0 && s->kids_known && s->lost_now) {
		/*
		 * A task ended since the last read: its children have a new
		 * parent, maybe one already read. Walk again, every file read.
		 */
		s->kids_known = false;
		rc = sampler_walk(s, root, adopter);
	}
	if (rc < 0) {
		s->ncur = 0;
		s->have_prev = false;
		s->lost_task = true;
		return -1;
	}

	sampler_output(s, now);
	sampler_sweep(s);
	s->have_prev = true;

	*out = s->cur;
	*n = s->ncur;
	return 0;
}

void
sampler_free(struct sampler *s)
{
	size_t i;

	if (s == NULL)
		return;
	procps_pids_unref(&s->info);
	for (i = 0; i < s->ntasks; i++)
		task_reset(s, &s->tasks[i], 0);
	free(s->tasks);
	free(s->index);
	free(s->seen.slots);
	free(s->level.v);
	free(s->next.v);
	free(s->threads.v);
	free(s->buf);
	free(s->dents);
	if (s->loadavg_fd >= 0)
		close(s->loadavg_fd);
	free(s->order);
	free(s->cur);
	free(s);
}
