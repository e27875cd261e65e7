// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * viewtree.c - the TUI's view model, part two: the call tree of one
 * invocation, and the diff of two (kf_view.h).
 *
 * A view flattens its tree once into a table of entries in pre-order: the
 * subtree of entry e is the range [e, e + size[e]), so skipping a folded
 * or hidden subtree is one addition, and the children of e are e + 1 and
 * then each next sibling c + size[c].  The visible rows are the
 * increasing list of the entries shown.  A fold rewrites only the rows
 * inside one subtree, and the row of any entry is a binary search away,
 * so nothing walks the whole tree except expand/collapse all (a byte per
 * entry) and a new sort order.  A diff is the same table with a pair of
 * nodes per entry.  The model is never written.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kf_common.h"
#include "kf_render.h"
#include "kf_view.h"

#define DEFAULT_PAGE 20

enum {
	ST_FOLDED = 1 << 0,   /* children not shown (only with kids) */
	ST_HIDDEN = 1 << 1,   /* shorter than min_dur: hidden with its subtree */
	ST_RUNHEAD = 1 << 2,  /* hidden, first of a run of hidden siblings:
			       * it shows as the run's "(N hidden calls)" row */
	ST_GONE = 1 << 3,     /* with ST_HIDDEN: an interrupt hidden by
			       * hide_irq, with no row at all */
};

struct kf_tree_priv {
	/* per entry, in the view's order */
	uint32_t *na;        /* the node (a diff: A's, KF_NONE if only B) */
	uint32_t *nb;        /* a diff: B's node or KF_NONE; else NULL */
	uint32_t *size;      /* entries in its subtree, itself included */
	uint32_t *up;        /* parent entry, KF_NONE at the top */
	uint32_t *seq;       /* sorted by time: entry's call-order rank */
	uint8_t *st;         /* ST_* */
	uint32_t cap;        /* room in na, nb, up, st while building */
	uint32_t *rows;      /* visible entries, increasing; room for all */
	uint32_t maxdepth;
	uint32_t *anc;       /* scratch: a row's callers, maxdepth + 1 */
	/* per strtab id caches */
	uint8_t *match;      /* 0 unknown, 1 no, 2 the name matches search */
	uint32_t nmatch;
	uint16_t *layer;     /* 0 unknown, 1 none, 2 + k: layers[k] */
	uint32_t nlayer;
	uint16_t *lcolor;    /* per layer line: kf_layer_color */
	int layer_width;
	uint32_t origin;     /* the call's error origin (node), KF_NONE */
	/* zoom: the entries shown as roots, outermost first; the last one
	 * is the view's root now (room for maxdepth + 1) */
	uint32_t *zoom;
	uint32_t nzoom;
};

static const struct kf_node *node(const struct kf_tree *t, uint32_t i)
{
	return kf_node_get(t->m, i);
}

/* An entry's weight: its time (a diff: the longer of the two). */
static uint64_t ent_dur(const struct kf_tree *t, uint32_t e)
{
	const struct kf_tree_priv *p = t->priv;
	uint64_t d = 0;

	if (p->na[e] != KF_NONE)
		d = node(t, p->na[e])->dur;
	if (p->nb && p->nb[e] != KF_NONE && node(t, p->nb[e])->dur > d)
		d = node(t, p->nb[e])->dur;
	return d;
}

static uint16_t ent_flags(const struct kf_tree *t, uint32_t e)
{
	const struct kf_tree_priv *p = t->priv;
	uint16_t f = 0;

	if (p->na[e] != KF_NONE)
		f |= node(t, p->na[e])->flags;
	if (p->nb && p->nb[e] != KF_NONE)
		f |= node(t, p->nb[e])->flags;
	return f;
}

static uint32_t ent_func(const struct kf_tree *t, uint32_t e)
{
	const struct kf_tree_priv *p = t->priv;

	return node(t, p->na[e] != KF_NONE ? p->na[e] : p->nb[e])->func;
}

/* End of the sibling range e is in. */
static uint32_t sib_end(const struct kf_tree *t, uint32_t e)
{
	const struct kf_tree_priv *p = t->priv;
	uint32_t u = p->up[e];

	return u == KF_NONE ? t->nents : u + p->size[u];
}

/* The zoom root, or KF_NONE when the whole tree shows. */
static uint32_t zroot(const struct kf_tree *t)
{
	const struct kf_tree_priv *p = t->priv;

	return p->nzoom ? p->zoom[p->nzoom - 1] : KF_NONE;
}

/* Is e inside the zoomed subtree (everything is when not zoomed)? */
static int in_zoom(const struct kf_tree *t, uint32_t e)
{
	uint32_t z = zroot(t);

	return z == KF_NONE || (e >= z && e < z + t->priv->size[z]);
}

/* Is e the last row among its siblings?  Interrupts hidden by hide_irq
 * sort after every other sibling, so they do not count. */
static int last_sib(const struct kf_tree *t, uint32_t e)
{
	const struct kf_tree_priv *p = t->priv;
	uint32_t x = e + p->size[e];

	return x == sib_end(t, e) || (p->st[x] & ST_GONE);
}

/* Has e children to show (not only interrupts hidden by hide_irq)? */
static int has_kids(const struct kf_tree_priv *p, uint32_t e)
{
	return p->size[e] > 1 && !(p->st[e + 1] & ST_GONE);
}

/* ---- building the table --------------------------------------------- */

/* Make room for cap entries in the arrays filled while building. */
static int ent_reserve(struct kf_tree *t, uint32_t cap)
{
	struct kf_tree_priv *p = t->priv;
	void *x;

	if (cap <= p->cap)
		return 0;
	x = realloc(p->na, (size_t)cap * sizeof(*p->na));
	if (!x)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	p->na = x;
	x = realloc(p->up, (size_t)cap * sizeof(*p->up));
	if (!x)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	p->up = x;
	x = realloc(p->st, cap);
	if (!x)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	p->st = x;
	if (t->call_b != KF_NONE) {
		x = realloc(p->nb, (size_t)cap * sizeof(*p->nb));
		if (!x)
			return kf_err(KF_EXIT_OSERR, "out of memory");
		p->nb = x;
	}
	p->cap = cap;
	return 0;
}

static int ent_add(struct kf_tree *t, uint32_t a, uint32_t b, uint32_t up,
		   uint32_t depth, int fold)
{
	struct kf_tree_priv *p = t->priv;
	uint32_t n = t->nents;

	if (n == p->cap && ent_reserve(t, p->cap < 32 ? 64 :
				       p->cap > UINT32_MAX / 2 ? UINT32_MAX :
				       p->cap * 2) < 0)
		return -1;
	if (n == p->cap)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	p->na[n] = a;
	if (p->nb)
		p->nb[n] = b;
	p->up[n] = up;
	p->st[n] = fold ? ST_FOLDED : 0;
	if (depth > p->maxdepth)
		p->maxdepth = depth;
	t->nents++;
	return 0;
}

static int broken(void)
{
	return kf_err(KF_EXIT_SOFTWARE, "call tree links are broken");
}

