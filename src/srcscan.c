// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * srcscan.c - find function definitions in kernel source text, and the
 * kernel-doc summaries that name them; read a tar stream member by member.
 *
 * Not a C parser: a scanner that knows comments, strings, character
 * literals and preprocessor lines, counts braces and parentheses, and
 * takes "identifier ( ... ) [attributes] {" at file scope as a
 * definition.  That is what kernel style gives: every function ends with a
 * "}" in column 0, which also puts the count right again after an #ifdef
 * that opened a brace twice.  Input is untrusted: every index is checked.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kf_common.h"
#include "kf_srcmap.h"

static int is_id0(int c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_id(int c)
{
	return is_id0(c) || (c >= '0' && c <= '9');
}

/* ---- kernel-doc summaries ----------------------------------------- */

/*
 * The summary of kernel-doc comment [p, end) if its first line names
 * name: "name() - summary" or "name - summary" (or ':'), continued on the
 * next lines up to a blank line or an @argument.  Written cleaned into
 * out (KF_SRC_DOC_MAX + 1 bytes); returns its length, or 0.
 */
static size_t doc_summary(const char *p, const char *end, const char *name,
			  size_t nlen, char *out)
{
	size_t o = 0;
	int first = 1, space = 0;

	p += 3; /* the opening slash and two stars */
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *q, *lend = eol ? eol : end;

		q = p;
		while (q < lend && (*q == ' ' || *q == '\t'))
			q++;
		while (q < lend && *q == '*' && !(q + 1 < lend && q[1] == '/'))
			q++;
		while (q < lend && (*q == ' ' || *q == '\t'))
			q++;
		if (lend - q >= 2 && q[0] == '*' && q[1] == '/')
			lend = q;
		if (first) {
			if (q == lend) { /* the opening line holds nothing else */
				p = eol ? eol + 1 : end;
				continue;
			}
			if ((size_t)(lend - q) > 9 && !memcmp(q, "function ", 9))
				q += 9;
			if ((size_t)(lend - q) < nlen || memcmp(q, name, nlen) ||
			    (q + nlen < lend && is_id(q[nlen])))
				return 0;
			q += nlen;
			if (lend - q >= 2 && q[0] == '(' && q[1] == ')')
				q += 2;
			while (q < lend && (*q == ' ' || *q == '\t'))
				q++;
			if (q >= lend || (*q != '-' && *q != ':'))
				return 0;
			q++;
			/* "name: - summary" */
			while (q < lend && (*q == ' ' || *q == '\t'))
				q++;
			if (q < lend && *q == '-' && q + 1 < lend &&
			    q[1] == ' ')
				q++;
			first = 0;
		} else if (q == lend || *q == '@') {
			break;
		}
		for (; q < lend; q++) {
			unsigned char c = (unsigned char)*q;

			if (c == ' ' || c == '\t' || c < 0x20 || c == 0x7f) {
				space = o > 0;
				continue;
			}
			if (o + (space ? 2 : 1) > KF_SRC_DOC_MAX)
				goto full;
			if (space)
				out[o++] = ' ';
			space = 0;
			out[o++] = (char)c;
		}
		space = o > 0;
		if (!eol)
			break;
		p = eol + 1;
	}
	out[o] = '\0';
	return o;
full:
	/* cut at a word and say so */
	while (o > 0 && out[o - 1] != ' ')
		o--;
	if (o > 0)
		o--;
	if (o + 3 > KF_SRC_DOC_MAX)
		o = KF_SRC_DOC_MAX - 3;
	memcpy(out + o, "...", 3);
	o += 3;
	out[o] = '\0';
	return o;
}

/* ---- C ------------------------------------------------------------ */

