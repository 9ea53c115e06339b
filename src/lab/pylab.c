/*
 * The lab for a traced Python program: the lines its pane shows, built
 * from the snapshot's py part. A thread "stands at" a line (or an
 * instruction) while it is held there: one that runs freely passes it
 * millions of times a second, and shows no arrow.
 */
#include "config.h"

#include "pylab.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cells.h"
#include "i18n.h"
#include "model.h"
#include "sanitize.h"

size_t
pylab_parse_ops(const char *rec, struct pylab_op *ops, size_t max)
{
	size_t n = 0;

	while (*rec != '\0' && n < max) {
		const char *nl = strchr(rec, '\n'), *p = rec, *name;
		struct pylab_op *op = &ops[n];
		size_t len, k;
		long off = 0;

		/* A line without its newline was cut: not an instruction. */
		if (nl == NULL)
			break;
		for (k = 0; p < nl && *p >= '0' && *p <= '9' && k < 8; k++)
			off = off * 10 + (*p++ - '0');
		if (k == 0 || k == 8 || p == nl || *p != ' ')
			goto next;
		name = ++p;
		while (p < nl && ((*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_'))
			p++;
		len = (size_t)(p - name);
		if (len == 0 || len >= sizeof op->name ||
		    (p < nl && *p != ' '))
			goto next;
		op->offset = (int)off;
		memcpy(op->name, name, len);
		op->name[len] = '\0';
		if (p < nl)
			p++;
		sanitize_text(p, (size_t)(nl - p), op->arg, sizeof op->arg, 0);
		n++;
next:
		rec = nl + 1;
	}
	return n;
}

size_t
pylab_threads(const struct snapshot *snap, size_t *idx, size_t max)
{
	size_t i, n = 0;

	if (!snap->py.present)
		return 0;
	for (i = 0; i < snap->ntasks && n < max; i++) {
		const struct snap_task *t = &snap->tasks[i];

		if (t->slot >= 0 && t->slot < CTL_MAX_TASKS &&
		    t->doing != CTL_DONE && !t->ended &&
		    snap->py.tasks[t->slot].line > 0)
			idx[n++] = i;
	}
	return n;
}

const struct snap_task *
pylab_focus(const struct snapshot *snap, const struct snap_task *sel)
{
	size_t idx[PYLAB_THREADS_MAX], n, k;

	n = pylab_threads(snap, idx, PYLAB_THREADS_MAX);
	for (k = 0; sel != NULL && k < n; k++)
		if (snap->tasks[idx[k]].s.tid == sel->s.tid)
			return &snap->tasks[idx[k]];
	/* A paused thread first: it is the one a person looks at. */
	for (k = 0; k < n; k++)
		if (snap->tasks[idx[k]].gate != SNAP_GATE_RUNNING &&
		    snap->tasks[idx[k]].depth > 0)
			return &snap->tasks[idx[k]];
	return n > 0 ? &snap->tasks[idx[0]] : NULL;
}

const char *
pylab_base(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

/* The last source file read, whole. */
static struct {
	char	 path[CTL_PY_PATH_LEN];
	char	*text;
	size_t	 len;
	bool	 bad;
} src;

#define PYLAB_SOURCE_MAX	(1024 * 1024)

static void
source_load(const char *path)
{
	struct stat st;
	ssize_t r;
	size_t got = 0;
	int fd;

	free(src.text);
	src.text = NULL;
	src.len = 0;
	src.bad = true;
	snprintf(src.path, sizeof src.path, "%s", path);
	/* The path comes from the program: no FIFO nor device hangs us. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > PYLAB_SOURCE_MAX) {
		close(fd);
		return;
	}
	src.text = malloc((size_t)st.st_size + 1);
	if (src.text == NULL) {
		close(fd);
		return;
	}
	while (got < (size_t)st.st_size) {
		r = read(fd, src.text + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	src.text[got] = '\0';
	src.len = got;
	src.bad = false;
}

bool
pylab_source_line(const char *path, int line, char *buf, size_t len)
{
	char raw[512];
	const char *p, *end;
	size_t o = 0;
	int k;

	buf[0] = '\0';
	if (path[0] == '\0' || line <= 0)
		return false;
	if (strcmp(path, src.path) != 0)
		source_load(path);
	if (src.bad)
		return false;
	p = src.text;
	end = src.text + src.len;
	for (k = 1; k < line && p < end; k++) {
		p = memchr(p, '\n', (size_t)(end - p));
		if (p == NULL)
			return false;
		p++;
	}
	if (p >= end)
		return false;
	/* Tabs to spaces (every 8 columns), the rest made inert. */
	for (; p < end && *p != '\n' && *p != '\r' && o + 8 < sizeof raw; p++)
		if (*p == '\t')
			do
				raw[o++] = ' ';
			while (o % 8 != 0);
		else
			raw[o++] = *p;
	sanitize_text(raw, o, buf, len, 0);
	return true;
}

/* Appends " Thread-1" for each lab thread that stands where match says. */
static void
arrows(const struct snapshot *snap, const char *path, int line, int offset,
    char *buf, size_t len)
{
	size_t idx[PYLAB_THREADS_MAX], n, k, o = strlen(buf);
	bool first = true;

	n = pylab_threads(snap, idx, PYLAB_THREADS_MAX);
	for (k = 0; k < n; k++) {
		const struct snap_task *t = &snap->tasks[idx[k]];
		const struct snap_py_task *p = &snap->py.tasks[t->slot];

		/* Only a thread held there stands there. */
		if (t->gate == SNAP_GATE_RUNNING || p->line != line ||
		    strcmp(p->path, path) != 0 ||
		    (offset >= 0 && p->offset != offset))
			continue;
		o += (size_t)snprintf(buf + o, o < len ? len - o : 0, "%s%s",
		    first ? "  <- " : " ", model_task_name(t));
		first = false;
		if (o >= len)
			return;
	}
}

void
pylab_code_line(const struct snapshot *snap, const char *path, int line,
    const char *code, char *buf, size_t len)
{
	snprintf(buf, len, "%4d  %-36s", line, code);
	arrows(snap, path, line, -1, buf, len);
	/* A line without arrows ends with its code. */
	for (size_t k = strlen(buf); k > 0 && buf[k - 1] == ' '; k--)
		buf[k - 1] = '\0';
}

void
pylab_op_line(const struct snapshot *snap, const char *path, int line,
    const struct pylab_op *op, char *buf, size_t len)
{
	char text[PYLAB_OP_NAME_LEN + PYLAB_OP_ARG_LEN + 2];

	snprintf(text, sizeof text, "%s%s%s", op->name, op->arg[0] != '\0' ?
	    " " : "", op->arg);
	snprintf(buf, len, "%6d  %-30s", op->offset, text);
	arrows(snap, path, line, op->offset, buf, len);
	for (size_t k = strlen(buf); k > 0 && buf[k - 1] == ' '; k--)
		buf[k - 1] = '\0';
}

void
pylab_header(char *buf, size_t len)
{
	size_t out = 0;

	/* Translated headings are counted in cells, as the rows are. */
	cells_append(buf, len, &out, _("thread"), 13, CELLS_LEFT);
	cells_append(buf, len, &out, _("stands at"), 15, CELLS_LEFT);
	cells_append(buf, len, &out, _("next instruction"), 21, CELLS_LEFT);
	cells_append(buf, len, &out, _("holds"), INT_MAX, CELLS_CUT);
}

/* The watched entry a thread's held index names, or NULL. */
static const struct snap_py_watch *
held_watch(const struct snapshot *snap, const struct snap_py_task *p)
{
	int k;

	if (p->held < 0)
		return NULL;
	for (k = 0; k < snap->py.nwatch; k++)
		if (snap->py.watch[k].index == p->held)
			return &snap->py.watch[k];
	return NULL;
}

unsigned
pylab_thread(const struct snapshot *snap, const struct snap_task *t,
    char *buf, size_t len)
{
	const struct snap_py_task *p;
	const struct snap_py_watch *w;
	struct pylab_op ops[PYLAB_OPS_MAX];
	char at[64], next[64], holds[96];
	unsigned flags = 0;
	size_t n, k, out;
	int at_cells;

	if (t->slot < 0 || t->slot >= CTL_MAX_TASKS || !snap->py.present) {
		snprintf(buf, len, "%-12.12s", model_task_name(t));
		return 0;
	}
	p = &snap->py.tasks[t->slot];
	if (t->doing == CTL_DONE || t->ended)
		snprintf(at, sizeof at, "%s", _("done"));
	else if (p->line > 0)
		snprintf(at, sizeof at, "%.40s:%d%s", pylab_base(p->path),
		    p->line, t->gate == SNAP_GATE_RUNNING ? _(" (runs)") : "");
	else
		snprintf(at, sizeof at, "-");
	next[0] = '\0';
	if (p->offset >= 0 && t->gate != SNAP_GATE_RUNNING) {
		n = pylab_parse_ops(p->ops, ops, PYLAB_OPS_MAX);
		for (k = 0; k < n; k++)
			if (ops[k].offset == p->offset)
				snprintf(next, sizeof next, "%s%s%.30s",
				    ops[k].name, ops[k].arg[0] != '\0' ? " " :
				    "", ops[k].arg);
	}
	if (next[0] == '\0')
		snprintf(next, sizeof next, "-");
	w = held_watch(snap, p);
	if (w != NULL) {
		flags |= PYLAB_HOLDS;
		if (w->stores != p->held_seq) {
			flags |= PYLAB_STALE;
			snprintf(holds, sizeof holds, _("%s=%s stale (now %s)"),
			    w->name, p->held_repr, w->repr);
		} else
			snprintf(holds, sizeof holds, "%s=%s", w->name,
			    p->held_repr);
	} else
		snprintf(holds, sizeof holds, "-");
	/* Columns in cells: "done" and "(runs)" may be translated. */
	out = 0;
	at_cells = cells_width(at);
	cells_append(buf, len, &out, model_task_name(t), 12, CELLS_LEFT);
	cells_append(buf, len, &out, " ", 1, CELLS_CUT);
	/* A longer place ("race.py:125 (runs)") pushes the rest right. */
	cells_append(buf, len, &out, at, at_cells > 14 ? at_cells : 14,
	    CELLS_LEFT);
	cells_append(buf, len, &out, " ", 1, CELLS_CUT);
	cells_append(buf, len, &out, next, 20, CELLS_LEFT);
	cells_append(buf, len, &out, " ", 1, CELLS_CUT);
	cells_append(buf, len, &out, holds, INT_MAX, CELLS_CUT);
	return flags;
}

bool
pylab_watched(const struct snap_py_watch *w)
{
	return w->picked || __builtin_popcountll(w->writers) >= 2;
}

bool
pylab_watch_line(const struct snap_py_watch *w, char *buf, size_t len)
{
	const char *v = w->repr[0] != '\0' ? w->repr : "?";
	long long expected;

	if (!w->is_int) {
		snprintf(buf, len, "%s = %s", w->name, v);
		return false;
	}
	/* What it would be, had no store overwritten another's. */
	expected = (long long)((unsigned long long)w->value +
	    (unsigned long long)w->lost_sum);
	if (expected == w->value)
		snprintf(buf, len, _("%s = %s   expected %lld   ok"), w->name, v,
		    expected);
	else
		snprintf(buf, len, _("%s = %s   expected %lld   off by %+lld"),
		    w->name, v, expected,
		    (long long)((unsigned long long)w->value -
		    (unsigned long long)expected));
	return expected != w->value;
}

bool
pylab_lost_line(const struct snap_py_watch *w, char *buf, size_t len)
{
	snprintf(buf, len, _("%s: lost updates: %llu  (a store from a stale "
	    "load)"), w->name, w->lost);
	return w->lost > 0;
}
