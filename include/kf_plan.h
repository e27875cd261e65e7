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
	/* functions whose return values are recorded: --retval's globs,
	 * else every preset's retval lines; none after --retval none
	 * (array owned, strings borrowed) */
	char **retval;
	int nretval;
	struct kf_layer *layers; /* every preset's, in order, then the
				  * subsystem map's: the first glob that
				  * matches labels a function (array owned,
				  * strings borrowed) */
	int nlayers;
	struct kf_preset map; /* the subsystem map (owned; empty if none) */
	/* --scope, else the first preset's scope: the set_ftrace_filter
	 * globs it stands for (array and strings owned; none: no scope),
	 * and its names as given ("vfs,pagecache", owned; for headers) */
	char **scope;
	int nscope;
	char *scope_names;
	unsigned char *scope_literal; /* per glob: 1 if given as itself, not
				       * through the map (owned) */
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
/*
 * The functions of available_filter_functions text avail (one "name" or
 * "name [module]" a line) that p's scope globs match: their 1-based
 * indexes, space-separated, into *out (the caller frees it); hits[i]
 * counts glob i's matches (the caller gives nscope zeroed ints).  Exact
 * names and "prefix*" globs are compared, other globs fnmatch(3)ed,
 * ":mod:NAME" matches a module's functions.  Returns how many functions,
 * or -1 (kf_err).
 */
long kf_plan_scope_match(const struct kf_plan *p, const char *avail,
			 char **out, int *hits);

void kf_plan_release(struct kf_plan *p);

#endif
