/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tui-int.h - the TUI's insides, shared by tui.c (the screen, the status
 * line, prompts, keys common to every view) and one file per view
 * (tui-list.c, tui-tree.c for the tree and the diff, tui-summary.c,
 * tui-help.c).  Each view is a table of operations, as tig's view_ops
 * and uftrace's tui_window_ops: tui.c asks the current view to draw,
 * to act on a key, to search, to write itself, and never tests which
 * view it is for those.
 */
#ifndef KF_TUI_INT_H
#define KF_TUI_INT_H

#include <curses.h>
#include <stdio.h>

#include "kf_keys.h"
#include "kf_mouse.h"
#include "kf_tui.h"
#include "kf_view.h"

enum view { V_LIST, V_TREE, V_SUMMARY, V_DIFF, V_HELP, V_COUNT };

/* colour pairs */
enum {
	C_TITLE = 1, C_FAIL, C_WARN, C_HEAT1, C_HEAT2, C_HEAT3, C_ADDED,
	C_GONE, C_SLOWER, C_FASTER, C_MATCH, C_IRQ, C_BAR, C_DIM,
	C_LAYER,  /* the first of the layers' palette (tui_layer_attr) */
};

/* the prompt on the status line (/, f, w) */
enum ask { ASK_NONE, ASK_SEARCH, ASK_FILTER, ASK_MIN_DUR, ASK_WRITE };

struct kf_tui {
	struct kf_model *m;
	struct kf_tui_opts o;
	int open;             /* the screen is up */
	int color;
	SCREEN *scr;
	int saved_err, err_fd; /* stderr while the screen is up */

	enum view view, back; /* back: where Help returns to */
	struct kf_list list;
	struct kf_tree tree;  /* valid when tree_call != KF_NONE */
	uint32_t tree_call;
	struct kf_tree diff;  /* valid when diff_on */
	int diff_on;
	struct kf_summary sum; /* valid when sum_on */
	int sum_on;
	uint32_t sum_call;    /* the summary's call, KF_NONE: all */
	char sum_what[320];   /* what the summary is of, for its status */
	char sum_drill[512];  /* a boundary capture's summary: the command
			       * that follows its slowest syscall, or "" */
	char **help;          /* the help screen's lines */
	int nhelp;
	int help_layers;      /* first line of the layer legend, or -1 */
	int nlayer_colors;    /* the layers' palette, 0 without colours */
	int hide_irq;         /* i: trees hide interrupts */
	struct kf_cursor help_cur;
	uint32_t mark;        /* invocation marked for a diff, or KF_NONE */
	uint32_t *pair;       /* --diff A B: each call's partner (owned) */
	uint32_t *pairs;      /* the A calls that have one, in order (owned) */
	uint32_t npairs, pair_cur;
	char *search;         /* last search text */
	const struct kf_srcmap *src; /* where functions are, or NULL */
	struct kf_explain *ex;       /* what they do (owned), or NULL */

	/* the prompt, or ASK_NONE: keys go to it, while a live capture goes
	 * on draining between keys */
	struct {
		enum ask kind;
		const char *label;
		char buf[256];
		size_t n;
		int fresh;    /* the proposed value shows selected */
	} ask;

	struct kf_capture_progress prog;
	int live;             /* a capture is running */
	/* the progress screen, shown until the capture has trees */
	struct {
		int on;
		enum kf_stage cur;
		unsigned seen;                 /* a bit per stage begun */
		uint64_t total_ns;             /* at the last report */
		uint64_t began[KF_STAGE_N];    /* run time when each began */
		uint64_t took[KF_STAGE_N];     /* once done */
		char text[KF_STAGE_N][160];    /* each one's last words */
	} pg;
	char stopped[128];    /* why tracing ended, for the status line */
	char msg[256];        /* one-line message, cleared by the next key */
	int quit;
	int follow;           /* End pressed in the list: stay on the newest */
	int hscroll;          /* tree and diff: name columns scrolled away */
	int delay;            /* getch's timeout now, in ms */
	int sgr;              /* SGR mouse reports (1006) asked for */
	struct kf_clicks clicks; /* SGR presses, for double clicks */
	int click_opened;     /* the last SGR click opened or folded a row */
	uint32_t ncalls_drawn;
};

