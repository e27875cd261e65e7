// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_export.c - the exports on models built by hand: folded lines and
 * their counts, hidden calls in their caller's line, names that would
 * break the formats; chrome's events cut to nest; the svg's root, its
 * escaping and its narrow frames; --invocation's lists.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kf_build.h"
#include "kf_common.h"
#include "kf_export.h"
#include "kf_model.h"
#include "handmodel.h"

static uint32_t node(struct kf_model *m, uint32_t call, uint32_t parent,
		     const char *f, uint64_t start, uint64_t dur)
{
	return add_node(m, call, parent, f, start, dur, 0, 0);
}

static uint32_t call(struct kf_model *m, const char *sys, int32_t pid,
		     uint64_t start, uint64_t end)
{
	uint32_t ci = kf_model_call_new(m);

	assert_int_not_equal(ci, KF_NONE);
	m->calls[ci].sys = sys ? kf_model_sys_get(m, sys) : KF_NONE;
	m->calls[ci].pid = pid;
	m->calls[ci].comm = str(m, "cat");
	m->calls[ci].start = start;
	m->calls[ci].end = end;
	return ci;
}

/*
 * Two opens and a read:
 *   openat 0..1000: A 100..900 (B 200..300, C 400..800 (B 500..600))
 *   openat 2000..2500: A 2100..2400 (B 2200..2205)
 *   read 3000..3100: no tree
 */
static void three_calls(struct kf_model *m)
{
	uint32_t c, a, cc;

	assert_int_equal(kf_model_init(m), 0);
	c = call(m, "openat", 7, 0, 1000);
	a = node(m, c, KF_NONE, "A", 100, 800);
	node(m, c, a, "B", 200, 100);
	cc = node(m, c, a, "C", 400, 400);
	node(m, c, cc, "B", 500, 100);
	c = call(m, "openat", 7, 2000, 2500);
	a = node(m, c, KF_NONE, "A", 2100, 300);
	node(m, c, a, "B", 2200, 5);
	call(m, "read", 8, 3000, 3100);
	kf_model_compute_self(m);
}

/* What kf_export writes, in a buffer the caller frees. */
static char *export(const struct kf_model *m, enum kf_export_format fmt,
		    uint64_t min_dur)
{
	struct kf_export_opts o = { .min_duration = min_dur };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(kf_export(f, m, fmt, &o), 0);
	fclose(f);
	return buf;
}

static void test_folded(void **state)
{
	struct kf_model m;
	char *out;

	(void)state;
	three_calls(&m);
	out = export(&m, KF_EXPORT_FOLDED, 0);
	/* merged by path, first-seen order; self times (A: 800 - 500 and
	 * 300 - 5); the syscall's own time is what its tree leaves:
	 * 1000 - 800 + 500 - 300 */
	assert_string_equal(out,
			    "openat 400\n"
			    "openat;A 595\n"
			    "openat;A;B 105\n"
			    "openat;A;C 300\n"
			    "openat;A;C;B 100\n"
			    "read 100\n");
	free(out);
	/* hidden calls: their time in their caller's line */
	out = export(&m, KF_EXPORT_FOLDED, 101);
	assert_string_equal(out,
			    "openat 400\n"
			    "openat;A 700\n"
			    "openat;A;C 400\n"
			    "read 100\n");
	free(out);
	kf_model_release(&m);
}

static void test_folded_hostile_names(void **state)
{
	struct kf_model m;
	uint32_t c;
	char *out;

	(void)state;
	assert_int_equal(kf_model_init(&m), 0);
	c = call(&m, "op;en\n", 1, 0, 10);
	node(&m, c, KF_NONE, "f;g \x1b[2J", 0, 10);
	kf_model_compute_self(&m);
	out = export(&m, KF_EXPORT_FOLDED, 0);
	/* no ';' inside a frame, no control byte, one line */
	assert_string_equal(out, "op:en\\n;f:g \\33[2J 10\n");
	free(out);
	kf_model_release(&m);
}