struct cscan {
	const char *buf, *p, *end;
	uint32_t line;
	int depth;          /* braces */
	int pdepth;         /* parentheses at file scope */
	int state;          /* 0 nothing, 1 in a candidate's parameters,
			     * 2 after them */
	const char *cand;   /* the candidate name */
	size_t clen;
	uint32_t cline;
	const char *arg;    /* first identifier of its parameters */
	size_t alen;
	int want_arg;
	int inl;            /* "inline" seen in this declaration */
	int ids_after;      /* identifiers since the parameters closed */
	const char *id;     /* the token just before, when an identifier */
	size_t idlen;
	uint32_t idline;
	const char *doc, *doc_end; /* the last kernel-doc comment */
	kf_srcdef_fn fn;
	void *ctx;
	/* "#define name other_name": a function defined as name is the
	 * symbol other_name (qspinlock.c defines queued_spin_lock_slowpath
	 * as native_queued_spin_lock_slowpath, then again as
	 * __pv_queued_spin_lock_slowpath); pointers into buf */
	struct { const char *from, *to; size_t flen, tlen; } alias[8];
	int nalias;
};

static int emit(struct cscan *s, const char *name, size_t nlen, uint32_t line)
{
	char doc[KF_SRC_DOC_MAX + 1];
	size_t dlen = 0;

	if (s->doc)
		dlen = doc_summary(s->doc, s->doc_end, name, nlen, doc);
	return s->fn(s->ctx, name, nlen, line | (s->inl ? KF_SRC_INLINE : 0),
		     dlen ? doc : NULL, dlen);
}

static int emit_prefixed(struct cscan *s, const char *pre, const char *name,
			 size_t nlen, uint32_t line)
{
	char buf[256];
	size_t pl = strlen(pre);

	if (pl + nlen >= sizeof(buf))
		return 0;
	memcpy(buf, pre, pl);
	memcpy(buf + pl, name, nlen);
	return s->fn(s->ctx, buf, pl + nlen, line, NULL, 0);
}

static int macro_name(const char *n, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (islower((unsigned char)n[i]))
			return 0;
	return 1;
}

/* A definition of the candidate: its name, or the symbols a defining
 * macro makes from its first argument. */
static int define(struct cscan *s)
{
	static const char *const sys[] = {
		"__x64_sys_", "__ia32_sys_", "__do_sys_", "__se_sys_", "sys_",
	};
	static const char *const compat[] = {
		"__x64_compat_sys_", "__ia32_compat_sys_", "__do_compat_sys_",
		"__se_compat_sys_", "compat_sys_",
	};
	const char *n = s->cand;
	size_t len = s->clen, i;

	if (len == 15 && !memcmp(n, "SYSCALL_DEFINE", 14) && s->arg) {
		for (i = 0; i < sizeof(sys) / sizeof(sys[0]); i++)
			if (emit_prefixed(s, sys[i], s->arg, s->alen,
					  s->cline) < 0)
				return -1;
		return 0;
	}
	if (len == 22 && !memcmp(n, "COMPAT_SYSCALL_DEFINE", 21) && s->arg) {
		for (i = 0; i < sizeof(compat) / sizeof(compat[0]); i++)
			if (emit_prefixed(s, compat[i], s->arg, s->alen,
					  s->cline) < 0)
				return -1;
		return 0;
	}
	if (len == 10 && !memcmp(n, "BPF_CALL_", 9) && s->arg)
		return emit(s, s->arg, s->alen, s->cline);
	if (macro_name(n, len))
		return 0; /* some other macro that makes a function */
	for (i = 0; i < (size_t)s->nalias; i++)
		if (s->alias[i].flen == len && !memcmp(s->alias[i].from, n, len) &&
		    emit(s, s->alias[i].to, s->alias[i].tlen, s->cline) < 0)
			return -1;
	return emit(s, n, len, s->cline);
}

/* Skip a comment at s->p ("/ *" or "/ /"), counting lines; remember a
 * kernel-doc comment at file scope. */
