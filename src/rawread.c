// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rawread.c - decode per-CPU ring-buffer pages into kf_events.
 *
 * Pages are parsed with libtraceevent's kbuffer; each record's fields are
 * read at the offsets and sizes the event's format file gave, with bounds
 * checks against the record's size (pages are outside data).  CPUs are
 * merged oldest first.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event-parse.h>
#include <kbuffer.h>

#include "kf_btfargs.h"
#include "kf_common.h"
#include "kf_raw.h"

enum evkind {
	EV_FG_ENTRY = 1, EV_FG_EXIT, EV_SYS_ENTER, EV_SYS_EXIT,
	EV_EXEC, EV_FORK, EV_PEXIT, EV_STRING, EV_RETVAL, EV_SWITCH,
	EV_WAKEUP, EV_STRLIST, EV_BYTES, EV_FDNEW,
};

struct fld {
	int ok;
	int off, size;
	int sign, dyn, rel;
};

struct evdef {
	int kind;
	uint32_t sys;
	int arg;
	uint32_t func;                  /* EV_RETVAL: strtab id */
	union {                         /* the fields of each kind */
		struct {                /* EV_FG_ENTRY, EV_FG_EXIT */
			struct fld func, depth, overrun, calltime, rettime;
			int args_off;   /* funcgraph-args' registers */
		} fg;
		struct {                /* EV_SYS_ENTER, EV_SYS_EXIT */
			struct fld nr, ret;
		} sys;
		struct {                /* EV_EXEC */
			struct fld filename, pid;
		} exec;
		struct {                /* EV_FORK */
			struct fld parent, child, comm;
		} fork;
		struct {                /* EV_PEXIT */
			struct fld pid, comm;
		} exit;
		struct {                /* EV_STRING, EV_RETVAL */
			struct fld value;
		} str;
		struct {                /* EV_SWITCH */
			struct fld prev, next, prev_comm, next_comm, state;
		} sw;
		struct {                /* EV_WAKEUP */
			struct fld pid;
		} wake;
	} f;
	int nargs;
	struct fld args[KF_MAX_ARGS];
	struct fld strs[KF_MAX_ARGS];   /* strings the kernel recorded */
	int nlist;
	struct fld list[KF_RAW_LIST_MAX]; /* EV_STRLIST: the strings */
	struct fld lptr[KF_RAW_LIST_MAX]; /* and their pointers; EV_BYTES:
					   * the buffer's 64-bit words */
	struct fld count;                 /* EV_BYTES: its length */
};

#define PAGE_PAD 64
/* ring-buffer page header flags in the commit word (kernel ring_buffer.c) */
#define RB_MISSED_EVENTS (1ull << 31)
#define RB_MISSED_STORED (1ull << 30)

struct page {
	struct page *next;
	size_t size;
	unsigned char data[];
};

struct cpuq {
	struct page *head, *tail;  /* queued; head is loaded when ev != NULL */
	struct kbuffer *kbuf;
	int loaded;
	void *ev;
	unsigned long long ts;
	/* live reading: the newest record time read from this CPU (every
	 * record still unread here is newer), and the time below which this
	 * CPU's records are all in hand because it was read dry a pass ago */
	uint64_t last_ts, safe_ts, dry_max;
};

struct symcache {
	uint64_t addr;
	uint32_t id;
	int used;
};

struct kf_raw {
	struct tep_handle *tep;
	struct kf_model *m;
	int ncpus;
	struct cpuq *cpus;
	struct evdef **byid;
	int nbyid;
	struct fld common_type, common_pid, common_flags;
	kf_symbolize_fn sym;
	void *sym_ctx;
	struct symcache *syms;
	uint32_t nsyms, syms_cap;
	struct kf_raw_stats st;
	struct kf_btfargs *btf;  /* names funcgraph-args' registers, or NULL */
	/* live reading: the newest record time read from any CPU */
	struct kbuffer *walk;
	uint64_t max_ts;
};

static int oom(void)
{
	return kf_err(KF_EXIT_OSERR, "out of memory while reading events");
}

static void fld_set(struct fld *f, const struct tep_format_field *tf)
{
	if (!tf)
		return;
	f->ok = 1;
	f->off = tf->offset;
	f->size = tf->size;
	f->sign = !!(tf->flags & TEP_FIELD_IS_SIGNED);
	f->dyn = !!(tf->flags & TEP_FIELD_IS_DYNAMIC);
	f->rel = !!(tf->flags & TEP_FIELD_IS_RELATIVE);
}

static int fld_get(struct tep_event *ev, const char *name, struct fld *f)
{
	struct tep_format_field *tf = tep_find_field(ev, name);

	if (!tf)
		tf = tep_find_common_field(ev, name);
	fld_set(f, tf);
	return f->ok ? 0 : -1;
}

/* Read a number field, sign-extended if the format says signed. */
static int rd_num(const struct kf_raw *r, const unsigned char *data, int len,
		  const struct fld *f, uint64_t *v)
{
	uint64_t x;

	if (!f->ok || f->off < 0 || f->size <= 0 || f->size > 8 ||
	    f->off + f->size > len)
		return -1;
	x = tep_read_number(r->tep, data + f->off, f->size);
	if (f->sign && f->size < 8 && (x >> (f->size * 8 - 1)) & 1)
		x |= ~0ULL << (f->size * 8);
	*v = x;
	return 0;
}

/* A string field: a fixed char array or a __data_loc/__rel_loc one. */
static int rd_str(const struct kf_raw *r, const unsigned char *data, int len,
		  const struct fld *f, const char **s, size_t *slen)
{
	const unsigned char *p;
	size_t off, n;

	if (!f->ok || f->off < 0 || f->off + f->size > len)
		return -1;
	if (f->dyn) {
		uint64_t loc;

		if (f->size != 4)
			return -1;
		loc = tep_read_number(r->tep, data + f->off, 4);
		off = loc & 0xffff;
		n = (loc >> 16) & 0xffff;
		if (f->rel)
			off += f->off + f->size;
	} else {
		off = f->off;
		n = f->size;
	}
	if (off > (size_t)len || n > (size_t)len - off)
		return -1;
	p = data + off;
	*s = (const char *)p;
	*slen = strnlen((const char *)p, n);
	return 0;
}

