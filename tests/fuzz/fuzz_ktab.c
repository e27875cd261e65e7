// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_ktab - libFuzzer harness for the kept kernel tables' file. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kf_ksyms.h"
#include "kf_ktab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the key a file must carry: the first line of the input after the
 * header decides, so both the key match and the tables get fuzzed */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kf_ktab t;
	struct kf_ksyms ks;
	const char *nl = memchr(data, '\n', size), *key_at;
	char key[64] = "K\n";

	memset(&t, 0, sizeof(t));
	if (nl) {
		key_at = nl + 1;
		const char *end = memchr(key_at, '\n',
					 size - (size_t)(key_at - (const char *)data));
		size_t n = end ? (size_t)(end - key_at) : sizeof(key);

		if (n < sizeof(key) - 1) {
			memcpy(key, key_at, n + 1);
			key[n + 1] = '\0';
		}
	}
	if (kf_ktab_parse(&t, (const char *)data, size, key) == 1) {
		char *s = t.syms;

		t.syms = NULL;
		if (kf_ksyms_load(&ks, s) >= 0) {
			kf_ksyms_find(&ks, 0xffffffff81000104ull);
			kf_ksyms_release(&ks);
		}
	}
	kf_ktab_release(&t);
	return 0;
}
