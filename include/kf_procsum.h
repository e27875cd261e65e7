/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_procsum.h - per process and per syscall totals of a capture, as
 * perf trace -s and strace -c give them: what --summary prints for a
 * syscall-boundary capture, and where to look next (the slowest syscall
 * of the slowest process, as the command that follows it into the
 * kernel).  A process is one task (comm[pid]): a thread is its own row,
 * as in perf trace -s.
 */
#ifndef KF_PROCSUM_H
#define KF_PROCSUM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kf_model.h"

struct kf_sys_sum {
	const char *name;     /* the model's: the syscall, or (function
			       * mode) the root function */
	uint64_t calls;
	uint64_t errors;      /* calls that returned -4095..-1 */
	uint64_t total, max;  /* ns, enter to exit; a call with no exit
			       * counts 0 */
};

/* A call's name in a summary: its syscall, else (function mode) the
 * function at its root, else "?" (the model's string). */
const char *kf_call_name(const struct kf_model *m, const struct kf_call *c);
/* Count call c in s. */
void kf_sys_sum_add(struct kf_sys_sum *s, const struct kf_call *c);
/* qsort order of struct kf_sys_sum: most total time first, then name. */
int kf_sys_sum_cmp(const void *a, const void *b);

struct kf_proc_sum {
	int32_t pid;
	const char *comm;     /* the model's: the name of its last call */
	struct kf_sys_sum all;    /* over every syscall (name NULL) */
	struct kf_sys_sum *sys;   /* by total time, most first */
	uint32_t nsys, cap;       /* rows, rows allocated */
};

struct kf_procsum {
	struct kf_proc_sum *procs; /* by total time, most first */
	uint32_t nprocs;
};

/*
 * Sum every call of m per task and per syscall.  Strings point into m,
 * which must outlive ps.  Returns 0 or -1 (kf_err: out of memory); free
 * with kf_procsum_release.
 */
int kf_procsum_init(struct kf_procsum *ps, const struct kf_model *m);
/* The same over the calls calls[0..ncalls) (calls NULL: the first
 * ncalls). */
int kf_procsum_init_calls(struct kf_procsum *ps, const struct kf_model *m,
			  const uint32_t *calls, uint32_t ncalls);
void kf_procsum_release(struct kf_procsum *ps);

/*
 * The command that follows the slowest syscall of the slowest process
 * into the kernel, into buf: "kfollow -p PID NAME" for a capture of
 * running processes (-p), else "kfollow NAME -- COMMAND" (the traced
 * command again).  Returns 0, or -1 when there is nothing to follow (no
 * call, or one without a syscall).
 */
int kf_procsum_drill(const struct kf_procsum *ps, const struct kf_model *m,
		     char *buf, size_t len);

/*
 * --summary of a boundary capture: per process, its syscalls' calls,
 * errors, total, average and max, with its own total, then the drill-down
 * command; text, or JSON objects ("processes", "drill_down") for the
 * caller's kfollow-summary document (json: the members, each preceded by
 * ",\n ").  Returns 0 or -1 (kf_err).
 */
int kf_procsum_write(FILE *f, const struct kf_procsum *ps,
		     const struct kf_model *m, int json);

#endif
