// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_fgtext.c - the function_graph text importer on real traces from
 * Debian kernels 6.1, 6.12 and 7.2 (tests/data/fgtext/, made by its
 * collect.sh), one file per column option, through the real tree builder.
 * Expected values were read off the files by hand; each test names the
 * line it comes from.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <malloc.h>

#include "kf_build.h"
#include "kf_common.h"
#include "kf_fgtext.h"
#include "kf_model.h"

#define DATA "tests/data/fgtext/"

struct loaded {
	struct kf_model m;
	struct kf_fgtext_stats st;
	int rc;
};

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, n, f), (size_t)n);
	fclose(f);
	*len = n;
	return buf;
}

static void load_buf(struct loaded *l, const char *buf, size_t len)
{
	struct kf_build_opts bo = { .mode = KF_BUILD_FUNCTION,
				    .default_sys = KF_NONE };
	struct kf_builder *b;

	assert_int_equal(kf_model_init(&l->m), 0);
	b = kf_builder_new(&l->m, &bo);
	assert_non_null(b);
	memset(&l->st, 0, sizeof(l->st));
	l->rc = kf_fgtext_parse(buf, len, &l->m, kf_builder_sink(b), "test",
				&l->st);
	if (l->rc == 0)
		assert_int_equal(kf_builder_finish(b, 0), 0);
	kf_builder_free(b);
}

static void load(struct loaded *l, const char *file)
{
	size_t len;
	char *buf = slurp(file, &len);

	load_buf(l, buf, len);
	free(buf);
	assert_int_equal(l->rc, 0);
}

static const char *fname(const struct kf_model *m, uint32_t ni)
{
	return kf_strtab_get(&m->strs, kf_node_get(m, ni)->func);
}

/* The n-th call (0-based) whose root function is `name`. */
static const struct kf_call *nth_call(const struct kf_model *m,
				      const char *name, int n)
{
	for (uint32_t i = 0; i < m->ncalls; i++) {
		const struct kf_call *c = &m->calls[i];

		if (c->root != KF_NONE && !strcmp(fname(m, c->root), name) &&
		    n-- == 0)
			return c;
	}
	fail_msg("no call #%d of %s", n, name);
	return NULL;
}

static int has_child(const struct kf_model *m, uint32_t ni, const char *name)
{
	for (uint32_t c = kf_node_get(m, ni)->child; c != KF_NONE;
	     c = kf_node_get(m, c)->next)
		if (!strcmp(fname(m, c), name))
			return 1;
	return 0;
}

/* Every parent that returned lasts at least as long as its children. */
static void check_durations(const struct kf_model *m)
{
	for (uint32_t i = 0; i < m->nnodes; i++) {
		const struct kf_node *n = kf_node_get(m, i);
		uint64_t sum = 0;

		if (n->flags & KF_NODE_NOEXIT)
			continue;
		for (uint32_t c = n->child; c != KF_NONE;
		     c = kf_node_get(m, c)->next)
			sum += kf_node_get(m, c)->dur;
		if (sum > n->dur)
			fail_msg("%s: dur %llu < children %llu", fname(m, i),
				 (unsigned long long)n->dur,
				 (unsigned long long)sum);
	}
}

/* Every real file parses, yields trees and keeps durations consistent. */
static void test_all_files(void **state)
{
	static const char *const kernels[] = { "6.1", "6.12", "7.2" };
	static const char *const opts[] = {
		"default", "abstime", "all", "cpu-off", "duration-off",
		"irqs", "irqs-off", "latency-format", "lost", "overhead-off",
		"overrun", "proc", "sleep-time-off", "tail",
	};

	(void)state;
	for (size_t k = 0; k < 3; k++) {
		for (size_t o = 0; o < sizeof(opts) / sizeof(opts[0]); o++) {
			char path[256];
			struct loaded l;

			snprintf(path, sizeof(path), DATA "%s-%s.txt",
				 kernels[k], opts[o]);
			load(&l, path);
			if (l.st.records < 100)
				fail_msg("%s: only %lu records", path,
					 l.st.records);
			/* the kernel's own numbers are never "broken" */
			if (l.st.bad)
				fail_msg("%s: line %lu taken for a broken "
					 "number", path, l.st.bad_line);
			assert_true(l.m.ncalls > 0);
			check_durations(&l.m);
			kf_model_release(&l.m);
		}
	}
}

/* 6.1-default.txt line 6 opens do_sys_openat2, line 193 closes it:
 * " 0) ! 601.079 us  |  }". */
