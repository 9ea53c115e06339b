/*
 * Unit tests of the tid -> index map the driver finds its seen tasks in.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tidmap.h"

#define NONE	((size_t)-1)

static void
test_empty(void **state)
{
	struct tidmap m = { 0 };

	(void)state;
	assert_true(tidmap_find(&m, 1) == NONE);
	tidmap_clear(&m);
	tidmap_put(&m, 0, 5);		/* not a tid: ignored */
	tidmap_put(&m, -3, 5);
	assert_true(tidmap_find(&m, 0) == NONE);
	assert_int_equal(m.used, 0);
	tidmap_free(&m);
}

/* Thousands of tids, some colliding in the hash, each finds its index. */
static void
test_many(void **state)
{
	struct tidmap m = { 0 };
	pid_t tid;

	(void)state;
	for (tid = 1; tid <= 20000; tid++)
		tidmap_put(&m, tid * 64, (size_t)tid);
	assert_int_equal(m.used, 20000);
	/* At most three quarters full. */
	assert_true(m.cap * 3 >= 20000 * 4);
	for (tid = 1; tid <= 20000; tid++)
		assert_int_equal(tidmap_find(&m, tid * 64), (size_t)tid);
	assert_true(tidmap_find(&m, 63) == NONE);
	assert_true(tidmap_find(&m, 20001 * 64) == NONE);
	/* Put again: the index is replaced, the count stays. */
	tidmap_put(&m, 128, 7);
	assert_int_equal(tidmap_find(&m, 128), 7);
	assert_int_equal(m.used, 20000);
	tidmap_clear(&m);
	assert_true(tidmap_find(&m, 128) == NONE);
	assert_int_equal(m.used, 0);
	tidmap_put(&m, 128, 9);
	assert_int_equal(tidmap_find(&m, 128), 9);
	tidmap_free(&m);
	assert_true(tidmap_find(&m, 128) == NONE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_many),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
