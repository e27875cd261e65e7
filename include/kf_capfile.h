/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_capfile.h - the saved capture: a versioned JSON document holding a
 * model (meta, syscall descriptors, invocations and their trees), written
 * by --output and --format json, read back by --input with no root and no
 * tracefs.  The format is documented in kfollow-capture(5) and
 * man/kfollow-capture.schema.json.
 */
#ifndef KF_CAPFILE_H
#define KF_CAPFILE_H

#include <stdio.h>
#include "kf_model.h"

#define KF_CAPFILE_FORMAT "kfollow-capture"
#define KF_CAPFILE_VERSION 1

/* Write m as a capture document to f.  Returns 0 or -1 (kf_err set). */
int kf_capfile_write(FILE *f, const struct kf_model *m);

struct kf_srcmap;
struct kf_explain;
/* The same, with a "sources" object after the calls: where each function
 * of the trees is defined in src (--source), and with ex (--explain, or
 * NULL) kfollow's own line for those without a kernel-doc summary.  src
 * and ex are the caller's. */
int kf_capfile_write_src(FILE *f, const struct kf_model *m,
			 const struct kf_srcmap *src,
			 const struct kf_explain *ex);

/* Write m to the file at path (created 0644, replaced atomically). */
int kf_capfile_save(const char *path, const struct kf_model *m);

/*
 * Read a capture document from buf[0..len) into m (initialised by the
 * caller).  Returns 0, or -1 with kf_err set to a one-line message naming
 * what is wrong and where (KF_EXIT_DATAERR).  Never trusts the input:
 * bounds nesting depth, numbers and sizes.
 */
int kf_capfile_parse(const char *buf, size_t len, struct kf_model *m,
		     const char *name);

/* Does buf look like a capture document (vs function_graph text)? */
int kf_capfile_sniff(const char *buf, size_t len);

/*
 * Read a capture as kf_capfile_parse does, handing each call to each()
 * (0: go on, -1: stop with kf_err set) as soon as it is read, then
 * forgetting its tree: memory stays at one call's tree plus the strings,
 * when "meta" and "syscalls" come before "calls" (kfollow writes them so;
 * else every call is read first, then handed on).  mapped: buf is a
 * private mapping of the file, whose pages read can be dropped.  Returns
 * 0, or -1 with kf_err set (calls before a malformed one were handed on
 * already).
 */
int kf_capfile_stream(const char *buf, size_t len, int mapped,
		      struct kf_model *m, const char *name,
		      int (*each)(void *ctx, struct kf_model *m, uint32_t call),
		      void *ctx);

/*
 * Write s to f as a JSON string (quoted; control bytes, C1 controls and
 * invalid UTF-8 escaped as the capture's strings are).  Returns 0 or -1
 * (kf_err: a write error).
 */
int kf_json_string(FILE *f, const char *s);

#endif
