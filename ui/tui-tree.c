// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tui-tree.c - one invocation's call tree, and the diff of two: folding,
 * the hottest path, sorting children, hiding short calls, search.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kf_common.h"
#include "kf_decode.h"
#include "kf_render.h"
#include "kf_srcmap.h"
#include "tui-int.h"

/* The share bar: 8 cells, eighths in UTF-8, '#' in ASCII. */
static void bar_text(char *buf, size_t len, unsigned per_mille, int ascii)
{
	static const char *const eighth[] = { "", "▏", "▎", "▍", "▌", "▋",
					      "▊", "▉" };
	unsigned e = (per_mille * 64 + 500) / 1000, i;
	size_t pos = 0;

	buf[0] = '\0';
	if (e > 64)
		e = 64;
	for (i = 0; i < e / 8; i++)
		pos += snprintf(buf + pos, len - pos, "%s", ascii ? "#" : "█");
	if (e % 8 && !ascii)
		pos += snprintf(buf + pos, len - pos, "%s", eighth[e % 8]);
	else if (e % 8 >= 4)
		pos += snprintf(buf + pos, len - pos, "+");
	(void)pos;
}

#define SHARE_END 32  /* kf_tree_line's columns up to the share's '%' */
#define BAR_COLS 9

/* The share bar's columns: under 100 columns the names need them. */
static int bar_cols(void)
{
	return COLS >= 100 ? BAR_COLS : 1;
}

/* Do the two calls of a diff read differently (two header lines)? */
static int diff_headers_differ(struct kf_tui *t, const struct kf_tree *tr)
{
	char a[2048], b[2048];

	kf_decode_header(t->m, &t->m->calls[tr->call], a, sizeof(a));
	kf_decode_header(t->m, &t->m->calls[tr->call_b], b, sizeof(b));
	return strcmp(a, b) != 0;
}

/* The A/B header of a diff: who and how long when the calls read the
 * same (a cold and a warm open), else each header on a line of its own
 * (side by side they were cut mid-word).  Returns the lines used. */
static int draw_diff_header(struct kf_tui *t, const struct kf_tree *tr)
{
	const struct kf_call *ca = &t->m->calls[tr->call];
	const struct kf_call *cb = &t->m->calls[tr->call_b];
	char head[2048 + 64], b[512], da[32], db[32], comm[80];
	int x;

	kf_decode_header(t->m, ca, head, sizeof(head));
	kf_decode_header(t->m, cb, b, sizeof(b));
	if (strcmp(head, b)) {
		kf_view_call_header(t->m, tr->call, b, sizeof(b));
		snprintf(head, sizeof(head), "A: %s", b);
		tui_put_text(1, 0, COLS, head, tui_pair(t, C_GONE, A_BOLD));
		kf_view_call_header(t->m, tr->call_b, b, sizeof(b));
		snprintf(head, sizeof(head), "B: %s", b);
		tui_put_text(2, 0, COLS, head, tui_pair(t, C_ADDED, A_BOLD));
		return 2;
	}
	kf_view_fmt_dur(da, sizeof(da), ca->end > ca->start ?
			ca->end - ca->start : 0);
	kf_view_fmt_dur(db, sizeof(db), cb->end > cb->start ?
			cb->end - cb->start : 0);
	snprintf(b, sizeof(b), "A: %s[%d] %s",
		 kf_escape(comm, sizeof(comm), kf_strtab_get(&t->m->strs,
							     ca->comm)),
		 ca->pid, da);
	x = tui_put_text(1, 0, COLS, b, tui_pair(t, C_GONE, A_BOLD));
	snprintf(b, sizeof(b), "  B: %s[%d] %s",
		 kf_escape(comm, sizeof(comm), kf_strtab_get(&t->m->strs,
							     cb->comm)),
		 cb->pid, db);
	x += tui_put_text(1, x, COLS - x, b, tui_pair(t, C_ADDED, A_BOLD));
	x += tui_put_text(1, x, COLS - x, "  ", A_BOLD);
	tui_put_text(1, x, COLS - x, head, A_BOLD);
	return 1;
}

