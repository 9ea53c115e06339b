/*
 * Pure formatting of what the UI shows: each tree row is one string of an
 * exact display width, built here without curses so that unit tests can
 * check it. Widths are counted in terminal cells (cells.h), so columns
 * stay aligned whatever a task's name holds.
 */
#include "config.h"

#include "ui_format.h"

#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "ctl.h"
#include "i18n.h"
#include "model.h"

/*
 * The fixed columns before NAME (PPID's 8 included), the narrowest NAME
 * cell, the AT cells kept before PPID is dropped, and before WCHAN is
 * (what AT says matters more than WCHAN), and the fewest worth showing.
 */
#define FIXED_COLS	51
#define PPID_COLS	8
#define NAME_MIN	16
#define NAME_MAX	34
#define AT_WANT		20
#define AT_WCHAN	32	/* "q.get(True), waits on the queue" */
#define AT_MIN		8
#define GUIDE_DEPTH_MAX	64

void
ui_format_time(unsigned long long ticks, long hz, char *buf, size_t len)
{
	unsigned long long cs, s;

	if (hz <= 0)
		hz = 100;
	cs = ticks * 100 / (unsigned long long)hz;
	s = cs / 100;
	if (s < 3600)
		snprintf(buf, len, "%llu:%02llu.%02llu", s / 60, s % 60,
		    cs % 100);
	else if (s < 100 * 3600)
		snprintf(buf, len, "%lluh%02llu:%02llu", s / 3600,
		    s / 60 % 60, s % 60);
	else
		snprintf(buf, len, "%lluh", s / 3600);
}

void
ui_format_lifetime(double secs, char *buf, size_t len)
{
	unsigned long long s;

	if (!(secs >= 0))	/* NAN too */
		secs = 0;
	if (secs < 9.95) {
		snprintf(buf, len, "%.1fs", secs);
		return;
	}
	s = (unsigned long long)(secs + 0.5);
	if (s < 60)
		snprintf(buf, len, "%llus", s);
	else if (s < 3600)
		snprintf(buf, len, "%llum%02llus", s / 60, s % 60);
	else
		snprintf(buf, len, "%lluh%02llum", s / 3600, s / 60 % 60);
}

void
ui_format_rss(unsigned long kib, char *buf, size_t len)
{
	double mib = kib / 1024.0, gib = mib / 1024.0;

	if (kib < 10000)
		snprintf(buf, len, "%luK", kib);
	else if (mib < 100)
		snprintf(buf, len, "%.1fM", mib);
	else if (mib < 10000)
		snprintf(buf, len, "%.0fM", mib);
	else if (gib < 100)
		snprintf(buf, len, "%.1fG", gib);
	else
		snprintf(buf, len, "%.0fG", gib);
}

int
ui_format_guides(const struct snapshot *snap, size_t i, bool ascii,
    char *buf, size_t len)
{
	bool more[GUIDE_DEPTH_MAX];	/* an ancestor at that depth has more */
	const struct snap_task *t = &snap->tasks[i];
	int d = t->depth, need, k, width = 0;
	size_t j, out = 0;

	if (len > 0)
		buf[0] = '\0';
	if (d <= 0)
		return 0;
	if (d >= GUIDE_DEPTH_MAX)
		d = GUIDE_DEPTH_MAX - 1;
	/* Walk back to each ancestor: the nearest earlier task one level up. */
	for (k = 0; k < d; k++)
		more[k] = false;
	need = d - 1;
	for (j = i; j-- > 0 && need >= 1;) {
		int dj = snap->tasks[j].depth;

		while (need >= 1 && dj < need)
			more[need--] = false;
		if (need >= 1 && dj == need)
			more[need--] = !snap->tasks[j].last_sibling;
	}
	for (k = 1; k <= d; k++) {
		const char *g;

		if (k < d)
			g = more[k] ? (ascii ? "|  " : "│  ") : "   ";
		else if (t->last_sibling)
			g = ascii ? "`- " : "└─ ";
		else
			g = ascii ? "|- " : "├─ ";
		if (out + strlen(g) >= len)
			break;
		memcpy(buf + out, g, strlen(g));
		out += strlen(g);
		buf[out] = '\0';
		width += 3;
	}
	return width;
}

bool
ui_format_paused(const struct snap_task *t)
{
	if (t->gate != SNAP_GATE_NONE)
		return t->gate == SNAP_GATE_PAUSED ||
		    t->gate == SNAP_GATE_STEPPING;
	return t->s.state == 'T';
}

/*
 * The kept tree of a run that is over: how each task ended, and after how
 * long when ptmon knows ("exited 3 after 0.3s", "killed by SIGTERM after
 * 2m05s").
 */
