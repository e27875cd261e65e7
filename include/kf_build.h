/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_build.h - the tree builder: a kf_sink that turns a stream of
 * kf_events into invocations and call trees in a kf_model.
 *
 * Per task it keeps a stack of open functions, so interleaved CPUs and
 * tasks that migrate are fine.  It repairs what the kernel loses: an exit
 * whose entry was lost becomes a KF_NODE_NOENTRY node that adopts the
 * children recorded after its start; an entry whose exit never came is
 * closed as KF_NODE_NOEXIT at the next record that proves it returned, or
 * at the end of the capture.
 *
 * A function's duration is rettime - calltime from its exit record: the
 * kernel reads both from trace_clock_local() (sched_clock) as the call
 * starts and returns, the numbers trace-cmd report and perf print.  Record
 * times (the ring buffer's trace clock) place calls and time the syscall
 * headers; on a kernel that found its TSC unstable that clock is "global",
 * which stands still between late timer ticks and then jumps (see TIMES in
 * kfollow(1)), so they never time a function when calltime/rettime do.
 */
#ifndef KF_BUILD_H
#define KF_BUILD_H

#include <stdint.h>
#include "kf_event.h"
#include "kf_model.h"

enum kf_build_mode {
	/* Invocations are delimited by KF_EV_SYS_ENTER/KF_EV_SYS_EXIT. */
	KF_BUILD_SYSCALL,
	/* Each top-level function call of a task is one invocation. */
	KF_BUILD_FUNCTION,
};

struct kf_build_opts {
	enum kf_build_mode mode;
	/* Drop (and count in meta.dropped) trees outside any syscall
	 * invocation, for graph roots shared with other syscalls. */
	int drop_outside;
	/* Cut the trees below this depth (0: keep all), for kernels whose
	 * max_graph_depth kfollow could not set. */
	int max_depth;
	/* In syscall mode, the syscall a tree outside any invocation is
	 * attributed to (KF_NONE: unknown), e.g. the only one traced. */
	uint32_t default_sys;
	/* The events carry ring-buffer record times beside the exits'
	 * calltime and rettime (live captures): check the trace clock
	 * against the kernel's own call times, count where it stood still
	 * (meta.clock_stalls) and flag what it cannot time.  Text traces
	 * print rounded durations, not record times: leave it 0 there. */
	int check_clock;
	/* Leave the sched tracepoints' iterators (__traceiter_sched_*) and
	 * what they call out of the trees, as if cut by depth: kfollow's own
	 * events and set_event_pid fire them inside the traced tasks, and
	 * the kernel's set_graph_notrace would cost a pass over every
	 * function to set and an RCU wait to clear (see arm.c).  The time
	 * stays in the caller. */
	int hide_sched_iter;
};

struct kf_builder;

/*
 * Start building into m (which the caller owns and must outlive the
 * builder).  Returns a builder to free with kf_builder_free, or NULL.
 */
struct kf_builder *kf_builder_new(struct kf_model *m,
				  const struct kf_build_opts *opts);

/* Feed one event.  Returns 0, or -1 (out of memory, kf_err set). */
int kf_builder_event(struct kf_builder *b, const struct kf_event *ev);

/*
 * Tell the builder a task's name before its first event (tasks that
 * existed before the capture: -p PID).  comm is a strtab id in the model.
 */
void kf_builder_task_comm(struct kf_builder *b, int32_t pid, uint32_t comm);
/*
 * fd paths (kf_fdtab.h): syscall sys (an index in the model's syscalls)
 * is recorded only to learn which file each fd names: its events make no
 * invocation.  Returns 0 or -1 (out of memory).
 */
int kf_builder_fd_context(struct kf_builder *b, uint32_t sys);
/* Task pid had fd open on path before tracing began (from /proc).
 * Returns 0 or -1 (out of memory). */
int kf_builder_fd_set(struct kf_builder *b, int32_t pid, int fd,
		      const char *path);

/* A kf_sink that feeds b. */
struct kf_sink kf_builder_sink(struct kf_builder *b);

/*
 * Close everything still open as of `end_ts` (the capture ended): open
 * functions become KF_NODE_NOEXIT, open invocations KF_CALL_NOEXIT.  Then
 * compute self times.  Call once, after the last event.
 */
int kf_builder_finish(struct kf_builder *b, uint64_t end_ts);

/* Free the builder (not the model). */
void kf_builder_free(struct kf_builder *b);

/*
 * Compute every node's self time from dur and its children, for models
 * filled by other means (the capture reader).  Returns 0.
 */
int kf_model_compute_self(struct kf_model *m);

#endif