#define HEAD_LINES 3 /* the most a long header wraps to */

/* Lines the call's header takes, wrapped to the screen (the whole
 * header readable: paths and return values are what gets cut). */
static int header_lines(struct kf_tui *t, const struct kf_tree *tr)
{
	char head[2048];
	const char *p = head, *next;
	int n = 0;

	if (tr->call_b != KF_NONE || COLS < 1)
		return 1;
	kf_view_call_header(t->m, tr->call, head, sizeof(head));
	while (*p && n < HEAD_LINES) {
		tui_wrap_end(p, COLS, &next);
		p = next;
		n++;
	}
	return n ? n : 1;
}

static int tree_more_head(struct kf_tui *t)
{
	if (t->tree_call == KF_NONE)
		return 0;
	return header_lines(t, &t->tree) - 1 +
	       (kf_tree_zoom_depth(&t->tree) ? 1 : 0);
}

static int diff_more_head(struct kf_tui *t)
{
	if (!t->diff_on)
		return 0;
	return diff_headers_differ(t, &t->diff) +
	       (kf_tree_zoom_depth(&t->diff) ? 1 : 0);
}

/* Zoomed: the path down to the root, its start cut when it is long. */
static void draw_breadcrumb(struct kf_tui *t, int y, const struct kf_tree *tr)
{
	char path[4096], line[4200];
	const char *p = path;
	size_t n, room = COLS > 12 ? (size_t)COLS - 12 : 0;

	(void)t;
	kf_tree_breadcrumb(tr, path, sizeof(path));
	n = tui_count_chars(path);
	if (n > room)
		p = tui_skip_chars(path, n - room + 2);
	snprintf(line, sizeof(line), "zoomed: %s%s", p == path ? "" : "… ",
		 p);
	tui_put_text(y, 0, COLS, line, A_BOLD);
}

/* The call's header (wrapped), the breadcrumb when zoomed, the column
 * titles; returns the line after them. */
static int draw_tree_header(struct kf_tui *t, const struct kf_tree *tr)
{
	char buf[2048], head[2048 + 64];
	int diff = tr->call_b != KF_NONE, y = 1, nl;

	if (diff) {
		y += draw_diff_header(t, tr);
	} else {
		kf_view_call_header(t->m, tr->call, head, sizeof(head));
		nl = header_lines(t, tr);
		y += tui_put_wrapped(y, nl, head, A_BOLD);
	}
	if (kf_tree_zoom_depth(tr))
		draw_breadcrumb(t, y++, tr);
	kf_tree_columns(tr, buf, sizeof(buf));
	if (!diff && strlen(buf) > SHARE_END) {
		snprintf(head, sizeof(head), "%.*s %-*s%s", SHARE_END, buf,
			 bar_cols() - 1, "", buf + SHARE_END);
		tui_put_text(y, 0, COLS, head, A_BOLD | A_UNDERLINE);
	} else {
		tui_put_text(y, 0, COLS, buf, A_BOLD | A_UNDERLINE);
	}
	return y + 1;
}

/* A diff row's colour: gone, added, slower or faster. */
static attr_t diff_attr(struct kf_tui *t, const struct kf_row *r)
{
	if (r->kind == KF_ROW_ONLY_A)
		return tui_pair(t, C_GONE, A_DIM);
	if (r->kind == KF_ROW_ONLY_B)
		return tui_pair(t, C_ADDED, A_BOLD);
	if (r->slower > 0)
		return tui_pair(t, C_SLOWER, A_BOLD);
	if (r->slower < 0)
		return tui_pair(t, C_FASTER, A_NORMAL);
	return A_NORMAL;
}

/* A tree row's colour: warnings first, then interrupt code. */
static attr_t row_attr(struct kf_tui *t, const struct kf_row *r)
{
	if (r->flags & (KF_NODE_NOENTRY | KF_NODE_NOEXIT | KF_NODE_LOST |
			KF_NODE_OVERRUN | KF_NODE_CLOCK))
		return tui_pair(t, C_WARN, A_NORMAL);
	if (r->flags & (KF_NODE_IRQ | KF_NODE_SOFTIRQ | KF_NODE_NMI))
		return tui_pair(t, C_IRQ, A_DIM);
	return A_NORMAL;
}

