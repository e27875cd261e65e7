// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * explain.c - kfollow's own one-line explanations (presets/explain.tsv),
 * loaded whole and searched by name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kf_common.h"
#include "kf_explain.h"
#include "kf_preset.h"

struct entry {
	const char *name, *text, *file;
};

struct kf_explain {
	char *buf;
	struct entry *e;
	size_t n;
};

static int ent_cmp(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name,
		      ((const struct entry *)b)->name);
}

static int good_name(const char *s)
{
	if (!*s || strlen(s) > 255)
		return 0;
	for (; *s; s++)
		if (!(*s == '_' || (*s >= 'a' && *s <= 'z') ||
		      (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
			return 0;
	return 1;
}

/* Printable ASCII, at most max bytes, not empty. */
static int good_text(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n > max)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

struct kf_explain *kf_explain_parse(const char *data, size_t len)
{
	struct kf_explain *e = calloc(1, sizeof(*e));
	size_t cap = 0, lineno = 0, i;
	char *p, *end;

	if (!e || !(e->buf = malloc(len + 1)))
		goto oom;
	memcpy(e->buf, data, len);
	e->buf[len] = '\0';
	p = e->buf;
	end = e->buf + len;
	while (p < end) {
		char *eol = memchr(p, '\n', (size_t)(end - p)), *f[3];
		int k;

		lineno++;
		if (eol)
			*eol = '\0';
		else
			eol = end;
		if (*p == '#' || *p == '\0') {
			p = eol + 1;
			continue;
		}
		f[0] = p;
		for (k = 1; k < 3; k++) {
			f[k] = strchr(f[k - 1], '\t');
			if (!f[k])
				break;
			*f[k]++ = '\0';
		}
		if (k < 3 || strchr(f[2], '\t') || !good_name(f[0]) ||
		    !good_text(f[1], KF_EXPLAIN_TEXT_MAX) ||
		    !good_text(f[2], 255) || strstr(f[2], "..") ||
		    f[2][0] == '/') {
			kf_err(KF_EXIT_DATAERR, "explanations: line %zu is not "
			       "'name<TAB>text<TAB>file'", lineno);
			goto fail;
		}
		if (KF_GROW(e->e, cap, e->n + 1) < 0)
			goto oom;
		e->e[e->n].name = f[0];
		e->e[e->n].text = f[1];
		e->e[e->n].file = f[2];
		e->n++;
		p = eol + 1;
	}
	if (e->n)
		qsort(e->e, e->n, sizeof(*e->e), ent_cmp);
	for (i = 1; i < e->n; i++)
		if (!strcmp(e->e[i].name, e->e[i - 1].name)) {
			kf_err(KF_EXIT_DATAERR, "explanations: '%s' is "
			       "explained twice", e->e[i].name);
			goto fail;
		}
	return e;
oom:
	kf_err(KF_EXIT_OSERR, "out of memory");
fail:
	kf_explain_free(e);
	return NULL;
}

struct kf_explain *kf_explain_load(void)
{
	char *path = kf_preset_file("explain.tsv"), *buf = NULL;
	struct kf_explain *e = NULL;
	struct stat st;
	FILE *f;

	if (!path) {
		kf_err(KF_EXIT_NOINPUT, "no explain.tsv in the preset "
		       "directories");
		return NULL;
	}
	f = fopen(path, "re");
	if (!f || fstat(fileno(f), &st) < 0 || st.st_size > (4 << 20) ||
	    !(buf = malloc((size_t)st.st_size + 1)) ||
	    fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size)
		kf_err(KF_EXIT_NOINPUT, "cannot read '%s'", path);
	else
		e = kf_explain_parse(buf, (size_t)st.st_size);
	if (f)
		fclose(f);
	free(buf);
	free(path);
	return e;
}

void kf_explain_free(struct kf_explain *e)
{
	if (!e)
		return;
	free(e->buf);
	free(e->e);
	free(e);
}

const char *kf_explain_get(const struct kf_explain *e, const char *func,
			   const char **file)
{
	char name[256];
	size_t len = strcspn(func, "."), lo = 0, hi;

	if (!e || len == 0 || len >= sizeof(name))
		return NULL;
	memcpy(name, func, len);
	name[len] = '\0';
	hi = e->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(e->e[mid].name, name);

		if (c == 0) {
			if (file)
				*file = e->e[mid].file;
			return e->e[mid].text;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

size_t kf_explain_count(const struct kf_explain *e)
{
	return e ? e->n : 0;
}
