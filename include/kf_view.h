/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_view.h - the TUI's view model: everything the TUI shows, as rows of
 * plain data and lines of text, with folding, sorting, filtering, search,
 * the cursor and diff alignment.  Plain C, no terminal: the ncurses layer
 * (ui/tui*.c) only draws the rows it gets from here and turns keys into
 * calls here, and unit tests drive it the same way.
 *
 * Views read the model (kf_model.h) and never change it; the model must
 * outlive every view of it.  Memory: the invocation list costs 4 bytes per
 * call; a tree view costs about 17 bytes per node of the call it shows
 * (25 when sorted by time or hiding calls), nothing for the other calls.
 *
 * Ownership: a view struct belongs to the caller (on the stack or
 * embedded); _init fills it and allocates what it needs, _release frees
 * that (never the struct, never the model).  Strings a view hands out
 * (row names, layer labels) belong to the model or the layer table and
 * live as long as they do.  Text goes into buffers the caller provides.
 *
 * Errors: functions that can fail return -1 with kf_err() set (out of
 * memory: KF_EXIT_OSERR; a bad call index: KF_EXIT_SOFTWARE).
 */
#ifndef KF_VIEW_H
#define KF_VIEW_H

#include <stdint.h>
#include <stdio.h>
#include "kf_model.h"
#include "kf_preset.h"

/* ---- the cursor, shared by every view ----------------------------- */

/*
 * A selected row and the window of rows on screen.  The TUI sets `page`
 * (rows on screen) when the terminal is resized; views start with 20.
 */
struct kf_cursor {
	uint32_t row;   /* selected row */
	uint32_t top;   /* first row on screen */
	uint32_t page;  /* rows on screen, at least 1 */
};

#define KF_CURSOR_HOME INT64_MIN
#define KF_CURSOR_END INT64_MAX

/*
 * Move the cursor over nrows rows by delta (clamped; KF_CURSOR_HOME and
 * KF_CURSOR_END jump to the ends).  A move of a page or more scrolls the
 * window by the same amount, as less(1) does; smaller moves scroll only
 * as far as needed to keep the cursor on screen.
 */
void kf_cursor_move(struct kf_cursor *c, uint32_t nrows, int64_t delta);
/*
 * Put the cursor on row (clamped).  When it is off screen the window is
 * scrolled to show it a third of a page from the top.
 */
void kf_cursor_set(struct kf_cursor *c, uint32_t nrows, uint32_t row);
/* Bring row/top back into range after nrows changed. */
void kf_cursor_clamp(struct kf_cursor *c, uint32_t nrows);

/* ---- shared helpers ------------------------------------------------ */

/*
 * Does hay contain needle?  Case-insensitive unless needle has an
 * upper-case letter ("smart case", as in less -i and vim).
 */
int kf_view_match(const char *hay, const char *needle);

/*
 * The kernel's overhead mark for a duration, as function_graph prints it
 * before the time (trace_find_mark): '$' > 1 s, '@' > 100 ms, '*' > 10 ms,
 * '#' > 1 ms, '!' > 100 us, '+' > 10 us, else ' '.  Strictly greater.
 */
char kf_overhead_mark(uint64_t ns);

/* "12.345 us" as the batch renderer prints it: ns, us, ms or s. */
void kf_view_fmt_dur(char *buf, size_t len, uint64_t ns);

/*
 * The marks of a node's flags as the batch renderer prints them after the
 * name: " [irq]", " [entry lost]", " [no return seen]", ...  Writes into
 * buf (always NUL-terminated) and returns it.
 */
const char *kf_view_node_marks(uint16_t flags, char *buf, size_t len);

/*
 * The header line of call `call`, as the batch renderer prints it:
 * "openat(...) = 3 <12.345 us> cat[123] cpu 1" plus notes such as
 * " (incomplete: the kernel dropped events)".  Returns the length the
 * full text would have (buf is always NUL-terminated, truncated to len).
 */
