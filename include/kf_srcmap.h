/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_srcmap.h - where each kernel function is defined: file and line in
 * the exact source of the traced kernel, and the one-line summary of its
 * kernel-doc comment where it has one.
 *
 * The map is built once per kernel version from Debian's linux-source
 * package of that version (150 MB, fetched into the cache like the VM
 * kernels): the source tarball is read as a stream (xz -dc) and every C,
 * header and x86 assembly file is scanned for definitions, so nothing
 * but the map (~6 MB) and the tarball lands on disk.  A file is unpacked
 * from the tarball only when someone opens it.  Why not the kernel's debug
 * package: it is ~1 GB per kernel; a map shipped in kfollow would need
 * updating with every Debian kernel upload.
 *
 * Data flow: tar stream -> kf_tar_read -> kf_srcscan_c/asm -> map file ->
 * kf_srcmap_load -> lookups by the renderers and the TUI.
 */
#ifndef KF_SRCMAP_H
#define KF_SRCMAP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "kf_model.h"

#define KF_SRC_DOC_MAX 200          /* bytes of a kernel-doc summary kept */
#define KF_SRC_FILE_MAX (16u << 20) /* larger members are not scanned */
#define KF_SRC_MAP_MAX (256u << 20) /* a larger map file is refused */

/* In a scanner's line: the definition is declared inline (a header's
 * stub for a configuration that leaves the real one out, mostly). */
#define KF_SRC_INLINE (1u << 31)

/*
 * One definition found by a scanner: name (nlen bytes, not terminated),
 * its 1-based line (| KF_SRC_INLINE), and the summary of the kernel-doc comment right before
 * it that names it (dlen bytes, cleaned of control characters), or NULL.
 * Return 0 to go on, -1 to stop the scan (its return value).
 */
typedef int (*kf_srcdef_fn)(void *ctx, const char *name, size_t nlen,
			    uint32_t line, const char *doc, size_t dlen);

/*
 * Scan C text (a .c or .h file) for function definitions: a name and
 * parameter list at file scope followed by a body.  SYSCALL_DEFINEn(name)
 * gives the symbols the macro makes (__x64_sys_name, __do_sys_name, ...).
 * Comments, strings and preprocessor lines are skipped; any bytes are
 * safe.  Returns 0, or fn's -1.
 */
int kf_srcscan_c(const char *buf, size_t len, kf_srcdef_fn fn, void *ctx);
/* Scan assembly text (.S) for SYM_FUNC_START(name), SYM_CODE_START(name),
 * SYM_INNER_LABEL(name, ...) and ENTRY(name).  Returns 0, or fn's -1. */
int kf_srcscan_asm(const char *buf, size_t len, kf_srcdef_fn fn, void *ctx);

/*
 * Read a tar stream (ustar, with GNU long names and pax paths): for each
 * regular file whose path want() accepts and that is at most max bytes,
 * call fn with its contents (valid during the call).  Returns 0 at the
 * end of the archive, -1 (kf_err) on a damaged archive, a read error or
 * fn's -1.
 */
int kf_tar_read(FILE *in, size_t max, int (*want)(void *ctx, const char *path),
		int (*fn)(void *ctx, const char *path, const char *data,
			  size_t len),
		void *ctx);

/*
 * Build a map from the kernel source tarball stream in (its top directory
 * is stripped from paths) and write it to out: a header line
 * "kfollow-srcmap 1<TAB>VERSION<TAB>TOPDIR" and one line per definition,
 * "name<TAB>file<TAB>line<TAB>summary", sorted by name (.c and .S before
 * .h).  Only what an x86-64 kernel builds from is scanned (other
 * architectures, tools/, scripts/, samples/ and Documentation/ are not).
 * Returns the number of definitions, or -1 (kf_err).
 */
long kf_srcmap_build(FILE *in, FILE *out, const char *version);

