/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * handmodel.h - building models by hand in unit tests (included by the
 * tests that need it; cmocka.h first).
 */
#ifndef KF_TEST_HANDMODEL_H
#define KF_TEST_HANDMODEL_H

#include "kf_model.h"

static uint32_t str(struct kf_model *m, const char *s)
{
	uint32_t id = kf_strtab_intern(&m->strs, s);

	assert_int_not_equal(id, KF_NONE);
	return id;
}

/* Append a node as the last child of parent (KF_NONE: a top node of call). */
static uint32_t add_node(struct kf_model *m, uint32_t call, uint32_t parent,
			 const char *f, uint64_t start, uint64_t dur,
			 uint16_t cpu, uint16_t flags)
{
	uint32_t ni = kf_model_node_new(m), *link;
	struct kf_node *n;

	assert_int_not_equal(ni, KF_NONE);
	n = kf_node_get(m, ni);
	n->func = str(m, f);
	n->start = start;
	n->dur = dur;
	n->cpu = cpu;
	n->flags = flags;
	n->parent = parent;
	n->depth = parent == KF_NONE ? 0 : kf_node_get(m, parent)->depth + 1;
	link = parent == KF_NONE ? &m->calls[call].root :
	       &kf_node_get(m, parent)->child;
	while (*link != KF_NONE)
		link = &kf_node_get(m, *link)->next;
	*link = ni;
	m->calls[call].nnodes++;
	return ni;
}

#endif
