// SPDX-License-Identifier: GPL-2.0-or-later
/* plan.c - the presets a run applies, loaded once (see kf_plan.h). */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kf_common.h"
#include "kf_plan.h"

/* Keep preset *pr (moved into the plan). */
static int add_preset(struct kf_plan *p, struct kf_preset *pr)
{
	struct kf_preset *n = realloc(p->presets,
				      (p->npresets + 1) * sizeof(*n));

	if (!n) {
		kf_preset_release(pr);
		return kf_err(KF_EXIT_OSERR, "out of memory");
	}
	p->presets = n;
	p->presets[p->npresets++] = *pr;
	return 0;
}

/* The preset that applies by itself to syscall name, if there is one. */
static int add_for_syscall(struct kf_plan *p, const char *name)
{
	struct kf_preset pr;
	int rc = kf_preset_load_syscall(&pr, name);

	if (rc < 0)
		return -1;
	return rc == 0 ? add_preset(p, &pr) : 0;
}

static int load_presets(struct kf_plan *p, const struct kf_opts *o,
			const struct kf_model *m)
{
	struct kf_preset pr;
	uint32_t i;

	if (o->preset) {
		if (kf_preset_load(&pr, o->preset, 0) < 0)
			return -1;
		p->named = 1;
		return add_preset(p, &pr);
	}
	if (o->no_preset)
		return 0;
	for (i = 0; i < (uint32_t)o->nsyscalls; i++)
		if (add_for_syscall(p, o->syscalls[i]) < 0)
			return -1;
	for (i = 0; !o->nsyscalls && m && i < m->nsys; i++)
		if (add_for_syscall(p, kf_strtab_get(&m->strs,
						     m->sys[i].name)) < 0)
			return -1;
	return 0;
}

/* The options' notrace globs, then up to 256 of the presets'. */
static int merge_notrace(struct kf_plan *p, const struct kf_opts *o)
{
	int i, k, most = o->nnotrace + KF_PLAN_MAX_PRESET_NOTRACE;

	p->notrace = calloc((size_t)most + 1, sizeof(*p->notrace));
	if (!p->notrace)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	for (i = 0; i < o->nnotrace; i++)
		p->notrace[p->nnotrace++] = o->notrace[i];
	for (i = 0; i < p->npresets; i++)
		for (k = 0; k < p->presets[i].nnotrace && p->nnotrace < most;
		     k++)
			p->notrace[p->nnotrace++] = p->presets[i].notrace[k];
	return 0;
}

/* The presets' layers first, so a preset can label a function its own
 * way, then the subsystem map's, which every preset extends. */
static int merge_layers(struct kf_plan *p)
{
	int i, n = p->map.nlayers;

	for (i = 0; i < p->npresets; i++)
		n += p->presets[i].nlayers;
	p->layers = calloc((size_t)n + 1, sizeof(*p->layers));
	if (!p->layers)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	for (i = 0; i < p->npresets; i++) {
		if (!p->presets[i].nlayers)
			continue;	/* no array to copy from */
		memcpy(p->layers + p->nlayers, p->presets[i].layers,
		       p->presets[i].nlayers * sizeof(*p->layers));
		p->nlayers += p->presets[i].nlayers;
	}
	if (p->map.nlayers) {
		memcpy(p->layers + p->nlayers, p->map.layers,
		       p->map.nlayers * sizeof(*p->layers));
		p->nlayers += p->map.nlayers;
	}
	return 0;
}

static int push_glob(struct kf_plan *p, const char *g, int literal)
{
	unsigned char *lit;
	char **n;
	int i;

	for (i = 0; i < p->nscope; i++)
		if (!strcmp(p->scope[i], g))
			return 0;
	n = realloc(p->scope, (p->nscope + 2) * sizeof(*n));
	if (n)
		p->scope = n;
	lit = realloc(p->scope_literal, p->nscope + 1);
	if (lit)
		p->scope_literal = lit;
	if (!n || !lit || !(n[p->nscope] = strdup(g)))
		return kf_err(KF_EXIT_OSERR, "out of memory");
	lit[p->nscope] = (unsigned char)literal;
	n[++p->nscope] = NULL;
	return 0;
}

