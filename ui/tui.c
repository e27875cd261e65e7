// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tui.c - the ncurses front end (kf_tui.h).  It draws the rows the view
 * model gives it and maps keys through the key table; the logic of
 * folding, sorting, searching and aligning lives in view.c/viewtree.c,
 * where the unit tests reach it.
 *
 * Screen: a title line, one or two header lines, the rows, a status line.
 * The screen opens lazily (first tick or kf_tui_run), so errors found while
 * setting up a capture print on a normal terminal.  While it is open,
 * stderr goes to a temporary file, printed when the screen closes: notes
 * from the capture must not scribble over the screen, and must not be lost.
 */
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "kf_common.h"
#include "kf_decode.h"
#include "kf_keys.h"
#include "kf_tui.h"
#include "kf_view.h"

enum view { V_LIST, V_TREE, V_SUMMARY, V_DIFF, V_HELP };

static const char *const view_names[] = { "Invocations", "Tree", "Summary",
					  "Diff", "Help" };

/* colour pairs */
enum {
	C_TITLE = 1, C_FAIL, C_WARN, C_HEAT1, C_HEAT2, C_HEAT3, C_ADDED,
	C_GONE, C_SLOWER, C_FASTER, C_MATCH, C_IRQ, C_BAR, C_DIM,
};

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
	char **help;          /* the help screen's lines */
	int nhelp;
	struct kf_cursor help_cur;
	uint32_t mark;        /* invocation marked for a diff, or KF_NONE */
	char *search;         /* last search text (list) */

	/* the prompt on the status line (/, f, w), or ASK_NONE: keys go to
	 * it, while a live capture goes on draining between keys */
	struct {
		enum ask { ASK_NONE, ASK_SEARCH, ASK_FILTER, ASK_MIN_DUR,
			   ASK_WRITE } kind;
		const char *label;
		char buf[256];
		size_t n;
		int fresh;    /* the proposed value shows selected */
	} ask;

	struct kf_capture_progress prog;
	int live;             /* a capture is running */
	char stopped[128];    /* why tracing ended, for the status line */
	char msg[256];        /* one-line message, cleared by the next key */
	int quit;
	int follow;           /* End pressed in the list: stay on the newest */
	uint32_t ncalls_drawn;
};

static volatile sig_atomic_t tui_signal;

static void on_signal(int sig)
{
	tui_signal = sig;
}

/* ---- text on the screen ----------------------------------------------- */

/*
 * Draw UTF-8 text at (y, x), at most `width` columns, with attributes a.
 * Bytes that are not valid in the locale show as '?'.  Returns the columns
 * used.
 */
static int put_text(int y, int x, int width, const char *s, attr_t a)
{
	mbstate_t ps;
	wchar_t wbuf[512];
	int used = 0, n = 0;

	memset(&ps, 0, sizeof(ps));
	while (*s && n < (int)(sizeof(wbuf) / sizeof(wbuf[0])) - 1) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s, strlen(s), &ps);
		int w;

		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			memset(&ps, 0, sizeof(ps));
			wc = L'?';
			k = 1;
		}
		w = wcwidth(wc);
		if (w < 0) {
			wc = L'?';
			w = 1;
		}
		if (used + w > width)
			break;
		wbuf[n++] = wc;
		used += w;
		s += k;
	}
	wbuf[n] = L'\0';
	attrset(a);
	mvaddnwstr(y, x, wbuf, n);
	attrset(A_NORMAL);
	return used;
}

static attr_t pair(struct kf_tui *t, int p, attr_t mono)
{
	return t->color ? COLOR_PAIR(p) : mono;
}

static attr_t heat_attr(struct kf_tui *t, char heat)
{
	switch (heat) {
	case '+': return pair(t, C_HEAT1, A_NORMAL);
	case '!': return pair(t, C_HEAT2, A_BOLD);
	case '#': case '*': return pair(t, C_HEAT3, A_BOLD) | A_BOLD;
	case '@': case '$': return pair(t, C_HEAT3, A_BOLD) | A_BOLD |
			    A_REVERSE;
	default: return A_NORMAL;
	}
}

/* ---- opening and closing the screen ------------------------------------ */

static void keep_stderr(struct kf_tui *t)
{
	char tmpl[] = "/tmp/kfollow-stderr-XXXXXX";

	fflush(stderr);
	t->err_fd = mkostemp(tmpl, O_CLOEXEC);
	if (t->err_fd < 0)
		return;
	unlink(tmpl);
	t->saved_err = fcntl(2, F_DUPFD_CLOEXEC, 3);
	if (t->saved_err < 0 || dup2(t->err_fd, 2) < 0) {
		close(t->err_fd);
		t->err_fd = -1;
		if (t->saved_err >= 0)
			close(t->saved_err);
		t->saved_err = -1;
	}
}

static void give_back_stderr(struct kf_tui *t)
{
	char buf[4096];
	ssize_t n;

	if (t->saved_err < 0)
		return;
	fflush(stderr);
	dup2(t->saved_err, 2);
	close(t->saved_err);
	t->saved_err = -1;
	if (lseek(t->err_fd, 0, SEEK_SET) == 0)
		while ((n = read(t->err_fd, buf, sizeof(buf))) > 0)
			if (write(2, buf, n) != n)
				break;
	close(t->err_fd);
	t->err_fd = -1;
}

static void init_colors(struct kf_tui *t)
{
	const char *nc = getenv("NO_COLOR");

	t->color = 0;
	/* https://no-color.org: present and not empty */
	if ((nc && *nc) || !has_colors() || start_color() == ERR)
		return;
	use_default_colors();
	init_pair(C_TITLE, COLOR_BLACK, COLOR_CYAN);
	init_pair(C_FAIL, COLOR_RED, -1);
	init_pair(C_WARN, COLOR_YELLOW, -1);
	init_pair(C_HEAT1, COLOR_GREEN, -1);
	init_pair(C_HEAT2, COLOR_YELLOW, -1);
	init_pair(C_HEAT3, COLOR_RED, -1);
	init_pair(C_ADDED, COLOR_GREEN, -1);
	init_pair(C_GONE, COLOR_RED, -1);
	init_pair(C_SLOWER, COLOR_YELLOW, -1);
	init_pair(C_FASTER, COLOR_CYAN, -1);
	init_pair(C_MATCH, COLOR_MAGENTA, -1);
	init_pair(C_IRQ, COLOR_CYAN, -1);
	init_pair(C_BAR, COLOR_BLUE, -1);
	init_pair(C_DIM, COLOR_BLUE, -1);
	t->color = 1;
}

