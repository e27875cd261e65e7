// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_raw.c - the raw ring-buffer reader, fed the format text of a real
 * 6.1 kernel (copied from its tracefs) and pages built byte by byte in the
 * kernel's layout: a header (u64 timestamp, u64 commit with the missed-
 * events flags), then records with a 32-bit header (type_len:5,
 * time_delta:27).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <event-parse.h>

#include "kf_common.h"
#include "kf_raw.h"
#include "rawpage.h"

struct rec {
	struct kf_event ev[64];
	int n;
};

static int record(void *ctx, const struct kf_event *ev)
{
	struct rec *r = ctx;

	assert_true(r->n < 64);
	r->ev[r->n++] = *ev;
	return 0;
}

static const char *sym(void *ctx, uint64_t addr)
{
	switch (addr) {
	case 0xffffffff81001004: return "__x64_sys_openat";
	case 0xffffffff81002004: return "do_sys_openat2";
	}
	return NULL;
}

static struct tep_handle *make_tep(void)
{
	struct tep_handle *tep = tep_alloc();

	assert_non_null(tep);
	tep_set_long_size(tep, 8);
	tep_set_page_size(tep, PAGE);
	tep_set_file_bigendian(tep, TEP_LITTLE_ENDIAN);
	tep_set_local_bigendian(tep, TEP_LITTLE_ENDIAN);
	assert_int_equal(tep_parse_event(tep, fmt_entry, strlen(fmt_entry),
					 "ftrace"), 0);
	assert_int_equal(tep_parse_event(tep, fmt_exit, strlen(fmt_exit),
					 "ftrace"), 0);
	assert_int_equal(tep_parse_event(tep, fmt_enter, strlen(fmt_enter),
					 "syscalls"), 0);
	assert_int_equal(tep_parse_event(tep, fmt_exit_sys,
					 strlen(fmt_exit_sys), "syscalls"), 0);
	return tep;
}

/*
 * One openat on CPU 1, with its tree split across two CPUs' pages (the
 * task migrated; see openat_pages): the reader must merge by time.
 */
static void test_decode_merge(void **state)
{
	struct tep_handle *tep = make_tep();
	struct kf_model m;
	struct kf_raw *r;
	struct pagebuf p0, p1;
	struct rec out = { .n = 0 };
	struct kf_sink sink = { record, &out };
	uint32_t sys;
	int i;

	assert_int_equal(kf_model_init(&m), 0);
	r = kf_raw_new(tep, &m, 2, sym, NULL);
	assert_non_null(r);
	sys = kf_raw_add_syscall(r, "openat");
	assert_int_not_equal(sys, KF_NONE);
	/* the descriptor came from the format: names and kinds */
	assert_int_equal(m.sys[sys].nargs, 4);
	assert_string_equal(kf_strtab_get(&m.strs, m.sys[sys].argname[1]),
			    "filename");
	assert_int_equal(m.sys[sys].argkind[1], KF_ARG_STR);
	assert_int_equal(m.sys[sys].argkind[0], KF_ARG_INT);
	assert_int_equal(m.sys[sys].argkind[3], KF_ARG_UINT);

	openat_pages(&p0, &p1, 42);

	/* CPU 0's page arrives first: merging must not care */
	assert_int_equal(kf_raw_add_page(r, 0, p0.b, PAGE), 0);
	assert_int_equal(kf_raw_add_page(r, 1, p1.b, PAGE), 0);
	assert_int_equal(kf_raw_process(r, sink, 1), 0);

	assert_int_equal(out.n, 6);
	for (i = 1; i < out.n; i++)
		assert_true(out.ev[i].ts >= out.ev[i - 1].ts);
	assert_int_equal(out.ev[0].type, KF_EV_SYS_ENTER);
	assert_int_equal(out.ev[0].pid, 42);
	assert_int_equal(out.ev[0].cpu, 1);
	assert_int_equal(out.ev[0].sys_enter.args[0], 0xffffff9c);
	assert_int_equal(out.ev[0].sys_enter.args[2], 0x80000);
	assert_int_equal(out.ev[1].type, KF_EV_ENTRY);
	assert_string_equal(kf_strtab_get(&m.strs, out.ev[1].entry.func),
			    "__x64_sys_openat");
	assert_int_equal(out.ev[2].entry.depth, 1);
	assert_int_equal(out.ev[2].ctx, KF_CTX_HARDIRQ);
	assert_int_equal(out.ev[3].type, KF_EV_EXIT);
	assert_int_equal(out.ev[3].cpu, 0);
	assert_int_equal(out.ev[3].exit.calltime, 20);
	assert_int_equal(out.ev[3].exit.rettime, 490);
	assert_string_equal(kf_strtab_get(&m.strs, out.ev[3].exit.func),
			    "do_sys_openat2");
	assert_int_equal(out.ev[5].type, KF_EV_SYS_EXIT);
	assert_int_equal(out.ev[5].sys_exit.ret, -2);
	assert_int_equal(out.ev[5].ts, 1700);

	kf_raw_free(r);
	kf_model_release(&m);
	tep_free(tep);
}

