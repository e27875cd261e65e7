// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_journal - libFuzzer harness for the journal parser (parse only:
 * replaying would write to the paths the input names). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kf_journal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kf_undo *u;
	size_t n;

	kf_journal_parse((const char *)data, size, &u, &n);
	kf_journal_undo_free(u, n);
	return 0;
}
