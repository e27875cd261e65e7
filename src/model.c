// SPDX-License-Identifier: GPL-2.0-or-later
/* model.c - the capture model: node arena, calls, syscall descriptors. */
#include <errno.h>
#include <fnmatch.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kf_common.h"
#include "kf_model.h"

int kf_model_init(struct kf_model *m)
{
	memset(m, 0, sizeof(*m));
	m->meta.exit_status = -1;
	if (kf_strtab_init(&m->strs) < 0)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	return 0;
}

static void meta_release(struct kf_meta *mt)
{
	free(mt->kfollow_version);
	free(mt->kernel);
	free(mt->kernel_build);
	free(mt->machine);
	free(mt->date);
	free(mt->command);
	free(mt->targets);
	free(mt->roots);
	free(mt->notrace);
	free(mt->cgroup);
	free(mt->degraded);
	free(mt->clock);
	free(mt->scope);
	free(mt->retval);
	free(mt->args);
	free(mt->source);
	free(mt->lost_cpu);
}

void kf_model_release(struct kf_model *m)
{
	uint32_t i;

	for (i = 0; i < m->nchunks; i++)
		free(m->chunks[i]);
	free(m->chunks);
	free(m->calls);
	free(m->sys);
	free(m->notes.node);
	free(m->notes.val);
	meta_release(&m->meta);
	kf_strtab_release(&m->strs);
	memset(m, 0, sizeof(*m));
}

uint32_t kf_model_node_new(struct kf_model *m)
{
	uint32_t i = m->nnodes;
	struct kf_node *n;

	if (i == KF_NONE - 1)
		return KF_NONE;
	if ((i >> KF_NODE_CHUNK_SHIFT) >= m->nchunks) {
		struct kf_node *c;

		if (KF_GROW(m->chunks, m->chunks_cap, m->nchunks + 1) < 0)
			return KF_NONE;
		c = malloc(KF_NODE_CHUNK * sizeof(*c));
		if (!c)
			return KF_NONE;
		m->chunks[m->nchunks++] = c;
	}
	n = kf_node_get(m, i);
	memset(n, 0, sizeof(*n));
	n->parent = n->child = n->next = KF_NONE;
	m->nnodes++;
	return i;
}

int kf_call_path_match(const struct kf_model *m, const struct kf_call *c,
		       char *const *globs, int n)
{
	int a, g;

	if (n <= 0)
		return 1;
	for (a = 0; a < KF_MAX_ARGS; a++) {
		const char *s;

		if (c->argstr[a] == KF_NONE)
			continue;
		s = kf_strtab_get(&m->strs, c->argstr[a]);
		for (g = 0; s && g < n; g++)
			if (fnmatch(globs[g], s, 0) == 0)
				return 1;
	}
	return 0;
}

uint32_t kf_model_keep_paths(struct kf_model *m, char *const *globs, int n)
{
	uint32_t i, k = 0;
	int a, strings = 0;

	if (n <= 0)
		return 0;
	for (i = 0; i < m->ncalls && !strings; i++)
		for (a = 0; a < KF_MAX_ARGS; a++)
			strings |= m->calls[i].argstr[a] != KF_NONE;
	if (m->ncalls && !strings)
		kf_warn("--path: the capture recorded no path strings, only "
			"pointers (its kernel offered no event probes or "
			"kprobes), so no invocation can match");
	for (i = 0; i < m->ncalls; i++)
		if (kf_call_path_match(m, &m->calls[i], globs, n))
			m->calls[k++] = m->calls[i];
	i = m->ncalls - k;
	m->ncalls = k;
	m->path_dropped += i;
	return i;
}

/* The next range of a --invocation list at *s: [lo, hi], hi 0 for "to
 * the last".  Returns 1, 0 at the end, -1 if malformed. */
static int next_range(const char **s, unsigned long *lo, unsigned long *hi)
{
	const char *p = *s;
	char *end;

	if (!*p)
		return 0;
	if (*p < '0' || *p > '9')
		return -1;
	errno = 0;
	*lo = strtoul(p, &end, 10);
	*hi = *lo;
	if (*end == '-') {
		*hi = 0;
		if (end[1] >= '0' && end[1] <= '9')
			*hi = strtoul(end + 1, &end, 10);
		else
			end++;
	}
	if (errno || *lo == 0 || *lo > UINT32_MAX || *hi > UINT32_MAX ||
	    (*hi && *hi < *lo) || (*end && *end != ','))
		return -1;
	*s = *end ? end + 1 : end;
	return **s || !*end ? 1 : -1; /* no trailing comma */
}

