// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * keys.c - the TUI's key table (kf_keys.h).  Plain C: the help screen,
 * `kfollow --keys` and the man page check read it without a terminal.
 */
#include "kf_keys.h"

const struct kf_key kf_keys[] = {
	/* moving and paging as less(1) does */
	{ { 'k', KF_KEY_UP }, "k, Up", KF_ACT_UP, "move up" },
	{ { 'j', KF_KEY_DOWN }, "j, Down", KF_ACT_DOWN, "move down" },
	{ { KF_KEY_PGUP, 'b' }, "PgUp, b", KF_ACT_PGUP, "page up" },
	{ { KF_KEY_PGDN, ' ' }, "PgDn, Space", KF_ACT_PGDN, "page down" },
	{ { KF_KEY_HOME, 'g' }, "Home, g", KF_ACT_HOME, "first row" },
	{ { KF_KEY_END, 'G' }, "End, G", KF_ACT_END, "last row" },
	/* the tree, as uftrace's TUI: c/e the children, C/E all, u up */
	{ { KF_KEY_ENTER }, "Enter", KF_ACT_OPEN,
	  "open the invocation's tree; in a tree, fold or unfold" },
	{ { KF_KEY_RIGHT, 'l' }, "Right, l", KF_ACT_UNFOLD, "unfold" },
	{ { KF_KEY_LEFT }, "Left", KF_ACT_FOLD,
	  "fold, or go to the parent when folded" },
	{ { 'c' }, "c", KF_ACT_FOLD_KIDS,
	  "collapse the row's children (each one folded)" },
	{ { 'e' }, "e", KF_ACT_UNFOLD_KIDS,
	  "expand the row's children (and theirs)" },
	{ { 'C' }, "C", KF_ACT_COLLAPSE_ALL, "collapse all" },
	{ { 'E' }, "E", KF_ACT_EXPAND_ALL, "expand all" },
	{ { 'u', 'p' }, "u, p", KF_ACT_PARENT, "go to the parent" },
	{ { 'J' }, "J", KF_ACT_SIB_NEXT, "next sibling (the next call of "
	  "the same caller)" },
	{ { 'K' }, "K", KF_ACT_SIB_PREV, "previous sibling" },
	{ { 'z' }, "z", KF_ACT_ZOOM_IN,
	  "zoom: the selected call's subtree on its own, its path above" },
	{ { 'Z' }, "Z", KF_ACT_ZOOM_OUT, "zoom out one level" },
	{ { '>' }, ">", KF_ACT_SCROLL_RIGHT,
	  "scroll the function names right (deep rows)" },
	{ { '<' }, "<", KF_ACT_SCROLL_LEFT, "scroll them back left" },
	{ { 'H' }, "H", KF_ACT_HOT,
	  "hottest path: follow the heaviest child from the top" },
	{ { 'O' }, "O", KF_ACT_ORIGIN,
	  "in a failed call's tree: the function its error came from" },
	{ { 'o' }, "o", KF_ACT_SOURCE,
	  "in a tree: open the function's source at its line in $PAGER or "
	  "$EDITOR (--source)" },
	{ { 's' }, "s", KF_ACT_SORT,
	  "sort: invocations by time or duration, children by call order "
	  "or time, the summary by the next column" },
	{ { '/' }, "/", KF_ACT_SEARCH, "search function names (headers in "
	  "the list)" },
	{ { 'n' }, "n", KF_ACT_NEXT, "next match" },
	{ { 'N' }, "N", KF_ACT_PREV, "previous match" },
	{ { 'f' }, "f", KF_ACT_FILTER,
	  "filter invocations by text; in a tree, hide calls shorter than "
	  "a duration" },
	{ { 'i' }, "i", KF_ACT_IRQ,
	  "in a tree: hide or show interrupts (irq, softirq, nmi) with what "
	  "they called" },
	{ { 'm' }, "m", KF_ACT_MARK, "mark this invocation for a diff" },
	{ { 'd' }, "d", KF_ACT_DIFF,
	  "diff the marked invocation with this one" },
	{ { 'S' }, "S", KF_ACT_SUMMARY,
	  "summary per function (of the invocations the list shows, or of the open tree)" },
	{ { ']' }, "]", KF_ACT_PAIR_NEXT, "--diff A B: the next pair of invocations" },
	{ { '[' }, "[", KF_ACT_PAIR_PREV, "--diff A B: the previous pair" },
	{ { 'w' }, "w", KF_ACT_WRITE, "write the view to a text file" },
	{ { KF_KEY_TAB }, "Tab", KF_ACT_NEXT_VIEW, "next view" },
	{ { KF_KEY_ESC, KF_KEY_BACKSPACE }, "Esc, Backspace", KF_ACT_BACK,
	  "zoom out of a zoomed tree, else back to the invocation list" },
	/* help and quit as htop and tig */
	{ { '?', 'h', KF_KEY_F1 }, "?, h, F1", KF_ACT_HELP, "this help" },
	{ { 'q' }, "q", KF_ACT_QUIT, "in the list: quit (while tracing: stop tracing first); "
	  "elsewhere: back" },
	{ { 'Q', KF_KEY_F10 }, "Q, F10", KF_ACT_QUIT_ALL,
	  "quit from any view (while tracing: stop tracing first)" },
};

const int kf_nkeys = sizeof(kf_keys) / sizeof(kf_keys[0]);

enum kf_action kf_key_action(int k)
{
	for (int i = 0; i < kf_nkeys; i++)
		for (int j = 0; j < 3 && kf_keys[i].keys[j]; j++)
			if (kf_keys[i].keys[j] == k)
				return kf_keys[i].action;
	return KF_ACT_NONE;
}

void kf_keys_write(FILE *f)
{
	for (int i = 0; i < kf_nkeys; i++)
		fprintf(f, "  %-16s %s\n", kf_keys[i].names, kf_keys[i].help);
}
