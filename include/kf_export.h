/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_export.h - a capture's trees in the formats other tools read:
 *
 *   folded  collapsed stacks, "openat;__x64_sys_openat;do_sys_openat2 1234"
 *           (flamegraph.pl, inferno, speedscope): one line per call path,
 *           its self time in ns, so a frame's width is its total time
 *   chrome  the Trace Event Format's JSON (Perfetto, chrome://tracing,
 *           speedscope): one complete event per call, the syscall itself
 *           an event around its tree, one track per task
 *   svg     an icicle graph of the call paths merged, coloured by layer,
 *           each frame's times in its tooltip; no script needed to read it
 *
 * Every export writes as it walks: chrome holds nothing beyond the model,
 * folded and svg hold one entry per distinct call path (not per call).
 * Calls shorter than min_duration are left out and their time counts in
 * their caller's self time, as in the trees and --summary.
 */
#ifndef KF_EXPORT_H
#define KF_EXPORT_H

#include <stdint.h>
#include <stdio.h>
#include "kf_model.h"
#include "kf_preset.h"

enum kf_export_format { KF_EXPORT_FOLDED, KF_EXPORT_CHROME, KF_EXPORT_SVG };

struct kf_export_opts {
	uint64_t min_duration;         /* ns: hide shorter calls, 0: none */
	const struct kf_layer *layers; /* subsystem labels: chrome's "cat",
					* svg's colours (not copied) */
	int nlayers;
};

/*
 * Write every invocation of m to f in format fmt.  Returns 0, or -1 with
 * kf_err set (a write error, out of memory).  Nothing to free.
 */
int kf_export(FILE *f, const struct kf_model *m, enum kf_export_format fmt,
	      const struct kf_export_opts *o);

/*
 * The same, a call at a time, for a capture read as it streams: begin
 * (chrome writes its head from m's meta), each call of m to export, end
 * (folded and svg write everything then; ok 0: an error came first, so
 * write no more).  kf_export_end frees x and returns 0 or -1 (kf_err).
 * The model may drop a call's nodes once kf_export_call returns; its
 * strings must stay.
 */
struct kf_export;
struct kf_export *kf_export_begin(FILE *f, const struct kf_model *m,
				  enum kf_export_format fmt,
				  const struct kf_export_opts *o);
int kf_export_call(struct kf_export *x, const struct kf_model *m,
		   uint32_t call);
int kf_export_end(struct kf_export *x, int ok);

/*
 * Parse an export format's name ("folded", "chrome", "svg") into *fmt.
 * Returns 0, or -1 if it names none.
 */
int kf_export_parse(const char *name, enum kf_export_format *fmt);

#endif
