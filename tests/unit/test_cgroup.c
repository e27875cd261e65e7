// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_cgroup.c - --cgroup's plain-file parts: the cgroup2 mount from a
 * mounts file, PATH resolved against a fake cgroup2 directory, the task
 * lists parsed, and scans that report only the tasks that joined.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "kf_cgroup.h"
#include "kf_common.h"
#include "fakedir.h"

#define TMPL "/tmp/kf-fake-cgroup-XXXXXX"
static char dir[] = TMPL;

static int setup(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(dir));
	/* a cgroup2 root, a cgroup "app" with a child "app/web", a plain
	 * directory that is no cgroup, and a v1-style tree outside */
	fake_put(dir, "cg2/cgroup.procs", "");
	fake_put(dir, "cg2/cgroup.threads", "1\n");
	fake_put(dir, "cg2/app/cgroup.procs", "100\n200\n");
	fake_put(dir, "cg2/app/cgroup.threads", "100\n200\n201\n");
	fake_put(dir, "cg2/app/web/cgroup.procs", "300\n");
	fake_put(dir, "cg2/app/web/cgroup.threads", "300\n");
	fake_put(dir, "cg2/plain/x", "");
	fake_put(dir, "v1/cpu/app/cgroup.procs", "100\n");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fake_remove(dir, TMPL);
	return 0;
}

static char *path_of(const char *rel)
{
	static char p[1024];

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	return p;
}

static void test_mount(void **state)
{
	char *m;

	(void)state;
	fake_put(dir, "mounts",
		 "sysfs /sys sysfs rw 0 0\n"
		 "cgroup /sys/fs/cgroup/cpu cgroup rw,cpu 0 0\n"
		 "cgroup2 /sys/fs/cgroup/my\\040unified cgroup2 rw 0 0\n");
	m = kf_cgroup_mount(path_of("mounts"));
	assert_non_null(m);
	assert_string_equal(m, "/sys/fs/cgroup/my unified");
	free(m);
	/* v1 only: one line that says what to do */
	fake_put(dir, "mounts",
		 "cgroup /sys/fs/cgroup/cpu cgroup rw,cpu 0 0\n"
		 "tmpfs /sys/fs/cgroup tmpfs rw 0 0\n");
	assert_null(kf_cgroup_mount(path_of("mounts")));
	assert_int_equal(kf_err_code(), KF_EXIT_UNAVAILABLE);
	assert_non_null(strstr(kf_err_msg(), "no cgroup2 file system is "
					     "mounted (a cgroup v1-only host)"));
	assert_null(kf_cgroup_mount(path_of("no-such-mounts")));
	kf_err_clear();
}

static void test_open(void **state)
{
	char mount[1024], abs[1100];
	struct kf_cgroup cg;

	(void)state;
	snprintf(mount, sizeof(mount), "%s", path_of("cg2"));
	/* relative to the mount, absolute under it, and as /proc/PID/cgroup
	 * names it: the same cgroup */
	assert_int_equal(kf_cgroup_open(&cg, mount, "app"), 0);
	assert_string_equal(cg.name, "/app");
	assert_string_equal(cg.dir, path_of("cg2/app"));
	kf_cgroup_release(&cg);
	snprintf(abs, sizeof(abs), "%s/app/web/", mount);
	assert_int_equal(kf_cgroup_open(&cg, mount, abs), 0);
	assert_string_equal(cg.name, "/app/web");
	kf_cgroup_release(&cg);
	assert_int_equal(kf_cgroup_open(&cg, mount, "/app/web"), 0);
	assert_string_equal(cg.name, "/app/web");
	kf_cgroup_release(&cg);
	assert_int_equal(kf_cgroup_open(&cg, mount, "/"), 0);
	assert_string_equal(cg.name, "/");
	kf_cgroup_release(&cg);

	/* missing */
	assert_int_equal(kf_cgroup_open(&cg, mount, "nope"), -1);
	assert_int_equal(kf_err_code(), KF_EXIT_USAGE);
	assert_non_null(strstr(kf_err_msg(), "no cgroup 'nope' under the "
					     "cgroup2 mount"));
	/* a directory that is no cgroup */
	assert_int_equal(kf_cgroup_open(&cg, mount, "plain"), -1);
	assert_string_equal(kf_err_msg(), "'plain' is not a cgroup: it has "
					  "no cgroup.procs");
	/* out of the mount by "..", and a v1 cgroup elsewhere */
	assert_int_equal(kf_cgroup_open(&cg, mount, "../v1/cpu/app"), -1);
	assert_non_null(strstr(kf_err_msg(), "outside the cgroup2 mount"));
	snprintf(abs, sizeof(abs), "%s", path_of("v1/cpu/app"));
	assert_int_equal(kf_cgroup_open(&cg, mount, abs), -1);
	assert_non_null(strstr(kf_err_msg(), "is not a cgroup v2 directory"));
	kf_err_clear();
}

