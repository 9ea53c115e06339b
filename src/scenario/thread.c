/*
 * threading.Thread: LoopThread counts to 5, one second apart, while
 * MainThread waits in t.join().
 */
#include "config.h"

#include "i18n.h"
#include "scenario.h"
#include "tutorial.h"

static long count;

/* 新线程执行的代码 (the new thread's code) */
static void
loop(void *unused)
{
	long n;

	(void)unused;
	checkpoint(CP_PRINT);
	print("thread %s is running...", current_thread_name());
	n = 0;
	while (n < count) {
		checkpoint(CP_LOOP);
		n = n + 1;
		hold(n);
		print("thread %s >>> %ld", current_thread_name(), n);
		time_sleep(1);
	}
	checkpoint(CP_PRINT);
	print("thread %s ended.", current_thread_name());
}

static int
threading_main(const struct params *params)
{
	struct thread t;

	count = params_int(params, "count");
	checkpoint(CP_PRINT);
	print("thread %s is running...", current_thread_name());
	thread_start(&t, "LoopThread", loop, NULL);
	thread_join(&t);
	checkpoint(CP_PRINT);
	print("thread %s ended.", current_thread_name());
	return 0;
}

static const struct param_def thread_params[] = {
	{ .name = "count", .kind = PARAM_INT, .def = "5", .min = 0,
	  .max = 1000, .help = N_("how far LoopThread counts") },
	{ .name = NULL },
};

const struct scenario scenario_thread = {
	.name = "thread",
	.summary = N_("threading.Thread: LoopThread counts to 5 beside MainThread"),
	.watch_for = N_("LoopThread is a second task (TID) of the same process"),
	.root_role = "MainThread",
	.panes = 0,
	.params = thread_params,
	.main = threading_main,
};
