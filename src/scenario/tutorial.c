/*
 * The tutorial's Python runtime in C, for scenario code: every process and
 * thread it starts takes a slot in the control block, names itself after its
 * role (so the tree shows "PoolWorker-1" or "LoopThread"), and dies with
 * its parent (PR_SET_PDEATHSIG), so nothing outlives ptmon.
 */
#include "config.h"

#include "tutorial.h"

#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "ctl.h"
#include "ctl_layout.h"
#include "prng.h"

#define LINE_MAX_BYTES	1024

/* The block and the calling task's slot in it. */
static struct ctl	*tutorial_block;
static __thread int	 tutorial_my_slot = -1;
_Atomic uint32_t	*tutorial_gated_word;
_Atomic uint64_t	*tutorial_pace_word;
__thread _Atomic uint64_t *tutorial_my_iterations;
static int		 out_fd = -1;
static __thread char	 my_name[16];
static __thread struct prng rng;

/* splitmix64: spreads a seed so neighbouring slots get unrelated streams. */
static uint64_t
splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* Gives the calling task its slot, name and random stream. */
static void
become(const char *role)
{
	strncpy(my_name, role, sizeof my_name - 1);
	tutorial_my_slot = ctl_slot_take(tutorial_block, role);
	if (tutorial_my_slot < 0) {
		/* Parameters are bounded so this cannot happen; say so if it does. */
		dprintf(STDERR_FILENO, "ptmon: no free task slot for %s\n", role);
		_exit(70);
	}
	tutorial_my_iterations =
	    &tutorial_block->slots[tutorial_my_slot].iterations;
	prng_seed(&rng, splitmix64(ctl_seed(tutorial_block) ^
	    ((uint64_t)tutorial_my_slot << 32)));
}

void
tutorial_begin(struct ctl *ctl, int fd, const char *role)
{
	tutorial_block = ctl;
	tutorial_gated_word = &ctl->gated;
	tutorial_pace_word = &ctl->pace_bits;
	out_fd = fd;
	prctl(PR_SET_NAME, role);
	become(role);
}

void
tutorial_end(void)
{
	ctl_slot_done(tutorial_block, tutorial_my_slot);
}

void
tutorial_leave(void)
{
	ctl_slot_release(tutorial_block, tutorial_my_slot);
	tutorial_my_slot = -1;
}

_Atomic int64_t *
tutorial_new_balance(void)
{
	struct ctl_balance *b = &tutorial_block->balance;

	atomic_store(&b->value, 0);
	atomic_store(&b->expected, 0);
	atomic_store(&b->lost, 0);
	return &b->value;
}

/* Writes one framed line, "PID TEXT\n", in a single write() (atomic). */
static void
emit(pid_t pid, const char *text, size_t len)
{
	char line[LINE_MAX_BYTES + 32];
	int head;

	if (len > LINE_MAX_BYTES)
		len = LINE_MAX_BYTES;
	head = snprintf(line, sizeof line, "%d ", (int)pid);
	memcpy(line + head, text, len);
	line[head + len] = '\n';
	while (write(out_fd, line, head + len + 1) < 0 && errno == EINTR)
		;
}

void
print(const char *fmt, ...)
{
	char text[LINE_MAX_BYTES];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	print_as(getpid(), text);
}

void
print_as(pid_t pid, const char *text)
{
	/* One record per line: a newline inside the text starts a new one. */
	for (;;) {
		const char *nl = strchr(text, '\n');

		if (nl == NULL) {
			emit(pid, text, strlen(text));
			return;
		}
		emit(pid, text, (size_t)(nl - text));
		text = nl + 1;
	}
}

void
tutorial_gate(enum checkpoint at)
{
	ctl_gate_wait(tutorial_block, tutorial_my_slot, at);
}

void
tutorial_beat(enum checkpoint at)
{
	ctl_beat(tutorial_block, tutorial_my_slot, at);
}

void
tutorial_loop_beat(uint64_t i)
{
	ctl_loop_beat(tutorial_block, tutorial_my_slot, CP_CHANGE_IT, i);
}

void
tutorial_gate_write(enum checkpoint at, int64_t value, _Atomic int64_t *target)
{
	ctl_write_gate(tutorial_block, tutorial_my_slot, at, value, target);
}

void
show_local(const char *name, const char *value)
{
	char text[CTL_TEXT_LEN];

	snprintf(text, sizeof text, "%s=%s", name, value);
	ctl_set_text(tutorial_block, tutorial_my_slot, text);
}

void
hold(int64_t value)
{
	atomic_store_explicit(&tutorial_block->slots[tutorial_my_slot].local, value,
	    memory_order_relaxed);
}

void
time_sleep(double seconds)
{
	loop_checkpoint(CP_SLEEP);	/* the sleep itself is the beat */
	ctl_sleep(tutorial_block, tutorial_my_slot, seconds);
}

double
time_time(void)
{
	return clock_seconds();
}

double
random_random(void)
{
	/* Reproducible for a given --seed. */
	return prng_double(&rng);
}

pid_t
os_fork(const char *child_role)
{
	pid_t parent = getpid();
	pid_t pid;

	checkpoint(CP_FORK);
	pid = fork();
	if (pid < 0) {
		dprintf(STDERR_FILENO, "ptmon: fork: %s\n", strerror(errno));
		_exit(71);
	}
	if (pid > 0)
		return pid;
	/*
	 * PDEATHSIG is cleared on fork, so set it again here: every scenario
	 * process dies with its parent, and the chain ends at ptmon.
	 */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(72);
	prctl(PR_SET_NAME, child_role);
	become(child_role);
	return 0;
}

