/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_fgtext.h - importer of the kernel's own function_graph text (a saved
 * `trace` or `trace_pipe`), with any mix of the abstime, cpu, proc, tail,
 * irqs, overrun and overhead columns and latency flags.  A source: it turns
 * lines into kf_events for a sink (the tree builder, in function mode).
 */
#ifndef KF_FGTEXT_H
#define KF_FGTEXT_H

#include <stddef.h>
#include "kf_event.h"
#include "kf_model.h"

struct kf_fgtext_stats {
	unsigned long lines;    /* lines read */
	unsigned long records;  /* function entry/exit lines understood */
	unsigned long skipped;  /* comment, header and unknown lines */
	unsigned long lost;     /* events the text says were lost */
	unsigned long bad;      /* lines skipped for a negative number or
				 * one too large, not read as another */
	unsigned long bad_line; /* the first of them, from 1 */
};

/*
 * Parse buf[0..len) (a whole file) and send its events to sink.  Function
 * names and comms are interned in m->strs; m->meta gets the CPU count and
 * lost counts.  `name` is used in error messages.  Returns 0, or -1 with
 * kf_err set (KF_EXIT_DATAERR) when the text is not function_graph output
 * at all or names a CPU past 4095; lines it cannot understand inside a
 * valid trace are skipped and counted (stats->bad for broken numbers).
 */
int kf_fgtext_parse(const char *buf, size_t len, struct kf_model *m,
		    struct kf_sink sink, const char *name,
		    struct kf_fgtext_stats *stats);

/* Does buf look like function_graph text? */
int kf_fgtext_sniff(const char *buf, size_t len);

#endif
