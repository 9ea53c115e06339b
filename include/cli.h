/*
 * The command line: options and what to run. Pure: parsing fills a struct or
 * explains in one line what is wrong, so it can be tested and fuzzed.
 */
#ifndef PTMON_CLI_H
#define PTMON_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum cli_action {
	CLI_RUN,		/* UI or batch, per `batch` */
	CLI_LIST,
	CLI_HELP,
	CLI_VERSION,
	CLI_KEYS,		/* --keys: the UI's key table */
};

enum cli_target {
	CLI_TARGET_NONE,	/* the scenario picker */
	CLI_TARGET_SCENARIO,
	CLI_TARGET_COMMAND,	/* ptmon -- COMMAND */
	CLI_TARGET_PID,		/* ptmon -p PID */
};

#define CLI_WATCH_MAX	8	/* as ctl.h's CTL_PY_WATCH */
#define CLI_WATCH_LEN	24	/* as ctl.h's CTL_PY_NAME_LEN */

struct cli {
	enum cli_action	 action;
	enum cli_target	 target;
	bool		 batch;
	bool		 json;
	bool		 paused;
	bool		 ascii;
	bool		 timeline;	/* --timeline: the pane, or batch text */
	bool		 no_trace;	/* --no-trace: python3 runs untraced */
	/* --watch NAME[,NAME...]: __main__ globals the Python lab shows. */
	int		 nwatch;
	char		 watch[CLI_WATCH_MAX][CLI_WATCH_LEN];
	int		 delay;		/* tenths of a second */
	long		 max_iterations;	/* -n: quit after; 0 never */
	double		 speed;
	double		 pace;		/* seconds per statement; 0 full speed */
	bool		 seeded;
	uint64_t	 seed;
	long		 explore;	/* 0: off */
	const char	*record;
	const char	*replay;
	pid_t		 pid;
	const char	*scenario;
	int		 argc;		/* NAME=VALUE words or COMMAND+ARGs */
	char	*const	*argv;
};

/*
 * Parses argv. Returns 0, or -1 with one line (no "ptmon: ") in cause.
 * Does not check the scenario's name or parameters: see scenario.h.
 */
int		 cli_parse(int argc, char *argv[], struct cli *out,
		    char *cause, size_t causelen);

/* The pace of the full-screen UI when --pace is not given. */
#define CLI_UI_PACE	0.5
/* The slowest pace --pace takes. */
#define CLI_MAX_PACE	10.0

/* The --help text. */
extern const char *const cli_usage;

#endif
