/*
 * The JSON Lines stream of a run (ptmon --batch --json): one function per
 * event type, each appending one object (no newline) to a json buffer.
 * Pure: no I/O and no clock, so every field can be unit-tested; see
 * doc/design.md for the keys and man/ptmon.1 for the format.
 */
#ifndef PTMON_JSONL_H
#define PTMON_JSONL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct json;
struct params;
struct snapshot;
struct timeline;

/* What the start event says of the run. */
struct jsonl_start {
	const char		*scenario;	/* or NULL */
	const struct params	*params;	/* the scenario's */
	const char		*command;	/* command line, or NULL */
	const char		*attach;	/* "pid N", or NULL */
	pid_t			 pid;		/* ptmon's */
	pid_t			 root;
	double			 speed;
	bool			 has_seed;
	uint64_t		 seed;
};

void		 jsonl_start(struct json *, double t, const struct jsonl_start *);
/* A line of output; stream 2 is marked "stderr". */
void		 jsonl_output(struct json *, double t, pid_t pid, int stream,
		    const char *text);
void		 jsonl_spawn(struct json *, double t, pid_t pid, pid_t tid,
		    pid_t ppid, const char *name);
/* status as from waitpid; < 0 when not known (null). */
/* A task ended: its process and its own id (the same for a process). */
void		 jsonl_exit(struct json *, double t, pid_t pid, pid_t tid,
		    int status);
/*
 * The tree with queue and balance when present; hz: clock ticks a second.
 * Each task carries its `states` from tl (timeline.h); "" when tl is NULL.
 */
void		 jsonl_snapshot(struct json *, double t, const struct snapshot *,
		    long hz, const struct timeline *tl);
void		 jsonl_end(struct json *, double t, int status);

#endif
