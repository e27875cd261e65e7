// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * export.c - a capture's trees as collapsed stacks, Trace Event JSON and
 * an SVG icicle graph (kf_export.h).  The folded and SVG exports merge the
 * calls by call path into a table as they walk the trees; the Chrome
 * export writes each call as it meets it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kf_capfile.h"
#include "kf_common.h"
#include "kf_decode.h"
#include "kf_export.h"
#include "kf_render.h"

/* Distinct call paths kept at most (56 B each): far above any real
 * capture's (a cold ext4 read has a few thousand), low enough that a
 * hostile file cannot take the machine's memory. */
#define MAX_PATHS (4u << 20)

int kf_export_parse(const char *name, enum kf_export_format *fmt)
{
	if (strcmp(name, "folded") == 0)
		*fmt = KF_EXPORT_FOLDED;
	else if (strcmp(name, "chrome") == 0)
		*fmt = KF_EXPORT_CHROME;
	else if (strcmp(name, "svg") == 0)
		*fmt = KF_EXPORT_SVG;
	else
		return -1;
	return 0;
}

/* ---- walking a call's tree ------------------------------------------ */

/* visit: 1 to go into the node's children, 0 to skip them, -1 to stop */
typedef int (*visit_fn)(void *ctx, uint32_t ni, const struct kf_node *n,
			size_t depth);

struct walker {
	uint32_t *stack;
	size_t cap;
};

/*
 * Visit call c's nodes in call order, depth first, without recursion: a
 * 25-deep tree or a hostile file's 60000-deep one cost a stack entry per
 * level.  Links are bounded by the node count, so a damaged tree ends.
 */
static int walk_call(struct walker *w, const struct kf_model *m,
		     const struct kf_call *c, visit_fn fn, void *ctx)
{
	uint32_t ni = c->root;
	uint64_t steps = 0;
	size_t sp = 0;

	while (ni < m->nnodes && ++steps <= m->nnodes) {
		const struct kf_node *n = kf_node_get(m, ni);
		int r = fn(ctx, ni, n, sp);

		if (r < 0)
			return -1;
		if (r && n->child < m->nnodes) {
			if (KF_GROW(w->stack, w->cap, sp + 1) < 0)
				return kf_err(KF_EXIT_OSERR, "out of memory");
			w->stack[sp++] = ni;
			ni = n->child;
			continue;
		}
		ni = n->next;
		while (ni >= m->nnodes && sp > 0)
			ni = kf_node_get(m, w->stack[--sp])->next;
	}
	return 0;
}

/* The syscall's name of call c, or KF_NONE (function mode). */
static uint32_t call_name(const struct kf_model *m, const struct kf_call *c)
{
	return c->sys < m->nsys ? m->sys[c->sys].name : KF_NONE;
}

/* The time the call's top-level nodes took together. */
static uint64_t top_sum(const struct kf_model *m, const struct kf_call *c)
{
	uint64_t sum = 0, steps = 0;
	uint32_t ni;

	for (ni = c->root; ni < m->nnodes && ++steps <= m->nnodes;
	     ni = kf_node_get(m, ni)->next)
		sum += kf_node_get(m, ni)->dur;
	return sum;
}

/* The invocation's own duration: enter to exit, and never less than its
 * tree (a call whose exit was not seen). */
static uint64_t call_dur(const struct kf_model *m, const struct kf_call *c)
{
	uint64_t d = c->end > c->start ? c->end - c->start : 0;
	uint64_t t = top_sum(m, c);

	return d > t ? d : t;
}

/* ---- call paths merged ---------------------------------------------- */

struct path {
	uint32_t name;    /* strtab id: a function, or the syscall's name */
	uint32_t parent;  /* index; 0 is the root above everything */
	uint32_t child, next, last; /* children in first-seen order */
	uint32_t depth;
	uint32_t sys;     /* 1: a syscall's own frame, above its tree */
	uint64_t total, self, calls;
};

struct paths {
	const struct kf_model *m;
	struct path *p;
	size_t n, cap;
	uint32_t *slot;    /* hash of (parent, name) -> index + 1, 0 empty */
	size_t nslot;      /* a power of two */
	uint64_t min_dur;
	uint32_t base;     /* the path the current call's nodes hang from */
	uint32_t *lvl;     /* the path of the node open at each depth */
	size_t lvl_cap;
};

static size_t slot_of(const struct paths *ps, uint32_t parent, uint32_t name)
{
	uint64_t h = ((uint64_t)parent << 32 | name) * 0x9e3779b97f4a7c15ull;

	return (size_t)(h >> 20) & (ps->nslot - 1);
}

