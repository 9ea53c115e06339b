/* Unit tests of NAME=VALUE parameter parsing against scenario definitions. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "params.h"
#include "scenario.h"

static struct params p;
static char cause[256];

/* Parses words for the named scenario; returns params_parse's result. */
static int
parse(const char *scenario, int argc, char *argv[])
{
	const struct scenario *sc = scenario_find(scenario);

	assert_non_null(sc);
	cause[0] = '\0';
	return params_parse(sc->params, argc, argv, &p, cause, sizeof cause);
}

static void
test_defaults(void **state)
{
	(void)state;
	assert_int_equal(parse("pool", 0, NULL), 0);
	assert_int_equal(params_int(&p, "workers"), 4);
	assert_int_equal(params_int(&p, "tasks"), 5);
	assert_int_equal(parse("race", 0, NULL), 0);
	assert_int_equal(params_int(&p, "iterations"), 2000000);
	assert_int_equal(params_get(&p, "amounts")->nitems, 2);
	assert_int_equal(params_get(&p, "amounts")->ints[1], 8);
	assert_int_equal(parse("queue", 0, NULL), 0);
	assert_string_equal(params_get(&p, "items")->words[2], "C");
	assert_int_equal(parse("subprocess", 0, NULL), 0);
	assert_string_equal(params_text(&p, "cmd"), "nslookup www.python.org");
}

static void
test_values(void **state)
{
	char w2[] = "workers=2", t9[] = "tasks=9", items[] = "items=x,yy,zzz,w";
	char amounts[] = "amounts=-3,7", it[] = "iterations=10";
	char *pool[] = { w2, t9 };
	char *queue[] = { items };
	char *race[] = { amounts, it };

	(void)state;
	assert_int_equal(parse("pool", 2, pool), 0);
	assert_int_equal(params_int(&p, "workers"), 2);
	assert_int_equal(params_int(&p, "tasks"), 9);
	assert_int_equal(parse("queue", 1, queue), 0);
	assert_int_equal(params_get(&p, "items")->nitems, 4);
	assert_string_equal(params_get(&p, "items")->words[3], "w");
	assert_int_equal(parse("race", 2, race), 0);
	assert_int_equal(params_get(&p, "amounts")->ints[0], -3);
	assert_int_equal(params_int(&p, "iterations"), 10);
}

/* Each bad word is refused with a line that names the problem. */
static void
test_errors(void **state)
{
	static const struct {
		const char	*scenario;
		const char	*word;
		const char	*says;
	} bad[] = {
		{ "pool", "workers=0", "out of range" },
		{ "pool", "workers=99", "out of range" },
		{ "pool", "workers=four", "not a whole number" },
		{ "pool", "workers=4x", "not a whole number" },
		{ "pool", "workers=", "not a whole number" },
		{ "pool", "colour=red", "unknown parameter 'colour'" },
		{ "pool", "workers", "not NAME=VALUE" },
		{ "pool", "=4", "not NAME=VALUE" },
		{ "race", "amounts=5", "needs 2 items" },
		{ "race", "amounts=5,8,9", "more than 2 items" },
		{ "race", "amounts=5,,8", "empty item" },
		{ "race", "iterations=99999999999999999999", "not a whole number" },
		{ "queue", "items=averyveryverylongitem", "longer than 15" },
		{ "subprocess", "timeout=0", "out of range" },
		{ "subprocess", "timeout=nan", "not a number" },
		{ "fork", "x=1", "unknown parameter" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *argv[] = { (char *)bad[i].word };

		assert_int_equal(parse(bad[i].scenario, 1, argv), -1);
		if (strstr(cause, bad[i].says) == NULL)
			fail_msg("%s %s: '%s' does not say '%s'",
			    bad[i].scenario, bad[i].word, cause, bad[i].says);
	}
}

/*
 * multicore's threads= has no default value: left out it means one per
 * core, and --list and the picker say so; a given value is range-checked.
 */
static void
test_unset_default(void **state)
{
	char *words[] = { (char *)"threads=3", (char *)"threads=0",
	    (char *)"threads=33" };
	const struct param_value *v;
	char shown[64];

	(void)state;
	assert_int_equal(parse("multicore", 0, NULL), 0);
	v = params_get(&p, "threads");
	assert_false(v->set);
	assert_string_equal(params_default_shown(v->def, shown, sizeof shown),
	    "(one per core)");
	assert_int_equal(params_int(&p, "seconds"), 10);
	assert_int_equal(params_int(&p, "gil"), 0);
	assert_int_equal(parse("multicore", 1, &words[0]), 0);
	assert_true(params_get(&p, "threads")->set);
	assert_int_equal(params_int(&p, "threads"), 3);
	assert_int_equal(parse("multicore", 1, &words[1]), -1);
	assert_int_equal(parse("multicore", 1, &words[2]), -1);
	/* Without an `unset` text the default shows as typed, even "". */
	assert_int_equal(parse("race", 0, NULL), 0);
	assert_string_equal(params_default_shown(params_get(&p,
	    "target")->def, shown, sizeof shown), "");
	assert_string_equal(params_default_shown(params_get(&p,
	    "iterations")->def, shown, sizeof shown), "2000000");
}

static void
test_registry(void **state)
{
	static const char *names[] = { "fork", "process", "pool",
	    "subprocess", "queue", "thread", "race", "lock", "multicore",
	    "threadlocal", "manager" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		assert_non_null(scenarios[i]);
		assert_string_equal(scenarios[i]->name, names[i]);
	}
	assert_null(scenarios[i]);
	assert_null(scenario_find("forks"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_unset_default),
		cmocka_unit_test(test_registry),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