/* Built in slices (kf_raw_process_max), the same events come out in the
 * same order as in one go, max at a time, and 0 says none is left. */
static void test_process_slices(void **state)
{
	struct tep_handle *tep = make_tep();
	struct kf_model m;
	struct kf_raw *r;
	struct pagebuf p0, p1;
	struct rec out = { .n = 0 };
	struct kf_sink sink = { record, &out };
	int rc, calls = 0;

	(void)state;
	assert_int_equal(kf_model_init(&m), 0);
	r = kf_raw_new(tep, &m, 2, sym, NULL);
	assert_non_null(r);
	assert_int_not_equal(kf_raw_add_syscall(r, "openat"), KF_NONE);
	openat_pages(&p0, &p1, 42);
	assert_int_equal(kf_raw_add_page(r, 0, p0.b, PAGE), 0);
	assert_int_equal(kf_raw_add_page(r, 1, p1.b, PAGE), 0);
	do {
		int before = out.n;

		rc = kf_raw_process_max(r, sink, 1, 4);
		assert_true(rc == 0 || rc == 1);
		assert_true(out.n - before <= 4);
		if (rc == 1)
			assert_int_equal(out.n - before, 4);
		calls++;
	} while (rc == 1);
	/* 6 events: a slice of 4, then the last 2 */
	assert_int_equal(calls, 2);
	assert_int_equal(out.n, 6);
	assert_int_equal(out.ev[0].type, KF_EV_SYS_ENTER);
	assert_int_equal(out.ev[3].type, KF_EV_EXIT);
	assert_int_equal(out.ev[5].type, KF_EV_SYS_EXIT);
	assert_int_equal(out.ev[5].ts, 1700);
	for (int i = 1; i < out.n; i++)
		assert_true(out.ev[i].ts >= out.ev[i - 1].ts);
	/* nothing left: 0, and nothing sent */
	assert_int_equal(kf_raw_process_max(r, sink, 1, 4), 0);
	assert_int_equal(out.n, 6);

	kf_raw_free(r);
	kf_model_release(&m);
	tep_free(tep);
}

/* A page that says events were missed before it: a LOST event, counted. */
static void test_missed_events(void **state)
{
	struct tep_handle *tep = make_tep();
	struct kf_model m;
	struct kf_raw *r;
	struct pagebuf p;
	unsigned char rec[64];
	struct rec out = { .n = 0 };
	struct kf_sink sink = { record, &out };
	struct kf_raw_stats st;

	assert_int_equal(kf_model_init(&m), 0);
	r = kf_raw_new(tep, &m, 2, sym, NULL);
	assert_non_null(r);
	page_init(&p, 5000);
	rec_entry(rec, 7, 0xffffffff81001004, 0, 0);
	page_rec(&p, 5000, rec, 20);
	/* MISSING_EVENTS (1 << 31) | MISSING_STORED (1 << 30), count 123 */
	page_finish(&p, (1ull << 31) | (1ull << 30), 123);
	assert_int_equal(kf_raw_add_page(r, 1, p.b, PAGE), 0);
	assert_int_equal(kf_raw_process(r, sink, 1), 0);
	assert_int_equal(out.n, 2);
	assert_int_equal(out.ev[0].type, KF_EV_LOST);
	assert_int_equal(out.ev[0].cpu, 1);
	assert_int_equal(out.ev[0].lost.count, 123);
	assert_int_equal(m.meta.lost, 123);
	assert_int_equal(m.meta.lost_cpu[1], 123);
	/* an unknown function address is shown as hex, not dropped */
	assert_int_equal(out.ev[1].type, KF_EV_ENTRY);
	kf_raw_stats(r, &st);
	assert_int_equal(st.lost, 123);
	kf_raw_free(r);
	kf_model_release(&m);
	tep_free(tep);
}