static void test_default_61(void **state)
{
	struct loaded l;
	const struct kf_call *c;

	(void)state;
	load(&l, DATA "6.1-default.txt");
	c = nth_call(&l.m, "do_sys_openat2", 0);
	assert_int_equal(kf_node_get(&l.m, c->root)->dur, 601079);
	assert_int_equal(kf_node_get(&l.m, c->root)->cpu, 0);
	assert_true(has_child(&l.m, c->root, "getname"));
	assert_true(has_child(&l.m, c->root, "do_filp_open"));
	assert_true(has_child(&l.m, c->root, "get_unused_fd_flags"));
	/* no task column: the CPU stands for the task */
	assert_int_equal(c->pid, -1);
	assert_string_equal(kf_strtab_get(&l.m.strs, c->comm), "cpu0");
	kf_model_release(&l.m);
}

/* 6.12-abstime.txt line 6 "15.994646 | 1) | do_sys_openat2() {",
 * line 173 "15.995121 | 1) ! 476.882 us | }". */
static void test_abstime_612(void **state)
{
	struct loaded l;
	const struct kf_call *c;
	const struct kf_node *n;

	(void)state;
	load(&l, DATA "6.12-abstime.txt");
	c = nth_call(&l.m, "do_sys_openat2", 0);
	n = kf_node_get(&l.m, c->root);
	assert_int_equal(n->dur, 476882);
	/* the entry line's time, on the trace clock */
	assert_int_equal(n->start, 15994646000ull);
	assert_int_equal(n->cpu, 1);
	kf_model_release(&l.m);
}

/* 7.2-tail.txt: do_sys_openat2 closes at line 146 "! 251.400 us" and
 * line 298 "! 328.527 us", with "} / * do_sys_openat2 * /" tails (as the
 * kernel prints them); 7.2 renamed do_filp_open to do_file_open and getname to getname_flags. */
static void test_tail_72(void **state)
{
	struct loaded l;
	const struct kf_call *c;

	(void)state;
	load(&l, DATA "7.2-tail.txt");
	c = nth_call(&l.m, "do_sys_openat2", 0);
	assert_int_equal(kf_node_get(&l.m, c->root)->dur, 251400);
	assert_true(has_child(&l.m, c->root, "do_file_open"));
	assert_true(has_child(&l.m, c->root, "getname_flags"));
	c = nth_call(&l.m, "do_sys_openat2", 1);
	assert_int_equal(kf_node_get(&l.m, c->root)->dur, 328527);
	kf_model_release(&l.m);
}

/* 6.1-proc.txt line 193 " 1)     sh-95      | ! 363.879 us  |  }". */
static void test_proc_61(void **state)
{
	struct loaded l;
	const struct kf_call *c;

	(void)state;
	load(&l, DATA "6.1-proc.txt");
	c = nth_call(&l.m, "do_sys_openat2", 0);
	assert_int_equal(kf_node_get(&l.m, c->root)->dur, 363879);
	assert_int_equal(c->pid, 95);
	assert_string_equal(kf_strtab_get(&l.m.strs, c->comm), "sh");
	kf_model_release(&l.m);
}

/* Latency flags and no CPU column parse like the default. */
static void test_latency_and_cpu_off(void **state)
{
	struct loaded l;

	(void)state;
	/* 7.2-latency-format.txt line 158 " 0)  ...1. | ! 399.802 us  |  }" */
	load(&l, DATA "7.2-latency-format.txt");
	assert_int_equal(kf_node_get(&l.m, nth_call(&l.m, "do_sys_openat2",
						    0)->root)->dur, 399802);
	kf_model_release(&l.m);
	/* 6.12-cpu-off.txt line 173 "! 495.958 us  |  }" */
	load(&l, DATA "6.12-cpu-off.txt");
	assert_int_equal(kf_node_get(&l.m, nth_call(&l.m, "do_sys_openat2",
						    0)->root)->dur, 495958);
	kf_model_release(&l.m);
}

/* funcgraph-duration off: the shape survives, times are unknown (0). */
static void test_duration_off(void **state)
{
	struct loaded l;
	const struct kf_call *c;

	(void)state;
	load(&l, DATA "6.1-duration-off.txt");
	c = nth_call(&l.m, "do_sys_openat2", 0);
	assert_true(has_child(&l.m, c->root, "getname"));
	assert_true(has_child(&l.m, c->root, "do_filp_open"));
	assert_int_equal(kf_node_get(&l.m, c->root)->depth, 0);
	kf_model_release(&l.m);
}

/* 6.1-lost.txt: "CPU:0 [LOST 69387 EVENTS]" (line 1) and
 * "CPU:1 [LOST 15896 EVENTS]" (line 160). */
