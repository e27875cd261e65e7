// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * procsum.c - per process and per syscall totals (kf_procsum.h): the
 * --summary of a syscall-boundary capture, and its drill-down command.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kf_capfile.h"
#include "kf_common.h"
#include "kf_procsum.h"
#include "kf_view.h"

const char *kf_call_name(const struct kf_model *m, const struct kf_call *c)
{
	if (c->sys != KF_NONE && c->sys < m->nsys)
		return kf_strtab_get(&m->strs, m->sys[c->sys].name);
	if (c->root != KF_NONE && c->root < m->nnodes)
		return kf_strtab_get(&m->strs, kf_node_get(m, c->root)->func);
	return "?";
}

void kf_sys_sum_add(struct kf_sys_sum *s, const struct kf_call *c)
{
	uint64_t d = c->end > c->start ? c->end - c->start : 0;

	s->calls++;
	s->errors += (c->flags & KF_CALL_HAS_RET) && c->ret < 0 &&
		     c->ret >= -4095;
	s->total += d;
	if (d > s->max)
		s->max = d;
}

int kf_sys_sum_cmp(const void *a, const void *b)
{
	const struct kf_sys_sum *x = a, *y = b;

	if (x->total != y->total)
		return x->total < y->total ? 1 : -1;
	return strcmp(x->name, y->name);
}

