/*
 * The full-screen UI: a scenario's tree, queue, balance and output, live,
 * with htop-like keys to select, pause, step and signal its tasks. The only
 * part of ptmon that knows curses (see src/ui/).
 */
#ifndef PTMON_UI_H
#define PTMON_UI_H

struct cli;
struct params;
struct scenario;

/*
 * Runs the UI on the terminal until the user quits or a signal ends it:
 * scenario sc with params, or the scenario picker when sc is NULL. Call
 * after session_init_process. Returns ptmon's exit status (0 on quit,
 * 128+N after signal N).
 */
int		 ui_run(const struct cli *, const struct scenario *sc,
		    const struct params *params);

#endif