/* Pre-order walk of one call's tree, with the table as the stack. */
static int build_call(struct kf_tree *t, uint32_t call, int unfold_depth)
{
	const struct kf_model *m = t->m;
	const struct kf_call *c = &m->calls[call];
	struct kf_tree_priv *p = t->priv;
	uint32_t ni = c->root, pe = KF_NONE, depth = 0;

	/* the right size at once, when the count is believable */
	if (c->nnodes <= m->nnodes && ent_reserve(t, c->nnodes) < 0)
		return -1;
	while (ni != KF_NONE) {
		const struct kf_node *n;
		uint32_t e = t->nents;

		if (ni >= m->nnodes || e >= m->nnodes)
			return broken();
		n = node(t, ni);
		if (ent_add(t, ni, KF_NONE, pe, depth, n->child != KF_NONE &&
			    unfold_depth >= 0 &&
			    depth >= (uint32_t)unfold_depth) < 0)
			return -1;
		if (n->child != KF_NONE) {
			pe = e;
			ni = n->child;
			depth++;
			continue;
		}
		for (;;) {
			if (n->next != KF_NONE) {
				ni = n->next;
				break;
			}
			if (pe == KF_NONE) {
				ni = KF_NONE;
				break;
			}
			n = node(t, p->na[pe]);
			pe = p->up[pe];
			depth--;
		}
	}
	return 0;
}

/* Scratch for pairing two sibling lists. */
struct pair {
	uint32_t a, b;
};

struct fkey {
	uint32_t func, idx;
};

struct merge {
	uint32_t *va, *vb;       /* the sibling lists */
	uint32_t na, nb, cap_a, cap_b;
	struct fkey *ka, *kb;
	uint32_t *ma;            /* A's index -> B's index or KF_NONE */
	uint8_t *used_b;
	struct pair *out;
	uint32_t nout, cap_out;
};

static int grow(void **ptr, uint32_t *cap, uint32_t need, size_t size)
{
	uint32_t c = *cap ? *cap : 16;
	void *x;

	if (need <= *cap)
		return 0;
	while (c < need)
		c = c > UINT32_MAX / 2 ? UINT32_MAX : c * 2;
	x = realloc(*ptr, (size_t)c * size);
	if (!x)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	*ptr = x;
	*cap = c;
	return 0;
}

static int list_collect(const struct kf_model *m, uint32_t first,
			uint32_t **v, uint32_t *n, uint32_t *cap)
{
	uint32_t ni;

	*n = 0;
	for (ni = first; ni != KF_NONE; ni = kf_node_get(m, ni)->next) {
		if (ni >= m->nnodes || *n >= m->nnodes)
			return broken();
		if (grow((void **)v, cap, *n + 1, sizeof(**v)) < 0)
			return -1;
		(*v)[(*n)++] = ni;
	}
	return 0;
}

