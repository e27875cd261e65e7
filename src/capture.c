// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * capture.c - a live capture from arming to trees: kf_capture_run and
 * its steps (what the user can fix, opening tracefs and resolving the
 * targets, choosing how to arm, the builder, the command's exit status,
 * the capture's meta data and counts) and the life of struct cap.  The
 * jobs it hands out are in capsig.c (signals), child.c (the traced
 * processes), arm.c (the tracefs settings) and ring.c (reading the ring
 * buffers); capture-int.h is what they share.
 *
 * Order matters: everything that can fail for a reason the user can fix
 * (unknown syscall, missing command, no such pid) is checked before the
 * first tracefs write; the command is forked held on a pipe, so tracing is
 * armed for its pid before it execs; tracefs is restored before the trees
 * are built, so a slow or failing post-processing step never leaves the
 * kernel tracing.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <event-parse.h>

#include "kf_build.h"
#include "kf_capture.h"
#include "kf_btfargs.h"
#include "kf_common.h"
#include "kf_datfile.h"
#include "kf_fdtab.h"
#include "kf_plan.h"
#include "kf_raw.h"
#include "kf_resolve.h"
#include "kf_journal.h"
#include "kf_status.h"
#include "kf_tracer.h"
#include "capture-int.h"

/* Is the kernel locked down in confidentiality mode ("none integrity
 * [confidentiality]"), where tracefs and kprobes are refused? */
static int locked_down(void)
{
	char buf[128] = "";
	FILE *f = fopen("/sys/kernel/security/lockdown", "re");

	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return strstr(buf, "[confidentiality]") != NULL;
}

/* Root, or CAP_SYS_ADMIN in the effective set (bit 21 of CapEff): what
 * tracefs's root-only files and the journal under /run need. */
static int privileged(void)
{
	char line[256];
	int ok = geteuid() == 0;
	FILE *f;

	if (ok || !(f = fopen("/proc/self/status", "re")))
		return ok;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long caps;

		if (sscanf(line, "CapEff: %llx", &caps) == 1) {
			ok = (caps >> 21) & 1;
			break;
		}
	}
	fclose(f);
	return ok;
}

static char *join(char **v, int n, const char *sep)
{
	size_t len = 1;
	char *s;
	int i;

	for (i = 0; i < n; i++)
		len += strlen(v[i]) + strlen(sep);
	s = malloc(len);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i)
			strcat(s, sep);
		strcat(s, v[i]);
	}
	return s;
}

/* argv as a shell reads it back: words with anything but a plain
 * name's characters in single quotes, so the command can be run again
 * (the drill-down of a summary prints it).  The caller frees it. */
static char *join_quoted(char **v, int n)
{
	size_t len = 1;
	char *s, *p;
	int i;

	for (i = 0; i < n; i++)
		len += 4 * strlen(v[i]) + 3;
	s = p = malloc(len);
	if (!s)
		return NULL;
	for (i = 0; i < n; i++) {
		const char *w = v[i];
		int plain = *w && strspn(w, "abcdefghijklmnopqrstuvwxyz"
					 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
					 "_@%+=:,./-") == strlen(w);

		if (i)
			*p++ = ' ';
		if (plain) {
			p = stpcpy(p, w);
			continue;
		}
		*p++ = '\'';
		for (; *w; w++)
			if (*w == '\'')
				p = stpcpy(p, "'\\''");
			else
				*p++ = *w;
		*p++ = '\'';
	}
	*p = '\0';
	return s;
}

static int add_target(struct cap *c, struct kf_target *t)
{
	struct kf_target *n = realloc(c->targets,
				      (c->ntargets + 1) * sizeof(*n));

	if (!n) {
		kf_target_release(t);
		return kf_err(KF_EXIT_OSERR, "out of memory");
	}
	c->targets = n;
	c->targets[c->ntargets++] = *t;
	return 0;
}

/*
 * fd paths: the opens, dups and closes of the traced tasks are recorded
 * too (their enter and exit events, and the open's path), so headers show
 * which file an fd names, as strace -y does; a syscall followed already,
 * or one this kernel has no events for, is skipped.  Returns 0 or -1.
 */
