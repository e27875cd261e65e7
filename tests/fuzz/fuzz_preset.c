// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_preset - libFuzzer harness for the preset parser. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kf_preset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kf_preset p;

	memset(&p, 0, sizeof(p));
	kf_preset_parse(&p, (const char *)data, size, "fuzz.preset");
	kf_preset_release(&p);
	return 0;
}
