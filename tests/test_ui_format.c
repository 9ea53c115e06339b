/*
 * Unit tests of the UI's pure row formatting on hand-built snapshots: tree
 * guides in UTF-8 and ASCII, exact row widths with wide and undecodable
 * names, the paused marker, TIME+ and RSS cells, the queue lines and the
 * AT column (the lab's lines are tested in test_labview.c).
 */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <locale.h>

#include <cmocka.h>

#include "ctl.h"
#include "model.h"
#include "ui_format.h"

#define NTASKS	6

static struct snap_task tasks[NTASKS];
static struct snapshot snap;

/* Fills task i of the fixture. */
static void
set_task(size_t i, pid_t tid, pid_t tgid, pid_t ppid, int depth, bool last,
    const char *role)
{
	struct snap_task *t = &tasks[i];

	memset(t, 0, sizeof *t);
	t->s.tid = tid;
	t->s.tgid = tgid;
	t->s.ppid = ppid;
	t->s.state = 'S';
	t->s.rss_kib = 1700;
	t->s.ticks = 250;
	snprintf(t->s.name, sizeof t->s.name, "ptmon");
	t->depth = depth;
	t->is_thread = tid != tgid;
	t->last_sibling = last;
	t->slot = (int)i;
	snprintf(t->role, sizeof t->role, "%s", role);
	t->gate = SNAP_GATE_RUNNING;
	t->at = CP_SLEEP;
	t->doing = CTL_SLEEPING;
}

/*
 * root 100
 * ├─ 101 (worker)
 * │  ├─ 105 (thread of 101)
 * │  └─ 106 (child process of 101)
 * │     └─ 107
 * └─ 102
 */
static int
setup(void **state)
{
	(void)state;
	set_task(0, 100, 100, 1, 0, true, "MainProcess");
	set_task(1, 101, 101, 100, 1, false, "PoolWorker-1");
	set_task(2, 105, 101, 100, 2, false, "LoopThread");
	set_task(3, 106, 106, 101, 2, true, "Child");
	set_task(4, 107, 107, 106, 3, true, "Grandchild");
	set_task(5, 102, 102, 100, 1, true, "PoolWorker-2");
	memset(&snap, 0, sizeof snap);
	snap.root = 100;
	snap.ntasks = NTASKS;
	snap.cap = NTASKS;
	snap.tasks = tasks;
	return 0;
}

static void
test_guides_utf8(void **state)
{
	char buf[128];

	(void)state;
	assert_int_equal(ui_format_guides(&snap, 0, false, buf, sizeof buf),
	    0);
	assert_string_equal(buf, "");
	assert_int_equal(ui_format_guides(&snap, 1, false, buf, sizeof buf),
	    3);
	assert_string_equal(buf, "├─ ");
	ui_format_guides(&snap, 2, false, buf, sizeof buf);
	assert_string_equal(buf, "│  ├─ ");
	ui_format_guides(&snap, 3, false, buf, sizeof buf);
	assert_string_equal(buf, "│  └─ ");
	assert_int_equal(ui_format_guides(&snap, 4, false, buf, sizeof buf),
	    9);
	assert_string_equal(buf, "│     └─ ");
	ui_format_guides(&snap, 5, false, buf, sizeof buf);
	assert_string_equal(buf, "└─ ");
}

static void
test_guides_ascii(void **state)
{
	char buf[128];

	(void)state;
	ui_format_guides(&snap, 2, true, buf, sizeof buf);
	assert_string_equal(buf, "|  |- ");
	ui_format_guides(&snap, 4, true, buf, sizeof buf);
	assert_string_equal(buf, "|     `- ");
	ui_format_guides(&snap, 5, true, buf, sizeof buf);
	assert_string_equal(buf, "`- ");
}

