// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * srcmap.c - the source map of a kernel version: built once from its
 * source tarball (srcscan.c does the reading), kept in the cache as a
 * sorted text file, loaded whole and searched by name.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kf_common.h"
#include "kf_srcmap.h"
#include "kf_vm.h"

/* bumped whenever the scanner finds more or other definitions: a map
 * an older kfollow built is built again */
#define MAP_MAGIC "kfollow-srcmap 6"
#define MAX_TOP 256

/* ---- building ----------------------------------------------------- */

struct def {
	size_t name;   /* offsets into the builder's text */
	size_t doc;    /* SIZE_MAX: none */
	uint32_t file; /* index into files */
	uint32_t line;
	uint8_t prio;  /* 0: .c or .S, 1: .h */
	uint8_t inl;
};

/* A Makefile line "obj-$(CONFIG_X) += name.o": dir/name is built only
 * with CONFIG_X (several lines: any of them). */
struct gate {
	size_t base;   /* "mm/slub", offset into text */
	size_t sym;    /* "CONFIG_SLUB" */
};

struct builder {
	char *text;        /* NUL-separated names, docs and file paths */
	size_t tlen, tcap;
	struct def *defs;
	size_t ndefs, dcap;
	size_t *files;     /* offsets of file paths in text */
	size_t nfiles, fcap;
	struct gate *gates;
	size_t ngates, gcap;
	uint8_t prio;
	char top[MAX_TOP]; /* the tarball's top directory */
	const char *rel;   /* the current member, less its top directory */
};

static size_t text_add(struct builder *b, const char *s, size_t n)
{
	size_t at = b->tlen;

	if (KF_GROW(b->text, b->tcap, b->tlen + n + 1) < 0)
		return SIZE_MAX;
	memcpy(b->text + at, s, n);
	b->text[at + n] = '\0';
	b->tlen += n + 1;
	return at;
}

static int on_def(void *ctx, const char *name, size_t nlen, uint32_t line,
		  const char *doc, size_t dlen)
{
	struct builder *b = ctx;
	struct def *d;

	if (nlen == 0 || nlen > 255)
		return 0;
	if (KF_GROW(b->defs, b->dcap, b->ndefs + 1) < 0)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	d = &b->defs[b->ndefs];
	d->name = text_add(b, name, nlen);
	d->doc = doc ? text_add(b, doc, dlen) : SIZE_MAX;
	if (d->name == SIZE_MAX || (doc && d->doc == SIZE_MAX))
		return kf_err(KF_EXIT_OSERR, "out of memory");
	d->file = (uint32_t)(b->nfiles - 1);
	d->line = line & ~KF_SRC_INLINE;
	d->inl = !!(line & KF_SRC_INLINE);
	d->prio = b->prio;
	b->ndefs++;
	return 0;
}

static int ends_with(const char *s, const char *suf)
{
	size_t l = strlen(s), k = strlen(suf);

	return l >= k && !strcmp(s + l - k, suf);
}

/* lib/crypto/arm/, lib/raid6/...: code of another architecture outside
 * arch/ (7.x keeps each architecture's crypto under lib/crypto/ARCH/) */
static int other_arch_dir(const char *rel)
{
	static const char *const arches[] = {
		"alpha", "arc", "arm", "arm64", "csky", "hexagon", "loongarch",
		"m68k", "microblaze", "mips", "nios2", "openrisc", "parisc",
		"powerpc", "riscv", "s390", "sh", "sparc", "um", "xtensa",
	};

	if (strncmp(rel, "lib/", 4) && strncmp(rel, "crypto/", 7))
		return 0;
	for (const char *p = strchr(rel, '/'); p; p = strchr(p + 1, '/')) {
		size_t n = strcspn(p + 1, "/");

		if (p[1 + n] != '/')
			break; /* the file's own name */
		for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
			if (strlen(arches[i]) == n &&
			    !memcmp(p + 1, arches[i], n))
				return 1;
	}
	return 0;
}

/*
 * Members worth reading: C, headers and assembly of what an x86-64
 * kernel is built from.  Paths with "..", control bytes, tabs or
 * newlines are never taken (the map is a tab-separated text file).
 */
