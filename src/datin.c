// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * datin.c - --input FILE.dat: a trace-cmd data file (trace-cmd record -p
 * function_graph, or kfollow's own --output FILE.dat) read through
 * libtracecmd.  Its records go through the same decoder as the live ring
 * buffer (kf_raw_record, with the formats the file carries) into the same
 * tree builder.  Where the file holds syscalls:sys_enter_* / sys_exit_*
 * records, they delimit the invocations and give their strace-like
 * headers; else each top-level graph call is one invocation.
 *
 * Two passes: the first finds which syscalls' events the file holds (so
 * the capture names those, not all ~350) and which of them hold graph
 * records, the second builds.  An open, dup or close without any is
 * there for fd paths (kfollow's own files record them for that): it
 * names fds, it makes no invocation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event-parse.h>
#include <trace-cmd.h>

#include "kf_build.h"
#include "kf_common.h"
#include "kf_datfile.h"
#include "kf_fdtab.h"
#include "kf_raw.h"

#define DAT_MAGIC "\027\010\104tracing"

int kf_datin_sniff(const char *buf, size_t len)
{
	return len >= sizeof(DAT_MAGIC) - 1 &&
	       memcmp(buf, DAT_MAGIC, sizeof(DAT_MAGIC) - 1) == 0;
}

struct scan {
	struct tep_handle *tep;
	char **sys;        /* syscall names seen entering */
	unsigned char *tree; /* per syscall: graph records inside one */
	int nsys;
	int graph;         /* funcgraph records seen */
	int oom;
	struct { int32_t pid; int sys; } task[256]; /* in which syscall */
	int ntask;
};

/* The slot of task pid's current syscall (-1: none), or NULL (too many
 * tasks: their trees are not looked for). */
static int *task_sys(struct scan *s, int32_t pid)
{
	int i;

	for (i = 0; i < s->ntask; i++)
		if (s->task[i].pid == pid)
			return &s->task[i].sys;
	if (s->ntask >= (int)(sizeof(s->task) / sizeof(s->task[0])))
		return NULL;
	s->task[s->ntask].pid = pid;
	s->task[s->ntask].sys = -1;
	return &s->task[s->ntask++].sys;
}

static int scan_cb(struct tracecmd_input *h, struct tep_record *rec, int cpu,
		   void *data)
{
	struct scan *s = data;
	struct tep_event *e = tep_find_event(s->tep, tep_data_type(s->tep,
								    rec));
	int *cur = e ? task_sys(s, tep_data_pid(s->tep, rec)) : NULL;
	unsigned char *t;
	char **n;
	int i;

	(void)h;
	(void)cpu;
	if (!e || !e->system || !e->name)
		return 0;
	if (!strcmp(e->system, "ftrace") && !strncmp(e->name, "funcgraph_", 10)) {
		s->graph = 1;
		if (cur && *cur >= 0)
			s->tree[*cur] = 1;
	}
	if (strcmp(e->system, "syscalls"))
		return 0;
	if (!strncmp(e->name, "sys_exit_", 9) && cur)
		*cur = -1;
	if (strncmp(e->name, "sys_enter_", 10))
		return 0;
	for (i = 0; i < s->nsys; i++)
		if (!strcmp(s->sys[i], e->name + 10))
			break;
	if (i == s->nsys) {
		t = realloc(s->tree, s->nsys + 1);
		if (t)
			s->tree = t;
		n = t ? realloc(s->sys, (s->nsys + 1) * sizeof(*n)) : NULL;
		if (n)
			s->sys = n;
		if (!n || !(n[s->nsys] = strdup(e->name + 10))) {
			s->oom = 1;
			return 1;
		}
		s->tree[s->nsys++] = 0;
	}
	if (cur)
		*cur = i;
	return 0;
}

struct pass {
	struct tep_handle *tep;
	struct kf_model *m;
	struct kf_builder *b;
	struct kf_raw *r;
	struct kf_sink sink;
	int32_t *named;      /* tasks named from the file's saved cmdlines */
	uint32_t nnamed;
	int failed;
};

/* A task's name from the file's saved command lines, once per task (the
 * records of a trace-cmd file carry pids only). */
static void name_task(struct pass *p, int32_t pid)
{
	const char *comm;
	int32_t *n;
	uint32_t i;

	for (i = 0; i < p->nnamed; i++)
		if (p->named[i] == pid)
			return;
	if (p->nnamed >= 4096 ||
	    !(n = realloc(p->named, (p->nnamed + 1) * sizeof(*n))))
		return;
	p->named = n;
	p->named[p->nnamed++] = pid;
	comm = tep_data_comm_from_pid(p->tep, pid);
	if (comm && strcmp(comm, "<...>") != 0)
		kf_builder_task_comm(p->b, pid, kf_strtab_intern(&p->m->strs,
								 comm));
}

static int build_cb(struct tracecmd_input *h, struct tep_record *rec, int cpu,
		    void *data)
{
	struct pass *p = data;

	(void)h;
	name_task(p, tep_data_pid(p->tep, rec));
	if (rec->missed_events) {
		struct kf_event ev = { .type = KF_EV_LOST, .ts = rec->ts,
				       .cpu = (uint16_t)cpu };

		ev.lost.count = rec->missed_events > 0 ? rec->missed_events :
				-1;
		if (p->sink.event(p->sink.ctx, &ev) < 0)
			goto fail;
	}
	if (kf_raw_record(p->r, cpu, rec->data, rec->size, rec->ts,
			  p->sink) < 0)
		goto fail;
	return 0;
fail:
	p->failed = 1;
	return 1;
}

static const char *dat_symbolize(void *ctx, uint64_t addr)
{
	return tep_find_function(ctx, addr);
}

static struct tracecmd_input *dat_open(const char *path)
{
	struct tracecmd_input *h;

	tracecmd_set_loglevel(TEP_LOG_NONE);
	h = tracecmd_open(path, TRACECMD_FL_LOAD_NO_PLUGINS |
				TRACECMD_FL_LOAD_NO_SYSTEM_PLUGINS);
	if (!h)
		kf_err(KF_EXIT_DATAERR, "cannot read '%s' as a trace-cmd data "
		       "file: damaged, or a version libtracecmd does not "
		       "know; check it with 'trace-cmd report %s'", path,
		       path);
	return h;
}

int kf_datin_load(const char *path, struct kf_model *m)
{
	/* the records carry ring-buffer times, as live ones do: the same
	 * clock checks and interrupt placement, so a file gives the trees
	 * its capture gave */
	struct kf_build_opts bo = { .default_sys = KF_NONE,
				    .check_clock = 1,
				    .hide_sched_iter = 1 };
	struct scan s = { 0 };
	struct pass p = { 0 };
	struct tracecmd_input *h;
	struct kf_builder *b = NULL;
	char *src = NULL;
	int i, nreal = 0, rc = -1;

	if (!(h = dat_open(path)))
		return -1;
	s.tep = tracecmd_get_tep(h);
	tracecmd_iterate_events(h, NULL, 0, scan_cb, &s);
	tracecmd_close(h);
	if (s.oom) {
		kf_err(KF_EXIT_OSERR, "out of memory reading '%s'", path);
		goto out;
	}
	if (!s.graph) {
		kf_err(KF_EXIT_DATAERR, "'%s' holds no function_graph records: "
		       "record it with 'trace-cmd record -p function_graph'",
		       path);
		goto out;
	}
	/* the second pass, from the start */
	if (!(h = dat_open(path)))
		goto out;
	p.tep = tracecmd_get_tep(h);
	p.r = kf_raw_new(p.tep, m, tep_get_cpus(p.tep) > 0 ?
			 tep_get_cpus(p.tep) : 1, dat_symbolize, p.tep);
	if (!p.r)
		goto close;
	for (i = 0; i < s.nsys; i++) {
		struct kf_fdop_desc d;

		if (kf_raw_add_syscall(p.r, s.sys[i]) == KF_NONE)
			goto close;
		if (!s.tree[i] && kf_fdop_of(s.sys[i], &d) != KF_FDOP_NONE &&
		    d.op != KF_FDOP_PAIR)
			s.tree[i] = 2; /* for fd paths only */
		else
			nreal++;
	}
	bo.mode = nreal ? KF_BUILD_SYSCALL : KF_BUILD_FUNCTION;
	/* trace-cmd starts tracing before its child reaches the command:
	 * graph records outside any syscall's enter and exit are not one of
	 * its invocations (counted as dropped, as kfollow's own are) */
	bo.drop_outside = nreal > 0;
	for (i = 0; i < s.nsys && nreal == 1; i++)
		if (s.tree[i] != 2)
			bo.default_sys = kf_model_sys_get(m, s.sys[i]);
	if (!(b = kf_builder_new(m, &bo)))
		goto close;
	for (i = 0; i < s.nsys; i++)
		if (s.tree[i] == 2 &&
		    kf_builder_fd_context(b, kf_model_sys_get(m, s.sys[i])) < 0)
			goto close;
	p.m = m;
	p.b = b;
	p.sink = kf_builder_sink(b);
	tracecmd_iterate_events(h, NULL, 0, build_cb, &p);
	if (p.failed || kf_builder_finish(b, 0) < 0)
		goto close;
	/* a syscall that returned before the file began, with no tree: only
	 * a return value (kfollow's own files hold its child's read of the
	 * start signal before the exec) */
	{
		uint32_t k = 0;

		for (i = 0; i < (int)m->ncalls; i++)
			if (!(m->calls[i].flags & KF_CALL_NOENTER) ||
			    m->calls[i].root != KF_NONE)
				m->calls[k++] = m->calls[i];
		m->ncalls = k;
	}
	{
		struct kf_raw_stats st;

		kf_raw_stats(p.r, &st);
		m->meta.events = st.events;
	}
	m->meta.mode = KF_MODE_GRAPH;
	if (asprintf(&src, "dat:%s", path) >= 0)
		kf_meta_set(&m->meta.source, src);
	kf_meta_set(&m->meta.targets, nreal ? "trace-cmd data, syscalls" :
		    "trace-cmd data, function_graph");
	rc = 0;
close:
	kf_builder_free(b);
	kf_raw_free(p.r);
	free(p.named);
	tracecmd_close(h);
out:
	for (i = 0; i < s.nsys; i++)
		free(s.sys[i]);
	free(s.sys);
	free(s.tree);
	free(src);
	return rc;
}