static void skip_comment(struct cscan *s)
{
	const char *start = s->p;

	if (s->p[1] == '/') {
		while (s->p < s->end && *s->p != '\n')
			s->p++;
		return;
	}
	s->p += 2;
	while (s->p < s->end && !(*s->p == '*' && s->p + 1 < s->end &&
				  s->p[1] == '/')) {
		if (*s->p == '\n')
			s->line++;
		s->p++;
	}
	s->p = s->p < s->end ? s->p + 2 : s->end;
	if (s->depth == 0 && s->p - start >= 5 && start[2] == '*' &&
	    start[3] != '*') {
		s->doc = start;
		s->doc_end = s->p;
	}
}

/* Skip a string or character literal at s->p; it ends at its quote or,
 * broken, at the end of the line. */
static void skip_literal(struct cscan *s)
{
	char q = *s->p++;

	while (s->p < s->end && *s->p != q && *s->p != '\n') {
		if (*s->p == '\\' && s->p + 1 < s->end) {
			if (s->p[1] == '\n')
				s->line++;
			s->p++;
		}
		s->p++;
	}
	if (s->p < s->end && *s->p == q)
		s->p++;
}

/* The identifier at *p (advanced past it and the blanks after it), or
 * NULL. */
static const char *word(const char **p, const char *end, size_t *len)
{
	const char *st = *p;

	if (st >= end || !is_id0(*st))
		return NULL;
	while (*p < end && is_id(**p))
		(*p)++;
	*len = (size_t)(*p - st);
	while (*p < end && (**p == ' ' || **p == '\t'))
		(*p)++;
	return st;
}

/* Note "#define name other_name" (one identifier renaming another, as a
 * lowercase function name) and forget it at "#undef name"; p is at the
 * '#'. */
static void note_alias(struct cscan *s, const char *p)
{
	const char *kw, *from, *to;
	size_t kl, fl, tl = 0, i;
	int k;

	p++;
	while (p < s->end && (*p == ' ' || *p == '\t'))
		p++;
	if (!(kw = word(&p, s->end, &kl)) || !(from = word(&p, s->end, &fl)))
		return;
	for (k = 0; k < s->nalias; k++)
		if (s->alias[k].flen == fl && !memcmp(s->alias[k].from, from, fl))
			break;
	if (kl == 5 && !memcmp(kw, "undef", 5)) {
		if (k < s->nalias)
			s->alias[k] = s->alias[--s->nalias];
		return;
	}
	if (kl != 6 || memcmp(kw, "define", 6) || !(to = word(&p, s->end, &tl)) ||
	    (p < s->end && *p != '\n' && *p != '\r' && *p != '/'))
		return;
	for (i = 0; i < tl && !islower((unsigned char)to[i]); i++)
		;
	if (i == tl || macro_name(from, fl))
		return;
	if (k == s->nalias) {
		if (s->nalias == (int)(sizeof(s->alias) / sizeof(s->alias[0])))
			return;
		s->nalias++;
	}
	s->alias[k].from = from;
	s->alias[k].flen = fl;
	s->alias[k].to = to;
	s->alias[k].tlen = tl;
}

/* Skip a preprocessor line (continued by backslashes; comments in it
 * may span lines). */
static void skip_directive(struct cscan *s)
{
	note_alias(s, s->p);
	while (s->p < s->end && *s->p != '\n') {
		if (*s->p == '\\' && s->p + 1 < s->end && s->p[1] == '\n') {
			s->line++;
			s->p += 2;
		} else if (*s->p == '/' && s->p + 1 < s->end &&
			   (s->p[1] == '*' || s->p[1] == '/')) {
			const char *doc = s->doc, *de = s->doc_end;

			skip_comment(s);
			s->doc = doc;
			s->doc_end = de;
		} else {
			s->p++;
		}
	}
}

/* inline, __inline, __inline__, __always_inline; not noinline */
static int is_inline(const char *id, size_t len)
{
	static const char *const kw[] = {
		"inline", "__inline", "__inline__", "__always_inline",
	};

	for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
		if (len == strlen(kw[i]) && !memcmp(id, kw[i], len))
			return 1;
	return 0;
}