static void set_pages(struct kf_tui *t);

static int screen_open(struct kf_tui *t)
{
	const char *term = getenv("TERM");

	if (t->open)
		return 0;
	keep_stderr(t);
	t->scr = newterm(NULL, stdout, stdin);
	if (!t->scr) {
		give_back_stderr(t);
		return kf_err(KF_EXIT_UNAVAILABLE, "cannot start the screen on "
			      "terminal type '%s': use --batch",
			      term ? term : "(TERM unset)");
	}
	set_term(t->scr);
	cbreak();       /* Ctrl-C and Ctrl-Z still signal */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
		  | BUTTON5_PRESSED
#endif
		  , NULL);
	mouseinterval(150);
	init_colors(t);
	t->open = 1;
	set_pages(t);
	return 0;
}

static void screen_close(struct kf_tui *t)
{
	if (!t->open)
		return;
	endwin();
	delscreen(t->scr);
	t->scr = NULL;
	t->open = 0;
	fflush(stdout);
	give_back_stderr(t);
}

/* A crash with the screen up would leave the terminal in raw mode. */
static struct kf_tui *crash_tui;

static void on_crash(int sig)
{
	if (crash_tui && crash_tui->open)
		endwin();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* ---- layout ---------------------------------------------------------------- */

/* Rows above the list of rows: title, then one or two header lines. */
static int head_lines(const struct kf_tui *t)
{
	return t->view == V_TREE || t->view == V_DIFF ? 3 :
	       t->view == V_HELP ? 1 : 2;
}

static int body_lines(const struct kf_tui *t)
{
	int n = LINES - head_lines(t) - 1;

	return n > 1 ? n : 1;
}

static void set_pages(struct kf_tui *t)
{
	enum view v = t->view;

	t->view = V_LIST;
	t->list.cur.page = body_lines(t);
	t->view = V_SUMMARY;
	t->sum.cur.page = body_lines(t);
	t->view = V_HELP;
	t->help_cur.page = body_lines(t);
	t->view = V_TREE;
	t->tree.cur.page = body_lines(t);
	t->diff.cur.page = body_lines(t);
	t->view = v;
	kf_cursor_clamp(&t->list.cur, t->list.nrows);
	if (t->tree_call != KF_NONE)
		kf_cursor_clamp(&t->tree.cur, t->tree.nrows);
	if (t->diff_on)
		kf_cursor_clamp(&t->diff.cur, t->diff.nrows);
	if (t->sum_on)
		kf_cursor_clamp(&t->sum.cur, t->sum.nrows);
	kf_cursor_clamp(&t->help_cur, t->nhelp);
}

static struct kf_cursor *cursor(struct kf_tui *t, uint32_t *nrows)
{
	switch (t->view) {
	case V_TREE: *nrows = t->tree.nrows; return &t->tree.cur;
	case V_DIFF: *nrows = t->diff.nrows; return &t->diff.cur;
	case V_SUMMARY: *nrows = t->sum.nrows; return &t->sum.cur;
	case V_HELP: *nrows = t->nhelp; return &t->help_cur;
	default: *nrows = t->list.nrows; return &t->list.cur;
	}
}

/* ---- drawing ------------------------------------------------------------------ */

static void draw_title(struct kf_tui *t)
{
	char buf[512];
	int i, w = 0, px;

	attrset(pair(t, C_TITLE, A_REVERSE));
	mvhline(0, 0, ' ', COLS);
	/* the views on the right, the current one bold; the title gets what
	 * is left (a narrow screen drops the views instead) */
	for (i = 0; i <= V_DIFF; i++)
		w += strlen(view_names[i]) + 2;
	px = COLS - w;
	snprintf(buf, sizeof(buf), " kfollow  %s", t->o.title ? t->o.title :
		 "");
	put_text(0, 0, px >= 24 ? px - 1 : COLS, buf,
		 pair(t, C_TITLE, A_REVERSE));
	if (px < 24) {
		attrset(A_NORMAL);
		return;
	}
	for (i = 0; i <= V_DIFF; i++) {
		int on = (int)t->view == i ||
			 (t->view == V_HELP && (int)t->back == i);
		int avail = (i == V_TREE && t->tree_call != KF_NONE) ||
			    (i == V_DIFF && t->diff_on) || i == V_LIST ||
			    i == V_SUMMARY;

		snprintf(buf, sizeof(buf), " %s ", view_names[i]);
		put_text(0, px, COLS - px, buf, pair(t, C_TITLE, A_REVERSE) |
			 (on ? A_BOLD | A_UNDERLINE : 0) |
			 (avail ? 0 : A_DIM));
		px += strlen(view_names[i]) + 2;
	}
	attrset(A_NORMAL);
}

static void fmt_secs(char *buf, size_t len, uint64_t ns)
{
	snprintf(buf, len, "%.1f s", ns / 1e9);
}

static void draw_status(struct kf_tui *t)
{
	char left[512], right[256], el[32] = "";
	uint32_t nrows, y = LINES - 1;
	struct kf_cursor *c = cursor(t, &nrows);
	size_t lw;
	int rw, v;

	mvhline(y, 0, ' ', COLS);
	if (t->msg[0]) {
		snprintf(left, sizeof(left), " %s", t->msg);
	} else {
		snprintf(left, sizeof(left), " %u/%u", nrows ? c->row + 1 : 0,
			 nrows);
		if (t->view == V_LIST) {
			size_t n = strlen(left);

			snprintf(left + n, sizeof(left) - n, " invocations%s%s%s"
				 "%s", t->list.sort == KF_LIST_BY_DURATION ?
				 "  by duration" : "", t->list.filter ?
				 "  filter: " : "", t->list.filter ?
				 t->list.filter : "", t->mark != KF_NONE ?
				 "  (one marked for a diff)" : "");
		} else if (t->view == V_TREE) {
			size_t n = strlen(left);
			struct kf_row r = { 0 };
			char d[32] = "";

			if (t->tree.min_dur)
				kf_view_fmt_dur(d, sizeof(d), t->tree.min_dur);
			/* narrow: the selected row's layer, as its column is
			 * gone */
			if (t->tree.hide_layer && nrows)
				kf_tree_row(&t->tree, c->row, &r);
			char lay[256];

			kf_escape(lay, sizeof(lay), r.layer);
			snprintf(left + n, sizeof(left) - n, " rows%s%s%s%s%s",
				 r.layer ? "  " : "", lay,
				 t->tree.sort == KF_TREE_BY_TIME ?
				 "  children by time" : "",
				 d[0] ? "  hiding under " : "", d);
		}
	}
	lw = strlen(left);
	if (t->live)
		fmt_secs(el, sizeof(el), t->prog.elapsed_ns);
	/* the counters on the right, shortened until the left part fits:
	 * first the key hints go, then the words */
	for (v = 0; v < 3; v++) {
		const char *keys = v ? "" : t->live ? "  ? help  q stop" :
				   t->view == V_LIST ? "  ? help  q quit" :
				   "  ? help  q back";

		if (t->live && v < 2)
			snprintf(right, sizeof(right), "%s %s  %llu events  "
				 "%llu lost%s ", t->prog.tracing ? "TRACING" :
				 "stopping", el,
				 (unsigned long long)t->prog.events,
				 (unsigned long long)t->prog.lost, keys);
		else if (t->live)
			snprintf(right, sizeof(right), "%s %llu lost ",
				 t->prog.tracing ? "TRACING" : "stopping",
				 (unsigned long long)t->prog.lost);
		else if (v < 2)
			snprintf(right, sizeof(right), "%s%s%llu events  "
				 "%llu lost%s ", t->stopped,
				 t->stopped[0] ? "  " : "",
				 (unsigned long long)t->m->meta.events,
				 (unsigned long long)t->m->meta.lost, keys);
		else
			snprintf(right, sizeof(right), "%llu lost ",
				 (unsigned long long)t->m->meta.lost);
		if (strlen(right) + lw + 2 <= (size_t)COLS)
			break;
	}
	rw = strlen(right);
	if (rw > COLS)
		rw = COLS;
	put_text(y, 0, COLS - rw - 1, left, t->msg[0] ? A_BOLD : A_NORMAL);
	put_text(y, COLS - rw, rw, right, t->live && t->prog.lost ?
		 pair(t, C_WARN, A_BOLD) : A_DIM);
}

static void draw_list(struct kf_tui *t)
{
	char buf[1024];
	struct kf_list *l = &t->list;
	uint32_t i, y0 = 2;

	kf_list_columns(l, buf, sizeof(buf));
	put_text(1, 0, COLS, buf, A_BOLD | A_UNDERLINE);
	if (!l->nrows) {
		put_text(y0 + 1, 2, COLS - 2, t->live ?
			 "waiting for the first invocation..." :
			 l->filter ? "no invocation matches the filter "
			 "(f, then Enter on an empty line, shows all)" :
			 "no invocation was captured", A_DIM);
		return;
	}
	for (i = l->cur.top; i < l->nrows && i - l->cur.top <
	     (uint32_t)body_lines(t); i++) {
		struct kf_list_row r;
		attr_t a = A_NORMAL;
		int y = y0 + (i - l->cur.top);

		kf_list_row(l, i, &r);
		kf_list_line(l, i, buf, sizeof(buf));
		if (r.failed)
			a = pair(t, C_FAIL, A_BOLD);
		else if (r.incomplete)
			a = pair(t, C_WARN, A_NORMAL);
		if (i == l->cur.row)
			a |= A_REVERSE;
		if (i == l->cur.row)
			mvhline(y, 0, ' ' | A_REVERSE, COLS);
		put_text(y, 0, COLS, buf, a);
		if (r.call == t->mark)
			put_text(y, 0, 1, "m", a | A_BOLD);
		if (r.heat != ' ' && COLS > 14)
			mvchgat(y, 14, 1, heat_attr(t, r.heat) |
				(i == l->cur.row ? A_REVERSE : 0),
				PAIR_NUMBER(heat_attr(t, r.heat)), NULL);
	}
}

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

static void draw_tree(struct kf_tui *t, struct kf_tree *tr)
{
	char buf[2048], head[2048 + 64];
	uint32_t i, y0 = 3;
	int diff = tr->call_b != KF_NONE, lines = body_lines(t);

	if (diff) {
		const struct kf_call *ca = &t->m->calls[tr->call];
		const struct kf_call *cb = &t->m->calls[tr->call_b];
		char b[512], da[32], db[32], comm[80];
		int x;

		kf_decode_header(t->m, ca, head, sizeof(head));
		kf_decode_header(t->m, cb, b, sizeof(b));
		if (!strcmp(head, b)) {
			/* the same call twice (a cold and a warm open): say
			 * who and how long, then the call once */
			kf_view_fmt_dur(da, sizeof(da), ca->end > ca->start ?
					ca->end - ca->start : 0);
			kf_view_fmt_dur(db, sizeof(db), cb->end > cb->start ?
					cb->end - cb->start : 0);
			snprintf(b, sizeof(b), "A: %s[%d] %s",
				 kf_escape(comm, sizeof(comm), kf_strtab_get(
					 &t->m->strs, ca->comm)), ca->pid, da);
			x = put_text(1, 0, COLS, b, pair(t, C_GONE, A_BOLD));
			snprintf(b, sizeof(b), "  B: %s[%d] %s",
				 kf_escape(comm, sizeof(comm), kf_strtab_get(
					 &t->m->strs, cb->comm)), cb->pid, db);
			x += put_text(1, x, COLS - x, b,
				      pair(t, C_ADDED, A_BOLD));
			x += put_text(1, x, COLS - x, "  ", A_BOLD);
			put_text(1, x, COLS - x, head, A_BOLD);
		} else {
			kf_view_call_header(t->m, tr->call, b, sizeof(b));
			snprintf(head, sizeof(head), "A: %s", b);
			put_text(1, 0, COLS / 2, head, pair(t, C_GONE, A_BOLD));
			kf_view_call_header(t->m, tr->call_b, b, sizeof(b));
			snprintf(head, sizeof(head), "B: %s", b);
			put_text(1, COLS / 2, COLS - COLS / 2, head,
				 pair(t, C_ADDED, A_BOLD));
		}
	} else {
		kf_view_call_header(t->m, tr->call, head, sizeof(head));
		put_text(1, 0, COLS, head, A_BOLD);
	}
	kf_tree_columns(tr, buf, sizeof(buf));
	if (!diff && strlen(buf) > SHARE_END) {
		snprintf(head, sizeof(head), "%.*s %-*s%s", SHARE_END, buf,
			 BAR_COLS - 1, "", buf + SHARE_END);
		put_text(2, 0, COLS, head, A_BOLD | A_UNDERLINE);
	} else {
		put_text(2, 0, COLS, buf, A_BOLD | A_UNDERLINE);
	}
	if (!tr->nrows) {
		const struct kf_call *c = &t->m->calls[tr->call];

		put_text(y0 + 1, 2, COLS - 2, c->flags & KF_CALL_OPEN ?
			 "still running: its tree shows once it returns" :
			 t->m->meta.degraded ?
			 "no tree: function_graph was unavailable, only the "
			 "syscall's boundary was traced" :
			 "no kernel functions were recorded for this call",
			 A_DIM);
		return;
	}
	for (i = tr->cur.top; i < tr->nrows && i - tr->cur.top <
	     (uint32_t)lines; i++) {
		struct kf_row r;
		int y = y0 + (i - tr->cur.top), sel = i == tr->cur.row;
		attr_t a = A_NORMAL, sa = sel ? A_REVERSE : 0;
		size_t n;

		kf_tree_row(tr, i, &r);
		n = kf_tree_line(tr, i, buf, sizeof(buf), t->o.ascii);
		(void)n;
		if (sel)
			mvhline(y, 0, ' ' | A_REVERSE, COLS);
		if (diff) {
			if (r.kind == KF_ROW_ONLY_A)
				a = pair(t, C_GONE, A_DIM);
			else if (r.kind == KF_ROW_ONLY_B)
				a = pair(t, C_ADDED, A_BOLD);
			else if (r.slower > 0)
				a = pair(t, C_SLOWER, A_BOLD);
			else if (r.slower < 0)
				a = pair(t, C_FASTER, A_NORMAL);
			put_text(y, 0, COLS, buf, a | sa);
			continue;
		}
		if (r.flags & (KF_NODE_NOENTRY | KF_NODE_NOEXIT |
			       KF_NODE_LOST | KF_NODE_OVERRUN | KF_NODE_CLOCK))
			a = pair(t, C_WARN, A_NORMAL);
		else if (r.flags & (KF_NODE_IRQ | KF_NODE_SOFTIRQ |
				    KF_NODE_NMI))
			a = pair(t, C_IRQ, A_DIM);
		if (strlen(buf) > SHARE_END + 2) {
			char bar[64];
			int x;

			put_text(y, 0, 1, buf, heat_attr(t, r.heat) | sa);
			x = 1 + put_text(y, 1, SHARE_END - 1, buf + 1, a | sa);
			bar_text(bar, sizeof(bar), r.hidden ? 0 : r.share,
				 t->o.ascii);
			mvhline(y, x, ' ' | sa, BAR_COLS);
			put_text(y, x + 1, BAR_COLS - 1, bar,
				 pair(t, C_BAR, A_NORMAL) | sa);
			x += BAR_COLS;
			if (r.matched && !r.hidden) {
				/* the name in the match colour, as the
				 * line shows it: escaped */
				char esc[1024];
				const char *name = strstr(buf + SHARE_END,
					kf_escape(esc, sizeof(esc), r.name));
				int pre = name ? (int)(name - buf) : 0;
				char *rest = buf + SHARE_END;

				if (name) {
					char save = buf[pre];

					buf[pre] = '\0';
					x += put_text(y, x, COLS - x, rest,
						      a | sa);
					buf[pre] = save;
					rest = buf + pre;
					x += put_text(y, x, COLS - x, rest,
						      pair(t, C_MATCH,
							   A_UNDERLINE) |
						      A_BOLD | sa);
					continue;
				}
			}
			put_text(y, x, COLS - x, buf + SHARE_END, (r.hidden ?
				 A_DIM : a) | sa);
		} else {
			put_text(y, 0, COLS, buf, a | sa);
		}
	}
}

static void draw_summary(struct kf_tui *t)
{
	static const char *const cols[] = { "calls", "total", "self",
					    "average", "max", "function" };
	char buf[1024], title[128];
	uint32_t i;

	snprintf(title, sizeof(title), "%s",
		 kf_summary_columns());
	put_text(1, 0, COLS, title, A_BOLD | A_UNDERLINE);
	{
		/* underline the column it is sorted by, harder */
		const char *p = strstr(title, cols[t->sum.sort]);

		if (p)
			mvchgat(1, p - title, strlen(cols[t->sum.sort]),
				A_BOLD | A_UNDERLINE | A_REVERSE, 0, NULL);
	}
	for (i = t->sum.cur.top; i < t->sum.nrows && i - t->sum.cur.top <
	     (uint32_t)body_lines(t); i++) {
		int y = 2 + (i - t->sum.cur.top);
		attr_t a = i == t->sum.cur.row ? A_REVERSE : A_NORMAL;

		kf_summary_line(&t->sum, i, buf, sizeof(buf));
		if (a)
			mvhline(y, 0, ' ' | A_REVERSE, COLS);
		put_text(y, 0, COLS, buf, a);
	}
	if (!t->sum.nrows)
		put_text(3, 2, COLS - 2, "no kernel functions were recorded",
			 A_DIM);
}

static void draw_help(struct kf_tui *t)
{
	int i;

	for (i = t->help_cur.top; i < t->nhelp && i - (int)t->help_cur.top <
	     body_lines(t); i++)
		put_text(1 + i - t->help_cur.top, 0, COLS, t->help[i],
			 t->help[i][0] && t->help[i][0] != ' ' ? A_BOLD :
			 A_NORMAL);
}

/* The open prompt on the status line, the cursor after its text. */
static void draw_ask(struct kf_tui *t)
{
	int y = LINES - 1, px;

	mvhline(y, 0, ' ', COLS);
	px = put_text(y, 0, COLS, t->ask.label, A_BOLD);
	put_text(y, px, COLS - px - 1, t->ask.buf, t->ask.fresh ? A_REVERSE :
		 A_NORMAL);
	move(y, px + (int)t->ask.n < COLS ? px + (int)t->ask.n : COLS - 1);
}

static void draw(struct kf_tui *t)
{
	if (!t->open)
		return;
	erase();
	if (LINES < 6 || COLS < 30) {
		put_text(0, 0, COLS, "kfollow: the terminal is too small", 0);
		refresh();
		return;
	}
	/* under 100 columns the call and the function name need the room */
	t->list.hide_cpu = COLS < 100;
	t->tree.hide_layer = COLS < 100;
	t->diff.hide_layer = COLS < 100;
	draw_title(t);
	switch (t->view) {
	case V_LIST: draw_list(t); break;
	case V_TREE: draw_tree(t, &t->tree); break;
	case V_DIFF: draw_tree(t, &t->diff); break;
	case V_SUMMARY: draw_summary(t); break;
	case V_HELP: draw_help(t); break;
	}
	if (t->ask.kind)
		draw_ask(t); /* last: the cursor stays in it */
	else
		draw_status(t);
	refresh();
}

static void say(struct kf_tui *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- prompts ------------------------------------------------------------------ */

/*
 * A prompt is state, not a loop of its own: keys reach it through handle()
 * like any other, so a live capture's tick keeps draining the ring buffer
 * (and sleeping between ticks) while the user types.
 */
static void ask_open(struct kf_tui *t, enum ask kind, const char *label,
		     const char *init)
{
	t->ask.kind = kind;
	t->ask.label = label;
	snprintf(t->ask.buf, sizeof(t->ask.buf), "%s", init ? init : "");
	t->ask.n = strlen(t->ask.buf);
	/* a proposed value shows selected: typing replaces it, editing keys
	 * keep it */
	t->ask.fresh = t->ask.n > 0;
	curs_set(1);
}

static void ask_close(struct kf_tui *t)
{
	t->ask.kind = ASK_NONE;
	curs_set(0);
}

static void ask_done(struct kf_tui *t, enum ask kind, char *text);

/* A key for the open prompt: Enter accepts, Esc or ^G cancels. */
static void ask_key(struct kf_tui *t, int ch)
{
	char *buf = t->ask.buf;
	enum ask kind = t->ask.kind;

	if (ch == 27 || ch == 7 /* ^G */) {
		ask_close(t);
		return;
	}
	if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
		char *text = strdup(buf);

		ask_close(t);
		if (!text)
			say(t, "out of memory");
		else
			ask_done(t, kind, text);
		return;
	}
	if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
		/* drop a whole UTF-8 character */
		while (t->ask.n > 0 && (buf[--t->ask.n] & 0xc0) == 0x80)
			;
		buf[t->ask.n] = '\0';
	} else if (ch == 21 /* ^U */) {
		t->ask.n = 0;
		buf[0] = '\0';
	} else if (ch >= 32 && ch < 256 && t->ask.n + 1 < sizeof(t->ask.buf)) {
		if (t->ask.fresh)
			t->ask.n = 0;
		buf[t->ask.n++] = (char)ch;
		buf[t->ask.n] = '\0';
	}
	t->ask.fresh = 0;
}

