/*
 * The lab for a traced Python program (ptmon -- python3 PROG): what its
 * pane says, as text, from the snapshot's py part (model.h): the source
 * lines around the threads' lines with an arrow per thread, the
 * instructions of a line with an arrow at each thread's next one, a row
 * per thread (where it is, its next instruction, what it holds), and the
 * watched globals (value, expected, lost updates). Pure but for
 * pylab_source_line, which reads (and caches) a source file.
 */
#ifndef PTMON_PYLAB_H
#define PTMON_PYLAB_H

#include <stdbool.h>
#include <stddef.h>

struct snapshot;
struct snap_task;
struct snap_py_watch;

#define PYLAB_OP_NAME_LEN	24
#define PYLAB_OP_ARG_LEN	40
#define PYLAB_OPS_MAX		24
#define PYLAB_THREADS_MAX	8

/* One instruction of a line, from the tracer's record. */
struct pylab_op {
	int	 offset;
	char	 name[PYLAB_OP_NAME_LEN];	/* [A-Z0-9_], non-empty */
	char	 arg[PYLAB_OP_ARG_LEN];		/* its argrepr, "" none */
};

/*
 * Parses the record the tracer publishes for a line, one instruction a
 * line: "OFFSET OPNAME[ ARGREPR]\n". Lines that are not that (a bad
 * offset, a name of other characters, a cut last line) are skipped; at
 * most max kept. Returns how many.
 */
size_t		 pylab_parse_ops(const char *rec, struct pylab_op *ops,
		    size_t max);

/* The traced Python threads with a line, in tree order; how many. */
size_t		 pylab_threads(const struct snapshot *, size_t *idx,
		    size_t max);
/* The task the lab centres on: sel when it is one, else the first. */
const struct snap_task *pylab_focus(const struct snapshot *,
		    const struct snap_task *sel);

/* The file name of a path (after its last '/'). */
const char	*pylab_base(const char *path);

/*
 * Source line `line` of `path`, expanded and made inert, or false. Reads
 * only a regular file of at most 1 MiB, opened without blocking, and
 * keeps the last file read.
 */
bool		 pylab_source_line(const char *path, int line, char *buf,
		    size_t len);

/*
 * A source line with the arrows of the threads standing at it:
 * "  14      balance = balance + n   <- Thread-1 Thread-2".
 */
void		 pylab_code_line(const struct snapshot *, const char *path,
		    int line, const char *code, char *buf, size_t len);
/*
 * Instruction op of the line `line` of `path` with the arrows of the
 * threads that run it next: "  14 LOAD_FAST n   <- Thread-1".
 */
void		 pylab_op_line(const struct snapshot *, const char *path,
		    int line, const struct pylab_op *op, char *buf, size_t len);

/* Flags of a thread row. */
#define PYLAB_STALE	0x1	/* its next store of what it holds loses one */
#define PYLAB_HOLDS	0x2

void		 pylab_header(char *buf, size_t len);
/*
 * A thread's row: name, where, its next instruction (stepping by
 * instruction), what it holds ("balance=0", loaded and not stored back).
 * Returns PYLAB_* flags.
 */
unsigned	 pylab_thread(const struct snapshot *, const struct snap_task *,
		    char *buf, size_t len);
/* True when the lab shows the name: picked, or stored by two threads. */
bool		 pylab_watched(const struct snap_py_watch *);
/*
 * "balance = 8   expected 13   off by -5" (ints) or "name = 'x'";
 * returns true when it is off.
 */
bool		 pylab_watch_line(const struct snap_py_watch *, char *buf,
		    size_t len);
/* "lost updates: 1 (stores from a stale load)"; true when any. */
bool		 pylab_lost_line(const struct snap_py_watch *, char *buf,
		    size_t len);

#endif
