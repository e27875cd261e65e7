// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * input.c - --input: read a saved capture or the kernel's function_graph
 * text into a model (no root, no tracefs).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kf_build.h"
#include "kf_capfile.h"
#include "kf_common.h"
#include "kf_datfile.h"
#include "kf_fgtext.h"
#include "kf_input.h"

#define MAX_INPUT_BYTES (4ull << 30)

/*
 * Past this prefix the sniffers have decided: the text sniffer reads no
 * further, and the capture sniffer only needs the first byte that is not
 * blank.  An input that is neither is refused without reading the rest.
 */
#define SNIFF_BYTES 65536

static int sniffed_neither(const char *buf, size_t n)
{
	if (n < SNIFF_BYTES || kf_capfile_sniff(buf, n) ||
	    kf_fgtext_sniff(buf, n))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\r' &&
		    buf[i] != '\n')
			return 1;
	return 0;
}

/*
 * The whole input in memory (NUL-terminated, *len without the NUL), or
 * NULL with kf_err set; the caller frees it.  Regular files and pipes
 * only: a device such as /dev/zero never ends.
 *
 * Read, never mapped: a mapped file that shrinks while it is parsed (a
 * capture being rewritten, cut by a full disk) kills kfollow with SIGBUS,
 * and catching that would mean a longjmp out of the parser, leaking what
 * it holds and mixing with kfollow's own signal handlers.  Reading costs a
 * copy; a file cut while it is read comes out short, which the parsers
 * refuse as truncated.
 */
/* What can be read as input: a regular file or a pipe, at most 4 GiB.
 * Returns 0 or -1 (kf_err). */
static int input_check(int fd, const char *path, struct stat *st)
{
	if (fstat(fd, st) < 0)
		return kf_err_errno(KF_EXIT_NOINPUT, "cannot read '%s'", path);
	if (S_ISDIR(st->st_mode))
		return kf_err(KF_EXIT_NOINPUT, "cannot read '%s': it is a "
			      "directory", path);
	if (!S_ISREG(st->st_mode) && !S_ISFIFO(st->st_mode) &&
	    !S_ISSOCK(st->st_mode))
		return kf_err(KF_EXIT_NOINPUT, "cannot read '%s': not a "
			      "regular file or a pipe (save the trace to a "
			      "file first)", path);
	if ((uint64_t)st->st_size > MAX_INPUT_BYTES)
		return kf_err(KF_EXIT_DATAERR, "'%s' is too large (over 4 GiB)",
			      path);
	return 0;
}

/*
 * Read fd to its end into *buf (cap bytes, grown by doubling; one more
 * for a NUL), stopping early when the first bytes are neither format.
 * Returns the bytes read, or -1 (kf_err; *buf stays the caller's to free).
 */
static ssize_t input_slurp(int fd, const char *path, char **buf, size_t cap)
{
	size_t n = 0;
	ssize_t r;

	for (;;) {
		if (n == cap) {
			char *nb;

			if (sniffed_neither(*buf, n))
				break;
			if ((uint64_t)cap * 2 > MAX_INPUT_BYTES)
				return kf_err(KF_EXIT_DATAERR, "'%s' is too "
					      "large (over 4 GiB)", path);
			nb = realloc(*buf, cap * 2 + 1);
			if (!nb)
				return kf_err(KF_EXIT_OSERR, "out of memory "
					      "reading '%s'", path);
			*buf = nb;
			cap *= 2;
		}
		r = read(fd, *buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return kf_err_errno(KF_EXIT_NOINPUT, "cannot read '%s'",
					    path);
		if (r == 0)
			break;
		n += r;
	}
	return (ssize_t)n;
}

static char *read_input(const char *path, size_t *len)
{
	struct stat st;
	size_t cap;
	ssize_t n = -1;
	char *buf = NULL;
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;

	if (fd < 0) {
		kf_err_errno(KF_EXIT_NOINPUT, "cannot open '%s'", path);
		return NULL;
	}
	if (input_check(fd, path, &st) == 0) {
		/* a regular file's size, plus one byte to see its end */
		cap = S_ISREG(st.st_mode) && st.st_size > 0 ?
		      (size_t)st.st_size + 1 : SNIFF_BYTES;
		buf = malloc(cap + 1);
		if (!buf)
			kf_err(KF_EXIT_OSERR, "out of memory reading '%s'",
			       path);
		else
			n = input_slurp(fd, path, &buf, cap);
	}
	if (fd > 0)
		close(fd);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

static sigjmp_buf stream_bus;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(stream_bus, 1);
}

int kf_input_stream(const char *path, struct kf_model *m,
		    int (*each)(void *ctx, struct kf_model *m, uint32_t call),
		    void *ctx)
{
	struct sigaction sa = { .sa_handler = on_sigbus }, old;
	struct stat st;
	char *map;
	int fd, rc;

	if (!strcmp(path, "-") ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (uint64_t)st.st_size > MAX_INPUT_BYTES) {
		close(fd);
		return 0;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return 0;
	if (!kf_capfile_sniff(map, (size_t)st.st_size)) {
		munmap(map, (size_t)st.st_size);
		return 0;
	}
	madvise(map, (size_t)st.st_size, MADV_SEQUENTIAL);
	/* a file cut short under the mapping faults: one line, not a crash */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &old);
	if (sigsetjmp(stream_bus, 1) == 0)
		rc = kf_capfile_stream(map, (size_t)st.st_size, 1, m, path,
				       each, ctx);
	else
		rc = kf_err(KF_EXIT_NOINPUT, "cannot read '%s': it changed "
			    "while being read", path);
	sigaction(SIGBUS, &old, NULL);
	munmap(map, (size_t)st.st_size);
	return rc < 0 ? -1 : 1;
}

/* --input: a saved capture or the kernel's function_graph text. */
int kf_input_load(const char *path, struct kf_model *m)
{
	size_t len = 0;
	char *buf, *src;
	int rc = -1;

	if (strcmp(path, "-") != 0) {
		/* a trace-cmd data file can be large: libtracecmd reads it */
		char head[16];
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		ssize_t n = fd >= 0 ? read(fd, head, sizeof(head)) : -1;

		if (fd >= 0)
			close(fd);
		if (n > 0 && kf_datin_sniff(head, (size_t)n))
			return kf_datin_load(path, m);
	}
	buf = read_input(path, &len);
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
		kf_err(KF_EXIT_DATAERR, "'%s' is neither a kfollow capture, "
		       "function_graph text nor a trace-cmd data file (save "
		       "one with --output, the kernel's 'trace' file with "
		       "current_tracer function_graph, or trace-cmd record "
		       "-p function_graph)", path);
	}
	free(buf);
	return rc;
}