static void
ui_format_ended(const struct snap_task *t, char *buf, size_t len)
{
	char life[32];
	double secs;
	size_t out;

	if (t->end_status >= 0 && WIFSIGNALED(t->end_status))
		snprintf(buf, len, _("killed by SIG%s"),
		    sigabbrev_np(WTERMSIG(t->end_status)) != NULL ?
		    sigabbrev_np(WTERMSIG(t->end_status)) : "?");
	else if (t->end_status >= 0)
		snprintf(buf, len, _("exited %d"), WEXITSTATUS(t->end_status));
	else
		snprintf(buf, len, "%s", _("ended"));
	if (!model_lifetime(t, &secs))
		return;
	ui_format_lifetime(secs, life, sizeof life);
	out = strlen(buf);
	snprintf(buf + out, len - out, _(" after %s"), life);
}

/*
 * Where a task stands, in the user's language: a checkpoint's words are
 * translated, a traced Python line ("race.py:12") is shown as it is.
 */
static const char *
task_at(const struct snap_task *t)
{
	const char *at = model_task_at(t);

	return t->slot >= 0 && at != t->where ? _(at) : at;
}

void
ui_format_at(const struct snapshot *snap, const struct snap_task *t,
    char *buf, size_t len)
{
	const char *what = "";

	if (t->ended) {
		ui_format_ended(t, buf, len);
		return;
	}
	if (t->slot < 0) {
		snprintf(buf, len, "%s", t->s.cmdline[0] != '\0' ?
		    t->s.cmdline : "-");
		return;
	}
	switch (t->doing) {
	case CTL_SLEEPING:
		what = _(", sleeping");
		break;
	case CTL_WAIT_QUEUE:
		what = _(", waits on the queue");
		break;
	case CTL_WAIT_LOCK:
		what = _(", waits for the lock");
		break;
	case CTL_WAIT_JOIN:
		what = _(", waits in join");
		break;
	case CTL_DONE:
		what = _(", done");
		break;
	case CTL_RUNNING:
	case CTL_PAUSED:
		break;
	}
	if (snap->balance.present && t->is_thread)
		snprintf(buf, len, "%s%s  local=%lld", task_at(t),
		    what, t->local);
	else if (t->text[0] != '\0')
		/* One name, one value per thread: threading.local(). */
		snprintf(buf, len, "%s%s  %s", task_at(t), what,
		    t->text);
	else
		snprintf(buf, len, "%s%s", task_at(t), what);
}

void
ui_format_columns(int width, struct ui_columns *c)
{
	int rest, n;

	c->ppid = width >= FIXED_COLS + NAME_MIN + 1 + AT_WANT;
	c->wchan = width >= FIXED_COLS + UI_WCHAN_COLS + 1 + NAME_MIN + 1 +
	    AT_WCHAN;
	c->fixed = FIXED_COLS - (c->ppid ? 0 : PPID_COLS) +
	    (c->wchan ? UI_WCHAN_COLS + 1 : 0);
	c->name = c->at = 0;
	rest = width - c->fixed;
	if (rest <= 0)
		return;
	if (rest < NAME_MIN + 1 + AT_MIN) {
		c->name = rest;
		return;
	}
	n = rest * 45 / 100;
	if (n > rest - 1 - (c->wchan ? AT_WCHAN : AT_WANT))
		n = rest - 1 - (c->wchan ? AT_WCHAN : AT_WANT);
	if (n < NAME_MIN)
		n = NAME_MIN;
	if (n > NAME_MAX)
		n = NAME_MAX;
	c->name = n;
	c->at = rest - n - 1;
}

void
ui_format_name(const struct snap_task *t, char *buf, size_t len, int width)
{
	const char *name = model_task_name(t);

	if (len == 0)
		return;
	buf[0] = '\0';
	if (!t->is_thread || width < 3) {
		cells_fit(buf, len, name, width, false);
		return;
	}
	if (len < 3)
		return;
	buf[0] = '{';
	cells_fit(buf + 1, len - 2, name, width - 2, false);
	snprintf(buf + strlen(buf), len - strlen(buf), "}");
}

void
ui_format_tree_header(char *buf, size_t len, int width)
{
	char line[UI_FORMAT_ROW_LEN];
	struct ui_columns c;
	size_t out;

	if (width > UI_FORMAT_MAX_COLS)
		width = UI_FORMAT_MAX_COLS;
	ui_format_columns(width, &c);

	/* The kernel's field names stay as ps and top print them. */
	snprintf(line, sizeof line,
	    "  %7s %7s %.*s%s %5s %6s %9s %-*s", "PID", "TID",
	    c.ppid ? 8 : 0, "   PPID ", "S", "%CPU", "RSS", "TIME+",
	    c.wchan ? UI_WCHAN_COLS + 1 : 0, c.wchan ? "WCHAN" : "");
	out = strlen(line);
	/* Translated words are counted in cells, not bytes. */
	cells_append(line, sizeof line, &out, _("NAME"), c.name, CELLS_LEFT);
	cells_append(line, sizeof line, &out, " ", 1, CELLS_LEFT);
	cells_append(line, sizeof line, &out, _("AT"), c.at > 0 ? c.at :
	    width, CELLS_CUT);
	cells_fit(buf, len, line, width, true);
}

