// SPDX-License-Identifier: GPL-2.0-or-later
/* test_vmlinux - a bzImage's payload unpacked once for a PVH boot. */
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

#include "../../src/vm/vm-int.h"

/* A 140-byte ELF64 with one PT_NOTE holding a Xen note of type note. */
static size_t make_elf(unsigned char *e, uint32_t note)
{
	uint64_t v;
	uint32_t w;
	uint16_t h;

	memset(e, 0, 140);
	memcpy(e, "\x7f" "ELF\x02\x01\x01", 7);
	v = 64;
	memcpy(e + 32, &v, 8);          /* e_phoff */
	h = 56;
	memcpy(e + 54, &h, 2);          /* e_phentsize */
	h = 1;
	memcpy(e + 56, &h, 2);          /* e_phnum */
	w = 4;
	memcpy(e + 64, &w, 4);          /* PT_NOTE */
	v = 120;
	memcpy(e + 64 + 8, &v, 8);      /* p_offset */
	v = 20;
	memcpy(e + 64 + 32, &v, 8);     /* p_filesz */
	w = 4;
	memcpy(e + 120, &w, 4);         /* namesz */
	memcpy(e + 124, &w, 4);         /* descsz */
	memcpy(e + 128, &note, 4);      /* type */
	memcpy(e + 132, "Xen", 4);
	return 140;
}

/* A bzImage at path whose payload is elf gzipped. */
static void make_bzimage(const char *path, const unsigned char *elf,
			 size_t n)
{
	unsigned char img[4096] = { 0 }, gz[2048];
	char cmd[256];
	FILE *f;
	size_t glen;
	uint32_t len;

	snprintf(cmd, sizeof(cmd), "%s.raw", path);
	f = fopen(cmd, "w");
	assert_non_null(f);
	fwrite(elf, 1, n, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "gzip -c %s.raw", path);
	f = popen(cmd, "r");
	assert_non_null(f);
	glen = fread(gz, 1, sizeof(gz), f);
	assert_int_equal(pclose(f), 0);
	img[0x1f1] = 1;                 /* one setup sector */
	memcpy(img + 0x202, "HdrS", 4);
	img[0x206] = 0x0f;              /* protocol 2.15 */
	img[0x207] = 0x02;
	len = (uint32_t)glen;
	memcpy(img + 0x24c, &len, 4);   /* payload right at the 32-bit code */
	memcpy(img + 1024, gz, glen);
	f = fopen(path, "w");
	assert_non_null(f);
	fwrite(img, 1, 1024 + glen, f);
	fclose(f);
}

static void test_unpack(void **state)
{
	char dir[] = "/tmp/kf-test-vmlinux-XXXXXX", z[128], cmd[160];
	unsigned char elf[140], got[200];
	size_t n;
	char *p;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(z, sizeof(z), "%s/vmlinuz", dir);

	/* a PVH note: unpacked once, then found */
	n = make_elf(elf, 18);
	make_bzimage(z, elf, n);
	p = vm_vmlinux(z);
	assert_non_null(p);
	f = fopen(p, "r");
	assert_non_null(f);
	assert_int_equal(fread(got, 1, sizeof(got), f), n);
	fclose(f);
	assert_memory_equal(got, elf, n);
	free(p);
	p = vm_vmlinux(z);
	assert_non_null(p);
	free(p);

	/* no PVH entry: the bzImage is booted, nothing is left behind */
	snprintf(cmd, sizeof(cmd), "rm -f %s/vmlinuz.kfollow-vmlinux", dir);
	assert_int_equal(system(cmd), 0);
	make_bzimage(z, elf, make_elf(elf, 17));
	assert_null(vm_vmlinux(z));
	snprintf(cmd, sizeof(cmd), "%s/vmlinuz.kfollow-vmlinux", dir);
	assert_int_not_equal(access(cmd, F_OK), 0);

	/* not a bzImage */
	f = fopen(z, "w");
	assert_non_null(f);
	fputs("not a kernel", f);
	fclose(f);
	assert_null(vm_vmlinux(z));

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unpack),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
