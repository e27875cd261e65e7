/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_tui.h - the interactive terminal UI (ncurses).  It only draws rows the
 * view model (kf_view.h) hands it and turns keys (kf_keys.h) into view-model
 * calls; everything it shows can be checked without a terminal.
 *
 * Life cycle: kf_tui_new (no terminal change yet), then kf_tui_tick from a
 * live capture's hook (the screen opens on the first tick, so set-up errors
 * print on a normal terminal), then kf_tui_run until the user quits, then
 * kf_tui_free, which gives the terminal back exactly as it was and prints
 * what was written to stderr while the screen was up.
 */
#ifndef KF_TUI_H
#define KF_TUI_H

#include "kf_capture.h"
#include "kf_model.h"
#include "kf_preset.h"

struct kf_tui;

struct kf_tui_opts {
	const char *title;            /* what was traced, shown on top */
	int ascii;                    /* ASCII tree lines and bars */
	uint64_t min_duration;        /* start trees hiding shorter calls */
	const struct kf_layer *layers; /* layer column (not copied: keep it) */
	int nlayers;
	char *const *paths;           /* --path globs (not copied: keep them) */
	int npaths;
	/* --diff A B: the model holds A's calls, then B's from diff_b on;
	 * the TUI opens on the first pair's diff and ] [ walk the pairs */
	int diff;
	uint32_t diff_b;
	int vm;                       /* --vm: the progress screen lists the
					 VM's stages, not only kfollow's */
};

/*
 * A TUI over m (which must outlive it; a live capture may still add calls).
 * Installs SIGINT/SIGTERM/HUP handlers that end the UI cleanly.  Returns
 * NULL with kf_err set.  Free with kf_tui_free.
 */
struct kf_tui *kf_tui_new(struct kf_model *m, const struct kf_tui_opts *o);

/*
 * From a live capture, about every 100 ms: take in new invocations, read
 * keys without waiting, redraw.  Returns 1 when the user asked to stop
 * tracing (q), 0 to go on, -1 when the terminal could not be opened
 * (kf_err set; the caller goes on without the TUI).
 */
int kf_tui_tick(struct kf_tui *t, const struct kf_capture_progress *p);

/*
 * Before a capture has trees: open the screen and show the progress
 * screen (the stages, the current one marked, how long each took), read
 * keys without waiting.  Call it at each stage and at least once a
 * second while one lasts; the first kf_tui_tick or kf_tui_run leaves it.
 * Returns 1 when the user asked to stop (q, Q, F10, a signal), 0 to go
 * on, -1 when the terminal could not be opened (kf_err set).
 */
int kf_tui_progress(struct kf_tui *t, const struct kf_progress *p);

/*
 * Interact until the user quits.  `stopped` says why tracing ended (for
 * the status line), or NULL.  Returns 0, or -1 with kf_err set (the
 * terminal could not be opened).
 */
int kf_tui_run(struct kf_tui *t, const char *stopped);

/* The signal (SIGINT, SIGTERM, SIGHUP) that ended kf_tui_run, or 0. */
int kf_tui_signal(void);

/* Restore the terminal, print the stderr text kept while the screen was
 * up, free t.  NULL is fine. */
void kf_tui_free(struct kf_tui *t);

struct kf_srcmap;
/* Show where functions are defined from src (the caller's; it must
 * outlive t; NULL: none): the selected function's file:line and summary
 * on the status line, and `o` opens the file. */
void kf_tui_set_src(struct kf_tui *t, const struct kf_srcmap *src);

/* Can this process run the TUI: stdin and stdout are terminals. */
int kf_tui_possible(void);

#endif