static int fd_targets(struct cap *c)
{
	struct kf_target t, *n;
	int i, k, followed;

	for (i = 0; kf_fdop_syscalls[i]; i++) {
		for (k = 0, followed = 0; k < c->ntargets; k++)
			followed |= c->targets[k].is_syscall &&
				    !strcmp(c->targets[k].name,
					    kf_fdop_syscalls[i]);
		if (followed)
			continue;
		if (kf_resolve_syscall(&c->ki, kf_fdop_syscalls[i], NULL, 0,
				       &t) < 0 || !t.has_events) {
			kf_err_clear();
			kf_target_release(&t);
			continue;
		}
		n = realloc(c->ctx, (c->nctx + 1) * sizeof(*n));
		if (!n) {
			kf_target_release(&t);
			return kf_err(KF_EXIT_OSERR, "out of memory");
		}
		c->ctx = n;
		c->ctx[c->nctx++] = t;
	}
	return 0;
}

/* Why there are no kernel functions to follow (c->graph is 0). */
static const char *no_graph_why(const struct cap *c)
{
	if (c->degraded)
		return c->degraded;
	return "--boundary traces syscall events only";
}

static int resolve_targets(struct cap *c)
{
	const struct kf_opts *o = c->o;
	char **sys = c->plan->syscalls;
	int nsys = c->plan->nsyscalls, i;
	struct kf_target t;

	/* --boundary naming no syscall: every syscall the kernel has
	 * events for (their own events, not raw_syscalls, so each line
	 * comes with argument names and types from the format files) */
	if (o->boundary && !nsys) {
		sys = c->ki.syscalls;
		nsys = c->ki.nsyscalls;
		c->all_sys = 1;
	}

	for (i = 0; i < nsys; i++) {
		if (kf_resolve_syscall(&c->ki, sys[i],
				       kf_plan_preset_for(c->plan, sys[i]),
				       c->graph, &t) < 0) {
			kf_target_release(&t);
			return -1;
		}
		if (!t.has_events && !c->graph) {
			kf_err(KF_EXIT_UNAVAILABLE, "cannot follow syscall '%s' "
			       "here: the kernel has no syscall events for it "
			       "and %s", t.name, no_graph_why(c));
			kf_target_release(&t);
			return -1;
		}
		if (add_target(c, &t) < 0)
			return -1;
	}
	if (c->ntargets && fd_targets(c) < 0)
		return -1;
	for (i = 0; i < o->nfuncs; i++) {
		if (!c->graph)
			return kf_err(KF_EXIT_UNAVAILABLE, "cannot follow "
				      "function '%s': %s", o->funcs[i],
				      no_graph_why(c));
		if (kf_resolve_function(&c->ki, o->funcs[i], &t) < 0) {
			kf_target_release(&t);
			return -1;
		}
		if (add_target(c, &t) < 0)
			return -1;
	}
	for (i = 0; i < o->nnotrace; i++)
		if (c->graph && kf_resolve_notrace(&c->ki, o->notrace[i]) < 0)
			return -1;
	/* the user's --retval must name functions; a preset's may be
	 * missing here (renamed, inlined) */
	if (c->graph && kf_resolve_retval(&c->ki, c->plan->retval,
					  c->plan->nretval, o->nretval > 0,
					  &c->retfuncs, &c->nretfuncs) < 0)
		return -1;
	if (!c->ntargets)
		return kf_err(KF_EXIT_USAGE, "nothing to follow: name a "
			      "syscall (kfollow openat -- cat FILE), a "
			      "function (-g FUNC) or a preset");
	return 0;
}

/* Why function_graph cannot be used here, or NULL if it can. */
static char *graph_refusal(struct cap *c)
{
	char *tracers = kf_tracer_read(&c->tr, 0, "available_tracers", NULL);
	char *why = NULL;

	if (!tracers) {
		if (asprintf(&why, "%s", kf_err_msg()) < 0)
			why = NULL;
	} else if (!strstr(tracers, "function_graph")) {
		why = strdup("this kernel has no function_graph tracer "
			     "(not in available_tracers)");
	} else if (!c->ki.have_funcs) {
		why = strdup(c->ki.funcs_error ? c->ki.funcs_error :
			     "available_filter_functions is not readable");
	}
	free(tracers);
	kf_err_clear();
	return why;
}

uint64_t cap_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* Filter between reader and builder: the child's own setup before exec
 * (waiting on the start pipe) is kfollow's, not the command's. */
