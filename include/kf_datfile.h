/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_datfile.h - the raw ring-buffer pages of a live capture saved as a
 * trace-cmd data file (--output FILE.dat), through libtracecmd's writer,
 * so that trace-cmd report and KernelShark read what kfollow read: an
 * independent decoding to compare kfollow's trees with.
 *
 * The formats (header page, ftrace and enabled events), kallsyms and
 * printk formats are written when the file is opened, while tracefs still
 * shows kfollow's dynamic events; pages go to one unlinked temporary file
 * per CPU beside the output; the command lines are copied before tracefs
 * is restored (kfollow may unmount it); closing adds the pages and renames
 * the file into place.
 */
#ifndef KF_DATFILE_H
#define KF_DATFILE_H

#include <stddef.h>

struct kf_dat;

/* What the file describes; kf_dat_open copies what it keeps. */
struct kf_dat_info {
	const char *tracing_dir; /* tracefs: formats, printk_formats,
				    saved_cmdlines */
	const char *kallsyms;    /* NULL: /proc/kallsyms */
	const char *events;      /* set_event of the buffer read:
				    "system:event" lines, NULL or "" for none */
	const char *clock;       /* its trace_clock text, "[local] global ..."
				    (NULL: "local") */
	int ncpus;
	int page_size;           /* bytes of one ring-buffer page */
};

/* Does path name a trace-cmd data file (ends in ".dat")? */
int kf_dat_path(const char *path);

/*
 * Start path.tmp and write the headers.  Returns a handle to free with
 * kf_dat_free, or NULL with kf_err set ("cannot write 'x.dat': ...",
 * KF_EXIT_IOERR).  Nothing is at path until kf_dat_close succeeds.
 */
struct kf_dat *kf_dat_open(const char *path, const struct kf_dat_info *info);

/* Keep one page read from CPU cpu (size <= page_size; the rest of the
 * page is written as zeros).  Returns 0 or -1 (kf_err). */
int kf_dat_add_page(struct kf_dat *d, int cpu, const void *page, size_t size);

/* Pages kept so far, all CPUs. */
unsigned long long kf_dat_pages(const struct kf_dat *d);

/* Copy tracefs's saved_cmdlines (pid to task name) in: after the last
 * page is read, before tracefs changes.  Returns 0 or -1 (kf_err). */
int kf_dat_add_cmdlines(struct kf_dat *d);

/* Finish the file: the command lines if not in yet, the pages of every
 * CPU in the order they were added; then rename it to path.  Returns 0
 * or -1 (kf_err). */
int kf_dat_close(struct kf_dat *d);

/* Free d; a file not closed is removed.  NULL is fine. */
void kf_dat_free(struct kf_dat *d);

/* Does buf (len bytes, the start of a file) begin as a trace-cmd data
 * file does? */
int kf_datin_sniff(const char *buf, size_t len);
struct kf_model;
/*
 * --input FILE.dat: read a trace-cmd data file's function_graph (and
 * syscalls) records into m, through libtracecmd and kfollow's own decoder
 * and tree builder.  Returns 0 or -1 (kf_err: not readable, damaged, or
 * no function_graph records, each with what to do).
 */
int kf_datin_load(const char *path, struct kf_model *m);

#endif
