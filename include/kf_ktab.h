/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_ktab.h - the kernel's function tables, kept between runs.
 *
 * Every graph run needs available_filter_functions (the traceable
 * functions, ~47k lines on 7.2) and the addresses of those functions from
 * /proc/kallsyms (~199k lines).  The kernel makes each line with a symbol
 * lookup or expansion: 0.22 s and 0.29 s under emulation, every run, for
 * tables that change only with the kernel, its load address (KASLR) and
 * its modules.  A run saves them under a key naming those three; a later
 * run whose key matches reads one file instead.
 *
 * The file: "kfollow-ktab 1 KEYLEN FUNCSLEN SYMSLEN\n", then the key, the
 * available_filter_functions text as the kernel gave it (its line order
 * is what --scope's indexes count) and "ADDR t NAME\n" lines, by
 * address, for the text symbols whose names are traceable.
 */
#ifndef KF_KTAB_H
#define KF_KTAB_H

#include <stddef.h>

struct kf_strtab;
struct kf_ksyms;

struct kf_ktab {
	char *key;         /* this kernel's key; NULL: no caching */
	char *path;        /* the cache file */
	char *funcs;       /* available_filter_functions text, or NULL */
	size_t funcs_len;
	char *syms;        /* "ADDR t NAME\n" lines, or NULL */
	size_t syms_len;
	int hit;           /* funcs and syms came from the file */
};

/*
 * The key of the running kernel, from the files under proc ("/proc"):
 * version, the first text symbol of kallsyms (where KASLR put the
 * kernel) and each module's name, size and address.  NULL when it cannot
 * be known (a file unreadable, addresses hidden by kptr_restrict): then
 * nothing is cached.  The caller frees it.
 */
char *kf_ktab_key(const char *proc);

/*
 * The cache file: $KFOLLOW_KTAB if set (empty: no cache), else "ktab" in
 * the journal's directory (/run/kfollow).  A new string the caller frees,
 * or NULL.
 */
char *kf_ktab_path(void);

/*
 * Take the tables from a file's bytes if its key is key.  Returns 1
 * (t->funcs and t->syms are new copies t owns), 0 (another kernel's, or
 * not a table file: t unchanged), -1 (out of memory, kf_err).
 */
int kf_ktab_parse(struct kf_ktab *t, const char *buf, size_t len,
		  const char *key);

/*
 * Open the cache for the running kernel: t->key and t->path, and the
 * tables when the file at t->path has that key and is root's own (a file
 * others could have written is not trusted).  Returns 1 (hit), 0 (no
 * usable file, or caching off: t->key NULL), -1 (out of memory).
 */
int kf_ktab_open(struct kf_ktab *t, const char *proc);

/*
 * The symbol lines to keep: those of ks whose names are in funcs (the
 * traceable ones; enough to name any address inside a traceable
 * function).  A new string (*len bytes) the caller frees, or NULL.
 */
char *kf_ktab_syms_text(const struct kf_ksyms *ks,
			const struct kf_strtab *funcs, size_t *len);

/*
 * Write t's key, funcs and syms to t->path (its directory made 0700),
 * through a temporary file renamed over it.  Returns 0 or -1 (kf_err).
 */
int kf_ktab_save(const struct kf_ktab *t);

/* Free what t holds (the cache file stays). */
void kf_ktab_release(struct kf_ktab *t);

#endif