static void forget(struct cscan *s)
{
	s->inl = 0;
	s->state = 0;
	s->cand = NULL;
	s->arg = NULL;
	s->want_arg = 0;
}

int kf_srcscan_c(const char *buf, size_t len, kf_srcdef_fn fn, void *ctx)
{
	struct cscan s = { .buf = buf, .p = buf, .end = buf + len, .line = 1,
			   .fn = fn, .ctx = ctx };
	int bol = 1, col0;

	while (s.p < s.end) {
		char c = *s.p;

		if (c == '\n') {
			s.line++;
			s.p++;
			bol = 1;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' ||
		    c == '\v') {
			s.p++;
			continue;
		}
		col0 = s.p == s.buf || s.p[-1] == '\n';
		if (c == '#' && bol) {
			skip_directive(&s);
			s.id = NULL;
			continue;
		}
		bol = 0;
		if (c == '/' && s.p + 1 < s.end &&
		    (s.p[1] == '*' || s.p[1] == '/')) {
			skip_comment(&s);
			continue;
		}
		if (c == '"' || c == '\'') {
			skip_literal(&s);
			s.id = NULL;
			continue;
		}
		if (is_id0(c)) {
			const char *st = s.p;

			while (s.p < s.end && is_id(*s.p))
				s.p++;
			s.id = st;
			s.idlen = (size_t)(s.p - st);
			s.idline = s.line;
			if (s.depth == 0 && s.state == 2 && s.pdepth == 0)
				s.ids_after++;
			if (s.depth == 0 && is_inline(st, s.idlen))
				s.inl = 1;
			if (s.depth == 0 && s.state == 1 && s.pdepth == 1 &&
			    s.want_arg) {
				s.arg = st;
				s.alen = s.idlen;
				s.want_arg = 0;
			}
			continue;
		}
		if (c >= '0' && c <= '9') {
			while (s.p < s.end && (is_id(*s.p) || *s.p == '.'))
				s.p++;
			s.id = NULL;
			continue;
		}
		s.p++;
		switch (c) {
		case '(':
			if (s.depth == 0 && s.pdepth == 0 && s.id) {
				/* "f(a) __acquires(x) {": an attribute right
				 * after the parameters; "M(u8) u32 __f(" is a
				 * new declaration after a macro */
				int attr = s.state == 2 && s.ids_after == 1 &&
					   s.idlen > 2 && s.id[0] == '_' &&
					   s.id[1] == '_';

				if (!attr) {
					s.state = 1;
					s.cand = s.id;
					s.clen = s.idlen;
					s.cline = s.idline;
					s.arg = NULL;
					s.want_arg = 1;
				}
			}
			if (s.depth == 0)
				s.pdepth++;
			break;
		case ')':
			if (s.depth == 0 && s.pdepth > 0 && --s.pdepth == 0) {
				if (s.state == 1)
					s.state = 2;
				s.ids_after = 0;
			}
			break;
		case ',':
			if (s.depth == 0 && s.pdepth == 1)
				s.want_arg = 0;
			break;
		case ';':
		case '=':
			if (s.depth == 0 && s.pdepth == 0)
				forget(&s);
			break;
		case '{':
			if (s.depth == 0 && s.pdepth == 0 && s.state == 2) {
				if (define(&s) < 0)
					return -1;
				s.doc = NULL;
			}
			if (s.depth == 0)
				forget(&s);
			if (s.depth < 1 << 20)
				s.depth++;
			break;
		case '}':
			if (s.depth > 0)
				s.depth--;
			if (col0) { /* a function's end: file scope again */
				s.depth = 0;
				s.pdepth = 0;
				forget(&s);
			}
			break;
		default:
			break;
		}
		s.id = NULL;
	}
	return 0;
}

/* ---- assembly ----------------------------------------------------- */