static int want_member(void *ctx, const char *path)
{
	static const char *const skip[] = {
		"tools/", "scripts/", "samples/", "Documentation/", "usr/",
	};
	struct builder *b = ctx;
	const char *slash = strchr(path, '/'), *rel;
	size_t i;

	if (!slash || slash == path || (size_t)(slash - path) >= MAX_TOP)
		return 0;
	if (!b->top[0])
		snprintf(b->top, sizeof(b->top), "%.*s", (int)(slash - path),
			 path);
	else if (strncmp(path, b->top, (size_t)(slash - path)) ||
		 b->top[slash - path])
		return 0;
	rel = slash + 1;
	if (strstr(rel, "..") || rel[0] == '/')
		return 0;
	for (const char *p = rel; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return 0;
	for (i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (!strncmp(rel, skip[i], strlen(skip[i])))
			return 0;
	if (!strncmp(rel, "arch/", 5) && strncmp(rel, "arch/x86/", 9))
		return 0;
	if (other_arch_dir(rel))
		return 0;
	return ends_with(rel, ".c") || ends_with(rel, ".h") ||
	       ends_with(rel, ".S") || ends_with(rel, "/Makefile") ||
	       ends_with(rel, "/Kbuild");
}

/* The "obj-$(CONFIG_X) += a.o b.o" lines of directory dir's Makefile. */
static int scan_makefile(struct builder *b, const char *dir, size_t dlen,
			 char *data, size_t len)
{
	char *p = data, *end = data + len;

	/* join continued lines */
	for (char *q = data; q + 1 < end; q++)
		if (q[0] == '\\' && q[1] == '\n')
			q[0] = q[1] = ' ';
	while (p < end) {
		char *eol = memchr(p, '\n', (size_t)(end - p));
		char *le = eol ? eol : end, *q = p, *sym;
		size_t slen;

		p = eol ? eol + 1 : end;
		if ((size_t)(le - q) < 14 || memcmp(q, "obj-$(CONFIG_", 13))
			continue;
		sym = q + 6;
		slen = strspn(sym, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			      "abcdefghijklmnopqrstuvwxyz0123456789_");
		q = sym + slen;
		if (q >= le || *q != ')')
			continue;
		q++;
		while (q < le && (*q == ' ' || *q == '\t'))
			q++;
		if (q < le && (*q == '+' || *q == ':'))
			q++;
		if (q >= le || *q != '=')
			continue;
		q++;
		while (q < le) {
			char *w;
			size_t wl;

			while (q < le && (*q == ' ' || *q == '\t'))
				q++;
			w = q;
			while (q < le && *q != ' ' && *q != '\t' && *q != '#')
				q++;
			wl = (size_t)(q - w);
			if (q < le && *q == '#')
				break;
			if (wl > 2 && wl < 200 && !memcmp(w + wl - 2, ".o", 2) &&
			    !memchr(w, '/', wl) && !memchr(w, '$', wl)) {
				char base[512];
				int bl = snprintf(base, sizeof(base), "%.*s%.*s",
						  (int)dlen, dir, (int)(wl - 2),
						  w);
				struct gate *g;

				if (bl <= 0 || (size_t)bl >= sizeof(base))
					continue;
				if (KF_GROW(b->gates, b->gcap, b->ngates + 1) < 0)
					return kf_err(KF_EXIT_OSERR, "out of "
						      "memory");
				g = &b->gates[b->ngates];
				g->base = text_add(b, base, (size_t)bl);
				g->sym = text_add(b, sym, slen);
				if (g->base == SIZE_MAX || g->sym == SIZE_MAX)
					return kf_err(KF_EXIT_OSERR, "out of "
						      "memory");
				b->ngates++;
			}
		}
	}
	return 0;
}

static int on_member(void *ctx, const char *path, const char *data,
		     size_t len)
{
	struct builder *b = ctx;
	const char *rel = strchr(path, '/') + 1;
	size_t at;

	if (ends_with(rel, "Makefile") || ends_with(rel, "Kbuild"))
		return scan_makefile(b, rel, (size_t)(strrchr(rel, '/') -
						      rel + 1),
				     (char *)data, len);

	if (KF_GROW(b->files, b->fcap, b->nfiles + 1) < 0)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	at = text_add(b, rel, strlen(rel));
	if (at == SIZE_MAX)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	b->files[b->nfiles++] = at;
	b->rel = rel;
	b->prio = ends_with(rel, ".h");
	if (ends_with(rel, ".S"))
		return kf_srcscan_asm(data, len, on_def, b);
	return kf_srcscan_c(data, len, on_def, b);
}

static const struct builder *sort_b;

static int gate_cmp(const void *pa, const void *pb)
{
	const struct gate *a = pa, *b = pb;
	int c = strcmp(sort_b->text + a->base, sort_b->text + b->base);

	return c ? c : strcmp(sort_b->text + a->sym, sort_b->text + b->sym);
}

static int def_cmp(const void *pa, const void *pb)
{
	const struct def *a = pa, *b = pb;
	int c = strcmp(sort_b->text + a->name, sort_b->text + b->name);

	if (c)
		return c;
	if (a->prio != b->prio)
		return a->prio - b->prio;
	c = strcmp(sort_b->text + sort_b->files[a->file],
		   sort_b->text + sort_b->files[b->file]);
	if (c)
		return c;
	return a->line < b->line ? -1 : a->line > b->line;
}

long kf_srcmap_build(FILE *in, FILE *out, const char *version)
{
	struct builder b = { 0 };
	long n = -1;
	size_t i;

	if (kf_tar_read(in, KF_SRC_FILE_MAX, want_member, on_member, &b) < 0)
		goto done;
	if (b.ndefs == 0) {
		kf_err(KF_EXIT_DATAERR, "the source archive holds no kernel "
		       "functions");
		goto done;
	}
	sort_b = &b;
	qsort(b.defs, b.ndefs, sizeof(*b.defs), def_cmp);
	if (b.ngates)
		qsort(b.gates, b.ngates, sizeof(*b.gates), gate_cmp);
	fprintf(out, "%s\t%s\t%s\n", MAP_MAGIC, version, b.top);
	/* "=<TAB>mm/slub<TAB>CONFIG_SLUB|..." */
	for (i = 0; i < b.ngates; i++) {
		const struct gate *g = &b.gates[i];

		if (i > 0 && !strcmp(b.text + g->base, b.text + g[-1].base)) {
			if (strcmp(b.text + g->sym, b.text + g[-1].sym))
				fprintf(out, "|%s", b.text + g->sym);
			continue;
		}
		fprintf(out, "%s=\t%s\t%s", i ? "\n" : "", b.text + g->base,
			b.text + g->sym);
	}
	if (b.ngates)
		fputc('\n', out);
	for (i = 0; i < b.ndefs; i++) {
		const struct def *d = &b.defs[i];

		/* the same name, file and line twice (both #ifdef arms of a
		 * macro) is one definition */
		if (i > 0 && !def_cmp(d, d - 1))
			continue;
		fprintf(out, "%s\t%s\t%u\t%s\t%s\n", b.text + d->name,
			b.text + b.files[d->file], d->line,
			d->doc == SIZE_MAX ? "" : b.text + d->doc,
			d->inl ? "i" : "");
	}
	if (fflush(out) != 0 || ferror(out)) {
		kf_err_errno(KF_EXIT_IOERR, "cannot write the source map");
		goto done;
	}
	n = (long)b.ndefs;
done:
	free(b.text);
	free(b.defs);
	free(b.files);
	free(b.gates);
	return n;
}

/* ---- loading and looking up --------------------------------------- */

struct mgate {
	const char *base;  /* "mm/slub" */
	const char *syms;  /* "CONFIG_SLUB|CONFIG_X" */
	int state;         /* -1 unknown, 0 off in the config, 1 on */
};

struct kf_srcmap {
	char *buf;                /* the file, its separators made NULs */
	struct kf_srcloc *locs;   /* sorted by name */
	size_t n;
	struct mgate *gates;      /* sorted by base */
	size_t ngates;
	const char **files;       /* distinct files, by id */
	size_t nfiles;
	uint32_t *score;          /* per file: functions of the bound
				   * capture that only it defines */
	char *version, *top;
	char *dir;                /* its cache directory, or NULL */
};

static int loc_cmp(const void *pa, const void *pb)
{
	const struct kf_srcloc *a = pa, *b = pb;

	return strcmp(a->name, b->name);
}

/* Field f of the line at *p (tab-separated), cut; NULL at line end. */
static char *field(char **p, char *end)
{
	char *s = *p, *e = s;

	while (e < end && *e != '\t' && *e != '\n')
		e++;
	if (e >= end || *e == '\n')
		*p = e;
	else
		*p = e + 1;
	return s;
}

static int valid_path(const char *f)
{
	if (!*f || f[0] == '/' || strstr(f, ".."))
		return 0;
	for (; *f; f++)
		if ((unsigned char)*f < 0x20 || *f == 0x7f || *f == '\\')
			return 0;
	return 1;
}

static int valid_version(const char *v)
{
	if (!*v || strlen(v) > 64 || *v == '.' || *v == '-')
		return 0;
	for (; *v; v++)
		if (!isalnum((unsigned char)*v) && !strchr(".+~-", *v))
			return 0;
	return 1;
}

static uint32_t str_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* Intern each location's file: the same string gets the same id. */
static int intern_files(struct kf_srcmap *m)
{
	size_t cap = 1024, i;
	uint32_t *slot;

	while (cap < m->n)
		cap <<= 1;
	cap <<= 1;
	slot = calloc(cap, sizeof(*slot));   /* id + 1, 0: empty */
	m->files = malloc((m->n ? m->n : 1) * sizeof(*m->files));
	if (!slot || !m->files) {
		free(slot);
		return kf_err(KF_EXIT_OSERR, "out of memory");
	}
	for (i = 0; i < m->n; i++) {
		const char *f = m->locs[i].file;
		size_t h = str_hash(f) & (cap - 1);

		while (slot[h] && strcmp(m->files[slot[h] - 1], f))
			h = (h + 1) & (cap - 1);
		if (!slot[h]) {
			m->files[m->nfiles] = f;
			slot[h] = (uint32_t)++m->nfiles;
		}
		m->locs[i].fid = slot[h] - 1;
	}
	free(slot);
	return 0;
}

static int gate_find(const struct kf_srcmap *m, const char *file)
{
	size_t len = strlen(file), lo = 0, hi = m->ngates;
	const char *dot = strrchr(file, '.');
	char base[512];

	if (!dot || (size_t)(dot - file) >= sizeof(base) || len == 0)
		return -1;
	memcpy(base, file, (size_t)(dot - file));
	base[dot - file] = '\0';
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(m->gates[mid].base, base);

		if (c == 0)
			return (int)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int mgate_cmp(const void *pa, const void *pb)
{
	return strcmp(((const struct mgate *)pa)->base,
		      ((const struct mgate *)pb)->base);
}

/* Parse buf (len bytes and a NUL after them), which the map takes over:
 * freed with it, or here on failure. */
static struct kf_srcmap *parse_owned(char *buf, size_t len)
{
	struct kf_srcmap *m = calloc(1, sizeof(*m));
	size_t cap = 0, gcap = 0, lineno = 1, i;
	char *p, *end, *ver, *top;
	int sorted = 1;

	if (!m) {
		free(buf);
		goto oom;
	}
	m->buf = buf;
	p = m->buf;
	end = m->buf + len;
	if (len < sizeof(MAP_MAGIC) || memcmp(p, MAP_MAGIC "\t",
					      sizeof(MAP_MAGIC))) {
		kf_err(KF_EXIT_DATAERR, "not a kfollow source map (or one of "
		       "an older kfollow: remove it to build it again)");
		goto fail;
	}
	p += sizeof(MAP_MAGIC);
	ver = field(&p, end);
	top = field(&p, end);
	if (p >= end || *p != '\n') {
		kf_err(KF_EXIT_DATAERR, "source map: bad header");
		goto fail;
	}
	*p++ = '\0';
	/* cut the header's fields */
	ver[strcspn(ver, "\t\n")] = '\0';
	top[strcspn(top, "\t\n")] = '\0';
	if (!valid_version(ver) || !valid_path(top) || strchr(top, '/')) {
		kf_err(KF_EXIT_DATAERR, "source map: bad version or top "
		       "directory in its header");
		goto fail;
	}
	m->version = ver;
	m->top = top;
	while (p < end) {
		struct kf_srcloc *l;
		char *name, *file, *line, *doc, *flags, *le, *q;
		unsigned long ln;

		lineno++;
		name = field(&p, end);
		file = field(&p, end);
		line = field(&p, end);
		doc = field(&p, end);
		flags = field(&p, end);
		le = p;
		while (p < end && *p != '\n')
			p++;
		if (p < end)
			*p++ = '\0';
		/* cut the fields: every separator becomes a NUL */
		for (q = name; q < le; q++)
			if (*q == '\t')
				*q = '\0';
		*le = '\0';
		if (!strcmp(name, "=")) {
			/* a Makefile gate: "=<TAB>base<TAB>CONFIG_X|..." */
			struct mgate *g;

			if (!valid_path(file) || strncmp(line, "CONFIG_", 7)) {
				kf_err(KF_EXIT_DATAERR, "source map: bad "
				       "line %zu", lineno);
				goto fail;
			}
			if (KF_GROW(m->gates, gcap, m->ngates + 1) < 0)
				goto oom;
			g = &m->gates[m->ngates++];
			g->base = file;
			g->syms = line;
			g->state = -1;
			continue;
		}
		errno = 0;
		ln = strtoul(line, &q, 10);
		if (!*name || !valid_path(file) || *q || errno || ln == 0 ||
		    ln > UINT32_MAX) {
			kf_err(KF_EXIT_DATAERR, "source map: bad line %zu",
			       lineno);
			goto fail;
		}
		if (KF_GROW(m->locs, cap, m->n + 1) < 0)
			goto oom;
		l = &m->locs[m->n];
		l->name = name;
		l->file = file;
		l->line = (uint32_t)ln;
		l->doc = *doc ? doc : NULL;
		l->inl = flags[0] == 'i';
		if (m->n > 0 && strcmp(l[-1].name, name) > 0)
			sorted = 0;
		m->n++;
	}
	/* qsort is not stable: only for a map that is not sorted already
	 * (the builder's order keeps .c before .h) */
	if (!sorted)
		qsort(m->locs, m->n, sizeof(*m->locs), loc_cmp);
	if (m->ngates)
		qsort(m->gates, m->ngates, sizeof(*m->gates), mgate_cmp);
	for (i = 0; i < m->n; i++)
		m->locs[i].gate = gate_find(m, m->locs[i].file);
	if (intern_files(m) < 0)
		goto fail;
	return m;
oom:
	kf_err(KF_EXIT_OSERR, "out of memory");
fail:
	kf_srcmap_free(m);
	return NULL;
}

struct kf_srcmap *kf_srcmap_parse(const char *data, size_t len)
{
	char *buf = malloc(len + 1);

	if (!buf) {
		kf_err(KF_EXIT_OSERR, "out of memory");
		return NULL;
	}
	memcpy(buf, data, len);
	buf[len] = '\0';
	return parse_owned(buf, len);
}

struct kf_srcmap *kf_srcmap_load(const char *path)
{
	struct kf_srcmap *m = NULL;
	struct stat st;
	char *buf = NULL, *slash;
	FILE *f = fopen(path, "re");

	if (!f) {
		kf_err_errno(KF_EXIT_NOINPUT, "cannot open source map '%s'",
			     path);
		return NULL;
	}
	if (fstat(fileno(f), &st) < 0 || st.st_size > KF_SRC_MAP_MAX) {
		kf_err(KF_EXIT_DATAERR, "source map '%s' is larger than %u "
		       "MB", path, KF_SRC_MAP_MAX >> 20);
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		kf_err(KF_EXIT_OSERR, "out of memory");
		goto out;
	}
	if (fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		kf_err_errno(KF_EXIT_NOINPUT, "cannot read source map '%s'",
			     path);
		goto out;
	}
	buf[st.st_size] = '\0';
	m = parse_owned(buf, (size_t)st.st_size);
	buf = NULL; /* the map's, or freed */
	if (!m)
		goto out;
	m->dir = strdup(path);
	if (!m->dir) {
		kf_srcmap_free(m);
		m = NULL;
		kf_err(KF_EXIT_OSERR, "out of memory");
		goto out;
	}
	slash = strrchr(m->dir, '/');
	if (slash)
		*slash = '\0';
	else
		strcpy(m->dir, ".");
out:
	free(buf);
	fclose(f);
	return m;
}

void kf_srcmap_free(struct kf_srcmap *m)
{
	if (!m)
		return;
	free(m->buf);
	free(m->locs);
	free(m->gates);
	free(m->files);
	free(m->score);
	free(m->dir);
	free(m);
}

/* Can loc be the definition the kernel runs, among others like it? */
static int keep(const struct kf_srcmap *m, const struct kf_srcloc *l,
		int want_noninl, int want_built)
{
	if (want_noninl && l->inl)
		return 0;
	if (want_built && l->gate >= 0 && m->gates[l->gate].state == 0)
		return 0;
	return 1;
}

int kf_srcmap_candidates(const struct kf_srcmap *m, const char *func,
			 const struct kf_srcloc **out, int max)
{
	char name[256];
	size_t len = strcspn(func, "."), lo = 0, hi, i, cnt;
	const struct kf_srcloc *first;
	int noninl = 0, built = 0, n = 0;
	long long bscore = -1;

	if (!m || len == 0 || len >= sizeof(name) || max < 1)
		return 0;
	memcpy(name, func, len);
	name[len] = '\0';
	hi = m->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(m->locs[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == m->n || strcmp(m->locs[lo].name, name))
		return 0;
	first = &m->locs[lo];
	for (cnt = 0; lo + cnt < m->n && !strcmp(first[cnt].name, name);
	     cnt++)
		;
	/* several: a header's inline stub is not the function the kernel
	 * runs when a real one exists; a file the kernel's config leaves
	 * out is not either; then the file that defines most of the
	 * capture's other functions (a static function is called from its
	 * own file) */
	for (i = 0; i < cnt; i++) {
		noninl |= !first[i].inl;
		built |= keep(m, &first[i], 0, 1);
	}
	for (i = 0; i < cnt; i++) {
		long long sc;

		if (cnt > 1 && !keep(m, &first[i], noninl, built))
			continue;
		sc = m->score ? m->score[first[i].fid] : 0;
		if (sc > bscore) {
			bscore = sc;
			n = 0;
		}
		if (sc == bscore) {
			if (n < max)
				out[n] = &first[i];
			n++;
		}
	}
	return n;
}

const struct kf_srcloc *kf_srcmap_lookup(const struct kf_srcmap *m,
					 const char *func, int *n)
{
	const struct kf_srcloc *best = NULL;

	*n = kf_srcmap_candidates(m, func, &best, 1);
	return *n ? best : NULL;
}

/* Is CONFIG sym set (y or m) in the sorted array on[]? */
static int config_on(char **on, size_t non, const char *sym, size_t slen)
{
	size_t lo = 0, hi = non;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strncmp(on[mid], sym, slen);

		if (c == 0 && on[mid][slen])
			c = 1;
		if (c == 0)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Mark each gate on or off from the kernel config file at path. */
static int read_config(struct kf_srcmap *m, const char *path)
{
	FILE *f = fopen(path, "re");
	char line[512], **on = NULL;
	size_t non = 0, cap = 0, i;
	int rc = -1;

	if (!f)
		return kf_err_errno(KF_EXIT_NOINPUT, "cannot open '%s'", path);
	while (fgets(line, sizeof(line), f)) {
		char *eq = strchr(line, '=');

		if (strncmp(line, "CONFIG_", 7) || !eq ||
		    (eq[1] != 'y' && eq[1] != 'm'))
			continue;
		*eq = '\0';
		if (KF_GROW(on, cap, non + 1) < 0 || !(on[non] = strdup(line)))
			goto out;
		non++;
	}
	if (non)
		qsort(on, non, sizeof(*on), str_cmp);
	for (i = 0; i < m->ngates; i++) {
		const char *s = m->gates[i].syms;

		m->gates[i].state = 0;
		while (*s) {
			size_t l = strcspn(s, "|");

			if (config_on(on, non, s, l))
				m->gates[i].state = 1;
			s += l + (s[l] == '|');
		}
	}
	rc = 0;
out:
	for (i = 0; i < non; i++)
		free(on[i]);
	free(on);
	fclose(f);
	return rc;
}

int kf_srcmap_bind(struct kf_srcmap *m, const struct kf_model *model,
		   const char *config)
{
	uint8_t *seen;
	uint32_t *score, i;

	if (config && read_config(m, config) < 0)
		return -1;
	seen = calloc(model->strs.count ? model->strs.count : 1, 1);
	score = calloc(m->nfiles ? m->nfiles : 1, sizeof(*score));
	if (!seen || !score) {
		free(seen);
		free(score);
		return kf_err(KF_EXIT_OSERR, "out of memory");
	}
	kf_model_mark_funcs(model, seen);
	free(m->score);
	m->score = NULL;
	for (i = 0; i < model->strs.count; i++) {
		const struct kf_srcloc *l;
		int n;

		if (!seen[i])
			continue;
		l = kf_srcmap_lookup(m, kf_strtab_get(&model->strs, i), &n);
		if (l && n == 1)
			score[l->fid]++;
	}
	m->score = score;
	free(seen);
	return 0;
}

char *kf_srcmap_config_path(const char *release)
{
	char *p = NULL, *cache;
	glob_t g;

	if (!release || !*release || strchr(release, '/') ||
	    strstr(release, "..") || strlen(release) > 128 ||
	    strpbrk(release, "*?[\\"))
		return NULL;
	if (asprintf(&p, "/boot/config-%s", release) < 0)
		return NULL;
	if (access(p, R_OK) == 0)
		return p;
	free(p);
	p = NULL;
	cache = kf_vm_cache();
	if (cache && asprintf(&p, "%s/x/*/boot/config-%s", cache,
			      release) >= 0 &&
	    glob(p, 0, NULL, &g) == 0) {
		free(p);
		p = strdup(g.gl_pathv[0]);
		globfree(&g);
	} else {
		free(p);
		p = NULL;
	}
	free(cache);
	kf_err_clear();
	return p;
}

const char *kf_srcmap_version(const struct kf_srcmap *m)
{
	return m->version;
}

size_t kf_srcmap_count(const struct kf_srcmap *m)
{
	return m->n;
}

const char *kf_srcmap_url(const struct kf_srcmap *m,
			  const struct kf_srcloc *loc, char *buf, size_t len)
{
	snprintf(buf, len, "https://sources.debian.org/src/linux/%s/%s/#L%u",
		 m->version, loc->file, loc->line);
	return buf;
}

const char *kf_srcmap_debian_version(const struct kf_meta *mt, char *buf,
				     size_t len)
{
	const char *p = mt->kernel_build ? strstr(mt->kernel_build,
						   "Debian ") : NULL;
	size_t n;

	if (!p || len == 0)
		return NULL;
	p += 7;
	n = strcspn(p, " ()");
	if (n == 0 || n >= len)
		return NULL;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return valid_version(buf) ? buf : NULL;
}

/* ---- the cache ---------------------------------------------------- */

/* Run `xz -dc tarball` and build the map from its output into path. */
static int build_from(const char *tarball, const char *path,
		      const char *version)
{
	char *tmp = NULL;
	int fds[2], st, rc = -1;
	long n;
	FILE *in = NULL, *out = NULL;
	pid_t pid;

	if (asprintf(&tmp, "%s.part", path) < 0)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	if (pipe2(fds, O_CLOEXEC) < 0) {
		kf_err_errno(KF_EXIT_OSERR, "pipe");
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		kf_err_errno(KF_EXIT_OSERR, "fork");
		close(fds[0]);
		close(fds[1]);
		goto out;
	}
	if (pid == 0) {
		dup2(fds[1], 1);
		execlp("xz", "xz", "-T2", "-dc", tarball, (char *)NULL);
		dprintf(2, "kfollow: cannot run 'xz': %s (install xz-utils)\n",
			strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	in = fdopen(fds[0], "r");
	out = fopen(tmp, "we");
	if (!in || !out) {
		kf_err_errno(KF_EXIT_IOERR, "cannot write '%s'", tmp);
		if (!in)
			close(fds[0]);
		n = -1;
	} else {
		n = kf_srcmap_build(in, out, version);
	}
	if (in)
		fclose(in); /* xz gets SIGPIPE if the build stopped early */
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (out && fclose(out) != 0 && n >= 0) {
		kf_err_errno(KF_EXIT_IOERR, "cannot write '%s'", tmp);
		n = -1;
	}
	if (n >= 0 && !(WIFEXITED(st) && WEXITSTATUS(st) == 0)) {
		kf_err(KF_EXIT_DATAERR, "xz could not read '%s' (remove it "
		       "to fetch it again)", tarball);
		n = -1;
	}
	if (n >= 0 && rename(tmp, path) < 0) {
		kf_err_errno(KF_EXIT_IOERR, "cannot rename '%s'", tmp);
		n = -1;
	}
	if (n < 0)
		unlink(tmp);
	else
		rc = 0;
out:
	free(tmp);
	return rc;
}

/* Is there a map at path that this kfollow's scanner built? */
static int current_map(const char *path)
{
	char head[sizeof(MAP_MAGIC)];
	FILE *f = fopen(path, "re");
	int ok;

	if (!f)
		return 0;
	ok = fread(head, 1, sizeof(head), f) == sizeof(head) &&
	     !memcmp(head, MAP_MAGIC "\t", sizeof(head));
	fclose(f);
	return ok;
}

struct kf_srcmap *kf_srcmap_open(const char *version, int fetch)
{
	char *cache = NULL, *dir = NULL, *map = NULL, *tarball = NULL;
	char *lockp = NULL;
	struct kf_srcmap *m = NULL;
	int lock = -1;

	if (!valid_version(version)) {
		kf_err(KF_EXIT_USAGE, "'%s' is not a kernel version",
		       version);
		return NULL;
	}
	cache = kf_vm_cache();
	if (!cache || asprintf(&dir, "%s/src/%s", cache, version) < 0 ||
	    asprintf(&map, "%s/map", dir) < 0 ||
	    asprintf(&tarball, "%s/linux.tar.xz", dir) < 0 ||
	    asprintf(&lockp, "%s/lock", dir) < 0) {
		kf_err(KF_EXIT_OSERR, "out of memory");
		goto out;
	}
	if (current_map(map)) {
		m = kf_srcmap_load(map);
		goto out;
	}
	if (!fetch) {
		kf_err(KF_EXIT_UNAVAILABLE, "no source map of kernel %s in "
		       "the cache (or one an older kfollow built): run with "
		       "--source once to fetch and read Debian's linux-source "
		       "of that version", version);
		goto out;
	}
	if (mkdir(cache, 0755) < 0 && errno != EEXIST)
		goto mkfail;
	{
		char *src = NULL;

		if (asprintf(&src, "%s/src", cache) < 0)
			goto out;
		if (mkdir(src, 0755) < 0 && errno != EEXIST) {
			free(src);
			goto mkfail;
		}
		free(src);
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		goto mkfail;
	/* one fetch and build at a time; the next run finds the map */
	lock = open(lockp, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (lock < 0 || flock(lock, LOCK_EX) < 0) {
		kf_err_errno(KF_EXIT_OSERR, "cannot lock '%s'", lockp);
		goto out;
	}
	if (!current_map(map)) {
		if (access(tarball, R_OK) != 0 &&
		    kf_vm_source_fetch(version, tarball) < 0)
			goto out;
		kf_note("reading the source of kernel %s for where its "
			"functions are (once)", version);
		if (build_from(tarball, map, version) < 0)
			goto out;
	}
	m = kf_srcmap_load(map);
	goto out;
mkfail:
	kf_err_errno(KF_EXIT_IOERR, "cannot create '%s'", dir);
out:
	if (lock >= 0)
		close(lock);
	free(cache);
	free(dir);
	free(map);
	free(tarball);
	free(lockp);
	return m;
}

char *kf_srcmap_file(const struct kf_srcmap *m, const struct kf_srcloc *loc)
{
	char *path = NULL, *tree = NULL, *tarball = NULL, *member = NULL;
	char *ret = NULL;
	int st;
	pid_t pid;

	if (!m->dir) {
		kf_err(KF_EXIT_UNAVAILABLE, "the source of kernel %s is not "
		       "in the cache", m->version);
		return NULL;
	}
	if (asprintf(&tree, "%s/tree", m->dir) < 0 ||
	    asprintf(&path, "%s/%s", tree, loc->file) < 0 ||
	    asprintf(&tarball, "%s/linux.tar.xz", m->dir) < 0 ||
	    asprintf(&member, "%s/%s", m->top, loc->file) < 0) {
		kf_err(KF_EXIT_OSERR, "out of memory");
		goto out;
	}
	if (access(path, R_OK) == 0)
		goto found;
	if (access(tarball, R_OK) != 0) {
		kf_err(KF_EXIT_UNAVAILABLE, "the source of kernel %s is not "
		       "in the cache", m->version);
		goto out;
	}
	if (mkdir(tree, 0755) < 0 && errno != EEXIST) {
		kf_err_errno(KF_EXIT_IOERR, "cannot create '%s'", tree);
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		kf_err_errno(KF_EXIT_OSERR, "fork");
		goto out;
	}
	if (pid == 0) {
		int nul = open("/dev/null", O_RDWR);

		dup2(nul, 0);
		dup2(nul, 1);
		dup2(nul, 2);
		execlp("tar", "tar", "-xJf", tarball, "-C", tree,
		       "--strip-components=1", member, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (access(path, R_OK) != 0) {
		kf_err(KF_EXIT_UNAVAILABLE, "cannot unpack '%s' from '%s'",
		       member, tarball);
		goto out;
	}
found:
	ret = path;
	path = NULL;
out:
	free(path);
	free(tree);
	free(tarball);
	free(member);
	return ret;
}
