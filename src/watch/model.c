/*
 * The model: samples + control block -> one snapshot in tree order.
 *
 * Tree order is a depth-first walk: a process, then its threads, then its
 * child processes, siblings by pid. Threads carry their process's ppid in
 * the samples; here a thread's parent is its process.
 */
#include "config.h"

#include "model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "sanitize.h"
#include "xalloc.h"

/* The tree parent of a sample: its process for a thread, else its ppid. */
static pid_t
parent_of(const struct sample *s)
{
	return s->tid != s->tgid ? s->tgid : s->ppid;
}

/*
 * Sort keys: `by_parent` orders samples by tree parent, threads before
 * processes, then tid, so a task's children form one run of the array;
 * `by_tid` lets us find a tid by binary search. qsort has no context
 * argument, hence the file-level base pointer.
 */
static const struct sample *sort_base;

static int
by_parent(const void *a, const void *b)
{
	const struct sample *x = &sort_base[*(const size_t *)a];
	const struct sample *y = &sort_base[*(const size_t *)b];
	pid_t px = parent_of(x), py = parent_of(y);
	int tx = x->tid == x->tgid, ty = y->tid == y->tgid;

	if (px != py)
		return (px > py) - (px < py);
	if (tx != ty)
		return tx - ty;
	return (x->tid > y->tid) - (x->tid < y->tid);
}

static int
by_tid(const void *a, const void *b)
{
	pid_t ta = sort_base[*(const size_t *)a].tid;
	pid_t tb = sort_base[*(const size_t *)b].tid;

	return (ta > tb) - (ta < tb);
}

struct tree {
	const struct sample	*samples;
	size_t			 n;
	size_t			*kids;		/* sorted by_parent */
	size_t			*tids;		/* sorted by_tid */
	bool			*placed;
};

