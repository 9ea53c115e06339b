/*
 * The keeper: a small process that outlives ptmon just long enough to end
 * what ptmon watched. PR_SET_PDEATHSIG is cleared on fork, so it reaches a
 * scenario's or command's direct child only; the keeper instead ends every
 * process of the watched session when ptmon dies, even by SIGKILL.
 */
#ifndef PTMON_KEEPER_H
#define PTMON_KEEPER_H

#include <sys/types.h>

/*
 * Starts the keeper; call once, before ptmon becomes a child subreaper, so
 * the keeper is not ptmon's child (and not in its tree). Returns -1 with
 * errno when it cannot.
 */
int		 keeper_start(void);
/* Tells the keeper which session to end if ptmon dies; 0 for none. */
void		 keeper_watch(pid_t sid);

/*
 * Sends SIGKILL to every process of session sid, through pidfds and after
 * checking the session again, until none is left or a second has passed.
 * Returns how many processes it signalled.
 */
int		 kill_session(pid_t sid);

#endif
