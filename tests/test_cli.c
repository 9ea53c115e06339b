/* Unit tests of command-line parsing: the contract of design.md. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "cli.h"

static struct cli c;
static char cause[256];

/* Parses a NULL-terminated list of words after "ptmon". */
static int
parse(const char *first, ...)
{
	static char *argv[32];	/* c.argv points into it after we return */
	int argc = 0;
	const char *w;
	va_list ap;

	argv[argc++] = (char *)"ptmon";
	va_start(ap, first);
	for (w = first; w != NULL && argc < 31; w = va_arg(ap, const char *))
		argv[argc++] = (char *)w;
	va_end(ap);
	argv[argc] = NULL;
	cause[0] = '\0';
	return cli_parse(argc, argv, &c, cause, sizeof cause);
}

static void
test_scenario(void **state)
{
	(void)state;
	assert_int_equal(parse("--batch", "--speed", "50", "--seed", "7",
	    "-d", "3", "pool", "workers=2", NULL), 0);
	assert_true(c.batch);
	assert_int_equal(c.target, CLI_TARGET_SCENARIO);
	assert_string_equal(c.scenario, "pool");
	assert_int_equal(c.argc, 1);
	assert_string_equal(c.argv[0], "workers=2");
	assert_true(c.speed == 50.0);
	assert_true(c.seeded);
	assert_int_equal(c.seed, 7);
	assert_int_equal(c.delay, 3);
	/* Batch mode runs at full speed unless told otherwise. */
	assert_true(c.pace == 0);
	assert_int_equal(parse("--batch", "--pace", "0.25", "race", NULL), 0);
	assert_true(c.pace == 0.25);
	assert_int_equal(parse("--pace", "0", "race", NULL), 0);
	assert_true(c.pace == 0);
	assert_int_equal(parse("-n", "5", "--max-iterations", "7", "pool",
	    NULL), 0);
	assert_int_equal(c.max_iterations, 7);	/* the last one given */
}

static void
test_defaults_and_picker(void **state)
{
	(void)state;
	assert_int_equal(parse(NULL), 0);
	assert_int_equal(c.action, CLI_RUN);
	assert_int_equal(c.target, CLI_TARGET_NONE);
	assert_int_equal(c.delay, 10);
	assert_true(c.speed == 1.0);
	/* A person watches the UI: each statement takes a visible beat. */
	assert_true(c.pace == CLI_UI_PACE && c.pace > 0);
	assert_int_equal(c.max_iterations, 0);	/* runs until quit */
	assert_false(c.seeded);
	assert_int_equal(parse("--list", NULL), 0);
	assert_int_equal(c.action, CLI_LIST);
	assert_int_equal(parse("-h", NULL), 0);
	assert_int_equal(c.action, CLI_HELP);
	assert_int_equal(parse("--version", NULL), 0);
	assert_int_equal(c.action, CLI_VERSION);
	assert_int_equal(parse("--keys", NULL), 0);
	assert_int_equal(c.action, CLI_KEYS);
}

static void
test_command_and_pid(void **state)
{
	(void)state;
	assert_int_equal(parse("--batch", "--", "make", "-j4", NULL), 0);
	assert_int_equal(c.target, CLI_TARGET_COMMAND);
	assert_int_equal(c.argc, 2);
	assert_string_equal(c.argv[0], "make");
	assert_string_equal(c.argv[1], "-j4");
	assert_int_equal(parse("-p", "123", NULL), 0);
	assert_int_equal(c.target, CLI_TARGET_PID);
	assert_int_equal(c.pid, 123);
	assert_int_equal(parse("--paused", "--ascii", "race", NULL), 0);
	assert_true(c.paused);
	assert_true(c.ascii);
}

/* --watch NAME[,NAME...]: Python identifiers, a few, short. */
static void
test_watch(void **state)
{
	(void)state;
	assert_int_equal(parse("--watch", "balance,_n2", "--watch", "x", "--",
	    "python3", "race.py", NULL), 0);
	assert_int_equal(c.nwatch, 3);
	assert_string_equal(c.watch[0], "balance");
	assert_string_equal(c.watch[1], "_n2");
	assert_string_equal(c.watch[2], "x");
	assert_int_equal(parse("--", "python3", "race.py", NULL), 0);
	assert_int_equal(c.nwatch, 0);
	assert_int_equal(parse("--watch", "", "--", "python3", NULL), -1);
	assert_int_equal(parse("--watch", "a,,b", "--", "python3", NULL), -1);
	assert_int_equal(parse("--watch", "2x", "--", "python3", NULL), -1);
	assert_int_equal(parse("--watch", "a.b", "--", "python3", NULL), -1);
	assert_int_equal(parse("--watch", "\x1b[2J", "--", "python3", NULL),
	    -1);
	assert_int_equal(parse("--watch", "abcdefghijklmnopqrstuvwxyz", "--",
	    "python3", NULL), -1);
	assert_int_equal(parse("--watch", "a,b,c,d,e,f,g,h,i", "--", "python3",
	    NULL), -1);
	assert_int_equal(parse("--watch", "a,b,c,d,e,f,g,h", "--", "python3",
	    NULL), 0);
}

static void
test_errors(void **state)
{
	(void)state;
	assert_int_equal(parse("--speed", "fast", "pool", NULL), -1);
	assert_non_null(strstr(cause, "--speed"));
	assert_int_equal(parse("--speed", "0", "pool", NULL), -1);
	assert_int_equal(parse("--speed", "inf", "pool", NULL), -1);
	assert_int_equal(parse("--pace", "-1", "pool", NULL), -1);
	assert_non_null(strstr(cause, "--pace"));
	assert_int_equal(parse("--pace", "11", "pool", NULL), -1);
	assert_int_equal(parse("--pace", "slow", "pool", NULL), -1);
	assert_int_equal(parse("-n", "0", "pool", NULL), -1);
	assert_non_null(strstr(cause, "-n"));
	assert_int_equal(parse("--max-iterations", "x", "pool", NULL), -1);
	assert_int_equal(parse("-d", "0", NULL), -1);
	assert_non_null(strstr(cause, "--delay"));
	assert_int_equal(parse("-d", "2x", NULL), -1);
	assert_int_equal(parse("--seed", "-1", NULL), -1);
	assert_int_equal(parse("-p", "abc", NULL), -1);
	assert_non_null(strstr(cause, "not a process id"));
	assert_int_equal(parse("-p", "0", NULL), -1);
	assert_int_equal(parse("--frobnicate", NULL), -1);
	assert_non_null(strstr(cause, "unknown option"));
	assert_int_equal(parse("-z", NULL), -1);
	assert_non_null(strstr(cause, "unknown option '-z'"));
	assert_int_equal(parse("--batch", NULL), -1);
	assert_non_null(strstr(cause, "needs a scenario"));
	assert_int_equal(parse("--json", "pool", NULL), -1);
	assert_non_null(strstr(cause, "--json needs --batch"));
	assert_int_equal(parse("--batch", "--", NULL), -1);
	assert_non_null(strstr(cause, "missing command"));
	assert_int_equal(parse("--speed", NULL), -1);
	assert_non_null(strstr(cause, "needs a value"));
	assert_int_equal(parse("-p", "1", "pool", NULL), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scenario),
		cmocka_unit_test(test_defaults_and_picker),
		cmocka_unit_test(test_command_and_pid),
		cmocka_unit_test(test_watch),
		cmocka_unit_test(test_errors),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