/* Draw [s, end) from x on with a; returns the new x. */
static int put_part(int y, int x, char *s, char *end, attr_t a)
{
	char save = *end;

	*end = '\0';
	x += tui_put_text(y, x, COLS - x, s, a);
	*end = save;
	return x;
}

/*
 * The name column from x on; the layer label and the name in the layer's
 * colour (unless the row has a colour of its own), a matched name in the
 * match colour, both found as the line shows them (escaped).
 */
static void draw_names(struct kf_tui *t, int y, int x, char *buf,
		       const struct kf_row *r, attr_t a)
{
	char esc[1024], *rest = buf + SHARE_END, *name, *from = rest;
	attr_t la = tui_layer_attr(t, r->color) | (a & A_REVERSE);

	/* scrolled sideways: the tree lines go first, then the names */
	rest = (char *)tui_skip_chars(rest, (size_t)t->hscroll);
	from = rest;
	if (r->hidden) {
		tui_put_text(y, x, COLS - x, rest, A_DIM | (a & A_REVERSE));
		return;
	}
	/* the layer column, when shown, starts after two spaces */
	if (r->layer)
		kf_escape(esc, sizeof(esc), r->layer);
	if (r->layer && !t->tree.hide_layer &&
	    !strncmp(rest + 2, esc, strlen(esc))) {
		x = put_part(y, x, rest, rest + 2, a);
		x = put_part(y, x, rest + 2, rest + 2 + strlen(esc), la);
		from = rest + 2 + strlen(esc);
	}
	name = strstr(from, kf_escape(esc, sizeof(esc), r->name));
	if (!name) {
		tui_put_text(y, x, COLS - x, from, a);
		return;
	}
	x = put_part(y, x, from, name, a);
	if (r->matched) {
		tui_put_text(y, x, COLS - x, name,
			     tui_pair(t, C_MATCH, A_UNDERLINE) | A_BOLD |
			     (a & A_REVERSE));
		return;
	}
	/* warnings and interrupts keep their colour */
	if ((a & A_COLOR) || !(la & A_COLOR))
		la = a;
	x = put_part(y, x, name, name + strlen(esc), la);
	tui_put_text(y, x, COLS - x, name + strlen(esc), a);
}

/* One row: heat, times, the share bar, then the names. */
static void draw_tree_row(struct kf_tui *t, int y, char *buf,
			  const struct kf_row *r, attr_t sa)
{
	attr_t a = row_attr(t, r);
	char bar[64];
	int x;

	if (strlen(buf) <= SHARE_END + 2) {
		tui_put_text(y, 0, COLS, buf, a | sa);
		return;
	}
	tui_put_text(y, 0, 1, buf, tui_heat_attr(t, r->heat) | sa);
	x = 1 + tui_put_text(y, 1, SHARE_END - 1, buf + 1, a | sa);
	bar_text(bar, sizeof(bar), r->hidden ? 0 : r->share, t->o.ascii);
	mvhline(y, x, ' ' | sa, bar_cols());
	if (bar_cols() > 1)
		tui_put_text(y, x + 1, BAR_COLS - 1, bar,
			     tui_pair(t, C_BAR, A_NORMAL) | sa);
	draw_names(t, y, x + bar_cols(), buf, r, a | sa);
}

