// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_input.c - --input's reader: a capture file cut while it is parsed
 * (the parser is wrapped, -Wl,--wrap=kf_capfile_parse, to cut the file at
 * that moment) is parsed as it was read, not a SIGBUS.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "kf_capfile.h"
#include "kf_common.h"
#include "kf_input.h"
#include "kf_model.h"

int __real_kf_capfile_parse(const char *buf, size_t len, struct kf_model *m,
			    const char *name);
int __wrap_kf_capfile_parse(const char *buf, size_t len, struct kf_model *m,
			    const char *name);

static const char *cut_path;

int __wrap_kf_capfile_parse(const char *buf, size_t len, struct kf_model *m,
			    const char *name)
{
	if (cut_path)
		assert_int_equal(truncate(cut_path, 0), 0);
	return __real_kf_capfile_parse(buf, len, m, name);
}

/* A capture over 1 MiB (once mapped) cut to nothing as its parse starts. */
static void test_cut_while_parsed(void **state)
{
	char path[] = "/tmp/kf-test-input-XXXXXX";
	FILE *in = fopen("tests/data/captures/bookworm-cat3.json", "rb");
	FILE *out;
	struct kf_model m;
	char chunk[4096];
	size_t n;
	int fd = mkstemp(path);

	(void)state;
	assert_non_null(in);
	assert_true(fd >= 0);
	out = fdopen(fd, "wb");
	assert_non_null(out);
	while ((n = fread(chunk, 1, sizeof(chunk), in)) > 0)
		assert_int_equal(fwrite(chunk, 1, n, out), n);
	memset(chunk, ' ', sizeof(chunk));
	for (int i = 0; i < 400; i++)
		assert_int_equal(fwrite(chunk, 1, sizeof(chunk), out),
				 sizeof(chunk));
	fclose(in);
	assert_int_equal(fclose(out), 0);

	assert_int_equal(kf_model_init(&m), 0);
	cut_path = path;
	if (kf_input_load(path, &m) < 0)
		fail_msg("%s", kf_err_msg());
	cut_path = NULL;
	assert_true(m.ncalls > 0);
	kf_model_release(&m);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cut_while_parsed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
