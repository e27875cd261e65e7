// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_build.c - the tree builder, fed tables of events.
 *
 * Each test draws the tree it expects in a comment, then compares the
 * builder's result with a one-line rendering:
 *   name[dur/self]{children}  with flags as +irq +noentry +noexit +lost
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kf_build.h"
#include "kf_model.h"

struct fixture {
	struct kf_model m;
	struct kf_builder *b;
	uint32_t sys_openat, sys_exit_group;
};

static struct fixture *setup(enum kf_build_mode mode, int max_depth,
			     int drop_outside)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct kf_build_opts o = { .mode = mode, .max_depth = max_depth,
				   .drop_outside = drop_outside,
				   .default_sys = KF_NONE };

	assert_non_null(f);
	assert_int_equal(kf_model_init(&f->m), 0);
	f->sys_openat = kf_model_sys_get(&f->m, "openat");
	f->sys_exit_group = kf_model_sys_get(&f->m, "exit_group");
	f->b = kf_builder_new(&f->m, &o);
	assert_non_null(f->b);
	return f;
}

static void teardown(struct fixture *f)
{
	kf_builder_free(f->b);
	kf_model_release(&f->m);
	free(f);
}

static uint32_t fn(struct fixture *f, const char *name)
{
	return kf_strtab_intern(&f->m.strs, name);
}

static void entry(struct fixture *f, int pid, int cpu, uint64_t ts,
		  const char *func, int depth, uint8_t ctx)
{
	struct kf_event ev = { .ts = ts, .pid = pid, .cpu = cpu,
			       .type = KF_EV_ENTRY, .ctx = ctx };

	ev.entry.func = fn(f, func);
	ev.entry.depth = depth;
	assert_int_equal(kf_builder_event(f->b, &ev), 0);
}

static void fexit(struct fixture *f, int pid, int cpu, uint64_t calltime,
		  uint64_t rettime, const char *func, int depth)
{
	struct kf_event ev = { .ts = rettime, .pid = pid, .cpu = cpu,
			       .type = KF_EV_EXIT };

	ev.exit.func = fn(f, func);
	ev.exit.depth = depth;
	ev.exit.calltime = calltime;
	ev.exit.rettime = rettime;
	assert_int_equal(kf_builder_event(f->b, &ev), 0);
}

static void sys_enter(struct fixture *f, int pid, int cpu, uint64_t ts,
		      uint32_t sys)
{
	struct kf_event ev = { .ts = ts, .pid = pid, .cpu = cpu,
			       .type = KF_EV_SYS_ENTER };

	ev.sys_enter.sys = sys;
	ev.sys_enter.args[0] = 0xffffff9c;
	assert_int_equal(kf_builder_event(f->b, &ev), 0);
}

static void sys_exit(struct fixture *f, int pid, int cpu, uint64_t ts,
		     uint32_t sys, int64_t ret)
{
	struct kf_event ev = { .ts = ts, .pid = pid, .cpu = cpu,
			       .type = KF_EV_SYS_EXIT };

	ev.sys_exit.sys = sys;
	ev.sys_exit.ret = ret;
	assert_int_equal(kf_builder_event(f->b, &ev), 0);
}

static void simple(struct fixture *f, int type, int pid, int cpu, uint64_t ts)
{
	struct kf_event ev = { .ts = ts, .pid = pid, .cpu = cpu,
			       .type = type };

	if (type == KF_EV_LOST)
		ev.lost.count = 5;
	assert_int_equal(kf_builder_event(f->b, &ev), 0);
}

static void render_node(struct fixture *f, uint32_t ni, char *buf, size_t len)
{
	struct kf_model *m = &f->m;

	while (ni != KF_NONE) {
		struct kf_node *n = kf_node_get(m, ni);
		size_t l = strlen(buf);

		snprintf(buf + l, len - l, "%s[%llu/%llu]%s%s%s%s%s",
			 kf_strtab_get(&m->strs, n->func),
			 (unsigned long long)n->dur,
			 (unsigned long long)n->self,
			 n->flags & KF_NODE_IRQ ? "+irq" : "",
			 n->flags & KF_NODE_SOFTIRQ ? "+softirq" : "",
			 n->flags & KF_NODE_NOENTRY ? "+noentry" : "",
			 n->flags & KF_NODE_NOEXIT ? "+noexit" : "",
			 n->flags & KF_NODE_LOST ? "+lost" : "");
		if (n->child != KF_NONE) {
			/* children must point back at their parent */
			uint32_t c;

			for (c = n->child; c != KF_NONE;
			     c = kf_node_get(m, c)->next) {
				assert_int_equal(kf_node_get(m, c)->parent, ni);
				assert_int_equal(kf_node_get(m, c)->depth,
						 n->depth + 1);
			}
			strncat(buf, "{", len - strlen(buf) - 1);
			render_node(f, n->child, buf, len);
			strncat(buf, "}", len - strlen(buf) - 1);
		}
		ni = n->next;
		if (ni != KF_NONE)
			strncat(buf, ",", len - strlen(buf) - 1);
	}
}

