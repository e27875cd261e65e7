/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_model.h - a capture: the invocations kfollow saw and their timed kernel
 * call trees.  The tree builder (kf_build.h) and the capture reader
 * (kf_capfile.h) produce it; renderers and the TUI's view model read it.
 *
 * Nodes live in a chunked arena and refer to each other by 32-bit index,
 * so they never move and a node costs sizeof(struct kf_node) bytes.
 */
#ifndef KF_MODEL_H
#define KF_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include "kf_common.h"
#include "kf_strtab.h"

#define KF_MAX_ARGS 6

/* A list argument (execve's argv) kept as one string: its elements
 * joined by KF_LIST_SEP, and KF_LIST_MORE last when it may go on. */
#define KF_LIST_SEP '\x1e'
#define KF_LIST_MORE '\x1f'

enum kf_node_flags {
	KF_NODE_IRQ = 1 << 0,      /* hard interrupt entered inside the parent */
	KF_NODE_SOFTIRQ = 1 << 1,  /* softirq entered inside the parent */
	KF_NODE_NOENTRY = 1 << 2,  /* entry record missing: start from calltime */
	KF_NODE_NOEXIT = 1 << 3,   /* exit never seen: dur is a lower bound */
	KF_NODE_LOST = 1 << 4,     /* events were lost on its CPU while it ran */
	KF_NODE_OVERRUN = 1 << 5,  /* the kernel's return stack overran */
	KF_NODE_NMI = 1 << 6,      /* NMI entered inside the parent */
	/* The clock did not time it: 0 ns by both the kernel's call times
	 * and the record times, or its children add up to more than it
	 * (clocks of two CPUs disagree).  dur is not to be trusted. */
	KF_NODE_CLOCK = 1 << 7,
	/* its return value was recorded (--retval): kf_model_ret_get */
	KF_NODE_RET = 1 << 8,
	/* its task was switched out inside it: kf_model_note */
	KF_NODE_OFF = 1 << 9,
	/* its arguments were recorded (--args): kf_model_args_get */
	KF_NODE_ARGS = 1 << 10,
};

struct kf_node {
	uint64_t start;  /* ns on the trace clock */
	uint64_t dur;    /* ns, total time (children included) */
	uint64_t self;   /* ns, dur minus the children's dur */
	uint32_t func;   /* strtab id of the function name */
	uint32_t parent; /* node index, KF_NONE at the top of a call's tree */
	uint32_t child;  /* first child, KF_NONE for a leaf */
	uint32_t next;   /* next sibling, KF_NONE for the last */
	uint16_t depth;  /* 0 at the top of a call's tree */
	uint16_t cpu;    /* CPU of the entry (or exit if no entry) */
	uint16_t flags;  /* enum kf_node_flags */
	uint16_t pad;
};

enum kf_call_flags {
	KF_CALL_NOENTER = 1 << 0,    /* no syscall enter event: args unknown */
	KF_CALL_NOEXIT = 1 << 1,     /* capture ended before it returned */
	KF_CALL_INCOMPLETE = 1 << 2, /* events were lost while it ran */
	KF_CALL_HAS_RET = 1 << 3,    /* ret is valid */
	KF_CALL_REPAIRED = 1 << 4,   /* tree repaired (missing entry/exit) */
	KF_CALL_OPEN = 1 << 5,       /* still running (live capture) */
	/* The task left inside it (exit, exit_group): it never returns, and
	 * its tree ends where the task's records end. */
	KF_CALL_NORETURN = 1 << 6,
	/* The trace clock stood still or disagreed with the kernel's call
	 * times inside it: the header's duration is not to be trusted. */
	KF_CALL_CLOCK = 1 << 7,
};

/* Kind of a syscall argument, from the type in the event's format file. */
enum kf_arg_kind {
	KF_ARG_INT,  /* signed integer */
	KF_ARG_UINT, /* unsigned integer, size_t, umode_t */
	KF_ARG_PTR,  /* pointer to user memory */
	KF_ARG_STR,  /* const char * (a string the kernel may record) */
};

