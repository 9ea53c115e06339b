/*
 * The UI's shared state and the functions its files give each other:
 * loop.c (the driver's sink: runs, keys, signals), screen.c (layout,
 * header, footer, drawing helpers), keys.c (the key table, its actions
 * and the one-line prompts' editor), tree.c, panes.c (queue, log),
 * labpane.c (the interleaving lab of race and lock), picker.c, help.c
 * (help and the signal menu), view.c (filter, sort, tree and threads:
 * what the tree pane shows, built by list.c), meters.c (the header's CPU
 * meters and task counts). Only src/ui includes this header.
 *
 * The UI owns no loop and no sampler: the driver (driver.h) calls its
 * hooks, and it reads the driver's snapshot. Handlers change state or call
 * a driver verb (which resamples) and return a reaction mask; the screen
 * is drawn once per pass of the driver's loop. Selection is kept by tid,
 * not by row, so that tasks that come and go, a filter or a sort do not
 * make it jump.
 */
#ifndef PTMON_UI_SCREEN_H
#define PTMON_UI_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <curses.h>

#include "cli.h"
#include "cpustat.h"
#include "driver.h"
#include "stepper.h"
#include "model.h"
#include "params.h"
#include "schedule.h"
#include "ui_list.h"

struct scenario;

/* The keys the UI names that curses has no constant for. */
#define KEY_ESC		27
#define KEY_TAB		9
#define KEY_CTRL_L	12

/* Reactions of an action, for the loop. */
#define UI_REDRAW	0x1	/* draw again */
#define UI_QUIT		0x2	/* leave the loop */
#define UI_RESAMPLE	0x4	/* take a sample now, then draw */
#define UI_CLEAR	0x8	/* repaint the whole terminal */

enum ui_mode {
	UI_MODE_MAIN,
	UI_MODE_PICKER,
	UI_MODE_HELP,
	UI_MODE_SEARCH,
	UI_MODE_SIGNAL,
	UI_MODE_TARGET,		/* the lab's prompt for a target balance */
	UI_MODE_FILTER,		/* F4's prompt */
	UI_MODE_SORT,		/* F6's menu */
};

enum ui_color {
	UI_C_NORMAL,
	UI_C_TITLE,		/* header line, pane titles */
	UI_C_COLUMNS,		/* the tree's column header */
	UI_C_SELECTED,
	UI_C_PAUSED,
	UI_C_THREAD,
	UI_C_KEY,		/* key on the key bar */
	UI_C_KEYLABEL,
	UI_C_BAD,		/* balance off, errors */
	UI_C_GOOD,
	UI_C_DIM,		/* ptmon's own log lines, guides */
	UI_C_DIALOG,
	UI_C_TL_RUN,		/* timeline cells: running */
	UI_C_TL_READY,		/* runnable */
	UI_C_TL_WAIT,		/* waiting on a queue, lock, join */
	UI_C_TL_PAUSE,		/* paused */
	UI_C_COUNT,
};

/* A rectangle of the screen. */
struct ui_rect {
	int	y, x, h, w;
};

/* What the tree pane shows; survives snapshots, keyed by tid. */
struct ui_view {
	pid_t	sel_tid;	/* 0: nothing selected yet */
	size_t	sel;		/* its row in the rows shown */
	size_t	top;		/* first row shown */
	int	rows;		/* task rows the pane showed last */
};

/* How the tree pane shows the snapshot: view only, never a task's state. */
struct ui_view_opts {
	char		 filter[64];	/* "": none */
	bool		 flat;		/* F5: a list, not a tree */
	bool		 hide_threads;	/* H */
	enum ui_sort	 sort;		/* F6 */
	int		 menu_sel;	/* the sort menu's row */
	bool		 timeline;	/* w: the timeline pane */
};

/* The CPU meters: each CPU's use since the read before. */
struct ui_cpu {
	bool		 known;		/* /proc/stat could be read */
	long long	 read_ms;	/* when, monotonic */
	struct cpustat	 last;
	double		 pct[CPUSTAT_MAX];
	double		 all;
};