struct kf_raw *kf_raw_new(struct tep_handle *tep, struct kf_model *m,
			  int ncpus, kf_symbolize_fn sym, void *sym_ctx)
{
	struct kf_raw *r;
	struct tep_event *fg;
	int i;

	if (ncpus <= 0 || ncpus > 8192) {
		kf_err(KF_EXIT_SOFTWARE, "invalid CPU count %d", ncpus);
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (!r || !(r->cpus = calloc(ncpus, sizeof(*r->cpus))))
		goto fail;
	r->tep = tep;
	r->m = m;
	r->ncpus = ncpus;
	r->sym = sym;
	r->sym_ctx = sym_ctx;
	for (i = 0; i < ncpus; i++)
		if (!(r->cpus[i].kbuf = tep_kbuffer(tep)))
			goto fail;
	if (!m->meta.lost_cpu || m->meta.ncpus < ncpus) {
		uint64_t *l = realloc(m->meta.lost_cpu, ncpus * sizeof(*l));

		if (!l)
			goto fail;
		for (i = m->meta.lost_cpu ? m->meta.ncpus : 0; i < ncpus; i++)
			l[i] = 0;
		m->meta.lost_cpu = l;
		m->meta.ncpus = ncpus;
	}

	/* the common fields are the same in every event */
	fg = tep_find_event_by_name(tep, "ftrace", "funcgraph_entry");
	if (!fg)
		fg = tep_find_event_by_name(tep, "sched", "sched_process_exit");
	if (!fg) {
		struct tep_event **all = tep_list_events(tep, TEP_EVENT_SORT_ID);

		fg = all ? all[0] : NULL;
	}
	if (!fg || fld_get(fg, "common_type", &r->common_type) < 0 ||
	    fld_get(fg, "common_pid", &r->common_pid) < 0) {
		kf_err(KF_EXIT_UNAVAILABLE,
		       "cannot read event formats: no common fields");
		kf_raw_free(r);
		return NULL;
	}
	fld_get(fg, "common_flags", &r->common_flags);
	return r;
fail:
	oom();
	kf_raw_free(r);
	return NULL;
}

void kf_raw_set_btf(struct kf_raw *r, struct kf_btfargs *b)
{
	r->btf = b;
}

void kf_raw_free(struct kf_raw *r)
{
	int i;

	if (!r)
		return;
	for (i = 0; r->cpus && i < r->ncpus; i++) {
		struct page *p = r->cpus[i].head;

		while (p) {
			struct page *n = p->next;

			free(p);
			p = n;
		}
		if (r->cpus[i].kbuf)
			kbuffer_free(r->cpus[i].kbuf);
	}
	if (r->walk)
		kbuffer_free(r->walk);
	for (i = 0; i < r->nbyid; i++)
		free(r->byid[i]);
	free(r->byid);
	free(r->cpus);
	free(r->syms);
	free(r);
}

static int set_def(struct kf_raw *r, int id, struct evdef *d)
{
	if (id < 0 || id > 65535) {
		free(d);
		return kf_err(KF_EXIT_UNAVAILABLE, "invalid event id %d", id);
	}
	if (id >= r->nbyid) {
		struct evdef **n = realloc(r->byid, (id + 1) * sizeof(*n));

		if (!n) {
			free(d);
			return oom();
		}
		memset(n + r->nbyid, 0, (id + 1 - r->nbyid) * sizeof(*n));
		r->byid = n;
		r->nbyid = id + 1;
	}
	free(r->byid[id]);
	r->byid[id] = d;
	return 0;
}

static struct evdef *def_new(int kind)
{
	struct evdef *d = calloc(1, sizeof(*d));

	if (d) {
		d->kind = kind;
		d->sys = KF_NONE;
	}
	return d;
}

#define FLD(name, member) { name, offsetof(struct evdef, member) }

/* The function_graph and sched events, and the fields read of each. */
static const struct base_event {
	const char *sys, *name;
	int kind;
	struct {
		const char *name;
		size_t off;	/* of its struct fld in struct evdef */
	} fld[5];
} base_events[] = {
	{ "ftrace", "funcgraph_entry", EV_FG_ENTRY, {
		FLD("func", f.fg.func), FLD("depth", f.fg.depth) } },
	{ "ftrace", "funcgraph_exit", EV_FG_EXIT, {
		FLD("func", f.fg.func), FLD("depth", f.fg.depth),
		FLD("overrun", f.fg.overrun), FLD("calltime", f.fg.calltime),
		FLD("rettime", f.fg.rettime) } },
	{ "sched", "sched_process_exec", EV_EXEC, {
		FLD("filename", f.exec.filename), FLD("pid", f.exec.pid) } },
	{ "sched", "sched_process_fork", EV_FORK, {
		FLD("parent_pid", f.fork.parent),
		FLD("child_pid", f.fork.child),
		FLD("child_comm", f.fork.comm) } },
	{ "sched", "sched_process_exit", EV_PEXIT, {
		FLD("pid", f.exit.pid), FLD("comm", f.exit.comm) } },
	{ "sched", "sched_switch", EV_SWITCH, {
		FLD("prev_pid", f.sw.prev), FLD("next_pid", f.sw.next),
		FLD("prev_comm", f.sw.prev_comm),
		FLD("next_comm", f.sw.next_comm),
		FLD("prev_state", f.sw.state) } },
	{ "sched", "sched_waking", EV_WAKEUP, {
		FLD("pid", f.wake.pid) } },
};

/*
 * Where funcgraph-args' registers start in an entry record: the format's
 * "args" array where it names one, else right after depth, 8-aligned
 * (the kernel packs the record).  0 when depth is unknown.
 */
static int fg_args_off(struct tep_event *e, const struct fld *depth)
{
	struct tep_format_field *tf = tep_find_field(e, "args");

	if (tf && tf->offset > 0)
		return tf->offset;
	if (!depth->ok)
		return 0;
	return (depth->off + depth->size + 7) & ~7;
}

/* Register the base events the kernel has. */
static int add_base_events(struct kf_raw *r)
{
	const struct base_event *b;
	struct tep_event *e;
	struct evdef *d;
	size_t i, k;

	for (i = 0; i < sizeof(base_events) / sizeof(base_events[0]); i++) {
		b = &base_events[i];
		e = tep_find_event_by_name(r->tep, b->sys, b->name);
		if (!e)
			continue;
		if (!(d = def_new(b->kind)))
			return oom();
		for (k = 0; k < 5 && b->fld[k].name; k++)
			fld_get(e, b->fld[k].name,
				(struct fld *)((char *)d + b->fld[k].off));
		if (b->kind == EV_FG_ENTRY)
			d->f.fg.args_off = fg_args_off(e, &d->f.fg.depth);
		if (set_def(r, e->id, d) < 0)
			return -1;
	}
	return 0;
}

/* The kind of a syscall argument from its C type and name. */
static uint8_t arg_kind(const char *type, const char *name)
{
	if (strchr(type, '*')) {
		/* const char * of a name or path is a string; a write()
		 * buffer is not */
		if (strstr(type, "char") && strstr(type, "const") &&
		    (strstr(name, "name") || strstr(name, "path") ||
		     strstr(name, "file")))
			return KF_ARG_STR;
		return KF_ARG_PTR;
	}
	if (strstr(type, "unsigned") || strstr(type, "size_t") ||
	    strstr(type, "umode_t") || strstr(type, "u32") ||
	    strstr(type, "u64") || strstr(type, "dev_t") ||
	    strstr(type, "uid_t") || strstr(type, "gid_t"))
		return KF_ARG_UINT;
	return KF_ARG_INT;
}

/*
 * The fields of a sys_enter_* event: the arguments, in order, into d and
 * the syscall's descriptor sd; "__NAME_val" fields (strings the kernel
 * recorded itself) into d->strs at their argument.
 */
static void enter_fields(struct kf_raw *r, struct tep_event *en,
			 struct evdef *d, struct kf_sysdesc *sd)
{
	struct tep_format_field **fields = tep_event_fields(en);
	int i, k;

	sd->nargs = 0;
	for (i = 0; fields && fields[i]; i++) {
		struct tep_format_field *f = fields[i];

		if (strcmp(f->name, "__syscall_nr") == 0) {
			fld_set(&d->f.sys.nr, f);
			continue;
		}
		if (strncmp(f->name, "__", 2) == 0) {
			/* "__filename_val": the kernel recorded the string */
			for (k = 0; k < sd->nargs; k++) {
				const char *an = kf_strtab_get(&r->m->strs,
							       sd->argname[k]);
				size_t al = strlen(an);

				if (!strncmp(f->name + 2, an, al) &&
				    !strcmp(f->name + 2 + al, "_val"))
					fld_set(&d->strs[k], f);
			}
			continue;
		}
		if (sd->nargs >= KF_MAX_ARGS)
			continue;
		fld_set(&d->args[sd->nargs], f);
		sd->argname[sd->nargs] = kf_strtab_intern(&r->m->strs, f->name);
		sd->argkind[sd->nargs] = arg_kind(f->type, f->name);
		sd->nargs++;
	}
	free(fields);
}

uint32_t kf_raw_add_syscall(struct kf_raw *r, const char *name)
{
	char ev_name[300];
	struct tep_event *en, *ex;
	struct kf_sysdesc *sd;
	struct evdef *d;
	uint32_t sys;

	if (!r->nbyid && add_base_events(r) < 0)
		return KF_NONE;
	snprintf(ev_name, sizeof(ev_name), "sys_enter_%s", name);
	en = tep_find_event_by_name(r->tep, "syscalls", ev_name);
	snprintf(ev_name, sizeof(ev_name), "sys_exit_%s", name);
	ex = tep_find_event_by_name(r->tep, "syscalls", ev_name);
	if (!en || !ex) {
		kf_err(KF_EXIT_UNAVAILABLE, "this kernel has no events for "
		       "syscall '%s' (events/syscalls/sys_enter_%s)", name, name);
		return KF_NONE;
	}
	sys = kf_model_sys_get(r->m, name);
	if (sys == KF_NONE) {
		oom();
		return KF_NONE;
	}
	sd = &r->m->sys[sys];
	if (!(d = def_new(EV_SYS_ENTER))) {
		oom();
		return KF_NONE;
	}
	d->sys = sys;
	enter_fields(r, en, d, sd);
	d->nargs = sd->nargs;
	if (set_def(r, en->id, d) < 0)
		return KF_NONE;
	if (!(d = def_new(EV_SYS_EXIT))) {
		oom();
		return KF_NONE;
	}
	d->sys = sys;
	fld_get(ex, "__syscall_nr", &d->f.sys.nr);
	fld_get(ex, "ret", &d->f.sys.ret);
	if (set_def(r, ex->id, d) < 0)
		return KF_NONE;
	return sys;
}

unsigned kf_raw_kernel_strings(struct kf_raw *r, uint32_t sys)
{
	unsigned mask = 0;
	int i, k;

	for (i = 0; i < r->nbyid; i++) {
		struct evdef *d = r->byid[i];

		if (!d || d->kind != EV_SYS_ENTER || d->sys != sys)
			continue;
		for (k = 0; k < KF_MAX_ARGS; k++)
			if (d->strs[k].ok)
				mask |= 1u << k;
	}
	return mask;
}

/* A dynamic event of kind EV_STRING or EV_RETVAL, its value in field:
 * into *dp (set_def takes it with *dp's other members filled). */
static int value_event(struct kf_raw *r, const char *system,
		       const char *event, const char *field, int kind,
		       struct evdef **dp, struct tep_event **ep)
{
	struct tep_event *e = tep_find_event_by_name(r->tep, system, event);
	struct evdef *d;

	if (!e)
		return kf_err(KF_EXIT_UNAVAILABLE, "no event '%s/%s'", system,
			      event);
	if (!(d = def_new(kind)))
		return oom();
	if (fld_get(e, field, &d->f.str.value) < 0) {
		free(d);
		return kf_err(KF_EXIT_UNAVAILABLE, "event '%s/%s' has no field "
			      "'%s'", system, event, field);
	}
	*dp = d;
	*ep = e;
	return 0;
}

int kf_raw_add_string_event(struct kf_raw *r, const char *system,
			    const char *event, const char *field, uint32_t sys,
			    int arg)
{
	struct tep_event *e;
	struct evdef *d;

	if (value_event(r, system, event, field, EV_STRING, &d, &e) < 0)
		return -1;
	d->sys = sys;
	d->arg = arg;
	return set_def(r, e->id, d);
}

/*
 * A probe of kind EV_STRLIST or EV_BYTES with n slots: list i in field
 * PREFIXi, then (EV_STRLIST) its pointer in pi, or (EV_BYTES) the word i
 * in bi and the length in n.  For syscall sys, argument arg.
 */
static int slots_event(struct kf_raw *r, const char *system,
		       const char *event, int kind, const char *prefix, int n,
		       uint32_t sys, int arg)
{
	struct tep_event *e = tep_find_event_by_name(r->tep, system, event);
	struct evdef *d;
	char name[32];
	int i, nf = kind == EV_STRLIST ? 2 * n : n + 1;

	if (!e)
		return kf_err(KF_EXIT_UNAVAILABLE, "no event '%s/%s'", system,
			      event);
	if (n < 2 || n > KF_RAW_LIST_MAX)
		return kf_err(KF_EXIT_SOFTWARE, "a probe of %d slots", n);
	if (!(d = def_new(kind)))
		return oom();
	for (i = 0; i < nf; i++) {
		struct fld *f;

		if (kind == EV_STRLIST) {
			snprintf(name, sizeof(name), "%s%d",
				 i < n ? prefix : "p", i % n);
			f = i < n ? &d->list[i] : &d->lptr[i - n];
		} else {
			snprintf(name, sizeof(name), i < n ? "b%d" : "n", i);
			f = i < n ? &d->lptr[i] : &d->count;
		}
		if (fld_get(e, name, f) < 0) {
			free(d);
			return kf_err(KF_EXIT_UNAVAILABLE, "event '%s/%s' has "
				      "no field '%s'", system, event, name);
		}
	}
	d->nlist = n;
	d->sys = sys;
	d->arg = arg;
	return set_def(r, e->id, d);
}

int kf_raw_add_strlist_event(struct kf_raw *r, const char *system,
			     const char *event, const char *prefix, int n,
			     uint32_t sys, int arg)
{
	return slots_event(r, system, event, EV_STRLIST, prefix, n, sys, arg);
}

int kf_raw_add_bytes_event(struct kf_raw *r, const char *system,
			   const char *event, int nwords, uint32_t sys, int arg)
{
	return slots_event(r, system, event, EV_BYTES, "b", nwords, sys, arg);
}

int kf_raw_add_fdnew_event(struct kf_raw *r, const char *system,
			   const char *event, const char *field)
{
	struct tep_event *e;
	struct evdef *d;

	if (value_event(r, system, event, field, EV_FDNEW, &d, &e) < 0)
		return -1;
	return set_def(r, e->id, d);
}

int kf_raw_add_retval_event(struct kf_raw *r, const char *system,
			    const char *event, const char *field,
			    const char *func)
{
	struct tep_event *e;
	struct evdef *d;

	if (value_event(r, system, event, field, EV_RETVAL, &d, &e) < 0)
		return -1;
	d->func = kf_strtab_intern(&r->m->strs, func);
	if (d->func == KF_NONE) {
		free(d);
		return oom();
	}
	return set_def(r, e->id, d);
}

static int page_sane(const struct kf_raw *r, const struct page *p);

/* The time of a page's last record, for the live watermark. */
static void note_newest(struct kf_raw *r, struct cpuq *q, const struct page *p)
{
	unsigned long long ts = 0, last = 0;
	void *ev, *next;

	if (!r->walk && !(r->walk = tep_kbuffer(r->tep)))
		return;
	if (!page_sane(r, p) || kbuffer_load_subbuffer(r->walk,
						       (void *)p->data) < 0)
		return;
	/* as in next_event: a malformed record can stop the iterator from
	 * moving, so stop where it does not move forward within the page */
	for (ev = kbuffer_read_event(r->walk, &ts); ev; ev = next) {
		last = ts;
		next = kbuffer_next_event(r->walk, &ts);
		if (next && ((unsigned char *)next <= (unsigned char *)ev ||
			     (unsigned char *)next >= p->data + p->size))
			break;
	}
	if (last > q->last_ts)
		q->last_ts = last;
	if (last > r->max_ts)
		r->max_ts = last;
}

void kf_raw_dry(struct kf_raw *r, int cpu)
{
	struct cpuq *q;

	if (cpu < 0 || cpu >= r->ncpus)
		return;
	q = &r->cpus[cpu];
	/*
	 * This CPU was read dry before, and again now: every record it
	 * wrote before the earlier read is in hand, and those include all
	 * of its records older than the newest record read (from any CPU)
	 * by then.  One read of lag leaves a record that was being written
	 * during the earlier read the time to be committed.
	 */
	q->safe_ts = q->dry_max;
	q->dry_max = r->max_ts;
}

void kf_raw_drained(struct kf_raw *r)
{
	int i;

	for (i = 0; i < r->ncpus; i++)
		kf_raw_dry(r, i);
}

int kf_raw_add_page(struct kf_raw *r, int cpu, const void *data, size_t size)
{
	struct cpuq *q;
	struct page *p;
	uint64_t ts;

	if (cpu < 0 || cpu >= r->ncpus)
		return kf_err(KF_EXIT_SOFTWARE, "page from unknown CPU %d", cpu);
	if (size < 16)
		return 0;
	/* zero padding: libtraceevent may peek a few bytes past a record */
	p = malloc(sizeof(*p) + size + PAGE_PAD);
	if (!p)
		return oom();
	p->next = NULL;
	p->size = size;
	memcpy(p->data, data, size);
	memset(p->data + size, 0, PAGE_PAD);
	q = &r->cpus[cpu];
	if (q->tail)
		q->tail->next = p;
	else
		q->head = p;
	q->tail = p;
	ts = tep_read_number(r->tep, p->data, 8);
	if (ts > q->last_ts)
		q->last_ts = ts;
	note_newest(r, q, p);
	r->st.pages++;
	r->st.bytes += size;
	return 0;
}

static uint32_t func_id(struct kf_raw *r, uint64_t addr)
{
	uint32_t slot, i;
	const char *name;
	char hex[24];

	if (r->nsyms * 2 >= r->syms_cap) {
		uint32_t cap = r->syms_cap ? r->syms_cap * 2 : 4096;
		struct symcache *n = calloc(cap, sizeof(*n));

		if (!n)
			return KF_NONE;
		for (i = 0; i < r->syms_cap; i++) {
			if (!r->syms[i].used)
				continue;
			slot = (uint32_t)((r->syms[i].addr * 0x9e3779b97f4a7c15ull)
					  >> 40) & (cap - 1);
			while (n[slot].used)
				slot = (slot + 1) & (cap - 1);
			n[slot] = r->syms[i];
		}
		free(r->syms);
		r->syms = n;
		r->syms_cap = cap;
	}
	slot = (uint32_t)((addr * 0x9e3779b97f4a7c15ull) >> 40) &
	       (r->syms_cap - 1);
	while (r->syms[slot].used) {
		if (r->syms[slot].addr == addr)
			return r->syms[slot].id;
		slot = (slot + 1) & (r->syms_cap - 1);
	}
	name = r->sym ? r->sym(r->sym_ctx, addr) : NULL;
	if (!name) {
		snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)addr);
		name = hex;
	}
	r->syms[slot].used = 1;
	r->syms[slot].addr = addr;
	r->syms[slot].id = kf_strtab_intern(&r->m->strs, name);
	r->nsyms++;
	return r->syms[slot].id;
}