static void
test_row_columns(void **state)
{
	struct ui_row row;

	(void)state;
	snprintf(tasks[2].s.wchan, sizeof tasks[2].s.wchan, "futex_do_wait");
	ui_format_task(&snap, 2, false, 100, 120, &row);
	assert_int_equal(cells_width(row.text), 120);
	assert_non_null(strstr(row.text, "    101     105     100 S   0.0 "
	    " 1700K   0:02.50 futex_do_wait     │  ├─ {LoopThread}"));
	assert_non_null(strstr(row.text, "time.sleep(), sleeping"));
	assert_int_equal(strncmp(row.text + row.name_off, "{LoopThread}", 12),
	    0);
	assert_int_equal(row.name_len, strlen("{LoopThread}"));
	/* At 80 columns: no PPID, no WCHAN, the thread still marked. */
	ui_format_task(&snap, 2, false, 100, 80, &row);
	assert_int_equal(cells_width(row.text), 80);
	assert_non_null(strstr(row.text, "    101     105 S   0.0 "
	    " 1700K   0:02.50 │  ├─ {LoopThre} time.sleep()"));
	assert_null(strstr(row.text, "futex_do_wait"));
	/* Not paused: no marker. */
	assert_int_equal(strncmp(row.text, "  ", 2), 0);
}

static void
test_row_paused_marker(void **state)
{
	struct ui_row row;

	(void)state;
	tasks[1].gate = SNAP_GATE_PAUSED;
	ui_format_task(&snap, 1, true, 100, 100, &row);
	assert_int_equal(strncmp(row.text, "||", 2), 0);
	tasks[1].gate = SNAP_GATE_STEPPING;
	ui_format_task(&snap, 1, true, 100, 100, &row);
	assert_int_equal(strncmp(row.text, ">|", 2), 0);
	assert_int_equal(cells_width(row.text), 100);
}

static void
test_row_widths(void **state)
{
	struct ui_row row, head;
	int w;

	(void)state;
	/* A wide name: width stays exact at every terminal width. */
	tasks[4].slot = -1;
	snprintf(tasks[4].s.name, sizeof tasks[4].s.name, "任务名字很长很长很长");
	for (w = 0; w < 200; w++) {
		ui_format_task(&snap, 4, false, 100, w, &row);
		assert_int_equal(cells_width(row.text), w);
		ui_format_tree_header(head.text, sizeof head.text, w);
		assert_int_equal(cells_width(head.text), w);
	}
	/* The header's NAME and AT columns line up with the row's. */
	ui_format_tree_header(head.text, sizeof head.text, 120);
	ui_format_task(&snap, 0, false, 100, 120, &row);
	assert_int_equal(strstr(head.text, "NAME") - head.text,
	    (long)row.name_off);
}

/* Chinese wraps between characters, never inside one, by cells. */
static void
test_wrap_wide(void **state)
{
	char buf[64];

	(void)state;
	/* Each of these is 3 bytes and 2 cells: 5 cells take 2 of them. */
	assert_int_equal(cells_wrap("选择场景", 5), 6);
	assert_int_equal(cells_wrap("选择场景", 4), 6);
	assert_int_equal(cells_wrap("ab 选择场景", 6), 3);
	/* A cut edge in the middle of a wide character leaves it out, padded. */
	assert_int_equal(cells_fit(buf, sizeof buf, "帮助：退出", 5, true), 5);
	assert_string_equal(buf, "帮助 ");
	assert_int_equal(cells_width("帮助：F1"), 8);
}

static void
test_fit(void **state)
{
	char buf[64];

	(void)state;
	/* A double-width character never straddles the edge. */
	assert_int_equal(cells_fit(buf, sizeof buf, "ab任务", 3, false), 2);
	assert_string_equal(buf, "ab");
	assert_int_equal(cells_fit(buf, sizeof buf, "ab任务", 5, true), 5);
	assert_string_equal(buf, "ab任 ");
	/* Bytes that do not decode come out as '?'. */
	assert_int_equal(cells_fit(buf, sizeof buf, "a\xff" "b", 10, false),
	    3);
	assert_string_equal(buf, "a?b");
	/* A tiny buffer is never overrun. */
	assert_int_equal(cells_fit(buf, 3, "abcdef", 10, false), 2);
	assert_string_equal(buf, "ab");
}

