// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tui-summary.c - per kernel function: calls, total, self, average and
 * max time, over one invocation or the whole capture; for a boundary
 * capture per process and syscall, under a line naming the command that
 * follows the slowest syscall into the kernel.
 */
#include <stdio.h>
#include <string.h>

#include "kf_common.h"
#include "kf_decode.h"
#include "tui-int.h"

static void draw_summary(struct kf_tui *t)
{
	static const char *const cols[] = { "calls", "total", "self",
					    "average", "max", "function" };
	char buf[1024], title[128];
	uint32_t i;
	int h = tui_head(t, V_SUMMARY) - 1;

	if (t->sum_drill[0]) {
		snprintf(buf, sizeof(buf), "slowest syscall of the slowest "
			 "process, into the kernel: %s", t->sum_drill);
		tui_put_text(1, 0, COLS, buf, A_BOLD);
	}
	snprintf(title, sizeof(title), "%s",
		 kf_summary_columns(&t->sum));
	tui_put_text(h, 0, COLS, title, A_BOLD | A_UNDERLINE);
	{
		/* underline the column it is sorted by, harder */
		const char *p = strstr(title, cols[t->sum.sort]);

		if (p)
			mvchgat(h, p - title, strlen(cols[t->sum.sort]),
				A_BOLD | A_UNDERLINE | A_REVERSE, 0, NULL);
	}
	for (i = t->sum.cur.top; i < t->sum.nrows && i - t->sum.cur.top <
	     (uint32_t)tui_body_lines(t); i++) {
		int y = h + 1 + (i - t->sum.cur.top);
		attr_t a = i == t->sum.cur.row ? A_REVERSE : A_NORMAL;

		kf_summary_line(&t->sum, i, buf, sizeof(buf));
		if (a)
			mvhline(y, 0, ' ' | A_REVERSE, COLS);
		tui_put_text(y, 0, COLS, buf, a);
	}
	if (!t->sum.nrows)
		tui_put_text(h + 2, 2, COLS - 2, t->sum.names ?
			     "no syscalls were recorded" :
			     "no kernel functions were recorded", A_DIM);
}

/* The drill-down line of a boundary capture's summary. */
static int summary_more_head(struct kf_tui *t)
{
	return t->sum_drill[0] != '\0';
}

static struct kf_cursor *summary_cursor(struct kf_tui *t, uint32_t *nrows)
{
	*nrows = t->sum.nrows;
	return &t->sum.cur;
}

static void summary_status(struct kf_tui *t, char *buf, size_t len)
{
	snprintf(buf, len, "  %s", t->sum_what);
}

static void summary_act(struct kf_tui *t, enum kf_action a)
{
	/* s and the column key both move to the next column */
	if (a == KF_ACT_SORT)
		kf_summary_sort(&t->sum, (t->sum.sort + 1) % 6);
}

static int summary_write(struct kf_tui *t, FILE *f)
{
	return kf_summary_write(f, &t->sum);
}

const struct tui_view_ops tui_summary_view = {
	.name = "Summary", .head = 2, .more_head = summary_more_head,
	.file = "kfollow-summary.txt",
	.cursor = summary_cursor, .draw = draw_summary, .act = summary_act,
	.status = summary_status,
	.write = summary_write,
};
