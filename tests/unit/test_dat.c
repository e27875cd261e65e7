// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_dat.c - --output FILE.dat: pages written through libtracecmd from a
 * fake tracefs (6.1's header and event formats), then read back with
 * libtracecmd's reader, the one trace-cmd report uses: every record, on
 * its CPU, at its time; names from the file's kallsyms and command lines;
 * only the events set_event names.  And the refusals, leaving no file.
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

#include <trace-cmd.h>

#include "kf_common.h"
#include "kf_datfile.h"
#include "fakedir.h"
#include "rawpage.h"

/* As the 6.1.0-57-amd64 kernel shows them. */
static const char header_page[] =
	"\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"
	"\tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;\n"
	"\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;\n"
	"\tfield: char data;\toffset:16;\tsize:4080;\tsigned:1;\n";
static const char header_event[] =
	"# compressed entry header\n"
	"\ttype_len    :    5 bits\n"
	"\ttime_delta  :   27 bits\n"
	"\tarray       :   32 bits\n\n"
	"\tpadding     : type == 29\n"
	"\ttime_extend : type == 30\n"
	"\ttime_stamp : type == 31\n"
	"\tdata max type_len  == 28\n";
/* an event not in set_event: its format must stay out of the file */
static const char fmt_close[] =
	"name: sys_enter_close\nID: 700\nformat:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
	"\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
	"\tfield:unsigned int fd;\toffset:16;\tsize:8;\tsigned:0;\n\n"
	"print fmt: \"fd: 0x%08lx\", ((unsigned long)(REC->fd))\n";

static char dir[] = "/tmp/kf-fake-dat-XXXXXX";

static void put(const char *file, const char *content)
{
	fake_put(dir, file, content);
}

static char *in_dir(const char *file)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return path;
}

static int setup(void **state)
{
	assert_non_null(mkdtemp(dir));
	put("tracefs/events/header_page", header_page);
	put("tracefs/events/header_event", header_event);
	put("tracefs/events/ftrace/funcgraph_entry/format", fmt_entry);
	put("tracefs/events/ftrace/funcgraph_exit/format", fmt_exit);
	put("tracefs/events/syscalls/sys_enter_openat/format", fmt_enter);
	put("tracefs/events/syscalls/sys_exit_openat/format", fmt_exit_sys);
	put("tracefs/events/syscalls/sys_enter_close/format", fmt_close);
	put("tracefs/printk_formats", "");
	put("tracefs/saved_cmdlines", "42 cat\n");
	put("kallsyms", "ffffffff81001004 T __x64_sys_openat\n"
			"ffffffff81002004 T do_sys_openat2\n");
	/* libtracecmd takes the page size from the header_page of the
	 * tracefs libtracefs knows, before it is told the directory */
	assert_int_equal(tracefs_set_tracing_dir(in_dir("tracefs")), 0);
	return 0;
}

static int teardown(void **state)
{
	fake_remove(dir, "/tmp/kf-fake-dat-XXXXXX");
	tracefs_set_tracing_dir(NULL);
	return 0;
}

static struct kf_dat *open_dat(const char *file)
{
	struct kf_dat_info di = {
		.kallsyms = NULL, .ncpus = 2, .page_size = PAGE,
		.events = "syscalls:sys_enter_openat\n"
			  "syscalls:sys_exit_openat\n",
		.clock = "[local] global counter\n",
	};
	char tracefs[512], kallsyms[512];

	snprintf(tracefs, sizeof(tracefs), "%s", in_dir("tracefs"));
	snprintf(kallsyms, sizeof(kallsyms), "%s", in_dir("kallsyms"));
	di.tracing_dir = tracefs;
	di.kallsyms = kallsyms;
	return kf_dat_open(in_dir(file), &di);
}

struct seen {
	int cpu;
	unsigned long long ts;
	const char *name;
};

/*
 * The openat of openat_pages, after an earlier page on CPU 0 handed over
 * short (its zero tail is kfollow's to write, or the pages after it
 * would be read askew), read back per CPU.
 */
