/*
 * Unit tests of the JSON writer (src/output/json.c): the separators
 * between values, nesting, and the escaping that keeps every line valid
 * JSON whatever bytes a process name or an output line holds.
 */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "json.h"

static void
test_commas_and_nesting(void **state)
{
	struct json j = { 0 };

	(void)state;
	json_open(&j, '{');
	json_key(&j, "a");
	json_int(&j, 1);
	json_key(&j, "list");
	json_open(&j, '[');
	json_int(&j, -2);
	json_bool(&j, true);
	json_null(&j);
	json_open(&j, '{');
	json_close(&j, '}');
	json_open(&j, '[');
	json_close(&j, ']');
	json_close(&j, ']');
	json_key(&j, "b");
	json_bool(&j, false);
	json_close(&j, '}');
	assert_string_equal(j.buf,
	    "{\"a\":1,\"list\":[-2,true,null,{},[]],\"b\":false}");
	json_free(&j);
}

static void
test_numbers(void **state)
{
	struct json j = { 0 };

	(void)state;
	json_open(&j, '[');
	json_number(&j, 1.0 / 3.0, 3);
	json_number(&j, 2.5, 0);
	json_number(&j, NAN, 2);	/* not JSON: written as 0 */
	json_number(&j, INFINITY, 1);
	json_int(&j, -9223372036854775807LL - 1);
	json_close(&j, ']');
	assert_string_equal(j.buf,
	    "[0.333,2,0.00,0.0,-9223372036854775808]");
	json_free(&j);
}

static void
test_string_escapes(void **state)
{
	struct json j = { 0 };

	(void)state;
	json_string(&j, "say \"hi\"\\ \t\n\r\x1b[2J\x7f end");
	assert_string_equal(j.buf, "\"say \\\"hi\\\"\\\\ \\u0009\\u000a"
	    "\\u000d\\u001b[2J\\u007f end\"");
	json_free(&j);
}

static void
test_utf8_kept_and_invalid_replaced(void **state)
{
	struct json j = { 0 };

	(void)state;
	/* Valid UTF-8 (Chinese, an emoji) passes as it is. */
	json_string(&j, "\xe8\xbf\x9b\xe7\xa8\x8b \xf0\x9f\x98\x80");
	assert_string_equal(j.buf,
	    "\"\xe8\xbf\x9b\xe7\xa8\x8b \xf0\x9f\x98\x80\"");
	json_reset(&j);
	/* A lone continuation byte, an overlong '/', a surrogate, a cut
	 * sequence at the end: each bad byte becomes U+FFFD. */
	json_string(&j, "a\x80" "b\xc0\xaf" "c\xed\xa0\x80" "d\xe8\xbf");
	assert_string_equal(j.buf, "\"a\\ufffdb\\ufffd\\ufffdc\\ufffd\\ufffd"
	    "\\ufffdd\\ufffd\\ufffd\"");
	json_free(&j);
}

static void
test_keys_are_escaped(void **state)
{
	struct json j = { 0 };

	(void)state;
	json_open(&j, '{');
	json_key(&j, "k\"\n");
	json_string(&j, "");
	json_close(&j, '}');
	assert_string_equal(j.buf, "{\"k\\\"\\u000a\":\"\"}");
	json_free(&j);
}

static void
test_reset_keeps_memory_and_starts_over(void **state)
{
	struct json j = { 0 };
	char *before;

	(void)state;
	json_open(&j, '[');
	json_int(&j, 1);
	json_close(&j, ']');
	before = j.buf;
	json_reset(&j);
	assert_ptr_equal(j.buf, before);
	assert_int_equal(j.len, 0);
	/* No comma left over from the line before. */
	json_int(&j, 7);
	assert_string_equal(j.buf, "7");
	json_free(&j);
	assert_null(j.buf);
	assert_int_equal(j.cap, 0);
}

static void
test_long_string_grows_the_buffer(void **state)
{
	static char big[100000];
	struct json j = { 0 };

	(void)state;
	memset(big, 'x', sizeof big - 1);
	json_string(&j, big);
	assert_int_equal(j.len, sizeof big - 1 + 2);
	assert_int_equal(j.buf[0], '"');
	assert_int_equal(j.buf[j.len - 1], '"');
	assert_int_equal(j.buf[j.len], '\0');
	json_free(&j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commas_and_nesting),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_string_escapes),
		cmocka_unit_test(test_utf8_kept_and_invalid_replaced),
		cmocka_unit_test(test_keys_are_escaped),
		cmocka_unit_test(test_reset_keeps_memory_and_starts_over),
		cmocka_unit_test(test_long_string_grows_the_buffer),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