static uint8_t ctx_of(const struct kf_raw *r, const unsigned char *data,
		      int len)
{
	uint64_t fl = 0;
	uint8_t ctx = 0;

	/* TRACE_FLAG_HARDIRQ 0x08, SOFTIRQ 0x10, NMI 0x40 (kernel/trace/trace.h) */
	if (rd_num(r, data, len, &r->common_flags, &fl) < 0)
		return 0;
	if (fl & 0x40)
		ctx |= KF_CTX_NMI;
	if (fl & 0x08)
		ctx |= KF_CTX_HARDIRQ;
	if (fl & 0x10)
		ctx |= KF_CTX_SOFTIRQ;
	return ctx;
}

static uint32_t intern_comm(struct kf_raw *r, const char *s, size_t n)
{
	if (n > 15)
		n = 15;  /* TASK_COMM_LEN - 1 */
	return kf_strtab_intern_n(&r->m->strs, s, n);
}

/* Decode one record into ev; returns 1 to deliver, 0 to skip, -1 on OOM. */
/* what a decoder returns besides 1 (an event) and -1 (kf_err) */
#define DEC_SKIP 0	/* nothing to build from: not counted as bad */
#define DEC_BAD 2	/* a record that does not hold what its format says */

/* The arguments every decoder gets: the record and the event to fill. */
struct rec {
	struct kf_raw *r;
	const struct evdef *d;
	const unsigned char *data;
	int len;
};

