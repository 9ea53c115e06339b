/*
 * Unit tests of the JSON Lines events (src/output/jsonl.c): each event as
 * the exact line a script reading `ptmon --batch --json` gets, so a field
 * renamed, dropped or mistyped shows here first.
 */
#include "config.h"

#include <sys/wait.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "json.h"
#include "jsonl.h"
#include "model.h"
#include "params.h"
#include "timeline.h"

static void
test_start_scenario(void **state)
{
	static const struct param_def defs[] = {
		{ "workers", PARAM_INT, "4", 1, 64, 0, 0, "pool size", NULL },
		{ "items", PARAM_WORD_LIST, "A,B", 0, 0, 1, 16, "queue items", NULL },
		{ NULL, PARAM_INT, NULL, 0, 0, 0, 0, NULL, NULL },
	};
	char arg[] = "items=x,y";
	char *argv[] = { arg };
	char cause[128];
	struct params params;
	struct json j = { 0 };
	struct jsonl_start s = {
		.scenario = "pool", .params = &params, .pid = 10, .root = 11,
		.speed = 2.5, .has_seed = true, .seed = 42,
	};

	(void)state;
	assert_int_equal(params_parse(defs, 1, argv, &params, cause,
	    sizeof cause), 0);
	jsonl_start(&j, 1.25, &s);
	assert_string_equal(j.buf, "{\"type\":\"start\",\"t\":1.250,"
	    "\"scenario\":\"pool\",\"params\":{\"workers\":\"4\","
	    "\"items\":\"x,y\"},\"pid\":10,\"root\":11,\"speed\":2.50,"
	    "\"seed\":42}");
	json_free(&j);
}

static void
test_start_command_and_attach(void **state)
{
	struct json j = { 0 };
	struct jsonl_start s = {
		.command = "make -j4", .pid = 1, .root = 2, .speed = 1,
	};

	(void)state;
	jsonl_start(&j, 0, &s);
	assert_string_equal(j.buf, "{\"type\":\"start\",\"t\":0.000,"
	    "\"command\":\"make -j4\",\"pid\":1,\"root\":2,"
	    "\"speed\":1.00}");
	json_reset(&j);
	s.command = NULL;
	s.attach = "pid 2";
	jsonl_start(&j, 0, &s);
	assert_string_equal(j.buf, "{\"type\":\"start\",\"t\":0.000,"
	    "\"attach\":\"pid 2\",\"pid\":1,\"root\":2,\"speed\":1.00}");
	json_free(&j);
}

static void
test_output(void **state)
{
	struct json j = { 0 };

	(void)state;
	jsonl_output(&j, 0.5, 7, 1, "Run task 0 (7)...");
	assert_string_equal(j.buf, "{\"type\":\"output\",\"t\":0.500,"
	    "\"pid\":7,\"text\":\"Run task 0 (7)...\"}");
	json_reset(&j);
	/* A command's stderr is marked; quotes are escaped. */
	jsonl_output(&j, 0.5, 7, 2, "say \"no\"");
	assert_string_equal(j.buf, "{\"type\":\"output\",\"t\":0.500,"
	    "\"pid\":7,\"stream\":\"stderr\",\"text\":\"say \\\"no\\\"\"}");
	json_reset(&j);
	/* A command's line: who wrote it is not known. */
	jsonl_output(&j, 0.5, 0, 1, "hi");
	assert_string_equal(j.buf, "{\"type\":\"output\",\"t\":0.500,"
	    "\"pid\":null,\"text\":\"hi\"}");
	json_free(&j);
}

static void
test_spawn_and_exit(void **state)
{
	struct json j = { 0 };

	(void)state;
	jsonl_spawn(&j, 0.001, 12, 13, 11, "Thread-1");
	assert_string_equal(j.buf, "{\"type\":\"spawn\",\"t\":0.001,"
	    "\"pid\":12,\"tid\":13,\"ppid\":11,\"name\":\"Thread-1\"}");
	json_reset(&j);
	jsonl_exit(&j, 2, 12, 12, 3 << 8);	/* exited with 3 */
	assert_string_equal(j.buf, "{\"type\":\"exit\",\"t\":2.000,"
	    "\"pid\":12,\"tid\":12,\"status\":3}");
	json_reset(&j);
	jsonl_exit(&j, 2, 12, 12, SIGTERM);	/* killed by SIGTERM */
	assert_string_equal(j.buf, "{\"type\":\"exit\",\"t\":2.000,"
	    "\"pid\":12,\"tid\":12,\"signal\":15}");
	json_reset(&j);
	jsonl_exit(&j, 2, 12, 13, -1);		/* a thread: pid and tid apart */
	assert_string_equal(j.buf, "{\"type\":\"exit\",\"t\":2.000,"
	    "\"pid\":12,\"tid\":13,\"status\":null}");
	json_reset(&j);
	jsonl_end(&j, 3, 143);
	assert_string_equal(j.buf, "{\"type\":\"end\",\"t\":3.000,"
	    "\"status\":143}");
	json_free(&j);
}