void
process_start(struct process *p, const char *role, void (*target)(void *),
    void *arg)
{
	checkpoint(CP_PROCESS_START);
	p->pid = os_fork(role);
	if (p->pid == 0) {
		target(arg);
		tutorial_end();
		_exit(0);
	}
	/* The child cannot be reaped before we wait for it: no PID reuse. */
	p->pidfd = (int)syscall(SYS_pidfd_open, p->pid, 0);
}

int
process_join(struct process *p)
{
	int status;

	checkpoint(CP_JOIN);
	ctl_note_at(tutorial_block, tutorial_my_slot, CP_JOIN);
	ctl_block(tutorial_block, tutorial_my_slot, CTL_WAIT_JOIN);
	while (waitpid(p->pid, &status, 0) < 0) {
		if (errno != EINTR) {
			status = 0;
			break;
		}
	}
	ctl_unblock(tutorial_block, tutorial_my_slot);
	if (p->pidfd >= 0)
		close(p->pidfd);
	p->pidfd = -1;
	if (WIFSIGNALED(status))
		return -WTERMSIG(status);
	return WEXITSTATUS(status);
}

void
sys_exit(int status)
{
	tutorial_end();
	_exit(status);
}

void
process_terminate(struct process *p)
{
	checkpoint(CP_TERMINATE);
	if (p->pidfd >= 0)
		syscall(SYS_pidfd_send_signal, p->pidfd, SIGTERM, NULL, 0);
	else	/* no pidfds here; not reaped yet, so the pid is still its */
		kill(p->pid, SIGTERM);
}

void
queue_put(const char *value)
{
	ctl_note_at(tutorial_block, tutorial_my_slot, CP_PUT);
	ctl_queue_put(tutorial_block, tutorial_my_slot, 0, value);
}

void
queue_get(char value[16])
{
	ctl_note_at(tutorial_block, tutorial_my_slot, CP_GET);
	ctl_queue_get(tutorial_block, tutorial_my_slot, 0, value, 16, -1);
}

bool
queue_drained(void)
{
	struct ctl_queue *q = &tutorial_block->queues[0];

	return atomic_load(&q->gets) == atomic_load(&q->puts) &&
	    atomic_load(&q->getters_waiting) > 0;
}

int
shared_queue_find(const char *name)
{
	struct ctl_queue_view v;
	int q;

	for (q = 0; q < CTL_QUEUES; q++)
		if (ctl_queue_read(tutorial_block, q, &v) &&
		    strcmp(v.name, name) == 0)
			return q;
	return -1;
}

int
shared_queue_put(int q, const char *value)
{
	ctl_note_at(tutorial_block, tutorial_my_slot, CP_PUT);
	return ctl_queue_put(tutorial_block, tutorial_my_slot, q, value);
}

bool
shared_queue_get(int q, char *value, size_t len, double timeout)
{
	ctl_note_at(tutorial_block, tutorial_my_slot, CP_GET);
	if (timeout > 0)
		timeout /= ctl_speed(tutorial_block);
	return ctl_queue_get(tutorial_block, tutorial_my_slot, q, value, len,
	    timeout);
}

void
queue_wait_begin(enum checkpoint at)
{
	ctl_note_at(tutorial_block, tutorial_my_slot, at);
	ctl_block(tutorial_block, tutorial_my_slot, CTL_WAIT_QUEUE);
}

void
queue_wait_end(void)
{
	ctl_unblock(tutorial_block, tutorial_my_slot);
}

void
lock_acquire(void)
{
	loop_checkpoint(CP_ACQUIRE);	/* in the lock scenario's hot loop */
	ctl_note_at(tutorial_block, tutorial_my_slot, CP_ACQUIRE);
	ctl_lock(tutorial_block, tutorial_my_slot);
}

void
lock_release(void)
{
	loop_checkpoint(CP_RELEASE);
	ctl_unlock(tutorial_block, tutorial_my_slot);
}

void
lock_wait_begin(enum checkpoint at)
{
	ctl_note_at(tutorial_block, tutorial_my_slot, at);
	ctl_block(tutorial_block, tutorial_my_slot, CTL_WAIT_LOCK);
}

void
lock_wait_end(void)
{
	ctl_unblock(tutorial_block, tutorial_my_slot);
}

void
stand_at(enum checkpoint at)
{
	ctl_note_at(tutorial_block, tutorial_my_slot, at);
}

/* Runs a thread's target with its own slot and OS thread name. */
static void *
thread_main(void *opaque)
{
	struct thread *t = opaque;

	pthread_setname_np(pthread_self(), t->name);
	become(t->name);
	/* Its argument, for the monitor: the n of run_thread(n). */
	atomic_store(&tutorial_block->slots[tutorial_my_slot].arg,
	    (int64_t)(intptr_t)t->arg);
	t->target(t->arg);
	tutorial_end();
	return NULL;
}

void
thread_start(struct thread *t, const char *name, void (*target)(void *),
    void *arg)
{
	int err;

	checkpoint(CP_THREAD_START);
	memset(t->name, 0, sizeof t->name);
	strncpy(t->name, name, sizeof t->name - 1);
	t->target = target;
	t->arg = arg;
	err = pthread_create(&t->handle, NULL, thread_main, t);
	if (err != 0) {
		dprintf(STDERR_FILENO, "ptmon: pthread_create: %s\n",
		    strerror(err));
		_exit(71);
	}
}

void
thread_join(struct thread *t)
{

	checkpoint(CP_THREAD_JOIN);
	ctl_note_at(tutorial_block, tutorial_my_slot, CP_THREAD_JOIN);
	ctl_block(tutorial_block, tutorial_my_slot, CTL_WAIT_JOIN);
	pthread_join(t->handle, NULL);
	ctl_unblock(tutorial_block, tutorial_my_slot);
}

const char *
current_thread_name(void)
{
	return my_name;
}
