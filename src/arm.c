// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * arm.c - the tracefs settings of a live capture, written before tracing
 * is switched on: function_graph in the top-level buffer (its filters,
 * depth, pids, fork options, buffer size, events), or the syscall events
 * alone in kfollow's own instance; and the kprobes that fetch the path
 * strings the syscall events do not record.  Every write goes through the
 * tracer's undo log, so restoring puts each setting back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event-parse.h>

#include "kf_btfargs.h"
#include "kf_common.h"
#include "kf_plan.h"
#include "kf_fdtab.h"
#include "kf_raw.h"
#include "kf_strtab.h"
#include "kf_tracer.h"
#include "capture-int.h"

/* x86-64 struct pt_regs offsets of the syscall arguments (di si dx r10 r8 r9) */
static const int x64_arg_off[KF_MAX_ARGS] = { 112, 104, 96, 56, 72, 64 };

/* Parse a format file we created (a kprobe) into the tep. */
static int tep_add_format(struct cap *c, const char *sys, const char *ev)
{
	char f[256], *buf;
	size_t len;
	int rc;

	snprintf(f, sizeof(f), "events/%s/%s/format", sys, ev);
	buf = kf_tracer_read(&c->tr, 0, f, &len);
	if (!buf)
		return -1;
	rc = tep_parse_event(c->tep, buf, len, sys);
	free(buf);
	return rc ? kf_err(KF_EXIT_UNAVAILABLE, "cannot parse '%s'", f) : 0;
}

/* Does the kernel have event probes ("e:" in tracefs's README)? */
static int have_eprobes(struct cap *c)
{
	char *readme = kf_tracer_read(&c->tr, 0, "README", NULL);
	int yes = readme && strstr(readme, "e[:[<group>/][<event>]]");

	free(readme);
	kf_err_clear();
	return yes;
}

/* The dynamic event that fetches argument k of syscall t (its event's
 * field argname) as a string, into def. */
static void string_probe_def(const struct cap *c, int eprobe, char *def,
			     size_t len, const char *ev,
			     const struct kf_target *t, const char *argname,
			     int k)
{
	if (eprobe)
		snprintf(def, len, "e:%s/%s syscalls.sys_enter_%s "
			 "arg=+0($%s):ustring", c->dynsys, ev, t->name,
			 argname);
	else
		snprintf(def, len, "p:%s/%s %s%s arg=+0(+%d(%%di)):ustring",
			 c->dynsys, ev, c->ki.arch_prefix, t->name,
			 x64_arg_off[k]);
}

/* Append to def (at bytes used) the fields NAME0..NAME7: the 64-bit
 * words of user memory that argument k (argname) points to.  Returns the
 * bytes used. */
static size_t words_def(int eprobe, char *def, size_t len, size_t at,
			char name, const char *argname, int k)
{
	int i;

	for (i = 0; i < KF_RAW_LIST_MAX && at < len; i++) {
		if (eprobe)
			at += (size_t)snprintf(def + at, len - at,
					       " %c%d=+u%d($%s):x64", name, i,
					       8 * i, argname);
		else
			at += (size_t)snprintf(def + at, len - at,
					       " %c%d=+u%d(+%d(%%di)):x64", name,
					       i, 8 * i, x64_arg_off[k]);
	}
	return at;
}

/* The dynamic event that fetches the first KF_RAW_LIST_MAX strings of
 * list argument k of syscall t (execve's argv, argname) into fields
 * a0..a7 and their pointers into p0..p7 (a NULL ends the list): each a
 * pointer read from user memory, then its string. */
static void list_probe_def(const struct cap *c, int eprobe, char *def,
			   size_t len, const char *ev,
			   const struct kf_target *t, const char *argname,
			   int k)
{
	size_t at;
	int i;

	if (eprobe)
		at = (size_t)snprintf(def, len, "e:%s/%s syscalls.sys_enter_%s",
				      c->dynsys, ev, t->name);
	else
		at = (size_t)snprintf(def, len, "p:%s/%s %s%s", c->dynsys, ev,
				      c->ki.arch_prefix, t->name);
	at = words_def(eprobe, def, len, at, 'p', argname, k);
	for (i = 0; i < KF_RAW_LIST_MAX && at < len; i++) {
		if (eprobe)
			at += (size_t)snprintf(def + at, len - at,
					       " a%d=+0(+u%d($%s)):ustring", i,
					       8 * i, argname);
		else
			at += (size_t)snprintf(def + at, len - at,
					       " a%d=+0(+u%d(+%d(%%di))):ustring",
					       i, 8 * i, x64_arg_off[k]);
	}
}

