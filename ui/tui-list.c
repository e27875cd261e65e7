// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tui-list.c - the invocation list: one strace-like line per call,
 * sorted by time or duration, filtered by text; Enter opens its tree.
 */
#include <stdio.h>
#include <string.h>

#include "kf_common.h"
#include "kf_decode.h"
#include "tui-int.h"

#define DETAIL_LINES 2

/* Under 120 columns the call column cuts paths and return values: the
 * selected call's whole header shows below the rows. */
static int list_foot(struct kf_tui *t)
{
	(void)t;
	return COLS < 120 ? DETAIL_LINES : 0;
}

static void draw_detail(struct kf_tui *t)
{
	char head[4096];
	uint32_t call = kf_list_selected(&t->list);
	int y = LINES - 1 - DETAIL_LINES;

	if (!list_foot(t) || call == KF_NONE)
		return;
	kf_view_call_header(t->m, call, head, sizeof(head));
	tui_put_wrapped(y, DETAIL_LINES, head, A_BOLD);
}

static void draw_list(struct kf_tui *t)
{
	char buf[1024];
	struct kf_list *l = &t->list;
	uint32_t i, y0 = 2;

	kf_list_columns(l, buf, sizeof(buf));
	tui_put_text(1, 0, COLS, buf, A_BOLD | A_UNDERLINE);
	if (!l->nrows) {
		tui_put_text(y0 + 1, 2, COLS - 2, t->live ?
			 "waiting for the first invocation..." :
			 l->filter ? "no invocation matches the filter "
			 "(f, then Enter on an empty line, shows all)" :
			 "no invocation was captured", A_DIM);
		return;
	}
	draw_detail(t);
	for (i = l->cur.top; i < l->nrows && i - l->cur.top <
	     (uint32_t)tui_body_lines(t); i++) {
		struct kf_list_row r;
		attr_t a = A_NORMAL;
		int y = y0 + (i - l->cur.top);

		kf_list_row(l, i, &r);
		kf_list_line(l, i, buf, sizeof(buf));
		if (r.failed)
			a = tui_pair(t, C_FAIL, A_BOLD);
		else if (r.incomplete)
			a = tui_pair(t, C_WARN, A_NORMAL);
		if (i == l->cur.row)
			a |= A_REVERSE;
		if (i == l->cur.row)
			mvhline(y, 0, ' ' | A_REVERSE, COLS);
		tui_put_text(y, 0, COLS, buf, a);
		/* --diff A B: which capture the row comes from */
		if (t->o.diff)
			tui_put_text(y, 0, 1, r.call < t->o.diff_b ? "A" : "B",
				     a | A_BOLD);
		if (r.call == t->mark)
			tui_put_text(y, 0, 1, "m", a | A_BOLD);
		if (r.heat != ' ' && COLS > 14)
			mvchgat(y, 14, 1, tui_heat_attr(t, r.heat) |
				(i == l->cur.row ? A_REVERSE : 0),
				PAIR_NUMBER(tui_heat_attr(t, r.heat)), NULL);
	}
}

static struct kf_cursor *list_cursor(struct kf_tui *t, uint32_t *nrows)
{
	*nrows = t->list.nrows;
	return &t->list.cur;
}

static void list_status(struct kf_tui *t, char *buf, size_t len)
{
	snprintf(buf, len, " invocations%s%s%s%s",
		 t->list.sort == KF_LIST_BY_DURATION ? "  by duration" : "",
		 t->list.filter ? "  filter: " : "",
		 t->list.filter ? t->list.filter : "",
		 t->mark != KF_NONE ? "  (one marked for a diff)" : "");
}

static void list_act(struct kf_tui *t, enum kf_action a)
{
	switch (a) {
	case KF_ACT_OPEN:
	case KF_ACT_UNFOLD:
		tui_open_tree(t, kf_list_selected(&t->list));
		break;
	case KF_ACT_HOT:
		/* the tree, then its hottest path */
		tui_open_tree(t, kf_list_selected(&t->list));
		if (t->view == V_TREE)
			tui_tree_view.act(t, a);
		break;
	case KF_ACT_SORT:
		if (kf_list_sort(&t->list, t->list.sort == KF_LIST_BY_TIME ?
				 KF_LIST_BY_DURATION : KF_LIST_BY_TIME) < 0)
			tui_say_err(t);
		break;
	case KF_ACT_FILTER:
		tui_ask_open(t, ASK_FILTER, "show invocations containing: ",
			     t->list.filter);
		break;
	default:
		break;
	}
}

static void list_search(struct kf_tui *t, const char *text, int dir)
{
	struct kf_list *l = &t->list;
	char buf[1024];
	uint32_t i, n = l->nrows;

	if (!n)
		return;
	for (i = 1; i <= n; i++) {
		uint32_t r = (l->cur.row + (dir > 0 ? i : n - i)) % n;

		kf_list_line(l, r, buf, sizeof(buf));
		if (kf_view_match(buf, text)) {
			if ((dir > 0) != (r > l->cur.row))
				tui_say(t, "search wrapped around");
			kf_cursor_set(&l->cur, n, r);
			return;
		}
	}
	tui_say(t, "no invocation matches '%s'", text);
}

static int list_write(struct kf_tui *t, FILE *f)
{
	return kf_list_write(f, &t->list);
}

static uint32_t list_call(struct kf_tui *t)
{
	return kf_list_selected(&t->list);
}

const struct tui_view_ops tui_list_view = {
	.name = "Invocations", .head = 2, .foot = list_foot, .file = "kfollow-invocations.txt",
	.cursor = list_cursor, .draw = draw_list, .status = list_status,
	.act = list_act, .search = list_search, .write = list_write,
	.call = list_call,
};