static const char *tree(struct fixture *f, uint32_t call)
{
	static char buf[4096];
	uint32_t r;

	buf[0] = '\0';
	assert_true(call < f->m.ncalls);
	for (r = f->m.calls[call].root; r != KF_NONE;
	     r = kf_node_get(&f->m, r)->next) {
		assert_int_equal(kf_node_get(&f->m, r)->parent, KF_NONE);
		assert_int_equal(kf_node_get(&f->m, r)->depth, 0);
	}
	render_node(f, f->m.calls[call].root, buf, sizeof(buf));
	return buf;
}

/*
 * openat
 *   A 100           [0..100]
 *     B  30         [10..40]
 *       C 10        [15..25]
 *     D  20         [50..70]
 */
static void test_nesting(void **state)
{
	struct fixture *f = setup(KF_BUILD_SYSCALL, 0, 0);

	sys_enter(f, 7, 0, 0, f->sys_openat);
	entry(f, 7, 0, 1, "A", 0, 0);
	entry(f, 7, 0, 10, "B", 1, 0);
	entry(f, 7, 0, 15, "C", 2, 0);
	fexit(f, 7, 0, 15, 25, "C", 2);
	fexit(f, 7, 0, 10, 40, "B", 1);
	entry(f, 7, 0, 50, "D", 1, 0);
	fexit(f, 7, 0, 50, 70, "D", 1);
	fexit(f, 7, 0, 0, 100, "A", 0);
	sys_exit(f, 7, 0, 101, f->sys_openat, 3);
	assert_int_equal(kf_builder_finish(f->b, 0), 0);

	assert_int_equal(f->m.ncalls, 1);
	assert_string_equal(tree(f, 0),
			    "A[100/50]{B[30/20]{C[10/10]},D[20/20]}");
	assert_int_equal(f->m.calls[0].nnodes, 4);
	assert_int_equal(f->m.calls[0].ret, 3);
	assert_true(f->m.calls[0].flags & KF_CALL_HAS_RET);
	assert_false(f->m.calls[0].flags & (KF_CALL_OPEN | KF_CALL_REPAIRED |
					     KF_CALL_NOEXIT));
	assert_int_equal(f->m.calls[0].start, 0);
	assert_int_equal(f->m.calls[0].end, 101);
	assert_int_equal(f->m.calls[0].args[0], 0xffffff9c);
	teardown(f);
}

/*
 * Two invocations back to back, each with one leaf:
 *   openat: A 5
 *   openat: A 7
 */
static void test_two_calls(void **state)
{
	struct fixture *f = setup(KF_BUILD_SYSCALL, 0, 0);

	sys_enter(f, 7, 0, 0, f->sys_openat);
	entry(f, 7, 0, 1, "A", 0, 0);
	fexit(f, 7, 0, 1, 6, "A", 0);
	sys_exit(f, 7, 0, 8, f->sys_openat, 3);
	sys_enter(f, 7, 0, 10, f->sys_openat);
	entry(f, 7, 0, 11, "A", 0, 0);
	fexit(f, 7, 0, 11, 18, "A", 0);
	sys_exit(f, 7, 0, 20, f->sys_openat, -2);
	kf_builder_finish(f->b, 0);

	assert_int_equal(f->m.ncalls, 2);
	assert_string_equal(tree(f, 0), "A[5/5]");
	assert_string_equal(tree(f, 1), "A[7/7]");
	assert_int_equal(f->m.calls[1].ret, -2);
	teardown(f);
}

/*
 * The entry of B was lost; its exit arrives after C's records, which
 * started inside B, so B adopts C:
 *   A 100
 *     B 50  +noentry   [10..60]
 *       C 10           [20..30]
 */
