/*
 * tid -> index, open addressing with linear probing. Entries are never
 * removed one by one: the driver forgets them all when a run starts.
 */
#include "config.h"

#include "tidmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define TIDMAP_NONE	((size_t)-1)

/* The slot where tid is, or the empty one where it would go. */
static size_t
slot_of(const struct tidmap *m, pid_t tid)
{
	size_t mask = m->cap - 1;
	/* Fibonacci hashing: the product's top bits, so strides spread too. */
	size_t i = (size_t)(((uint32_t)tid * 2654435761u) >>
	    (32 - __builtin_ctzl(m->cap)));

	while (m->slots[i].tid != 0 && m->slots[i].tid != tid)
		i = (i + 1) & mask;
	return i;
}

size_t
tidmap_find(const struct tidmap *m, pid_t tid)
{
	size_t i;

	if (m->cap == 0 || tid <= 0)
		return TIDMAP_NONE;
	i = slot_of(m, tid);
	return m->slots[i].tid == tid ? m->slots[i].index : TIDMAP_NONE;
}

/*
 * Doubles the table. It is kept at most three quarters full: tids come
 * mostly in runs, which the multiplicative hash spreads evenly, so probes
 * stay short even then.
 */
static void
grow(struct tidmap *m)
{
	struct tidmap_slot *old = m->slots;
	size_t oldcap = m->cap, j;

	m->cap = oldcap != 0 ? oldcap * 2 : 64;
	m->slots = xcalloc(m->cap, sizeof *m->slots);
	for (j = 0; j < oldcap; j++)
		if (old[j].tid != 0)
			m->slots[slot_of(m, old[j].tid)] = old[j];
	free(old);
}

void
tidmap_put(struct tidmap *m, pid_t tid, size_t index)
{
	size_t i;

	if (tid <= 0)
		return;
	if ((m->used + 1) * 4 > m->cap * 3)
		grow(m);
	i = slot_of(m, tid);
	if (m->slots[i].tid == 0)
		m->used++;
	m->slots[i].tid = tid;
	m->slots[i].index = (uint32_t)index;
}

void
tidmap_clear(struct tidmap *m)
{
	if (m->cap > 0)
		memset(m->slots, 0, m->cap * sizeof *m->slots);
	m->used = 0;
}

void
tidmap_free(struct tidmap *m)
{
	free(m->slots);
	memset(m, 0, sizeof *m);
}
