/*
 * The interleaving lab's view model: what the lab pane says, as text, for
 * the race and the lock. change_it as a few lines of code, each a
 * statement a thread can stand before (a checkpoint), with a marker per
 * thread ("1>", "2>") on the line it stands at; a table of the threads
 * (n, iteration, the value each read, where each stands, whether its next
 * write loses an update); the balance against what is expected, the
 * lock's holder, the lost updates, the challenge of a target balance.
 * Pure: built from a snapshot, no curses and no I/O, so tests check every
 * line; src/ui/labpane.c only places and colours it.
 */
#ifndef PTMON_LABVIEW_H
#define PTMON_LABVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "checkpoint.h"

struct param_value;
struct snap_balance;
struct snap_task;
struct snapshot;

/* The most change_it threads the lab shows. */
#define LABVIEW_THREADS_MAX	4

/* One line of the lab's code view. */
struct labview_code {
	const char	*code;		/* the Python statement, indented */
	const char	*note;		/* what it is for the CPU */
	enum checkpoint	 cp;		/* the checkpoint before it; CP_NONE */
};

/* Flags of a thread row of the lab. */
#define LABVIEW_HERE	0x1	/* it stands at a line of the code view */
#define LABVIEW_STALE	0x2	/* its next write loses another's update */

/* The code view of the race (or, with_lock, the lock); *n its length. */
const struct labview_code *labview_code(bool with_lock, size_t *n);
/*
 * The threads that run change_it (scenario threads, not the root), in
 * tree order: their indexes into snap->tasks in idx[0..max); returns how
 * many.
 */
size_t		 labview_threads(const struct snapshot *, size_t *idx,
		    size_t max);
/* The number on a thread's marker: its role's last digit, else k + 1. */
int		 labview_number(const struct snap_task *, size_t k);
/*
 * The code line task t stands at, or -1 when it stands at none of them
 * (it runs freely, has ended, or stands elsewhere).
 */
int		 labview_line_of(const struct snap_task *, bool with_lock);
/*
 * Code line i with the markers of the threads standing at it, each in
 * its own column: "1> 2>      local = balance      # read balance". The
 * markers take the first labview_marks_width() columns.
 */
void		 labview_code_line(const struct snapshot *, bool with_lock,
		    size_t i, char *buf, size_t len);
/* Columns of the markers before each code line: room for two at least. */
int		 labview_marks_width(const struct snapshot *);

/* The thread table's header. */
void		 labview_header(char *buf, size_t len);
/*
 * A row of the thread table for change_it's thread t, its marker showing
 * `number`: name, n, iteration (of `total`, when above 0), its `local`
 * (the value it read, between its read and its write) and where it stands. Returns LABVIEW_* flags.
 */
unsigned	 labview_thread(const struct snapshot *,
		    const struct snap_task *, int number, long total,
		    char *buf, size_t len);
/*
 * A row of the thread table for a task that does not run change_it (the
 * root, waiting in its join): its name and `where`, in the table's
 * columns.
 */
void		 labview_bystander(const struct snap_task *, const char *where,
		    char *buf, size_t len);
/*
 * When a thread's next write would lose an update: "Thread-2 wrote 8 over
 * 5", and true. False (buf empty) when none would.
 */
bool		 labview_stale_note(const struct snapshot *, char *buf,
		    size_t len);

/* "balance 13  expected 0  off by +13"; returns true when it is off. */
bool		 labview_balance(const struct snap_balance *, char *buf,
		    size_t len);
/* "lock: free" or "lock: held by Thread-1 (4242)". */
void		 labview_lock_holder(const struct snapshot *, char *buf,
		    size_t len);
/* "lost updates: 2"; returns true when there are any. */
bool		 labview_lost(const struct snap_balance *, char *buf,
		    size_t len);
/*
 * The challenge: "target -5: 4 steps so far", then once ended "target -5
 * reached: final balance -5 in 4 steps" or "not reached". Returns 1 when
 * reached, -1 when missed, 0 while the scenario runs.
 */
int		 labview_target(long target, bool ended, long long final,
		    size_t steps, char *buf, size_t len);
/*
 * The command that shows which final balances are possible, for the
 * scenario with these iterations (more than 3: 1) and amounts (named only
 * when they differ from the parameter's default; NULL: none).
 */
void		 labview_hint(const char *scenario, long iterations,
		    const struct param_value *amounts, char *buf, size_t len);

#endif
