// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * view.c - the TUI's view model, part one: the cursor, shared helpers,
 * the invocation list and the per-function summary.  The tree and diff
 * views are in viewtree.c.  Plain C: no terminal here (kf_view.h).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kf_capfile.h"
#include "kf_common.h"
#include "kf_decode.h"
#include "kf_procsum.h"
#include "kf_render.h"
#include "kf_view.h"

#define DEFAULT_PAGE 20

/* ---- the cursor ----------------------------------------------------- */

void kf_cursor_clamp(struct kf_cursor *c, uint32_t nrows)
{
	uint32_t page, max_top;

	if (!c->page)
		c->page = 1;
	page = c->page;
	if (!nrows) {
		c->row = c->top = 0;
		return;
	}
	if (c->row >= nrows)
		c->row = nrows - 1;
	/* keep the screen full: no empty rows below the last one */
	max_top = nrows > page ? nrows - page : 0;
	if (c->top > max_top)
		c->top = max_top;
	if (c->row < c->top)
		c->top = c->row;
	if (c->row >= c->top + page)
		c->top = c->row - page + 1;
}

static uint32_t add_clamped(uint32_t v, int64_t d, uint32_t n)
{
	int64_t r = (int64_t)v + d;

	if (d == KF_CURSOR_HOME || r < 0)
		return 0;
	if (d == KF_CURSOR_END || r >= (int64_t)n)
		return n ? n - 1 : 0;
	return (uint32_t)r;
}

void kf_cursor_move(struct kf_cursor *c, uint32_t nrows, int64_t delta)
{
	if (!c->page)
		c->page = 1;
	if (!nrows) {
		kf_cursor_clamp(c, nrows);
		return;
	}
	if (delta == KF_CURSOR_HOME) {
		c->row = c->top = 0;
	} else if (delta == KF_CURSOR_END) {
		c->row = nrows - 1;
		c->top = nrows - 1; /* clamp pulls it back to a full page */
	} else {
		/* a page move scrolls with the cursor, as less(1) does */
		if (delta >= c->page || -delta >= c->page)
			c->top = add_clamped(c->top, delta, nrows);
		c->row = add_clamped(c->row, delta, nrows);
	}
	kf_cursor_clamp(c, nrows);
}

void kf_cursor_set(struct kf_cursor *c, uint32_t nrows, uint32_t row)
{
	if (!c->page)
		c->page = 1;
	c->row = row;
	if (nrows && row >= nrows)
		c->row = nrows - 1;
	if (c->row < c->top || c->row >= c->top + c->page)
		c->top = c->row > c->page / 3 ? c->row - c->page / 3 : 0;
	kf_cursor_clamp(c, nrows);
}

/* ---- shared helpers ------------------------------------------------- */

char kf_overhead_mark(uint64_t ns)
{
	/* trace_find_mark() in kernel/trace/trace_output.c: strictly above */
	static const struct {
		uint64_t ns;
		char mark;
	} marks[] = {
		{ 1000000000ULL, '$' }, { 100000000ULL, '@' },
		{ 10000000ULL, '*' },   { 1000000ULL, '#' },
		{ 100000ULL, '!' },     { 10000ULL, '+' },
	};
	size_t i;

	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (ns > marks[i].ns)
			return marks[i].mark;
	return ' ';
}

void kf_view_fmt_dur(char *buf, size_t len, uint64_t ns)
{
	kf_render_fmt_dur(buf, len, ns);
}

const char *kf_view_node_marks(uint16_t flags, char *buf, size_t len)
{
	return kf_render_node_marks(flags, buf, len);
}

int kf_view_match(const char *hay, const char *needle)
{
	const char *p;

	for (p = needle; *p; p++)
		if (isupper((unsigned char)*p))
			return strstr(hay, needle) != NULL;
	return strcasestr(hay, needle) != NULL;
}

static uint64_t call_dur(const struct kf_call *c)
{
	return c->end > c->start ? c->end - c->start : 0;
}

size_t kf_view_call_header(const struct kf_model *m, uint32_t call,
			   char *buf, size_t len)
{
	return kf_render_call_header(m, call, buf, len);
}