size_t kf_view_call_header(const struct kf_model *m, uint32_t call,
			   char *buf, size_t len);

/* ---- the invocation list ------------------------------------------ */

enum kf_list_sort {
	KF_LIST_BY_TIME,      /* start time, oldest first */
	KF_LIST_BY_DURATION,  /* duration, longest first */
};

struct kf_list {
	const struct kf_model *m;
	uint32_t *rows;        /* call indices shown, in order (private) */
	uint32_t nrows, cap;   /* rows shown, room in rows */
	uint32_t ncalls;       /* calls of the model the list has seen */
	enum kf_list_sort sort;
	char *filter;          /* the filter text, or NULL (owned) */
	char *const *paths;    /* --path globs (kf_call_path_match; not
				* copied: they outlive the list), npaths */
	int npaths;
	struct kf_cursor cur;
	uint64_t t0;           /* start of the earliest call: time 0 */
	int in_order;          /* calls are in start order already */
	int who_w;             /* width of comm[pid]: the widest seen */
	int hide_cpu;          /* leave the cpu column out (narrow screens) */
};

/* One row of the list, as data. */
struct kf_list_row {
	uint32_t call;         /* index in m->calls */
	uint64_t start;        /* ns since the earliest call started */
	uint64_t dur;          /* ns, 0 if unknown */
	char heat;             /* kf_overhead_mark(dur) */
	char status;           /* 'x' failed, '?' incomplete, ' ' fine */
	uint8_t failed;        /* returned a negative value (an errno) */
	uint8_t incomplete;    /* no exit seen, events lost or still open */
};

/*
 * Set up a list of every call of m, by time, cursor on the first.
 * Returns 0 or -1.  Free with kf_list_release.
 */
int kf_list_init(struct kf_list *l, const struct kf_model *m);
/* kf_list_init showing only the calls with a path matching one of the
 * npaths globs (--path; paths must outlive the list). */
int kf_list_init_paths(struct kf_list *l, const struct kf_model *m,
		       char *const *paths, int npaths);
/* Free the rows and the filter text (not l, not the model). */
void kf_list_release(struct kf_list *l);
/*
 * Take in calls the model gained since (a live capture): those that pass
 * the filter are added in sort order.  Returns 0 or -1.
 */
int kf_list_update(struct kf_list *l);
/* Re-sort; the cursor stays on the same call.  Returns 0 or -1. */
int kf_list_sort(struct kf_list *l, enum kf_list_sort sort);
/*
 * Show only the calls whose header (kf_decode_header) or "comm[pid]"
 * contains text; NULL or "" shows all.  Case-insensitive unless text has
 * an upper-case letter.  The cursor stays on the same call if it is
 * still shown.  Returns 0 or -1 (the list is then unchanged).
 */
int kf_list_filter(struct kf_list *l, const char *text);
/* The call under the cursor, or KF_NONE if the list is empty. */
uint32_t kf_list_selected(const struct kf_list *l);
/* Put the cursor on call `call` if it is shown.  Returns 0 or -1. */
int kf_list_select(struct kf_list *l, uint32_t call);
/* Row i (< nrows) as data. */
void kf_list_row(const struct kf_list *l, uint32_t i, struct kf_list_row *r);
/*
 * Row i as a line of text (no newline), the columns of kf_list_columns:
 *   "x    0.000123 + 12.345 us    1  cat[1234]  openat(...) = -2 ENOENT (...)"
 * status, start in seconds, heat and duration, cpu, comm[pid], header.
 * Returns the length the full text would have.
 */
size_t kf_list_line(const struct kf_list *l, uint32_t i, char *buf,
		    size_t len);
/* The column titles matching kf_list_line (a static string). */
size_t kf_list_columns(const struct kf_list *l, char *buf, size_t len);

/* ---- the tree of one invocation (or a diff of two) ---------------- */

enum kf_row_kind {
	KF_ROW_NODE,     /* a node of the tree */
	KF_ROW_BOTH,     /* diff: in both calls */
	KF_ROW_ONLY_A,   /* diff: in the first call only (missing in B) */
	KF_ROW_ONLY_B,   /* diff: in the second call only (added in B) */
};

