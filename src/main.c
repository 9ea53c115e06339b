/*
 * ptmon: the command line, then one of the list, the batch run or the UI.
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "cli.h"
#include "crash.h"
#include "explore.h"
#include "i18n.h"
#include "params.h"
#include "procfs.h"
#include "scenario.h"
#include "session.h"
#include "ui.h"
#include "xalloc.h"

/* Prints every scenario with its summary and parameters. */
static void
list_scenarios(void)
{
	int i;

	for (i = 0; scenarios[i] != NULL; i++) {
		const struct scenario *sc = scenarios[i];
		const struct param_def *d;
		char def[64];

		printf("%-11s %s\n", sc->name, _(sc->summary));
		for (d = sc->params; d->name != NULL; d++)
			printf("%11s   %s=%s  %s\n", "", d->name,
			    params_default_shown(d, def, sizeof def), _(d->help));
	}
}

/* True when the command is a Python 3 program ptmon's tracer steps. */
static bool
python_traced(const struct cli *cli)
{
#ifdef HAVE_PYTRACE
	return cli->target == CLI_TARGET_COMMAND && !cli->no_trace &&
	    session_python_command(cli->argv[0]);
#else
	(void)cli;
	return false;
#endif
}

int
main(int argc, char *argv[])
{
	const struct scenario *sc = NULL;
	/* Zeroed: a command or -p has no parameters, and none may be read. */
	struct params params = { 0 };
	struct cli cli;
	struct procfs_stat st;
	char cause[256];

	/*
	 * Character classes only: libproc2 decides at its first call whether
	 * names may hold UTF-8, and JSON numbers must keep their '.'.
	 */
	setlocale(LC_CTYPE, "");
	/* Messages too: the UI in the user's language (English by default). */
	i18n_init();
	crash_install();
	if (cli_parse(argc, argv, &cli, cause, sizeof cause) < 0)
		usage_error("%s", cause);
	switch (cli.action) {
	case CLI_HELP:
		fputs(_(cli_usage), stdout);
		return 0;
	case CLI_VERSION:
		printf("ptmon %s\n", PACKAGE_VERSION);
		printf(_("License: %s\n"), PTMON_LICENSE);
		/* The parts configure may leave out, each on a line. */
#ifdef HAVE_PYTRACE
		puts(_("Python stepping: built in (ptmon -- python3 PROG)"));
#else
		puts(_("Python stepping: not built in (no python3-dev when ptmon "
		    "was built)"));
#endif
#ifdef PTMON_SANITIZERS
		puts(_("Sanitizers: built in (AddressSanitizer, "
		    "UndefinedBehaviorSanitizer: a test build)"));
#else
		puts(_("Sanitizers: not built in"));
#endif
		return 0;
	case CLI_KEYS:
		ui_keys_print(stdout);
		return 0;
	case CLI_LIST:
		list_scenarios();
		return 0;
	case CLI_RUN:
		break;
	}
	if (cli.target == CLI_TARGET_SCENARIO) {
		sc = scenario_find(cli.scenario);
		if (sc == NULL)
			usage_error(_("unknown scenario '%.64s' (ptmon --list "
			    "shows them)"), cli.scenario);
		if (params_parse(sc->params, cli.argc, cli.argv, &params, cause,
		    sizeof cause) < 0)
			usage_error("%s: %s", sc->name, cause);
	}
	if (cli.target == CLI_TARGET_PID && kill(cli.pid, 0) < 0 &&
	    errno == ESRCH)
		usage_error(_("-p %d: no such process"), (int)cli.pid);
	if (cli.target == CLI_TARGET_PID && procfs_stat(cli.pid, cli.pid,
	    &st) == 0 && (st.state == 'Z' || st.state == 'X'))
		usage_error(_("-p %d: the process has ended (a zombie, not yet "
		    "reaped by its parent)"), (int)cli.pid);
	if ((cli.replay != NULL || cli.explore > 0) &&
	    cli.target != CLI_TARGET_SCENARIO && !python_traced(&cli))
		usage_error(_("--replay and --explore need a scenario or a "
		    "traced Python program (ptmon -- python3 PROG)"));
	if (cli.explore > 0 && sc != NULL && !(sc->panes & MODEL_BALANCE))
		usage_error(_("--explore needs a scenario with a balance "
		    "(race, lock)"));
	if (cli.explore > 0 && cli.replay != NULL)
		usage_error(_("--explore and --replay cannot go together"));
	if (!cli.batch)
		return ui_run(&cli, sc, sc != NULL ? &params : NULL);
	if (cli.explore > 0)
		return explore_run(&cli, sc, &params);
	return batch_run(&cli, sc, sc != NULL ? &params : NULL);
}