int kf_srcscan_asm(const char *buf, size_t len, kf_srcdef_fn fn, void *ctx)
{
	static const char *const starts[] = {
		"SYM_FUNC_START", "SYM_CODE_START", "SYM_INNER_LABEL",
		"SYM_TYPED_FUNC_START", "ENTRY", "GLOBAL",
	};
	const char *p = buf, *end = buf + len;
	uint32_t line = 1;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *le = eol ? eol : end, *q = p;

		while (q < le && (*q == ' ' || *q == '\t'))
			q++;
		for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
			size_t sl = strlen(starts[i]);
			const char *n;

			if ((size_t)(le - q) <= sl || memcmp(q, starts[i], sl))
				continue;
			n = q + sl;
			while (n < le && (is_id(*n)))
				n++; /* _LOCAL, _NOALIGN, _ALIAS, ... */
			if (n >= le || *n != '(')
				break;
			n++;
			while (n < le && (*n == ' ' || *n == '\t'))
				n++;
			q = n;
			while (n < le && is_id(*n))
				n++;
			if (n > q && is_id0(*q) &&
			    fn(ctx, q, (size_t)(n - q), line, NULL, 0) < 0)
				return -1;
			break;
		}
		line++;
		p = eol ? eol + 1 : end;
	}
	return 0;
}

/* ---- tar ---------------------------------------------------------- */

#define TAR_BLOCK 512
#define TAR_NAME_MAX 4096

/* An octal header field; -1 when it is not one (or too large). */
static long long tar_num(const unsigned char *f, size_t len)
{
	long long v = 0;
	size_t i = 0;

	while (i < len && (f[i] == ' ' || f[i] == '\0'))
		i++;
	if (i == len)
		return 0;
	for (; i < len && f[i] >= '0' && f[i] <= '7'; i++) {
		if (v > (1LL << 40))
			return -1;
		v = v * 8 + (f[i] - '0');
	}
	for (; i < len; i++)
		if (f[i] != ' ' && f[i] != '\0')
			return -1;
	return v;
}

static int tar_sum_ok(const unsigned char *h)
{
	long long want = tar_num(h + 148, 8);
	long long sum = 0;

	for (int i = 0; i < TAR_BLOCK; i++)
		sum += (i >= 148 && i < 156) ? ' ' : h[i];
	return want >= 0 && sum == want;
}

/* Read n bytes into buf (NULL: discard).  0, or -1 at the end/error. */
static int tar_take(FILE *in, char *buf, size_t n)
{
	char junk[8192];

	if (buf)
		return fread(buf, 1, n, in) == n ? 0 : -1;
	while (n > 0) {
		size_t k = n < sizeof(junk) ? n : sizeof(junk);

		if (fread(junk, 1, k, in) != k)
			return -1;
		n -= k;
	}
	return 0;
}

static size_t tar_pad(long long size)
{
	return (size_t)((TAR_BLOCK - size % TAR_BLOCK) % TAR_BLOCK);
}

/* The "path" record of a pax header, copied into name. */
static void pax_path(const char *d, size_t len, char *name)
{
	size_t i = 0;

	while (i < len) {
		size_t rl = 0, j = i;

		while (j < len && d[j] >= '0' && d[j] <= '9' && rl < len)
			rl = rl * 10 + (size_t)(d[j++] - '0');
		if (rl == 0 || rl > len - i || j >= len || d[j] != ' ')
			return;
		j++;
		if (i + rl - j > 5 && !memcmp(d + j, "path=", 5)) {
			size_t vl = i + rl - j - 5 - 1; /* less the newline */

			if (vl < TAR_NAME_MAX) {
				memcpy(name, d + j + 5, vl);
				name[vl] = '\0';
			}
		}
		i += rl;
	}
}

