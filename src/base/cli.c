/*
 * Command-line parsing, as design.md gives the contract: options first, then
 * SCENARIO [NAME=VALUE…] or -- COMMAND [ARG…].
 */
#include "config.h"

#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "xalloc.h"

/* Marked N_(): main.c prints it translated. */
const char *const cli_usage = N_(
"Usage: ptmon [OPTIONS] [SCENARIO [NAME=VALUE...]]\n"
"       ptmon [OPTIONS] -- COMMAND [ARG...]\n"
"       ptmon [OPTIONS] -p PID\n"
"\n"
"Watch processes and threads live: the multitasking tutorial's scenarios\n"
"as real processes and threads, or any command's process tree.\n"
"\n"
"  -b, --batch          no UI: print the scenario's output and exit with\n"
"                       its status\n"
"  -j, --json           with --batch: JSON Lines events and snapshots\n"
"  -l, --list           list the scenarios and their parameters\n"
"  -d, --delay TENTHS   refresh interval in tenths of a second (default 10)\n"
"  -n, --max-iterations N  quit after N refreshes (status 0), as top -n\n"
"      --speed X        divide every scenario sleep by X (default 1)\n"
"      --pace SECONDS   how long each scenario statement shows (default\n"
"                       0.5 in the UI, 0 = full speed in batch mode)\n"
"      --seed N         seed for the scenarios' random sleeps\n"
"      --paused         start with every task paused at its first checkpoint\n"
"      --record FILE    write the steps taken as a schedule file\n"
"      --replay FILE    run the scenario under a schedule file\n"
"      --explore N      batch: try up to N random schedules\n"
"      --ascii          draw the tree with plain ASCII\n"
"      --timeline       show each task's states over time: the UI's\n"
"                       timeline pane (w), or in batch after the output\n"
"      --no-trace       run -- python3 PROG untraced: no stepping of its\n"
"                       threads, which are then paused per process\n"
"      --watch NAMES    python3 PROG: the lab also shows these globals of\n"
"                       __main__ (NAME[,NAME...]), with lost updates\n"
"      --keys           list the full-screen UI's keys\n"
"  -p, --pid PID        watch an existing process and its descendants\n"
"  -h, --help           show this help\n"
"  -V, --version        show the version\n"
"\n"
"Scenarios: fork, process, pool, subprocess, queue, thread, race, lock,\n"
"multicore, threadlocal, manager\n"
"(ptmon --list shows their parameters).\n"
"Exit status: the scenario's or command's; 2 for bad usage.\n");

enum {
	OPT_SPEED = 256,
	OPT_SEED,
	OPT_PAUSED,
	OPT_RECORD,
	OPT_REPLAY,
	OPT_EXPLORE,
	OPT_ASCII,
	OPT_PACE,
	OPT_TIMELINE,
	OPT_NO_TRACE,
	OPT_WATCH,
	OPT_KEYS,
};

static const struct option long_options[] = {
	{ "batch",	no_argument,		NULL, 'b' },
	{ "json",	no_argument,		NULL, 'j' },
	{ "list",	no_argument,		NULL, 'l' },
	{ "delay",	required_argument,	NULL, 'd' },
	{ "max-iterations", required_argument,	NULL, 'n' },
	{ "pid",	required_argument,	NULL, 'p' },
	{ "help",	no_argument,		NULL, 'h' },
	{ "version",	no_argument,		NULL, 'V' },
	{ "speed",	required_argument,	NULL, OPT_SPEED },
	{ "seed",	required_argument,	NULL, OPT_SEED },
	{ "paused",	no_argument,		NULL, OPT_PAUSED },
	{ "record",	required_argument,	NULL, OPT_RECORD },
	{ "replay",	required_argument,	NULL, OPT_REPLAY },
	{ "explore",	required_argument,	NULL, OPT_EXPLORE },
	{ "ascii",	no_argument,		NULL, OPT_ASCII },
	{ "pace",	required_argument,	NULL, OPT_PACE },
	{ "timeline",	no_argument,		NULL, OPT_TIMELINE },
	{ "no-trace",	no_argument,		NULL, OPT_NO_TRACE },
	{ "watch",	required_argument,	NULL, OPT_WATCH },
	{ "keys",	no_argument,		NULL, OPT_KEYS },
	{ NULL,		0,			NULL, 0 },
};

