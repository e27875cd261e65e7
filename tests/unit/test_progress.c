/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_progress.c - the stages of a run as words, and the guest's
 * progress lines the host reads off the VM console. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>
#include <string.h>

#include "kf_progress.h"

/* Each stage with its detail and counts, as the screen shows it. */
static void test_text(void **state)
{
	static const struct {
		struct kf_progress p;
		const char *want;
	} cases[] = {
		{ { .stage = KF_STAGE_INITRAMFS }, "building the initramfs" },
		{ { .stage = KF_STAGE_KERNEL, .detail = "bookworm" },
		  "finding the kernel (bookworm)" },
		{ { .stage = KF_STAGE_KERNEL, .bytes = 12500000,
		    .detail = "downloading linux-image-6.1.0-28-amd64" },
		  "finding the kernel: downloading "
		  "linux-image-6.1.0-28-amd64 (12.5 MB)" },
		{ { .stage = KF_STAGE_KERNEL, .bytes = 1 },
		  "finding the kernel: 1 KB" },
		{ { .stage = KF_STAGE_BOOT, .detail = "KVM" },
		  "booting the VM (KVM)" },
		{ { .stage = KF_STAGE_ARM, .detail = "" },
		  "arming the tracer" },
		/* no count before the first records */
		{ { .stage = KF_STAGE_TRACE }, "tracing" },
		{ { .stage = KF_STAGE_TRACE, .events = 1 }, "tracing: 1 event" },
		{ { .stage = KF_STAGE_TRACE, .events = 1234,
		    .detail = "in the VM" }, "tracing: 1234 events" },
		{ { .stage = KF_STAGE_RESULTS, .bytes = 812345 },
		  "sending the capture back: 813 KB" },
		{ { .stage = KF_STAGE_N }, "?" },
	};
	char buf[128];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(kf_progress_text(buf, sizeof(buf),
						     &cases[i].p),
				    cases[i].want);
	/* a short buffer cuts, never overruns */
	kf_progress_text(buf, 8, &cases[4].p);
	assert_string_equal(buf, "booting");
}

static void test_secs(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(kf_progress_secs(buf, sizeof(buf), 0), "0 s");
	assert_string_equal(kf_progress_secs(buf, sizeof(buf), 59999999999ull),
			    "59 s");
	assert_string_equal(kf_progress_secs(buf, sizeof(buf), 65000000000ull),
			    "1 min 05 s");
}

/* What the guest writes, the host reads back; other console lines are
 * not progress. */
static void test_guest_lines(void **state)
{
	char buf[64];
	enum kf_stage s;
	uint64_t ev = 99;

	(void)state;
	for (int i = 0; i < KF_STAGE_N; i++) {
		int n = kf_progress_guest_line(buf, sizeof(buf), i, 42);

		assert_int_equal(n, (int)strlen(buf));
		assert_int_equal(buf[n - 1], '\n');
		buf[n - 1] = '\0';
		assert_int_equal(kf_progress_guest_parse(buf, &s, &ev), 1);
		assert_int_equal(s, i);
		assert_int_equal(ev, i == KF_STAGE_TRACE ? 42 : 0);
	}
	kf_progress_guest_line(buf, sizeof(buf), KF_STAGE_ARM, 0);
	assert_string_equal(buf, "kfollow-guest: arm\n");
	kf_progress_guest_line(buf, sizeof(buf), KF_STAGE_TRACE, 7);
	assert_string_equal(buf, "kfollow-guest: trace 7\n");
	/* the guest's /init, before kfollow starts */
	assert_int_equal(kf_progress_guest_parse("kfollow-guest: running",
						 &s, &ev), 1);
	assert_int_equal(s, KF_STAGE_SETUP);
	assert_int_equal(kf_progress_guest_parse("kfollow-guest: trace",
						 &s, &ev), 1);
	assert_int_equal(ev, 0);
	assert_int_equal(kf_progress_guest_parse("kfollow-guest: done",
						 &s, &ev), 0);
	assert_int_equal(kf_progress_guest_parse("kfollow-guest: armed",
						 &s, &ev), 0);
	assert_int_equal(kf_progress_guest_parse("kfollow-guest: trace 12x",
						 &s, &ev), 0);
	assert_int_equal(kf_progress_guest_parse("[    1.2] kfollow-guest: "
						 "arm", &s, &ev), 0);
	assert_int_equal(kf_progress_guest_parse("", &s, &ev), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_secs),
		cmocka_unit_test(test_guest_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
