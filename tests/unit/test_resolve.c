// SPDX-License-Identifier: GPL-2.0-or-later
/* test_resolve.c - syscall/function resolution and preset parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "kf_common.h"
#include "kf_plan.h"
#include "kf_preset.h"
#include "kf_resolve.h"

/* A kernel like 6.1 on x86-64, trimmed: entries, cores, a dispatcher. */
static const char *const funcs[] = {
	"__x64_sys_openat", "__x64_sys_read", "do_sys_openat2",
	"x64_sys_call", "vfs_read", "vfs_write", "__se_sys_foo",
	"path_openat", NULL,
};
static const char *const syscalls[] = {
	"close", "foo", "openat", "openat2", "read", NULL,
};

static void test_entry_root(void **state)
{
	struct kf_kinfo ki;
	struct kf_target t;

	assert_int_equal(kf_kinfo_init(&ki, funcs, syscalls, "x86_64"), 0);
	assert_int_equal(kf_resolve_syscall(&ki, "openat", NULL, 1, &t), 0);
	assert_string_equal(t.name, "openat");
	assert_string_equal(t.root, "__x64_sys_openat");
	assert_true(t.has_events);
	assert_false(t.shared);
	kf_target_release(&t);
	/* typed with a prefix */
	assert_int_equal(kf_resolve_syscall(&ki, "__x64_sys_read", NULL, 1, &t), 0);
	assert_string_equal(t.name, "read");
	assert_string_equal(t.root, "__x64_sys_read");
	kf_target_release(&t);
	assert_int_equal(kf_resolve_syscall(&ki, "sys_openat", NULL, 1, &t), 0);
	assert_string_equal(t.name, "openat");
	kf_target_release(&t);
	/* generic wrapper when the arch entry is missing */
	assert_int_equal(kf_resolve_syscall(&ki, "foo", NULL, 1, &t), 0);
	assert_string_equal(t.root, "__se_sys_foo");
	assert_false(t.shared);
	kf_target_release(&t);
	kf_kinfo_release(&ki);
}

/* No entry of its own: the dispatcher serves, shared with all syscalls. */
static void test_dispatcher(void **state)
{
	struct kf_kinfo ki;
	struct kf_target t;

	assert_int_equal(kf_kinfo_init(&ki, funcs, syscalls, "x86_64"), 0);
	assert_int_equal(kf_resolve_syscall(&ki, "close", NULL, 1, &t), 0);
	assert_string_equal(t.root, "x64_sys_call");
	assert_true(t.shared);
	kf_target_release(&t);
	kf_kinfo_release(&ki);
}

static void test_preset_roots(void **state)
{
	static const char *const no_entry[] = {
		"do_sys_openat2", "path_openat", NULL,
	};
	struct kf_preset p = { 0 };
	const char *text = "root @entry do_sys_openat2  # entry first\n";
	struct kf_kinfo ki;
	struct kf_target t;

	assert_int_equal(kf_preset_parse(&p, text, strlen(text), "t.preset"), 0);
	assert_int_equal(kf_kinfo_init(&ki, funcs, syscalls, "x86_64"), 0);
	assert_int_equal(kf_resolve_syscall(&ki, "openat", &p, 1, &t), 0);
	assert_string_equal(t.root, "__x64_sys_openat");
	kf_target_release(&t);
	kf_kinfo_release(&ki);
	/* entry inlined or notrace: the preset's core function, shared */
	assert_int_equal(kf_kinfo_init(&ki, no_entry, syscalls, "x86_64"), 0);
	assert_int_equal(kf_resolve_syscall(&ki, "openat", &p, 1, &t), 0);
	assert_string_equal(t.root, "do_sys_openat2");
	assert_true(t.shared);
	kf_target_release(&t);
	kf_kinfo_release(&ki);
	kf_preset_release(&p);
}

static void test_arm64(void **state)
{
	static const char *const arm[] = { "__arm64_sys_openat", NULL };
	struct kf_kinfo ki;
	struct kf_target t;

	assert_int_equal(kf_kinfo_init(&ki, arm, syscalls, "aarch64"), 0);
	assert_int_equal(kf_resolve_syscall(&ki, "openat", NULL, 1, &t), 0);
	assert_string_equal(t.root, "__arm64_sys_openat");
	kf_target_release(&t);
	kf_kinfo_release(&ki);
}