/* ---- actions ------------------------------------------------------------------ */

static void say(struct kf_tui *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof(t->msg), fmt, ap);
	va_end(ap);
}

static void say_err(struct kf_tui *t)
{
	say(t, "%s", kf_err_msg());
	kf_err_clear();
}

static void open_tree(struct kf_tui *t, uint32_t call)
{
	if (call == KF_NONE)
		return;
	if (t->tree_call != call) {
		struct kf_tree nt;

		/* unfolded to a depth that fits the screen's job: the path
		 * from the syscall down through the VFS */
		if (kf_tree_init(&nt, t->m, call, -1) < 0) {
			say_err(t);
			return;
		}
		if (t->tree_call != KF_NONE)
			kf_tree_release(&t->tree);
		t->tree = nt;
		t->tree_call = call;
		if (t->o.nlayers)
			kf_tree_set_layers(&t->tree, t->o.layers,
					   t->o.nlayers);
		if (t->o.min_duration)
			kf_tree_set_min_dur(&t->tree, t->o.min_duration);
	}
	t->view = V_TREE;
	set_pages(t);
}

static void open_summary(struct kf_tui *t, uint32_t call)
{
	struct kf_summary ns;

	if (t->sum_on && t->sum_call == call) {
		t->view = V_SUMMARY;
		return;
	}
	if (kf_summary_init(&ns, t->m, call) < 0) {
		say_err(t);
		return;
	}
	if (t->sum_on)
		kf_summary_release(&t->sum);
	t->sum = ns;
	t->sum_on = 1;
	t->sum_call = call;
	t->view = V_SUMMARY;
	set_pages(t);
	if (call == KF_NONE)
		say(t, "summary of the whole capture");
	else
		say(t, "summary of one invocation (S in the list: the whole "
		    "capture)");
}

