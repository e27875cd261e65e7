/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_event.h - kfollow's own event record, the seam between sources (the
 * live ring-buffer reader, the function_graph text importer) and sinks (the
 * tree builder).  Sources fill these from whatever they read; sinks never
 * see tracefs or text.
 *
 * Sources deliver events in timestamp order across CPUs (each task's
 * events in the order they happened).
 */
#ifndef KF_EVENT_H
#define KF_EVENT_H

#include <stdint.h>
#include "kf_model.h"

enum kf_ev_type {
	KF_EV_ENTRY = 1,  /* function_graph entry */
	KF_EV_EXIT,       /* function_graph exit */
	KF_EV_SYS_ENTER,  /* syscall enter event: arguments */
	KF_EV_SYS_EXIT,   /* syscall exit event: return value */
	KF_EV_STRING,     /* a string argument of the task's pending syscall */
	KF_EV_LOST,       /* the kernel dropped events on `cpu` before `ts` */
	KF_EV_FORK,       /* task `pid` created task `fork.child` */
	KF_EV_EXEC,       /* task `pid` exec'd; comm is its new name */
	KF_EV_TASK_EXIT,  /* task `pid` exited */
	KF_EV_RETVAL,     /* function `retval.func` of task `pid` returned */
	KF_EV_FDNEW,      /* task `pid` was given fd `fdnew.fd` (fd_install) */
	KF_EV_SWITCH,     /* the CPU went from task `sw.prev` to `sw.next` */
	KF_EV_WAKEUP,     /* task `pid` woke task `wake.pid` */
};

/* Context of the record, from common_flags/common_preempt_count. */
enum kf_ev_ctx {
	KF_CTX_HARDIRQ = 1 << 0,
	KF_CTX_SOFTIRQ = 1 << 1,
	KF_CTX_NMI = 1 << 2,
};

struct kf_event {
	uint64_t ts;   /* ns on the trace clock */
	int32_t pid;   /* thread id */
	uint16_t cpu;
	uint8_t type;  /* enum kf_ev_type */
	uint8_t ctx;   /* enum kf_ev_ctx */
	union {
		struct {
			uint32_t func;  /* strtab id */
			int32_t depth;  /* kernel's graph depth, 0 at a root */
			uint32_t args;  /* strtab id of "name=value, ..."
					 * (funcgraph-args), KF_NONE */
		} entry;
		struct {
			uint32_t func;
			int32_t depth;
			uint32_t overrun;
			uint64_t calltime, rettime; /* ns; dur = rettime - calltime */
		} exit;
		struct {
			uint32_t sys;   /* index in model->sys */
			uint64_t args[KF_MAX_ARGS];
		} sys_enter;
		struct {
			uint32_t sys;
			int64_t ret;
		} sys_exit;
		struct {
			uint32_t sys;
			uint8_t arg;    /* argument index */
			uint32_t str;   /* strtab id */
		} string;
		struct {
			int64_t count;  /* -1: the kernel did not say how many */
		} lost;
		struct {
			int32_t child;
			uint32_t comm;  /* strtab id, may be 0 */
		} fork;
		struct {
			uint32_t comm;  /* strtab id */
		} task;           /* KF_EV_EXEC, KF_EV_TASK_EXIT */
		struct {
			uint32_t func;  /* strtab id */
			int64_t val;    /* the register as recorded */
		} retval;
		struct {
			int32_t prev, next;
			uint32_t prev_comm, next_comm; /* strtab ids, may be 0 */
			int64_t prev_state; /* 0 (running: preempted) or a
					     * sleep's state bits */
		} sw;
		struct {
			int32_t pid;    /* the task woken */
		} wake;
		struct {
			int32_t fd;
		} fdnew;
	};
};

/*
 * Where a source sends its events.  event() returns 0 to go on, -1 to stop
 * the source (with kf_err set).
 */
struct kf_sink {
	int (*event)(void *ctx, const struct kf_event *ev);
	void *ctx;
};

#endif