static void
test_time_rss(void **state)
{
	char buf[32];

	(void)state;
	ui_format_time(0, 100, buf, sizeof buf);
	assert_string_equal(buf, "0:00.00");
	ui_format_time(6123, 100, buf, sizeof buf);
	assert_string_equal(buf, "1:01.23");
	ui_format_time(100ULL * 3725, 100, buf, sizeof buf);
	assert_string_equal(buf, "1h02:05");
	ui_format_rss(812, buf, sizeof buf);
	assert_string_equal(buf, "812K");
	ui_format_rss(12700, buf, sizeof buf);
	assert_string_equal(buf, "12.4M");
	ui_format_rss(3 * 1024 * 1024, buf, sizeof buf);
	assert_string_equal(buf, "3072M");
	ui_format_rss(12 * 1024 * 1024, buf, sizeof buf);
	assert_string_equal(buf, "12.0G");
}

static void
test_queue_lines(void **state)
{
	struct snap_queue q;
	char buf[256];

	(void)state;
	memset(&q, 0, sizeof q);
	ui_format_queue_items(&q, true, buf, sizeof buf);
	assert_string_equal(buf, "(empty)");
	q.nitems = 3;
	strcpy(q.items[0], "A");
	strcpy(q.items[1], "B");
	strcpy(q.items[2], "C");
	ui_format_queue_items(&q, true, buf, sizeof buf);
	assert_string_equal(buf, "head> [A] [B] [C] <tail");
	q.puts = 3;
	q.gets = 0;
	q.getters_waiting = 1;
	ui_format_queue_counts(&q, buf, sizeof buf);
	assert_string_equal(buf, "puts 3  gets 0  waiting: 1 get, 0 put");
}

static void
test_at_column(void **state)
{
	char buf[256];

	(void)state;
	tasks[2].doing = CTL_WAIT_QUEUE;
	tasks[2].at = CP_GET;
	ui_format_at(&snap, &tasks[2], buf, sizeof buf);
	assert_string_equal(buf, "q.get(True), waits on the queue");
	/* The race shows the value a thread holds. */
	snap.balance.present = true;
	tasks[2].doing = CTL_RUNNING;
	tasks[2].local = 5;
	tasks[2].at = CP_READ_ADD;
	ui_format_at(&snap, &tasks[2], buf, sizeof buf);
	assert_string_equal(buf, "read balance (+n)  local=5");
	snap.balance.present = false;
	/* A task without a slot shows its command line. */
	tasks[3].slot = -1;
	snprintf(tasks[3].s.cmdline, sizeof tasks[3].s.cmdline, "nslookup");
	ui_format_at(&snap, &tasks[3], buf, sizeof buf);
	assert_string_equal(buf, "nslookup");
	assert_string_equal(model_task_name(&tasks[3]), "ptmon");
}

/*
 * The columns at a width: WCHAN goes first, then PPID, and from 80
 * columns up NAME keeps 16 cells and AT 20; the cells add up to the width.
 */
