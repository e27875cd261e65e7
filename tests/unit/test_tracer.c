// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_tracer.c - the undo log against a fake tracefs directory of plain
 * files.  Plain files cannot show the kernel's banners ("no pid"), so these
 * tests check what was written and what restore writes back; the
 * real-kernel tests check byte-identical restores on real tracefs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "kf_common.h"
#include "kf_journal.h"
#include "kf_resolve.h"
#include "kf_tracer.h"
#include "fakedir.h"

static char dir[] = "/tmp/kf-fake-tracefs-XXXXXX";

static void put(const char *file, const char *content)
{
	fake_put(dir, file, content);
}

static char *get(const char *file)
{
	static char buf[4096];
	char path[512];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static int setup(void **state)
{
	char path[512];

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/options", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/instances", dir);
	mkdir(path, 0755);
	put("current_tracer", "nop\n");
	put("tracing_on", "1\n");
	put("set_graph_function", "#### all functions enabled ####\n");
	put("set_ftrace_filter", "vfs_read\next4_file_open [ext4]\n"
				 "schedule:traceoff:unlimited\n*:mod:xfs\n");
	put("set_ftrace_pid", "no pid\n");
	put("set_event_pid", "12\n34\n");
	put("buffer_size_kb", "7 (expanded: 1408)\n");
	put("trace_clock", "[local] global counter uptime\n");
	put("options/function-fork", "0\n");
	put("error_log", "");
	put("dynamic_events", "");
	return 0;
}

static int teardown(void **state)
{
	fake_remove(dir, "/tmp/kf-fake-tracefs-XXXXXX");
	return 0;
}

/* Writes land; restore puts back the old values, newest change first. */
static void test_write_restore(void **state)
{
	struct kf_tracer t;

	assert_int_equal(kf_tracer_open(&t, dir, NULL), 0);
	assert_int_equal(kf_tracer_write(&t, 0, "tracing_on", "0"), 0);
	assert_int_equal(kf_tracer_write(&t, 0, "current_tracer",
					 "function_graph"), 0);
	assert_int_equal(kf_tracer_write(&t, 0, "options/function-fork", "1"), 0);
	assert_int_equal(kf_tracer_write(&t, 0, "tracing_on", "1"), 0);
	assert_string_equal(get("current_tracer"), "function_graph\n");
	assert_string_equal(get("options/function-fork"), "1\n");
	/* tracing_on was saved once, before its first change */
	assert_int_equal(t.nundo, 3);

	assert_int_equal(kf_tracer_restore(&t), 0);
	assert_string_equal(get("current_tracer"), "nop\n");
	assert_string_equal(get("tracing_on"), "1\n");
	assert_string_equal(get("options/function-fork"), "0\n");
	assert_int_equal(kf_tracer_verify(&t), 0);
	/* a second restore is a no-op */
	put("current_tracer", "function\n");
	assert_int_equal(kf_tracer_restore(&t), 0);
	assert_string_equal(get("current_tracer"), "function\n");
	kf_tracer_release(&t);
}

/* The stop: the tracer's switch off (a thread) and set_event_pid (this
 * one) at once, then everything else in order; each undone once. */
static void test_restore_files_overlap(void **state)
{
	struct kf_tracer t;
	size_t i;

	(void)state;
	assert_int_equal(kf_tracer_open(&t, dir, NULL), 0);
	assert_int_equal(kf_tracer_write(&t, 0, "tracing_on", "0"), 0);
	assert_int_equal(kf_tracer_write(&t, 0, "set_event_pid", "99"), 0);
	assert_int_equal(kf_tracer_write(&t, 0, "options/function-fork", "1"), 0);
	assert_int_equal(kf_tracer_write(&t, 0, "current_tracer",
					 "function_graph"), 0);
	assert_int_equal(kf_tracer_restore_files(&t), 0);
	assert_string_equal(get("current_tracer"), "nop\n");
	assert_string_equal(get("set_event_pid"), "12\n34\n");
	assert_string_equal(get("options/function-fork"), "0\n");
	assert_string_equal(get("tracing_on"), "1\n");
	for (i = 0; i < t.nundo; i++)
		assert_true(t.undo[i].done);
	assert_int_equal(kf_tracer_restore(&t), 0);
	kf_tracer_release(&t);
	/* something written after the tracer: no overlap, all in order */
	assert_int_equal(kf_tracer_open(&t, dir, NULL), 0);
	assert_int_equal(kf_tracer_write(&t, 0, "current_tracer",
					 "function_graph"), 0);
	assert_int_equal(kf_tracer_write(&t, 0, "set_event_pid", "7"), 0);
	assert_int_equal(kf_tracer_write(&t, 0, "tracing_on", "0"), 0);
	assert_int_equal(kf_tracer_restore_files(&t), 0);
	assert_string_equal(get("current_tracer"), "nop\n");
	assert_string_equal(get("set_event_pid"), "12\n34\n");
	assert_string_equal(get("tracing_on"), "1\n");
	assert_int_equal(kf_tracer_restore(&t), 0);
	kf_tracer_release(&t);
}