static int num(const struct rec *c, const struct fld *f, uint64_t *v)
{
	return rd_num(c->r, c->data, c->len, f, v);
}

/*
 * With funcgraph-args the entry record goes on with the argument
 * registers (the same event id, a longer record): name and format them
 * from BTF.  A record without them is left as it is.
 */
static void fg_args(const struct rec *c, struct kf_event *ev)
{
	int off = c->d->f.fg.args_off, n, k;
	uint64_t regs[KF_BTF_REGS];
	char buf[KF_BTF_ARGS_MAX];

	if (off <= 0 || c->len - off < 8)
		return;
	n = (c->len - off) / 8;
	if (n > KF_BTF_REGS)
		n = KF_BTF_REGS;
	for (k = 0; k < n; k++)
		memcpy(&regs[k], c->data + off + 8 * k, 8);
	if (kf_btfargs_format(c->r->btf, kf_strtab_get(&c->r->m->strs,
						       ev->entry.func),
			      regs, n, buf, sizeof(buf)) > 0)
		ev->entry.args = kf_strtab_intern(&c->r->m->strs, buf);
}

static int dec_fg_entry(const struct rec *c, struct kf_event *ev)
{
	uint64_t v, w;

	ev->type = KF_EV_ENTRY;
	if (num(c, &c->d->f.fg.func, &v) < 0 ||
	    num(c, &c->d->f.fg.depth, &w) < 0)
		return DEC_BAD;
	ev->entry.func = func_id(c->r, v);
	ev->entry.depth = (int32_t)w;
	ev->entry.args = KF_NONE;
	if (ev->entry.func == KF_NONE)
		return -1;
	if (c->r->btf)
		fg_args(c, ev);
	return 1;
}

