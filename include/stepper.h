/*
 * The interleaving lab's driver: steps the gated tasks of a scenario one
 * statement at a time, either as a schedule file says (replay) or by random
 * choice (explore), and records the steps it takes. It works on the control
 * block only; the caller's loop calls stepper_advance on every pass.
 */
#ifndef PTMON_STEPPER_H
#define PTMON_STEPPER_H

#include <stdbool.h>
#include <stdint.h>

struct ctl;
struct stepper;
struct schedule;

enum stepper_state {
	STEPPER_STEPPING,	/* steps still to take */
	STEPPER_FREE,	/* done stepping: every task runs freely again */
	STEPPER_ERROR,	/* the schedule cannot go on: see stepper_error */
};

/*
 * A lab that replays `plan` (kept by the caller): every task the plan
 * names starts paused at its first checkpoint; the steps happen in the
 * plan's order; then the named tasks run to their end one after another,
 * in the order the plan first names them, so the result is the same on
 * every run. Tasks the plan never names run freely.
 */
struct stepper	*stepper_replay(const struct schedule *plan);
/*
 * A lab that explores: every task but the root starts paused; each step
 * goes to a paused task chosen at random (seeded), until all have ended.
 */
struct stepper	*stepper_explore(uint64_t seed);
/* Sets which tasks start paused; call before the scenario starts. */
void		 stepper_prepare(struct stepper *, struct ctl *);
/*
 * Takes the next step when the previous one is complete (its task stands
 * at its next checkpoint, blocks, or ends). Waits at most a few
 * milliseconds. `over` is true once the scenario's root has ended.
 */
enum stepper_state	 stepper_advance(struct stepper *, struct ctl *, bool over);
/*
 * At most `steps` steps per stepper_advance call (64 unless set): the UI takes
 * one a refresh, so a person can watch a schedule play.
 */
void		 stepper_set_pace(struct stepper *, int steps);
/* One line saying why the schedule cannot go on. */
const char	*stepper_error(const struct stepper *);
/* The steps taken so far, as a schedule. */
const struct schedule *stepper_taken(const struct stepper *);
/* Frees the lab. */
void		 stepper_free(struct stepper *);

#endif
