// SPDX-License-Identifier: GPL-2.0-or-later
/* test_ktab - the kernel's function tables kept between runs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "kf_common.h"
#include "kf_ksyms.h"
#include "kf_ktab.h"
#include "kf_strtab.h"

static char dir[] = "/tmp/kf-ktab-XXXXXX";

static void put(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	put("version", "Linux version 7.2.13 (gcc) #1 SMP\n");
	put("kallsyms", "0000000000000000 A fixed_percpu_data\n"
			"ffffffff81000000 T _stext\n"
			"ffffffff81000100 t do_one\n");
	put("modules", "ext4 1019904 1 - Live 0xffffffffc0a00000\n"
		       "crc16 12288 1 ext4, Live 0xffffffffc0900000\n");
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* The key names the version, where the kernel was put and the modules
 * (not how often they are used); it changes when any of those does. */
static void test_key(void **state)
{
	char *k1, *k2;

	(void)state;
	k1 = kf_ktab_key(dir);
	assert_non_null(k1);
	assert_non_null(strstr(k1, "Linux version 7.2.13"));
	assert_non_null(strstr(k1, "ffffffff81000000 T _stext"));
	assert_non_null(strstr(k1, "module ext4 1019904 0xffffffffc0a00000"));
	/* a reference more: the same key */
	put("modules", "ext4 1019904 2 - Live 0xffffffffc0a00000\n"
		       "crc16 12288 1 ext4, Live 0xffffffffc0900000\n");
	k2 = kf_ktab_key(dir);
	assert_string_equal(k1, k2);
	free(k2);
	/* KASLR put the kernel elsewhere: another key */
	put("kallsyms", "ffffffff9a000000 T _stext\n");
	k2 = kf_ktab_key(dir);
	assert_non_null(k2);
	assert_string_not_equal(k1, k2);
	free(k2);
	put("kallsyms", "ffffffff81000000 T _stext\n");
	/* a module loaded elsewhere: another key */
	put("modules", "ext4 1019904 1 - Live 0xffffffffc0b00000\n"
		       "crc16 12288 1 ext4, Live 0xffffffffc0900000\n");
	k2 = kf_ktab_key(dir);
	assert_string_not_equal(k1, k2);
	free(k2);
	/* hidden addresses (kptr_restrict): no key, no cache */
	put("modules", "ext4 1019904 1 - Live 0x0000000000000000\n");
	assert_null(kf_ktab_key(dir));
	put("modules", "ext4 1019904 1 - Live 0xffffffffc0a00000\n"
		       "crc16 12288 1 ext4, Live 0xffffffffc0900000\n");
	put("kallsyms", "0000000000000000 T _stext\n");
	assert_null(kf_ktab_key(dir));
	put("kallsyms", "ffffffff81000000 T _stext\n"
			"ffffffff81000100 t do_one\n");
	free(k1);
}

/* Saved, opened again with the same key: the same bytes; a file others
 * can write, another kernel's key or a cut file: not used. */
static void test_save_open(void **state)
{
	struct kf_ktab t, u;
	char path[256], *key = kf_ktab_key(dir);
	const char funcs[] = "do_one\next4_file_open [ext4]\n";
	const char syms[] = "ffffffff81000100 t do_one\n";

	(void)state;
	assert_non_null(key);
	snprintf(path, sizeof(path), "%s/cache/sub/ktab", dir);
	setenv("KFOLLOW_KTAB", path, 1);
	memset(&t, 0, sizeof(t));
	t.key = key;
	t.path = strdup(path);
	t.funcs = strdup(funcs);
	t.funcs_len = strlen(funcs);
	t.syms = strdup(syms);
	t.syms_len = strlen(syms);
	assert_int_equal(kf_ktab_save(&t), 0);
	kf_ktab_release(&t);

	assert_int_equal(kf_ktab_open(&u, dir), 1);
	assert_true(u.hit);
	assert_string_equal(u.funcs, funcs);
	assert_int_equal(u.funcs_len, strlen(funcs));
	assert_string_equal(u.syms, syms);
	kf_ktab_release(&u);

	/* group-writable: someone else could have planted it */
	chmod(path, 0620);
	assert_int_equal(kf_ktab_open(&u, dir), 0);
	assert_false(u.hit);
	assert_null(u.funcs);
	kf_ktab_release(&u);
	chmod(path, 0600);

	/* another kernel */
	put("version", "Linux version 7.2.14 (gcc) #1 SMP\n");
	assert_int_equal(kf_ktab_open(&u, dir), 0);
	assert_non_null(u.key);  /* it would be saved under the new key */
	kf_ktab_release(&u);
	put("version", "Linux version 7.2.13 (gcc) #1 SMP\n");

	/* caching off */
	setenv("KFOLLOW_KTAB", "", 1);
	assert_int_equal(kf_ktab_open(&u, dir), 0);
	assert_null(u.key);
	kf_ktab_release(&u);
	unsetenv("KFOLLOW_KTAB");
}

