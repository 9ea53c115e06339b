/*
 * The full-screen UI: a scenario's tree, queue, balance and output, live,
 * with htop-like keys to select, pause, step and signal its tasks. The only
 * part of ptmon that knows curses (see src/ui/).
 */
#ifndef PTMON_UI_H
#define PTMON_UI_H

#include <stdio.h>

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

/*
 * Prints the key table as help shows it, one key a line: its name, a tab,
 * what it does (and, when htop gives it another meaning, a tab and
 * "htop: " that meaning). Needs no terminal: for ptmon --keys, so the
 * man page and its test read the one table the UI dispatches from.
 */
void		 ui_keys_print(FILE *);

#endif