static void test_chrome_nests(void **state)
{
	struct kf_model m;
	uint32_t c, a;
	char *out;

	(void)state;
	assert_int_equal(kf_model_init(&m), 0);
	/* the enter event was stamped after the tree's start; X ends past
	 * A's end, Y starts before X's end */
	c = call(&m, "openat", 5, 1000, 5000);
	a = node(&m, c, KF_NONE, "A", 900, 3000);
	node(&m, c, a, "X", 1000, 3500);
	node(&m, c, a, "Y", 2000, 500);
	kf_model_compute_self(&m);
	out = export(&m, KF_EXPORT_CHROME, 0);
	/* the syscall spans its tree: 900..5000 */
	assert_non_null(strstr(out, "\"name\":\"openat\",\"cat\":\"syscall\","
				    "\"ts\":0.900,\"dur\":4.100,\"pid\":5"));
	assert_non_null(strstr(out, "\"name\":\"A\",\"cat\":\"kernel\","
				    "\"ts\":0.900,\"dur\":3.000"));
	/* X cut at A's end (3900), Y after X's end: at 3900, no time */
	assert_non_null(strstr(out, "\"name\":\"X\",\"cat\":\"kernel\","
				    "\"ts\":1.000,\"dur\":2.900"));
	assert_non_null(strstr(out, "\"name\":\"Y\",\"cat\":\"kernel\","
				    "\"ts\":3.900,\"dur\":0.000"));
	assert_non_null(strstr(out, "\"thread_name\",\"pid\":5,\"tid\":5,"
				    "\"args\":{\"name\":\"cat[5]\"}"));
	free(out);
	kf_model_release(&m);
}

static void test_svg(void **state)
{
	struct kf_model m;
	uint32_t c;
	char *out, *p;
	int frames = 0;

	(void)state;
	three_calls(&m);
	out = export(&m, KF_EXPORT_SVG, 0);
	assert_non_null(strstr(out, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	/* two syscalls: a root above both, named by them */
	assert_non_null(strstr(out, ">openat, read: 3 calls, 1.600 us</text>"));
	for (p = out; (p = strstr(p, "<g><title>")); p++)
		frames++;
	/* root, openat, A, B, C, C;B, read: the narrowest, read, is
	 * 100/1600 of 1180 px */
	assert_int_equal(frames, 7);
	free(out);
	kf_model_release(&m);

	/* one syscall: it is the root; hostile names escaped for XML */
	assert_int_equal(kf_model_init(&m), 0);
	c = call(&m, "openat", 1, 0, 1000000);
	node(&m, c, KF_NONE, "a<b>&\"c'\x1b", 0, 999999);
	node(&m, c, KF_NONE, "tiny", 999999, 1); /* 0.001 px: left out */
	kf_model_compute_self(&m);
	out = export(&m, KF_EXPORT_SVG, 0);
	assert_non_null(strstr(out, ">openat: 1 invocation, 1.000 ms</text>"));
	/* escaped as a terminal would get it, then for XML */
	assert_non_null(strstr(out, "a&lt;b&gt;&amp;\\&quot;c&apos;\\33"));
	assert_null(strstr(out, "\x1b"));
	assert_null(strstr(out, ">tiny<"));
	assert_non_null(strstr(out, "1 call path too narrow to draw"));
	free(out);
	kf_model_release(&m);
}

static void test_keep_numbers(void **state)
{
	struct kf_model m;
	static const char *const bad[] = {
		"", "0", "x", "1,", ",1", "1,,2", "5-2", "-3", "1-2-3", "1 ",
		"99999999999",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		kf_err_clear();
		assert_int_equal(kf_model_keep_numbers(NULL, bad[i]), -1);
		assert_int_equal(kf_err_code(), KF_EXIT_USAGE);
	}
	assert_int_equal(kf_model_keep_numbers(NULL, "1,3-4,7-"), 0);

	three_calls(&m);
	kf_err_clear();
	assert_int_equal(kf_model_keep_numbers(&m, "4"), -1);
	assert_int_equal(kf_err_code(), KF_EXIT_DATAERR);
	assert_int_equal(m.ncalls, 3);
	assert_int_equal(kf_model_keep_numbers(&m, "3,2-"), 1);
	assert_int_equal(m.ncalls, 2);
	assert_int_equal(m.calls[0].start, 2000);
	assert_int_equal(m.calls[1].start, 3000);
	assert_int_equal(m.pick_dropped, 1);
	kf_model_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_folded),
		cmocka_unit_test(test_folded_hostile_names),
		cmocka_unit_test(test_chrome_nests),
		cmocka_unit_test(test_svg),
		cmocka_unit_test(test_keep_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
