/*
 * The sampler: the watched subtree's processes and threads, read afresh on
 * every refresh, with %CPU from the tick delta since the previous read.
 *
 * Discovery does not scan /proc. It goes down the tree a level at a time:
 * libproc2 reads the level's processes and all their threads
 * (procps_pids_select with PIDS_SELECT_PID_THREADS, at most 255 pids a
 * call), then each thread's /proc/PID/task/TID/children names the next
 * level (a child belongs to the thread that forked it, so every thread is
 * asked). The work follows the subtree, not the host: per process one
 * status read (libproc2 finds the real tgid there), one task directory and
 * one cmdline; per thread, in libproc2, one stat() and one read each of
 * stat and statm (4.0.2 ORs PIDS_SELECT_PID_THREADS, 0x10001, into its
 * readproc flags, where 0x1 is PROC_FILLMEM: statm is read though no item
 * asks for it) and one open and read of wchan (PIDS_WCHAN_NAME reads
 * /proc/TID/wchan), and here one pread of the thread's children file, which
 * stays open between reads (up to half of RLIMIT_NOFILE, keyed by tid and
 * start time, so a reused tid gets a fresh file). libproc2 opens its files
 * on every read; reaching the kept-fd floor for stat too would mean reading
 * it here, a change that stays inside this file.
 *
 * The row whose tid is the tgid stands for the process: libproc2 reads it
 * from /proc/PID/stat, so its ticks and %CPU are those of the whole thread
 * group, as in top -H and htop; the other rows are single threads. When a
 * thread ends while libproc2 walks its process, libproc2 (readeither)
 * skips that process's remaining threads: they are missing for one read.
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
#include "sanitize.h"
#include "xalloc.h"

/* procps_pids_select takes at most this many pids a call (FILL_ID_MAX). */
#define SAMPLER_SELECT_MAX	255
/* Bytes of a children file we accept; far beyond any real fan-out. */
#define SAMPLER_CHILDREN_MAX	(1024 * 1024)
/* Children files kept open: at most this, and half of RLIMIT_NOFILE. */
#define SAMPLER_KEPT_MAX	16384
/* Raw cmdline bytes read: enough to fill cmdline, whole characters. */
#define SAMPLER_CMD_RAW		(SAMPLE_CMD_LEN + 4)

static enum pids_item sampler_items[] = {
	PIDS_ID_TID,
	PIDS_ID_TGID,
	PIDS_ID_PPID,
	PIDS_STATE,
	PIDS_TICS_ALL,
	PIDS_RSS,
	PIDS_PROCESSOR,
	PIDS_TICS_BEGAN,
	PIDS_CMD,
	PIDS_WCHAN_NAME,
};
enum {
	ITEM_TID,
	ITEM_TGID,
	ITEM_PPID,
	ITEM_STATE,
	ITEM_TICS,
	ITEM_RSS,
	ITEM_PROCESSOR,
	ITEM_BEGAN,
	ITEM_CMD,
	ITEM_WCHAN,
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

/* A task's children file, kept open between reads. */
struct kept {
	pid_t			 tid;		/* 0: empty slot */
	int			 fd;
	unsigned long long	 start;		/* start time: tells reuse */
	uint32_t		 gen;		/* last read that used it */
};

struct keptset {
	struct kept		*slots;
	size_t			 cap;		/* power of two */
	size_t			 used;
	size_t			 touched;	/* used by this read */
	size_t			 budget;	/* most fds kept open */
};

struct sampler {
	struct pids_info	*info;
	long			 hertz;
	unsigned long		 page_kib;

	struct pidset		 seen;		/* tgids found this read */
	struct pidlist		 level;		/* processes to read now */
	struct pidlist		 next;		/* their children */
	struct keptset		 kept;		/* open children files */
	uint32_t		 gen;		/* counts reads */

	char			*buf;		/* for children files */
	size_t			 bufcap;

	pid_t			 cmd_tgid;	/* whose cmdline is in cmd */
	char			 cmd[SAMPLE_CMD_LEN];

