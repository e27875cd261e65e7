// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * capfile.c - the saved capture, kfollow-capture(5): a streaming JSON
 * writer and a zero-trust reader for the same document.
 *
 * Times in the file are ns after meta.t0_ns, the earliest time in the
 * capture, so the numbers stay short.  A 64-bit value a double cannot hold
 * exactly (2^53 and above) is written as a "0x..." string, because most
 * JSON tools read numbers as doubles.  Bytes that are not UTF-8 are written
 * as "\udcXX" (U+DC00 + the byte, as Python's surrogateescape does) and
 * read back as the byte, so every C string survives the round trip.
 *
 * Neither side recurses: hostile input can nest trees arbitrarily deep.
 * The writer walks the tree with its parent links; the reader keeps an
 * explicit stack of open nodes and bounds every size it reads.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kf_build.h"
#include "kf_capfile.h"
#include "kf_explain.h"
#include "kf_srcmap.h"
#include "kf_common.h"

/* Limits of the reader, documented in kfollow-capture(5). */
#define MAX_TREE_DEPTH 65535  /* kf_node.depth is 16 bits */
#define MAX_SKIP_DEPTH 1000   /* nesting of values under unknown keys */
#define MAX_SYSCALLS 4096     /* Linux has ~460; bounds a quadratic check */
#define MAX_CPUS 65536        /* kf_node.cpu is 16 bits */

/* Node lines are indented a space per level, up to this depth (cosmetic). */
#define INDENT_DEPTH 64

/* 2^53: integers from here on are written as hex strings. */
#define EXACT_LIMIT (UINT64_C(1) << 53)

static const char *const mode_names[] = {
	[KF_MODE_GRAPH] = "graph",
	[KF_MODE_BOUNDARY] = "boundary",
	[KF_MODE_TEXT] = "text",
	NULL,
};

static const char *const kind_names[] = {
	[KF_ARG_INT] = "int",
	[KF_ARG_UINT] = "uint",
	[KF_ARG_PTR] = "ptr",
	[KF_ARG_STR] = "str",
	NULL,
};

struct flag_name {
	uint16_t flag;
	const char *name;
};

/* KF_CALL_HAS_RET is not listed: the "ret" key carries it. */
static const struct flag_name call_flags[] = {
	{ KF_CALL_NOENTER, "noenter" },
	{ KF_CALL_NOEXIT, "noexit" },
	{ KF_CALL_INCOMPLETE, "incomplete" },
	{ KF_CALL_REPAIRED, "repaired" },
	{ KF_CALL_OPEN, "open" },
	{ KF_CALL_NORETURN, "noreturn" },
	{ KF_CALL_CLOCK, "clock" },
	{ 0, NULL },
};

static const struct flag_name node_flags[] = {
	{ KF_NODE_IRQ, "irq" },
	{ KF_NODE_SOFTIRQ, "softirq" },
	{ KF_NODE_NMI, "nmi" },
	{ KF_NODE_NOENTRY, "noentry" },
	{ KF_NODE_NOEXIT, "noexit" },
	{ KF_NODE_LOST, "lost" },
	{ KF_NODE_OVERRUN, "overrun" },
	{ KF_NODE_CLOCK, "clock" },
	{ 0, NULL },
};

/*
 * The keys of each object, one row per key: the reader, the writer (of
 * meta) and the list of required keys all come from the same row, so they
 * cannot drift apart.  A row's value goes to `off` in the object the
 * reader is given, unless the object reads it with its own code (FK_OWN).
 */
enum fkind {
	FK_OWN,		/* read by the object's own code */
	FK_OPT_STR,	/* null or a string: a char * it owns */
	FK_INTERN,	/* a string: its uint32_t id in the model's strtab */
	FK_U64,		/* an unsigned 64-bit number: uint64_t */
	FK_INT,		/* an integer in [lo, hi]: uint16_t or int32_t */
	FK_NAME,	/* one of names[]: its index, uint8_t or an enum */
	FK_FLAGS,	/* an array of flag names: uint16_t */
};

struct field {
	const char *key;
	uint8_t kind;
	uint8_t required;
	uint8_t size;		/* FK_INT, FK_NAME: bytes at off */
	uint8_t own;		/* FK_OWN: which one, for the object's code */
	size_t off;
	int64_t lo, hi;		/* FK_INT */
	const char *const *names; /* FK_NAME, NULL-terminated */
	const struct flag_name *flags; /* FK_FLAGS */
	const char *what;	/* FK_NAME: the thing named, for errors */
};

#define REQ 1
#define F_OWN(k, id, req) \
	{ .key = (k), .kind = FK_OWN, .own = (id), .required = (req) }
#define F_STR(k, T, m) \
	{ .key = (k), .kind = FK_OPT_STR, .off = offsetof(T, m) }
#define F_INTERN(k, T, m, req) \
	{ .key = (k), .kind = FK_INTERN, .required = (req), \
	  .off = offsetof(T, m) }
#define F_U64(k, T, m, req) \
	{ .key = (k), .kind = FK_U64, .required = (req), \
	  .off = offsetof(T, m) }
#define F_INT(k, T, m, l, h, req) \
	{ .key = (k), .kind = FK_INT, .required = (req), \
	  .size = sizeof(((T *)0)->m), .off = offsetof(T, m), \
	  .lo = (l), .hi = (h) }
#define F_NAME(k, T, m, tab, w, req) \
	{ .key = (k), .kind = FK_NAME, .required = (req), \
	  .size = sizeof(((T *)0)->m), .off = offsetof(T, m), \
	  .names = (tab), .what = (w) }
#define F_FLAGS(k, T, m, tab) \
	{ .key = (k), .kind = FK_FLAGS, .off = offsetof(T, m), \
	  .flags = (tab) }
#define F_END { .key = NULL }


/* Store v, already in the row's range, into a field of `size` bytes. */
static void put_int(void *p, unsigned int size, int64_t v)
{
	if (size == sizeof(uint8_t))
		*(uint8_t *)p = (uint8_t)v;
	else if (size == sizeof(uint16_t))
		*(uint16_t *)p = (uint16_t)v;
	else
		*(int32_t *)p = (int32_t)v;
}

static int64_t get_int(const void *p, unsigned int size)
{
	if (size == sizeof(uint8_t))
		return *(const uint8_t *)p;
	if (size == sizeof(uint16_t))
		return *(const uint16_t *)p;
	return *(const int32_t *)p;
}

enum { OWN_LOST_PER_CPU, OWN_T0 };

/* meta, in the order it is written; t0_ns is the reader's, not kf_meta's */
static const struct field meta_fields[] = {
	F_STR("kfollow_version", struct kf_meta, kfollow_version),
	F_STR("kernel", struct kf_meta, kernel),
	F_STR("kernel_build", struct kf_meta, kernel_build),
	F_STR("machine", struct kf_meta, machine),
	F_STR("date", struct kf_meta, date),
	F_STR("command", struct kf_meta, command),
	F_STR("cgroup", struct kf_meta, cgroup),
	F_STR("targets", struct kf_meta, targets),
	F_STR("roots", struct kf_meta, roots),
	F_STR("notrace", struct kf_meta, notrace),
	F_STR("degraded", struct kf_meta, degraded),
	F_STR("source", struct kf_meta, source),
	F_STR("clock", struct kf_meta, clock),
	F_STR("scope", struct kf_meta, scope),
	F_U64("scope_functions", struct kf_meta, scope_functions, 0),
	F_STR("retval", struct kf_meta, retval),
	F_STR("args", struct kf_meta, args),
	F_NAME("mode", struct kf_meta, mode, mode_names, "mode", REQ),
	F_INT("max_depth", struct kf_meta, max_depth, 0, INT_MAX, 0),
	F_U64("min_duration_ns", struct kf_meta, min_duration, 0),
	F_INT("exit_status", struct kf_meta, exit_status, INT_MIN, INT_MAX,
	      0),
	F_U64("events", struct kf_meta, events, 0),
	F_U64("lost", struct kf_meta, lost, 0),
	F_U64("dropped", struct kf_meta, dropped, 0),
	F_U64("clock_stalls", struct kf_meta, clock_stalls, 0),
	F_INT("ncpus", struct kf_meta, ncpus, 0, MAX_CPUS, 0),
	F_OWN("lost_per_cpu", OWN_LOST_PER_CPU, 0),
	F_OWN("t0_ns", OWN_T0, REQ),
	F_END,
};

/* A syscall's argument, read into one of these and then into its arrays. */
struct arg_desc {
	uint32_t name;
	uint8_t kind;
};

static const struct field arg_fields[] = {
	F_INTERN("name", struct arg_desc, name, REQ),
	F_NAME("kind", struct arg_desc, kind, kind_names, "argument kind",
	       REQ),
	F_END,
};

enum { OWN_ARGS };

static const struct field sys_fields[] = {
	F_INTERN("name", struct kf_sysdesc, name, REQ),
	F_INT("nr", struct kf_sysdesc, nr, INT32_MIN, INT32_MAX, REQ),
	F_OWN("args", OWN_ARGS, REQ),
	F_END,
};

enum { OWN_CHILDREN, OWN_NODE_RET, OWN_NODE_OFF, OWN_NODE_SLEEPS,
       OWN_NODE_WPID, OWN_NODE_WCOMM, OWN_NODE_WIN, OWN_NODE_WIRQ,
       OWN_NODE_PREEMPT, OWN_NODE_ARGS };

/* start is relative to t0 until the whole document is read */
static const struct field node_fields[] = {
	F_INTERN("f", struct kf_node, func, REQ),
	F_U64("start", struct kf_node, start, REQ),
	F_U64("dur", struct kf_node, dur, REQ),
	F_INT("cpu", struct kf_node, cpu, 0, UINT16_MAX, REQ),
	F_FLAGS("flags", struct kf_node, flags, node_flags),
	F_OWN("ret", OWN_NODE_RET, 0),
	F_OWN("args", OWN_NODE_ARGS, 0),
	F_OWN("off_ns", OWN_NODE_OFF, 0),
	F_OWN("sleeps", OWN_NODE_SLEEPS, 0),
	F_OWN("waker_pid", OWN_NODE_WPID, 0),
	F_OWN("waker_comm", OWN_NODE_WCOMM, 0),
	F_OWN("waker_in", OWN_NODE_WIN, 0),
	F_OWN("waker_irq", OWN_NODE_WIRQ, 0),
	F_OWN("preempted", OWN_NODE_PREEMPT, 0),
	F_OWN("children", OWN_CHILDREN, 0),
	F_END,
};

enum { OWN_SYSCALL, OWN_RET, OWN_CALL_ARGS, OWN_STRINGS, OWN_NODES,
       OWN_TREE };

/* sys holds the name's strtab id until the whole document is read */
static const struct field call_fields[] = {
	F_OWN("syscall", OWN_SYSCALL, REQ),
	F_INT("pid", struct kf_call, pid, INT32_MIN, INT32_MAX, REQ),
	F_INTERN("comm", struct kf_call, comm, REQ),
	F_INT("cpu", struct kf_call, cpu, 0, UINT16_MAX, REQ),
	F_U64("start_ns", struct kf_call, start, REQ),
	F_U64("end_ns", struct kf_call, end, REQ),
	F_OWN("ret", OWN_RET, 0),
	F_OWN("args", OWN_CALL_ARGS, 0),
	F_OWN("strings", OWN_STRINGS, 0),
	F_FLAGS("flags", struct kf_call, flags, call_flags),
	F_OWN("nodes", OWN_NODES, REQ),
	F_OWN("tree", OWN_TREE, REQ),
	F_END,
};

enum { OWN_FORMAT, OWN_VERSION, OWN_META, OWN_SYSCALLS, OWN_CALLS };

static const struct field doc_fields[] = {
	F_OWN("format", OWN_FORMAT, REQ),
	F_OWN("version", OWN_VERSION, REQ),
	F_OWN("meta", OWN_META, REQ),
	F_OWN("syscalls", OWN_SYSCALLS, REQ),
	F_OWN("calls", OWN_CALLS, REQ),
	F_END,
};

/*
 * Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or 0.  Stops at the first
 * byte that does not fit, so with end NULL a NUL-terminated string is
 * never overread.
 */
static size_t utf8_seq(const unsigned char *p, const unsigned char *end)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	for (i = 1; i < n; i++) {
		if ((end && p + i >= end) || p[i] < lo || p[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xbf;
	}
	return n;
}

/* --- writer ------------------------------------------------------------- */

struct out {
	FILE *f;
	size_t n;
	int err;  /* errno of the first failed write, 0 if none */
	char buf[16384];
};

static void out_flush(struct out *o)
{
	if (o->n && !o->err && fwrite(o->buf, 1, o->n, o->f) != o->n)
		o->err = errno ? errno : EIO;
	o->n = 0;
}

static void out_mem(struct out *o, const void *s, size_t len)
{
	const char *p = s;

	while (len) {
		size_t k = sizeof(o->buf) - o->n;

		if (!k) {
			out_flush(o);
			continue;
		}
		if (k > len)
			k = len;
		memcpy(o->buf + o->n, p, k);
		o->n += k;
		p += k;
		len -= k;
	}
}

static inline void out_c(struct out *o, char c)
{
	if (o->n == sizeof(o->buf))
		out_flush(o);
	o->buf[o->n++] = c;
}

static void out_s(struct out *o, const char *s)
{
	out_mem(o, s, strlen(s));
}

static void out_u64(struct out *o, uint64_t v)
{
	char tmp[24];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	out_mem(o, tmp + i, sizeof(tmp) - i);
}

static void out_i64(struct out *o, int64_t v)
{
	if (v < 0) {
		out_c(o, '-');
		out_u64(o, -(uint64_t)v);
	} else {
		out_u64(o, (uint64_t)v);
	}
}

static void out_hex(struct out *o, uint64_t v)
{
	char tmp[24];

	snprintf(tmp, sizeof(tmp), "\"0x%" PRIx64 "\"", v);
	out_s(o, tmp);
}

/* An unsigned 64-bit value: a number while a double holds it exactly. */
static void out_big(struct out *o, uint64_t v)
{
	if (v < EXACT_LIMIT)
		out_u64(o, v);
	else
		out_hex(o, v);
}

/* A signed one: beyond +-2^53, the two's complement bits in hex. */
static void out_sbig(struct out *o, int64_t v)
{
	if (v > -(int64_t)EXACT_LIMIT && v < (int64_t)EXACT_LIMIT)
		out_i64(o, v);
	else
		out_hex(o, (uint64_t)v);
}

/* A JSON string; bytes that are not UTF-8 become "\udcXX". */
static void out_str(struct out *o, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	char esc[8];

	out_c(o, '"');
	while (*p) {
		const unsigned char *run = p;
		unsigned char c;
		size_t n;

		while (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\')
			p++;
		if (p > run) {
			out_mem(o, run, (size_t)(p - run));
			continue;
		}
		c = *p;
		if (c == '"' || c == '\\') {
			out_c(o, '\\');
			out_c(o, (char)c);
			p++;
		} else if (c < 0x20 || c == 0x7f) {
			switch (c) {
			case '\n': out_s(o, "\\n"); break;
			case '\t': out_s(o, "\\t"); break;
			case '\r': out_s(o, "\\r"); break;
			case '\b': out_s(o, "\\b"); break;
			case '\f': out_s(o, "\\f"); break;
			default:
				memcpy(esc, "\\u00", 4);
				esc[4] = hex[c >> 4];
				esc[5] = hex[c & 15];
				out_mem(o, esc, 6);
			}
			p++;
		} else if (c == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			/* C1 controls (U+0080..U+009F; U+009B is CSI):
			 * escaped, so the JSON cannot drive a terminal */
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[p[1] >> 4];
			esc[5] = hex[p[1] & 15];
			out_mem(o, esc, 6);
			p += 2;
		} else if ((n = utf8_seq(p, NULL)) != 0) {
			out_mem(o, p, n);
			p += n;
		} else {
			memcpy(esc, "\\udc", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			out_mem(o, esc, 6);
			p++;
		}
	}
	out_c(o, '"');
}

int kf_json_string(FILE *f, const char *s)
{
	struct out *o = malloc(sizeof(*o));
	int err;

	if (!o)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	o->f = f;
	o->n = 0;
	o->err = 0;
	out_str(o, s);
	out_flush(o);
	err = o->err;
	free(o);
	return err ? kf_err(KF_EXIT_IOERR, "cannot write the output: %s",
			    strerror(err)) : 0;
}

/* A meta string: null when unset. */
static void out_opt_str(struct out *o, const char *s)
{
	if (s)
		out_str(o, s);
	else
		out_s(o, "null");
}

/* A string of the model by id: null for KF_NONE. */
static void out_opt_id(struct out *o, const struct kf_model *m, uint32_t id)
{
	out_opt_str(o, id == KF_NONE ? NULL : kf_strtab_get(&m->strs, id));
}

static void out_flags(struct out *o, const struct flag_name *t,
		      uint16_t flags)
{
	int first = 1;

	out_c(o, '[');
	for (; t->name; t++) {
		if (!(flags & t->flag))
			continue;
		if (!first)
			out_s(o, ", ");
		out_c(o, '"');
		out_s(o, t->name);
		out_c(o, '"');
		first = 0;
	}
	out_c(o, ']');
}

static void out_indent(struct out *o, unsigned int n)
{
	static const char spaces[] = "                                "
				     "                                ";

	out_c(o, '\n');
	while (n) {
		unsigned int k = n < sizeof(spaces) - 1 ? n :
				 sizeof(spaces) - 1;

		out_mem(o, spaces, k);
		n -= k;
	}
}

/*
 * Walk the tree of call ci once before writing anything: count its nodes,
 * check its depth fits the format and that its links end (the writer
 * trusts the model, but must never write a file its reader refuses), and
 * lower *t0 to the earliest node start.
 */
static int tree_check(const struct kf_model *m, uint32_t ci, uint32_t *count,
		      uint64_t *t0)
{
	uint32_t ni = m->calls[ci].root, n = 0;
	unsigned int depth = 0;

	while (ni != KF_NONE) {
		const struct kf_node *k;

		if (ni >= m->nnodes || ++n > m->nnodes)
			goto damaged;
		k = kf_node_get(m, ni);
		if (k->start < *t0)
			*t0 = k->start;
		if (k->child != KF_NONE) {
			if (depth == MAX_TREE_DEPTH)
				return kf_err(KF_EXIT_SOFTWARE, "cannot write "
					      "the capture: call %u has a tree "
					      "deeper than %u levels", ci,
					      MAX_TREE_DEPTH + 1);
			depth++;
			ni = k->child;
			continue;
		}
		while (k->next == KF_NONE && depth) {
			ni = k->parent;
			if (ni >= m->nnodes)
				goto damaged;
			k = kf_node_get(m, ni);
			depth--;
		}
		ni = k->next;
	}
	*count = n;
	return 0;
damaged:
	return kf_err(KF_EXIT_SOFTWARE, "cannot write the capture: the tree "
		      "of call %u has broken links", ci);
}

/* A meta key on a line of its own. */
static void meta_key(struct out *o, const char *key, int first)
{
	out_s(o, first ? "\n    \"" : ",\n    \"");
	out_s(o, key);
	out_s(o, "\": ");
}

static void write_lost_per_cpu(struct out *o, const struct kf_meta *mt)
{
	int k;

	if (!mt->lost_cpu || mt->ncpus <= 0) {
		out_s(o, "null");
		return;
	}
	out_c(o, '[');
	for (k = 0; k < mt->ncpus; k++) {
		if (k)
			out_s(o, ", ");
		out_big(o, mt->lost_cpu[k]);
	}
	out_c(o, ']');
}

/* One of f->names; an index out of range writes the first name. */
static void out_name(struct out *o, const struct field *f, int64_t i)
{
	int64_t n = 0;

	while (f->names[n])
		n++;
	out_c(o, '"');
	out_s(o, f->names[i >= 0 && i < n ? i : 0]);
	out_c(o, '"');
}

static void write_meta(struct out *o, const struct kf_meta *mt, uint64_t t0)
{
	const struct field *f;

	out_s(o, "  \"meta\": {");
	for (f = meta_fields; f->key; f++) {
		const char *p = (const char *)mt + f->off;

		meta_key(o, f->key, f == meta_fields);
		switch (f->kind) {
		case FK_OPT_STR:
			out_opt_str(o, *(char *const *)p);
			break;
		case FK_U64:
			out_big(o, *(const uint64_t *)p);
			break;
		case FK_INT:
			out_i64(o, get_int(p, f->size));
			break;
		case FK_NAME:
			out_name(o, f, get_int(p, f->size));
			break;
		default:
			if (f->own == OWN_T0)
				out_big(o, t0);
			else
				write_lost_per_cpu(o, mt);
		}
	}
	out_s(o, "\n  },\n");
}

static void write_syscalls(struct out *o, const struct kf_model *m)
{
	uint32_t i;
	int k;

	out_s(o, "  \"syscalls\": [");
	for (i = 0; i < m->nsys; i++) {
		const struct kf_sysdesc *d = &m->sys[i];
		int nargs = d->nargs < KF_MAX_ARGS ? d->nargs : KF_MAX_ARGS;

		out_s(o, i ? ",\n    " : "\n    ");
		out_s(o, "{\"name\": ");
		out_str(o, kf_strtab_get(&m->strs, d->name));
		out_s(o, ", \"nr\": ");
		out_i64(o, d->nr);
		out_s(o, ", \"args\": [");
		for (k = 0; k < nargs; k++) {
			out_s(o, k ? ", {\"name\": " : "{\"name\": ");
			out_str(o, kf_strtab_get(&m->strs, d->argname[k]));
			out_s(o, ", \"kind\": \"");
			out_s(o, kind_names[d->argkind[k]]);
			out_s(o, "\"}");
		}
		out_s(o, "]}");
	}
	out_s(o, m->nsys ? "\n  ],\n" : "],\n");
}

/* Write one node's own keys, without its children or closing brace. */
static void write_node(struct out *o, const struct kf_model *m,
		       uint32_t ni, uint64_t t0)
{
	const struct kf_node *n = kf_node_get(m, ni);
	/* "ret", "args" and "off_ns" carry these */
	uint16_t flags = n->flags & ~(KF_NODE_RET | KF_NODE_OFF |
				      KF_NODE_ARGS);
	const struct kf_node_note *nt = kf_model_note(m, ni);
	int64_t v;

	out_s(o, "{\"f\": ");
	out_str(o, kf_strtab_get(&m->strs, n->func));
	out_s(o, ", \"start\": ");
	out_big(o, n->start - t0);
	out_s(o, ", \"dur\": ");
	out_big(o, n->dur);
	out_s(o, ", \"cpu\": ");
	out_u64(o, n->cpu);
	if (flags) {
		out_s(o, ", \"flags\": ");
		out_flags(o, node_flags, flags);
	}
	if (kf_model_ret_get(m, ni, &v)) {
		char num[32];

		snprintf(num, sizeof(num), ", \"ret\": %lld", (long long)v);
		out_s(o, num);
	}
	if (nt && (nt->has & KF_NOTE_ARGS)) {
		out_s(o, ", \"args\": ");
		out_str(o, kf_strtab_get(&m->strs, nt->args));
	}
	if (nt && (nt->has & KF_NOTE_OFF)) {
		out_s(o, ", \"off_ns\": ");
		out_big(o, nt->off);
		out_s(o, ", \"sleeps\": ");
		out_u64(o, nt->nsleeps);
		if (nt->has & KF_NOTE_PREEMPTED)
			out_s(o, ", \"preempted\": true");
	}
	if (nt && (nt->has & (KF_NOTE_WAKER | KF_NOTE_PREEMPTED))) {
		out_s(o, ", \"waker_pid\": ");
		out_i64(o, nt->waker_pid);
		out_s(o, ", \"waker_comm\": ");
		out_opt_id(o, m, nt->waker_comm);
		out_s(o, ", \"waker_in\": ");
		out_opt_id(o, m, nt->waker_func);
		if (nt->has & KF_NOTE_WAKER_IRQ)
			out_s(o, ", \"waker_irq\": true");
	}
}

/*
 * One node per line, indented by depth; a list's closing brackets end the
 * line of its last node, so a node is always exactly one line.
 */
static void write_tree(struct out *o, const struct kf_model *m, uint32_t ni,
		       uint64_t t0)
{
	unsigned int depth = 0;

	while (ni != KF_NONE) {
		const struct kf_node *n = kf_node_get(m, ni);

		out_indent(o, 6 + (depth < INDENT_DEPTH ? depth :
				   INDENT_DEPTH));
		write_node(o, m, ni, t0);
		if (n->child != KF_NONE) {
			out_s(o, ", \"children\": [");
			depth++;
			ni = n->child;
			continue;
		}
		out_c(o, '}');
		while (n->next == KF_NONE && depth) {
			n = kf_node_get(m, n->parent);
			depth--;
			out_s(o, "]}");
		}
		ni = n->next;
		if (ni != KF_NONE)
			out_c(o, ',');
	}
}

/* Trailing arguments that are zero and beyond the syscall's are left out. */
static int call_nargs(const struct kf_model *m, const struct kf_call *c)
{
	int n = KF_MAX_ARGS, want = 0;

	if (c->sys < m->nsys)
		want = m->sys[c->sys].nargs;
	while (n > want && !c->args[n - 1])
		n--;
	return n;
}

static void write_call(struct out *o, const struct kf_model *m,
		       const struct kf_call *c, uint32_t nnodes, uint64_t t0)
{
	int k, n, first;

	out_s(o, "{\"syscall\": ");
	if (c->sys < m->nsys)
		out_str(o, kf_strtab_get(&m->strs, m->sys[c->sys].name));
	else
		out_s(o, "null");
	out_s(o, ", \"pid\": ");
	out_i64(o, c->pid);
	out_s(o, ", \"comm\": ");
	out_str(o, kf_strtab_get(&m->strs, c->comm));
	out_s(o, ", \"cpu\": ");
	out_u64(o, c->cpu);
	out_s(o, ", \"start_ns\": ");
	out_big(o, c->start - t0);
	out_s(o, ", \"end_ns\": ");
	out_big(o, c->end - t0);
	if (c->flags & KF_CALL_HAS_RET) {
		out_s(o, ", \"ret\": ");
		out_sbig(o, c->ret);
	}
	out_s(o, ", \"args\": [");
	n = call_nargs(m, c);
	for (k = 0; k < n; k++) {
		if (k)
			out_s(o, ", ");
		out_big(o, c->args[k]);
	}
	out_c(o, ']');
	first = 1;
	for (k = 0; k < KF_MAX_ARGS; k++) {
		if (c->argstr[k] == KF_NONE)
			continue;
		out_s(o, first ? ", \"strings\": {\"" : ", \"");
		out_c(o, (char)('0' + k));
		out_s(o, "\": ");
		out_str(o, kf_strtab_get(&m->strs, c->argstr[k]));
		first = 0;
	}
	if (!first)
		out_c(o, '}');
	out_s(o, ", \"flags\": ");
	out_flags(o, call_flags, c->flags);
	out_s(o, ", \"nodes\": ");
	out_u64(o, nnodes);
	out_s(o, ", \"tree\": [");
	if (c->root != KF_NONE) {
		write_tree(o, m, c->root, t0);
		out_indent(o, 4);
	}
	out_s(o, "]}");
}

/*
 * "sources": where each function of the trees is defined, from src: the
 * version, the URL of that source, and per function its first
 * definition (file, line, how many there are, the kernel-doc summary).
 */
static int write_sources(struct out *o, const struct kf_model *m,
			 const struct kf_srcmap *src,
			 const struct kf_explain *ex)
{
	uint8_t *seen = calloc(m->strs.count ? m->strs.count : 1, 1);
	uint32_t i, k = 0;

	if (!seen)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	kf_model_mark_funcs(m, seen);
	out_s(o, ",\n  \"sources\": {\"version\": ");
	out_str(o, kf_srcmap_version(src));
	out_s(o, ", \"url\": \"https://sources.debian.org/src/linux/");
	out_s(o, kf_srcmap_version(src)); /* checked: [0-9A-Za-z.+~-] */
	out_s(o, "/\", \"functions\": {");
	for (i = 0; i < m->strs.count; i++) {
		const struct kf_srcloc *l;
		int n;

		if (!seen[i])
			continue;
		l = kf_srcmap_lookup(src, kf_strtab_get(&m->strs, i), &n);
		if (!l)
			continue;
		out_s(o, k++ ? ",\n    " : "\n    ");
		out_str(o, kf_strtab_get(&m->strs, i));
		out_s(o, ": {\"file\": ");
		out_str(o, l->file);
		out_s(o, ", \"line\": ");
		out_u64(o, l->line);
		out_s(o, ", \"candidates\": ");
		out_u64(o, (uint64_t)n);
		if (n > 1) {
			/* the others left equal, "file:line" */
			const struct kf_srcloc *all[8];
			int k2 = kf_srcmap_candidates(src,
				kf_strtab_get(&m->strs, i), all, 8);

			out_s(o, ", \"others\": [");
			for (int j = 1; j < k2 && j < 8; j++) {
				char fl[600];

				snprintf(fl, sizeof(fl), "%s:%u", all[j]->file,
					 all[j]->line);
				if (j > 1)
					out_s(o, ", ");
				out_str(o, fl);
			}
			out_c(o, ']');
		}
		if (l->doc) {
			out_s(o, ", \"doc\": ");
			out_str(o, l->doc);
		} else if (ex && kf_explain_get(ex, kf_strtab_get(&m->strs, i),
						NULL)) {
			out_s(o, ", \"explain\": ");
			out_str(o, kf_explain_get(ex,
						  kf_strtab_get(&m->strs, i),
						  NULL));
		}
		out_c(o, '}');
	}
	out_s(o, k ? "\n  }}" : "}}");
	free(seen);
	return 0;
}

/* The writer behind kf_capfile_write and kf_capfile_save. */
static int capfile_write(FILE *f, const struct kf_model *m, const char *what,
			 const struct kf_srcmap *src,
			 const struct kf_explain *ex)
{
	struct out *o;
	uint32_t *counts = NULL, i;
	uint64_t t0 = UINT64_MAX;
	int rc = -1;

	o = malloc(sizeof(*o));
	if (m->ncalls)
		counts = malloc((size_t)m->ncalls * sizeof(*counts));
	if (!o || (m->ncalls && !counts)) {
		kf_err(KF_EXIT_OSERR, "out of memory writing %s", what);
		goto out;
	}
	for (i = 0; i < m->nsys; i++) {
		const struct kf_sysdesc *d = &m->sys[i];
		int k;

		for (k = 0; k < d->nargs && k < KF_MAX_ARGS; k++)
			if (d->argkind[k] > KF_ARG_STR) {
				kf_err(KF_EXIT_SOFTWARE, "cannot write the "
				       "capture: argument %d of syscall '%s' "
				       "has unknown kind %u", k,
				       kf_strtab_get(&m->strs, d->name),
				       d->argkind[k]);
				goto out;
			}
	}
	for (i = 0; i < m->ncalls; i++) {
		const struct kf_call *c = &m->calls[i];

		if (c->start < t0)
			t0 = c->start;
		if (c->end < t0)
			t0 = c->end;
		if (tree_check(m, i, &counts[i], &t0) < 0)
			goto out;
	}
	if (t0 == UINT64_MAX)
		t0 = 0;
	o->f = f;
	o->n = 0;
	o->err = 0;
	out_s(o, "{\n  \"format\": \"" KF_CAPFILE_FORMAT "\",\n");
	out_s(o, "  \"version\": ");
	out_u64(o, KF_CAPFILE_VERSION);
	out_s(o, ",\n");
	write_meta(o, &m->meta, t0);
	write_syscalls(o, m);
	out_s(o, "  \"calls\": [");
	for (i = 0; i < m->ncalls; i++) {
		out_s(o, i ? ",\n    " : "\n    ");
		write_call(o, m, &m->calls[i], counts[i], t0);
	}
	out_s(o, m->ncalls ? "\n  ]" : "]");
	if (src && write_sources(o, m, src, ex) < 0)
		goto out;
	out_s(o, "\n}\n");
	out_flush(o);
	if (!o->err && (fflush(f) != 0 || ferror(f)))
		o->err = errno ? errno : EIO;
	if (o->err) {
		errno = o->err;
		kf_err_errno(KF_EXIT_IOERR, "cannot write %s", what);
		goto out;
	}
	rc = 0;
out:
	free(counts);
	free(o);
	return rc;
}

int kf_capfile_write(FILE *f, const struct kf_model *m)
{
	errno = 0;
	return capfile_write(f, m, "the output", NULL, NULL);
}

int kf_capfile_write_src(FILE *f, const struct kf_model *m,
			 const struct kf_srcmap *src,
			 const struct kf_explain *ex)
{
	errno = 0;
	return capfile_write(f, m, "the output", src, ex);
}

int kf_capfile_save(const char *path, const struct kf_model *m)
{
	char *tmp = NULL, *what = NULL;
	FILE *f = NULL;
	int fd = -1, rc = -1, tries;

	if (asprintf(&tmp, "%s.tmp", path) < 0) {
		tmp = NULL;
		return kf_err(KF_EXIT_OSERR, "out of memory");
	}
	if (asprintf(&what, "'%s'", path) < 0) {
		what = NULL;
		kf_err(KF_EXIT_OSERR, "out of memory");
		goto out;
	}
	/*
	 * O_EXCL|O_NOFOLLOW: never write through a file or link someone
	 * else left at path.tmp (kfollow runs as root); a stale one is
	 * removed once and the create tried again.
	 */
	for (tries = 0; tries < 2; tries++) {
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
			  O_CLOEXEC, 0644);
		if (fd >= 0 || errno != EEXIST || unlink(tmp) < 0)
			break;
	}
	if (fd < 0) {
		kf_err_errno(KF_EXIT_IOERR, "cannot create '%s'", tmp);
		goto out;
	}
	f = fdopen(fd, "w");
	if (!f) {
		kf_err_errno(KF_EXIT_OSERR, "cannot write '%s'", path);
		close(fd);
		goto fail;
	}
	errno = 0;
	if (capfile_write(f, m, what, NULL, NULL) < 0)
		goto fail;
	if (fsync(fileno(f)) < 0 && errno != EINVAL) {
		kf_err_errno(KF_EXIT_IOERR, "cannot write '%s'", path);
		goto fail;
	}
	rc = fclose(f);
	f = NULL;
	if (rc != 0) {
		kf_err_errno(KF_EXIT_IOERR, "cannot write '%s'", path);
		goto fail;
	}
	if (rename(tmp, path) < 0) {
		rc = kf_err_errno(KF_EXIT_IOERR, "cannot write '%s'", path);
		goto fail;
	}
	rc = 0;
	goto out;
fail:
	rc = -1;
	if (f)
		fclose(f);
	unlink(tmp);
out:
	free(tmp);
	free(what);
	return rc;
}

/* --- reader ------------------------------------------------------------- */

/* A string from the input: in the buffer, or decoded into rd.tmp. */
struct str {
	const char *s;
	size_t len;
	const char *at;  /* its opening quote in the input */
};

struct frame {
	uint32_t node;  /* KF_NONE for the call's top-level list */
	uint32_t last;  /* last child linked so far, KF_NONE if none */
	uint16_t seen;  /* node keys seen */
	uint8_t list;   /* reading the children list, not the node's keys */
	uint8_t first;  /* the next item is the first of its list or object */
};

struct rd {
	const char *buf, *p, *end;
	const char *name;
	struct kf_model *m;
	int quiet;                /* probing: record no error */
	char *tmp;                /* strings that had escapes, decoded */
	size_t tmp_cap;
	struct frame *stack;
	uint32_t stack_cap;
	uint32_t node_base, call_base;
	uint64_t t0;
	int64_t version;
	char format[68];          /* the "format" value, cut short */
	int have_format, have_version;
	/* kf_capfile_stream: each call as soon as it is read, once meta
	 * (t0) and syscalls came before "calls" (as kfollow writes them) */
	int (*each)(void *ctx, struct kf_model *m, uint32_t call);
	void *each_ctx;
	unsigned seen;            /* 1: meta read, 2: syscalls read */
	int mapped;               /* buf maps a file: read pages can go */
	const char *dropped;      /* up to where they went */
};

static int rd_verr(struct rd *r, const char *at, const char *fmt, va_list ap)
{
	size_t line = 1, col = 1;
	const char *p = r->buf, *nl;
	char msg[512];

	if (r->quiet)
		return -1;
	if (at > r->end || at < r->buf)
		at = r->end;
	while ((nl = memchr(p, '\n', (size_t)(at - p))) != NULL) {
		line++;
		p = nl + 1;
	}
	col += (size_t)(at - p);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	return kf_err(KF_EXIT_DATAERR, "cannot read '%s': line %zu, column "
		      "%zu: %s", r->name, line, col, msg);
}

/* A data error at `at`: returns -1. */
__attribute__((format(printf, 3, 4)))
static int rd_err(struct rd *r, const char *at, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = rd_verr(r, at, fmt, ap);
	va_end(ap);
	return rc;
}

/* A data error with no useful position. */
__attribute__((format(printf, 2, 3)))
static int rd_err_nopos(struct rd *r, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (r->quiet)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return kf_err(KF_EXIT_DATAERR, "cannot read '%s': %s", r->name, msg);
}

static int rd_oom(struct rd *r)
{
	if (r->quiet)
		return -1;
	return kf_err(KF_EXIT_OSERR, "out of memory reading '%s'", r->name);
}

/* s[0..len) for an error message: cut at 64 bytes, no control chars. */
static const char *shown(const char *s, size_t len, char buf[68])
{
	size_t n = len < 64 ? len : 64, i;

	for (i = 0; i < n; i++)
		buf[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' :
			 s[i];
	strcpy(buf + n, len > n ? "..." : "");
	return buf;
}

static inline void ws(struct rd *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' ||
				 *r->p == '\t' || *r->p == '\r'))
		r->p++;
}

static inline int peek(struct rd *r)
{
	ws(r);
	return r->p < r->end ? (unsigned char)*r->p : -1;
}

/* "expected X", saying so when the file ended or holds a NUL byte. */
static int bad(struct rd *r, const char *what)
{
	if (r->p >= r->end)
		return rd_err(r, r->p, "expected %s, found the end of the file",
			      what);
	if (!*r->p)
		return rd_err(r, r->p, "expected %s, found a NUL byte", what);
	return rd_err(r, r->p, "expected %s", what);
}

static inline int expect(struct rd *r, char c, const char *what)
{
	if (peek(r) != (unsigned char)c)
		return bad(r, what);
	r->p++;
	return 0;
}

static int tmp_reserve(struct rd *r, size_t need)
{
	char *t;
	size_t cap;

	if (need <= r->tmp_cap)
		return 0;
	cap = r->tmp_cap ? r->tmp_cap : 256;
	while (cap < need)
		cap *= 2;
	t = realloc(r->tmp, cap);
	if (!t)
		return rd_oom(r);
	r->tmp = t;
	r->tmp_cap = cap;
	return 0;
}

static int hex4(const char *p, unsigned int *v)
{
	unsigned int x = 0;
	int i;

	for (i = 0; i < 4; i++) {
		char c = p[i];

		x <<= 4;
		if (c >= '0' && c <= '9')
			x |= (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			x |= (unsigned int)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			x |= (unsigned int)(c - 'A' + 10);
		else
			return -1;
	}
	*v = x;
	return 0;
}

/* cp as UTF-8 into b (room for 4 bytes); returns the bytes written. */
static size_t put_utf8(char *b, unsigned int cp)
{
	if (cp < 0x80) {
		b[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		b[0] = (char)(0xe0 | cp >> 12);
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	b[0] = (char)(0xf0 | cp >> 18);
	b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	b[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/*
 * The \uXXXX escape at p, with its low surrogate when it is a high one,
 * onto r->tmp at *n.  "\udcXX" is the byte XX that was not UTF-8.
 * Returns the bytes of input it took, or -1 (rd_err).
 */
static int rd_u_escape(struct rd *r, const char *p, size_t *n)
{
	unsigned int cp, lo;

	if (r->end - p < 6 || hex4(p + 2, &cp) < 0)
		return rd_err(r, p, "invalid \\u escape in a string");
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (r->end - p < 12 || p[6] != '\\' || p[7] != 'u' ||
		    hex4(p + 8, &lo) < 0 || lo < 0xdc00 || lo > 0xdfff)
			return rd_err(r, p, "unpaired surrogate escape in a "
				      "string");
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		*n += put_utf8(r->tmp + *n, cp);
		return 12;
	}
	if (cp >= 0xdc80 && cp <= 0xdcff)
		r->tmp[(*n)++] = (char)(cp - 0xdc00);
	else if (cp >= 0xdc00 && cp <= 0xdfff)
		return rd_err(r, p, "unpaired surrogate escape in a string");
	else if (cp == 0)
		return rd_err(r, p, "\\u0000 (NUL) in a string");
	else
		*n += put_utf8(r->tmp + *n, cp);
	return 6;
}

/* The escape at p onto r->tmp at *n; returns the bytes of input it took,
 * or -1 (rd_err). */
static int rd_escape(struct rd *r, const char *p, size_t *n)
{
	static const char plain[] = "\"\\/bfnrt", value[] = "\"\\/\b\f\n\r\t";
	const char *k;

	if (r->end - p < 2)
		return rd_err(r, p, "the file ends inside a string");
	if (p[1] == 'u')
		return rd_u_escape(r, p, n);
	k = p[1] ? strchr(plain, p[1]) : NULL;
	if (!k)
		return rd_err(r, p, "invalid escape in a string");
	r->tmp[(*n)++] = value[k - plain];
	return 2;
}

/*
 * The rest of a string with escapes, from p (just at a backslash) on,
 * decoded into r->tmp after the `done` bytes already copied there.
 */
static int rd_string_slow(struct rd *r, const char *p, size_t done,
			  struct str *out)
{
	const char *end = r->end;
	size_t n = done, k;
	unsigned char c;
	int took;

	for (;;) {
		/* the longest step appends 4 bytes */
		if (tmp_reserve(r, n + 4) < 0)
			return -1;
		if (p >= end)
			return rd_err(r, p, "the file ends inside a string");
		c = (unsigned char)*p;
		if (c == '"')
			break;
		if (!c)
			return rd_err(r, p, "NUL byte in a string");
		if (c < 0x20)
			return rd_err(r, p, "control character in a string "
				      "(write it as \\u%04x)", c);
		if (c == '\\') {
			took = rd_escape(r, p, &n);
			if (took < 0)
				return -1;
			p += took;
		} else if (c >= 0x80) {
			k = utf8_seq((const unsigned char *)p,
				     (const unsigned char *)end);
			if (!k)
				return rd_err(r, p, "invalid UTF-8 in a "
					      "string");
			memcpy(r->tmp + n, p, k);
			n += k;
			p += k;
		} else {
			r->tmp[n++] = (char)c;
			p++;
		}
	}
	r->p = p + 1;
	out->s = r->tmp;
	out->len = n;
	return 0;
}

/*
 * A string value.  The result points into the input or into r->tmp, valid
 * until the next string is read.  Never contains a NUL byte.
 */
static int rd_string(struct rd *r, struct str *out, const char *what)
{
	const unsigned char *p, *start, *end = (const unsigned char *)r->end;

	if (peek(r) != '"')
		return bad(r, what);
	out->at = r->p;
	start = p = (const unsigned char *)r->p + 1;
	for (;;) {
		size_t k;

		if (p >= end)
			return rd_err(r, (const char *)p,
				      "the file ends inside a string");
		if (*p == '"')
			break;
		if (*p == '\\' || *p < 0x20) {
			/* +4: never memcpy to a NULL r->tmp */
			if (tmp_reserve(r, (size_t)(p - start) + 4) < 0)
				return -1;
			memcpy(r->tmp, start, (size_t)(p - start));
			return rd_string_slow(r, (const char *)p,
					      (size_t)(p - start), out);
		}
		if (*p < 0x80) {
			p++;
			continue;
		}
		k = utf8_seq(p, end);
		if (!k)
			return rd_err(r, (const char *)p,
				      "invalid UTF-8 in a string");
		p += k;
	}
	out->s = (const char *)start;
	out->len = (size_t)(p - start);
	r->p = (const char *)p + 1;
	return 0;
}

static inline int str_is(const struct str *s, const char *lit)
{
	size_t n = strlen(lit);

	return s->len == n && memcmp(s->s, lit, n) == 0;
}

/* Intern a string value; returns its id or KF_NONE (error set). */
static uint32_t rd_intern(struct rd *r, const char *what)
{
	struct str s;
	uint32_t id;

	if (rd_string(r, &s, what) < 0)
		return KF_NONE;
	id = kf_strtab_intern_n(&r->m->strs, s.s, s.len);
	if (id == KF_NONE)
		rd_oom(r);
	return id;
}

/* Check a literal (true, false, null) at r->p. */
static int rd_literal(struct rd *r, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(r->end - r->p) < n || memcmp(r->p, lit, n) != 0)
		return bad(r, "a value");
	r->p += n;
	return 0;
}

static inline int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Skip any JSON number (fractions and exponents too), checking its form. */
static int skip_number(struct rd *r)
{
	const char *p = r->p, *end = r->end;

	if (p < end && *p == '-')
		p++;
	if (p >= end || !is_digit(*p))
		return rd_err(r, p, "invalid number");
	if (*p == '0')
		p++;
	else
		while (p < end && is_digit(*p))
			p++;
	if (p < end && *p == '.') {
		p++;
		if (p >= end || !is_digit(*p))
			return rd_err(r, p, "invalid number");
		while (p < end && is_digit(*p))
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p >= end || !is_digit(*p))
			return rd_err(r, p, "invalid number");
		while (p < end && is_digit(*p))
			p++;
	}
	r->p = p;
	return 0;
}

/*
 * An integer: a JSON number with no fraction or exponent, or for a 64-bit
 * key (`hex`) also a string of "0x" and 1 to 16 hex digits giving the 64
 * bits.  Sets *neg (a number with a minus sign) and *mag (its magnitude,
 * or the bits for hex).
 */
static int rd_int(struct rd *r, int *neg, uint64_t *mag, int hex)
{
	const char *p, *start, *end = r->end;
	uint64_t v = 0;
	int c = peek(r);

	p = start = r->p;
	*neg = 0;
	if (c == '"' && hex) {
		int n = 0;

		if (end - p < 4 || p[1] != '0' || (p[2] != 'x' && p[2] != 'X'))
			return rd_err(r, p, "expected an integer or a "
				      "\"0x...\" string");
		for (p += 3; p < end && *p != '"'; p++, n++) {
			char h = *p;
			unsigned int d;

			if (h >= '0' && h <= '9')
				d = (unsigned int)(h - '0');
			else if (h >= 'a' && h <= 'f')
				d = (unsigned int)(h - 'a' + 10);
			else if (h >= 'A' && h <= 'F')
				d = (unsigned int)(h - 'A' + 10);
			else
				return rd_err(r, p, "invalid hex digit");
			if (n == 16)
				return rd_err(r, start, "hex number out of "
					      "range (more than 64 bits)");
			v = v << 4 | d;
		}
		if (p >= end)
			return rd_err(r, p, "the file ends inside a string");
		if (n == 0)
			return rd_err(r, p, "invalid hex digit");
		r->p = p + 1;
		*mag = v;
		return 0;
	}
	if (c == '-') {
		*neg = 1;
		p++;
	}
	if (p >= end || !is_digit(*p))
		return c == '-' ? rd_err(r, p, "invalid number") :
		       bad(r, "an integer");
	if (*p == '0' && p + 1 < end && is_digit(p[1]))
		return rd_err(r, p, "invalid number (leading zero)");
	while (p < end && is_digit(*p)) {
		unsigned int d = (unsigned int)(*p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return rd_err(r, start, "number out of range");
		v = v * 10 + d;
		p++;
	}
	if (p < end && (*p == '.' || *p == 'e' || *p == 'E'))
		return rd_err(r, start, "expected an integer");
	r->p = p;
	*mag = v;
	return 0;
}

static int rd_u64(struct rd *r, uint64_t *v)
{
	const char *at;
	int neg;

	ws(r);
	at = r->p;
	if (rd_int(r, &neg, v, 1) < 0)
		return -1;
	if (neg && *v)
		return rd_err(r, at, "number out of range (must not be "
			      "negative)");
	return 0;
}

static int rd_i64(struct rd *r, int64_t *v, const char **at, int hex)
{
	uint64_t mag;
	int neg;

	ws(r);
	*at = r->p;
	if (rd_int(r, &neg, &mag, hex) < 0)
		return -1;
	if (**at == '"') {
		*v = (int64_t)mag;  /* the two's complement bits */
	} else if (neg) {
		if (mag > (uint64_t)INT64_MAX + 1)
			return rd_err(r, *at, "number out of range");
		*v = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN :
		     -(int64_t)mag;
	} else {
		if (mag > INT64_MAX)
			return rd_err(r, *at, "number out of range");
		*v = (int64_t)mag;
	}
	return 0;
}

/* An integer in [lo, hi], for a key narrower than 64 bits: no hex. */
static int rd_range(struct rd *r, int64_t lo, int64_t hi, int64_t *v)
{
	const char *at;

	if (rd_i64(r, v, &at, 0) < 0)
		return -1;
	if (*v < lo || *v > hi)
		return rd_err(r, at, "number out of range (%" PRId64 " to %"
			      PRId64 ")", lo, hi);
	return 0;
}

/*
 * Skip a value of any type (under a key this reader does not know),
 * checking that it is valid JSON.  Iterative, nesting bounded.
 */
static int rd_skip(struct rd *r)
{
	char stack[MAX_SKIP_DEPTH];
	int sp = 0, c;
	struct str s;

value:
	c = peek(r);
	switch (c) {
	case '{':
	case '[':
		if (sp == MAX_SKIP_DEPTH)
			return rd_err(r, r->p, "values nested more than %d "
				      "deep", MAX_SKIP_DEPTH);
		stack[sp++] = (char)c;
		r->p++;
		if (peek(r) == (c == '{' ? '}' : ']')) {
			r->p++;
			sp--;
			goto next;
		}
		if (c == '{')
			goto key;
		goto value;
	case '"':
		if (rd_string(r, &s, "a value") < 0)
			return -1;
		goto next;
	case 't':
		if (rd_literal(r, "true") < 0)
			return -1;
		goto next;
	case 'f':
		if (rd_literal(r, "false") < 0)
			return -1;
		goto next;
	case 'n':
		if (rd_literal(r, "null") < 0)
			return -1;
		goto next;
	default:
		if (c == '-' || is_digit(c)) {
			if (skip_number(r) < 0)
				return -1;
			goto next;
		}
		return bad(r, "a value");
	}
key:
	if (rd_string(r, &s, "a key (a string)") < 0 ||
	    expect(r, ':', "':'") < 0)
		return -1;
	goto value;
next:
	/* a value ended: what follows depends on where it was */
	if (!sp)
		return 0;
	c = peek(r);
	if (c == ',') {
		r->p++;
		if (stack[sp - 1] == '{')
			goto key;
		goto value;
	}
	if (c == (stack[sp - 1] == '{' ? '}' : ']')) {
		r->p++;
		sp--;
		goto next;
	}
	return bad(r, stack[sp - 1] == '{' ? "',' or '}'" : "',' or ']'");
}

/*
 * In a list of members closed by `close` ('}' or ']'): 0 at the close, 1
 * before the next member (its ',' read), -1 on error.
 */
static int rd_next(struct rd *r, uint8_t *first, char close)
{
	int c = peek(r);

	if (c == close) {
		r->p++;
		return 0;
	}
	if (!*first) {
		if (c != ',')
			return bad(r, close == '}' ? "',' or '}'" :
				   "',' or ']'");
		r->p++;
	}
	*first = 0;
	return 1;
}

/*
 * Iterate an object whose '{' was read: returns 1 with the next key read
 * (and its ':'), 0 at the closing '}', -1 on error.
 */
static int rd_key(struct rd *r, uint8_t *first, struct str *key)
{
	int k = rd_next(r, first, '}');

	if (k <= 0)
		return k;
	if (rd_string(r, key, "a key (a string)") < 0 ||
	    expect(r, ':', "':'") < 0)
		return -1;
	return 1;
}

/* Iterate an array whose '[' was read: 1 before an element, 0 at ']'. */
static int rd_elem(struct rd *r, uint8_t *first)
{
	return rd_next(r, first, ']');
}

/* A flags array: known names set bits, unknown names are ignored. */
static int rd_flags(struct rd *r, const struct flag_name *tab, uint16_t *out)
{
	uint8_t first = 1;
	int k;

	*out = 0;
	if (expect(r, '[', "'['") < 0)
		return -1;
	while ((k = rd_elem(r, &first)) > 0) {
		const struct flag_name *t;
		struct str s;

		if (rd_string(r, &s, "a flag name (a string)") < 0)
			return -1;
		for (t = tab; t->name; t++)
			if (str_is(&s, t->name))
				*out |= t->flag;
	}
	return k;
}

/* null, or a string copied into *field. */
static int rd_opt_str(struct rd *r, char **field)
{
	struct str s;
	char *copy;

	if (peek(r) == 'n')
		return rd_literal(r, "null");
	if (rd_string(r, &s, "a string or null") < 0)
		return -1;
	copy = strndup(s.s, s.len);
	if (!copy)
		return rd_oom(r);
	free(*field);
	*field = copy;
	return 0;
}

/* what rd_field returns when it has read the value itself */
#define FIELD_DONE (-2)

/* Row of key in a table, or -1 for an unknown key. */
static int field_index(const struct str *k, const struct field *t)
{
	int i;

	for (i = 0; t[i].key; i++)
		if (k->len && k->s[0] == t[i].key[0] && str_is(k, t[i].key))
			return i;
	return -1;
}

/* A string that must be one of f->names; *out gets its index. */
static int rd_name(struct rd *r, const struct field *f, unsigned int *out)
{
	char sb[68], list[160] = "";
	struct str s;
	const char *at;
	unsigned int i, n;

	ws(r);
	at = r->p;
	if (rd_string(r, &s, "a string") < 0)
		return -1;
	for (i = 0; f->names[i]; i++)
		if (str_is(&s, f->names[i])) {
			*out = i;
			return 0;
		}
	for (n = i, i = 0; i < n; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
			 "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ",
			 f->names[i]);
	return rd_err(r, at, "unknown %s '%s' (expected %s)", f->what,
		      shown(s.s, s.len, sb), list);
}

/*
 * The value of `key` in an object described by t: an unknown key is
 * skipped (that is what keeps the format forward compatible), a known key
 * twice is an error (which value would be meant?), a plain value is
 * stored into obj.  Returns the row of an FK_OWN key for the caller to
 * read, FIELD_DONE when the value has been read, -1 on error.
 */
static int rd_field(struct rd *r, const struct field *t, uint32_t *mask,
		    const struct str *key, void *obj)
{
	int i = field_index(key, t);
	const struct field *f;
	unsigned int u;
	char *p;
	int64_t v;

	if (i < 0)
		return rd_skip(r) < 0 ? -1 : FIELD_DONE;
	if (*mask & (UINT32_C(1) << i))
		return rd_err(r, key->at, "duplicate key '%s'", t[i].key);
	*mask |= UINT32_C(1) << i;
	f = &t[i];
	if (f->kind == FK_OWN)
		return i;
	p = (char *)obj + f->off;
	switch (f->kind) {
	case FK_OPT_STR:
		return rd_opt_str(r, (char **)p) < 0 ? -1 : FIELD_DONE;
	case FK_INTERN:
		*(uint32_t *)p = rd_intern(r, "a string");
		return *(uint32_t *)p == KF_NONE ? -1 : FIELD_DONE;
	case FK_U64:
		return rd_u64(r, (uint64_t *)p) < 0 ? -1 : FIELD_DONE;
	case FK_INT:
		if (rd_range(r, f->lo, f->hi, &v) < 0)
			return -1;
		put_int(p, f->size, v);
		return FIELD_DONE;
	case FK_NAME:
		if (rd_name(r, f, &u) < 0)
			return -1;
		put_int(p, f->size, u);
		return FIELD_DONE;
	default: /* FK_FLAGS */
		return rd_flags(r, f->flags, (uint16_t *)p) < 0 ? -1 :
		       FIELD_DONE;
	}
}

/* Row of the FK_OWN key `own` in t. */
static int own_row(const struct field *t, int own)
{
	int i;

	for (i = 0; t[i].key; i++)
		if (t[i].kind == FK_OWN && t[i].own == own)
			return i;
	return -1;
}

/* Report the first required key of t that is not in mask. */
static int need_fields(struct rd *r, uint32_t mask, const struct field *t,
		       const char *at, const char *in)
{
	int i;

	for (i = 0; t[i].key; i++)
		if (t[i].required && !(mask & (UINT32_C(1) << i)))
			return rd_err(r, at, "missing key '%s' in %s",
				      t[i].key, in);
	return 0;
}

/* null (*n stays UINT32_MAX) or an array of *n counts. */
static int rd_lost_per_cpu(struct rd *r, struct kf_meta *mt, uint32_t *n)
{
	uint32_t cap = 0;
	uint8_t first = 1;
	uint64_t *v;
	int k;

	if (peek(r) == 'n')
		return rd_literal(r, "null");
	if (expect(r, '[', "'[' or null") < 0)
		return -1;
	*n = 0;
	while ((k = rd_elem(r, &first)) > 0) {
		if (*n == MAX_CPUS) {
			ws(r);
			return rd_err(r, r->p, "more than %d CPUs",
				      MAX_CPUS);
		}
		if (KF_GROW(mt->lost_cpu, cap, (size_t)*n + 1) < 0)
			return rd_oom(r);
		v = mt->lost_cpu;
		if (rd_u64(r, &v[*n]) < 0)
			return -1;
		(*n)++;
	}
	return k;
}

static int rd_meta(struct rd *r)
{
	struct kf_meta *mt = &r->m->meta;
	uint32_t mask = 0, nlost = UINT32_MAX;
	uint8_t first = 1;
	struct str key;
	int k, i;

	if (expect(r, '{', "'{'") < 0)
		return -1;
	while ((k = rd_key(r, &first, &key)) > 0) {
		i = rd_field(r, meta_fields, &mask, &key, mt);
		if (i == FIELD_DONE)
			continue;
		if (i < 0)
			return -1;
		if (meta_fields[i].own == OWN_T0 ? rd_u64(r, &r->t0) < 0 :
		    rd_lost_per_cpu(r, mt, &nlost) < 0)
			return -1;
	}
	if (k < 0 || need_fields(r, mask, meta_fields, r->p - 1,
				 "\"meta\"") < 0)
		return -1;
	if (nlost != UINT32_MAX && nlost != (uint32_t)mt->ncpus)
		return rd_err(r, r->p - 1, "\"lost_per_cpu\" has %u entries "
			      "but \"ncpus\" is %d", nlost, mt->ncpus);
	return 0;
}

static int rd_sys_args(struct rd *r, struct kf_sysdesc *d)
{
	uint8_t first = 1, ofirst;
	struct str key;
	int k;

	if (expect(r, '[', "'['") < 0)
		return -1;
	while ((k = rd_elem(r, &first)) > 0) {
		struct arg_desc a = { KF_NONE, 0 };
		uint32_t mask = 0;

		if (d->nargs == KF_MAX_ARGS) {
			ws(r);
			return rd_err(r, r->p, "more than %d arguments",
				      KF_MAX_ARGS);
		}
		if (expect(r, '{', "'{'") < 0)
			return -1;
		ofirst = 1;
		while ((k = rd_key(r, &ofirst, &key)) > 0)
			if (rd_field(r, arg_fields, &mask, &key, &a) !=
			    FIELD_DONE)
				return -1; /* arg_fields has no FK_OWN */
		if (k < 0 || need_fields(r, mask, arg_fields, r->p - 1,
					 "a syscall argument") < 0)
			return -1;
		d->argname[d->nargs] = a.name;
		d->argkind[d->nargs++] = a.kind;
	}
	return k;
}

static int rd_syscalls(struct rd *r)
{
	struct kf_model *m = r->m;
	uint8_t first = 1, ofirst;
	struct str key;
	char sb[68];
	int k, i;

	if (expect(r, '[', "'['") < 0)
		return -1;
	while ((k = rd_elem(r, &first)) > 0) {
		struct kf_sysdesc d = { .nr = -1 };
		uint32_t mask = 0, si;
		const char *at;

		if (m->nsys >= MAX_SYSCALLS) {
			ws(r);
			return rd_err(r, r->p, "more than %d syscalls",
				      MAX_SYSCALLS);
		}
		ws(r);
		at = r->p;
		if (expect(r, '{', "'{'") < 0)
			return -1;
		ofirst = 1;
		while ((k = rd_key(r, &ofirst, &key)) > 0) {
			i = rd_field(r, sys_fields, &mask, &key, &d);
			if (i == FIELD_DONE)
				continue;
			if (i < 0 || rd_sys_args(r, &d) < 0) /* OWN_ARGS */
				return -1;
		}
		if (k < 0 || need_fields(r, mask, sys_fields, r->p - 1,
					 "a syscall") < 0)
			return -1;
		for (si = 0; si < m->nsys; si++)
			if (m->sys[si].name == d.name)
				return rd_err(r, at, "syscall '%s' is listed "
					      "twice",
					      shown(m->strs.str[d.name],
						    m->strs.len[d.name], sb));
		si = kf_model_sys_get(m, kf_strtab_get(&m->strs, d.name));
		if (si == KF_NONE)
			return rd_oom(r);
		m->sys[si] = d;
	}
	return k;
}

static int push_frame(struct rd *r, uint32_t sp, uint32_t node,
		      uint8_t list)
{
	struct frame *f;

	if (KF_GROW(r->stack, r->stack_cap, (size_t)sp + 1) < 0)
		return rd_oom(r);
	f = &r->stack[sp];
	f->node = node;
	f->last = KF_NONE;
	f->seen = 0;
	f->list = list;
	f->first = 1;
	return 0;
}

/*
 * A node of the list open at the top of the stack (*sp frames): made,
 * linked after its elder sibling or under its parent, and pushed.
 */
static int open_node(struct rd *r, uint32_t ci, uint32_t *sp,
		     uint32_t *count)
{
	struct kf_model *m = r->m;
	struct frame *f = &r->stack[*sp - 1];
	struct kf_node *n;
	uint32_t ni;

	if (peek(r) != '{')
		return bad(r, "'{' (a node)");
	if (*sp - 1 > MAX_TREE_DEPTH)
		return rd_err(r, r->p, "tree nested deeper than %u levels",
			      MAX_TREE_DEPTH + 1);
	r->p++;
	ni = kf_model_node_new(m);
	if (ni == KF_NONE)
		return rd_oom(r);
	n = kf_node_get(m, ni);
	n->parent = f->node;
	n->depth = (uint16_t)(*sp - 1);
	if (f->last != KF_NONE)
		kf_node_get(m, f->last)->next = ni;
	else if (f->node != KF_NONE)
		kf_node_get(m, f->node)->child = ni;
	else
		m->calls[ci].root = ni;
	f->last = ni;
	(*count)++;
	return push_frame(r, (*sp)++, ni, 0);
}

/* A node's note keys ("ret", "off_ns", "sleeps", "waker_*"). */
static int rd_node_note(struct rd *r, uint32_t ci, uint32_t ni, int own)
{
	struct kf_model *m = r->m;
	struct kf_node_note *nt;
	const char *at;
	uint32_t id = KF_NONE;
	int64_t v = 0;
	uint64_t u = 0;

	switch (own) {
	case OWN_NODE_RET:
		if (rd_i64(r, &v, &at, 1) < 0)
			return -1;
		return kf_model_ret_set(m, ni, v) < 0 ? rd_oom(r) : 0;
	case OWN_NODE_ARGS:
		if ((id = rd_intern(r, "a string")) == KF_NONE)
			return -1;
		return kf_model_args_set(m, ni, id) < 0 ? rd_oom(r) : 0;
	case OWN_NODE_OFF:
		if (rd_u64(r, &u) < 0)
			return -1;
		break;
	case OWN_NODE_SLEEPS:
	case OWN_NODE_WPID:
		if (rd_range(r, own == OWN_NODE_WPID ? INT32_MIN : 0,
			     own == OWN_NODE_WPID ? INT32_MAX : UINT32_MAX,
			     &v) < 0)
			return -1;
		break;
	case OWN_NODE_WIRQ:
	case OWN_NODE_PREEMPT:
		if (peek(r) == 't') {
			if (rd_literal(r, "true") < 0)
				return -1;
			v = 1;
		} else if (rd_literal(r, "false") < 0) {
			return -1;
		}
		break;
	default: /* OWN_NODE_WCOMM, OWN_NODE_WIN: a string or null */
		if (peek(r) == 'n') {
			if (rd_literal(r, "null") < 0)
				return -1;
		} else if ((id = rd_intern(r, "a string or null")) == KF_NONE) {
			return -1;
		}
	}
	if (!(nt = kf_model_note_add(m, ni)))
		return rd_oom(r);
	switch (own) {
	case OWN_NODE_OFF:
		nt->off = u;
		nt->has |= KF_NOTE_OFF;
		kf_node_get(m, ni)->flags |= KF_NODE_OFF;
		/* the call's off-CPU time is its nodes' */
		m->calls[ci].off += u;
		break;
	case OWN_NODE_SLEEPS:
		nt->nsleeps = (uint32_t)v;
		break;
	case OWN_NODE_WPID:
		nt->waker_pid = (int32_t)v;
		nt->has |= KF_NOTE_WAKER;
		break;
	case OWN_NODE_WCOMM:
		nt->waker_comm = id;
		break;
	case OWN_NODE_WIRQ:
		if (v)
			nt->has |= KF_NOTE_WAKER_IRQ;
		break;
	case OWN_NODE_PREEMPT:
		if (v)
			nt->has |= KF_NOTE_PREEMPTED;
		break;
	default:
		nt->waker_func = id;
	}
	return 0;
}

/*
 * The "tree" of call ci: nodes are created in preorder and linked as they
 * are read, with one stack frame per open node (not recursion: a hostile
 * tree can be as deep as the format allows).  *count gets the number of
 * nodes.
 */
static int rd_tree(struct rd *r, uint32_t ci, uint32_t *count)
{
	struct kf_model *m = r->m;
	uint32_t sp = 0;

	*count = 0;
	if (expect(r, '[', "'['") < 0 || push_frame(r, sp++, KF_NONE, 1) < 0)
		return -1;
	for (;;) {
		struct frame *f = &r->stack[sp - 1];
		struct str key;
		uint32_t mask;
		int k, i;

		if (f->list) {
			k = rd_elem(r, &f->first);
			if (k < 0)
				return -1;
			if (k) {
				if (open_node(r, ci, &sp, count) < 0)
					return -1;
				continue;
			}
			if (sp == 1)
				return 0;
			/* back to the keys of the node */
			f->list = 0;
			f->first = 0;
			continue;
		}
		k = rd_key(r, &f->first, &key);
		if (k < 0)
			return -1;
		mask = f->seen;
		if (!k) {
			int64_t v;

			if (need_fields(r, mask, node_fields, r->p - 1,
					"a node") < 0)
				return -1;
			/* "flags" read after "ret" cleared its mark */
			if (kf_model_ret_get(m, f->node, &v))
				kf_node_get(m, f->node)->flags |= KF_NODE_RET;
			if (kf_model_note(m, f->node) &&
			    (kf_model_note(m, f->node)->has & KF_NOTE_OFF))
				kf_node_get(m, f->node)->flags |= KF_NODE_OFF;
			/* a preemption's "waker" is who took the CPU */
			if (kf_model_note(m, f->node) &&
			    (kf_model_note(m, f->node)->has &
			     KF_NOTE_PREEMPTED))
				kf_model_note_add(m, f->node)->has &=
					~(KF_NOTE_WAKER | KF_NOTE_WAKER_IRQ);
			sp--;
			continue;
		}
		i = rd_field(r, node_fields, &mask, &key,
			     kf_node_get(m, f->node));
		f->seen = (uint16_t)mask;
		if (i == FIELD_DONE)
			continue;
		if (i >= 0 && node_fields[i].own != OWN_CHILDREN) {
			if (rd_node_note(r, ci, f->node, node_fields[i].own) < 0)
				return -1;
			continue;
		}
		/* OWN_CHILDREN */
		if (i < 0 || expect(r, '[', "'['") < 0)
			return -1;
		f->list = 1;
		f->first = 1;
	}
}

static int rd_call_args(struct rd *r, struct kf_call *c)
{
	uint8_t first = 1;
	int k, n = 0;

	if (expect(r, '[', "'['") < 0)
		return -1;
	while ((k = rd_elem(r, &first)) > 0) {
		if (n == KF_MAX_ARGS) {
			ws(r);
			return rd_err(r, r->p, "more than %d arguments",
				      KF_MAX_ARGS);
		}
		if (rd_u64(r, &c->args[n++]) < 0)
			return -1;
	}
	return k;
}

static int rd_call_strings(struct rd *r, struct kf_call *c)
{
	uint8_t first = 1;
	struct str key;
	int k;

	if (expect(r, '{', "'{'") < 0)
		return -1;
	while ((k = rd_key(r, &first, &key)) > 0) {
		int a;

		if (key.len != 1 || key.s[0] < '0' ||
		    key.s[0] >= '0' + KF_MAX_ARGS)
			return rd_err(r, key.at, "\"strings\" keys are "
				      "argument indexes 0 to %d",
				      KF_MAX_ARGS - 1);
		a = key.s[0] - '0';
		if (c->argstr[a] != KF_NONE)
			return rd_err(r, key.at, "duplicate key '%d'", a);
		c->argstr[a] = rd_intern(r, "a string");
		if (c->argstr[a] == KF_NONE)
			return -1;
	}
	return k;
}

/* The keys of a call that need more than a plain value. */
static int rd_call_own(struct rd *r, uint32_t ci, int own, uint64_t *nodes,
		       uint32_t *count)
{
	struct kf_call *c = &r->m->calls[ci];
	const char *at;
	int64_t v;

	switch (own) {
	case OWN_SYSCALL:
		if (peek(r) == 'n') {
			c->sys = KF_NONE;
			return rd_literal(r, "null");
		}
		c->sys = rd_intern(r, "a string or null");
		return c->sys == KF_NONE ? -1 : 0;
	case OWN_RET:
		return rd_i64(r, &c->ret, &at, 1);
	case OWN_CALL_ARGS:
		return rd_call_args(r, c);
	case OWN_STRINGS:
		return rd_call_strings(r, c);
	case OWN_NODES:
		if (rd_range(r, 0, UINT32_MAX, &v) < 0)
			return -1;
		*nodes = (uint64_t)v;
		return 0;
	default: /* OWN_TREE */
		return rd_tree(r, ci, count);
	}
}

/*
 * One invocation.  Until the whole document is read, c->sys holds the
 * strtab id of the syscall's name and the times are relative to t0.
 */
static int rd_call(struct rd *r)
{
	struct kf_model *m = r->m;
	uint32_t ci, mask = 0, count = 0;
	uint64_t nodes = 0;
	uint8_t first = 1;
	struct kf_call *c;
	struct str key;
	int k, i;

	if (expect(r, '{', "'{'") < 0)
		return -1;
	ci = kf_model_call_new(m);
	if (ci == KF_NONE)
		return rd_oom(r);
	c = &m->calls[ci];
	while ((k = rd_key(r, &first, &key)) > 0) {
		i = rd_field(r, call_fields, &mask, &key, c);
		if (i == FIELD_DONE)
			continue;
		if (i < 0 || rd_call_own(r, ci, call_fields[i].own, &nodes,
					 &count) < 0)
			return -1;
	}
	if (k < 0 || need_fields(r, mask, call_fields, r->p - 1,
				 "a call") < 0)
		return -1;
	/* flags may come after ret: set HAS_RET last */
	if (mask & (UINT32_C(1) << own_row(call_fields, OWN_RET)))
		c->flags |= KF_CALL_HAS_RET;
	else
		c->flags &= (uint16_t)~KF_CALL_HAS_RET;
	if (nodes != count)
		return rd_err(r, r->p - 1, "\"nodes\" is %" PRIu64 " but the "
			      "tree has %u", nodes, count);
	c->nnodes = count;
	return 0;
}

static int rd_finish_call(struct rd *r, uint32_t ci, uint32_t node0);

/* A mapped file's pages read so far leave memory every 16 MiB (read
 * again from the file should an error message count lines). */
static void drop_read(struct rd *r)
{
	const uintptr_t page = 4096;
	uintptr_t from = ((uintptr_t)(r->dropped ? r->dropped : r->buf) +
			  page - 1) & ~(page - 1);
	uintptr_t to = (uintptr_t)r->p & ~(page - 1);

	if (!r->mapped || to < from + (16u << 20))
		return;
	madvise((void *)from, to - from, MADV_DONTNEED);
	r->dropped = (const char *)to;
}

static int rd_calls(struct rd *r)
{
	struct kf_model *m = r->m;
	uint8_t first = 1;
	int k;

	if (expect(r, '[', "'['") < 0)
		return -1;
	while ((k = rd_elem(r, &first)) > 0) {
		uint32_t ci = m->ncalls, node0 = m->nnodes;

		if (rd_call(r) < 0)
			return -1;
		if (!r->each || r->seen != 3)
			continue;
		/* streaming: finish it, hand it on, forget its tree */
		if (rd_finish_call(r, ci, node0) < 0 ||
		    r->each(r->each_ctx, m, ci) < 0)
			return -1;
		kf_model_truncate(m, ci, node0);
		drop_read(r);
	}
	return k;
}

static int not_capture(struct rd *r)
{
	if (r->quiet)
		return -1;
	if (!r->have_format)
		return kf_err(KF_EXIT_DATAERR, "cannot read '%s': not a "
			      "kfollow capture (no \"format\" key)", r->name);
	return kf_err(KF_EXIT_DATAERR, "cannot read '%s': not a kfollow "
		      "capture (its format is '%s')", r->name, r->format);
}

static int too_new(struct rd *r)
{
	if (r->quiet)
		return -1;
	return kf_err(KF_EXIT_DATAERR, "'%s' is a %s version %" PRId64
		      " file; this kfollow reads version %d: upgrade kfollow",
		      r->name, KF_CAPFILE_FORMAT, r->version,
		      KF_CAPFILE_VERSION);
}

/* format and version, checked as soon as they are read. */
static int rd_head_key(struct rd *r, int i)
{
	const char *at;

	ws(r);
	at = r->p;
	if (i == OWN_FORMAT) {
		struct str s;

		if (rd_string(r, &s, "a string") < 0)
			return -1;
		r->have_format = 1;
		shown(s.s, s.len, r->format);
		if (!str_is(&s, KF_CAPFILE_FORMAT))
			return not_capture(r);
		return 0;
	}
	if (rd_i64(r, &r->version, &at, 0) < 0)
		return -1;
	r->have_version = 1;
	if (r->version > KF_CAPFILE_VERSION)
		return too_new(r);
	if (r->version < 1)
		return rd_err(r, at, "unsupported version %" PRId64,
			      r->version);
	return 0;
}

static int rd_doc_own(struct rd *r, int own)
{
	switch (own) {
	case OWN_FORMAT:
	case OWN_VERSION:
		return rd_head_key(r, own);
	case OWN_META:
		r->seen |= 1;
		return rd_meta(r);
	case OWN_SYSCALLS:
		r->seen |= 2;
		return rd_syscalls(r);
	default: /* OWN_CALLS */
		return rd_calls(r);
	}
}

/*
 * The whole document.  Skipping is what makes the format forward
 * compatible: keys this version does not know are checked as JSON and
 * ignored.
 */
static int rd_doc(struct rd *r)
{
	uint8_t first = 1;
	uint32_t mask = 0;
	struct str key;
	int k, i;

	if (expect(r, '{', "'{'") < 0)
		return -1;
	while ((k = rd_key(r, &first, &key)) > 0) {
		if (r->quiet) {
			/* probing: note what is there, skip what is not */
			i = field_index(&key, doc_fields);
			i = i < 0 ? -1 : doc_fields[i].own;
			if (i == OWN_FORMAT || i == OWN_VERSION) {
				const char *save = r->p;

				if (rd_head_key(r, i) == 0)
					continue;
				r->p = save;
			}
			if (rd_skip(r) < 0)
				return -1;
			continue;
		}
		i = rd_field(r, doc_fields, &mask, &key, NULL);
		if (i == FIELD_DONE)
			continue;
		if (i < 0 || rd_doc_own(r, doc_fields[i].own) < 0)
			return -1;
	}
	if (k < 0)
		return -1;
	if (r->quiet)
		return 0;
	if (!r->have_format)
		return not_capture(r);
	if (need_fields(r, mask, doc_fields, r->p - 1, "the capture") < 0)
		return -1;
	ws(r);
	if (r->p < r->end)
		return rd_err(r, r->p, *r->p ? "unexpected data after the end "
			      "of the capture" : "a NUL byte after the end of "
			      "the capture");
	return 0;
}

/*
 * One call read as the capture streams (meta and syscalls already in):
 * its syscall descriptor by name, its and its nodes' times back to
 * absolute, their self times.
 */
static int rd_finish_call(struct rd *r, uint32_t ci, uint32_t node0)
{
	struct kf_model *m = r->m;
	struct kf_call *c = &m->calls[ci];
	char sb[68];
	uint32_t i;

	if (c->sys != KF_NONE) {
		uint32_t name = c->sys;

		for (i = 0; i < m->nsys && m->sys[i].name != name; i++)
			;
		if (i == m->nsys)
			return rd_err_nopos(r, "call %u names syscall '%s', "
					    "which \"syscalls\" does not list",
					    ci - r->call_base + 1,
					    shown(m->strs.str[name],
						  m->strs.len[name], sb));
		c->sys = i;
	}
	if (c->start > UINT64_MAX - r->t0 || c->end > UINT64_MAX - r->t0)
		return rd_err_nopos(r, "call %u: a time plus \"t0_ns\" is "
				    "beyond 2^64 ns", ci - r->call_base + 1);
	c->start += r->t0;
	c->end += r->t0;
	for (i = node0; i < m->nnodes; i++) {
		struct kf_node *n = kf_node_get(m, i);

		if (n->start > UINT64_MAX - r->t0)
			return rd_err_nopos(r, "a node's start plus \"t0_ns\" "
					    "is beyond 2^64 ns");
		n->start += r->t0;
	}
	return kf_model_compute_self(m);
}

/* Link calls to their syscall descriptors, times back to absolute. */
static int rd_finish(struct rd *r)
{
	struct kf_model *m = r->m;
	uint32_t *sys_of = NULL, i;
	char sb[68];
	int rc = -1;

	sys_of = malloc((size_t)m->strs.count * sizeof(*sys_of));
	if (!sys_of)
		return rd_oom(r);
	memset(sys_of, 0xff, (size_t)m->strs.count * sizeof(*sys_of));
	for (i = 0; i < m->nsys; i++)
		sys_of[m->sys[i].name] = i;
	for (i = r->call_base; i < m->ncalls; i++) {
		struct kf_call *c = &m->calls[i];

		if (c->sys != KF_NONE) {
			uint32_t name = c->sys;

			c->sys = sys_of[name];
			if (c->sys == KF_NONE) {
				rd_err_nopos(r, "call %u names syscall '%s', "
					     "which \"syscalls\" does not "
					     "list", i - r->call_base + 1,
					     shown(m->strs.str[name],
						   m->strs.len[name], sb));
				goto out;
			}
		}
		if (c->start > UINT64_MAX - r->t0 ||
		    c->end > UINT64_MAX - r->t0) {
			rd_err_nopos(r, "call %u: a time plus \"t0_ns\" is "
				     "beyond 2^64 ns", i - r->call_base + 1);
			goto out;
		}
		c->start += r->t0;
		c->end += r->t0;
	}
	for (i = r->node_base; i < m->nnodes; i++) {
		struct kf_node *n = kf_node_get(m, i);

		if (n->start > UINT64_MAX - r->t0) {
			rd_err_nopos(r, "a node's start plus \"t0_ns\" is "
				     "beyond 2^64 ns");
			goto out;
		}
		n->start += r->t0;
	}
	kf_model_compute_self(m);
	rc = 0;
out:
	free(sys_of);
	return rc;
}

/*
 * After an error: if the document says early enough that it is not a
 * capture, or a newer version, say that instead of what broke.
 */
static void rd_probe(struct rd *r)
{
	struct rd q = *r;
	int complete;

	q.quiet = 1;
	q.p = q.buf;
	if (q.end - q.p >= 3 && !memcmp(q.p, "\xef\xbb\xbf", 3))
		q.p += 3;
	q.have_format = q.have_version = 0;
	q.tmp = NULL;
	q.tmp_cap = 0;
	complete = rd_doc(&q) == 0;
	free(q.tmp);
	if (q.have_format ? strcmp(q.format, KF_CAPFILE_FORMAT) != 0 :
	    complete) {
		memcpy(r->format, q.format, sizeof(r->format));
		r->have_format = q.have_format;
		not_capture(r);
	} else if (q.have_version && q.version > KF_CAPFILE_VERSION) {
		r->version = q.version;
		too_new(r);
	}
}

/* The document in buf into m, each call handed to each() as it is read
 * when each is set (kf_capfile_stream).  Returns 0 or -1 (kf_err). */
static int rd_read(const char *buf, size_t len, struct kf_model *m,
		   const char *name,
		   int (*each)(void *ctx, struct kf_model *m, uint32_t call),
		   void *ctx, int mapped)
{
	struct rd r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.buf = r.p = buf;
	r.end = buf + len;
	r.name = name ? name : "capture";
	r.m = m;
	r.node_base = m->nnodes;
	r.call_base = m->ncalls;
	r.each = each;
	r.each_ctx = ctx;
	r.mapped = mapped;
	/* a UTF-8 byte order mark, as some editors save (RFC 8259 8.1) */
	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
		r.p += 3;
	rc = rd_doc(&r);
	if (rc == 0)
		rc = rd_finish(&r);
	if (rc < 0 && !(r.have_format && r.have_version))
		rd_probe(&r);
	free(r.tmp);
	free(r.stack);
	return rc;
}

int kf_capfile_parse(const char *buf, size_t len, struct kf_model *m,
		     const char *name)
{
	int rc = rd_read(buf, len, m, name, NULL, NULL, 0);

	if (rc < 0) {
		/* leave no half-read model behind (calls hold name ids) */
		char msg[1024];
		int code = kf_err_code();

		snprintf(msg, sizeof(msg), "%s", kf_err_msg());
		kf_model_release(m);
		kf_model_init(m);
		kf_err(code, "%s", msg);
	}
	return rc;
}

int kf_capfile_stream(const char *buf, size_t len, int mapped,
		      struct kf_model *m, const char *name,
		      int (*each)(void *ctx, struct kf_model *m, uint32_t call),
		      void *ctx)
{
	uint32_t i, first = m->ncalls;
	int rc = rd_read(buf, len, m, name, each, ctx, mapped);

	/* "calls" came before meta or syscalls: they are all here now */
	for (i = first; rc == 0 && i < m->ncalls; i++)
		rc = each(ctx, m, i);
	return rc;
}

int kf_capfile_sniff(const char *buf, size_t len)
{
	size_t i = 0;

	/*
	 * function_graph text never starts with '{'; any JSON object goes
	 * to the capture reader, whose errors say more than "neither"
	 */
	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' ||
			   buf[i] == '\r'))
		i++;
	return i < len && buf[i] == '{';
}