static void test_lost_entry(void **state)
{
	struct fixture *f = setup(KF_BUILD_SYSCALL, 0, 0);

	sys_enter(f, 7, 0, 0, f->sys_openat);
	entry(f, 7, 0, 1, "A", 0, 0);
	/* B's entry at depth 1 is lost */
	entry(f, 7, 0, 20, "C", 2, 0);
	fexit(f, 7, 0, 20, 30, "C", 2);
	fexit(f, 7, 0, 10, 60, "B", 1);
	fexit(f, 7, 0, 0, 100, "A", 0);
	sys_exit(f, 7, 0, 101, f->sys_openat, 3);
	kf_builder_finish(f->b, 0);

	assert_string_equal(tree(f, 0),
			    "A[100/50]{B[50/40]+noentry{C[10/10]}}");
	assert_true(f->m.calls[0].flags & KF_CALL_REPAIRED);
	teardown(f);
}

/*
 * The exit of B was lost: C's entry at B's depth proves B returned.
 *   A 100
 *     B +noexit (lower bound: up to the end of its child X)
 *       X 5   [12..17]
 *     C 10
 */
static void test_lost_exit(void **state)
{
	struct fixture *f = setup(KF_BUILD_SYSCALL, 0, 0);

	sys_enter(f, 7, 0, 0, f->sys_openat);
	entry(f, 7, 0, 1, "A", 0, 0);
	entry(f, 7, 0, 10, "B", 1, 0);
	entry(f, 7, 0, 12, "X", 2, 0);
	fexit(f, 7, 0, 12, 17, "X", 2);
	/* B's exit lost */
	entry(f, 7, 0, 40, "C", 1, 0);
	fexit(f, 7, 0, 40, 50, "C", 1);
	fexit(f, 7, 0, 0, 100, "A", 0);
	sys_exit(f, 7, 0, 101, f->sys_openat, 3);
	kf_builder_finish(f->b, 0);

	assert_string_equal(tree(f, 0),
			    "A[100/83]{B[7/2]+noexit{X[5/5]},C[10/10]}");
	assert_true(f->m.calls[0].flags & KF_CALL_REPAIRED);
	teardown(f);
}

/*
 * An exit record whose frame is buried: the frames above it lost their
 * exits.
 *   A 100
 *     B 60 [10..70]
 *       C +noexit
 */
/*
 * calltime and rettime on a clock that jumped (6.1 under emulation, at a
 * timer tick): B's exit says 465 units where its record times say 2.
 * With ts_durations the tree keeps to the record times, so B fits inside
 * A; without, the exit's own numbers stand (text traces print those).
 *   A [0..100]
 *     B [10..12] (exit: calltime 500, rettime 965)
 *     C [20..30]
 */
static void clock_jump(struct fixture *f)
{
	struct kf_event ev = { .ts = 12, .pid = 7, .type = KF_EV_EXIT };

	sys_enter(f, 7, 0, 0, f->sys_openat);
	entry(f, 7, 0, 1, "A", 0, 0);
	entry(f, 7, 0, 10, "B", 1, 0);
	ev.exit.func = fn(f, "B");
	ev.exit.depth = 1;
	ev.exit.calltime = 500;
	ev.exit.rettime = 965;
	assert_int_equal(kf_builder_event(f->b, &ev), 0);
	entry(f, 7, 0, 20, "C", 1, 0);
	fexit(f, 7, 0, 20, 30, "C", 1);
	fexit(f, 7, 0, 1, 101, "A", 0);
	sys_exit(f, 7, 0, 102, f->sys_openat, 3);
	kf_builder_finish(f->b, 0);
}

static void test_ts_durations(void **state)
{
	struct fixture *f = setup(KF_BUILD_SYSCALL, 0, 0);
	struct kf_build_opts o = { .mode = KF_BUILD_SYSCALL,
				   .default_sys = KF_NONE,
				   .ts_durations = 1 };

	(void)state;
	clock_jump(f);
	assert_string_equal(tree(f, 0), "A[100/0]{B[465/465],C[10/10]}");
	teardown(f);

	f = setup(KF_BUILD_SYSCALL, 0, 0);
	kf_builder_free(f->b);
	f->b = kf_builder_new(&f->m, &o);
	assert_non_null(f->b);
	clock_jump(f);
	assert_string_equal(tree(f, 0), "A[100/88]{B[2/2],C[10/10]}");
	teardown(f);
}

