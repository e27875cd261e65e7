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

static void retval(struct fixture *f, int pid, uint64_t ts, const char *func,
		   int64_t v)
{
	struct kf_event ev = { .ts = ts, .pid = pid, .type = KF_EV_RETVAL };

	ev.retval.func = fn(f, func);
	ev.retval.val = v;
	assert_int_equal(kf_builder_event(f->b, &ev), 0);
}

/* The node of the n-th (preorder) node named func in call 0, or KF_NONE. */
static uint32_t find(struct fixture *f, const char *func, int nth)
{
	uint32_t i, id = fn(f, func);

	for (i = 0; i < f->m.nnodes; i++)
		if (kf_node_get(&f->m, i)->func == id && nth-- == 0)
			return i;
	return KF_NONE;
}

static const char *origin_name(struct fixture *f, uint32_t call)
{
	uint32_t o = kf_call_origin(&f->m, call);

	return o == KF_NONE ? "(none)" :
	       kf_strtab_get(&f->m.strs, kf_node_get(&f->m, o)->func);
}

/*
 * A return probe fires just before the function_graph exit (B: the open
 * frame on top) or just after it (A, C: the node the last exit closed);
 * a value for a function that is neither belongs to nothing.
 *   openat = -2
 *     A = -2          the walk, an ERR_PTR
 *       B = 0xfffffffe  an int's -2, zero-extended
 *       C = 0
 */
static void test_retval_binding(void **state)
{
	struct fixture *f = setup(KF_BUILD_SYSCALL, 0, 0);
	int64_t v;

	(void)state;
	sys_enter(f, 7, 0, 0, f->sys_openat);
	entry(f, 7, 0, 1, "A", 0, 0);
	entry(f, 7, 0, 10, "B", 1, 0);
	retval(f, 7, 39, "B", 0xfffffffell);
	fexit(f, 7, 0, 10, 40, "B", 1);
	entry(f, 7, 0, 50, "C", 1, 0);
	fexit(f, 7, 0, 50, 70, "C", 1);
	retval(f, 7, 71, "C", 0);
	retval(f, 7, 72, "Z", 5);       /* no such call: dropped */
	fexit(f, 7, 0, 0, 100, "A", 0);
	retval(f, 7, 100, "A", -2);
	sys_exit(f, 7, 0, 101, f->sys_openat, -2);
	assert_int_equal(kf_builder_finish(f->b, 0), 0);

	assert_string_equal(tree(f, 0), "A[100/50]{B[30/30],C[20/20]}");
	assert_true(kf_model_ret_get(&f->m, find(f, "B", 0), &v));
	assert_int_equal(v, 0xfffffffell);
	assert_int_equal(kf_ret_errno(v), 2);
	assert_true(kf_model_ret_get(&f->m, find(f, "C", 0), &v));
	assert_int_equal(v, 0);
	assert_true(kf_model_ret_get(&f->m, find(f, "A", 0), &v));
	assert_int_equal(v, -2);
	assert_true(kf_node_get(&f->m, find(f, "A", 0))->flags & KF_NODE_RET);
	assert_int_equal(f->m.notes.n, 3);
	/* A = -2 and its first erring child B = -2: B is where it began */
	assert_string_equal(origin_name(f, 0), "B");
	teardown(f);
}

/*
 * The origin follows the error down, the first call at each step, looking
 * through calls without a value and not into calls that returned
 * something else.  (7.2: the lookup's step_into_slowpath makes -ENOENT,
 * then link_path_walk is handed the ERR_PTR and returns it again.)
 *   openat = -2
 *     X (no value)
 *       W = -2
 *         L = 0          a lookup that worked: not looked into
 *           E = -2       an error inside it that was handled
 *         S = -2         where the error began
 *         K = -2         link_path_walk, handed the error
 */
static void test_retval_origin(void **state)
{
	struct fixture *f = setup(KF_BUILD_SYSCALL, 0, 0);

	(void)state;
	sys_enter(f, 7, 0, 0, f->sys_openat);
	entry(f, 7, 0, 1, "X", 0, 0);
	entry(f, 7, 0, 2, "W", 1, 0);
	entry(f, 7, 0, 3, "L", 2, 0);
	entry(f, 7, 0, 4, "E", 3, 0);
	fexit(f, 7, 0, 4, 5, "E", 3);
	retval(f, 7, 5, "E", -2);
	fexit(f, 7, 0, 3, 6, "L", 2);
	retval(f, 7, 6, "L", 0);
	entry(f, 7, 0, 7, "S", 2, 0);
	fexit(f, 7, 0, 7, 8, "S", 2);
	retval(f, 7, 8, "S", -2);
	entry(f, 7, 0, 9, "K", 2, 0);
	fexit(f, 7, 0, 9, 10, "K", 2);
	retval(f, 7, 10, "K", -2);
	fexit(f, 7, 0, 2, 11, "W", 1);
	retval(f, 7, 11, "W", -2);
	fexit(f, 7, 0, 1, 12, "X", 0);
	sys_exit(f, 7, 0, 13, f->sys_openat, -2);
	/* a second call that failed with another error than its nodes' */
	sys_enter(f, 7, 0, 20, f->sys_openat);
	entry(f, 7, 0, 21, "W", 0, 0);
	fexit(f, 7, 0, 21, 22, "W", 0);
	retval(f, 7, 22, "W", -2);
	sys_exit(f, 7, 0, 23, f->sys_openat, -13);
	/* and one that worked */
	sys_enter(f, 7, 0, 30, f->sys_openat);
	entry(f, 7, 0, 31, "W", 0, 0);
	fexit(f, 7, 0, 31, 32, "W", 0);
	retval(f, 7, 32, "W", 3);
	sys_exit(f, 7, 0, 33, f->sys_openat, 3);
	assert_int_equal(kf_builder_finish(f->b, 0), 0);

	assert_int_equal(f->m.ncalls, 3);
	assert_string_equal(origin_name(f, 0), "S");
	assert_string_equal(origin_name(f, 1), "(none)");
	assert_string_equal(origin_name(f, 2), "(none)");
	teardown(f);
}

/* The probe's handler traced above the function (a kernel whose handler
 * kfollow did not leave out): the value still finds its function. */
static void test_retval_under_handler(void **state)
{
	struct fixture *f = setup(KF_BUILD_SYSCALL, 0, 0);
	int64_t v;

	(void)state;
	sys_enter(f, 7, 0, 0, f->sys_openat);
	entry(f, 7, 0, 1, "A", 0, 0);
	entry(f, 7, 0, 2, "handler", 1, 0);
	retval(f, 7, 3, "A", -13);
	fexit(f, 7, 0, 2, 4, "handler", 1);
	fexit(f, 7, 0, 1, 5, "A", 0);
	sys_exit(f, 7, 0, 6, f->sys_openat, -13);
	assert_int_equal(kf_builder_finish(f->b, 0), 0);
	assert_true(kf_model_ret_get(&f->m, find(f, "A", 0), &v));
	assert_int_equal(v, -13);
	assert_false(kf_model_ret_get(&f->m, find(f, "handler", 0), &v));
	assert_string_equal(origin_name(f, 0), "A");
	teardown(f);
}