/* Where a function is defined.  Points into its map. */
struct kf_srcloc {
	const char *name;
	const char *file;   /* relative to the kernel tree: "fs/namei.c" */
	uint32_t line;
	const char *doc;    /* kernel-doc summary, or NULL */
	/* the map's own: */
	int inl;            /* declared inline */
	int gate;           /* its file's Makefile gate, -1: none known */
	uint32_t fid;       /* its file's id */
};

struct kf_srcmap;

/* Load a map file written by kf_srcmap_build; kf_srcmap_free frees it.
 * NULL (kf_err) if it cannot be read or is not a map. */
struct kf_srcmap *kf_srcmap_load(const char *path);
/* Load a map from memory (copied; for the fuzzer and tests). */
struct kf_srcmap *kf_srcmap_parse(const char *buf, size_t len);
void kf_srcmap_free(struct kf_srcmap *map);

/*
 * Where func is defined (a kernel symbol; compiler suffixes such as
 * ".isra.0", ".constprop.0", ".cold" are ignored), or NULL (*n = 0) when
 * the map has no definition.  Where the name is defined more than once,
 * the candidates are narrowed: a header's inline stub gives way to a real
 * definition, a file the kernel's config does not build (its Makefile's
 * obj-$(CONFIG_X) line, with kf_srcmap_bind's config) is dropped, then
 * the file that defines most of the capture's other functions wins (a
 * static function is called from its own file).  *n: how many are left
 * equal (1: one answer).  Valid until kf_srcmap_free.
 */
const struct kf_srcloc *kf_srcmap_lookup(const struct kf_srcmap *map,
					 const char *func, int *n);
/* The same, every candidate left equal: up to max into out (the first is
 * the lookup's answer); returns how many there are. */
int kf_srcmap_candidates(const struct kf_srcmap *map, const char *func,
			 const struct kf_srcloc **out, int max);
/*
 * Narrow lookups for the capture m: read the kernel's config (a
 * /boot/config-* file, or NULL) and count, for each file, the functions
 * of m that only it defines.  Returns 0 or -1 (kf_err).
 */
int kf_srcmap_bind(struct kf_srcmap *map, const struct kf_model *m,
		   const char *config);
/* The config file of kernel release ("6.1.0-57-amd64"): /boot's, or
 * the one in a kernel package kfollow --vm unpacked; the caller frees
 * it; NULL: none. */
char *kf_srcmap_config_path(const char *release);

/* The kernel version the map is of ("6.1.192-3"). */
const char *kf_srcmap_version(const struct kf_srcmap *map);
/* How many definitions the map holds. */
size_t kf_srcmap_count(const struct kf_srcmap *map);

/*
 * The Debian package version of the kernel a capture was made on, taken
 * from its build string (uname -v: "... Debian 6.1.192-3 (...)"), into
 * buf; NULL when the capture does not say (not a Debian kernel, or made by
 * a kfollow that did not record it).
 */
const char *kf_srcmap_debian_version(const struct kf_meta *mt, char *buf,
				     size_t len);

/*
 * The map of version's source ("6.1.192-3"), from the cache; when it is
 * not there and fetch is set, Debian's linux-source package of that
 * version is downloaded once (apt) and scanned (~30 s).  The caller frees
 * the map.  NULL: kf_err says what to do.
 */
struct kf_srcmap *kf_srcmap_open(const char *version, int fetch);

/* "https://sources.debian.org/src/linux/6.1.192-3/fs/namei.c/#L3780",
 * into the caller's buf. */
const char *kf_srcmap_url(const struct kf_srcmap *map,
			  const struct kf_srcloc *loc, char *buf, size_t len);

/*
 * loc's file on disk, unpacked once from the cached source tarball into
 * the cache (a few seconds the first time).  The caller frees the path.
 * NULL (kf_err) when the tarball is not cached (a map loaded with
 * kf_srcmap_load) or tar fails.
 */
char *kf_srcmap_file(const struct kf_srcmap *map, const struct kf_srcloc *loc);

#endif