/* What a view does.  Optional operations are NULL where the view has no
 * such thing. */
struct tui_view_ops {
	const char *name;     /* in the title bar */
	int head;             /* lines above the rows, the title's included */
	/* more lines above the rows now (a wrapped header, a breadcrumb);
	 * NULL: none */
	int (*more_head)(struct kf_tui *t);
	/* lines below the rows, above the status line; NULL: none */
	int (*foot)(struct kf_tui *t);
	const char *file;     /* w's proposed file; NULL: w writes nothing */
	/* the cursor over the view's rows, and how many rows there are */
	struct kf_cursor *(*cursor)(struct kf_tui *t, uint32_t *nrows);
	/* can the view be switched to (Tab, the title bar)?  NULL: always */
	int (*ready)(const struct kf_tui *t);
	void (*draw)(struct kf_tui *t);
	/* the view's words on the status line after "row/rows" */
	void (*status)(struct kf_tui *t, char *buf, size_t len);
	/* a key's action that depends on the view; what it does not take
	 * does nothing */
	void (*act)(struct kf_tui *t, enum kf_action a);
	/* find text from the cursor on, forwards (dir 1) or back (-1) */
	void (*search)(struct kf_tui *t, const char *text, int dir);
	int (*write)(struct kf_tui *t, FILE *f);
	/* the invocation the view is about (m, d); NULL: the list's */
	uint32_t (*call)(struct kf_tui *t);
};

extern const struct tui_view_ops tui_list_view, tui_tree_view,
	tui_diff_view, tui_summary_view, tui_help_view;
/* indexed by enum view */
extern const struct tui_view_ops *const tui_views[V_COUNT];

/* Draw UTF-8 text at (y, x), at most width columns, with attributes a;
 * invalid bytes show as '?'.  Returns the columns used. */
int tui_put_text(int y, int x, int width, const char *s, attr_t a);
/* Where the n-th character (UTF-8 sequence) of s starts. */
const char *tui_skip_chars(const char *s, size_t n);
/* Characters (UTF-8 sequences) in s. */
size_t tui_count_chars(const char *s);
/* One line of s, cols wide: where it ends (at a space when one is in its
 * second half) and, in *next, where the next line starts. */
const char *tui_wrap_end(const char *s, int cols, const char **next);
/* Draw s wrapped over up to n lines from line y; the last one takes what
 * is left, cut at the edge.  Returns the lines drawn. */
int tui_put_wrapped(int y, int n, const char *s, attr_t a);
/* A colour pair, or the monochrome attribute without colours. */
attr_t tui_pair(struct kf_tui *t, int p, attr_t mono);
/* The attribute of a time's overhead mark (+ ! # * @ $). */
attr_t tui_heat_attr(struct kf_tui *t, char heat);
/* The colour of a layer (kf_row.color, kf_layer_color); A_NORMAL for 0
 * and without colours. */
attr_t tui_layer_attr(struct kf_tui *t, int color);
/* How many rows the current view shows. */
int tui_body_lines(const struct kf_tui *t);
/* Lines above view v's rows, the title's included. */
int tui_head(struct kf_tui *t, enum view v);
/* Every view's page height again (after a view's head changed). */
void tui_set_pages(struct kf_tui *t);
/* A one-line message on the status line, until the next key. */
void tui_say(struct kf_tui *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The last kf_err as that message (and cleared). */
void tui_say_err(struct kf_tui *t);
/* Open a prompt with a proposed value (init, or NULL). */
void tui_ask_open(struct kf_tui *t, enum ask kind, const char *label,
		  const char *init);
/* Run argv with the screen put away (a pager), then redraw.  Returns
 * its exit status, or -1 (kf_err). */
int tui_run_outside(struct kf_tui *t, char *const argv[]);
/* Show invocation call's tree (built on first use). */
void tui_open_tree(struct kf_tui *t, uint32_t call);
/* The help screen's lines, from the key table (kf_tui_free frees them). */
int tui_help_build(struct kf_tui *t);
/* Take in a progress report (the screen shows it at the next draw). */
void tui_progress_note(struct kf_tui *t, const struct kf_progress *p);
/* Draw the whole progress screen. */
void tui_progress_draw(struct kf_tui *t);

#endif