static void sw_state(struct fixture *f, int cpu, uint64_t ts, int prev,
		     int next, const char *prev_comm, const char *next_comm,
		     int64_t prev_state)
{
	struct kf_event ev = { .ts = ts, .pid = prev, .cpu = cpu,
			       .type = KF_EV_SWITCH };

	ev.sw.prev = prev;
	ev.sw.next = next;
	ev.sw.prev_comm = prev_comm ? fn(f, prev_comm) : 0;
	ev.sw.next_comm = next_comm ? fn(f, next_comm) : 0;
	ev.sw.prev_state = prev_state;
	assert_int_equal(kf_builder_event(f->b, &ev), 0);
}

static void sw(struct fixture *f, int cpu, uint64_t ts, int prev, int next,
	       const char *prev_comm, const char *next_comm)
{
	struct kf_event ev = { .ts = ts, .pid = prev, .cpu = cpu,
			       .type = KF_EV_SWITCH };

	ev.sw.prev_state = 1;  /* S: it sleeps */

	ev.sw.prev = prev;
	ev.sw.next = next;
	ev.sw.prev_comm = prev_comm ? fn(f, prev_comm) : 0;
	ev.sw.next_comm = next_comm ? fn(f, next_comm) : 0;
	assert_int_equal(kf_builder_event(f->b, &ev), 0);
}

static void wake_ctx(struct fixture *f, int cpu, uint64_t ts, int waker,
		     int pid, uint8_t ctx)
{
	struct kf_event ev = { .ts = ts, .pid = waker, .cpu = cpu,
			       .type = KF_EV_WAKEUP, .ctx = ctx };

	ev.wake.pid = pid;
	assert_int_equal(kf_builder_event(f->b, &ev), 0);
}

static void wake(struct fixture *f, int cpu, uint64_t ts, int waker, int pid)
{
	struct kf_event ev = { .ts = ts, .pid = waker, .cpu = cpu,
			       .type = KF_EV_WAKEUP };

	ev.wake.pid = pid;
	assert_int_equal(kf_builder_event(f->b, &ev), 0);
}

/*
 * Task 7 reads a pipe and sleeps in schedule for 80 ns; task 9 (traced,
 * writing) wakes it from inside pipe_write > try_to_wake_up; later task 7
 * is preempted in another call and nobody wakes it.  Task 30 (jbd2, not
 * traced) wakes 7 in a third call: its name comes from the switch.
 *   read  A{schedule [off 80, woken by 9 in pipe_write]}
 *   write pipe_write{try_to_wake_up}
 */
static void test_offcpu(void **state)
{
	struct fixture *f = setup(KF_BUILD_SYSCALL, 0, 0);
	const struct kf_node_note *nt;
	uint32_t sys_read = kf_model_sys_get(&f->m, "read");
	uint32_t sys_write = kf_model_sys_get(&f->m, "write");

	(void)state;
	sys_enter(f, 7, 0, 0, sys_read);
	entry(f, 7, 0, 1, "A", 0, 0);
	entry(f, 7, 0, 2, "schedule", 1, 0);
	sw(f, 0, 10, 7, 9, "cat", "sh");
	sys_enter(f, 9, 0, 11, sys_write);
	entry(f, 9, 0, 12, "pipe_write", 0, 0);
	entry(f, 9, 0, 13, "try_to_wake_up", 1, 0);
	wake(f, 0, 14, 9, 7);
	fexit(f, 9, 0, 13, 15, "try_to_wake_up", 1);
	fexit(f, 9, 0, 12, 16, "pipe_write", 0);
	sys_exit(f, 9, 0, 17, sys_write, 3);
	sw(f, 0, 90, 9, 7, "sh", "cat");
	fexit(f, 7, 0, 2, 95, "schedule", 1);
	fexit(f, 7, 0, 1, 96, "A", 0);
	sys_exit(f, 7, 0, 97, sys_read, 3);
	/* preempted (runnable, R+): who took the CPU */
	sys_enter(f, 7, 0, 100, sys_read);
	entry(f, 7, 0, 101, "B", 0, 0);
	sw_state(f, 0, 102, 7, 31, "cat", "jbd2/vda-8", 0x100);
	sw(f, 0, 110, 31, 7, "jbd2/vda-8", "cat");
	fexit(f, 7, 0, 101, 111, "B", 0);
	sys_exit(f, 7, 0, 112, sys_read, 3);
	/* woken by a task that is not traced, named by a later switch */
	sys_enter(f, 7, 0, 200, sys_read);
	entry(f, 7, 0, 201, "C", 0, 0);
	sw(f, 0, 202, 7, 0, NULL, NULL);
	wake(f, 1, 250, 30, 7);
	sw(f, 1, 251, 30, 0, "jbd2/vda-8", "swapper/1");
	sw(f, 0, 260, 0, 7, NULL, NULL);
	fexit(f, 7, 0, 201, 261, "C", 0);
	sys_exit(f, 7, 0, 262, sys_read, 3);
	/* a timer's interrupt on the idle CPU: pid 0 is a waker too */
	sys_enter(f, 7, 0, 300, sys_read);
	entry(f, 7, 0, 301, "D", 0, 0);
	sw(f, 0, 302, 7, 0, NULL, "swapper/0");
	wake_ctx(f, 0, 350, 0, 7, KF_CTX_HARDIRQ);
	sw(f, 0, 351, 0, 7, "swapper/0", NULL);
	fexit(f, 7, 0, 301, 352, "D", 0);
	sys_exit(f, 7, 0, 353, sys_read, 0);

	/* the journal's wakeup sorted before the sleeper's switch (another
	 * CPU's clock ahead): still its waker; a preemption takes none */
	sys_enter(f, 7, 0, 400, sys_read);
	entry(f, 7, 0, 401, "F", 0, 0);
	wake(f, 1, 402, 30, 7);
	sw(f, 0, 403, 7, 0, NULL, NULL);
	sw(f, 0, 420, 0, 7, NULL, NULL);
	fexit(f, 7, 0, 401, 421, "F", 0);
	sys_exit(f, 7, 0, 422, sys_read, 0);
	assert_int_equal(kf_builder_finish(f->b, 0), 0);
	nt = kf_model_note(&f->m, find(f, "F", 0));
	assert_non_null(nt);
	assert_int_equal(nt->has, KF_NOTE_OFF | KF_NOTE_WAKER);
	assert_int_equal(nt->waker_pid, 30);
	assert_int_equal(nt->off, 17);

	nt = kf_model_note(&f->m, find(f, "D", 0));
	assert_non_null(nt);
	assert_int_equal(nt->has, KF_NOTE_OFF | KF_NOTE_WAKER |
			 KF_NOTE_WAKER_IRQ);
	assert_int_equal(nt->off, 49);
	assert_int_equal(nt->waker_pid, 0);
	assert_int_equal(nt->waker_comm, KF_NONE);  /* idle: no one name */
	assert_int_equal(nt->waker_node, KF_NONE);
	assert_int_equal(f->m.ncalls, 6);
	nt = kf_model_note(&f->m, find(f, "schedule", 0));
	assert_non_null(nt);
	assert_int_equal(nt->has, KF_NOTE_OFF | KF_NOTE_WAKER);
	assert_int_equal(nt->off, 80);
	assert_int_equal(nt->nsleeps, 1);
	assert_int_equal(nt->waker_pid, 9);
	assert_string_equal(kf_strtab_get(&f->m.strs, nt->waker_comm), "sh");
	assert_int_equal(nt->waker_node, find(f, "try_to_wake_up", 0));
	/* named by its work, not by the wakeup */
	assert_string_equal(kf_strtab_get(&f->m.strs, nt->waker_func),
			    "pipe_write");
	assert_true(kf_node_get(&f->m, find(f, "schedule", 0))->flags &
		    KF_NODE_OFF);
	assert_int_equal(f->m.calls[0].off, 80);
	assert_int_equal(f->m.calls[1].off, 0);
	nt = kf_model_note(&f->m, find(f, "B", 0));
	assert_non_null(nt);
	assert_int_equal(nt->has, KF_NOTE_OFF | KF_NOTE_PREEMPTED);
	assert_int_equal(nt->off, 8);
	assert_int_equal(nt->waker_pid, 31);
	assert_string_equal(kf_strtab_get(&f->m.strs, nt->waker_comm),
			    "jbd2/vda-8");
	assert_int_equal(f->m.calls[2].off, 8);
	nt = kf_model_note(&f->m, find(f, "C", 0));
	assert_non_null(nt);
	assert_int_equal(nt->off, 58);
	assert_int_equal(nt->waker_pid, 30);
	assert_string_equal(kf_strtab_get(&f->m.strs, nt->waker_comm),
			    "jbd2/vda-8");
	assert_int_equal(nt->waker_node, KF_NONE);
	assert_null(kf_model_note(&f->m, find(f, "A", 0)));
	teardown(f);
}