static void test_dat_roundtrip(void **state)
{
	static const struct seen want[] = {
		{ 0, 500, "funcgraph_entry" },
		{ 0, 1500, "funcgraph_exit" },
		{ 0, 1600, "funcgraph_exit" },
		{ 0, 1700, "sys_exit_openat" },
		{ 1, 1000, "sys_enter_openat" },
		{ 1, 1010, "funcgraph_entry" },
		{ 1, 1020, "funcgraph_entry" },
	};
	struct pagebuf p0, p1, p2;
	unsigned char rec[64];
	struct tracecmd_input *h;
	struct tep_handle *tep;
	struct tep_record *r;
	struct kf_dat *d;
	struct stat st;
	size_t n = 0;
	int cpu;

	openat_pages(&p0, &p1, 42);
	page_init(&p2, 500);
	rec_entry(rec, 42, 0xffffffff81002004, 0, 0);
	page_rec(&p2, 500, rec, 20);
	page_finish(&p2, 0, -1);

	d = open_dat("out.dat");
	assert_non_null(d);
	assert_int_equal(kf_dat_add_page(d, 0, p2.b, 16 + p2.len), 0);
	assert_int_equal(kf_dat_add_page(d, 0, p0.b, PAGE), 0);
	assert_int_equal(kf_dat_add_page(d, 1, p1.b, PAGE), 0);
	assert_int_equal(kf_dat_pages(d), 3);
	assert_int_equal(kf_dat_add_cmdlines(d), 0);
	/* nothing at the name until it is whole */
	assert_int_not_equal(stat(in_dir("out.dat"), &st), 0);
	assert_int_equal(kf_dat_close(d), 0);
	kf_dat_free(d);
	assert_int_equal(stat(in_dir("out.dat"), &st), 0);
	assert_int_not_equal(stat(in_dir("out.dat.tmp"), &st), 0);

	h = tracecmd_open(in_dir("out.dat"), TRACECMD_FL_LOAD_NO_PLUGINS);
	assert_non_null(h);
	tep = tracecmd_get_tep(h);
	for (cpu = 0; cpu < 2; cpu++) {
		while ((r = tracecmd_read_data(h, cpu))) {
			struct tep_event *e = tep_find_event_by_record(tep, r);

			assert_true(n < sizeof(want) / sizeof(want[0]));
			assert_int_equal(r->cpu, want[n].cpu);
			assert_int_equal(r->ts, want[n].ts);
			assert_non_null(e);
			assert_string_equal(e->name, want[n].name);
			assert_int_equal(tep_data_pid(tep, r), 42);
			tracecmd_free_record(r);
			n++;
		}
	}
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	assert_string_equal(tep_find_function(tep, 0xffffffff81001004),
			    "__x64_sys_openat");
	assert_string_equal(tep_data_comm_from_pid(tep, 42), "cat");
	assert_non_null(tep_find_event_by_name(tep, "syscalls",
					       "sys_enter_openat"));
	assert_null(tep_find_event_by_name(tep, "syscalls", "sys_enter_close"));
	tracecmd_close(h);
}

/* Each failure names the file, and leaves nothing behind. */
static void test_dat_refusals(void **state)
{
	struct pagebuf p;
	struct kf_dat *d;
	struct stat st;

	assert_true(kf_dat_path("x.dat"));
	assert_true(kf_dat_path("/tmp/a/cat.dat"));
	assert_false(kf_dat_path("x.json"));
	assert_false(kf_dat_path("x.dat.json"));
	assert_false(kf_dat_path(".dat"));
	assert_false(kf_dat_path(NULL));

	d = open_dat("no/such/dir/out.dat");
	assert_null(d);
	assert_int_equal(kf_err_code(), KF_EXIT_IOERR);
	assert_non_null(strstr(kf_err_msg(), "cannot write '"));
	assert_non_null(strstr(kf_err_msg(), "no/such/dir/out.dat': "));
	kf_err_clear();

	page_init(&p, 10);
	d = open_dat("big.dat");
	assert_non_null(d);
	assert_int_equal(kf_dat_add_page(d, 0, p.b, PAGE + 1), -1);
	assert_int_equal(kf_dat_add_page(d, 2, p.b, PAGE), -1);
	assert_non_null(strstr(kf_err_msg(), "big.dat"));
	kf_err_clear();
	/* given up: neither the file nor its temporary stays */
	kf_dat_free(d);
	assert_int_not_equal(stat(in_dir("big.dat"), &st), 0);
	assert_int_not_equal(stat(in_dir("big.dat.tmp"), &st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dat_roundtrip, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_dat_refusals, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
