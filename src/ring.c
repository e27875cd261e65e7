// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ring.c - the read side of a live capture: the event formats and the
 * record reader (kf_raw) they feed, the per-CPU ring buffers opened when
 * tracing starts, the pages drained from them (and copied to --output
 * FILE.dat), the read loop that runs while the command does, and the
 * events the kernel dropped.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <event-parse.h>
#include <tracefs.h>

#include "kf_common.h"
#include "kf_ksyms.h"
#include "kf_datfile.h"
#include "kf_raw.h"
#include "kf_tracer.h"
#include "capture-int.h"

#define TICK_MS 50
#define KPTR_RESTRICT "/proc/sys/kernel/kptr_restrict"
#define BUSY_TICK_MS 2

int cap_ring_count_cpus(struct cap *c)
{
	int i;

	c->ncpus = 0;
	for (i = 0; i < 8192; i++) {
		char f[64];

		snprintf(f, sizeof(f), "per_cpu/cpu%d", i);
		if (!kf_tracer_exists(&c->tr, 0, f))
			break;
		c->ncpus = i + 1;
	}
	if (!c->ncpus)
		return kf_err(KF_EXIT_UNAVAILABLE, "tracefs shows no per_cpu "
			      "buffers in '%s'", c->tr.dir);
	return 0;
}

static int tcpu_open(struct cap *c)
{
	int i;

	if (c->ncpus <= 0)	/* cap_ring_count_cpus found some */
		return kf_err(KF_EXIT_SOFTWARE, "no per_cpu buffers counted");
	c->tcpu = calloc(c->ncpus, sizeof(*c->tcpu));
	c->cpufd = calloc(c->ncpus, sizeof(*c->cpufd));
	c->overrun0 = calloc(c->ncpus, sizeof(*c->overrun0));
	if (!c->tcpu || !c->cpufd || !c->overrun0)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	for (i = 0; i < c->ncpus; i++) {
		char f[64], *path;

		snprintf(f, sizeof(f), "per_cpu/cpu%d/trace_pipe_raw", i);
		path = kf_tracer_path(&c->tr, c->inst, f);
		c->cpufd[i] = path ? open(path, O_RDONLY | O_NONBLOCK |
					   O_CLOEXEC) : -1;
		if (c->cpufd[i] < 0) {
			kf_err_errno(KF_EXIT_UNAVAILABLE, "cannot open '%s'",
				     path ? path : f);
			free(path);
			return -1;
		}
		free(path);
		c->tcpu[i] = tracefs_cpu_alloc_fd(c->cpufd[i],
						  getpagesize(), true);
		if (!c->tcpu[i])
			return kf_err(KF_EXIT_UNAVAILABLE, "cannot read the ring "
				      "buffer of CPU %d", i);
		if (tracefs_cpu_read_size(c->tcpu[i]) > c->page_size)
			c->page_size = tracefs_cpu_read_size(c->tcpu[i]);
	}
	c->page = malloc(c->page_size);
	if (!c->page)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	return 0;
}

void cap_ring_close(struct cap *c)
{
	int i;

	for (i = 0; c->tcpu && i < c->ncpus; i++) {
		if (c->tcpu[i])
			tracefs_cpu_free_fd(c->tcpu[i]);
		if (c->cpufd[i] > 0)
			close(c->cpufd[i]);
		c->tcpu[i] = NULL;
		c->cpufd[i] = -1;
	}
}

/* "NAME: N" of per_cpu/cpuN/stats (name given with its colon), or
 * UINT64_MAX where the file or the line is missing. */
static uint64_t cpu_stat(struct cap *c, int cpu, const char *name)
{
	char f[64], *s, *p;
	uint64_t v = UINT64_MAX;

	snprintf(f, sizeof(f), "per_cpu/cpu%d/stats", cpu);
	s = kf_tracer_read(&c->tr, c->inst, f, NULL);
	if (s && (p = strstr(s, name)))
		v = strtoull(p + strlen(name), NULL, 10);
	free(s);
	kf_err_clear();
	return v;
}

/* "overrun: N" of per_cpu/cpuN/stats: records the kernel overwrote. */
static uint64_t cpu_overrun(struct cap *c, int cpu)
{
	uint64_t v = cpu_stat(c, cpu, "overrun:");

	return v == UINT64_MAX ? 0 : v;
}

/* Does the top-level ring hold records no one has read?  Clearing it
 * waits for an RCU grace period (21-38 ms under emulation), which an
 * empty ring (every CPU's "entries: 0") does not need.  Tracing is off
 * here, so nothing can come in between. */