/* One syscall kfollow traced, as described by its sys_enter/exit events. */
struct kf_sysdesc {
	uint32_t name;                 /* strtab id: "openat" */
	int32_t nr;                    /* syscall number, -1 if unknown */
	uint8_t nargs;
	uint8_t argkind[KF_MAX_ARGS];  /* enum kf_arg_kind */
	uint32_t argname[KF_MAX_ARGS]; /* strtab ids: "dfd", "filename", ... */
};

/*
 * One invocation: a syscall from enter to exit (syscall mode), or one
 * top-level call of a traced function (function mode).
 */
struct kf_call {
	uint64_t start, end;           /* ns; end == start if unknown */
	int64_t ret;                   /* valid if KF_CALL_HAS_RET */
	uint64_t args[KF_MAX_ARGS];
	uint32_t argstr[KF_MAX_ARGS];  /* strtab id of a recorded string or KF_NONE */
	uint32_t sys;                  /* index in model->sys, KF_NONE in function mode */
	uint32_t root;                 /* first top-level node, KF_NONE if no tree */
	uint32_t nnodes;               /* nodes in its tree */
	uint64_t off;                  /* ns its task spent off the CPU inside
					* its tree (the nodes' KF_NOTE_OFF) */
	int32_t pid;                   /* thread id */
	uint32_t comm;                 /* strtab id */
	uint16_t cpu;
	uint16_t flags;                /* enum kf_call_flags */
};

enum kf_mode {
	KF_MODE_GRAPH,    /* function_graph trees under each invocation */
	KF_MODE_BOUNDARY, /* degraded: syscall events only, no trees */
	KF_MODE_TEXT,     /* imported from function_graph text */
};

/* Facts about a capture, saved in the capture file. */
struct kf_meta {
	char *kfollow_version;
	char *kernel;        /* uname -r of the traced kernel */
	char *kernel_build;  /* uname -v: "#1 SMP ... Debian 6.1.192-3 (...)",
			      * what names its exact source; NULL unknown */
	char *machine;       /* uname -m */
	char *date;          /* ISO 8601, UTC, when the capture started */
	char *command;       /* the traced command line, or "-p 123,456" */
	char *cgroup;        /* --cgroup: the cgroup traced, as
			      * /proc/PID/cgroup names it, NULL: none */
	char *targets;       /* what was followed: "openat,read" or "-g vfs_read" */
	char *roots;         /* graph functions kfollow set, comma-separated */
	char *notrace;       /* notrace globs, comma-separated */
	char *degraded;      /* why the capture is boundary-only, or NULL */
	char *source;        /* "live", "vm", "text:<file>", "capture:<file>" */
	char *clock;         /* the trace clock of record times, NULL unknown */
	char *scope;         /* --scope as given ("vfs,pagecache"), NULL: all
			      * functions were traced */
	uint64_t scope_functions; /* functions the scope traced (0 unknown) */
	char *retval;        /* functions whose return values were recorded,
			      * comma-separated, NULL: none */
	char *args;          /* how inner functions' arguments were recorded
			      * ("funcgraph-args"), NULL: they were not */
	enum kf_mode mode;
	int max_depth;       /* 0: unlimited */
	uint64_t min_duration; /* ns; render-time filter that was asked for */
	int exit_status;     /* traced command's wait status, -1 if none */
	uint64_t events;     /* records read from the ring buffer */
	uint64_t lost;       /* records the kernel dropped (all CPUs) */
	uint64_t dropped;    /* trees kfollow dropped (outside any invocation) */
	/* calls whose record times stood still while the kernel's own call
	 * times (calltime/rettime) moved: the trace clock stalled */
	uint64_t clock_stalls;
	int ncpus;
	uint64_t *lost_cpu;  /* ncpus entries */
};

/* Nodes live in chunks of 4096 (192 KiB), so a node's address never
 * moves while the model grows, and a small capture wastes at most one
 * part-filled chunk (64Ki-node chunks cost W2's 60-90k nodes 89 B each). */
#define KF_NODE_CHUNK_SHIFT 12
#define KF_NODE_CHUNK (1u << KF_NODE_CHUNK_SHIFT)

