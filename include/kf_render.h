/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_render.h - batch output of a model: stable text for people, courses
 * and CI, and the JSON capture document (see kfollow-capture(5)).
 */
#ifndef KF_RENDER_H
#define KF_RENDER_H

#include <stdio.h>
#include <stdint.h>
#include "kf_model.h"

struct kf_srcmap;
struct kf_explain;

struct kf_render_opts {
	uint64_t min_duration; /* hide functions shorter than this (ns) */
	int max_depth;         /* hide nodes deeper than this (0: all) */
	int ascii;             /* ASCII tree lines instead of UTF-8 */
	int no_tree;           /* headers only */
	int show_time;         /* print each call's start time */
	const struct kf_srcmap *src; /* --source: each function's file:line
				      * (NULL: none); the caller's */
	int explain;           /* each function's kernel-doc summary (with
				* src) or kfollow's own line (ex) */
	const struct kf_explain *ex; /* kfollow's explanations, or NULL */
};

/*
 * Print every invocation of m as text to f: a header line (strace-like
 * call, duration, comm[pid], cpu) and the call tree with total and self
 * times, then a summary (invocations, nodes, lost events).  Returns 0 or
 * -1 on a write error (kf_err set).
 */
int kf_render_text(FILE *f, const struct kf_model *m,
		   const struct kf_render_opts *o);

/* "12.345 us": ns below 1 us, else us, ms or s with three decimals.  The
 * screen uses it too, so the TUI and --batch agree.  buf is the caller's. */
void kf_render_fmt_dur(char *buf, size_t len, uint64_t ns);
/* A node's time: as kf_render_fmt_dur, or "?" where no clock timed it
 * (KF_NODE_CLOCK with 0 ns).  buf is the caller's. */
void kf_render_fmt_node(char *buf, size_t len, const struct kf_node *n,
			uint64_t ns);
/*
 * The one line that says the trace clock could not be trusted in this
 * capture (stalls, or invocations whose clock disagreed), written into the
 * caller's buf; NULL when the clock kept time.
 */
const char *kf_render_clock_note(const struct kf_model *m, char *buf,
				 size_t len);
/*
 * Invocation call's header line, as batch text and the TUI show it: the
 * strace-like call, its duration, task, CPU and what is wrong with it,
 * escaped, into the caller's buf (NUL-terminated when len > 0).  Returns
 * the length it needs (>= len: cut), as snprintf does.
 */
size_t kf_render_call_header(const struct kf_model *m, uint32_t call,
			     char *buf, size_t len);
/* A node's flags as words after its name (" [irq]", " [entry lost]", ...),
 * into the caller's buf (always NUL-terminated, cut at a whole word). */
const char *kf_render_node_marks(uint16_t flags, char *buf, size_t len);
/*
 * Node ni's recorded return value as the tree shows it beside the name
 * (" = -2 ENOENT", " = 0", " = 0xffff888003a4c000"; with origin, the
 * error origin's mark after it), or "" if it has none.  Returns buf.
 */
const char *kf_render_node_ret(const struct kf_model *m, uint32_t ni,
			       int origin, char *buf, size_t len);
/*
 * Node ni's time off the CPU as the tree shows it after the name
 * ("  [off-CPU 99.8 ms, woken by sh[101] in try_to_wake_up]"), or "" if
 * its task never left the CPU inside it.  Escaped.  Returns buf.
 */
const char *kf_render_node_off(const struct kf_model *m, uint32_t ni,
			       char *buf, size_t len);

/*
 * The row that stands for the n hidden children of a node, which took
 * ns between them: "(3 hidden calls, 4.250 us)" ("(3 hidden calls)" when
 * ns is 0), into the caller's buf (always NUL-terminated).  Returns buf.
 */
const char *kf_render_hidden_row(char *buf, size_t len, uint32_t n,
				 uint64_t ns);
/*
 * The footer line that says why calls are hidden, "# hidden calls:
 * shorter than 1.000 us or deeper than 3" (no newline), into the caller's
 * buf; NULL when min_dur and max_depth are both 0 (nothing is hidden).
 */
const char *kf_render_hidden_note(char *buf, size_t len, uint64_t min_dur,
				  int max_depth);

/*
 * Where func is defined and what it does, as the tree shows it after the
 * name: "  [fs/namei.c:3818]", "  [mm/slab.c:3459 (1 of 3)]" from src
 * (NULL: none), then with explain the kernel-doc summary in quotes
 * ("  # \"Check for access rights\"") or else kfollow's own line from ex
 * ("  # takes a spinlock..."), escaped; "" when there is nothing.
 * Returns buf.
 */
const char *kf_render_func_src(const struct kf_srcmap *src,
			       const struct kf_explain *ex, const char *func,
			       int explain, char *buf, size_t len);
/* Print the node count summary/trailer lines only. */
int kf_render_summary(FILE *f, const struct kf_model *m);

#endif