int kf_numbers_have(const char *list, uint32_t n)
{
	unsigned long lo, hi;
	const char *s = list;

	while (next_range(&s, &lo, &hi) > 0)
		if (n >= lo && (!hi || n <= hi))
			return 1;
	return 0;
}

long kf_numbers_max(const char *list)
{
	unsigned long lo, hi, max = 0;
	const char *s = list;

	while (next_range(&s, &lo, &hi) > 0)
		if (lo > max)
			max = lo;
	return (long)max;
}

long kf_model_keep_numbers(struct kf_model *m, const char *list)
{
	unsigned long lo, hi;
	const char *s = list;
	uint32_t i, k = 0;
	int r;

	while ((r = next_range(&s, &lo, &hi)) > 0) {
		if (m && lo > m->ncalls)
			return kf_err(KF_EXIT_DATAERR, "--invocation %lu: the "
				      "capture has %u invocation%s", lo,
				      m->ncalls, m->ncalls == 1 ? "" : "s");
	}
	if (r < 0 || !*list)
		return kf_err(KF_EXIT_USAGE, "invalid --invocation '%s': "
			      "give numbers from 1 as the trees list them, "
			      "as in 3, 1,4-6 or 2-", list);
	if (!m)
		return 0;
	for (i = 0; i < m->ncalls; i++)
		if (kf_numbers_have(list, i + 1))
			m->calls[k++] = m->calls[i];
	i = m->ncalls - k;
	m->ncalls = k;
	m->pick_dropped += i;
	return i;
}

uint32_t kf_model_call_new(struct kf_model *m)
{
	struct kf_call *c;
	int k;

	if (KF_GROW(m->calls, m->calls_cap, (size_t)m->ncalls + 1) < 0)
		return KF_NONE;
	c = &m->calls[m->ncalls];
	memset(c, 0, sizeof(*c));
	c->sys = c->root = KF_NONE;
	for (k = 0; k < KF_MAX_ARGS; k++)
		c->argstr[k] = KF_NONE;
	return m->ncalls++;
}

uint32_t kf_model_sys_get(struct kf_model *m, const char *name)
{
	uint32_t id = kf_strtab_intern(&m->strs, name), i;
	struct kf_sysdesc *d;

	if (id == KF_NONE)
		return KF_NONE;
	for (i = 0; i < m->nsys; i++)
		if (m->sys[i].name == id)
			return i;
	if (KF_GROW(m->sys, m->sys_cap, (size_t)m->nsys + 1) < 0)
		return KF_NONE;
	d = &m->sys[m->nsys];
	memset(d, 0, sizeof(*d));
	d->name = id;
	d->nr = -1;
	return m->nsys++;
}

/* src's string id as dst's (KF_NONE stays); *ok cleared on failure */
static uint32_t restr(struct kf_model *dst, const struct kf_model *src,
		      uint32_t id, int *ok)
{
	uint32_t n;

	if (id == KF_NONE)
		return KF_NONE;
	n = kf_strtab_intern(&dst->strs, kf_strtab_get(&src->strs, id));
	if (n == KF_NONE)
		*ok = 0;
	return n;
}

static uint32_t shift(uint32_t i, uint32_t base)
{
	return i == KF_NONE ? KF_NONE : i + base;
}

/* src's syscall descriptor i as dst's, its argument names and kinds
 * copied where dst did not know the syscall yet */
static uint32_t resys(struct kf_model *dst, const struct kf_model *src,
		      uint32_t i, int *ok)
{
	const struct kf_sysdesc *s;
	uint32_t d;
	int k;

	if (i == KF_NONE || i >= src->nsys)
		return KF_NONE;
	s = &src->sys[i];
	d = kf_model_sys_get(dst, kf_strtab_get(&src->strs, s->name));
	if (d == KF_NONE) {
		*ok = 0;
		return KF_NONE;
	}
	if (!dst->sys[d].nargs && s->nargs) {
		dst->sys[d].nr = s->nr;
		dst->sys[d].nargs = s->nargs;
		for (k = 0; k < KF_MAX_ARGS; k++) {
			dst->sys[d].argkind[k] = s->argkind[k];
			dst->sys[d].argname[k] = restr(dst, src, s->argname[k],
						       ok);
		}
	}
	return d;
}

