/*
 * What ptmon does when it crashes (SIGSEGV, SIGBUS, SIGFPE, SIGILL,
 * SIGABRT): restore the terminal through the cleanup hooks, say where to
 * report it, and die of the same signal. The keeper then ends the tree.
 */
#ifndef PTMON_CRASH_H
#define PTMON_CRASH_H

/* Installs the crash handlers; call once, early in main. */
void		 crash_install(void);

#endif