/* The dynamic event that fetches the first 8 * KF_RAW_LIST_MAX bytes of
 * buffer argument k of syscall t (write's buf, argname) as 64-bit words
 * b0..b7 from user memory, and its length (argument k + 1) as n. */
static void bytes_probe_def(const struct cap *c, int eprobe, char *def,
			    size_t len, const char *ev,
			    const struct kf_target *t, const char *argname,
			    const char *countname, int k)
{
	size_t at;

	if (eprobe)
		at = (size_t)snprintf(def, len, "e:%s/%s syscalls.sys_enter_%s "
				      "n=$%s:u64", c->dynsys, ev, t->name,
				      countname);
	else
		at = (size_t)snprintf(def, len, "p:%s/%s %s%s n=+%d(%%di):u64",
				      c->dynsys, ev, c->ki.arch_prefix,
				      t->name, x64_arg_off[k + 1]);
	words_def(eprobe, def, len, at, 'b', argname, k);
}

/* Is argument k of syscall t a buffer it writes out, its length next? */
static int bytes_arg(const struct kf_target *t, const struct kf_sysdesc *sd,
		     int k)
{
	return (!strcmp(t->name, "write") || !strcmp(t->name, "pwrite64")) &&
	       k + 1 < sd->nargs && sd->argkind[k] == KF_ARG_PTR;
}

/* Is argument k of syscall t a list of strings kfollow fetches? */
static int list_arg(const struct kf_target *t, const char *argname)
{
	return (!strcmp(t->name, "execve") || !strcmp(t->name, "execveat")) &&
	       !strcmp(argname, "argv");
}

/* The syscall's enter event enabled (kept to put back as it was). */
static int enter_event_on(struct cap *c, const struct kf_target *t)
{
	char path[300];

	snprintf(path, sizeof(path), "events/syscalls/sys_enter_%s/enable",
		 t->name);
	if (kf_tracer_write(&c->tr, c->inst, path, "1") < 0) {
		kf_err_clear();
		return -1;
	}
	return 0;
}

/*
 * String arguments (paths) the syscall events do not record, fetched from
 * user memory by an event probe on the syscall's enter event where the
 * kernel has them (5.15+), else by a kprobe at the syscall's entry
 * (x86-64 only: the arguments' places in struct pt_regs are known
 * there).  The kprobe costs: it puts a second ftrace user on the call
 * site, and switching function_graph on and off took ~2 s longer under
 * emulation (4.9 + 3.8 s against 3.7 + 3.1 s for /usr/bin/true on 6.1).
 */
static void string_probes(struct cap *c)
{
	int i, k, eprobe = have_eprobes(c);
	struct kf_fdop_desc fdd;

	if (!eprobe && (strcmp(c->machine, "x86_64") != 0 ||
			!c->ki.arch_prefix))
		return;
	c->eprobes = eprobe;
	snprintf(c->dynsys, sizeof(c->dynsys), "kfollow_%d", (int)getpid());
	for (i = 0; i < c->ntargets + c->nctx; i++) {
		struct kf_target *t = CAP_SYS_TARGET(c, i);
		uint32_t sys;
		const struct kf_sysdesc *sd;
		unsigned kmask;

		if (!t->is_syscall || !t->has_events)
			continue;
		/* every syscall (--boundary): paths for the fd table only,
		 * not a probe on each of the ~80 syscalls with a string */
		if (c->all_sys && kf_fdop_of(t->name, &fdd) == KF_FDOP_NONE)
			continue;
		sys = kf_model_sys_get(c->m, t->name);
		sd = &c->m->sys[sys];
		kmask = kf_raw_kernel_strings(c->raw, sys);
		/* an event probe soft-enables its event ("0*"): enable the
		 * event first, so what is kept to put back is its own "0" */
		if (eprobe && enter_event_on(c, t) < 0)
			continue;
		for (k = 0; k < sd->nargs; k++) {
			char def[1024], rm[256], ev[64], en[320];
			const char *an = kf_strtab_get(&c->m->strs,
						       sd->argname[k]);
			int list = list_arg(t, an), bytes = bytes_arg(t, sd, k);

			if ((sd->argkind[k] != KF_ARG_STR && !list && !bytes) ||
			    (kmask & (1u << k)))
				continue;
			snprintf(ev, sizeof(ev), "%.40s_%d", t->name, k);
			if (list)
				list_probe_def(c, eprobe, def, sizeof(def), ev,
					       t, an, k);
			else if (bytes)
				bytes_probe_def(c, eprobe, def, sizeof(def), ev,
						t, an, kf_strtab_get(&c->m->strs,
							sd->argname[k + 1]), k);
			else
				string_probe_def(c, eprobe, def, sizeof(def),
						 ev, t, an, k);
			snprintf(rm, sizeof(rm), "-:%s/%s", c->dynsys, ev);
			if (kf_tracer_dynevent(&c->tr, def, rm) < 0 ||
			    tep_add_format(c, c->dynsys, ev) < 0 ||
			    (list ? kf_raw_add_strlist_event(c->raw, c->dynsys,
							     ev, "a",
							     KF_RAW_LIST_MAX,
							     sys, k)
			     : bytes ? kf_raw_add_bytes_event(c->raw, c->dynsys,
							      ev,
							      KF_RAW_LIST_MAX,
							      sys, k)
				  : kf_raw_add_string_event(c->raw, c->dynsys,
							    ev, "arg", sys,
							    k)) < 0) {
				if (kf_verbose)
					kf_note("no path strings for '%s': %s",
						t->name, kf_err_msg());
				kf_err_clear();
				continue;
			}
			snprintf(en, sizeof(en), "events/%s/%s/enable",
				 c->dynsys, ev);
			if (kf_tracer_write(&c->tr, c->inst, en, "1") < 0) {
				kf_err_clear();
				continue;
			}
		}
	}
}

