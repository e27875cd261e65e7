// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_procsum.c - per process and per syscall totals (kf_procsum.h) and
 * the drill-down command, on boundary captures built by hand: calls only,
 * no trees.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kf_model.h"
#include "kf_procsum.h"
#include "handmodel.h"

#define US 1000ULL

struct hc {
	const char *comm;   /* NULL ends a table */
	int pid;
	const char *sys;
	uint64_t start, dur; /* ns */
	int64_t ret;
	uint16_t flags;      /* KF_CALL_*: HAS_RET is added */
};

static void build(struct kf_model *m, const struct hc *tab)
{
	int i;

	assert_int_equal(kf_model_init(m), 0);
	m->meta.mode = KF_MODE_BOUNDARY;
	for (i = 0; tab[i].comm; i++) {
		uint32_t ci = kf_model_call_new(m);
		struct kf_call *c;

		assert_int_not_equal(ci, KF_NONE);
		c = &m->calls[ci];
		c->sys = kf_model_sys_get(m, tab[i].sys);
		assert_int_not_equal(c->sys, KF_NONE);
		c->comm = str(m, tab[i].comm);
		c->pid = tab[i].pid;
		c->start = tab[i].start;
		c->end = tab[i].start + tab[i].dur;
		c->ret = tab[i].ret;
		c->flags = tab[i].flags | KF_CALL_HAS_RET;
	}
}

/*
 * dd[20] reads and writes; sh[10] waits (longest in all), fails an
 * openat; a thread of dd, dd[21], is its own row.  Expected:
 *   sh[10]  total 900 us: wait4 800 (1 call), openat 100 (2, 1 error)
 *   dd[20]  total 62 us: read 40 (3 calls, max 20), write 22 (2 calls,
 *           1 error: -4095 counts, -4096 does not)
 *   dd[21]  total 5 us: read 5
 */
static const struct hc two_procs[] = {
	{ "sh", 10, "openat", 0, 60 * US, 3, 0 },
	{ "dd", 20, "read", 100, 10 * US, 512, 0 },
	{ "dd", 20, "write", 200, 11 * US, -4095, 0 },
	{ "dd", 21, "read", 250, 5 * US, 512, 0 },
	{ "dd", 20, "read", 300, 20 * US, 512, 0 },
	{ "sh", 10, "openat", 400, 40 * US, -2, 0 },
	{ "dd", 20, "write", 500, 11 * US, -4096, 0 },
	{ "dd", 20, "read", 600, 10 * US, 0, 0 },
	{ "sh", 10, "wait4", 700, 800 * US, 20, 0 },
	{ NULL, 0, NULL, 0, 0, 0, 0 },
};

static void test_per_process(void **state)
{
	struct kf_model m;
	struct kf_procsum ps;
	const struct kf_proc_sum *p;

	(void)state;
	build(&m, two_procs);
	assert_int_equal(kf_procsum_init(&ps, &m), 0);
	assert_int_equal(ps.nprocs, 3);
	/* by total time: sh, dd[20], dd[21] */
	p = &ps.procs[0];
	assert_int_equal(p->pid, 10);
	assert_string_equal(p->comm, "sh");
	assert_int_equal(p->all.calls, 3);
	assert_int_equal(p->all.errors, 1);
	assert_int_equal(p->all.total, 900 * US);
	assert_int_equal(p->all.max, 800 * US);
	assert_int_equal(p->nsys, 2);
	assert_string_equal(p->sys[0].name, "wait4");
	assert_string_equal(p->sys[1].name, "openat");
	assert_int_equal(p->sys[1].calls, 2);
	assert_int_equal(p->sys[1].errors, 1);
	assert_int_equal(p->sys[1].total, 100 * US);
	assert_int_equal(p->sys[1].max, 60 * US);
	p = &ps.procs[1];
	assert_int_equal(p->pid, 20);
	assert_int_equal(p->all.calls, 5);
	assert_int_equal(p->all.errors, 1);
	assert_int_equal(p->all.total, 62 * US);
	assert_string_equal(p->sys[0].name, "read");
	assert_int_equal(p->sys[0].calls, 3);
	assert_int_equal(p->sys[0].total, 40 * US);
	assert_int_equal(p->sys[0].max, 20 * US);
	assert_string_equal(p->sys[1].name, "write");
	assert_int_equal(p->sys[1].errors, 1);
	p = &ps.procs[2];
	assert_int_equal(p->pid, 21);
	assert_int_equal(p->all.total, 5 * US);
	kf_procsum_release(&ps);
	kf_model_release(&m);
}

/* The process totals add up to the sum of every call, as the lines do. */
static void test_totals_are_the_lines(void **state)
{
	struct kf_model m;
	struct kf_procsum ps;
	uint64_t lines = 0, procs = 0, sys = 0;
	uint32_t i, k;

	(void)state;
	build(&m, two_procs);
	for (i = 0; i < m.ncalls; i++)
		lines += m.calls[i].end - m.calls[i].start;
	assert_int_equal(kf_procsum_init(&ps, &m), 0);
	for (i = 0; i < ps.nprocs; i++) {
		procs += ps.procs[i].all.total;
		for (k = 0; k < ps.procs[i].nsys; k++)
			sys += ps.procs[i].sys[k].total;
	}
	assert_int_equal(procs, lines);
	assert_int_equal(sys, lines);
	kf_procsum_release(&ps);
	kf_model_release(&m);
}

/* The slowest syscall of the slowest process: a command run again, or
 * the process attached to again. */
