/*
 * Unit tests of the Python lab's view model: the tracer's record of a
 * line's instructions parsed (and hostile ones refused), a thread's row
 * with what it holds and whether its store would lose an update, the
 * watched global's expected vs actual, and source lines read safely.
 */
#include "config.h"

#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "model.h"
#include "pylab.h"

static void
test_parse_ops(void **state)
{
	struct pylab_op ops[PYLAB_OPS_MAX];
	size_t n;

	(void)state;
	n = pylab_parse_ops("2 LOAD_GLOBAL balance\n14 LOAD_FAST n\n"
	    "16 BINARY_OP +\n20 STORE_GLOBAL balance\n", ops, PYLAB_OPS_MAX);
	assert_int_equal(n, 4);
	assert_int_equal(ops[0].offset, 2);
	assert_string_equal(ops[0].name, "LOAD_GLOBAL");
	assert_string_equal(ops[0].arg, "balance");
	assert_string_equal(ops[2].arg, "+");
	assert_int_equal(ops[3].offset, 20);
	assert_string_equal(ops[3].name, "STORE_GLOBAL");
	/* No argument; a bad offset, a bad name, a cut last line: skipped. */
	n = pylab_parse_ops("0 RESUME\nx LOAD_FAST n\n4 load_fast n\n"
	    "99999999 NOP\n6 NOP\n8 RETURN_VAL", ops, PYLAB_OPS_MAX);
	assert_int_equal(n, 2);
	assert_string_equal(ops[0].name, "RESUME");
	assert_string_equal(ops[0].arg, "");
	assert_int_equal(ops[1].offset, 6);
	/* An argument is made inert; max is kept. */
	n = pylab_parse_ops("2 LOAD_CONST '\x1b[2J'\n4 NOP\n", ops, 1);
	assert_int_equal(n, 1);
	assert_null(strchr(ops[0].arg, '\x1b'));
	assert_int_equal(pylab_parse_ops("", ops, PYLAB_OPS_MAX), 0);
}

static struct snap_task tasks[3];
static struct snapshot snap;

/* Two threads of race.py, both held in change_it, both having loaded 0. */
static void
race(void)
{
	static const char *names[] = { "MainThread", "Thread-1", "Thread-2" };
	int i;

	memset(&snap, 0, sizeof snap);
	memset(tasks, 0, sizeof tasks);
	for (i = 0; i < 3; i++) {
		struct snap_py_task *p = &snap.py.tasks[i];

		tasks[i].s.tid = 100 + i;
		tasks[i].s.tgid = 100;
		tasks[i].depth = i > 0;
		tasks[i].is_thread = i > 0;
		tasks[i].slot = i;
		tasks[i].gate = SNAP_GATE_PAUSED;
		snprintf(tasks[i].role, sizeof tasks[i].role, "%s", names[i]);
		snprintf(p->path, sizeof p->path, "/t/race.py");
		p->line = i == 0 ? 25 : 14;
		p->offset = i == 0 ? -1 : 14;
		p->held = i == 0 ? -1 : 0;
		p->held_seq = 0;
		snprintf(p->held_repr, sizeof p->held_repr, "0");
		snprintf(p->ops, sizeof p->ops, "2 LOAD_GLOBAL balance\n"
		    "14 LOAD_FAST n\n16 BINARY_OP +\n20 STORE_GLOBAL balance\n");
	}
	snap.tasks = tasks;
	snap.ntasks = snap.cap = 3;
	snap.py.present = true;
	snap.py.by_op = true;
	snap.py.nwatch = 1;
	snprintf(snap.py.watch[0].name, CTL_PY_NAME_LEN, "balance");
	snprintf(snap.py.watch[0].repr, CTL_PY_REPR_LEN, "0");
	snap.py.watch[0].is_int = true;
	snap.py.watch[0].writers = 0x6;
}

static void
test_rows(void **state)
{
	struct pylab_op op = { .offset = 14, .name = "LOAD_FAST",
	    .arg = "n" };
	char buf[256];
	unsigned f;

	(void)state;
	race();
	f = pylab_thread(&snap, &tasks[1], buf, sizeof buf);
	assert_int_equal(f, PYLAB_HOLDS);
	assert_non_null(strstr(buf, "Thread-1"));
	assert_non_null(strstr(buf, "race.py:14"));
	assert_non_null(strstr(buf, "LOAD_FAST n"));
	assert_non_null(strstr(buf, "balance=0"));
	pylab_op_line(&snap, "/t/race.py", 14, &op, buf, sizeof buf);
	assert_string_equal(buf, "    14  LOAD_FAST n                     "
	    "<- Thread-1 Thread-2");
	pylab_code_line(&snap, "/t/race.py", 14, "    balance = balance + n",
	    buf, sizeof buf);
	assert_non_null(strstr(buf, "  14      balance = balance + n"));
	assert_non_null(strstr(buf, "<- Thread-1 Thread-2"));
	/* Thread-1 stored 5: Thread-2's load is stale, its store loses it. */
	snap.py.watch[0].stores = 1;
	snprintf(snap.py.watch[0].repr, CTL_PY_REPR_LEN, "5");
	snap.py.watch[0].value = 5;
	snap.py.tasks[1].held = -1;
	f = pylab_thread(&snap, &tasks[2], buf, sizeof buf);
	assert_true(f & PYLAB_STALE);
	assert_non_null(strstr(buf, "stale"));
	/* A running thread stands nowhere. */
	tasks[2].gate = SNAP_GATE_RUNNING;
	pylab_code_line(&snap, "/t/race.py", 14, "x", buf, sizeof buf);
	assert_null(strstr(buf, "Thread-2"));
}

static void
test_watch(void **state)
{
	struct snap_py_watch w = { .name = "balance", .repr = "8",
	    .is_int = true, .value = 8, .lost_sum = 5, .lost = 1,
	    .writers = 0x6 };
	char buf[160];

	(void)state;
	assert_true(pylab_watched(&w));
	assert_true(pylab_watch_line(&w, buf, sizeof buf));
	assert_string_equal(buf, "balance = 8   expected 13   off by -5");
	assert_true(pylab_lost_line(&w, buf, sizeof buf));
	assert_non_null(strstr(buf, "lost updates: 1"));
	w.lost_sum = 0;
	w.lost = 0;
	assert_false(pylab_watch_line(&w, buf, sizeof buf));
	assert_false(pylab_lost_line(&w, buf, sizeof buf));
	/* One writer, not picked: not shown. */
	w.writers = 0x2;
	assert_false(pylab_watched(&w));
	w.picked = true;
	assert_true(pylab_watched(&w));
}

static void
test_source(void **state)
{
	char dir[] = "/tmp/pylabXXXXXX", path[64], fifo[64], buf[128];
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/p.py", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("a = 1\n\tb = 2\nprint('\x1b[2J')\n", f);
	fclose(f);
	assert_true(pylab_source_line(path, 1, buf, sizeof buf));
	assert_string_equal(buf, "a = 1");
	assert_true(pylab_source_line(path, 2, buf, sizeof buf));
	assert_string_equal(buf, "        b = 2");
	assert_true(pylab_source_line(path, 3, buf, sizeof buf));
	assert_null(strchr(buf, '\x1b'));
	assert_false(pylab_source_line(path, 4, buf, sizeof buf));
	/* A FIFO is not read: ptmon does not hang on it. */
	snprintf(fifo, sizeof fifo, "%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_false(pylab_source_line(fifo, 1, buf, sizeof buf));
	unlink(fifo);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ops),
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_watch),
		cmocka_unit_test(test_source),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
