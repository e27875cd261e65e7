// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_fgtext - libFuzzer harness for the function_graph text importer,
 * through the real tree builder (function mode, as --input uses it), and
 * the text renderer on whatever model comes out.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kf_build.h"
#include "kf_fgtext.h"
#include "kf_render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kf_build_opts bo = { .mode = KF_BUILD_FUNCTION,
				    .default_sys = KF_NONE };
	struct kf_render_opts ro = { .ascii = 1 };
	struct kf_fgtext_stats st;
	struct kf_builder *b;
	struct kf_model m;
	FILE *null;

	if (kf_model_init(&m) < 0)
		return 0;
	b = kf_builder_new(&m, &bo);
	if (b && kf_fgtext_parse((const char *)data, size, &m,
				 kf_builder_sink(b), "fuzz.txt", &st) == 0 &&
	    kf_builder_finish(b, 0) == 0) {
		null = fopen("/dev/null", "w");
		if (null) {
			kf_render_text(null, &m, &ro);
			fclose(null);
		}
	}
	kf_builder_free(b);
	kf_model_release(&m);
	return 0;
}