/* One visible row of a tree view, as data (filled by kf_tree_row). */
struct kf_row {
	uint32_t ent;        /* position in the view (private handle) */
	uint32_t node;       /* the node; in a diff A's, KF_NONE if only B */
	uint32_t node_b;     /* diff: B's node, else KF_NONE */
	uint32_t depth;      /* 0 for a top-level function */
	uint32_t hidden;     /* > 0: the row stands for this many sibling
			      * calls hidden by the minimum duration */
	uint64_t total;      /* ns: the node's time (diff: B's unless only A) */
	uint64_t self;       /* ns, the same without the children */
	uint64_t total_a;    /* diff: A's time, 0 if only in B */
	uint16_t share;      /* per mille of the invocation's time (a bar) */
	uint16_t flags;      /* enum kf_node_flags (A's | B's in a diff) */
	char heat;           /* kf_overhead_mark(total) */
	uint8_t kind;        /* enum kf_row_kind */
	uint8_t has_kids;    /* can fold and unfold */
	uint8_t folded;      /* has_kids and its children are not shown */
	uint8_t last;        /* last child of its parent (tree lines) */
	uint8_t matched;     /* its name matches the search text */
	int8_t slower;       /* diff, both: 1 B slower, -1 B faster, else 0 */
	const char *name;    /* function name (model's), "" for hidden rows */
	const char *layer;   /* the function's own layer label (the layer
			      * table's), or NULL: never a caller's */
	uint16_t color;      /* its layer's colour (kf_layer_color), 0 none */
};

enum kf_tree_sort {
	KF_TREE_BY_CALL_ORDER,  /* children as they ran */
	KF_TREE_BY_TIME,        /* children by total time, longest first */
};

enum kf_fold_op {
	KF_FOLD,         /* fold the row; on a leaf or a folded row, fold
			  * its parent and move the cursor there */
	KF_UNFOLD,       /* show the row's children */
	KF_TOGGLE,       /* fold if unfolded, else unfold */
	KF_UNFOLD_ALL,   /* unfold the row and everything below it */
	KF_FOLD_KIDS,    /* show the row's children, each of them folded */
	KF_UNFOLD_KIDS,  /* show the row's children and theirs */
};

struct kf_tree_priv;

struct kf_tree {
	const struct kf_model *m;
	uint32_t call, call_b;     /* call_b != KF_NONE: a diff */
	uint32_t nrows;            /* visible rows */
	uint32_t nents;            /* nodes (diff: aligned pairs) in the view */
	struct kf_cursor cur;
	enum kf_tree_sort sort;
	uint64_t min_dur;          /* hide nodes shorter than this (ns) */
	int hide_irq;              /* hide interrupts (kf_tree_set_hide_irq) */
	uint32_t irq_hidden;       /* interrupts hidden (outermost ones) */
	uint64_t total, total_b;   /* ns: time of the top-level functions */
	char *search;              /* the search text, or NULL (owned) */
	/* diff: B counts as slower when it takes slower_pct percent and
	 * slower_ns more than A (defaults 10 % and 1 us) */
	uint32_t slower_pct;
	uint64_t slower_ns;
	/* the layer table (a preset's "layer GLOB NAME" lines, first match
	 * wins); not owned: it must outlive the view */
	const struct kf_layer *layers;
	int nlayers;
	int hide_layer;            /* leave the layer column out (narrow) */
	/* columns the tree lines may take (0: no limit): deeper rows show
	 * their depth as "[17] " and only the innermost lines */
	size_t indent_max;
	struct kf_tree_priv *priv; /* tables, rows, caches (private) */
};

/*
 * Show call `call` of m, in call order, unfolded above depth
 * `unfold_depth` (0: only the top-level functions show; -1: everything
 * unfolded).  A call without a tree gives an empty view.  Returns 0 or
 * -1.  Free with kf_tree_release.
 */
