// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_srcmap.c - the source map: definitions found in C and assembly
 * text (and what is not one), kernel-doc summaries, the tar reader, and a
 * map built from a tar stream answering lookups, with config and capture
 * evidence narrowing names defined twice.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "kf_common.h"
#include "kf_explain.h"
#include "kf_render.h"
#include "kf_model.h"
#include "kf_srcmap.h"
#include "kf_strtab.h"

/* Definitions a scanner reported: "name:line[:i][ doc]" lines. */
struct seen {
	char buf[8192];
	size_t n;
};

static int collect(void *ctx, const char *name, size_t nlen, uint32_t line,
		   const char *doc, size_t dlen)
{
	struct seen *s = ctx;

	s->n += (size_t)snprintf(s->buf + s->n, sizeof(s->buf) - s->n,
				 "%.*s:%u%s%s%.*s\n", (int)nlen, name,
				 line & ~KF_SRC_INLINE,
				 line & KF_SRC_INLINE ? ":i" : "",
				 doc ? " " : "", (int)dlen, doc ? doc : "");
	return 0;
}

static const char *scan_c(struct seen *s, const char *text)
{
	memset(s, 0, sizeof(*s));
	assert_int_equal(kf_srcscan_c(text, strlen(text), collect, s), 0);
	return s->buf;
}

static void test_c_definitions(void **state)
{
	struct seen s;
	const char *text =
		"// SPDX: a { in a comment\n"                     /* 1 */
		"#include <linux/fs.h>\n"                         /* 2 */
		"#define BRACE(x) { x }\n"                        /* 3 */
		"static int proto(int a);\n"                      /* 4 */
		"static const struct fops f = {\n"                /* 5 */
		"\t.open = proto,\n"                              /* 6 */
		"};\n"                                            /* 7 */
		"static int __init\n"                             /* 8 */
		"plain(int a, const char *s)\n"                   /* 9 */
		"{\n"                                             /* 10 */
		"\tif (a) { return s[0] == '{'; }\n"              /* 11 */
		"\treturn \"}\"[0];\n"                            /* 12 */
		"}\n"                                             /* 13 */
		"void locked(struct x *p) __acquires(p->lock)\n"  /* 14 */
		"{\n"                                             /* 15 */
		"}\n"                                             /* 16 */
		"__printf(2, 3) int fmt(int l, const char *f, ...)\n" /* 17 */
		"{\n"                                             /* 18 */
		"}\n"                                             /* 19 */
		"int (*fp)(void) = NULL;\n"                       /* 20 */
		"static __always_inline int stub(void) { return 0; }\n" /* 21 */
		"DEFINE_MUTEX(m);\n"                              /* 22 */
		"MACRO_MADE(thing)\n"                             /* 23 */
		"{\n"                                             /* 24 */
		"}\n"                                             /* 25 */
		"DEFINE_BATCHED(u8)\n"                            /* 26 */
		"DEFINE_BATCHED(u16)\n"                           /* 27 */
		"noinline u32 __below(u32 c) __must_hold(x) __releases(y)\n" /* 28 */
		"{\n"                                             /* 29 */
		"}\n";                                            /* 30 */

	(void)state;
	assert_string_equal(scan_c(&s, text),
			    "plain:9\nlocked:14\nfmt:17\nstub:21:i\n"
			    "__below:28\n");
}

static void test_c_syscall_macros(void **state)
{
	struct seen s;

	(void)state;
	assert_string_equal(scan_c(&s,
		"SYSCALL_DEFINE3(openat, int, dfd, const char __user *, f,\n"
		"\t\tint, flags)\n{\n}\nSYSCALL_DEFINE0(getpid)\n{\n}\n"
		"BPF_CALL_2(bpf_map_x, int, a)\n{\n}\n"),
		"__x64_sys_openat:1\n__ia32_sys_openat:1\n__do_sys_openat:1\n"
		"__se_sys_openat:1\nsys_openat:1\n"
		"__x64_sys_getpid:5\n__ia32_sys_getpid:5\n__do_sys_getpid:5\n"
		"__se_sys_getpid:5\nsys_getpid:5\n"
		"bpf_map_x:8\n");
}