/* True when s is written as a plain decimal: digits, one '.' at most. */
static bool
plain_decimal(const char *s, bool point_ok)
{
	bool digit = false, point = false;

	for (; *s != '\0'; s++) {
		if (*s >= '0' && *s <= '9')
			digit = true;
		else if (*s == '.' && point_ok && !point)
			point = true;
		else
			return false;
	}
	return digit;
}

/*
 * A whole number in [min, max], written in plain digits (no sign, space,
 * or 0x: strtoll would take " 5" and "+5"); -1 if it is anything else.
 */
static int
number_in(const char *s, long long min, long long max, long long *out)
{
	char *end;

	if (!plain_decimal(s, false))
		return -1;
	errno = 0;
	*out = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || *out < min || *out > max)
		return -1;
	return 0;
}

/*
 * --watch NAME[,NAME...]: Python identifiers (ASCII), each shorter than
 * CLI_WATCH_LEN, at most CLI_WATCH_MAX of them in all (repeats add).
 */
static int
parse_watch(const char *arg, struct cli *out)
{
	const char *p = arg;

	for (;;) {
		size_t n = strcspn(p, ",");
		size_t k;

		if (n == 0 || n >= CLI_WATCH_LEN || out->nwatch >= CLI_WATCH_MAX)
			return -1;
		for (k = 0; k < n; k++) {
			char c = p[k];

			if (!(c == '_' || (c >= 'a' && c <= 'z') ||
			    (c >= 'A' && c <= 'Z') ||
			    (k > 0 && c >= '0' && c <= '9')))
				return -1;
		}
		memcpy(out->watch[out->nwatch], p, n);
		out->watch[out->nwatch][n] = '\0';
		out->nwatch++;
		if (p[n] == '\0')
			return 0;
		p += n + 1;
	}
}

