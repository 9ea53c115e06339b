/*
 * Batch mode: runs a scenario with no UI. Plain, it prints the scenario's
 * output lines as the tutorial shows them; with --json, JSON Lines events
 * and snapshots (see design.md for the keys).
 */
#ifndef PTMON_BATCH_H
#define PTMON_BATCH_H

struct cli;
struct params;
struct scenario;

/* Runs sc to its end; returns the exit status for ptmon. */
int		 batch_run(const struct cli *, const struct scenario *sc,
		    const struct params *params);

#endif
