// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_ksyms - libFuzzer harness for the kallsyms index. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kf_ksyms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kf_ksyms k;
	char *text = malloc(size + 1);
	uint64_t a = 0;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (kf_ksyms_load(&k, text) >= 0) {
		if (size >= 8)
			memcpy(&a, data, 8);
		kf_ksyms_find(&k, a);
		kf_ksyms_find(&k, UINT64_MAX);
		kf_ksyms_find(&k, 0);
		kf_ksyms_release(&k);
	}
	return 0;
}
