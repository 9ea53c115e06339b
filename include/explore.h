/*
 * ptmon --batch --explore N: tries up to N random schedules of a scenario
 * with a balance, and stops at the first whose final balance is not what
 * it should be (or, with target=, is the target).
 */
#ifndef PTMON_EXPLORE_H
#define PTMON_EXPLORE_H

struct cli;
struct params;
struct scenario;

/*
 * Runs the exploration; prints the schedule found (as a schedule file,
 * saved to --record too) or that none was found, with the final balances
 * seen. Returns 0 when it found one, 1 when not.
 */
int		 explore_run(const struct cli *, const struct scenario *sc,
		    const struct params *params);

#endif
