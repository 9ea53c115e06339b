/*
 * The rows shown: the snapshot filtered, without threads when they are
 * hidden, sorted, as a tree or a flat list (see ui_list.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "model.h"
#include "ui_list.h"
#include "xalloc.h"

/* A task and what sorts it. */
struct item {
	const struct snap_task	*t;
	size_t			 i;	/* its row in the snapshot */
	enum ui_sort		 by;
};

const char *
ui_list_sort_name(enum ui_sort by)
{
	switch (by) {
	case UI_SORT_PID:
		return "PID";
	case UI_SORT_CPU:
		return "CPU";
	case UI_SORT_STATE:
		return N_("state");
	case UI_SORT_NAME:
		return N_("name");
	case UI_SORT_COUNT:
		break;
	}
	return "?";
}

/* True when s holds text, letters in any case. */
static bool
holds(const char *s, const char *text)
{
	size_t k, len = strlen(text), n = strlen(s);

	for (k = 0; k + len <= n; k++)
		if (strncasecmp(s + k, text, len) == 0)
			return true;
	return false;
}

bool
ui_list_matches(const struct snap_task *t, const char *text)
{
	if (text == NULL || text[0] == '\0')
		return true;
	return holds(model_task_name(t), text) || holds(t->s.name, text) ||
	    holds(t->s.cmdline, text);
}

/* Running first: the order of the S column when sorted by state. */
static int
state_rank(char state)
{
	static const char order[] = "RDSTtZ";
	const char *p = state != '\0' ? strchr(order, state) : NULL;

	return p != NULL ? (int)(p - order) : (int)sizeof order;
}

static int
compare(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	int c = 0;

	switch (x->by) {
	case UI_SORT_PID:
		/* The model's order is by pid already, threads by tid. */
		break;
	case UI_SORT_CPU:
		c = (y->t->s.cpu > x->t->s.cpu) - (y->t->s.cpu < x->t->s.cpu);
		break;
	case UI_SORT_STATE:
		c = state_rank(x->t->s.state) - state_rank(y->t->s.state);
		break;
	case UI_SORT_NAME:
		c = strcasecmp(model_task_name(x->t), model_task_name(y->t));
		break;
	case UI_SORT_COUNT:
		break;
	}
	if (c != 0)
		return c;
	return (x->i > y->i) - (x->i < y->i);
}

/* For a flat list by PID: processes by pid, each with its threads. */
static int
compare_pid(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	if (x->t->s.tgid != y->t->s.tgid)
		return (x->t->s.tgid > y->t->s.tgid) -
		    (x->t->s.tgid < y->t->s.tgid);
	if (x->t->is_thread != y->t->is_thread)
		return x->t->is_thread ? 1 : -1;
	if (x->t->s.tid != y->t->s.tid)
		return (x->t->s.tid > y->t->s.tid) - (x->t->s.tid < y->t->s.tid);
	return (x->i > y->i) - (x->i < y->i);
}

/* Appends task i of snap to out. */
static void
append(struct snapshot *out, const struct snapshot *snap, size_t i)
{
	out->tasks[out->ntasks++] = snap->tasks[i];
}

/* Marks which rows stay: the filter's matches and, in a tree, ancestors. */
static void
mark_kept(const struct snapshot *snap, const struct ui_list_opts *opts,
    const size_t *parent, bool *keep)
{
	size_t i, n = snap->ntasks, p;

	for (i = 0; i < n; i++) {
		const struct snap_task *t = &snap->tasks[i];

		keep[i] = !(opts->hide_threads && t->is_thread) &&
		    ui_list_matches(t, opts->filter);
	}
	if (opts->flat)
		return;
	for (i = 0; i < n; i++)
		if (keep[i])
			for (p = parent[i]; p != SIZE_MAX && !keep[p];
			    p = parent[p])
				keep[p] = true;
}

/* The flat list: kept rows, sorted, no depth. */
static void
build_flat(struct snapshot *out, const struct snapshot *snap,
    const struct ui_list_opts *opts, const bool *keep, struct item *items)
{
	size_t i, k, m = 0;

	for (i = 0; i < snap->ntasks; i++)
		if (keep[i])
			items[m++] = (struct item){ &snap->tasks[i], i,
			    opts->sort };
	qsort(items, m, sizeof *items, opts->sort == UI_SORT_PID ?
	    compare_pid : compare);
	for (k = 0; k < m; k++) {
		append(out, snap, items[k].i);
		out->tasks[k].depth = 0;
		out->tasks[k].last_sibling = true;
	}
}

