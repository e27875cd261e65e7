// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * build.c - the tree builder: kf_events in, invocations and call trees out.
 *
 * Every task has its own stack of open functions.  The kernel's graph depth
 * of each record tells whether records were lost: an entry at a depth not
 * deeper than the top of the stack proves the top returned (its exit was
 * lost); an exit that matches no open frame had its entry lost.  Repairs
 * are flagged on the nodes and their invocation, never hidden.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kf_build.h"
#include "kf_common.h"
#include "kf_fdtab.h"

struct frame {
	uint32_t node;       /* KF_NONE when not recorded (depth cut, dropped) */
	uint32_t func;
	int32_t depth;       /* the kernel's depth of the record */
	uint32_t last_child; /* for O(1) append */
	/* first of the trailing children recorded deeper than a child of
	 * this frame can be: they ran inside a call whose entry record is
	 * still to come (see adopt_early) */
	uint32_t early;
	uint8_t ctx;
	uint8_t dropped;     /* part of a tree outside any invocation */
	uint8_t hid;         /* a hidden function, or inside one */
};

struct task {
	int32_t pid;
	int used;
	uint32_t call;       /* open invocation or KF_NONE */
	uint32_t last_top;   /* last top-level node of the open invocation */
	uint32_t early_top;  /* as frame.early, for the top level */
	uint32_t comm;
	uint16_t cpu;
	/* it left (sched_process_exit) inside its open call, which will
	 * never return; the records of its last steps still come */
	uint8_t exiting;
	uint64_t last_ts;    /* its newest record time */
	/* the last frame closed without its exit (see on_exit_noentry) */
	uint32_t popped, popped_func;
	int32_t popped_depth;
	uint32_t nrepair;    /* repairs in the open call still standing */
	uint32_t closed;     /* the node its last exit record closed */
	/* switched out inside node off_node at off_start; woken by waker
	 * (0: no wakeup seen) from its node waker_node */
	uint32_t off_node;
	uint64_t off_start;
	int32_t waker;
	uint32_t waker_node;
	uint8_t woken;       /* a wakeup was seen: waker is valid */
	uint8_t waker_irq;   /* it came from an interrupt */
	/* a wakeup that came while it still ran inside a call: one CPU's
	 * record times can run ahead of another's, so the waker's record
	 * may sort before the sleeper's switch (seen on 6.1 and 6.12) */
	uint8_t pending;
	uint8_t pending_irq;
	uint8_t off_preempted; /* it left runnable */
	int32_t off_next;    /* the task that took the CPU then */
	int32_t pending_waker;
	uint32_t pending_node;
	struct frame *stack;
	uint32_t nstack, cap;
	/* fd paths: its fd table (NULL: none known), and the fd syscall it
	 * is in (KF_NONE), with its arguments and path */
	struct kf_fdtab *fds;
	uint32_t fdop_sys, fdop_str;
	uint64_t fdop_args[KF_MAX_ARGS];
	/* the fds it was given in its current syscall (fd_install) */
	int32_t newfd[2];
	uint8_t nnewfd;
};

/* What kfollow knows of a syscall for fd paths, by syscall index. */
struct sysinfo {
	struct kf_fdop_desc d;
	uint8_t known;    /* the rest is filled */
	uint8_t context;  /* recorded for the tables only: no invocation */
	uint8_t fdmask;   /* arguments named "fd" */
};

struct kf_builder {
	struct kf_model *m;
	struct kf_build_opts opts;
	struct sysinfo *sys;
	size_t sys_cap;
	struct task *tasks;  /* open addressing by pid */
	uint32_t ntasks, tasks_cap;
	uint64_t last_ts;
	/*
	 * Entry records carry ring-buffer timestamps; exits carry calltime
	 * and rettime, which some kernels take from another clock base
	 * (seen on 6.1: 194 ms apart).  Node starts stay on the ring-buffer
	 * clock; an exit without its entry is placed with the offset the
	 * last matched pair showed.
	 */
	int64_t clock_off;
	uint32_t irq_entry[2]; /* strtab ids of irq_entry_funcs */
	/* opts.hide_sched_iter: per strtab id, 0 not looked at yet, 1
	 * shown, 2 hidden */
	uint8_t *hid;
	uint32_t hid_cap;
};

/*
 * Functions an interrupt calls before the kernel counts itself in hard
 * interrupt context (their records carry no hardirq flag); marked as the
 * interrupt's start so it never reads as a call of the interrupted code.
 */
static const char *const irq_entry_funcs[2] = {
	"irq_enter_rcu", /* x86 sysvec/irq entry since 5.11 */
	"irq_enter",     /* older entries and other architectures */
};

static uint32_t pid_hash(int32_t pid)
{
	return (uint32_t)pid * 2654435761u;
}

static int tasks_grow(struct kf_builder *b)
{
	uint32_t cap = b->tasks_cap ? b->tasks_cap * 2 : 64, i;
	struct task *t = calloc(cap, sizeof(*t));

	if (!t)
		return -1;
	for (i = 0; i < b->tasks_cap; i++) {
		struct task *o = &b->tasks[i];
		uint32_t slot;

		if (!o->used)
			continue;
		slot = pid_hash(o->pid) & (cap - 1);
		while (t[slot].used)
			slot = (slot + 1) & (cap - 1);
		t[slot] = *o;
	}
	free(b->tasks);
	b->tasks = t;
	b->tasks_cap = cap;
	return 0;
}

static struct task *task_get(struct kf_builder *b, int32_t pid)
{
	uint32_t slot;
	struct task *t;

	/* only adding a task may move the table: a caller holding one task
	 * (a fork's child) looks up another without losing it */
	for (slot = pid_hash(pid) & (b->tasks_cap - 1);
	     b->tasks_cap && b->tasks[slot].used;
	     slot = (slot + 1) & (b->tasks_cap - 1))
		if (b->tasks[slot].pid == pid)
			return &b->tasks[slot];
	if ((b->ntasks + 1) * 2 > b->tasks_cap) {
		if (tasks_grow(b) < 0)
			return NULL;
		slot = pid_hash(pid) & (b->tasks_cap - 1);
		while (b->tasks[slot].used)
			slot = (slot + 1) & (b->tasks_cap - 1);
	}
	t = &b->tasks[slot];
	memset(t, 0, sizeof(*t));
	t->used = 1;
	t->pid = pid;
	t->call = KF_NONE;
	t->last_top = KF_NONE;
	t->early_top = KF_NONE;
	t->popped = KF_NONE;
	t->closed = KF_NONE;
	t->off_node = KF_NONE;
	t->waker_node = KF_NONE;
	t->fdop_sys = KF_NONE;
	b->ntasks++;
	return t;
}

static int oom(void)
{
	return kf_err(KF_EXIT_OSERR, "out of memory while building call trees");
}

struct kf_builder *kf_builder_new(struct kf_model *m,
				  const struct kf_build_opts *opts)
{
	struct kf_builder *b = calloc(1, sizeof(*b));

	if (!b) {
		oom();
		return NULL;
	}
	b->m = m;
	if (opts)
		b->opts = *opts;
	else
		b->opts.default_sys = KF_NONE;
	for (size_t i = 0; i < 2; i++)
		b->irq_entry[i] = kf_strtab_intern(&m->strs,
						   irq_entry_funcs[i]);
	return b;
}