static int filter_event(void *ctx, const struct kf_event *ev)
{
	struct cap *c = ctx;

	if (c->child_pre_exec && ev->pid == c->child) {
		if (ev->type == KF_EV_EXEC) {
			c->child_pre_exec = 0;
		} else if (ev->type == KF_EV_SYS_ENTER && !c->keep_exec) {
			const char *n = kf_strtab_get(&c->m->strs,
				c->m->sys[ev->sys_enter.sys].name);

			if (!strcmp(n, "execve") || !strcmp(n, "execveat"))
				c->keep_exec = 1;
			else
				return 0;
		} else if (!c->keep_exec) {
			return 0;
		}
	}
	/* --max-events: memory stays bounded; the rest is counted */
	if (c->o->max_events && c->built >= c->o->max_events) {
		c->over++;
		return 0;
	}
	c->built++;
	return kf_builder_event(c->b, ev);
}

static void fill_meta(struct cap *c, uint64_t start_wall)
{
	const struct kf_opts *o = c->o;
	struct kf_meta *mt = &c->m->meta;
	char buf[64], *s;
	struct tm tm;
	time_t t = (time_t)start_wall;
	int i;

	kf_meta_set(&mt->kfollow_version, KF_VERSION);
	kf_meta_set(&mt->kernel, c->release);
	if (c->build[0])
		kf_meta_set(&mt->kernel_build, c->build);
	kf_meta_set(&mt->machine, c->machine);
	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	kf_meta_set(&mt->date, buf);
	if (o->ncmd) {
		s = join_quoted(o->cmd, o->ncmd);
		kf_meta_set(&mt->command, s);
		free(s);
	} else if (c->cg.name) {
		kf_meta_set(&mt->cgroup, c->cg.name);
		if (asprintf(&s, "--cgroup %s", c->cg.name) >= 0) {
			kf_meta_set(&mt->command, s);
			free(s);
		}
	} else {
		char *p = malloc(o->npids * 12 + 4);

		if (p) {
			size_t l = sprintf(p, "-p ");

			for (i = 0; i < o->npids; i++)
				l += sprintf(p + l, "%s%d", i ? "," : "",
					     (int)o->pids[i]);
			kf_meta_set(&mt->command, p);
			free(p);
		}
	}
	{
		char **names = calloc(c->ntargets + 1, sizeof(*names));
		char **roots = calloc(c->ntargets + 1, sizeof(*roots));
		int nr = 0;

		for (i = 0; names && roots && i < c->ntargets; i++) {
			names[i] = c->targets[i].name;
			if (c->targets[i].root)
				roots[nr++] = c->targets[i].root;
		}
		if (names && c->all_sys) {
			kf_meta_set(&mt->targets, "--boundary");
		} else if (names) {
			s = join(names, c->ntargets, ",");
			kf_meta_set(&mt->targets, s);
			free(s);
		}
		if (roots && nr) {
			s = join(roots, nr, ",");
			kf_meta_set(&mt->roots, s);
			free(s);
		}
		free(names);
		free(roots);
	}
	if (o->nnotrace) {
		s = join(o->notrace, o->nnotrace, ",");
		kf_meta_set(&mt->notrace, s);
		free(s);
	}
	kf_meta_set(&mt->degraded, c->degraded);
	kf_meta_set(&mt->source, "live");
	kf_meta_set(&mt->clock, c->clock[0] ? c->clock : NULL);
	if (c->graph && c->plan->nscope) {
		kf_meta_set(&mt->scope, c->plan->scope_names);
		mt->scope_functions = c->scope_funcs;
	}
	mt->mode = c->graph ? KF_MODE_GRAPH : KF_MODE_BOUNDARY;
	mt->max_depth = o->max_depth;
	mt->min_duration = o->min_duration;
}