/* Pages that lie: commit larger than the page, records cut short. */
static void test_bad_pages(void **state)
{
	struct tep_handle *tep = make_tep();
	struct kf_model m;
	struct kf_raw *r;
	struct pagebuf p;
	unsigned char rec[64];
	struct rec out = { .n = 0 };
	struct kf_sink sink = { record, &out };
	struct kf_raw_stats st;
	uint64_t commit;

	assert_int_equal(kf_model_init(&m), 0);
	r = kf_raw_new(tep, &m, 1, NULL, NULL);
	assert_non_null(r);
	/* commit says 100000 bytes in a 4096-byte page */
	page_init(&p, 10);
	rec_entry(rec, 7, 0x1234, 0, 0);
	page_rec(&p, 10, rec, 20);
	commit = 100000;
	memcpy(p.b + 8, &commit, 8);
	assert_int_equal(kf_raw_add_page(r, 0, p.b, PAGE), 0);
	/* a record of an unknown event id, and one too short for its format */
	page_init(&p, 20);
	memset(rec, 0, sizeof(rec));
	rec[0] = 0x34;
	rec[1] = 0x12;
	page_rec(&p, 20, rec, 8);
	rec[0] = 10;  /* funcgraph_exit needs 40 bytes: give it 8 */
	rec[1] = 0;
	page_rec(&p, 21, rec, 8);
	page_finish(&p, 0, -1);
	assert_int_equal(kf_raw_add_page(r, 0, p.b, PAGE), 0);
	/* a page shorter than its header is ignored */
	assert_int_equal(kf_raw_add_page(r, 0, p.b, 8), 0);
	assert_int_equal(kf_raw_process(r, sink, 1), 0);
	assert_int_equal(out.n, 0);
	kf_raw_stats(r, &st);
	assert_int_equal(st.skipped, 1);
	assert_true(st.bad >= 2);
	kf_raw_free(r);
	kf_model_release(&m);
	tep_free(tep);
}

/* Not final: records newer than another CPU's newest page wait. */
static void test_watermark(void **state)
{
	struct tep_handle *tep = make_tep();
	struct kf_model m;
	struct kf_raw *r;
	struct pagebuf p0, p1;
	unsigned char rec[64];
	struct rec out = { .n = 0 };
	struct kf_sink sink = { record, &out };

	assert_int_equal(kf_model_init(&m), 0);
	r = kf_raw_new(tep, &m, 2, sym, NULL);
	assert_non_null(r);
	page_init(&p0, 100);
	rec_entry(rec, 7, 0xffffffff81001004, 0, 0);
	page_rec(&p0, 100, rec, 20);
	page_rec(&p0, 900, rec, 20);
	page_finish(&p0, 0, -1);
	page_init(&p1, 500);
	rec_entry(rec, 8, 0xffffffff81001004, 0, 0);
	page_rec(&p1, 500, rec, 20);
	page_finish(&p1, 0, -1);
	kf_raw_add_page(r, 0, p0.b, PAGE);
	kf_raw_add_page(r, 1, p1.b, PAGE);
	assert_int_equal(kf_raw_process(r, sink, 0), 0);
	/* CPU 1's unread records come after its last one, at 500: the
	 * records up to 500 are safe, CPU 0's at 900 is not */
	assert_int_equal(out.n, 2);
	assert_int_equal(out.ev[0].ts, 100);
	assert_int_equal(out.ev[1].ts, 500);
	/* two complete drains later, nothing unread can come before 900:
	 * CPU 1 going idle does not hold CPU 0's record back */
	kf_raw_drained(r);
	assert_int_equal(kf_raw_process(r, sink, 0), 0);
	assert_int_equal(out.n, 2);
	kf_raw_drained(r);
	assert_int_equal(kf_raw_process(r, sink, 0), 0);
	assert_int_equal(out.n, 3);
	assert_int_equal(out.ev[2].ts, 900);
	assert_int_equal(kf_raw_process(r, sink, 1), 0);
	assert_int_equal(out.n, 3);
	kf_raw_free(r);
	kf_model_release(&m);
	tep_free(tep);
}

/*
 * A CPU that is never read dry (a writer faster than the reader) does not
 * hold the others back: its last record read bounds what it can still
 * hold, and an idle CPU read dry twice bounds nothing.  A CPU with nothing
 * read and no dry read yet holds everything back.
 */