static void test_parse(void **state)
{
	pid_t *v = NULL;
	int n = 0;

	(void)state;
	assert_int_equal(kf_cgroup_parse_tasks("", &v, &n, 10), 0);
	assert_int_equal(kf_cgroup_parse_tasks("12\n345\n\n6\n", &v, &n, 10),
			 3);
	assert_int_equal(n, 3);
	assert_int_equal(v[0], 12);
	assert_int_equal(v[1], 345);
	assert_int_equal(v[2], 6);
	/* no final newline; the bound stops adding but reads on */
	assert_int_equal(kf_cgroup_parse_tasks("7\n8\n9", &v, &n, 4), 1);
	assert_int_equal(n, 4);
	assert_int_equal(v[3], 7);
	/* not a task list */
	assert_int_equal(kf_cgroup_parse_tasks("1\nabc\n", &v, &n, 10), -1);
	assert_int_equal(kf_err_code(), KF_EXIT_DATAERR);
	assert_int_equal(kf_cgroup_parse_tasks("-3\n", &v, &n, 10), -1);
	assert_int_equal(kf_cgroup_parse_tasks("0\n", &v, &n, 10), -1);
	assert_int_equal(kf_cgroup_parse_tasks("4 5\n", &v, &n, 10), -1);
	assert_int_equal(kf_cgroup_parse_tasks("99999999999\n", &v, &n, 10),
			 -1);
	kf_err_clear();
	free(v);
}

static void test_scan(void **state)
{
	struct kf_cgroup cg;
	pid_t *fresh;
	int nfresh;

	(void)state;
	assert_int_equal(kf_cgroup_open(&cg, path_of("cg2"), "app"), 0);
	/* first scan: every thread of app and app/web, kfollow's own (201
	 * here) left out */
	assert_int_equal(kf_cgroup_scan(&cg, 201, &fresh, &nfresh), 3);
	assert_int_equal(nfresh, 3);
	assert_int_equal(fresh[0], 100);
	assert_int_equal(fresh[1], 200);
	assert_int_equal(fresh[2], 300);
	free(fresh);
	/* nothing new */
	assert_int_equal(kf_cgroup_scan(&cg, 201, &fresh, &nfresh), 3);
	assert_int_equal(nfresh, 0);
	assert_null(fresh);
	/* 150 joins app, 300 leaves web, a new cgroup under web with 400 */
	fake_put(dir, "cg2/app/cgroup.threads", "200\n100\n150\n");
	fake_put(dir, "cg2/app/web/cgroup.threads", "");
	fake_put(dir, "cg2/app/web/db/cgroup.threads", "400\n100\n");
	assert_int_equal(kf_cgroup_scan(&cg, 201, &fresh, &nfresh), 4);
	assert_int_equal(nfresh, 2);
	assert_int_equal(fresh[0], 150);
	assert_int_equal(fresh[1], 400);
	free(fresh);
	/* 300 back (a pid reused, or it moved back): added again */
	fake_put(dir, "cg2/app/web/cgroup.threads", "300\n");
	assert_int_equal(kf_cgroup_scan(&cg, 201, &fresh, &nfresh), 5);
	assert_int_equal(nfresh, 1);
	assert_int_equal(fresh[0], 300);
	free(fresh);
	assert_int_equal(cg.full, 0);
	kf_cgroup_release(&cg);
}

/* Without cgroup.threads (kernels before 4.14): cgroup.procs; a cgroup
 * removed while tracing: empty, not an error; too many tasks: full. */
static void test_scan_edges(void **state)
{
	struct kf_cgroup cg;
	pid_t *fresh;
	int nfresh, i;
	char *big, *p;

	(void)state;
	assert_int_equal(kf_cgroup_open(&cg, path_of("cg2"), "app"), 0);
	unlink(path_of("cg2/app/cgroup.threads"));
	unlink(path_of("cg2/app/web/cgroup.threads"));
	assert_int_equal(kf_cgroup_scan(&cg, 0, &fresh, &nfresh), 3);
	free(fresh);
	fake_remove(dir, TMPL);
	assert_non_null(mkdtemp(dir));
	assert_int_equal(kf_cgroup_scan(&cg, 0, &fresh, &nfresh), 0);
	assert_null(fresh);
	kf_cgroup_release(&cg);

	big = malloc((KF_CGROUP_MAX_TASKS + 10) * 8);
	assert_non_null(big);
	for (p = big, i = 1; i <= KF_CGROUP_MAX_TASKS + 10; i++)
		p += sprintf(p, "%d\n", i);
	fake_put(dir, "cg2/big/cgroup.procs", "");
	fake_put(dir, "cg2/big/cgroup.threads", big);
	free(big);
	assert_int_equal(kf_cgroup_open(&cg, path_of("cg2"), "big"), 0);
	assert_int_equal(kf_cgroup_scan(&cg, 0, &fresh, &nfresh),
			 KF_CGROUP_MAX_TASKS);
	assert_int_equal(cg.full, 1);
	free(fresh);
	kf_cgroup_release(&cg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mount, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open, setup, teardown),
		cmocka_unit_test(test_parse),
		cmocka_unit_test_setup_teardown(test_scan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_edges, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