int kf_tar_read(FILE *in, size_t max, int (*want)(void *ctx, const char *path),
		int (*fn)(void *ctx, const char *path, const char *data,
			  size_t len),
		void *ctx)
{
	unsigned char h[TAR_BLOCK];
	char *name = malloc(TAR_NAME_MAX), *longname = malloc(TAR_NAME_MAX);
	char *data = NULL;
	size_t cap = 0;
	int rc = -1, zeros = 0;

	if (!name || !longname) {
		kf_err(KF_EXIT_OSERR, "out of memory");
		goto out;
	}
	longname[0] = '\0';
	for (;;) {
		long long size;
		char type;
		int keep;

		if (fread(h, 1, TAR_BLOCK, in) != TAR_BLOCK) {
			if (zeros > 0 && !ferror(in))
				rc = 0; /* one zero block, then the end */
			else
				kf_err(KF_EXIT_DATAERR, "the source archive "
				       "ends in the middle of a member");
			goto out;
		}
		if (h[0] == '\0') {
			size_t i = 0;

			while (i < TAR_BLOCK && h[i] == 0)
				i++;
			if (i == TAR_BLOCK) {
				if (++zeros == 2) {
					rc = 0;
					goto out;
				}
				continue;
			}
		}
		zeros = 0;
		if (!tar_sum_ok(h)) {
			kf_err(KF_EXIT_DATAERR, "the source archive is not a "
			       "tar archive or is damaged (bad header "
			       "checksum)");
			goto out;
		}
		size = tar_num(h + 124, 12);
		if (size < 0) {
			kf_err(KF_EXIT_DATAERR, "the source archive has a "
			       "member of unreadable size");
			goto out;
		}
		type = (char)h[156];
		if (type == 'L' || type == 'x') {
			/* a long name for the next member */
			char *d;

			if (size > 1 << 20) {
				kf_err(KF_EXIT_DATAERR, "the source archive "
				       "has an oversized extended header");
				goto out;
			}
			d = malloc((size_t)size + 1);
			if (!d || tar_take(in, d, (size_t)size) < 0 ||
			    tar_take(in, NULL, tar_pad(size)) < 0) {
				free(d);
				kf_err(KF_EXIT_DATAERR, "the source archive "
				       "ends in an extended header");
				goto out;
			}
			d[size] = '\0';
			if (type == 'L')
				snprintf(longname, TAR_NAME_MAX, "%s", d);
			else
				pax_path(d, (size_t)size, longname);
			free(d);
			continue;
		}
		if (longname[0]) {
			memcpy(name, longname, TAR_NAME_MAX);
			longname[0] = '\0';
		} else if (!memcmp(h + 257, "ustar", 5) && h[345]) {
			snprintf(name, TAR_NAME_MAX, "%.155s/%.100s",
				 (const char *)h + 345, (const char *)h);
		} else {
			snprintf(name, TAR_NAME_MAX, "%.100s",
				 (const char *)h);
		}
		keep = (type == '0' || type == '\0') && (size_t)size <= max &&
		       want(ctx, name);
		if (!keep) {
			if (tar_take(in, NULL, (size_t)size + tar_pad(size)) <
			    0) {
				kf_err(KF_EXIT_DATAERR, "the source archive "
				       "ends in the middle of a member");
				goto out;
			}
			continue;
		}
		if ((size_t)size + 1 > cap) {
			char *nd = realloc(data, (size_t)size + 1);

			if (!nd) {
				kf_err(KF_EXIT_OSERR, "out of memory");
				goto out;
			}
			data = nd;
			cap = (size_t)size + 1;
		}
		if (tar_take(in, data, (size_t)size) < 0 ||
		    tar_take(in, NULL, tar_pad(size)) < 0) {
			kf_err(KF_EXIT_DATAERR, "the source archive ends in "
			       "the middle of '%s'", name);
			goto out;
		}
		data[size] = '\0';
		if (fn(ctx, name, data, (size_t)size) < 0)
			goto out;
	}
out:
	free(data);
	free(name);
	free(longname);
	return rc;
}