/*
 * A followed pipe2, pipe or socketpair writes its two fds to user memory
 * as it returns, where no event can read them: a kprobe on fd_install
 * (the kernel's one way to give a task an fd) records each fd the traced
 * tasks are given, and the builder gives the call the two.
 */
static void fdnew_probe(struct cap *c)
{
	struct kf_fdop_desc d;
	char def[256], rm[128], en[160];
	int i, want = 0;

	/* every syscall (--boundary): not worth a kprobe on every
	 * fd_install of every task */
	for (i = 0; !c->all_sys && i < c->ntargets; i++)
		want |= c->targets[i].is_syscall &&
			kf_fdop_of(c->targets[i].name, &d) == KF_FDOP_PAIR;
	if (!want)
		return;
	if (!c->dynsys[0])
		snprintf(c->dynsys, sizeof(c->dynsys), "kfollow_%d",
			 (int)getpid());
	snprintf(def, sizeof(def), "p:%s/fdnew fd_install fd=$arg1:s32",
		 c->dynsys);
	snprintf(rm, sizeof(rm), "-:%s/fdnew", c->dynsys);
	snprintf(en, sizeof(en), "events/%s/fdnew/enable", c->dynsys);
	if (kf_tracer_dynevent(&c->tr, def, rm) < 0 ||
	    tep_add_format(c, c->dynsys, "fdnew") < 0 ||
	    kf_raw_add_fdnew_event(c->raw, c->dynsys, "fdnew", "fd") < 0 ||
	    kf_tracer_write(&c->tr, c->inst, en, "1") < 0) {
		kf_warn("cannot probe 'fd_install' for the fds pipe2 and "
			"socketpair write (shown as pointers): %s",
			kf_err_msg());
		kf_err_clear();
		return;
	}
	c->fdnew = 1;
}

/*
 * Return probes (kretprobes) on the --retval functions: each records the
 * return register as the function returns, and the builder gives the
 * value to that call's node.  A function the kernel will not probe
 * (blacklisted, a module's that went away) is left out with a note.
 * Returns 0, or -1 when the meta list cannot be kept (out of memory).
 */