static void draw_tree(struct kf_tui *t, struct kf_tree *tr)
{
	char buf[2048];
	uint32_t i, y0;
	int lines = tui_body_lines(t);
	int names = COLS - SHARE_END - bar_cols();

	/* deep rows: the lines leave the names 34 columns (most kernel
	 * function names are shorter) */
	if (tr->nlayers && !tr->hide_layer)
		names -= 12;
	tr->indent_max = names > 42 ? (size_t)names - 34 : 8;
	y0 = (uint32_t)draw_tree_header(t, tr);
	if (!tr->nrows) {
		const struct kf_call *c = &t->m->calls[tr->call];

		tui_put_text(y0 + 1, 2, COLS - 2, c->flags & KF_CALL_OPEN ?
			 "still running: its tree shows once it returns" :
			 t->m->meta.degraded ?
			 "no tree: function_graph was unavailable, only the "
			 "syscall's boundary was traced" :
			 t->m->meta.mode == KF_MODE_BOUNDARY ?
			 "no tree: --boundary traced the syscall's boundary "
			 "only" :
			 "no kernel functions were recorded for this call",
			 A_DIM);
		return;
	}
	for (i = tr->cur.top; i < tr->nrows && i - tr->cur.top <
	     (uint32_t)lines; i++) {
		struct kf_row r;
		int y = y0 + (i - tr->cur.top), sel = i == tr->cur.row;
		attr_t sa = sel ? A_REVERSE : 0;

		kf_tree_row(tr, i, &r);
		kf_tree_line(tr, i, buf, sizeof(buf), t->o.ascii);
		if (sel)
			mvhline(y, 0, ' ' | A_REVERSE, COLS);
		if (tr->call_b != KF_NONE)
			tui_put_text(y, 0, COLS, buf, diff_attr(t, &r) | sa);
		else
			draw_tree_row(t, y, buf, &r, sa);
	}
}

static void tree_draw(struct kf_tui *t)
{
	draw_tree(t, &t->tree);
}

static void diff_draw(struct kf_tui *t)
{
	draw_tree(t, &t->diff);
}

static struct kf_tree *shown(struct kf_tui *t)
{
	return t->view == V_DIFF ? &t->diff : &t->tree;
}

static struct kf_cursor *tree_cursor(struct kf_tui *t, uint32_t *nrows)
{
	*nrows = t->tree.nrows;
	return &t->tree.cur;
}

static struct kf_cursor *diff_cursor(struct kf_tui *t, uint32_t *nrows)
{
	*nrows = t->diff.nrows;
	return &t->diff.cur;
}

static int tree_ready(const struct kf_tui *t)
{
	return t->tree_call != KF_NONE;
}

static int diff_ready(const struct kf_tui *t)
{
	return t->diff_on;
}

static void tree_status(struct kf_tui *t, char *buf, size_t len)
{
	struct kf_row r = { 0 };
	char d[32] = "", lay[256];
	uint32_t nrows;
	struct kf_cursor *c = tree_cursor(t, &nrows);

	if (t->tree.min_dur)
		kf_view_fmt_dur(d, sizeof(d), t->tree.min_dur);
	/* narrow: the selected row's layer, as its column is gone */
	if (t->tree.hide_layer && nrows)
		kf_tree_row(&t->tree, c->row, &r);
	kf_escape(lay, sizeof(lay), r.layer);
	snprintf(buf, len, " rows%s%s%s%s%s%s", r.layer ? "  " : "", lay,
		 t->tree.sort == KF_TREE_BY_TIME ? "  children by time" : "",
		 d[0] ? "  hiding under " : "", d,
		 t->hscroll ? "  names scrolled (<)" : "");
	if (t->tree.hide_irq) {
		size_t n = strlen(buf);

		if (n < len)
			snprintf(buf + n, len - n, "  %u irq%s hidden",
				 t->tree.irq_hidden,
				 t->tree.irq_hidden == 1 ? "" : "s");
	}
	/* --source: where the selected function is, and what it does */
	if ((t->src || t->ex) && nrows) {
		char where[KF_SRC_DOC_MAX * 4 + 512];
		size_t n = strlen(buf);

		kf_tree_row(shown(t), c->row, &r);
		if (r.name && *r.name && n < len)
			snprintf(buf + n, len - n, "%s",
				 kf_render_func_src(t->src, t->ex, r.name, 1,
						    where, sizeof(where)));
	}
}

/* o: the selected function's source at its line, in $PAGER (else
 * $EDITOR, else less), or its URL when the source is not in the cache. */
