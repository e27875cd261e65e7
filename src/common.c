// SPDX-License-Identifier: GPL-2.0-or-later
/* common.c - error buffer, warnings, duration parsing, edit distance. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
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

/*
 * One byte as strace escapes it inside a string; next is the byte after
 * it (or -1): an octal escape takes 3 digits when an octal digit follows,
 * so "\1" "7" prints as "\0017".
 */
static void escape_byte(struct kf_out *o, unsigned char ch, int next)
{
	switch (ch) {
	case '"': kf_out_puts(o, "\\\""); break;
	case '\\': kf_out_puts(o, "\\\\"); break;
	case '\f': kf_out_puts(o, "\\f"); break;
	case '\n': kf_out_puts(o, "\\n"); break;
	case '\r': kf_out_puts(o, "\\r"); break;
	case '\t': kf_out_puts(o, "\\t"); break;
	case '\v': kf_out_puts(o, "\\v"); break;
	default:
		if (ch >= 0x20 && ch < 0x7f)
			kf_out_put(o, (const char *)&ch, 1);
		else if (next >= '0' && next <= '7')
			kf_out_printf(o, "\\%03o", ch);
		else
			kf_out_printf(o, "\\%o", ch);
	}
}

static int unsafe_byte(unsigned char ch)
{
	return ch < 0x20 || ch >= 0x7f;
}

void kf_out_escape(struct kf_out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		escape_byte(o, (unsigned char)s[i],
			    i + 1 < n ? (unsigned char)s[i + 1] : -1);
}

const char *kf_escape(char *buf, size_t len, const char *s)
{
	struct kf_out o;

	kf_out_init(&o, buf, len);
	kf_out_escape(&o, s ? s : "", s ? strlen(s) : 0);
	return buf;
}

/*
 * Messages: only the bytes that could drive a terminal are escaped (as
 * kf_out_escape does), so a message quoting another, already escaped,
 * keeps its backslashes single.
 */
static void escape_msg(char *dst, size_t len, const char *s)
{
	struct kf_out o;
	size_t n = strlen(s);

	kf_out_init(&o, dst, len);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (unsafe_byte(ch))
			escape_byte(&o, ch, i + 1 < n ?
				    (unsigned char)s[i + 1] : -1);
		else
			kf_out_put(&o, &s[i], 1);
	}
}

static void err_vset(int code, int with_errno, const char *fmt, va_list ap)
{
	int saved = errno;
	char raw[sizeof(err_buf)];
	int n = vsnprintf(raw, sizeof(raw), fmt, ap);

	if (with_errno && n >= 0 && (size_t)n < sizeof(raw))
		snprintf(raw + n, sizeof(raw) - n, ": %s", strerror(saved));
	escape_msg(err_buf, sizeof(err_buf), raw);
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

static void msg_vprint(const char *prefix, const char *fmt, va_list ap)
{
	char raw[2048], safe[4096];

	vsnprintf(raw, sizeof(raw), fmt, ap);
	escape_msg(safe, sizeof(safe), raw);
	fprintf(stderr, "%s%s\n", prefix, safe);
}

void kf_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vprint("kfollow: warning: ", fmt, ap);
	va_end(ap);
}

void kf_note(const char *fmt, ...)
{
	va_list ap;

	if (kf_quiet)
		return;
	va_start(ap, fmt);
	msg_vprint("kfollow: ", fmt, ap);
	va_end(ap);
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

int kf_grow(void **arr, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 16;
	void *p;

	if (need <= *cap)
		return 0;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			return errno = ENOMEM, -1;
		n *= 2;
	}
	if (size && n > SIZE_MAX / size)
		return errno = ENOMEM, -1;
	p = realloc(*arr, n * size);
	if (!p)
		return errno = ENOMEM, -1;
	*arr = p;
	*cap = n;
	return 0;
}

char *kf_read_fd(int fd, size_t max, size_t *len)
{
	size_t cap = 0, n = 0;
	char *buf = NULL;

	for (;;) {
		ssize_t r;

		if (kf_grow((void **)&buf, &cap, n + 65537, 1) < 0)
			goto fail;
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto fail;
		if (r == 0)
			break;
		n += r;
		if (max && n > max) {
			errno = EFBIG;
			goto fail;
		}
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
fail: {
		int e = errno;

		free(buf);
		errno = e;
		return NULL;
	}
}

char *kf_read_file(const char *path, size_t max, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), e;
	char *buf;

	if (fd < 0)
		return NULL;
	buf = kf_read_fd(fd, max, len);
	e = errno;
	close(fd);
	errno = e;
	return buf;
}
