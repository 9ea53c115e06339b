/*
 * The keeper: a small process that outlives ptmon just long enough to end
 * what ptmon watched. PR_SET_PDEATHSIG is cleared on fork, so it reaches a
 * scenario's or command's direct child only; the keeper instead ends every
 * process of the watched cgroup and session when ptmon dies, even by
 * SIGKILL, and continues every process ptmon had stopped.
 */
#ifndef PTMON_KEEPER_H
#define PTMON_KEEPER_H

#include <stdbool.h>
#include <sys/types.h>

/* The most stopped processes the keeper can continue after ptmon dies. */
#define KEEPER_HELD_MAX	256

/*
 * Starts the keeper; call once, before ptmon becomes a child subreaper, so
 * the keeper is not ptmon's child (and not in its tree). Returns -1 with
 * errno when it cannot.
 */
int		 keeper_start(void);
/*
 * Tells the keeper which session to end if ptmon dies; 0 for none. Clear
 * it before the session's leader is reaped: its pid may then be reused by
 * a new session that is not ours.
 */
void		 keeper_watch(pid_t sid);
/*
 * Tells the keeper that ptmon stopped (held) or continued a foreign process,
 * so that if ptmon dies the keeper continues what ptmon left stopped.
 */
void		 keeper_hold(pid_t pid, unsigned long long start, bool held);

/*
 * Sends SIGKILL to every process of session sid, through pidfds and after
 * checking the session again, until none is left or a second has passed.
 * Returns how many processes it signalled.
 */
int		 kill_session(pid_t sid);

#endif