static void cap_release(struct cap *c)
{
	int i;

	cap_ring_close(c);
	free(c->tcpu);
	free(c->cpufd);
	free(c->overrun0);
	free(c->page);
	kf_dat_free(c->dat);
	kf_raw_free(c->raw);
	kf_btfargs_free(c->btf);
	kf_builder_free(c->b);
	if (c->tep)
		tep_free(c->tep);
	kf_ksyms_release(&c->ksyms);
	for (i = 0; i < c->ntargets; i++)
		kf_target_release(&c->targets[i]);
	free(c->targets);
	for (i = 0; i < c->nctx; i++)
		kf_target_release(&c->ctx[i]);
	free(c->ctx);
	free(c->retfuncs);
	kf_kinfo_release(&c->ki);
	kf_ktab_release(&c->ktab);
	if (c->tr_open)
		kf_tracer_release(&c->tr);
	free(c->degraded);
	free(c->cmd_path);
	free(c->run_name);
	free(c->pids);
	kf_cgroup_release(&c->cg);
	for (i = 0; i < 2; i++) {
		if (c->go[i] > 0)
			close(c->go[i]);
		if (c->errp[i] > 0)
			close(c->errp[i]);
	}
}

/* Undo tracefs, warn about anything that did not come back. */
/*
 * Inside kfollow's own VM (--vm), where the guest powers off as soon as
 * the capture is out, switching function_graph off again is ~3 s of
 * patching under emulation that nobody will see.  Only there: the
 * environment says so and /init is the init --vm generated.
 */
int cap_in_own_vm(void)
{
	char head[128] = "";
	FILE *f;

	if (!getenv("KFOLLOW_VM_GUEST") || getpid() == 1)
		return 0;
	f = fopen("/init", "re");
	if (!f)
		return 0;
	if (!fread(head, 1, sizeof(head) - 1, f))
		head[0] = '\0';
	fclose(f);
	return strstr(head, "\n# kfollow --vm guest init (generated)\n") != NULL;
}

static void restore(struct cap *c)
{
	if (!c->tr_open)
		return;
	if (cap_in_own_vm()) {
		cap_ring_close(c);
		return;
	}
	cap_ring_close(c);
	if (kf_tracer_restore_files(&c->tr) < 0 ||
	    kf_tracer_verify(&c->tr) > 0)
		kf_warn("tracefs was not fully restored (see above): check "
			"'%s'", c->tr.dir);
	kf_tracer_restore(&c->tr);
}

/* A failure's message, kept across the clean-up after it: tracefs
 * writes and restoring clear the last error. */
struct kept_err {
	char msg[1024];
	int code;
};

static void err_keep(struct kept_err *k)
{
	k->code = kf_err_code();
	snprintf(k->msg, sizeof(k->msg), "%s", kf_err_msg());
}

static void err_put_back(const struct kept_err *k)
{
	kf_err(k->code, "%s", k->msg);
}

/*
 * 1. What the user can fix, before any change: the command, -u, -p,
 * lockdown, root.  Returns 0 or -1 (kf_err).
 */
static int preflight(struct cap *c)
{
	const struct kf_opts *o = c->o;
	struct utsname un;

	if (o->ncmd && !(c->cmd_path = cap_command_find(o->cmd[0])))
		return -1;
	if (o->user && cap_user_resolve(c, o->user) < 0)
		return -1;
	if (o->npids && cap_pids_collect(c) < 0)
		return -1;
	if (o->cgroup && cap_cgroup_collect(c) < 0)
		return -1;
	if (!o->ncmd && !o->npids && !o->cgroup) {
		kf_err(KF_EXIT_USAGE, "nothing to run: give a command after "
		       "'--' or -p PID");
		return -1;
	}
	if (uname(&un) == 0) {
		snprintf(c->machine, sizeof(c->machine), "%s", un.machine);
		snprintf(c->release, sizeof(c->release), "%s", un.release);
		snprintf(c->build, sizeof(c->build), "%s", un.version);
	}
	if (!o->tracefs && locked_down()) {
		kf_err(KF_EXIT_UNAVAILABLE, "kernel lockdown is "
		       "'confidentiality': the kernel refuses tracefs to "
		       "everyone, root included; boot without "
		       "lockdown=confidentiality, or trace in a VM with --vm");
		return -1;
	}
	if (!o->tracefs && !privileged()) {
		kf_err(KF_EXIT_NOPERM, "tracing needs root (or CAP_SYS_ADMIN): "
		       "run kfollow with sudo, or --vm to trace in a VM without "
		       "root, or --input to view a saved capture");
		return -1;
	}
	return 0;
}

/*
 * Open tracefs (journal and lock), refuse a tracer already at work unless
 * --force, learn the kernel, resolve the targets the plan names.
 * Returns 0, or -1 (kf_err; the caller restores what was opened).
 */