void kf_builder_free(struct kf_builder *b)
{
	uint32_t i;

	if (!b)
		return;
	for (i = 0; i < b->tasks_cap; i++) {
		free(b->tasks[i].stack);
		if (b->tasks[i].fds)
			kf_fdtab_release(b->tasks[i].fds);
		free(b->tasks[i].fds);
	}
	free(b->tasks);
	free(b->sys);
	free(b->hid);
	free(b);
}

/* ---- fd paths ------------------------------------------------------- */

#define O_CLOEXEC_BIT 02000000 /* the same on x86-64 and arm64 */
#define F_DUPFD_CMD 0
#define F_DUPFD_CLOEXEC_CMD 1030

/* Syscall sys's fd facts, or NULL (not a syscall of the model). */
static struct sysinfo *sysinfo(struct kf_builder *b, uint32_t sys)
{
	struct sysinfo *si;
	const struct kf_sysdesc *sd;
	size_t old = b->sys_cap;
	int k;

	if (sys >= b->m->nsys)
		return NULL;
	if (sys >= b->sys_cap) {
		if (KF_GROW(b->sys, b->sys_cap, (size_t)sys + 1) < 0)
			return NULL;
		memset(&b->sys[old], 0, (b->sys_cap - old) * sizeof(*b->sys));
	}
	si = &b->sys[sys];
	if (si->known)
		return si;
	sd = &b->m->sys[sys];
	kf_fdop_of(kf_strtab_get(&b->m->strs, sd->name), &si->d);
	for (k = 0; k < sd->nargs && k < KF_MAX_ARGS; k++)
		if (strcmp(kf_strtab_get(&b->m->strs, sd->argname[k]),
			   "fd") == 0)
			si->fdmask |= (uint8_t)(1u << k);
	si->known = 1;
	return si;
}

int kf_builder_fd_context(struct kf_builder *b, uint32_t sys)
{
	struct sysinfo *si = sysinfo(b, sys);

	if (!si)
		return oom();
	si->context = 1;
	return 0;
}

/* t's table, made empty if it has none; NULL out of memory. */
static struct kf_fdtab *task_fds(struct task *t)
{
	if (!t->fds)
		t->fds = calloc(1, sizeof(*t->fds));
	return t->fds;
}

int kf_builder_fd_set(struct kf_builder *b, int32_t pid, int fd,
		      const char *path)
{
	struct task *t = task_get(b, pid);
	uint32_t id = kf_strtab_intern(&b->m->strs, path);

	if (!t || id == KF_NONE || !task_fds(t) ||
	    kf_fdtab_set(t->fds, fd, id, 0) < 0)
		return oom();
	return 0;
}

/* The fd syscall t was in returned ret: its table learns it. */
static int fdop_done(struct task *t, const struct sysinfo *si, int64_t ret)
{
	const uint64_t *a = t->fdop_args;
	uint32_t path = KF_NONE;
	int cloexec = 0;

	if (si->d.op == KF_FDOP_CLOSE) {
		if (t->fds && ret == 0)
			kf_fdtab_close(t->fds, (int32_t)a[si->d.fd]);
		return 0;
	}
	if (si->d.op == KF_FDOP_PAIR) {
		/* pipes and sockets: no path, and what the numbers named
		 * before is gone */
		for (int i = 0; t->fds && ret == 0 && i < t->nnewfd; i++)
			kf_fdtab_close(t->fds, t->newfd[i]);
		return 0;
	}
	if (ret < 0 || ret > INT32_MAX)
		return 0;
	if (si->d.cmd >= 0) {
		uint32_t cmd = (uint32_t)a[si->d.cmd];

		if (cmd != F_DUPFD_CMD && cmd != F_DUPFD_CLOEXEC_CMD)
			return 0;
		cloexec = cmd == F_DUPFD_CLOEXEC_CMD;
	}
	if (si->d.op == KF_FDOP_OPEN)
		path = t->fdop_str;
	else if (si->d.op == KF_FDOP_DUP)
		path = kf_fdtab_get(t->fds, (int32_t)a[si->d.fd]);
	if (si->d.flags >= 0)
		cloexec |= (a[si->d.flags] & O_CLOEXEC_BIT) != 0;
	if (path == KF_NONE) {
		/* the fd names a file kfollow does not know now */
		if (t->fds)
			kf_fdtab_close(t->fds, ret);
		return 0;
	}
	if (!task_fds(t) || kf_fdtab_set(t->fds, ret, path, cloexec) < 0)
		return oom();
	return 0;
}

/* A new call's fd arguments: the paths their table knows, as strings. */
static void fd_args(const struct task *t, const struct sysinfo *si,
		    struct kf_call *c)
{
	int k;

	for (k = 0; t->fds && si->fdmask && k < KF_MAX_ARGS; k++)
		if (si->fdmask & (1u << k) && c->argstr[k] == KF_NONE)
			c->argstr[k] = kf_fdtab_get(t->fds,
						    (int32_t)c->args[k]);
}

void kf_builder_task_comm(struct kf_builder *b, int32_t pid, uint32_t comm)
{
	struct task *t = task_get(b, pid);

	if (t)
		t->comm = comm;
}

/* self = dur minus the children's dur, never below zero. */
static void node_self(struct kf_model *m, uint32_t ni)
{
	struct kf_node *n = kf_node_get(m, ni);
	uint64_t sum = 0;
	uint32_t c;

	for (c = n->child; c != KF_NONE; c = kf_node_get(m, c)->next)
		sum += kf_node_get(m, c)->dur;
	n->self = sum > n->dur ? 0 : n->dur - sum;
}

int kf_model_compute_self(struct kf_model *m)
{
	uint32_t i;

	for (i = 0; i < m->nnodes; i++)
		node_self(m, i);
	return 0;
}

/*
 * Children that add up to more than their parent were timed by clocks
 * that disagree (calltime and rettime read on two CPUs whose clocks are
 * not in step): flag the parent rather than trust either number.
 */
static void check_children(struct kf_builder *b, struct task *t, uint32_t ni)
{
	struct kf_node *n = kf_node_get(b->m, ni);
	uint64_t sum = 0;
	uint32_t c;

	if (!b->opts.check_clock || (n->flags & (KF_NODE_NOENTRY |
						 KF_NODE_NOEXIT)))
		return;
	for (c = n->child; c != KF_NONE; c = kf_node_get(b->m, c)->next)
		sum += kf_node_get(b->m, c)->dur;
	if (sum > n->dur) {
		n->flags |= KF_NODE_CLOCK;
		if (t->call != KF_NONE)
			b->m->calls[t->call].flags |= KF_CALL_CLOCK;
	}
}