/* What kfollow learned about a node beyond its times: its return value
 * (--retval) and the time its task spent off the CPU inside it, with
 * who woke it (sched_switch, sched_wakeup). */
enum kf_note_has {
	KF_NOTE_RET = 1 << 0,
	KF_NOTE_OFF = 1 << 1,
	KF_NOTE_WAKER = 1 << 2,
	KF_NOTE_WAKER_IRQ = 1 << 3,  /* woken from an interrupt: the waker is
				      * the task that was on that CPU */
	KF_NOTE_PREEMPTED = 1 << 4,  /* it left the CPU runnable (preempted),
				      * not asleep, the last time */
	KF_NOTE_ARGS = 1 << 5,
};

struct kf_node_note {
	int64_t ret;          /* KF_NOTE_RET: the return register */
	uint64_t off;         /* KF_NOTE_OFF: ns switched out inside it */
	uint32_t nsleeps;     /* times it was switched out */
	int32_t waker_pid;    /* KF_NOTE_WAKER: who woke it (the last time) */
	uint32_t waker_comm;  /* strtab id, KF_NONE unknown */
	uint32_t waker_node;  /* the waker's node it woke it from, or KF_NONE
			       * (not traced there, or read back from a file) */
	uint32_t waker_func;  /* strtab id of waker_node's function (kept in
			       * files), KF_NONE */
	uint32_t args;        /* KF_NOTE_ARGS: strtab id of its arguments as
			       * "name=value, ..." (funcgraph-args), KF_NONE */
	uint16_t has;         /* enum kf_note_has */
};

/* The notes of the nodes that have one (KF_NODE_RET, KF_NODE_OFF), by
 * node index: few nodes have one, so they live beside the arena. */
struct kf_notes {
	uint32_t *node;           /* KF_NONE: empty slot */
	struct kf_node_note *val;
	uint32_t n, cap;          /* cap: 0 or a power of two */
};

struct kf_model {
	struct kf_strtab strs;
	struct kf_notes notes;
	struct kf_node **chunks;  /* KF_NODE_CHUNK nodes each */
	uint32_t nnodes, nchunks;
	size_t chunks_cap;        /* entries allocated in chunks */
	struct kf_call *calls;
	uint32_t ncalls, calls_cap;
	uint32_t path_dropped;    /* calls kf_model_keep_paths left out */
	uint32_t pick_dropped;    /* calls kf_model_keep_numbers left out */
	struct kf_sysdesc *sys;
	uint32_t nsys, sys_cap;
	struct kf_meta meta;
};

/* Set up an empty model.  Returns 0 or -1 (out of memory). */
int kf_model_init(struct kf_model *m);
/* Release everything the model holds (not the struct). */
void kf_model_release(struct kf_model *m);

static inline struct kf_node *kf_node_get(const struct kf_model *m, uint32_t i)
{
	return &m->chunks[i >> KF_NODE_CHUNK_SHIFT][i & (KF_NODE_CHUNK - 1)];
}

/* Append a zeroed node (links set to KF_NONE); returns its index or KF_NONE. */
uint32_t kf_model_node_new(struct kf_model *m);
/*
 * Whether call c recorded a string argument (a path) that matches one of
 * the n fnmatch(3) globs ('*' matches '/' too); n == 0: every call does.
 */
int kf_call_path_match(const struct kf_model *m, const struct kf_call *c,
		       char *const *globs, int n);
/* Keep only the calls kf_call_path_match takes (the order stays; their
 * nodes stay in the arena, unreachable).  Returns how many were dropped. */
uint32_t kf_model_keep_paths(struct kf_model *m, char *const *globs, int n);
/*
 * Keep only the calls whose numbers list names: 1-based, in the order the
 * trees list them, as "3", "1,4-6" or "2-" (2 to the last).  m NULL: check
 * the list only.  Returns how many were dropped, or -1 with kf_err set (a
 * malformed list: KF_EXIT_USAGE; a number past the last call:
 * KF_EXIT_DATAERR).
 */
long kf_model_keep_numbers(struct kf_model *m, const char *list);
/* Whether a (valid) --invocation list names number n; the highest number
 * it starts a range with (what the capture must have at least). */