static int open_tracefs(struct cap *c)
{
	const struct kf_opts *o = c->o;

	if (kf_tracer_open(&c->tr, o->tracefs, kf_journal_dir()) < 0)
		return -1;
	c->tr_open = 1;
	cap_sig_crash_tracer(&c->tr);
	if (!o->force && !o->tracefs) {
		char *why = kf_status_foreign(c->tr.dir);

		if (why) {
			kf_err(KF_EXIT_INUSE, "tracing is in use: %s: stop that "
			       "tracer first, or run with --force to take over "
			       "(its settings are put back afterwards)", why);
			free(why);
			return -1;
		}
	}
	/* the tables of a run before on this kernel: only with the
	 * system's tracefs, whose kernel the key names */
	if (!o->boundary && !o->tracefs && kf_ktab_open(&c->ktab, "/proc") < 0)
		return -1;
	if (kf_kinfo_load(&c->ki, &c->tr, c->machine, !o->boundary,
			  &c->ktab.funcs, &c->ktab.funcs_len) < 0)
		return -1;
	/* --boundary: no function_graph even where the kernel has it, so
	 * nothing is "degraded" */
	c->degraded = o->boundary ? NULL : graph_refusal(c);
	c->graph = !o->boundary && !c->degraded;
	if (resolve_targets(c) < 0)
		return -1;
	return 0;
}

/*
 * 3. Arm function_graph, or the syscall boundary where the kernel refuses
 * it (then say so once).  Returns 0 or -1 (kf_err).
 */
static int arm(struct cap *c)
{
	const struct kf_opts *o = c->o;
	int i;

	if (cap_ring_count_cpus(c) < 0 || cap_tep_load(c) < 0)
		return -1;
	if (c->graph && cap_arm_graph(c) < 0) {
		int err = errno;

		if (err != EPERM && err != EACCES && err != ENODEV)
			return -1;
		/* refused at the last step (lockdown, or this build machine's
		 * EPERM): undo everything and follow the boundary */
		free(c->degraded);
		if (asprintf(&c->degraded, "%s", kf_err_msg()) < 0)
			c->degraded = NULL;
		kf_err_clear();
		restore(c);
		kf_tracer_release(&c->tr);
		c->tr_open = 0;
		if (kf_tracer_open(&c->tr, o->tracefs, kf_journal_dir()) < 0)
			return -1;
		c->tr_open = 1;
		c->graph = 0;
		cap_tep_unload(c);
		if (cap_tep_load(c) < 0)
			return -1;
	}
	if (!c->graph) {
		if (!o->boundary)
			kf_note("function_graph unavailable: %s; tracing "
				"syscall boundaries only", c->degraded ?
				c->degraded : "refused");
		for (i = 0; i < c->ntargets; i++)
			if (!c->targets[i].is_syscall) {
				kf_err(KF_EXIT_UNAVAILABLE, "cannot follow "
				       "function '%s' without function_graph",
				       c->targets[i].name);
				return -1;
			}
		if (cap_arm_boundary(c) < 0)
			return -1;
	}
	return 0;
}

/* Task pid's fds up to maxfd as /proc shows them, into the builder's
 * table.  A task gone, or a /proc that refuses, gives none.  Returns 0 or
 * -1 (out of memory). */
