/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_raw.h - the raw reader: per-CPU ring-buffer pages in, kf_events out,
 * merged across CPUs by timestamp.  Field offsets and types come from the
 * event format files (through libtraceevent), never from assumptions, so
 * layout changes between kernels (depth's type, calltime/rettime, args[])
 * are handled by reading the format.
 */
#ifndef KF_RAW_H
#define KF_RAW_H

#include <stddef.h>
#include <stdint.h>
#include "kf_event.h"
#include "kf_model.h"

struct tep_handle;
struct kf_raw;

/* Function addresses to names.  Returns NULL if unknown. */
typedef const char *(*kf_symbolize_fn)(void *ctx, uint64_t addr);

/*
 * Start a reader for pages recorded with the formats in tep (which the
 * caller owns and must outlive the reader).  Names are interned in m.
 * ncpus: the number of per-CPU buffers.  Returns NULL with kf_err set.
 */
struct kf_raw *kf_raw_new(struct tep_handle *tep, struct kf_model *m,
			  int ncpus, kf_symbolize_fn sym, void *sym_ctx);
void kf_raw_free(struct kf_raw *r);
/*
 * Name and format funcgraph-args' registers in entry records with b
 * (which stays the caller's, and must outlive r): each entry event then
 * carries its arguments as a string in the model's table.
 */
struct kf_btfargs;
void kf_raw_set_btf(struct kf_raw *r, struct kf_btfargs *b);
/*
 * Decode one record (data, len bytes, recorded at ts on cpu) that another
 * reader took out of its page, libtracecmd's for a trace.dat, and send
 * its events to sink.  The caller delivers records in time order.
 * Returns 0 (a record not traced, or bad, is counted and skipped) or -1.
 */
int kf_raw_record(struct kf_raw *r, int cpu, const void *data, int len,
		  uint64_t ts, struct kf_sink sink);

/*
 * Declare syscall `name` traced: its sys_enter_/sys_exit_ events become
 * KF_EV_SYS_ENTER/EXIT, and its descriptor (argument names and kinds) is
 * added to the model.  Returns the descriptor index, or KF_NONE (kf_err)
 * if the kernel has no such events.
 */
uint32_t kf_raw_add_syscall(struct kf_raw *r, const char *name);

/*
 * Declare the dynamic event system/event as carrying string argument
 * `arg` of syscall descriptor `sys` in its field `field`.
 */
int kf_raw_add_string_event(struct kf_raw *r, const char *system,
			    const char *event, const char *field, uint32_t sys,
			    int arg);

/* The strings a list probe fetches at most (the last only says whether
 * the list goes on). */
#define KF_RAW_LIST_MAX 8
/*
 * Declare the dynamic event system/event as carrying a NULL-terminated
 * list of strings (execve's argv) for argument `arg` of syscall `sys`, in
 * its n fields PREFIX0..PREFIXn-1, their pointers in p0..pn-1: the string
 * it gives the argument is the list joined by KF_LIST_SEP (kf_model.h).
 */
int kf_raw_add_strlist_event(struct kf_raw *r, const char *system,
			     const char *event, const char *prefix, int n,
			     uint32_t sys, int arg);

/*
 * Declare the dynamic event system/event as carrying the first bytes of
 * the buffer argument `arg` of syscall `sys`: nwords 64-bit words in its
 * fields b0..b(nwords-1), the buffer's length in field n.
 */
int kf_raw_add_bytes_event(struct kf_raw *r, const char *system,
			   const char *event, int nwords, uint32_t sys,
			   int arg);

/* Declare the dynamic event system/event as kfollow's probe on
 * fd_install: its field `field` (the fd) becomes KF_EV_FDNEW. */
int kf_raw_add_fdnew_event(struct kf_raw *r, const char *system,
			   const char *event, const char *field);

/*
 * Declare the dynamic event system/event as the return probe of function
 * `func`: its field `field` (the return register) becomes KF_EV_RETVAL.
 */
int kf_raw_add_retval_event(struct kf_raw *r, const char *system,
			    const char *event, const char *field,
			    const char *func);

/* Which of the syscall's string arguments the kernel records itself
 * (7.x: __filename_val); bit i for argument i. */
unsigned kf_raw_kernel_strings(struct kf_raw *r, uint32_t sys);

/* Take a copy of one ring-buffer page read from CPU cpu. */
int kf_raw_add_page(struct kf_raw *r, int cpu, const void *page, size_t size);

/*
 * Send the buffered events, in timestamp order, to sink.  Unless final,
 * only events that no record still unread can precede are sent: a CPU's
 * unread records are newer than the last one read from it and, once it
 * has been read dry twice (kf_raw_dry), than the newest record read from
 * any CPU by the first of those reads.  Returns 0 or -1.
 */
int kf_raw_process(struct kf_raw *r, struct kf_sink sink, int final);
/* kf_raw_process, but stop after max events (0: no limit), so a live
 * reader can go back to the rings between slices.  Returns 1 if it
 * stopped at max, 0 if nothing it may send is left, or -1. */
int kf_raw_process_max(struct kf_raw *r, struct kf_sink sink, int final,
		       uint64_t max);

/* The caller has just read CPU cpu's buffer dry (live capture).  A CPU
 * the caller cannot read must be reported dry too, or it holds every
 * other CPU's records back until the final kf_raw_process. */
void kf_raw_dry(struct kf_raw *r, int cpu);

/* kf_raw_dry for every CPU. */
void kf_raw_drained(struct kf_raw *r);

struct kf_raw_stats {
	uint64_t events;      /* records decoded */
	uint64_t entries;     /* of them, function_graph entries */
	uint64_t exits;       /* and exits */
	uint64_t skipped;     /* records of events kfollow did not ask for */
	uint64_t bad;         /* records too short for their format */
	uint64_t pages;
	uint64_t bytes;       /* page bytes held now */
	uint64_t lost;        /* records the kernel reported missing */
	uint64_t lost_unknown;/* pages that said "missed events" with no count */
};
void kf_raw_stats(const struct kf_raw *r, struct kf_raw_stats *st);

#endif