/* The invocation the current view is about. */
static uint32_t current_call(struct kf_tui *t)
{
	if (t->view == V_TREE)
		return t->tree_call;
	if (t->view == V_DIFF)
		return t->diff.call_b;
	return kf_list_selected(&t->list);
}

static void open_diff(struct kf_tui *t)
{
	uint32_t b = current_call(t);
	struct kf_tree nt;

	if (t->mark == KF_NONE) {
		say(t, "mark an invocation with m first, then pick another "
		    "and press d");
		return;
	}
	if (b == KF_NONE || b == t->mark) {
		say(t, "pick another invocation to compare with the marked "
		    "one");
		return;
	}
	if (kf_tree_init_diff(&nt, t->m, t->mark, b) < 0) {
		say_err(t);
		return;
	}
	if (t->diff_on)
		kf_tree_release(&t->diff);
	t->diff = nt;
	t->diff_on = 1;
	if (t->o.nlayers)
		kf_tree_set_layers(&t->diff, t->o.layers, t->o.nlayers);
	t->view = V_DIFF;
	set_pages(t);
	say(t, "- only in A  + only in B  > B slower  < B faster");
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
				say(t, "search wrapped around");
			kf_cursor_set(&l->cur, n, r);
			return;
		}
	}
	say(t, "no invocation matches '%s'", text);
}