/* The first index of kids whose parent is `parent`, or n. */
static size_t
first_kid(const struct tree *tr, pid_t parent)
{
	size_t lo = 0, hi = tr->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (parent_of(&tr->samples[tr->kids[mid]]) < parent)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* True when a process with that pid is among the samples. */
static bool
has_process(const struct tree *tr, pid_t pid)
{
	size_t lo = 0, hi = tr->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct sample *s = &tr->samples[tr->tids[mid]];

		if (s->tid == pid)
			return s->tid == s->tgid;
		if (s->tid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* Appends sample i and, depth first, everything under it. */
static void
walk(struct snapshot *snap, struct tree *tr, size_t i, int depth)
{
	struct snap_task *t;
	size_t k, last = (size_t)-1;
	pid_t me = tr->samples[i].tid;

	if (tr->placed[i])
		return;
	tr->placed[i] = true;
	t = &snap->tasks[snap->ntasks++];
	memset(t, 0, sizeof *t);
	t->end_status = -1;
	t->born = t->died = NAN;
	t->s = tr->samples[i];
	t->depth = depth;
	t->is_thread = t->s.tid != t->s.tgid;
	t->slot = -1;
	/* A thread has no children of its own in the tree. */
	if (t->is_thread)
		return;
	for (k = first_kid(tr, me); k < tr->n &&
	    parent_of(&tr->samples[tr->kids[k]]) == me; k++) {
		if (tr->placed[tr->kids[k]])
			continue;
		last = snap->ntasks;
		walk(snap, tr, tr->kids[k], depth + 1);
	}
	if (last != (size_t)-1)
		snap->tasks[last].last_sibling = true;
}

/* Fills the control-block fields of the task with the slot's tid. */
static void
add_task(struct snapshot *snap, const struct ctl_task_view *v)
{
	size_t i;

	for (i = 0; i < snap->ntasks; i++) {
		struct snap_task *t = &snap->tasks[i];

		if (t->s.tid != v->tid)
			continue;
		t->slot = v->slot;
		/*
		 * A traced program writes these in a block ptmon shares with
		 * it: they reach the terminal inert, and cut to fit.
		 */
		sanitize_text(v->role, strnlen(v->role, sizeof v->role),
		    t->role, sizeof t->role, 0);
		t->doing = v->doing;
		t->at = v->at;
		t->local = v->local;
		t->iterations = v->iterations;
		sanitize_text(v->text, strnlen(v->text, sizeof v->text),
		    t->text, sizeof t->text, 0);
		sanitize_text(v->where, strnlen(v->where, sizeof v->where),
		    t->where, sizeof t->where, 0);
		t->arg = v->arg;
		if (!v->paused)
			t->gate = SNAP_GATE_RUNNING;
		else if (v->stepping)
			t->gate = SNAP_GATE_STEPPING;
		else
			t->gate = SNAP_GATE_PAUSED;
	}
}

static void
add_queues(struct snapshot *snap, struct ctl *ctl)
{
	struct ctl_queue_view v;
	unsigned i;
	int k, n = 0;

	for (k = 0; k < CTL_QUEUES; k++) {
		struct snap_queue *q = &snap->queues[n];

		if (!ctl_queue_read(ctl, k, &v))
			continue;
		n++;
		q->present = true;
		/* What a traced program may have written: made inert. */
		sanitize_text(v.name, strnlen(v.name, sizeof v.name), q->name,
		    sizeof q->name, 0);
		q->nitems = v.nitems <= CTL_QUEUE_CAP ? v.nitems :
		    CTL_QUEUE_CAP;
		for (i = 0; i < q->nitems; i++)
			sanitize_text(v.items[i], strnlen(v.items[i],
			    sizeof v.items[i]), q->items[i],
			    sizeof q->items[i], 0);
		q->puts = v.puts;
		q->gets = v.gets;
		q->getters_waiting = v.getters_waiting;
		q->putters_waiting = v.putters_waiting;
		q->hidden = v.hidden;
	}
}

static void
add_balance(struct snapshot *snap, struct ctl *ctl)
{
	struct snap_balance *b = &snap->balance;
	struct ctl_balance_view v;
	struct ctl_task_view task;
	int cursor = 0;

	ctl_balance_read(ctl, &v);
	b->present = true;
	b->value = v.value;
	b->expected = v.expected;
	/*
	 * A thread standing between its `balance + n` write and its `- n`
	 * write has n in the balance: add it to what we expect. A thread that
	 * runs freely stands nowhere for long; only parked ones count.
	 */
	while (ctl_task_next(ctl, &cursor, &task))
		if (task.doing == CTL_PAUSED &&
		    (task.at == CP_READ_SUB || task.at == CP_WRITE_SUB))
			b->expected += task.arg;
	b->owner = v.owner;
	b->waiters = v.waiters;
	b->lost = v.lost;
}

/* Makes each line of in inert; the newlines between them stay. */
static void
sanitize_lines(const char *in, char *out, size_t outlen)
{
	size_t o = 0;

	out[0] = '\0';
	while (*in != '\0' && o + 1 < outlen) {
		const char *nl = strchr(in, '\n');
		size_t n = nl != NULL ? (size_t)(nl - in) : strlen(in);

		o += sanitize_text(in, n, out + o, outlen - o, 0);
		if (nl == NULL || o + 2 > outlen)
			break;
		out[o++] = '\n';
		out[o] = '\0';
		in = nl + 1;
	}
}

/* What a traced program's tracer said of its threads and globals. */
static void
add_py(struct snapshot *snap, struct ctl *ctl)
{
	struct snap_py *py = &snap->py;
	struct ctl_py_task_view v;
	struct ctl_py_watch_view w;
	int i;

	py->present = true;
	py->by_op = ctl_py_by_op(ctl);
	for (i = 0; i < CTL_MAX_TASKS; i++) {
		struct snap_py_task *t = &py->tasks[i];

		t->line = 0;
		t->offset = -1;
		t->held = -1;
		if (!ctl_py_task(ctl, i, &v))
			continue;
		/* Written by the program: inert and cut to fit. */
		sanitize_text(v.path, strnlen(v.path, sizeof v.path), t->path,
		    sizeof t->path, 0);
		sanitize_lines(v.ops, t->ops, sizeof t->ops);
		sanitize_text(v.held_repr, strnlen(v.held_repr,
		    sizeof v.held_repr), t->held_repr, sizeof t->held_repr, 0);
		t->line = v.line;
		t->offset = v.offset;
		t->held = v.held;
		t->held_seq = v.held_seq;
	}
	for (i = 0; i < CTL_PY_WATCH; i++) {
		struct snap_py_watch *o = &py->watch[py->nwatch];

		if (!ctl_py_watch(ctl, i, &w))
			continue;
		sanitize_text(w.name, strnlen(w.name, sizeof w.name), o->name,
		    sizeof o->name, 0);
		sanitize_text(w.repr, strnlen(w.repr, sizeof w.repr), o->repr,
		    sizeof o->repr, 0);
		o->index = i;
		o->picked = w.picked;
		o->is_int = w.is_int;
		o->value = w.value;
		o->lost_sum = w.lost_sum;
		o->writers = w.writers;
		o->stores = w.stores;
		o->lost = w.lost;
		py->nwatch++;
	}
	/* Fresh values for the next refresh. */
	ctl_py_want(ctl);
}

void
model_build(struct snapshot *snap, pid_t root, const struct sample *samples,
    size_t n, struct ctl *ctl, unsigned panes, double t)
{
	struct tree tr = { .samples = samples, .n = n };
	size_t i;

	if (snap->cap < n) {
		snap->tasks = xrealloc(snap->tasks, n * sizeof *snap->tasks);
		snap->cap = n;
	}
	snap->ntasks = 0;
	snap->t = t;
	snap->root = root;
	memset(snap->queues, 0, sizeof snap->queues);
	memset(&snap->balance, 0, sizeof snap->balance);
	snap->py.present = false;
	snap->py.nwatch = 0;

	tr.kids = xcalloc(n, sizeof *tr.kids);
	tr.tids = xcalloc(n, sizeof *tr.tids);
	tr.placed = xcalloc(n, sizeof *tr.placed);
	for (i = 0; i < n; i++)
		tr.kids[i] = tr.tids[i] = i;
	sort_base = samples;
	qsort(tr.kids, n, sizeof *tr.kids, by_parent);
	qsort(tr.tids, n, sizeof *tr.tids, by_tid);

	for (i = 0; i < n; i++)
		if (samples[tr.tids[i]].tid == root)
			walk(snap, &tr, tr.tids[i], 0);
	/*
	 * What is left has no parent among the samples: orphans that ptmon
	 * adopted. Each starts a tree of its own at depth 1, in pid order.
	 */
	for (i = 0; i < n; i++) {
		const struct sample *s = &samples[tr.tids[i]];

		if (!tr.placed[tr.tids[i]] && s->tid == s->tgid &&
		    !has_process(&tr, s->ppid))
			walk(snap, &tr, tr.tids[i], 1);
	}
	/* Threads whose process vanished mid-read, and cycles: depth 1. */
	for (i = 0; i < n; i++)
		walk(snap, &tr, tr.tids[i], 1);
	free(tr.kids);
	free(tr.tids);
	free(tr.placed);

	if (ctl != NULL) {
		struct ctl_task_view v;
		int cursor = 0;

		while (ctl_task_next(ctl, &cursor, &v))
			add_task(snap, &v);
	}
	model_read_panes(snap, ctl, panes);
}

void
model_read_panes(struct snapshot *snap, struct ctl *ctl, unsigned panes)
{
	if (ctl != NULL) {
		if (panes & MODEL_QUEUE) {
			memset(snap->queues, 0, sizeof snap->queues);
			add_queues(snap, ctl);
		}
		if (panes & MODEL_BALANCE)
			add_balance(snap, ctl);
		if (panes & MODEL_PY)
			add_py(snap, ctl);
	}
	model_settle(snap);
}

double
model_born_at(unsigned long long start_ticks, long hz, double boot_now,
    double t_now)
{
	double age;

	if (start_ticks == 0 || hz <= 0 || isnan(boot_now) || isnan(t_now))
		return NAN;
	age = boot_now - (double)start_ticks / (double)hz;
	return age > 0 ? t_now - age : t_now;
}

void
model_task_ended(struct snap_task *t, int status, double born, double died)
{
	t->ended = true;
	t->end_status = status;
	t->born = born;
	t->died = died;
	t->s.state = 'X';
	t->s.cpu = 0;
	t->s.wchan[0] = '\0';
}

bool
model_lifetime(const struct snap_task *t, double *secs)
{
	if (!t->ended || isnan(t->born) || isnan(t->died))
		return false;
	*secs = t->died > t->born ? t->died - t->born : 0;
	return true;
}

void
model_settle(struct snapshot *snap)
{
	size_t i;
	int k;

	for (i = 0; i < snap->ntasks; i++) {
		const struct snap_task *t = &snap->tasks[i];

		if (t->slot >= 0 && !t->ended && t->doing == CTL_WAIT_QUEUE)
			return;
	}
	for (k = 0; k < CTL_QUEUES; k++) {
		snap->queues[k].getters_waiting = 0;
		snap->queues[k].putters_waiting = 0;
	}
}

void
model_free(struct snapshot *snap)
{
	free(snap->tasks);
	snap->tasks = NULL;
	snap->ntasks = snap->cap = 0;
}

const struct snap_task *
model_find(const struct snapshot *snap, pid_t tid)
{
	size_t i;

	for (i = 0; i < snap->ntasks; i++)
		if (snap->tasks[i].s.tid == tid)
			return &snap->tasks[i];
	return NULL;
}

bool
model_is_unnamed(const struct sample *s, const struct ctl_task_view *tasks,
    size_t ntasks)
{
	/* A thread's maker is in its own process; a fork's in its parent. */
	pid_t maker = s->tid != s->tgid ? s->tgid : s->ppid;
	bool named_as_maker = false;
	size_t i;

	/* A traced Python's watcher thread is the tracer's, never shown. */
	if (s->tid != s->tgid && strcmp(s->name, CTL_WATCHER_NAME) == 0)
		return true;
	for (i = 0; i < ntasks; i++) {
		if (tasks[i].tid == s->tid)
			return false;
		if (tasks[i].pid == maker && tasks[i].doing != CTL_DONE &&
		    strcmp(tasks[i].role, s->name) == 0)
			named_as_maker = true;
	}
	return named_as_maker;
}

const char *
model_task_at(const struct snap_task *t)
{
	if (t->slot < 0)
		return "";
	if (t->at == CP_LINE && t->where[0] != '\0')
		return t->where;
	return checkpoint_label(t->at);
}

const char *
model_task_name(const struct snap_task *t)
{
	if (t->slot >= 0 && t->role[0] != '\0')
		return t->role;
	return t->s.name;
}