/* Unknown names list the nearest valid ones. */
static void test_unknown(void **state)
{
	struct kf_kinfo ki;
	struct kf_target t;

	assert_int_equal(kf_kinfo_init(&ki, funcs, syscalls, "x86_64"), 0);
	assert_int_equal(kf_resolve_syscall(&ki, "opnat", NULL, 1, &t), -1);
	assert_int_equal(kf_err_code(), KF_EXIT_USAGE);
	assert_non_null(strstr(kf_err_msg(), "unknown syscall 'opnat'"));
	assert_non_null(strstr(kf_err_msg(), "did you mean: openat"));
	kf_target_release(&t);
	assert_int_equal(kf_resolve_syscall(&ki, "zzzzzzzzzz", NULL, 1, &t), -1);
	assert_null(strstr(kf_err_msg(), "did you mean"));
	kf_target_release(&t);
	kf_kinfo_release(&ki);
}

/* Known syscall with no traceable root at all. */
static void test_no_root(void **state)
{
	static const char *const few[] = { "vfs_read", NULL };
	struct kf_kinfo ki;
	struct kf_target t;

	assert_int_equal(kf_kinfo_init(&ki, few, syscalls, "x86_64"), 0);
	assert_int_equal(kf_resolve_syscall(&ki, "openat", NULL, 1, &t), -1);
	assert_int_equal(kf_err_code(), KF_EXIT_UNAVAILABLE);
	assert_non_null(strstr(kf_err_msg(), "'__x64_sys_openat'"));
	kf_target_release(&t);
	/* boundary mode needs no root */
	assert_int_equal(kf_resolve_syscall(&ki, "openat", NULL, 0, &t), 0);
	assert_null(t.root);
	kf_target_release(&t);
	kf_kinfo_release(&ki);
}

/* Degraded kernel: no function list, events only. */
static void test_degraded(void **state)
{
	struct kf_kinfo ki;
	struct kf_target t;

	assert_int_equal(kf_kinfo_init(&ki, NULL, syscalls, "x86_64"), 0);
	assert_int_equal(kf_resolve_syscall(&ki, "openat", NULL, 0, &t), 0);
	kf_target_release(&t);
	assert_int_equal(kf_resolve_syscall(&ki, "openatt", NULL, 0, &t), -1);
	assert_non_null(strstr(kf_err_msg(), "openat"));
	kf_target_release(&t);
	assert_int_equal(kf_resolve_function(&ki, "vfs_read", &t), -1);
	assert_int_equal(kf_err_code(), KF_EXIT_UNAVAILABLE);
	kf_target_release(&t);
	kf_kinfo_release(&ki);
}

/* -N is checked before tracefs changes: a glob must match something;
 * without a function list there is nothing to check against. */
static void test_notrace(void **state)
{
	struct kf_kinfo ki;

	(void)state;
	assert_int_equal(kf_kinfo_init(&ki, funcs, syscalls, "x86_64"), 0);
	assert_int_equal(kf_resolve_notrace(&ki, "vfs_read"), 0);
	assert_int_equal(kf_resolve_notrace(&ki, "vfs_*"), 0);
	assert_int_equal(kf_resolve_notrace(&ki, "no_such_fn"), -1);
	assert_int_equal(kf_err_code(), KF_EXIT_USAGE);
	assert_non_null(strstr(kf_err_msg(), "cannot leave out 'no_such_fn'"));
	assert_int_equal(kf_resolve_notrace(&ki, "vfs_raed"), -1);
	assert_non_null(strstr(kf_err_msg(), "nearest: vfs_read"));
	kf_err_clear();
	kf_kinfo_release(&ki);
	assert_int_equal(kf_kinfo_init(&ki, NULL, syscalls, "x86_64"), 0);
	assert_int_equal(kf_resolve_notrace(&ki, "no_such_fn"), 0);
	kf_kinfo_release(&ki);
}

/* --retval: globs to functions, each once, at most KF_RETVAL_MAX; the
 * user's must match, a preset's may not (functions move). */