static void test_lost_61(void **state)
{
	struct loaded l;

	(void)state;
	load(&l, DATA "6.1-lost.txt");
	assert_int_equal(l.st.lost, 69387 + 15896);
	assert_int_equal(l.m.meta.lost, 69387 + 15896);
	assert_true(l.m.meta.ncpus >= 2);
	assert_int_equal(l.m.meta.lost_cpu[0], 69387);
	assert_int_equal(l.m.meta.lost_cpu[1], 15896);
	kf_model_release(&l.m);
}

/* Hand-written: an interrupt inside a call is marked. */
static void test_irq_marks(void **state)
{
	static const char text[] =
		"# tracer: function_graph\n"
		" 0)               |  do_sys_openat2() {\n"
		" 0)   ==========> |\n"
		" 0)               |    __sysvec_apic_timer_interrupt() {\n"
		" 0)   2.000 us    |      hrtimer_interrupt();\n"
		" 0)   5.000 us    |    }\n"
		" 0)   <========== |\n"
		" 0)   1.000 us    |    getname();\n"
		" 0) + 10.000 us   |  }\n";
	struct loaded l;
	const struct kf_call *c;
	uint32_t irq;

	(void)state;
	load_buf(&l, text, sizeof(text) - 1);
	assert_int_equal(l.rc, 0);
	c = nth_call(&l.m, "do_sys_openat2", 0);
	irq = kf_node_get(&l.m, c->root)->child;
	assert_string_equal(fname(&l.m, irq), "__sysvec_apic_timer_interrupt");
	assert_true(kf_node_get(&l.m, irq)->flags & KF_NODE_IRQ);
	assert_false(kf_node_get(&l.m, kf_node_get(&l.m, irq)->next)->flags &
		     KF_NODE_IRQ);
	assert_int_equal(kf_node_get(&l.m, c->root)->dur, 10000);
	kf_model_release(&l.m);
}

/* Not function_graph text at all: refused with a message. */
static void test_not_fgtext(void **state)
{
	static const char text[] = "hello\nworld\n";
	struct loaded l;

	(void)state;
	assert_false(kf_fgtext_sniff(text, sizeof(text) - 1));
	load_buf(&l, text, sizeof(text) - 1);
	assert_int_equal(l.rc, -1);
	assert_non_null(strstr(kf_err_msg(), "not function_graph text"));
	kf_model_release(&l.m);
}

/* Hostile input: NUL bytes, a truncated last line, a return with no
 * entry, very deep nesting, huge numbers: no crash, lines skipped. */
static void test_hostile(void **state)
{
	static const char text[] =
		"# tracer: function_graph\n"
		" 0)   1.000 us    |  }\n"
		" 0)               |  a() {\n"
		" 0)   1.0\0 us    |    b();\n"
		" 0) 99999999999999999999.999 us |    c();\n"
		" 0)   2.000 us    |  }\n"
		" 0)               |  trunc";
	struct loaded l;
	size_t n = 4200 * (8500 + 40), len = 0;
	char *deep;

	(void)state;
	load_buf(&l, text, sizeof(text) - 1);
	assert_int_equal(l.rc, 0);
	assert_true(l.st.skipped >= 2);
	kf_model_release(&l.m);

	/* 4200 nested opens: lines past 4096 bytes (depth 2036 and on; the
	 * kernel's own limit is far lower) are skipped, nothing overflows */
	deep = malloc(n + 64);
	assert_non_null(deep);
	len += sprintf(deep, "# tracer: function_graph\n");
	for (int i = 0; i < 4200; i++) {
		int ind = 2 + 2 * i;

		len += sprintf(deep + len, " 0)               |%*sf() {\n",
			       ind, "");
	}
	load_buf(&l, deep, len);
	assert_int_equal(l.rc, 0);
	assert_int_equal(l.st.records, 2036);
	assert_int_equal(l.st.skipped, 1 + 4200 - 2036);
	free(deep);
	kf_model_release(&l.m);
}

/* Numbers that are negative or do not fit are not read as other numbers:
 * the line is skipped and counted, the first one named. */