static void do_search(struct kf_tui *t, int ask, int dir)
{
	struct kf_tree *tr = t->view == V_DIFF ? &t->diff : &t->tree;
	int rc;

	if (ask) {
		ask_open(t, ASK_SEARCH, "/", NULL);
		return;
	}
	if (!t->search || !t->search[0]) {
		say(t, "nothing to search for: / and a function name");
		return;
	}
	if (t->view == V_LIST) {
		list_search(t, t->search, dir);
		return;
	}
	if (t->view != V_TREE && t->view != V_DIFF)
		return;
	rc = kf_tree_search(tr, t->search, dir);
	if (rc == -1)
		say(t, "no function matches '%s'", t->search);
	else if (rc == 1)
		say(t, "search wrapped around");
	else if (rc == -2)
		say_err(t);
}

static void do_filter(struct kf_tui *t)
{
	if (t->view == V_LIST) {
		ask_open(t, ASK_FILTER, "show invocations containing: ",
			 t->list.filter);
	} else if (t->view == V_TREE) {
		char cur[32] = "";

		if (t->tree.min_dur)
			kf_view_fmt_dur(cur, sizeof(cur), t->tree.min_dur);
		/* "12.345 us" -> "12.345us", which the parser takes */
		if (strchr(cur, ' '))
			memmove(strchr(cur, ' '), strchr(cur, ' ') + 1,
				strlen(strchr(cur, ' ')));
		ask_open(t, ASK_MIN_DUR, "hide calls shorter than (e.g. 5us; "
			 "empty: show all): ", cur);
	}
}

