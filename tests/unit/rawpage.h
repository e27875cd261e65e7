/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rawpage.h - for the unit tests: event formats of a real 6.1 kernel and
 * ring-buffer pages built byte by byte in the kernel's layout (a header of
 * u64 timestamp and u64 commit with the missed-events flags, then records
 * with a 32-bit header: type_len:5, time_delta:27).  Included by the tests
 * that feed pages (test_raw.c, test_dat.c), after cmocka.h.
 */
#ifndef KF_TEST_RAWPAGE_H
#define KF_TEST_RAWPAGE_H

#include <stdint.h>
#include <string.h>

/* Formats as the 6.1.0-56-amd64 kernel shows them (ids are theirs). */
static const char __attribute__((unused)) fmt_entry[] =
	"name: funcgraph_entry\nID: 11\nformat:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
	"\tfield:unsigned long func;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:int depth;\toffset:16;\tsize:4;\tsigned:1;\n\n"
	"print fmt: \"--> %ps (%d)\", (void *)REC->func, REC->depth\n";
static const char __attribute__((unused)) fmt_exit[] =
	"name: funcgraph_exit\nID: 10\nformat:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
	"\tfield:unsigned long func;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:int depth;\toffset:16;\tsize:4;\tsigned:1;\n"
	"\tfield:unsigned int overrun;\toffset:20;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned long long calltime;\toffset:24;\tsize:8;\tsigned:0;\n"
	"\tfield:unsigned long long rettime;\toffset:32;\tsize:8;\tsigned:0;\n\n"
	"print fmt: \"<-- %ps (%d) (start: %llx  end: %llx) over: %d\", "
	"(void *)REC->func, REC->depth, REC->calltime, REC->rettime, REC->depth\n";
static const char __attribute__((unused)) fmt_enter[] =
	"name: sys_enter_openat\nID: 659\nformat:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
	"\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
	"\tfield:int dfd;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:const char * filename;\toffset:24;\tsize:8;\tsigned:0;\n"
	"\tfield:int flags;\toffset:32;\tsize:8;\tsigned:0;\n"
	"\tfield:umode_t mode;\toffset:40;\tsize:8;\tsigned:0;\n\n"
	"print fmt: \"dfd: 0x%08lx, filename: 0x%08lx, flags: 0x%08lx, mode: "
	"0x%08lx\", ((unsigned long)(REC->dfd)), ((unsigned long)(REC->filename)), "
	"((unsigned long)(REC->flags)), ((unsigned long)(REC->mode))\n";
static const char __attribute__((unused)) fmt_exit_sys[] =
	"name: sys_exit_openat\nID: 658\nformat:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
	"\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
	"\tfield:long ret;\toffset:16;\tsize:8;\tsigned:1;\n\n"
	"print fmt: \"0x%lx\", REC->ret\n";

#define PAGE 4096

struct pagebuf {
	unsigned char b[PAGE];
	size_t len;       /* bytes of records after the 16-byte header */
	uint64_t last_ts;
};

static inline void page_init(struct pagebuf *p, uint64_t ts)
{
	memset(p, 0, sizeof(*p));
	memcpy(p->b, &ts, 8);
	p->last_ts = ts;
}

/* Append a record: type_len = words of data (payload padded to 4). */
static inline void page_rec(struct pagebuf *p, uint64_t ts,
			    const void *data, size_t n)
{
	uint32_t words = (n + 3) / 4, delta = ts - p->last_ts;
	uint32_t hdr = (words & 31) | (delta << 5);

	assert_true(words <= 28);
	memcpy(p->b + 16 + p->len, &hdr, 4);
	memcpy(p->b + 16 + p->len + 4, data, n);
	p->len += 4 + words * 4;
	p->last_ts = ts;
}

static inline void page_finish(struct pagebuf *p, uint64_t flags,
			       long missed)
{
	uint64_t commit = p->len | flags;

	memcpy(p->b + 8, &commit, 8);
	if (missed >= 0)
		memcpy(p->b + 16 + p->len, &missed, 8);
}

static inline void rec_entry(unsigned char *r, int pid, uint64_t func,
			     int depth, uint8_t flags)
{
	uint16_t type = 11;

	memset(r, 0, 20);
	memcpy(r, &type, 2);
	r[2] = flags;
	memcpy(r + 4, &pid, 4);
	memcpy(r + 8, &func, 8);
	memcpy(r + 16, &depth, 4);
}

static inline void rec_exit(unsigned char *r, int pid, uint64_t func,
			    int depth, uint64_t call, uint64_t ret)
{
	uint16_t type = 10;

	memset(r, 0, 40);
	memcpy(r, &type, 2);
	memcpy(r + 4, &pid, 4);
	memcpy(r + 8, &func, 8);
	memcpy(r + 16, &depth, 4);
	memcpy(r + 24, &call, 8);
	memcpy(r + 32, &ret, 8);
}

/*
 * One openat by pid on CPU 1, its tree split across two CPUs' pages (the
 * task migrated), with the ids of the formats above:
 *   CPU1: sys_enter(t=1000) entry __x64_sys_openat(1010) entry do_sys_openat2(1020)
 *   CPU0: exit do_sys_openat2(1500) exit __x64_sys_openat(1600) sys_exit(1700)
 * openat(AT_FDCWD, 0x7ffd1000, O_CLOEXEC) = -2; the second entry is in a
 * hard interrupt.
 */
static inline void openat_pages(struct pagebuf *p0, struct pagebuf *p1,
				int pid)
{
	unsigned char rec[64];
	uint16_t t;
	int nr = 257;
	uint64_t v;

	page_init(p1, 1000);
	memset(rec, 0, sizeof(rec));
	t = 659;
	memcpy(rec, &t, 2);
	memcpy(rec + 4, &pid, 4);
	memcpy(rec + 8, &nr, 4);
	v = 0xffffff9c;
	memcpy(rec + 16, &v, 8);
	v = 0x7ffd1000;
	memcpy(rec + 24, &v, 8);
	v = 0x80000;
	memcpy(rec + 32, &v, 8);
	page_rec(p1, 1000, rec, 48);
	rec_entry(rec, pid, 0xffffffff81001004, 0, 0);
	page_rec(p1, 1010, rec, 20);
	rec_entry(rec, pid, 0xffffffff81002004, 1, 0x08 /* hardirq */);
	page_rec(p1, 1020, rec, 20);
	page_finish(p1, 0, -1);

	page_init(p0, 1500);
	rec_exit(rec, pid, 0xffffffff81002004, 1, 20, 490);
	page_rec(p0, 1500, rec, 40);
	rec_exit(rec, pid, 0xffffffff81001004, 0, 10, 590);
	page_rec(p0, 1600, rec, 40);
	memset(rec, 0, sizeof(rec));
	t = 658;
	memcpy(rec, &t, 2);
	memcpy(rec + 4, &pid, 4);
	memcpy(rec + 8, &nr, 4);
	v = (uint64_t)-2;
	memcpy(rec + 16, &v, 8);
	page_rec(p0, 1700, rec, 24);
	page_finish(p0, 0, -1);
}

#endif