static void open_source(struct kf_tui *t)
{
	struct kf_tree *tr = shown(t);
	const struct kf_srcloc *l;
	struct kf_row r = { 0 };
	char url[1024], line[32], *file;
	const char *pager = getenv("PAGER");
	int n, rc;

	if (!t->src) {
		tui_say(t, "no source map: run with --source (fetches the "
			"kernel's Debian source once)");
		return;
	}
	if (t->live) {
		tui_say(t, "stop tracing first (q), then open the source");
		return;
	}
	if (!tr->nrows)
		return;
	kf_tree_row(tr, tr->cur.row, &r);
	l = r.name ? kf_srcmap_lookup(t->src, r.name, &n) : NULL;
	if (!l) {
		tui_say(t, "no definition of this function in the source of "
			"%s (generated or assembly code)",
			kf_srcmap_version(t->src));
		return;
	}
	file = kf_srcmap_file(t->src, l);
	if (!file) {
		kf_err_clear();
		tui_say(t, "%s", kf_srcmap_url(t->src, l, url, sizeof(url)));
		return;
	}
	snprintf(line, sizeof(line), "+%u", l->line);
	/* a pager reads; without one, the editor (both take +LINE) */
	if (!pager || !*pager)
		pager = getenv("EDITOR");
	if (!pager || !*pager)
		pager = "less";
	{
		/* PAGER may hold options ("less -R"), as git allows */
		char *const argv[] = { "/bin/sh", "-c",
				       "exec $0 \"$1\" \"$2\"",
				       (char *)pager, line, file, NULL };

		rc = tui_run_outside(t, argv);
	}
	if (rc < 0)
		tui_say_err(t);
	else if (rc != 0)
		tui_say(t, "the pager '%s' exited %d", pager, rc);
	else
		tui_say(t, "%s:%u", l->file, l->line);
	free(file);
}

/* The min-duration prompt proposes the current value: "12.345 us" ->
 * "12.345us", which the parser takes. */
static void ask_min_dur(struct kf_tui *t)
{
	char cur[32] = "";

	if (t->tree.min_dur)
		kf_view_fmt_dur(cur, sizeof(cur), t->tree.min_dur);
	if (strchr(cur, ' '))
		memmove(strchr(cur, ' '), strchr(cur, ' ') + 1,
			strlen(strchr(cur, ' ')));
	tui_ask_open(t, ASK_MIN_DUR, "hide calls shorter than (e.g. 5us; "
		     "empty: show all): ", cur);
}

/* i: every tree, the diff and those opened later hide interrupts, or
 * show them again. */
static void hide_irq(struct kf_tui *t, int hide)
{
	struct kf_tree *tr = shown(t);

	t->hide_irq = hide;
	if (t->tree_call != KF_NONE)
		kf_tree_set_hide_irq(&t->tree, hide);
	if (t->diff_on)
		kf_tree_set_hide_irq(&t->diff, hide);
	if (!hide)
		tui_say(t, "interrupts shown");
	else if (tr->irq_hidden)
		tui_say(t, "%u interrupt%s hidden with what %s called (i shows "
			"them)", tr->irq_hidden, tr->irq_hidden == 1 ? "" : "s",
			tr->irq_hidden == 1 ? "it" : "they");
	else
		tui_say(t, "hiding interrupts: none in this call");
}

