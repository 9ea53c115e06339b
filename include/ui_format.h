/*
 * Pure text formatting for the full-screen UI: tree rows with their guides,
 * the column header, TIME and RSS cells, the queue and balance lines, the
 * interleaving lab's code view and thread table, and cutting UTF-8 text
 * to a display width. No curses and no I/O, so tests can check every cell
 * on hand-built snapshots. Text is UTF-8 when the locale is; bytes that do
 * not decode come out as '?'.
 */
#ifndef PTMON_UI_FORMAT_H
#define PTMON_UI_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

#include "ctl.h"

struct snap_balance;
struct snap_queue;
struct snap_task;
struct snapshot;

/* The widest row the formatters produce, in columns, and its byte size. */
#define UI_FORMAT_MAX_COLS	1024
#define UI_FORMAT_ROW_LEN	(UI_FORMAT_MAX_COLS * 4 + 1)

/* One formatted tree row, with where its NAME cell lies (for colour). */
struct ui_row {
	char		text[UI_FORMAT_ROW_LEN];
	size_t		name_off;	/* byte offset of the name, after guides */
	size_t		name_len;	/* its length in bytes */
};

/*
 * Copies src into dst (len bytes) cut to at most `width` display columns,
 * padded with spaces to exactly `width` when pad is set. Wide characters
 * that would straddle the edge are left out. Returns the columns written.
 */
int		 ui_format_fit(char *dst, size_t len, const char *src, int width,
		    bool pad);
/*
 * The next line of src when wrapped at `width` columns: returns how many
 * bytes of src it takes (breaking after a space where it can, at least one
 * character); 0 at the end of src.
 */
size_t		 ui_format_wrap(const char *src, int width);
/* The display width of a UTF-8 string (undecodable bytes count as 1). */
int		 ui_format_width(const char *s);

/* Formats CPU time in clock ticks as htop's TIME+: "M:SS.cc" or "HhMM:SS". */
void		 ui_format_time(unsigned long long ticks, long hz, char *buf,
		    size_t len);
/* Formats a size in KiB in at most 6 columns: "812K", "12.4M", "1.2G". */
void		 ui_format_rss(unsigned long kib, char *buf, size_t len);

/*
 * Writes the tree guides of task i ("│  ├─ ", or "|  +- " when ascii) into
 * buf; the root gets none. Returns the guides' display width.
 */
int		 ui_format_guides(const struct snapshot *, size_t i, bool ascii,
		    char *buf, size_t len);
/* The name a task shows: its role from the control block, else its comm. */
const char	*ui_format_name(const struct snap_task *);
/*
 * True when the task is held: a scenario task paused at its gate (or
 * about to take a step), or a process without a gate stopped by a signal.
 */
bool		 ui_format_paused(const struct snap_task *);
/* What the AT column says: the checkpoint and what the task waits on. */
void		 ui_format_at(const struct snapshot *, const struct snap_task *,
		    char *buf, size_t len);

/* The tree pane's column header, `width` columns wide. */
void		 ui_format_tree_header(char *buf, size_t len, int width);
/* Formats task i as one row exactly `width` columns wide. */
void		 ui_format_task(const struct snapshot *, size_t i, bool ascii,
		    long hz, int width, struct ui_row *out);

/* The queue's items, head first: "head> A | B | C" or "(empty)". */
void		 ui_format_queue_items(const struct snap_queue *, bool ascii,
		    char *buf, size_t len);
/* "puts 3  gets 1" and who waits. */
void		 ui_format_queue_counts(const struct snap_queue *, char *buf,
		    size_t len);
/* "balance 13  expected 0  off by +13"; returns true when it is off. */
bool		 ui_format_balance(const struct snap_balance *, char *buf,
		    size_t len);

/*
 * The interleaving lab: change_it as a few lines of code, each a statement
 * a thread can stand before (a checkpoint), with a marker per thread
 * ("1>", "2>") on the line it stands at, and a table of the threads.
 */
#define UI_LAB_THREADS_MAX	4

/* One line of the lab's code view. */
struct ui_lab_code {
	const char	*code;		/* the Python statement, indented */
	const char	*note;		/* what it is for the CPU */
	unsigned	 cp;		/* enum checkpoint before it; CP_NONE */
};

/* Flags of a thread row of the lab. */
#define UI_LAB_HERE	0x1	/* it stands at a line of the code view */
#define UI_LAB_STALE	0x2	/* its next write loses another's update */

/* The code view of the race (or, with_lock, the lock); *n its length. */
const struct ui_lab_code *ui_format_lab_code(bool with_lock, size_t *n);
/*
 * The threads that run change_it (scenario threads, not the root), in
 * tree order: their indexes into snap->tasks in idx[0..max); returns how
 * many.
 */
size_t		 ui_format_lab_threads(const struct snapshot *, size_t *idx,
		    size_t max);
/* The number on a thread's marker: its role's last digit, else k + 1. */
int		 ui_format_lab_number(const struct snap_task *, size_t k);
/*
 * The code line task t stands at, or -1 when it stands at none of them
 * (it runs freely, has ended, or stands elsewhere).
 */
int		 ui_format_lab_line_of(const struct snap_task *,
		    bool with_lock);
/*
 * Code line i with the markers of the threads standing at it, each in
 * its own column: "1> 2>  local = balance       # read balance".
 */
void		 ui_format_lab_code_line(const struct snapshot *,
		    bool with_lock, size_t i, char *buf, size_t len);
/* The thread table's header. */
void		 ui_format_lab_header(char *buf, size_t len);
/*
 * A row of the thread table: marker (number 0: none), name, n, iteration
 * (of `total`, when above 0), the value it holds and where it stands.
 * Returns UI_LAB_* flags.
 */
unsigned	 ui_format_lab_thread(const struct snapshot *,
		    const struct snap_task *, int number, long total,
		    char *buf, size_t len);
/*
 * The challenge: "target -5: 4 steps so far", then once ended "target -5
 * reached: final balance -5 in 4 steps" or "not reached". Returns 1 when
 * reached, -1 when missed, 0 while the scenario runs.
 */
int		 ui_format_lab_target(long target, bool ended,
		    long long final, size_t steps, char *buf, size_t len);
/*
 * The command that shows which final balances are possible, for the
 * scenario with these iterations (more than 3: 1) and amounts ("5,8").
 */
void		 ui_format_lab_hint(const char *scenario, long iterations,
		    const char *amounts, char *buf, size_t len);

/* Lists "name (tid), …" of the tasks doing `doing` into buf, or "nobody". */
void		 ui_format_waiters(const struct snapshot *, enum ctl_doing doing,
		    char *buf, size_t len);

#endif