static int paths_rehash(struct paths *ps)
{
	size_t n = ps->nslot ? ps->nslot * 2 : 1024, i;
	uint32_t *old = ps->slot;
	size_t oldn = ps->nslot;

	ps->slot = calloc(n, sizeof(*ps->slot));
	if (!ps->slot) {
		ps->slot = old;
		return kf_err(KF_EXIT_OSERR, "out of memory");
	}
	ps->nslot = n;
	for (i = 0; i < oldn; i++) {
		struct path *p;
		size_t s;

		if (!old[i])
			continue;
		p = &ps->p[old[i] - 1];
		for (s = slot_of(ps, p->parent, p->name); ps->slot[s];
		     s = (s + 1) & (n - 1))
			;
		ps->slot[s] = old[i];
	}
	free(old);
	return 0;
}

static int paths_init(struct paths *ps, const struct kf_model *m,
		      uint64_t min_dur)
{
	memset(ps, 0, sizeof(*ps));
	ps->m = m;
	ps->min_dur = min_dur;
	if (KF_GROW(ps->p, ps->cap, 1) < 0)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	memset(&ps->p[0], 0, sizeof(ps->p[0]));
	ps->p[0].name = ps->p[0].parent = KF_NONE;
	ps->p[0].child = ps->p[0].next = ps->p[0].last = KF_NONE;
	ps->n = 1;
	return paths_rehash(ps);
}

static void paths_release(struct paths *ps)
{
	free(ps->p);
	free(ps->slot);
	free(ps->lvl);
}

/* The path `name` under `parent`, added if new; KF_NONE on error. */
static uint32_t paths_get(struct paths *ps, uint32_t parent, uint32_t name)
{
	struct path *p;
	size_t s;
	uint32_t i;

	for (s = slot_of(ps, parent, name); ps->slot[s];
	     s = (s + 1) & (ps->nslot - 1)) {
		p = &ps->p[ps->slot[s] - 1];
		if (p->parent == parent && p->name == name)
			return ps->slot[s] - 1;
	}
	if (ps->n >= MAX_PATHS) {
		kf_err(KF_EXIT_SOFTWARE, "more than %u distinct call paths: "
		       "export fewer invocations (--invocation, --path) or "
		       "fewer levels (--max-depth)", MAX_PATHS);
		return KF_NONE;
	}
	if (KF_GROW(ps->p, ps->cap, ps->n + 1) < 0) {
		kf_err(KF_EXIT_OSERR, "out of memory");
		return KF_NONE;
	}
	i = (uint32_t)ps->n++;
	ps->slot[s] = i + 1;
	p = &ps->p[i];
	memset(p, 0, sizeof(*p));
	p->name = name;
	p->parent = parent;
	p->child = p->next = p->last = KF_NONE;
	p->depth = ps->p[parent].depth + 1;
	if (ps->p[parent].last == KF_NONE)
		ps->p[parent].child = i;
	else
		ps->p[ps->p[parent].last].next = i;
	ps->p[parent].last = i;
	if (ps->n * 2 > ps->nslot && paths_rehash(ps) < 0)
		return KF_NONE;
	return i;
}

static int merge_node(void *ctx, uint32_t ni, const struct kf_node *n,
		      size_t depth)
{
	struct paths *ps = ctx;
	uint32_t up = depth ? ps->lvl[depth - 1] : ps->base, q;

	(void)ni;
	if (ps->min_dur && n->dur < ps->min_dur) {
		/* hidden: its time is its caller's own */
		ps->p[up].self += n->dur;
		return 0;
	}
	q = paths_get(ps, up, n->func);
	if (q == KF_NONE)
		return -1;
	ps->p[q].total += n->dur;
	ps->p[q].self += n->self;
	ps->p[q].calls++;
	if (KF_GROW(ps->lvl, ps->lvl_cap, depth + 1) < 0)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	ps->lvl[depth] = q;
	return 1;
}

/*
 * Merge every call of m into ps: the syscall's name first (its own time
 * is what its tree does not cover: entry, exit, the untraced), then the
 * functions by call path.
 */
static int paths_merge_call(struct paths *ps, struct walker *w,
			    const struct kf_call *c)
{
	const struct kf_model *m = ps->m;
	uint32_t name = call_name(m, c);

	ps->base = 0;
	if (name != KF_NONE) {
		uint64_t d = call_dur(m, c), t = top_sum(m, c);

		ps->base = paths_get(ps, 0, name);
		if (ps->base == KF_NONE)
			return -1;
		ps->p[ps->base].total += d;
		ps->p[ps->base].self += d - t;
		ps->p[ps->base].calls++;
		ps->p[ps->base].sys = 1;
	}
	return walk_call(w, m, c, merge_node, ps);
}

