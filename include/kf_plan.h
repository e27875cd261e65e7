/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_plan.h - what a run follows, decided once from the options and the
 * presets: the capture takes its syscalls, notrace globs and depth from
 * the plan, the TUI its layer labels, so the two cannot disagree on which
 * presets apply.
 *
 * The presets that apply: -P's, else (unless --no-preset) the one named
 * after each syscall followed, found by kf_preset_load_syscall.  A preset
 * that is missing is no error; one that is malformed is.
 */
#ifndef KF_PLAN_H
#define KF_PLAN_H

#include "kf_model.h"
#include "kf_opts.h"
#include "kf_preset.h"

/* Presets' notrace globs taken at most, all presets together. */
#define KF_PLAN_MAX_PRESET_NOTRACE 256

struct kf_plan {
	struct kf_preset *presets; /* owned */
	int npresets;
	int named;            /* -P: its preset speaks for every syscall */
	char **syscalls;      /* the options', else -P's (borrowed) */
	int nsyscalls;
	char **notrace;       /* the options' globs, then the presets' */
	int nnotrace;         /* (the array is owned, its strings borrowed) */
	int max_depth;        /* the options', else the first preset's; 0 */
	struct kf_layer *layers; /* every preset's, in order (array owned,
				  * strings borrowed) */
	int nlayers;
};

/*
 * Make the plan for options o into p.  m, when not NULL, is a capture read
 * back: with no syscall named in o, its syscalls pick the presets.
 * Returns 0, or -1 with kf_err set (a malformed preset, out of memory);
 * kf_plan_release frees p either way.
 */
int kf_plan_make(struct kf_plan *p, const struct kf_opts *o,
		 const struct kf_model *m);

/* The preset that speaks for syscall `name`, or NULL; owned by p. */
const struct kf_preset *kf_plan_preset_for(const struct kf_plan *p,
					   const char *name);

/* Free what p holds (its presets too); p can be made again. */
void kf_plan_release(struct kf_plan *p);

#endif