static int retval_probes(struct cap *c)
{
	char *list = NULL;
	size_t len = 0;
	FILE *ls;
	int i;

	if (!c->nretfuncs)
		return 0;
	if (!c->dynsys[0])
		snprintf(c->dynsys, sizeof(c->dynsys), "kfollow_%d",
			 (int)getpid());
	ls = open_memstream(&list, &len);
	if (!ls)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	for (i = 0; i < c->nretfuncs; i++) {
		const char *f = c->retfuncs[i];
		char def[512], rm[128], ev[32], en[160];

		snprintf(ev, sizeof(ev), "ret%d", i);
		/* r64: room for 64 calls in flight at once (the default,
		 * 10 on a small machine, can miss a deep recursion) */
		snprintf(def, sizeof(def), "r64:%s/%s %s ret=$retval:u64",
			 c->dynsys, ev, f);
		snprintf(rm, sizeof(rm), "-:%s/%s", c->dynsys, ev);
		snprintf(en, sizeof(en), "events/%s/%s/enable", c->dynsys, ev);
		if (kf_tracer_dynevent(&c->tr, def, rm) < 0 ||
		    tep_add_format(c, c->dynsys, ev) < 0 ||
		    kf_raw_add_retval_event(c->raw, c->dynsys, ev, "ret",
					    f) < 0 ||
		    kf_tracer_write(&c->tr, c->inst, en, "1") < 0) {
			if (!c->o->quiet)
				kf_note("no return values of '%s': %s", f,
					kf_err_msg());
			kf_err_clear();
			continue;
		}
		fprintf(ls, "%s%s", c->retprobes++ ? "," : "", f);
	}
	if (fclose(ls) != 0) {
		free(list);
		return kf_err(KF_EXIT_OSERR, "out of memory");
	}
	if (c->retprobes && kf_meta_set(&c->m->meta.retval, list) < 0) {
		free(list);
		return -1;
	}
	free(list);
	return 0;
}

static char *pid_list(const struct cap *c)
{
	char *s = malloc(c->npids * 12 + 1);
	size_t len = 0;
	int i;

	if (!s)
		return NULL;
	s[0] = '\0';
	for (i = 0; i < c->npids; i++)
		len += sprintf(s + len, "%s%d", i ? " " : "", (int)c->pids[i]);
	return s;
}

static int file_has_entries(struct cap *c, const char *file)
{
	char *s = kf_tracer_read(&c->tr, 0, file, NULL), *p;
	int has = 0;

	if (!s) {
		kf_err_clear();
		return 0;
	}
	for (p = s; *p; p = strchrnul(p, '\n'), p += !!*p)
		if (*p != '\n' && *p != '#' && strncmp(p, "no pid", 6))
			has = 1;
	free(s);
	return has;
}

static int write_list(struct cap *c, int inst, const char *file,
		      char **items, int n)
{
	int i;

	if (!n)
		return kf_tracer_write(&c->tr, inst, file, "");
	for (i = 0; i < n; i++) {
		int rc = i ? kf_tracer_append(&c->tr, inst, file, items[i]) :
			     kf_tracer_write(&c->tr, inst, file, items[i]);

		if (rc < 0)
			return -1;
	}
	return 0;
}

static int enable_events(struct cap *c)
{
	static const char *const sched[] = {
		"events/sched/sched_process_exec/enable",
		"events/sched/sched_process_fork/enable",
		"events/sched/sched_process_exit/enable",
	};
	static const char *const offcpu[] = {
		"events/sched/sched_switch/enable",
		"events/sched/sched_waking/enable",
	};
	char path[300];
	size_t i;
	int k;

	/* every syscall: cap_arm_boundary enabled them all at once */
	for (k = 0; !c->all_sys && k < c->ntargets + c->nctx; k++) {
		const struct kf_target *t = CAP_SYS_TARGET(c, k);

		if (!t->is_syscall || !t->has_events)
			continue;
		snprintf(path, sizeof(path),
			 "events/syscalls/sys_enter_%s/enable", t->name);
		if (kf_tracer_write(&c->tr, c->inst, path, "1") < 0)
			return -1;
		snprintf(path, sizeof(path),
			 "events/syscalls/sys_exit_%s/enable", t->name);
		if (kf_tracer_write(&c->tr, c->inst, path, "1") < 0)
			return -1;
	}
	for (i = 0; i < sizeof(sched) / sizeof(sched[0]); i++)
		if (kf_tracer_exists(&c->tr, c->inst, sched[i]) &&
		    kf_tracer_write(&c->tr, c->inst, sched[i], "1") < 0)
			return -1;
	/* the trees' off-CPU time and wakers: set_event_pid keeps the
	 * switches in and out of the traced tasks and their wakeups (the
	 * kernel checks the woken task), nobody else's.  sched_waking, not
	 * sched_wakeup: a wakeup sent to another CPU is recorded there, in
	 * whatever task runs on it, where sched_waking is the waker's own */
	for (i = 0; c->graph && i < sizeof(offcpu) / sizeof(offcpu[0]); i++)
		if (kf_tracer_exists(&c->tr, c->inst, offcpu[i]) &&
		    kf_tracer_write(&c->tr, c->inst, offcpu[i], "1") < 0)
			return -1;
	return 0;
}

