// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_capfile - libFuzzer harness for the capture reader.  Whatever it
 * accepts must write back out, and reading that must give the same
 * document again (the writer is canonical): a difference is a bug.  It
 * must export too (folded, chrome, svg), with no byte of the file's
 * reaching the output unescaped; read as it streams, a call at a time,
 * it must export the same, and fail where the whole read fails.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kf_capfile.h"
#include "kf_export.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The document for m, or NULL (and abort: the writer must not fail). */
static char *write_doc(const struct kf_model *m, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	if (kf_capfile_write(f, m) < 0) {
		fprintf(stderr, "writer refused a model the reader made: %s\n",
			kf_err_msg());
		abort();
	}
	fclose(f);
	return buf;
}

/* Each export of m: it must not fail, and its text is printable ASCII
 * lines (every string from the file escaped; chrome's JSON strings keep
 * valid UTF-8, as the capture writer does). */
static void exports(const struct kf_model *m)
{
	static const struct kf_layer layers[] = { { "*a*", "x" } };
	struct kf_export_opts o = { .layers = layers, .nlayers = 1 };
	int fmt;

	for (fmt = KF_EXPORT_FOLDED; fmt <= KF_EXPORT_SVG; fmt++) {
		char *buf = NULL;
		size_t len = 0, i;
		FILE *f = open_memstream(&buf, &len);

		if (!f)
			return;
		o.min_duration = fmt == KF_EXPORT_CHROME ? 2 : 0;
		if (kf_export(f, m, (enum kf_export_format)fmt, &o) < 0) {
			fprintf(stderr, "export %d failed: %s\n", fmt,
				kf_err_msg());
			abort();
		}
		fclose(f);
		for (i = 0; i < len; i++)
			if ((buf[i] >= 0 && buf[i] < 0x20 && buf[i] != '\n') ||
			    buf[i] == 0x7f || (buf[i] < 0 &&
						fmt != KF_EXPORT_CHROME)) {
				fprintf(stderr, "export %d wrote byte 0x%02x\n",
					fmt, (unsigned char)buf[i]);
				abort();
			}
		free(buf);
	}
}

static int stream_call(void *ctx, struct kf_model *m, uint32_t call)
{
	return kf_export_call(ctx, m, call);
}

/* The folded export of data read as it streams, or NULL if it fails. */
static char *stream_folded(const uint8_t *data, size_t size, size_t *len)
{
	struct kf_export_opts o = { 0 };
	struct kf_model m;
	struct kf_export *x;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	int rc;

	if (!f || kf_model_init(&m) < 0)
		abort();
	x = kf_export_begin(f, &m, KF_EXPORT_FOLDED, &o);
	if (!x)
		abort();
	rc = kf_capfile_stream((const char *)data, size, 0, &m, "fuzz.json",
			       stream_call, x);
	if (kf_export_end(x, rc == 0) < 0)
		rc = -1;
	fclose(f);
	kf_model_release(&m);
	if (rc < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kf_model m, m2;
	char *doc = NULL, *doc2 = NULL;
	size_t len = 0, len2 = 0;

	if (kf_model_init(&m) < 0)
		return 0;
	if (kf_capfile_parse((const char *)data, size, &m, "fuzz.json") < 0) {
		char *s = stream_folded(data, size, &len);

		if (s) {
			fprintf(stderr, "the stream read what the whole read "
				"refused\n");
			abort();
		}
		kf_model_release(&m);
		return 0;
	}
	exports(&m);
	{
		struct kf_export_opts o = { 0 };
		size_t wlen = 0;
		char *w = NULL, *s = stream_folded(data, size, &len);
		FILE *f = open_memstream(&w, &wlen);

		if (!f || kf_export(f, &m, KF_EXPORT_FOLDED, &o) < 0)
			abort();
		fclose(f);
		if (!s || len != wlen || memcmp(s, w, len) != 0) {
			fprintf(stderr, "streamed and whole folded exports "
				"differ\n");
			abort();
		}
		free(s);
		free(w);
		len = 0;
	}
	doc = write_doc(&m, &len);
	if (doc && kf_model_init(&m2) == 0) {
		if (kf_capfile_parse(doc, len, &m2, "rewrite") < 0) {
			fprintf(stderr, "reader refused what the writer "
				"wrote: %s\n", kf_err_msg());
			abort();
		}
		doc2 = write_doc(&m2, &len2);
		if (doc2 && (len != len2 || memcmp(doc, doc2, len) != 0)) {
			fprintf(stderr, "a second round trip changed the "
				"document\n");
			abort();
		}
		kf_model_release(&m2);
	}
	free(doc);
	free(doc2);
	kf_model_release(&m);
	return 0;
}
