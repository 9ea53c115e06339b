/*
 * libFuzzer target for the control block as a traced Python program may
 * leave it: the block is shared with a program ptmon does not control, so
 * every byte after its header (magic, version, size) is the input, tiled
 * over the block or put at an offset the input chooses. Reading it
 * through the monitor's views (ctl_task_next, ctl_queue_read,
 * ctl_py_task, ctl_py_watch) and building a snapshot from it must stay in
 * bounds and terminate, and nothing that reaches the snapshot may hold a
 * control character. The queues' lock words are cleared so that a run
 * does not wait out a lock the input holds (tests/test_ctl.c's hostile
 * block covers that wait).
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "ctl.h"
#include "ctl_layout.h"
#include "model.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Aborts unless s is NUL-terminated within n bytes with no control. */
static void
fuzz_inert(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && s[i] != '\0'; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			abort();
	if (i == n)
		abort();
}

static void
fuzz_terminated(const char *s, size_t n)
{
	if (memchr(s, '\0', n) == NULL)
		abort();
}

/* Writes the input over the block after its header. */
static void
fuzz_fill(struct ctl *ctl, const uint8_t *data, size_t size)
{
	unsigned char *raw = (unsigned char *)ctl;
	size_t header = offsetof(struct ctl, speed_bits), total = sizeof *ctl;
	size_t i, at;
	int k;

	if (size < 2)
		return;
	if (data[0] & 1) {
		/* Tiled: every field gets some of the input. */
		for (i = header; i < total; i++)
			raw[i] = data[1 + (i - header) % (size - 1)];
	} else {
		/* At an offset: the rest of the block as ptmon made it. */
		at = header + ((size_t)data[1] * 4099u) % (total - header);
		for (i = 2; i < size && at + i - 2 < total; i++)
			raw[at + i - 2] = data[i];
	}
	for (k = 0; k < CTL_QUEUES; k++)
		atomic_store(&ctl->queues[k].lock, 0);
}

static void
fuzz_check_views(struct ctl *ctl)
{
	struct ctl_task_view v;
	struct ctl_queue_view q;
	struct ctl_py_task_view pv;
	struct ctl_py_watch_view wv;
	unsigned i;
	int cursor = 0, k, n = 0;

	while (ctl_task_next(ctl, &cursor, &v)) {
		if (v.slot < 0 || v.slot >= CTL_MAX_TASKS || ++n > CTL_MAX_TASKS)
			abort();
		if (v.doing > CTL_DONE || v.at >= CP_COUNT)
			abort();
		fuzz_terminated(v.role, sizeof v.role);
		fuzz_terminated(v.text, sizeof v.text);
		fuzz_terminated(v.where, sizeof v.where);
	}
	for (k = 0; k < CTL_QUEUES; k++) {
		if (!ctl_queue_read(ctl, k, &q))
			continue;
		if (q.nitems > CTL_QUEUE_CAP)
			abort();
		fuzz_terminated(q.name, sizeof q.name);
		for (i = 0; i < q.nitems; i++)
			fuzz_terminated(q.items[i], CTL_ITEM_LEN);
	}
	for (k = -1; k <= CTL_MAX_TASKS; k++)
		if (ctl_py_task(ctl, k, &pv)) {
			if (k < 0 || k >= CTL_MAX_TASKS)
				abort();
			fuzz_terminated(pv.path, sizeof pv.path);
			fuzz_terminated(pv.ops, sizeof pv.ops);
			fuzz_terminated(pv.held_repr, sizeof pv.held_repr);
		}
	for (k = -1; k <= CTL_PY_WATCH; k++)
		if (ctl_py_watch(ctl, k, &wv)) {
			if (k < 0 || k >= CTL_PY_WATCH)
				abort();
			fuzz_terminated(wv.name, sizeof wv.name);
			fuzz_terminated(wv.repr, sizeof wv.repr);
		}
}

/* A snapshot of every slot's task, with every pane: all of it inert. */
static void
fuzz_check_snapshot(struct ctl *ctl)
{
	static struct snapshot snap;
	struct sample samples[CTL_MAX_TASKS];
	struct ctl_task_view v;
	const char *l;
	size_t i, n = 0;
	int cursor = 0, k;

	while (n < CTL_MAX_TASKS && ctl_task_next(ctl, &cursor, &v)) {
		memset(&samples[n], 0, sizeof samples[n]);
		/* Distinct, positive tids: the tree needs a root. */
		samples[n].tid = samples[n].tgid = (pid_t)(100 + n);
		samples[n].ppid = n == 0 ? 1 : 100;
		samples[n].state = 'S';
		n++;
	}
	model_build(&snap, 100, samples, n, ctl,
	    MODEL_QUEUE | MODEL_BALANCE | MODEL_PY, 0);
	for (i = 0; i < snap.ntasks; i++) {
		const struct snap_task *t = &snap.tasks[i];

		fuzz_inert(t->role, sizeof t->role);
		fuzz_inert(t->text, sizeof t->text);
		fuzz_inert(t->where, sizeof t->where);
	}
	for (k = 0; k < CTL_QUEUES; k++) {
		const struct snap_queue *sq = &snap.queues[k];

		if (sq->nitems > CTL_QUEUE_CAP)
			abort();
		fuzz_inert(sq->name, sizeof sq->name);
		for (i = 0; i < sq->nitems; i++)
			fuzz_inert(sq->items[i], sizeof sq->items[i]);
	}
	if (snap.py.nwatch < 0 || snap.py.nwatch > CTL_PY_WATCH)
		abort();
	for (k = 0; k < CTL_MAX_TASKS; k++) {
		const struct snap_py_task *pt = &snap.py.tasks[k];

		fuzz_inert(pt->path, sizeof pt->path);
		fuzz_inert(pt->held_repr, sizeof pt->held_repr);
		fuzz_terminated(pt->ops, sizeof pt->ops);
		/* The record's lines: each inert. */
		for (l = pt->ops; *l != '\0'; l++)
			if (*l != '\n' && ((unsigned char)*l < 0x20 ||
			    *l == 0x7f))
				abort();
	}
	for (k = 0; k < snap.py.nwatch; k++) {
		fuzz_inert(snap.py.watch[k].name, sizeof snap.py.watch[k].name);
		fuzz_inert(snap.py.watch[k].repr, sizeof snap.py.watch[k].repr);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ctl *ctl;

	if (ctl == NULL && (ctl = ctl_new(1.0, 1)) == NULL)
		abort();
	memset((char *)ctl + offsetof(struct ctl, speed_bits), 0,
	    sizeof *ctl - offsetof(struct ctl, speed_bits));
	fuzz_fill(ctl, data, size);
	fuzz_check_views(ctl);
	fuzz_check_snapshot(ctl);
	return 0;
}