/* The root: everything, for the graph's top frame. */
static void paths_root(struct paths *ps)
{
	uint32_t i;

	for (i = ps->p[0].child; i != KF_NONE; i = ps->p[i].next) {
		ps->p[0].total += ps->p[i].total;
		ps->p[0].calls += ps->p[i].calls;
	}
}

/* A frame's name as the formats show it: escaped (printable ASCII), for
 * folded without ';', the frame separator.  Returns buf. */
static const char *frame_name(const struct paths *ps, uint32_t i, char *buf,
			      size_t len)
{
	char *s;

	kf_escape(buf, len, kf_strtab_get(&ps->m->strs, ps->p[i].name));
	for (s = buf; *s; s++)
		if (*s == ';')
			*s = ':';
	return buf;
}

/* ---- folded --------------------------------------------------------- */

static int export_folded(FILE *f, struct paths *ps)
{
	char *line = NULL, name[512];
	size_t cap = 0, *off = NULL, ocap = 0;
	uint32_t i = ps->p[0].child;
	int rc = 0;

	/* depth first over the merged paths, the line built as we go down */
	while (i != KF_NONE) {
		const struct path *p = &ps->p[i];
		size_t d = p->depth, at, nl;

		if (KF_GROW(off, ocap, d + 1) < 0) {
			rc = kf_err(KF_EXIT_OSERR, "out of memory");
			break;
		}
		at = d > 1 ? off[d - 1] : 0;
		frame_name(ps, i, name, sizeof(name));
		nl = strlen(name);
		if (KF_GROW(line, cap, at + nl + 2) < 0) {
			rc = kf_err(KF_EXIT_OSERR, "out of memory");
			break;
		}
		if (d > 1)
			line[at++] = ';';
		memcpy(line + at, name, nl);
		off[d] = at + nl;
		if (p->self)
			fprintf(f, "%.*s %llu\n", (int)off[d], line,
				(unsigned long long)p->self);
		if (p->child != KF_NONE) {
			i = p->child;
			continue;
		}
		while (i != KF_NONE && ps->p[i].next == KF_NONE)
			i = ps->p[i].parent ? ps->p[i].parent : KF_NONE;
		if (i != KF_NONE)
			i = ps->p[i].next;
	}
	free(line);
	free(off);
	return rc;
}

/* ---- chrome --------------------------------------------------------- */

struct chrome {
	FILE *f;
	const struct kf_model *m;
	const struct kf_export_opts *o;
	uint32_t *seen;     /* the tasks named so far */
	size_t nseen, seen_cap;
	/* per depth: [start, end) of the open node, and where the next
	 * node there may start (its previous sibling's end) */
	uint64_t *span;
	size_t span_cap;
	uint64_t lo, hi;    /* the syscall's span, the top nodes' bounds */
	int32_t pid;
	uint32_t comm;
	int first;
};

/* ns as microseconds with three decimals, exact */
static void put_us(FILE *f, uint64_t ns)
{
	fprintf(f, "%llu.%03llu", (unsigned long long)(ns / 1000),
		(unsigned long long)(ns % 1000));
}

/* A JSON string, null for NULL (a capture that did not say). */
static int put_json(FILE *f, const char *s)
{
	if (!s)
		return fputs("null", f) < 0 ? -1 : 0;
	return kf_json_string(f, s);
}

static void chrome_sep(struct chrome *ch)
{
	fputs(ch->first ? "\n" : ",\n", ch->f);
	ch->first = 0;
}

static const char *layer_of(const struct kf_export_opts *o, const char *fn)
{
	int k = kf_layer_find(o->layers, o->nlayers, fn);

	return k >= 0 ? o->layers[k].name : NULL;
}

static int chrome_event(struct chrome *ch, const char *name, const char *cat,
			uint64_t ts, uint64_t dur)
{
	chrome_sep(ch);
	fputs("{\"ph\":\"X\",\"name\":", ch->f);
	if (put_json(ch->f, name) < 0)
		return -1;
	fputs(",\"cat\":", ch->f);
	put_json(ch->f, cat);
	fputs(",\"ts\":", ch->f);
	put_us(ch->f, ts);
	fputs(",\"dur\":", ch->f);
	put_us(ch->f, dur);
	fprintf(ch->f, ",\"pid\":%d,\"tid\":%d", (int)ch->pid, (int)ch->pid);
	return 0;
}