static void test_buried_exit(void **state)
{
	struct fixture *f = setup(KF_BUILD_SYSCALL, 0, 0);

	sys_enter(f, 7, 0, 0, f->sys_openat);
	entry(f, 7, 0, 1, "A", 0, 0);
	entry(f, 7, 0, 10, "B", 1, 0);
	entry(f, 7, 0, 20, "C", 2, 0);
	fexit(f, 7, 0, 10, 70, "B", 1);
	fexit(f, 7, 0, 0, 100, "A", 0);
	sys_exit(f, 7, 0, 101, f->sys_openat, 3);
	kf_builder_finish(f->b, 0);

	assert_string_equal(tree(f, 0),
			    "A[100/40]{B[60/60]{C[0/0]+noexit}}");
	teardown(f);
}

/*
 * A hard interrupt arrives while B runs; its handler is traced in the
 * task's context one level deeper and is marked:
 *   A 100
 *     B 50
 *       irq_handler 20 +irq
 *         inner 5 (inside the irq, not newly entered: no mark)
 */
static void test_irq(void **state)
{
	struct fixture *f = setup(KF_BUILD_SYSCALL, 0, 0);

	sys_enter(f, 7, 0, 0, f->sys_openat);
	entry(f, 7, 0, 1, "A", 0, 0);
	entry(f, 7, 0, 10, "B", 1, 0);
	entry(f, 7, 0, 20, "irq_handler", 2, KF_CTX_HARDIRQ);
	entry(f, 7, 0, 22, "inner", 3, KF_CTX_HARDIRQ);
	fexit(f, 7, 0, 22, 27, "inner", 3);
	fexit(f, 7, 0, 20, 40, "irq_handler", 2);
	fexit(f, 7, 0, 10, 60, "B", 1);
	fexit(f, 7, 0, 0, 100, "A", 0);
	sys_exit(f, 7, 0, 101, f->sys_openat, 3);
	kf_builder_finish(f->b, 0);

	assert_string_equal(tree(f, 0),
			    "A[100/50]{B[50/30]{irq_handler[20/15]+irq{inner[5/5]}}}");
	teardown(f);
}

/*
 * Two tasks on two CPUs, records interleaved; task 7 migrates from CPU 0
 * to CPU 1 in the middle of A.
 *   task 7: A 100 { B 10 }        task 9: P 50 { Q 20 }
 */
static void test_interleaved(void **state)
{
	struct fixture *f = setup(KF_BUILD_SYSCALL, 0, 0);

	sys_enter(f, 7, 0, 0, f->sys_openat);
	sys_enter(f, 9, 1, 1, f->sys_openat);
	entry(f, 7, 0, 2, "A", 0, 0);
	entry(f, 9, 1, 3, "P", 0, 0);
	entry(f, 9, 1, 5, "Q", 1, 0);
	entry(f, 7, 0, 6, "B", 1, 0);
	fexit(f, 9, 1, 5, 25, "Q", 1);
	fexit(f, 7, 0, 6, 16, "B", 1);
	fexit(f, 9, 1, 3, 53, "P", 0);
	sys_exit(f, 9, 1, 54, f->sys_openat, 4);
	fexit(f, 7, 1, 2, 102, "A", 0);  /* migrated to CPU 1 */
	sys_exit(f, 7, 1, 103, f->sys_openat, 3);
	kf_builder_finish(f->b, 0);

	assert_int_equal(f->m.ncalls, 2);
	assert_int_equal(f->m.calls[0].pid, 7);
	assert_int_equal(f->m.calls[1].pid, 9);
	assert_string_equal(tree(f, 0), "A[100/90]{B[10/10]}");
	assert_string_equal(tree(f, 1), "P[50/30]{Q[20/20]}");
	assert_int_equal(f->m.calls[0].ret, 3);
	assert_int_equal(f->m.calls[1].ret, 4);
	teardown(f);
}

/*
 * The command exits inside a call: exit_group never returns.
 *   exit_group: do_exit +noexit { X 5 }
 */