static void
test_snapshot(void **state)
{
	struct snap_task task;
	struct snapshot snap;
	struct json j = { 0 };

	(void)state;
	memset(&snap, 0, sizeof snap);
	memset(&task, 0, sizeof task);
	task.s.tid = 21;
	task.s.tgid = 20;
	task.s.ppid = 1;
	task.s.state = 'S';
	task.s.cpu = 12.34;
	task.s.rss_kib = 1024;
	task.s.ticks = 250;
	task.s.processor = 1;
	strcpy(task.s.name, "reader");
	strcpy(task.s.cmdline, "ptmon queue");
	strcpy(task.s.wchan, "futex_do_wait");
	strcpy(task.role, "reader");
	task.depth = 1;
	task.is_thread = true;
	task.slot = 2;
	task.doing = CTL_WAIT_QUEUE;
	task.gate = SNAP_GATE_PAUSED;
	task.local = -5;
	snap.root = 20;
	snap.ntasks = 1;
	snap.tasks = &task;
	snap.queues[0].present = true;
	snap.queues[0].nitems = 2;
	strcpy(snap.queues[0].items[0], "A");
	strcpy(snap.queues[0].items[1], "B");
	snap.queues[0].puts = 3;
	snap.queues[0].gets = 1;
	snap.queues[0].getters_waiting = 1;
	snap.balance.present = true;
	snap.balance.value = 8;
	snap.balance.expected = 13;
	snap.balance.owner = 21;
	snap.balance.waiters = 1;
	jsonl_snapshot(&j, 4, &snap, 100, NULL);
	assert_non_null(strstr(j.buf, "{\"type\":\"snapshot\",\"t\":4.000,"
	    "\"root\":20,\"tasks\":[{\"pid\":20,\"tid\":21,\"ppid\":1,"
	    "\"depth\":1,\"thread\":true,\"name\":\"reader\","
	    "\"role\":\"reader\",\"state\":\"S\",\"cpu\":12.3,"
	    "\"rss\":1024,\"time\":2.50,\"processor\":1,"
	    "\"gate\":\"paused\",\"doing\":\"waiting on queue\""));
	assert_non_null(strstr(j.buf, "\"local\":-5,\"thread_local\":null,"
	    "\"cmdline\":\"ptmon queue\",\"wchan\":\"futex_do_wait\","
	    "\"states\":\"\"}]"));
	assert_non_null(strstr(j.buf, "\"queue\":{\"items\":[\"A\",\"B\"],"
	    "\"puts\":3,\"gets\":1,\"getters_waiting\":1,"
	    "\"putters_waiting\":0}"));
	assert_non_null(strstr(j.buf, "\"balance\":{\"value\":8,"
	    "\"expected\":13,\"owner\":21,\"waiters\":1}}"));
	/* What a thread's threading.local() holds, as a string. */
	json_reset(&j);
	strcpy(task.text, "student=Alice");
	jsonl_snapshot(&j, 4, &snap, 100, NULL);
	assert_non_null(strstr(j.buf, "\"thread_local\":\"student=Alice\","));
	task.text[0] = '\0';
	/* Its states, one letter per refresh: waiting, then paused. */
	{
		struct timeline tl;

		memset(&tl, 0, sizeof tl);
		timeline_record(&tl, &snap, true);
		task.doing = CTL_PAUSED;
		timeline_record(&tl, &snap, true);
		json_reset(&j);
		jsonl_snapshot(&j, 4, &snap, 100, &tl);
		assert_non_null(strstr(j.buf, "\"states\":\"WP\"}"));
		timeline_free(&tl);
		task.doing = CTL_WAIT_QUEUE;
	}
	/* A task without a slot has no doing; a bare tree has no panes. */
	json_reset(&j);
	task.slot = -1;
	snap.queues[0].present = false;
	snap.balance.present = false;
	jsonl_snapshot(&j, 4, &snap, 100, NULL);
	assert_non_null(strstr(j.buf, "\"doing\":null"));
	assert_null(strstr(j.buf, "\"queue\""));
	assert_null(strstr(j.buf, "\"balance\""));
	json_free(&j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start_scenario),
		cmocka_unit_test(test_start_command_and_attach),
		cmocka_unit_test(test_output),
		cmocka_unit_test(test_spawn_and_exit),
		cmocka_unit_test(test_snapshot),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