void
ui_format_task(const struct snapshot *snap, size_t i, bool ascii, long hz,
    int width, struct ui_row *row)
{
	const struct snap_task *t = &snap->tasks[i];
	char fixed[128], rss[16], tm[32], guides[GUIDE_DEPTH_MAX * 8];
	char at[SAMPLE_CMD_LEN + 64], ppid[16], name[UI_FORMAT_ROW_LEN];
	const char *mark = "  ";
	size_t out = 0, len = sizeof row->text;
	struct ui_columns c;
	int nc, gw;

	if (width > UI_FORMAT_MAX_COLS)
		width = UI_FORMAT_MAX_COLS;
	if (width < 0)
		width = 0;
	if (t->gate == SNAP_GATE_PAUSED)
		mark = "||";
	else if (t->gate == SNAP_GATE_STEPPING)
		mark = ">|";
	else if (ui_format_paused(t))
		mark = "||";
	ui_format_columns(width, &c);
	ui_format_rss(t->s.rss_kib, rss, sizeof rss);
	ui_format_time(t->s.ticks, hz, tm, sizeof tm);
	ppid[0] = '\0';
	if (c.ppid)
		snprintf(ppid, sizeof ppid, "%7d ", (int)t->s.ppid);
	snprintf(fixed, sizeof fixed, "%s%7d %7d %s%c %5.1f %6.6s %9.9s ",
	    mark, (int)t->s.tgid, (int)t->s.tid, ppid,
	    t->s.state != '\0' ? t->s.state : '?',
	    t->s.cpu < 999.9 ? t->s.cpu : 999.9, rss, tm);
	row->text[0] = '\0';
	cells_append(row->text, len, &out, fixed, width, CELLS_CUT);
	if (c.wchan) {
		cells_append(row->text, len, &out, t->s.wchan, UI_WCHAN_COLS,
		    CELLS_LEFT);
		cells_append(row->text, len, &out, " ", 1, CELLS_CUT);
	}
	nc = c.name;
	row->name_off = out;
	row->name_len = 0;
	if (nc > 0) {
		gw = ui_format_guides(snap, i, ascii, guides, sizeof guides);
		if (gw > nc - 1)
			gw = nc - 1;
		cells_append(row->text, len, &out, guides, gw, CELLS_LEFT);
		row->name_off = out;
		ui_format_name(t, name, sizeof name, nc - gw);
		cells_append(row->text, len, &out, name, nc - gw, CELLS_CUT);
		row->name_len = out - row->name_off;
		cells_append(row->text, len, &out, "",
		    nc - gw - cells_width(row->text + row->name_off),
		    CELLS_LEFT);
	}
	if (c.at > 0) {
		cells_append(row->text, len, &out, " ", 1, CELLS_CUT);
		ui_format_at(snap, t, at, sizeof at);
		cells_append(row->text, len, &out, at, c.at, CELLS_LEFT);
	}
}

void
ui_format_queue_items(const struct snap_queue *q, bool ascii, char *buf,
    size_t len)
{
	size_t out;
	unsigned k;

	if (q->nitems == 0) {
		snprintf(buf, len, "%s", _("(empty)"));
		return;
	}
	snprintf(buf, len, "%s", ascii ? _("head> ") : _("head ▸ "));
	if (q->hidden > 0) {
		/* A traced program's queue longer than the block shows. */
		out = strlen(buf);
		snprintf(buf + out, len - out, _("(%u more) "), q->hidden);
	}
	for (k = 0; k < q->nitems && k < CTL_QUEUE_CAP; k++) {
		out = strlen(buf);
		snprintf(buf + out, len - out, "%s[%.*s]", k > 0 ? " " : "",
		    CTL_ITEM_LEN, q->items[k]);
	}
	out = strlen(buf);
	snprintf(buf + out, len - out, "%s", ascii ? _(" <tail") :
	    _(" ◂ tail"));
}

void
ui_format_queue_counts(const struct snap_queue *q, char *buf, size_t len)
{
	snprintf(buf, len, _("puts %u  gets %u  waiting: %u get, %u put"),
	    q->puts, q->gets, q->getters_waiting, q->putters_waiting);
}

void
ui_format_waiters(const struct snapshot *snap, enum ctl_doing doing, char *buf,
    size_t len)
{
	size_t i, out;

	buf[0] = '\0';
	for (i = 0; i < snap->ntasks; i++) {
		const struct snap_task *t = &snap->tasks[i];

		/* A task that has ended waits for nothing. */
		if (t->slot < 0 || t->ended || t->doing != doing)
			continue;
		out = strlen(buf);
		snprintf(buf + out, len - out, "%s%s (%d)",
		    out > 0 ? ", " : "", model_task_name(t), (int)t->s.tid);
	}
	if (buf[0] == '\0')
		snprintf(buf, len, "%s", _("nobody"));
}