/* End time of the latest-ending child of node ni, or its start. */
static uint64_t children_end(struct kf_model *m, uint32_t ni)
{
	struct kf_node *n = kf_node_get(m, ni);
	uint64_t end = n->start;
	uint32_t c;

	for (c = n->child; c != KF_NONE; c = kf_node_get(m, c)->next) {
		struct kf_node *k = kf_node_get(m, c);

		if (k->start + k->dur > end)
			end = k->start + k->dur;
	}
	return end;
}

static void call_flag(struct kf_builder *b, struct task *t, uint16_t flags)
{
	if (t->call != KF_NONE)
		b->m->calls[t->call].flags |= flags;
}

static void repaired(struct kf_builder *b, struct task *t)
{
	if (t->call == KF_NONE)
		return;
	b->m->calls[t->call].flags |= KF_CALL_REPAIRED;
	t->nrepair++;
}

/*
 * Close the top frame without its exit: the function returned but the
 * record was lost, or the capture ended.  The duration is a lower bound:
 * up to the end of its last child.
 */
static void pop_noexit(struct kf_builder *b, struct task *t)
{
	struct frame *f = &t->stack[--t->nstack];
	struct kf_node *n;

	if (f->node == KF_NONE)
		return;
	n = kf_node_get(b->m, f->node);
	n->flags |= KF_NODE_NOEXIT;
	n->dur = children_end(b->m, f->node) - n->start;
	node_self(b->m, f->node);
	t->popped = f->node;
	t->popped_func = f->func;
	t->popped_depth = f->depth;
	/* a task that left was expected not to return */
	if (!t->exiting)
		repaired(b, t);
}

/* Open a new invocation for t, starting at ts. */
static uint32_t call_open(struct kf_builder *b, struct task *t, uint64_t ts,
			  uint16_t cpu, uint32_t sys, uint16_t flags)
{
	uint32_t ci = kf_model_call_new(b->m);
	struct kf_call *c;

	if (ci == KF_NONE)
		return KF_NONE;
	c = &b->m->calls[ci];
	c->start = c->end = ts;
	c->pid = t->pid;
	c->comm = t->comm;
	c->cpu = cpu;
	c->sys = sys;
	c->flags = flags | KF_CALL_OPEN;
	t->call = ci;
	t->last_top = KF_NONE;
	t->popped = KF_NONE;
	t->nrepair = 0;
	return ci;
}

static void call_close(struct kf_builder *b, struct task *t, uint64_t end)
{
	struct kf_call *c;

	if (t->call == KF_NONE)
		return;
	c = &b->m->calls[t->call];
	if (end > c->start)
		c->end = end;
	c->flags &= ~KF_CALL_OPEN;
	/* every repair was undone by a record that came late */
	if (!t->nrepair)
		c->flags &= ~KF_CALL_REPAIRED;
	t->call = KF_NONE;
	t->last_top = KF_NONE;
}

static int push(struct task *t, const struct frame *f)
{
	if (KF_GROW(t->stack, t->cap, (size_t)t->nstack + 1) < 0)
		return -1;
	t->stack[t->nstack++] = *f;
	return 0;
}

static uint16_t ctx_flags(uint8_t ctx, uint8_t parent_ctx)
{
	uint8_t entered = ctx & ~parent_ctx;
	uint16_t fl = 0;

	if (entered & KF_CTX_NMI)
		fl |= KF_NODE_NMI;
	else if (entered & KF_CTX_HARDIRQ)
		fl |= KF_NODE_IRQ;
	else if (entered & KF_CTX_SOFTIRQ)
		fl |= KF_NODE_SOFTIRQ;
	return fl;
}

/* Link node ni as the last child of the top frame, or as a top-level node. */
static void link_node(struct kf_builder *b, struct task *t, uint32_t ni)
{
	struct kf_model *m = b->m;
	struct kf_node *n = kf_node_get(m, ni);
	struct frame *parent = t->nstack ? &t->stack[t->nstack - 1] : NULL;

	if (parent && parent->node != KF_NONE) {
		struct kf_node *p = kf_node_get(m, parent->node);

		n->parent = parent->node;
		n->depth = p->depth + 1;
		if (parent->last_child == KF_NONE)
			p->child = ni;
		else
			kf_node_get(m, parent->last_child)->next = ni;
		parent->last_child = ni;
		return;
	}
	n->depth = 0;
	if (t->call == KF_NONE)
		return;
	if (t->last_top == KF_NONE) {
		if (m->calls[t->call].root == KF_NONE)
			m->calls[t->call].root = ni;
		else {
			/* find the end of the list (after a repair) */
			uint32_t k = m->calls[t->call].root;

			while (kf_node_get(m, k)->next != KF_NONE)
				k = kf_node_get(m, k)->next;
			kf_node_get(m, k)->next = ni;
		}
	} else {
		kf_node_get(m, t->last_top)->next = ni;
	}
	t->last_top = ni;
}

/* Make sure t has an invocation for a record outside one. */
static int need_call(struct kf_builder *b, struct task *t,
		     const struct kf_event *ev, int *dropped)
{
	*dropped = 0;
	if (t->call != KF_NONE)
		return 0;
	if (b->opts.mode == KF_BUILD_SYSCALL) {
		if (b->opts.drop_outside) {
			*dropped = 1;
			return 0;
		}
		if (call_open(b, t, ev->ts, ev->cpu, b->opts.default_sys,
			      KF_CALL_NOENTER) == KF_NONE)
			return oom();
		return 0;
	}
	if (call_open(b, t, ev->ts, ev->cpu, KF_NONE, 0) == KF_NONE)
		return oom();
	return 0;
}

/* Close whatever t has open as of `end`, flagging it. */
static void task_flush(struct kf_builder *b, struct task *t, uint64_t end,
		       uint16_t call_flags)
{
	while (t->nstack)
		pop_noexit(b, t);
	if (t->call != KF_NONE) {
		struct kf_call *c = &b->m->calls[t->call];
		uint64_t last = c->start;
		uint32_t k;

		for (k = c->root; k != KF_NONE; k = kf_node_get(b->m, k)->next) {
			struct kf_node *n = kf_node_get(b->m, k);

			if (n->start + n->dur > last)
				last = n->start + n->dur;
		}
		if (t->exiting) {
			/* it ends where the task's records end */
			call_flags = KF_CALL_NORETURN;
			if (t->last_ts > last)
				last = t->last_ts;
			end = 0;
		}
		c->flags |= call_flags;
		call_close(b, t, end ? end : last);
	}
	t->exiting = 0;
	t->off_node = KF_NONE;
}

/*
 * Set the parents and depths of the sibling run starting at `first` and
 * of everything below it, from the lists themselves: `parent` (KF_NONE at
 * the top level) owns the run, each node's child list belongs to it.
 * The parent pointers are rewritten on the way down, so a pointer a
 * repair left stale (forged or lost records moved a subtree) cannot lead
 * the climb back up out of the run; at most nnodes steps, so even a loop
 * ends.
 */
