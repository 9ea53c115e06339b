/*
 * The interleaving lab's driver: steps the gated tasks of a scenario one
 * statement at a time, either as a schedule file says (replay) or by random
 * choice (explore), and records the steps it takes. It works on the control
 * block only; the caller's loop calls lab_advance on every pass.
 */
#ifndef PTMON_LAB_H
#define PTMON_LAB_H

#include <stdbool.h>
#include <stdint.h>

struct ctl;
struct lab;
struct schedule;

enum lab_state {
	LAB_STEPPING,	/* steps still to take */
	LAB_FREE,	/* done stepping: every task runs freely again */
	LAB_ERROR,	/* the schedule cannot go on: see lab_error */
};

/*
 * A lab that replays `plan` (kept by the caller): every task the plan
 * names starts paused at its first checkpoint; the steps happen in the
 * plan's order; then the named tasks run to their end one after another,
 * in the order the plan first names them, so the result is the same on
 * every run. Tasks the plan never names run freely.
 */
struct lab	*lab_replay(const struct schedule *plan);
/*
 * A lab that explores: every task but the root starts paused; each step
 * goes to a paused task chosen at random (seeded), until all have ended.
 */
struct lab	*lab_explore(uint64_t seed);
/* Sets which tasks start paused; call before the scenario starts. */
void		 lab_prepare(struct lab *, struct ctl *);
/*
 * Takes the next step when the previous one is complete (its task stands
 * at its next checkpoint, blocks, or ends). Waits at most a few
 * milliseconds. `over` is true once the scenario's root has ended.
 */
enum lab_state	 lab_advance(struct lab *, struct ctl *, bool over);
/*
 * At most `steps` steps per lab_advance call (64 unless set): the UI takes
 * one a refresh, so a person can watch a schedule play.
 */
void		 lab_set_pace(struct lab *, int steps);
/* One line saying why the schedule cannot go on. */
const char	*lab_error(const struct lab *);
/* The steps taken so far, as a schedule. */
const struct schedule *lab_taken(const struct lab *);
/* Frees the lab. */
void		 lab_free(struct lab *);

#endif
