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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "kf_common.h"
#include "kf_explain.h"
#include "kf_procsum.h"
#include "tui-int.h"

const struct tui_view_ops *const tui_views[V_COUNT] = {
	[V_LIST] = &tui_list_view, [V_TREE] = &tui_tree_view,
	[V_SUMMARY] = &tui_summary_view, [V_DIFF] = &tui_diff_view,
	[V_HELP] = &tui_help_view,
};

/* The current view's operations. */
static const struct tui_view_ops *cur(const struct kf_tui *t)
{
	return tui_views[t->view];
}

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
int tui_put_text(int y, int x, int width, const char *s, attr_t a)
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

attr_t tui_pair(struct kf_tui *t, int p, attr_t mono)
{
	return t->color ? COLOR_PAIR(p) : mono;
}

attr_t tui_layer_attr(struct kf_tui *t, int color)
{
	if (!t->color || color <= 0 || !t->nlayer_colors)
		return A_NORMAL;
	return COLOR_PAIR(C_LAYER + (color - 1) % t->nlayer_colors);
}

attr_t tui_heat_attr(struct kf_tui *t, char heat)
{
	switch (heat) {
	case '+': return tui_pair(t, C_HEAT1, A_NORMAL);
	case '!': return tui_pair(t, C_HEAT2, A_BOLD);
	case '#': case '*': return tui_pair(t, C_HEAT3, A_BOLD) | A_BOLD;
	case '@': case '$': return tui_pair(t, C_HEAT3, A_BOLD) | A_BOLD |
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

/* The colour of each pair: foreground, background (-1: the terminal's). */
static const struct {
	short pair, fg, bg;
} pairs[] = {
	{ C_TITLE, COLOR_BLACK, COLOR_CYAN },
	{ C_FAIL, COLOR_RED, -1 },
	{ C_WARN, COLOR_YELLOW, -1 },
	{ C_HEAT1, COLOR_GREEN, -1 },
	{ C_HEAT2, COLOR_YELLOW, -1 },
	{ C_HEAT3, COLOR_RED, -1 },
	{ C_ADDED, COLOR_GREEN, -1 },
	{ C_GONE, COLOR_RED, -1 },
	{ C_SLOWER, COLOR_YELLOW, -1 },
	{ C_FASTER, COLOR_CYAN, -1 },
	{ C_MATCH, COLOR_MAGENTA, -1 },
	{ C_IRQ, COLOR_CYAN, -1 },
	{ C_BAR, COLOR_BLUE, -1 },
	{ C_DIM, COLOR_BLUE, -1 },
};

/*
 * The layers' palette, in the order layers get them (kf_layer_color): the
 * 6 colours every terminal has (black and white are the text's), their
 * bright sides with 16 colours, then 12 of xterm's 256 that read apart
 * from those: subsystems.preset has 21 layers.  A terminal with fewer
 * colours repeats them; the label tells them apart.
 */
static const short layer_fg[] = {
	COLOR_GREEN, COLOR_BLUE, COLOR_MAGENTA, COLOR_CYAN, COLOR_YELLOW,
	COLOR_RED, 8 + COLOR_GREEN, 8 + COLOR_BLUE, 8 + COLOR_MAGENTA,
	8 + COLOR_CYAN, 8 + COLOR_YELLOW, 8 + COLOR_RED,
	208, 141, 37, 172, 99, 162, 71, 75, 179, 167, 109, 143,
};

static void init_colors(struct kf_tui *t)
{
	const char *nc = getenv("NO_COLOR");
	size_t i;

	t->color = 0;
	/* https://no-color.org: present and not empty */
	if ((nc && *nc) || !has_colors() || start_color() == ERR)
		return;
	use_default_colors();
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		init_pair(pairs[i].pair, pairs[i].fg, pairs[i].bg);
	t->color = 1;
	t->nlayer_colors = 0;
	for (i = 0; i < sizeof(layer_fg) / sizeof(layer_fg[0]); i++) {
		if (layer_fg[i] >= COLORS || C_LAYER + (int)i >= COLOR_PAIRS)
			break;
		init_pair(C_LAYER + i, layer_fg[i], -1);
		t->nlayer_colors++;
	}
}

/*
 * SGR mouse reports (1006).  ncurses turns on the encoding its terminfo
 * entry names (kmous), X10 on most, so kfollow asks for SGR too and turns
 * it off wherever ncurses lets go of the terminal (endwin): the shell and
 * $PAGER must get the terminal as they left it.  write(2), since the
 * signal handlers need it too.
 */
static volatile sig_atomic_t sgr_on;    /* 1006 is on now */

static void sgr_write(int on)
{
	static const char seq[2][9] = { "\033[?1006l", "\033[?1006h" };

	if (write(STDOUT_FILENO, seq[on], 8) < 0) {
		/* a terminal gone away has no mode to restore */
	}
	sgr_on = on;
}

static void sgr_set(const struct kf_tui *t, int on)
{
	if (t->sgr && sgr_on != on)
		sgr_write(on);
}

/* ncurses' Ctrl-Z handler (endwin, stop, redraw), which ours wraps */
static struct sigaction nc_tstp;
static int tstp_wrapped;

static void on_tstp(int sig, siginfo_t *si, void *uc)
{
	int was = sgr_on, e = errno;

	if (was)
		sgr_write(0);
	if (nc_tstp.sa_flags & SA_SIGINFO)
		nc_tstp.sa_sigaction(sig, si, uc);
	else
		nc_tstp.sa_handler(sig);
	if (was)
		sgr_write(1);
	errno = e;
}

static void wrap_tstp(void)
{
	struct sigaction sa;

	/* ncurses installs one only where Ctrl-Z was left at its default */
	if (sigaction(SIGTSTP, NULL, &nc_tstp) < 0 ||
	    nc_tstp.sa_handler == SIG_DFL || nc_tstp.sa_handler == SIG_IGN)
		return;
	sa = nc_tstp;
	sa.sa_flags |= SA_SIGINFO;
	sa.sa_sigaction = on_tstp;
	tstp_wrapped = sigaction(SIGTSTP, &sa, NULL) == 0;
}

static void set_pages(struct kf_tui *t);

/* getch's timeout, kept so the SGR reader can put it back */
static void set_delay(struct kf_tui *t, int ms)
{
	t->delay = ms;
	timeout(ms);
}

static int screen_open(struct kf_tui *t)
{
	const char *term = getenv("TERM");
	char *kmous;

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
	kmous = tigetstr("kmous");
	if (mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED |
		      BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
		      | BUTTON5_PRESSED
#endif
		      , NULL) &&
	    kmous && kmous != (char *)-1 && !strncmp(kmous, "\033[", 2)) {
		/* an xterm-like mouse: it speaks SGR too */
		t->sgr = 1;
		sgr_set(t, 1);
	}
	mouseinterval(KF_MOUSE_DOUBLE_MS);
	wrap_tstp();
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
	sgr_set(t, 0);
	if (tstp_wrapped)
		sigaction(SIGTSTP, &nc_tstp, NULL);
	tstp_wrapped = 0;
	delscreen(t->scr);
	t->scr = NULL;
	t->open = 0;
	fflush(stdout);
	give_back_stderr(t);
}

int tui_run_outside(struct kf_tui *t, char *const argv[])
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, oint, oquit;
	int st = 0, rc;
	pid_t pid;

	if (t->open) {
		def_prog_mode();
		endwin();
		sgr_set(t, 0);
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		/* the terminal's stderr, not the file it goes to meanwhile */
		if (t->saved_err >= 0)
			dup2(t->saved_err, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	/* Ctrl-C in the pager is the pager's */
	sigaction(SIGINT, &ign, &oint);
	sigaction(SIGQUIT, &ign, &oquit);
	if (pid > 0)
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
	sigaction(SIGINT, &oint, NULL);
	sigaction(SIGQUIT, &oquit, NULL);
	if (t->open) {
		reset_prog_mode();
		clearok(stdscr, TRUE);
		refresh();
		sgr_set(t, 1);
	}
	if (pid < 0)
		return kf_err_errno(KF_EXIT_OSERR, "fork");
	rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return rc;
}

void kf_tui_set_src(struct kf_tui *t, const struct kf_srcmap *src)
{
	t->src = src;
}

/* A crash with the screen up would leave the terminal in raw mode. */
static struct kf_tui *crash_tui;

static void on_crash(int sig)
{
	if (crash_tui && crash_tui->open) {
		endwin();
		sgr_set(crash_tui, 0);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* ---- layout ---------------------------------------------------------------- */

const char *tui_skip_chars(const char *s, size_t n)
{
	while (*s && n) {
		s++;
		while ((*s & 0xc0) == 0x80)
			s++;
		n--;
	}
	return s;
}

size_t tui_count_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += (*s & 0xc0) != 0x80;
	return n;
}

const char *tui_wrap_end(const char *s, int cols, const char **next)
{
	const char *e = tui_skip_chars(s, cols > 0 ? (size_t)cols : 0), *q;

	*next = e;
	if (!*e || *e == ' ') {
		*next = *e ? e + 1 : e;
		return e;
	}
	for (q = e; q > s && *q != ' '; q--)
		;
	if (q > s && q - s >= (e - s) / 2) {
		*next = q + 1;
		return q;
	}
	return e;
}

int tui_put_wrapped(int y, int n, const char *s, attr_t a)
{
	int i;

	for (i = 0; i < n && *s; i++) {
		const char *next, *e = tui_wrap_end(s, COLS, &next);
		char line[4096];

		if (i == n - 1)
			e = s + strlen(s);
		snprintf(line, sizeof(line), "%.*s", (int)(e - s), s);
		tui_put_text(y + i, 0, COLS, line, a);
		s = next;
	}
	return i;
}

int tui_head(struct kf_tui *t, enum view v)
{
	return tui_views[v]->head + (tui_views[v]->more_head ?
				     tui_views[v]->more_head(t) : 0);
}

/* Rows below the title and header lines, above the status line. */
static int lines_for(struct kf_tui *t, enum view v)
{
	int n = LINES - tui_head(t, v) - 1 -
		(tui_views[v]->foot ? tui_views[v]->foot(t) : 0);

	return n > 1 ? n : 1;
}

int tui_body_lines(const struct kf_tui *t)
{
	return lines_for((struct kf_tui *)t, t->view);
}

/* Every view's page height from the screen's size; cursors kept in
 * range. */
static void set_pages(struct kf_tui *t)
{
	int v;

	for (v = 0; v < V_COUNT; v++) {
		uint32_t nrows;
		struct kf_cursor *c = tui_views[v]->cursor(t, &nrows);

		c->page = lines_for(t, v);
		/* a tree, diff or summary not built yet has no rows */
		if (v == V_LIST || v == V_HELP ||
		    (v == V_SUMMARY ? t->sum_on : tui_views[v]->ready(t)))
			kf_cursor_clamp(c, nrows);
	}
}

static struct kf_cursor *cursor(struct kf_tui *t, uint32_t *nrows)
{
	return cur(t)->cursor(t, nrows);
}

/* ---- drawing ------------------------------------------------------------------ */

static void draw_title(struct kf_tui *t)
{
	char buf[512];
	int i, w = 0, px;

	attrset(tui_pair(t, C_TITLE, A_REVERSE));
	mvhline(0, 0, ' ', COLS);
	/* the views on the right, the current one bold; the title gets what
	 * is left (a narrow screen drops the views instead) */
	for (i = 0; i <= V_DIFF; i++)
		w += strlen(tui_views[i]->name) + 2;
	px = COLS - w;
	snprintf(buf, sizeof(buf), " kfollow  %s", t->o.title ? t->o.title :
		 "");
	tui_put_text(0, 0, px >= 24 ? px - 1 : COLS, buf,
		 tui_pair(t, C_TITLE, A_REVERSE));
	if (px < 24) {
		attrset(A_NORMAL);
		return;
	}
	for (i = 0; i <= V_DIFF; i++) {
		int on = (int)t->view == i ||
			 (t->view == V_HELP && (int)t->back == i);
		int avail = !tui_views[i]->ready || tui_views[i]->ready(t);

		snprintf(buf, sizeof(buf), " %s ", tui_views[i]->name);
		tui_put_text(0, px, COLS - px, buf, tui_pair(t, C_TITLE, A_REVERSE) |
			 (on ? A_BOLD | A_UNDERLINE : 0) |
			 (avail ? 0 : A_DIM));
		px += strlen(tui_views[i]->name) + 2;
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
		if (cur(t)->status) {
			size_t n = strlen(left);

			cur(t)->status(t, left + n, sizeof(left) - n);
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
	tui_put_text(y, 0, COLS - rw - 1, left, t->msg[0] ? A_BOLD : A_NORMAL);
	tui_put_text(y, COLS - rw, rw, right, t->live && t->prog.lost ?
		 tui_pair(t, C_WARN, A_BOLD) : A_DIM);
}






/* The open prompt on the status line, the cursor after its text. */
static void draw_ask(struct kf_tui *t)
{
	int y = LINES - 1, px;

	mvhline(y, 0, ' ', COLS);
	px = tui_put_text(y, 0, COLS, t->ask.label, A_BOLD);
	tui_put_text(y, px, COLS - px - 1, t->ask.buf, t->ask.fresh ? A_REVERSE :
		 A_NORMAL);
	move(y, px + (int)t->ask.n < COLS ? px + (int)t->ask.n : COLS - 1);
}

static void draw(struct kf_tui *t)
{
	if (!t->open)
		return;
	erase();
	if (LINES < 6 || COLS < 30) {
		tui_put_text(0, 0, COLS, "kfollow: the terminal is too small", 0);
		refresh();
		return;
	}
	if (t->pg.on) {
		tui_progress_draw(t);
		refresh();
		return;
	}
	/* under 100 columns the call and the function name need the room */
	t->list.hide_cpu = COLS < 100;
	t->tree.hide_layer = COLS < 100;
	t->diff.hide_layer = COLS < 100;
	draw_title(t);
	cur(t)->draw(t);
	if (t->ask.kind)
		draw_ask(t); /* last: the cursor stays in it */
	else
		draw_status(t);
	refresh();
}

void tui_say(struct kf_tui *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- prompts ------------------------------------------------------------------ */

/*
 * A prompt is state, not a loop of its own: keys reach it through handle()
 * like any other, so a live capture's tick keeps draining the ring buffer
 * (and sleeping between ticks) while the user types.
 */
void tui_ask_open(struct kf_tui *t, enum ask kind, const char *label,
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
			tui_say(t, "out of memory");
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

void tui_say(struct kf_tui *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof(t->msg), fmt, ap);
	va_end(ap);
}

void tui_say_err(struct kf_tui *t)
{
	tui_say(t, "%s", kf_err_msg());
	kf_err_clear();
}

void tui_open_tree(struct kf_tui *t, uint32_t call)
{
	if (call == KF_NONE)
		return;
	if (t->tree_call != call) {
		struct kf_tree nt;

		/* unfolded to a depth that fits the screen's job: the path
		 * from the syscall down through the VFS */
		if (kf_tree_init(&nt, t->m, call, -1) < 0) {
			tui_say_err(t);
			return;
		}
		if (t->tree_call != KF_NONE)
			kf_tree_release(&t->tree);
		t->tree = nt;
		t->tree_call = call;
		t->hscroll = 0;
		if (t->o.nlayers)
			kf_tree_set_layers(&t->tree, t->o.layers,
					   t->o.nlayers);
		if (t->o.min_duration)
			kf_tree_set_min_dur(&t->tree, t->o.min_duration);
		if (t->hide_irq)
			kf_tree_set_hide_irq(&t->tree, 1);
	}
	t->view = V_TREE;
	set_pages(t);
}

static void open_summary(struct kf_tui *t, uint32_t call)
{
	struct kf_summary ns;

	/* from the list: the invocations it shows (its filter and --path) */
	int narrowed = call == KF_NONE && t->list.nrows < t->m->ncalls;

	if (t->sum_on && t->sum_call == call && !narrowed &&
	    t->sum.ncalls == t->m->ncalls) {
		t->view = V_SUMMARY;
		return;
	}
	/* a boundary capture has no functions: per process and syscall */
	int procs = t->m->meta.mode == KF_MODE_BOUNDARY;
	const uint32_t *calls = narrowed ? t->list.rows :
				call == KF_NONE ? NULL : &call;
	uint32_t ncalls = narrowed ? t->list.nrows :
			  call == KF_NONE ? t->m->ncalls : 1;

	if ((procs ? kf_summary_init_procs(&ns, t->m, calls, ncalls) :
	     narrowed ? kf_summary_init_calls(&ns, t->m, t->list.rows,
					      t->list.nrows, 0) :
			kf_summary_init(&ns, t->m, call)) < 0) {
		tui_say_err(t);
		return;
	}
	t->sum_drill[0] = '\0';
	if (procs) {
		struct kf_procsum ps;

		if (kf_procsum_init_calls(&ps, t->m, calls, ncalls) == 0) {
			if (kf_procsum_drill(&ps, t->m, t->sum_drill,
					     sizeof(t->sum_drill)) < 0)
				t->sum_drill[0] = '\0';
			kf_procsum_release(&ps);
		}
		kf_err_clear();
		ns.call = call;
	}
	if (t->sum_on)
		kf_summary_release(&t->sum);
	t->sum = ns;
	t->sum_on = 1;
	t->sum_call = call;
	t->view = V_SUMMARY;
	set_pages(t);
	if (narrowed && t->list.filter)
		snprintf(t->sum_what, sizeof(t->sum_what), "summary of %u of "
			 "%u invocations (filter '%.200s')", t->list.nrows,
			 t->m->ncalls, t->list.filter);
	else if (narrowed)
		snprintf(t->sum_what, sizeof(t->sum_what), "summary of %u of "
			 "%u invocations (--path)", t->list.nrows,
			 t->m->ncalls);
	else if (call == KF_NONE)
		snprintf(t->sum_what, sizeof(t->sum_what), "summary of all %u "
			 "invocations", t->m->ncalls);
	else
		snprintf(t->sum_what, sizeof(t->sum_what), "summary of "
			 "invocation %u of %u", call + 1, t->m->ncalls);
	/* the status line says it too, after this first time */
	tui_say(t, "%s%s", t->sum_what, call == KF_NONE ? "" :
		" (S in the list: all the list shows)");
}

/* The invocation the current view is about. */
static uint32_t current_call(struct kf_tui *t)
{
	return cur(t)->call ? cur(t)->call(t) : kf_list_selected(&t->list);
}

/* The diff of the marked invocation with b, as the Diff view. */
static void show_diff(struct kf_tui *t, uint32_t b)
{
	struct kf_tree nt;

	if (kf_tree_init_diff(&nt, t->m, t->mark, b) < 0) {
		tui_say_err(t);
		return;
	}
	if (t->diff_on)
		kf_tree_release(&t->diff);
	t->diff = nt;
	t->diff_on = 1;
	if (t->o.nlayers)
		kf_tree_set_layers(&t->diff, t->o.layers, t->o.nlayers);
	if (t->hide_irq)
		kf_tree_set_hide_irq(&t->diff, 1);
	t->view = V_DIFF;
	set_pages(t);
	if (t->npairs)
		tui_say(t, "pair %u of %u  ] next  [ previous   - only in A  "
			"+ only in B  > B slower  < B faster", t->pair_cur + 1,
			t->npairs);
	else
		tui_say(t, "- only in A  + only in B  > B slower  < B faster");
}

static void open_diff(struct kf_tui *t)
{
	uint32_t b = current_call(t);

	if (t->mark == KF_NONE) {
		tui_say(t, "mark an invocation with m first, then pick another "
		    "and press d");
		return;
	}
	if (b == KF_NONE || b == t->mark) {
		tui_say(t, "pick another invocation to compare with the marked "
		    "one");
		return;
	}
	show_diff(t, b);
}

/* --diff A B: show pair k (of the A calls that have a partner). */
static void show_pair(struct kf_tui *t, int64_t k)
{
	if (!t->npairs) {
		tui_say(t, t->o.diff ? "no invocation of A pairs with one of "
			"B (same syscall and path)" : "[ and ] walk the pairs "
			"of kfollow --diff A B");
		return;
	}
	if (k < 0)
		k = t->npairs - 1;
	t->pair_cur = (uint32_t)(k % t->npairs);
	t->mark = t->pairs[t->pair_cur];
	show_diff(t, t->pair[t->mark]);
}

/* The pairs of --diff A B, and the first one shown.  Returns 0 or -1. */
static int pairs_make(struct kf_tui *t)
{
	uint32_t i;

	t->pair = calloc((size_t)t->m->ncalls + 1, sizeof(*t->pair));
	t->pairs = calloc((size_t)t->m->ncalls + 1, sizeof(*t->pairs));
	if (!t->pair || !t->pairs)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	if (kf_diff_pair(t->m, t->o.diff_b, t->pair) < 0)
		return -1;
	for (i = 0; i < t->o.diff_b; i++)
		if (t->pair[i] != KF_NONE)
			t->pairs[t->npairs++] = i;
	return 0;
}


static void do_search(struct kf_tui *t, int ask, int dir)
{
	if (ask) {
		tui_ask_open(t, ASK_SEARCH, "/", NULL);
		return;
	}
	if (!t->search || !t->search[0]) {
		tui_say(t, "nothing to search for: / and a function name");
		return;
	}
	if (cur(t)->search)
		cur(t)->search(t, t->search, dir);
}

static void do_write(struct kf_tui *t)
{
	if (cur(t)->file)
		tui_ask_open(t, ASK_WRITE, "write this view to: ",
			     cur(t)->file);
}

static void write_view(struct kf_tui *t, const char *path)
{
	FILE *f;
	int rc = -1;

	if (!path[0])
		return;
	f = kf_view_file_open(path);
	if (!f) {
		tui_say_err(t);
		return;
	}
	if (cur(t)->write)
		rc = cur(t)->write(t, f);
	if (fclose(f) != 0)
		rc = -1;
	if (rc < 0)
		tui_say(t, "cannot write '%s': %s", path, strerror(errno));
	else
		tui_say(t, "wrote '%s'", path);
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
			tui_say_err(t);
		break;
	case ASK_MIN_DUR:
		if (text[0] && kf_parse_duration(text, &ns) < 0)
			tui_say_err(t);
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

	/* the four views in the title bar, skipping those not built */
	for (int i = 0; i < 4; i++) {
		v = (v + 1) % 4;
		if (!tui_views[v]->ready || tui_views[v]->ready(t))
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
	/* out of a zoom first, as ncdu goes up a directory */
	if (t->view == V_TREE && kf_tree_zoom_out(&t->tree) == 0) {
		set_pages(t);
		return;
	}
	if (t->view == V_DIFF && kf_tree_zoom_out(&t->diff) == 0) {
		set_pages(t);
		return;
	}
	t->view = V_LIST;
	set_pages(t);
}

void tui_set_pages(struct kf_tui *t)
{
	set_pages(t);
}


/* Do what key k asks.  Returns 1 if the user asked to quit (or, live, to
 * stop tracing). */
static int act(struct kf_tui *t, int k)
{
	enum kf_action a = kf_key_action(k);
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
	case KF_ACT_SEARCH: do_search(t, 1, 1); break;
	case KF_ACT_NEXT: do_search(t, 0, 1); break;
	case KF_ACT_PREV: do_search(t, 0, -1); break;
	case KF_ACT_MARK: {
		uint32_t call = current_call(t);

		if (call != KF_NONE) {
			t->mark = call;
			tui_say(t, "marked: now pick another invocation and "
			    "press d to compare");
		}
		break;
	}
	case KF_ACT_DIFF: open_diff(t); break;
	case KF_ACT_PAIR_NEXT: show_pair(t, (int64_t)t->pair_cur + 1); break;
	case KF_ACT_PAIR_PREV: show_pair(t, (int64_t)t->pair_cur - 1); break;
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
	case KF_ACT_QUIT_ALL:
		return 1;
	case KF_ACT_NONE:
		break;
	default:
		/* the rest means something in some views only */
		if (cur(t)->act)
			cur(t)->act(t, a);
		break;
	}
	return 0;
}

enum click { CLICK, DOUBLE_CLICK, WHEEL_UP, WHEEL_DOWN };

/* A click or a turn of the wheel on line y, whichever the encoding.
 * Returns 1 when it opened or folded a row. */
static int mouse_do(struct kf_tui *t, enum click what, int y)
{
	uint32_t nrows, row;
	struct kf_cursor *c = cursor(t, &nrows);
	int y0 = tui_head(t, t->view);

	if (what == WHEEL_UP || what == WHEEL_DOWN) {
		kf_cursor_move(c, nrows, what == WHEEL_UP ? -3 : 3);
		return 0;
	}
	if (y < y0 || y >= LINES - 1)
		return 0;
	row = c->top + (y - y0);
	if (row >= nrows)
		return 0;
	if (row == c->row || what == DOUBLE_CLICK) {
		/* a click on the selected row: open or fold it */
		kf_cursor_set(c, nrows, row);
		act(t, KF_KEY_ENTER);
		return 1;
	}
	kf_cursor_set(c, nrows, row);
	return 0;
}

/* An event ncurses decoded (X10, or SGR where terminfo says so). */
static void mouse_curses(struct kf_tui *t)
{
	MEVENT ev;

	if (getmouse(&ev) != OK)
		return;
	if (ev.bstate & BUTTON4_PRESSED)
		mouse_do(t, WHEEL_UP, ev.y);
#ifdef BUTTON5_PRESSED
	else if (ev.bstate & BUTTON5_PRESSED)
		mouse_do(t, WHEEL_DOWN, ev.y);
#endif
	else if (ev.bstate & BUTTON1_DOUBLE_CLICKED)
		mouse_do(t, DOUBLE_CLICK, ev.y);
	else
		mouse_do(t, CLICK, ev.y);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* An SGR report kfollow read itself.  Presses act (releases, moves and
 * other buttons do nothing), a double click as ncurses reports one: a
 * single event, so the row opens or folds once. */
static void mouse_sgr(struct kf_tui *t, const struct kf_mouse *ev)
{
	if (!ev->press || ev->motion)
		return;
	if (ev->button != 1)
		t->clicks.n = 0; /* no double click across it */
	if (ev->button == 4 || ev->button == 5) {
		mouse_do(t, ev->button == 4 ? WHEEL_UP : WHEEL_DOWN, ev->y);
		return;
	}
	if (ev->button != 1)
		return;
	if (kf_clicks_add(&t->clicks, ev, now_ms()) == 2) {
		/* the first press selected the row, or already opened it */
		if (!t->click_opened)
			mouse_do(t, DOUBLE_CLICK, ev->y);
		t->click_opened = 0;
		return;
	}
	t->click_opened = mouse_do(t, CLICK, ev->y);
}

/* How long to wait for the rest of a report once ESC [ < has come: it
 * comes in one write, but a slow link may split it. */
#define SGR_WAIT_MS 50

static int sgr_next(void *arg, int body)
{
	struct kf_tui *t = arg;
	int ch;

	timeout(body ? SGR_WAIT_MS : 0);
	ch = getch();
	timeout(t->delay);
	return ch == ERR ? -1 : ch;
}

/*
 * ESC read: an SGR report ncurses left to kfollow (its terminfo has X10's
 * kmous), or a key.  Returns the key to act on, or ERR when the bytes were
 * a report or a malformed one.  The keys after the first go back to
 * ncurses' queue, read next.
 */
static int esc_key(struct kf_tui *t)
{
	struct kf_mouse ev;
	int keys[KF_SGR_KEYS], n, rc;

	rc = kf_sgr_read(sgr_next, t, &ev, keys, &n);
	if (rc == 1) {
		/* as for KEY_MOUSE: the message goes, a prompt ignores it */
		t->msg[0] = '\0';
		if (!t->ask.kind)
			mouse_sgr(t, &ev);
	}
	while (n > 1)
		ungetch(keys[--n]);
	return n ? keys[0] : ERR;
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
	case KEY_F(1): return KF_KEY_F1;
	case KEY_F(10): return KF_KEY_F10;
	default:
		/* other function and special keys mean nothing here */
		return ch >= KEY_MIN ? 0 : ch;
	}
}

/* Handle one key read from the terminal.  Returns 1 to quit. */
static int handle(struct kf_tui *t, int ch)
{
	if (ch == 27)
		ch = esc_key(t);
	if (ch == ERR)
		return 0;
	t->clicks.n = 0; /* a key between two clicks: no double click */
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
		mouse_curses(t);
		return 0;
	}
	if (ch == 12 /* ^L */) {
		clearok(curscr, TRUE);
		return 0;
	}
	return act(t, key_code(ch));
}

/* ---- the help screen ---------------------------------------------------------- */


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
	/* kfollow's own explanations, for the status line; none is fine */
	t->ex = kf_explain_load();
	kf_err_clear();
	if (kf_list_init_paths(&t->list, m, o->paths, o->npaths) < 0 ||
	    tui_help_build(t) < 0 || (o->diff && pairs_make(t) < 0)) {
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
			tui_say_err(t);
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
	t->pg.on = 0;
	t->prog = *p;
	take_in(t);
	set_delay(t, 0);
	while (!stop && (ch = getch()) != ERR)
		stop = handle(t, ch);
	if (tui_signal)
		stop = 1;
	draw(t);
	return stop;
}

int kf_tui_progress(struct kf_tui *t, const struct kf_progress *p)
{
	int ch, stop = 0;

	if (!t->open && screen_open(t) < 0)
		return -1;
	t->pg.on = 1;
	tui_progress_note(t, p);
	timeout(0);
	/* only stopping means anything yet: there is nothing to move over */
	while ((ch = getch()) != ERR) {
		enum kf_action a = kf_key_action(key_code(ch));

		if (a == KF_ACT_QUIT || a == KF_ACT_QUIT_ALL)
			stop = 1;
	}
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
	t->pg.on = 0;
	snprintf(t->stopped, sizeof(t->stopped), "%s", stopped ? stopped : "");
	take_in(t);
	if (t->o.diff && !t->diff_on)
		show_pair(t, 0);
	set_delay(t, 250);
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
	kf_explain_free(t->ex);
	free(t->pair);
	free(t->pairs);
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
