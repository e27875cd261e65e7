// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_btfargs.c - funcgraph-args' registers named and formatted from BTF:
 * a BTF file written here with libbpf's writer (the kernel's own layout),
 * then read back by kf_btfargs as kfollow reads /sys/kernel/btf/vmlinux.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <bpf/btf.h>

#include "kf_btfargs.h"
#include "kf_common.h"

static char path[] = "/tmp/kf-btf-XXXXXX";

/*
 * The functions of the test BTF:
 *   long do_sys_openat2(int dfd, const char *filename, struct open_how *how)
 *   void bare(void)
 *   int many(int a, int b, int c, int d, int e, int f, int g)
 *   int byval(struct pair p, unsigned short u, char c, enum mode m)
 *   int fmt(const char *f, ...)
 *   void with_typedef(u32 flags, bool b)
 */
static int write_btf(void **state)
{
	struct btf *b = btf__new_empty();
	int i_int, i_long, i_char, i_u16, i_u32, i_bool, p_char, c_char;
	int s_how, p_how, s_pair, e_mode, td_u32, proto, fd;
	const void *raw;
	__u32 size;

	(void)state;
	assert_non_null(b);
	i_int = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	i_long = btf__add_int(b, "long", 8, BTF_INT_SIGNED);
	i_char = btf__add_int(b, "char", 1, BTF_INT_SIGNED | BTF_INT_CHAR);
	i_u16 = btf__add_int(b, "unsigned short", 2, 0);
	i_u32 = btf__add_int(b, "unsigned int", 4, 0);
	i_bool = btf__add_int(b, "_Bool", 1, BTF_INT_BOOL);
	c_char = btf__add_const(b, i_char);
	p_char = btf__add_ptr(b, c_char);
	s_how = btf__add_struct(b, "open_how", 24);
	p_how = btf__add_ptr(b, s_how);
	s_pair = btf__add_struct(b, "pair", 16);
	btf__add_field(b, "x", i_long, 0, 0);
	btf__add_field(b, "y", i_long, 64, 0);
	e_mode = btf__add_enum(b, "mode", 4);
	btf__add_enum_value(b, "M_A", 1);
	td_u32 = btf__add_typedef(b, "u32", i_u32);

	proto = btf__add_func_proto(b, i_long);
	btf__add_func_param(b, "dfd", i_int);
	btf__add_func_param(b, "filename", p_char);
	btf__add_func_param(b, "how", p_how);
	btf__add_func(b, "do_sys_openat2", BTF_FUNC_STATIC, proto);

	proto = btf__add_func_proto(b, 0);
	btf__add_func(b, "bare", BTF_FUNC_GLOBAL, proto);

	proto = btf__add_func_proto(b, i_int);
	btf__add_func_param(b, "a", i_int);
	btf__add_func_param(b, "b", i_int);
	btf__add_func_param(b, "c", i_int);
	btf__add_func_param(b, "d", i_int);
	btf__add_func_param(b, "e", i_int);
	btf__add_func_param(b, "f", i_int);
	btf__add_func_param(b, "g", i_int);
	btf__add_func(b, "many", BTF_FUNC_GLOBAL, proto);

	proto = btf__add_func_proto(b, i_int);
	btf__add_func_param(b, "p", s_pair);
	btf__add_func_param(b, "u", i_u16);
	btf__add_func_param(b, "c", i_char);
	btf__add_func_param(b, "m", e_mode);
	btf__add_func(b, "byval", BTF_FUNC_GLOBAL, proto);

	proto = btf__add_func_proto(b, i_int);
	btf__add_func_param(b, "f", p_char);
	btf__add_func_param(b, NULL, 0);
	btf__add_func(b, "fmt", BTF_FUNC_GLOBAL, proto);

	proto = btf__add_func_proto(b, 0);
	btf__add_func_param(b, "flags", td_u32);
	btf__add_func_param(b, "b", i_bool);
	btf__add_func(b, "with_typedef", BTF_FUNC_GLOBAL, proto);

	raw = btf__raw_data(b, &size);
	assert_non_null(raw);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, raw, size), (ssize_t)size);
	close(fd);
	btf__free(b);
	return 0;
}

