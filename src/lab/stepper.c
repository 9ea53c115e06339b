/*
 * The lab's driver. A step is complete when its task stands still again:
 * parked at its next checkpoint, blocked on a queue, lock or join (a step
 * into a blocking call is complete once the task blocks), or ended. Before
 * each step the lab also waits until no gated task is still moving, so the
 * next step never overlaps the last: every statement that touches shared
 * state stands behind a checkpoint, which makes a replay deterministic.
 */
#include "config.h"

#include "stepper.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "ctl.h"
#include "prng.h"
#include "schedule.h"
#include "xalloc.h"
#include "i18n.h"

/* How long a named task may take to reach a checkpoint, or to appear. */
#define LAB_PATIENCE	10.0
#define LAB_APPEAR	3.0

enum lab_mode {
	LAB_MODE_REPLAY,
	LAB_MODE_EXPLORE,
};

struct stepper {
	enum lab_mode		 mode;
	const struct schedule	*plan;
	size_t			 next;		/* plan line to take next */
	struct schedule		 taken;
	int			 pending;	/* slot stepped, or -1 */
	uint64_t		 pending_passed;
	double			 waiting_since;	/* 0: not waiting */
	struct prng		 rng;
	char			 order[CTL_NAMES_MAX][SCHEDULE_NAME_LEN];
	int			 norder;
	int			 releasing;	/* index in order, -1 before */
	enum stepper_state		 state;
	int			 pace;		/* steps a call may take */
	char			 error[256];
};


static struct stepper *
lab_new(enum lab_mode mode)
{
	struct stepper *lab = xcalloc(1, sizeof *lab);

	lab->mode = mode;
	lab->pending = -1;
	lab->releasing = -1;
	lab->state = STEPPER_STEPPING;
	lab->pace = 64;
	return lab;
}

struct stepper *
stepper_replay(const struct schedule *plan)
{
	struct stepper *lab = lab_new(LAB_MODE_REPLAY);

	lab->plan = plan;
	lab->norder = schedule_names(plan, lab->order, CTL_NAMES_MAX);
	return lab;
}

struct stepper *
stepper_explore(uint64_t seed)
{
	struct stepper *lab = lab_new(LAB_MODE_EXPLORE);

	prng_seed(&lab->rng, seed * 0x9e3779b97f4a7c15ULL + 1);
	return lab;
}

void
stepper_prepare(struct stepper *lab, struct ctl *ctl)
{
	char names[CTL_NAMES_MAX][CTL_ROLE_LEN];
	int i;

	if (lab->mode == LAB_MODE_EXPLORE) {
		ctl_pause_new(ctl, CTL_PAUSE_ALL_BUT_ROOT, NULL, 0);
		return;
	}
	for (i = 0; i < lab->norder; i++)
		memcpy(names[i], lab->order[i], CTL_ROLE_LEN);
	ctl_pause_new(ctl, CTL_PAUSE_NAMED, names, lab->norder);
}

static enum stepper_state
lab_fail(struct stepper *lab, const char *fmt, const char *name, int line)
{
	char what[200];

	snprintf(what, sizeof what, fmt, name);
	if (line > 0)
		snprintf(lab->error, sizeof lab->error, _("line %d: %s"), line,
		    what);
	else
		snprintf(lab->error, sizeof lab->error, "%s", what);
	lab->state = STEPPER_ERROR;
	return lab->state;
}

/* What the slot's task does; a free slot counts as ended. */
static enum ctl_doing
doing_of(const struct ctl *ctl, int slot)
{
	struct ctl_task_view v;

	return ctl_task(ctl, slot, &v) ? v.doing : CTL_DONE;
}

/* True when the task stands still: parked, blocked or ended. */
static bool
still(const struct ctl *ctl, int slot)
{
	enum ctl_doing doing = doing_of(ctl, slot);

	return doing == CTL_PAUSED || doing == CTL_DONE ||
	    ctl_is_blocked(ctl, slot);
}

/* True when no gated task is on its way between two checkpoints. */
static bool
settled(const struct ctl *ctl)
{
	struct ctl_task_view v;
	int cursor = 0;

	while (ctl_task_next(ctl, &cursor, &v))
		if (v.paused && !still(ctl, v.slot))
			return false;
	return true;
}

/* True when the stepped task has finished its step. */
static bool
step_complete(const struct stepper *lab, const struct ctl *ctl)
{
	int s = lab->pending;

	if (doing_of(ctl, s) == CTL_DONE || ctl_is_blocked(ctl, s))
		return true;
	return doing_of(ctl, s) == CTL_PAUSED &&
	    ctl_checkpoints_passed(ctl, s) > lab->pending_passed;
}

static void
take_step(struct stepper *lab, struct ctl *ctl, int slot)
{
	struct ctl_task_view v;

	if (!ctl_task(ctl, slot, &v))
		return;
	lab->pending = slot;
	lab->waiting_since = 0;
	lab->pending_passed = ctl_checkpoints_passed(ctl, slot);
	schedule_add(&lab->taken, v.role);
	ctl_step(ctl, slot);
}

/* Starts or checks a wait; true when it has lasted `limit` seconds. */
static bool
waited_longer(struct stepper *lab, double limit)
{
	if (lab->waiting_since == 0)
		lab->waiting_since = clock_seconds();
	return clock_seconds() - lab->waiting_since > limit;
}

static bool
waited_too_long(struct stepper *lab)
{
	return waited_longer(lab, LAB_PATIENCE);
}

/* Lets everything run freely: the lab is done. */
static enum stepper_state
lab_done(struct stepper *lab, struct ctl *ctl)
{
	ctl_pause_new(ctl, CTL_PAUSE_NONE, NULL, 0);
	ctl_resume_all(ctl);
	lab->state = STEPPER_FREE;
	return lab->state;
}

