/*
 * Pure text formatting for the full-screen UI: tree rows with their guides,
 * the column header, TIME and RSS cells, the queue lines, and cutting
 * UTF-8 text to a display width (the lab's lines are labview.h's). No
 * curses and no I/O, so tests can check every cell on hand-built
 * snapshots. Text is UTF-8 when the locale is; bytes that do
 * not decode come out as '?'.
 */
#ifndef PTMON_UI_FORMAT_H
#define PTMON_UI_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

#include "ctl.h"

#include "cells.h"

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

/* Formats CPU time in clock ticks as htop's TIME+: "M:SS.cc" or "HhMM:SS". */
void		 ui_format_time(unsigned long long ticks, long hz, char *buf,
		    size_t len);
/*
 * Formats how long a task lived, short: "0.3s", "12s", "2m05s", "3h07m"
 * (tenths only under 10 s, where they tell something).
 */
void		 ui_format_lifetime(double secs, char *buf, size_t len);
/* Formats a size in KiB in at most 6 columns: "812K", "12.4M", "1.2G". */
void		 ui_format_rss(unsigned long kib, char *buf, size_t len);

/*
 * Writes the tree guides of task i ("│  ├─ ", or "|  +- " when ascii) into
 * buf; the root gets none. Returns the guides' display width.
 */
int		 ui_format_guides(const struct snapshot *, size_t i, bool ascii,
		    char *buf, size_t len);
/*
 * True when the task is held: a scenario task paused at its gate (or
 * about to take a step), or a process without a gate stopped by a signal.
 */
bool		 ui_format_paused(const struct snap_task *);
/* What the AT column says: the checkpoint and what the task waits on. */
void		 ui_format_at(const struct snapshot *, const struct snap_task *,
		    char *buf, size_t len);

/*
 * The tree's columns at a terminal width: fixed numbers (PID TID PPID S
 * %CPU RSS TIME+), WCHAN, then NAME with its guides and AT taking the rest.
 * Narrow terminals drop WCHAN first (below 118 columns, where AT would
 * have fewer than 32 cells), then PPID (the tree tells the parent), so
 * that NAME keeps 16 cells and AT 20 from 80 columns up.
 */
struct ui_columns {
	bool		ppid;		/* the PPID column is shown */
	bool		wchan;		/* the WCHAN column is shown */
	int		fixed;		/* cells before NAME, WCHAN included */
	int		name;		/* NAME's cells with guides; 0: none */
	int		at;		/* AT's cells; 0: none */
};
#define UI_WCHAN_COLS	17	/* "hrtimer_nanosleep" */
void		 ui_format_columns(int width, struct ui_columns *);
/*
 * The NAME cell's text: the name, or {name} for a thread (as pstree
 * marks them), cut to `width` columns with the brace kept.
 */
void		 ui_format_name(const struct snap_task *, char *buf, size_t len,
		    int width);

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
/* Lists "name (tid), …" of the tasks doing `doing` into buf, or "nobody". */
void		 ui_format_waiters(const struct snapshot *, enum ctl_doing doing,
		    char *buf, size_t len);

#endif