static void fix_depths(struct kf_model *m, uint32_t first, uint32_t parent)
{
	uint32_t c = first, up = parent, steps = 0;

	while (c != KF_NONE && steps++ <= m->nnodes) {
		struct kf_node *n = kf_node_get(m, c);

		n->parent = up;
		n->depth = up == KF_NONE ? 0 : kf_node_get(m, up)->depth + 1;
		if (n->child != KF_NONE) {
			up = c;
			c = n->child;
			continue;
		}
		while (kf_node_get(m, c)->next == KF_NONE) {
			c = kf_node_get(m, c)->parent;
			if (c == parent || c == KF_NONE)
				return;
		}
		up = kf_node_get(m, c)->parent;
		c = kf_node_get(m, c)->next;
	}
}

/* Make the sibling list starting at `first` the children of `adopter`. */
static void reparent(struct kf_model *m, uint32_t first, uint32_t adopter)
{
	uint32_t c;

	for (c = first; c != KF_NONE; c = kf_node_get(m, c)->next)
		kf_node_get(m, c)->parent = adopter;
	kf_node_get(m, adopter)->child = first;
	/* the adopted subtrees are one level deeper now */
	fix_depths(m, first, adopter);
}

/*
 * Kernels that read calltime just before writing the entry record (7.x,
 * after the depth went up) record an interrupt taken before calltime one
 * level deeper too, so adopt_early put it under a call it did not
 * interrupt (nd_jump_root of 4 us over a 200 us timer interrupt).  At the
 * call's exit the early run that does not fit in the call's own time goes
 * back before it.
 */
static void unadopt_early(struct kf_builder *b, struct task *t, uint32_t xi)
{
	struct kf_model *m = b->m;
	struct kf_node *x = kf_node_get(m, xi);
	uint32_t c, last = KF_NONE, *headp, k, prev = KF_NONE;
	uint64_t sum = 0;

	/* the early run: the first children, recorded before x's entry */
	for (c = x->child; c != KF_NONE && kf_node_get(m, c)->start < x->start;
	     c = kf_node_get(m, c)->next) {
		sum += kf_node_get(m, c)->dur;
		last = c;
	}
	if (last == KF_NONE)
		return;
	if (sum <= x->dur) {
		/* it ran inside x, which began before it (calltime came
		 * first): x starts no later than its first child */
		x->start = kf_node_get(m, x->child)->start;
		return;
	}
	c = x->child;
	x->child = kf_node_get(m, last)->next;
	headp = x->parent != KF_NONE ? &kf_node_get(m, x->parent)->child :
		&m->calls[t->call].root;
	for (k = *headp; k != KF_NONE && k != xi; k = kf_node_get(m, k)->next)
		prev = k;
	if (k == KF_NONE)
		return; /* not found: leave the tree as it is */
	if (prev == KF_NONE)
		*headp = c;
	else
		kf_node_get(m, prev)->next = c;
	kf_node_get(m, last)->next = xi;
	for (k = c; k != xi; k = kf_node_get(m, k)->next)
		kf_node_get(m, k)->parent = x->parent;
	fix_depths(m, c, x->parent);
}

/*
 * The other end: kernels that read rettime before the exit record is
 * written and keep the call's frame until then (seen on 7.x) record an
 * interrupt taken in between as the call's last children, though it came
 * after the call returned (__d_lookup_rcu of 1.1 us with a 432 us timer
 * interrupt under it).  A trailing run from the first interrupt that
 * starts after the call's end moves out, to follow the call.
 */
static void move_late(struct kf_builder *b, struct task *t, uint32_t xi)
{
	struct kf_model *m = b->m;
	struct kf_node *x = kf_node_get(m, xi);
	uint64_t end = x->start + x->dur;
	uint32_t c, prev = KF_NONE, last;

	for (c = x->child; c != KF_NONE; prev = c, c = kf_node_get(m, c)->next)
		if ((kf_node_get(m, c)->flags & (KF_NODE_IRQ | KF_NODE_SOFTIRQ |
						 KF_NODE_NMI)) &&
		    kf_node_get(m, c)->start > end)
			break;
	if (c == KF_NONE)
		return;
	if (prev == KF_NONE)
		x->child = KF_NONE;
	else
		kf_node_get(m, prev)->next = KF_NONE;
	for (last = c; ; last = kf_node_get(m, last)->next) {
		kf_node_get(m, last)->parent = x->parent;
		if (kf_node_get(m, last)->next == KF_NONE)
			break;
	}
	/* x was the last of its list: it was still running */
	x->next = c;
	fix_depths(m, c, x->parent);
	if (t->nstack && t->stack[t->nstack - 1].node == x->parent &&
	    x->parent != KF_NONE)
		t->stack[t->nstack - 1].last_child = last;
	else if (x->parent == KF_NONE)
		t->last_top = last;
}

/*
 * The kernel takes a call's calltime and depth before it writes the entry
 * record; an interrupt in between writes its records first, one level
 * deeper than the call (seen on 6.1: irq_enter_rcu, the timer handler and
 * irq_exit_rcu as siblings of apparmor_current_getsecid_subj, which they
 * interrupted, adding up to more than their parent).  When that call's
 * entry x comes, the run from `early` to just before x moves under x.
 * *headp is the list x was just appended to.
 */
static void adopt_early(struct kf_model *m, uint32_t *headp, uint32_t early,
			uint32_t x, struct frame *xf)
{
	uint32_t k = *headp, prev = KF_NONE, last = KF_NONE;

	while (k != KF_NONE && k != early) {
		prev = k;
		k = kf_node_get(m, k)->next;
	}
	if (k == KF_NONE || early == x)
		return;
	/* x must follow the run in the list: with lost or forged records
	 * the run may have been moved since (fuzz_fgtext found one) */
	for (k = early; k != KF_NONE && k != x; k = kf_node_get(m, k)->next)
		last = k;
	if (k == KF_NONE)
		return;
	kf_node_get(m, last)->next = KF_NONE;
	if (prev == KF_NONE)
		*headp = x;
	else
		kf_node_get(m, prev)->next = x;
	reparent(m, early, x);
	xf->last_child = last;
}

/*
 * Node ni (frame f, kernel depth `depth`) was just linked under top (or at
 * the top level).  Deeper than a child can be: it starts or continues an
 * early run.  A plain child after an early run: the run was inside it.
 */
static void early_link(struct kf_builder *b, struct task *t,
		       struct frame *top, uint32_t ni, struct frame *f,
		       int32_t depth)
{
	uint32_t *early = top ? &top->early : &t->early_top;
	int32_t child_depth = top ? top->depth + 1 : 0;
	uint32_t *headp;

	if (depth > child_depth) {
		if (*early == KF_NONE)
			*early = ni;
		return;
	}
	if (*early == KF_NONE)
		return;
	headp = top ? &kf_node_get(b->m, top->node)->child :
		      &b->m->calls[t->call].root;
	adopt_early(b->m, headp, *early, ni, f);
	*early = KF_NONE;
}

/* Whether function func (a strtab id) stays out of the trees
 * (opts.hide_sched_iter).  Out of memory it is shown: a cosmetic loss. */
