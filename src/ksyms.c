// SPDX-License-Identifier: GPL-2.0-or-later
/* ksyms.c - kernel function names from /proc/kallsyms (see kf_ksyms.h). */
#include <stdlib.h>
#include <string.h>

#include "kf_common.h"
#include "kf_ksyms.h"

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One line from *p (up to its newline, which becomes a NUL): a text
 * symbol into *s, and 1; 0 for any other line; *p moves past it. */
static int parse_line(char **p, struct kf_ksym *s)
{
	char *l = *p, *eol = strchrnul(l, '\n'), *name;
	uint64_t a = 0;
	int digits = 0, h;

	*p = *eol ? eol + 1 : eol;
	*eol = '\0';
	while ((h = hexval((unsigned char)*l)) >= 0 && digits < 17) {
		a = a << 4 | (uint64_t)h;
		l++;
		digits++;
	}
	if (!digits || digits > 16 || *l != ' ' || !l[1] ||
	    !strchr("tTwW", l[1]) || l[2] != ' ' || !l[3])
		return 0;
	name = l + 3;
	/* "name\t[module]": the name only */
	name[strcspn(name, "\t ")] = '\0';
	if (!*name)
		return 0;
	s->addr = a;
	s->name = name;
	return 1;
}

static int cmp_addr(const void *a, const void *b)
{
	const struct kf_ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

long kf_ksyms_load(struct kf_ksyms *k, char *text)
{
	size_t cap = 0, n = 0;
	int sorted = 1, nonzero = 0;
	char *p = text;
	struct kf_ksym s;

	memset(k, 0, sizeof(*k));
	k->text = text;
	while (p && *p) {
		if (!parse_line(&p, &s))
			continue;
		if (n == cap) {
			struct kf_ksym *nv;

			cap = cap ? cap * 2 : 4096;
			nv = realloc(k->v, cap * sizeof(*nv));
			if (!nv) {
				kf_ksyms_release(k);
				return kf_err(KF_EXIT_OSERR, "out of memory");
			}
			k->v = nv;
		}
		if (n && s.addr < k->v[n - 1].addr)
			sorted = 0;
		nonzero |= s.addr != 0;
		k->v[n++] = s;
	}
	/* kptr_restrict shows every address as 0: nothing can be found */
	if (!nonzero)
		n = 0;
	/* the core's symbols come sorted, the modules' after them */
	if (!sorted)
		qsort(k->v, n, sizeof(*k->v), cmp_addr);
	k->n = n;
	return (long)n;
}

const char *kf_ksyms_find(const struct kf_ksyms *k, uint64_t addr)
{
	size_t lo = 0, hi = k->n;

	/* the last symbol at or below addr */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (k->v[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? k->v[lo - 1].name : NULL;
}

void kf_ksyms_release(struct kf_ksyms *k)
{
	free(k->v);
	free(k->text);
	memset(k, 0, sizeof(*k));
}
