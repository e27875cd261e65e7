// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fgtext.c - import the kernel's own function_graph text (a saved `trace`
 * or `trace_pipe`) as kf_events, so people can explore traces they made
 * with plain tracefs, trace-cmd or perf ftrace.
 *
 * A line is columns separated by '|': [abstime |] [cpu)] [task-pid |]
 * [latency flags |] [overhead mark + duration] | indent + function.  The
 * function column is always last; which other columns are present varies
 * per option (funcgraph-abstime, -cpu, -proc, -duration, -overhead,
 * latency-format), so each is recognised by its shape, not its position.
 *
 * Depth comes from the indentation (two spaces per level), as the kernel
 * printed it, so lines lost in between do not shift the rest.  Times:
 * with abstime, an entry's time is its own column and a return's start is
 * its time minus its duration.  Without abstime the text has durations
 * only: each CPU keeps a clock that starts a call where the previous one
 * ended and moves past each return, so parents still contain their
 * children and every duration is the kernel's.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kf_common.h"
#include "kf_btfargs.h"
#include "kf_fgtext.h"

#define MAX_CPUS 4096
#define MAX_DEPTH 4096
#define MAX_LINE 4096
/* parse results besides 0: not this column's shape, or its shape with a
 * number that is negative or does not fit (the line is skipped, counted) */
#define NOT_SHAPE (-1)
#define BAD_NUMBER (-2)
/* ts + duration must not wrap: 10 digits of seconds (1e19 ns) plus 12 of
 * microseconds (1e15 ns) stay below 2^64 */
#define MAX_SEC_DIGITS 10
#define MAX_US_DIGITS 12

struct open_fn {
	uint32_t func;
	uint64_t start;
};

/* Per CPU: who runs there, its clock, the open functions by depth. */
struct cpu_state {
	int32_t pid;
	uint64_t clock;
	int irq;                 /* inside ==========> ... <========== */
	int named;               /* its synthetic task got a name */
	uint64_t lost;
	/* grown to the deepest level seen, so a CPU number costs a few bytes
	 * until it has calls (the kernel's depth rarely passes 50) */
	struct open_fn *open;
	int nopen;
};

struct fg {
	struct kf_model *m;
	struct kf_sink sink;
	struct cpu_state *cpus;
	int ncpus;               /* highest CPU seen + 1 */
	int have_abstime;
	uint32_t unknown;        /* "[unknown]": a return whose name is lost */
	const char *name;        /* the file, for messages */
	unsigned long line;      /* the line being read, from 1 */
};

/* CPU cpu's state; NULL with kf_err set (a CPU past MAX_CPUS is a format
 * error, not a reason to allocate) */
static struct cpu_state *cpu_get(struct fg *g, int cpu)
{
	if (cpu < 0 || cpu >= MAX_CPUS) {
		kf_err(KF_EXIT_DATAERR, "cannot read '%s' line %lu: its CPU "
		       "number is beyond %d, the highest kfollow reads",
		       g->name, g->line, MAX_CPUS - 1);
		return NULL;
	}
	if (cpu >= g->ncpus) {
		struct cpu_state *n = realloc(g->cpus, (cpu + 1) * sizeof(*n));

		if (!n) {
			kf_err(KF_EXIT_OSERR, "out of memory");
			return NULL;
		}
		memset(n + g->ncpus, 0, (cpu + 1 - g->ncpus) * sizeof(*n));
		for (int i = g->ncpus; i <= cpu; i++)
			n[i].pid = -1 - i; /* no task column: one per CPU */
		g->cpus = n;
		g->ncpus = cpu + 1;
	}
	return &g->cpus[cpu];
}

/* The open function at depth (depth < MAX_DEPTH), growing the array; NULL
 * with kf_err set when out of memory. */
