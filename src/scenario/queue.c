/*
 * multiprocessing.Queue between two processes: the writer puts A, B, C with
 * random pauses, the reader gets forever; the parent joins the writer and
 * terminates the reader.
 */
#include "config.h"

#include <unistd.h>

#include "i18n.h"
#include "scenario.h"
#include "tutorial.h"

static const struct param_value *items;

/* 写数据进程执行的代码 (the writer process's code) */
static void
write_proc(void *q)
{
	int i;

	(void)q;
	checkpoint(CP_PRINT);
	print("Process to write: %d", getpid());
	for (i = 0; i < items->nitems; i++) {
		const char *value = items->words[i];

		checkpoint(CP_PRINT);
		print("Put %s to queue...", value);
		checkpoint(CP_PUT);
		queue_put(value);
		time_sleep(random_random());
	}
}

/* 读数据进程执行的代码 (the reader process's code) */
static void
read_proc(void *q)
{
	char value[16];

	(void)q;
	checkpoint(CP_PRINT);
	print("Process to read: %d", getpid());
	for (;;) {
		checkpoint(CP_GET);
		queue_get(value);
		checkpoint(CP_PRINT);
		print("Get %s from queue.", value);
	}
}

static int
queue_main(const struct params *params)
{
	struct process pw, pr;

	items = params_get(params, "items");
	/* The queue lives in the control block, made before this process. */
	process_start(&pw, "writer", write_proc, NULL);
	process_start(&pr, "reader", read_proc, NULL);
	process_join(&pw);
	/*
	 * pr进程里是死循环，无法等待其结束，只能强行终止 (the reader loops
	 * forever: it cannot be joined, only terminated). Give it the time to
	 * take what is left and wait on the queue again, then end it.
	 */
	while (!queue_drained())
		time_sleep(0.01);
	process_terminate(&pr);
	process_join(&pr);
	return 0;
}

static const struct param_def queue_params[] = {
	{ .name = "items", .kind = PARAM_WORD_LIST, .def = "A,B,C",
	  .min_items = 1, .max_items = PARAM_LIST_MAX,
	  .help = N_("values the writer puts, comma separated") },
	{ .name = NULL },
};

const struct scenario scenario_queue = {
	.name = "queue",
	.summary = N_("multiprocessing.Queue: a writer puts, a reader gets"),
	.watch_for = N_("the reader blocks on the empty queue until the writer puts"),
	.root_role = "MainProcess",
	.panes = MODEL_QUEUE,
	.params = queue_params,
	.main = queue_main,
};