static int chrome_node(void *ctx, uint32_t ni, const struct kf_node *n,
		       size_t depth)
{
	struct chrome *ch = ctx;
	const struct kf_model *m = ch->m;
	const char *fn = kf_strtab_get(&m->strs, n->func);
	const char *cat = layer_of(ch->o, fn), *a;
	uint64_t s = n->start, e = n->start + n->dur, lo, hi;
	const char *sep;
	char buf[256];

	if (ch->o->min_duration && n->dur < ch->o->min_duration)
		return 0;
	if (KF_GROW(ch->span, ch->span_cap, 3 * depth + 6) < 0)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	lo = ch->span[3 * depth + 2];
	hi = depth ? ch->span[3 * depth - 2] : ch->hi;
	/* a trace viewer nests events by time: a node that the clocks of
	 * two CPUs (or an interrupt's entry, stamped late) placed past its
	 * caller's end or before its previous sibling's end is cut to fit */
	if (s < lo)
		s = lo;
	if (e > hi)
		e = hi;
	if (e < s)
		e = s;
	ch->span[3 * depth] = s;
	ch->span[3 * depth + 1] = e;
	ch->span[3 * depth + 2] = e;     /* the next sibling's floor */
	ch->span[3 * depth + 5] = s;     /* the first child's floor */
	/* args only where the call has more than its times (sep opens the
	 * object, then separates its members): speedscope
	 * names a frame by its name and args, so the same function's calls
	 * stay one frame (the viewers compute self time themselves) */
	if (chrome_event(ch, fn, cat ? cat : "kernel", s, e - s) < 0)
		return -1;
	sep = ",\"args\":{";
	if (n->flags & KF_NODE_RET) {
		kf_render_node_ret(m, ni, 0, buf, sizeof(buf));
		fprintf(ch->f, "%s\"return\":", sep);
		put_json(ch->f, buf[0] == ' ' ? buf + 3 : buf);
		sep = ",";
	}
	if (n->flags & KF_NODE_ARGS && (a = kf_model_args_get(m, ni))) {
		fprintf(ch->f, "%s\"args\":", sep);
		put_json(ch->f, a);
		sep = ",";
	}
	kf_render_node_marks(n->flags & ~(KF_NODE_RET | KF_NODE_ARGS), buf,
			     sizeof(buf));
	if (buf[0]) {
		fprintf(ch->f, "%s\"marks\":", sep);
		put_json(ch->f, buf + 1);
		sep = ",";
	}
	/* "}}": the args object was opened; "}": the event alone */
	fputs(sep[1] ? "}" : "}}", ch->f);
	return 1;
}

/* The track of a task: named once, "cat[97]", as the trees name it. */
static int chrome_task(struct chrome *ch, const struct kf_call *c)
{
	char name[128], comm[64];
	size_t k;

	for (k = 0; k < ch->nseen; k++)
		if ((int32_t)ch->seen[k] == c->pid)
			return 0;
	if (KF_GROW(ch->seen, ch->seen_cap, ch->nseen + 1) < 0)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	ch->seen[ch->nseen++] = (uint32_t)c->pid;
	kf_escape(comm, sizeof(comm), c->comm != KF_NONE ?
		  kf_strtab_get(&ch->m->strs, c->comm) : "?");
	snprintf(name, sizeof(name), "%s[%d]", comm, (int)c->pid);
	for (k = 0; k < 2; k++) {
		chrome_sep(ch);
		fprintf(ch->f, "{\"ph\":\"M\",\"name\":\"%s\",\"pid\":%d,"
			"\"tid\":%d,\"args\":{\"name\":",
			k ? "thread_name" : "process_name", (int)c->pid,
			(int)c->pid);
		put_json(ch->f, name);
		fputs("}}", ch->f);
	}
	return 0;
}

