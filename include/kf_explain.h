/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_explain.h - kfollow's own one-line explanations of the kernel
 * functions the labs show most that have no kernel-doc summary
 * (presets/explain.tsv: "name<TAB>text<TAB>file it was read in").  Where
 * the kernel has a kernel-doc comment, --explain quotes that instead
 * (kf_srcmap.h); where neither has a line, nothing is shown.
 */
#ifndef KF_EXPLAIN_H
#define KF_EXPLAIN_H

#include <stddef.h>

#define KF_EXPLAIN_TEXT_MAX 160

struct kf_explain;

/* Parse an explanations file held in buf[0..len) (copied).  Lines: '#'
 * comments, blank lines, or "name<TAB>text<TAB>file".  NULL: kf_err names
 * the bad line.  kf_explain_free frees it. */
struct kf_explain *kf_explain_parse(const char *buf, size_t len);
/* The explain.tsv of the preset directories; NULL (kf_err) if there is
 * none or it is bad. */
struct kf_explain *kf_explain_load(void);
void kf_explain_free(struct kf_explain *e);
/* func's explanation (compiler suffixes ignored) and, into *file if not
 * NULL, the file it was read in; NULL if it has none.  Points into e. */
const char *kf_explain_get(const struct kf_explain *e, const char *func,
			   const char **file);
/* How many functions it explains. */
size_t kf_explain_count(const struct kf_explain *e);

#endif