/* Keys of the tree and the diff alike (f: the tree only). */
static void tree_act(struct kf_tui *t, enum kf_action a)
{
	struct kf_tree *tr = shown(t);

	switch (a) {
	case KF_ACT_OPEN: kf_tree_fold(tr, KF_TOGGLE); break;
	case KF_ACT_FOLD_KIDS: kf_tree_fold(tr, KF_FOLD_KIDS); break;
	case KF_ACT_UNFOLD_KIDS: kf_tree_fold(tr, KF_UNFOLD_KIDS); break;
	case KF_ACT_SIB_NEXT:
	case KF_ACT_SIB_PREV:
		if (kf_tree_sibling(tr, a == KF_ACT_SIB_NEXT ? 1 : -1) < 0)
			tui_say(t, "no %s sibling", a == KF_ACT_SIB_NEXT ?
				"next" : "previous");
		break;
	case KF_ACT_ZOOM_IN:
		if (kf_tree_zoom_in(tr) < 0)
			tui_say(t, "nothing to zoom into: pick a call with "
				"children");
		tui_set_pages(t);
		break;
	case KF_ACT_ZOOM_OUT:
		if (kf_tree_zoom_out(tr) < 0)
			tui_say(t, "not zoomed");
		tui_set_pages(t);
		break;
	case KF_ACT_SCROLL_RIGHT:
		t->hscroll += 8;
		break;
	case KF_ACT_SCROLL_LEFT:
		t->hscroll = t->hscroll > 8 ? t->hscroll - 8 : 0;
		break;
	case KF_ACT_UNFOLD: kf_tree_fold(tr, KF_UNFOLD); break;
	case KF_ACT_FOLD: kf_tree_fold(tr, KF_FOLD); break;
	case KF_ACT_EXPAND_ALL: kf_tree_expand_all(tr); break;
	case KF_ACT_COLLAPSE_ALL: kf_tree_collapse_all(tr); break;
	case KF_ACT_HOT:
		if (kf_tree_hot_path(tr) == 0)
			tui_say(t, "the hottest path: the heaviest child at "
				"every level");
		break;
	case KF_ACT_PARENT:
		if (kf_tree_parent(tr) < 0)
			tui_say(t, "at the top");
		break;
	case KF_ACT_ORIGIN:
		if (kf_tree_origin(tr) < 0)
			tui_say(t, "no error origin here: the call did not "
				"fail, or no return values were recorded "
				"(--retval)");
		else
			tui_say(t, "the first call that returned the error");
		break;
	case KF_ACT_SOURCE:
		open_source(t);
		break;
	case KF_ACT_SORT:
		if (kf_tree_set_sort(tr, tr->sort == KF_TREE_BY_CALL_ORDER ?
				     KF_TREE_BY_TIME :
				     KF_TREE_BY_CALL_ORDER) < 0)
			tui_say_err(t);
		else
			tui_say(t, "children %s", tr->sort == KF_TREE_BY_TIME ?
				"by time, longest first" : "in call order");
		break;
	case KF_ACT_FILTER:
		if (t->view == V_TREE)
			ask_min_dur(t);
		break;
	case KF_ACT_IRQ:
		hide_irq(t, !t->hide_irq);
		break;
	default:
		break;
	}
}

static void tree_search(struct kf_tui *t, const char *text, int dir)
{
	int rc = kf_tree_search(shown(t), text, dir);

	if (rc == -1)
		tui_say(t, "no function matches '%s'", text);
	else if (rc == 1)
		tui_say(t, "search wrapped around");
	else if (rc == -2)
		tui_say_err(t);
}

static int tree_write(struct kf_tui *t, FILE *f)
{
	struct kf_tree *tr = shown(t);
	size_t indent = tr->indent_max;
	int rc;

	/* a file has no width to keep to: every level's lines */
	tr->indent_max = 0;
	rc = kf_tree_write(f, tr, t->o.ascii);
	tr->indent_max = indent;
	return rc;
}

static uint32_t tree_call(struct kf_tui *t)
{
	return t->tree_call;
}

static uint32_t diff_call(struct kf_tui *t)
{
	return t->diff.call_b;
}

const struct tui_view_ops tui_tree_view = {
	.name = "Tree", .head = 3, .more_head = tree_more_head,
	.file = "kfollow-tree.txt",
	.cursor = tree_cursor, .ready = tree_ready, .draw = tree_draw,
	.status = tree_status, .act = tree_act, .search = tree_search,
	.write = tree_write, .call = tree_call,
};

const struct tui_view_ops tui_diff_view = {
	.name = "Diff", .head = 3, .more_head = diff_more_head,
	.file = "kfollow-diff.txt",
	.cursor = diff_cursor, .ready = diff_ready, .draw = diff_draw,
	.act = tree_act, .search = tree_search, .write = tree_write,
	.call = diff_call,
};