/* List files: banners restore as empty, modules and probes are handled. */
static void test_lists(void **state)
{
	struct kf_tracer t;

	assert_int_equal(kf_tracer_open(&t, dir, NULL), 0);
	assert_int_equal(kf_tracer_write(&t, 0, "set_graph_function",
					 "__x64_sys_openat"), 0);
	assert_int_equal(kf_tracer_append(&t, 0, "set_graph_function",
					  "do_sys_openat2"), 0);
	assert_string_equal(get("set_graph_function"),
			    "__x64_sys_openat\ndo_sys_openat2\n");
	assert_int_equal(kf_tracer_write(&t, 0, "set_ftrace_filter", ""), 0);
	assert_int_equal(kf_tracer_write(&t, 0, "set_ftrace_pid", "99"), 0);
	assert_int_equal(kf_tracer_write(&t, 0, "set_event_pid", "99"), 0);
	assert_int_equal(kf_tracer_restore(&t), 0);

	/* the kernel shows the banner again after truncation; a plain file
	 * is simply empty */
	assert_string_equal(get("set_graph_function"), "");
	assert_string_equal(get("set_ftrace_pid"), "");
	assert_string_equal(get("set_event_pid"), "12\n34\n");
	/* "[ext4]" dropped, probe not re-added (truncation keeps probes),
	 * :mod: kept */
	assert_string_equal(get("set_ftrace_filter"),
			    "vfs_read\next4_file_open\n*:mod:xfs\n");
	/* verify reports the files whose bytes differ from the original */
	assert_int_equal(kf_tracer_verify(&t), 3);
	kf_tracer_release(&t);
}

/* buffer_size_kb and trace_clock read back in forms that do not write. */
static void test_odd_formats(void **state)
{
	struct kf_tracer t;

	assert_int_equal(kf_tracer_open(&t, dir, NULL), 0);
	assert_int_equal(kf_tracer_write(&t, 0, "buffer_size_kb", "8192"), 0);
	assert_int_equal(kf_tracer_write(&t, 0, "trace_clock", "global"), 0);
	assert_int_equal(kf_tracer_restore(&t), 0);
	assert_string_equal(get("buffer_size_kb"), "1408\n");
	assert_string_equal(get("trace_clock"), "local\n");
	kf_tracer_release(&t);
}

/* A private instance: its files are not saved; restore removes it. */
static void test_instance(void **state)
{
	struct kf_tracer t;
	char path[600];
	struct stat st;

	assert_int_equal(kf_tracer_open(&t, dir, NULL), 0);
	assert_int_equal(kf_tracer_instance_create(&t), 0);
	snprintf(path, sizeof(path), "%s/instances/kfollow-%d", dir,
		 (int)getpid());
	assert_int_equal(stat(path, &st), 0);
	snprintf(path, sizeof(path), "instances/kfollow-%d/tracing_on",
		 (int)getpid());
	put(path, "1\n");
	assert_int_equal(kf_tracer_write(&t, 1, "tracing_on", "0"), 0);
	assert_string_equal(get(path), "0\n");
	assert_int_equal(t.nundo, 1); /* only the rmdir */
	/* the rmdir of a non-empty plain directory fails: make it empty */
	snprintf(path, sizeof(path), "%s/instances/kfollow-%d/tracing_on", dir,
		 (int)getpid());
	unlink(path);
	assert_int_equal(kf_tracer_restore(&t), 0);
	snprintf(path, sizeof(path), "%s/instances/kfollow-%d", dir,
		 (int)getpid());
	assert_int_not_equal(stat(path, &st), 0);
	kf_tracer_release(&t);
}