/* "#define name other_name" before a definition of name: the symbol
 * is other_name (qspinlock.c's native_queued_spin_lock_slowpath, then
 * its paravirt twin after an #undef and a second #define); a macro
 * with parameters, an expression or an uppercase target is no rename */
static void test_c_rename_define(void **state)
{
	struct seen s;

	(void)state;
	assert_string_equal(scan_c(&s,
		"#define slowpath\tnative_slowpath\n"              /* 1 */
		"#define fn(x) other(x)\n"                         /* 2 */
		"#define twice  (a * 2)\n"                         /* 3 */
		"#define loud LOUD_THING\n"                        /* 4 */
		"void __lockfunc slowpath(struct q *l, u32 v)\n"   /* 5 */
		"{\n}\n"                                          /* 6, 7 */
		"#undef slowpath\n"                               /* 8 */
		"#define slowpath __pv_slowpath /* paravirt */\n"  /* 9 */
		"void slowpath(struct q *l, u32 v)\n"              /* 10 */
		"{\n}\n"                                          /* 11, 12 */
		"#undef slowpath\n"                               /* 13 */
		"int slowpath(void)\n{\n}\n"                       /* 14 */
		"int fn(int a)\n{\n}\n"                            /* 17 */
		"int loud(void)\n{\n}\n"),                         /* 20 */
		"native_slowpath:5\nslowpath:5\n__pv_slowpath:10\n"
		"slowpath:10\nslowpath:14\nfn:17\nloud:20\n");
}

/* An #ifdef that opens a function twice: the column-0 brace that ends
 * it puts the count right, so the next function is still found. */
static void test_c_ifdef_resync(void **state)
{
	struct seen s;

	(void)state;
	assert_string_equal(scan_c(&s,
		"#ifdef CONFIG_A\n"
		"int twice(int a) {\n"
		"#else\n"
		"int twice(int a, int b) {\n"
		"#endif\n"
		"\treturn a;\n"
		"}\n"
		"int after(void)\n{\n}\n"),
		"twice:2\nafter:8\n");
}

static void test_c_kerneldoc(void **state)
{
	struct seen s;

	(void)state;
	assert_string_equal(scan_c(&s,
		"/**\n"
		" * vfs_open - open the file at the given path\n"
		" *   and more words\n"
		" *\n"
		" * @path: not part of it\n"
		" */\n"
		"int vfs_open(const struct path *path)\n{\n}\n"
		"/**\n"
		" * other() - about another function\n"
		" */\n"
		"int mismatch(void)\n{\n}\n"
		"/**\n"
		" * strncpy_from_user: - Copy a string.\n"
		" * @dst: x\n"
		" */\n"
		"long strncpy_from_user(char *dst)\n{\n}\n"
		"/* not kernel-doc */\n"
		"int plain(void)\n{\n}\n"),
		"vfs_open:7 open the file at the given path and more words\n"
		"mismatch:13\n"
		"strncpy_from_user:20 Copy a string.\n"
		"plain:24\n");
}

static void test_c_doc_cut(void **state)
{
	char text[4096];
	struct seen s;
	size_t n;
	const char *doc;

	(void)state;
	n = (size_t)snprintf(text, sizeof(text), "/**\n * longdoc - ");
	for (int i = 0; i < 60; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "word ");
	snprintf(text + n, sizeof(text) - n, "\n */\nint longdoc(void)\n{\n}\n");
	scan_c(&s, text);
	doc = strchr(s.buf, ' ') + 1;
	assert_true(strlen(doc) - 1 <= KF_SRC_DOC_MAX);
	assert_non_null(strstr(doc, "word..."));
}