int
cli_parse(int argc, char *argv[], struct cli *out, char *cause,
    size_t causelen)
{
	long long n;
	char *end;
	int c;

	memset(out, 0, sizeof *out);
	out->delay = 10;
	out->speed = 1.0;
	out->pace = -1;		/* not given: the front end's default */
	optind = 0;		/* glibc: full reset, so tests can parse again */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:bjld:n:p:hV", long_options,
	    NULL)) != -1) {
		switch (c) {
		case 'b':
			out->batch = true;
			break;
		case 'j':
			out->json = true;
			break;
		case 'l':
			out->action = CLI_LIST;
			break;
		case 'h':
			out->action = CLI_HELP;
			return 0;
		case 'V':
			out->action = CLI_VERSION;
			return 0;
		case 'd':
			if (number_in(optarg, 1, 600, &n) < 0)
				return failf(cause, causelen, _("--delay: '%.32s' "
				    "is not a number of tenths from 1 to 600"),
				    optarg);
			out->delay = (int)n;
			break;
		case 'n':
			if (number_in(optarg, 1, 100000000, &n) < 0)
				return failf(cause, causelen, _("-n: '%.32s' is "
				    "not a number of refreshes from 1 to "
				    "100000000"), optarg);
			out->max_iterations = (long)n;
			break;
		case 'p':
			if (number_in(optarg, 1, 0x3fffffff, &n) < 0)
				return failf(cause, causelen,
				    _("-p: '%.32s' is not a process id"), optarg);
			out->pid = (pid_t)n;
			out->target = CLI_TARGET_PID;
			break;
		case OPT_SPEED:
			errno = 0;
			/* Decimal only: strtod takes 0x1p3, inf and " 5". */
			out->speed = strtod(optarg, &end);
			if (!plain_decimal(optarg, true) || *end != '\0' ||
			    errno != 0 ||
			    !isfinite(out->speed) || out->speed < 0.01 ||
			    out->speed > 10000)
				return failf(cause, causelen, _("--speed: '%.32s' "
				    "is not a number from 0.01 to 10000"),
				    optarg);
			break;
		case OPT_PACE:
			errno = 0;
			out->pace = strtod(optarg, &end);
			if (!plain_decimal(optarg, true) || *end != '\0' ||
			    errno != 0 || !isfinite(out->pace) ||
			    out->pace > CLI_MAX_PACE)
				return failf(cause, causelen, _("--pace: '%.32s' "
				    "is not a number of seconds from 0 to 10"),
				    optarg);
			break;
		case OPT_SEED:
			if (number_in(optarg, 0, 0x7fffffffffffffffLL, &n) < 0)
				return failf(cause, causelen, _("--seed: '%.32s' "
				    "is not a non-negative whole number"),
				    optarg);
			out->seed = (uint64_t)n;
			out->seeded = true;
			break;
		case OPT_PAUSED:
			out->paused = true;
			break;
		case OPT_RECORD:
		case OPT_REPLAY:
			/* "--record --": the end of options, not a file. */
			if (optarg[0] == '\0' || strcmp(optarg, "--") == 0)
				return failf(cause, causelen, _("%s needs a file "
				    "name"), c == OPT_RECORD ? "--record" :
				    "--replay");
			if (c == OPT_RECORD)
				out->record = optarg;
			else
				out->replay = optarg;
			break;
		case OPT_EXPLORE:
			if (number_in(optarg, 1, 100000000, &n) < 0)
				return failf(cause, causelen, _("--explore: '%.32s' "
				    "is not a number from 1 to 100000000"),
				    optarg);
			out->explore = (long)n;
			break;
		case OPT_ASCII:
			out->ascii = true;
			break;
		case OPT_TIMELINE:
			out->timeline = true;
			break;
		case OPT_NO_TRACE:
			out->no_trace = true;
			break;
		case OPT_WATCH:
			if (parse_watch(optarg, out) < 0)
				return failf(cause, causelen, _("--watch: '%.40s' "
				    "is not NAME[,NAME...] of at most %d Python "
				    "identifiers of %d characters at most"),
				    optarg, CLI_WATCH_MAX, CLI_WATCH_LEN - 1);
			break;
		case OPT_KEYS:
			out->action = CLI_KEYS;
			return 0;
		case ':':
			return failf(cause, causelen, _("%.32s needs a value"),
			    argv[optind - 1]);
		default:
			if (optopt != 0 && optopt < 256)
				return failf(cause, causelen,
				    _("unknown option '-%c' (try --help)"),
				    optopt);
			return failf(cause, causelen,
			    _("unknown option '%.32s' (try --help)"),
			    argv[optind - 1]);
		}
	}
	if (out->action != CLI_RUN)
		return 0;
	/* A person watches the UI; a script wants batch mode done. */
	if (out->pace < 0)
		out->pace = out->batch ? 0 : CLI_UI_PACE;
	if (out->json && !out->batch)
		return failf(cause, causelen, _("--json needs --batch"));
	if (out->timeline && out->json)
		return failf(cause, causelen, _("--timeline and --json: the JSON "
		    "snapshots carry each task's states already"));
	if (out->explore > 0 && !out->batch)
		return failf(cause, causelen, _("--explore needs --batch"));
	/* Nobody could press a key to let the tasks go on. */
	if (out->paused && out->batch)
		return failf(cause, causelen, _("--paused needs the full-screen UI "
		    "(in batch mode nothing could resume the tasks)"));
	/* getopt leaves "--" in argv[optind - 1] when it stopped at one. */
	if (optind > 0 && optind <= argc &&
	    strcmp(argv[optind - 1], "--") == 0) {
		if (out->target == CLI_TARGET_PID)
			return failf(cause, causelen,
			    _("-p and -- COMMAND cannot go together"));
		if (optind == argc)
			return failf(cause, causelen, _("missing command after --"));
		out->target = CLI_TARGET_COMMAND;
		out->argc = argc - optind;
		out->argv = argv + optind;
		return 0;
	}
	if (optind < argc) {
		if (out->target == CLI_TARGET_PID)
			return failf(cause, causelen,
			    _("-p watches a process: no scenario too"));
		out->target = CLI_TARGET_SCENARIO;
		out->scenario = argv[optind];
		out->argc = argc - optind - 1;
		out->argv = argv + optind + 1;
	}
	if (out->batch && out->target == CLI_TARGET_NONE)
		return failf(cause, causelen,
		    _("--batch needs a scenario, -- COMMAND or -p PID"));
	/* Batch mode has no keys: only a schedule's steps can be recorded. */
	if (out->batch && out->record != NULL && out->replay == NULL &&
	    out->explore == 0)
		return failf(cause, causelen, _("--record in batch mode needs "
		    "--replay or --explore: there are no keys to record"));
	return 0;
}