/* Dynamic events are removed by appending their removal command. */
static void test_dynevent(void **state)
{
	struct kf_tracer t;

	assert_int_equal(kf_tracer_open(&t, dir, NULL), 0);
	assert_int_equal(kf_tracer_dynevent(&t,
		"p:kfollow_1/openat_1 __x64_sys_openat a=+0(+104(%di)):ustring",
		"-:kfollow_1/openat_1"), 0);
	/* the event's own files are kfollow's: not saved, not verified */
	{
		char cmd[700];

		snprintf(cmd, sizeof(cmd), "mkdir -p %s/events/kfollow_1/openat_1"
			 " && echo 0 > %s/events/kfollow_1/openat_1/enable",
			 dir, dir);
		assert_int_equal(system(cmd), 0);
		assert_int_equal(kf_tracer_write(&t, 0,
			"events/kfollow_1/openat_1/enable", "1"), 0);
		/* only a "0" to disable it before its removal */
		assert_int_equal(t.nundo, 2);
		assert_null(t.undo[1].orig);
	}
	assert_int_equal(kf_tracer_restore(&t), 0);
	/* no group enable file here: the event's own "0" */
	assert_string_equal(get("events/kfollow_1/openat_1/enable"), "0\n");
	/* the group's removal, which takes the event with it */
	assert_string_equal(get("dynamic_events"),
		"p:kfollow_1/openat_1 __x64_sys_openat a=+0(+104(%di)):ustring\n"
		"-:kfollow_1/\n");
	assert_int_equal(kf_tracer_verify(&t), 0);
	kf_tracer_release(&t);
}

/*
 * A group of kfollow's events goes in two writes, however many it holds:
 * "0" to the group's enable file, then "-:GROUP/" (6.1 took 55-74 ms for
 * each event probe's removal alone).  Another group's events, and an
 * event of another's, are left to their own undo.
 */
static void test_dynevent_group(void **state)
{
	static const char *ev[] = { "open_0", "openat_1", "creat_0" };
	struct kf_tracer t;
	char cmd[900], def[128], rm[64], en[128];
	size_t i;

	put("events/kfollow_1/enable", "1\n");
	assert_int_equal(kf_tracer_open(&t, dir, NULL), 0);
	for (i = 0; i < 3; i++) {
		snprintf(def, sizeof(def), "e:kfollow_1/%s syscalls.x", ev[i]);
		snprintf(rm, sizeof(rm), "-:kfollow_1/%s", ev[i]);
		assert_int_equal(kf_tracer_dynevent(&t, def, rm), 0);
		snprintf(cmd, sizeof(cmd), "mkdir -p %s/events/kfollow_1/%s",
			 dir, ev[i]);
		assert_int_equal(system(cmd), 0);
		snprintf(en, sizeof(en), "events/kfollow_1/%s/enable", ev[i]);
		put(en, "0\n");
		assert_int_equal(kf_tracer_write(&t, 0, en, "1"), 0);
	}
	/* another group's event (kfollow_2 is not this tracer's) */
	put("events/other/e/enable", "1\n");
	assert_int_equal(kf_tracer_write(&t, 0, "events/other/e/enable", "0"),
			 0);
	assert_int_equal(kf_tracer_restore(&t), 0);
	assert_string_equal(get("events/kfollow_1/enable"), "0\n");
	/* the events' own files were not written again */
	for (i = 0; i < 3; i++) {
		snprintf(en, sizeof(en), "events/kfollow_1/%s/enable", ev[i]);
		assert_string_equal(get(en), "1\n");
	}
	assert_string_equal(get("events/other/e/enable"), "1\n");
	assert_string_equal(get("dynamic_events"),
		"e:kfollow_1/open_0 syscalls.x\n"
		"e:kfollow_1/openat_1 syscalls.x\n"
		"e:kfollow_1/creat_0 syscalls.x\n"
		"-:kfollow_1/\n");
	kf_tracer_release(&t);
}