static int dec_fg_exit(const struct rec *c, struct kf_event *ev)
{
	const struct evdef *d = c->d;
	uint64_t v, w;

	ev->type = KF_EV_EXIT;
	if (num(c, &d->f.fg.func, &v) < 0 || num(c, &d->f.fg.depth, &w) < 0 ||
	    num(c, &d->f.fg.calltime, &ev->exit.calltime) < 0 ||
	    num(c, &d->f.fg.rettime, &ev->exit.rettime) < 0)
		return DEC_BAD;
	ev->exit.func = func_id(c->r, v);
	ev->exit.depth = (int32_t)w;
	if (d->f.fg.overrun.ok && num(c, &d->f.fg.overrun, &v) == 0)
		ev->exit.overrun = (uint32_t)v;
	return ev->exit.func == KF_NONE ? -1 : 1;
}

static int dec_sys_enter(const struct rec *c, struct kf_event *ev)
{
	int k;

	ev->type = KF_EV_SYS_ENTER;
	ev->sys_enter.sys = c->d->sys;
	for (k = 0; k < c->d->nargs; k++)
		if (num(c, &c->d->args[k], &ev->sys_enter.args[k]) < 0)
			return DEC_BAD;
	return 1;
}

static int dec_sys_exit(const struct rec *c, struct kf_event *ev)
{
	uint64_t v;

	ev->type = KF_EV_SYS_EXIT;
	ev->sys_exit.sys = c->d->sys;
	if (num(c, &c->d->f.sys.ret, &v) < 0)
		return DEC_BAD;
	ev->sys_exit.ret = (int64_t)v;
	return 1;
}