static void test_drill(void **state)
{
	struct kf_model m;
	struct kf_procsum ps;
	char buf[256];

	(void)state;
	build(&m, two_procs);
	assert_int_equal(kf_procsum_init(&ps, &m), 0);
	kf_meta_set(&m.meta.command, "sh -c 'dd if=/dev/zero count=3'");
	assert_int_equal(kf_procsum_drill(&ps, &m, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "kfollow wait4 -- sh -c 'dd if=/dev/zero "
			    "count=3'");
	kf_meta_set(&m.meta.command, "-p 10,20");
	assert_int_equal(kf_procsum_drill(&ps, &m, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "kfollow -p 10 wait4");
	/* too small a buffer: nothing half-written to run */
	assert_int_equal(kf_procsum_drill(&ps, &m, buf, 10), -1);
	kf_procsum_release(&ps);
	kf_model_release(&m);
}

static void test_empty(void **state)
{
	struct kf_model m;
	struct kf_procsum ps;
	char buf[64];
	static const struct hc none[] = { { NULL, 0, NULL, 0, 0, 0, 0 } };

	(void)state;
	build(&m, none);
	assert_int_equal(kf_procsum_init(&ps, &m), 0);
	assert_int_equal(ps.nprocs, 0);
	assert_int_equal(kf_procsum_drill(&ps, &m, buf, sizeof(buf)), -1);
	kf_procsum_release(&ps);
	kf_model_release(&m);
}

/* Function mode (-g): a call is named by its root function, and the
 * drill-down has no syscall to follow. */
static void test_function_mode(void **state)
{
	struct kf_model m;
	struct kf_procsum ps;
	char buf[64];
	uint32_t ci, i;
	static const char *const roots[] = { "vfs_write", "vfs_open",
					     "vfs_fsync" };

	(void)state;
	assert_int_equal(kf_model_init(&m), 0);
	ci = kf_model_call_new(&m);
	m.calls[ci].pid = 7;
	m.calls[ci].end = 5 * US;
	add_node(&m, ci, KF_NONE, "vfs_read", 0, 5 * US, 0, 0);
	/* more roots than the one slot a model without syscalls gives a
	 * process: its rows grow, the next process's have their own */
	for (i = 0; i < 3; i++) {
		uint32_t cj = kf_model_call_new(&m);

		m.calls[cj].pid = i < 2 ? 7 : 8;
		m.calls[cj].end = 1 * US;
		add_node(&m, cj, KF_NONE, roots[i], 0, 1 * US, 0, 0);
	}
	assert_int_equal(kf_procsum_init(&ps, &m), 0);
	assert_int_equal(ps.nprocs, 2);
	assert_int_equal(ps.procs[0].nsys, 3);
	assert_int_equal(ps.procs[1].nsys, 1);
	assert_string_equal(ps.procs[1].sys[0].name, "vfs_fsync");
	assert_string_equal(ps.procs[0].sys[0].name, "vfs_read");
	assert_string_equal(kf_call_name(&m, &m.calls[ci]), "vfs_read");
	m.calls[ci].root = KF_NONE;
	assert_string_equal(kf_call_name(&m, &m.calls[ci]), "?");
	kf_procsum_release(&ps);
	m.ncalls = 1;
	assert_int_equal(kf_procsum_init(&ps, &m), 0);
	assert_int_equal(kf_procsum_drill(&ps, &m, buf, sizeof(buf)), -1);
	kf_procsum_release(&ps);
	kf_model_release(&m);
}

/* What kf_procsum_write writes (the caller frees it). */
static char *written(const struct kf_procsum *ps, const struct kf_model *m,
		     int json)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(kf_procsum_write(f, ps, m, json), 0);
	fclose(f);
	return text;
}

/* The text ends with the drill-down; JSON has the processes and it. */
static void test_write(void **state)
{
	struct kf_model m;
	struct kf_procsum ps;
	char *text;

	(void)state;
	build(&m, two_procs);
	kf_meta_set(&m.meta.command, "-p 10");
	assert_int_equal(kf_procsum_init(&ps, &m), 0);
	text = written(&ps, &m, 0);
	assert_non_null(strstr(text, "sh[10]\n     calls    errors"));
	assert_non_null(strstr(text, "         3         1  900.000 us  "
				     "300.000 us  800.000 us  (total)\n"));
	assert_non_null(strstr(text, "# slowest: wait4 in sh[10], 800.000 us "
				     "in 1 calls"));
	assert_non_null(strstr(text, "kernel (function_graph):\n"
				     "#   kfollow -p 10 wait4\n"));
	assert_true(strstr(text, "sh[10]") < strstr(text, "dd[20]"));
	free(text);
	text = written(&ps, &m, 1);
	assert_non_null(strstr(text, "{\"pid\": 10, \"comm\": \"sh\", "
				     "\"calls\": 3, \"errors\": 1, "
				     "\"total_ns\": 900000"));
	assert_non_null(strstr(text, "\"drill_down\": \"kfollow -p 10 wait4\""));
	free(text);
	/* a fallback capture says function_graph was refused there */
	kf_meta_set(&m.meta.degraded, "no function_graph tracer");
	text = written(&ps, &m, 0);
	assert_non_null(strstr(text, "(function_graph, which this capture's "
				     "kernel refused: on another kernel, or "
				     "with --vm):\n#   kfollow -p 10 wait4\n"));
	free(text);
	kf_procsum_release(&ps);
	kf_model_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_per_process),
		cmocka_unit_test(test_totals_are_the_lines),
		cmocka_unit_test(test_drill),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_function_mode),
		cmocka_unit_test(test_write),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