/* A failed write says what, where and why; nothing is left half-done. */
static void test_write_error(void **state)
{
	struct kf_tracer t;

	assert_int_equal(kf_tracer_open(&t, dir, NULL), 0);
	assert_int_equal(kf_tracer_write(&t, 0, "no_such_file", "1"), -1);
	assert_non_null(strstr(kf_err_msg(), "no_such_file"));
	assert_non_null(strstr(kf_err_msg(), "cannot read"));
	assert_int_equal(t.nundo, 0);
	kf_tracer_release(&t);
}

/* A directory that does not exist is refused with its name. */
static void test_open_missing(void **state)
{
	struct kf_tracer t;

	assert_int_equal(kf_tracer_open(&t, "/nonexistent/tracefs", NULL), -1);
	assert_non_null(strstr(kf_err_msg(), "'/nonexistent/tracefs'"));
	assert_int_equal(kf_err_code(), KF_EXIT_UNAVAILABLE);
	kf_tracer_release(&t);
}

/* ---- the journal ------------------------------------------------------ */

static char jdir[600];

static void journal_path(char *buf, size_t len)
{
	snprintf(buf, len, "%s/journal", jdir);
}

/* The journal directory lives inside the fake tracefs dir (removed with
 * it by teardown). */
static void jdir_set(void)
{
	snprintf(jdir, sizeof(jdir), "%s/run/kfollow", dir);
}

/*
 * A run killed after its changes (release without restore drops the lock,
 * as death does): the next run replays the journal before anything else,
 * the files come back, and its own clean exit removes the journal.
 */
