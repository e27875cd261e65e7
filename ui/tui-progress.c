// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tui-progress.c - the progress screen, before a capture has trees: a
 * --vm run spends a minute fetching, building and booting, and arming
 * function_graph can take seconds, so the screen says which stage is on
 * and how long each took rather than stay blank.
 */
#include <stdio.h>
#include <string.h>

#include "kf_common.h"
#include "kf_progress.h"
#include "tui-int.h"

void tui_progress_note(struct kf_tui *t, const struct kf_progress *p)
{
	enum kf_stage s = p->stage;

	if ((unsigned)s >= KF_STAGE_N)
		return;
	if (!(t->pg.seen & (1u << s))) {
		/* the stage before ends as this one begins */
		if (t->pg.seen & (1u << t->pg.cur))
			t->pg.took[t->pg.cur] = p->total_ns - p->stage_ns -
						t->pg.began[t->pg.cur];
		t->pg.seen |= 1u << s;
		t->pg.began[s] = p->total_ns - p->stage_ns;
	}
	t->pg.cur = s;
	t->pg.total_ns = p->total_ns;
	kf_progress_text(t->pg.text[s], sizeof(t->pg.text[s]), p);
}

/* One stage's line at row y: mark, words, its time on the right. */
static void draw_stage(struct kf_tui *t, int y, enum kf_stage s)
{
	int seen = !!(t->pg.seen & (1u << s)), now = seen && s == t->pg.cur;
	const char *mark = now ? "[>]" : seen ? "[x]" : "[ ]";
	attr_t a = now ? A_BOLD : seen ? A_NORMAL :
		   tui_pair(t, C_DIM, A_DIM);
	char secs[32] = "";
	int tw = COLS - 16;

	tui_put_text(y, 4, 4, mark, a);
	tui_put_text(y, 8, tw > 8 ? tw - 8 : 1, seen ? t->pg.text[s] :
		     kf_stage_name(s), a);
	if (now)
		kf_progress_secs(secs, sizeof(secs),
				 t->pg.total_ns - t->pg.began[s]);
	else if (seen)
		kf_progress_secs(secs, sizeof(secs), t->pg.took[s]);
	if (secs[0] && tw > 8)
		tui_put_text(y, COLS - 2 - (int)strlen(secs), (int)strlen(secs),
			     secs, a);
}

void tui_progress_draw(struct kf_tui *t)
{
	enum kf_stage first = t->o.vm ? KF_STAGE_INITRAMFS : KF_STAGE_SETUP;
	enum kf_stage last = t->o.vm ? KF_STAGE_RESULTS : KF_STAGE_TRACE;
	char buf[512], secs[32];
	int y = 2, s;

	attrset(tui_pair(t, C_TITLE, A_REVERSE));
	mvhline(0, 0, ' ', COLS);
	snprintf(buf, sizeof(buf), " kfollow  %s", t->o.title ? t->o.title :
		 "");
	tui_put_text(0, 0, COLS, buf, tui_pair(t, C_TITLE, A_REVERSE));
	attrset(A_NORMAL);
	tui_put_text(y++, 2, COLS - 4, t->o.vm ?
		     "Getting a VM ready to trace in; the calls show once "
		     "they are traced" :
		     "Getting the capture ready; the calls show once they "
		     "are traced", A_BOLD);
	y++;
	for (s = first; s <= (int)last && y < LINES - 2; s++)
		draw_stage(t, y++, s);
	mvhline(LINES - 1, 0, ' ', COLS);
	snprintf(buf, sizeof(buf), " %s so far",
		 kf_progress_secs(secs, sizeof(secs), t->pg.total_ns));
	tui_put_text(LINES - 1, 0, COLS - 10, buf, A_NORMAL);
	tui_put_text(LINES - 1, COLS - 8, 8, "q stop ", A_DIM);
}