static void test_exit_mid_call(void **state)
{
	struct fixture *f = setup(KF_BUILD_SYSCALL, 0, 0);

	sys_enter(f, 7, 0, 0, f->sys_exit_group);
	entry(f, 7, 0, 1, "do_exit", 0, 0);
	entry(f, 7, 0, 2, "X", 1, 0);
	fexit(f, 7, 0, 2, 7, "X", 1);
	simple(f, KF_EV_TASK_EXIT, 7, 0, 9);
	kf_builder_finish(f->b, 0);

	assert_int_equal(f->m.ncalls, 1);
	assert_string_equal(tree(f, 0), "do_exit[6/1]+noexit{X[5/5]}");
	assert_true(f->m.calls[0].flags & KF_CALL_NOEXIT);
	assert_false(f->m.calls[0].flags & KF_CALL_HAS_RET);
	assert_false(f->m.calls[0].flags & KF_CALL_OPEN);
	assert_int_equal(f->m.calls[0].end, 9);
	teardown(f);
}

/* The capture ends while a call is still running. */
static void test_capture_ends(void **state)
{
	struct fixture *f = setup(KF_BUILD_SYSCALL, 0, 0);

	sys_enter(f, 7, 0, 0, f->sys_openat);
	entry(f, 7, 0, 1, "A", 0, 0);
	entry(f, 7, 0, 2, "B", 1, 0);
	assert_true(f->m.calls[0].flags & KF_CALL_OPEN);
	kf_builder_finish(f->b, 0);

	assert_string_equal(tree(f, 0), "A[1/1]+noexit{B[0/0]+noexit}");
	assert_true(f->m.calls[0].flags & KF_CALL_NOEXIT);
	assert_false(f->m.calls[0].flags & KF_CALL_OPEN);
	teardown(f);
}

/* Lost events on a CPU mark the calls running there as incomplete. */
static void test_lost_marks(void **state)
{
	struct fixture *f = setup(KF_BUILD_SYSCALL, 0, 0);

	sys_enter(f, 7, 0, 0, f->sys_openat);
	entry(f, 7, 0, 1, "A", 0, 0);
	sys_enter(f, 9, 1, 2, f->sys_openat);
	simple(f, KF_EV_LOST, -1, 0, 5);
	fexit(f, 7, 0, 1, 10, "A", 0);
	sys_exit(f, 7, 0, 11, f->sys_openat, 3);
	sys_exit(f, 9, 1, 12, f->sys_openat, 3);
	kf_builder_finish(f->b, 0);

	assert_true(f->m.calls[0].flags & KF_CALL_INCOMPLETE);
	assert_false(f->m.calls[1].flags & KF_CALL_INCOMPLETE);
	assert_string_equal(tree(f, 0), "A[9/9]+lost");
	teardown(f);
}

/*
 * Function mode: each top-level call is an invocation; a trace that
 * starts inside a function gives orphans, adopted by the root's exit.
 *   call 0: R 100 +noentry { S 10, T 10 }
 *   call 1: R 5
 */
static void test_function_mode(void **state)
{
	struct fixture *f = setup(KF_BUILD_FUNCTION, 0, 0);

	entry(f, 7, 0, 10, "S", 1, 0);
	fexit(f, 7, 0, 10, 20, "S", 1);
	entry(f, 7, 0, 30, "T", 1, 0);
	fexit(f, 7, 0, 30, 40, "T", 1);
	fexit(f, 7, 0, 0, 100, "R", 0);
	entry(f, 7, 0, 200, "R", 0, 0);
	fexit(f, 7, 0, 200, 205, "R", 0);
	kf_builder_finish(f->b, 0);

	assert_int_equal(f->m.ncalls, 2);
	assert_string_equal(tree(f, 0),
			    "R[100/80]+noentry{S[10/10],T[10/10]}");
	assert_true(f->m.calls[0].flags & KF_CALL_REPAIRED);
	assert_string_equal(tree(f, 1), "R[5/5]");
	assert_int_equal(f->m.calls[1].start, 200);
	assert_int_equal(f->m.calls[1].end, 205);
	assert_int_equal(f->m.calls[1].sys, KF_NONE);
	teardown(f);
}

/* --max-depth 2 keeps two levels; deeper records are matched, not kept. */
static void test_max_depth(void **state)
{
	struct fixture *f = setup(KF_BUILD_SYSCALL, 2, 0);

	sys_enter(f, 7, 0, 0, f->sys_openat);
	entry(f, 7, 0, 1, "A", 0, 0);
	entry(f, 7, 0, 2, "B", 1, 0);
	entry(f, 7, 0, 3, "C", 2, 0);
	entry(f, 7, 0, 4, "D", 3, 0);
	fexit(f, 7, 0, 4, 5, "D", 3);
	fexit(f, 7, 0, 3, 6, "C", 2);
	fexit(f, 7, 0, 2, 7, "B", 1);
	fexit(f, 7, 0, 1, 8, "A", 0);
	sys_exit(f, 7, 0, 9, f->sys_openat, 3);
	kf_builder_finish(f->b, 0);

	assert_string_equal(tree(f, 0), "A[7/2]{B[5/5]}");
	assert_int_equal(f->m.calls[0].nnodes, 2);
	teardown(f);
}

