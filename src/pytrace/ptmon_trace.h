/*
 * What the parts of the _ptmon_trace module share: ptmon_trace.c (the
 * block, the threads, the line events) and ptmon_queues.c (the program's
 * queues mirrored in the block).
 */
#ifndef PTMON_PYTRACE_H
#define PTMON_PYTRACE_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* The block the tracer mapped, or NULL (untraced). */
struct ctl	*ptmon_trace_block(void);
/* The calling thread's slot, -1 when it has none. */
int		 ptmon_trace_slot(void);

/* ptmon_queues.c's functions, added to the module. */
extern PyMethodDef	ptmon_queue_methods[];

#endif