uint32_t kf_model_append(struct kf_model *dst, const struct kf_model *src)
{
	uint32_t base = dst->nnodes, first = dst->ncalls, i;
	uint64_t end = 0, start = UINT64_MAX, shift_ns = 0;
	int ok = 1, k;

	/* two captures, two clocks: src's times move to start a second
	 * after dst's last call ends, so A's calls list before B's */
	for (i = 0; i < dst->ncalls; i++)
		if (dst->calls[i].end > end)
			end = dst->calls[i].end;
	for (i = 0; i < src->ncalls; i++)
		if (src->calls[i].start < start)
			start = src->calls[i].start;
	if (dst->ncalls && src->ncalls && end + 1000000000ull > start)
		shift_ns = end + 1000000000ull - start;

	for (i = 0; ok && i < src->nnodes; i++) {
		const struct kf_node *a = kf_node_get(src, i);
		uint32_t j = kf_model_node_new(dst);
		struct kf_node *b;

		if (j == KF_NONE)
			return KF_NONE;
		b = kf_node_get(dst, j);
		*b = *a;
		b->start += shift_ns;
		b->func = restr(dst, src, a->func, &ok);
		b->parent = shift(a->parent, base);
		b->child = shift(a->child, base);
		b->next = shift(a->next, base);
		if (kf_model_note(src, i)) {
			struct kf_node_note *dn = kf_model_note_add(dst, j);

			if (!dn)
				return KF_NONE;
			*dn = *kf_model_note(src, i);
			if (dn->waker_comm != KF_NONE)
				dn->waker_comm = restr(dst, src, dn->waker_comm,
						       &ok);
			dn->waker_node = shift(dn->waker_node, base);
			if (dn->waker_func != KF_NONE)
				dn->waker_func = restr(dst, src, dn->waker_func,
						       &ok);
		}
	}
	for (i = 0; ok && i < src->ncalls; i++) {
		const struct kf_call *a = &src->calls[i];
		uint32_t j = kf_model_call_new(dst);
		struct kf_call *b;

		if (j == KF_NONE)
			return KF_NONE;
		b = &dst->calls[j];
		*b = *a;
		b->start += shift_ns;
		b->end += shift_ns;
		b->root = shift(a->root, base);
		b->comm = restr(dst, src, a->comm, &ok);
		b->sys = resys(dst, src, a->sys, &ok);
		for (k = 0; k < KF_MAX_ARGS; k++)
			b->argstr[k] = restr(dst, src, a->argstr[k], &ok);
	}
	return ok ? first : KF_NONE;
}

int kf_meta_set(char **field, const char *s)
{
	char *copy = NULL;

	if (s) {
		copy = strdup(s);
		if (!copy)
			return kf_err(KF_EXIT_OSERR, "out of memory");
	}
	free(*field);
	*field = copy;
	return 0;
}

static uint32_t note_slot(const struct kf_notes *r, uint32_t ni)
{
	uint32_t i = (ni * 2654435761u) & (r->cap - 1);

	while (r->node[i] != KF_NONE && r->node[i] != ni)
		i = (i + 1) & (r->cap - 1);
	return i;
}

static int notes_grow(struct kf_notes *r)
{
	struct kf_notes g = { .cap = r->cap ? r->cap * 2 : 64 };
	uint32_t i;

	g.node = malloc(g.cap * sizeof(*g.node));
	g.val = malloc(g.cap * sizeof(*g.val));
	if (!g.node || !g.val) {
		free(g.node);
		free(g.val);
		return kf_err(KF_EXIT_OSERR, "out of memory");
	}
	memset(g.node, 0xff, g.cap * sizeof(*g.node));
	for (i = 0; i < r->cap; i++) {
		uint32_t k;

		if (r->node[i] == KF_NONE)
			continue;
		k = note_slot(&g, r->node[i]);
		g.node[k] = r->node[i];
		g.val[k] = r->val[i];
		g.n++;
	}
	free(r->node);
	free(r->val);
	*r = g;
	return 0;
}