int kf_tree_init(struct kf_tree *t, const struct kf_model *m, uint32_t call,
		 int unfold_depth);
/*
 * Diff: call a against call b, aligned by call path: two nodes pair up
 * when their parents pair up and they call the same function, the n-th
 * same-named sibling with the n-th.  Pairs show in A's order, with B's
 * unpaired nodes (KF_ROW_ONLY_B) placed before the next pair that follows
 * them in B.  Everything is unfolded.  Returns 0 or -1.
 */
int kf_tree_init_diff(struct kf_tree *t, const struct kf_model *m,
		      uint32_t a, uint32_t b);
/* Free what the view holds (not t, the model or the layer table). */
void kf_tree_release(struct kf_tree *t);

/* Row i (< nrows) as data. */
void kf_tree_row(const struct kf_tree *t, uint32_t i, struct kf_row *r);
/*
 * Row i as a line of text (no newline), the columns of kf_tree_columns:
 * heat mark, total, self, share (a diff: kind mark, A's total, B's total,
 * difference), the layer column when there is a layer table, then tree
 * lines, the fold mark, the name and the node's marks.  ascii picks
 * "|-- " lines instead of UTF-8 ones.  Returns the length the full text
 * would have.
 */
size_t kf_tree_line(const struct kf_tree *t, uint32_t i, char *buf,
		    size_t len, int ascii);
/* The column titles matching kf_tree_line (no newline). */
size_t kf_tree_columns(const struct kf_tree *t, char *buf, size_t len);
/*
 * Only the tree lines and fold mark of row i: "│  ├▸ " (with ascii
 * "|   |-+ ").  Returns the length the full text would have.
 */
size_t kf_tree_prefix(const struct kf_tree *t, uint32_t i, char *buf,
		      size_t len, int ascii);

/* The selected node (A's in a diff, B's if only in B), or KF_NONE. */
uint32_t kf_tree_selected(const struct kf_tree *t);

/*
 * Fold operations on the row under the cursor.  Unfolded children keep
 * the fold state they had.  Returns 0, or -1 when there was nothing to do
 * (a leaf, an empty view; no error is set).
 */
int kf_tree_fold(struct kf_tree *t, enum kf_fold_op op);
/* Unfold everything; the cursor stays on its node. */
void kf_tree_expand_all(struct kf_tree *t);
/* Fold everything; the cursor moves to its top-level function. */
void kf_tree_collapse_all(struct kf_tree *t);
/*
 * The hot path: from the heaviest top-level function follow the heaviest
 * child down to a leaf, unfolding along it; the cursor ends on the leaf.
 * Returns 0, or -1 on an empty view.
 */
int kf_tree_hot_path(struct kf_tree *t);
/*
 * The origin of the invocation's error (kf_call_origin): unfold its
 * callers and move the cursor there.  Returns 0, or -1 when there is none
 * (no error, no recorded return values, a diff).
 */
int kf_tree_origin(struct kf_tree *t);
/* Move the cursor to the row's parent.  Returns 0, or -1 at the top. */
int kf_tree_parent(struct kf_tree *t);
/*
 * Move the cursor to the next (dir > 0) or previous (dir < 0) shown
 * sibling of its row.  Returns 0, or -1 when there is none.
 */
int kf_tree_sibling(struct kf_tree *t, int dir);
/*
 * Zoom: the selected call becomes the view's root (only its subtree
 * shows, depths and shares count from it); zooms nest.  Returns 0, or -1
 * on a row without children, a hidden row or the zoom root itself.
 * Searching, the hot path and the error origin zoom out as far as they
 * need to.
 */
int kf_tree_zoom_in(struct kf_tree *t);
/* Back to the previous root, the cursor on the call zoomed into.
 * Returns 0, or -1 when not zoomed. */