static void test_retval(void **state)
{
	char *both[] = { "vfs_*", "vfs_read", "path_openat" };
	char *missing[] = { "no_such_fn", "vfs_read" };
	const char **out;
	const char *many[KF_RETVAL_MAX + 3];
	char names[KF_RETVAL_MAX + 2][16];
	char *star[] = { "f_*" };
	struct kf_kinfo ki;
	int n, i;

	(void)state;
	assert_int_equal(kf_kinfo_init(&ki, funcs, syscalls, "x86_64"), 0);
	assert_int_equal(kf_resolve_retval(&ki, both, 3, 1, &out, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(out[0], "vfs_read");
	assert_string_equal(out[1], "vfs_write");
	assert_string_equal(out[2], "path_openat");
	free(out);
	assert_int_equal(kf_resolve_retval(&ki, missing, 2, 1, &out, &n), -1);
	assert_int_equal(kf_err_code(), KF_EXIT_USAGE);
	assert_non_null(strstr(kf_err_msg(), "--retval 'no_such_fn'"));
	kf_err_clear();
	assert_int_equal(kf_resolve_retval(&ki, missing, 2, 0, &out, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(out[0], "vfs_read");
	free(out);
	kf_kinfo_release(&ki);

	/* one more than the limit */
	for (i = 0; i < KF_RETVAL_MAX + 1; i++) {
		snprintf(names[i], sizeof(names[i]), "f_%d", i);
		many[i] = names[i];
	}
	many[i] = NULL;
	assert_int_equal(kf_kinfo_init(&ki, many, syscalls, "x86_64"), 0);
	assert_int_equal(kf_resolve_retval(&ki, star, 1, 0, &out, &n), -1);
	assert_int_equal(kf_err_code(), KF_EXIT_USAGE);
	assert_non_null(strstr(kf_err_msg(), "more than 32 functions"));
	kf_err_clear();
	assert_int_equal(kf_resolve_retval(&ki, star, 0, 1, &out, &n), 0);
	assert_int_equal(n, 0);
	kf_kinfo_release(&ki);
}

static void test_functions(void **state)
{
	struct kf_kinfo ki;
	struct kf_target t;

	assert_int_equal(kf_kinfo_init(&ki, funcs, syscalls, "x86_64"), 0);
	assert_int_equal(kf_resolve_function(&ki, "vfs_*", &t), 0);
	assert_int_equal(t.nmatch, 2);
	assert_string_equal(t.root, "vfs_*");
	kf_target_release(&t);
	assert_int_equal(kf_resolve_function(&ki, "vfs_raed", &t), -1);
	assert_non_null(strstr(kf_err_msg(), "nearest: vfs_read"));
	kf_target_release(&t);
	assert_int_equal(kf_resolve_function(&ki, "nosuch*", &t), -1);
	kf_target_release(&t);
	kf_kinfo_release(&ki);
}

/* A word with nothing near suggests nothing: no "nearest: " with an empty
 * name after it (the string table's slot 0 is ""), no name that shares
 * nothing with the word. */
static void test_nearest_nothing(void **state)
{
	static const char *const names[] = { "", "ab", "x", "vfs_read" };
	struct kf_kinfo ki;
	struct kf_target t;
	char near[64];

	(void)state;
	kf_nearest("[", names, 4, near, sizeof(near), 3);
	assert_string_equal(near, "");
	kf_nearest("vfs_raed", names, 4, near, sizeof(near), 3);
	assert_string_equal(near, "vfs_read");
	assert_int_equal(kf_kinfo_init(&ki, funcs, syscalls, "x86_64"), 0);
	assert_int_equal(kf_resolve_function(&ki, "[", &t), -1);
	assert_null(strstr(kf_err_msg(), "nearest"));
	kf_target_release(&t);
	kf_kinfo_release(&ki);
}

static void test_preset_parse(void **state)
{
	const char *text =
		"# openat\n"
		"syscall openat openat2\n"
		"root @entry do_sys_openat2\n"
		"notrace __cond_resched   # scheduler point\n"
		"notrace rcu_read_*\n"
		"max-depth 24\n"
		"min-duration 2us\n"
		"layer path_openat vfs\n"
		"retval may_open inode_permission   # the verdicts\n"
		"retval path_openat\n"
		"\n";
	struct kf_preset p = { 0 };

	assert_int_equal(kf_preset_parse(&p, text, strlen(text), "o.preset"), 0);
	assert_int_equal(p.nsyscalls, 2);
	assert_string_equal(p.syscalls[1], "openat2");
	assert_int_equal(p.nroots, 2);
	assert_int_equal(p.nnotrace, 2);
	assert_string_equal(p.notrace[0], "__cond_resched");
	assert_int_equal(p.max_depth, 24);
	assert_int_equal(p.min_duration, 2000);
	assert_int_equal(p.nlayers, 1);
	assert_string_equal(p.layers[0].name, "vfs");
	assert_int_equal(p.nretval, 3);
	assert_string_equal(p.retval[2], "path_openat");
	kf_preset_release(&p);
}

/* Text for people: the rest of the line, trimmed; descriptions join. */
static void test_preset_text(void **state)
{
	const char *text =
		"description The open lab:  the walk.\n"
		"description And the filesystem.   # why\n"
		"command kfollow --vm openat -- cat /tmp/demo.txt\n"
		"note link_path_walk walks the path; see \"namei.c\".\n"
		"note fd_install ends it\t\n";
	struct kf_preset p = { 0 };

	(void)state;
	assert_int_equal(kf_preset_parse(&p, text, strlen(text), "t.preset"), 0);
	assert_string_equal(p.description,
			    "The open lab:  the walk. And the filesystem.");
	assert_int_equal(p.ncommands, 1);
	assert_string_equal(p.commands[0],
			    "kfollow --vm openat -- cat /tmp/demo.txt");
	assert_int_equal(p.nnotes, 2);
	assert_string_equal(p.notes[1], "fd_install ends it");
	kf_preset_release(&p);
}

static void expect_bad(const char *text, size_t len, const char *msg)
{
	struct kf_preset p = { 0 };

	assert_int_equal(kf_preset_parse(&p, text, len, "bad.preset"), -1);
	if (!strstr(kf_err_msg(), msg))
		fail_msg("message '%s' lacks '%s'", kf_err_msg(), msg);
	assert_int_equal(kf_err_code(), KF_EXIT_DATAERR);
	kf_preset_release(&p);
}

static void test_preset_errors(void **state)
{
	expect_bad("exec /bin/sh\n", 13, "line 1: unknown directive 'exec' "
		   "(expected syscall, root, notrace, max-depth, min-duration, "
		   "layer, scope, retval, description, command or note)");
	expect_bad("description\n", 12, "invalid value for 'description'");
	expect_bad("note a\033[2Jb\n", 12, "invalid value for 'note'");
	expect_bad("layer a b c\n", 12, "invalid value for 'layer'");
	expect_bad("root a;b\n", 9, "'a;b' is not a function");
	expect_bad("max-depth 0\n", 12, "invalid value for 'max-depth'");
	expect_bad("max-depth 5 6\n", 14, "invalid value");
	expect_bad("min-duration fast\n", 18, "invalid duration");
	expect_bad("layer vfs\n", 10, "expected 'layer GLOB NAME'");
	expect_bad("root a\0b\n", 9, "NUL byte");
	expect_bad("\n\nnotrace $(rm)\n", 16, "line 3");
}

/* The capture and the TUI find a syscall's preset the same way: the
 * entry point's prefix left off, never a file. */
static void test_preset_for_syscall(void **state)
{
	char dir[] = "/tmp/kf-test-presets-XXXXXX", path[64];
	struct kf_preset p;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/openat.preset", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("syscall openat\nlayer path_openat vfs\n", f);
	fclose(f);
	setenv("KFOLLOW_PRESETS", dir, 1);
	assert_int_equal(kf_preset_load_syscall(&p, "__x64_sys_openat"), 0);
	assert_string_equal(p.name, "openat");
	assert_int_equal(p.nlayers, 1);
	kf_preset_release(&p);
	assert_int_equal(kf_preset_load_syscall(&p, "sys_openat"), 0);
	kf_preset_release(&p);
	assert_int_equal(kf_preset_load_syscall(&p, "openat"), 0);
	kf_preset_release(&p);
	assert_int_equal(kf_preset_load_syscall(&p, "read"), 1);
	/* a path or a .preset name is not looked at */
	assert_int_equal(kf_preset_load_syscall(&p, path), 1);
	assert_int_equal(kf_preset_load_syscall(&p, "openat.preset"), 1);
	unsetenv("KFOLLOW_PRESETS");
	unlink(path);
	rmdir(dir);
}

static void write_preset(const char *dir, const char *name,
			 const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.preset", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* One plan for the capture and the TUI: which presets apply, and what
 * they add to the options. */
static void test_plan(void **state)
{
	char dir[] = "/tmp/kf-test-plan-XXXXXX", cmd[64];
	char *sys[] = { "openat", "read" }, *nt[] = { "mine" };
	struct kf_opts o = { 0 };
	struct kf_model m;
	struct kf_plan p;

	(void)state;
	assert_non_null(mkdtemp(dir));
	write_preset(dir, "openat", "syscall openat\nnotrace a b\n"
		     "max-depth 9\nlayer path_* vfs\n");
	write_preset(dir, "lab", "syscall openat close\nlayer x y\n"
		     "layer z w\n");
	write_preset(dir, "close", "root @entry x y\nbogus\n");
	setenv("KFOLLOW_PRESETS", dir, 1);

	/* a preset per syscall, where there is one; the options first */
	o.syscalls = sys;
	o.nsyscalls = 2;
	o.notrace = nt;
	o.nnotrace = 1;
	assert_int_equal(kf_plan_make(&p, &o, NULL), 0);
	assert_int_equal(p.npresets, 1);
	assert_int_equal(p.nsyscalls, 2);
	assert_int_equal(p.nnotrace, 3);
	assert_string_equal(p.notrace[0], "mine");
	assert_string_equal(p.notrace[2], "b");
	assert_int_equal(p.max_depth, 9);
	assert_int_equal(p.nlayers, 1);
	assert_string_equal(p.layers[0].name, "vfs");
	assert_ptr_equal(kf_plan_preset_for(&p, "openat"), &p.presets[0]);
	assert_null(kf_plan_preset_for(&p, "read"));
	kf_plan_release(&p);
	o.max_depth = 3;
	assert_int_equal(kf_plan_make(&p, &o, NULL), 0);
	assert_int_equal(p.max_depth, 3);
	kf_plan_release(&p);

	/* -P: its syscalls when none is named; it speaks for every one */
	memset(&o, 0, sizeof(o));
	o.preset = "lab";
	assert_int_equal(kf_plan_make(&p, &o, NULL), 0);
	assert_int_equal(p.nsyscalls, 2);
	assert_string_equal(p.syscalls[1], "close");
	assert_int_equal(p.nlayers, 2);
	assert_ptr_equal(kf_plan_preset_for(&p, "write"), &p.presets[0]);
	kf_plan_release(&p);

	/* --no-preset: none */
	memset(&o, 0, sizeof(o));
	o.syscalls = sys;
	o.nsyscalls = 1;
	o.no_preset = 1;
	assert_int_equal(kf_plan_make(&p, &o, NULL), 0);
	assert_int_equal(p.npresets, 0);
	assert_int_equal(p.nlayers, 0);
	kf_plan_release(&p);

	/* a capture read back: its syscalls pick the presets */
	memset(&o, 0, sizeof(o));
	assert_int_equal(kf_model_init(&m), 0);
	assert_int_not_equal(kf_model_sys_get(&m, "__x64_sys_openat"),
			     KF_NONE);
	assert_int_equal(kf_plan_make(&p, &o, &m), 0);
	assert_int_equal(p.npresets, 1);
	assert_string_equal(p.presets[0].name, "openat");
	kf_plan_release(&p);

	/* a malformed preset is an error, not a silent nothing */
	assert_int_not_equal(kf_model_sys_get(&m, "close"), KF_NONE);
	assert_int_equal(kf_plan_make(&p, &o, &m), -1);
	assert_non_null(strstr(kf_err_msg(), "unknown directive 'bogus'"));
	kf_plan_release(&p);
	kf_model_release(&m);

	unsetenv("KFOLLOW_PRESETS");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* --scope through the subsystem map, and the functions it matches */
static void test_plan_scope(void **state)
{
	char dir[] = "/tmp/kf-test-scope-XXXXXX", cmd[64];
	char *sys[] = { "openat" };
	char *scope[] = { "vfs", "my_fn", "d_*" };
	const char *avail = "vfs_read\nd_alloc\npath_openat\nmy_fn\n"
			    "ext4_file_open [ext4]\nvfs_write\nzz_x_iter\n";
	struct kf_opts o = { 0 };
	struct kf_plan p;
	int hits[8] = { 0 };
	char *idx = NULL;

	(void)state;
	assert_non_null(mkdtemp(dir));
	write_preset(dir, "subsystems", "layer vfs_* vfs\nlayer d_* vfs\n"
		     "layer path_openat vfs\nlayer gone_fn vfs\n"
		     "layer ext4_* ext4\n");
	write_preset(dir, "openat", "syscall openat\nscope ext4\n"
		     "layer path_openat open\n");
	setenv("KFOLLOW_PRESETS", dir, 1);

	/* a subsystem stands for its globs, once each; others as given */
	o.syscalls = sys;
	o.nsyscalls = 1;
	o.scope = scope;
	o.nscope = 3;
	assert_int_equal(kf_plan_make(&p, &o, NULL), 0);
	/* the map labels the trees too, after the preset's own layers */
	assert_int_equal(p.nlayers, 6);
	assert_string_equal(p.layers[0].name, "open");
	assert_string_equal(p.layers[1].glob, "vfs_*");
	assert_string_equal(p.layers[5].name, "ext4");
	assert_int_equal(p.nscope, 5);
	assert_string_equal(p.scope[0], "vfs_*");
	assert_string_equal(p.scope[3], "gone_fn");
	assert_string_equal(p.scope[4], "my_fn");
	assert_int_equal(p.scope_literal[3], 0);
	assert_int_equal(p.scope_literal[4], 1);
	assert_string_equal(p.scope_names, "vfs,my_fn,d_*");
	/* 1-based indexes of the matches; a glob that matches nothing
	 * counts 0 (the capture skips it, or refuses a literal one) */
	assert_int_equal(kf_plan_scope_match(&p, avail, &idx, hits), 5);
	assert_string_equal(idx, "1 2 3 4 6");
	assert_int_equal(hits[0], 2);
	assert_int_equal(hits[3], 0);
	assert_int_equal(hits[4], 1);
	free(idx);
	kf_plan_release(&p);

	/* without --scope, the preset's; ":mod:" and mid-string globs */
	o.scope = NULL;
	o.nscope = 0;
	assert_int_equal(kf_plan_make(&p, &o, NULL), 0);
	assert_int_equal(p.nscope, 1);
	assert_string_equal(p.scope_names, "ext4");
	kf_plan_release(&p);
	{
		char *more[] = { ":mod:ext4", "zz_*_iter" };

		o.scope = more;
		o.nscope = 2;
		memset(hits, 0, sizeof(hits));
		assert_int_equal(kf_plan_make(&p, &o, NULL), 0);
		assert_int_equal(kf_plan_scope_match(&p, avail, &idx, hits),
				 2);
		assert_string_equal(idx, "5 7");
		free(idx);
		kf_plan_release(&p);
	}

	/* no map: one clear line */
	snprintf(cmd, sizeof(cmd), "rm %s/subsystems.preset", dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(kf_plan_make(&p, &o, NULL), -1);
	assert_non_null(strstr(kf_err_msg(), "subsystem map"));
	kf_plan_release(&p);

	unsetenv("KFOLLOW_PRESETS");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_notrace),
		cmocka_unit_test(test_retval),
		cmocka_unit_test(test_entry_root),
		cmocka_unit_test(test_dispatcher),
		cmocka_unit_test(test_preset_roots),
		cmocka_unit_test(test_arm64),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_no_root),
		cmocka_unit_test(test_degraded),
		cmocka_unit_test(test_functions),
		cmocka_unit_test(test_nearest_nothing),
		cmocka_unit_test(test_preset_parse),
		cmocka_unit_test(test_preset_text),
		cmocka_unit_test(test_preset_errors),
		cmocka_unit_test(test_preset_for_syscall),
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_plan_scope),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