/* The syscall's own event, around its tree: the header's pieces as args. */
static int chrome_call(struct chrome *ch, const struct kf_call *c)
{
	const struct kf_model *m = ch->m;
	char buf[1024];
	const char *an;
	int i;

	uint64_t steps = 0;
	uint32_t ni;

	/* the syscall's event covers its tree: the enter and exit records
	 * are stamped apart from the graph's, and a tree cut to fit would
	 * lose its own times */
	ch->lo = c->start;
	ch->hi = c->end > c->start ? c->end : c->start;
	for (ni = c->root; ni < m->nnodes && ++steps <= m->nnodes;
	     ni = kf_node_get(m, ni)->next) {
		const struct kf_node *n = kf_node_get(m, ni);

		if (n->start < ch->lo)
			ch->lo = n->start;
		if (n->start + n->dur > ch->hi)
			ch->hi = n->start + n->dur;
	}
	if (KF_GROW(ch->span, ch->span_cap, 3) < 0)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	if (call_name(m, c) == KF_NONE) {
		/* function mode: the top functions are the events */
		ch->lo = 0;
		ch->hi = UINT64_MAX;
	}
	ch->span[2] = ch->lo;
	if (call_name(m, c) == KF_NONE)
		return 0;
	if (chrome_event(ch, kf_strtab_get(&m->strs, call_name(m, c)),
			 "syscall", ch->lo, ch->hi - ch->lo) < 0)
		return -1;
	kf_decode_header(m, c, buf, sizeof(buf));
	fputs(",\"args\":{\"call\":", ch->f);
	put_json(ch->f, buf);
	for (i = 0; i < KF_MAX_ARGS; i++) {
		if (!kf_decode_arg(m, c, i, &an, buf, sizeof(buf)) || !an)
			continue;
		fputc(',', ch->f);
		put_json(ch->f, an);
		fputc(':', ch->f);
		put_json(ch->f, buf);
	}
	kf_decode_ret(m, c, buf, sizeof(buf));
	fputs(",\"return\":", ch->f);
	put_json(ch->f, buf);
	fprintf(ch->f, ",\"cpu\":%u}}", (unsigned)c->cpu);
	return 0;
}

static void chrome_begin(FILE *f, const struct kf_model *m)
{
	const struct kf_meta *mt = &m->meta;

	fputs("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"tool\":", f);
	put_json(f, "kfollow");
	fputs(",\"version\":", f);
	put_json(f, mt->kfollow_version);
	fputs(",\"command\":", f);
	put_json(f, mt->command);
	fputs(",\"kernel\":", f);
	put_json(f, mt->kernel);
	fputs(",\"clock\":", f);
	put_json(f, mt->clock);
	fputs("},\"traceEvents\":[", f);
}

/* ---- svg ------------------------------------------------------------ */

#define SVG_W 1200     /* px: the graph's width */
#define SVG_PAD 10
#define SVG_FH 17      /* px: a frame's height */
#define SVG_TOP 58     /* px: the title's lines above the graph */
#define SVG_CHAR 7.3   /* px: a 12 px monospace character */
#define SVG_MIN 0.3    /* px: narrower frames are left out */

/* One colour per subsystem of the map, the same in every graph; a layer
 * the map does not have gets one by its name's hash. */
static const struct {
	const char *layer, *rgb;
} layer_rgb[] = {
	{ "syscall", "#f2b872" }, { "vfs", "#8fc1e8" },
	{ "pagecache", "#a8d8a0" }, { "ext4", "#e8a0a8" },
	{ "jbd2", "#d08890" }, { "block", "#c8a0e0" },
	{ "mm", "#f0e080" }, { "memory", "#e0d070" },
	{ "sched", "#f09870" }, { "locking", "#b0b0e8" },
	{ "irq", "#e87878" }, { "time", "#90d8d0" },
	{ "security", "#d8b090" }, { "fdtable", "#a0c8f0" },
	{ "exec", "#c0e0a0" }, { "fork", "#e0c0e0" },
	{ "net", "#80c8b0" }, { "rcu", "#c8c8a0" },
	{ "tty", "#b8d0e8" }, { "pipe", "#d0e8b8" },
	{ "tmpfs", "#e8d0b8" }, { "proc", "#d0d0f0" },
};
#define NRGB (sizeof(layer_rgb) / sizeof(layer_rgb[0]))
#define RGB_NONE "#dcdcd4"

static const char *rgb_of(const char *layer)
{
	uint32_t h = 2166136261u;
	const char *s;
	size_t k;

	if (!layer)
		return RGB_NONE;
	for (k = 0; k < NRGB; k++)
		if (strcmp(layer_rgb[k].layer, layer) == 0)
			return layer_rgb[k].rgb;
	for (s = layer; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return layer_rgb[h % NRGB].rgb;
}

/* Text from outside into XML: escaped to printable ASCII first, then
 * the five characters XML reserves. */
static void put_xml(FILE *f, const char *s, size_t max)
{
	char buf[1024];
	const char *p;
	size_t n = 0;

	kf_escape(buf, sizeof(buf), s);
	for (p = buf; *p && n < max; p++, n++) {
		switch (*p) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default: fputc(*p, f);
		}
	}
	if (*p)
		fputs("..", f);
}

struct svg {
	FILE *f;
	struct paths *ps;
	const struct kf_export_opts *o;
	uint32_t root;
	double scale;            /* px per ns */
	uint32_t maxdepth;       /* of the frames drawn, below the root */
	uint64_t omitted;        /* paths too narrow to draw */
	unsigned char used[NRGB + 1]; /* layers drawn, for the legend */
	const char *extra[8];    /* layers outside the table, drawn */
	int nextra;
};

