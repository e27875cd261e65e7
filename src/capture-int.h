/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * capture-int.h - what the parts of a live capture share: the state of
 * one capture (struct cap) and the calls between its files.
 *   capture.c  kf_capture_run and its steps; struct cap's life
 *   capsig.c   the stop and crash signals, the self-pipe
 *   child.c    the command (held until tracing is armed), -u, -p
 *   arm.c      the tracefs settings, one function per knob
 *   ring.c     the event formats, the per-CPU ring buffers and reading
 * kf_capture_* (kf_capture.h) is the public API; cap_<object>_<verb> are
 * these internal calls.
 */
#ifndef KF_CAPTURE_INT_H
#define KF_CAPTURE_INT_H

#include <stdint.h>
#include <sys/types.h>

#include "kf_capture.h"
#include "kf_cgroup.h"
#include "kf_event.h"
#include "kf_ksyms.h"
#include "kf_ktab.h"
#include "kf_resolve.h"
#include "kf_tracer.h"

struct tep_handle;
struct tracefs_cpu;
struct kf_raw;
struct kf_builder;
struct kf_dat;

/* One live capture, from kf_capture_run to cap_release (capture.c), which
 * frees everything it points to but o, m and plan (the caller's). */
/* Syscall target k of the followed ones, then of the fd-path ones (k <
 * ntargets + nctx). */
#define CAP_SYS_TARGET(c, k) \
	((k) < (c)->ntargets ? &(c)->targets[k] : &(c)->ctx[(k) - (c)->ntargets])

struct cap {
	const struct kf_opts *o;
	struct kf_model *m;
	uint64_t built, over;  /* events given to the builder; left out */
	uint64_t t_read, t_build; /* ns spent reading pages, building trees */
	int run_as;            /* -u: drop to run_uid/run_gid in the child */
	uid_t run_uid;
	gid_t run_gid;
	char *run_name;        /* for initgroups, NULL for a numeric -u */
	struct kf_tracer tr;
	int tr_open;
	struct kf_kinfo ki;
	struct kf_ktab ktab;	/* the kernel's tables, kept between runs */
	const struct kf_plan *plan;
	struct kf_target *targets;
	int ntargets;
	/* fd paths: the opens, dups and closes not followed, whose events
	 * are recorded to learn which file each fd names (kf_fdtab.h) */
	struct kf_target *ctx;
	int nctx;
	int graph;          /* function_graph mode */
	int all_sys;        /* --boundary naming no syscall: every one */
	int inst;           /* events and reading in kfollow's instance */
	char *degraded;
	char clock[33];     /* the trace clock of the buffer read */
	uint64_t scope_funcs;	/* functions set_ftrace_filter held (--scope) */
	char machine[65];
	char release[65];
	char build[65];     /* uname -v */
	struct tep_handle *tep;
	struct kf_raw *raw;
	struct kf_builder *b;
	int ncpus;
	struct tracefs_cpu **tcpu;
	int *cpufd;
	void *page;
	int page_size;
	uint64_t *overrun0;
	pid_t child;
	int go[2], errp[2];
	char *cmd_path;
	pid_t *pids;
	int npids;
	struct kf_cgroup cg;   /* --cgroup (cg.dir NULL without) */
	uint64_t cg_next;      /* when to scan it again */
	int armed;
	int child_pre_exec;  /* drop the child's records before its exec */
	int keep_exec;
	char dynsys[64];
	int eprobes;           /* the path strings come from event probes */
	const char **retfuncs; /* functions to probe for return values
				* (array owned, names ki's) */
	int nretfuncs;
	int retprobes;         /* return probes placed */
	int fdnew;             /* the fd_install kprobe placed */
	struct kf_btfargs *btf; /* --args: names funcgraph-args' registers */
	struct kf_ksyms ksyms;	/* function names, read on first need */
	int ksyms_read;
	int out_fd;            /* > 0: the command's stdout and stderr */
	struct kf_dat *dat;    /* --output FILE.dat: every page read goes there */
};

/* capture.c */

/* CLOCK_MONOTONIC in nanoseconds. */
/* Inside the VM --vm boots (KFOLLOW_VM_GUEST and its /init), which
 * powers off after the capture: 1, else 0. */
int cap_in_own_vm(void);
uint64_t cap_now_ns(void);
/* Task pid's name from /proc into comm (len bytes, "" if none): 1 if it
 * was read, 0 if the task is gone. */
int cap_task_comm(pid_t pid, char *comm, size_t len);
/* Tell the builder task pid's name, from /proc, now. */
void cap_task_name(struct cap *c, pid_t pid);

/* capsig.c: the signals */

/* Catch the stop signals, ignore SIGPIPE, restore tracefs on a crash;
 * forget the last run's stop signal.  Returns 0 or -1 (kf_err). */
int cap_sig_install(void);
/* Undo cap_sig_install, close its self-pipe (nothing if not installed). */
void cap_sig_restore(void);
/* In the child before exec: signals as kfollow inherited them, no crash
 * handler (it would restore tracefs under the live parent). */