/* The kernel's error convention, 64- and 32-bit. */
static void test_ret_errno(void **state)
{
	(void)state;
	assert_int_equal(kf_ret_errno(-2), 2);
	assert_int_equal(kf_ret_errno(-4095), 4095);
	assert_int_equal(kf_ret_errno(-4096), 0);
	assert_int_equal(kf_ret_errno(0xfffffff3ll), 13);
	assert_int_equal(kf_ret_errno(0xfffff000ll), 0);
	assert_int_equal(kf_ret_errno(0), 0);
	assert_int_equal(kf_ret_errno(3), 0);
	assert_int_equal(kf_ret_errno((int64_t)0xffff888004417600ull), 0);
}

/* Many values: the table grows and keeps every one. */
static void test_retval_many(void **state)
{
	struct kf_model m;
	uint32_t i;
	int64_t v;

	(void)state;
	assert_int_equal(kf_model_init(&m), 0);
	for (i = 0; i < 5000; i++)
		assert_int_not_equal(kf_model_node_new(&m), KF_NONE);
	for (i = 0; i < 5000; i += 3)
		assert_int_equal(kf_model_ret_set(&m, i, -(int64_t)i), 0);
	assert_int_equal(kf_model_ret_set(&m, 3, 42), 0); /* replaces */
	for (i = 0; i < 5000; i++) {
		int has = kf_model_ret_get(&m, i, &v);

		assert_int_equal(has, i % 3 == 0);
		if (has)
			assert_int_equal(v, i == 3 ? 42 : -(int64_t)i);
	}
	assert_int_equal(m.notes.n, 1667);
	assert_false(kf_model_ret_get(&m, 99999, &v));
	kf_model_release(&m);
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
/* A builder that checks record times against calltime/rettime. */
static struct fixture *setup_clock(void)
{
	struct fixture *f = setup(KF_BUILD_SYSCALL, 0, 0);
	struct kf_build_opts o = { .mode = KF_BUILD_SYSCALL,
				   .default_sys = KF_NONE, .check_clock = 1 };

	kf_builder_free(f->b);
	f->b = kf_builder_new(&f->m, &o);
	assert_non_null(f->b);
	return f;
}

static void fexit_at(struct fixture *f, int pid, int cpu, uint64_t ts,
		     uint64_t calltime, uint64_t rettime, const char *func,
		     int depth)
{
	struct kf_event ev = { .ts = ts, .pid = pid, .cpu = cpu,
			       .type = KF_EV_EXIT };

	ev.exit.func = fn(f, func);
	ev.exit.depth = depth;
	ev.exit.calltime = calltime;
	ev.exit.rettime = rettime;
	assert_int_equal(kf_builder_event(f->b, &ev), 0);
}

/*
 * The trace clock stood still (6.1 under emulation, "global" after an
 * unstable TSC): B's entry and exit records carry the same time, its
 * calltime and rettime say 2000 ns.  The kernel's call times win, the
 * stall is counted and the header flagged; C, which no clock timed, is
 * flagged rather than shown as a confident 0.
 *   A [0..100] (calltime 1000, rettime 9000)
 *     B records at 50, 50 (calltime 3000, rettime 5000)
 *     C records at 60, 60 (calltime 6000, rettime 6000)
 */
static void test_clock_stall(void **state)
{
	struct fixture *f = setup_clock();

	(void)state;
	sys_enter(f, 7, 0, 0, f->sys_openat);
	entry(f, 7, 0, 1, "A", 0, 0);
	entry(f, 7, 0, 50, "B", 1, 0);
	fexit_at(f, 7, 0, 50, 3000, 5000, "B", 1);
	entry(f, 7, 0, 60, "C", 1, 0);
	fexit_at(f, 7, 0, 60, 6000, 6000, "C", 1);
	fexit_at(f, 7, 0, 100, 1000, 9000, "A", 0);
	sys_exit(f, 7, 0, 101, f->sys_openat, 3);
	kf_builder_finish(f->b, 0);

	assert_string_equal(tree(f, 0), "A[8000/6000]{B[2000/2000],C[0/0]}");
	assert_int_equal(f->m.meta.clock_stalls, 1);
	assert_true(kf_node_get(&f->m, 2)->flags & KF_NODE_CLOCK);
	assert_false(kf_node_get(&f->m, 1)->flags & KF_NODE_CLOCK);
	/* the header (100 ns of record time) is shorter than its root */
	assert_true(f->m.calls[0].flags & KF_CALL_CLOCK);
	teardown(f);
}

/*
 * A clock that keeps time: record times and call times agree, nothing is
 * flagged, and the header holds its root.
 */
static void test_clock_good(void **state)
{
	struct fixture *f = setup_clock();

	(void)state;
	sys_enter(f, 7, 0, 900, f->sys_openat);
	entry(f, 7, 0, 1010, "A", 0, 0);
	entry(f, 7, 0, 3010, "B", 1, 0);
	fexit_at(f, 7, 0, 5020, 3000, 5000, "B", 1);
	fexit_at(f, 7, 0, 9020, 1000, 9000, "A", 0);
	sys_exit(f, 7, 0, 9100, f->sys_openat, 3);
	kf_builder_finish(f->b, 0);

	assert_string_equal(tree(f, 0), "A[8000/6000]{B[2000/2000]}");
	assert_int_equal(f->m.meta.clock_stalls, 0);
	assert_false(f->m.calls[0].flags & KF_CALL_CLOCK);
	assert_false(kf_node_get(&f->m, 0)->flags & KF_NODE_CLOCK);
	teardown(f);
}

/*
 * Children that add up to more than their parent: calltime and rettime
 * came from two CPUs whose clocks are not in step.  The parent is flagged.
 *   A 100 (entry on CPU 0, exit on CPU 1)
 *     B 300
 */
static void test_clock_children(void **state)
{
	struct fixture *f = setup_clock();

	(void)state;
	sys_enter(f, 7, 0, 0, f->sys_openat);
	entry(f, 7, 0, 10, "A", 0, 0);
	entry(f, 7, 0, 20, "B", 1, 0);
	fexit_at(f, 7, 0, 320, 20, 320, "B", 1);
	fexit_at(f, 7, 1, 400, 10, 110, "A", 0);
	sys_exit(f, 7, 1, 500, f->sys_openat, 3);
	kf_builder_finish(f->b, 0);

	assert_string_equal(tree(f, 0), "A[100/0]{B[300/300]}");
	assert_true(kf_node_get(&f->m, 0)->flags & KF_NODE_CLOCK);
	assert_true(f->m.calls[0].flags & KF_CALL_CLOCK);
	teardown(f);
}

/*
 * Text traces carry no record times: their durations stand as printed and
 * nothing is checked.
 */
static void test_clock_text(void **state)
{
	struct fixture *f = setup(KF_BUILD_SYSCALL, 0, 0);

	(void)state;
	sys_enter(f, 7, 0, 0, f->sys_openat);
	entry(f, 7, 0, 1, "A", 0, 0);
	fexit_at(f, 7, 0, 1, 500, 965, "A", 0);
	sys_exit(f, 7, 0, 2, f->sys_openat, 3);
	kf_builder_finish(f->b, 0);
	assert_string_equal(tree(f, 0), "A[465/465]");
	assert_int_equal(f->m.meta.clock_stalls, 0);
	assert_false(f->m.calls[0].flags & KF_CALL_CLOCK);
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
 * sched_process_exit fires half-way through do_exit; what do_exit does
 * after it (exit_sem, the last schedule) is still that call, never an
 * invocation of its own.
 *   exit_group: do_exit +noexit {
 *     X 5, exit_sem 2, do_task_dead +noexit { __schedule +noexit } }
 */
static void test_exit_mid_call(void **state)
{
	struct fixture *f = setup(KF_BUILD_SYSCALL, 0, 0);

	(void)state;
	sys_enter(f, 7, 0, 0, f->sys_exit_group);
	entry(f, 7, 0, 1, "do_exit", 0, 0);
	entry(f, 7, 0, 2, "X", 1, 0);
	fexit(f, 7, 0, 2, 7, "X", 1);
	simple(f, KF_EV_TASK_EXIT, 7, 0, 9);
	entry(f, 7, 0, 10, "exit_sem", 1, 0);
	fexit(f, 7, 0, 10, 12, "exit_sem", 1);
	entry(f, 7, 0, 13, "do_task_dead", 1, 0);
	entry(f, 7, 0, 14, "__schedule", 2, 0);
	kf_builder_finish(f->b, 0);

	assert_int_equal(f->m.ncalls, 1);
	assert_string_equal(tree(f, 0), "do_exit[13/5]+noexit{X[5/5],"
			    "exit_sem[2/2],do_task_dead[1/1]+noexit{"
			    "__schedule[0/0]+noexit}}");
	assert_true(f->m.calls[0].flags & KF_CALL_NORETURN);
	assert_false(f->m.calls[0].flags & KF_CALL_NOEXIT);
	assert_false(f->m.calls[0].flags & KF_CALL_REPAIRED);
	assert_false(f->m.calls[0].flags & KF_CALL_HAS_RET);
	assert_false(f->m.calls[0].flags & KF_CALL_OPEN);
	assert_int_equal(f->m.calls[0].end, 14);
	teardown(f);
}

/*
 * A pid used again after its task left: the old call ends where the old
 * task's records ended, the new task's syscall is a call of its own.
 */
static void test_exit_pid_reused(void **state)
{
	struct fixture *f = setup(KF_BUILD_SYSCALL, 0, 0);

	(void)state;
	sys_enter(f, 7, 0, 0, f->sys_exit_group);
	entry(f, 7, 0, 1, "do_exit", 0, 0);
	simple(f, KF_EV_TASK_EXIT, 7, 0, 2);
	entry(f, 7, 0, 3, "exit_files", 1, 0);
	fexit(f, 7, 0, 3, 4, "exit_files", 1);
	{
		struct kf_event ev = { .ts = 20, .pid = 5, .type = KF_EV_FORK };

		ev.fork.child = 7;
		assert_int_equal(kf_builder_event(f->b, &ev), 0);
	}
	sys_enter(f, 7, 0, 30, f->sys_openat);
	entry(f, 7, 0, 31, "A", 0, 0);
	fexit(f, 7, 0, 31, 35, "A", 0);
	sys_exit(f, 7, 0, 36, f->sys_openat, 3);
	kf_builder_finish(f->b, 0);

	assert_int_equal(f->m.ncalls, 2);
	assert_string_equal(tree(f, 0), "do_exit[3/2]+noexit{exit_files[1/1]}");
	assert_true(f->m.calls[0].flags & KF_CALL_NORETURN);
	assert_int_equal(f->m.calls[0].end, 4);
	assert_string_equal(tree(f, 1), "A[4/4]");
	assert_false(f->m.calls[1].flags & KF_CALL_NORETURN);
	assert_true(f->m.calls[1].flags & KF_CALL_HAS_RET);
	teardown(f);
}

/*
 * An interrupt's first function runs before the kernel counts itself in
 * hard interrupt context: it is marked as the interrupt it starts.
 *   A { irq_enter_rcu +irq, handler +irq, B }
 */
static void test_irq_entry(void **state)
{
	struct fixture *f = setup(KF_BUILD_SYSCALL, 0, 0);

	(void)state;
	sys_enter(f, 7, 0, 0, f->sys_openat);
	entry(f, 7, 0, 1, "A", 0, 0);
	entry(f, 7, 0, 2, "irq_enter_rcu", 1, 0);
	fexit(f, 7, 0, 2, 3, "irq_enter_rcu", 1);
	entry(f, 7, 0, 4, "handler", 1, KF_CTX_HARDIRQ);
	fexit(f, 7, 0, 4, 6, "handler", 1);
	entry(f, 7, 0, 7, "B", 1, 0);
	fexit(f, 7, 0, 7, 8, "B", 1);
	fexit(f, 7, 0, 1, 10, "A", 0);
	sys_exit(f, 7, 0, 11, f->sys_openat, 0);
	kf_builder_finish(f->b, 0);
	assert_string_equal(tree(f, 0), "A[9/5]{irq_enter_rcu[1/1]+irq,"
			    "handler[2/2]+irq,B[1/1]}");
	teardown(f);
}

/*
 * An interrupt between a call's calltime and its entry record: the
 * interrupt's records come first, one level deeper than the call.  They
 * belong inside the call, not beside it (6.1: children adding up to more
 * than their parent).
 *   A { X { irq_enter_rcu +irq, handler +irq }, B }
 */
static void test_irq_before_entry(void **state)
{
	struct fixture *f = setup_clock();

	(void)state;
	sys_enter(f, 7, 0, 0, f->sys_openat);
	entry(f, 7, 0, 1, "A", 0, 0);
	entry(f, 7, 0, 3, "irq_enter_rcu", 2, 0);
	fexit(f, 7, 0, 3, 4, "irq_enter_rcu", 2);
	entry(f, 7, 0, 5, "handler", 2, KF_CTX_HARDIRQ);
	fexit(f, 7, 0, 5, 8, "handler", 2);
	entry(f, 7, 0, 9, "X", 1, 0);
	fexit(f, 7, 0, 2, 10, "X", 1);
	entry(f, 7, 0, 11, "B", 1, 0);
	fexit(f, 7, 0, 11, 12, "B", 1);
	fexit(f, 7, 0, 1, 13, "A", 0);
	sys_exit(f, 7, 0, 14, f->sys_openat, 0);
	kf_builder_finish(f->b, 0);
	assert_string_equal(tree(f, 0), "A[12/3]{X[8/4]{irq_enter_rcu[1/1]+irq,"
			    "handler[3/3]+irq},B[1/1]}");
	/* X starts no later than the interrupt it holds */
	assert_true(kf_node_get(&f->m, 3)->start <= kf_node_get(&f->m, 1)->start);
	assert_false(f->m.calls[0].flags & KF_CALL_CLOCK);
	teardown(f);
}

/*
 * An interrupt between a call's rettime and its exit record, recorded
 * one level deeper (7.x keeps the frame until the exit is written): it
 * came after the call returned and follows it, not under it.
 *   A { X 11, irq_enter_rcu +irq, handler +irq }
 */
static void test_irq_after_return(void **state)
{
	struct fixture *f = setup_clock();

	(void)state;
	sys_enter(f, 7, 0, 0, f->sys_openat);
	entry(f, 7, 0, 1, "A", 0, 0);
	entry(f, 7, 0, 10, "X", 1, 0);
	entry(f, 7, 0, 30, "irq_enter_rcu", 2, 0);
	fexit(f, 7, 0, 30, 31, "irq_enter_rcu", 2);
	entry(f, 7, 0, 32, "handler", 2, KF_CTX_HARDIRQ);
	fexit(f, 7, 0, 32, 35, "handler", 2);
	fexit_at(f, 7, 0, 36, 9, 20, "X", 1);
	fexit(f, 7, 0, 1, 40, "A", 0);
	sys_exit(f, 7, 0, 41, f->sys_openat, 0);
	kf_builder_finish(f->b, 0);
	assert_string_equal(tree(f, 0), "A[39/24]{X[11/11],irq_enter_rcu[1/1]+irq,"
			    "handler[3/3]+irq}");
	assert_false(f->m.calls[0].flags & KF_CALL_CLOCK);
	teardown(f);
}

/*
 * The same records on a kernel that reads calltime after the interrupt
 * (7.x): the call's own time cannot hold the interrupt, which goes back
 * before it.
 *   A { irq_enter_rcu +irq, handler +irq, X 1, B }
 */
static void test_irq_before_calltime(void **state)
{
	struct fixture *f = setup_clock();

	(void)state;
	sys_enter(f, 7, 0, 0, f->sys_openat);
	entry(f, 7, 0, 1, "A", 0, 0);
	entry(f, 7, 0, 3, "irq_enter_rcu", 2, 0);
	fexit(f, 7, 0, 3, 4, "irq_enter_rcu", 2);
	entry(f, 7, 0, 5, "handler", 2, KF_CTX_HARDIRQ);
	fexit(f, 7, 0, 5, 8, "handler", 2);
	entry(f, 7, 0, 9, "X", 1, 0);
	fexit(f, 7, 0, 9, 10, "X", 1);
	entry(f, 7, 0, 11, "B", 1, 0);
	fexit(f, 7, 0, 11, 12, "B", 1);
	fexit(f, 7, 0, 1, 13, "A", 0);
	sys_exit(f, 7, 0, 14, f->sys_openat, 0);
	kf_builder_finish(f->b, 0);
	assert_string_equal(tree(f, 0), "A[12/6]{irq_enter_rcu[1/1]+irq,"
			    "handler[3/3]+irq,X[1/1],B[1/1]}");
	assert_false(kf_node_get(&f->m, 3)->flags & KF_NODE_CLOCK);
	teardown(f);
}

/*
 * An interrupt between a call's return and its exit record, recorded at
 * the call's own depth (6.1): the call looks closed without its exit,
 * until the exit comes.  One call, not a lost exit and a lost entry.
 *   A { X 10 { Y 2 }, irq_enter_rcu +irq, handler +irq }
 */
static void test_irq_before_exit(void **state)
{
	struct fixture *f = setup_clock();

	(void)state;
	sys_enter(f, 7, 0, 0, f->sys_openat);
	entry(f, 7, 0, 1, "A", 0, 0);
	entry(f, 7, 0, 10, "X", 1, 0);
	entry(f, 7, 0, 12, "Y", 2, 0);
	fexit(f, 7, 0, 12, 14, "Y", 2);
	entry(f, 7, 0, 30, "irq_enter_rcu", 1, 0);
	fexit(f, 7, 0, 30, 31, "irq_enter_rcu", 1);
	entry(f, 7, 0, 32, "handler", 1, KF_CTX_HARDIRQ);
	fexit(f, 7, 0, 32, 35, "handler", 1);
	fexit_at(f, 7, 0, 36, 9, 19, "X", 1);
	fexit(f, 7, 0, 1, 40, "A", 0);
	sys_exit(f, 7, 0, 41, f->sys_openat, 0);
	kf_builder_finish(f->b, 0);
	assert_int_equal(f->m.calls[0].nnodes, 5);
	assert_string_equal(tree(f, 0), "A[39/25]{X[10/8]{Y[2/2]},"
			    "irq_enter_rcu[1/1]+irq,handler[3/3]+irq}");
	assert_false(f->m.calls[0].flags & KF_CALL_REPAIRED);
	teardown(f);
}

/*
 * The same, when the interrupt comes before rettime is read: it ran inside
 * the call's time and moves under it.
 *   A { X 30 { Y 2, irq_enter_rcu +irq, handler +irq } }
 */
static void test_irq_before_rettime(void **state)
{
	struct fixture *f = setup_clock();

	(void)state;
	sys_enter(f, 7, 0, 0, f->sys_openat);
	entry(f, 7, 0, 1, "A", 0, 0);
	entry(f, 7, 0, 10, "X", 1, 0);
	entry(f, 7, 0, 12, "Y", 2, 0);
	fexit(f, 7, 0, 12, 14, "Y", 2);
	entry(f, 7, 0, 20, "irq_enter_rcu", 1, 0);
	fexit(f, 7, 0, 20, 21, "irq_enter_rcu", 1);
	entry(f, 7, 0, 22, "handler", 1, KF_CTX_HARDIRQ);
	fexit(f, 7, 0, 22, 25, "handler", 1);
	fexit_at(f, 7, 0, 36, 9, 39, "X", 1);
	fexit(f, 7, 0, 1, 40, "A", 0);
	sys_exit(f, 7, 0, 41, f->sys_openat, 0);
	kf_builder_finish(f->b, 0);
	assert_string_equal(tree(f, 0), "A[39/9]{X[30/24]{Y[2/2],"
			    "irq_enter_rcu[1/1]+irq,handler[3/3]+irq}}");
	assert_false(f->m.calls[0].flags & (KF_CALL_REPAIRED | KF_CALL_CLOCK));
	teardown(f);
}

/* --max-depth on a saved capture: the model keeps N levels. */
static void test_cut_depth(void **state)
{
	struct fixture *f = setup(KF_BUILD_SYSCALL, 0, 0);

	(void)state;
	sys_enter(f, 7, 0, 0, f->sys_openat);
	entry(f, 7, 0, 1, "A", 0, 0);
	entry(f, 7, 0, 2, "B", 1, 0);
	entry(f, 7, 0, 3, "C", 2, 0);
	fexit(f, 7, 0, 3, 5, "C", 2);
	fexit(f, 7, 0, 2, 6, "B", 1);
	entry(f, 7, 0, 7, "D", 1, 0);
	fexit(f, 7, 0, 7, 8, "D", 1);
	fexit(f, 7, 0, 1, 10, "A", 0);
	sys_exit(f, 7, 0, 11, f->sys_openat, 0);
	kf_builder_finish(f->b, 0);
	assert_int_equal(f->m.calls[0].nnodes, 4);
	kf_model_cut_depth(&f->m, 2);
	assert_string_equal(tree(f, 0), "A[9/4]{B[4/4],D[1/1]}");
	assert_int_equal(f->m.calls[0].nnodes, 3);
	assert_int_equal(f->m.meta.max_depth, 2);
	kf_model_cut_depth(&f->m, 1);
	assert_string_equal(tree(f, 0), "A[9/9]");
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

/*
 * hide_sched_iter: a sched tracepoint's iterator and what it calls stay
 * out of the tree (its time stays in the caller), also when only its
 * exit was recorded; other names, and the same names without the
 * option, are kept.
 */
static void hide_iter_run(struct fixture *f)
{
	sys_enter(f, 7, 0, 0, f->sys_openat);
	entry(f, 7, 0, 1, "A", 0, 0);
	entry(f, 7, 0, 2, "schedule", 1, 0);
	entry(f, 7, 0, 3, "__traceiter_sched_switch", 2, 0);
	entry(f, 7, 0, 4, "_raw_spin_lock", 3, 0);
	fexit(f, 7, 0, 4, 5, "_raw_spin_lock", 3);
	fexit(f, 7, 0, 3, 6, "__traceiter_sched_switch", 2);
	entry(f, 7, 0, 7, "__traceiter_schedx", 2, 0);
	fexit(f, 7, 0, 7, 8, "__traceiter_schedx", 2);
	fexit(f, 7, 0, 2, 9, "schedule", 1);
	/* an exit whose entry was not recorded */
	fexit(f, 7, 0, 10, 11, "__traceiter_sched_waking", 1);
	fexit(f, 7, 0, 1, 12, "A", 0);
	sys_exit(f, 7, 0, 13, f->sys_openat, 3);
	kf_builder_finish(f->b, 0);
}

static void test_hide_sched_iter(void **state)
{
	struct fixture *f = setup(KF_BUILD_SYSCALL, 0, 0);
	struct kf_build_opts o = { .mode = KF_BUILD_SYSCALL,
				   .default_sys = KF_NONE,
				   .hide_sched_iter = 1 };

	(void)state;
	kf_builder_free(f->b);
	f->b = kf_builder_new(&f->m, &o);
	assert_non_null(f->b);
	hide_iter_run(f);
	assert_string_equal(tree(f, 0),
			    "A[11/4]{schedule[7/6]{__traceiter_schedx[1/1]}}");
	assert_int_equal(f->m.calls[0].nnodes, 3);
	teardown(f);

	/* a root is shown: the user followed it */
	f = setup(KF_BUILD_FUNCTION, 0, 0);
	kf_builder_free(f->b);
	o.mode = KF_BUILD_FUNCTION;
	f->b = kf_builder_new(&f->m, &o);
	assert_non_null(f->b);
	entry(f, 7, 0, 1, "__traceiter_sched_switch", 0, 0);
	entry(f, 7, 0, 2, "__traceiter_sched_waking", 1, 0);
	fexit(f, 7, 0, 2, 3, "__traceiter_sched_waking", 1);
	fexit(f, 7, 0, 1, 4, "__traceiter_sched_switch", 0);
	kf_builder_finish(f->b, 0);
	assert_int_equal(f->m.ncalls, 1);
	assert_string_equal(tree(f, 0), "__traceiter_sched_switch[3/3]");
	teardown(f);

	/* without the option (a text trace read back): all kept */
	f = setup(KF_BUILD_SYSCALL, 0, 0);
	hide_iter_run(f);
	assert_true(strstr(tree(f, 0), "__traceiter_sched_switch[3/2]"
				       "{_raw_spin_lock[1/1]}") != NULL);
	assert_true(strstr(tree(f, 0), "__traceiter_sched_waking") != NULL);
	teardown(f);
}

/*
 * With the sched tracepoints' iterators in the records (hidden, not cut
 * by the kernel), a switch recorded inside __traceiter_sched_switch and a
 * wakeup inside __traceiter_sched_waking belong to the calls that reached
 * them: schedule sleeps, try_to_wake_up woke it.
 */
static void test_offcpu_hidden_iter(void **state)
{
	struct fixture *f = setup(KF_BUILD_SYSCALL, 0, 0);
	struct kf_build_opts o = { .mode = KF_BUILD_SYSCALL,
				   .default_sys = KF_NONE,
				   .hide_sched_iter = 1 };
	const struct kf_node_note *nt;
	uint32_t sys_read = kf_model_sys_get(&f->m, "read");
	uint32_t sys_write = kf_model_sys_get(&f->m, "write");

	(void)state;
	kf_builder_free(f->b);
	f->b = kf_builder_new(&f->m, &o);
	assert_non_null(f->b);
	sys_enter(f, 7, 0, 0, sys_read);
	entry(f, 7, 0, 1, "A", 0, 0);
	entry(f, 7, 0, 2, "schedule", 1, 0);
	entry(f, 7, 0, 3, "__traceiter_sched_switch", 2, 0);
	entry(f, 7, 0, 4, "_raw_spin_lock", 3, 0);
	sw(f, 0, 10, 7, 9, "cat", "sh");
	sys_enter(f, 9, 0, 11, sys_write);
	entry(f, 9, 0, 12, "pipe_write", 0, 0);
	entry(f, 9, 0, 13, "try_to_wake_up", 1, 0);
	entry(f, 9, 0, 14, "__traceiter_sched_waking", 2, 0);
	wake(f, 0, 15, 9, 7);
	fexit(f, 9, 0, 14, 16, "__traceiter_sched_waking", 2);
	fexit(f, 9, 0, 13, 17, "try_to_wake_up", 1);
	fexit(f, 9, 0, 12, 18, "pipe_write", 0);
	sys_exit(f, 9, 0, 19, sys_write, 3);
	sw(f, 0, 90, 9, 7, "sh", "cat");
	fexit(f, 7, 0, 4, 91, "_raw_spin_lock", 3);
	fexit(f, 7, 0, 3, 92, "__traceiter_sched_switch", 2);
	fexit(f, 7, 0, 2, 95, "schedule", 1);
	fexit(f, 7, 0, 1, 96, "A", 0);
	sys_exit(f, 7, 0, 97, sys_read, 3);
	assert_int_equal(kf_builder_finish(f->b, 0), 0);

	assert_string_equal(tree(f, 0), "A[95/2]{schedule[93/93]}");
	assert_string_equal(tree(f, 1), "pipe_write[6/2]{try_to_wake_up[4/4]}");
	nt = kf_model_note(&f->m, find(f, "schedule", 0));
	assert_non_null(nt);
	assert_int_equal(nt->has, KF_NOTE_OFF | KF_NOTE_WAKER);
	assert_int_equal(nt->off, 80);
	assert_int_equal(nt->waker_pid, 9);
	assert_int_equal(nt->waker_node, find(f, "try_to_wake_up", 0));
	assert_string_equal(kf_strtab_get(&f->m.strs, nt->waker_func),
			    "pipe_write");
	assert_int_equal(f->m.calls[0].off, 80);
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

/* A syscall by name with arguments, as its descriptor names them. */
static uint32_t sysdesc(struct fixture *f, const char *name,
			const char *a0, const char *a1, const char *a2)
{
	uint32_t sys = kf_model_sys_get(&f->m, name);
	const char *an[3] = { a0, a1, a2 };
	struct kf_sysdesc *d = &f->m.sys[sys];

	for (d->nargs = 0; d->nargs < 3 && an[d->nargs]; d->nargs++)
		d->argname[d->nargs] = kf_strtab_intern(&f->m.strs,
							an[d->nargs]);
	return sys;
}

static void sys_args(struct fixture *f, int pid, uint64_t ts, uint32_t sys,
		     uint64_t a0, uint64_t a1, uint64_t a2, int64_t ret,
		     const char *path, int path_arg)
{
	struct kf_event ev = { .ts = ts, .pid = pid, .type = KF_EV_SYS_ENTER };

	ev.sys_enter.sys = sys;
	ev.sys_enter.args[0] = a0;
	ev.sys_enter.args[1] = a1;
	ev.sys_enter.args[2] = a2;
	assert_int_equal(kf_builder_event(f->b, &ev), 0);
	if (path) {
		struct kf_event s = { .ts = ts, .pid = pid,
				      .type = KF_EV_STRING };

		s.string.sys = sys;
		s.string.arg = path_arg;
		s.string.str = kf_strtab_intern(&f->m.strs, path);
		assert_int_equal(kf_builder_event(f->b, &s), 0);
	}
	sys_exit(f, pid, 0, ts + 1, sys, ret);
}

/*
 * fd paths: opens, dups and closes recorded for the tables only (no
 * invocation of their own) name the fds of the calls followed; a fork
 * copies the table, an exec drops O_CLOEXEC fds, /proc's fds come first.
 */
static void test_fd_paths(void **state)
{
	struct fixture *f = setup(KF_BUILD_SYSCALL, 0, 0);
	uint32_t rd = sysdesc(f, "read", "fd", "buf", "count");
	uint32_t op = sysdesc(f, "openat", "dfd", "filename", "flags");
	uint32_t dup2 = sysdesc(f, "dup2", "oldfd", "newfd", NULL);
	uint32_t cl = sysdesc(f, "close", "fd", NULL, NULL);
	uint32_t fc = sysdesc(f, "fcntl", "fd", "cmd", "arg");
	struct kf_event ev = { .pid = 7 };
	const struct kf_call *c;

	(void)state;
	assert_int_equal(kf_builder_fd_context(f->b, op), 0);
	assert_int_equal(kf_builder_fd_context(f->b, dup2), 0);
	assert_int_equal(kf_builder_fd_context(f->b, cl), 0);
	assert_int_equal(kf_builder_fd_set(f->b, 7, 1, "/dev/pts/0"), 0);
	/* 3: /tmp/a (close-on-exec), 4: /tmp/b, a failed open, dup2 4 -> 0 */
	sys_args(f, 7, 10, op, 0xffffff9c, 0x1000, 02000000, 3, "/tmp/a", 1);
	sys_args(f, 7, 20, op, 0xffffff9c, 0x1000, 0, 4, "/tmp/b", 1);
	sys_args(f, 7, 30, op, 0xffffff9c, 0x1000, 0, -2, "/nope", 1);
	sys_args(f, 7, 40, dup2, 4, 0, 0, 0, NULL, 0);
	/* the upper half of an int register is garbage */
	sys_args(f, 7, 50, rd, 0xdeadbeef00000003ull, 0, 1, 1, NULL, 0);
	sys_args(f, 7, 60, rd, 0, 0, 1, 1, NULL, 0);
	sys_args(f, 7, 70, rd, 1, 0, 1, 1, NULL, 0);
	sys_args(f, 7, 80, rd, 5, 0, 1, -9, NULL, 0);
	ev.type = KF_EV_FORK;
	ev.ts = 90;
	ev.fork.child = 8;
	assert_int_equal(kf_builder_event(f->b, &ev), 0);
	ev.type = KF_EV_EXEC;
	ev.pid = 8;
	ev.ts = 100;
	ev.task.comm = kf_strtab_intern(&f->m.strs, "cat");
	assert_int_equal(kf_builder_event(f->b, &ev), 0);
	sys_args(f, 8, 110, rd, 3, 0, 1, -9, NULL, 0);   /* gone at exec */
	sys_args(f, 8, 120, rd, 4, 0, 1, 1, NULL, 0);    /* inherited */
	sys_args(f, 7, 130, cl, 4, 0, 0, 0, NULL, 0);
	sys_args(f, 7, 140, rd, 4, 0, 1, -9, NULL, 0);   /* closed */
	sys_args(f, 8, 150, rd, 4, 0, 1, 1, NULL, 0);    /* the child's copy */
	/* fcntl: F_GETFL returns flags, not an fd; F_DUPFD an fd */
	assert_int_equal(kf_builder_fd_context(f->b, fc), 0);
	sys_args(f, 8, 160, fc, 4, 3, 0, 1, NULL, 0);
	sys_args(f, 8, 170, fc, 4, 0, 10, 10, NULL, 0);
	sys_args(f, 8, 180, rd, 1, 0, 1, 1, NULL, 0);
	sys_args(f, 8, 190, rd, 10, 0, 1, 1, NULL, 0);
	kf_builder_finish(f->b, 0);

	assert_int_equal(f->m.ncalls, 10); /* the reads only */
	assert_string_equal(kf_strtab_get(&f->m.strs, f->m.calls[8].argstr[0]),
			    "/dev/pts/0");
	assert_string_equal(kf_strtab_get(&f->m.strs, f->m.calls[9].argstr[0]),
			    "/tmp/b");
	c = f->m.calls;
	assert_string_equal(kf_strtab_get(&f->m.strs, c[0].argstr[0]), "/tmp/a");
	assert_string_equal(kf_strtab_get(&f->m.strs, c[1].argstr[0]), "/tmp/b");
	assert_string_equal(kf_strtab_get(&f->m.strs, c[2].argstr[0]),
			    "/dev/pts/0");
	assert_int_equal(c[3].argstr[0], KF_NONE);
	assert_int_equal(c[4].argstr[0], KF_NONE);
	assert_string_equal(kf_strtab_get(&f->m.strs, c[5].argstr[0]), "/tmp/b");
	assert_int_equal(c[6].argstr[0], KF_NONE);
	assert_string_equal(kf_strtab_get(&f->m.strs, c[7].argstr[0]), "/tmp/b");
	for (int i = 0; i < 8; i++)
		assert_int_equal(c[i].argstr[1], KF_NONE);
	teardown(f);
}

/* pipe2, followed: the two fds fd_install gave the task in it become the
 * array it wrote; they no longer name what the table had for them. */
static void test_fd_pair(void **state)
{
	struct fixture *f = setup(KF_BUILD_SYSCALL, 0, 0);
	uint32_t p2 = sysdesc(f, "pipe2", "fildes", "flags", NULL);
	uint32_t rd = sysdesc(f, "read", "fd", "buf", "count");
	struct kf_event ev = { .pid = 7, .ts = 5, .type = KF_EV_FDNEW };
	const struct kf_call *c;

	(void)state;
	assert_int_equal(kf_builder_fd_set(f->b, 7, 3, "/tmp/old"), 0);
	sys_args(f, 7, 10, rd, 3, 0, 1, 1, NULL, 0);
	/* an fd given in another syscall is not pipe2's */
	ev.fdnew.fd = 9;
	assert_int_equal(kf_builder_event(f->b, &ev), 0);
	{
		struct kf_event en = { .ts = 20, .pid = 7,
				       .type = KF_EV_SYS_ENTER };

		en.sys_enter.sys = p2;
		assert_int_equal(kf_builder_event(f->b, &en), 0);
	}
	ev.ts = 21;
	ev.fdnew.fd = 3;
	assert_int_equal(kf_builder_event(f->b, &ev), 0);
	ev.ts = 22;
	ev.fdnew.fd = 4;
	assert_int_equal(kf_builder_event(f->b, &ev), 0);
	sys_exit(f, 7, 0, 23, p2, 0);
	sys_args(f, 7, 30, rd, 3, 0, 1, 1, NULL, 0);
	kf_builder_finish(f->b, 0);

	assert_int_equal(f->m.ncalls, 3);
	c = f->m.calls;
	assert_string_equal(kf_strtab_get(&f->m.strs, c[0].argstr[0]),
			    "/tmp/old");
	assert_memory_equal(kf_strtab_get(&f->m.strs, c[1].argstr[0]),
			    "3\x1e" "4", 4);
	assert_int_equal(c[2].argstr[0], KF_NONE);
	teardown(f);
}

/*
 * A fork that fills the task table to half: adding the child grows it
 * on the parent's lookup, and the child's copy of the fds must land in
 * the grown table (it went to the freed one).
 */
static void test_fork_grows_tasks(void **state)
{
	struct fixture *f = setup(KF_BUILD_SYSCALL, 0, 0);
	uint32_t rd = sysdesc(f, "read", "fd", "buf", "count");
	uint32_t op = sysdesc(f, "openat", "dfd", "filename", "flags");
	struct kf_event ev = { .pid = 7, .ts = 10, .type = KF_EV_FORK };
	int32_t pid;

	(void)state;
	assert_int_equal(kf_builder_fd_context(f->b, op), 0);
	assert_int_equal(kf_builder_fd_set(f->b, 7, 1, "/dev/pts/0"), 0);
	/* 31 tasks (the table holds 64 slots, half full at 32) */
	for (pid = 100; pid < 130; pid++)
		kf_builder_task_comm(f->b, pid, KF_NONE);
	ev.fork.child = 8;
	assert_int_equal(kf_builder_event(f->b, &ev), 0);
	sys_args(f, 8, 20, rd, 1, 0, 1, 1, NULL, 0);
	kf_builder_finish(f->b, 0);
	assert_int_equal(f->m.ncalls, 1);
	assert_int_not_equal(f->m.calls[0].argstr[0], KF_NONE);
	assert_string_equal(kf_strtab_get(&f->m.strs, f->m.calls[0].argstr[0]),
			    "/dev/pts/0");
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
		cmocka_unit_test(test_fd_paths),
		cmocka_unit_test(test_fd_pair),
		cmocka_unit_test(test_two_calls),
		cmocka_unit_test(test_lost_entry),
		cmocka_unit_test(test_lost_exit),
		cmocka_unit_test(test_buried_exit),
		cmocka_unit_test(test_clock_stall),
		cmocka_unit_test(test_clock_good),
		cmocka_unit_test(test_clock_children),
		cmocka_unit_test(test_clock_text),
		cmocka_unit_test(test_irq),
		cmocka_unit_test(test_interleaved),
		cmocka_unit_test(test_exit_mid_call),
		cmocka_unit_test(test_exit_pid_reused),
		cmocka_unit_test(test_irq_entry),
		cmocka_unit_test(test_irq_before_entry),
		cmocka_unit_test(test_irq_after_return),
		cmocka_unit_test(test_irq_before_calltime),
		cmocka_unit_test(test_irq_before_exit),
		cmocka_unit_test(test_irq_before_rettime),
		cmocka_unit_test(test_cut_depth),
		cmocka_unit_test(test_capture_ends),
		cmocka_unit_test(test_lost_marks),
		cmocka_unit_test(test_function_mode),
		cmocka_unit_test(test_max_depth),
		cmocka_unit_test(test_hide_sched_iter),
		cmocka_unit_test(test_offcpu_hidden_iter),
		cmocka_unit_test(test_drop_outside),
		cmocka_unit_test(test_noenter),
		cmocka_unit_test(test_string_and_comm),
		cmocka_unit_test(test_fork_comm),
		cmocka_unit_test(test_fork_grows_tasks),
		cmocka_unit_test(test_mismatched_exit),
		cmocka_unit_test(test_clock_bases),
		cmocka_unit_test(test_node_size),
		cmocka_unit_test(test_retval_binding),
		cmocka_unit_test(test_retval_origin),
		cmocka_unit_test(test_retval_under_handler),
		cmocka_unit_test(test_ret_errno),
		cmocka_unit_test(test_offcpu),
		cmocka_unit_test(test_retval_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
