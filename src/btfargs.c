// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * btfargs.c - the arguments funcgraph-args records, named and formatted
 * from the kernel's BTF (read with libbpf).
 *
 * Every FUNC of vmlinux's BTF is indexed by name once (a private string
 * table: ~60k names); the modules' split BTF is indexed the first time a
 * name is missing, since the kernel's own printer looks there too.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "kf_btfargs.h"
#include "kf_common.h"
#include "kf_strtab.h"

struct where {
	uint32_t btf;   /* index in b->btf */
	uint32_t id;    /* the FUNC's type id there */
};

struct kf_btfargs {
	struct btf **btf;    /* [0] vmlinux, then modules */
	uint32_t nbtf;
	struct kf_strtab names;
	struct where *at;    /* by names id */
	uint32_t cap;
	char *moddir;        /* modules still to read, or NULL */
	size_t bytes;        /* BTF read so far (bounded) */
};

static int quiet(enum libbpf_print_level l, const char *f, va_list ap)
{
	(void)l; (void)f; (void)ap;
	return 0;
}

static int file_ok(struct kf_btfargs *b, const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return kf_err_errno(KF_EXIT_UNAVAILABLE, "cannot read BTF "
				    "'%s'", path);
	/* sysfs says 4096 for its files: the real size shows on reading */
	if ((size_t)st.st_size > KF_BTF_FILE_MAX ||
	    b->bytes + (size_t)st.st_size > 2 * (size_t)KF_BTF_FILE_MAX)
		return kf_err(KF_EXIT_DATAERR, "BTF '%s' is larger than %u MB: "
			      "not read", path, KF_BTF_FILE_MAX >> 20);
	b->bytes += (size_t)st.st_size;
	return 0;
}

/* Index the FUNCs of b->btf[k] (its own types, not its base's). */
static int index_funcs(struct kf_btfargs *b, uint32_t k)
{
	const struct btf *t = b->btf[k];
	const struct btf *base = btf__base_btf(t);
	uint32_t i, n = btf__type_cnt(t);

	for (i = base ? btf__type_cnt(base) : 1; i < n; i++) {
		const struct btf_type *ty = btf__type_by_id(t, i);
		const char *name;
		uint32_t id;

		if (!ty || !btf_is_func(ty))
			continue;
		name = btf__name_by_offset(t, ty->name_off);
		if (!name || !*name)
			continue;
		id = kf_strtab_find(&b->names, name);
		if (id != KF_NONE && id < b->cap && b->at[id].id)
			continue;  /* the first definition wins, as in the kernel */
		id = kf_strtab_intern(&b->names, name);
		if (id == KF_NONE)
			return kf_err(KF_EXIT_OSERR, "out of memory");
		if (id >= b->cap) {
			uint32_t cap = b->cap ? b->cap : 4096;
			struct where *w;

			while (cap <= id)
				cap *= 2;
			if (!(w = realloc(b->at, cap * sizeof(*w))))
				return kf_err(KF_EXIT_OSERR, "out of memory");
			memset(w + b->cap, 0, (cap - b->cap) * sizeof(*w));
			b->at = w;
			b->cap = cap;
		}
		b->at[id].btf = k;
		b->at[id].id = i;
	}
	return 0;
}

static int add_btf(struct kf_btfargs *b, struct btf *t)
{
	struct btf **n = realloc(b->btf, (b->nbtf + 1) * sizeof(*n));

	if (!n) {
		btf__free(t);
		return kf_err(KF_EXIT_OSERR, "out of memory");
	}
	b->btf = n;
	b->btf[b->nbtf++] = t;
	return index_funcs(b, b->nbtf - 1);
}

struct kf_btfargs *kf_btfargs_new(const char *path, const char *dir)
{
	struct kf_btfargs *b = calloc(1, sizeof(*b));
	struct btf *t;

	if (!b || kf_strtab_init(&b->names) < 0) {
		free(b);
		kf_err(KF_EXIT_OSERR, "out of memory");
		return NULL;
	}
	libbpf_set_print(quiet);
	if (file_ok(b, path) < 0)
		goto fail;
	t = btf__parse_raw(path);
	if (!t) {
		kf_err(KF_EXIT_DATAERR, "cannot read BTF '%s': %s", path,
		       strerror(errno ? errno : EINVAL));
		goto fail;
	}
	if (add_btf(b, t) < 0)
		goto fail;
	if (dir && !(b->moddir = strdup(dir)))
		goto fail;
	return b;
fail:
	kf_btfargs_free(b);
	return NULL;
}

void kf_btfargs_free(struct kf_btfargs *b)
{
	uint32_t i;

	if (!b)
		return;
	/* split BTF refers to its base: free the modules first */
	for (i = b->nbtf; i-- > 0;)
		btf__free(b->btf[i]);
	free(b->btf);
	free(b->at);
	free(b->moddir);
	kf_strtab_release(&b->names);
	free(b);
}

