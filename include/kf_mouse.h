/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_mouse.h - mouse reports in xterm's SGR encoding (mode 1006):
 * ESC [ < b ; x ; y, then M for a press or m for a release.  Unlike X10
 * (ESC [ M and three bytes) they reach past column and row 223.  ncurses
 * decodes them itself only where terminfo says the terminal sends them
 * (kmous=\E[<); elsewhere the TUI gets their bytes as keys, ESC first, and
 * reads them here.  Plain C, no terminal: unit tests feed bytes.
 */
#ifndef KF_MOUSE_H
#define KF_MOUSE_H

#include <stdint.h>

/* kf_mouse.mods: the bits the terminal sets in b */
enum { KF_MOUSE_SHIFT = 4, KF_MOUSE_META = 8, KF_MOUSE_CTRL = 16 };

struct kf_mouse {
	int button;   /* 1 left, 2 middle, 3 right, 4 and 5 wheel up and
		       * down, 6 and 7 wheel left and right, 8-11 more;
		       * 0 none (a move with no button down) */
	int press;    /* 1 pressed (M), 0 released (m) */
	int motion;   /* a move, sent in modes 1002 and 1003 */
	int mods;     /* KF_MOUSE_* */
	int x, y;     /* the cell, from 0 */
};

/* What the bytes fed so far are. */
enum kf_sgr_state {
	KF_SGR_MORE,  /* taken; the report goes on */
	KF_SGR_DONE,  /* taken; the report is complete (in *ev) */
	KF_SGR_NOT,   /* not a report (ESC x, ESC [ x): every byte fed,
		       * this one too, is a key */
	KF_SGR_BAD,   /* a malformed report, ended by this byte: drop them
		       * all, this one too */
	KF_SGR_CUT,   /* a report cut short by this byte, which cannot be
		       * inside one (a control character, ESC): drop the
		       * bytes before it; this one is a key */
};

/* A report being read, one byte at a time from its ESC. */
struct kf_sgr {
	int len;          /* bytes taken */
	int bad;          /* malformed: skip to its final byte */
	int n;            /* the parameter being read, 0-2 */
	int digits;       /* in it */
	unsigned param[3];
};

void kf_sgr_init(struct kf_sgr *p);
/* Take byte (a key code above 0xff cuts a report as a control
 * character does).  *ev is set on KF_SGR_DONE only. */
enum kf_sgr_state kf_sgr_feed(struct kf_sgr *p, int byte,
			      struct kf_mouse *ev);

/* At most this many of the bytes kf_sgr_read reads are keys. */
#define KF_SGR_KEYS 3

/*
 * Read what follows an ESC just read: a report, or keys.  next(arg, body)
 * gives the next byte, or -1 when none came in time; body is 0 for the
 * two bytes after ESC (ncurses has them queued when it could not match a
 * key) and 1 inside a report, where the caller may wait a little for the
 * rest.  An ESC inside a report drops it and starts the next.
 *
 * Returns 1 for a report (in *ev), 0 when it was malformed or cut off
 * (dropped), -1 when the bytes were keys.  keys[] gets the bytes read that
 * are keys, ESC first in the -1 case, and *nkeys their number (0 to
 * KF_SGR_KEYS): no byte of a report, however malformed, ever becomes one.
 */
int kf_sgr_read(int (*next)(void *arg, int body), void *arg,
		struct kf_mouse *ev, int keys[KF_SGR_KEYS], int *nkeys);

/* How close in time two presses of the left button must be, in ms, to
 * be a double click (ncurses' mouseinterval for X10 reports too). */
#define KF_MOUSE_DOUBLE_MS 150

/* The last presses of the left button, to tell double clicks. */
struct kf_clicks {
	uint64_t ms;      /* when the last one came */
	int x, y;
	int n;            /* 1 after a single press, 0 after a double */
};

/*
 * Count a press (ev: button 1 pressed) made at now_ms: 2 when it makes a
 * double click with the press before it (the same cell, soon enough),
 * else 1.  A third press starts again at 1.
 */
int kf_clicks_add(struct kf_clicks *c, const struct kf_mouse *ev,
		  uint64_t now_ms);

#endif