static void test_bad_numbers(void **state)
{
	static const char text[] =
		"# tracer: function_graph\n"
		" 0)               |  a() {\n"
		" 0) 99999999999999999999999999999 us |    b();\n"   /* 3 */
		" 0)   -5 us    |    c();\n"
		" 0)   1.2.3 us |    c();\n"
		" -1)   1.000 us |    c();\n"
		"CPU:-1 [LOST 3 EVENTS]\n"
		"CPU:0 [LOST 99999999999999999999999 EVENTS]\n"
		" 0)   1.000 us    |    d();\n"
		" 0)   2.000 us    |  }\n"
		" 123456789012.000000 |  0)   1.000 us |  e();\n";
	struct loaded l;
	const struct kf_call *c;
	uint32_t n;

	(void)state;
	load_buf(&l, text, sizeof(text) - 1);
	assert_int_equal(l.rc, 0);
	assert_int_equal(l.st.bad, 7);
	assert_int_equal(l.st.bad_line, 3);
	assert_int_equal(l.st.lost, 0);
	assert_int_equal(l.st.records, 3);
	/* a() holds d() only: no 0 ns b(), no 5 us c() */
	c = nth_call(&l.m, "a", 0);
	assert_non_null(c);
	n = kf_node_get(&l.m, c->root)->child;
	assert_string_equal(fname(&l.m, n), "d");
	assert_int_equal(kf_node_get(&l.m, n)->next, KF_NONE);
	kf_model_release(&l.m);
}

static unsigned long max_heap;

static int heap_sink(void *ctx, const struct kf_event *ev)
{
	struct kf_sink *inner = ctx;
	struct mallinfo2 mi = mallinfo2();

	if (mi.uordblks > max_heap)
		max_heap = mi.uordblks;
	return inner->event(inner->ctx, ev);
}

/* A CPU number costs a few bytes, not a 4096-deep stack each; CPU 4096 and
 * on is a format error with its line, not "out of memory". */
static void test_many_cpus(void **state)
{
	struct kf_build_opts bo = { .mode = KF_BUILD_FUNCTION,
				    .default_sys = KF_NONE };
	struct kf_fgtext_stats st;
	struct kf_builder *b;
	struct kf_model m;
	struct kf_sink inner, outer;
	size_t len = 0;
	char *text = malloc(4096 * 64 + 64);

	(void)state;
	assert_non_null(text);
	len += sprintf(text, "# tracer: function_graph\n");
	for (int i = 0; i < 4096; i++)
		len += sprintf(text + len, " %d)               |  f%d() {\n",
			       i, i);
	assert_int_equal(kf_model_init(&m), 0);
	b = kf_builder_new(&m, &bo);
	assert_non_null(b);
	inner = kf_builder_sink(b);
	outer = (struct kf_sink){ heap_sink, &inner };
	max_heap = 0;
	assert_int_equal(kf_fgtext_parse(text, len, &m, outer, "t", &st), 0);
	assert_int_equal(st.records, 4096);
	assert_int_equal(m.meta.ncpus, 4096);
	/* was 4096 x 64 KiB = 256 MiB (0 when a sanitizer hides mallinfo) */
	assert_true(max_heap < (64u << 20));
	kf_builder_free(b);
	kf_model_release(&m);

	len += sprintf(text + len, " 4096)   1.000 us |  g();\n");
	assert_int_equal(kf_model_init(&m), 0);
	b = kf_builder_new(&m, &bo);
	assert_int_equal(kf_fgtext_parse(text, len, &m, kf_builder_sink(b),
					 "t", &st), -1);
	assert_int_equal(kf_err_code(), KF_EXIT_DATAERR);
	assert_string_equal(kf_err_msg(), "cannot read 't' line 4098: its "
			    "CPU number is beyond 4095, the highest kfollow "
			    "reads");
	kf_builder_free(b);
	kf_model_release(&m);
	free(text);
}

/* A last line of blanks without a newline: nothing read past the end
 * (the sanitizer run catches the one-byte over-read). */
static void test_blank_last_line(void **state)
{
	static const char text[] = "# tracer: function_graph\n"
				   " 0)   1.000 us    |  f();\n   ";
	struct loaded l;
	char *buf = malloc(sizeof(text) - 1);

	(void)state;
	assert_non_null(buf);
	memcpy(buf, text, sizeof(text) - 1);
	load_buf(&l, buf, sizeof(text) - 1);
	assert_int_equal(l.rc, 0);
	assert_int_equal(l.st.records, 1);
	assert_int_equal(l.st.skipped, 2);
	free(buf);
	kf_model_release(&l.m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_files),
		cmocka_unit_test(test_default_61),
		cmocka_unit_test(test_abstime_612),
		cmocka_unit_test(test_tail_72),
		cmocka_unit_test(test_proc_61),
		cmocka_unit_test(test_latency_and_cpu_off),
		cmocka_unit_test(test_duration_off),
		cmocka_unit_test(test_lost_61),
		cmocka_unit_test(test_irq_marks),
		cmocka_unit_test(test_not_fgtext),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_bad_numbers),
		cmocka_unit_test(test_many_cpus),
		cmocka_unit_test(test_blank_last_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