/* Trees outside any invocation (shared graph roots) are dropped, counted. */
static void test_drop_outside(void **state)
{
	struct fixture *f = setup(KF_BUILD_SYSCALL, 0, 1);

	entry(f, 7, 0, 1, "A", 0, 0);
	entry(f, 7, 0, 2, "B", 1, 0);
	fexit(f, 7, 0, 2, 3, "B", 1);
	fexit(f, 7, 0, 1, 4, "A", 0);
	sys_enter(f, 7, 0, 10, f->sys_openat);
	entry(f, 7, 0, 11, "A", 0, 0);
	fexit(f, 7, 0, 11, 14, "A", 0);
	sys_exit(f, 7, 0, 15, f->sys_openat, 3);
	kf_builder_finish(f->b, 0);

	assert_int_equal(f->m.ncalls, 1);
	assert_int_equal(f->m.meta.dropped, 1);
	assert_string_equal(tree(f, 0), "A[3/3]");
	assert_int_equal(f->m.nnodes, 1);
	teardown(f);
}

/* Without drop_outside, such a tree becomes a call without its enter. */
static void test_noenter(void **state)
{
	struct fixture *f = setup(KF_BUILD_SYSCALL, 0, 0);

	entry(f, 7, 0, 1, "A", 0, 0);
	fexit(f, 7, 0, 1, 4, "A", 0);
	sys_exit(f, 7, 0, 5, f->sys_openat, 3);
	kf_builder_finish(f->b, 0);

	assert_int_equal(f->m.ncalls, 1);
	assert_true(f->m.calls[0].flags & KF_CALL_NOENTER);
	assert_int_equal(f->m.calls[0].sys, f->sys_openat);
	assert_int_equal(f->m.calls[0].ret, 3);
	assert_string_equal(tree(f, 0), "A[3/3]");
	teardown(f);
}

/* A string argument and the task's name reach the call. */
static void test_string_and_comm(void **state)
{
	struct fixture *f = setup(KF_BUILD_SYSCALL, 0, 0);
	struct kf_event ev = { .ts = 1, .pid = 7, .type = KF_EV_STRING };
	uint32_t path = kf_strtab_intern(&f->m.strs, "/tmp/demo.txt");
	uint32_t cat = kf_strtab_intern(&f->m.strs, "cat");

	kf_builder_task_comm(f->b, 7, kf_strtab_intern(&f->m.strs, "kfollow"));
	{
		struct kf_event ex = { .ts = 0, .pid = 7, .type = KF_EV_EXEC };

		ex.task.comm = cat;
		kf_builder_event(f->b, &ex);
	}
	sys_enter(f, 7, 0, 0, f->sys_openat);
	ev.string.sys = f->sys_openat;
	ev.string.arg = 1;
	ev.string.str = path;
	assert_int_equal(kf_builder_event(f->b, &ev), 0);
	sys_exit(f, 7, 0, 5, f->sys_openat, 3);
	kf_builder_finish(f->b, 0);

	assert_int_equal(f->m.calls[0].argstr[1], path);
	assert_int_equal(f->m.calls[0].argstr[0], KF_NONE);
	assert_int_equal(f->m.calls[0].comm, cat);
	teardown(f);
}

/* A fork gives the child its parent's name. */
static void test_fork_comm(void **state)
{
	struct fixture *f = setup(KF_BUILD_SYSCALL, 0, 0);
	struct kf_event ev = { .ts = 0, .pid = 7, .type = KF_EV_FORK };
	uint32_t sh = kf_strtab_intern(&f->m.strs, "sh");

	kf_builder_task_comm(f->b, 7, sh);
	ev.fork.child = 8;
	kf_builder_event(f->b, &ev);
	sys_enter(f, 8, 1, 1, f->sys_openat);
	sys_exit(f, 8, 1, 2, f->sys_openat, 0);
	kf_builder_finish(f->b, 0);
	assert_int_equal(f->m.calls[0].comm, sh);
	assert_int_equal(f->m.calls[0].pid, 8);
	teardown(f);
}