/*
 * Choose the trace clock of the buffer kfollow reads (--clock, else keep
 * the kernel's) and remember its name for the capture.  A kernel that
 * found its TSC unstable defaults to "global", which stands still between
 * late ticks: kfollow then checks record times against the kernel's call
 * times (build.c) rather than trusting them.
 */
static int set_clock(struct cap *c, int inst)
{
	char *all = kf_tracer_read(&c->tr, inst, "trace_clock", NULL);
	const char *want = c->o->clock, *b, *e;
	char list[256];
	int found = 0, rc = 0;

	c->clock[0] = '\0';
	if (!all) {
		/* no trace_clock file: nothing to choose, nothing to say */
		kf_err_clear();
		if (want)
			return kf_err(KF_EXIT_UNAVAILABLE, "cannot choose the "
				      "trace clock '%s': this kernel has no "
				      "trace_clock file", want);
		return 0;
	}
	b = strchr(all, '[');
	e = b ? strchr(b, ']') : NULL;
	if (b && e && e - b - 1 < (long)sizeof(c->clock))
		snprintf(c->clock, sizeof(c->clock), "%.*s", (int)(e - b - 1),
			 b + 1);
	if (!want)
		goto out;
	for (char *p = all; *p; p++)
		if (*p == '[' || *p == ']' || *p == '\n')
			*p = ' ';
	/* the names, one space apart, for the message */
	list[0] = '\0';
	{
		size_t at = 0;
		const char *p = all;

		for (;;) {
			size_t n;

			p += strspn(p, " ");
			n = strcspn(p, " ");
			if (!n)
				break;
			if (at + n + 2 < sizeof(list))
				at += snprintf(list + at, sizeof(list) - at,
					       "%s%.*s", at ? " " : "",
					       (int)n, p);
			p += n;
		}
	}
	for (char *sp, *w = strtok_r(all, " ", &sp); w && !found;
	     w = strtok_r(NULL, " ", &sp))
		found = !strcmp(w, want);
	if (!found) {
		rc = kf_err(KF_EXIT_USAGE, "unknown trace clock '%s': this "
			    "kernel offers %s", want, list);
		goto out;
	}
	/* they count cycles or events, not nanoseconds */
	if (!strcmp(want, "counter") || !strcmp(want, "x86-tsc")) {
		rc = kf_err(KF_EXIT_USAGE, "trace clock '%s' does not count "
			    "nanoseconds: use local, global, mono or another "
			    "clock that does", want);
		goto out;
	}
	if (strcmp(want, c->clock) != 0) {
		if (kf_tracer_write(&c->tr, inst, "trace_clock", want) < 0) {
			rc = -1;
			goto out;
		}
		snprintf(c->clock, sizeof(c->clock), "%s", want);
	}
out:
	free(all);
	return rc;
}

/* The graph roots of the targets, each once, into roots (room for one a
 * target).  Returns how many. */
static int graph_roots(const struct cap *c, char **roots)
{
	int nroots = 0, i, k;

	for (i = 0; i < c->ntargets; i++) {
		for (k = 0; k < nroots; k++)
			if (!strcmp(roots[k], c->targets[i].root))
				break;
		if (k == nroots)
			roots[nroots++] = c->targets[i].root;
	}
	return nroots;
}

/* The functions to leave out of the trees into notrace (room for the
 * plan's and nine more).  Returns how many. */
static int graph_notrace(const struct cap *c, char **notrace)
{
	const struct kf_plan *plan = c->plan;
	int nnotrace = 0, i;

	for (i = 0; i < plan->nnotrace; i++)
		notrace[nnotrace++] = plan->notrace[i];
	/* kfollow's own path-string kprobes run inside the syscall entry,
	 * its return probes at each probed function's entry and return, its
	 * fd_install probe inside pipe2: keep their handlers out of the
	 * trees */
	if (c->dynsys[0] && (!c->eprobes || c->retprobes || c->fdnew) &&
	    kf_strtab_find(&c->ki.funcs, "kprobe_ftrace_handler") != KF_NONE)
		notrace[nnotrace++] = "kprobe_ftrace_handler";
	/* not here: the iterators of the sched tracepoints kfollow turns on
	 * (__traceiter_sched_*), which the builder hides instead
	 * (hide_sched_iter).  As a glob here they cost a pass over every
	 * function with a symbol lookup each to set (45-60 ms under
	 * emulation on 6.1 and 7.2) and, on 6.1, an RCU wait of ~100 ms to
	 * clear; the kernel records two to six more events per switch or
	 * wakeup of a traced task instead */
	if (c->retprobes) {
		static const char *const ret_handlers[] = {
			/* the return trampoline's C part (rethook, 5.19+) */
			"arch_rethook_trampoline_callback",
			"rethook_trampoline_handler",
			"kretprobe_rethook_handler",
			/* before rethook */
			"trampoline_handler",
			"__kretprobe_trampoline_handler",
		};
		size_t k;

		for (k = 0; k < sizeof(ret_handlers) / sizeof(*ret_handlers);
		     k++)
			if (kf_strtab_find(&c->ki.funcs, ret_handlers[k]) !=
			    KF_NONE)
				notrace[nnotrace++] = (char *)ret_handlers[k];
	}
	return nnotrace;
}

