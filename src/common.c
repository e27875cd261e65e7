// SPDX-License-Identifier: GPL-2.0-or-later
/* common.c - error buffer, warnings, duration parsing, edit distance. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kf_common.h"

int kf_quiet;
int kf_verbose;

static __thread char err_buf[1024];
static __thread int err_code;

const char *kf_exit_text(int code)
{
	switch (code) {
#define KF_X(name, c, text) case c: return text;
		KF_EXIT_CODES(KF_X)
#undef KF_X
	}
	return "the traced command's exit status";
}

static void err_vset(int code, int with_errno, const char *fmt, va_list ap)
{
	int saved = errno;
	int n = vsnprintf(err_buf, sizeof(err_buf), fmt, ap);

	if (with_errno && n >= 0 && (size_t)n < sizeof(err_buf))
		snprintf(err_buf + n, sizeof(err_buf) - n, ": %s",
			 strerror(saved));
	err_code = code;
	errno = saved;
}

int kf_err(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(code, 0, fmt, ap);
	va_end(ap);
	return -1;
}

int kf_err_errno(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(code, 1, fmt, ap);
	va_end(ap);
	return -1;
}

const char *kf_err_msg(void)
{
	return err_buf;
}

int kf_err_code(void)
{
	return err_code ? err_code : KF_EXIT_FAILURE;
}

void kf_err_clear(void)
{
	err_buf[0] = '\0';
	err_code = 0;
}

void kf_warn(const char *fmt, ...)
{
	va_list ap;

	fputs("kfollow: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void kf_note(const char *fmt, ...)
{
	va_list ap;

	if (kf_quiet)
		return;
	fputs("kfollow: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int kf_parse_duration(const char *s, uint64_t *ns)
{
	static const struct {
		const char *unit;
		double mult;
	} units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 },
		{ "", 1 },  /* a bare number is nanoseconds */
	};
	char *end;
	double v;
	size_t i;

	if (!s || !*s || isspace((unsigned char)*s) || *s == '-' || *s == '+')
		goto bad;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || !isfinite(v) || v < 0)
		goto bad;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].unit) == 0) {
			double r = v * units[i].mult;

			if (r >= 18e18)
				goto bad;
			*ns = (uint64_t)(r + 0.5);
			return 0;
		}
	}
bad:
	return kf_err(KF_EXIT_USAGE,
		      "invalid duration '%s': use a number with a unit, "
		      "such as 500ns, 10us, 1.5ms or 2s", s ? s : "");
}

int kf_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	int row[128];

	if (lb >= sizeof(row) / sizeof(row[0]) || la >= 128)
		return 1000;
	for (j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (i = 1; i <= la; i++) {
		int prev = row[0], tmp;

		row[0] = (int)i;
		for (j = 1; j <= lb; j++) {
			int cost = a[i - 1] != b[j - 1];
			int best = prev + cost;

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			tmp = row[j];
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
}

void kf_out_init(struct kf_out *o, char *buf, size_t len)
{
	o->buf = buf;
	o->len = len;
	o->pos = 0;
	if (len)
		buf[0] = '\0';
}

void kf_out_put(struct kf_out *o, const char *s, size_t n)
{
	if (o->pos < o->len) {
		size_t room = o->len - o->pos - 1;
		size_t k = n < room ? n : room;

		memcpy(o->buf + o->pos, s, k);
		o->buf[o->pos + k] = '\0';
	}
	o->pos += n;
}

void kf_out_puts(struct kf_out *o, const char *s)
{
	kf_out_put(o, s, strlen(s));
}

void kf_out_printf(struct kf_out *o, const char *fmt, ...)
{
	size_t room = o->pos < o->len ? o->len - o->pos : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? o->buf + o->pos : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->pos += (size_t)n;
}

int kf_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
