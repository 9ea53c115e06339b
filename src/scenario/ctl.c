/*
 * The control block: gates, gate-aware sleep, the shared queue and the
 * balance mutex. Everything here works across fork() and threads because it
 * lives in one MAP_SHARED mapping and blocks on shared (not private) futexes.
 */
#include "config.h"

#include "ctl.h"
#include "ctl_layout.h"

#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/futex.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"

static void	ring(struct ctl *);

static const char *const checkpoint_labels[] = {
#define CHECKPOINT_LABEL(id, label) label,
	CHECKPOINTS(CHECKPOINT_LABEL)
#undef CHECKPOINT_LABEL
};

const char *
checkpoint_label(unsigned id)
{
	return id < CP_COUNT ? checkpoint_labels[id] : "?";
}

/* Waits while *word == expected, at most `timeout` if not NULL. */
static int
futex_wait(_Atomic uint32_t *word, uint32_t expected,
    const struct timespec *timeout)
{
	return syscall(SYS_futex, word, FUTEX_WAIT, expected, timeout, NULL, 0);
}

/* Wakes every waiter on the word. */
static void
futex_wake_all(_Atomic uint32_t *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

/*
 * Sets the gated word; when it changes, wakes whoever waits for it (a
 * traced Python's watcher turns its trace function on and off by it).
 */
static void
set_gated(struct ctl *ctl, uint32_t v)
{
	if (atomic_load(&ctl->gated) == v)
		return;
	if (atomic_exchange(&ctl->gated, v) != v)
		futex_wake_all(&ctl->gated);
}


static struct timespec
seconds_to_timespec(double s)
{
	struct timespec ts;

	if (s < 0)
		s = 0;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	if (ts.tv_nsec >= 1000000000L)
		ts.tv_nsec = 999999999L;
	return ts;
}

/* Fills a fresh (zeroed) block: every gate open, the queue empty. */
static struct ctl *
ctl_init(struct ctl *ctl, double speed, uint64_t seed)
{
	ctl->magic = CTL_MAGIC;
	ctl->version = CTL_VERSION;
	ctl->size = sizeof *ctl;
	ctl_set_speed(ctl, speed > 0 ? speed : 1.0);
	ctl->seed = seed;
	ctl_queue_name(ctl, 0, "queue");
	return ctl;
}

struct ctl *
ctl_new(double speed, uint64_t seed)
{
	struct ctl *ctl;

	ctl = mmap(NULL, sizeof *ctl, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (ctl == MAP_FAILED)
		return NULL;
	return ctl_init(ctl, speed, seed);
}

size_t
ctl_size(void)
{
	return sizeof(struct ctl);
}

struct ctl *
ctl_new_shared(double speed, uint64_t seed, int *fd)
{
	struct ctl *ctl;
	int saved;

	*fd = memfd_create("ptmon-ctl", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (*fd < 0)
		return NULL;
	/*
	 * Sealed at its size: the program it is handed to cannot truncate
	 * it under ptmon's mapping (a SIGBUS in ptmon) nor grow it.
	 */
	if (ftruncate(*fd, sizeof *ctl) < 0 ||
	    fcntl(*fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW |
	    F_SEAL_SEAL) < 0)
		goto fail;
	ctl = mmap(NULL, sizeof *ctl, PROT_READ | PROT_WRITE, MAP_SHARED,
	    *fd, 0);
	if (ctl == MAP_FAILED)
		goto fail;
	return ctl_init(ctl, speed, seed);
fail:
	saved = errno;
	close(*fd);
	*fd = -1;
	errno = saved;
	return NULL;
}

struct ctl *
ctl_attach(int fd, size_t size, const char **why)
{
	struct stat st;
	struct ctl *ctl;

	if (fstat(fd, &st) < 0) {
		*why = "its descriptor is not open";
		return NULL;
	}
	if (size != sizeof *ctl || st.st_size != (off_t)sizeof *ctl) {
		*why = "its size is not this tracer's (a ptmon of another "
		    "version?)";
		return NULL;
	}
	ctl = mmap(NULL, sizeof *ctl, PROT_READ | PROT_WRITE, MAP_SHARED,
	    fd, 0);
	if (ctl == MAP_FAILED) {
		*why = "it cannot be mapped";
		return NULL;
	}
	if (ctl->magic != CTL_MAGIC || ctl->version != CTL_VERSION ||
	    ctl->size != sizeof *ctl) {
		munmap(ctl, sizeof *ctl);
		*why = "it is not a ptmon control block of this version";
		return NULL;
	}
	return ctl;
}

double
ctl_speed(const struct ctl *ctl)
{
	uint64_t bits = atomic_load(&ctl->speed_bits);
	double speed;

	memcpy(&speed, &bits, sizeof speed);
	return speed;
}

void
ctl_set_speed(struct ctl *ctl, double speed)
{
	uint64_t bits;

	memcpy(&bits, &speed, sizeof bits);
	atomic_store(&ctl->speed_bits, bits);
}

uint64_t
ctl_seed(const struct ctl *ctl)
{
	return ctl->seed;
}

double
ctl_pace(const struct ctl *ctl)
{
	uint64_t bits = atomic_load_explicit(&ctl->pace_bits,
	    memory_order_relaxed);
	double pace;

	memcpy(&pace, &bits, sizeof pace);
	return pace;
}

bool
ctl_pausing_new(const struct ctl *ctl)
{
	return atomic_load(&ctl->pause_new) != CTL_PAUSE_NONE;
}

void
ctl_balance_read(const struct ctl *ctl, struct ctl_balance_view *out)
{
	const struct ctl_balance *b = &ctl->balance;

	out->value = atomic_load(&b->value);
	out->expected = atomic_load(&b->expected);
	out->owner = (pid_t)atomic_load(&b->owner);
	out->waiters = atomic_load(&b->waiters);
	out->lost = atomic_load(&b->lost);
}

bool
ctl_task(const struct ctl *ctl, int slot, struct ctl_task_view *out)
{
	const struct ctl_slot *s;
	int i;

	if (slot < 0 || slot >= CTL_MAX_TASKS)
		return false;
	s = &ctl->slots[slot];
	if (!atomic_load(&s->used))
		return false;
	out->slot = slot;
	out->pid = atomic_load(&s->pid);
	out->tid = atomic_load(&s->tid);
	out->ppid = atomic_load(&s->ppid);
	memcpy(out->role, s->role, sizeof out->role);
	out->role[sizeof out->role - 1] = '\0';
	/* A traced program writes these: nothing out of range gets out. */
	out->doing = atomic_load(&s->doing);
	if (out->doing > CTL_DONE)
		out->doing = CTL_RUNNING;
	out->at = atomic_load(&s->at);
	if (out->at >= CP_COUNT)
		out->at = CP_NONE;
	out->paused = atomic_load(&s->paused) != 0;
	out->stepping = out->paused && atomic_load(&s->credits) > 0;
	out->local = atomic_load(&s->local);
	out->arg = atomic_load(&s->arg);
	out->iterations = atomic_load(&s->iterations);
	for (i = 0; i < CTL_TEXT_LEN; i++)
		out->text[i] = atomic_load_explicit(&s->text[i],
		    memory_order_relaxed);
	out->text[CTL_TEXT_LEN - 1] = '\0';
	for (i = 0; i < CTL_WHERE_LEN; i++)
		out->where[i] = atomic_load_explicit(&s->where[i],
		    memory_order_relaxed);
	out->where[CTL_WHERE_LEN - 1] = '\0';
	return true;
}

static void	store_text(_Atomic char *, size_t, const char *);

void
ctl_set_text(struct ctl *ctl, int slot, const char *text)
{
	if (slot < 0 || slot >= CTL_MAX_TASKS)
		return;
	store_text(ctl->slots[slot].text, CTL_TEXT_LEN, text);
	ring(ctl);
}

/* Stores text (cut to fit n bytes, NUL-padded) byte by byte. */
static void
store_text(_Atomic char *dst, size_t n, const char *text)
{
	size_t i, len = strlen(text);

	if (len > n - 1)
		len = n - 1;
	for (i = 0; i < n; i++)
		atomic_store_explicit(&dst[i], i < len ? text[i] : '\0',
		    memory_order_relaxed);
}

void
ctl_set_where(struct ctl *ctl, int slot, const char *where)
{
	if (slot < 0 || slot >= CTL_MAX_TASKS)
		return;
	store_text(ctl->slots[slot].where, CTL_WHERE_LEN, where);
}

void
ctl_set_role(struct ctl *ctl, int slot, const char *role)
{
	struct ctl_slot *s;

	if (slot < 0 || slot >= CTL_MAX_TASKS)
		return;
	s = &ctl->slots[slot];
	/* Read by the monitor without a lock: a torn name lasts a refresh. */
	memset(s->role, 0, sizeof s->role);
	strncpy(s->role, role, sizeof s->role - 1);
	ring(ctl);
}

bool
ctl_task_next(const struct ctl *ctl, int *cursor, struct ctl_task_view *out)
{
	/* Slots past the highest ever taken are all free. */
	uint32_t ever = atomic_load(&ctl->ntasks);

	while (*cursor >= 0 && (uint32_t)*cursor < ever &&
	    *cursor < CTL_MAX_TASKS)
		if (ctl_task(ctl, (*cursor)++, out))
			return true;
	return false;
}

uint64_t
ctl_checkpoints_passed(const struct ctl *ctl, int slot)
{
	if (slot < 0 || slot >= CTL_MAX_TASKS)
		return 0;
	return atomic_load(&ctl->slots[slot].passed);
}

void
ctl_free(struct ctl *ctl)
{
	if (ctl != NULL)
		munmap(ctl, sizeof *ctl);
}

/* Rings the monitor's doorbell, if it listens. */
static void
ring(struct ctl *ctl)
{
	atomic_fetch_add(&ctl->doorbell, 1);
	if (atomic_load(&ctl->doorbell_waiters))
		futex_wake_all(&ctl->doorbell);
}

/* True when a task taking slot i with that role must start paused. */
static bool
starts_paused(struct ctl *ctl, int i, const char *role)
{
	int k;

	switch (atomic_load(&ctl->pause_new)) {
	case CTL_PAUSE_ALL:
		return true;
	case CTL_PAUSE_ALL_BUT_ROOT:
		return i != 0;	/* the root always takes the first slot */
	case CTL_PAUSE_NAMED:
		for (k = 0; k < CTL_NAMES_MAX; k++)
			if (strcmp(ctl->pause_names[k], role) == 0)
				return true;
		return false;
	}
	return false;
}

/*
 * Frees the slots of tasks that are done, for a program (a traced Python)
 * that starts more threads over its life than there are slots. Returns
 * how many it freed.
 */
static int
reclaim_done(struct ctl *ctl)
{
	int i, n = 0;

	for (i = 0; i < CTL_MAX_TASKS; i++) {
		struct ctl_slot *s = &ctl->slots[i];
		uint32_t used = 1;

		if (atomic_load(&s->doing) == CTL_DONE &&
		    atomic_compare_exchange_strong(&s->used, &used, 2)) {
			atomic_store(&s->paused, 0);
			atomic_store(&s->used, 0);
			n++;
		}
	}
	return n;
}

static void	py_slot_reset(struct ctl *, int);

int
ctl_slot_take(struct ctl *ctl, const char *role)
{
	int i, k;
	bool reclaimed = false;

	for (i = 0; i < CTL_MAX_TASKS; i++) {
		struct ctl_slot *s = &ctl->slots[i];
		uint32_t free_slot = 0;

		if (!atomic_compare_exchange_strong(&s->used, &free_slot, 1)) {
			if (i == CTL_MAX_TASKS - 1 && !reclaimed &&
			    reclaim_done(ctl) > 0) {
				reclaimed = true;
				i = -1;		/* look again from the first */
			}
			continue;
		}
		atomic_store(&s->pid, getpid());
		atomic_store(&s->tid, (int32_t)syscall(SYS_gettid));
		atomic_store(&s->ppid, getppid());
		memset(s->role, 0, sizeof s->role);
		strncpy(s->role, role, sizeof s->role - 1);
		atomic_store(&s->doing, CTL_RUNNING);
		atomic_store(&s->at, CP_BEGIN);
		atomic_store(&s->local, 0);
		atomic_store(&s->passed, 0);
		atomic_store(&s->iterations, 0);
		atomic_store(&s->credits, 0);
		atomic_store(&s->arg, 0);
		atomic_store(&s->looping, 0);
		for (k = 0; k < CTL_TEXT_LEN; k++)
			atomic_store(&s->text[k], '\0');
		for (k = 0; k < CTL_WHERE_LEN; k++)
			atomic_store(&s->where[k], '\0');
		py_slot_reset(ctl, i);
		if (starts_paused(ctl, i, s->role)) {
			atomic_store(&s->paused, 1);
			set_gated(ctl, 1);
		} else
			atomic_store(&s->paused, 0);
		atomic_fetch_add(&s->seq, 1);
		if ((uint32_t)i + 1 > atomic_load(&ctl->ntasks))
			atomic_store(&ctl->ntasks, (uint32_t)i + 1);
		ring(ctl);	/* a task appears: worth a frame */
		return i;
	}
	return -1;
}

void
ctl_slot_done(struct ctl *ctl, int slot)
{
	if (slot < 0 || slot >= CTL_MAX_TASKS)
		return;
	ctl_loop_end(ctl, slot);
	atomic_store(&ctl->slots[slot].at, CP_END);
	atomic_store(&ctl->slots[slot].doing, CTL_DONE);
	ring(ctl);
}

void
ctl_slot_release(struct ctl *ctl, int slot)
{
	if (slot < 0 || slot >= CTL_MAX_TASKS)
		return;
	atomic_store(&ctl->slots[slot].paused, 0);
	atomic_store(&ctl->slots[slot].used, 0);
}

/*
 * Parks the task while its gate is shut. A step credit lets it through once:
 * it then runs to its next checkpoint and parks again. The futex word is the
 * slot's seq, bumped by every pause/resume/step, so a wake-up is never lost
 * between the check and the wait.
 */
void
ctl_gate_wait(struct ctl *ctl, int slot, enum checkpoint at)
{
	struct ctl_slot *s = &ctl->slots[slot];
	uint32_t doing = atomic_load(&s->doing);
	bool parked = false;

	atomic_store(&s->at, at);
	atomic_fetch_add(&s->passed, 1);

	for (;;) {
		uint32_t seq = atomic_load(&s->seq);
		uint32_t credits;

		if (!atomic_load(&s->paused))
			break;
		credits = atomic_load(&s->credits);
		if (credits > 0 && atomic_compare_exchange_strong(&s->credits,
		    &credits, credits - 1))
			break;
		if (credits > 0)
			continue;
		if (!parked) {
			atomic_store(&s->doing, CTL_PAUSED);
			parked = true;
			ring(ctl);
		}
		futex_wait(&s->seq, seq, NULL);
	}
	if (parked)
		atomic_store(&s->doing, doing);
}

void
ctl_write_gate(struct ctl *ctl, int slot, enum checkpoint at, int64_t value,
    _Atomic int64_t *target)
{
	atomic_store(&ctl->slots[slot].local, value);
	ctl_gate_wait(ctl, slot, at);
	/* Someone wrote since we read: our write makes theirs lost. */
	if (atomic_load(target) != value)
		atomic_fetch_add(&ctl->balance.lost, 1);
}

void
ctl_beat(struct ctl *ctl, int slot, enum checkpoint at)
{
	struct ctl_slot *s = &ctl->slots[slot];
	double start = clock_seconds();

	atomic_store(&s->at, at);
	/* Being stepped: each step is the beat. */
	if (atomic_load(&s->paused))
		return;
	ring(ctl);
	for (;;) {
		uint32_t seq = atomic_load(&s->seq);
		double left = ctl_pace(ctl) - (clock_seconds() - start);
		struct timespec ts;

		if (atomic_load(&s->paused)) {
			/* Paused during the beat: park here, before the statement. */
			if (atomic_load(&s->credits) == 0)
				ctl_gate_wait(ctl, slot, at);
			return;
		}
		if (left <= 0)
			return;
		ts = seconds_to_timespec(left);
		futex_wait(&s->seq, seq, &ts);
	}
}

/*
 * Waits while *word == expected until the absolute CLOCK_MONOTONIC time
 * `until`: tasks waiting for the same instant wake together, whatever
 * each took to get there.
 */
static void
futex_wait_until(_Atomic uint32_t *word, uint32_t expected, double until)
{
	struct timespec ts = seconds_to_timespec(until);

	syscall(SYS_futex, word, FUTEX_WAIT_BITSET, expected, &ts, NULL,
	    FUTEX_BITSET_MATCH_ANY);
}

/* Counts the caller in at grid tick k; returns how many are in at k. */
static uint32_t
loop_arrive(struct ctl *ctl, uint32_t k)
{
	uint64_t old = atomic_load(&ctl->loop_arrivals), next;

	do {
		next = (old >> 32) == k ? old + 1 : ((uint64_t)k << 32 | 1);
	} while (!atomic_compare_exchange_weak(&ctl->loop_arrivals, &old,
	    next));
	return (uint32_t)next;
}

void
ctl_loop_beat(struct ctl *ctl, int slot, enum checkpoint at,
    uint64_t iterations)
{
	struct ctl_slot *s = &ctl->slots[slot];
	double grid = ctl_pace(ctl) / CTL_LOOP_TICKS_PER_BEAT, tick, until;
	uint32_t seq, k;
	uint64_t mine;

	atomic_store(&s->iterations, iterations);
	atomic_store(&s->at, at);
	if (!(grid > 0) || atomic_load(&s->paused))
		return;
	if (atomic_exchange(&s->looping, 1) == 0)
		atomic_fetch_add(&ctl->loopers, 1);
	ring(ctl);
	seq = atomic_load(&s->seq);
	/* Every looping task waits for the same tick of the shared grid… */
	k = (uint32_t)(long long)(clock_seconds() / grid) + 1;
	tick = grid * (double)k;
	futex_wait_until(&s->seq, seq, tick);
	/*
	 * …then, as wake-ups come up to milliseconds apart, spins until
	 * every looping task is there (or a little while has passed): the
	 * bursts start together, on different CPUs, and really race.
	 */
	if (loop_arrive(ctl, k) >= atomic_load(&ctl->loopers))
		return;
	mine = (uint64_t)k << 32;
	until = tick + CTL_LOOP_MEET;
	for (;;) {
		uint64_t now = atomic_load(&ctl->loop_arrivals);

		if ((now & ~0xffffffffULL) != mine ||
		    (uint32_t)now >= atomic_load(&ctl->loopers) ||
		    atomic_load(&s->paused) || clock_seconds() >= until)
			return;
	}
}

void
ctl_loop_end(struct ctl *ctl, int slot)
{
	if (slot >= 0 && slot < CTL_MAX_TASKS &&
	    atomic_exchange(&ctl->slots[slot].looping, 0) != 0)
		atomic_fetch_sub(&ctl->loopers, 1);
}

void
ctl_sleep(struct ctl *ctl, int slot, double seconds)
{
	struct ctl_slot *s = &ctl->slots[slot];
	double left = seconds / ctl_speed(ctl);

	ctl_note_at(ctl, slot, CP_SLEEP);
	atomic_store(&s->doing, CTL_SLEEPING);
	while (left > 0) {
		uint32_t seq = atomic_load(&s->seq);
		struct timespec ts;
		double start;

		if (atomic_load(&s->paused) && atomic_load(&s->credits) == 0) {
			/* Paused: the sleep clock stops until we may go on. */
			ctl_gate_wait(ctl, slot, CP_SLEEP);
			atomic_store(&s->doing, CTL_SLEEPING);
			continue;
		}
		ts = seconds_to_timespec(left);
		start = clock_seconds();
		/* Woken early by a gate change: count only the time slept. */
		futex_wait(&s->seq, seq, &ts);
		left -= clock_seconds() - start;
	}
	atomic_store(&s->doing, CTL_RUNNING);
}

static struct ctl_slot *
slot_of(struct ctl *ctl, int slot)
{
	if (slot < 0 || slot >= CTL_MAX_TASKS ||
	    !atomic_load(&ctl->slots[slot].used))
		return NULL;
	return &ctl->slots[slot];
}

/* Opens the fast path again once no gate can be shut. */
static void
regate(struct ctl *ctl)
{
	int i;

	if (atomic_load(&ctl->pause_new))
		return;
	for (i = 0; i < CTL_MAX_TASKS; i++)
		if (atomic_load(&ctl->slots[i].paused))
			return;
	set_gated(ctl, 0);
}

static void
gate_changed(struct ctl_slot *s)
{
	atomic_fetch_add(&s->seq, 1);
	futex_wake_all(&s->seq);
}

void
ctl_set_pace(struct ctl *ctl, double seconds)
{
	uint64_t bits;
	int i;

	if (!(seconds > 0))
		seconds = 0;	/* +0.0: all bits clear, the fast path's test */
	memcpy(&bits, &seconds, sizeof bits);
	atomic_store(&ctl->pace_bits, bits);
	/* Beats in progress wait on their gate's word: make them look again. */
	for (i = 0; i < CTL_MAX_TASKS; i++)
		if (atomic_load(&ctl->slots[i].used))
			gate_changed(&ctl->slots[i]);
}

int
ctl_pause(struct ctl *ctl, int slot)
{
	struct ctl_slot *s = slot_of(ctl, slot);

	if (s == NULL)
		return -1;
	set_gated(ctl, 1);
	atomic_store(&s->credits, 0);
	atomic_store(&s->paused, 1);
	gate_changed(s);
	return 0;
}

int
ctl_resume(struct ctl *ctl, int slot)
{
	struct ctl_slot *s = slot_of(ctl, slot);

	if (s == NULL)
		return -1;
	atomic_store(&s->paused, 0);
	atomic_store(&s->credits, 0);
	gate_changed(s);
	regate(ctl);
	return 0;
}

int
ctl_step(struct ctl *ctl, int slot)
{
	struct ctl_slot *s = slot_of(ctl, slot);

	if (s == NULL || !atomic_load(&s->paused) ||
	    ctl_is_blocked(ctl, slot) ||
	    atomic_load(&s->doing) == CTL_DONE)
		return -1;
	atomic_fetch_add(&s->credits, 1);
	gate_changed(s);
	return 0;
}

void
ctl_pause_all(struct ctl *ctl)
{
	int i;

	atomic_store(&ctl->pause_new, CTL_PAUSE_ALL);
	set_gated(ctl, 1);
	for (i = 0; i < CTL_MAX_TASKS; i++)
		ctl_pause(ctl, i);
}

void
ctl_resume_all(struct ctl *ctl)
{
	int i;

	atomic_store(&ctl->pause_new, 0);
	for (i = 0; i < CTL_MAX_TASKS; i++)
		ctl_resume(ctl, i);
}

void
ctl_pause_new(struct ctl *ctl, enum ctl_pause_mode mode,
    const char names[][CTL_ROLE_LEN], int n)
{
	int k;

	memset(ctl->pause_names, 0, sizeof ctl->pause_names);
	for (k = 0; k < n && k < CTL_NAMES_MAX; k++)
		memcpy(ctl->pause_names[k], names[k], CTL_ROLE_LEN - 1);
	atomic_store(&ctl->pause_new, mode);
	if (mode != CTL_PAUSE_NONE)
		set_gated(ctl, 1);
	else
		regate(ctl);
}

int
ctl_find_role(const struct ctl *ctl, const char *role)
{
	int i, found = -1;

	for (i = 0; i < CTL_MAX_TASKS; i++)
		if (atomic_load(&ctl->slots[i].used) &&
		    strncmp(ctl->slots[i].role, role, CTL_ROLE_LEN) == 0)
			found = i;
	return found;
}

void
ctl_block(struct ctl *ctl, int slot, enum ctl_doing doing)
{
	atomic_store(&ctl->slots[slot].doing, doing);
	ring(ctl);
}

void
ctl_unblock(struct ctl *ctl, int slot)
{
	atomic_store(&ctl->slots[slot].doing, CTL_RUNNING);
}

uint32_t
ctl_doorbell(struct ctl *ctl)
{
	return atomic_load(&ctl->doorbell);
}

void
ctl_wait_doorbell(struct ctl *ctl, uint32_t seen, double seconds)
{
	struct timespec ts = seconds_to_timespec(seconds);

	atomic_fetch_add(&ctl->doorbell_waiters, 1);
	futex_wait(&ctl->doorbell, seen, &ts);
	atomic_fetch_sub(&ctl->doorbell_waiters, 1);
}

void
ctl_wait_gated(struct ctl *ctl, uint32_t seen, double seconds)
{
	struct timespec ts = seconds_to_timespec(seconds);

	futex_wait(&ctl->gated, seen, &ts);
}

bool
ctl_is_blocked(const struct ctl *ctl, int slot)
{
	uint32_t doing;

	if (slot < 0 || slot >= CTL_MAX_TASKS)
		return false;
	doing = atomic_load(&ctl->slots[slot].doing);
	return doing == CTL_WAIT_QUEUE || doing == CTL_WAIT_LOCK ||
	    doing == CTL_WAIT_JOIN;
}

bool
ctl_is_parked(const struct ctl *ctl, int slot)
{
	if (slot < 0 || slot >= CTL_MAX_TASKS)
		return false;
	return atomic_load(&ctl->slots[slot].doing) == CTL_PAUSED;
}

/*
 * The queue's lock: a plain futex lock holding the holder's tid. Holders
 * never block or sleep inside it, so a task killed while waiting for an item
 * (the reader that pr.terminate() ends) never holds it.
 */
static void
queue_lock(struct ctl_queue *q)
{
	uint32_t me = (uint32_t)syscall(SYS_gettid);

	for (;;) {
		uint32_t cur = 0;

		if (atomic_compare_exchange_strong(&q->lock, &cur, me))
			return;
		futex_wait(&q->lock, cur, NULL);
	}
}

static void
queue_unlock(struct ctl_queue *q)
{
	atomic_store(&q->lock, 0);
	futex_wake_all(&q->lock);
}

/* Queue q when it is one in use, else NULL. */
static struct ctl_queue *
queue_of(struct ctl *ctl, int q)
{
	if (q < 0 || q >= CTL_QUEUES || ctl->queues[q].name[0] == '\0')
		return NULL;
	return &ctl->queues[q];
}

void
ctl_queue_name(struct ctl *ctl, int q, const char *name)
{
	struct ctl_queue *cq;

	if (q < 0 || q >= CTL_QUEUES)
		return;
	cq = &ctl->queues[q];
	queue_lock(cq);
	memset(cq->name, 0, sizeof cq->name);
	strncpy(cq->name, name, sizeof cq->name - 1);
	queue_unlock(cq);
}

int
ctl_queue_put(struct ctl *ctl, int slot, int qi, const char *item)
{
	struct ctl_queue *q = queue_of(ctl, qi);
	struct ctl_slot *s = &ctl->slots[slot];

	if (q == NULL)
		return -1;
	for (;;) {
		uint32_t seq = atomic_load(&q->get_seq);

		queue_lock(q);
		if (q->count < CTL_QUEUE_CAP)
			break;
		queue_unlock(q);
		ctl_block(ctl, slot, CTL_WAIT_QUEUE);
		atomic_fetch_add(&q->putters_waiting, 1);
		futex_wait(&q->get_seq, seq, NULL);
		atomic_fetch_sub(&q->putters_waiting, 1);
	}
	{
		char *dst = q->items[(q->head + q->count) % CTL_QUEUE_CAP];

		memset(dst, 0, CTL_ITEM_LEN);
		strncpy(dst, item, CTL_ITEM_LEN - 1);
	}
	q->count++;
	atomic_fetch_add(&q->puts, 1);
	atomic_fetch_add(&q->put_seq, 1);
	queue_unlock(q);
	atomic_store(&s->doing, CTL_RUNNING);
	futex_wake_all(&q->put_seq);
	return 0;
}

bool
ctl_queue_get(struct ctl *ctl, int slot, int qi, char *buf, size_t len,
    double timeout)
{
	struct ctl_queue *q = queue_of(ctl, qi);
	struct ctl_slot *s = &ctl->slots[slot];
	double deadline = clock_seconds() + timeout;

	if (len > 0)
		buf[0] = '\0';
	if (q == NULL)
		return false;
	for (;;) {
		uint32_t seq = atomic_load(&q->put_seq);
		struct timespec ts;
		double left = deadline - clock_seconds();

		queue_lock(q);
		if (q->count > 0)
			break;
		queue_unlock(q);
		if (timeout >= 0 && left <= 0) {
			/* queue.Empty: nothing came in time. */
			atomic_store(&s->doing, CTL_RUNNING);
			return false;
		}
		ctl_block(ctl, slot, CTL_WAIT_QUEUE);
		atomic_fetch_add(&q->getters_waiting, 1);
		ts = seconds_to_timespec(left);
		futex_wait(&q->put_seq, seq, timeout >= 0 ? &ts : NULL);
		atomic_fetch_sub(&q->getters_waiting, 1);
	}
	if (len > 0) {
		size_t n = strnlen(q->items[q->head], CTL_ITEM_LEN - 1);

		if (n > len - 1)
			n = len - 1;
		memcpy(buf, q->items[q->head], n);
		buf[n] = '\0';
	}
	q->head = (q->head + 1) % CTL_QUEUE_CAP;
	q->count--;
	atomic_fetch_add(&q->gets, 1);
	atomic_fetch_add(&q->get_seq, 1);
	queue_unlock(q);
	atomic_store(&s->doing, CTL_RUNNING);
	futex_wake_all(&q->get_seq);
	return true;
}

/*
 * Takes the queue's lock within `ms` milliseconds, or returns false: a
 * block shared with a program ptmon does not control may hold it for
 * ever. With take_over, a lock whose holder is gone (a process killed
 * inside it, as pr.terminate() may) is taken over.
 */
static bool
queue_lock_within(struct ctl_queue *q, int ms, bool take_over)
{
	static const struct timespec one_ms = { 0, 1000 * 1000 };
	uint32_t me = (uint32_t)syscall(SYS_gettid);
	int tries;

	for (tries = 0; tries < ms; tries++) {
		uint32_t cur = 0;

		if (atomic_compare_exchange_strong(&q->lock, &cur, me))
			return true;
		if (take_over && cur == me)
			return false;	/* never ours twice: a bad block */
		if (take_over && kill((pid_t)cur, 0) < 0 && errno == ESRCH &&
		    atomic_compare_exchange_strong(&q->lock, &cur, me))
			return true;
		futex_wait(&q->lock, cur, &one_ms);
	}
	return false;
}

/* The monitor's side: a few milliseconds, not to hold up a refresh. */
static bool
queue_lock_briefly(struct ctl_queue *q)
{
	return queue_lock_within(q, 5, false);
}

bool
ctl_queue_read(struct ctl *ctl, int qi, struct ctl_queue_view *out)
{
	struct ctl_queue *q;
	bool locked;
	unsigned i, head;

	if (qi < 0 || qi >= CTL_QUEUES)
		return false;
	q = &ctl->queues[qi];
	/* Under the queue's lock: name, items and count move together. */
	locked = queue_lock_briefly(q);
	memcpy(out->name, q->name, sizeof out->name);
	out->name[sizeof out->name - 1] = '\0';
	/* Bounded whatever the block says. */
	out->nitems = q->count <= CTL_QUEUE_CAP ? q->count : CTL_QUEUE_CAP;
	head = q->head % CTL_QUEUE_CAP;
	for (i = 0; i < out->nitems; i++) {
		memcpy(out->items[i], q->items[(head + i) % CTL_QUEUE_CAP],
		    CTL_ITEM_LEN);
		out->items[i][CTL_ITEM_LEN - 1] = '\0';
	}
	if (locked)
		queue_unlock(q);
	out->puts = atomic_load(&q->puts);
	out->gets = atomic_load(&q->gets);
	out->getters_waiting = atomic_load(&q->getters_waiting);
	out->putters_waiting = atomic_load(&q->putters_waiting);
	out->hidden = atomic_load(&q->hidden);
	return out->name[0] != '\0';
}

/*
 * A traced program's side: 100 ms at most (a holder preempted on a busy
 * machine keeps it for several milliseconds, and a put given up on is
 * missing from the pane for good), taking over a dead holder's.
 */
static bool
queue_lock_mirror(struct ctl_queue *q)
{
	return queue_lock_within(q, 100, true);
}

int
ctl_queue_claim(struct ctl *ctl, const char *name)
{
	int k;

	for (k = 0; k < CTL_QUEUES; k++) {
		struct ctl_queue *q = &ctl->queues[k];

		if (!queue_lock_mirror(q))
			continue;
		if (q->name[0] != '\0') {
			queue_unlock(q);
			continue;
		}
		memset(q->name, 0, sizeof q->name);
		if (name[0] != '\0')
			strncpy(q->name, name, sizeof q->name - 1);
		else
			snprintf(q->name, sizeof q->name, "Queue-%d", k + 1);
		q->head = q->count = 0;
		atomic_store(&q->hidden, 0);
		queue_unlock(q);
		ring(ctl);
		return k;
	}
	return -1;
}

/* Mirrored queue qi locked, or NULL (not in use, or no lock). */
static struct ctl_queue *
mirror_of(struct ctl *ctl, int qi)
{
	struct ctl_queue *q;

	if (qi < 0 || qi >= CTL_QUEUES)
		return NULL;
	q = &ctl->queues[qi];
	if (!queue_lock_mirror(q))
		return NULL;
	if (q->name[0] == '\0') {
		queue_unlock(q);
		return NULL;
	}
	/* Whatever another process left there, in range. */
	q->head %= CTL_QUEUE_CAP;
	if (q->count > CTL_QUEUE_CAP)
		q->count = CTL_QUEUE_CAP;
	return q;
}

/* The ith item from the head (i < count). */
static char *
mirror_item(struct ctl_queue *q, uint32_t i)
{
	return q->items[(q->head + i) % CTL_QUEUE_CAP];
}

/* Takes out the ith item from the head, the later ones moving up. */
static void
mirror_remove(struct ctl_queue *q, uint32_t i)
{
	for (; i + 1 < q->count; i++)
		memcpy(mirror_item(q, i), mirror_item(q, i + 1), CTL_ITEM_LEN);
	q->count--;
}

/* The item equal to item nearest the tail (last) or the head, or count. */
static uint32_t
mirror_find(struct ctl_queue *q, const char *item, bool last)
{
	uint32_t i, k;

	for (k = 0; k < q->count; k++) {
		i = last ? q->count - 1 - k : k;
		if (strncmp(mirror_item(q, i), item, CTL_ITEM_LEN - 1) == 0)
			return i;
	}
	return q->count;
}

static void
mirror_put(struct ctl_queue *q, const char *item)
{
	char *dst;

	if (q->count == CTL_QUEUE_CAP) {
		/* Full: the head goes out of sight, counted. */
		q->head = (q->head + 1) % CTL_QUEUE_CAP;
		q->count--;
		atomic_fetch_add(&q->hidden, 1);
	}
	dst = mirror_item(q, q->count);
	memset(dst, 0, CTL_ITEM_LEN);
	strncpy(dst, item, CTL_ITEM_LEN - 1);
	q->count++;
	atomic_fetch_add(&q->puts, 1);
	atomic_fetch_add(&q->put_seq, 1);
}

static void
mirror_unput(struct ctl_queue *q, const char *item)
{
	uint32_t i = mirror_find(q, item, true);

	if (i < q->count) {
		mirror_remove(q, i);
		atomic_fetch_sub(&q->puts, 1);
	}
}

static void
mirror_got(struct ctl_queue *q, const char *item)
{
	uint32_t i;

	if (atomic_load(&q->hidden) > 0)
		atomic_fetch_sub(&q->hidden, 1);
	else if (q->count > 0) {
		/* Puts of several processes may be mirrored out of order. */
		i = mirror_find(q, item, false);
		mirror_remove(q, i < q->count ? i : 0);
	}
	atomic_fetch_add(&q->gets, 1);
	atomic_fetch_add(&q->get_seq, 1);
}

/* One frame for the three: op on mirrored queue qi, under its lock. */
static void
mirror_apply(struct ctl *ctl, int qi, const char *item,
    void (*op)(struct ctl_queue *, const char *))
{
	struct ctl_queue *q = mirror_of(ctl, qi);

	if (q == NULL)
		return;
	op(q, item);
	queue_unlock(q);
}

void
ctl_queue_mirror_put(struct ctl *ctl, int qi, const char *item)
{
	mirror_apply(ctl, qi, item, mirror_put);
}

void
ctl_queue_mirror_unput(struct ctl *ctl, int qi, const char *item)
{
	mirror_apply(ctl, qi, item, mirror_unput);
}

void
ctl_queue_mirror_got(struct ctl *ctl, int qi, const char *item)
{
	mirror_apply(ctl, qi, item, mirror_got);
}

void
ctl_queue_mirror_wait(struct ctl *ctl, int slot, int qi, bool put, bool on)
{
	struct ctl_queue *q;
	_Atomic uint32_t *n;

	if (qi < 0 || qi >= CTL_QUEUES)
		return;
	q = &ctl->queues[qi];
	n = put ? &q->putters_waiting : &q->getters_waiting;
	if (on)
		atomic_fetch_add(n, 1);
	else {
		uint32_t cur = atomic_load(n);

		/* Never below 0, whatever else wrote there. */
		while (cur > 0 && !atomic_compare_exchange_weak(n, &cur,
		    cur - 1))
			;
	}
	if (slot < 0 || slot >= CTL_MAX_TASKS)
		return;
	if (on)
		ctl_block(ctl, slot, CTL_WAIT_QUEUE);
	else
		ctl_unblock(ctl, slot);
}

int
ctl_queues_named(const struct ctl *ctl)
{
	int k, n = 0;

	/* One byte each, read as the monitor's refresh goes: no lock. */
	for (k = 0; k < CTL_QUEUES; k++)
		if (__atomic_load_n(&ctl->queues[k].name[0], __ATOMIC_RELAXED))
			n++;
	return n;
}

void
ctl_lock(struct ctl *ctl, int slot)
{
	struct ctl_balance *b = &ctl->balance;
	struct ctl_slot *s = &ctl->slots[slot];
	uint32_t me = (uint32_t)atomic_load(&s->tid);
	bool waited = false;

	for (;;) {
		uint32_t cur = 0;

		if (atomic_compare_exchange_strong(&b->owner, &cur, me))
			break;
		if (cur == me)
			break;		/* handed over to us by ctl_unlock */
		if (!waited) {
			atomic_fetch_add(&b->waiters, 1);
			ctl_block(ctl, slot, CTL_WAIT_LOCK);
			waited = true;
		}
		futex_wait(&b->owner, cur, NULL);
	}
	if (waited) {
		atomic_fetch_sub(&b->waiters, 1);
		atomic_store(&s->doing, CTL_RUNNING);
	}
}

/*
 * Gives the lock back. While tasks are being stepped, it is handed straight
 * to a waiting task (the lowest slot), so who gets it next does not depend
 * on which woken thread runs first: a replayed schedule gives the same
 * result every time. At full speed it is simply released.
 */
void
ctl_unlock(struct ctl *ctl, int slot)
{
	struct ctl_balance *b = &ctl->balance;
	int k;

	(void)slot;
	if (atomic_load(&b->waiters) && atomic_load(&ctl->gated)) {
		for (k = 0; k < CTL_MAX_TASKS; k++) {
			struct ctl_slot *w = &ctl->slots[k];

			if (atomic_load(&w->used) &&
			    atomic_load(&w->doing) == CTL_WAIT_LOCK) {
				atomic_store(&b->owner,
				    (uint32_t)atomic_load(&w->tid));
				futex_wake_all(&b->owner);
				return;
			}
		}
	}
	atomic_store(&b->owner, 0);
	if (atomic_load(&b->waiters))
		futex_wake_all(&b->owner);
}

const char *
ctl_doing_name(enum ctl_doing doing)
{
	switch (doing) {
	case CTL_RUNNING:	return "running";
	case CTL_SLEEPING:	return "sleeping";
	case CTL_WAIT_QUEUE:	return "waiting on queue";
	case CTL_WAIT_LOCK:	return "waiting on lock";
	case CTL_WAIT_JOIN:	return "waiting on join";
	case CTL_PAUSED:	return "paused";
	case CTL_DONE:		return "done";
	}
	return "?";
}

/* --- the Python lab ------------------------------------------------------ */

/* Copies n bytes written byte by byte into out, NUL-terminated. */
static void
load_text(char *out, const _Atomic char *src, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = atomic_load_explicit(&src[i], memory_order_relaxed);
	out[n - 1] = '\0';
}

static void
py_slot_reset(struct ctl *ctl, int slot)
{
	struct ctl_pyslot *p = &ctl->py.slots[slot];

	store_text(p->path, CTL_PY_PATH_LEN, "");
	store_text(p->ops, CTL_PY_OPS_LEN, "");
	store_text(p->held_repr, CTL_PY_REPR_LEN, "");
	atomic_store(&p->line, 0);
	atomic_store(&p->offset, -1);
	atomic_store(&p->held, -1);
	atomic_store(&p->held_seq, 0);
}

bool
ctl_py_task(const struct ctl *ctl, int slot, struct ctl_py_task_view *out)
{
	const struct ctl_pyslot *p;
	int32_t v;

	if (slot < 0 || slot >= CTL_MAX_TASKS ||
	    !atomic_load(&ctl->slots[slot].used))
		return false;
	p = &ctl->py.slots[slot];
	/* A traced program writes these: nothing out of range gets out. */
	v = atomic_load(&p->line);
	out->line = v > 0 && v <= CTL_PY_LINE_MAX ? v : 0;
	v = atomic_load(&p->offset);
	out->offset = v >= 0 && v <= CTL_PY_LINE_MAX ? v : -1;
	v = atomic_load(&p->held);
	out->held = v >= 0 && v < CTL_PY_WATCH ? v : -1;
	out->held_seq = atomic_load(&p->held_seq);
	load_text(out->path, p->path, CTL_PY_PATH_LEN);
	load_text(out->ops, p->ops, CTL_PY_OPS_LEN);
	load_text(out->held_repr, p->held_repr, CTL_PY_REPR_LEN);
	return out->line > 0;
}

bool
ctl_py_watch(const struct ctl *ctl, int i, struct ctl_py_watch_view *out)
{
	const struct ctl_pywatch *w;
	uint32_t used;

	if (i < 0 || i >= CTL_PY_WATCH)
		return false;
	w = &ctl->py.watch[i];
	used = atomic_load(&w->used);
	if (used != 1 && used != 2)
		return false;
	load_text(out->name, w->name, CTL_PY_NAME_LEN);
	if (out->name[0] == '\0')
		return false;
	load_text(out->repr, w->repr, CTL_PY_REPR_LEN);
	out->picked = used == 2;
	out->is_int = atomic_load(&w->is_int) != 0;
	out->value = atomic_load(&w->value);
	out->writers = atomic_load(&w->writers);
	out->stores = atomic_load(&w->stores);
	out->lost = atomic_load(&w->lost);
	out->lost_sum = atomic_load(&w->lost_sum);
	return true;
}

int
ctl_py_watch_add(struct ctl *ctl, const char *name, bool picked)
{
	char have[CTL_PY_NAME_LEN], want[CTL_PY_NAME_LEN];
	int i;

	snprintf(want, sizeof want, "%s", name);
	for (i = 0; i < CTL_PY_WATCH; i++) {
		struct ctl_pywatch *w = &ctl->py.watch[i];

		if (atomic_load(&w->used) == 0)
			continue;
		load_text(have, w->name, CTL_PY_NAME_LEN);
		if (strcmp(have, want) == 0)
			return i;
	}
	for (i = 0; i < CTL_PY_WATCH; i++) {
		struct ctl_pywatch *w = &ctl->py.watch[i];
		uint32_t free_entry = 0;

		if (!atomic_compare_exchange_strong(&w->used, &free_entry, 3))
			continue;
		store_text(w->name, CTL_PY_NAME_LEN, want);
		store_text(w->repr, CTL_PY_REPR_LEN, "");
		atomic_store(&w->is_int, 0);
		atomic_store(&w->value, 0);
		atomic_store(&w->writers, 0);
		atomic_store(&w->stores, 0);
		atomic_store(&w->lost, 0);
		atomic_store(&w->lost_sum, 0);
		/* 3 while it is filled: the monitor skips it. */
		atomic_store(&w->used, picked ? 2 : 1);
		return i;
	}
	return -1;
}

void
ctl_py_set_by_op(struct ctl *ctl, bool by_op)
{
	atomic_store(&ctl->py.by_op, by_op ? 1 : 0);
}

bool
ctl_py_by_op(const struct ctl *ctl)
{
	return atomic_load_explicit(&ctl->py.by_op, memory_order_relaxed) != 0;
}

void
ctl_py_want(struct ctl *ctl)
{
	atomic_store_explicit(&ctl->py.want, 1, memory_order_relaxed);
}

bool
ctl_py_wanted(struct ctl *ctl)
{
	if (!atomic_load_explicit(&ctl->py.want, memory_order_relaxed))
		return false;
	return atomic_exchange(&ctl->py.want, 0) != 0;
}

void
ctl_py_set_line(struct ctl *ctl, int slot, const char *path, int line,
    const char *ops)
{
	struct ctl_pyslot *p;

	if (slot < 0 || slot >= CTL_MAX_TASKS)
		return;
	p = &ctl->py.slots[slot];
	store_text(p->path, CTL_PY_PATH_LEN, path);
	store_text(p->ops, CTL_PY_OPS_LEN, ops);
	atomic_store(&p->line, line);
}

void
ctl_py_set_offset(struct ctl *ctl, int slot, int offset)
{
	if (slot < 0 || slot >= CTL_MAX_TASKS)
		return;
	atomic_store(&ctl->py.slots[slot].offset, offset);
}

void
ctl_py_set_held(struct ctl *ctl, int slot, int i, unsigned long long seq,
    const char *repr)
{
	struct ctl_pyslot *p;

	if (slot < 0 || slot >= CTL_MAX_TASKS)
		return;
	p = &ctl->py.slots[slot];
	store_text(p->held_repr, CTL_PY_REPR_LEN, i >= 0 ? repr : "");
	atomic_store(&p->held_seq, seq);
	atomic_store(&p->held, i);
}

void
ctl_py_set_value(struct ctl *ctl, int i, const char *repr, bool is_int,
    long long value)
{
	struct ctl_pywatch *w;

	if (i < 0 || i >= CTL_PY_WATCH)
		return;
	w = &ctl->py.watch[i];
	store_text(w->repr, CTL_PY_REPR_LEN, repr);
	atomic_store(&w->is_int, is_int ? 1 : 0);
	atomic_store(&w->value, value);
}

unsigned long long
ctl_py_store(struct ctl *ctl, int slot, int i, bool stale, long long lost)
{
	struct ctl_pywatch *w;

	if (i < 0 || i >= CTL_PY_WATCH)
		return 0;
	w = &ctl->py.watch[i];
	if (slot >= 0 && slot < CTL_MAX_TASKS)
		atomic_fetch_or(&w->writers, 1ULL << slot);
	if (stale) {
		atomic_fetch_add(&w->lost, 1);
		atomic_fetch_add(&w->lost_sum, lost);
		ring(ctl);
	}
	return atomic_fetch_add(&w->stores, 1);
}
