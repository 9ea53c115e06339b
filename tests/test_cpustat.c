/*
 * Unit tests of the /proc/stat CPU parser: the summary and per-CPU lines,
 * offline CPUs left out (ids kept), old kernels with four fields, lines
 * that are not CPUs or are cut short, and the busy share between reads.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cpustat.h"

static struct cpustat st;

static int
parse(const char *text)
{
	return cpustat_parse(text, strlen(text), &st);
}

static void
test_two_cpus(void **state)
{
	(void)state;
	assert_int_equal(parse(
	    "cpu  3250 0 2525 53049 427 0 32 50 0 0\n"
	    "cpu0 1218 0 1077 27326 16 0 5 20 0 0\n"
	    "cpu1 2032 0 1448 25723 411 0 27 30 0 0\n"
	    "intr 123524 0 0 0\n"
	    "ctxt 265126\n"
	    "cpufreq 1 2 3 4\n"), 0);
	assert_int_equal(st.n, 2);
	assert_int_equal(st.all.id, -1);
	/* busy: user nice system irq softirq steal; total adds idle iowait. */
	assert_int_equal(st.all.busy, 3250 + 2525 + 32 + 50);
	assert_int_equal(st.all.total, 3250 + 2525 + 32 + 50 + 53049 + 427);
	assert_int_equal(st.cpu[0].id, 0);
	assert_int_equal(st.cpu[0].busy, 1218 + 1077 + 5 + 20);
	assert_int_equal(st.cpu[1].id, 1);
	assert_int_equal(st.cpu[1].total, 2032 + 1448 + 27 + 30 + 25723 + 411);
}

static void
test_guest_not_counted_twice(void **state)
{
	(void)state;
	/* guest and guest_nice are inside user and nice already. */
	assert_int_equal(parse("cpu  100 10 20 300 0 0 0 0 60 5\n"), 0);
	assert_int_equal(st.all.busy, 130);
	assert_int_equal(st.all.total, 430);
}

static void
test_offline_and_old(void **state)
{
	(void)state;
	/* cpu1 offline: not listed. A 2.4 kernel: four fields. */
	assert_int_equal(parse(
	    "cpu 10 0 10 80\n"
	    "cpu0 5 0 5 40\n"
	    "cpu2 5 0 5 40\n"), 0);
	assert_int_equal(st.n, 2);
	assert_int_equal(st.cpu[1].id, 2);
	assert_int_equal(st.cpu[1].busy, 10);
	assert_int_equal(st.cpu[1].total, 50);
}

static void
test_bad_input(void **state)
{
	(void)state;
	assert_int_equal(parse(""), -1);
	assert_int_equal(parse("intr 1 2 3\n"), -1);
	/* Cut short: the summary line has no end, so it is not whole. */
	assert_int_equal(parse("cpu  1 2 3 4"), -1);
	/* Too few fields, or none. */
	assert_int_equal(parse("cpu  1 2 3\n"), -1);
	assert_int_equal(parse("cpu\n"), -1);
	/* A whole summary and a cut CPU line: the CPU is left out. */
	assert_int_equal(parse("cpu  1 2 3 4\ncpu0 1 2"), 0);
	assert_int_equal(st.n, 0);
	/* Not CPUs: "cpux", "cpu0x". */
	assert_int_equal(parse("cpu  1 2 3 4\ncpux 1 2 3 4\ncpu0x 1 2 3 4\n"),
	    0);
	assert_int_equal(st.n, 0);
	/* No NUL needed: len bounds the text. */
	assert_int_equal(cpustat_parse("cpu  1 2 3 4\nXXXX", 13, &st), 0);
}

static void
test_many_cpus_capped(void **state)
{
	static char text[CPUSTAT_MAX * 40 + 100];
	size_t out = 0;
	int k;

	(void)state;
	out += (size_t)snprintf(text + out, sizeof text - out,
	    "cpu  1 1 1 1\n");
	for (k = 0; k < CPUSTAT_MAX + 10; k++)
		out += (size_t)snprintf(text + out, sizeof text - out,
		    "cpu%d 1 1 1 1\n", k);
	assert_int_equal(cpustat_parse(text, out, &st), 0);
	assert_int_equal(st.n, CPUSTAT_MAX);
	assert_int_equal(st.cpu[CPUSTAT_MAX - 1].id, CPUSTAT_MAX - 1);
}

static void
test_percent(void **state)
{
	struct cpustat_cpu a = { 0, 100, 1000 }, b = { 0, 150, 1100 };

	(void)state;
	assert_true(cpustat_percent(&a, &b) > 49.9);
	assert_true(cpustat_percent(&a, &b) < 50.1);
	/* No time passed, or counters went back: unknown. */
	assert_true(cpustat_percent(&a, &a) < 0);
	assert_true(cpustat_percent(&b, &a) < 0);
	b.busy = 2000;
	assert_true(cpustat_percent(&a, &b) <= 100.0);
}

static void
test_read(void **state)
{
	(void)state;
	/* The real file: at least the summary and one CPU. */
	if (cpustat_read(&st) < 0)
		skip();
	assert_true(st.n >= 1);
	assert_true(st.all.total > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_cpus),
		cmocka_unit_test(test_guest_not_counted_twice),
		cmocka_unit_test(test_offline_and_old),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_many_cpus_capped),
		cmocka_unit_test(test_percent),
		cmocka_unit_test(test_read),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
