/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_common.c - the shared helpers: growing arrays, reading files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kf_common.h"

/* Doubling from 16, room for what is asked, old contents kept. */
static void test_grow(void **state)
{
	uint32_t *a = NULL;
	uint32_t cap = 0, i;

	(void)state;
	assert_int_equal(KF_GROW(a, cap, 1), 0);
	assert_int_equal(cap, 16);
	for (i = 0; i < 1000; i++) {
		assert_int_equal(KF_GROW(a, cap, (size_t)i + 1), 0);
		a[i] = i * 3;
	}
	assert_true(cap >= 1000 && cap < 2048);
	for (i = 0; i < 1000; i++)
		assert_int_equal(a[i], i * 3);
	/* enough room already: nothing moves */
	{
		uint32_t *before = a;

		assert_int_equal(KF_GROW(a, cap, 10), 0);
		assert_ptr_equal(a, before);
	}
	free(a);
}

/* A size that overflows, or a capacity its type cannot hold: refused,
 * the array left as it was. */
static void test_grow_refused(void **state)
{
	char *a = NULL;
	unsigned char small = 0;
	size_t cap = 0;
	uint64_t *big = NULL;

	(void)state;
	assert_int_equal(KF_GROW(big, cap, SIZE_MAX / 4), -1);
	assert_null(big);
	assert_int_equal(cap, 0);
	assert_int_equal(KF_GROW(a, small, 300), -1);
	assert_int_equal(small, 0);
	free(a);
}

static void test_read_file(void **state)
{
	char path[] = "/tmp/kf-test-common-XXXXXX", *buf;
	int fd = mkstemp(path);
	size_t len = 1, i;
	static char big[200000];

	(void)state;
	assert_true(fd >= 0);
	/* empty: an empty string */
	buf = kf_read_file(path, 0, &len);
	assert_non_null(buf);
	assert_int_equal(len, 0);
	assert_string_equal(buf, "");
	free(buf);
	/* larger than one read, NUL-terminated, every byte kept */
	for (i = 0; i < sizeof(big); i++)
		big[i] = 'a' + i % 26;
	assert_int_equal(write(fd, big, sizeof(big)), sizeof(big));
	buf = kf_read_file(path, 0, &len);
	assert_non_null(buf);
	assert_int_equal(len, sizeof(big));
	assert_memory_equal(buf, big, sizeof(big));
	assert_int_equal(buf[len], '\0');
	free(buf);
	/* over the limit: EFBIG */
	errno = 0;
	assert_null(kf_read_file(path, 1000, &len));
	assert_int_equal(errno, EFBIG);
	close(fd);
	unlink(path);
	errno = 0;
	assert_null(kf_read_file(path, 0, &len));
	assert_int_equal(errno, ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grow),
		cmocka_unit_test(test_grow_refused),
		cmocka_unit_test(test_read_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