/*
 * One scope entry: a subsystem of the map stands for its globs; anything
 * else (a glob, a function, ':mod:NAME') is written as it is, and the
 * capture checks that it matches something.
 */
static int expand_scope(struct kf_plan *p, const struct kf_preset *map,
			const char *name)
{
	int i, found = 0;

	for (i = 0; i < map->nlayers; i++) {
		if (strcmp(map->layers[i].name, name))
			continue;
		found = 1;
		if (push_glob(p, map->layers[i].glob, 0) < 0)
			return -1;
	}
	return found ? 0 : push_glob(p, name, 1);
}

/* The scope's globs from the options' --scope, else the first preset's
 * scope lines, through the subsystem map. */
static int make_scope(struct kf_plan *p, const struct kf_opts *o)
{
	char **names = o->scope;
	int n = o->nscope, i, rc = 0;
	size_t len = 0;

	for (i = 0; !n && i < p->npresets; i++) {
		names = p->presets[i].scope;
		n = p->presets[i].nscope;
	}
	if (!n)
		return 0;
	if (!p->map.path)
		return kf_err(KF_EXIT_UNAVAILABLE, "cannot find the subsystem "
			      "map '" KF_SUBSYSTEMS ".preset' for --scope (it "
			      "is installed with the presets; KFOLLOW_PRESETS "
			      "names another directory)");
	for (i = 0; i < n && rc == 0; i++) {
		rc = expand_scope(p, &p->map, names[i]);
		len += strlen(names[i]) + 1;
	}
	if (rc < 0)
		return -1;
	p->scope_names = calloc(1, len);
	if (!p->scope_names)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	for (i = 0; i < n; i++) {
		if (i)
			strcat(p->scope_names, ",");
		strcat(p->scope_names, names[i]);
	}
	return 0;
}

/* One scope glob, sorted for matching: exact names and "prefix*" globs
 * (nearly all of the map) by string compares, the rest by fnmatch. */
struct scope_glob {
	const char *g;
	size_t plen;		/* literal prefix length */
	int kind;		/* 0 exact, 1 prefix*, 2 fnmatch, 3 :mod:NAME */
};

static void scope_glob_init(struct scope_glob *sg, const char *g)
{
	size_t n = strlen(g);

	sg->g = g;
	sg->plen = strcspn(g, "*?[");
	if (!strncmp(g, ":mod:", 5)) {
		sg->kind = 3;
		sg->g = g + 5;
		sg->plen = n - 5;
	} else if (sg->plen == n) {
		sg->kind = 0;
	} else if (sg->plen == n - 1 && g[n - 1] == '*') {
		sg->kind = 1;
	} else {
		sg->kind = 2;
	}
}

/* Does function name (of module mod, or NULL) match sg? */
static int scope_glob_match(const struct scope_glob *sg, const char *name,
			    size_t nlen, const char *mod, size_t mlen)
{
	switch (sg->kind) {
	case 0:
		return nlen == sg->plen && !memcmp(name, sg->g, nlen);
	case 1:
		return nlen >= sg->plen && !memcmp(name, sg->g, sg->plen);
	case 3:
		return mod && mlen == sg->plen && !memcmp(mod, sg->g, mlen);
	default: {
		char buf[512];

		if (nlen >= sizeof(buf) || nlen < sg->plen ||
		    memcmp(name, sg->g, sg->plen))
			return 0;
		memcpy(buf, name, nlen);
		buf[nlen] = '\0';
		return fnmatch(sg->g, buf, 0) == 0;
	}
	}
}