static int fd_snapshot(struct cap *c, pid_t pid, int maxfd)
{
	char dir[64], path[96], target[4096];
	struct dirent *e;
	DIR *d;
	int rc = 0;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
	d = opendir(dir);
	if (!d)
		return 0;
	while (rc == 0 && (e = readdir(d))) {
		char *end;
		long fd = strtol(e->d_name, &end, 10);
		ssize_t n;

		if (*end || end == e->d_name || fd < 0 || fd > maxfd)
			continue;
		snprintf(path, sizeof(path), "%s/%ld", dir, fd);
		n = readlink(path, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		rc = kf_builder_fd_set(c->b, pid, (int)fd, target);
	}
	closedir(d);
	return rc;
}

/* 4. The builder the records go to, told the names of the tasks it
 * starts with.  Returns 0 or -1 (kf_err). */
static int builder_start(struct cap *c, struct kf_sink *sink)
{
	const struct kf_opts *o = c->o;
	struct kf_model *m = c->m;
	struct kf_build_opts bo = { .default_sys = KF_NONE,
				    .check_clock = 1,
				    .hide_sched_iter = 1 };
	int i;

	bo.mode = o->nfuncs && !o->nsyscalls ? KF_BUILD_FUNCTION :
		  KF_BUILD_SYSCALL;
	for (i = 0; i < c->ntargets; i++)
		if (c->targets[i].shared)
			bo.drop_outside = 1;
	if (c->ntargets == 1 && c->targets[0].is_syscall)
		bo.default_sys = kf_model_sys_get(m, c->targets[0].name);
	if (!kf_tracer_exists(&c->tr, 0, "max_graph_depth") || c->inst)
		bo.max_depth = o->max_depth;
	c->b = kf_builder_new(m, &bo);
	if (!c->b)
		return -1;
	for (i = 0; i < c->nctx; i++)
		if (c->ctx[i].has_events &&
		    kf_builder_fd_context(c->b, kf_model_sys_get(
				m, c->ctx[i].name)) < 0)
			return -1;
	/* the fds the tasks have before tracing: the command's 0-2 (what
	 * it inherits), every fd of an attached process */
	if (o->ncmd && fd_snapshot(c, c->child, 2) < 0)
		return -1;
	for (i = 0; i < c->npids && !o->ncmd; i++)
		if (fd_snapshot(c, c->pids[i], KF_FDTAB_MAX) < 0)
			return -1;
	sink->event = filter_event;
	sink->ctx = c;
	if (o->ncmd) {
		const char *base = strrchr(o->cmd[0], '/');

		c->child_pre_exec = 1;
		kf_builder_task_comm(c->b, c->child, kf_strtab_intern(&m->strs,
				     base ? base + 1 : o->cmd[0]));
	}
	for (i = 0; i < c->npids && !o->ncmd; i++)
		cap_task_name(c, c->pids[i]);
	return 0;
}

int cap_task_comm(pid_t pid, char *comm, size_t len)
{
	char path[64];
	FILE *f;

	comm[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fgets(comm, (int)len, f))
		comm[strcspn(comm, "\n")] = '\0';
	fclose(f);
	return 1;
}

void cap_task_name(struct cap *c, pid_t pid)
{
	char comm[32];

	cap_task_comm(pid, comm, sizeof(comm));
	kf_builder_task_comm(c->b, pid, kf_strtab_intern(&c->m->strs, comm));
}

/*
 * Wakers no record named (a kernel thread that never switched with a
 * traced task: jbd2 on the other CPU): their names from /proc, now, while
 * they most likely still run.  Returns 0 or -1 (out of memory).
 */
static int name_wakers(struct kf_model *m)
{
	uint32_t i;

	for (i = 0; i < m->notes.cap; i++) {
		struct kf_node_note *nt = &m->notes.val[i];
		char comm[32];

		if (m->notes.node[i] == KF_NONE || nt->waker_comm != KF_NONE ||
		    !(nt->has & (KF_NOTE_WAKER | KF_NOTE_PREEMPTED)) ||
		    nt->waker_pid <= 0)
			continue;
		if (!cap_task_comm(nt->waker_pid, comm, sizeof(comm)))
			continue;
		if (*comm && (nt->waker_comm = kf_strtab_intern(&m->strs,
							       comm)) == KF_NONE)
			return kf_err(KF_EXIT_OSERR, "out of memory");
	}
	return 0;
}

/* The command's exit status into *exit_code, waiting a moment for a
 * command that tracing stopped before it ended. */
static void wait_command(struct cap *c, int *st, int *exited, int *exit_code)
{
	const struct kf_opts *o = c->o;
	int i;

	if (o->ncmd && !*exited) {
		/* stopped by a signal (forwarded) or a hook: give the command
		 * a moment to finish, but never hang on it */
		for (i = 0; i < 20; i++) {
			if (waitpid(c->child, st, WNOHANG) == c->child) {
				*exited = 1;
				break;
			}
			usleep(50000);
		}
	}
	if (*exited)
		*exit_code = cap_child_exit_code(*st);
	else if (kf_capture_stop_signal())
		*exit_code = 128 + kf_capture_stop_signal();
	else
		*exit_code = 0;
}

/* when each step of kf_capture_run began, for --stats */
enum { PH_START, PH_ARM, PH_RUN, PH_STOP, PH_DONE, PH_N };

/* The event count into the capture, and --stats. */
static void report_stats(struct cap *c, const uint64_t *ph, uint64_t t_post)
{
	const struct kf_opts *o = c->o;
	struct kf_model *m = c->m;

	{
		struct kf_raw_stats rs;

		kf_raw_stats(c->raw, &rs);
		m->meta.events = rs.events;
		if (o->stats) {
			size_t arena = (size_t)m->nchunks * KF_NODE_CHUNK *
				       sizeof(struct kf_node);

			fprintf(stderr, "kfollow: stats: %llu events (%llu lost, "
				"%llu of other events, %llu malformed) in %llu "
				"pages; capture %.3f s; reading %.3f s and "
				"building %.3f s (%.0f events/s), %.3f s of "
				"building once tracing stopped; %u invocations, "
				"%u nodes, "
				"%zu bytes per node (%zu B node, arena %zu KiB); "
				"model %zu KiB; function_graph %llu entries, "
				"%llu exits\n"
				"kfollow: stats: set-up %.3f s (kernel tables%s, "
				"event formats, tracefs); arm %.3f s (%s); "
				"run %.3f s; stop %.3f s (%s)\n",
				(unsigned long long)rs.events,
				(unsigned long long)m->meta.lost,
				(unsigned long long)rs.skipped,
				(unsigned long long)rs.bad,
				(unsigned long long)rs.pages,
				(ph[PH_STOP] - ph[PH_START]) / 1e9,
				c->t_read / 1e9, c->t_build / 1e9,
				c->t_read + c->t_build ?
				rs.events / ((c->t_read + c->t_build) / 1e9) : 0.0,
				t_post / 1e9,
				m->ncalls, m->nnodes,
				m->nnodes ? kf_model_bytes(m) / m->nnodes : 0,
				sizeof(struct kf_node), arena / 1024,
				kf_model_bytes(m) / 1024,
				(unsigned long long)rs.entries,
				(unsigned long long)rs.exits,
				(ph[PH_ARM] - ph[PH_START]) / 1e9,
				c->ktab.hit ? " kept from a run before" : "",
				(ph[PH_RUN] - ph[PH_ARM]) / 1e9,
				c->graph ? "switching function_graph on" :
				"enabling the syscall events",
				(ph[PH_STOP] - ph[PH_RUN]) / 1e9,
				(ph[PH_DONE] - ph[PH_STOP]) / 1e9,
				c->graph ? "draining, switching it off, "
				"restoring" : "draining, restoring");
		}
	}
}

/* What the capture left out, said once. */
static void warn_left_out(struct cap *c)
{
	const struct kf_opts *o = c->o;
	struct kf_model *m = c->m;

	if (c->over)
		kf_warn("stopped building trees at --max-events %llu: %llu later "
			"events were left out and the calls open then are "
			"incomplete; raise --max-events (0: no limit) or trace "
			"less (-p, --max-depth, --notrace)",
			(unsigned long long)o->max_events,
			(unsigned long long)c->over);
	if (m->meta.lost)
		kf_warn("the kernel dropped %llu events (ring buffer full): "
			"trees marked incomplete; try --buffer-size %lu",
			(unsigned long long)m->meta.lost,
			(o->buffer_kb ? o->buffer_kb : 1408) * 4);
}

/* Tell the front end a stage began (t0: when the run did).  Returns 0,
 * or -1 (kf_err) when it asked to stop. */
static int tell_stage(const struct kf_capture_hooks *hooks, enum kf_stage s,
		      uint64_t t0)
{
	struct kf_progress p = { .stage = s };

	if (!hooks || !hooks->stage)
		return 0;
	p.total_ns = cap_now_ns() - t0;
	if (hooks->stage(hooks->ctx, &p) && s != KF_STAGE_TRACE)
		return kf_err(KF_EXIT_FAILURE, "stopped before tracing began");
	return 0;
}

int kf_capture_run(const struct kf_opts *o, const struct kf_plan *plan,
		   struct kf_model *m, const struct kf_capture_hooks *hooks,
		   int *exit_code)
{
	struct cap c;
	struct kf_sink sink;
	struct kept_err kept;
	uint64_t ph[PH_N] = { cap_now_ns() };
	uint64_t deadline = 0, start_wall = time(NULL), t_post = 0;
	int st = 0, exited = 0, rc = -1, more = 0;

	memset(&c, 0, sizeof(c));
	c.go[0] = c.go[1] = c.errp[0] = c.errp[1] = -1;
	c.o = o;
	c.plan = plan;
	c.m = m;
	c.out_fd = hooks ? hooks->cmd_out_fd : 0;
	*exit_code = KF_EXIT_FAILURE;
	if (cap_sig_install() < 0)
		goto fail;
	if (tell_stage(hooks, KF_STAGE_SETUP, ph[PH_START]) < 0)
		goto fail;

	/* 1. what the user can fix, before any change; the set-up steps,
	 * untraced; then tracefs */
	if (preflight(&c) < 0 || cap_setup_run(o) < 0)
		goto fail;
	if (open_tracefs(&c) < 0)
		goto fail_restore;

	/* 2. the command, held until tracing is armed */
	if (cap_sig_interrupted())
		goto fail_restore;
	if (o->ncmd && cap_child_fork(&c) < 0)
		goto fail_signals;

	/* 3. arm */
	ph[PH_ARM] = cap_now_ns();
	if (tell_stage(hooks, KF_STAGE_ARM, ph[PH_START]) < 0 || arm(&c) < 0)
		goto fail_child;
	if (cap_ring_start(&c) < 0)
		goto fail_stop;

	/* 4. the builder */
	if (builder_start(&c, &sink) < 0)
		goto fail_stop;

	/* 5. run */
	if (cap_sig_interrupted())
		goto fail_stop;
	/* a cold cache for the command, dropped as late as it can be */
	if (o->drop_caches && cap_drop_caches() < 0) {
		if (o->ncmd)
			cap_child_kill(&c);
		goto fail_stop;
	}
	if (o->ncmd && cap_child_exec(&c) < 0) {
		cap_child_kill(&c);
		goto fail_stop;
	}
	ph[PH_RUN] = cap_now_ns();
	tell_stage(hooks, KF_STAGE_TRACE, ph[PH_START]);
	if (o->duration)
		deadline = ph[PH_RUN] + o->duration;
	if (cap_ring_read_loop(&c, hooks, sink, ph[PH_RUN], deadline, &st,
			       &exited) < 0)
		goto fail_stop;

	/* 6. stop, drain, restore: the kernel is left as it was */
	ph[PH_STOP] = cap_now_ns();
	kf_tracer_write(&c.tr, c.inst, "tracing_on", "0");
	kf_err_clear();
	if (cap_ring_drain(&c, 1, &more) < 0)
		goto fail_stop;
	cap_ring_count_overruns(&c);
	/* saved_cmdlines, before restoring can unmount tracefs */
	if (c.dat && kf_dat_add_cmdlines(c.dat) < 0)
		goto fail_stop;
	restore(&c);
	ph[PH_DONE] = cap_now_ns();
	cap_sig_restore();
	wait_command(&c, &st, &exited, exit_code);
	m->meta.exit_status = exited ? st : -1;
	/* the pages are all in: the .dat needs only saved_cmdlines now */
	if (c.dat && kf_dat_close(c.dat) < 0)
		goto fail;

	/* 7. trees */
	t_post = cap_now_ns();
	if (cap_ring_build(&c, sink, 1, 0) < 0 ||
	    kf_builder_finish(c.b, 0) < 0 || name_wakers(m) < 0)
		goto fail;
	t_post = cap_now_ns() - t_post;
	report_stats(&c, ph, t_post);
	fill_meta(&c, start_wall);
	warn_left_out(&c);
	rc = 0;
	goto done;

fail_stop:
	err_keep(&kept);
	kf_tracer_write(&c.tr, c.inst, "tracing_on", "0");
	err_put_back(&kept);
fail_child:
	cap_child_kill(&c);
fail_signals:
	cap_sig_restore();
fail_restore:
	err_keep(&kept);
	restore(&c);
	err_put_back(&kept);
fail:
done:
	if (c.child > 0 && !exited && rc < 0)
		cap_child_kill(&c);
	cap_sig_restore();
	cap_release(&c);
	return rc;
}
