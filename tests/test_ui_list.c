/*
 * Unit tests of the rows the tree pane shows (list.c) on a hand-built
 * snapshot: the filter keeps matches and their ancestors in a tree, only
 * matches in a list; threads hidden; siblings sorted in a tree; a flat
 * list by CPU or PID; depth and last_sibling right for the guides.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "model.h"
#include "ui_list.h"

#define NTASKS	5

static struct snap_task tasks[NTASKS];
static struct snapshot snap, out;

static void
set_task(size_t i, pid_t tid, pid_t tgid, int depth, const char *name,
    double cpu, char state)
{
	struct snap_task *t = &tasks[i];

	memset(t, 0, sizeof *t);
	t->s.tid = tid;
	t->s.tgid = tgid;
	t->s.cpu = cpu;
	t->s.state = state;
	snprintf(t->s.name, sizeof t->s.name, "%s", name);
	snprintf(t->s.cmdline, sizeof t->s.cmdline, "/bin/%s --run", name);
	t->depth = depth;
	t->is_thread = tid != tgid;
	t->slot = -1;
}

/*
 * root (10) with its thread Worker (11), children zeta (20) and alpha
 * (30), and alpha's child beta (40): the model's order.
 */
static int
setup(void **state)
{
	(void)state;
	set_task(0, 10, 10, 0, "root", 0, 'S');
	set_task(1, 11, 10, 1, "Worker", 0, 'R');
	set_task(2, 20, 20, 1, "zeta", 50, 'S');
	set_task(3, 30, 30, 1, "alpha", 10, 'D');
	set_task(4, 40, 40, 2, "beta", 90, 'R');
	tasks[2].s.cmdline[0] = '\0';
	snap.tasks = tasks;
	snap.ntasks = snap.cap = NTASKS;
	memset(&out, 0, sizeof out);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	ui_list_free(&out);
	return 0;
}

/* The rows' tids as "10 11 20", and each row's last_sibling as "TFT". */
static void
rows(char *tids, size_t tlen, char *last, size_t llen)
{
	size_t i, o = 0;

	tids[0] = '\0';
	for (i = 0; i < out.ntasks; i++) {
		o += (size_t)snprintf(tids + o, tlen - o, "%s%d", i > 0 ? " " :
		    "", (int)out.tasks[i].s.tid);
		if (i + 1 < llen)
			last[i] = out.tasks[i].last_sibling ? 'T' : 'F';
	}
	last[out.ntasks < llen ? out.ntasks : llen - 1] = '\0';
}

static void
check(const struct ui_list_opts *opts, const char *want_tids,
    const char *want_last)
{
	char tids[128], last[16];

	ui_list_build(&out, &snap, opts);
	rows(tids, sizeof tids, last, sizeof last);
	assert_string_equal(tids, want_tids);
	if (want_last != NULL)
		assert_string_equal(last, want_last);
}

static void
test_unchanged(void **state)
{
	struct ui_list_opts opts = { 0 };

	(void)state;
	check(&opts, "10 11 20 30 40", "TFFTT");
	assert_int_equal(out.tasks[4].depth, 2);
}

/*
 * What ui_list_is_identity promises: those options build the snapshot's
 * own rows, in its order and depths, so the UI may show the snapshot.
 */
static void
test_identity(void **state)
{
	struct ui_list_opts opts = { .sort = UI_SORT_PID };
	size_t i;

	(void)state;
	assert_true(ui_list_is_identity(&opts));
	opts.filter = "";
	assert_true(ui_list_is_identity(&opts));
	ui_list_build(&out, &snap, &opts);
	assert_int_equal(out.ntasks, snap.ntasks);
	for (i = 0; i < snap.ntasks; i++) {
		assert_int_equal(out.tasks[i].s.tid, snap.tasks[i].s.tid);
		assert_int_equal(out.tasks[i].depth, snap.tasks[i].depth);
	}
	opts.filter = "al";
	assert_false(ui_list_is_identity(&opts));
	opts.filter = NULL;
	opts.flat = true;
	assert_false(ui_list_is_identity(&opts));
	opts.flat = false;
	opts.hide_threads = true;
	assert_false(ui_list_is_identity(&opts));
	opts.hide_threads = false;
	opts.sort = UI_SORT_NAME;
	assert_false(ui_list_is_identity(&opts));
}

static void
test_filter_keeps_ancestors(void **state)
{
	struct ui_list_opts opts = { .filter = "BETA" };

	(void)state;
	check(&opts, "10 30 40", "TTT");
	/* A flat list keeps only what matches. */
	opts.flat = true;
	check(&opts, "40", NULL);
	/* The command line matches too; zeta has none. */
	opts.flat = false;
	opts.filter = "--run";
	check(&opts, "10 11 30 40", "TFTT");
	opts.filter = "nothing such";
	check(&opts, "", "");
}

static void
test_hide_threads(void **state)
{
	struct ui_list_opts opts = { .hide_threads = true };

	(void)state;
	check(&opts, "10 20 30 40", "TFTT");
	/* A filter on a hidden thread shows nothing of it. */
	opts.filter = "worker";
	check(&opts, "", "");
}

static void
test_tree_sorts_siblings(void **state)
{
	struct ui_list_opts opts = { .sort = UI_SORT_NAME };

	(void)state;
	/* alpha (with beta under it), Worker, zeta. */
	check(&opts, "10 30 40 11 20", "TFTFT");
	assert_int_equal(out.tasks[2].depth, 2);
	opts.sort = UI_SORT_CPU;
	check(&opts, "10 20 30 40 11", "TFFTT");
	opts.sort = UI_SORT_STATE;
	check(&opts, "10 11 30 40 20", "TFFTT");
}

static void
test_flat(void **state)
{
	struct ui_list_opts opts = { .flat = true, .sort = UI_SORT_CPU };
	size_t i;

	(void)state;
	check(&opts, "40 20 30 10 11", NULL);
	for (i = 0; i < out.ntasks; i++)
		assert_int_equal(out.tasks[i].depth, 0);
	opts.sort = UI_SORT_PID;
	check(&opts, "10 11 20 30 40", NULL);
	opts.sort = UI_SORT_NAME;
	check(&opts, "30 40 10 11 20", NULL);
	opts.sort = UI_SORT_STATE;
	check(&opts, "11 40 30 10 20", NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_unchanged, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_identity, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_filter_keeps_ancestors,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_hide_threads, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_tree_sorts_siblings, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_flat, setup, teardown),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
