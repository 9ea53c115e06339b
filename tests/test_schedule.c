/* Unit tests of schedule files: parsing, errors with line numbers, writing. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "schedule.h"

static struct schedule s;
static char cause[256];

static int
parse(const char *text)
{
	cause[0] = '\0';
	return schedule_parse(text, strlen(text), &s, cause, sizeof cause);
}

static void
test_names_comments_blanks(void **state)
{
	(void)state;
	assert_int_equal(parse("# lose an update by hand\n"
	    "Thread-1   # read\n"
	    "\n"
	    "  Thread-2\t\n"
	    "Thread-1\r\n"
	    "Thread-2"), 0);
	assert_int_equal(s.n, 4);
	assert_string_equal(s.names[0], "Thread-1");
	assert_string_equal(s.names[1], "Thread-2");
	assert_string_equal(s.names[3], "Thread-2");
	assert_int_equal(s.lines[0], 2);
	assert_int_equal(s.lines[1], 4);
	assert_int_equal(s.lines[3], 6);
	assert_int_equal(parse(""), 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(parse("# only a comment\n\n"), 0);
	assert_int_equal(s.n, 0);
	schedule_free(&s);
}

static void
test_errors_name_their_line(void **state)
{
	(void)state;
	assert_int_equal(parse("Thread-1\n\nThread 2\n"), -1);
	assert_non_null(strstr(cause, "line 3"));
	assert_non_null(strstr(cause, "not a task name"));
	assert_int_equal(parse("Thread-1\nAVeryLongThreadName\n"), -1);
	assert_non_null(strstr(cause, "line 2"));
	assert_non_null(strstr(cause, "longer than 15"));
	assert_int_equal(parse("\x1b]0;x\x07\n"), -1);
	assert_non_null(strstr(cause, "line 1"));
	/* A NUL byte inside the text is not a name character either. */
	assert_int_equal(schedule_parse("ab\0cd\n", 6, &s, cause,
	    sizeof cause), -1);
	schedule_free(&s);
}

static void
test_distinct_names_in_order(void **state)
{
	char names[8][SCHEDULE_NAME_LEN];

	(void)state;
	assert_int_equal(parse("Thread-2\nThread-1\nThread-2\nwriter\n"), 0);
	assert_int_equal(schedule_names(&s, names, 8), 3);
	assert_string_equal(names[0], "Thread-2");
	assert_string_equal(names[1], "Thread-1");
	assert_string_equal(names[2], "writer");
	assert_int_equal(schedule_names(&s, names, 1), 1);
	schedule_free(&s);
}

/* What schedule_write writes, schedule_parse reads back the same. */
static void
test_write_then_parse(void **state)
{
	struct schedule back = { 0 };
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	schedule_add(&s, "Thread-1");
	schedule_add(&s, "Thread-2");
	schedule_add(&s, "Thread-1");
	f = open_memstream(&text, &len);
	assert_non_null(f);
	assert_int_equal(schedule_write(f, &s, "found by --explore"), 0);
	fclose(f);
	assert_string_equal(text,
	    "# found by --explore\nThread-1\nThread-2\nThread-1\n");
	assert_int_equal(schedule_parse(text, len, &back, cause,
	    sizeof cause), 0);
	assert_int_equal(back.n, 3);
	assert_string_equal(back.names[2], "Thread-1");
	free(text);
	schedule_free(&back);
	schedule_free(&s);
}

static void
test_load_errors(void **state)
{
	(void)state;
	assert_int_equal(schedule_load("/nonexistent/plan", &s, cause,
	    sizeof cause), -1);
	assert_non_null(strstr(cause, "/nonexistent/plan"));
	schedule_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_comments_blanks),
		cmocka_unit_test(test_errors_name_their_line),
		cmocka_unit_test(test_distinct_names_in_order),
		cmocka_unit_test(test_write_then_parse),
		cmocka_unit_test(test_load_errors),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
