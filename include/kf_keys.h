/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_keys.h - the TUI's keys: one table that the TUI dispatches from,
 * that draws the help screen (?) and that `kfollow --keys` prints for the
 * man page's KEYS section (a test keeps the two in step).
 */
#ifndef KF_KEYS_H
#define KF_KEYS_H

#include <stdio.h>

enum kf_action {
	KF_ACT_NONE,
	KF_ACT_UP, KF_ACT_DOWN, KF_ACT_PGUP, KF_ACT_PGDN, KF_ACT_HOME,
	KF_ACT_END,
	KF_ACT_OPEN,        /* list: open the tree; tree: toggle fold */
	KF_ACT_FOLD,        /* fold, or go to the parent if folded */
	KF_ACT_UNFOLD,
	KF_ACT_EXPAND_ALL, KF_ACT_COLLAPSE_ALL,
	KF_ACT_FOLD_KIDS,   /* the row's children shown, each folded */
	KF_ACT_UNFOLD_KIDS, /* the row's children shown with theirs */
	KF_ACT_SIB_NEXT, KF_ACT_SIB_PREV, /* siblings */
	KF_ACT_ZOOM_IN, KF_ACT_ZOOM_OUT,  /* a subtree as the root */
	KF_ACT_SCROLL_LEFT, KF_ACT_SCROLL_RIGHT, /* the names sideways */
	KF_ACT_HOT,         /* hottest path */
	KF_ACT_PARENT,
	KF_ACT_SORT,        /* list: time/duration; tree: call order/time */
	KF_ACT_SEARCH, KF_ACT_NEXT, KF_ACT_PREV,
	KF_ACT_FILTER,      /* list: filter text; tree: hide shorter than */
	KF_ACT_MARK,        /* mark the invocation for a diff */
	KF_ACT_DIFF,        /* diff the marked invocation with this one */
	KF_ACT_SUMMARY,
	KF_ACT_WRITE,       /* write the view to a text file */
	KF_ACT_NEXT_VIEW,   /* Tab */
	KF_ACT_BACK,        /* Esc, Backspace: back to the list */
	KF_ACT_HELP,
	KF_ACT_QUIT,
	KF_ACT_QUIT_ALL,    /* Q, F10: quit from any view */
	KF_ACT_PAIR_NEXT,   /* --diff A B: the next pair of invocations */
	KF_ACT_PAIR_PREV,   /* --diff A B: the previous pair */
	KF_ACT_ORIGIN,      /* tree: the origin of the call's error */
	KF_ACT_SOURCE,      /* tree: the function's source in $PAGER */
	KF_ACT_IRQ,         /* tree: hide or show interrupts */
};

/* Key codes beyond ASCII, the TUI maps ncurses' KEY_* onto these: above
 * every KEY_* (0401-0777), so no function key can read as one of them
 * (F1 was KEY_F(1) = 0x109 = Enter here once). */
enum {
	KF_KEY_UP = 0x10000, KF_KEY_DOWN, KF_KEY_LEFT, KF_KEY_RIGHT,
	KF_KEY_PGUP, KF_KEY_PGDN, KF_KEY_HOME, KF_KEY_END, KF_KEY_ENTER,
	KF_KEY_BACKSPACE, KF_KEY_ESC, KF_KEY_TAB, KF_KEY_F1, KF_KEY_F10,
};

struct kf_key {
	int keys[3];          /* codes, 0-terminated */
	const char *names;    /* as shown: "j, Down" */
	enum kf_action action;
	const char *help;
};

extern const struct kf_key kf_keys[];
extern const int kf_nkeys;

/* The action bound to key code k, or KF_ACT_NONE. */
enum kf_action kf_key_action(int k);

/* The table as text: "  names  help" per line (help screen, --keys). */
void kf_keys_write(FILE *f);

#endif