/* sched_process_exec: the task's new name is the file's base name. */
static int dec_exec(const struct rec *c, struct kf_event *ev)
{
	const char *s, *base, *e, *p;
	size_t sl;
	uint64_t v;

	ev->type = KF_EV_EXEC;
	if (num(c, &c->d->f.exec.pid, &v) == 0)
		ev->pid = (int32_t)v;
	if (rd_str(c->r, c->data, c->len, &c->d->f.exec.filename, &s, &sl) < 0)
		return DEC_BAD;
	for (base = s, e = s + sl, p = s; p < e; p++)
		if (*p == '/')
			base = p + 1;
	ev->task.comm = intern_comm(c->r, base, e - base);
	return 1;
}

static int dec_fork(const struct rec *c, struct kf_event *ev)
{
	const char *s;
	uint64_t v, w;
	size_t sl;

	ev->type = KF_EV_FORK;
	if (num(c, &c->d->f.fork.parent, &v) < 0 ||
	    num(c, &c->d->f.fork.child, &w) < 0)
		return DEC_BAD;
	ev->pid = (int32_t)v;
	ev->fork.child = (int32_t)w;
	if (rd_str(c->r, c->data, c->len, &c->d->f.fork.comm, &s, &sl) == 0)
		ev->fork.comm = intern_comm(c->r, s, sl);
	return 1;
}

static int dec_switch(const struct rec *c, struct kf_event *ev)
{
	const struct evdef *d = c->d;
	const char *s;
	uint64_t v, w;
	size_t sl;

	ev->type = KF_EV_SWITCH;
	if (num(c, &d->f.sw.prev, &v) < 0 || num(c, &d->f.sw.next, &w) < 0)
		return DEC_BAD;
	ev->sw.prev = (int32_t)v;
	ev->sw.next = (int32_t)w;
	if (num(c, &d->f.sw.state, &v) == 0)
		ev->sw.prev_state = (int64_t)v;
	if (rd_str(c->r, c->data, c->len, &d->f.sw.prev_comm, &s, &sl) == 0)
		ev->sw.prev_comm = intern_comm(c->r, s, sl);
	if (rd_str(c->r, c->data, c->len, &d->f.sw.next_comm, &s, &sl) == 0)
		ev->sw.next_comm = intern_comm(c->r, s, sl);
	return 1;
}

static int dec_wakeup(const struct rec *c, struct kf_event *ev)
{
	uint64_t v;

	ev->type = KF_EV_WAKEUP;
	if (num(c, &c->d->f.wake.pid, &v) < 0)
		return DEC_BAD;
	ev->wake.pid = (int32_t)v;
	return 1;
}

static int dec_pexit(const struct rec *c, struct kf_event *ev)
{
	const char *s;
	uint64_t v;
	size_t sl;

	ev->type = KF_EV_TASK_EXIT;
	if (num(c, &c->d->f.exit.pid, &v) == 0)
		ev->pid = (int32_t)v;
	if (rd_str(c->r, c->data, c->len, &c->d->f.exit.comm, &s, &sl) == 0)
		ev->task.comm = intern_comm(c->r, s, sl);
	return 1;
}

/* A string a syscall argument points to, read by kfollow's kprobe. */
static int dec_string(const struct rec *c, struct kf_event *ev)
{
	const char *s;
	size_t sl;

	ev->type = KF_EV_STRING;
	if (rd_str(c->r, c->data, c->len, &c->d->f.str.value, &s, &sl) < 0)
		return DEC_BAD;
	/* a kprobe that could not read user memory (a page not yet in)
	 * records "" (6.1) or "(fault)": the string is unknown, so the
	 * header shows the pointer rather than a false "" */
	if (sl == 0 || (sl == 7 && !memcmp(s, "(fault)", 7)))
		return DEC_SKIP;
	ev->string.sys = c->d->sys;
	ev->string.arg = c->d->arg;
	ev->string.str = kf_strtab_intern_n(&c->r->m->strs, s, sl);
	return 1;
}

/*
 * A list of strings (execve's argv), one field each and one for each
 * pointer, up to the NULL pointer that ends the list: joined by
 * KF_LIST_SEP, and ending in KF_LIST_MORE when the last field held one
 * (the list may go on) or a string could not be read.
 */
static int dec_strlist(const struct rec *c, struct kf_event *ev)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int i, n = 0;

	ev->type = KF_EV_STRING;
	f = open_memstream(&buf, &len);
	if (!f)
		return oom();
	for (i = 0; i < c->d->nlist; i++) {
		const char *s;
		size_t sl;
		uint64_t ptr;

		if (num(c, &c->d->lptr[i], &ptr) < 0 || ptr == 0)
			break;
		if (rd_str(c->r, c->data, c->len, &c->d->list[i], &s, &sl) < 0 ||
		    (sl == 7 && !memcmp(s, "(fault)", 7)) ||
		    i == c->d->nlist - 1) {
			fputc(KF_LIST_MORE, f);
			break;
		}
		if (n++)
			fputc(KF_LIST_SEP, f);
		fwrite(s, 1, sl, f);
	}
	if (fclose(f) != 0) {
		free(buf);
		return oom();
	}
	if (!n) {
		free(buf);
		return DEC_SKIP;
	}
	ev->string.sys = c->d->sys;
	ev->string.arg = c->d->arg;
	ev->string.str = kf_strtab_intern_n(&c->r->m->strs, buf, len);
	free(buf);
	return ev->string.str == KF_NONE ? oom() : 1;
}

/*
 * The first bytes of a buffer the syscall writes, read by kfollow's probe
 * as 64-bit words (little-endian: x86-64, arm64): cut to its length, and
 * at a NUL as the kernel's own copies are; "" (a page it could not read)
 * leaves the pointer.
 */
static int dec_bytes(const struct rec *c, struct kf_event *ev)
{
	unsigned char buf[8 * KF_RAW_LIST_MAX];
	uint64_t n, w;
	size_t len;
	int i, b;

	ev->type = KF_EV_STRING;
	if (num(c, &c->d->count, &n) < 0)
		return DEC_BAD;
	for (i = 0; i < c->d->nlist; i++) {
		if (num(c, &c->d->lptr[i], &w) < 0)
			return DEC_BAD;
		for (b = 0; b < 8; b++)
			buf[8 * i + b] = (unsigned char)(w >> (8 * b));
	}
	len = 8 * (size_t)c->d->nlist;
	if (n < len)
		len = (size_t)n;
	len = strnlen((const char *)buf, len);
	if (!len)
		return DEC_SKIP;
	ev->string.sys = c->d->sys;
	ev->string.arg = c->d->arg;
	ev->string.str = kf_strtab_intern_n(&c->r->m->strs, (const char *)buf,
					    len);
	return ev->string.str == KF_NONE ? oom() : 1;
}