static const char *path_layer(const struct svg *g, uint32_t i)
{
	const struct path *p = &g->ps->p[i];

	if (i == 0)
		return NULL;
	if (p->sys)
		return "syscall";
	return layer_of(g->o, kf_strtab_get(&g->ps->m->strs, p->name));
}

/* Note that a frame of `layer` (NULL: none) is drawn, for the legend. */
static void svg_mark_layer(struct svg *g, const char *layer)
{
	size_t k;
	int e;

	if (!layer) {
		g->used[NRGB] = 1;
		return;
	}
	for (k = 0; k < NRGB; k++)
		if (strcmp(layer_rgb[k].layer, layer) == 0) {
			g->used[k] = 1;
			return;
		}
	for (e = 0; e < g->nextra; e++)
		if (strcmp(g->extra[e], layer) == 0)
			return;
	if (g->nextra < (int)(sizeof(g->extra) / sizeof(g->extra[0])))
		g->extra[g->nextra++] = layer;
}

/* The root's label: what the graph is of (raw: put_xml escapes it). */
static void svg_root_label(const struct svg *g, char *buf, size_t len)
{
	const struct paths *ps = g->ps;
	const struct path *r = &ps->p[g->root];
	char dur[32], name[128];
	size_t at = 0;
	uint32_t i;
	int n = 0;

	kf_render_fmt_dur(dur, sizeof(dur), r->total);
	buf[0] = '\0';
	if (g->root) {
		snprintf(name, sizeof(name), "%s",
			 kf_strtab_get(&ps->m->strs, r->name));
		snprintf(buf, len, "%s: %llu %s, %s", name,
			 (unsigned long long)r->calls,
			 r->sys ? (r->calls == 1 ? "invocation" : "invocations")
				: (r->calls == 1 ? "call" : "calls"), dur);
		return;
	}
	for (i = r->child; i != KF_NONE && at < len; i = ps->p[i].next) {
		if (++n > 4) {
			at += (size_t)snprintf(buf + at, len - at, ", ...");
			break;
		}
		snprintf(name, sizeof(name), "%s",
			 kf_strtab_get(&ps->m->strs, ps->p[i].name));
		at += (size_t)snprintf(buf + at, len - at, "%s%s",
				       n > 1 ? ", " : "", name);
	}
	if (at < len)
		snprintf(buf + at, len - at, ": %llu calls, %s",
			 (unsigned long long)r->calls, dur);
}

static void svg_frame(struct svg *g, uint32_t i, double x, double w,
		      uint32_t depth)
{
	const struct path *p = &g->ps->p[i];
	const char *layer = path_layer(g, i);
	double y = SVG_TOP + depth * SVG_FH;
	char label[512], tot[32], self[32];
	size_t fit;

	if (i == g->root)
		svg_root_label(g, label, sizeof(label));
	else
		snprintf(label, sizeof(label), "%s",
			 kf_strtab_get(&g->ps->m->strs, p->name));
	kf_render_fmt_dur(tot, sizeof(tot), p->total);
	kf_render_fmt_dur(self, sizeof(self), p->self);
	fputs("<g><title>", g->f);
	put_xml(g->f, label, SIZE_MAX);
	if (layer) {
		fputs(" [", g->f);
		put_xml(g->f, layer, SIZE_MAX);
		fputc(']', g->f);
	}
	fprintf(g->f, "\ntotal %s (%.1f %%), self %s, %llu call%s</title>",
		tot, g->ps->p[g->root].total ?
		100.0 * (double)p->total / (double)g->ps->p[g->root].total : 0,
		self, (unsigned long long)p->calls, p->calls == 1 ? "" : "s");
	fprintf(g->f, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" "
		"height=\"%d\" rx=\"2\" fill=\"%s\"/>", x, y, w, SVG_FH - 1,
		i == g->root && !g->root ? "#e8e8e0" : rgb_of(layer));
	fit = w > 6 ? (size_t)((w - 6) / SVG_CHAR) : 0;
	if (fit >= 3) {
		fprintf(g->f, "<text x=\"%.2f\" y=\"%.1f\">", x + 3,
			y + SVG_FH - 5);
		put_xml(g->f, label, strlen(label) > fit ? fit - 2 : fit);
		fputs("</text>", g->f);
	}
	fputs("</g>\n", g->f);
}

/* The legend of the layers drawn, from y down; draw 0: only count its
 * rows.  Returns the rows. */
