/*
 * The header's third part, as htop's: one CPU meter per core, as many per
 * row as fit (one summary meter when they would take too many rows), and
 * the watched tree's task counts. The CPU figures come from cpustat.h; the
 * UI reads no /proc file itself.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "i18n.h"
#include "ui_format.h"
#include "ui_screen.h"

/* Reads closer together than this say little: keep the last figures. */
#define METERS_MIN_MS		250
/* The narrowest bar, and the meter rows a short screen gives. */
#define METERS_MIN_BAR		3
#define METERS_SHORT_ROWS	50

void
ui_meters_sample(struct ui *ui)
{
	struct ui_cpu *c = &ui->cpu;
	struct cpustat now;
	long long ms = clock_ms();
	double p;
	size_t k;

	if (c->known && ms - c->read_ms < METERS_MIN_MS)
		return;
	if (cpustat_read(&now) < 0) {
		c->known = false;
		return;
	}
	/* The first read shows the use since boot (last is all zero). */
	if (!c->known || now.n != c->last.n)
		memset(&c->last, 0, sizeof c->last);
	for (k = 0; k < now.n; k++)
		if ((p = cpustat_percent(&c->last.cpu[k], &now.cpu[k])) >= 0)
			c->pct[k] = p;
	if ((p = cpustat_percent(&c->last.all, &now.all)) >= 0)
		c->all = p;
	c->last = now;
	c->read_ms = ms;
	c->known = true;
}

/* The task counts: "Tasks: 3, 2 thr; 1 running". */
static void
counts_text(const struct ui *ui, char *buf, size_t len)
{
	const struct snapshot *snap = ui->snap;
	size_t i, procs = 0, threads = 0, running = 0;

	for (i = 0; i < snap->ntasks; i++) {
		const struct snap_task *t = &snap->tasks[i];

		if (t->is_thread)
			threads++;
		else
			procs++;
		if (t->s.state == 'R' && !t->ended)
			running++;
	}
	snprintf(buf, len, _("Tasks: %zu, %zu thr%s; %zu running"), procs,
	    threads, ui->vopts.hide_threads ? _(" (hidden)") : "", running);
}

/* Columns of a CPU's number: the widest id of the CPUs shown. */
static int
label_cols(const struct ui *ui)
{
	int id = ui->cpu.last.n > 0 ?
	    ui->cpu.last.cpu[ui->cpu.last.n - 1].id + 1 : 1;
	int w = 1;

	while (id >= 10) {
		id /= 10;
		w++;
	}
	return w;
}

/* The narrowest meter: "1[|||  5%]". */
static int
meter_min(const struct ui *ui)
{
	return label_cols(ui) + 1 + METERS_MIN_BAR + 4 + 1;
}

/* Columns left of the task counts for meters. */
static int
meters_cols(const struct ui *ui)
{
	char counts[96];

	counts_text(ui, counts, sizeof counts);
	return COLS - 1 - cells_width(counts) - 2;
}

/* Meters a row holds, and the rows one meter per CPU needs. */
static void
meters_grid(const struct ui *ui, int *per_row, int *rows)
{
	int n = (int)ui->cpu.last.n, cols = meters_cols(ui);

	*per_row = (cols + 1) / (meter_min(ui) + 1);
	if (*per_row > n)
		*per_row = n;
	*rows = *per_row > 0 ? (n + *per_row - 1) / *per_row : 0;
}

/*
 * The meter rows this screen gives: one below 50 lines (so the layout of
 * 80x24 and 120x40 does not hang on the host's CPUs), more on a tall one.
 */
static int
max_rows(void)
{
	if (LINES < METERS_SHORT_ROWS)
		return 1;
	return (LINES - METERS_SHORT_ROWS) / 5 + 2;
}

int
ui_meters_height(const struct ui *ui)
{
	int per_row, rows;

	if (!ui->cpu.known)
		return 1;
	meters_grid(ui, &per_row, &rows);
	if (rows < 1 || rows > max_rows())
		return 1;		/* one summary meter */
	return rows;
}

/* Draws one meter "label[|||||     23.4%]" w columns wide at y, x. */
static void
draw_meter(struct ui *ui, int y, int x, int w, const char *label, int lw,
    double pct)
{
	char bar[UI_FORMAT_ROW_LEN], num[16];
	int inner, bars, nw, k;

	if (pct < 0)
		pct = 0;
	if (pct > 100)
		pct = 100;
	inner = w - lw - 2;
	snprintf(num, sizeof num, inner >= METERS_MIN_BAR + 6 ? "%.1f%%" :
	    "%.0f%%", pct);
	nw = (int)strlen(num);
	if (inner < nw + 1 || inner >= (int)sizeof bar)
		return;
	bars = (int)((inner - nw) * pct / 100.0 + 0.5);
	for (k = 0; k < inner - nw; k++)
		bar[k] = k < bars ? '|' : ' ';
	bar[k] = '\0';
	ui_put(y, x, lw, label, ui_attr(ui, UI_C_KEY), false);
	ui_put(y, x + lw, 1, "[", A_BOLD, false);
	ui_put(y, x + lw + 1, inner - nw, bar, ui_attr(ui, UI_C_GOOD), false);
	ui_put(y, x + lw + 1 + inner - nw, nw, num, A_NORMAL, false);
	ui_put(y, x + w - 1, 1, "]", A_BOLD, false);
}

void
ui_meters_draw(struct ui *ui, int y, int rows)
{
	char counts[96], label[32];
	int per_row, grid_rows, cols, w, k, n, lw;

	if (rows <= 0)
		return;
	counts_text(ui, counts, sizeof counts);
	ui_put(y, COLS - cells_width(counts) - 1, cells_width(counts),
	    counts, A_BOLD, false);
	if (!ui->cpu.known)
		return;
	cols = meters_cols(ui);
	n = (int)ui->cpu.last.n;
	meters_grid(ui, &per_row, &grid_rows);
	if (grid_rows < 1 || grid_rows > rows) {
		/* Too many CPUs for the rows: one meter for them all. */
		snprintf(label, sizeof label, "%d CPUs", n);
		lw = cells_width(label);
		if (cols > lw + 8)
			draw_meter(ui, y, 1, cols > 60 ? 60 : cols, label, lw,
			    ui->cpu.all);
		return;
	}
	lw = label_cols(ui);
	w = (cols + 1) / per_row - 1;
	for (k = 0; k < n; k++) {
		int row = k / per_row, col = k % per_row;

		snprintf(label, sizeof label, "%*d", lw & 15,
		    ui->cpu.last.cpu[k].id + 1);
		draw_meter(ui, y + row, 1 + col * (w + 1), w, label, lw,
		    ui->cpu.pct[k]);
	}
}
