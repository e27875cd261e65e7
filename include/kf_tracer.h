/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_tracer.h - tracefs, and the undo log of everything kfollow changes.
 *
 * Every write goes through kf_tracer_write/append, which read and keep the
 * file's value before the first change.  kf_tracer_restore puts every file
 * back, newest change first, then removes what kfollow created (its
 * instance, its dynamic events) and unmounts tracefs if kfollow mounted it.
 * The restore uses only open/write/close/rmdir/umount on preformatted
 * data, so a signal handler may call it.
 */
#ifndef KF_TRACER_H
#define KF_TRACER_H

#include <stddef.h>
#include <sys/types.h>
#include "kf_undo.h"

struct tracefs_instance;

struct kf_tracer {
	char *dir;                      /* tracefs mount point */
	struct kf_journal *journal;     /* the undo log on disk, or NULL */
	int mounted;                    /* kfollow mounted it */
	struct tracefs_instance *inst;  /* kfollow's private instance or NULL */
	char *inst_dir;                 /* its directory, or NULL */
	struct kf_undo *undo;
	size_t nundo, undo_cap;
	char **own;          /* directories kfollow created (dynamic events):
				their files go away with them, nothing to save */
	size_t nown;
	int restoring;
};

/*
 * Find tracefs (dir, or /sys/kernel/tracing, or /sys/kernel/debug/tracing)
 * and point libtracefs at it; mount it at /sys/kernel/tracing if it is not
 * mounted (unmounted again by kf_tracer_restore).  With jdir, every change
 * is first written to the journal there (kf_journal.h), which also locks
 * out a second kfollow and replays what a killed one left.  Returns 0 or
 * -1 with kf_err set (KF_EXIT_UNAVAILABLE, KF_EXIT_NOPERM, KF_EXIT_INUSE).
 */
int kf_tracer_open(struct kf_tracer *t, const char *dir, const char *jdir);

/* Where tracefs is mounted (/sys/kernel/tracing, else the debugfs
 * path), or NULL; never mounts.  A static string. */
const char *kf_tracer_mounted(void);

/*
 * Create a private instance "kfollow-<pid>" and direct later writes that
 * name an instance file there.  Removed by kf_tracer_restore.
 */
int kf_tracer_instance_create(struct kf_tracer *t);

/* Absolute path of file in the top level (inst = 0) or kfollow's
 * instance (inst = 1).  Caller frees. */
char *kf_tracer_path(const struct kf_tracer *t, int inst, const char *file);

/* Does the file exist? */
int kf_tracer_exists(const struct kf_tracer *t, int inst, const char *file);

/*
 * Read a whole file; *len gets its size.  Returns a NUL-terminated buffer
 * the caller frees, or NULL with kf_err set.
 */
char *kf_tracer_read(const struct kf_tracer *t, int inst, const char *file,
		     size_t *len);

/*
 * Save the file's value (first time only), then replace it with value
 * plus a newline.  Files inside kfollow's own instance are not saved: the
 * instance goes away.  Returns 0, or -1 with kf_err naming the file, the
 * value, and the kernel's reason from error_log when it gave one.
 */
int kf_tracer_write(struct kf_tracer *t, int inst, const char *file,
		    const char *value);
/* Like kf_tracer_write but appends (adds to a list file). */
int kf_tracer_append(struct kf_tracer *t, int inst, const char *file,
		     const char *value);

/*
 * Keep the value of path, a file outside tracefs that a library kfollow
 * calls changes and puts back by itself (libtracecmd sets
 * /proc/sys/kernel/kptr_restrict to 0 while it copies kallsyms), so that
 * every restore, a crash's and the journal's included, writes it back.
 * Returns 0 or -1 (kf_err).
 */
int kf_tracer_keep(struct kf_tracer *t, const char *path);

/*
 * Create a dynamic event (kprobe) from its definition, e.g.
 * "p:kfollow_12/openat_1 __x64_sys_openat arg=+0(+104(%di)):ustring",
 * and register its removal ("-:kfollow_12/openat_1").
 */
int kf_tracer_dynevent(struct kf_tracer *t, const char *def,
		       const char *removal);

/*
 * Undo every change, newest first.  Async-signal-safe.  Returns 0, or -1
 * if some file could not be restored (kf_tracer_verify says which).
 */
int kf_tracer_restore(struct kf_tracer *t);

/*
 * Like kf_tracer_restore but leaves tracefs mounted (if kfollow mounted
 * it), so kf_tracer_verify can still read it; kf_tracer_restore then
 * finishes with the unmount.
 */
int kf_tracer_restore_files(struct kf_tracer *t);

/*
 * After kf_tracer_restore_files (not from a signal handler): re-read each file
 * kfollow wrote and warn about any whose content differs from what was
 * there before.  Returns the number of files that differ.
 */
int kf_tracer_verify(struct kf_tracer *t);

/* Free the memory (does not restore). */
void kf_tracer_release(struct kf_tracer *t);

#endif