static void do_write(struct kf_tui *t)
{
	static const char *const def[] = { "kfollow-invocations.txt",
		"kfollow-tree.txt", "kfollow-summary.txt", "kfollow-diff.txt",
		"" };

	if (t->view == V_HELP)
		return;
	ask_open(t, ASK_WRITE, "write this view to: ", def[t->view]);
}

static void write_view(struct kf_tui *t, const char *path)
{
	FILE *f;
	int rc = -1;

	if (!path[0])
		return;
	f = kf_view_file_open(path);
	if (!f) {
		say_err(t);
		return;
	}
	switch (t->view) {
	case V_LIST: rc = kf_list_write(f, &t->list); break;
	case V_TREE: rc = kf_tree_write(f, &t->tree, t->o.ascii); break;
	case V_DIFF: rc = kf_tree_write(f, &t->diff, t->o.ascii); break;
	case V_SUMMARY: rc = kf_summary_write(f, &t->sum); break;
	default: break;
	}
	if (fclose(f) != 0)
		rc = -1;
	if (rc < 0)
		say(t, "cannot write '%s': %s", path, strerror(errno));
	else
		say(t, "wrote '%s'", path);
}

/* Enter in a prompt: text (malloc'd) is the answer, taken over here. */
static void ask_done(struct kf_tui *t, enum ask kind, char *text)
{
	uint64_t ns = 0;

	switch (kind) {
	case ASK_SEARCH:
		free(t->search);
		t->search = text;
		do_search(t, 0, 1);
		return;
	case ASK_FILTER:
		if (kf_list_filter(&t->list, text[0] ? text : NULL) < 0)
			say_err(t);
		break;
	case ASK_MIN_DUR:
		if (text[0] && kf_parse_duration(text, &ns) < 0)
			say_err(t);
		else
			kf_tree_set_min_dur(&t->tree, ns);
		break;
	case ASK_WRITE:
		write_view(t, text);
		break;
	case ASK_NONE:
		break;
	}
	free(text);
}

static void next_view(struct kf_tui *t)
{
	enum view v = t->view;

	for (int i = 0; i < 4; i++) {
		v = (v + 1) % 4;
		if (v == V_LIST || v == V_SUMMARY ||
		    (v == V_TREE && t->tree_call != KF_NONE) ||
		    (v == V_DIFF && t->diff_on))
			break;
	}
	if (v == V_SUMMARY && !t->sum_on) {
		open_summary(t, KF_NONE);
		return;
	}
	t->view = v;
	set_pages(t);
}

static void back(struct kf_tui *t)
{
	t->view = V_LIST;
	set_pages(t);
}

static void fold(struct kf_tui *t, enum kf_fold_op op)
{
	struct kf_tree *tr = t->view == V_DIFF ? &t->diff : &t->tree;

	if (t->view != V_TREE && t->view != V_DIFF)
		return;
	kf_tree_fold(tr, op);
}

/* Do what key k asks.  Returns 1 if the user asked to quit (or, live, to
 * stop tracing). */