static int svg_legend(struct svg *g, double y, int draw)
{
	double x = SVG_PAD;
	int e, rows = 1;
	size_t k;

	if (draw)
		fprintf(g->f, "<text x=\"%d\" y=\"%.1f\">layers:</text>\n",
			SVG_PAD, y + 12);
	x += 8 * SVG_CHAR + 6;
	for (k = 0; k <= NRGB + g->nextra; k++) {
		const char *name, *rgb;

		if (k < NRGB) {
			if (!g->used[k])
				continue;
			name = layer_rgb[k].layer;
			rgb = layer_rgb[k].rgb;
		} else if (k == NRGB) {
			continue; /* unlabelled: last */
		} else {
			e = (int)(k - NRGB - 1);
			name = g->extra[e];
			rgb = rgb_of(name);
		}
		if (x + 16 + (strlen(name) + 2) * SVG_CHAR > SVG_W - SVG_PAD) {
			x = SVG_PAD + 8 * SVG_CHAR + 6;
			y += 18;
			rows++;
		}
		x += 16 + (double)(strlen(name) + 2) * SVG_CHAR;
		if (!draw)
			continue;
		x -= 16 + (double)(strlen(name) + 2) * SVG_CHAR;
		fprintf(g->f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" "
			"height=\"12\" fill=\"%s\"/><text x=\"%.1f\" "
			"y=\"%.1f\">", x, y + 2, rgb, x + 16, y + 12);
		put_xml(g->f, name, 64);
		fputs("</text>\n", g->f);
		x += 16 + (double)(strlen(name) + 2) * SVG_CHAR;
	}
	if (g->used[NRGB] && x + 16 + 10 * SVG_CHAR > SVG_W - SVG_PAD) {
		x = SVG_PAD + 8 * SVG_CHAR + 6;
		y += 18;
		rows++;
	}
	if (g->used[NRGB] && draw)
		fprintf(g->f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" "
			"height=\"12\" fill=\"%s\"/><text x=\"%.1f\" "
			"y=\"%.1f\">no layer</text>\n", x, y + 2, RGB_NONE,
			x + 16, y + 12);
	return rows;
}

static int export_svg(FILE *f, struct paths *ps,
		      const struct kf_export_opts *o)
{
	const struct kf_meta *mt = &ps->m->meta;
	struct svg g = { .f = f, .ps = ps, .o = o };
	double *x = calloc(ps->n, sizeof(*x)), *w = calloc(ps->n, sizeof(*w));
	double *cur = calloc(ps->n, sizeof(*cur));
	uint64_t *csum = calloc(ps->n, sizeof(*csum));
	uint32_t i, base;
	double height, legend_y;
	char dur[32];
	int rc = 0;

	if (!x || !w || !cur || !csum) {
		rc = kf_err(KF_EXIT_OSERR, "out of memory");
		goto out;
	}
	/* one syscall (or function) on top: it is the root */
	if (ps->p[0].child != KF_NONE &&
	    ps->p[ps->p[0].child].next == KF_NONE)
		g.root = ps->p[0].child;
	base = ps->p[g.root].depth;
	for (i = 1; i < ps->n; i++)
		csum[ps->p[i].parent] += ps->p[i].total;
	x[g.root] = cur[g.root] = SVG_PAD;
	w[g.root] = SVG_W - 2 * SVG_PAD;
	/* children come after their parent in the table, siblings in the
	 * order they were first called: one pass lays them all out */
	for (i = 1; i < ps->n; i++) {
		uint32_t up = ps->p[i].parent;
		uint64_t den = ps->p[up].total > csum[up] ? ps->p[up].total
							  : csum[up];

		if (i == g.root)
			continue;
		if (ps->p[i].depth <= base || w[up] <= 0) {
			w[i] = -1;
			continue;
		}
		w[i] = den ? w[up] * (double)ps->p[i].total / (double)den : 0;
		x[i] = cur[i] = cur[up];
		cur[up] += w[i];
		if (w[i] < SVG_MIN) {
			w[i] = -1;
			g.omitted++;
			continue;
		}
		if (ps->p[i].depth - base > g.maxdepth)
			g.maxdepth = ps->p[i].depth - base;
		svg_mark_layer(&g, path_layer(&g, i));
	}
	svg_mark_layer(&g, g.root ? path_layer(&g, g.root) : NULL);
	legend_y = SVG_TOP + (g.maxdepth + 1) * SVG_FH + 12;
	height = legend_y + svg_legend(&g, legend_y, 0) * 18 + 30;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
		"width=\"%d\" height=\"%.0f\" viewBox=\"0 0 %d %.0f\" "
		"font-family=\"DejaVu Sans Mono, monospace\" font-size=\"12\">\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n",
		SVG_W, height, SVG_W, height);
	fputs("<text x=\"10\" y=\"20\" font-size=\"15\" font-weight=\"bold\">"
	      "kfollow: ", f);
	put_xml(f, mt->command ? mt->command : mt->targets ? mt->targets : "?",
		140);
	fputs("</text>\n<text x=\"10\" y=\"40\">", f);
	if (mt->kernel) {
		fputs("Linux ", f);
		put_xml(f, mt->kernel, 60);
		fputs(" - ", f);
	}
	fputs("icicle graph: a frame's width is its total time, its callees "
	      "below it; hover for times</text>\n", f);
	for (i = 0; i < ps->n; i++)
		if ((i == g.root || (i && w[i] > 0)) &&
		    ps->p[i].depth >= base)
			svg_frame(&g, i, x[i], w[i], ps->p[i].depth - base);
	svg_legend(&g, legend_y, 1);
	fprintf(f, "<text x=\"10\" y=\"%.0f\">", height - 8);
	if (o->min_duration) {
		kf_render_fmt_dur(dur, sizeof(dur), o->min_duration);
		fprintf(f, "calls shorter than %s are counted in their "
			"caller's self time; ", dur);
	}
	fprintf(f, "%llu call path%s too narrow to draw", (unsigned long long)
		g.omitted, g.omitted == 1 ? "" : "s");
	fputs("</text>\n</svg>\n", f);