/* set_ftrace_filter and set_ftrace_notrace emptied, if anything is in
 * them: someone else's function filters would cut our trees. */
static int clear_function_filters(struct cap *c)
{
	if (file_has_entries(c, "set_ftrace_filter") &&
	    kf_tracer_write(&c->tr, 0, "set_ftrace_filter", "") < 0)
		return -1;
	if (file_has_entries(c, "set_ftrace_notrace") &&
	    kf_tracer_write(&c->tr, 0, "set_ftrace_notrace", "") < 0)
		return -1;
	return 0;
}

/*
 * --scope: set_ftrace_filter holds the roots and the functions the
 * scope's globs match, so the kernel patches those call sites only
 * (switching function_graph on all ~38k of them took 4.5-6 s under
 * emulation; a scope of a few hundred, a tenth of a second).  Matched
 * here and written as indexes of available_filter_functions (kernels
 * 5.1+): the kernel matches each glob written by name against every
 * function, with a symbol lookup each (58 ms a glob under emulation).
 * A glob of the map that matches nothing is skipped (names differ
 * between kernels); an entry given as itself that matches nothing is an
 * error.
 */
static int scope_filter(struct cap *c, char **roots, int nroots)
{
	const struct kf_plan *plan = c->plan;
	int *hits;
	char *avail = NULL, *idx = NULL, *val = NULL;
	long count;
	int i, rc = -1;
	size_t vlen = 0;
	FILE *vs;

	if (!plan->nscope)
		return 0;
	hits = calloc(plan->nscope, sizeof(*hits));
	/* the text set-up read (or kept from a run before: the same
	 * kernel and modules, so the same order the indexes count) */
	avail = c->ktab.funcs ? strdup(c->ktab.funcs) :
		kf_tracer_read(&c->tr, 0, "available_filter_functions", NULL);
	if (!hits || !avail) {
		if (!hits)
			kf_err(KF_EXIT_OSERR, "out of memory");
		goto out;
	}
	count = kf_plan_scope_match(plan, avail, &idx, hits);
	if (count < 0)
		goto out;
	for (i = 0; i < plan->nscope; i++) {
		if (hits[i])
			continue;
		if (plan->scope_literal[i]) {
			kf_err(KF_EXIT_USAGE, "--scope '%s': %s", plan->scope[i],
			       strpbrk(plan->scope[i], "*?[") ?
			       "matches no traceable function here" :
			       "no subsystem of the map and no traceable "
			       "function of that name here (see SCOPE in "
			       "kfollow(1))");
			goto out;
		}
		if (kf_verbose)
			kf_note("scope: '%s' matches no function here",
				plan->scope[i]);
	}
	if (!count) {
		kf_err(KF_EXIT_USAGE, "--scope '%s' matches no traceable "
		       "function of this kernel (a module's functions only "
		       "while it is loaded)", plan->scope_names);
		goto out;
	}
	/* the roots by name (graph roots must be traced), then the rest */
	vs = open_memstream(&val, &vlen);
	if (!vs) {
		kf_err(KF_EXIT_OSERR, "out of memory");
		goto out;
	}
	for (i = 0; i < nroots; i++)
		fprintf(vs, "%s ", roots[i]);
	fputs(idx, vs);
	if (fclose(vs) != 0) {
		kf_err(KF_EXIT_OSERR, "out of memory");
		goto out;
	}
	if (kf_tracer_write(&c->tr, 0, "set_ftrace_filter", val) < 0)
		goto out;
	c->scope_funcs = (uint64_t)count;
	rc = 0;
out:
	free(hits);
	free(avail);
	free(idx);
	free(val);
	return rc;
}

/* set_graph_notrace (emptied of anyone else's entries) and
 * set_graph_function: the roots. */