static int act(struct kf_tui *t, int k)
{
	enum kf_action a = kf_key_action(k);
	struct kf_tree *tr = t->view == V_DIFF ? &t->diff : &t->tree;
	int in_tree = t->view == V_TREE || t->view == V_DIFF;
	uint32_t nrows;
	struct kf_cursor *c = cursor(t, &nrows);

	if (t->view == V_LIST)
		t->follow = a == KF_ACT_END || (t->follow && a == KF_ACT_NONE);
	if (t->view == V_HELP && a != KF_ACT_UP && a != KF_ACT_DOWN &&
	    a != KF_ACT_PGUP && a != KF_ACT_PGDN && a != KF_ACT_HOME &&
	    a != KF_ACT_END) {
		t->view = t->back;
		set_pages(t);
		return 0;
	}
	switch (a) {
	case KF_ACT_UP: kf_cursor_move(c, nrows, -1); break;
	case KF_ACT_DOWN: kf_cursor_move(c, nrows, 1); break;
	case KF_ACT_PGUP: kf_cursor_move(c, nrows, -(int64_t)c->page); break;
	case KF_ACT_PGDN: kf_cursor_move(c, nrows, c->page); break;
	case KF_ACT_HOME: kf_cursor_move(c, nrows, KF_CURSOR_HOME); break;
	case KF_ACT_END: kf_cursor_move(c, nrows, KF_CURSOR_END); break;
	case KF_ACT_OPEN:
		if (t->view == V_LIST)
			open_tree(t, kf_list_selected(&t->list));
		else
			fold(t, KF_TOGGLE);
		break;
	case KF_ACT_TOGGLE: fold(t, KF_TOGGLE); break;
	case KF_ACT_UNFOLD:
		if (t->view == V_LIST)
			open_tree(t, kf_list_selected(&t->list));
		else
			fold(t, KF_UNFOLD);
		break;
	case KF_ACT_FOLD:
		if (in_tree)
			fold(t, KF_FOLD);
		break;
	case KF_ACT_EXPAND_ALL:
		if (in_tree)
			kf_tree_expand_all(tr);
		break;
	case KF_ACT_COLLAPSE_ALL:
		if (in_tree)
			kf_tree_collapse_all(tr);
		break;
	case KF_ACT_HOT:
		if (t->view == V_LIST)
			open_tree(t, kf_list_selected(&t->list));
		if (t->view == V_TREE || t->view == V_DIFF)
			if (kf_tree_hot_path(t->view == V_DIFF ? &t->diff :
					     &t->tree) == 0)
				say(t, "the hottest path: the heaviest child "
				    "at every level");
		break;
	case KF_ACT_PARENT:
		if (in_tree && kf_tree_parent(tr) < 0)
			say(t, "at the top");
		break;
	case KF_ACT_SORT:
		if (t->view == V_LIST) {
			if (kf_list_sort(&t->list, t->list.sort ==
					 KF_LIST_BY_TIME ? KF_LIST_BY_DURATION :
					 KF_LIST_BY_TIME) < 0)
				say_err(t);
		} else if (in_tree) {
			if (kf_tree_set_sort(tr, tr->sort ==
					     KF_TREE_BY_CALL_ORDER ?
					     KF_TREE_BY_TIME :
					     KF_TREE_BY_CALL_ORDER) < 0)
				say_err(t);
			else
				say(t, "children %s", tr->sort ==
				    KF_TREE_BY_TIME ? "by time, longest first" :
				    "in call order");
		} else if (t->view == V_SUMMARY) {
			kf_summary_sort(&t->sum, (t->sum.sort + 1) % 6);
		}
		break;
	case KF_ACT_SORT_COL:
		if (t->view == V_SUMMARY)
			kf_summary_sort(&t->sum, (t->sum.sort + 1) % 6);
		break;
	case KF_ACT_SEARCH: do_search(t, 1, 1); break;
	case KF_ACT_NEXT: do_search(t, 0, 1); break;
	case KF_ACT_PREV: do_search(t, 0, -1); break;
	case KF_ACT_FILTER: do_filter(t); break;
	case KF_ACT_MARK: {
		uint32_t call = current_call(t);

		if (call != KF_NONE) {
			t->mark = call;
			say(t, "marked: now pick another invocation and "
			    "press d to compare");
		}
		break;
	}
	case KF_ACT_DIFF: open_diff(t); break;
	case KF_ACT_SUMMARY:
		open_summary(t, t->view == V_TREE ? t->tree_call : KF_NONE);
		break;
	case KF_ACT_WRITE: do_write(t); break;
	case KF_ACT_NEXT_VIEW: next_view(t); break;
	case KF_ACT_BACK: back(t); break;
	case KF_ACT_HELP:
		t->back = t->view;
		t->view = V_HELP;
		set_pages(t);
		break;
	case KF_ACT_QUIT:
		if (t->view != V_LIST) {
			back(t);
			break;
		}
		return 1;
	case KF_ACT_NONE:
		break;
	}
	return 0;
}

static void mouse(struct kf_tui *t)
{
	MEVENT ev;
	uint32_t nrows, row;
	struct kf_cursor *c = cursor(t, &nrows);
	int y0 = head_lines(t);

	if (getmouse(&ev) != OK)
		return;
	if (ev.bstate & BUTTON4_PRESSED) {
		kf_cursor_move(c, nrows, -3);
		return;
	}
#ifdef BUTTON5_PRESSED
	if (ev.bstate & BUTTON5_PRESSED) {
		kf_cursor_move(c, nrows, 3);
		return;
	}
#endif
	if (ev.y < y0 || ev.y >= LINES - 1)
		return;
	row = c->top + (ev.y - y0);
	if (row >= nrows)
		return;
	if (row == c->row || (ev.bstate & BUTTON1_DOUBLE_CLICKED)) {
		/* a click on the selected row: open or fold it */
		kf_cursor_set(c, nrows, row);
		act(t, KF_KEY_ENTER);
		return;
	}
	kf_cursor_set(c, nrows, row);
}