/* A new fd of the task, read by kfollow's probe on fd_install. */
static int dec_fdnew(const struct rec *c, struct kf_event *ev)
{
	uint64_t v;

	ev->type = KF_EV_FDNEW;
	if (num(c, &c->d->f.str.value, &v) < 0)
		return DEC_BAD;
	ev->fdnew.fd = (int32_t)v;
	return 1;
}

/* A return value, read by kfollow's return probe. */
static int dec_retval(const struct rec *c, struct kf_event *ev)
{
	uint64_t v;

	ev->type = KF_EV_RETVAL;
	if (num(c, &c->d->f.str.value, &v) < 0)
		return DEC_BAD;
	ev->retval.func = c->d->func;
	ev->retval.val = (int64_t)v;
	return 1;
}

static int decode(struct kf_raw *r, int cpu, const unsigned char *data,
		  int len, uint64_t ts, struct kf_event *ev)
{
	struct rec c = { r, NULL, data, len };
	uint64_t type, v;
	int rc;

	if (rd_num(r, data, len, &r->common_type, &type) < 0) {
		r->st.bad++;
		return 0;
	}
	if (type >= (uint64_t)r->nbyid || !(c.d = r->byid[type])) {
		r->st.skipped++;
		return 0;
	}
	memset(ev, 0, sizeof(*ev));
	ev->ts = ts;
	ev->cpu = cpu;
	if (rd_num(r, data, len, &r->common_pid, &v) < 0) {
		r->st.bad++;
		return 0;
	}
	ev->pid = (int32_t)v;
	ev->ctx = ctx_of(r, data, len);
	switch (c.d->kind) {
	case EV_FG_ENTRY: rc = dec_fg_entry(&c, ev); break;
	case EV_FG_EXIT: rc = dec_fg_exit(&c, ev); break;
	case EV_SYS_ENTER: rc = dec_sys_enter(&c, ev); break;
	case EV_SYS_EXIT: rc = dec_sys_exit(&c, ev); break;
	case EV_EXEC: rc = dec_exec(&c, ev); break;
	case EV_FORK: rc = dec_fork(&c, ev); break;
	case EV_PEXIT: rc = dec_pexit(&c, ev); break;
	case EV_STRING: rc = dec_string(&c, ev); break;
	case EV_STRLIST: rc = dec_strlist(&c, ev); break;
	case EV_BYTES: rc = dec_bytes(&c, ev); break;
	case EV_FDNEW: rc = dec_fdnew(&c, ev); break;
	case EV_RETVAL: rc = dec_retval(&c, ev); break;
	case EV_SWITCH: rc = dec_switch(&c, ev); break;
	case EV_WAKEUP: rc = dec_wakeup(&c, ev); break;
	default: rc = DEC_SKIP;
	}
	if (rc == DEC_BAD)
		r->st.bad++;
	if (rc != 1)
		return rc < 0 ? -1 : 0;
	r->st.events++;
	r->st.entries += ev->type == KF_EV_ENTRY;
	r->st.exits += ev->type == KF_EV_EXIT;
	return 1;
}

/* Kernel-recorded string arguments travel as separate events. */
static int sys_strings(struct kf_raw *r, const unsigned char *data, int len,
		       const struct kf_event *enter, struct kf_sink sink)
{
	uint64_t type;
	const struct evdef *d;
	struct kf_event ev;
	const char *s;
	size_t sl;
	int k;

	if (rd_num(r, data, len, &r->common_type, &type) < 0 ||
	    type >= (uint64_t)r->nbyid || !(d = r->byid[type]))
		return 0;
	for (k = 0; k < d->nargs; k++) {
		if (!d->strs[k].ok || rd_str(r, data, len, &d->strs[k], &s,
					     &sl) < 0)
			continue;
		ev = *enter;
		ev.type = KF_EV_STRING;
		ev.string.sys = d->sys;
		ev.string.arg = k;
		ev.string.str = kf_strtab_intern_n(&r->m->strs, s, sl);
		if (sink.event(sink.ctx, &ev) < 0)
			return -1;
	}
	return 0;
}

/*
 * Does every record header in [off, end) move forward?  libtraceevent
 * (1.7) loops for ever inside kbuffer_load_subbuffer() on a padding
 * record whose length is -4, so the lengths are checked the way kbuffer
 * reads them before it sees the page.
 */
static int records_move(const struct kf_raw *r, const struct page *p,
			size_t off, size_t end)
{
	int big = tep_is_file_bigendian(r->tep);

	while (off + 4 <= end) {
		uint32_t h = tep_read_number(r->tep, p->data + off, 4);
		unsigned int type_len = big ? h >> 27 : h & 31;
		int64_t start = off + 4, len;

		if (type_len == 0 || type_len == 29) {
			/* a 4-byte padding ends a page; any other header
			 * cut by the commit is a lie about the size */
			if (off + 8 > end)
				return type_len == 29 && off + 4 == end;
			len = (int32_t)tep_read_number(r->tep,
						       p->data + off + 4, 4);
			if (type_len == 0) {
				/* the length word counts itself */
				start += 4;
				len = (len - 4 + 3) & ~(int64_t)3;
			}
		} else if (type_len >= 30) {
			start += 4;       /* time extend or stamp */
			len = 0;
		} else {
			len = type_len * 4;
		}
		if (start + len <= (int64_t)off)
			return 0;
		off = start + len;
	}
	/* 1-3 bytes left: records are 4-byte aligned, so the commit size is
	 * wrong (libtraceevent then reads a header past it; fuzz_raw found
	 * one that hangs kbuffer_load_subbuffer) */
	return off >= end;
}

/*
 * Check the page header before libtraceevent sees it: kbuffer trusts the
 * commit size, and a page is outside data.
 */