/* An enter of one syscall followed by the exit of another: records lost. */
static void test_mismatched_exit(void **state)
{
	struct fixture *f = setup(KF_BUILD_SYSCALL, 0, 0);

	sys_enter(f, 7, 0, 0, f->sys_openat);
	sys_exit(f, 7, 0, 5, f->sys_exit_group, 0);
	kf_builder_finish(f->b, 0);
	assert_int_equal(f->m.ncalls, 2);
	assert_true(f->m.calls[0].flags & KF_CALL_INCOMPLETE);
	assert_true(f->m.calls[1].flags & KF_CALL_NOENTER);
	assert_int_equal(f->m.calls[1].sys, f->sys_exit_group);
	teardown(f);
}

/*
 * Exits carry calltime/rettime on a clock 1000 ns behind the entries'
 * ring-buffer timestamps (as 6.1 does).  Starts stay on the entry clock;
 * the exit whose entry was lost is placed with the learned offset, so it
 * adopts the right child:
 *   A 100 [1000..1100]
 *     B 30 [1010..1040]
 *     C 10 +noentry [1050..1060]
 *       D 3 [1052..1055]
 */
static void test_clock_bases(void **state)
{
	struct fixture *f = setup(KF_BUILD_FUNCTION, 0, 0);
	struct kf_node *c;

	entry(f, 7, 0, 1000, "A", 0, 0);
	entry(f, 7, 0, 1010, "B", 1, 0);
	fexit(f, 7, 0, 10, 40, "B", 1);
	entry(f, 7, 0, 1052, "D", 2, 0);
	fexit(f, 7, 0, 52, 55, "D", 2);
	fexit(f, 7, 0, 50, 60, "C", 1);
	fexit(f, 7, 0, 0, 100, "A", 0);
	kf_builder_finish(f->b, 0);

	assert_string_equal(tree(f, 0),
			    "A[100/60]{B[30/30],C[10/7]+noentry{D[3/3]}}");
	c = kf_node_get(&f->m, kf_node_get(&f->m, f->m.calls[0].root)->child);
	assert_int_equal(c->start, 1010);
	c = kf_node_get(&f->m, c->next);
	assert_int_equal(c->start, 1050);
	assert_int_equal(f->m.calls[0].start, 1000);
	assert_int_equal(f->m.calls[0].end, 1100);
	teardown(f);
}

/* A node stays small: the issue's budget is 64 bytes. */
static void test_node_size(void **state)
{
	struct fixture *f = setup(KF_BUILD_FUNCTION, 0, 0);
	uint64_t t = 0;
	int i;

	assert_true(sizeof(struct kf_node) <= 64);
	/* 200k nodes of real building: arena memory per node stays near it */
	for (i = 0; i < 100000; i++) {
		entry(f, 7, 0, t, "A", 0, 0);
		entry(f, 7, 0, t + 1, "B", 1, 0);
		fexit(f, 7, 0, t + 1, t + 2, "B", 1);
		fexit(f, 7, 0, t, t + 3, "A", 0);
		t += 4;
	}
	kf_builder_finish(f->b, 0);
	assert_int_equal(f->m.nnodes, 200000);
	assert_int_equal(f->m.ncalls, 100000);
	assert_true(f->m.nchunks * KF_NODE_CHUNK * sizeof(struct kf_node) /
		    f->m.nnodes <= 64);
	teardown(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_two_calls),
		cmocka_unit_test(test_lost_entry),
		cmocka_unit_test(test_lost_exit),
		cmocka_unit_test(test_buried_exit),
		cmocka_unit_test(test_ts_durations),
		cmocka_unit_test(test_irq),
		cmocka_unit_test(test_interleaved),
		cmocka_unit_test(test_exit_mid_call),
		cmocka_unit_test(test_capture_ends),
		cmocka_unit_test(test_lost_marks),
		cmocka_unit_test(test_function_mode),
		cmocka_unit_test(test_max_depth),
		cmocka_unit_test(test_drop_outside),
		cmocka_unit_test(test_noenter),
		cmocka_unit_test(test_string_and_comm),
		cmocka_unit_test(test_fork_comm),
		cmocka_unit_test(test_mismatched_exit),
		cmocka_unit_test(test_clock_bases),
		cmocka_unit_test(test_node_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