void kf_model_truncate(struct kf_model *m, uint32_t ncalls, uint32_t nnodes)
{
	struct kf_notes *r = &m->notes;
	struct kf_node_note *keep = NULL;
	uint32_t *keep_node = NULL, i, n = 0;

	if (ncalls < m->ncalls)
		m->ncalls = ncalls;
	if (nnodes >= m->nnodes)
		return;
	m->nnodes = nnodes;
	if (!r->n)
		return;
	/* open addressing: the notes kept go in again, into an empty table
	 * (a note that cannot be kept for want of memory is lost) */
	if (nnodes) {
		keep = malloc(r->n * sizeof(*keep));
		keep_node = malloc(r->n * sizeof(*keep_node));
	}
	for (i = 0; i < r->cap && keep && keep_node; i++)
		if (r->node[i] != KF_NONE && r->node[i] < nnodes) {
			keep[n] = r->val[i];
			keep_node[n++] = r->node[i];
		}
	memset(r->node, 0xff, r->cap * sizeof(*r->node));
	r->n = 0;
	for (i = 0; i < n; i++) {
		uint32_t k = note_slot(r, keep_node[i]);

		r->node[k] = keep_node[i];
		r->val[k] = keep[i];
		r->n++;
	}
	free(keep);
	free(keep_node);
}

const struct kf_node_note *kf_model_note(const struct kf_model *m,
					 uint32_t ni)
{
	const struct kf_notes *r = &m->notes;
	uint32_t k;

	if (!r->cap || ni >= m->nnodes)
		return NULL;
	k = note_slot(r, ni);
	return r->node[k] == ni ? &r->val[k] : NULL;
}

struct kf_node_note *kf_model_note_add(struct kf_model *m, uint32_t ni)
{
	struct kf_notes *r = &m->notes;
	uint32_t k;

	if (ni >= m->nnodes)
		return NULL;
	/* at most half full */
	if ((r->n + 1) * 2 > r->cap && notes_grow(r) < 0)
		return NULL;
	k = note_slot(r, ni);
	if (r->node[k] == KF_NONE) {
		r->node[k] = ni;
		r->n++;
		memset(&r->val[k], 0, sizeof(r->val[k]));
		r->val[k].waker_comm = KF_NONE;
		r->val[k].waker_node = KF_NONE;
		r->val[k].waker_func = KF_NONE;
		r->val[k].args = KF_NONE;
	}
	return &r->val[k];
}

int kf_model_ret_set(struct kf_model *m, uint32_t ni, int64_t v)
{
	struct kf_node_note *n;

	if (ni >= m->nnodes)
		return 0;
	if (!(n = kf_model_note_add(m, ni)))
		return -1;
	n->ret = v;
	n->has |= KF_NOTE_RET;
	kf_node_get(m, ni)->flags |= KF_NODE_RET;
	return 0;
}

int kf_model_ret_get(const struct kf_model *m, uint32_t ni, int64_t *v)
{
	const struct kf_node_note *n = kf_model_note(m, ni);

	if (!n || !(n->has & KF_NOTE_RET))
		return 0;
	*v = n->ret;
	return 1;
}

int kf_model_args_set(struct kf_model *m, uint32_t ni, uint32_t args)
{
	struct kf_node_note *n;

	if (ni >= m->nnodes || args == KF_NONE)
		return 0;
	if (!(n = kf_model_note_add(m, ni)))
		return -1;
	n->args = args;
	n->has |= KF_NOTE_ARGS;
	kf_node_get(m, ni)->flags |= KF_NODE_ARGS;
	return 0;
}

const char *kf_model_args_get(const struct kf_model *m, uint32_t ni)
{
	const struct kf_node_note *n = kf_model_note(m, ni);

	if (!n || !(n->has & KF_NOTE_ARGS))
		return NULL;
	return kf_strtab_get(&m->strs, n->args);
}

int kf_ret_errno(int64_t v)
{
	uint64_t u = (uint64_t)v;

	if (v < 0 && v >= -4095)
		return (int)-v;
	/* an int in a 64-bit register: mov $-2, %eax zero-extends */
	if ((u >> 32) == 0 && (uint32_t)u >= (uint32_t)-4095)
		return (int)(-(int32_t)(uint32_t)u);
	return 0;
}

