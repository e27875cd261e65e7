/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_journal.h - kfollow's undo log on disk, so a kill -9 or a crash never
 * leaves tracefs changed for good.
 *
 * Before each tracefs change the record that undoes it goes to
 * DIR/journal (DIR root-only, the file created with O_EXCL|O_NOFOLLOW,
 * mode 0600).  The session holds an exclusive flock on it: a second
 * kfollow finds it locked and refuses, naming the holder; a journal whose
 * lock is free was left by a run that died, and is replayed (newest change
 * first) before anything else.  A normal exit restores from memory and
 * removes the file.
 *
 * File: "kfollow-journal 1\npid N\ntracefs ROOT\n\n", then per change
 * "<op> <pathlen> <datalen>\n<path>\n<data>\n" with op W (write),
 * A (append), R (rmdir), U (umount).  A replay applies only changes
 * under ROOT (an instance for R, ROOT itself for U) and to the few files
 * outside tracefs kfollow keeps; it warns about and skips any other.
 */
#ifndef KF_JOURNAL_H
#define KF_JOURNAL_H

#include "kf_undo.h"

#define KF_JOURNAL_DIR "/run/kfollow"

/* Where journals live: KF_JOURNAL_DIR, or $KFOLLOW_JOURNAL_DIR (tests). */
const char *kf_journal_dir(void);

struct kf_journal {
	int fd;         /* the locked journal, -1 when ended */
	char *path;     /* DIR/journal (owned) */
};

/*
 * Take DIR/journal for this session, whose changes are under the tracefs
 * mount root (an absolute path, recorded in the header): replay and remove a stale one first
 * (saying so on stderr), refuse with KF_EXIT_INUSE while a live kfollow
 * holds it.  Returns a journal the caller ends with kf_journal_end and
 * frees with kf_journal_free, or NULL with kf_err set.
 */
struct kf_journal *kf_journal_begin(const char *dir, const char *root);

/* Append the record that undoes a change, before the change is made.
 * Returns 0 or -1 (kf_err set). */
int kf_journal_add(struct kf_journal *j, const struct kf_undo *u);

/* Remove the file and drop the lock: the state is restored.
 * Async-signal-safe.  NULL is fine. */
void kf_journal_end(struct kf_journal *j);

/* Free the memory (does not end the journal).  NULL is fine. */
void kf_journal_free(struct kf_journal *j);

/*
 * kfollow --restore: replay a stale journal in dir.  Returns 1 (restored;
 * *pid is the run that left it), 0 (no journal), or -1 with kf_err set
 * (KF_EXIT_INUSE: a live kfollow holds it, *pid says which).
 */
int kf_journal_recover(const char *dir, int *pid);

/*
 * Parse a journal's text into undo records, oldest first (*out, *n; the
 * caller frees them with kf_journal_undo_free).  Returns how many records
 * were malformed (a record cut short at the end is not: it was never
 * acted on).  Never applies anything.
 */
int kf_journal_parse(const char *buf, size_t len, struct kf_undo **out,
		     size_t *n);
void kf_journal_undo_free(struct kf_undo *u, size_t n);

/* For the tests: called between opening a journal and locking it, to
 * widen the window in which another run can replace it.  NULL normally. */
extern void (*kf_journal_probe_hook)(const char *path);

/* Who holds dir's journal: 0 none, 1 a live kfollow, 2 a dead one (stale);
 * *pid gets its pid. */
int kf_journal_owner(const char *dir, int *pid);

#endif