static void
test_columns(void **state)
{
	struct ui_columns c;
	char head[UI_FORMAT_ROW_LEN];
	int w;

	(void)state;
	ui_format_columns(80, &c);
	assert_false(c.wchan);
	assert_false(c.ppid);
	assert_int_equal(c.name, 16);
	assert_int_equal(c.at, 20);
	ui_format_columns(100, &c);
	assert_false(c.wchan);
	assert_true(c.ppid);
	ui_format_columns(117, &c);
	assert_false(c.wchan);
	ui_format_columns(120, &c);
	assert_true(c.wchan);
	assert_true(c.ppid);
	for (w = 80; w <= 400; w++) {
		ui_format_columns(w, &c);
		assert_true(c.name >= 16);
		assert_true(c.at >= 20);
		/* WCHAN never squeezes what AT says (the queue's 31). */
		assert_true(!c.wchan || c.at >= 32);
		assert_int_equal(c.fixed + c.name + 1 + c.at, w);
	}
	ui_format_tree_header(head, sizeof head, 120);
	assert_non_null(strstr(head, " PPID S "));
	assert_non_null(strstr(head, "TIME+ WCHAN "));
	ui_format_tree_header(head, sizeof head, 80);
	assert_null(strstr(head, "PPID"));
	assert_null(strstr(head, "WCHAN"));
	assert_non_null(strstr(head, "TIME+ NAME "));
	/* AT starts 20 cells from the end at 80 columns. */
	assert_int_equal(strstr(head, " AT") - head, 80 - 20 - 1);
}

/* Threads are {named} as pstree marks them; the brace survives a cut. */
static void
test_thread_name(void **state)
{
	char buf[64];

	(void)state;
	ui_format_name(&tasks[2], buf, sizeof buf, 30);
	assert_string_equal(buf, "{LoopThread}");
	ui_format_name(&tasks[2], buf, sizeof buf, 8);
	assert_string_equal(buf, "{LoopTh}");
	ui_format_name(&tasks[1], buf, sizeof buf, 30);
	assert_string_equal(buf, "PoolWorker-1");
	ui_format_name(&tasks[1], buf, sizeof buf, 4);
	assert_string_equal(buf, "Pool");
}

/* Lifetimes, short, and the AT column of a kept tree's ended tasks. */
static void
test_lifetime(void **state)
{
	char buf[64];

	(void)state;
	ui_format_lifetime(0.3, buf, sizeof buf);
	assert_string_equal(buf, "0.3s");
	ui_format_lifetime(9.96, buf, sizeof buf);
	assert_string_equal(buf, "10s");
	ui_format_lifetime(59.4, buf, sizeof buf);
	assert_string_equal(buf, "59s");
	ui_format_lifetime(125, buf, sizeof buf);
	assert_string_equal(buf, "2m05s");
	ui_format_lifetime(3720, buf, sizeof buf);
	assert_string_equal(buf, "1h02m");

	model_task_ended(&tasks[3], 3 << 8, 0.2, 0.5);
	ui_format_at(&snap, &tasks[3], buf, sizeof buf);
	assert_string_equal(buf, "exited 3 after 0.3s");
	model_task_ended(&tasks[3], SIGTERM, 1.0, 126.0);
	ui_format_at(&snap, &tasks[3], buf, sizeof buf);
	assert_string_equal(buf, "killed by SIGTERM after 2m05s");
	/* Where ptmon knows neither status nor start: what it knows. */
	model_task_ended(&tasks[3], -1, NAN, 2.0);
	ui_format_at(&snap, &tasks[3], buf, sizeof buf);
	assert_string_equal(buf, "ended");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_guides_utf8, setup),
		cmocka_unit_test_setup(test_guides_ascii, setup),
		cmocka_unit_test_setup(test_row_columns, setup),
		cmocka_unit_test_setup(test_row_paused_marker, setup),
		cmocka_unit_test_setup(test_row_widths, setup),
		cmocka_unit_test_setup(test_fit, setup),
		cmocka_unit_test_setup(test_wrap_wide, setup),
		cmocka_unit_test_setup(test_time_rss, setup),
		cmocka_unit_test_setup(test_queue_lines, setup),
		cmocka_unit_test_setup(test_at_column, setup),
		cmocka_unit_test_setup(test_columns, setup),
		cmocka_unit_test_setup(test_thread_name, setup),
		cmocka_unit_test_setup(test_lifetime, setup),
	};

	if (setlocale(LC_ALL, "C.UTF-8") == NULL) {
		printf("1..0 # SKIP no C.UTF-8 locale\n");
		return 0;
	}
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
