/* Unit tests of the sanitiser: hostile text comes out inert and bounded. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "sanitize.h"

static char out[256];

static const char *
clean(const char *in)
{
	sanitize_text(in, strlen(in), out, sizeof out, 0);
	return out;
}

/* No byte of the result may be a C0 control, DEL, or a lone 0x80-0x9f. */
static void
assert_inert(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p != '\0'; p++)
		assert_false(*p < 0x20 || *p == 0x7f);
	assert_null(strstr(s, "\xc2\x9b"));
	assert_null(strstr(s, "\xe2\x80\xae"));
}

static void
test_plain_text_passes(void **state)
{
	(void)state;
	assert_string_equal(clean("Thread-1"), "Thread-1");
	assert_string_equal(clean("进程 (876) start..."), "进程 (876) start...");
}

static void
test_hostile_text_is_inert(void **state)
{
	static const struct {
		const char	*in;
		const char	*want;
	} cases[] = {
		{ "\x1b]0;pwned\x07", "\\e]0;pwned\\x07" },		/* OSC title */
		{ "\x1b]52;c;aGk=\x07", "\\e]52;c;aGk=\\x07" },	/* OSC 52 */
		{ "\x1b[2J\x1b[H", "\\e[2J\\e[H" },			/* clear */
		{ "bell\a", "bell\\x07" },
		{ "c1 \xc2\x9b" "31m", "c1 \\u009b31m" },		/* U+009B */
		{ "raw \x9b" "31m", "raw \\x9b31m" },			/* bare 0x9b */
		{ "bad \xff\xfe utf8", "bad \\xff\\xfe utf8" },
		{ "over\xc0\xaf", "over\\xc0\\xaf" },			/* overlong */
		{ "rtl \xe2\x80\xae" "gpj.exe", "rtl \\u202egpj.exe" },
		{ "tab\there", "tab\\x09here" },
		{ "del\x7f", "del\\x7f" },
		{ "ls\xe2\x80\xa8" "x", "ls\\u2028x" },		/* U+2028 */
		{ "ps\xe2\x80\xa9" "x", "ps\\u2029x" },		/* U+2029 */
		{ "zw\xe2\x80\x8b" "x", "zw\\u200bx" },		/* U+200B */
		{ "tag\xf3\xa0\x81\x81", "tag\\ue0041" },		/* U+E0041 */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_string_equal(clean(cases[i].in), cases[i].want);
		assert_inert(out);
	}
}

static void
test_tabs_kept_when_asked(void **state)
{
	(void)state;
	sanitize_text("Server:\t\t1.2.3.4", 16, out, sizeof out, 1);
	assert_string_equal(out, "Server:\t\t1.2.3.4");
}

/* A NUL hides nothing: it shows, and so does all that follows it. */
static void
test_nul_hides_nothing(void **state)
{
	(void)state;
	sanitize_text("shown\0hidden?", 13, out, sizeof out, 0);
	assert_string_equal(out, "shown\\x00hidden?");
}

/* Output is bounded and never cut inside a character or an escape. */
static void
test_bounded(void **state)
{
	char small[8];
	size_t n;

	(void)state;
	n = sanitize_text("\x1b\x1b\x1b\x1b\x1b", 5, small, sizeof small, 0);
	assert_int_equal(n, 6);
	assert_string_equal(small, "\\e\\e\\e");
	n = sanitize_text("ab进程", 8, small, sizeof small, 0);
	assert_string_equal(small, "ab进");
	assert_int_equal(n, 5);
	/* The input length is a cap too: a NUL-free buffer is read no further. */
	n = sanitize_text("abcdef", 3, small, sizeof small, 0);
	assert_string_equal(small, "abc");
	n = sanitize_text("x", 1, small, 1, 0);
	assert_int_equal(n, 0);
	assert_string_equal(small, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_text_passes),
		cmocka_unit_test(test_hostile_text_is_inert),
		cmocka_unit_test(test_tabs_kept_when_asked),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_nul_hides_nothing),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