static struct open_fn *open_at(struct cpu_state *cs, int depth)
{
	if (depth >= cs->nopen) {
		int n = cs->nopen ? cs->nopen : 16;
		struct open_fn *o;

		while (n <= depth)
			n *= 2;
		if (n > MAX_DEPTH)
			n = MAX_DEPTH;
		o = realloc(cs->open, n * sizeof(*o));
		if (!o) {
			kf_err(KF_EXIT_OSERR, "out of memory");
			return NULL;
		}
		memset(o + cs->nopen, 0, (n - cs->nopen) * sizeof(*o));
		cs->open = o;
		cs->nopen = n;
	}
	return &cs->open[depth];
}

static const char *skip_sp(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

static const char *rskip_sp(const char *b, const char *e)
{
	while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	return e;
}

/* Is [b, e) a number: an optional sign, digits, at most one dot? */
static int numeric(const char *b, const char *e, int *dots)
{
	int digits = 0;

	*dots = 0;
	if (b < e && (*b == '-' || *b == '+'))
		b++;
	for (; b < e; b++) {
		if (*b == '.')
			++*dots;
		else if (isdigit((unsigned char)*b))
			digits++;
		else
			return 0;
	}
	return digits > 0 && *dots <= 1;
}

/* "  123.456789 " -> ns; returns 0 if the text is exactly a time,
 * BAD_NUMBER if it is a number but not one (sign, too many digits). */
static int parse_abstime(const char *b, const char *e, uint64_t *ns)
{
	uint64_t sec = 0, frac = 0;
	int digits = 0, fd = 0, dots;

	b = skip_sp(b, e);
	e = rskip_sp(b, e);
	if (!numeric(b, e, &dots) || dots != 1)
		return NOT_SHAPE;
	while (b < e && isdigit((unsigned char)*b)) {
		if (++digits > MAX_SEC_DIGITS)
			return BAD_NUMBER;
		sec = sec * 10 + (*b++ - '0');
	}
	if (!digits || b >= e || *b != '.')
		return BAD_NUMBER;
	b++;
	while (b < e && isdigit((unsigned char)*b) && fd < 9) {
		frac = frac * 10 + (*b++ - '0');
		fd++;
	}
	if (b != e || fd < 6)
		return BAD_NUMBER;
	while (fd++ < 9)
		frac *= 10;
	*ns = sec * 1000000000ull + frac;
	return 0;
}

/* Find "N)" (the CPU column) in [b, e); returns the CPU, NOT_SHAPE, or
 * BAD_NUMBER for "-1)".  A CPU too large for an int comes back as INT_MAX,
 * which cpu_get refuses. */
static int parse_cpu(const char *b, const char *e, const char **after)
{
	const char *p = skip_sp(b, e);
	int cpu = 0, digits = 0, sign = 0;

	if (p + 1 < e && (*p == '-' || *p == '+') &&
	    isdigit((unsigned char)p[1])) {
		sign = 1;
		p++;
	}
	while (p < e && isdigit((unsigned char)*p)) {
		if (cpu <= MAX_CPUS)
			cpu = cpu * 10 + (*p - '0');
		p++;
		digits++;
	}
	if (!digits || p >= e || *p != ')')
		return NOT_SHAPE;
	if (sign)
		return BAD_NUMBER;
	*after = p + 1;
	return cpu > MAX_CPUS ? INT_MAX : cpu;
}

/* "comm-pid" (comm may hold spaces and dashes): the pid after the last
 * dash.  Returns 0 with *pid set, the comm in [*cb, *ce). */
static int parse_task(const char *b, const char *e, int32_t *pid,
		      const char **cb, const char **ce)
{
	const char *dash;
	long v = 0;

	b = skip_sp(b, e);
	e = rskip_sp(b, e);
	for (dash = e; dash > b && dash[-1] != '-'; dash--)
		;
	if (dash <= b + 1 || dash == e)
		return -1;
	for (const char *p = dash; p < e; p++)
		if (!isdigit((unsigned char)*p))
			return NOT_SHAPE;
	for (const char *p = dash; p < e; p++) {
		if (v > 100000000)
			return BAD_NUMBER; /* the kernel's pids stop at 2^22 */
		v = v * 10 + (*p - '0');
	}
	*pid = (int32_t)v;
	*cb = b;
	*ce = dash - 1;
	return 0;
}

/* The duration column: "+ 10.440 us", "  0.962 us", "1234567 us".
 * BAD_NUMBER for "-5 us", "1.2.3 us" or more digits than fit. */
static int parse_duration(const char *b, const char *e, uint64_t *ns)
{
	const char *u, *num;
	uint64_t whole = 0, frac = 0;
	int fd = 0, digits = 0, dots;

	e = rskip_sp(b, e);
	if (e - b < 4 || memcmp(e - 2, "us", 2) || e[-3] != ' ')
		return NOT_SHAPE;
	u = e - 3;
	/* back over the number, and a sign stuck to it (the overhead marks
	 * "+ " and "! " have a space after them) */
	while (u > b && (isdigit((unsigned char)u[-1]) || u[-1] == '.' ||
			 u[-1] == '-' || u[-1] == '+'))
		u--;
	num = u;
	if (num == e - 3)
		return NOT_SHAPE;
	if (!numeric(num, e - 3, &dots) || *num == '-' || *num == '+')
		return BAD_NUMBER;
	for (; u < e - 3 && *u != '.'; u++, digits++)
		whole = whole * 10 + (*u - '0');
	if (u < e - 3 && *u == '.')
		for (u++; u < e - 3 && fd < 3; u++, fd++)
			frac = frac * 10 + (*u - '0');
	if (!digits || digits > MAX_US_DIGITS)
		return BAD_NUMBER;
	while (fd++ < 3)
		frac *= 10;
	*ns = whole * 1000 + frac;
	return 0;
}

static int emit(struct fg *g, struct kf_event *ev)
{
	return g->sink.event(g->sink.ctx, ev);
}

/* Digits at [*p, e) as an unsigned number below max; advances *p.
 * NOT_SHAPE if there are none, BAD_NUMBER for a sign or too large. */
static int parse_count(const char **p, const char *e, uint64_t max,
		       uint64_t *v)
{
	const char *q = *p;

	*v = 0;
	if (q < e && (*q == '-' || *q == '+'))
		return q + 1 < e && isdigit((unsigned char)q[1]) ?
		       BAD_NUMBER : NOT_SHAPE;
	if (q >= e || !isdigit((unsigned char)*q))
		return NOT_SHAPE;
	for (; q < e && isdigit((unsigned char)*q); q++) {
		if (*v > (max - (*q - '0')) / 10)
			return BAD_NUMBER;
		*v = *v * 10 + (*q - '0');
	}
	*p = q;
	return 0;
}

/* "CPU:1 [LOST 24 EVENTS]": 0 with *cpu and *n, NOT_SHAPE, BAD_NUMBER */
static int parse_lost(const char *p, const char *e, int *cpu, uint64_t *n)
{
	uint64_t c;
	int r;

	p += 4;
	if ((r = parse_count(&p, e, UINT64_MAX, &c)) < 0)
		return r;
	if (e - p < 7 || memcmp(p, " [LOST ", 7))
		return NOT_SHAPE;
	p += 7;
	if ((r = parse_count(&p, e, UINT64_MAX, n)) < 0)
		return r;
	if (e - p < 8 || memcmp(p, " EVENTS]", 8))
		return NOT_SHAPE;
	*cpu = c > MAX_CPUS ? INT_MAX : (int)c; /* refused by cpu_get */
	return 0;
}

/* Lines outside the call trees: lost events, task switches, irqs.
 * Returns 0, BAD_NUMBER (handled, to be counted) or -1 with kf_err set. */
static int special_line(struct fg *g, const char *b, const char *e,
			struct kf_fgtext_stats *st, int *handled)
{
	const char *p;
	int cpu, r;

	*handled = 1;
	p = skip_sp(b, e);
	if (e - p > 4 && !memcmp(p, "CPU:", 4)) {
		uint64_t n = 0;
		struct kf_event ev = { .type = KF_EV_LOST };
		struct cpu_state *cs;

		r = parse_lost(p, rskip_sp(p, e), &cpu, &n);
		if (r == BAD_NUMBER)
			return BAD_NUMBER;
		if (r < 0)
			goto not_special;
		if (!(cs = cpu_get(g, cpu)))
			return -1;
		ev.cpu = (uint16_t)cpu;
		ev.pid = cs->pid;
		ev.ts = cs->clock;
		ev.lost.count = (int64_t)n;
		st->lost += n;
		cs->lost += n;
		g->m->meta.lost += n;
		return emit(g, &ev);
	}
	if (e - p >= 6 && !memcmp(p, "------", 6))
		return 0;
	if (memmem(p, e - p, "(Overruns:", 10))
		return 0;
	cpu = parse_cpu(b, e, &p);
	if (cpu == BAD_NUMBER)
		return BAD_NUMBER;
	if (cpu < 0)
		goto not_special;
	{
		const char *arrow = memmem(p, e - p, " => ", 4);
		struct cpu_state *cs;
		const char *cb, *ce;
		int32_t pid;

		int in = !!memmem(p, e - p, "==========>", 11);
		int out = !!memmem(p, e - p, "<==========", 11);

		/* a graph line: its CPU is checked there, after its numbers */
		if (!in && !out && (!arrow || memchr(p, '|', e - p)))
			goto not_special;
		if (!(cs = cpu_get(g, cpu)))
			return -1;
		if (in || out) {
			cs->irq = in;
			return 0;
		}
		/* " 0)    sh-94     =>    cat-121   ": a switch */
		r = parse_task(arrow + 4, e, &pid, &cb, &ce);
		if (r == BAD_NUMBER)
			return BAD_NUMBER;
		if (r == 0)
			cs->pid = pid;
		return 0;
	}
not_special:
	*handled = 0;
	return 0;
}

/* What one function_graph line says, column by column. */
struct gline {
	const char *fn;		/* the function column, its spaces skipped */
	uint64_t ts, dur;
	int cpu, depth;
	uint8_t have_ts, have_cpu;
	enum { GL_OPEN, GL_LEAF, GL_CLOSE } kind;
	const char *name, *name_end; /* NULL name: a brace without one */
	const char *args, *args_end; /* funcgraph-args' "a=1, b=0x2", or NULL */
};

/* The task column changed the CPU's task: say so with an exec event. */
static int task_seen(struct fg *g, int cpu, int32_t tp, const char *cb,
		     const char *ce)
{
	struct cpu_state *cs = cpu_get(g, cpu);
	struct kf_event xe = { .type = KF_EV_EXEC, .pid = tp,
			       .cpu = (uint16_t)cpu };

	if (!cs)
		return -1;
	if (cs->pid == tp)
		return 0;
	xe.ts = cs->clock;
	cs->pid = tp;
	xe.task.comm = kf_strtab_intern_n(&g->m->strs, cb, ce - cb);
	return emit(g, &xe);
}

/*
 * One column before the function's: the absolute time (only first), the
 * CPU, a duration, a task, or latency flags ("d..1.", ignored).  Returns
 * 0, BAD_NUMBER, or -1 with kf_err set.
 */
static int graph_column(struct fg *g, const char *p, const char *segend,
			struct gline *l)
{
	const char *after, *cb, *ce;
	int c, r = NOT_SHAPE, t = NOT_SHAPE;
	int32_t tp;
	uint64_t v;

	if (!l->have_ts && !l->have_cpu)
		r = parse_abstime(p, segend, &v);
	if (r == BAD_NUMBER)
		return BAD_NUMBER;
	if (r == 0) {
		l->ts = v;
		l->have_ts = 1;
		return 0;
	}
	c = parse_cpu(p, segend, &after);
	if (c == BAD_NUMBER)
		return BAD_NUMBER;
	if (c >= 0 && !l->have_cpu) {
		l->cpu = c;
		l->have_cpu = 1;
		p = after;
	}
	p = skip_sp(p, segend);
	if (p >= segend)
		return 0;
	r = parse_duration(p, segend, &v);
	if (r == NOT_SHAPE)
		t = parse_task(p, segend, &tp, &cb, &ce);
	if (r == BAD_NUMBER || t == BAD_NUMBER)
		return BAD_NUMBER;
	if (r == 0)
		l->dur = v;
	else if (t == 0)
		return task_seen(g, l->cpu, tp, cb, ce);
	return 0;
}

/*
 * The columns of a line and the depth its function column's indentation
 * gives.  Returns 0, 1 (not a graph line), BAD_NUMBER, or -1.
 */
static int graph_columns(struct fg *g, const char *b, const char *e,
			 struct gline *l)
{
	const char *bar, *fn, *p;
	int spaces = 0, r;

	/* the function column: after the last '|' */
	for (bar = e; bar > b && bar[-1] != '|'; bar--)
		;
	if (bar == b) {
		/* funcgraph-duration off: " 1)   func() {" with no bars */
		l->cpu = parse_cpu(b, e, &fn);
		if (l->cpu == BAD_NUMBER)
			return BAD_NUMBER;
		if (l->cpu < 0)
			return 1;
		l->have_cpu = 1;
	} else {
		fn = bar;
	}
	for (; fn < e && *fn == ' '; fn++)
		spaces++;
	l->fn = fn;
	if (bar == b) {
		/* " N) " then one space, then two per level */
		l->depth = spaces > 1 ? (spaces - 1) / 2 : 0;
		return 0;
	}
	if (spaces < 2)
		return 1;
	l->depth = (spaces - 2) / 2;
	for (p = b; p < bar - 1;) {
		const char *q = memchr(p, '|', (size_t)((bar - 1) - p));

		r = graph_column(g, p, q ? q : bar - 1, l);
		if (r)
			return r;
		if (!q)
			break;
		p = q + 1;
	}
	return 0;
}

/*
 * The function column: "func() {" opens, "func();" is a leaf, "}" closes
 * and may carry a comment with the name and the return value.  Returns 0,
 * or 1 when it is none of these.
 */
static int graph_function(const char *e, struct gline *l)
{
	const char *fn = l->fn, *p = rskip_sp(fn, e);

	if (fn >= p)
		return 1;
	l->name = fn;
	l->name_end = p;
	if (*fn == '}') {
		const char *end = p, *ce = p;

		l->kind = GL_CLOSE;
		l->name = NULL;
		p = skip_sp(fn + 1, end);
		if (end - p > 5 && !memcmp(p, "/*", 2)) {
			p = skip_sp(p + 2, ce);
			while (ce > p && (ce[-1] == '/' || ce[-1] == '*' ||
					  ce[-1] == ' '))
				ce--;
			/* "do_sys_openat2 = 0x3" or "ret=..." */
			l->name = l->name_end = p;
			while (l->name_end < ce && *l->name_end != ' ' &&
			       *l->name_end != '=')
				l->name_end++;
			if (l->name_end == p || !strncmp(p, "ret", 3))
				l->name = NULL;
		}
	} else {
		const char *paren = memchr(fn, '(', (size_t)(p - fn));

		if (!paren || paren == fn)
			return 1;
		const char *close;

		l->name_end = paren;
		/* "func() {", or with funcgraph-args "func(a=1, b=0x2) {" */
		if (p - paren >= 4 && !memcmp(p - 3, ") {", 3)) {
			l->kind = GL_OPEN;
			close = p - 3;
		} else if ((close = memmem(paren, (size_t)(p - paren), ");",
					   2))) {
			l->kind = GL_LEAF;
		} else {
			return 1;
		}
		l->args = NULL;
		if (close > paren + 1) {
			l->args = paren + 1;
			l->args_end = close;
		}
	}
	for (p = l->name; p && p < l->name_end; p++)
		if (!(isalnum((unsigned char)*p) || strchr("_.$@:[]-", *p)))
			return 1;
	return 0;
}

/* With no task column the CPU stands for the task: name it once. */
static int name_cpu_task(struct fg *g, struct cpu_state *cs, int cpu)
{
	struct kf_event xe = { .type = KF_EV_EXEC, .pid = cs->pid,
			       .cpu = (uint16_t)cpu, .ts = cs->clock };
	char nm[16];

	if (cs->pid >= 0 || cs->named)
		return 0;
	snprintf(nm, sizeof(nm), "cpu%d", cpu);
	xe.task.comm = kf_strtab_intern(&g->m->strs, nm);
	cs->named = 1;
	return emit(g, &xe);
}

/* "func();": an entry and its exit, dur apart. */
static int emit_leaf(struct fg *g, struct cpu_state *cs,
		     const struct gline *l, struct kf_event *ev)
{
	uint64_t start = l->have_ts ? l->ts : cs->clock;
	uint32_t func = ev->entry.func;

	ev->type = KF_EV_ENTRY;
	ev->ts = start;
	ev->entry.depth = l->depth;
	if (emit(g, ev) < 0)
		return -1;
	memset(&ev->exit, 0, sizeof(ev->exit));
	ev->type = KF_EV_EXIT;
	ev->exit.func = func;
	ev->exit.depth = l->depth;
	ev->exit.calltime = start;
	ev->exit.rettime = start + l->dur;
	ev->ts = start + l->dur;
	if (emit(g, ev) < 0)
		return -1;
	if (start + l->dur > cs->clock)
		cs->clock = start + l->dur;
	return 0;
}

/* "}": the exit of the function open at this depth. */
static int emit_close(struct fg *g, struct cpu_state *cs,
		      const struct gline *l, struct open_fn *of,
		      struct kf_event *ev)
{
	uint64_t end, start;
	uint32_t func;

	if (l->name)
		func = kf_strtab_intern_n(&g->m->strs, l->name,
					  l->name_end - l->name);
	else
		func = of->func ? of->func : g->unknown;
	if (l->have_ts) {
		end = l->ts;
		start = end > l->dur ? end - l->dur : 0;
	} else {
		start = of->func == func ? of->start : cs->clock;
		end = start + l->dur;
		/* children took longer than the parent's duration
		 * (rounding): keep the order */
		if (end < cs->clock)
			end = cs->clock;
	}
	if (end > cs->clock)
		cs->clock = end;
	of->func = 0;
	ev->type = KF_EV_EXIT;
	ev->ts = end;
	ev->exit.func = func;
	ev->exit.depth = l->depth;
	ev->exit.calltime = start;
	ev->exit.rettime = end;
	return emit(g, ev);
}

/* Returns 0 (a record), 1 (not understood), BAD_NUMBER, or -1 with
 * kf_err set. */
static int graph_line(struct fg *g, const char *b, const char *e,
		      struct kf_fgtext_stats *st)
{
	struct gline l = { 0 };
	struct kf_event ev = { 0 };
	struct open_fn *of = NULL;
	struct cpu_state *cs;
	int r;

	r = graph_columns(g, b, e, &l);
	if (r)
		return r;
	cs = cpu_get(g, l.cpu);
	if (!cs)
		return -1;
	if (l.depth >= MAX_DEPTH)
		return 1;
	if (name_cpu_task(g, cs, l.cpu) < 0)
		return -1;
	if (graph_function(e, &l))
		return 1;
	ev.pid = cs->pid;
	ev.cpu = (uint16_t)l.cpu;
	ev.ctx = cs->irq ? KF_CTX_HARDIRQ : 0;
	if (l.kind != GL_CLOSE)
		ev.entry.func = kf_strtab_intern_n(&g->m->strs, l.name,
						   l.name_end - l.name);
	if (l.kind != GL_CLOSE && l.args)
		ev.entry.args = kf_strtab_intern_n(&g->m->strs, l.args,
			(size_t)(l.args_end - l.args) < KF_BTF_ARGS_MAX ?
			(size_t)(l.args_end - l.args) : KF_BTF_ARGS_MAX);
	if (l.kind != GL_LEAF && !(of = open_at(cs, l.depth)))
		return -1;
	if (l.kind == GL_OPEN) {
		if (!l.have_ts)
			l.ts = cs->clock;
		else if (l.ts > cs->clock)
			cs->clock = l.ts;
		of->func = ev.entry.func;
		of->start = l.ts;
		ev.type = KF_EV_ENTRY;
		ev.ts = l.ts;
		ev.entry.depth = l.depth;
		r = emit(g, &ev);
	} else if (l.kind == GL_LEAF) {
		r = emit_leaf(g, cs, &l, &ev);
	} else {
		r = emit_close(g, cs, &l, of, &ev);
	}
	if (r < 0)
		return -1;
	st->records++;
	return 0;
}

/*
 * One line [p, le): skipped (comment, blank, too long, a NUL), special
 * (a switch, an interrupt's edge, lost events) or a graph line; what it
 * was is counted in st.  Returns 0 or -1 (kf_err).
 */
static int one_line(struct fg *g, const char *p, const char *le,
		    struct kf_fgtext_stats *st)
{
	/* a last line of blanks has no newline to stop skip_sp at */
	const char *text = skip_sp(p, le);
	int handled, r;

	if (le <= p || le - p > MAX_LINE || memchr(p, '\0', (size_t)(le - p)) ||
	    (text < le && *text == '#')) {
		st->skipped++;
		return 0;
	}
	r = special_line(g, p, le, st, &handled);
	if (r >= 0 && !handled)
		r = graph_line(g, p, le, st);
	if (r == BAD_NUMBER) {
		/* never guess what a broken number meant */
		if (!st->bad++)
			st->bad_line = st->lines;
	} else if (r < 0) {
		return -1;
	} else if (r > 0) {
		st->skipped++;
	}
	return 0;
}

/* The events lost on each CPU, added to the model's meta. */
static int add_lost(struct fg *g, struct kf_model *m)
{
	if (g->ncpus > m->meta.ncpus) {
		uint64_t *l = realloc(m->meta.lost_cpu,
				      g->ncpus * sizeof(*l));

		if (!l)
			return kf_err(KF_EXIT_OSERR, "out of memory");
		memset(l + m->meta.ncpus, 0,
		       (g->ncpus - m->meta.ncpus) * sizeof(*l));
		m->meta.lost_cpu = l;
		m->meta.ncpus = g->ncpus;
	}
	for (int i = 0; i < g->ncpus; i++)
		m->meta.lost_cpu[i] += g->cpus[i].lost;
	return 0;
}

int kf_fgtext_parse(const char *buf, size_t len, struct kf_model *m,
		    struct kf_sink sink, const char *name,
		    struct kf_fgtext_stats *stats)
{
	struct fg g = { .m = m, .sink = sink, .name = name };
	struct kf_fgtext_stats st = { 0 };
	const char *p = buf, *end = buf + len;
	int rc = -1;

	if (!kf_fgtext_sniff(buf, len))
		return kf_err(KF_EXIT_DATAERR, "'%s' is not function_graph "
			      "text (no '# tracer: function_graph' header and "
			      "no graph lines)", name);
	g.unknown = kf_strtab_intern(&m->strs, "[unknown]");
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		const char *le = nl ? nl : end;

		st.lines++;
		g.line = st.lines;
		if (le > p && le[-1] == '\r')
			le--;
		if (one_line(&g, p, le, &st) < 0)
			goto out;
		p = nl ? nl + 1 : end;
	}
	if (st.records == 0)
		kf_err(KF_EXIT_DATAERR, "'%s' holds no function_graph records "
		       "(was the tracer function_graph, and did it run?)",
		       name);
	else if (add_lost(&g, m) == 0)
		rc = 0;
out:
	for (int i = 0; i < g.ncpus; i++)
		free(g.cpus[i].open);
	free(g.cpus);
	if (stats)
		*stats = st;
	return rc;
}

int kf_fgtext_sniff(const char *buf, size_t len)
{
	size_t n = len < 65536 ? len : 65536;
	const char *p = buf, *end = buf + n;
	int lines = 0;

	if (memmem(buf, n, "# tracer: function_graph", 24))
		return 1;
	/* a headerless trace_pipe: graph-shaped lines */
	while (p < end && lines < 50) {
		const char *nl = memchr(p, '\n', end - p);
		const char *le = nl ? nl : end;

		if (memchr(p, '|', le - p) &&
		    (memmem(p, le - p, "() {", 4) || memmem(p, le - p, "();", 3)))
			return 1;
		lines++;
		p = nl ? nl + 1 : end;
	}
	return 0;
}