static int graph_filters(struct cap *c, char **roots, int nroots,
			 char **notrace, int nnotrace)
{
	if ((nnotrace || file_has_entries(c, "set_graph_notrace")) &&
	    write_list(c, 0, "set_graph_notrace", notrace, nnotrace) < 0)
		return -1;
	return write_list(c, 0, "set_graph_function", roots, nroots);
}

/* A number file of the top-level buffer (max_graph_depth,
 * tracing_thresh) set to n where the kernel has it and it differs. */
static int graph_number(struct cap *c, const char *file, int n)
{
	char *cur, num[32];
	int rc = 0;

	if (!kf_tracer_exists(&c->tr, 0, file))
		return 0;
	cur = kf_tracer_read(&c->tr, 0, file, NULL);
	snprintf(num, sizeof(num), "%d", n);
	if (cur && atoi(cur) != n &&
	    kf_tracer_write(&c->tr, 0, file, num) < 0)
		rc = -1;
	free(cur);
	return rc;
}

/* Functions and events of these pids only (and, by the fork options,
 * their children). */
static int graph_pids(struct cap *c, const char *pids)
{
	if (kf_tracer_write(&c->tr, 0, "set_ftrace_pid", pids) < 0 ||
	    kf_tracer_write(&c->tr, 0, "set_event_pid", pids) < 0)
		return -1;
	return 0;
}

/* options/function-fork or options/event-fork, where the kernel has it:
 * children are followed unless --no-children. */
static int fork_option(struct cap *c, int inst, const char *file)
{
	if (kf_tracer_exists(&c->tr, inst, file) &&
	    kf_tracer_write(&c->tr, inst, file,
			    c->o->no_children ? "0" : "1") < 0)
		return -1;
	return 0;
}

/*
 * options/funcgraph-args (6.15+, with BTF): on for --args, off otherwise
 * where the kernel has it.  The registers are named from the kernel's
 * BTF; without it (or without the option) the trees come without
 * arguments, and kfollow says so once.
 */
static int args_option(struct cap *c)
{
	const char *opt = "options/funcgraph-args";

	if (!kf_tracer_exists(&c->tr, 0, opt)) {
		if (c->o->args)
			kf_warn("--args: this kernel has no %s (kernels 6.15 "
				"and later with BTF have it): the trees come "
				"without arguments", opt);
		return 0;
	}
	if (c->o->args && !c->btf &&
	    !(c->btf = kf_btfargs_new("/sys/kernel/btf/vmlinux",
				      "/sys/kernel/btf"))) {
		kf_warn("--args: %s: the trees come without arguments",
			kf_err_msg());
		kf_err_clear();
	}
	if (kf_tracer_write(&c->tr, 0, opt, c->btf ? "1" : "0") < 0)
		return -1;
	if (c->btf) {
		if (c->raw)
			kf_raw_set_btf(c->raw, c->btf);
		if (kf_meta_set(&c->m->meta.args, "funcgraph-args") < 0)
			return -1;
	}
	return 0;
}

/*
 * Inside --vm's own VM, without --buffer-size, function_graph gets 8 MB
 * a CPU (at most 128 MB in all) where the kernel's is smaller: W2 (2000
 * opens) writes ~480k records in about 1.6 s under emulation.  Since the
 * reader builds only when the rings pause (ring.c) the kernel's 1.4 MB
 * held them all in 3 of 3 runs with another VM busy on the host, but
 * before that it lost 150-200k (4 MB: sometimes 80k; 8 MB: none), and a
 * busier host starves the reader the same way.  Only there: a resized ring
 * cannot be put back exactly (the kernel's 1408 KB reads 1410 once
 * written), and that VM powers off after the capture.  A kernel that
 * cannot allocate it keeps its own size.
 */
#define GRAPH_RING_KB 8192ul
#define GRAPH_RING_TOTAL_KB (128ul << 10)
/*
 * Syscall events go to kfollow's own instance, whose ring goes away with
 * it, so it can be sized anywhere: 4 MB a CPU (at most 64 MB in all).
 * dd moving 20000 blocks (80k events) under emulation lost 684 events
 * in one of three runs to the kernel's 1.4 MB while the reader waited for
 * a CPU.
 */
#define BOUNDARY_RING_KB 4096ul
#define BOUNDARY_RING_TOTAL_KB (64ul << 10)