size_t kf_btfargs_count(const struct kf_btfargs *b)
{
	size_t n = 0;
	uint32_t i;

	for (i = 0; i < b->cap; i++)
		n += b->at[i].id != 0;
	return n;
}

/* Read the modules' split BTF, once; a module that fails is left out. */
static void load_modules(struct kf_btfargs *b)
{
	char *dir = b->moddir;
	struct dirent *e;
	DIR *d;

	b->moddir = NULL;
	if (!(d = opendir(dir))) {
		free(dir);
		return;
	}
	while ((e = readdir(d))) {
		char *p = NULL;
		struct btf *t;

		if (e->d_name[0] == '.' || strcmp(e->d_name, "vmlinux") == 0 ||
		    asprintf(&p, "%s/%s", dir, e->d_name) < 0)
			continue;
		if (file_ok(b, p) == 0 &&
		    (t = btf__parse_raw_split(p, b->btf[0])))
			add_btf(b, t);
		free(p);
	}
	closedir(d);
	free(dir);
}

static const struct btf_type *skip_mods(const struct btf *t, uint32_t id)
{
	const struct btf_type *ty = btf__type_by_id(t, id);
	int hops = 0;

	/* a loop in hostile BTF ends here */
	while (ty && hops++ < 32 &&
	       (btf_is_mod(ty) || btf_is_typedef(ty) || btf_is_type_tag(ty)))
		ty = btf__type_by_id(t, ty->type);
	return hops > 32 ? NULL : ty;
}

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->len + 1 >= o->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, o->size - o->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n < o->size - o->len ? (size_t)n :
			  o->size - o->len - 1;
}

/* v cut to size bytes, sign-extended when sign is set */
static uint64_t cut(uint64_t v, uint32_t size, int sign)
{
	if (size == 0 || size >= 8)
		return v;
	v &= (1ull << (size * 8)) - 1;
	if (sign && (v >> (size * 8 - 1)) & 1)
		v |= ~0ull << (size * 8);
	return v;
}

int kf_btfargs_format(struct kf_btfargs *b, const char *func,
		      const uint64_t *regs, int nregs, char *buf, size_t size)
{
	struct out o = { buf, size, 0 };
	const struct btf_type *fn, *proto;
	const struct btf_param *par;
	const struct btf *t;
	uint32_t id;
	int a, p, n;

	if (size)
		buf[0] = '\0';
	id = kf_strtab_find(&b->names, func);
	if ((id == KF_NONE || id >= b->cap || !b->at[id].id) && b->moddir) {
		load_modules(b);
		id = kf_strtab_find(&b->names, func);
	}
	if (id == KF_NONE || id >= b->cap || !b->at[id].id)
		return -1;
	t = b->btf[b->at[id].btf];
	fn = btf__type_by_id(t, b->at[id].id);
	proto = fn ? btf__type_by_id(t, fn->type) : NULL;
	if (!proto || !btf_is_func_proto(proto))
		return -1;
	par = btf_params(proto);
	n = btf_vlen(proto);
	for (a = 0, p = 0; p < n; a++, p++) {
		const struct btf_type *ty;
		const char *pn;
		uint64_t v;

		if (p)
			put(&o, ", ");
		/* a variadic function's last parameter has type 0 */
		if (par[p].type == 0 || a >= nregs || a >= KF_BTF_REGS) {
			put(&o, "...");
			break;
		}
		v = regs[a];
		pn = btf__name_by_offset(t, par[p].name_off);
		if (pn && *pn)
			put(&o, "%s=", pn);
		ty = skip_mods(t, par[p].type);
		if (!ty) {
			put(&o, "?0x%llx", (unsigned long long)v);
			continue;
		}
		if (btf_is_int(ty)) {
			int sign = btf_int_encoding(ty) & BTF_INT_SIGNED;

			v = cut(v, ty->size, sign);
			if (sign)
				put(&o, "%lld", (long long)v);
			else
				put(&o, "0x%llx", (unsigned long long)v);
		} else if (btf_is_any_enum(ty)) {
			put(&o, "%lld", (long long)cut(v, ty->size,
						      btf_kflag(ty)));
		} else if (btf_is_ptr(ty)) {
			put(&o, "0x%llx", (unsigned long long)v);
		} else if (btf_is_composite(ty)) {
			uint32_t x;

			/* passed by value in as many registers as it takes */
			put(&o, "(%s)[0x%llx", btf_is_struct(ty) ? "struct" :
			    "union", (unsigned long long)v);
			for (x = 8; x < ty->size && x < 64; x += 8)
				put(&o, ":0x%llx", (unsigned long long)
				    (a + 1 < nregs && a + 1 < KF_BTF_REGS ?
				     regs[++a] : 0));
			put(&o, "]");
		} else {
			put(&o, "?0x%llx", (unsigned long long)v);
		}
	}
	return (int)o.len;
}