void cap_sig_child_default(void);
/* 1 (with kf_err: nothing was traced) if a stop signal came, else 0. */
int cap_sig_interrupted(void);
/* The self-pipe's read end, readable once a stop signal came (for poll;
 * cap_sig_restore closes it). */
int cap_sig_fd(void);
/* Stop signals go on to pid too (0: to no one). */
void cap_sig_forward(pid_t pid);
/* A crash restores tr (NULL: nothing); tr stays the caller's. */
void cap_sig_crash_tracer(struct kf_tracer *tr);

/* capcgroup.c: --cgroup */

/* The cgroup's tasks into c->cg and c->pids (the first pid filter).
 * Returns 0 or -1 (kf_err: no cgroup v2, no such cgroup, none or too many
 * tasks in it). */
int cap_cgroup_collect(struct cap *c);
/* From the read loop: at most every 100 ms, append the tasks that joined
 * c->cg to the armed pid filters.  Returns 1 while it has tasks, 0 once
 * it is empty (or gone), -1 (kf_err). */
int cap_cgroup_rescan(struct cap *c);

/* child.c: the traced processes */

/* The command's path, found as execvp would (the caller frees it), or
 * NULL (kf_err: not found, not executable). */
char *cap_command_find(const char *name);
/* -u USER into c->run_* (run_name is c's).  Returns 0 or -1 (kf_err). */
int cap_user_resolve(struct cap *c, const char *user);
/* -p: every thread of each process into c->pids.  Returns 0 or -1 (kf_err). */
int cap_pids_collect(struct cap *c);
/* 1 while any -p process is still there, else 0. */
int cap_pids_alive(const struct cap *c);
/* Fork the command, held until cap_child_exec: c->child (also in c->pids)
 * and its pipes are c's.  Returns 0 or -1 (kf_err). */
int cap_child_fork(struct cap *c);
/* Let the held command exec.  Returns 0, or -1 (kf_err) if exec failed. */
int cap_child_exec(struct cap *c);
/* --drop-caches: sync(2), then "3" to /proc/sys/vm/drop_caches (the page
 * cache, dentries and inodes), from kfollow's own process, which no
 * filter follows.  Returns 0 or -1 (kf_err). */
int cap_drop_caches(void);
/* --setup: each command through /bin/sh -c, as kfollow's user, before
 * tracing is armed (so untraced), its output on stderr.  Returns 0, or -1
 * (kf_err) for the first that fails or that a signal ends. */
int cap_setup_run(const struct kf_opts *o);
/* SIGKILL the command and reap it (nothing if there is none). */
void cap_child_kill(struct cap *c);
/* The exit code for wait status st: its exit status, or 128+N for signal N. */
int cap_child_exit_code(int st);

/* arm.c: the tracefs settings (tracing left off; restoring undoes them) */

/* function_graph in the top-level buffer for c->targets and c->pids.
 * Returns 0, or -1 (kf_err; errno as the refused write left it). */
int cap_arm_graph(struct cap *c);
/* The syscall events in kfollow's own instance (c->inst).  Returns 0 or
 * -1 (kf_err). */
int cap_arm_boundary(struct cap *c);

/* ring.c: the read side */

/* c->ncpus from tracefs's per_cpu directories.  Returns 0 or -1 (kf_err). */
int cap_ring_count_cpus(struct cap *c);
/* The event formats (c->tep) and the record reader (c->raw) for the
 * syscall targets; cap_tep_unload or cap_release frees them.  Returns 0
 * or -1 (kf_err). */
int cap_tep_load(struct cap *c);
/* Free c->tep, c->raw and the kallsyms read for them. */
void cap_tep_unload(struct cap *c);
/* Open the ring-buffer readers (and --output FILE.dat), note the overrun
 * counters, switch tracing on (c->armed).  cap_ring_close closes the
 * readers, cap_release frees them.  Returns 0 or -1 (kf_err). */
int cap_ring_start(struct cap *c);
/* Close the ring-buffer readers (the kernel refuses some restores while
 * they are open); their arrays stay until cap_release. */
void cap_ring_close(struct cap *c);
/* Read the filled pages into c->raw (and c->dat); final: every page, the
 * partial ones too.  Returns the pages read (*more: some were left), or
 * -1 (kf_err). */
int cap_ring_drain(struct cap *c, int final, int *more);
/* Build the records read so far into trees (kf_raw_process_max; final:
 * all of them; max: at most that many, 0 no limit), timed into
 * c->t_build.  Returns 1 if it stopped at max, 0, or -1 (kf_err). */
int cap_ring_build(struct cap *c, struct kf_sink sink, int final,
		   uint64_t max);
/* Read, build and tick until the command exits (*st, *exited), the -p
 * processes are gone, deadline (0: none) passes, a stop signal comes or
 * hooks->tick says stop.  Returns 0 or -1 (kf_err). */
int cap_ring_read_loop(struct cap *c, const struct kf_capture_hooks *hooks,
		       struct kf_sink sink, uint64_t t_run, uint64_t deadline,
		       int *st, int *exited);
/* Add the overruns the CPUs counted but no page flagged to m's lost
 * events. */
void cap_ring_count_overruns(struct cap *c);

#endif