static int remove_btf(void **state)
{
	(void)state;
	unlink(path);
	return 0;
}

static const char *fmt(struct kf_btfargs *b, const char *func,
		       const uint64_t *regs, int n)
{
	static char buf[KF_BTF_ARGS_MAX];

	if (kf_btfargs_format(b, func, regs, n, buf, sizeof(buf)) < 0)
		return NULL;
	return buf;
}

static void test_format(void **state)
{
	struct kf_btfargs *b = kf_btfargs_new(path, NULL);
	/* an int's upper register half is undefined on x86-64: garbage */
	uint64_t open[6] = { 0xdeadbeefffffff9cull, 0x7ffd1234, 0xffffc900001,
			     9, 9, 9 };
	uint64_t seven[6] = { 1, 2, 3, 4, 5, (uint64_t)-6 };
	uint64_t pair[6] = { 0x11, 0x22, 0xffff0005, 0x41, 0xffffffff00000003ull,
			     0 };
	uint64_t td[6] = { 0x1234500000041ull, 1 };

	(void)state;
	assert_non_null(b);
	assert_int_equal(kf_btfargs_count(b), 6);
	assert_string_equal(fmt(b, "do_sys_openat2", open, 6),
			    "dfd=-100, filename=0x7ffd1234, how=0xffffc900001");
	assert_string_equal(fmt(b, "bare", open, 6), "");
	assert_string_equal(fmt(b, "many", seven, 6),
			    "a=1, b=2, c=3, d=4, e=5, f=-6, ...");
	assert_string_equal(fmt(b, "byval", pair, 6),
			    "p=(struct)[0x11:0x22], u=0x5, c=65, m=3");
	assert_string_equal(fmt(b, "fmt", open, 6), "f=0xdeadbeefffffff9c, ...");
	assert_string_equal(fmt(b, "with_typedef", td, 6), "flags=0x41, b=0x1");
	/* fewer registers than parameters: the rest is "..." */
	assert_string_equal(fmt(b, "do_sys_openat2", open, 1), "dfd=-100, ...");
	/* not in BTF (a .isra clone lost parameters): nothing, never a guess */
	assert_null(fmt(b, "do_sys_openat2.isra.0", open, 6));
	assert_null(fmt(b, "", open, 6));
	kf_btfargs_free(b);
}

static void test_small_buffer(void **state)
{
	struct kf_btfargs *b = kf_btfargs_new(path, NULL);
	uint64_t open[6] = { (uint64_t)-100, 0x7ffd1234, 0xffffc900001 };
	char buf[12];
	int n;

	(void)state;
	assert_non_null(b);
	memset(buf, 'x', sizeof(buf));
	n = kf_btfargs_format(b, "do_sys_openat2", open, 6, buf, sizeof(buf));
	assert_int_equal(n, (int)strlen(buf));
	assert_true(n < (int)sizeof(buf));
	assert_string_equal(buf, "dfd=-100, f");
	kf_btfargs_free(b);
}

static void test_bad_files(void **state)
{
	char junk[] = "/tmp/kf-btf-junk-XXXXXX";
	int fd = mkstemp(junk);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "not BTF at all\n", 15), 15);
	close(fd);
	assert_null(kf_btfargs_new(junk, NULL));
	assert_non_null(strstr(kf_err_msg(), "cannot read BTF"));
	assert_null(kf_btfargs_new("/nonexistent/btf", NULL));
	assert_non_null(strstr(kf_err_msg(), "/nonexistent/btf"));
	unlink(junk);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_small_buffer),
		cmocka_unit_test(test_bad_files),
	};

	return cmocka_run_group_tests(tests, write_btf, remove_btf);
}
