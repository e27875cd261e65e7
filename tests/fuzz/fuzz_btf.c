// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_btf - libFuzzer harness for the BTF that names funcgraph-args'
 * registers (a guest's /sys/kernel/btf/vmlinux is untrusted): the input
 * less its first byte is read as a BTF file; the first byte picks how
 * many registers the record had.  Whatever loads must format the seed's
 * function names into a bounded, terminated string.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kf_btfargs.h"
#include "kf_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = {
	"do_sys_openat2", "bare", "many", "byval", "fmt", "with_typedef", "",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/kf-fuzz-btf-XXXXXX", buf[64];
	uint64_t regs[KF_BTF_REGS] = { 1, (uint64_t)-2, 0xffffffff, 3, 4, 5 };
	struct kf_btfargs *b;
	size_t i;
	int fd, n;

	if (size == 0)
		return 0;
	fd = mkstemp(path);
	if (fd < 0)
		return 0;
	if (write(fd, data + 1, size - 1) != (ssize_t)(size - 1)) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);
	b = kf_btfargs_new(path, NULL);
	unlink(path);
	kf_err_clear();
	if (!b)
		return 0;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		memset(buf, 'x', sizeof(buf));
		n = kf_btfargs_format(b, names[i], regs, data[0] % 8, buf,
				      sizeof(buf));
		if (n >= (int)sizeof(buf) || strlen(buf) != (size_t)(n < 0 ? 0 : n))
			abort();
	}
	kf_btfargs_free(b);
	return 0;
}
