// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * input.c - --input: read a saved capture or the kernel's function_graph
 * text into a model (no root, no tracefs).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kf_build.h"
#include "kf_capfile.h"
#include "kf_common.h"
#include "kf_fgtext.h"
#include "kf_input.h"

#define MAX_INPUT_BYTES (4ull << 30)

static char *read_file(const char *path, size_t *len)
{
	struct stat st;
	size_t cap, n = 0;
	char *buf;
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;

	if (fd < 0) {
		kf_err_errno(KF_EXIT_NOINPUT, "cannot open '%s'", path);
		return NULL;
	}
	if (fstat(fd, &st) < 0 || S_ISDIR(st.st_mode)) {
		kf_err(KF_EXIT_NOINPUT, "cannot read '%s': %s", path,
		       S_ISDIR(st.st_mode) ? "it is a directory" :
		       strerror(errno));
		goto fail;
	}
	cap = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 1 :
	      1 << 16;
	if ((uint64_t)cap > MAX_INPUT_BYTES) {
		kf_err(KF_EXIT_DATAERR, "'%s' is too large (over 4 GiB)", path);
		goto fail;
	}
	buf = malloc(cap + 1);
	if (!buf) {
		kf_err(KF_EXIT_OSERR, "out of memory reading '%s'", path);
		goto fail;
	}
	for (;;) {
		ssize_t r;

		if (n == cap) {
			char *nb;

			if ((uint64_t)cap * 2 > MAX_INPUT_BYTES) {
				free(buf);
				kf_err(KF_EXIT_DATAERR, "'%s' is too large "
				       "(over 4 GiB)", path);
				goto fail;
			}
			nb = realloc(buf, cap * 2 + 1);
			if (!nb) {
				free(buf);
				kf_err(KF_EXIT_OSERR, "out of memory reading "
				       "'%s'", path);
				goto fail;
			}
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			kf_err_errno(KF_EXIT_NOINPUT, "cannot read '%s'", path);
			free(buf);
			goto fail;
		}
		if (r == 0)
			break;
		n += r;
	}
	if (fd)
		close(fd);
	buf[n] = '\0';
	*len = n;
	return buf;
fail:
	if (fd > 0)
		close(fd);
	return NULL;
}

/*
 * A large saved capture is parsed straight from the page cache: no copy,
 * no zeroed pages (a third of the time of opening a 160 MB capture).
 * Returns 1 (parsed, rc in *rc), or 0 when the file is small, not regular
 * or not a capture: then it is read as any input is.
 */
static int load_mapped(const char *path, struct kf_model *m, int *rc)
{
	struct stat st;
	void *p;
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : -1;

	if (fd < 0)
		return 0;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size < (1 << 20) || (uint64_t)st.st_size > MAX_INPUT_BYTES) {
		close(fd);
		return 0;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return 0;
	if (!kf_capfile_sniff(p, (size_t)st.st_size)) {
		munmap(p, (size_t)st.st_size);
		return 0;
	}
	madvise(p, (size_t)st.st_size, MADV_SEQUENTIAL);
	*rc = kf_capfile_parse(p, (size_t)st.st_size, m, path);
	munmap(p, (size_t)st.st_size);
	return 1;
}

/* --input: a saved capture or the kernel's function_graph text. */
int kf_input_load(const char *path, struct kf_model *m)
{
	size_t len = 0;
	char *buf, *src;
	int rc = -1;

	if (load_mapped(path, m, &rc))
		return rc;
	buf = read_file(path, &len);
	if (!buf)
		return -1;
	if (len == 0) {
		kf_err(KF_EXIT_DATAERR, "'%s' is empty: expected a kfollow "
		       "capture (--output) or function_graph text", path);
	} else if (kf_capfile_sniff(buf, len)) {
		rc = kf_capfile_parse(buf, len, m, path);
	} else if (kf_fgtext_sniff(buf, len)) {
		struct kf_build_opts bo = { .mode = KF_BUILD_FUNCTION,
					    .default_sys = KF_NONE };
		struct kf_builder *b = kf_builder_new(m, &bo);
		struct kf_fgtext_stats st = { 0 };

		if (b && kf_fgtext_parse(buf, len, m, kf_builder_sink(b), path,
					 &st) == 0 &&
		    kf_builder_finish(b, 0) == 0) {
			m->meta.mode = KF_MODE_TEXT;
			if (asprintf(&src, "text:%s", path) >= 0) {
				kf_meta_set(&m->meta.source, src);
				free(src);
			}
			kf_meta_set(&m->meta.targets, "function_graph text");
			m->meta.events = st.records;
			if (st.bad)
				kf_warn("skipped %lu line%s of '%s' with a "
					"negative or too large number (first: "
					"line %lu); check that the file is the "
					"kernel's own text", st.bad,
					st.bad == 1 ? "" : "s", path,
					st.bad_line);
			rc = 0;
		}
		kf_builder_free(b);
	} else {
		kf_err(KF_EXIT_DATAERR, "'%s' is neither a kfollow capture nor "
		       "function_graph text (save one with --output, or the "
		       "kernel's 'trace' file with current_tracer "
		       "function_graph)", path);
	}
	free(buf);
	return rc;
}