/* ---- the invocation list -------------------------------------------- */

struct sort_key {
	uint64_t key;
	uint32_t call;
};

/* Time order: start, then index (the order calls were seen in). */
static int cmp_time(const struct kf_model *m, uint32_t x, uint32_t y)
{
	if (m->calls[x].start != m->calls[y].start)
		return m->calls[x].start < m->calls[y].start ? -1 : 1;
	return x < y ? -1 : x > y;
}

static int cmp_by_time(const void *a, const void *b, void *m)
{
	const struct sort_key *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->call < y->call ? -1 : x->call > y->call;
}

static int cmp_by_dur(const void *a, const void *b, void *m)
{
	const struct sort_key *x = a, *y = b;

	if (x->key != y->key)
		return x->key > y->key ? -1 : 1;
	return cmp_time(m, x->call, y->call);  /* ties: rare, so look */
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Sort rows[0..n).  Calls captured in start order (the usual case) sort
 * by time as plain indices; otherwise the keys are copied out first so
 * the comparisons do not chase the call array.  Equal durations go in
 * time order.
 */
static int sort_rows(const struct kf_model *m, uint32_t *rows, uint32_t n,
		     enum kf_list_sort sort, int in_order)
{
	struct sort_key *k;
	uint32_t i;

	if (n < 2)
		return 0;
	if (sort == KF_LIST_BY_TIME && in_order) {
		qsort(rows, n, sizeof(*rows), cmp_u32);
		return 0;
	}
	k = malloc((size_t)n * sizeof(*k));
	if (!k)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	for (i = 0; i < n; i++) {
		const struct kf_call *c = &m->calls[rows[i]];

		k[i].call = rows[i];
		k[i].key = sort == KF_LIST_BY_TIME ? c->start : call_dur(c);
	}
	qsort_r(k, n, sizeof(*k),
		sort == KF_LIST_BY_TIME ? cmp_by_time : cmp_by_dur,
		(void *)m);
	for (i = 0; i < n; i++)
		rows[i] = k[i].call;
	free(k);
	return 0;
}

static int list_grow(struct kf_list *l, uint32_t need)
{
	uint32_t cap = l->cap ? l->cap : 64;
	uint32_t *rows;

	if (need <= l->cap)
		return 0;
	while (cap < need)
		cap = cap > UINT32_MAX / 2 ? UINT32_MAX : cap * 2;
	rows = realloc(l->rows, (size_t)cap * sizeof(*rows));
	if (!rows)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	l->rows = rows;
	l->cap = cap;
	return 0;
}

/* "comm[pid]" with the comm escaped (the traced program chose it) */
static void who_text(const struct kf_model *m, const struct kf_call *c,
		     char *buf, size_t len)
{
	struct kf_out o;
	const char *comm = kf_strtab_get(&m->strs, c->comm);

	kf_out_init(&o, buf, len);
	kf_out_escape(&o, comm, strlen(comm));
	kf_out_printf(&o, "[%d]", c->pid);
}

static int list_passes(const struct kf_list *l, uint32_t ci)
{
	const struct kf_call *c = &l->m->calls[ci];
	char buf[2048];

	if (!kf_call_path_match(l->m, c, l->paths, l->npaths))
		return 0;
	if (!l->filter)
		return 1;
	kf_decode_header(l->m, c, buf, sizeof(buf));
	if (kf_view_match(buf, l->filter))
		return 1;
	who_text(l->m, c, buf, sizeof(buf));
	return kf_view_match(buf, l->filter);
}

int kf_list_init(struct kf_list *l, const struct kf_model *m)
{
	return kf_list_init_paths(l, m, NULL, 0);
}

int kf_list_init_paths(struct kf_list *l, const struct kf_model *m,
		       char *const *paths, int npaths)
{
	memset(l, 0, sizeof(*l));
	l->m = m;
	l->paths = paths;
	l->npaths = npaths;
	l->cur.page = DEFAULT_PAGE;
	l->in_order = 1;
	l->t0 = UINT64_MAX;
	return kf_list_update(l);
}

void kf_list_release(struct kf_list *l)
{
	free(l->rows);
	free(l->filter);
	l->rows = NULL;
	l->filter = NULL;
	l->nrows = l->cap = l->ncalls = 0;
}

/* comm[pid] is as wide as the widest seen, so the call starts early on an
 * 80-column screen; 9 fits the title. */
#define WHO_MIN 9
#define WHO_MAX 24

static void list_note_who(struct kf_list *l, const struct kf_call *c)
{
	char who[64];
	int n;

	who_text(l->m, c, who, sizeof(who));
	n = (int)strlen(who);

	if (n > WHO_MAX)
		n = WHO_MAX;
	if (n > l->who_w)
		l->who_w = n;
}

int kf_list_update(struct kf_list *l)
{
	const struct kf_model *m = l->m;
	uint32_t i, n0 = l->nrows, seen = l->ncalls, sel = kf_list_selected(l);
	int was_in_order = l->in_order;

	if (m->ncalls <= l->ncalls)
		return 0;
	if (list_grow(l, l->nrows + (m->ncalls - l->ncalls)) < 0)
		return -1;
	for (i = l->ncalls; i < m->ncalls; i++) {
		const struct kf_call *c = &m->calls[i];

		if (c->start < l->t0)
			l->t0 = c->start;
		list_note_who(l, c);
		if (i && c->start < m->calls[i - 1].start)
			l->in_order = 0;
		if (list_passes(l, i))
			l->rows[l->nrows++] = i;
	}
	l->ncalls = m->ncalls;
	/* appended in index order: only a sort other than that needs work */
	if (l->sort != KF_LIST_BY_TIME || !l->in_order) {
		if (sort_rows(m, l->rows, l->nrows, l->sort, l->in_order) < 0) {
			l->nrows = n0;
			l->ncalls = seen;
			l->in_order = was_in_order;
			return -1;
		}
		if (sel != KF_NONE)
			kf_list_select(l, sel);
	}
	kf_cursor_clamp(&l->cur, l->nrows);
	return 0;
}

int kf_list_sort(struct kf_list *l, enum kf_list_sort sort)
{
	uint32_t sel = kf_list_selected(l);

	if (sort_rows(l->m, l->rows, l->nrows, sort, l->in_order) < 0)
		return -1;
	l->sort = sort;
	if (sel != KF_NONE)
		kf_list_select(l, sel);
	return 0;
}

int kf_list_filter(struct kf_list *l, const char *text)
{
	uint32_t sel = kf_list_selected(l), i, n = 0;
	char *old = l->filter, *copy = NULL;
	int refine;

	if (text && *text) {
		copy = strdup(text);
		if (!copy)
			return kf_err(KF_EXIT_OSERR, "out of memory");
	}
	/*
	 * A filter that contains the old one can only drop rows: test the
	 * rows shown instead of every call (typing narrows as you go).
	 */
	refine = old && copy && strstr(copy, old);
	l->filter = copy;
	if (refine) {
		for (i = 0; i < l->nrows; i++)
			if (list_passes(l, l->rows[i]))
				l->rows[n++] = l->rows[i];
		l->nrows = n;
	} else {
		if (list_grow(l, l->ncalls) < 0) {
			l->filter = old;
			free(copy);
			return -1;
		}
		for (i = 0; i < l->ncalls; i++)
			if (list_passes(l, i))
				l->rows[n++] = i;
		l->nrows = n;
		if ((l->sort != KF_LIST_BY_TIME || !l->in_order) &&
		    sort_rows(l->m, l->rows, l->nrows, l->sort,
			      l->in_order) < 0) {
			/* still a valid list: in capture order */
			l->sort = KF_LIST_BY_TIME;
			free(old);
			kf_cursor_clamp(&l->cur, l->nrows);
			return -1;
		}
	}
	free(old);
	if (sel == KF_NONE || kf_list_select(l, sel) < 0)
		kf_cursor_clamp(&l->cur, l->nrows);
	return 0;
}

uint32_t kf_list_selected(const struct kf_list *l)
{
	if (!l->nrows || l->cur.row >= l->nrows)
		return KF_NONE;
	return l->rows[l->cur.row];
}

int kf_list_select(struct kf_list *l, uint32_t call)
{
	uint32_t i;

	for (i = 0; i < l->nrows; i++) {
		if (l->rows[i] == call) {
			kf_cursor_set(&l->cur, l->nrows, i);
			return 0;
		}
	}
	return -1;
}

void kf_list_row(const struct kf_list *l, uint32_t i, struct kf_list_row *r)
{
	const struct kf_call *c = &l->m->calls[l->rows[i]];

	memset(r, 0, sizeof(*r));
	r->call = l->rows[i];
	r->start = c->start >= l->t0 ? c->start - l->t0 : 0;
	r->dur = call_dur(c);
	r->heat = kf_overhead_mark(r->dur);
	r->failed = (c->flags & KF_CALL_HAS_RET) && c->ret < 0;
	r->incomplete = !!(c->flags & (KF_CALL_NOENTER | KF_CALL_NOEXIT |
				       KF_CALL_INCOMPLETE | KF_CALL_REPAIRED |
				       KF_CALL_OPEN));
	r->status = r->failed ? 'x' : r->incomplete ? '?' : ' ';
}

size_t kf_list_columns(const struct kf_list *l, char *buf, size_t len)
{
	struct kf_out o = { buf, len, 0 };
	int w = l->who_w > WHO_MIN ? l->who_w : WHO_MIN;

	if (len)
		buf[0] = '\0';
	kf_out_printf(&o, "  %11s  %11s  %-*s  %s", "start", "duration", w, "comm[pid]",
	     l->hide_cpu ? "" : "cpu  ");
	kf_out_puts(&o, "call");
	return o.pos;
}

size_t kf_list_line(const struct kf_list *l, uint32_t i, char *buf,
		    size_t len)
{
	const struct kf_call *c = &l->m->calls[l->rows[i]];
	struct kf_list_row r;
	struct kf_out o = { buf, len, 0 };
	char dur[32], who[64];
	size_t n;

	if (len)
		buf[0] = '\0';
	kf_list_row(l, i, &r);
	kf_view_fmt_dur(dur, sizeof(dur), r.dur);
	who_text(l->m, c, who, sizeof(who));
	kf_out_printf(&o, "%c %11.6f %c%11s  %-*.*s  ", r.status, r.start / 1e9,
	     r.heat, dur, l->who_w > WHO_MIN ? l->who_w : WHO_MIN, WHO_MAX,
	     who);
	if (!l->hide_cpu)
		kf_out_printf(&o, "%3u  ", c->cpu);
	n = kf_decode_header(l->m, c, o.pos < len ? buf + o.pos : NULL,
			     o.pos < len ? len - o.pos : 0);
	return o.pos + n;
}

static int write_done(FILE *f)
{
	if (fflush(f) != 0 || ferror(f))
		return kf_err_errno(KF_EXIT_IOERR, "cannot write the view");
	return 0;
}

int kf_list_write(FILE *f, const struct kf_list *l)
{
	char buf[4096];
	uint32_t i;

	kf_list_columns(l, buf, sizeof(buf));
	fprintf(f, "%s\n", buf);
	for (i = 0; i < l->nrows; i++) {
		kf_list_line(l, i, buf, sizeof(buf));
		fprintf(f, "%s\n", buf);
	}
	return write_done(f);
}

/* ---- the per-function summary --------------------------------------- */

static int sum_cmp(const void *a, const void *b, void *arg)
{
	const struct kf_sum_row *x = a, *y = b;
	enum kf_sum_col col = *(const enum kf_sum_col *)arg;
	uint64_t u = 0, v = 0;
	int r;

	switch (col) {
	case KF_SUM_CALLS: u = x->calls; v = y->calls; break;
	case KF_SUM_TOTAL: u = x->total; v = y->total; break;
	case KF_SUM_SELF: u = x->self; v = y->self; break;
	case KF_SUM_AVG: u = x->avg; v = y->avg; break;
	case KF_SUM_MAX: u = x->max; v = y->max; break;
	case KF_SUM_NAME: break;
	}
	if (u != v)
		return u > v ? -1 : 1;      /* numbers: most first */
	r = strcmp(x->name, y->name);
	if (r)
		return r;
	return x->func < y->func ? -1 : x->func > y->func;
}

void kf_summary_sort(struct kf_summary *s, enum kf_sum_col col)
{
	uint32_t func = s->nrows ? s->rows[s->cur.row].func : KF_NONE, i;

	s->sort = col;
	if (s->nrows > 1)
		qsort_r(s->rows, s->nrows, sizeof(*s->rows), sum_cmp, &col);
	for (i = 0; i < s->nrows; i++)
		if (s->rows[i].func == func)
			kf_cursor_set(&s->cur, s->nrows, i);
	kf_cursor_clamp(&s->cur, s->nrows);
}

struct sum_build {
	const struct kf_model *m;
	uint32_t nids;
	uint32_t *row_of;   /* strtab id -> row, KF_NONE */
	uint32_t *active;   /* strtab id -> open calls on the current path */
	uint32_t *stack;    /* nodes on the current path */
	uint32_t sp, stack_cap;
	uint32_t rows_cap;
	uint64_t min_dur;   /* nodes shorter are left out with their calls */
};

static struct kf_sum_row *sum_row(struct kf_summary *s, struct sum_build *b,
				  uint32_t func)
{
	struct kf_sum_row *r;

	if (b->row_of[func] != KF_NONE)
		return &s->rows[b->row_of[func]];
	if (s->nrows == b->rows_cap) {
		uint32_t cap = b->rows_cap ? b->rows_cap * 2 : 256;

		r = realloc(s->rows, (size_t)cap * sizeof(*r));
		if (!r)
			return NULL;
		s->rows = r;
		b->rows_cap = cap;
	}
	r = &s->rows[s->nrows];
	memset(r, 0, sizeof(*r));
	r->func = func;
	r->name = kf_strtab_get(&b->m->strs, func);
	b->row_of[func] = s->nrows++;
	return r;
}

static uint32_t node_func(const struct sum_build *b, const struct kf_node *n)
{
	return n->func < b->nids ? n->func : 0;
}

/*
 * Add one call's tree.  A node's total counts only when no caller on its
 * path is the same function, so recursion is not counted twice.
 */
static int sum_call(struct kf_summary *s, struct sum_build *b,
		    const struct kf_call *c)
{
	const struct kf_model *m = b->m;
	uint32_t ni = c->root, steps = 0;
	int hidden = 0;

	b->sp = 0;
	while (ni != KF_NONE) {
		const struct kf_node *n;
		struct kf_sum_row *r;
		uint32_t f;

		if (ni >= m->nnodes || ++steps > m->nnodes)
			return kf_err(KF_EXIT_SOFTWARE,
				      "call tree links are broken");
		n = kf_node_get(m, ni);
		/* shorter than --min-duration: hidden with what it called,
		 * as the trees hide it */
		hidden = b->min_dur && n->dur < b->min_dur &&
			 !(n->flags & KF_NODE_NOEXIT);
		if (hidden)
			goto leave;
		f = node_func(b, n);
		r = sum_row(s, b, f);
		if (!r)
			return kf_err(KF_EXIT_OSERR, "out of memory");
		r->calls++;
		r->self += n->self;
		if (n->flags & KF_NODE_OFF) {
			const struct kf_node_note *nt = kf_model_note(m, ni);

			if (nt && (nt->has & KF_NOTE_OFF)) {
				r->off += nt->off;
				s->has_off = 1;
			}
		}
		r->avg += n->dur; /* the sum for now */
		if (n->dur > r->max)
			r->max = n->dur;
		if (b->active[f]++ == 0)
			r->total += n->dur;
		if (n->child != KF_NONE) {
			if (b->sp == b->stack_cap) {
				uint32_t cap = b->stack_cap ? b->stack_cap * 2 :
					       64;
				uint32_t *st = realloc(b->stack,
						       cap * sizeof(*st));

				if (!st)
					return kf_err(KF_EXIT_OSERR,
						      "out of memory");
				b->stack = st;
				b->stack_cap = cap;
			}
			b->stack[b->sp++] = ni;
			ni = n->child;
			continue;
		}
leave:
		/* leave n, then every caller that has no next sibling */
		for (;;) {
			if (!hidden)
				b->active[node_func(b, n)]--;
			hidden = 0;
			if (n->next != KF_NONE) {
				ni = n->next;
				break;
			}
			if (!b->sp) {
				ni = KF_NONE;
				break;
			}
			n = kf_node_get(m, b->stack[--b->sp]);
		}
	}
	return 0;
}

int kf_summary_init(struct kf_summary *s, const struct kf_model *m,
		    uint32_t call)
{
	if (call != KF_NONE && call >= m->ncalls)
		return kf_err(KF_EXIT_SOFTWARE, "no call %u", call);
	if (kf_summary_init_calls(s, m, call == KF_NONE ? NULL : &call,
				  call == KF_NONE ? m->ncalls : 1, 0) < 0)
		return -1;
	s->call = call;
	return 0;
}

int kf_summary_init_calls(struct kf_summary *s, const struct kf_model *m,
			  const uint32_t *calls, uint32_t ncalls,
			  uint64_t min_dur)
{
	struct sum_build b = { .m = m, .nids = m->strs.count,
			       .min_dur = min_dur };
	uint32_t i;
	int rc = 0;

	memset(s, 0, sizeof(*s));
	s->m = m;
	s->call = KF_NONE;
	s->cur.page = DEFAULT_PAGE;
	if (!b.nids)
		b.nids = 1;
	b.row_of = malloc((size_t)b.nids * sizeof(*b.row_of));
	b.active = calloc(b.nids, sizeof(*b.active));
	if (!b.row_of || !b.active) {
		rc = kf_err(KF_EXIT_OSERR, "out of memory");
		goto out;
	}
	memset(b.row_of, 0xff, (size_t)b.nids * sizeof(*b.row_of));
	for (i = 0; i < ncalls && rc == 0; i++) {
		uint32_t ci = calls ? calls[i] : i;

		if (ci >= m->ncalls) {
			rc = kf_err(KF_EXIT_SOFTWARE, "no call %u", ci);
			break;
		}
		rc = sum_call(s, &b, &m->calls[ci]);
		s->ncalls++;
	}
	if (rc < 0) {
		kf_summary_release(s);
		goto out;
	}
	for (i = 0; i < s->nrows; i++)
		s->rows[i].avg /= s->rows[i].calls;
	kf_summary_sort(s, KF_SUM_TOTAL);
out:
	free(b.row_of);
	free(b.active);
	free(b.stack);
	return rc;
}

int kf_summary_init_procs(struct kf_summary *s, const struct kf_model *m,
			  const uint32_t *calls, uint32_t ncalls)
{
	struct kf_procsum ps;
	size_t len = 1, at = 0;
	uint32_t i, k, n = 0;

	memset(s, 0, sizeof(*s));
	s->m = m;
	s->call = KF_NONE;
	s->cur.page = DEFAULT_PAGE;
	s->ncalls = ncalls;
	if (kf_procsum_init_calls(&ps, m, calls, ncalls) < 0)
		return -1;
	for (i = 0; i < ps.nprocs; i++) {
		n += ps.procs[i].nsys;
		/* "comm[pid] " (pid: at most 11 characters) before each */
		len += ps.procs[i].nsys * (strlen(ps.procs[i].comm ?
					   ps.procs[i].comm : "?") + 14);
		for (k = 0; k < ps.procs[i].nsys; k++)
			len += strlen(ps.procs[i].sys[k].name) + 1;
	}
	s->rows = calloc(n ? n : 1, sizeof(*s->rows));
	s->names = malloc(len);
	if (!s->rows || !s->names) {
		kf_procsum_release(&ps);
		kf_summary_release(s);
		return kf_err(KF_EXIT_OSERR, "out of memory");
	}
	for (i = 0; i < ps.nprocs; i++)
		for (k = 0; k < ps.procs[i].nsys; k++) {
			const struct kf_sys_sum *y = &ps.procs[i].sys[k];
			struct kf_sum_row *r = &s->rows[s->nrows];

			r->name = s->names + at;
			at += sprintf(s->names + at, "%s[%d] %s",
				      ps.procs[i].comm ? ps.procs[i].comm : "?",
				      (int)ps.procs[i].pid, y->name) + 1;
			r->func = s->nrows++;
			r->calls = y->calls;
			r->total = r->self = y->total;
			r->avg = y->total / y->calls;
			r->max = y->max;
		}
	kf_procsum_release(&ps);
	kf_summary_sort(s, KF_SUM_TOTAL);
	return 0;
}

void kf_summary_release(struct kf_summary *s)
{
	free(s->names);
	s->names = NULL;
	free(s->rows);
	s->rows = NULL;
	s->nrows = 0;
}

const char *kf_summary_columns(const struct kf_summary *s)
{
	if (s->names)
		return "     calls       total        self     average         max"
		       "  process syscall";
	/* off-CPU only where a task slept inside a traced call */
	return s->has_off ?
	       "     calls       total        self     average         max"
	       "     off-CPU  function" :
	       "     calls       total        self     average         max"
	       "  function";
}

size_t kf_summary_line(const struct kf_summary *s, uint32_t i, char *buf,
		       size_t len)
{
	const struct kf_sum_row *r = &s->rows[i];
	char t[32], se[32], a[32], mx[32];
	struct kf_out o;

	kf_view_fmt_dur(t, sizeof(t), r->total);
	kf_view_fmt_dur(se, sizeof(se), r->self);
	kf_view_fmt_dur(a, sizeof(a), r->avg);
	kf_view_fmt_dur(mx, sizeof(mx), r->max);
	kf_out_init(&o, buf, len);
	kf_out_printf(&o, "%10llu %11s %11s %11s %11s  ",
		      (unsigned long long)r->calls, t, se, a, mx);
	if (s->has_off) {
		char off[32] = "";

		if (r->off)
			kf_view_fmt_dur(off, sizeof(off), r->off);
		kf_out_printf(&o, "%10s  ", off);
	}
	kf_out_escape(&o, r->name, strlen(r->name));
	return o.pos;
}

int kf_summary_write(FILE *f, const struct kf_summary *s)
{
	char buf[4096];
	uint32_t i;

	fprintf(f, "%s\n", kf_summary_columns(s));
	for (i = 0; i < s->nrows; i++) {
		kf_summary_line(s, i, buf, sizeof(buf));
		fprintf(f, "%s\n", buf);
	}
	return write_done(f);
}

/* ---- --summary in batch ------------------------------------------- */

/* Per syscall over every call of m: rows (the caller frees) sorted by
 * total time, *n of them.  NULL only when out of memory. */
static struct kf_sys_sum *sys_rows(const struct kf_model *m, uint32_t *n)
{
	struct kf_sys_sum *rows = calloc(m->ncalls ? m->ncalls : 1,
					 sizeof(*rows));
	uint32_t i, k;

	*n = 0;
	if (!rows)
		return NULL;
	for (i = 0; i < m->ncalls; i++) {
		const struct kf_call *c = &m->calls[i];
		const char *name = kf_call_name(m, c);

		for (k = 0; k < *n && strcmp(rows[k].name, name); k++)
			;
		if (k == *n)
			rows[(*n)++].name = name;
		kf_sys_sum_add(&rows[k], c);
	}
	qsort(rows, *n, sizeof(*rows), kf_sys_sum_cmp);
	return rows;
}

static void json_u64(FILE *f, const char *key, uint64_t v)
{
	fprintf(f, ", \"%s\": %llu", key, (unsigned long long)v);
}

int kf_summary_print(FILE *f, const struct kf_model *m, uint64_t min_dur,
		     int json)
{
	struct kf_summary s;
	struct kf_procsum ps = { 0 };
	struct kf_sys_sum *rows;
	uint32_t nrows, i;
	char t[32], a[32], mx[32], buf[4096];
	/* a boundary capture has no functions: per process instead */
	int procs = m->meta.mode == KF_MODE_BOUNDARY, rc = 0;

	if (kf_summary_init_calls(&s, m, NULL, m->ncalls, min_dur) < 0)
		return -1;
	if (procs && kf_procsum_init(&ps, m) < 0) {
		kf_summary_release(&s);
		return -1;
	}
	if (!(rows = sys_rows(m, &nrows))) {
		kf_summary_release(&s);
		kf_procsum_release(&ps);
		return kf_err(KF_EXIT_OSERR, "out of memory");
	}
	if (json) {
		fprintf(f, "{\"format\": \"kfollow-summary\", \"version\": 1, "
			"\"invocations\": %u, \"min_duration_ns\": %llu,\n"
			" \"syscalls\": [", m->ncalls,
			(unsigned long long)min_dur);
		for (i = 0; i < nrows && rc == 0; i++) {
			const struct kf_sys_sum *r = &rows[i];

			fputs(i ? ",\n  {\"name\": " : "\n  {\"name\": ", f);
			rc = kf_json_string(f, r->name);
			json_u64(f, "calls", r->calls);
			json_u64(f, "errors", r->errors);
			json_u64(f, "total_ns", r->total);
			json_u64(f, "avg_ns", r->total / r->calls);
			json_u64(f, "max_ns", r->max);
			fputc('}', f);
		}
		fputs("],\n \"functions\": [", f);
		for (i = 0; i < s.nrows && rc == 0; i++) {
			const struct kf_sum_row *r = &s.rows[i];

			fputs(i ? ",\n  {\"name\": " : "\n  {\"name\": ", f);
			rc = kf_json_string(f, r->name);
			json_u64(f, "calls", r->calls);
			json_u64(f, "total_ns", r->total);
			json_u64(f, "self_ns", r->self);
			json_u64(f, "avg_ns", r->avg);
			json_u64(f, "max_ns", r->max);
			json_u64(f, "off_cpu_ns", r->off);
			fputc('}', f);
		}
		fputc(']', f);
		if (procs && rc == 0)
			rc = kf_procsum_write(f, &ps, m, 1);
		fputs("}\n", f);
	} else {
		char md[32] = "";

		if (min_dur)
			kf_view_fmt_dur(md, sizeof(md), min_dur);
		fprintf(f, "# summary of %u invocation%s%s%s%s\n", m->ncalls,
			m->ncalls == 1 ? "" : "s",
			min_dur ? "; calls shorter than " : "", md,
			min_dur ? " left out of the functions" : "");
		if (procs && ps.nprocs)
			fprintf(f, "# all processes\n");
		fprintf(f, "     calls    errors       total     average"
			"         max  syscall\n");
		for (i = 0; i < nrows; i++) {
			const struct kf_sys_sum *r = &rows[i];
			struct kf_out o;

			kf_view_fmt_dur(t, sizeof(t), r->total);
			kf_view_fmt_dur(a, sizeof(a), r->total / r->calls);
			kf_view_fmt_dur(mx, sizeof(mx), r->max);
			kf_out_init(&o, buf, sizeof(buf));
			kf_out_printf(&o, "%10llu %9llu %11s %11s %11s  ",
				      (unsigned long long)r->calls,
				      (unsigned long long)r->errors, t, a, mx);
			kf_out_escape(&o, r->name, strlen(r->name));
			fprintf(f, "%s\n", buf);
		}
		fputc('\n', f);
		if (s.nrows)
			rc = kf_summary_write(f, &s);
		if (procs && ps.nprocs && rc == 0)
			rc = kf_procsum_write(f, &ps, m, 0);
	}
	free(rows);
	kf_summary_release(&s);
	kf_procsum_release(&ps);
	if (rc == 0)
		rc = write_done(f);
	return rc;
}