/*
 * The first node, in time, of the sibling list at first and the subtrees
 * under it, that returned error err; a node that returned anything else
 * is not looked into (the error did not come through it).  KF_NONE if
 * none.  Iterative: trees are deep.
 */
static uint32_t first_err(const struct kf_model *m, uint32_t first, int err)
{
	uint32_t cur = first, top;
	int64_t v;

	if (first == KF_NONE)
		return KF_NONE;
	top = kf_node_get(m, first)->parent;
	while (cur != KF_NONE) {
		const struct kf_node *n = kf_node_get(m, cur);
		int has = kf_model_ret_get(m, cur, &v);

		if (has && kf_ret_errno(v) == err)
			return cur;
		if (!has && n->child != KF_NONE) {
			cur = n->child;
			continue;
		}
		while (cur != KF_NONE && kf_node_get(m, cur)->next == KF_NONE) {
			cur = kf_node_get(m, cur)->parent;
			if (cur == top)
				return KF_NONE;
		}
		if (cur != KF_NONE)
			cur = kf_node_get(m, cur)->next;
	}
	return KF_NONE;
}

uint32_t kf_call_origin(const struct kf_model *m, uint32_t ci)
{
	const struct kf_call *c;
	uint32_t origin = KF_NONE, n;
	int err;

	if (ci >= m->ncalls || !m->notes.n)
		return KF_NONE;
	c = &m->calls[ci];
	if (!(c->flags & KF_CALL_HAS_RET) || c->root == KF_NONE)
		return KF_NONE;
	err = kf_ret_errno(c->ret);
	if (!err)
		return KF_NONE;
	/* down the chain of calls that returned the error, the earliest at
	 * each step: a call can only pass on an error that already was
	 * (7.2's link_path_walk returns the ERR_PTR the last lookup gave
	 * it, after the lookup that made it) */
	n = first_err(m, c->root, err);
	while (n != KF_NONE) {
		origin = n;
		n = first_err(m, kf_node_get(m, n)->child, err);
	}
	return origin;
}

size_t kf_model_bytes(const struct kf_model *m)
{
	return (size_t)m->notes.cap * (sizeof(uint32_t) +
					sizeof(struct kf_node_note)) +
	       (size_t)m->nchunks * KF_NODE_CHUNK * sizeof(struct kf_node) +
	       (size_t)m->calls_cap * sizeof(struct kf_call) +
	       (size_t)m->sys_cap * sizeof(struct kf_sysdesc) + m->strs.bytes;
}

void kf_model_cut_depth(struct kf_model *m, int max_depth)
{
	uint32_t i;

	if (max_depth <= 0)
		return;
	for (i = 0; i < m->nnodes; i++) {
		struct kf_node *n = kf_node_get(m, i);

		if (n->depth == max_depth - 1 && n->child != KF_NONE) {
			n->child = KF_NONE;
			n->self = n->dur;
		}
	}
	/* recount what each tree still holds */
	for (i = 0; i < m->ncalls; i++) {
		uint32_t k = m->calls[i].root, count = 0;

		while (k != KF_NONE) {
			const struct kf_node *n = kf_node_get(m, k);

			count++;
			if (n->child != KF_NONE) {
				k = n->child;
				continue;
			}
			while (k != KF_NONE && kf_node_get(m, k)->next == KF_NONE)
				k = kf_node_get(m, k)->parent;
			if (k != KF_NONE)
				k = kf_node_get(m, k)->next;
		}
		m->calls[i].nnodes = count;
	}
	if (!m->meta.max_depth || m->meta.max_depth > max_depth)
		m->meta.max_depth = max_depth;
}

void kf_model_mark_funcs(const struct kf_model *m, uint8_t *seen)
{
	for (uint32_t i = 0; i < m->ncalls; i++) {
		uint32_t ni = m->calls[i].root;

		/* depth first by the links: trees can be very deep */
		while (ni != KF_NONE) {
			const struct kf_node *n = kf_node_get(m, ni);

			if (n->func < m->strs.count)
				seen[n->func] = 1;
			if (n->child != KF_NONE) {
				ni = n->child;
				continue;
			}
			while (ni != KF_NONE && kf_node_get(m, ni)->next ==
			       KF_NONE)
				ni = kf_node_get(m, ni)->parent;
			if (ni != KF_NONE)
				ni = kf_node_get(m, ni)->next;
		}
	}
}
