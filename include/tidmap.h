/*
 * A map from task ids to small indexes (an open-addressing hash table), for
 * the driver's list of tasks seen: with thousands of tasks a refresh must
 * not search the list once per task.
 */
#ifndef PTMON_TIDMAP_H
#define PTMON_TIDMAP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* 8 bytes: a map of 5,000 tasks is 64 KiB, as it is read on every refresh. */
struct tidmap_slot {
	pid_t		 tid;		/* 0: empty */
	uint32_t	 index;		/* an array index: tasks are far fewer */
};

struct tidmap {
	struct tidmap_slot	*slots;
	size_t			 cap;		/* a power of two, or 0 */
	size_t			 used;
};

/* The index stored for tid, or (size_t)-1 when tid is not in the map. */
size_t		 tidmap_find(const struct tidmap *, pid_t tid);
/* Stores index for tid (tid > 0), replacing what was there. */
void		 tidmap_put(struct tidmap *, pid_t tid, size_t index);
/* Forgets every tid; keeps the memory. */
void		 tidmap_clear(struct tidmap *);
/* Frees the memory. */
void		 tidmap_free(struct tidmap *);

#endif
