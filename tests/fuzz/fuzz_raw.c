// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_raw - libFuzzer harness for the raw ring-buffer reader: the input
 * is cut into 4096-byte pages for two CPUs and parsed with the formats of
 * a 6.1 kernel (function_graph entry/exit, openat enter/exit, sched exec).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <event-parse.h>

#include "kf_build.h"
#include "kf_raw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HDR "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n" \
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n" \
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n" \
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"

static const char *const formats[][2] = {
	{ "ftrace", "name: funcgraph_entry\nID: 11\nformat:\n" HDR
	  "\tfield:unsigned long func;\toffset:8;\tsize:8;\tsigned:0;\n"
	  "\tfield:int depth;\toffset:16;\tsize:4;\tsigned:1;\n\n"
	  "print fmt: \"--> %ps (%d)\", (void *)REC->func, REC->depth\n" },
	{ "ftrace", "name: funcgraph_exit\nID: 10\nformat:\n" HDR
	  "\tfield:unsigned long func;\toffset:8;\tsize:8;\tsigned:0;\n"
	  "\tfield:int depth;\toffset:16;\tsize:4;\tsigned:1;\n"
	  "\tfield:unsigned int overrun;\toffset:20;\tsize:4;\tsigned:0;\n"
	  "\tfield:unsigned long long calltime;\toffset:24;\tsize:8;\tsigned:0;\n"
	  "\tfield:unsigned long long rettime;\toffset:32;\tsize:8;\tsigned:0;\n\n"
	  "print fmt: \"<-- %ps\", (void *)REC->func\n" },
	{ "syscalls", "name: sys_enter_openat\nID: 659\nformat:\n" HDR
	  "\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
	  "\tfield:int dfd;\toffset:16;\tsize:8;\tsigned:0;\n"
	  "\tfield:const char * filename;\toffset:24;\tsize:8;\tsigned:0;\n"
	  "\tfield:int flags;\toffset:32;\tsize:8;\tsigned:0;\n"
	  "\tfield:umode_t mode;\toffset:40;\tsize:8;\tsigned:0;\n"
	  "\tfield:__data_loc char[] __filename_val;\toffset:48;\tsize:4;\tsigned:0;\n\n"
	  "print fmt: \"dfd: 0x%08lx\", ((unsigned long)(REC->dfd))\n" },
	{ "syscalls", "name: sys_exit_openat\nID: 658\nformat:\n" HDR
	  "\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
	  "\tfield:long ret;\toffset:16;\tsize:8;\tsigned:1;\n\n"
	  "print fmt: \"0x%lx\", REC->ret\n" },
	{ "sched", "name: sched_process_exec\nID: 300\nformat:\n" HDR
	  "\tfield:__data_loc char[] filename;\toffset:8;\tsize:4;\tsigned:0;\n"
	  "\tfield:pid_t pid;\toffset:12;\tsize:4;\tsigned:1;\n"
	  "\tfield:pid_t old_pid;\toffset:16;\tsize:4;\tsigned:1;\n\n"
	  "print fmt: \"filename=%s\", __get_str(filename)\n" },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tep_handle *tep;
	struct kf_build_opts bo = { .mode = KF_BUILD_SYSCALL,
				    .default_sys = KF_NONE };
	struct kf_builder *b;
	struct kf_model m;
	struct kf_raw *r;
	size_t off, i;

	if (!tep) {
		tep = tep_alloc();
		tep_set_long_size(tep, 8);
		tep_set_page_size(tep, 4096);
		for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
			tep_parse_event(tep, formats[i][1], strlen(formats[i][1]),
					formats[i][0]);
	}
	if (kf_model_init(&m) < 0)
		return 0;
	r = kf_raw_new(tep, &m, 2, NULL, NULL);
	b = kf_builder_new(&m, &bo);
	if (r && b && kf_raw_add_syscall(r, "openat") != KF_NONE) {
		for (off = 0, i = 0; off < size; off += 4096, i++) {
			size_t n = size - off < 4096 ? size - off : 4096;
			unsigned char page[4096];

			memset(page, 0, sizeof(page));
			memcpy(page, data + off, n);
			kf_raw_add_page(r, i & 1, page, sizeof(page));
		}
		kf_raw_process(r, kf_builder_sink(b), 1);
		kf_builder_finish(b, 0);
	}
	kf_builder_free(b);
	kf_raw_free(r);
	kf_model_release(&m);
	return 0;
}