	/* This read's samples and the previous read's, sorted. */
	struct sample		*cur;
	size_t			 ncur;
	size_t			 capcur;
	struct sample		*prev;
	size_t			 nprev;
	size_t			 capprev;
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

/* Queues pid for the next level unless this read has seen it already. */
static void
sampler_found(struct sampler *s, pid_t pid)
{
	if (pid > 0 && pidset_add(&s->seen, pid))
		pidlist_push(&s->next, pid);
}

/* Empties the table of kept fds, closing them. */
static void
keptset_close_all(struct keptset *k)
{
	size_t i;

	for (i = 0; i < k->cap; i++) {
		if (k->slots[i].tid != 0)
			close(k->slots[i].fd);
	}
	free(k->slots);
	k->slots = NULL;
	k->cap = k->used = k->touched = 0;
}

/* Slot index where tid is, or where it would go. */
static size_t
keptset_find(const struct keptset *k, pid_t tid)
{
	size_t mask = k->cap - 1;
	size_t i = ((uint32_t)tid * 2654435761u) & mask;

	while (k->slots[i].tid != 0 && k->slots[i].tid != tid)
		i = (i + 1) & mask;
	return i;
}

/*
 * Moves the entries into a table of `cap` slots; with `gen` nonzero, closes
 * and drops those the read of that generation did not use.
 */
static void
keptset_rebuild(struct keptset *k, size_t cap, uint32_t gen)
{
	struct kept *old = k->slots;
	size_t oldcap = k->cap, i;

	k->slots = xcalloc(cap, sizeof *k->slots);
	k->cap = cap;
	k->used = 0;
	for (i = 0; i < oldcap; i++) {
		if (old[i].tid == 0)
			continue;
		if (gen != 0 && old[i].gen != gen) {
			close(old[i].fd);
			continue;
		}
		k->slots[keptset_find(k, old[i].tid)] = old[i];
		k->used++;
	}
	free(old);
}

/*
 * The fd of the task's children file, kept open from an earlier read when
 * it is the same task (same start time), else opened now and kept while
 * the budget allows. *kept says whether the caller must leave it open.
 */
static int
sampler_children_fd(struct sampler *s, pid_t pid, pid_t tid,
    unsigned long long start, bool *kept)
{
	struct keptset *k = &s->kept;
	struct kept *e = NULL;
	char path[64];
	int fd;

	*kept = false;
	if (k->cap != 0) {
		e = &k->slots[keptset_find(k, tid)];
		if (e->tid == tid && e->start == start) {
			if (e->gen != s->gen) {
				e->gen = s->gen;
				k->touched++;
			}
			*kept = true;
			return e->fd;
		}
	}

	snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)pid,
	    (int)tid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (e != NULL && e->tid == tid) {
		/* The tid now names another task: replace the old fd. */
		close(e->fd);
	} else {
		if (k->used >= k->budget)
			return fd;
		if ((k->used + 1) * 2 > k->cap)
			keptset_rebuild(k, k->cap != 0 ? k->cap * 2 : 256, 0);
		e = &k->slots[keptset_find(k, tid)];
		k->used++;
	}
	e->tid = tid;
	e->fd = fd;
	e->start = start;
	e->gen = s->gen;
	k->touched++;
	*kept = true;
	return fd;
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
 * Reads /proc/PID/task/TID/children and queues each child. The file is
 * read to its end; a task gone meanwhile simply has no children. With
 * start nonzero the file may stay open for the next read.
 */
static void
sampler_read_children(struct sampler *s, pid_t pid, pid_t tid,
    unsigned long long start)
{
	char path[64], *p, *end;
	bool kept = false;
	size_t len;
	int fd;

	if (start != 0 && s->kept.budget != 0)
		fd = sampler_children_fd(s, pid, tid, start, &kept);
	else {
		snprintf(path, sizeof path, "/proc/%d/task/%d/children",
		    (int)pid, (int)tid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0)
		return;
	len = sampler_slurp(s, fd);
	if (!kept)
		close(fd);

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
		if (errno == 0 && child > 0 && child <= INT32_MAX)
			sampler_found(s, (pid_t)child);
	}
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
			sampler_read_children(s, adopter, (pid_t)tid, 0);
	}
	closedir(dir);
}

/*
 * Fills s->cmd with the process's arguments joined by spaces, sanitised;
 * empty for kernel threads, zombies and processes gone meanwhile. Only the
 * first SAMPLER_CMD_RAW bytes are read: that is all that fits.
 */
static void
sampler_read_cmdline(struct sampler *s, pid_t tgid)
{
	char path[32], raw[SAMPLER_CMD_RAW];
	size_t len = 0, i;
	ssize_t got;
	int fd;

	s->cmd_tgid = tgid;
	s->cmd[0] = '\0';
	snprintf(path, sizeof path, "/proc/%d/cmdline", (int)tgid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	while (len < sizeof raw) {
		got = read(fd, raw + len, sizeof raw - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		len += got;
	}
	close(fd);

	while (len > 0 && raw[len - 1] == '\0')
		len--;
	for (i = 0; i < len; i++) {
		if (raw[i] == '\0')
			raw[i] = ' ';
	}
	sanitize_text(raw, len, s->cmd, sizeof s->cmd, 0);
}

/*
 * Copies the wait channel libproc2 read from /proc/TID/wchan into sm. It
 * says "-" for the kernel's "0" (no channel, or none we may see) and "?"
 * when the file could not be read: both leave the field empty, as does a
 * running task, whose channel is stale by the time it is shown.
 */
static void
sampler_take_wchan(struct sample *sm, const char *wchan)
{
	sm->wchan[0] = '\0';
	if (wchan == NULL || sm->state == 'R' || strcmp(wchan, "-") == 0 ||
	    strcmp(wchan, "?") == 0 || strcmp(wchan, "0") == 0)
		return;
	sanitize_text(wchan, strnlen(wchan, SAMPLE_WCHAN_LEN - 1),
	    sm->wchan, sizeof sm->wchan, 0);
}

/* Room for one more sample in s->cur. */
static struct sample *
sampler_push(struct sampler *s)
{
	if (s->ncur == s->capcur) {
		s->capcur = s->capcur != 0 ? s->capcur * 2 : 64;
		s->cur = xrealloc(s->cur, s->capcur * sizeof *s->cur);
	}
	return &s->cur[s->ncur++];
}

/*
 * Copies one libproc2 stack into a sample; threads share the cmdline.
 * libproc2 has already passed comm through its escape_str(), which turns
 * control bytes into '?' and, unless the locale is UTF-8 when it is first
 * called, every non-ASCII byte too; our sanitiser runs after it regardless.
 */
static void
sampler_take(struct sampler *s, struct pids_stack *st)
{
	struct sample *sm;
	const char *name;

	sm = sampler_push(s);
	memset(sm, 0, sizeof *sm);
	sm->tid = PIDS_VAL(ITEM_TID, s_int, st, s->info);
	sm->tgid = PIDS_VAL(ITEM_TGID, s_int, st, s->info);
	sm->ppid = PIDS_VAL(ITEM_PPID, s_int, st, s->info);
	sm->state = PIDS_VAL(ITEM_STATE, s_ch, st, s->info);
	sm->ticks = PIDS_VAL(ITEM_TICS, ull_int, st, s->info);
	sm->rss_kib = PIDS_VAL(ITEM_RSS, ul_int, st, s->info) * s->page_kib;
	sm->processor = PIDS_VAL(ITEM_PROCESSOR, s_int, st, s->info);
	sm->start_time = PIDS_VAL(ITEM_BEGAN, ull_int, st, s->info);
	name = PIDS_VAL(ITEM_CMD, str, st, s->info);
	if (name != NULL)
		sanitize_text(name, strnlen(name, SAMPLE_NAME_LEN),
		    sm->name, sizeof sm->name, 0);
	sampler_take_wchan(sm, PIDS_VAL(ITEM_WCHAN, str, st, s->info));

	if (s->cmd_tgid != sm->tgid)
		sampler_read_cmdline(s, sm->tgid);
	memcpy(sm->cmdline, s->cmd, sizeof sm->cmdline);
}

/*
 * Reads the processes of s->level with their threads, and queues their
 * children in s->next. Returns -1 when libproc2 fails.
 */
static int
sampler_read_level(struct sampler *s)
{
	unsigned ids[SAMPLER_SELECT_MAX];
	struct pids_fetch *fetch;
	size_t done, k, i;

	for (done = 0; done < s->level.n; done += k) {
		k = s->level.n - done;
		if (k > SAMPLER_SELECT_MAX)
			k = SAMPLER_SELECT_MAX;
		for (i = 0; i < k; i++)
			ids[i] = (unsigned)s->level.v[done + i];
		/* The stacks live until the next select: use them now. */
		fetch = procps_pids_select(s->info, ids, (int)k,
		    PIDS_SELECT_PID_THREADS);
		if (fetch == NULL)
			return -1;
		for (i = 0; fetch->stacks[i] != NULL; i++) {
			struct pids_stack *st = fetch->stacks[i];

			sampler_take(s, st);
			sampler_read_children(s,
			    PIDS_VAL(ITEM_TGID, s_int, st, s->info),
			    PIDS_VAL(ITEM_TID, s_int, st, s->info),
			    PIDS_VAL(ITEM_BEGAN, ull_int, st, s->info));
		}
	}
	return 0;
}

/* Orders samples by process, the process row first, then by tid. */
static int
sampler_cmp(const void *va, const void *vb)
{
	const struct sample *a = va, *b = vb;
	int at = a->tid != a->tgid, bt = b->tid != b->tgid;

	if (a->tgid != b->tgid)
		return a->tgid < b->tgid ? -1 : 1;
	if (at != bt)
		return at - bt;
	if (a->tid != b->tid)
		return a->tid < b->tid ? -1 : 1;
	return 0;
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
 * Sets each sample's %CPU from the previous read of the same task: computed
 * from the ticks since the last rated read when that is rate_interval ago,
 * else carried from the previous read.
 */
static void
sampler_rate(struct sampler *s, double now)
{
	double elapsed = now - s->rate_time;
	bool rating = !s->have_prev || elapsed >= s->rate_interval;
	size_t i;

	for (i = 0; i < s->ncur; i++) {
		struct sample *c = &s->cur[i];
		const struct sample *p = NULL;

		c->cpu = 0.0;
		c->rate_ticks = c->ticks;
		if (s->have_prev && s->nprev > 0 && s->hertz > 0)
			p = bsearch(c, s->prev, s->nprev, sizeof *s->prev,
			    sampler_cmp);
		/* Same tid but another start time: a new task. */
		if (p == NULL || p->start_time != c->start_time ||
		    c->ticks < p->rate_ticks)
			continue;
		if (!rating) {
			c->cpu = p->cpu;
			c->rate_ticks = p->rate_ticks;
			continue;
		}
		if (!(elapsed > 0))
			continue;
		c->cpu = (double)(c->ticks - p->rate_ticks) / s->hertz /
		    elapsed * 100.0;
		/*
		 * Ticks come in whole 1/Hz steps, so a short interval can
		 * overshoot: a thread uses at most one CPU, a process all.
		 */
		if (c->cpu > cpu_max(c))
			c->cpu = cpu_max(c);
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
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		if (rl.rlim_cur == RLIM_INFINITY ||
		    rl.rlim_cur / 2 > SAMPLER_KEPT_MAX)
			s->kept.budget = SAMPLER_KEPT_MAX;
		else
			s->kept.budget = rl.rlim_cur / 2;
	}
	s->bufcap = 4096;
	s->buf = xmalloc(s->bufcap);
	return s;
}

int
sampler_read(struct sampler *s, pid_t root, pid_t adopter,
    const struct sample **out, size_t *n)
{
	struct sample *tmp;
	struct pidlist swap;
	double now;
	size_t i, j;

	now = clock_seconds();

	/* This read becomes the previous one for the CPU deltas. */
	tmp = s->prev;
	s->prev = s->cur;
	s->cur = tmp;
	s->nprev = s->ncur;
	s->ncur = 0;
	i = s->capprev;
	s->capprev = s->capcur;
	s->capcur = i;

	s->cmd_tgid = 0;
	if (++s->gen == 0)
		s->gen = 1;
	s->kept.touched = 0;
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
		if (sampler_read_level(s) < 0) {
			s->ncur = 0;
			s->have_prev = false;
			return -1;
		}
	}

	/* Close the children files of tasks that are gone. */
	if (s->kept.touched < s->kept.used)
		keptset_rebuild(&s->kept, s->kept.cap, s->gen);

	if (s->ncur > 1)
		qsort(s->cur, s->ncur, sizeof *s->cur, sampler_cmp);
	/* A task met twice (re-parented while we read) is kept once. */
	for (i = j = 0; i < s->ncur; i++) {
		if (j > 0 && sampler_cmp(&s->cur[j - 1], &s->cur[i]) == 0)
			continue;
		if (j != i)
			s->cur[j] = s->cur[i];
		j++;
	}
	s->ncur = j;

	sampler_rate(s, now);
	s->have_prev = true;

	*out = s->cur;
	*n = s->ncur;
	return 0;
}

void
sampler_free(struct sampler *s)
{
	if (s == NULL)
		return;
	procps_pids_unref(&s->info);
	keptset_close_all(&s->kept);
	free(s->seen.slots);
	free(s->level.v);
	free(s->next.v);
	free(s->buf);
	free(s->cur);
	free(s->prev);
	free(s);
}