struct ui_log_line {
	char	*text;
	bool	 own;		/* written by ptmon, not the scenario */
};

/* The scenario's output: a ring of the newest lines. */
struct ui_log {
	struct ui_log_line	*lines;
	size_t			 cap, n, first;
	size_t			 scroll;	/* lines up from the newest */
	unsigned long		 added;		/* lines ever added */
};

struct ui {
	struct cli		 cli;		/* a copy of the options */
	bool			 ascii, color;
	long			 hz;

	struct driver		*d;
	const struct snapshot	*snap;		/* the driver's, read only */
	/*
	 * The rows the tree pane shows: a shallow copy of the driver's
	 * snapshot when the view changes nothing, else of shown_store,
	 * which list.c builds and owns the rows of.
	 */
	struct snapshot		 shown;
	struct snapshot		 shown_store;
	struct ui_view_opts	 vopts;
	struct ui_cpu		 cpu;
	const struct scenario	*sc;		/* NULL unless a scenario runs */
	struct params		 params;	/* its parameters; t sets target */
	unsigned		 flags;		/* UI_REDRAW… for the next draw */

	enum ui_mode		 mode;
	struct ui_view		 view;
	struct ui_log		 log;
	int			 picker_sel;
	int			 help_top;
	int			 signal_sel;
	pid_t			 signal_tid;	/* the task the menu was opened on */
	char			 search[64];
	bool			 search_failed;
	char			 message[160];	/* one line on the footer */
	long long		 message_until;	/* ms, monotonic: then the keys */

	/* The interleaving lab (race, lock). */
	char			 target_text[24];	/* being typed */
	unsigned long long	 lost_seen;	/* lost updates told */
	char			 stale_note[96];	/* who is about to lose one */

	struct ui_rect		 tree, side, logr, lab;	/* last layout */
	struct ui_rect		 strips;	/* the timeline, beside the tree */
	int			 tree_want;	/* most rows the tree wanted */
	pid_t			 tree_want_root;	/* in the run of this root */
	int			 header_h;	/* rows above the tree */
	int			 status;
};

/* True once the run shown has ended (its last tree may stay). */
bool		 ui_ended(const struct ui *);
/* True when something runs or ran: not the picker. */
bool		 ui_has_run(const struct ui *);

/* screen.c */
/* The curses attribute of a colour role (attributes only without colour). */
attr_t		 ui_attr(const struct ui *, enum ui_color);
/* Sets up colour pairs, unless NO_COLOR says not to. */
void		 ui_init_colors(struct ui *);
/* Draws UTF-8 text at y, x cut (and padded when pad) to w columns. */
void		 ui_put(int y, int x, int w, const char *text, attr_t attr,
		    bool pad);
/* Adds n bytes of UTF-8 at the cursor with attr; the cursor moves past. */
void		 ui_add(const char *text, size_t n, attr_t attr);
/* Draws the whole screen from the state. */
void		 ui_draw(struct ui *);
/* True when the terminal is too small to show more than a note. */
bool		 ui_too_small(void);

/* timepane.c */
/* Gives the timeline pane, when shown, the right part of the tree's rect. */
void		 ui_timeline_split(struct ui *);
/* Draws each shown row's states, the rows ui_tree_draw drew. */
void		 ui_timeline_draw(struct ui *, struct ui_rect);
/* w: shows or hides the timeline pane. */
unsigned	 ui_timeline_key(struct ui *, int key);