out:
	free(x);
	free(w);
	free(cur);
	free(csum);
	return rc;
}

/* ---- all ------------------------------------------------------------ */

struct kf_export {
	FILE *f;
	enum kf_export_format fmt;
	struct kf_export_opts o;
	struct walker w;
	struct paths ps;    /* folded, svg */
	struct chrome ch;
};

struct kf_export *kf_export_begin(FILE *f, const struct kf_model *m,
				  enum kf_export_format fmt,
				  const struct kf_export_opts *o)
{
	struct kf_export *x = calloc(1, sizeof(*x));

	if (!x) {
		kf_err(KF_EXIT_OSERR, "out of memory");
		return NULL;
	}
	x->f = f;
	x->fmt = fmt;
	x->o = *o;
	if (fmt == KF_EXPORT_CHROME) {
		x->ch.f = f;
		x->ch.m = m;
		x->ch.o = &x->o;
		x->ch.first = 1;
		chrome_begin(f, m);
	} else if (paths_init(&x->ps, m, o->min_duration) < 0) {
		free(x);
		return NULL;
	}
	return x;
}

int kf_export_call(struct kf_export *x, const struct kf_model *m,
		   uint32_t call)
{
	const struct kf_call *c = &m->calls[call];

	if (x->fmt != KF_EXPORT_CHROME)
		return paths_merge_call(&x->ps, &x->w, c);
	x->ch.m = m;
	x->ch.pid = c->pid;
	if (chrome_task(&x->ch, c) < 0 || chrome_call(&x->ch, c) < 0 ||
	    walk_call(&x->w, m, c, chrome_node, &x->ch) < 0)
		return -1;
	return ferror(x->f) ? kf_err_errno(KF_EXIT_IOERR, "cannot write the "
					   "output") : 0;
}

int kf_export_end(struct kf_export *x, int ok)
{
	int rc = ok ? 0 : -1;

	if (x->fmt == KF_EXPORT_CHROME) {
		fputs("\n]}\n", x->f);
	} else if (rc == 0) {
		paths_root(&x->ps);
		rc = x->fmt == KF_EXPORT_FOLDED ? export_folded(x->f, &x->ps)
						: export_svg(x->f, &x->ps, &x->o);
	}
	if (x->fmt != KF_EXPORT_CHROME)
		paths_release(&x->ps);
	free(x->ch.seen);
	free(x->ch.span);
	free(x->w.stack);
	if (rc == 0 && (fflush(x->f) != 0 || ferror(x->f)))
		rc = kf_err_errno(KF_EXIT_IOERR, "cannot write the output");
	free(x);
	return rc;
}

int kf_export(FILE *f, const struct kf_model *m, enum kf_export_format fmt,
	      const struct kf_export_opts *o)
{
	struct kf_export *x = kf_export_begin(f, m, fmt, o);
	uint32_t i;
	int ok = 1;

	if (!x)
		return -1;
	for (i = 0; i < m->ncalls && ok; i++)
		ok = kf_export_call(x, m, i) == 0;
	return kf_export_end(x, ok);
}