int kf_tree_zoom_out(struct kf_tree *t);
/* How many zooms deep the view is (0: the whole tree). */
uint32_t kf_tree_zoom_depth(const struct kf_tree *t);
/*
 * The path from the top of the tree to the zoom root, "a > b > c"
 * (names escaped), or "" when not zoomed.  Returns the length the full
 * text would have (buf always NUL-terminated).
 */
size_t kf_tree_breadcrumb(const struct kf_tree *t, char *buf, size_t len);
/*
 * Order children by call order or by time (view only: the model is not
 * touched).  Folds and the cursor's node are kept.  Returns 0 or -1.
 */
int kf_tree_set_sort(struct kf_tree *t, enum kf_tree_sort s);
/*
 * Hide nodes shorter than ns (0: none) with everything below them, as
 * --min-duration does; a node that never returned is always shown.  The
 * hidden children of a node show as one row after its shown children
 * (kf_row.hidden, their time in kf_row.total).  The cursor stays on its
 * node or the row that now stands for it.
 */
void kf_tree_set_min_dur(struct kf_tree *t, uint64_t ns);
/*
 * Hide (hide != 0) or show again the interrupts (KF_NODE_IRQ, SOFTIRQ,
 * NMI) with everything below them: no row stands for them; irq_hidden
 * counts them.  The cursor stays on its node or, when an interrupt now
 * hides it, moves to the function that interrupt came in.
 */
void kf_tree_set_hide_irq(struct kf_tree *t, int hide);
/*
 * Search function names for text (a substring, case-insensitive unless
 * text has an upper-case letter; NULL: the last text again).  Moves the
 * cursor to the next (dir > 0) or previous (dir < 0) match after the
 * cursor in the view's order, wrapping, and unfolds the callers to show
 * it; nodes hidden by the minimum duration are skipped.  Returns 0, 1 if
 * the search wrapped, -1 if nothing matches (text "" clears the search),
 * -2 out of memory.
 */
int kf_tree_search(struct kf_tree *t, const char *text, int dir);
/*
 * Use a layer table (NULL, 0: none).  The table is not copied: keep it
 * (e.g. the kf_preset) until the view is released.  Returns 0 or -1.
 */
int kf_tree_set_layers(struct kf_tree *t, const struct kf_layer *layers,
		       int nlayers);
/* The layer label of a function (strtab id) from the table, or NULL. */
const char *kf_tree_layer(const struct kf_tree *t, uint32_t func);
/*
 * The colour of layer line k (< nlayers): 1 + the rank of its name among
 * the table's names in order of first appearance, so every line of one
 * layer gets the same colour; 0 for a bad k.  The TUI maps it onto its
 * palette (modulo the palette's size).
 */
int kf_layer_color(const struct kf_layer *layers, int nlayers, int k);

/* ---- per-function summary ----------------------------------------- */

enum kf_sum_col {
	KF_SUM_CALLS,   /* number of calls, most first */
	KF_SUM_TOTAL,   /* total time, most first */
	KF_SUM_SELF,    /* self time, most first */
	KF_SUM_AVG,     /* average time per call, most first */
	KF_SUM_MAX,     /* longest call, most first */
	KF_SUM_NAME,    /* name, a to z */
};

/*
 * Per function.  total counts a recursive function's time once (its
 * outermost calls only); avg is the mean of every call's own total time.
 */
struct kf_sum_row {
	const char *name;    /* the model's */
	uint32_t func;       /* strtab id */
	uint64_t calls, total, self, avg, max;
	uint64_t off;        /* ns its calls' tasks spent off the CPU in it
			      * (part of self) */
};

struct kf_summary {
	const struct kf_model *m;
	uint32_t call;       /* KF_NONE: the whole capture */
	struct kf_sum_row *rows;
	uint32_t nrows;
	enum kf_sum_col sort;
	struct kf_cursor cur;
	int has_off;         /* some task slept inside a traced call: the
			      * off-CPU column shows */
	uint32_t ncalls;     /* invocations it summarises */
	/* kf_summary_init_procs: rows per process and syscall, their names
	 * ("dd[42] read") here (owned) */
	char *names;
};

