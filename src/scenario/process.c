/*
 * multiprocessing.Process: start a child that runs run_proc, then join it.
 */
#include "config.h"

#include <unistd.h>

#include "i18n.h"
#include "scenario.h"
#include "tutorial.h"

/* 子进程要执行的代码 (the code the child process runs) */
static void
run_proc(void *name)
{
	checkpoint(CP_RUN_PROC);
	print("Run child process %s (%d)...", (const char *)name, getpid());
}

static int
process_main(const struct params *params)
{
	struct process p;

	checkpoint(CP_PRINT);
	print("Parent process %d.", getpid());
	checkpoint(CP_PRINT);
	print("Child process will start.");
	process_start(&p, "Process-1", run_proc,
	    (void *)params_text(params, "name"));
	process_join(&p);
	checkpoint(CP_PRINT);
	print("Child process end.");
	return 0;
}

static const struct param_def process_params[] = {
	{ .name = "name", .kind = PARAM_TEXT, .def = "test", .max = 32,
	  .help = N_("argument passed to run_proc") },
	{ .name = NULL },
};

const struct scenario scenario_process = {
	.name = "process",
	.summary = N_("multiprocessing.Process: start a child, join it"),
	.watch_for = N_("the parent waits in p.join() until the child has run"),
	.root_role = "MainProcess",
	.panes = 0,
	.params = process_params,
	.main = process_main,
};