static void test_asm(void **state)
{
	const char *text =
		"#include <linux/linkage.h>\n"
		"SYM_CODE_START(entry_SYSCALL_64)\n"
		"\tswapgs\n"
		"SYM_INNER_LABEL(entry_SYSCALL_64_after_hwframe, SYM_L_GLOBAL)\n"
		"  SYM_FUNC_START_LOCAL(helper)\n"
		"\tcall SYM_FUNC_START_x\n"
		"SYM_CODE_END(entry_SYSCALL_64)\n";
	struct seen s = { 0 };

	(void)state;
	assert_int_equal(kf_srcscan_asm(text, strlen(text), collect, &s), 0);
	assert_string_equal(s.buf, "entry_SYSCALL_64:2\n"
			    "entry_SYSCALL_64_after_hwframe:4\nhelper:5\n");
}

/* ---- a tar stream, written here by hand ---------------------------- */

struct tarbuf {
	char *buf;
	size_t len;
	FILE *f;
};

static void tar_header(FILE *f, const char *name, size_t size, char type)
{
	unsigned char h[512] = { 0 };
	unsigned sum = 0;

	snprintf((char *)h, 100, "%s", name);
	snprintf((char *)h + 100, 8, "%07o", 0644);
	snprintf((char *)h + 124, 12, "%011lo", (unsigned long)size & 077777777777ul);
	memset(h + 148, ' ', 8);
	h[156] = (unsigned char)type;
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	for (int i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	fwrite(h, 1, 512, f);
}

static void tar_data(FILE *f, const char *data, size_t len)
{
	static const char zeros[512];

	fwrite(data, 1, len, f);
	fwrite(zeros, 1, (512 - len % 512) % 512, f);
}

static void tar_file(FILE *f, const char *name, const char *text)
{
	size_t len = strlen(text);

	if (strlen(name) >= 100) { /* a GNU long name first */
		tar_header(f, "././@LongLink", strlen(name) + 1, 'L');
		tar_data(f, name, strlen(name) + 1);
	}
	tar_header(f, name, len, '0');
	tar_data(f, text, len);
}

static void tar_end(FILE *f)
{
	static const char zeros[1024];

	fwrite(zeros, 1, sizeof(zeros), f);
}

static const char long_path[] =
	"linux-6.1/drivers/a/very/long/directory/name/that/goes/on/and/on/"
	"past/the/hundred/bytes/of/a/ustar/name/field/deep.c";

/* A small kernel tree: path_init twice (fs/namei.c and a driver's own
 * static one), kmem_cache_alloc in slab.c and slub.c, gated by mm's
 * Makefile, an inline stub in a header, an arm64 file, a tool. */
static void tree_tar(struct tarbuf *t)
{
	t->f = open_memstream(&t->buf, &t->len);
	tar_header(t->f, "linux-6.1/", 0, '5');
	tar_file(t->f, "linux-6.1/fs/namei.c",
		 "static int path_init(int a)\n{\n}\n"
		 "/**\n * path_openat - open a path\n */\n"
		 "static int path_openat(int a)\n{\n\tpath_init(a);\n}\n"
		 "int do_filp_open(void)\n{\n}\n");
	tar_file(t->f, "linux-6.1/drivers/icc/core.c",
		 "static int path_init(void)\n{\n}\n");
	tar_file(t->f, "linux-6.1/mm/slab.c",
		 "void *kmem_cache_alloc(int s)\n{\n}\n");
	tar_file(t->f, "linux-6.1/mm/slub.c",
		 "\n\nvoid *kmem_cache_alloc(int s)\n{\n}\n");
	tar_file(t->f, "linux-6.1/mm/Makefile",
		 "obj-y := util.o\nobj-$(CONFIG_SLAB) += slab.o \\\n"
		 "\tother.o\nobj-$(CONFIG_SLUB) += slub.o\n");
	tar_file(t->f, "linux-6.1/include/linux/security.h",
		 "static inline int do_filp_open(void) { return 0; }\n");
	tar_file(t->f, "linux-6.1/arch/arm64/kernel/entry.c",
		 "void arm64_only(void)\n{\n}\n");
	tar_file(t->f, "linux-6.1/arch/x86/entry/entry_64.S",
		 "SYM_CODE_START(entry_SYSCALL_64)\n");
	tar_file(t->f, "linux-6.1/tools/perf/x.c", "int tool_only(void)\n{\n}\n");
	tar_file(t->f, "linux-6.1/lib/crypto/arm/b.S",
		 "SYM_FUNC_START(arm_crypto_only)\n");
	tar_file(t->f, "linux-6.1/lib/crypto/x86/b.S",
		 "SYM_FUNC_START(x86_crypto)\n");
	tar_file(t->f, long_path, "int deep_one(void)\n{\n}\n");
	tar_end(t->f);
	fflush(t->f);
}

static struct kf_srcmap *build_map(void)
{
	struct tarbuf t;
	char *out = NULL;
	size_t olen = 0;
	FILE *in, *o;
	struct kf_srcmap *m;

	tree_tar(&t);
	in = fmemopen(t.buf, t.len, "r");
	o = open_memstream(&out, &olen);
	assert_true(kf_srcmap_build(in, o, "6.1.192-3") > 0);
	fclose(in);
	fclose(o);
	fclose(t.f);
	free(t.buf);
	m = kf_srcmap_parse(out, olen);
	free(out);
	assert_non_null(m);
	return m;
}

static void test_map_build(void **state)
{
	struct kf_srcmap *m = build_map();
	const struct kf_srcloc *l;
	char url[256];
	int n;

	(void)state;
	assert_string_equal(kf_srcmap_version(m), "6.1.192-3");
	l = kf_srcmap_lookup(m, "path_openat.isra.0", &n);
	assert_non_null(l);
	assert_int_equal(n, 1);
	assert_string_equal(l->file, "fs/namei.c");
	assert_int_equal(l->line, 7);
	assert_string_equal(l->doc, "open a path");
	assert_string_equal(kf_srcmap_url(m, l, url, sizeof(url)),
			    "https://sources.debian.org/src/linux/6.1.192-3/"
			    "fs/namei.c/#L7");
	/* the header's inline stub gives way to the real definition */
	l = kf_srcmap_lookup(m, "do_filp_open", &n);
	assert_string_equal(l->file, "fs/namei.c");
	assert_int_equal(n, 1);
	l = kf_srcmap_lookup(m, "entry_SYSCALL_64", &n);
	assert_string_equal(l->file, "arch/x86/entry/entry_64.S");
	assert_non_null(kf_srcmap_lookup(m, "deep_one", &n));
	/* not what an x86-64 kernel is built from */
	assert_null(kf_srcmap_lookup(m, "arm64_only", &n));
	assert_null(kf_srcmap_lookup(m, "tool_only", &n));
	assert_null(kf_srcmap_lookup(m, "arm_crypto_only", &n));
	assert_int_equal(n, 0);
	assert_non_null(kf_srcmap_lookup(m, "x86_crypto", &n));
	/* two candidates, nothing to tell them apart yet */
	kf_srcmap_lookup(m, "path_init", &n);
	assert_int_equal(n, 2);
	kf_srcmap_free(m);
}

/* A capture whose one call runs path_openat, which calls path_init,
 * kmem_cache_alloc and do_filp_open. */
static void make_model(struct kf_model *mo)
{
	static const char *const fns[] = {
		"path_openat", "path_init", "kmem_cache_alloc", "do_filp_open",
	};
	uint32_t ids[4], ci;

	assert_int_equal(kf_model_init(mo), 0);
	for (size_t i = 0; i < 4; i++) {
		struct kf_node *n;

		ids[i] = kf_model_node_new(mo);
		assert_int_not_equal(ids[i], KF_NONE);
		n = kf_node_get(mo, ids[i]);
		n->func = kf_strtab_intern(&mo->strs, fns[i]);
		n->parent = i ? ids[0] : KF_NONE;
		n->child = KF_NONE;
		n->next = KF_NONE;
		n->depth = i ? 1 : 0;
		if (i > 1)
			kf_node_get(mo, ids[i - 1])->next = ids[i];
	}
	kf_node_get(mo, ids[0])->child = ids[1];
	ci = kf_model_call_new(mo);
	assert_int_not_equal(ci, KF_NONE);
	mo->calls[ci].root = ids[0];
}

static void test_map_narrowing(void **state)
{
	struct kf_srcmap *m = build_map();
	const struct kf_srcloc *l;
	struct kf_model mo;
	char cfg[] = "/tmp/kf-test-config-XXXXXX";
	int fd = mkstemp(cfg), n;
	FILE *f = fdopen(fd, "w");

	(void)state;
	fputs("CONFIG_SLUB=y\n# CONFIG_SLAB is not set\nCONFIG_X=m\n", f);
	fclose(f);
	make_model(&mo);
	assert_int_equal(kf_srcmap_bind(m, &mo, cfg), 0);
	/* the config builds slub.c, not slab.c */
	l = kf_srcmap_lookup(m, "kmem_cache_alloc", &n);
	assert_string_equal(l->file, "mm/slub.c");
	assert_int_equal(l->line, 3);
	assert_int_equal(n, 1);
	/* fs/namei.c defines the capture's other functions */
	l = kf_srcmap_lookup(m, "path_init", &n);
	assert_string_equal(l->file, "fs/namei.c");
	assert_int_equal(n, 1);
	/* without a config, slab.c and slub.c stay equal */
	assert_int_equal(kf_srcmap_bind(m, &mo, NULL), 0);
	kf_srcmap_free(m);
	m = build_map();
	assert_int_equal(kf_srcmap_bind(m, &mo, NULL), 0);
	kf_srcmap_lookup(m, "kmem_cache_alloc", &n);
	assert_int_equal(n, 2);
	kf_srcmap_free(m);
	kf_model_release(&mo);
	unlink(cfg);
}

static void test_tar_damaged(void **state)
{
	struct tarbuf t;
	FILE *in, *o;
	char *out = NULL;
	size_t olen = 0;

	(void)state;
	tree_tar(&t);
	fclose(t.f);
	t.buf[148] ^= 1; /* the first header's checksum */
	in = fmemopen(t.buf, t.len, "r");
	o = open_memstream(&out, &olen);
	assert_int_equal(kf_srcmap_build(in, o, "6.1.192-3"), -1);
	assert_non_null(strstr(kf_err_msg(), "checksum"));
	fclose(in);
	/* cut in the middle of a member */
	t.buf[148] ^= 1;
	in = fmemopen(t.buf, 512 * 3 + 100, "r");
	assert_int_equal(kf_srcmap_build(in, o, "6.1.192-3"), -1);
	assert_non_null(strstr(kf_err_msg(), "ends in the middle"));
	fclose(in);
	fclose(o);
	free(out);
	free(t.buf);
	kf_err_clear();
}

static void test_map_parse_errors(void **state)
{
	static const char *const bad[] = {
		"",
		"kfollow-srcmap 1\t6.1-1\tlinux\n",
		"kfollow-srcmap 6\t../x\tlinux\n",
		"kfollow-srcmap 6\t6.1-1\tlinux\nf\t/etc/passwd\t1\t\t\n",
		"kfollow-srcmap 6\t6.1-1\tlinux\nf\tfs/../x.c\t1\t\t\n",
		"kfollow-srcmap 6\t6.1-1\tlinux\nf\tfs/a.c\t0\t\t\n",
		"kfollow-srcmap 6\t6.1-1\tlinux\nf\tfs/a.c\t12x\t\t\n",
		"kfollow-srcmap 6\t6.1-1\tlinux\n=\tmm/slub\tSLUB\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct kf_srcmap *m = kf_srcmap_parse(bad[i], strlen(bad[i]));

		if (m)
			fail_msg("accepted bad map %zu", i);
		assert_int_equal(kf_err_code(), KF_EXIT_DATAERR);
		kf_err_clear();
	}
}

static void test_debian_version(void **state)
{
	struct kf_meta mt = { 0 };
	char buf[80];

	(void)state;
	mt.kernel_build = "#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-3 (2026-11-26)";
	assert_string_equal(kf_srcmap_debian_version(&mt, buf, sizeof(buf)),
			    "6.1.192-3");
	mt.kernel_build = "#1 SMP PREEMPT_DYNAMIC Debian 7.2.13-1 (2026-10-28)";
	assert_string_equal(kf_srcmap_debian_version(&mt, buf, sizeof(buf)),
			    "7.2.13-1");
	mt.kernel_build = "#1 SMP Debian ../../etc (x)";
	assert_null(kf_srcmap_debian_version(&mt, buf, sizeof(buf)));
	mt.kernel_build = "#42-Ubuntu SMP Tue Oct 1";
	assert_null(kf_srcmap_debian_version(&mt, buf, sizeof(buf)));
	mt.kernel_build = NULL;
	assert_null(kf_srcmap_debian_version(&mt, buf, sizeof(buf)));
}

static void test_explain(void **state)
{
	static const char good[] =
		"# kfollow's own lines\n\n"
		"_raw_spin_lock\ttakes a spinlock, spinning until it is free\t"
		"kernel/locking/spinlock.c\n"
		"path_openat\topens a path (kfollow)\tfs/namei.c\n";
	static const char *const bad[] = {
		"f\ttext\n",                         /* no file */
		"f\t\tfs/a.c\n",                     /* no text */
		"f g\ttext\tfs/a.c\n",               /* not a name */
		"f\ttext\t/etc/passwd\n",
		"f\ttext\tfs/../a.c\n",
		"f\ttext\x01\tfs/a.c\n",
		"f\ta\tfs/a.c\nf\tb\tfs/b.c\n",     /* twice */
		"f\ta\tfs/a.c\textra\n",
	};
	struct kf_explain *e = kf_explain_parse(good, strlen(good));
	struct kf_srcmap *m = build_map();
	const char *file = NULL;
	char buf[512];

	(void)state;
	assert_non_null(e);
	assert_int_equal(kf_explain_count(e), 2);
	assert_string_equal(kf_explain_get(e, "_raw_spin_lock", &file),
			    "takes a spinlock, spinning until it is free");
	assert_string_equal(file, "kernel/locking/spinlock.c");
	assert_non_null(kf_explain_get(e, "path_openat.isra.0", NULL));
	assert_null(kf_explain_get(e, "nosuch", NULL));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct kf_explain *b = kf_explain_parse(bad[i], strlen(bad[i]));

		if (b)
			fail_msg("accepted bad explanations %zu", i);
		assert_int_equal(kf_err_code(), KF_EXIT_DATAERR);
		kf_err_clear();
	}
	/* the kernel's kernel-doc wins, quoted; else kfollow's own line */
	assert_string_equal(kf_render_func_src(m, e, "path_openat", 1, buf,
					       sizeof(buf)),
			    "  [fs/namei.c:7]  # \"open a path\"");
	assert_string_equal(kf_render_func_src(NULL, e, "_raw_spin_lock", 1,
					       buf, sizeof(buf)),
			    "  # takes a spinlock, spinning until it is free");
	assert_string_equal(kf_render_func_src(m, e, "path_openat", 0, buf,
					       sizeof(buf)),
			    "  [fs/namei.c:7]");
	assert_string_equal(kf_render_func_src(m, NULL, "nosuch", 1, buf,
					       sizeof(buf)), "");
	kf_srcmap_free(m);
	kf_explain_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_c_definitions),
		cmocka_unit_test(test_c_syscall_macros),
		cmocka_unit_test(test_c_rename_define),
		cmocka_unit_test(test_c_ifdef_resync),
		cmocka_unit_test(test_c_kerneldoc),
		cmocka_unit_test(test_c_doc_cut),
		cmocka_unit_test(test_asm),
		cmocka_unit_test(test_map_build),
		cmocka_unit_test(test_map_narrowing),
		cmocka_unit_test(test_tar_damaged),
		cmocka_unit_test(test_map_parse_errors),
		cmocka_unit_test(test_debian_version),
		cmocka_unit_test(test_explain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