static int ring_holds_records(struct cap *c)
{
	for (int i = 0; i < c->ncpus; i++)
		if (cpu_stat(c, i, "entries:") != 0)
			return 1;
	return 0;
}

/*
 * Pages read from one CPU per pass before the records are built: a writer
 * faster than the reader (a busy machine that gives kfollow a fraction of
 * a core) would otherwise keep one pass reading, and the pages piling up
 * in memory, until the command ends.  Past this the kernel drops events
 * (counted and reported) instead of kfollow holding them.
 */
#define PASS_PAGES 256

/*
 * While the rings keep filling, reading comes first and records are built
 * only once a pass reads nothing (a pause), once this much is held, or
 * (for the TUI) every BUILD_TICK_NS, and then BUILD_SLICE records at a
 * time, the rings read again between slices.  Under emulation W2 (2000
 * opens) writes ~460k records (~16 MB) in under 2 s, a reader copies a
 * page out in ~0.4 ms and builds ~350k records a second: building
 * whenever a pass had emptied the rings lost 100-350k records to the
 * kernel's 1.4 MB ring (trace-cmd, which only moves pages, lost none),
 * and building everything held at the first pause (1.2 s) lost 24-31k.
 * Held pages are bounded: past HELD_BYTES they are all built, even
 * mid-burst.  The TUI is redrawn at most every HURRY_TICK_NS (redrawing
 * after every capped pass lost events in a 100000-open burst).
 */
#define HELD_BYTES (32u << 20)
#define BUILD_TICK_NS 1000000000ull
#define BUILD_SLICE 8192
#define HURRY_TICK_NS 100000000ull

/*
 * Read the pages the CPUs have filled, up to PASS_PAGES each unless
 * final (then flush partial pages too).  Returns the pages read and sets
 * *more if a CPU still had some left, or returns -1.
 */
int cap_ring_drain(struct cap *c, int final, int *more)
{
	uint64_t t0 = cap_now_ns();
	int i, n, k, pages = 0;

	*more = 0;
	for (i = 0; i < c->ncpus; i++) {
		if (!c->tcpu[i]) {
			kf_raw_dry(c->raw, i);	/* nothing to read there */
			continue;
		}
		for (k = 0;; k++) {
			if (!final && k == PASS_PAGES) {
				*more = 1;
				break;
			}
			n = final ? tracefs_cpu_flush(c->tcpu[i], c->page) :
				    tracefs_cpu_read(c->tcpu[i], c->page, true);
			if (n <= 0) {
				kf_raw_dry(c->raw, i);
				break;
			}
			if (kf_raw_add_page(c->raw, i, c->page, n) < 0 ||
			    (c->dat && kf_dat_add_page(c->dat, i, c->page,
						       n) < 0))
				return -1;
			pages++;
		}
	}
	c->t_read += cap_now_ns() - t0;
	return pages;
}

int cap_ring_build(struct cap *c, struct kf_sink sink, int final,
		   uint64_t max)
{
	uint64_t t0 = cap_now_ns();
	int rc = kf_raw_process_max(c->raw, sink, final, max);

	c->t_build += cap_now_ns() - t0;
	return rc;
}

/* kallsyms, read and indexed once.  Before tracing starts in graph mode
 * (cap_tep_load): read lazily at the first record that needed a name,
 * it stalled the reader mid-capture for seconds under emulation and W2
 * lost most of its events; a capture of syscall events alone never
 * needs it. */
static void ksyms_load(struct cap *c)
{
	struct kf_ktab *kt = &c->ktab;
	size_t len = 0;
	char *text;

	if (c->ksyms_read)
		return;
	c->ksyms_read = 1;
	/* a run before on this kernel kept the traceable functions' */
	if (kt->hit && kt->syms) {
		text = kt->syms;
		kt->syms = NULL;
		if (kf_ksyms_load(&c->ksyms, text) > 0)
			return;
		kf_err_clear();
	}
	text = kf_read_file("/proc/kallsyms", 0, &len);
	if (!text || kf_ksyms_load(&c->ksyms, text) <= 0) {
		kf_err_clear();
		kf_warn("cannot read '/proc/kallsyms': function names will "
			"show as addresses");
		return;
	}
	/* keep them for the next run (not where tables came from a cache
	 * that failed above, nor when the functions were not read) */
	if (kt->key && !kt->hit && kt->funcs && c->ki.have_funcs) {
		kt->syms = kf_ktab_syms_text(&c->ksyms, &c->ki.funcs,
					     &kt->syms_len);
		if (!kt->syms || kf_ktab_save(kt) < 0) {
			if (kf_verbose)
				kf_note("the kernel's tables are not kept for "
					"the next run: %s", kt->syms ?
					kf_err_msg() : "out of memory");
			kf_err_clear();
		}
	}
}

