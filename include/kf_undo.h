/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_undo.h - one change kfollow made to tracefs, as the way to take it
 * back: what the tracer keeps in memory and the journal keeps on disk
 * (kf_tracer.h and kf_journal.h both build on it, neither on the other's
 * internals).
 */
#ifndef KF_UNDO_H
#define KF_UNDO_H

#include <stddef.h>

enum kf_undo_op {
	KF_UNDO_WRITE,   /* truncate path and write data (may be empty) */
	KF_UNDO_APPEND,  /* append data to path (remove a dynamic event) */
	KF_UNDO_RMDIR,   /* remove a directory kfollow created (instance) */
	KF_UNDO_UMOUNT,  /* unmount tracefs kfollow mounted */
};

struct kf_undo {
	enum kf_undo_op op;
	char *path;      /* absolute */
	char *data;      /* what to write */
	size_t len;
	char *orig;      /* the bytes read before the change, to verify */
	size_t orig_len;
	int done;        /* restored already */
};

/* Apply one undo record (async-signal-safe: no allocation, no stdio).
 * Returns 0 or -1 with errno set. */
int kf_undo_apply(const struct kf_undo *u);

#endif
