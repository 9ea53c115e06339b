/*
 * The panes beside the tree: the queues (each one's items head first,
 * puts and gets, who waits) and the log of the scenario's output, newest
 * at the bottom, kept in a ring. The balance is the lab's (lab.c).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "ctl.h"
#include "ui_format.h"
#include "ui_screen.h"
#include "xalloc.h"

#define UI_LOG_LINES	2000

/* Draws a pane's title line. */
static void
draw_title(struct ui *ui, struct ui_rect r, const char *title)
{
	ui_put(r.y, r.x, r.w, title, ui_attr(ui, UI_C_COLUMNS), true);
}

/*
 * Draws one queue in r: its title, its items wrapped over the rows the
 * counts (and, with_waits, who waits) leave, then those lines. Returns the
 * rows it used.
 */
static int
draw_one_queue(struct ui *ui, struct ui_rect r, const struct snap_queue *q,
    const char *title, bool with_waits)
{
	char line[512], who[384], items[CTL_QUEUE_CAP * (CTL_ITEM_LEN + 4) + 32];
	const char *p;
	int rows, y, below = with_waits ? 2 : 1;

	if (r.h <= 0 || r.w <= 0)
		return 0;
	draw_title(ui, r, title);
	if (r.h < 2)
		return 1;
	ui_format_queue_items(q, ui->ascii, items, sizeof items);
	rows = r.h > below + 2 ? r.h - below - 1 : 1;
	for (p = items, y = r.y + 1; *p != '\0' && y < r.y + 1 + rows; y++) {
		size_t n = cells_wrap(p, r.w - 1);

		snprintf(line, sizeof line, "%.*s", (int)n, p);
		ui_put(y, r.x + 1, r.w - 1, line, A_BOLD, false);
		p += n;
	}
	if (y >= r.y + r.h)
		return y - r.y;
	ui_format_queue_counts(q, line, sizeof line);
	ui_put(y++, r.x + 1, r.w - 1, line, A_NORMAL, false);
	if (!with_waits || y >= r.y + r.h)
		return y - r.y;
	ui_format_waiters(ui->snap, CTL_WAIT_QUEUE, who, sizeof who);
	snprintf(line, sizeof line, _("waits: %s"), who);
	ui_put(y, r.x + 1, r.w - 1, line, A_NORMAL, false);
	return y + 1 - r.y;
}

void
ui_panes_draw_queue(struct ui *ui, struct ui_rect r)
{
	const struct snap_queue *qs = ui->snap->queues;
	char title[CTL_QUEUE_NAME_LEN + 8];
	int n = 0, k, y = r.y;

	while (n < CTL_QUEUES && qs[n].present)
		n++;
	if (n <= 1) {
		/* The one queue of the queue and pool scenarios. */
		(void)draw_one_queue(ui, r, &qs[0], _(" Queue"), true);
		return;
	}
	/*
	 * Named queues one under the other, each in at most its share of the
	 * rows; the last also says who waits.
	 */
	for (k = 0; k < n && y < r.y + r.h; k++) {
		int h = k < n - 1 ? r.h / n : r.y + r.h - y;

		snprintf(title, sizeof title, " %.*s", CTL_QUEUE_NAME_LEN,
		    qs[k].name);
		y += draw_one_queue(ui, (struct ui_rect){ y, r.x, h, r.w },
		    &qs[k], title, k == n - 1) + 1;
	}
}

void
ui_panes_draw_log(struct ui *ui, struct ui_rect r)
{
	struct ui_log *log = &ui->log;
	char title[96];
	int rows = r.h - 1, k;
	size_t last;

	if (r.h <= 0 || r.w <= 0)
		return;
	if (log->scroll > 0)
		snprintf(title, sizeof title, _(" Output  (%zu lines up: ] goes "
		    "down)"), log->scroll);
	else
		snprintf(title, sizeof title, "%s", _(" Output"));
	draw_title(ui, r, title);
	if (rows <= 0 || log->n == 0)
		return;
	/* The newest line shown is `scroll` lines up from the newest. */
	last = log->n - 1 - (log->scroll < log->n ? log->scroll : log->n - 1);
	for (k = 0; k < rows && (size_t)k <= last; k++) {
		const struct ui_log_line *l =
		    &log->lines[(log->first + last - (size_t)k) % log->cap];

		ui_put(r.y + rows - k, r.x + 1, r.w - 1, l->text,
		    l->own ? ui_attr(ui, UI_C_DIM) | A_BOLD : A_NORMAL, false);
	}
}

/* A copy of text with tabs expanded to the next multiple of 8 columns. */
static char *
expand_tabs(const char *text)
{
	size_t tabs = 0, len = 0, col = 0;
	const char *p;
	char *out;

	for (p = text; *p != '\0'; p++)
		tabs += *p == '\t';
	if (tabs == 0)
		return xstrdup(text);
	out = xmalloc(strlen(text) + tabs * 8 + 1);
	for (p = text; *p != '\0'; p++) {
		if (*p != '\t') {
			out[len++] = *p;
			/* Columns: count UTF-8 lead bytes only. */
			if (((unsigned char)*p & 0xc0) != 0x80)
				col++;
			continue;
		}
		do {
			out[len++] = ' ';
			col++;
		} while (col % 8 != 0);
	}
	out[len] = '\0';
	return out;
}

void
ui_log_add(struct ui_log *log, const char *text, bool own)
{
	struct ui_log_line *l;

	if (log->cap == 0) {
		log->cap = UI_LOG_LINES;
		log->lines = xcalloc(log->cap, sizeof *log->lines);
	}
	if (log->n < log->cap)
		l = &log->lines[(log->first + log->n++) % log->cap];
	else {
		l = &log->lines[log->first];
		free(l->text);
		log->first = (log->first + 1) % log->cap;
	}
	l->text = expand_tabs(text);
	l->own = own;
	log->added++;
	/* A scrolled view keeps showing the same lines. */
	if (log->scroll > 0 && log->scroll + 1 < log->n)
		log->scroll++;
}

void
ui_log_scroll(struct ui_log *log, long delta)
{
	long s = (long)log->scroll + delta;

	if (s < 0 || log->n == 0)
		s = 0;
	if (log->n > 0 && s > (long)log->n - 1)
		s = (long)log->n - 1;
	log->scroll = (size_t)s;
}

void
ui_log_clear(struct ui_log *log)
{
	size_t k;

	for (k = 0; k < log->n; k++) {
		free(log->lines[(log->first + k) % log->cap].text);
		log->lines[(log->first + k) % log->cap].text = NULL;
	}
	log->n = 0;
	log->first = 0;
	log->scroll = 0;
}