static int hidden(struct kf_builder *b, uint32_t func)
{
	static const char iter[] = "__traceiter_sched_";

	if (!b->opts.hide_sched_iter || func == KF_NONE)
		return 0;
	if (func >= b->hid_cap) {
		uint32_t cap = b->hid_cap ? b->hid_cap : 1024;
		uint8_t *n;

		while (cap <= func)
			cap *= 2;
		n = realloc(b->hid, cap);
		if (!n)
			return 0;
		memset(n + b->hid_cap, 0, cap - b->hid_cap);
		b->hid = n;
		b->hid_cap = cap;
	}
	if (!b->hid[func])
		b->hid[func] = strncmp(kf_strtab_get(&b->m->strs, func), iter,
				       sizeof(iter) - 1) ? 1 : 2;
	return b->hid[func] == 2;
}

static int on_entry(struct kf_builder *b, struct task *t,
		    const struct kf_event *ev)
{
	struct frame f = { .node = KF_NONE, .last_child = KF_NONE,
			   .early = KF_NONE };
	struct frame *top;
	int dropped = 0;

	/* An entry no deeper than the top proves the top returned. */
	while (t->nstack && t->stack[t->nstack - 1].depth >= ev->entry.depth)
		pop_noexit(b, t);
	top = t->nstack ? &t->stack[t->nstack - 1] : NULL;

	f.func = ev->entry.func;
	f.depth = ev->entry.depth;
	f.ctx = ev->ctx;
	if (!top) {
		/*
		 * Function mode: a new root ends an invocation left open by
		 * orphans (children whose root's entry was lost).
		 */
		if (b->opts.mode == KF_BUILD_FUNCTION && t->call != KF_NONE &&
		    ev->entry.depth <= 0) {
			repaired(b, t);
			task_flush(b, t, 0, 0);
		}
		if (need_call(b, t, ev, &dropped) < 0)
			return -1;
		if (dropped) {
			f.dropped = 1;
			b->m->meta.dropped++;
		} else if (b->opts.mode == KF_BUILD_FUNCTION &&
			   ev->entry.depth > 0) {
			/* its callers' entries are not in the capture */
			repaired(b, t);
		}
	} else if (top->dropped) {
		f.dropped = 1;
	}
	/* a root is shown whatever its name: the user asked for it */
	f.hid = top && (top->hid || hidden(b, ev->entry.func));
	if (!f.dropped && (!top || top->node != KF_NONE) && !f.hid &&
	    !(b->opts.max_depth && t->nstack >= (uint32_t)b->opts.max_depth)) {
		uint32_t ni = kf_model_node_new(b->m);
		struct kf_node *n;

		if (ni == KF_NONE)
			return oom();
		n = kf_node_get(b->m, ni);
		n->start = ev->ts;
		n->func = ev->entry.func;
		n->cpu = ev->cpu;
		n->flags = ctx_flags(ev->ctx, top ? top->ctx : 0);
		if (ev->entry.func == b->irq_entry[0] ||
		    ev->entry.func == b->irq_entry[1])
			n->flags |= KF_NODE_IRQ;
		link_node(b, t, ni);
		b->m->calls[t->call].nnodes++;
		/* 0 (the empty string) as well: a memset event has none */
		if (ev->entry.args != KF_NONE && ev->entry.args != 0 &&
		    kf_model_args_set(b->m, ni, ev->entry.args) < 0)
			return oom();
		f.node = ni;
		early_link(b, t, top, ni, &f, ev->entry.depth);
	}
	return push(t, &f) < 0 ? oom() : 0;
}



/*
 * 6.1 lowers the depth before it reads rettime: an interrupt in between
 * is recorded after call x, at its depth, yet inside x's time.  The
 * siblings that follow x and start before x's end move under it.
 */
static void take_late(struct kf_builder *b, struct task *t, uint32_t xi)
{
	struct kf_model *m = b->m;
	struct kf_node *x = kf_node_get(m, xi);
	uint64_t end = x->start + x->dur;
	uint32_t first = x->next, last = KF_NONE, c, tail;

	for (c = first; c != KF_NONE && kf_node_get(m, c)->start < end;
	     c = kf_node_get(m, c)->next)
		last = c;
	if (last == KF_NONE)
		return;
	x->next = kf_node_get(m, last)->next;
	kf_node_get(m, last)->next = KF_NONE;
	for (c = first; c != KF_NONE; c = kf_node_get(m, c)->next)
		kf_node_get(m, c)->parent = xi;
	if (x->child == KF_NONE) {
		x->child = first;
	} else {
		for (tail = x->child; kf_node_get(m, tail)->next != KF_NONE;
		     tail = kf_node_get(m, tail)->next)
			;
		kf_node_get(m, tail)->next = first;
	}
	fix_depths(m, first, xi);
	if (x->next == KF_NONE) {
		/* x is the last of its list again */
		if (x->parent == KF_NONE)
			t->last_top = xi;
		else if (t->nstack && t->stack[t->nstack - 1].node == x->parent)
			t->stack[t->nstack - 1].last_child = xi;
	}
}

/*
 * An exit with no open frame: its entry was lost (or came before the
 * capture).  The new node adopts the siblings recorded after its start,
 * which were its children.
 */
/*
 * Not lost, only late: an interrupt between the call's return and its
 * exit record is recorded at the call's depth (6.1), which closed the
 * call as if its exit were lost.  The exit completes it; the interrupt
 * stays after it, where it ran.  Returns 1 when ev was that exit.
 */
static int late_exit(struct kf_builder *b, struct task *t,
		     const struct kf_event *ev)
{
	struct kf_model *m = b->m;
	struct kf_node *n;

	if (t->popped == KF_NONE || t->popped_func != ev->exit.func ||
	    t->popped_depth != ev->exit.depth ||
	    !(kf_node_get(m, t->popped)->flags & KF_NODE_NOEXIT))
		return 0;
	n = kf_node_get(m, t->popped);
	n->flags &= ~KF_NODE_NOEXIT;
	n->dur = ev->exit.rettime > ev->exit.calltime ?
		 ev->exit.rettime - ev->exit.calltime : n->dur;
	if (ev->exit.overrun)
		n->flags |= KF_NODE_OVERRUN;
	take_late(b, t, t->popped);
	node_self(m, t->popped);
	t->popped = KF_NONE;
	if (t->nrepair)
		t->nrepair--;
	return 1;
}

/* The node of an exit whose entry was lost, timed by the exit alone;
 * KF_NONE when out of memory (oom() reported). */
static uint32_t noentry_node(struct kf_builder *b, struct task *t,
			     const struct kf_event *ev, const struct frame *top)
{
	struct kf_model *m = b->m;
	uint32_t ni = kf_model_node_new(m);
	struct kf_node *n;

	if (ni == KF_NONE) {
		oom();
		return KF_NONE;
	}
	n = kf_node_get(m, ni);
	n->func = ev->exit.func;
	n->start = ev->exit.calltime + b->clock_off;
	n->dur = ev->exit.rettime > ev->exit.calltime ?
		 ev->exit.rettime - ev->exit.calltime : 0;
	n->cpu = ev->cpu;
	n->flags = KF_NODE_NOENTRY | ctx_flags(ev->ctx, top ? top->ctx : 0);
	if (ev->exit.overrun)
		n->flags |= KF_NODE_OVERRUN;
	m->calls[t->call].nnodes++;
	repaired(b, t);
	return ni;
}