static long scope_indexes(const char *avail, const struct scope_glob *sg,
			  int n, int *hits, char **out)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	const char *l = avail;
	long idx = 0, count = 0;

	if (!buf)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	buf[0] = '\0';
	while (*l) {
		const char *eol = strchrnul(l, '\n'), *mod = NULL;
		size_t nlen = strcspn(l, " \t\n"), mlen = 0;
		int k, hit = 0;

		if (nlen) {
			idx++;
			/* "name [module]" for a module's functions */
			if (l[nlen] == ' ' && l[nlen + 1] == '[') {
				mod = l + nlen + 2;
				mlen = strcspn(mod, "]\n");
			}
			for (k = 0; k < n; k++)
				if (scope_glob_match(&sg[k], l, nlen, mod,
						     mlen)) {
					hits[k]++;
					hit = 1;
				}
		}
		if (hit) {
			if (len + 24 > cap) {
				char *nb = realloc(buf, cap *= 2);

				if (!nb) {
					free(buf);
					return kf_err(KF_EXIT_OSERR,
						      "out of memory");
				}
				buf = nb;
			}
			len += sprintf(buf + len, "%s%ld", len ? " " : "", idx);
			count++;
		}
		l = *eol ? eol + 1 : eol;
	}
	*out = buf;
	return count;
}

long kf_plan_scope_match(const struct kf_plan *p, const char *avail,
			 char **out, int *hits)
{
	struct scope_glob *sg = calloc(p->nscope + 1, sizeof(*sg));
	long n;
	int i;

	if (!sg)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	for (i = 0; i < p->nscope; i++)
		scope_glob_init(&sg[i], p->scope[i]);
	n = scope_indexes(avail, sg, p->nscope, hits, out);
	free(sg);
	return n;
}

/* --retval's globs (none: "none"), else the presets' retval lines. */
static int merge_retval(struct kf_plan *p, const struct kf_opts *o)
{
	int i, k, most = o->nretval;

	for (i = 0; !o->nretval && i < p->npresets; i++)
		most += p->presets[i].nretval;
	p->retval = calloc((size_t)most + 1, sizeof(*p->retval));
	if (!p->retval)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	for (i = 0; i < o->nretval; i++)
		if (strcmp(o->retval[i], "none") != 0)
			p->retval[p->nretval++] = o->retval[i];
	for (i = 0; !o->nretval && i < p->npresets; i++)
		for (k = 0; k < p->presets[i].nretval; k++)
			p->retval[p->nretval++] = p->presets[i].retval[k];
	return 0;
}

int kf_plan_make(struct kf_plan *p, const struct kf_opts *o,
		 const struct kf_model *m)
{
	int i;

	memset(p, 0, sizeof(*p));
	if (load_presets(p, o, m) < 0)
		return -1;
	/* the map labels every trace and stands behind --scope; a missing
	 * one only leaves functions unlabelled */
	if (kf_preset_load(&p->map, KF_SUBSYSTEMS, 1) < 0)
		return -1;
	p->syscalls = o->syscalls;
	p->nsyscalls = o->nsyscalls;
	if (!o->nsyscalls && !o->nfuncs && p->named) {
		p->syscalls = p->presets[0].syscalls;
		p->nsyscalls = p->presets[0].nsyscalls;
	}
	p->max_depth = o->max_depth;
	for (i = 0; !p->max_depth && i < p->npresets; i++)
		p->max_depth = p->presets[i].max_depth;
	if (merge_notrace(p, o) < 0 || merge_retval(p, o) < 0 ||
	    merge_layers(p) < 0 ||
	    make_scope(p, o) < 0)
		return -1;
	return 0;
}

const struct kf_preset *kf_plan_preset_for(const struct kf_plan *p,
					   const char *name)
{
	int i, k;

	for (i = 0; i < p->npresets; i++) {
		const struct kf_preset *pr = &p->presets[i];

		if (p->named || (pr->name && !strcmp(pr->name, name)))
			return pr;
		for (k = 0; k < pr->nsyscalls; k++)
			if (!strcmp(pr->syscalls[k], name))
				return pr;
	}
	return NULL;
}

void kf_plan_release(struct kf_plan *p)
{
	int i;

	for (i = 0; i < p->npresets; i++)
		kf_preset_release(&p->presets[i]);
	free(p->presets);
	kf_preset_release(&p->map);
	free(p->notrace);
	free(p->retval);
	free(p->layers);
	for (i = 0; i < p->nscope; i++)
		free(p->scope[i]);
	free(p->scope);
	free(p->scope_names);
	free(p->scope_literal);
	memset(p, 0, sizeof(*p));
}
