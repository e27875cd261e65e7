/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_resolve.h - from what the user typed to what the kernel can trace.
 *
 * A syscall name resolves, using what this kernel shows (the syscall
 * events in events/syscalls/ and the traceable functions in
 * available_filter_functions), to its enter/exit events and a graph root:
 * the arch's entry (__x64_sys_openat, __arm64_sys_openat, ...), else a
 * preset's root (do_sys_openat2), else __se_sys_/__do_sys_/sys_, else a
 * shared dispatcher (x64_sys_call).  Never from version numbers.
 */
#ifndef KF_RESOLVE_H
#define KF_RESOLVE_H

#include "kf_preset.h"
#include "kf_strtab.h"

struct kf_tracer;

struct kf_kinfo {
	struct kf_strtab funcs;   /* traceable functions */
	int have_funcs;           /* available_filter_functions was readable */
	char *funcs_error;        /* why not, if not */
	char **syscalls;          /* names with sys_enter_ and sys_exit_ events */
	int nsyscalls;
	const char *arch_prefix;  /* "__x64_sys_", or NULL */
};

/* Read what the kernel behind t offers; funcs 0: not the traceable
 * functions (--boundary: ~50k names, 0.3 s under emulation, for
 * nothing).  *text (*len bytes): available_filter_functions' text if the
 * caller has it (kf_ktab), else NULL, and then the text read, which the
 * caller frees (text NULL: not kept).  Returns 0 or -1 (kf_err). */
int kf_kinfo_load(struct kf_kinfo *ki, const struct kf_tracer *t,
		  const char *machine, int funcs, char **text, size_t *len);
/*
 * Build from lists (tests): funcs and syscalls NULL-terminated (either may
 * be NULL: "not readable").  Returns 0 or -1.
 */
int kf_kinfo_init(struct kf_kinfo *ki, const char *const *funcs,
		  const char *const *syscalls, const char *machine);
void kf_kinfo_release(struct kf_kinfo *ki);

/* The arch's syscall entry prefix for `uname -m`, or NULL. */
const char *kf_arch_entry_prefix(const char *machine);

struct kf_target {
	char *name;      /* syscall name ("openat") or function glob */
	int is_syscall;
	int has_events;  /* sys_enter_/sys_exit_ events exist */
	char *root;      /* graph function chosen, NULL if none */
	int shared;      /* root runs for other syscalls too */
	int nmatch;      /* functions a -g glob matched */
};

/*
 * Resolve syscall `name` ("openat", "sys_openat", "__x64_sys_openat").
 * With need_root, it must also have a traceable graph root (the preset's
 * roots are tried in order; "@entry" is the arch entry).  Returns 0, or -1
 * with kf_err set: an unknown name lists the nearest valid names.
 * kf_target_release frees out.
 */
int kf_resolve_syscall(const struct kf_kinfo *ki, const char *name,
		       const struct kf_preset *preset, int need_root,
		       struct kf_target *out);

/* Resolve -g FUNC (a name or glob) against the traceable functions. */
int kf_resolve_function(const struct kf_kinfo *ki, const char *glob,
			struct kf_target *out);

/*
 * Check a -N GLOB before any tracefs write (the kernel refuses a name it
 * does not know only once tracefs has changed): 0 when it matches a
 * traceable function or there is no list to check, else -1 with kf_err
 * (KF_EXIT_USAGE) naming the nearest functions.
 */
int kf_resolve_notrace(const struct kf_kinfo *ki, const char *glob);

/* Return probes kfollow places at most (--retval): each is a kretprobe
 * the kernel runs on every return of its function, on every task. */
#define KF_RETVAL_MAX 32

/*
 * The traceable functions the n globs name, for --retval: into *out
 * (an owned array of borrowed names from ki, *nout of them), each once.
 * strict (the user's own globs): a glob that matches nothing is an error;
 * else (a preset's: functions move between kernels) it is skipped.  More
 * than KF_RETVAL_MAX is an error either way.  Returns 0 or -1 (kf_err,
 * KF_EXIT_USAGE).
 */
int kf_resolve_retval(const struct kf_kinfo *ki, char *const *globs, int n,
		      int strict, const char ***out, int *nout);

void kf_target_release(struct kf_target *t);

/*
 * Up to n names from `names` nearest to `word` by edit distance, comma
 * separated into buf ("openat, openat2, open"); "" if none is near.
 */
void kf_nearest(const char *word, const char *const *names, size_t count,
		char *buf, size_t len, int n);

#endif
