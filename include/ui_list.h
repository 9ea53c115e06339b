/*
 * The rows the tree pane shows, built from the driver's snapshot by the
 * view's options: a filter on name or command line (ancestors kept, so the
 * tree still reads), threads hidden or shown, a tree or a flat list, and a
 * sort (of siblings, in a tree). The result is a snapshot of its own, with
 * depth and last_sibling made true for the rows it keeps, so the row
 * formatter draws its guides unchanged. Pure: no curses, no I/O.
 */
#ifndef PTMON_UI_LIST_H
#define PTMON_UI_LIST_H

#include <stdbool.h>

struct snap_task;
struct snapshot;

enum ui_sort {
	UI_SORT_PID,		/* in a tree: the model's order */
	UI_SORT_CPU,		/* busiest first */
	UI_SORT_STATE,		/* running first, then D S T Z */
	UI_SORT_NAME,		/* the name shown, A to Z */
	UI_SORT_COUNT,
};

struct ui_list_opts {
	bool		 flat;		/* a list, not a tree */
	bool		 hide_threads;
	enum ui_sort	 sort;
	const char	*filter;	/* NULL or "": no filter */
};

/* What the sort menu and the key bar call a sort, e.g. "CPU". */
const char	*ui_list_sort_name(enum ui_sort);

/* True when the task's shown name, comm or command line holds text. */
bool		 ui_list_matches(const struct snap_task *, const char *text);

/*
 * Builds out from snap by opts, reusing out's task memory (zero out before
 * its first use). Copies the queue, balance, time and root.
 */
void		 ui_list_build(struct snapshot *out, const struct snapshot *snap,
		    const struct ui_list_opts *opts);

/*
 * True when opts change nothing (a tree in the model's order, threads
 * shown, no filter): the rows are then the snapshot's own, and the UI
 * shows them without a copy (thousands of tasks, hundreds of bytes each).
 */
bool		 ui_list_is_identity(const struct ui_list_opts *opts);

/* Frees what ui_list_build allocated in out. */
void		 ui_list_free(struct snapshot *out);

#endif