int kf_numbers_have(const char *list, uint32_t n);
long kf_numbers_max(const char *list);
/*
 * Drop the calls from ncalls on and the nodes from nnodes on, with their
 * notes (a capture read as it streams keeps one call at a time).  Strings
 * and syscall descriptors stay.
 */
void kf_model_truncate(struct kf_model *m, uint32_t ncalls, uint32_t nnodes);
/* Append a zeroed call (sys, root = KF_NONE); returns its index or KF_NONE. */
uint32_t kf_model_call_new(struct kf_model *m);
/*
 * Find or add the descriptor of syscall `name`; returns its index or
 * KF_NONE.  A new descriptor has nargs 0 and nr -1 for the caller to fill.
 */
uint32_t kf_model_sys_get(struct kf_model *m, const char *name);

/* Set a meta string field (copies s; NULL clears). Returns 0 or -1. */
int kf_meta_set(char **field, const char *s);

/*
 * Keep `max_depth` levels of every tree (0: all), as the kernel's
 * max_graph_depth does for a live capture: deeper nodes are unlinked and
 * their time counts in their caller's self time.  For saved captures and
 * text traces shown with --max-depth.  Sets meta.max_depth.
 */
void kf_model_cut_depth(struct kf_model *m, int max_depth);

/*
 * Append every call of src, with its tree, to dst (strings and syscall
 * descriptors re-interned in dst; src is left as it was), for comparing
 * two captures in one model.  src's times are moved, if need be, to start
 * a second after dst's last call ends (two captures, two clocks).  Returns the index in dst of src's first
 * call, or KF_NONE (out of memory; dst may hold part of src).
 */
uint32_t kf_model_append(struct kf_model *dst, const struct kf_model *src);

/*
 * Record node ni's return value v (and flag it KF_NODE_RET); a second
 * value replaces the first.  Returns 0 or -1 (out of memory).
 */
int kf_model_ret_set(struct kf_model *m, uint32_t ni, int64_t v);
/* Node ni's return value into *v: 1 if it has one, else 0. */
int kf_model_ret_get(const struct kf_model *m, uint32_t ni, int64_t *v);
/*
 * Record node ni's arguments: args is a strtab id of "name=value, ..."
 * (and flag it KF_NODE_ARGS).  Returns 0 or -1 (out of memory).
 */
int kf_model_args_set(struct kf_model *m, uint32_t ni, uint32_t args);
/* Node ni's arguments (a string the model owns), or NULL: not recorded. */
const char *kf_model_args_get(const struct kf_model *m, uint32_t ni);
/* Node ni's note, or NULL if it has none (the model's; valid until the
 * next note is added). */
const struct kf_node_note *kf_model_note(const struct kf_model *m,
					 uint32_t ni);
/*
 * Node ni's note, added empty (has 0, waker_comm and waker_node KF_NONE)
 * if it had none; NULL if out of memory.  Valid until the next is added.
 */
struct kf_node_note *kf_model_note_add(struct kf_model *m, uint32_t ni);

/*
 * A return value as the kernel's error convention reads it: the errno
 * (positive) when v is -4095..-1 as a 64-bit value (a long, an ERR_PTR)
 * or as a 32-bit int whose upper half the register left zero; else 0.
 */
int kf_ret_errno(int64_t v);

/*
 * Where call ci's error came from, or KF_NONE (no error, no recorded
 * value): down from the top of its tree, the first call (in time) that
 * returned the same error as the syscall, then the first such call inside
 * it, until none is; calls that returned something else are not looked
 * into, calls with no recorded value are looked through.
 */
uint32_t kf_call_origin(const struct kf_model *m, uint32_t ci);

/* Bytes of memory the model holds, for --stats and benchmarks. */
size_t kf_model_bytes(const struct kf_model *m);

/* Set seen[f] = 1 for the name id f of every node in m's invocations'
 * trees (seen: the caller's, m->strs.count bytes). */
void kf_model_mark_funcs(const struct kf_model *m, uint8_t *seen);

#endif