/*
 * Put node ni at the end of the list *headp (last: *lastp); the siblings
 * that started inside it (from its start on) become its children.
 */
static void adopt_later(struct kf_model *m, uint32_t ni, uint32_t *headp,
			uint32_t *lastp)
{
	uint32_t c, prev = KF_NONE, k;

	for (c = *headp; c != KF_NONE; c = kf_node_get(m, c)->next) {
		if (kf_node_get(m, c)->start >= kf_node_get(m, ni)->start)
			break;
		prev = c;
	}
	if (c != KF_NONE) {
		if (prev == KF_NONE)
			*headp = KF_NONE;
		else
			kf_node_get(m, prev)->next = KF_NONE;
		reparent(m, c, ni);
	}
	/*
	 * Append ni at the list's end, found by walking it: the remembered
	 * last node (*lastp) may be one a repair moved into another list
	 * (hostile text put one task's calls on two CPUs, and linking ni
	 * after it joined two trees into a loop).  Exits without an entry
	 * are rare, so the walk costs nothing that matters.
	 */
	if ((k = *headp) == KF_NONE) {
		*headp = ni;
	} else {
		while (kf_node_get(m, k)->next != KF_NONE)
			k = kf_node_get(m, k)->next;
		kf_node_get(m, k)->next = ni;
	}
	*lastp = ni;
}

static int on_exit_noentry(struct kf_builder *b, struct task *t,
			   const struct kf_event *ev)
{
	struct kf_model *m = b->m;
	struct frame *top;
	struct kf_node *n;
	uint32_t ni;
	int dropped = 0;

	while (t->nstack && t->stack[t->nstack - 1].depth >= ev->exit.depth)
		pop_noexit(b, t);
	if (late_exit(b, t, ev))
		return 0;
	top = t->nstack ? &t->stack[t->nstack - 1] : NULL;
	if (top && (top->node == KF_NONE || hidden(b, ev->exit.func)))
		return 0; /* below a cut or dropped frame, or hidden */
	if (!top) {
		if (need_call(b, t, ev, &dropped) < 0)
			return -1;
		if (dropped) {
			m->meta.dropped++;
			return 0;
		}
	}
	if (b->opts.max_depth && t->nstack >= (uint32_t)b->opts.max_depth)
		return 0;
	ni = noentry_node(b, t, ev, top);
	if (ni == KF_NONE)
		return -1;
	n = kf_node_get(m, ni);
	/* siblings that started inside [calltime, rettime] become children */
	if (top) {
		n->parent = top->node;
		n->depth = kf_node_get(m, top->node)->depth + 1;
		adopt_later(m, ni, &kf_node_get(m, top->node)->child,
			    &top->last_child);
	} else {
		n->parent = KF_NONE;
		n->depth = 0;
		adopt_later(m, ni, &m->calls[t->call].root, &t->last_top);
	}
	node_self(m, ni);
	return 0;
}

/*
 * Time node n from its exit record ev.  The kernel's own call times come
 * first: record times can stand still on a trace clock the kernel filters
 * (global after an unstable TSC: 0 ns for a read_hpet that took 2 us, then
 * 4 ms for the tick that moved the clock on).  Where the two disagree that
 * way the trace clock stalled: count it, so headers on that clock are not
 * trusted.  A call neither clock timed is flagged, never a plain 0 ns.
 */
static void exit_times(struct kf_builder *b, struct task *t,
		       struct kf_node *n, const struct kf_event *ev)
{
	uint64_t rec = ev->ts > n->start ? ev->ts - n->start : 0;
	uint64_t own = ev->exit.rettime > ev->exit.calltime ?
		       ev->exit.rettime - ev->exit.calltime : 0;

	n->dur = own ? own : rec;
	if (!b->opts.check_clock)
		return;
	if (own && !rec && ev->cpu == n->cpu) {
		b->m->meta.clock_stalls++;
		call_flag(b, t, KF_CALL_CLOCK);
	}
	if (!n->dur) {
		n->flags |= KF_NODE_CLOCK;
		call_flag(b, t, KF_CALL_CLOCK);
	}
}

static int on_func_exit(struct kf_builder *b, struct task *t,
		   const struct kf_event *ev)
{
	struct kf_model *m = b->m;
	uint32_t i = t->nstack;
	struct frame *f;

	while (i > 0) {
		f = &t->stack[i - 1];
		if (f->func == ev->exit.func && f->depth == ev->exit.depth)
			break;
		if (f->depth < ev->exit.depth)
			break;
		i--;
	}
	if (i == 0 || t->stack[i - 1].func != ev->exit.func ||
	    t->stack[i - 1].depth != ev->exit.depth) {
		if (on_exit_noentry(b, t, ev) < 0)
			return -1;
		goto closed;
	}
	/* frames above the match returned without their exit record */
	while (t->nstack > i)
		pop_noexit(b, t);
	f = &t->stack[--t->nstack];
	if (f->node != KF_NONE) {
		struct kf_node *n = kf_node_get(m, f->node);

		b->clock_off = (int64_t)(n->start - ev->exit.calltime);
		exit_times(b, t, n, ev);
		if (ev->exit.overrun)
			n->flags |= KF_NODE_OVERRUN;
		if (b->opts.check_clock) {
			unadopt_early(b, t, f->node);
			move_late(b, t, f->node);
		}
		node_self(m, f->node);
		check_children(b, t, f->node);
		t->closed = f->node;
	}
closed:
	/* In function mode a returning depth-0 function ends the invocation. */
	if (b->opts.mode == KF_BUILD_FUNCTION && t->nstack == 0 &&
	    ev->exit.depth <= 0)
		call_close(b, t, ev->exit.rettime + b->clock_off);
	return 0;
}

static int on_sys_enter(struct kf_builder *b, struct task *t,
			const struct kf_event *ev)
{
	struct sysinfo *si = sysinfo(b, ev->sys_enter.sys);
	struct kf_call *c;
	uint32_t ci;

	t->nnewfd = 0;
	if (si && si->d.op != KF_FDOP_NONE) {
		t->fdop_sys = ev->sys_enter.sys;
		t->fdop_str = KF_NONE;
		memcpy(t->fdop_args, ev->sys_enter.args, sizeof(t->fdop_args));
	}
	if (si && si->context)
		return 0;
	if (t->call != KF_NONE)
		/* the previous call's exit record was lost (or its task
		 * left and the pid is someone else's now) */
		task_flush(b, t, 0, KF_CALL_NOEXIT | KF_CALL_INCOMPLETE);
	while (t->nstack)
		pop_noexit(b, t);
	ci = call_open(b, t, ev->ts, ev->cpu, ev->sys_enter.sys, 0);
	if (ci == KF_NONE)
		return oom();
	c = &b->m->calls[ci];
	memcpy(c->args, ev->sys_enter.args, sizeof(c->args));
	if (si)
		fd_args(t, si, c);
	return 0;
}

