/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_capture.h - a live capture: arm tracefs for the traced processes,
 * run or attach to them, read the per-CPU ring buffers while they run,
 * restore tracefs, and build the call trees.
 *
 * Graph mode runs function_graph in the top-level buffer: instances lack
 * set_graph_function on every kernel so far (6.11+ allows function_graph
 * in an instance, but only the global set_graph_function filters it), so a
 * private instance is used for graph tracing only when the kernel shows an
 * instance with both.  Boundary mode (function_graph refused) uses a
 * private instance and changes nothing global.
 */
#ifndef KF_CAPTURE_H
#define KF_CAPTURE_H

#include "kf_model.h"
#include "kf_opts.h"
#include "kf_plan.h"
#include "kf_progress.h"

/* How a live capture is going, for a status line. */
struct kf_capture_progress {
	uint64_t elapsed_ns;  /* since tracing was switched on */
	uint64_t events;      /* records read so far */
	uint64_t lost;        /* records the kernel dropped so far */
	int tracing;          /* 1 while tracing is on */
};

/* For a live front end (the TUI).  Zero-initialise: 0 fields do nothing. */
struct kf_capture_hooks {
	/* Called about every 100 ms.  Return non-zero to stop the capture. */
	int (*tick)(void *ctx, struct kf_model *m,
		    const struct kf_capture_progress *p);
	void *ctx;
	/* Called (with ctx) as set-up, arming and tracing begin: switching
	 * function_graph on can take seconds before the first tick.  Return
	 * non-zero before tracing to stop the capture there. */
	kf_progress_fn stage;
	/* > 0: the command's stdout and stderr go to this fd (the screen is
	 * the TUI's); its stdin then comes from /dev/null */
	int cmd_out_fd;
};

/*
 * Run the capture the options and the plan made from them describe into m
 * (both initialised by the caller, who keeps and frees them).  *exit_code gets what kfollow should exit with: the traced
 * command's status (128+N if signal N killed it) or, after a signal
 * stopped kfollow, 128+that signal.  Returns 0, or -1 with kf_err set;
 * tracefs is restored either way.
 */
int kf_capture_run(const struct kf_opts *o, const struct kf_plan *plan,
		   struct kf_model *m, const struct kf_capture_hooks *hooks,
		   int *exit_code);

/* The signal that stopped the last capture, or 0. */
int kf_capture_stop_signal(void);

#endif