static int page_sane(const struct kf_raw *r, const struct page *p)
{
	size_t lsize = tep_get_long_size(r->tep) == 4 ? 4 : 8;
	size_t hdr = 8 + lsize, need;
	uint64_t commit;

	if (p->size < hdr)
		return 0;
	commit = tep_read_number(r->tep, p->data + 8, lsize);
	need = hdr + (commit & (RB_MISSED_STORED - 1));
	if (commit & RB_MISSED_STORED)
		need += lsize;
	return need <= p->size &&
	       records_move(r, p, hdr, hdr + (commit & (RB_MISSED_STORED - 1)));
}

/* Make q->ev the next record of CPU cpu, loading pages as needed. */
static int next_event(struct kf_raw *r, int cpu, struct kf_sink sink)
{
	struct cpuq *q = &r->cpus[cpu];

	if (q->loaded && q->ev) {
		unsigned char *prev = q->ev;

		q->ev = kbuffer_next_event(q->kbuf, &q->ts);
		/* a malformed record can stop the iterator from moving: the
		 * rest of the page cannot be trusted */
		if (q->ev && ((unsigned char *)q->ev <= prev ||
			      (unsigned char *)q->ev >= q->head->data +
			      q->head->size)) {
			r->st.bad++;
			q->ev = NULL;
		}
		if (q->ev)
			return 0;
	}
	for (;;) {
		struct page *p;
		int missed;

		if (q->loaded) {
			/* done with the head page */
			p = q->head;
			q->head = p->next;
			if (!q->head)
				q->tail = NULL;
			r->st.bytes -= p->size;
			free(p);
			q->loaded = 0;
		}
		if (!q->head) {
			q->ev = NULL;
			return 0;
		}
		p = q->head;
		if (!page_sane(r, p) ||
		    kbuffer_load_subbuffer(q->kbuf, p->data) < 0) {
			/* a page that lies about its size: skip it */
			r->st.bad++;
			q->loaded = 1;
			continue;
		}
		q->loaded = 1;
		missed = kbuffer_missed_events(q->kbuf);
		if (missed) {
			struct kf_event ev = { .type = KF_EV_LOST, .cpu = cpu,
					       .pid = -1 };

			ev.ts = kbuffer_subbuf_timestamp(q->kbuf, p->data);
			ev.lost.count = missed > 0 ? missed : -1;
			if (missed > 0)
				r->st.lost += missed;
			else
				r->st.lost_unknown++;
			r->m->meta.lost += missed > 0 ? (uint64_t)missed : 1;
			r->m->meta.lost_cpu[cpu] += missed > 0 ? missed : 1;
			if (sink.event && sink.event(sink.ctx, &ev) < 0)
				return -1;
		}
		q->ev = kbuffer_read_event(q->kbuf, &q->ts);
		if (q->ev && ((unsigned char *)q->ev < p->data ||
			      (unsigned char *)q->ev >= p->data + p->size)) {
			r->st.bad++;
			q->ev = NULL;
		}
		if (q->ev)
			return 0;
	}
}

int kf_raw_process(struct kf_raw *r, struct kf_sink sink, int final)
{
	return kf_raw_process_max(r, sink, final, 0) < 0 ? -1 : 0;
}

int kf_raw_process_max(struct kf_raw *r, struct kf_sink sink, int final,
		       uint64_t max)
{
	uint64_t watermark = UINT64_MAX, sent = 0;
	int i;

	if (!r->nbyid && add_base_events(r) < 0)
		return -1;
	if (!final) {
		/* a record may go out once no CPU can still hold an older
		 * one unread: a CPU's unread records are newer than the last
		 * one read from it, or than its safe time if it was read dry
		 * (an idle CPU's old page must not hold the rest back) */
		for (i = 0; i < r->ncpus; i++) {
			const struct cpuq *q = &r->cpus[i];
			uint64_t lo = q->last_ts > q->safe_ts ? q->last_ts :
								q->safe_ts;

			if (lo < watermark)
				watermark = lo;
		}
	}
	for (i = 0; i < r->ncpus; i++)
		if (!r->cpus[i].loaded && next_event(r, i, sink) < 0)
			return -1;
	for (;;) {
		int best = -1, len, rc;
		struct kf_event ev;
		struct cpuq *q;

		for (i = 0; i < r->ncpus; i++)
			if (r->cpus[i].ev &&
			    (best < 0 || r->cpus[i].ts < r->cpus[best].ts))
				best = i;
		if (best < 0)
			break;
		q = &r->cpus[best];
		if (q->ts > watermark)
			break;
		if (max && sent++ == max)
			return 1;
		len = kbuffer_event_size(q->kbuf);
		/* never trust a record's length past its page */
		if (len < 0 || (unsigned char *)q->ev < q->head->data ||
		    (unsigned char *)q->ev > q->head->data + q->head->size)
			len = 0;
		else if (len > q->head->data + q->head->size -
			       (unsigned char *)q->ev)
			len = q->head->data + q->head->size -
			      (unsigned char *)q->ev;
		rc = decode(r, best, q->ev, len, q->ts, &ev);
		if (rc < 0)
			return oom();
		if (rc > 0) {
			if (sink.event(sink.ctx, &ev) < 0)
				return -1;
			if (ev.type == KF_EV_SYS_ENTER &&
			    sys_strings(r, q->ev, len, &ev, sink) < 0)
				return -1;
		}
		if (next_event(r, best, sink) < 0)
			return -1;
	}
	return 0;
}

int kf_raw_record(struct kf_raw *r, int cpu, const void *data, int len,
		  uint64_t ts, struct kf_sink sink)
{
	struct kf_event ev;
	int rc;

	if (cpu < 0 || cpu >= r->ncpus || !data || len <= 0)
		return 0;
	if (!r->nbyid && add_base_events(r) < 0)
		return -1;
	rc = decode(r, cpu, data, len, ts, &ev);
	if (rc < 0)
		return oom();
	if (rc == 0)
		return 0;
	if (sink.event(sink.ctx, &ev) < 0)
		return -1;
	if (ev.type == KF_EV_SYS_ENTER &&
	    sys_strings(r, data, len, &ev, sink) < 0)
		return -1;
	return 0;
}

void kf_raw_stats(const struct kf_raw *r, struct kf_raw_stats *st)
{
	*st = r->st;
}