static int on_sys_exit(struct kf_builder *b, struct task *t,
		       const struct kf_event *ev)
{
	struct sysinfo *si = sysinfo(b, ev->sys_exit.sys);
	struct kf_call *c;

	if (si && t->fdop_sys == ev->sys_exit.sys) {
		t->fdop_sys = KF_NONE;
		if (fdop_done(t, si, ev->sys_exit.ret) < 0)
			return -1;
	}
	if (si && si->context)
		return 0;

	if (t->call != KF_NONE && b->m->calls[t->call].sys != ev->sys_exit.sys &&
	    !(b->m->calls[t->call].flags & KF_CALL_NOENTER))
		/* enter of one syscall, exit of another: records were lost */
		task_flush(b, t, 0, KF_CALL_NOEXIT | KF_CALL_INCOMPLETE);
	if (t->call == KF_NONE &&
	    call_open(b, t, ev->ts, ev->cpu, ev->sys_exit.sys,
		      KF_CALL_NOENTER) == KF_NONE)
		return oom();
	while (t->nstack)
		pop_noexit(b, t);
	c = &b->m->calls[t->call];
	c->sys = ev->sys_exit.sys;
	c->ret = ev->sys_exit.ret;
	c->flags |= KF_CALL_HAS_RET;
	if (si && si->d.op == KF_FDOP_PAIR && c->ret == 0 && t->nnewfd == 2) {
		/* the array it filled, as strace shows it: [3, 4] */
		char pair[32];

		snprintf(pair, sizeof(pair), "%d%c%d", (int)t->newfd[0],
			 KF_LIST_SEP, (int)t->newfd[1]);
		c->argstr[si->d.fd] = kf_strtab_intern(&b->m->strs, pair);
		if (c->argstr[si->d.fd] == KF_NONE)
			return oom();
	}
	call_close(b, t, ev->ts);
	/* the header holds its tree: shorter, its clock did not keep time */
	if (b->opts.check_clock && c->root != KF_NONE &&
	    !(c->flags & KF_CALL_NOENTER)) {
		const struct kf_node *r = kf_node_get(b->m, c->root);

		if (!(r->flags & KF_NODE_NOEXIT) && r->dur > c->end - c->start)
			c->flags |= KF_CALL_CLOCK;
	}
	return 0;
}

/*
 * A return probe's value: it fires as the function returns, just before
 * or just after the function_graph exit record (the two return hooks
 * nest either way), so it belongs to the open frame on top if that is the
 * function, else to the node the last exit closed.
 */
static int on_retval(struct kf_builder *b, struct task *t,
		     const struct kf_event *ev)
{
	uint32_t ni = KF_NONE, k;

	/* the probe's own handler may be traced above it (a kernel whose
	 * handler kfollow did not know to leave out) */
	for (k = t->nstack; k > 0 && k + 3 > t->nstack; k--)
		if (t->stack[k - 1].func == ev->retval.func) {
			ni = t->stack[k - 1].node;
			break;
		}
	if (ni != KF_NONE)
		;
	else if (t->closed != KF_NONE && t->closed < b->m->nnodes &&
		 kf_node_get(b->m, t->closed)->func == ev->retval.func)
		ni = t->closed;
	if (ni == KF_NONE)
		return 0;
	t->closed = KF_NONE;
	return kf_model_ret_set(b->m, ni, ev->retval.val);
}

/* The open frame on top of t's stack, if it has a node: where t is. */
/* The node of the task's innermost open call, past hidden frames: a
 * switch or wakeup is recorded inside its tracepoint's iterator, and
 * belongs to the call that reached it.  KF_NONE below a cut. */
static uint32_t top_node(const struct task *t)
{
	uint32_t i = t->nstack;

	while (i > 0 && t->stack[i - 1].hid)
		i--;
	return i ? t->stack[i - 1].node : KF_NONE;
}

/*
 * The function a waker woke from, named by its work rather than by the
 * wakeup: up from node ni past the functions of the wakeup itself
 * (try_to_wake_up, __wake_up_common, autoremove_wake_function,
 * complete, ...: "wake" in the name, or complete*).  Its strtab id, or
 * KF_NONE.
 */
static uint32_t waker_work(const struct kf_model *m, uint32_t ni)
{
	uint32_t last = KF_NONE;

	while (ni != KF_NONE) {
		const struct kf_node *n = kf_node_get(m, ni);
		const char *f = kf_strtab_get(&m->strs, n->func);

		last = n->func;
		if (!strstr(f, "wake") && strncmp(f, "complete", 8) != 0)
			return n->func;
		ni = n->parent;
	}
	return last;
}

/*
 * A context switch: a traced task leaving the CPU inside a call starts
 * its time off the CPU there; coming back ends it, and the node it slept
 * in gets the time and who woke it.  Both tasks' names are learnt here
 * too (a waker that is not traced has no other record).
 */
static int on_switch(struct kf_builder *b, const struct kf_event *ev)
{
	struct task *t;
	struct kf_node_note *nt;
	uint64_t d;

	if (!task_get(b, ev->sw.next) || !(t = task_get(b, ev->sw.prev)))
		return oom();
	/* pid 0 is every CPU's idle task (swapper/N): no one name */
	if (!t->comm && ev->sw.prev_comm && ev->sw.prev)
		t->comm = ev->sw.prev_comm;
	if (ev->sw.prev != ev->sw.next && top_node(t) != KF_NONE) {
		t->off_preempted = !(ev->sw.prev_state & 0xff);
		t->off_next = ev->sw.next;
		t->off_node = top_node(t);
		t->off_start = ev->ts;
		t->woken = 0;
		t->waker_node = KF_NONE;
		/* it went to sleep (state bits in the low byte; 0 or the
		 * preempt bit: it was runnable): a wakeup sorted before the
		 * switch is its waker */
		if (t->pending && (ev->sw.prev_state & 0xff)) {
			t->woken = 1;
			t->waker = t->pending_waker;
			t->waker_irq = t->pending_irq;
			t->waker_node = t->pending_node;
		}
	}
	t->pending = 0;
	t = task_get(b, ev->sw.next);
	if (!t->comm && ev->sw.next_comm && ev->sw.next)
		t->comm = ev->sw.next_comm;
	t->pending = 0;
	if (t->off_node == KF_NONE)
		return 0;
	d = ev->ts > t->off_start ? ev->ts - t->off_start : 0;
	if (!(nt = kf_model_note_add(b->m, t->off_node)))
		return oom();
	nt->off += d;
	nt->nsleeps++;
	nt->has |= KF_NOTE_OFF;
	if (t->off_preempted && !t->woken) {
		/* nothing woke it: who took the CPU (the work it waited for,
		 * as often as not: jbd2 committing an fsync's journal) */
		struct task *n = task_get(b, t->off_next);

		nt->has |= KF_NOTE_PREEMPTED;
		nt->has &= ~(KF_NOTE_WAKER | KF_NOTE_WAKER_IRQ);
		nt->waker_pid = t->off_next;
		nt->waker_comm = n && n->comm ? n->comm : KF_NONE;
		nt->waker_node = KF_NONE;
		nt->waker_func = KF_NONE;
		t = task_get(b, ev->sw.next);
	} else {
		nt->has &= ~KF_NOTE_PREEMPTED;
	}
	kf_node_get(b->m, t->off_node)->flags |= KF_NODE_OFF;
	if (t->woken) {
		struct task *w = task_get(b, t->waker);

		nt->has |= KF_NOTE_WAKER | (t->waker_irq ? KF_NOTE_WAKER_IRQ : 0);
		nt->waker_pid = t->waker;
		nt->waker_comm = w && w->comm ? w->comm : KF_NONE;
		nt->waker_node = t->waker_node;
		nt->waker_func = waker_work(b->m, t->waker_node);
	}
	if (t->call != KF_NONE)
		b->m->calls[t->call].off += d;
	t->off_node = KF_NONE;
	t->woken = 0;
	return 0;
}