static void test_parse_bad(void **state)
{
	struct kf_ktab t;
	const char *key = "K\n";
	char buf[256];

	(void)state;
	memset(&t, 0, sizeof(t));
	assert_int_equal(kf_ktab_parse(&t, "", 0, key), 0);
	assert_int_equal(kf_ktab_parse(&t, "kfollow-ktab 2 2 0 0\nK\n", 22,
				       key), 0);
	snprintf(buf, sizeof(buf), "kfollow-ktab 1 2 3 4\nK\nab\nt x\n");
	assert_int_equal(kf_ktab_parse(&t, buf, strlen(buf), key), 1);
	assert_string_equal(t.funcs, "ab\n");
	assert_string_equal(t.syms, "t x\n");
	kf_ktab_release(&t);
	/* one byte short, one too many */
	assert_int_equal(kf_ktab_parse(&t, buf, strlen(buf) - 1, key), 0);
	strcat(buf, "!");
	assert_int_equal(kf_ktab_parse(&t, buf, strlen(buf), key), 0);
	/* lengths that would wrap around */
	snprintf(buf, sizeof(buf), "kfollow-ktab 1 2 18446744073709551615 "
		 "5\nK\nab\nt x\n");
	assert_int_equal(kf_ktab_parse(&t, buf, strlen(buf), key), 0);
	/* another key of the same length */
	snprintf(buf, sizeof(buf), "kfollow-ktab 1 2 3 4\nL\nab\nt x\n");
	assert_int_equal(kf_ktab_parse(&t, buf, strlen(buf), key), 0);
	assert_null(t.funcs);
}

/* Only traceable names are kept, and they still name every address
 * inside a traceable function. */
static void test_syms_text(void **state)
{
	struct kf_ksyms ks, back;
	struct kf_strtab funcs;
	size_t len = 0;
	char *text;

	(void)state;
	assert_int_equal(kf_ksyms_load(&ks, strdup(
		"ffffffff81000000 T _stext\n"
		"ffffffff81000100 t do_one\n"
		"ffffffff81000180 t not_traced\n"
		"ffffffff81000200 T do_two\n"
		"ffffffffc0a00000 t ext4_file_open\t[ext4]\n")), 5);
	assert_int_equal(kf_strtab_init(&funcs), 0);
	kf_strtab_intern(&funcs, "do_one");
	kf_strtab_intern(&funcs, "do_two");
	kf_strtab_intern(&funcs, "ext4_file_open");
	text = kf_ktab_syms_text(&ks, &funcs, &len);
	assert_non_null(text);
	assert_string_equal(text, "ffffffff81000100 t do_one\n"
				  "ffffffff81000200 t do_two\n"
				  "ffffffffc0a00000 t ext4_file_open\n");
	assert_int_equal(len, strlen(text));
	assert_int_equal(kf_ksyms_load(&back, text), 3);
	assert_string_equal(kf_ksyms_find(&back, 0xffffffff81000104ull),
			    "do_one");
	assert_string_equal(kf_ksyms_find(&back, 0xffffffff81000204ull),
			    "do_two");
	assert_string_equal(kf_ksyms_find(&back, 0xffffffffc0a00004ull),
			    "ext4_file_open");
	kf_ksyms_release(&back);
	kf_ksyms_release(&ks);
	kf_strtab_release(&funcs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key),
		cmocka_unit_test(test_save_open),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_syms_text),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
