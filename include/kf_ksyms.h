/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_ksyms.h - kernel function names for the addresses function_graph
 * records hold, from /proc/kallsyms text.  A sorted array over the text
 * itself: no allocation per symbol (libtraceevent's tep_parse_kallsyms
 * took ~1 s under emulation for the ~94k lines of a Debian kernel; this
 * is a fraction of that, and only runs when a record needs a name).
 */
#ifndef KF_KSYMS_H
#define KF_KSYMS_H

#include <stddef.h>
#include <stdint.h>

struct kf_ksym {
	uint64_t addr;
	const char *name;  /* into the text */
};

struct kf_ksyms {
	char *text;           /* the kallsyms text, names cut out in place */
	struct kf_ksym *v;    /* text symbols (t, T, w, W), by address */
	size_t n;
};

/*
 * Index kallsyms text (NUL-terminated; k takes it over and frees it in
 * kf_ksyms_release, also on failure).  Lines that are not "ADDR TYPE NAME
 * [\tMODULE]" are skipped; all-zero addresses (kptr_restrict) index
 * nothing.  Returns how many symbols, or -1 (out of memory, kf_err).
 */
long kf_ksyms_load(struct kf_ksyms *k, char *text);

/* The name of the text symbol at or below addr, or NULL (before the
 * first, or none loaded).  Points into k: valid until its release. */
const char *kf_ksyms_find(const struct kf_ksyms *k, uint64_t addr);

void kf_ksyms_release(struct kf_ksyms *k);

#endif