static int ring_default(struct cap *c, int inst, unsigned long want,
			unsigned long total)
{
	unsigned long cur;
	char *now, num[32];

	if (c->ncpus > 0 && want * c->ncpus > total)
		want = total / c->ncpus;
	now = kf_tracer_read(&c->tr, inst, "buffer_size_kb", NULL);
	cur = now ? strtoul(now, NULL, 10) : 0;
	free(now);
	kf_err_clear();
	if (!cur || cur >= want)
		return 0;
	snprintf(num, sizeof(num), "%lu", want);
	if (kf_tracer_write(&c->tr, inst, "buffer_size_kb", num) < 0) {
		if (kf_verbose)
			kf_note("keeping the kernel's ring size: %s",
				kf_err_msg());
		kf_err_clear();
	}
	return 0;
}

/* buffer_size_kb from --buffer-size; without it the kernel's stays (but
 * for function_graph in --vm's own VM and for kfollow's instance,
 * above). */
static int buffer_size(struct cap *c, int inst)
{
	char num[32];

	if (!c->o->buffer_kb && inst)
		return ring_default(c, 1, BOUNDARY_RING_KB,
				    BOUNDARY_RING_TOTAL_KB);
	if (!c->o->buffer_kb)
		return !cap_in_own_vm() ? 0 : ring_default(c, 0, GRAPH_RING_KB,
							   GRAPH_RING_TOTAL_KB);
	snprintf(num, sizeof(num), "%lu", c->o->buffer_kb);
	return kf_tracer_write(&c->tr, inst, "buffer_size_kb", num);
}

/*
 * The knobs in the order they have always been written: tracing off and
 * the clock first, the tracer itself last, so nothing is traced before
 * every filter is in place.
 */
int cap_arm_graph(struct cap *c)
{
	char **roots = NULL, **notrace = NULL;
	int nroots, nnotrace, rc = -1;
	char *pids = pid_list(c);

	roots = calloc(c->ntargets + 1, sizeof(*roots));
	notrace = calloc(c->plan->nnotrace + 10, sizeof(*notrace));
	if (!pids || !roots || !notrace) {
		kf_err(KF_EXIT_OSERR, "out of memory");
		goto out;
	}
	/* first: the notrace list below depends on whether they worked */
	string_probes(c);
	fdnew_probe(c);
	if (retval_probes(c) < 0)
		goto out;
	nroots = graph_roots(c, roots);
	nnotrace = graph_notrace(c, notrace);
	if (kf_tracer_write(&c->tr, 0, "tracing_on", "0") < 0 ||
	    set_clock(c, 0) < 0 ||
	    clear_function_filters(c) < 0 ||
	    scope_filter(c, roots, nroots) < 0 ||
	    graph_filters(c, roots, nroots, notrace, nnotrace) < 0 ||
	    graph_number(c, "max_graph_depth", c->plan->max_depth) < 0 ||
	    /* a threshold records exits only: no trees */
	    graph_number(c, "tracing_thresh", 0) < 0 ||
	    graph_pids(c, pids) < 0 ||
	    fork_option(c, 0, "options/function-fork") < 0 ||
	    fork_option(c, 0, "options/event-fork") < 0 ||
	    args_option(c) < 0 ||
	    buffer_size(c, 0) < 0 ||
	    enable_events(c) < 0 ||
	    kf_tracer_write(&c->tr, 0, "current_tracer", "function_graph") < 0)
		goto out;
	rc = 0;
out:
	free(pids);
	free(roots);
	free(notrace);
	return rc;
}

int cap_arm_boundary(struct cap *c)
{
	char *pids = pid_list(c);
	int rc = -1;

	if (!pids)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	if (kf_tracer_instance_create(&c->tr) < 0)
		goto out;
	c->inst = 1;
	if (kf_tracer_write(&c->tr, 1, "tracing_on", "0") < 0 ||
	    set_clock(c, 1) < 0 ||
	    kf_tracer_write(&c->tr, 1, "set_event_pid", pids) < 0 ||
	    fork_option(c, 1, "options/event-fork") < 0 ||
	    buffer_size(c, 1) < 0)
		goto out;
	/* every syscall: one write, not two for each of ~700 events, and
	 * before the path probes: the system's enable file then reads 0
	 * when it is saved, not "X" (some on), which cannot be written
	 * back */
	if (c->all_sys && kf_tracer_write(&c->tr, 1, "events/syscalls/enable",
					  "1") < 0)
		goto out;
	string_probes(c);
	fdnew_probe(c);
	if (enable_events(c) < 0)
		goto out;
	rc = 0;
out:
	free(pids);
	return rc;
}