static int fkey_cmp(const void *a, const void *b)
{
	const struct fkey *x = a, *y = b;

	if (x->func != y->func)
		return x->func < y->func ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int merge_emit(struct merge *g, uint32_t a, uint32_t b)
{
	if (grow((void **)&g->out, &g->cap_out, g->nout + 1,
		 sizeof(*g->out)) < 0)
		return -1;
	g->out[g->nout].a = a;
	g->out[g->nout].b = b;
	g->nout++;
	return 0;
}

/*
 * Pair the sibling lists starting at fa and fb: the n-th call of a
 * function in A with the n-th in B (both sorted by function, then a
 * merge join).  Output in A's order; B's unpaired nodes go before the
 * next pair that comes after them in B.
 */
static int merge_lists(const struct kf_model *m, struct merge *g,
		       uint32_t fa, uint32_t fb)
{
	uint32_t i, j, cap;

	g->nout = 0;
	if (list_collect(m, fa, &g->va, &g->na, &g->cap_a) < 0 ||
	    list_collect(m, fb, &g->vb, &g->nb, &g->cap_b) < 0)
		return -1;
	if (!g->na || !g->nb) {
		for (i = 0; i < g->na; i++)
			if (merge_emit(g, g->va[i], KF_NONE) < 0)
				return -1;
		for (j = 0; j < g->nb; j++)
			if (merge_emit(g, KF_NONE, g->vb[j]) < 0)
				return -1;
		return 0;
	}
	/* the key arrays share cap_a/cap_b growth: realloc them exactly */
	cap = g->na > g->nb ? g->na : g->nb;
	g->ka = realloc(g->ka, cap * sizeof(*g->ka));
	g->kb = realloc(g->kb, cap * sizeof(*g->kb));
	g->ma = realloc(g->ma, cap * sizeof(*g->ma));
	g->used_b = realloc(g->used_b, cap);
	if (!g->ka || !g->kb || !g->ma || !g->used_b)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	for (i = 0; i < g->na; i++) {
		g->ka[i].func = kf_node_get(m, g->va[i])->func;
		g->ka[i].idx = i;
		g->ma[i] = KF_NONE;
	}
	for (j = 0; j < g->nb; j++) {
		g->kb[j].func = kf_node_get(m, g->vb[j])->func;
		g->kb[j].idx = j;
		g->used_b[j] = 0;
	}
	qsort(g->ka, g->na, sizeof(*g->ka), fkey_cmp);
	qsort(g->kb, g->nb, sizeof(*g->kb), fkey_cmp);
	for (i = j = 0; i < g->na && j < g->nb;) {
		if (g->ka[i].func == g->kb[j].func) {
			g->ma[g->ka[i].idx] = g->kb[j].idx;
			g->used_b[g->kb[j].idx] = 1;
			i++;
			j++;
		} else if (g->ka[i].func < g->kb[j].func) {
			i++;
		} else {
			j++;
		}
	}
	for (i = j = 0; i < g->na; i++) {
		uint32_t mb = g->ma[i];

		if (mb == KF_NONE) {
			if (merge_emit(g, g->va[i], KF_NONE) < 0)
				return -1;
			continue;
		}
		for (; j < mb; j++)
			if (!g->used_b[j] &&
			    merge_emit(g, KF_NONE, g->vb[j]) < 0)
				return -1;
		if (merge_emit(g, g->va[i], g->vb[mb]) < 0)
			return -1;
	}
	for (; j < g->nb; j++)
		if (!g->used_b[j] && merge_emit(g, KF_NONE, g->vb[j]) < 0)
			return -1;
	return 0;
}

struct witem {
	uint32_t a, b, up, depth;
};

/* Pre-order over the paired trees: a stack of pairs still to add. */
static int build_diff(struct kf_tree *t)
{
	const struct kf_model *m = t->m;
	struct merge g = { 0 };
	struct witem *stack = NULL, it;
	uint32_t sp = 0, cap = 0, up = KF_NONE, depth = 0, k, ca, cb;
	uint64_t limit = 2 * (uint64_t)m->nnodes;
	int rc = -1;

	if (merge_lists(m, &g, m->calls[t->call].root,
			m->calls[t->call_b].root) < 0)
		goto out;
	for (;;) {
		/* push the pairs reversed, so they pop in order */
		if (grow((void **)&stack, &cap, sp + g.nout,
			 sizeof(*stack)) < 0)
			goto out;
		for (k = g.nout; k-- > 0; sp++)
			stack[sp] = (struct witem){ g.out[k].a, g.out[k].b,
						    up, depth };
		if (!sp)
			break;
		it = stack[--sp];
		if (t->nents >= limit) {
			broken();
			goto out;
		}
		if (ent_add(t, it.a, it.b, it.up, it.depth, 0) < 0)
			goto out;
		ca = it.a != KF_NONE ? kf_node_get(m, it.a)->child : KF_NONE;
		cb = it.b != KF_NONE ? kf_node_get(m, it.b)->child : KF_NONE;
		g.nout = 0;
		if ((ca != KF_NONE || cb != KF_NONE) &&
		    merge_lists(m, &g, ca, cb) < 0)
			goto out;
		up = t->nents - 1;
		depth = it.depth + 1;
	}
	rc = 0;
out:
	free(stack);
	free(g.va);
	free(g.vb);
	free(g.ka);
	free(g.kb);
	free(g.ma);
	free(g.used_b);
	free(g.out);
	return rc;
}

/* ---- hidden calls ---------------------------------------------------- */

/*
 * Mark the entries min_dur hides, the first of each run of them, and the
 * interrupts hide_irq hides (the outermost: irq_hidden counts them).
 */
static void mark_hidden(struct kf_tree *t)
{
	struct kf_tree_priv *p = t->priv;
	uint32_t n = t->nents, e, c, u;
	int prev;

	for (e = 0; e < n; e++) {
		p->st[e] &= ~(ST_HIDDEN | ST_RUNHEAD | ST_GONE);
		if (t->min_dur && ent_dur(t, e) < t->min_dur &&
		    !(ent_flags(t, e) & KF_NODE_NOEXIT))
			p->st[e] |= ST_HIDDEN;
	}
	t->irq_hidden = 0;
	for (e = 0; t->hide_irq && e < n;) {
		if (ent_flags(t, e) & (KF_NODE_IRQ | KF_NODE_SOFTIRQ |
				       KF_NODE_NMI)) {
			p->st[e] |= ST_HIDDEN | ST_GONE;
			t->irq_hidden++;
			e += p->size[e];
		} else {
			e++;
		}
	}
	if (!t->min_dur)
		return;
	/* each sibling list once: the top level, then every entry's */
	for (u = KF_NONE, e = 0;; ) {
		uint32_t first = u == KF_NONE ? 0 : u + 1;
		uint32_t end = u == KF_NONE ? n : u + p->size[u];

		for (prev = 0, c = first; c < end; c += p->size[c]) {
			int h = (p->st[c] & (ST_HIDDEN | ST_GONE)) ==
				ST_HIDDEN;

			if (h && !prev)
				p->st[c] |= ST_RUNHEAD;
			prev = h;
		}
		while (e < n && p->size[e] < 2)
			e++;
		if (e >= n)
			break;
		u = e++;
	}
}

/* ---- rows ------------------------------------------------------------ */

/* The visible entries of [from, to) into out; returns how many. */
static uint32_t fill(const struct kf_tree_priv *p, uint32_t from,
		     uint32_t to, uint32_t *out)
{
	const uint8_t *st = p->st;
	const uint32_t *size = p->size;
	uint32_t e = from, k = 0;

	while (e < to) {
		uint8_t s = st[e];

		if (s & ST_HIDDEN) {
			if (s & ST_RUNHEAD)
				out[k++] = e;
			e += size[e];
			continue;
		}
		out[k++] = e;
		e += (s & ST_FOLDED) ? size[e] : 1;
	}
	return k;
}

/* The last row whose entry is <= e: e's row, or the row standing for it. */
static uint32_t row_of(const struct kf_tree *t, uint32_t e)
{
	const uint32_t *rows = t->priv->rows;
	uint32_t lo = 0, hi = t->nrows;

	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (rows[mid] <= e)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static uint32_t lower_bound(const struct kf_tree *t, uint32_t e)
{
	const uint32_t *rows = t->priv->rows;
	uint32_t lo = 0, hi = t->nrows;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (rows[mid] < e)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Rewrite the rows inside the subtree of visible entry e after its folds
 * changed.  The rows after it move once out of the way (by the most the
 * subtree can need) and once back.
 */
static void refresh(struct kf_tree *t, uint32_t e)
{
	struct kf_tree_priv *p = t->priv;
	uint32_t *rows = p->rows;
	uint32_t lo = row_of(t, e) + 1, hi = lower_bound(t, e + p->size[e]);
	uint32_t tail = t->nrows - hi, room = p->size[e] - 1, k = 0;

	memmove(rows + lo + room, rows + hi, (size_t)tail * sizeof(*rows));
	if (!(p->st[e] & (ST_FOLDED | ST_HIDDEN)))
		k = fill(p, e + 1, e + p->size[e], rows + lo);
	memmove(rows + lo + k, rows + lo + room, (size_t)tail * sizeof(*rows));
	t->nrows = lo + k + tail;
	kf_cursor_clamp(&t->cur, t->nrows);
}

static void rebuild(struct kf_tree *t)
{
	struct kf_tree_priv *p = t->priv;
	uint32_t z = zroot(t);

	if (z == KF_NONE) {
		t->nrows = fill(p, 0, t->nents, p->rows);
		return;
	}
	/* zoomed: its root always shows, unfolded */
	p->st[z] &= ~ST_FOLDED;
	p->rows[0] = z;
	t->nrows = 1 + fill(p, z + 1, z + p->size[z], p->rows + 1);
}

/* Zoom out until e is inside the zoomed subtree; rebuilds if it did. */
static void unzoom_to(struct kf_tree *t, uint32_t e)
{
	struct kf_tree_priv *p = t->priv;
	uint32_t n = p->nzoom;

	while (p->nzoom && !in_zoom(t, e))
		p->nzoom--;
	if (p->nzoom != n)
		rebuild(t);
}

static uint32_t cur_ent(const struct kf_tree *t)
{
	return t->nrows ? t->priv->rows[t->cur.row] : KF_NONE;
}

/* After the rows changed: cursor on ent's row, as far from the top. */
static void keep_cursor(struct kf_tree *t, uint32_t ent, uint32_t off)
{
	uint32_t row;

	if (!t->nrows || ent == KF_NONE) {
		t->cur.row = t->cur.top = 0;
		return;
	}
	row = row_of(t, ent);
	t->cur.row = row;
	t->cur.top = row >= off ? row - off : 0;
	kf_cursor_clamp(&t->cur, t->nrows);
}

/* ---- set-up ---------------------------------------------------------- */

static int finish(struct kf_tree *t)
{
	struct kf_tree_priv *p = t->priv;
	uint32_t n = t->nents, e;

	p->size = malloc((size_t)(n ? n : 1) * sizeof(*p->size));
	p->rows = malloc((size_t)(n ? n : 1) * sizeof(*p->rows));
	p->anc = malloc(((size_t)p->maxdepth + 1) * sizeof(*p->anc));
	p->zoom = malloc(((size_t)p->maxdepth + 1) * sizeof(*p->zoom));
	if (!p->size || !p->rows || !p->anc || !p->zoom)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	for (e = 0; e < n; e++)
		p->size[e] = 1;
	for (e = n; e-- > 1;)
		if (p->up[e] != KF_NONE)
			p->size[p->up[e]] += p->size[e];
	for (e = 0; e < n; e += p->size[e]) {
		if (p->na[e] != KF_NONE)
			t->total += node(t, p->na[e])->dur;
		if (p->nb && p->nb[e] != KF_NONE)
			t->total_b += node(t, p->nb[e])->dur;
	}
	rebuild(t);
	kf_cursor_clamp(&t->cur, t->nrows);
	return 0;
}

static int tree_start(struct kf_tree *t, const struct kf_model *m,
		      uint32_t a, uint32_t b)
{
	memset(t, 0, sizeof(*t));
	t->m = m;
	t->call = a;
	t->call_b = b;
	t->cur.page = DEFAULT_PAGE;
	t->slower_pct = 10;
	t->slower_ns = 1000;
	if (a >= m->ncalls || (b != KF_NONE && b >= m->ncalls))
		return kf_err(KF_EXIT_SOFTWARE, "no call %u in the capture",
			      a >= m->ncalls ? a : b);
	t->priv = calloc(1, sizeof(*t->priv));
	if (!t->priv)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	return 0;
}

int kf_tree_init(struct kf_tree *t, const struct kf_model *m, uint32_t call,
		 int unfold_depth)
{
	if (tree_start(t, m, call, KF_NONE) < 0 ||
	    build_call(t, call, unfold_depth) < 0 || finish(t) < 0) {
		kf_tree_release(t);
		return -1;
	}
	t->priv->origin = kf_call_origin(m, call);
	return 0;
}

int kf_tree_init_diff(struct kf_tree *t, const struct kf_model *m,
		      uint32_t a, uint32_t b)
{
	if (tree_start(t, m, a, b) < 0 || build_diff(t) < 0 ||
	    finish(t) < 0) {
		kf_tree_release(t);
		return -1;
	}
	t->priv->origin = KF_NONE;
	return 0;
}

void kf_tree_release(struct kf_tree *t)
{
	struct kf_tree_priv *p = t->priv;

	if (p) {
		free(p->na);
		free(p->nb);
		free(p->size);
		free(p->up);
		free(p->seq);
		free(p->st);
		free(p->rows);
		free(p->anc);
		free(p->zoom);
		free(p->match);
		free(p->layer);
		free(p->lcolor);
		free(p);
	}
	free(t->search);
	t->priv = NULL;
	t->search = NULL;
	t->nrows = t->nents = 0;
}

/* ---- layers and search ---------------------------------------------- */

int kf_tree_set_layers(struct kf_tree *t, const struct kf_layer *layers,
		       int nlayers)
{
	struct kf_tree_priv *p = t->priv;
	int i, j, rank;

	free(p->layer);
	free(p->lcolor);
	p->layer = NULL;
	p->lcolor = NULL;
	p->nlayer = 0;
	t->layers = layers;
	t->nlayers = layers && nlayers > 0 ? nlayers : 0;
	if (t->nlayers > UINT16_MAX - 2)
		t->nlayers = UINT16_MAX - 2;
	p->layer_width = 5; /* "layer" */
	for (i = 0; i < t->nlayers; i++)
		if ((int)strlen(layers[i].name) > p->layer_width)
			p->layer_width = (int)strlen(layers[i].name);
	if (!t->nlayers)
		return 0;
	p->layer = calloc(t->m->strs.count ? t->m->strs.count : 1,
			  sizeof(*p->layer));
	p->lcolor = malloc(t->nlayers * sizeof(*p->lcolor));
	if (!p->layer || !p->lcolor)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	/* kf_layer_color, line by line: the table has hundreds of lines */
	for (i = 0, rank = 0; i < t->nlayers; i++) {
		for (j = 0; j < i && strcmp(layers[j].name, layers[i].name);
		     j++)
			;
		p->lcolor[i] = j < i ? p->lcolor[j] : ++rank;
	}
	p->nlayer = t->m->strs.count;
	return 0;
}

int kf_layer_color(const struct kf_layer *layers, int nlayers, int k)
{
	int i, j, rank = 0;

	if (k < 0 || k >= nlayers)
		return 0;
	/* the rank of the first line with k's name among first lines */
	for (i = 0; i <= k; i++) {
		for (j = 0; j < i && strcmp(layers[j].name, layers[i].name); j++)
			;
		if (j < i)
			continue;
		rank++;
		if (!strcmp(layers[i].name, layers[k].name))
			return rank;
	}
	return rank;
}

/* The layer line (index) of a function, or -1. */
static int layer_index(const struct kf_tree *t, uint32_t func)
{
	struct kf_tree_priv *p = t->priv;
	int k;

	if (!t->nlayers)
		return -1;
	if (func < p->nlayer && p->layer[func])
		return p->layer[func] - 2;
	k = kf_layer_find(t->layers, t->nlayers, kf_strtab_get(&t->m->strs,
							       func));
	if (func < p->nlayer)
		p->layer[func] = k >= 0 ? (uint16_t)(k + 2) : 1;
	return k;
}

const char *kf_tree_layer(const struct kf_tree *t, uint32_t func)
{
	int k = layer_index(t, func);

	return k >= 0 ? t->layers[k].name : NULL;
}

static int name_matches(const struct kf_tree *t, uint32_t func)
{
	struct kf_tree_priv *p = t->priv;

	if (!t->search)
		return 0;
	if (func < p->nmatch) {
		if (!p->match[func])
			p->match[func] = kf_view_match(kf_strtab_get(
					&t->m->strs, func), t->search) ? 2 : 1;
		return p->match[func] == 2;
	}
	return kf_view_match(kf_strtab_get(&t->m->strs, func), t->search);
}

/* Can a row show e: none of it and its callers hidden by min_dur? */
static int reachable(const struct kf_tree *t, uint32_t e)
{
	const struct kf_tree_priv *p = t->priv;

	if (!t->min_dur && !t->hide_irq)
		return 1;
	for (; e != KF_NONE; e = p->up[e])
		if (p->st[e] & ST_HIDDEN)
			return 0;
	return 1;
}

static uint32_t scan_fwd(const struct kf_tree *t, uint32_t e, uint32_t to)
{
	const struct kf_tree_priv *p = t->priv;

	while (e < to) {
		if (p->st[e] & ST_HIDDEN) {
			e += p->size[e];
			continue;
		}
		if (name_matches(t, ent_func(t, e)))
			return e;
		e++;
	}
	return KF_NONE;
}

/* Matches in (to, from], walking back. */
static uint32_t scan_back(const struct kf_tree *t, uint32_t from,
			  uint32_t to)
{
	uint32_t e;

	for (e = from + 1; e-- > to + 1;)
		if (name_matches(t, ent_func(t, e)) && reachable(t, e))
			return e;
	return KF_NONE;
}

/* Unfold e's callers and put the cursor on it. */
static void reveal(struct kf_tree *t, uint32_t e)
{
	struct kf_tree_priv *p = t->priv;
	uint32_t x, outer = KF_NONE;

	unzoom_to(t, e);
	for (x = p->up[e]; x != KF_NONE; x = p->up[x]) {
		if (p->st[x] & ST_FOLDED) {
			p->st[x] &= ~ST_FOLDED;
			outer = x;
		}
	}
	if (outer != KF_NONE)
		refresh(t, outer);
	kf_cursor_set(&t->cur, t->nrows, row_of(t, e));
}

int kf_tree_search(struct kf_tree *t, const char *text, int dir)
{
	struct kf_tree_priv *p = t->priv;
	uint32_t e0, start, found;
	int wrapped = 0;

	if (text && !*text) {
		free(t->search);
		t->search = NULL;
		return -1;
	}
	if (text && (!t->search || strcmp(text, t->search))) {
		char *copy = strdup(text);

		if (!copy) {
			kf_err(KF_EXIT_OSERR, "out of memory");
			return -2;
		}
		free(t->search);
		t->search = copy;
		free(p->match);
		/* without the cache every test runs the matcher: still right */
		p->match = calloc(t->m->strs.count ? t->m->strs.count : 1, 1);
		p->nmatch = p->match ? t->m->strs.count : 0;
	}
	if (!t->search || !t->nrows)
		return -1;
	e0 = cur_ent(t);
	if (dir >= 0) {
		start = e0 + ((p->st[e0] & ST_HIDDEN) ? p->size[e0] : 1);
		found = scan_fwd(t, start, t->nents);
		if (found == KF_NONE) {
			wrapped = 1;
			found = scan_fwd(t, 0, start < t->nents ? start :
					 t->nents);
		}
	} else {
		found = e0 ? scan_back(t, e0 - 1, KF_NONE) : KF_NONE;
		if (found == KF_NONE) {
			wrapped = 1;
			found = scan_back(t, t->nents - 1, e0 - 1);
		}
	}
	if (found == KF_NONE)
		return -1;
	reveal(t, found);
	return wrapped;
}

/* ---- operations ------------------------------------------------------ */

uint32_t kf_tree_selected(const struct kf_tree *t)
{
	uint32_t e = cur_ent(t);

	if (e == KF_NONE)
		return KF_NONE;
	return t->priv->na[e] != KF_NONE ? t->priv->na[e] : t->priv->nb[e];
}

int kf_tree_fold(struct kf_tree *t, enum kf_fold_op op)
{
	struct kf_tree_priv *p = t->priv;
	uint32_t e = cur_ent(t), u, x;
	int kids;

	if (e == KF_NONE)
		return -1;
	kids = has_kids(p, e) && !(p->st[e] & ST_HIDDEN);
	if (op == KF_TOGGLE) {
		if (!kids)
			return -1;
		op = (p->st[e] & ST_FOLDED) ? KF_UNFOLD : KF_FOLD;
	}
	switch (op) {
	case KF_FOLD:
		if (kids && !(p->st[e] & ST_FOLDED) && e != zroot(t)) {
			p->st[e] |= ST_FOLDED;
			refresh(t, e);
			return 0;
		}
		/* a leaf or folded already: fold the caller, go there */
		u = p->up[e];
		if (u == KF_NONE || e == zroot(t))
			return -1;
		p->st[u] |= ST_FOLDED;
		refresh(t, u);
		kf_cursor_set(&t->cur, t->nrows, row_of(t, u));
		return 0;
	case KF_UNFOLD:
		if (!kids || !(p->st[e] & ST_FOLDED))
			return -1;
		p->st[e] &= ~ST_FOLDED;
		refresh(t, e);
		return 0;
	case KF_UNFOLD_ALL:
		if (!kids)
			return -1;
		for (x = e; x < e + p->size[e]; x++)
			p->st[x] &= ~ST_FOLDED;
		refresh(t, e);
		return 0;
	case KF_FOLD_KIDS:
	case KF_UNFOLD_KIDS:
		if (!kids)
			return -1;
		p->st[e] &= ~ST_FOLDED;
		for (x = e + 1; x < e + p->size[e]; x += p->size[x]) {
			if (op == KF_UNFOLD_KIDS)
				p->st[x] &= ~ST_FOLDED;
			else if (p->size[x] > 1)
				p->st[x] |= ST_FOLDED;
		}
		refresh(t, e);
		return 0;
	case KF_TOGGLE:
		break;
	}
	return -1;
}

void kf_tree_expand_all(struct kf_tree *t)
{
	struct kf_tree_priv *p = t->priv;
	uint32_t e = cur_ent(t), off = t->cur.row - t->cur.top, x;

	for (x = 0; x < t->nents; x++)
		p->st[x] &= ~ST_FOLDED;
	rebuild(t);
	keep_cursor(t, e, off);
}

void kf_tree_collapse_all(struct kf_tree *t)
{
	struct kf_tree_priv *p = t->priv;
	uint32_t e = cur_ent(t), off = t->cur.row - t->cur.top, x;

	for (x = 0; x < t->nents; x++)
		if (p->size[x] > 1)
			p->st[x] |= ST_FOLDED;
	rebuild(t);
	keep_cursor(t, e, off);
}

/* The heaviest shown entry of [first, end), siblings; KF_NONE if none. */
static uint32_t heaviest(const struct kf_tree *t, uint32_t first,
			 uint32_t end)
{
	const struct kf_tree_priv *p = t->priv;
	uint32_t c, best = KF_NONE;
	uint64_t w = 0;

	for (c = first; c < end; c += p->size[c]) {
		uint64_t d;

		if (p->st[c] & ST_HIDDEN)
			continue;
		d = ent_dur(t, c);
		if (best == KF_NONE || d > w) {
			best = c;
			w = d;
		}
	}
	return best;
}

int kf_tree_hot_path(struct kf_tree *t)
{
	struct kf_tree_priv *p = t->priv;
	uint32_t e, c, outer = KF_NONE;

	e = zroot(t) != KF_NONE ? zroot(t) : heaviest(t, 0, t->nents);
	if (e == KF_NONE)
		return -1;
	while (p->size[e] > 1) {
		c = heaviest(t, e + 1, e + p->size[e]);
		if (c == KF_NONE)
			break;
		if (p->st[e] & ST_FOLDED) {
			p->st[e] &= ~ST_FOLDED;
			if (outer == KF_NONE)
				outer = e;
		}
		e = c;
	}
	if (outer != KF_NONE)
		refresh(t, outer);
	kf_cursor_set(&t->cur, t->nrows, row_of(t, e));
	return 0;
}

int kf_tree_origin(struct kf_tree *t)
{
	struct kf_tree_priv *p = t->priv;
	uint32_t e, u, outer = KF_NONE;

	if (p->nb || p->origin == KF_NONE)
		return -1;
	for (e = 0; e < t->nents && p->na[e] != p->origin; e++)
		;
	if (e == t->nents)
		return -1;
	unzoom_to(t, e);
	/* unfold every caller on the way down */
	for (u = p->up[e]; u != KF_NONE; u = p->up[u])
		if (p->st[u] & ST_FOLDED) {
			p->st[u] &= ~ST_FOLDED;
			outer = u;
		}
	if (outer != KF_NONE)
		refresh(t, outer);
	kf_cursor_set(&t->cur, t->nrows, row_of(t, e));
	return 0;
}

int kf_tree_parent(struct kf_tree *t)
{
	uint32_t e = cur_ent(t);

	if (e == KF_NONE || t->priv->up[e] == KF_NONE || e == zroot(t))
		return -1;
	kf_cursor_set(&t->cur, t->nrows, row_of(t, t->priv->up[e]));
	return 0;
}

int kf_tree_sibling(struct kf_tree *t, int dir)
{
	struct kf_tree_priv *p = t->priv;
	uint32_t e = cur_ent(t), u, c, end, found = KF_NONE;

	if (e == KF_NONE || e == zroot(t))
		return -1;
	u = p->up[e];
	end = sib_end(t, e);
	if (dir > 0) {
		for (c = e + p->size[e]; c < end && found == KF_NONE;
		     c += p->size[c])
			if (!(p->st[c] & (ST_HIDDEN | ST_GONE)))
				found = c;
	} else {
		for (c = u == KF_NONE ? 0 : u + 1; c < e; c += p->size[c])
			if (!(p->st[c] & (ST_HIDDEN | ST_GONE)))
				found = c;
	}
	if (found == KF_NONE)
		return -1;
	kf_cursor_set(&t->cur, t->nrows, row_of(t, found));
	return 0;
}

int kf_tree_zoom_in(struct kf_tree *t)
{
	struct kf_tree_priv *p = t->priv;
	uint32_t e = cur_ent(t);

	if (e == KF_NONE || !has_kids(p, e) || (p->st[e] & ST_HIDDEN) ||
	    e == zroot(t))
		return -1;
	p->zoom[p->nzoom++] = e;
	rebuild(t);
	t->cur.row = t->cur.top = 0;
	kf_cursor_clamp(&t->cur, t->nrows);
	return 0;
}

int kf_tree_zoom_out(struct kf_tree *t)
{
	struct kf_tree_priv *p = t->priv;
	uint32_t e;

	if (!p->nzoom)
		return -1;
	e = p->zoom[--p->nzoom];
	rebuild(t);
	kf_cursor_set(&t->cur, t->nrows, row_of(t, e));
	return 0;
}

uint32_t kf_tree_zoom_depth(const struct kf_tree *t)
{
	return t->priv ? t->priv->nzoom : 0;
}

size_t kf_tree_breadcrumb(const struct kf_tree *t, char *buf, size_t len)
{
	const struct kf_tree_priv *p = t->priv;
	struct kf_out o = { buf, len, 0 };
	uint32_t z = zroot(t), d = 0, x;

	if (len)
		buf[0] = '\0';
	if (z == KF_NONE)
		return 0;
	for (x = z; x != KF_NONE; x = p->up[x])
		p->anc[d++] = x;
	while (d-- > 0) {
		const char *name = kf_strtab_get(&t->m->strs,
						 ent_func(t, p->anc[d]));

		kf_out_escape(&o, name, strlen(name));
		if (d)
			kf_out_puts(&o, " > ");
	}
	return o.pos;
}

static int resort(struct kf_tree *t, enum kf_tree_sort s);

void kf_tree_set_min_dur(struct kf_tree *t, uint64_t ns)
{
	t->min_dur = ns;
	mark_hidden(t);
	resort(t, t->sort);
	kf_err_clear(); /* out of memory: runs stay where they are */
}

struct kid_order {
	const struct kf_tree *t;
	int by_time;
};

static int kid_cmp(const void *a, const void *b, void *arg)
{
	const struct kid_order *o = arg;
	const uint32_t *seq = o->t->priv->seq;
	const uint8_t *st = o->t->priv->st;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	/* shown, then hidden (one row after the shown ones), then hidden
	 * interrupts (no row) */
	int cx = st[x] & ST_GONE ? 2 : !!(st[x] & ST_HIDDEN);
	int cy = st[y] & ST_GONE ? 2 : !!(st[y] & ST_HIDDEN);

	if (cx != cy)
		return cx < cy ? -1 : 1;
	if (o->by_time) {
		uint64_t dx = ent_dur(o->t, x), dy = ent_dur(o->t, y);

		if (dx != dy)
			return dx > dy ? -1 : 1;
	}
	if (seq) {
		x = seq[x];
		y = seq[y];
	}
	return x < y ? -1 : x > y;
}

struct frame {
	uint32_t base, lo, hi, parent;
};

/* A tree's entry arrays in a new order, while kf_tree_set_sort builds
 * them; kf_tree_priv takes them over. */
struct ents {
	uint32_t *na, *nb, *up, *size, *seq;
	uint8_t *st;
};

static void ents_free(struct ents *x)
{
	free(x->na);
	free(x->nb);
	free(x->up);
	free(x->size);
	free(x->seq);
	free(x->st);
}

/* n entries; nb only for a diff, seq only when sorting by time. */
static int ents_alloc(struct ents *x, uint32_t n, int with_nb, int with_seq)
{
	memset(x, 0, sizeof(*x));
	x->na = malloc((size_t)n * sizeof(*x->na));
	x->up = malloc((size_t)n * sizeof(*x->up));
	x->size = malloc((size_t)n * sizeof(*x->size));
	x->st = malloc(n);
	if (with_nb)
		x->nb = malloc((size_t)n * sizeof(*x->nb));
	if (with_seq)
		x->seq = malloc((size_t)n * sizeof(*x->seq));
	if (!x->na || !x->up || !x->size || !x->st || (with_nb && !x->nb) ||
	    (with_seq && !x->seq)) {
		ents_free(x);
		return -1;
	}
	return 0;
}

/* Free p's arrays and take x's in their place. */
static void ents_adopt(struct kf_tree_priv *p, struct ents *x, uint32_t n)
{
	struct ents old = { p->na, p->nb, p->up, p->size, p->seq, p->st };

	ents_free(&old);
	p->na = x->na;
	p->nb = x->nb;
	p->up = x->up;
	p->size = x->size;
	p->st = x->st;
	p->seq = x->seq;   /* call order again: the order is its own rank */
	p->cap = n;
}

/*
 * Copy t's entries into x in order o: the top level, then depth first,
 * each child list sorted once (no recursion: a frame per open level).
 * pos[old] gets each entry's new index; kids and fr are scratch.
 */
static void reorder(const struct kf_tree *t, struct kid_order *o,
		    struct ents *x, uint32_t *pos, uint32_t *kids,
		    struct frame *fr)
{
	const struct kf_tree_priv *p = t->priv;
	uint32_t c, q = 0, kp = 0, fp = 0;

	for (c = 0; c < t->nents; c += p->size[c])
		kids[kp++] = c;
	qsort_r(kids, kp, sizeof(*kids), kid_cmp, o);
	fr[fp++] = (struct frame){ 0, 0, kp, KF_NONE };
	while (fp) {
		struct frame *f = &fr[fp - 1];

		if (f->lo == f->hi) {
			kp = f->base;
			fp--;
			continue;
		}
		c = kids[f->lo++];
		x->na[q] = p->na[c];
		if (x->nb)
			x->nb[q] = p->nb[c];
		x->up[q] = f->parent;
		x->size[q] = p->size[c];
		x->st[q] = p->st[c];
		if (x->seq)
			x->seq[q] = p->seq ? p->seq[c] : c;
		pos[c] = q;
		if (p->size[c] > 1) {
			uint32_t base = kp, y;

			for (y = c + 1; y < c + p->size[c]; y += p->size[y])
				kids[kp++] = y;
			qsort_r(kids + base, kp - base, sizeof(*kids), kid_cmp,
				o);
			fr[fp++] = (struct frame){ base, base, kp, q };
		}
		q++;
	}
}

/*
 * Put the entries in order s, hidden ones after their shown siblings
 * (mark_hidden first), and the cursor on its node, or on the caller of
 * the interrupt that hides it.  Returns 0 or -1 (then in the old order).
 */
static int resort(struct kf_tree *t, enum kf_tree_sort s)
{
	struct kf_tree_priv *p = t->priv;
	struct kid_order o = { t, s == KF_TREE_BY_TIME };
	uint32_t n = t->nents, *pos = NULL, *kids = NULL;
	uint32_t e = cur_ent(t), off = t->cur.row - t->cur.top, x0;
	struct frame *fr = NULL;
	struct ents x;

	if (!n) {
		t->sort = s;
		return 0;
	}
	pos = malloc((size_t)n * sizeof(*pos));
	kids = malloc((size_t)n * sizeof(*kids));
	fr = malloc(((size_t)p->maxdepth + 2) * sizeof(*fr));
	/* out of call order: keep each entry's call-order rank */
	if (!pos || !kids || !fr ||
	    ents_alloc(&x, n, p->nb != NULL, o.by_time || t->min_dur ||
		       t->irq_hidden) < 0) {
		free(pos);
		free(kids);
		free(fr);
		mark_hidden(t);
		rebuild(t);
		keep_cursor(t, e, off);
		return kf_err(KF_EXIT_OSERR, "out of memory");
	}
	reorder(t, &o, &x, pos, kids, fr);
	ents_adopt(p, &x, n);
	t->sort = s;
	if (e != KF_NONE)
		e = pos[e];
	for (uint32_t k = 0; k < p->nzoom; k++)
		p->zoom[k] = pos[p->zoom[k]];
	free(pos);
	free(kids);
	free(fr);
	mark_hidden(t); /* runs of hidden siblings depend on the order */
	/* a zoom root hidden (shorter than the minimum, an interrupt) cannot
	 * stand for itself */
	while (p->nzoom && (p->st[zroot(t)] & ST_HIDDEN))
		p->nzoom--;
	rebuild(t);
	/* inside a hidden interrupt: the function it interrupted */
	for (x0 = e; x0 != KF_NONE && e != KF_NONE; x0 = p->up[x0])
		if (p->st[x0] & ST_GONE)
			e = p->up[x0];
	keep_cursor(t, e, off);
	return 0;
}

int kf_tree_set_sort(struct kf_tree *t, enum kf_tree_sort s)
{
	if (s == t->sort)
		return 0;
	return resort(t, s);
}

void kf_tree_set_hide_irq(struct kf_tree *t, int hide)
{
	t->hide_irq = hide;
	mark_hidden(t);
	resort(t, t->sort);
	kf_err_clear();
}

/* ---- rows as data and text ------------------------------------------- */

void kf_tree_row(const struct kf_tree *t, uint32_t i, struct kf_row *r)
{
	const struct kf_tree_priv *p = t->priv;
	uint32_t e = p->rows[i], end = sib_end(t, e), x;
	const struct kf_node *a = NULL, *b = NULL, *main;
	uint64_t base;
	int k;

	memset(r, 0, sizeof(*r));
	r->ent = e;
	r->node = p->na[e];
	r->node_b = p->nb ? p->nb[e] : KF_NONE;
	if (r->node != KF_NONE)
		a = node(t, r->node);
	if (r->node_b != KF_NONE)
		b = node(t, r->node_b);
	r->kind = !p->nb ? KF_ROW_NODE : !a ? KF_ROW_ONLY_B :
		  !b ? KF_ROW_ONLY_A : KF_ROW_BOTH;
	for (x = e; x != KF_NONE && x != zroot(t); x = p->up[x])
		if (p->up[x] != KF_NONE)
			r->depth++;
	if (zroot(t) != KF_NONE)
		end = e == zroot(t) ? e + p->size[e] : end;
	if (p->st[e] & ST_HIDDEN) {
		for (x = e; x < end && (p->st[x] & (ST_HIDDEN | ST_GONE)) ==
		     ST_HIDDEN; x += p->size[x]) {
			r->hidden++;
			r->total += ent_dur(t, x);
		}
		r->last = x == end || (p->st[x] & ST_GONE);
		r->heat = ' ';
		r->name = "";
		return;
	}
	r->last = last_sib(t, e);
	main = b ? b : a;
	r->total = main->dur;
	r->self = main->self;
	r->total_a = a ? a->dur : 0;
	r->flags = ent_flags(t, e);
	base = r->kind == KF_ROW_NODE || r->kind == KF_ROW_ONLY_A ?
	       t->total : t->total_b;
	/* zoomed: shares of the zoom root, as a flame graph's zoom does */
	if (zroot(t) != KF_NONE)
		base = r->kind == KF_ROW_NODE || r->kind == KF_ROW_ONLY_A ?
		       (p->na[zroot(t)] != KF_NONE ?
			node(t, p->na[zroot(t)])->dur : 0) :
		       (p->nb[zroot(t)] != KF_NONE ?
			node(t, p->nb[zroot(t)])->dur : 0);
	if (base) {
		uint64_t s = (uint64_t)((double)r->total * 1000.0 / base);

		r->share = s > 1000 ? 1000 : (uint16_t)s;
	}
	r->heat = kf_overhead_mark(r->total);
	r->has_kids = has_kids(p, e);
	r->folded = r->has_kids && (p->st[e] & ST_FOLDED);
	r->name = kf_strtab_get(&t->m->strs, main->func);
	r->matched = name_matches(t, main->func);
	if (r->kind == KF_ROW_BOTH) {
		uint64_t da = a->dur, db = b->dur;

		/* by both measures: a percentage and an absolute floor */
		if (db > da && db - da >= t->slower_ns &&
		    (double)(db - da) * 100.0 >= (double)da * t->slower_pct)
			r->slower = 1;
		else if (da > db && da - db >= t->slower_ns &&
			 (double)(da - db) * 100.0 >=
			 (double)db * t->slower_pct)
			r->slower = -1;
	}
	/* the function's own: a caller's label on it would put block-layer
	 * functions under "pagecache" */
	r->layer = kf_tree_layer(t, main->func);
	k = layer_index(t, main->func);
	r->color = k >= 0 && p->lcolor ? p->lcolor[k] : 0;
}

struct lines {
	const char *branch, *last, *pipe, *space, *fbranch, *flast, *froot;
};

static const struct lines utf8_lines = {
	"├─ ", "└─ ", "│  ", "   ", "├▸ ", "└▸ ", "▸ ",
};
static const struct lines ascii_lines = {
	"|-- ", "`-- ", "|   ", "    ", "|-+ ", "`-+ ", "+ ",
};

size_t kf_tree_prefix(const struct kf_tree *t, uint32_t i, char *buf,
		      size_t len, int ascii)
{
	const struct kf_tree_priv *p = t->priv;
	const struct lines *ln = ascii ? &ascii_lines : &utf8_lines;
	struct kf_out o = { buf, len, 0 };
	uint32_t e = p->rows[i], d = 0, x, j, end = sib_end(t, e), z = zroot(t);
	uint32_t w = ascii ? 4 : 3, from; /* columns per level */
	int folded, last;

	if (len)
		buf[0] = '\0';
	/* the callers up to the top, or up to the zoom root */
	for (x = e == z ? KF_NONE : p->up[e]; x != KF_NONE; x = p->up[x]) {
		p->anc[d++] = x;
		if (x == z)
			break;
	}
	/* anc[d - 1] is the top-level caller: the lines start below it */
	from = d > 1 ? d - 1 : 0;
	/* deep: a depth number instead of the outer lines, so the name
	 * keeps its room (5 columns: "[17] ") */
	if (t->indent_max && d && (size_t)d * w > t->indent_max) {
		uint32_t keep = t->indent_max > 5 + w ?
				(uint32_t)(t->indent_max - 5 - w) / w : 0;

		/* the outer lines go in steps of half the room, so rows a
		 * level apart keep their lines in the same columns */
		uint32_t step = keep > 1 ? keep / 2 : 1;

		if (keep < from) {
			uint32_t drop = (from - keep + step - 1) / step * step;

			kf_out_printf(&o, "[%u]%*s", d, d < 10 ? 2 : d < 100 ?
				      1 : 0, " ");
			from = drop < from ? from - drop : 0;
		}
	}
	for (j = from; j-- > 0;) {
		x = p->anc[j];
		kf_out_puts(&o, last_sib(t, x) ? ln->space : ln->pipe);
	}
	if (p->st[e] & ST_HIDDEN) {
		for (x = e; x < end && (p->st[x] & (ST_HIDDEN | ST_GONE)) ==
		     ST_HIDDEN; x += p->size[x])
			;
		last = x == end || (p->st[x] & ST_GONE);
		folded = 0;
	} else {
		last = last_sib(t, e);
		folded = has_kids(p, e) && (p->st[e] & ST_FOLDED);
	}
	if (d)
		kf_out_puts(&o, last ? (folded ? ln->flast : ln->last) :
		    (folded ? ln->fbranch : ln->branch));
	else if (folded)
		kf_out_puts(&o, ln->froot);
	return o.pos;
}

static void fmt_delta(char *buf, size_t len, char sign, uint64_t ns)
{
	char d[32];

	kf_view_fmt_dur(d, sizeof(d), ns);
	if (ns)
		snprintf(buf, len, "%c%s", sign, d);
	else
		snprintf(buf, len, "%s", d);
}

size_t kf_tree_line(const struct kf_tree *t, uint32_t i, char *buf,
		    size_t len, int ascii)
{
	const struct kf_tree_priv *p = t->priv;
	struct kf_out o = { buf, len, 0 };
	char tot[32] = "", self[32] = "", a[32] = "", delta[40] = "";
	char marks[128];
	struct kf_row r;

	if (len)
		buf[0] = '\0';
	kf_tree_row(t, i, &r);
	if (r.hidden) {
		kf_out_printf(&o, "  %11s %11s %*s  ", "", "", p->nb ? 12 : 6, "");
	} else if (!p->nb && (r.flags & KF_NODE_CLOCK) && !r.total) {
		/* no clock timed it: never a confident 0 ns */
		kf_out_printf(&o, "%c %11s %11s %3u.%u%%  ", r.heat, "?", "?",
			      r.share / 10, r.share % 10);
	} else if (!p->nb) {
		kf_view_fmt_dur(tot, sizeof(tot), r.total);
		kf_view_fmt_dur(self, sizeof(self), r.self);
		kf_out_printf(&o, "%c %11s %11s %3u.%u%%  ", r.heat, tot, self,
		     r.share / 10, r.share % 10);
	} else {
		char k = ' ';

		if (r.kind != KF_ROW_ONLY_B)
			kf_view_fmt_dur(a, sizeof(a), r.total_a);
		if (r.kind != KF_ROW_ONLY_A)
			kf_view_fmt_dur(tot, sizeof(tot), r.total);
		if (r.kind == KF_ROW_ONLY_A) {
			k = '-';
			fmt_delta(delta, sizeof(delta), '-', r.total_a);
		} else if (r.kind == KF_ROW_ONLY_B) {
			k = '+';
			fmt_delta(delta, sizeof(delta), '+', r.total);
		} else if (r.total >= r.total_a) {
			k = r.slower > 0 ? '>' : ' ';
			fmt_delta(delta, sizeof(delta), '+',
				  r.total - r.total_a);
		} else {
			k = r.slower < 0 ? '<' : ' ';
			fmt_delta(delta, sizeof(delta), '-',
				  r.total_a - r.total);
		}
		kf_out_printf(&o, "%c %11s %11s %12s  ", k, a, tot, delta);
	}
	if (t->nlayers && !t->hide_layer) {
		char lay[256];

		kf_out_printf(&o, "%-*s  ", p->layer_width,
			      kf_escape(lay, sizeof(lay), r.layer));
	}
	o.pos += kf_tree_prefix(t, i, o.pos < len ? buf + o.pos : NULL,
				o.pos < len ? len - o.pos : 0, ascii);
	if (r.hidden) {
		kf_out_puts(&o, kf_render_hidden_row(marks, sizeof(marks),
						     r.hidden, p->nb ? 0 :
						     r.total));
	} else {
		kf_out_escape(&o, r.name, strlen(r.name));
		if (!p->nb && (r.flags & KF_NODE_ARGS)) {
			const char *av = kf_model_args_get(t->m, r.node);

			kf_out_puts(&o, "(");
			kf_out_escape(&o, av ? av : "", av ? strlen(av) : 0);
			kf_out_puts(&o, ")");
		}
		if (!p->nb && (r.flags & KF_NODE_RET))
			kf_out_puts(&o, kf_render_node_ret(t->m, r.node,
				    r.node == p->origin, marks, sizeof(marks)));
		if (!p->nb && (r.flags & KF_NODE_OFF)) {
			char off[512];

			kf_out_puts(&o, kf_render_node_off(t->m, r.node, off,
							   sizeof(off)));
		}
		kf_out_puts(&o, kf_view_node_marks(r.flags, marks,
						   sizeof(marks)));
	}
	return o.pos;
}

size_t kf_tree_columns(const struct kf_tree *t, char *buf, size_t len)
{
	struct kf_out o = { buf, len, 0 };

	if (len)
		buf[0] = '\0';
	if (t->priv->nb)
		kf_out_printf(&o, "  %11s %11s %12s  ", "total A", "total B", "delta");
	else
		kf_out_printf(&o, "  %11s %11s %6s  ", "total", "self", "share");
	if (t->nlayers && !t->hide_layer)
		kf_out_printf(&o, "%-*s  ", t->priv->layer_width, "layer");
	kf_out_puts(&o, "function");
	return o.pos;
}

int kf_tree_write(FILE *f, const struct kf_tree *t, int ascii)
{
	size_t cap = 4096, n;
	char *buf = malloc(cap), d[96];
	uint32_t i;

	if (!buf)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	for (i = 0; i < 2; i++) {
		uint32_t c = i ? t->call_b : t->call;

		if (c == KF_NONE)
			break;
		/* a deep tree or a long header: grow until the line fits */
		while ((n = kf_view_call_header(t->m, c, buf, cap)) >= cap) {
			char *x = realloc(buf, n + 1);

			if (!x)
				break;
			buf = x;
			cap = n + 1;
		}
		fprintf(f, "%s%s\n", t->call_b == KF_NONE ? "" :
			i ? "B: " : "A: ", buf);
	}
	kf_tree_columns(t, buf, cap);
	fprintf(f, "%s\n", buf);
	for (i = 0; i < t->nrows; i++) {
		while ((n = kf_tree_line(t, i, buf, cap, ascii)) >= cap) {
			char *x = realloc(buf, n + 1);

			if (!x)
				break;
			buf = x;
			cap = n + 1;
		}
		fprintf(f, "%s\n", buf);
	}
	if (kf_render_hidden_note(d, sizeof(d), t->min_dur, 0))
		fprintf(f, "%s\n", d);
	free(buf);
	if (fflush(f) != 0 || ferror(f))
		return kf_err_errno(KF_EXIT_IOERR, "cannot write the view");
	return 0;
}