/* A function name for a record's address. */
static const char *symbolize(void *ctx, uint64_t addr)
{
	struct cap *c = ctx;

	ksyms_load(c);
	return kf_ksyms_find(&c->ksyms, addr);
}

/* One event's format from tracefs into the tep; an event the kernel
 * lacks (or one that does not parse) is left out, as libtracefs does. */
static void tep_add(struct cap *c, const char *sys, const char *ev)
{
	char f[320], *buf;
	size_t len = 0;

	snprintf(f, sizeof(f), "events/%s/%s/format", sys, ev);
	buf = kf_tracer_read(&c->tr, 0, f, &len);
	if (buf)
		tep_parse_event(c->tep, buf, len, sys);
	free(buf);
	kf_err_clear();
}

/*
 * The event formats kfollow reads, and only those: function_graph's,
 * the process events and the followed syscalls' (libtracefs's
 * tracefs_local_events_system reads every syscall's ~700 formats and
 * parses all of kallsyms, saved_cmdlines and printk formats too).
 */
int cap_tep_load(struct cap *c)
{
	static const char *const base[][2] = {
		{ "ftrace", "funcgraph_entry" }, { "ftrace", "funcgraph_exit" },
		{ "sched", "sched_process_exec" },
		{ "sched", "sched_process_fork" },
		{ "sched", "sched_process_exit" },
		{ "sched", "sched_switch" }, { "sched", "sched_waking" },
	};
	char *hdr, name[300];
	size_t len = 0, i;
	int k;

	c->tep = tep_alloc();
	hdr = c->tep ? kf_tracer_read(&c->tr, 0, "events/header_page",
				      &len) : NULL;
	if (!hdr || tep_parse_header_page(c->tep, hdr, len,
					  sizeof(long)) < 0) {
		free(hdr);
		return kf_err(KF_EXIT_UNAVAILABLE, "cannot read the event "
			      "formats in '%s/events'", c->tr.dir);
	}
	free(hdr);
	tep_set_cpus(c->tep, c->ncpus);
	tep_set_long_size(c->tep, tep_get_header_page_size(c->tep));
	for (i = 0; i < sizeof(base) / sizeof(base[0]); i++)
		tep_add(c, base[i][0], base[i][1]);
	for (k = 0; k < c->ntargets + c->nctx; k++) {
		const struct kf_target *t = CAP_SYS_TARGET(c, k);

		if (!t->is_syscall || !t->has_events)
			continue;
		snprintf(name, sizeof(name), "sys_enter_%s", t->name);
		tep_add(c, "syscalls", name);
		snprintf(name, sizeof(name), "sys_exit_%s", t->name);
		tep_add(c, "syscalls", name);
	}
	if (c->graph)
		ksyms_load(c);
	c->raw = kf_raw_new(c->tep, c->m, c->ncpus, symbolize, c);
	if (!c->raw)
		return -1;
	if (c->btf)
		kf_raw_set_btf(c->raw, c->btf);
	for (k = 0; k < c->ntargets + c->nctx; k++) {
		const struct kf_target *t = CAP_SYS_TARGET(c, k);

		if (!t->is_syscall || !t->has_events)
			continue;
		if (kf_raw_add_syscall(c->raw, t->name) == KF_NONE)
			return -1;
	}
	return 0;
}

void cap_tep_unload(struct cap *c)
{
	kf_raw_free(c->raw);
	c->raw = NULL;
	if (c->tep)
		tep_free(c->tep);
	c->tep = NULL;
	kf_ksyms_release(&c->ksyms);
	c->ksyms_read = 0;
}

/*
 * --output FILE.dat: start the trace-cmd file now, while tracefs shows the
 * events kfollow enabled (their formats go in; its kprobes go away on
 * restore) and before tracing is on.
 */
static int dat_open(struct cap *c)
{
	struct kf_dat_info di = { .tracing_dir = c->tr.dir,
				  .ncpus = c->ncpus,
				  .page_size = c->page_size };
	char *events = kf_tracer_read(&c->tr, c->inst, "set_event", NULL);
	char *clock = events ? kf_tracer_read(&c->tr, c->inst, "trace_clock",
					      NULL) : NULL;

	/* libtracecmd lowers kptr_restrict while it copies kallsyms: kept
	 * here, a kill in that moment cannot leave it lowered */
	if (clock && (access(KPTR_RESTRICT, W_OK) < 0 ||
		      kf_tracer_keep(&c->tr, KPTR_RESTRICT) == 0)) {
		di.events = events;
		di.clock = clock;
		c->dat = kf_dat_open(c->o->dat, &di);
	}
	free(events);
	free(clock);
	return c->dat ? 0 : -1;
}

