/*
 * The timeline: a ring of TIMELINE_CELLS letters per task, indexed by the
 * cell number, so recording a refresh is one store per task. Most tasks of
 * a big tree sleep through every cell: a task keeps one letter and no ring
 * until its state first changes (the ring would be 5,000 x 200 bytes of
 * 'S' in a tree of sleepers, more than the rest of ptmon's memory).
 */
#include "config.h"

#include "timeline.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* Which letter wins when two samples fold into one cell: the busiest. */
static int
rank(char letter)
{
	static const char order[] = ".ZSPrWR";
	const char *at = strchr(order, letter);

	return at != NULL && letter != '\0' ? (int)(at - order) : 0;
}

/* Kernel functions a task waits in for another task: a join or a pipe. */
static bool
waits_on_task(const char *wchan)
{
	return strcmp(wchan, "do_wait") == 0 ||
	    strcmp(wchan, "pipe_read") == 0 ||
	    strcmp(wchan, "pipe_write") == 0;
}

char
timeline_letter(const struct snap_task *t)
{
	if (t->ended || t->s.state == 'Z' || t->s.state == 'X')
		return 'Z';
	if (t->s.state == 'T' || t->s.state == 't' ||
	    (t->slot >= 0 && t->doing == CTL_PAUSED))
		return 'P';
	if (t->slot >= 0 && (t->doing == CTL_WAIT_QUEUE ||
	    t->doing == CTL_WAIT_LOCK || t->doing == CTL_WAIT_JOIN))
		return 'W';
	if (t->s.state == 'R')
		/* Runnable and given no CPU since the last tick: it waits for one. */
		return t->s.cpu > 0 ? 'R' : 'r';
	if (t->s.state == 'D' || waits_on_task(t->s.wchan))
		return 'W';
	return 'S';
}

static struct timeline_task *
find(const struct timeline *tl, pid_t tid)
{
	size_t i = tidmap_find(&tl->by_tid, tid);

	return i == (size_t)-1 ? NULL : &tl->tasks[i];
}

/* The letter of cell c of a task with no ring yet. */
static char
uniform_cell(const struct timeline_task *t, unsigned long c)
{
	if (c < t->first)
		return '.';
	/* Missing from a cell after its last: it has exited. */
	return c <= t->seen ? t->uniform : 'Z';
}

/* Gives a task its ring, holding what its one letter said up to cell. */
static void
give_ring(struct timeline_task *t, unsigned long cell)
{
	unsigned long c = cell >= TIMELINE_CELLS ? cell - TIMELINE_CELLS + 1 :
	    0;

	t->ring = xmalloc(TIMELINE_CELLS);
	memset(t->ring, '.', TIMELINE_CELLS);
	for (; c < cell; c++)
		t->ring[c % TIMELINE_CELLS] = uniform_cell(t, c);
	t->ring[cell % TIMELINE_CELLS] = uniform_cell(t, t->seen);
}

static struct timeline_task *
add(struct timeline *tl, pid_t tid, unsigned long cell, char letter)
{
	struct timeline_task *t;

	if (tl->n == tl->cap) {
		tl->cap = tl->cap ? tl->cap * 2 : 64;
		tl->tasks = xrealloc(tl->tasks, tl->cap * sizeof *tl->tasks);
	}
	t = &tl->tasks[tl->n];
	t->tid = tid;
	t->first = t->seen = cell;
	t->uniform = letter;
	t->ring = NULL;
	tidmap_put(&tl->by_tid, tid, tl->n++);
	return t;
}

/*
 * A new cell: every task not in it has exited, and one gone for a whole
 * ring is dropped (the map is rebuilt then: it has no removal).
 */
static void
close_missing(struct timeline *tl, unsigned long cell)
{
	size_t i, kept = 0;

	for (i = 0; i < tl->n; i++) {
		struct timeline_task *t = &tl->tasks[i];

		/* Without a ring, cells after the last seen read 'Z'. */
		if (t->seen != cell && t->ring != NULL)
			t->ring[cell % TIMELINE_CELLS] = 'Z';
		if (cell - t->seen >= TIMELINE_CELLS) {
			free(t->ring);
			continue;
		}
		if (kept != i)
			tl->tasks[kept] = *t;
		kept++;
	}
	if (kept == tl->n)
		return;
	tl->n = kept;
	tidmap_clear(&tl->by_tid);
	for (i = 0; i < tl->n; i++)
		tidmap_put(&tl->by_tid, tl->tasks[i].tid, i);
}

void
timeline_record(struct timeline *tl, const struct snapshot *snap,
    bool new_cell)
{
	unsigned long cell;
	size_t i;

	if (new_cell || tl->cells == 0)
		tl->cells++;
	cell = tl->cells - 1;
	for (i = 0; i < snap->ntasks; i++) {
		const struct snap_task *st = &snap->tasks[i];
		struct timeline_task *t = find(tl, st->s.tid);
		char *c, letter = timeline_letter(st);

		if (t == NULL) {
			add(tl, st->s.tid, cell, letter);
			continue;
		}
		if (t->ring == NULL) {
			bool fresh = t->seen != cell;

			/* The same letter again, or a busier one in its only cell. */
			if ((fresh && letter == t->uniform && t->seen + 1 == cell) ||
			    (!fresh && rank(letter) <= rank(t->uniform))) {
				t->seen = cell;
				continue;
			}
			if (!fresh && t->first == cell) {
				t->uniform = letter;
				continue;
			}
			give_ring(t, cell);
		}
		c = &t->ring[cell % TIMELINE_CELLS];
		/* Its first sample in this cell, or a busier one folded in. */
		if (t->seen != cell || rank(letter) > rank(*c))
			*c = letter;
		t->seen = cell;
	}
	if (new_cell)
		close_missing(tl, cell);
}

size_t
timeline_states(const struct timeline *tl, pid_t tid, size_t max, char *buf)
{
	const struct timeline_task *t = find(tl, tid);
	unsigned long c, from;
	size_t len = 0;

	buf[0] = '\0';
	if (t == NULL || tl->cells == 0)
		return 0;
	if (max > TIMELINE_CELLS)
		max = TIMELINE_CELLS;
	from = tl->cells > max ? tl->cells - max : 0;
	for (c = from; c < tl->cells; c++)
		buf[len++] = c < t->first || t->ring == NULL ?
		    uniform_cell(t, c) : t->ring[c % TIMELINE_CELLS];
	buf[len] = '\0';
	return len;
}

void
timeline_clear(struct timeline *tl)
{
	for (size_t i = 0; i < tl->n; i++)
		free(tl->tasks[i].ring);
	tl->n = 0;
	tl->cells = 0;
	tidmap_clear(&tl->by_tid);
}

void
timeline_free(struct timeline *tl)
{
	timeline_clear(tl);
	free(tl->tasks);
	tidmap_free(&tl->by_tid);
	memset(tl, 0, sizeof *tl);
}