static int proc_cmp(const void *a, const void *b)
{
	const struct kf_proc_sum *x = a, *y = b;

	if (x->all.total != y->all.total)
		return x->all.total < y->all.total ? 1 : -1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

void kf_procsum_release(struct kf_procsum *ps)
{
	uint32_t i;

	for (i = 0; i < ps->nprocs; i++)
		free(ps->procs[i].sys);
	free(ps->procs);
	memset(ps, 0, sizeof(*ps));
}

/* The slot of syscall name in p (found, or added), or NULL if all of
 * p->cap are taken. */
static struct kf_sys_sum *sys_slot(struct kf_proc_sum *p, const char *name)
{
	uint32_t k;

	/* few syscalls a process: a search beats a table per process */
	for (k = 0; k < p->nsys; k++)
		if (p->sys[k].name == name || !strcmp(p->sys[k].name, name))
			return &p->sys[k];
	if (p->nsys == p->cap)
		return NULL;
	memset(&p->sys[p->nsys], 0, sizeof(p->sys[0]));
	p->sys[p->nsys].name = name;
	return &p->sys[p->nsys++];
}

int kf_procsum_init(struct kf_procsum *ps, const struct kf_model *m)
{
	return kf_procsum_init_calls(ps, m, NULL, m->ncalls);
}

/* The row of task pid (last: the previous call's, the usual case),
 * added if new.  NULL when out of memory. */
static struct kf_proc_sum *proc_of(struct kf_procsum *ps, int32_t pid,
				   uint32_t *last, uint32_t nslots)
{
	struct kf_proc_sum *p;
	uint32_t k = *last;

	if (k == KF_NONE || ps->procs[k].pid != pid)
		for (k = 0; k < ps->nprocs && ps->procs[k].pid != pid; k++)
			;
	p = &ps->procs[k];
	if (k == ps->nprocs) {
		p->pid = pid;
		p->sys = calloc(nslots, sizeof(*p->sys));
		if (!p->sys)
			return NULL;
		p->cap = nslots;
		ps->nprocs++;
	}
	*last = k;
	return p;
}

int kf_procsum_init_calls(struct kf_procsum *ps, const struct kf_model *m,
			  const uint32_t *calls, uint32_t ncalls)
{
	/* a process uses at most every syscall the model knows; function
	 * mode's roots may be more (then the slots grow) */
	uint32_t i, k, last = KF_NONE;

	memset(ps, 0, sizeof(*ps));
	ps->procs = calloc(ncalls ? ncalls : 1, sizeof(*ps->procs));
	if (!ps->procs)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	for (i = 0; i < ncalls; i++) {
		uint32_t ci = calls ? calls[i] : i;
		const struct kf_call *c;
		struct kf_proc_sum *p;
		struct kf_sys_sum *s;

		if (ci >= m->ncalls) {
			kf_procsum_release(ps);
			return kf_err(KF_EXIT_SOFTWARE, "no call %u", ci);
		}
		c = &m->calls[ci];
		p = proc_of(ps, c->pid, &last, m->nsys + 1);
		if (!p)
			goto oom;
		if (c->comm != KF_NONE)
			p->comm = kf_strtab_get(&m->strs, c->comm);
		s = sys_slot(p, kf_call_name(m, c));
		if (!s) {
			struct kf_sys_sum *n = realloc(p->sys, 2 * p->cap *
						       sizeof(*n));

			if (!n)
				goto oom;
			p->sys = n;
			p->cap *= 2;
			s = sys_slot(p, kf_call_name(m, c));
		}
		kf_sys_sum_add(s, c);
		kf_sys_sum_add(&p->all, c);
	}
	for (k = 0; k < ps->nprocs; k++)
		qsort(ps->procs[k].sys, ps->procs[k].nsys,
		      sizeof(*ps->procs[k].sys), kf_sys_sum_cmp);
	qsort(ps->procs, ps->nprocs, sizeof(*ps->procs), proc_cmp);
	return 0;
oom:
	kf_procsum_release(ps);
	return kf_err(KF_EXIT_OSERR, "out of memory");
}

int kf_procsum_drill(const struct kf_procsum *ps, const struct kf_model *m,
		     char *buf, size_t len)
{
	const struct kf_proc_sum *p = ps->nprocs ? &ps->procs[0] : NULL;
	const char *cmd = m->meta.command;
	int n;

	if (!p || !p->nsys || !strcmp(p->sys[0].name, "?"))
		return -1;
	/* attached (-p) or a cgroup's tasks: the process again, if it still
	 * runs; a command: the same command, which follows its children */
	if (!cmd || !strncmp(cmd, "-p ", 3) || m->meta.cgroup)
		n = snprintf(buf, len, "kfollow -p %d %s", (int)p->pid,
			     p->sys[0].name);
	else
		n = snprintf(buf, len, "kfollow %s -- %s", p->sys[0].name, cmd);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

static void json_u64(FILE *f, const char *key, uint64_t v)
{
	fprintf(f, ", \"%s\": %llu", key, (unsigned long long)v);
}

static int json_sum(FILE *f, const struct kf_sys_sum *s)
{
	json_u64(f, "calls", s->calls);
	json_u64(f, "errors", s->errors);
	json_u64(f, "total_ns", s->total);
	json_u64(f, "avg_ns", s->calls ? s->total / s->calls : 0);
	json_u64(f, "max_ns", s->max);
	return 0;
}

static int write_json(FILE *f, const struct kf_procsum *ps, const char *drill)
{
	uint32_t i, k;
	int rc = 0;

	fputs(",\n \"processes\": [", f);
	for (i = 0; i < ps->nprocs && rc == 0; i++) {
		const struct kf_proc_sum *p = &ps->procs[i];

		fprintf(f, "%s{\"pid\": %d, \"comm\": ", i ? ",\n  " : "\n  ",
			(int)p->pid);
		rc = kf_json_string(f, p->comm ? p->comm : "");
		json_sum(f, &p->all);
		fputs(", \"syscalls\": [", f);
		for (k = 0; k < p->nsys && rc == 0; k++) {
			fputs(k ? ",\n    {\"name\": " : "\n    {\"name\": ", f);
			rc = kf_json_string(f, p->sys[k].name);
			json_sum(f, &p->sys[k]);
			fputc('}', f);
		}
		fputs("]}", f);
	}
	fputs("],\n \"drill_down\": ", f);
	if (drill)
		rc = rc ? rc : kf_json_string(f, drill);
	else
		fputs("null", f);
	return rc;
}

/* Only printable ASCII: safe on a terminal as it is, and a shell reads
 * it back (escaping would double the quoting's backslashes). */
static int printable(const char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e)
			return 0;
	return 1;
}

/* One row of the text tables: the columns of strace -c. */
static void text_row(FILE *f, const struct kf_sys_sum *s, const char *name)
{
	char t[32], a[32], mx[32], buf[512];
	struct kf_out o;

	kf_view_fmt_dur(t, sizeof(t), s->total);
	kf_view_fmt_dur(a, sizeof(a), s->calls ? s->total / s->calls : 0);
	kf_view_fmt_dur(mx, sizeof(mx), s->max);
	kf_out_init(&o, buf, sizeof(buf));
	kf_out_printf(&o, "%10llu %9llu %11s %11s %11s  ",
		      (unsigned long long)s->calls,
		      (unsigned long long)s->errors, t, a, mx);
	kf_out_escape(&o, name, strlen(name));
	fprintf(f, "%s\n", buf);
}

int kf_procsum_write(FILE *f, const struct kf_procsum *ps,
		     const struct kf_model *m, int json)
{
	char drill[4096], esc[4096], who[128], name[128];
	int have = kf_procsum_drill(ps, m, drill, sizeof(drill)) == 0;
	uint32_t i, k;

	if (json)
		return write_json(f, ps, have ? drill : NULL);
	fprintf(f, "# per process, by total time\n");
	for (i = 0; i < ps->nprocs; i++) {
		const struct kf_proc_sum *p = &ps->procs[i];

		fprintf(f, "%s[%d]\n     calls    errors       total     average"
			"         max  syscall\n",
			kf_escape(who, sizeof(who), p->comm ? p->comm : "?"),
			(int)p->pid);
		for (k = 0; k < p->nsys; k++)
			text_row(f, &p->sys[k], p->sys[k].name);
		text_row(f, &p->all, "(total)");
		fputc('\n', f);
	}
	if (have) {
		const struct kf_proc_sum *p = &ps->procs[0];
		char t[32];

		kf_view_fmt_dur(t, sizeof(t), p->sys[0].total);
		/* a fallback capture: this kernel refused function_graph */
		fprintf(f, "# slowest: %s in %s[%d], %s in %llu calls; to follow "
			"it into the kernel (function_graph%s):\n#   %s\n",
			kf_escape(name, sizeof(name), p->sys[0].name),
			kf_escape(who, sizeof(who), p->comm ? p->comm : "?"),
			(int)p->pid, t, (unsigned long long)p->sys[0].calls,
			m->meta.degraded ? ", which this capture's kernel "
			"refused: on another kernel, or with --vm" : "",
			printable(drill) ? drill :
			kf_escape(esc, sizeof(esc), drill));
	}
	return 0;
}