/* Start tracing: open readers, note overrun counters, tracing_on. */
int cap_ring_start(struct cap *c)
{
	int i;

	/* anything already in the buffer is not ours */
	if (!c->inst && ring_holds_records(c))
		tracefs_instance_file_clear(NULL, "trace");
	if (tcpu_open(c) < 0)
		return -1;
	if (c->o->dat && dat_open(c) < 0)
		return -1;
	for (i = 0; i < c->ncpus; i++)
		c->overrun0[i] = cpu_overrun(c, i);
	if (kf_tracer_write(&c->tr, c->inst, "tracing_on", "1") < 0)
		return -1;
	c->armed = 1;
	return 0;
}

/*
 * 5. Read, build and tick until the command exits (*st, *exited), the
 * pids are gone, the deadline passes, a signal comes or a hook says stop.
 * Returns 0 or -1 (kf_err).
 */
int cap_ring_read_loop(struct cap *c, const struct kf_capture_hooks *hooks,
		       struct kf_sink sink, uint64_t t_run, uint64_t deadline,
		       int *st, int *exited)
{
	const struct kf_opts *o = c->o;
	struct kf_model *m = c->m;
	uint64_t t_tick = 0, t_build = 0;
	int busy = 0, more = 0, pending = 0;

	while (!kf_capture_stop_signal()) {
		struct pollfd pfd = { .fd = cap_sig_fd(), .events = POLLIN };
		struct kf_raw_stats rs;
		pid_t w;
		int pages;

		/* while pages keep coming, come back soon: the ring buffer
		 * is small (1.4 MB per CPU by default) and a busy CPU fills
		 * it in well under a tick */
		poll(&pfd, 1, more || (pending && !busy) ? 0 :
			      busy ? BUSY_TICK_MS : TICK_MS);
		if (pfd.revents) {
			char b[16];

			while (read(pfd.fd, b, sizeof(b)) > 0)
				;
		}
		if ((pages = cap_ring_drain(c, 0, &more)) < 0)
			return -1;
		busy = pages > 0;
		if (o->ncmd) {
			w = waitpid(c->child, st, WNOHANG);
			if (w == c->child) {
				*exited = 1;
				cap_sig_forward(0);
				break;
			}
		} else if (c->cg.dir) {
			int r = cap_cgroup_rescan(c);

			if (r < 0)
				return -1;
			if (!r)
				break;
		} else if (!cap_pids_alive(c)) {
			break;
		}
		if (deadline && cap_now_ns() >= deadline)
			break;
		/* trees grow as pages come, batch or not: a page is freed
		 * once its records are built (or counted past --max-events),
		 * so memory stays bounded however long the capture runs */
		kf_raw_stats(c->raw, &rs);
		if (rs.bytes >= HELD_BYTES || !busy ||
		    (hooks && cap_now_ns() - t_build >= BUILD_TICK_NS)) {
			t_build = cap_now_ns();
			pending = cap_ring_build(c, sink, 0,
						 rs.bytes >= HELD_BYTES ? 0 :
						 BUILD_SLICE);
			if (pending < 0)
				return -1;
		}
		if (hooks && hooks->tick &&
		    (!more || cap_now_ns() - t_tick >= HURRY_TICK_NS)) {
			struct kf_capture_progress pr = { .tracing = 1 };

			t_tick = cap_now_ns();
			kf_raw_stats(c->raw, &rs);
			pr.events = rs.events;
			pr.lost = m->meta.lost;
			pr.elapsed_ns = cap_now_ns() - t_run;
			if (hooks->tick(hooks->ctx, m, &pr))
				break;
		}
	}
	return 0;
}

/* Overruns the CPUs counted that no page flagged: lost too. */
void cap_ring_count_overruns(struct cap *c)
{
	struct kf_model *m = c->m;
	int i;

	for (i = 0; i < c->ncpus; i++) {
		uint64_t ov = cpu_overrun(c, i);

		if (ov > c->overrun0[i]) {
			uint64_t d = ov - c->overrun0[i];

			/* pages already flagged missed events: take the
			 * larger of the two counts */
			if (d > m->meta.lost_cpu[i]) {
				m->meta.lost += d - m->meta.lost_cpu[i];
				m->meta.lost_cpu[i] = d;
			}
		}
	}
}