/* loop.c */
/* Sets the footer's one-line message, shown for a few seconds. */
void		 ui_message(struct ui *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
/* Ends the running scenario (if any) and starts sc with params. */
void		 ui_start(struct ui *, const struct scenario *sc,
		    const struct params *params);
/* Starts scenario number i of scenarios[] with its default parameters. */
void		 ui_start_default(struct ui *, int i);
/* Starts what ran last once more; returns 0 or -1 with a message set. */
int		 ui_restart(struct ui *);
/* Ends the running session, if any, and shows the picker. */
void		 ui_stop(struct ui *);
/* What the replay is doing, e.g. "replaying FILE: step 2 of 4". */
void		 ui_replay_text(const struct ui *, char *buf, size_t len);
const char	*ui_noun(const struct ui *);
const char	*ui_noun_cap(const struct ui *);
void		 ui_end_text(const struct ui *, char *buf, size_t len);
/* Steps taken in this session: by the replay, else by keys. */
size_t		 ui_steps_taken(const struct ui *);
/* Number of scenarios in scenarios[]. */
int		 ui_scenario_count(void);
/* Index of sc in scenarios[], or -1. */
int		 ui_scenario_index(const struct scenario *sc);

/* keys.c */
struct ui_key {
	int		  key;		/* curses key code */
	const char	 *name;		/* as help shows it; NULL: not shown */
	const char	 *footer;	/* label on the key bar, or NULL */
	unsigned	(*action)(struct ui *, int key);
	const char	 *help;
	int		  bar;		/* key bar: 1 stays always, higher
					   numbers go first when it is narrow */
	const char	 *htop;		/* what htop does with the key, when
					   that differs; help lists it */
};

/* An entry of the key bar as drawn: its key, label and cells. */
struct ui_bar_item {
	int		  key;
	const char	 *name;
	char		  label[32];
	int		  x, w;
};
#define UI_BAR_MAX	32
/* The key table; *n gets its length. */
const struct ui_key *ui_keys_table(size_t *n);
/* Runs the action bound to key in the main screen; returns its reaction. */
unsigned	 ui_keys_dispatch(struct ui *, int key);
/* Handles a key in whatever mode the UI is in. */
unsigned	 ui_keys_handle(struct ui *, int key);
/* Says what a pause-all or resume-all did (the driver's paused hook). */
void		 ui_paused(struct ui *, bool pause, size_t refused,
		    const char *why);
/*
 * Edits a one-line prompt's text (buf, size bytes) with key: Backspace
 * deletes, a character that accept(key, length) takes is appended. Returns
 * true when the key was an edit (the text may be unchanged).
 */
bool		 ui_prompt_edit(char *buf, size_t size, int key,
		    bool (*accept)(int key, size_t len));
/*
 * Lays out the key bar for `width` columns: the entries that fit, most
 * wanted kept (F1 and F10 always), in table order. Returns their number.
 */
size_t		 ui_keys_bar(const struct ui *, int width,
		    struct ui_bar_item *items, size_t max);
/* The key whose key bar entry covers column x, or 0. */
int		 ui_keys_bar_key_at(const struct ui *, int x);
/* Draws the key bar on row y. */
void		 ui_keys_draw_bar(struct ui *, int y);

/* tree.c */
/*
 * Builds the rows shown from the driver's snapshot and the view's options,
 * and keeps the selection on its tid; after each snapshot and each change
 * of the view.
 */
void		 ui_tree_refresh(struct ui *);
/* Moves the selection by delta rows (clamped). */
void		 ui_tree_move(struct ui *, long delta);
/* Selects the task drawn at screen row y, if any; true when it did. */
bool		 ui_tree_click(struct ui *, int y);
/* The selected task, or NULL. */
const struct snap_task *ui_tree_selected(const struct ui *);
/* Selects the next task whose name holds ui->search; false if none. */
bool		 ui_tree_search(struct ui *, bool next);
/* Draws the tree pane in r. */
void		 ui_tree_draw(struct ui *, struct ui_rect r);

/* panes.c */
/* Draws the queue pane in r. */
void		 ui_panes_draw_queue(struct ui *, struct ui_rect r);
/* Draws the log pane in r. */
void		 ui_panes_draw_log(struct ui *, struct ui_rect r);
/* Adds a line to the log; scrolled views stay where they are. */
void		 ui_log_add(struct ui_log *, const char *text, bool own);
/* Scrolls the log by delta lines up (positive) or down. */
void		 ui_log_scroll(struct ui_log *, long delta);
/* Empties the log. */
void		 ui_log_clear(struct ui_log *);

/* labpane.c */
/* True when the session shows the lab (a scenario with a balance). */
bool		 ui_lab_shown(const struct ui *);
/* The rows the lab wants. */
int		 ui_lab_height(const struct ui *);
/* Draws the lab in r, dropping its least needed lines when r is low. */
void		 ui_lab_draw(struct ui *, struct ui_rect r);
/* After each snapshot: tells of lost updates as they happen. */
void		 ui_lab_sampled(struct ui *);
/* The run has ended: tells whether the target was reached. */
void		 ui_lab_ended(struct ui *);
/* The t key: opens the prompt for a target final balance. */
unsigned	 ui_lab_target_key(struct ui *, int key);
/* Handles a key while the target prompt is open. */
unsigned	 ui_lab_prompt_key(struct ui *, int key);
/* The target prompt as the footer shows it. */
void		 ui_lab_prompt_text(const struct ui *, char *buf, size_t len);

/* pylabpane.c: the lab of a traced Python program (ptmon -- python3) */
bool		 ui_pylab_shown(const struct ui *);
int		 ui_pylab_height(const struct ui *);
void		 ui_pylab_draw(struct ui *, struct ui_rect r);
/* After each snapshot: tells of lost updates as they happen. */
void		 ui_pylab_sampled(struct ui *);
/* b: step Python threads by bytecode instruction or by source line. */
unsigned	 ui_pylab_by_op_key(struct ui *, int key);

/* picker.c */
/* Draws the scenario picker on the whole screen. */
void		 ui_picker_draw(struct ui *);
/* Handles a picker key; returns a reaction, or 0 if it is not the picker's. */
unsigned	 ui_picker_key(struct ui *, int key);
/* Selects the picker row at screen row y; true when one was hit. */
bool		 ui_picker_click(struct ui *, int y);

/* view.c */
/* F4: opens the filter prompt. */
unsigned	 ui_view_filter_key(struct ui *, int key);
/* Handles a key while the filter prompt is open. */
unsigned	 ui_view_filter_prompt_key(struct ui *, int key);
/* The filter prompt as the footer shows it. */
void		 ui_view_filter_text(const struct ui *, char *buf, size_t len);
/* F5: a tree or a flat list. */
unsigned	 ui_view_tree_key(struct ui *, int key);
/* H: threads hidden or shown. */
unsigned	 ui_view_threads_key(struct ui *, int key);
/* F6: opens the sort menu. */
unsigned	 ui_view_sort_key(struct ui *, int key);
/* Handles a key while the sort menu shows. */
unsigned	 ui_view_sort_menu_key(struct ui *, int key);
/* Draws the sort menu over the screen. */
void		 ui_view_sort_draw(struct ui *);

/* meters.c */
/* Reads the CPUs' use since the last read; after each snapshot. */
void		 ui_meters_sample(struct ui *);
/* The rows the meters and task counts take below the header's two. */
int		 ui_meters_height(const struct ui *);
/* Draws the meters and task counts from row y, in `rows` rows. */
void		 ui_meters_draw(struct ui *, int y, int rows);

/* help.c */
/* Draws an empty box of h x w with a title, centred; returns its inside. */
struct ui_rect	 ui_dialog_box(struct ui *, int h, int w, const char *title);
/* Draws the help over the screen, built from the key table. */
void		 ui_help_draw(struct ui *);
/* Handles a key while help shows. */
unsigned	 ui_help_key(struct ui *, int key);
/* Draws the signal menu over the screen. */
void		 ui_signal_draw(struct ui *);
/* Handles a key while the signal menu shows. */
unsigned	 ui_signal_key(struct ui *, int key);

#endif