static void test_journal_killed(void **state)
{
	struct kf_tracer t, t2;
	char jp[700];
	struct stat st;

	(void)state;
	jdir_set();
	journal_path(jp, sizeof(jp));
	assert_int_equal(kf_tracer_open(&t, dir, jdir), 0);
	assert_int_equal(stat(jp, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(jdir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(kf_tracer_write(&t, 0, "current_tracer",
					 "function_graph"), 0);
	assert_int_equal(kf_tracer_write(&t, 0, "set_ftrace_pid", "42"), 0);
	assert_int_equal(kf_tracer_append(&t, 0, "set_event_pid", "42"), 0);
	assert_int_equal(kf_tracer_instance_create(&t), 0);
	kf_tracer_release(&t);  /* killed: nothing restored */
	assert_string_equal(get("current_tracer"), "function_graph\n");
	assert_int_equal(stat(jp, &st), 0);

	assert_int_equal(kf_tracer_open(&t2, dir, jdir), 0);
	assert_string_equal(get("current_tracer"), "nop\n");
	assert_string_equal(get("set_ftrace_pid"), "");  /* the banner's */
	assert_string_equal(get("set_event_pid"), "12\n34\n");
	{
		char inst[700];

		snprintf(inst, sizeof(inst), "%s/instances/kfollow-%d", dir,
			 (int)getpid());
		assert_int_equal(stat(inst, &st), -1);
	}
	assert_int_equal(stat(jp, &st), 0);  /* now t2's */
	assert_int_equal(kf_tracer_restore(&t2), 0);
	assert_int_equal(stat(jp, &st), -1);
	kf_tracer_release(&t2);
}

/* Two sessions: the second is refused while the first holds the journal,
 * and nothing it could have changed is touched. */
static void test_journal_busy(void **state)
{
	struct kf_tracer t, t2;
	char want[64];

	(void)state;
	jdir_set();
	assert_int_equal(kf_tracer_open(&t, dir, jdir), 0);
	assert_int_equal(kf_tracer_write(&t, 0, "tracing_on", "0"), 0);
	assert_int_equal(kf_tracer_open(&t2, dir, jdir), -1);
	assert_int_equal(kf_err_code(), KF_EXIT_INUSE);
	snprintf(want, sizeof(want), "in use by another kfollow (pid %d",
		 (int)getpid());
	assert_non_null(strstr(kf_err_msg(), want));
	kf_err_clear();
	assert_string_equal(get("tracing_on"), "0\n");
	assert_int_equal(kf_tracer_restore(&t), 0);
	kf_tracer_release(&t);
	/* free again: the next one gets it */
	assert_int_equal(kf_tracer_open(&t2, dir, jdir), 0);
	assert_int_equal(kf_tracer_restore(&t2), 0);
	kf_tracer_release(&t2);
}

/* --restore: a stale journal is replayed on demand; none is "nothing". */
static void test_journal_recover(void **state)
{
	struct kf_tracer t;
	int pid = 0;

	(void)state;
	jdir_set();
	assert_int_equal(kf_tracer_open(&t, dir, jdir), 0);
	assert_int_equal(kf_tracer_write(&t, 0, "options/function-fork", "1"),
			 0);
	assert_int_equal(kf_journal_owner(jdir, &pid), 1);
	assert_int_equal(pid, (int)getpid());
	assert_int_equal(kf_journal_recover(jdir, &pid), -1);  /* live */
	assert_int_equal(kf_err_code(), KF_EXIT_INUSE);
	kf_err_clear();
	kf_tracer_release(&t);
	assert_int_equal(kf_journal_owner(jdir, &pid), 2);     /* stale */
	assert_string_equal(get("options/function-fork"), "1\n");
	assert_int_equal(kf_journal_recover(jdir, &pid), 1);
	assert_string_equal(get("options/function-fork"), "0\n");
	assert_int_equal(kf_journal_recover(jdir, &pid), 0);
	assert_int_equal(kf_journal_owner(jdir, &pid), 0);
}

/* A journal directory others can write to is refused, nothing changed. */
static void test_journal_dir_mode(void **state)
{
	struct kf_tracer t;
	char run[600];

	(void)state;
	jdir_set();
	snprintf(run, sizeof(run), "%s/run", dir);
	assert_int_equal(mkdir(run, 0755), 0);
	assert_int_equal(mkdir(jdir, 0777), 0);
	assert_int_equal(chmod(jdir, 0777), 0);
	assert_int_equal(kf_tracer_open(&t, dir, jdir), -1);
	assert_int_equal(kf_err_code(), KF_EXIT_NOPERM);
	assert_non_null(strstr(kf_err_msg(), "mode 0700"));
	kf_err_clear();
}

/*
 * The lock race: run 2 opens a stale journal; before it locks it, run 1
 * (a child process here) replays that journal, links its own and changes
 * tracefs.  Run 2 then gets the old file's lock, but that file is no
 * longer the journal: it must see run 1's journal and refuse, not replay
 * stale records over run 1 and delete run 1's journal.
 */
static int race_go[2], race_done[2];
static pid_t race_child;

static void race_hook(const char *path)
{
	struct kf_tracer t1;
	char c = 0;

	(void)path;
	kf_journal_probe_hook = NULL;  /* once */
	race_child = fork();
	assert_true(race_child >= 0);
	if (race_child == 0) {
		/* ends when the test ends, whatever its result */
		close(race_done[1]);
		close(race_go[0]);
		if (kf_tracer_open(&t1, dir, jdir) < 0 ||
		    kf_tracer_write(&t1, 0, "current_tracer", "blk") < 0)
			_exit(1);
		(void)!write(race_go[1], "r", 1);
		(void)!read(race_done[0], &c, 1);
		_exit(kf_tracer_restore(&t1) < 0 ? 2 : 0);
	}
	assert_int_equal(read(race_go[0], &c, 1), 1);  /* run 1 is live */
}

static void test_journal_lock_race(void **state)
{
	struct kf_tracer t, t2;
	char jp[700], want[64], *text;
	int st;

	(void)state;
	jdir_set();
	journal_path(jp, sizeof(jp));
	assert_int_equal(pipe(race_go), 0);
	assert_int_equal(pipe(race_done), 0);
	assert_int_equal(kf_tracer_open(&t, dir, jdir), 0);
	assert_int_equal(kf_tracer_write(&t, 0, "current_tracer",
					 "function_graph"), 0);
	kf_tracer_release(&t);  /* killed: a stale journal */

	kf_journal_probe_hook = race_hook;
	assert_int_equal(kf_tracer_open(&t2, dir, jdir), -1);
	kf_journal_probe_hook = NULL;
	assert_int_equal(kf_err_code(), KF_EXIT_INUSE);
	snprintf(want, sizeof(want), "another kfollow (pid %d",
		 (int)race_child);
	assert_non_null(strstr(kf_err_msg(), want));
	kf_err_clear();
	/* run 1's change stands, and its journal is still there */
	assert_string_equal(get("current_tracer"), "blk\n");
	text = get("run/kfollow/journal");
	snprintf(want, sizeof(want), "\npid %d\n", (int)race_child);
	assert_non_null(strstr(text, want));

	assert_int_equal(write(race_done[1], "d", 1), 1);
	assert_int_equal(waitpid(race_child, &st, 0), race_child);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_string_equal(get("current_tracer"), "nop\n");
	close(race_go[0]);
	close(race_go[1]);
	close(race_done[0]);
	close(race_done[1]);
}

/*
 * A journal replays only what is under the tracefs mount it recorded:
 * paths elsewhere, ".." ways out, a directory that is not an instance,
 * an unmount of another path are skipped (with a warning each), the rest
 * applied.  A journal that records no mount replays nothing.
 */
static void journal_put(const char *text)
{
	char jp[700];
	FILE *f;

	journal_path(jp, sizeof(jp));
	f = fopen(jp, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void journal_rec(char *buf, size_t len, char op, const char *path,
			const char *data)
{
	size_t n = strlen(buf);

	snprintf(buf + n, len - n, "%c %zu %zu\n%s\n%s\n", op, strlen(path),
		 strlen(data), path, data);
}

static void test_journal_outside(void **state)
{
	char text[8192], p[700], root[600], run[600];
	struct stat st;
	int pid = 0;

	(void)state;
	jdir_set();
	snprintf(run, sizeof(run), "%s/run", dir);
	assert_int_equal(mkdir(run, 0700), 0);
	assert_int_equal(mkdir(jdir, 0700), 0);
	snprintf(root, sizeof(root), "%s/tfs", dir);
	put("tfs/current_tracer", "function_graph\n");
	put("tfs/instances/kfollow-1/trace", "");
	put("outside", "keep\n");
	put("victim/file", "");
	snprintf(p, sizeof(p), "%s/tfs/instances/kfollow-1/trace", dir);
	unlink(p);

	snprintf(text, sizeof(text), "kfollow-journal 1\npid 99999\n"
		 "tracefs %s\n\n", root);
	snprintf(p, sizeof(p), "%s/current_tracer", root);
	journal_rec(text, sizeof(text), 'W', p, "nop\n");
	snprintf(p, sizeof(p), "%s/outside", dir);
	journal_rec(text, sizeof(text), 'W', p, "pwned\n");
	snprintf(p, sizeof(p), "%s/../outside", root);
	journal_rec(text, sizeof(text), 'W', p, "pwned\n");
	snprintf(p, sizeof(p), "%s/instances/../../outside", root);
	journal_rec(text, sizeof(text), 'A', p, "pwned\n");
	snprintf(p, sizeof(p), "%s/victim", dir);
	journal_rec(text, sizeof(text), 'R', p, "");
	snprintf(p, sizeof(p), "%s/instances/../../victim", root);
	journal_rec(text, sizeof(text), 'R', p, "");
	journal_rec(text, sizeof(text), 'U', "/tmp", "");
	snprintf(p, sizeof(p), "%s/instances/kfollow-1", root);
	journal_rec(text, sizeof(text), 'R', p, "");
	journal_put(text);

	assert_int_equal(kf_journal_recover(jdir, &pid), 1);
	assert_int_equal(pid, 99999);
	assert_string_equal(get("tfs/current_tracer"), "nop\n");
	assert_string_equal(get("outside"), "keep\n");
	snprintf(p, sizeof(p), "%s/victim", dir);
	assert_int_equal(stat(p, &st), 0);
	snprintf(p, sizeof(p), "%s/instances/kfollow-1", root);
	assert_int_equal(stat(p, &st), -1);
	journal_path(p, sizeof(p));
	assert_int_equal(stat(p, &st), -1);

	/* no mount recorded (or "/"): nothing at all */
	text[0] = '\0';
	snprintf(p, sizeof(p), "%s/outside", dir);
	journal_rec(text, sizeof(text), 'W', p, "pwned\n");
	{
		char full[8300];

		snprintf(full, sizeof(full), "kfollow-journal 1\npid 9\n\n%s",
			 text);
		journal_put(full);
		assert_int_equal(kf_journal_recover(jdir, &pid), 1);
		snprintf(full, sizeof(full), "kfollow-journal 1\npid 9\n"
			 "tracefs /\n\n%s", text);
		journal_put(full);
		assert_int_equal(kf_journal_recover(jdir, &pid), 1);
	}
	assert_string_equal(get("outside"), "keep\n");
}

/* The journal's text: records in order, a cut last record dropped (it was
 * never acted on), anything else malformed counted, nothing applied. */
static void test_journal_parse(void **state)
{
	static const char ok_text[] =
		"kfollow-journal 1\npid 7\n\n"
		"W 4 2\n/a/b\n1\n\n"
		"R 4 0\n/a/i\n\n"
		"A 4 3\n/a/k\n-:x\n"
		"W 4 9\n/a/c\nshort";          /* cut by the kill */
	struct kf_undo *u;
	size_t n;

	(void)state;
	assert_int_equal(kf_journal_parse(ok_text, sizeof(ok_text) - 1, &u,
					  &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(u[0].op, KF_UNDO_WRITE);
	assert_string_equal(u[0].path, "/a/b");
	assert_int_equal(u[0].len, 2);
	assert_memory_equal(u[0].data, "1\n", 2);
	assert_int_equal(u[1].op, KF_UNDO_RMDIR);
	assert_int_equal(u[2].op, KF_UNDO_APPEND);
	assert_memory_equal(u[2].data, "-:x", 3);
	kf_journal_undo_free(u, n);

	assert_int_equal(kf_journal_parse("junk\n\nW 1 1\n/\nx\n", 17, &u,
					  &n), 1);
	assert_int_equal(n, 0);
	kf_journal_undo_free(u, n);
	assert_int_equal(kf_journal_parse("kfollow-journal 1\n\nZ 1 1\n/\nx\n",
					  29, &u, &n), 1);
	assert_int_equal(n, 0);
	kf_journal_undo_free(u, n);
}

/* The syscalls with both events, from one listing of events/syscalls:
 * an enter without its exit (or an exit alone) is not one. */
static void test_kinfo_syscalls(void **state)
{
	struct kf_tracer t;
	struct kf_kinfo ki;

	put("available_filter_functions", "vfs_read\ndo_sys_openat2\n");
	put("events/syscalls/sys_enter_openat/format", "x");
	put("events/syscalls/sys_exit_openat/format", "x");
	put("events/syscalls/sys_enter_read/format", "x");
	put("events/syscalls/sys_exit_read/format", "x");
	put("events/syscalls/sys_enter_lonely/format", "x");
	put("events/syscalls/sys_exit_orphan/format", "x");
	put("events/syscalls/enable", "0");
	assert_int_equal(kf_tracer_open(&t, dir, NULL), 0);
	assert_int_equal(kf_kinfo_load(&ki, &t, "x86_64", 1, NULL, NULL), 0);
	assert_int_equal(ki.nsyscalls, 2);
	assert_string_equal(ki.syscalls[0], "openat");
	assert_string_equal(ki.syscalls[1], "read");
	assert_null(ki.syscalls[2]);
	assert_true(ki.have_funcs);
	kf_kinfo_release(&ki);
	kf_tracer_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_restore_files_overlap,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_restore, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lists, setup, teardown),
		cmocka_unit_test_setup_teardown(test_odd_formats, setup, teardown),
		cmocka_unit_test_setup_teardown(test_instance, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dynevent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dynevent_group, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_write_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_killed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_journal_busy, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_journal_recover, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_journal_dir_mode, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_journal_lock_race, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_journal_outside, setup,
						teardown),
		cmocka_unit_test(test_journal_parse),
		cmocka_unit_test_setup_teardown(test_kinfo_syscalls, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