/*
 * Per function over every call (call == KF_NONE) or one call, sorted by
 * total time.  Returns 0 or -1.  Free with kf_summary_release.
 */
int kf_summary_init(struct kf_summary *s, const struct kf_model *m,
		    uint32_t call);
/*
 * The same over the invocations calls[0..ncalls) (calls NULL: the first
 * ncalls), leaving out the calls shorter than min_dur (ns, 0: none) with
 * everything they called, as the trees hide them.  Returns 0 or -1.
 */
int kf_summary_init_calls(struct kf_summary *s, const struct kf_model *m,
			  const uint32_t *calls, uint32_t ncalls,
			  uint64_t min_dur);
/*
 * For a boundary capture (no functions): one row per process and syscall
 * ("dd[42] read": calls, total, self = total, average, max) over the
 * invocations calls[0..ncalls) (calls NULL: the first ncalls), sorted by
 * total time; the function ids of the rows are their numbers.  Returns 0
 * or -1.
 */
int kf_summary_init_procs(struct kf_summary *s, const struct kf_model *m,
			  const uint32_t *calls, uint32_t ncalls);
/* Sort by a column; the cursor stays on the same function. */
void kf_summary_sort(struct kf_summary *s, enum kf_sum_col col);
/* Free the rows (not s, not the model). */
void kf_summary_release(struct kf_summary *s);
/* Row i as a line of text (no newline), the columns of
 * kf_summary_columns.  Returns the length the full text would have. */
size_t kf_summary_line(const struct kf_summary *s, uint32_t i, char *buf,
		       size_t len);
/* The column titles matching kf_summary_line (an off-CPU column when
 * s->has_off). */
const char *kf_summary_columns(const struct kf_summary *s);

/* ---- text, for `w` and the tests ---------------------------------- */

/*
 * Write every row of a view (not only the screen's) as the screen shows
 * it, after a title: the call header(s) for a tree, the column titles for
 * all.  Returns 0 or -1 on a write error (kf_err set).
 */
int kf_tree_write(FILE *f, const struct kf_tree *t, int ascii);

/* ---- two captures (--diff A B) -------------------------------------- */

/*
 * Pair the invocations of two captures held in m (A's calls before
 * first_b, B's from it; kf_model_append): the n-th A call of a syscall
 * and path (its first string argument) with the n-th B call of the same.
 * pair[i] (the caller gives m->ncalls entries) gets i's partner or
 * KF_NONE.  Returns the number of pairs or -1 (kf_err).
 */
int kf_diff_pair(const struct kf_model *m, uint32_t first_b, uint32_t *pair);
/*
 * Write the comparison as text: a title naming A and B, each pair's
 * aligned tree (kf_tree_write of kf_tree_init_diff), then the headers of
 * the invocations only one side has; calls shorter than min_dur (ns, 0:
 * none) folded into "(N hidden calls)" rows.  Returns 0 or -1 (kf_err).
 */
int kf_diff_write(FILE *f, const struct kf_model *m, uint32_t first_b,
		  const char *name_a, const char *name_b, uint64_t min_dur,
		  int ascii);
int kf_list_write(FILE *f, const struct kf_list *l);
int kf_summary_write(FILE *f, const struct kf_summary *s);
/*
 * --summary: per syscall (calls, errors, total, average, max; strace -c's
 * columns) and per kernel function (calls, total, self, average, max,
 * off-CPU) over every invocation of m, sorted by total time, as text or
 * as a JSON document ("kfollow-summary").  Calls shorter than min_dur
 * (ns, 0: none) are left out of the functions with what they called.
 * Returns 0 or -1 (kf_err).
 */
int kf_summary_print(FILE *f, const struct kf_model *m, uint64_t min_dur,
		     int json);

/*
 * Open path to write a view to (`w`).  Returns a stream the caller
 * fcloses, or NULL with kf_err set (one line for the status line).
 */
FILE *kf_view_file_open(const char *path);

#endif