/*
 * After the plan: lets the named tasks go one at a time, each until it ends
 * or blocks, so that what happens after the last line is deterministic too.
 */
static enum stepper_state
release_next(struct stepper *lab, struct ctl *ctl)
{
	if (lab->releasing >= 0 && lab->releasing < lab->norder) {
		int slot = ctl_find_role(ctl, lab->order[lab->releasing]);

		if (slot >= 0 && doing_of(ctl, slot) != CTL_DONE &&
		    !ctl_is_blocked(ctl, slot))
			return STEPPER_STEPPING;	/* still running to its end */
	}
	for (lab->releasing++; lab->releasing < lab->norder; lab->releasing++) {
		int slot = ctl_find_role(ctl, lab->order[lab->releasing]);

		if (slot >= 0 && doing_of(ctl, slot) != CTL_DONE) {
			lab->waiting_since = 0;
			ctl_resume(ctl, slot);
			return STEPPER_STEPPING;
		}
	}
	return lab_done(lab, ctl);
}

static enum stepper_state
replay_step(struct stepper *lab, struct ctl *ctl, bool over)
{
	const char *name;
	int line, slot;

	if (lab->next == lab->plan->n)
		return release_next(lab, ctl);
	name = lab->plan->names[lab->next];
	line = lab->plan->lines[lab->next];
	slot = ctl_find_role(ctl, name);
	if (slot < 0) {
		if (over || waited_longer(lab, LAB_APPEAR))
			return lab_fail(lab, _("no task named '%s'"), name, line);
		return STEPPER_STEPPING;
	}
	if (doing_of(ctl, slot) == CTL_DONE)
		return lab_fail(lab, _("%s has ended: it has no step left"), name,
		    line);
	if (settled(ctl) && ctl_is_blocked(ctl, slot)) {
		/*
		 * A task waiting on the lock (or a queue, or a join) stays
		 * waiting: its step is taken and does nothing.
		 */
		lab->next++;
		lab->waiting_since = 0;
		schedule_add(&lab->taken, name);
		return STEPPER_STEPPING;
	}
	if (!settled(ctl) || doing_of(ctl, slot) != CTL_PAUSED) {
		if (over || waited_too_long(lab))
			return lab_fail(lab, _("%s does not reach a checkpoint"),
			    name, line);
		return STEPPER_STEPPING;
	}
	lab->next++;
	take_step(lab, ctl, slot);
	return STEPPER_STEPPING;
}


static enum stepper_state
explore_step(struct stepper *lab, struct ctl *ctl, bool over)
{
	int parked[CTL_MAX_TASKS];
	char roles[CTL_MAX_TASKS][CTL_ROLE_LEN];
	struct ctl_task_view v;
	int cursor = 0, n = 0, i;

	if (!settled(ctl)) {
		if (over || waited_too_long(lab))
			return lab_fail(lab, _("%s: a task does not reach a "
			    "checkpoint"), "explore", 0);
		return STEPPER_STEPPING;
	}
	/* Slot 0 is the root, which runs freely. */
	/*
	 * In the order of their names, not of their slots: which thread takes
	 * the lower slot depends on which starts first, and the same seed
	 * must find the same schedule on every run.
	 */
	while (ctl_task_next(ctl, &cursor, &v)) {
		if (v.slot <= 0 || !v.paused || v.doing != CTL_PAUSED)
			continue;
		for (i = n; i > 0 && strcmp(roles[i - 1], v.role) > 0; i--) {
			parked[i] = parked[i - 1];
			memcpy(roles[i], roles[i - 1], CTL_ROLE_LEN);
		}
		parked[i] = v.slot;
		memcpy(roles[i], v.role, CTL_ROLE_LEN);
		n++;
	}
	if (n == 0)
		return over ? lab_done(lab, ctl) : (waited_too_long(lab) ?
		    lab_done(lab, ctl) : STEPPER_STEPPING);
	take_step(lab, ctl, parked[prng_next(&lab->rng) % (uint64_t)n]);
	return STEPPER_STEPPING;
}

enum stepper_state
stepper_advance(struct stepper *lab, struct ctl *ctl, bool over)
{
	uint32_t bell = ctl_doorbell(ctl);
	int round;

	/* Several steps per call when they complete quickly. */
	for (round = 0; round < lab->pace && lab->state == STEPPER_STEPPING;
	    round++) {
		enum stepper_state st;

		if (lab->pending >= 0) {
			if (!step_complete(lab, ctl)) {
				if (over)
					return lab_done(lab, ctl);
				ctl_wait_doorbell(ctl, bell, 0.005);
				bell = ctl_doorbell(ctl);
				if (!step_complete(lab, ctl))
					return lab->state;
			}
			lab->pending = -1;
		}
		st = lab->mode == LAB_MODE_REPLAY ?
		    replay_step(lab, ctl, over) : explore_step(lab, ctl, over);
		if (st != STEPPER_STEPPING || lab->pending >= 0)
			continue;
		/* Nothing to step yet: wait for a task to park or block. */
		ctl_wait_doorbell(ctl, bell, 0.005);
		return lab->state;
	}
	return lab->state;
}

void
stepper_set_pace(struct stepper *lab, int steps)
{
	lab->pace = steps > 0 ? steps : 1;
}

const char *
stepper_error(const struct stepper *lab)
{
	return lab->error;
}

const struct schedule *
stepper_taken(const struct stepper *lab)
{
	return &lab->taken;
}

void
stepper_free(struct stepper *lab)
{
	if (lab == NULL)
		return;
	schedule_free(&lab->taken);
	free(lab);
}
