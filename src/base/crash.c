/*
 * Crash handling. Restoring the terminal from a signal handler is not
 * async-signal-safe, but a crashed program has nothing left to lose and a
 * broken terminal is worse: htop does the same. The handler runs once
 * (SA_RESETHAND) on its own stack, so a stack overflow is caught too.
 */
#include "config.h"

#include "crash.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "xalloc.h"

static char	 crash_stack[64 * 1024];

/*
 * Says what happened in the words a bug report needs: the signal, and the
 * faulting address when the kernel raised it (a signal sent with kill()
 * has none, so the sender is named instead). There is no address to send
 * reports to that we could vouch for, so it points at the README.
 */
static void
crash_handler(int sig, siginfo_t *si, void *uctx)
{
	char msg[768], where[64] = "";
	int n;

	(void)uctx;
	if (si != NULL && si->si_code > 0 && sig != SIGABRT)
		snprintf(where, sizeof where, ", address %p", si->si_addr);
	else if (si != NULL && (si->si_code == SI_USER ||
	    si->si_code == SI_TKILL))
		snprintf(where, sizeof where, ", sent by pid %d",
		    (int)si->si_pid);
	cleanup_run();
	n = snprintf(msg, sizeof msg, "\nptmon %s crashed: %s (signal %d%s).\n"
	    "The watched processes are ended. To report this bug, include\n"
	    "the output of ptmon --version, the command line, this message\n"
	    "(the signal and address above) and your terminal (program and\n"
	    "TERM): see README.md, 'Reporting bugs'.\n",
	    PACKAGE_VERSION, strsignal(sig), sig, where);
	if (n > 0 && write(STDERR_FILENO, msg, (size_t)n) < 0)
		n = 0;
	/* SA_RESETHAND restored the default action: die of the same signal. */
	raise(sig);
}

void
crash_install(void)
{
#if defined(__SANITIZE_ADDRESS__)
	/* ASan's own report says more than ours: leave SIGSEGV to it. */
	return;
#endif
	static const int fatal_signals[] = {
		SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT,
	};
	struct sigaction sa;
	stack_t ss;
	size_t i;

	ss.ss_sp = crash_stack;
	ss.ss_size = sizeof crash_stack;
	ss.ss_flags = 0;
	sigaltstack(&ss, NULL);
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = crash_handler;
	sa.sa_flags = SA_SIGINFO | SA_RESETHAND | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++)
		sigaction(fatal_signals[i], &sa, NULL);
}