static void test_watermark_busy_cpu(void **state)
{
	struct tep_handle *tep = make_tep();
	struct kf_model m;
	struct kf_raw *r;
	struct pagebuf p1;
	unsigned char rec[64];
	struct rec out = { .n = 0 };
	struct kf_sink sink = { record, &out };

	assert_int_equal(kf_model_init(&m), 0);
	r = kf_raw_new(tep, &m, 2, sym, NULL);
	assert_non_null(r);
	page_init(&p1, 200);
	rec_entry(rec, 8, 0xffffffff81001004, 0, 0);
	page_rec(&p1, 200, rec, 20);
	page_rec(&p1, 300, rec, 20);
	page_finish(&p1, 0, -1);
	kf_raw_add_page(r, 1, p1.b, PAGE);
	/* CPU 0: nothing read, never read dry: it may hold anything */
	assert_int_equal(kf_raw_process(r, sink, 0), 0);
	assert_int_equal(out.n, 0);
	/* CPU 0 read dry twice: its safe time is what was read by the
	 * first of those reads (300); CPU 1, busy, is bounded by its last
	 * record (300) */
	kf_raw_dry(r, 0);
	kf_raw_dry(r, 0);
	assert_int_equal(kf_raw_process(r, sink, 0), 0);
	assert_int_equal(out.n, 2);
	assert_int_equal(out.ev[1].ts, 300);
	/* CPU 1 goes on without ever being dry: records up to its last one
	 * go out as CPU 0 keeps being read dry */
	page_init(&p1, 400);
	page_rec(&p1, 400, rec, 20);
	page_rec(&p1, 600, rec, 20);
	page_finish(&p1, 0, -1);
	kf_raw_add_page(r, 1, p1.b, PAGE);
	kf_raw_dry(r, 0);
	assert_int_equal(kf_raw_process(r, sink, 0), 0);
	assert_int_equal(out.n, 2);	/* CPU 0 safe only up to 300 yet */
	kf_raw_dry(r, 0);
	assert_int_equal(kf_raw_process(r, sink, 0), 0);
	assert_int_equal(out.n, 4);
	assert_int_equal(out.ev[3].ts, 600);
	kf_raw_free(r);
	kf_model_release(&m);
	tep_free(tep);
}

/*
 * A record whose length field points back at itself (type_len 0, length
 * -4; or padding of length -4): the iterator returns the same record, or
 * never returns.  Adding the page
 * (the live watermark walks it) and reading it must both end.
 */
static void test_record_loops(void **state)
{
	struct tep_handle *tep = make_tep();
	struct kf_model m;
	struct kf_raw *r;
	struct pagebuf p;
	unsigned char rec[64];
	struct rec out = { .n = 0 };
	struct kf_sink sink = { record, &out };
	struct kf_raw_stats st;
	uint32_t hdr = 0, len = 0xfffffffc;

	alarm(20); /* a hang is a failure, not a stuck test run */
	assert_int_equal(kf_model_init(&m), 0);
	r = kf_raw_new(tep, &m, 1, sym, NULL);
	assert_non_null(r);
	page_init(&p, 10);
	rec_entry(rec, 7, 0xffffffff81001004, 0, 0);
	page_rec(&p, 10, rec, 20);
	memcpy(p.b + 16 + p.len, &hdr, 4);
	memcpy(p.b + 16 + p.len + 4, &len, 4);
	p.len += 8;
	page_finish(&p, 0, -1);
	assert_int_equal(kf_raw_add_page(r, 0, p.b, PAGE), 0);
	assert_int_equal(kf_raw_process(r, sink, 1), 0);
	kf_raw_stats(r, &st);
	assert_true(st.bad >= 1);
	assert_true(out.n <= 2);
	kf_raw_free(r);
	kf_model_release(&m);

	/* padding of length -4 (fuzz_raw): libtraceevent itself loops in
	 * kbuffer_load_subbuffer(), so the page is refused before it */
	assert_int_equal(kf_model_init(&m), 0);
	r = kf_raw_new(tep, &m, 1, sym, NULL);
	assert_non_null(r);
	page_init(&p, 10);
	hdr = 29 | (7 << 5);
	memcpy(p.b + 16, &hdr, 4);
	memcpy(p.b + 20, &len, 4);
	p.len = 8;
	page_finish(&p, 0, -1);
	assert_int_equal(kf_raw_add_page(r, 0, p.b, PAGE), 0);
	assert_int_equal(kf_raw_process(r, sink, 1), 0);
	kf_raw_stats(r, &st);
	assert_int_equal(st.bad, 1);
	kf_raw_free(r);
	kf_model_release(&m);
	tep_free(tep);
	alarm(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_merge),
		cmocka_unit_test(test_process_slices),
		cmocka_unit_test(test_missed_events),
		cmocka_unit_test(test_bad_pages),
		cmocka_unit_test(test_watermark),
		cmocka_unit_test(test_watermark_busy_cpu),
		cmocka_unit_test(test_record_loops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