static int key_code(int ch)
{
	switch (ch) {
	case KEY_UP: return KF_KEY_UP;
	case KEY_DOWN: return KF_KEY_DOWN;
	case KEY_LEFT: return KF_KEY_LEFT;
	case KEY_RIGHT: return KF_KEY_RIGHT;
	case KEY_PPAGE: return KF_KEY_PGUP;
	case KEY_NPAGE: return KF_KEY_PGDN;
	case KEY_HOME: return KF_KEY_HOME;
	case KEY_END: return KF_KEY_END;
	case KEY_ENTER: case '\n': case '\r': return KF_KEY_ENTER;
	case KEY_BACKSPACE: case 127: case 8: return KF_KEY_BACKSPACE;
	case 27: return KF_KEY_ESC;
	case '\t': return KF_KEY_TAB;
	default: return ch;
	}
}

/* Handle one key read from the terminal.  Returns 1 to quit. */
static int handle(struct kf_tui *t, int ch)
{
	if (ch == ERR)
		return 0;
	t->msg[0] = '\0';
	if (ch == KEY_RESIZE) {
		set_pages(t);
		return 0;
	}
	if (t->ask.kind) {
		ask_key(t, ch);
		return 0;
	}
	if (ch == KEY_MOUSE) {
		mouse(t);
		return 0;
	}
	if (ch == 12 /* ^L */) {
		clearok(curscr, TRUE);
		return 0;
	}
	return act(t, key_code(ch));
}

/* ---- the help screen ---------------------------------------------------------- */

static int help_build(struct kf_tui *t)
{
	char *text = NULL, *p, *nl;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	fprintf(f, "Keys\n");
	kf_keys_write(f);
	fprintf(f, "\nMarks before a time (the kernel's function_graph "
		"overhead classes)\n"
		"  +  over 10 us    !  over 100 us   #  over 1 ms\n"
		"  *  over 10 ms    @  over 100 ms   $  over 1 s\n"
		"\nIn the list: x a failed call (negative return), ? "
		"incomplete (no return seen, events lost), m marked for a "
		"diff.\n"
		"In a tree: [irq] interrupts, [entry lost] [no return seen] "
		"[events lost] where data is missing.\n"
		"In a diff: - only in A, + only in B, > B slower, < B "
		"faster.\n"
		"\nMouse: click selects; a click on the selected row opens "
		"or folds it; the wheel scrolls.\n"
		"Any other key returns.\n");
	if (fclose(f) != 0) {
		free(text);
		return kf_err(KF_EXIT_OSERR, "out of memory");
	}
	for (p = text; *p; p = nl + 1) {
		char **nh = realloc(t->help, (t->nhelp + 1) * sizeof(*nh));

		if (!nh)
			break;
		t->help = nh;
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p) - 1;
		t->help[t->nhelp++] = strndup(p, nl - p);
		if (!nl[1])
			break;
	}
	free(text);
	return 0;
}

/* ---- the interface ------------------------------------------------------------ */

int kf_tui_possible(void)
{
	return isatty(0) && isatty(1);
}

struct kf_tui *kf_tui_new(struct kf_model *m, const struct kf_tui_opts *o)
{
	struct kf_tui *t = calloc(1, sizeof(*t));
	struct sigaction sa;

	if (!t) {
		kf_err(KF_EXIT_OSERR, "out of memory");
		return NULL;
	}
	t->m = m;
	t->o = *o;
	t->saved_err = t->err_fd = -1;
	t->tree_call = t->mark = t->sum_call = KF_NONE;
	t->view = t->back = V_LIST;
	t->help_cur.page = 20;
	if (kf_list_init(&t->list, m) < 0 || help_build(t) < 0) {
		kf_tui_free(t);
		return NULL;
	}
	/* ours before ncurses looks: it then leaves them alone, and a
	 * signal ends the UI through the normal path */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	crash_tui = t;
	signal(SIGSEGV, on_crash);
	signal(SIGBUS, on_crash);
	signal(SIGABRT, on_crash);
	signal(SIGFPE, on_crash);
	return t;
}

static void take_in(struct kf_tui *t)
{
	if (t->m->ncalls != t->ncalls_drawn) {
		int first = t->list.nrows == 0;

		if (kf_list_update(&t->list) < 0)
			say_err(t);
		t->ncalls_drawn = t->m->ncalls;
		if (first)
			kf_cursor_move(&t->list.cur, t->list.nrows,
				       KF_CURSOR_HOME);
		else if (t->follow)
			kf_cursor_move(&t->list.cur, t->list.nrows,
				       KF_CURSOR_END);
	}
}

int kf_tui_tick(struct kf_tui *t, const struct kf_capture_progress *p)
{
	int ch, stop = 0;

	if (!t->open && screen_open(t) < 0)
		return -1;
	t->live = 1;
	t->prog = *p;
	take_in(t);
	timeout(0);
	while (!stop && (ch = getch()) != ERR)
		stop = handle(t, ch);
	if (tui_signal)
		stop = 1;
	draw(t);
	return stop;
}

int kf_tui_run(struct kf_tui *t, const char *stopped)
{
	int ch;

	if (!t->open && screen_open(t) < 0)
		return -1;
	t->live = 0;
	snprintf(t->stopped, sizeof(t->stopped), "%s", stopped ? stopped : "");
	take_in(t);
	timeout(250);
	while (!t->quit) {
		draw(t);
		ch = getch();
		if (tui_signal)
			break;
		if (handle(t, ch))
			t->quit = 1;
	}
	return 0;
}

int kf_tui_signal(void)
{
	return tui_signal;
}

void kf_tui_free(struct kf_tui *t)
{
	int i;

	if (!t)
		return;
	screen_close(t);
	crash_tui = NULL;
	kf_list_release(&t->list);
	if (t->tree_call != KF_NONE)
		kf_tree_release(&t->tree);
	if (t->diff_on)
		kf_tree_release(&t->diff);
	if (t->sum_on)
		kf_summary_release(&t->sum);
	for (i = 0; i < t->nhelp; i++)
		free(t->help[i]);
	free(t->help);
	free(t->search);
	free(t);
}
