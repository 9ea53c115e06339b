/*
 * os.fork(): called once, returns twice.
 *
 *	print('Process (%s) start...' % os.getpid())
 *	pid = os.fork()
 *	if pid == 0:
 *	    print('I am child process (%s) and my parent is %s.' % ...)
 *	else:
 *	    print('I (%s) just created a child process (%s).' % ...)
 */
#include "config.h"

#include <sys/wait.h>

#include <unistd.h>

#include "i18n.h"
#include "scenario.h"
#include "tutorial.h"

static int
fork_main(const struct params *params)
{
	pid_t pid;

	(void)params;
	checkpoint(CP_PRINT);
	print("Process (%d) start...", getpid());
	pid = os_fork("child");
	if (pid == 0) {
		checkpoint(CP_PRINT);
		print("I am child process (%d) and my parent is %d.",
		    getpid(), getppid());
		tutorial_end();
		_exit(0);
	} else {
		checkpoint(CP_PRINT);
		print("I (%d) just created a child process (%d).", getpid(),
		    pid);
		/* Python leaves the child to init; we reap it so no zombie stays. */
		waitpid(pid, NULL, 0);
	}
	return 0;
}

static const struct param_def fork_params[] = {
	{ .name = NULL },
};

const struct scenario scenario_fork = {
	.name = "fork",
	.summary = N_("os.fork(): one call, two returns - parent and child"),
	.watch_for = N_("fork() returns twice: the child appears under its parent"),
	.root_role = "MainProcess",
	.panes = 0,
	.params = fork_params,
	.main = fork_main,
};
