// SPDX-License-Identifier: GPL-2.0-or-later
/* test_ksyms - function names from kallsyms text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kf_ksyms.h"

static void test_find(void **state)
{
	struct kf_ksyms k;
	char *text = strdup(
		"ffffffff81000000 T _stext\n"
		"ffffffff81000100 t do_one.part.0\n"
		"ffffffff81000180 D some_data\n"   /* not text: skipped */
		"ffffffffc0a00000 t ext4_file_open\t[ext4]\n"
		"ffffffff81000200 W weak_fn\n"
		"garbage line\n"
		"ffffffff81000300 T\n"              /* no name */
		"ffffffff81000400 T last_fn");      /* no newline */

	(void)state;
	assert_int_equal(kf_ksyms_load(&k, text), 5);
	assert_null(kf_ksyms_find(&k, 0xffffffff80ffffffull));
	assert_string_equal(kf_ksyms_find(&k, 0xffffffff81000000ull), "_stext");
	/* an address inside a function (fentry after endbr64) */
	assert_string_equal(kf_ksyms_find(&k, 0xffffffff81000104ull),
			    "do_one.part.0");
	assert_string_equal(kf_ksyms_find(&k, 0xffffffff81000190ull),
			    "do_one.part.0");
	assert_string_equal(kf_ksyms_find(&k, 0xffffffff81000200ull), "weak_fn");
	/* a module's symbols come after the core's: sorted in */
	assert_string_equal(kf_ksyms_find(&k, 0xffffffffc0a00004ull),
			    "ext4_file_open");
	assert_string_equal(kf_ksyms_find(&k, 0xffffffff90000000ull), "last_fn");
	kf_ksyms_release(&k);
}

/* kptr_restrict: every address 0, nothing to find */
static void test_restricted(void **state)
{
	struct kf_ksyms k;
	char *text = strdup("0000000000000000 T _stext\n"
			    "0000000000000000 t do_one\n");

	(void)state;
	assert_int_equal(kf_ksyms_load(&k, text), 0);
	assert_null(kf_ksyms_find(&k, 0));
	kf_ksyms_release(&k);
	assert_int_equal(kf_ksyms_load(&k, strdup("")), 0);
	kf_ksyms_release(&k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_restricted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
