// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_srcmap - libFuzzer harness for the source map's parsers: the C and
 * assembly definition scanners, the tar stream reader, the map file
 * reader and the explanations file reader.  The first byte picks which; the rest is its input.  Every name
 * a scanner reports must lie inside the input (or be one a macro makes),
 * and a map the reader accepts must answer lookups of its own names.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kf_explain.h"
#include "kf_srcmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *in_lo, *in_hi;

static int on_def(void *ctx, const char *name, size_t nlen, uint32_t line,
		  const char *doc, size_t dlen)
{
	(void)ctx;
	if (nlen == 0 || (line & ~KF_SRC_INLINE) == 0)
		abort();
	/* a name is in the input, or built in a scanner's own buffer */
	if (name >= in_lo && name < in_hi && name + nlen > in_hi)
		abort();
	if (doc && (dlen == 0 || dlen > KF_SRC_DOC_MAX || strlen(doc) != dlen))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data + 1;
	size_t len = size ? size - 1 : 0;
	struct kf_srcmap *m;
	char *copy;

	if (size == 0)
		return 0;
	/* an exact-size copy: reading past it is ASan's to find */
	copy = malloc(len ? len : 1);
	if (!copy)
		return 0;
	memcpy(copy, text, len);
	in_lo = copy;
	in_hi = copy + len;
	switch (data[0] % 5) {
	case 0:
		kf_srcscan_c(copy, len, on_def, NULL);
		break;
	case 1:
		kf_srcscan_asm(copy, len, on_def, NULL);
		break;
	case 2: {
		FILE *in = fmemopen(copy, len ? len : 1, "r");
		char *out = NULL;
		size_t olen = 0;
		FILE *o = open_memstream(&out, &olen);

		if (in && o && kf_srcmap_build(in, o, "1.0-1") > 0) {
			fflush(o);
			m = kf_srcmap_parse(out, olen);
			if (!m)
				abort(); /* the reader refused the writer */
			kf_srcmap_free(m);
		}
		if (in)
			fclose(in);
		if (o)
			fclose(o);
		free(out);
		break;
	}
	case 4: {
		struct kf_explain *e = kf_explain_parse(copy, len);

		if (e) {
			kf_explain_get(e, "path_openat", NULL);
			kf_explain_free(e);
		}
		break;
	}
	default:
		m = kf_srcmap_parse(copy, len);
		if (m) {
			char url[512];
			int n;

			for (size_t i = 0; i < kf_srcmap_count(m) && i < 64;
			     i++) {
				const struct kf_srcloc *l =
					kf_srcmap_lookup(m, "path_openat", &n);

				if (l)
					kf_srcmap_url(m, l, url, sizeof(url));
			}
			kf_srcmap_free(m);
		}
		break;
	}
	free(copy);
	return 0;
}
