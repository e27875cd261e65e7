// SPDX-License-Identifier: GPL-2.0-or-later
/* plan.c - the presets a run applies, loaded once (see kf_plan.h). */
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

static int merge_layers(struct kf_plan *p)
{
	int i, n = 0;

	for (i = 0; i < p->npresets; i++)
		n += p->presets[i].nlayers;
	p->layers = calloc((size_t)n + 1, sizeof(*p->layers));
	if (!p->layers)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	for (i = 0; i < p->npresets; i++) {
		memcpy(p->layers + p->nlayers, p->presets[i].layers,
		       p->presets[i].nlayers * sizeof(*p->layers));
		p->nlayers += p->presets[i].nlayers;
	}
	return 0;
}

int kf_plan_make(struct kf_plan *p, const struct kf_opts *o,
		 const struct kf_model *m)
{
	int i;

	memset(p, 0, sizeof(*p));
	if (load_presets(p, o, m) < 0)
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
	if (merge_notrace(p, o) < 0 || merge_layers(p) < 0)
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
	free(p->notrace);
	free(p->layers);
	memset(p, 0, sizeof(*p));
}