/* A wakeup of a traced task that sleeps inside a call: who woke it, and
 * from which of its own traced calls, if it is traced. */
static int on_wakeup(struct kf_builder *b, const struct kf_event *ev)
{
	struct task *t, *w;
	uint32_t wn;
	int irq;

	if (ev->wake.pid == ev->pid || !task_get(b, ev->wake.pid) ||
	    !(w = task_get(b, ev->pid)))
		return ev->wake.pid == ev->pid ? 0 : oom();
	wn = top_node(w);
	t = task_get(b, ev->wake.pid);
	/* a timer, a disk's completion: the task on the CPU only hosted it */
	irq = (ev->ctx & (KF_CTX_HARDIRQ | KF_CTX_SOFTIRQ | KF_CTX_NMI)) != 0;
	if (irq)
		wn = KF_NONE;
	if (t->off_node == KF_NONE) {
		if (top_node(t) != KF_NONE) {
			t->pending = 1;
			t->pending_waker = ev->pid;
			t->pending_irq = irq;
			t->pending_node = wn;
		}
		return 0;
	}
	t->waker = ev->pid;
	t->woken = 1;
	t->waker_irq = irq;
	t->waker_node = wn;
	return 0;
}

static void on_lost(struct kf_builder *b, const struct kf_event *ev)
{
	uint32_t i, k;

	for (i = 0; i < b->tasks_cap; i++) {
		struct task *t = &b->tasks[i];

		if (!t->used || t->cpu != ev->cpu)
			continue;
		call_flag(b, t, KF_CALL_INCOMPLETE);
		for (k = 0; k < t->nstack; k++)
			if (t->stack[k].node != KF_NONE)
				kf_node_get(b->m, t->stack[k].node)->flags |=
					KF_NODE_LOST;
	}
}

int kf_builder_event(struct kf_builder *b, const struct kf_event *ev)
{
	struct task *t;

	if (ev->ts > b->last_ts)
		b->last_ts = ev->ts;
	if (ev->type == KF_EV_LOST) {
		on_lost(b, ev);
		return 0;
	}
	t = task_get(b, ev->pid);
	if (!t)
		return oom();
	t->cpu = ev->cpu;
	if (ev->ts > t->last_ts)
		t->last_ts = ev->ts;

	switch (ev->type) {
	case KF_EV_ENTRY:
		return on_entry(b, t, ev);
	case KF_EV_EXIT:
		if (ev->exit.rettime + b->clock_off > b->last_ts)
			b->last_ts = ev->exit.rettime + b->clock_off;
		return on_func_exit(b, t, ev);
	case KF_EV_SYS_ENTER:
		return on_sys_enter(b, t, ev);
	case KF_EV_SYS_EXIT:
		return on_sys_exit(b, t, ev);
	case KF_EV_RETVAL:
		return on_retval(b, t, ev);
	case KF_EV_FDNEW:
		if (t->nnewfd < 2)
			t->newfd[t->nnewfd++] = ev->fdnew.fd;
		return 0;
	case KF_EV_SWITCH:
		return on_switch(b, ev);
	case KF_EV_WAKEUP:
		return on_wakeup(b, ev);
	case KF_EV_STRING:
		if (t->fdop_sys != KF_NONE && ev->string.sys == t->fdop_sys &&
		    b->sys[t->fdop_sys].d.path == (int)ev->string.arg)
			t->fdop_str = ev->string.str;
		if (t->call != KF_NONE && ev->string.arg < KF_MAX_ARGS &&
		    b->m->calls[t->call].sys == ev->string.sys)
			b->m->calls[t->call].argstr[ev->string.arg] =
				ev->string.str;
		return 0;
	case KF_EV_FORK: {
		uint32_t comm = ev->fork.comm ? ev->fork.comm : t->comm;
		struct task *c = task_get(b, ev->fork.child);

		if (!c)
			return oom();
		/* a pid used again: the task that had it is gone */
		if (c->exiting)
			task_flush(b, c, 0, 0);
		c->comm = comm;
		/* the child's fds are the parent's (task_get may have moved
		 * the parent) */
		t = task_get(b, ev->pid);
		if (t && t->fds && (!task_fds(c) ||
				    kf_fdtab_copy(c->fds, t->fds) < 0))
			return oom();
		return 0;
	}
	case KF_EV_EXEC:
		t->comm = ev->task.comm;
		if (t->fds)
			kf_fdtab_exec(t->fds);
		return 0;
	case KF_EV_TASK_EXIT:
		if (ev->task.comm)
			t->comm = ev->task.comm;
		/*
		 * The task is leaving inside a call that never returns
		 * (exit_group, exit); sched_process_exit fires half-way
		 * through do_exit, so what it does after (exit_sem,
		 * exit_files, the last schedule) still belongs to that call.
		 */
		if (t->call != KF_NONE)
			t->exiting = 1;
		return 0;
	}
	return 0;
}

static int sink_event(void *ctx, const struct kf_event *ev)
{
	return kf_builder_event(ctx, ev);
}

struct kf_sink kf_builder_sink(struct kf_builder *b)
{
	struct kf_sink s = { .event = sink_event, .ctx = b };

	return s;
}

int kf_builder_finish(struct kf_builder *b, uint64_t end_ts)
{
	uint32_t i;

	if (!end_ts)
		end_ts = b->last_ts;
	for (i = 0; i < b->tasks_cap; i++) {
		struct task *t = &b->tasks[i];

		if (!t->used)
			continue;
		if (t->call != KF_NONE || t->nstack)
			task_flush(b, t, 0, t->nstack ? KF_CALL_NOEXIT : 0);
	}
	/* wakers whose name came only after they woke someone */
	for (i = 0; i < b->m->notes.cap; i++) {
		struct kf_node_note *nt = &b->m->notes.val[i];
		struct task *w;

		if (b->m->notes.node[i] == KF_NONE ||
		    !(nt->has & (KF_NOTE_WAKER | KF_NOTE_PREEMPTED)) ||
		    nt->waker_comm != KF_NONE)
			continue;
		w = task_get(b, nt->waker_pid);
		if (w && w->comm)
			nt->waker_comm = w->comm;
	}
	(void)end_ts;
	return 0;
}