/*
 * The tree: siblings sorted, then walked depth first from the roots (the
 * root and the orphans ptmon adopted are all at depth 0 or under it).
 */
static void
build_tree(struct snapshot *out, const struct snapshot *snap,
    const struct ui_list_opts *opts, const size_t *parent, const bool *keep,
    struct item *items)
{
	size_t n = snap->ntasks, i, k, top = 0;
	size_t *first, *count, *fill, *stack;

	/* Children of each row (index n: the roots) as runs of items. */
	count = xcalloc(n + 1, sizeof *count);
	first = xcalloc(n + 2, sizeof *first);
	fill = xcalloc(n + 1, sizeof *fill);
	stack = xcalloc(n + 1, sizeof *stack);
	for (i = 0; i < n; i++)
		count[parent[i] == SIZE_MAX ? n : parent[i]]++;
	for (i = 0; i <= n; i++)
		first[i + 1] = first[i] + count[i];
	for (i = 0; i < n; i++) {
		size_t p = parent[i] == SIZE_MAX ? n : parent[i];

		items[first[p] + fill[p]++] = (struct item){ &snap->tasks[i],
		    i, opts->sort };
	}
	for (i = 0; i <= n; i++)
		if (count[i] > 1)
			qsort(items + first[i], count[i], sizeof *items,
			    compare);
	/* Depth first: push children last to first, so the first pops. */
	for (k = count[n]; k-- > 0;)
		stack[top++] = items[first[n] + k].i;
	while (top > 0) {
		i = stack[--top];
		if (!keep[i])
			continue;
		append(out, snap, i);
		for (k = count[i]; k-- > 0;)
			stack[top++] = items[first[i] + k].i;
	}
	free(count);
	free(first);
	free(fill);
	free(stack);
}

/* Makes last_sibling true for the rows kept, walking back. */
static void
mark_last_siblings(struct snapshot *out)
{
	size_t i, maxd = 0;
	bool *seen;

	for (i = 0; i < out->ntasks; i++)
		if ((size_t)out->tasks[i].depth > maxd)
			maxd = (size_t)out->tasks[i].depth;
	seen = xcalloc(maxd + 2, sizeof *seen);
	for (i = out->ntasks; i-- > 0;) {
		size_t d = out->tasks[i].depth > 0 ?
		    (size_t)out->tasks[i].depth : 0;

		out->tasks[i].last_sibling = !seen[d];
		seen[d] = true;
		/* What comes after at d + 1 was another parent's. */
		seen[d + 1] = false;
	}
	free(seen);
}

void
ui_list_build(struct snapshot *out, const struct snapshot *snap,
    const struct ui_list_opts *opts)
{
	size_t n = snap->ntasks, i, *parent, *last_at;
	struct item *items;
	bool *keep;

	out->t = snap->t;
	out->root = snap->root;
	memcpy(out->queues, snap->queues, sizeof out->queues);
	out->balance = snap->balance;
	out->ntasks = 0;
	if (n == 0)
		return;
	if (out->cap < n) {
		out->tasks = xrealloc(out->tasks, n * sizeof *out->tasks);
		out->cap = n;
	}
	/* Each row's parent: the nearest row before it one level up. */
	parent = xcalloc(n, sizeof *parent);
	last_at = xcalloc(n + 1, sizeof *last_at);
	for (i = 0; i < n; i++) {
		size_t d = snap->tasks[i].depth > 0 ?
		    (size_t)snap->tasks[i].depth : 0;

		if (d > n)
			d = n;
		parent[i] = d == 0 ? SIZE_MAX : last_at[d - 1];
		last_at[d] = i;
	}
	keep = xcalloc(n, sizeof *keep);
	items = xcalloc(n, sizeof *items);
	mark_kept(snap, opts, parent, keep);
	if (opts->flat)
		build_flat(out, snap, opts, keep, items);
	else {
		build_tree(out, snap, opts, parent, keep, items);
		mark_last_siblings(out);
	}
	free(items);
	free(keep);
	free(last_at);
	free(parent);
}

bool
ui_list_is_identity(const struct ui_list_opts *opts)
{
	return !opts->flat && !opts->hide_threads &&
	    opts->sort == UI_SORT_PID &&
	    (opts->filter == NULL || opts->filter[0] == '\0');
}

void
ui_list_free(struct snapshot *out)
{
	free(out->tasks);
	out->tasks = NULL;
	out->ntasks = out->cap = 0;
}
