// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cli.c - the command line.  One table defines every option; --help is
 * printed from it, and a test checks that man/kfollow.1 documents exactly
 * these options.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kf_common.h"
#include "kf_datfile.h"
#include "kf_model.h"
#include "kf_opts.h"

enum {
	OPT_NO_CHILDREN = 256, OPT_NO_PRESET, OPT_LIST_PRESETS,
	OPT_BUFFER_SIZE, OPT_VM, OPT_VM_FILE, OPT_VM_DISK, OPT_VM_SCRIPT, OPT_ASCII,
	OPT_STATS, OPT_TRACEFS, OPT_VERSION, OPT_NO_SHOW, OPT_KEYS,
	OPT_FORCE, OPT_DROP_CACHES, OPT_SETUP, OPT_RESTORE, OPT_STATUS, OPT_MAX_EVENTS, OPT_CLOCK,
	OPT_SCOPE, OPT_PATH, OPT_DIFF, OPT_RETVAL, OPT_SOURCE, OPT_EXPLAIN,
	OPT_ARGS, OPT_SUMMARY, OPT_INVOCATION, OPT_CGROUP, OPT_BOUNDARY,
};

struct opt_def {
	const char *name;
	int val;        /* short option char or OPT_* */
	int has_arg;    /* no_argument, required_argument, optional_argument */
	const char *arg;
	const char *help;
};

static const struct opt_def defs[] = {
	{ "function", 'g', required_argument, "FUNC",
	  "follow a kernel function or glob instead of a syscall (repeatable)" },
	{ "pid", 'p', required_argument, "PID[,PID...]",
	  "attach to running processes, all their threads, until Ctrl-C or --duration" },
	{ "cgroup", OPT_CGROUP, required_argument, "PATH",
	  "trace every task in the cgroup v2 PATH (under the cgroup2 mount, or relative to it) and the cgroups under it: its tasks when tracing starts, their children, and the tasks that join later (found by a scan every 100 ms), until Ctrl-C, --duration or the cgroup is empty; not with -p or a command" },
	{ "duration", 'd', required_argument, "DUR",
	  "stop after DUR (e.g. 10s, 500ms)" },
	{ "boundary", OPT_BOUNDARY, no_argument, NULL,
	  "trace only where syscalls enter and leave the kernel (the syscall events: the named syscalls, or every syscall if none is named), even where function_graph is available: strace-like lines with arguments, return values and durations, at a fraction of function_graph's cost; with --summary, per process and syscall" },
	{ "no-children", OPT_NO_CHILDREN, no_argument, NULL,
	  "do not follow the processes the command forks" },
	{ "max-depth", 'D', required_argument, "N",
	  "keep N levels of calls below each root" },
	{ "notrace", 'N', required_argument, "GLOB",
	  "leave out functions matching GLOB and all they call (repeatable)" },
	{ "path", OPT_PATH, required_argument, "GLOB",
	  "show only the invocations with a path argument matching GLOB ('*' matches '/' too; repeatable): the command's own files, not the loader's and libc's; --output still saves them all" },
	{ "invocation", OPT_INVOCATION, required_argument, "LIST",
	  "show only these invocations (implies --batch), numbered from 1 as the trees list them after --path: 3, 1,4-6 or 2-; for one invocation's graph or trace" },
	{ "scope", OPT_SCOPE, required_argument, "LIST",
	  "trace only the functions of these subsystems (vfs, pagecache, ext4, block, sched, ... from the subsystem map) or function globs, comma-separated: switching tracing on and off costs less and other tasks slow down less; calls outside the scope are not shown" },
	{ "retval", OPT_RETVAL, required_argument, "GLOB[,GLOB...]",
	  "record the return values of these functions (at most 32; replaces the preset's list; 'none': none), shown as '= -2 ENOENT' in the trees, with the origin of a failed call's error marked" },
	{ "args", OPT_ARGS, no_argument, NULL,
	  "record the arguments of every traced function, named from the kernel's BTF (funcgraph-args: kernels 6.15 and later; entry records grow from 24 to 72 bytes, so the ring fills faster)" },
	{ "min-duration", 'm', required_argument, "DUR",
	  "hide calls shorter than DUR (units ns, us, ms, s)" },
	{ "source", OPT_SOURCE, optional_argument, "VERSION",
	  "show where each function is defined (file:line) in the source of the traced Debian kernel, fetched once into the cache (Debian's linux-source, ~150 MB); VERSION names the kernel (6.1.192-3) when the capture does not" },
	{ "explain", OPT_EXPLAIN, no_argument, NULL,
	  "show what each function does in one line: the kernel's own kernel-doc summary (quoted) where it has one, else kfollow's own line for the functions the labs show most; implies --source" },
	{ "summary", OPT_SUMMARY, no_argument, NULL,
	  "print a summary instead of the trees (implies --batch): per syscall calls, errors, total, average and max time (strace -c's columns), per kernel function calls, total, self, average and max; over the invocations --path keeps, without the calls --min-duration hides; text or --format json" },
	{ "batch", 'b', no_argument, NULL,
	  "print the trees as text and exit instead of opening the interactive view (the default when not on a terminal)" },
	{ "format", 'f', required_argument, "text|json|folded|chrome|svg",
	  "batch output: text, json (kfollow-capture(5)); or for other tools: folded (collapsed stacks, each line a call path and its self time in ns, for flamegraph.pl, inferno and speedscope), chrome (Trace Event JSON for Perfetto, chrome://tracing and speedscope), svg (an icicle graph of the call paths merged, coloured by layer, times in tooltips)" },
	{ "output", 'o', required_argument, "FILE",
	  "also save the capture to FILE (see kfollow-capture(5)); FILE.dat: the raw ring-buffer pages as a trace-cmd file for trace-cmd report and KernelShark (give both to save both)" },
	{ "no-show", OPT_NO_SHOW, no_argument, NULL,
	  "with --output: only save, do not show the trees" },
	{ "input", 'i', required_argument, "FILE",
	  "show a saved capture or function_graph text instead of tracing" },
	{ "diff", OPT_DIFF, required_argument, "A B",
	  "compare two saved captures: invocations paired by syscall and path, trees aligned by call path (added, missing, slower, faster)" },
	{ "preset", 'P', required_argument, "NAME|FILE",
	  "apply a preset (see kfollow-preset(5))" },
	{ "no-preset", OPT_NO_PRESET, no_argument, NULL,
	  "do not apply the preset named after a syscall" },
	{ "keys", OPT_KEYS, no_argument, NULL,
	  "list the interactive view's keys and exit" },
	{ "list-presets", OPT_LIST_PRESETS, no_argument, NULL,
	  "list the presets kfollow can find, with what each is for, and exit" },
	{ "setup", OPT_SETUP, required_argument, "CMD",
	  "run the shell command CMD first, untraced (create files, warm a cache; repeatable, in order; its output goes to stderr)" },
	{ "drop-caches", OPT_DROP_CACHES, no_argument, NULL,
	  "sync and drop the page cache, dentries and inodes, untraced, just before the command starts (for a cold read)" },
	{ "user", 'u', required_argument, "USER",
	  "run the command as USER (a name, or UID[:GID]); only kfollow stays root" },
	{ "max-events", OPT_MAX_EVENTS, required_argument, "N",
	  "build trees from at most N events, count and report the rest (default 16000000; 0: no limit)" },
	{ "buffer-size", OPT_BUFFER_SIZE, required_argument, "KB",
	  "ring buffer size per CPU while tracing" },
	{ "clock", OPT_CLOCK, required_argument, "NAME",
	  "time records with the trace clock NAME (local, global, mono, ... as the kernel's trace_clock lists them; default: the kernel's)" },
	{ "vm", OPT_VM, optional_argument, "KERNEL",
	  "capture inside a qemu VM booted from a Debian kernel (bookworm, trixie, sid) or a vmlinuz" },
	{ "vm-file", OPT_VM_FILE, required_argument, "PATH",
	  "with --vm: copy PATH into the VM too (repeatable)" },
	{ "vm-disk", OPT_VM_DISK, required_argument, "PATH",
	  "with --vm: give the VM a real disk (virtio-blk, ext4) holding PATH, mounted at /mnt/disk (repeatable): cold reads, fsync" },
	{ "vm-script", OPT_VM_SCRIPT, required_argument, "FILE",
	  "with --vm: run the shell script FILE in the VM instead (for tests)" },
	{ "ascii", OPT_ASCII, no_argument, NULL,
	  "draw trees with ASCII characters" },
	{ "stats", OPT_STATS, no_argument, NULL,
	  "print event counts, timings and memory use to stderr" },
	{ "force", OPT_FORCE, no_argument, NULL,
	  "trace even though another tracer is using tracefs (its settings come back afterwards)" },
	{ "restore", OPT_RESTORE, no_argument, NULL,
	  "put back what a killed kfollow run left changed in tracefs, and exit" },
	{ "status", OPT_STATUS, no_argument, NULL,
	  "show what in tracefs differs from the defaults and who holds it, and exit" },
	{ "tracefs", OPT_TRACEFS, required_argument, "DIR",
	  "use DIR as the tracefs mount point" },
	{ "quiet", 'q', no_argument, NULL, "print only errors" },
	{ "verbose", 'v', no_argument, NULL, "say more about what kfollow does" },
	{ "help", 'h', no_argument, NULL, "show this help and exit" },
	{ "version", OPT_VERSION, no_argument, NULL,
	  "show the version and exit" },
};

#define NDEFS (sizeof(defs) / sizeof(defs[0]))

/* Print text from column `col` (the cursor is there), wrapped at `width`. */
static void print_wrapped(FILE *f, const char *text, int col, int width)
{
	int at = col, first = 1;

	while (*text) {
		size_t w = strcspn(text, " ");

		if (!first && at + 1 + (int)w > width) {
			fprintf(f, "\n%*s", col, "");
			at = col;
			first = 1;
		}
		fprintf(f, " %.*s", (int)w, text);
		at += 1 + (int)w;
		first = 0;
		text += w;
		while (*text == ' ')
			text++;
	}
	fputc('\n', f);
}

void kf_opts_usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"usage: kfollow [options] SYSCALL... [-- COMMAND [ARG...]]\n"
		"       kfollow [options] -g FUNC [-- COMMAND [ARG...]]\n"
		"       kfollow [options] SYSCALL... -p PID[,PID...]\n"
		"       kfollow [options] SYSCALL... --cgroup PATH\n"
		"       kfollow --boundary [--summary] [SYSCALL...] -- COMMAND\n"
		"       kfollow [options] --input FILE\n"
		"       kfollow --status | --restore\n"
		"\n"
		"Follow a syscall from user space into the kernel with ftrace's\n"
		"function_graph tracer: one timed kernel call tree per invocation.\n"
		"\n"
		"options:\n");
	for (i = 0; i < NDEFS; i++) {
		char left[64];
		int n = 0;

		if (defs[i].val < 256)
			n = snprintf(left, sizeof(left), "-%c, ", defs[i].val);
		else
			n = snprintf(left, sizeof(left), "    ");
		if (defs[i].has_arg == required_argument)
			snprintf(left + n, sizeof(left) - n, "--%s %s",
				 defs[i].name, defs[i].arg);
		else if (defs[i].has_arg == optional_argument)
			snprintf(left + n, sizeof(left) - n, "--%s[=%s]",
				 defs[i].name, defs[i].arg);
		else
			snprintf(left + n, sizeof(left) - n, "--%s",
				 defs[i].name);
		if (strlen(left) > 26)
			fprintf(f, "  %s\n  %-26s", left, "");
		else
			fprintf(f, "  %-26s", left);
		print_wrapped(f, defs[i].help, 28, 79);
	}
	fprintf(f,
		"\nexamples:\n"
		"  sudo kfollow --batch openat -- cat /tmp/demo.txt\n"
		"  sudo kfollow read write -p 1234 --duration 5s\n"
		"  sudo kfollow --boundary --summary -- dd if=/dev/zero "
		"of=/dev/null count=1000\n"
		"  kfollow --vm --batch openat -- cat /etc/hostname\n"
		"  kfollow --input capture.json\n"
		"\nExit status: the traced command's, or kfollow's own code "
		"(see kfollow(1)).\n");
}

static int push_str(char ***arr, int *n, char *s)
{
	char **a = realloc(*arr, (*n + 2) * sizeof(*a));

	if (!a)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	a[(*n)++] = s;
	a[*n] = NULL;
	*arr = a;
	return 0;
}

static int parse_pids(struct kf_opts *o, const char *arg)
{
	const char *p = arg;

	while (*p) {
		char *end;
		long v;
		pid_t *a;

		errno = 0;
		v = strtol(p, &end, 10);
		if (end == p || errno || v <= 0 || v > 4194304 ||
		    (*end && *end != ','))
			return kf_err(KF_EXIT_USAGE, "invalid pid list '%s': use "
				      "PID[,PID...] with positive numbers", arg);
		a = realloc(o->pids, (o->npids + 1) * sizeof(*a));
		if (!a)
			return kf_err(KF_EXIT_OSERR, "out of memory");
		o->pids = a;
		o->pids[o->npids++] = (pid_t)v;
		p = *end ? end + 1 : end;
		if (*end == ',' && !*p)
			return kf_err(KF_EXIT_USAGE, "invalid pid list '%s'", arg);
	}
	if (!o->npids)
		return kf_err(KF_EXIT_USAGE, "invalid pid list '%s'", arg);
	return 0;
}

static int parse_uint(const char *opt, const char *arg, long min, long max,
		      long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (end == arg || *end || errno || v < min || v > max)
		return kf_err(KF_EXIT_USAGE, "invalid value '%s' for --%s: use "
			      "a whole number from %ld to %ld", arg, opt, min,
			      max);
	*out = v;
	return 0;
}

/*
 * A syscall name is a plain name: it also picks the preset named after it,
 * so "a/b" or "x.preset" must not open a file (that is --preset FILE).
 */
static int check_syscall_name(const char *s)
{
	const char *p;

	if (!*s)
		return kf_err(KF_EXIT_USAGE, "syscall name is empty: name one, "
			      "such as 'openat' (kfollow openat -- cat FILE)");
	for (p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_')
			break;
	if (*p || p - s > 64)
		return kf_err(KF_EXIT_USAGE, "invalid syscall name '%s': a "
			      "syscall is named with letters, digits and '_' "
			      "(a preset file goes with --preset FILE)", s);
	return 0;
}

/*
 * "--" splits kfollow's arguments from the command's: point o->cmd at the
 * command and return how many of argv are kfollow's (argc if no "--").
 */
static int split_cmd(struct kf_opts *o, int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			o->cmd = argv + i + 1;
			o->ncmd = argc - i - 1;
			if (!o->ncmd)
				return kf_err(KF_EXIT_USAGE,
					      "no command after '--'");
			return i;
		}
	}
	return argc;
}

/*
 * Fill getopt_long's tables from defs.  shortopts starts with "+:": stop at
 * the first non-option (a syscall) and report a missing value as ':'.
 */
static void build_getopt(struct option *longopts, char *shortopts)
{
	size_t k;
	int n = 0;

	shortopts[n++] = '+';
	shortopts[n++] = ':';
	for (k = 0; k < NDEFS; k++) {
		longopts[k].name = defs[k].name;
		longopts[k].has_arg = defs[k].has_arg;
		longopts[k].flag = NULL;
		longopts[k].val = defs[k].val;
		if (defs[k].val < 256) {
			shortopts[n++] = (char)defs[k].val;
			if (defs[k].has_arg == required_argument)
				shortopts[n++] = ':';
		}
	}
	shortopts[n] = '\0';
	memset(&longopts[NDEFS], 0, sizeof(longopts[0]));
}

/*
 * The option handlers below each take one group of options.  They return
 * 0 when the option is applied, 1 when kfollow should exit 0 (--help,
 * --version), -1 on a usage error, or NOT_MINE for another group's option.
 */
#define NOT_MINE 2

/* What to trace or show: functions, processes, the command's user, ... */
static int opt_target(struct kf_opts *o, int c, char *arg)
{
	switch (c) {
	case 'g':
		return push_str(&o->funcs, &o->nfuncs, arg);
	case 'p':
		return parse_pids(o, arg);
	case OPT_CGROUP:
		o->cgroup = arg;
		return 0;
	case 'd':
		if (kf_parse_duration(arg, &o->duration) < 0)
			return -1;
		if (!o->duration)
			return kf_err(KF_EXIT_USAGE,
				      "--duration must be more than zero");
		return 0;
	case OPT_NO_CHILDREN:
		o->no_children = 1;
		return 0;
	case OPT_BOUNDARY:
		o->boundary = 1;
		return 0;
	case 'i':
		o->input = arg;
		return 0;
	case OPT_DIFF:
		o->diff_a = arg;
		return 0;
	case 'P':
		o->preset = arg;
		return 0;
	case OPT_NO_PRESET:
		o->no_preset = 1;
		return 0;
	case 'u':
		o->user = arg;
		return 0;
	case OPT_DROP_CACHES:
		o->drop_caches = 1;
		return 0;
	case OPT_SETUP:
		return push_str(&o->setup, &o->nsetup, arg);
	}
	return NOT_MINE;
}

/* --scope LIST: each comma-separated name or glob, one word of the
 * characters a glob or ':mod:NAME' uses (set_ftrace_filter reads them). */
/*
 * A comma-separated list of subsystem names or function globs (--scope,
 * --retval) onto *arr: each entry one word of the characters a glob of
 * kernel function names needs.  what: the option; hint: what to name.
 */
static int opt_list(char ***arr, int *n, char *arg, const char *what,
		    const char *hint)
{
	char *w, *save = NULL;

	for (w = strtok_r(arg, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		if (strlen(w) > 255 ||
		    strspn(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			   "0123456789_.*?[]!-:") != strlen(w))
			return kf_err(KF_EXIT_USAGE, "invalid %s entry "
				      "'%.60s': name %s", what, w, hint);
		if (push_str(arr, n, w) < 0)
			return -1;
	}
	if (!*n)
		return kf_err(KF_EXIT_USAGE, "%s needs %s", what, hint);
	return 0;
}

/* How much to record: depth, left-out functions, event and buffer limits. */
static int opt_limits(struct kf_opts *o, int c, char *arg)
{
	long v;

	switch (c) {
	case 'D':
		if (parse_uint("max-depth", arg, 1, 1000, &v) < 0)
			return -1;
		o->max_depth = (int)v;
		return 0;
	case 'N':
		return push_str(&o->notrace, &o->nnotrace, arg);
	case OPT_SCOPE:
		return opt_list(&o->scope, &o->nscope, arg, "--scope",
				"a subsystem (vfs, pagecache, ...) or a "
				"function glob");
	case OPT_RETVAL:
		return opt_list(&o->retval, &o->nretval, arg, "--retval",
				"a kernel function or glob, or 'none'");
	case OPT_PATH:
		if (!*arg)
			return kf_err(KF_EXIT_USAGE, "--path needs a glob "
				      "('/tmp/*', '*.txt')");
		return push_str(&o->paths, &o->npaths, arg);
	case OPT_INVOCATION:
		if (kf_model_keep_numbers(NULL, arg) < 0)
			return -1;
		o->invocations = arg;
		return 0;
	case 'm':
		return kf_parse_duration(arg, &o->min_duration);
	case OPT_MAX_EVENTS:
		if (parse_uint("max-events", arg, 0, LONG_MAX, &v) < 0)
			return -1;
		o->max_events = (unsigned long long)v;
		return 0;
	case OPT_BUFFER_SIZE:
		if (parse_uint("buffer-size", arg, 4, 4194304, &v) < 0)
			return -1;
		o->buffer_kb = (unsigned long)v;
		return 0;
	case OPT_CLOCK:
		/* the kernel checks the name; keep it one word */
		if (!*arg || strspn(arg, "abcdefghijklmnopqrstu"
				    "vwxyz0123456789_-") != strlen(arg) ||
		    strlen(arg) > 32)
			return kf_err(KF_EXIT_USAGE, "invalid trace clock "
				      "'%s': use a name from the kernel's "
				      "trace_clock, such as local, global or "
				      "mono", arg);
		o->clock = arg;
		return 0;
	}
	return NOT_MINE;
}

/* Where and how the trees go: batch text or JSON, files, drawing, noise. */
static int opt_output(struct kf_opts *o, int c, char *arg)
{
	switch (c) {
	case 'b':
		o->batch = 1;
		return 0;
	case 'f':
		if (strcmp(arg, "text") == 0)
			o->format = KF_FMT_TEXT;
		else if (strcmp(arg, "json") == 0)
			o->format = KF_FMT_JSON;
		else if (strcmp(arg, "folded") == 0)
			o->format = KF_FMT_FOLDED;
		else if (strcmp(arg, "chrome") == 0)
			o->format = KF_FMT_CHROME;
		else if (strcmp(arg, "svg") == 0)
			o->format = KF_FMT_SVG;
		else
			return kf_err(KF_EXIT_USAGE, "invalid format '%s': "
				      "use text, json, folded, chrome or svg",
				      arg);
		return 0;
	case 'o':
		if (kf_dat_path(arg))
			o->dat = arg;
		else
			o->output = arg;
		return 0;
	case OPT_NO_SHOW:
		o->no_show = 1;
		return 0;
	case OPT_ASCII:
		o->ascii = 1;
		return 0;
	case OPT_STATS:
		o->stats = 1;
		return 0;
	case OPT_SOURCE:
		o->source = 1;
		if (arg && (!*arg || strlen(arg) > 64 ||
			    strspn(arg, "0123456789abcdefghijklmnopqrstuvwxyz"
				   "ABCDEFGHIJKLMNOPQRSTUVWXYZ.+~-") !=
			    strlen(arg)))
			return kf_err(KF_EXIT_USAGE, "invalid kernel version "
				      "'%s' for --source: give a Debian "
				      "package version such as 6.1.192-3",
				      arg);
		o->source_version = arg;
		return 0;
	case OPT_EXPLAIN:
		o->explain = 1;
		return 0;
	case OPT_ARGS:
		o->args = 1;
		return 0;
	case OPT_SUMMARY:
		o->summary = 1;
		return 0;
	case 'q':
		o->quiet = 1;
		return 0;
	case 'v':
		o->verbose++;
		return 0;
	}
	return NOT_MINE;
}

/* VM mode: the kernel to boot, files to copy in, a test script. */
static int opt_vm(struct kf_opts *o, int c, char *arg)
{
	switch (c) {
	case OPT_VM:
		o->vm = 1;
		o->vm_kernel = arg;
		return 0;
	case OPT_VM_FILE:
		return push_str(&o->vm_files, &o->nvm_files, arg);
	case OPT_VM_DISK:
		return push_str(&o->vm_disks, &o->nvm_disks, arg);
	case OPT_VM_SCRIPT:
		o->vm_script = arg;
		return 0;
	}
	return NOT_MINE;
}

/* tracefs and the modes that do something else than trace, then exit. */
static int opt_mode(struct kf_opts *o, int c, char *arg)
{
	switch (c) {
	case OPT_TRACEFS:
		o->tracefs = arg;
		return 0;
	case OPT_FORCE:
		o->force = 1;
		return 0;
	case OPT_RESTORE:
		o->restore = 1;
		return 0;
	case OPT_STATUS:
		o->status = 1;
		return 0;
	case OPT_KEYS:
		o->list_keys = 1;
		return 0;
	case OPT_LIST_PRESETS:
		o->list_presets = 1;
		return 0;
	case 'h':
		kf_opts_usage(stdout);
		return 1;
	case OPT_VERSION:
		printf("kfollow %s\n", KF_VERSION);
		return 1;
	}
	return NOT_MINE;
}

/* getopt_long's ':' (a value missing) or '?' (an unknown option). */
static int opt_bad(int c, char **argv)
{
	if (c == ':')
		return kf_err(KF_EXIT_USAGE, "option '%s' needs a value "
			      "(see kfollow --help)", argv[optind - 1]);
	if (optopt && optopt < 256)
		return kf_err(KF_EXIT_USAGE, "unknown option '-%c' (see "
			      "kfollow --help)", optopt);
	return kf_err(KF_EXIT_USAGE, "unknown option '%s' (see "
		      "kfollow --help)", argv[optind - 1]);
}

static int (*const opt_groups[])(struct kf_opts *o, int c, char *arg) = {
	opt_target, opt_limits, opt_output, opt_vm, opt_mode,
};

/* Apply the option getopt_long returned as c: 0, 1 (exit 0) or -1. */
static int apply_opt(struct kf_opts *o, int c, char **argv)
{
	size_t i;
	int rc;

	for (i = 0; i < sizeof(opt_groups) / sizeof(opt_groups[0]); i++) {
		rc = opt_groups[i](o, c, optarg);
		if (rc != NOT_MINE)
			return rc;
	}
	return opt_bad(c, argv);
}

/* What goes with what, once every option is in. */
static int check_combos(struct kf_opts *o)
{
	if (o->list_presets || o->list_keys || o->restore || o->status)
		return 0;
	if (o->no_show && !o->output && !o->dat)
		return kf_err(KF_EXIT_USAGE, "--no-show needs --output FILE "
			      "(else the capture would be lost)");
	if (o->diff_a) {
		if (!o->diff_b)
			return kf_err(KF_EXIT_USAGE, "--diff needs two captures: "
				      "kfollow --diff A.json B.json");
		if (o->input || o->nsyscalls || o->nfuncs || o->ncmd ||
		    o->npids || o->vm || o->output || o->dat || o->nsetup ||
		    o->drop_caches || o->cgroup || o->boundary ||
		    o->format != KF_FMT_TEXT)
			return kf_err(KF_EXIT_USAGE, "--diff compares two saved "
				      "captures as text: give it no --input, "
				      "syscalls, command, -p, --cgroup, --vm, "
				      "--boundary, --output or --format");
		return 0;
	}
	if (o->summary && o->format != KF_FMT_TEXT && o->format != KF_FMT_JSON)
		return kf_err(KF_EXIT_USAGE, "--summary prints text or --format "
			      "json; folded and svg merge the call paths "
			      "themselves (give them without --summary)");
	if ((o->source || o->explain) && o->format >= KF_FMT_FOLDED)
		return kf_err(KF_EXIT_USAGE, "--source and --explain go with "
			      "text and json, not --format folded, chrome or "
			      "svg");
	if (o->input && o->dat)
		return kf_err(KF_EXIT_USAGE, "cannot write '%s' from --input: a "
			      "trace-cmd file holds the ring-buffer pages of a "
			      "live capture; record live to write one", o->dat);
	if (o->input) {
		if (o->nsyscalls || o->nfuncs || o->ncmd || o->npids || o->vm ||
		    o->drop_caches || o->nsetup || o->cgroup || o->boundary)
			return kf_err(KF_EXIT_USAGE, "--input shows a saved "
				      "capture: give it no syscalls, command, "
				      "-p, --cgroup, --vm, --setup, --drop-caches "
				      "or --boundary");
		return 0;
	}
	if (o->vm_script) {
		if (!o->vm)
			return kf_err(KF_EXIT_USAGE, "--vm-script needs --vm");
		/* there --output names the directory /out comes back to */
		if (o->dat && o->output)
			return kf_err(KF_EXIT_USAGE, "--vm-script takes one "
				      "--output DIR");
		if (o->dat)
			o->output = o->dat;
		o->dat = NULL;
		return 0;
	}
	if (o->nvm_files && !o->vm)
		return kf_err(KF_EXIT_USAGE, "--vm-file needs --vm");
	if (o->nvm_disks && !o->vm)
		return kf_err(KF_EXIT_USAGE, "--vm-disk gives a VM its disk: it "
			      "needs --vm (on this machine, trace the files "
			      "where they are)");
	if (o->npids && o->ncmd)
		return kf_err(KF_EXIT_USAGE, "give either a command after '--' "
			      "or -p PID, not both");
	if (o->npids && o->vm)
		return kf_err(KF_EXIT_USAGE, "-p attaches to processes on this "
			      "machine: it cannot go with --vm");
	/* a cgroup's tasks are the whole scope: a command or -p beside them
	 * would trace tasks outside it */
	if (o->cgroup && (o->npids || o->ncmd))
		return kf_err(KF_EXIT_USAGE, "--cgroup traces the tasks of a "
			      "cgroup: give no command or -p with it (to trace "
			      "a command in a cgroup, start it there, e.g. with "
			      "systemd-run --scope, and trace the cgroup)");
	if (o->cgroup && o->vm)
		return kf_err(KF_EXIT_USAGE, "--cgroup traces a cgroup on this "
			      "machine: it cannot go with --vm");
	if (!o->npids && !o->ncmd && !o->cgroup)
		return kf_err(KF_EXIT_USAGE, "nothing to trace: give a command "
			      "after '--' (kfollow openat -- cat FILE), -p PID "
			      "or --cgroup PATH");
	if (o->boundary && (o->nfuncs || o->nscope || o->nretval || o->args ||
			    o->nnotrace || o->max_depth))
		return kf_err(KF_EXIT_USAGE, "--boundary traces syscall events "
			      "only, no kernel functions: it cannot go with "
			      "-g, --scope, --retval, --args, --notrace or "
			      "--max-depth");
	/* --boundary alone: every syscall */
	if (!o->nsyscalls && !o->nfuncs && !o->preset && !o->boundary)
		return kf_err(KF_EXIT_USAGE, "nothing to follow: name a syscall "
			      "(kfollow openat -- cat FILE), -g FUNC or "
			      "--preset NAME");
	if (o->duration && !o->npids && !o->cgroup)
		return kf_err(KF_EXIT_USAGE, "--duration goes with -p PID or "
			      "--cgroup (a command is traced until it exits)");
	return 0;
}

int kf_opts_parse(struct kf_opts *o, int argc, char **argv)
{
	struct option longopts[NDEFS + 1];
	char shortopts[NDEFS * 3 + 2];
	int nargs, c, rc;

	o->argc = argc;
	o->argv = argv;
	o->format = KF_FMT_TEXT;
	o->max_events = KF_DEFAULT_MAX_EVENTS;
	nargs = split_cmd(o, argc, argv);
	if (nargs < 0)
		return -1;
	build_getopt(longopts, shortopts);

	optind = 1;
	opterr = 0;
	for (;;) {
		/* stop at the first non-option: a syscall name; then go on
		 * after it, so options may follow syscalls */
		c = getopt_long(nargs, argv, shortopts, longopts, NULL);
		if (c == -1) {
			if (optind >= nargs)
				break;
			/* --diff A B: the word after A is B */
			if (o->diff_a && !o->diff_b) {
				o->diff_b = argv[optind++];
				continue;
			}
			if (check_syscall_name(argv[optind]) < 0 ||
			    push_str(&o->syscalls, &o->nsyscalls,
				     argv[optind]) < 0)
				return -1;
			optind++;
			continue;
		}
		rc = apply_opt(o, c, argv);
		if (rc)
			return rc;
	}
	return check_combos(o);
}

void kf_opts_release(struct kf_opts *o)
{
	free(o->syscalls);
	free(o->funcs);
	free(o->pids);
	free(o->notrace);
	free(o->scope);
	free(o->retval);
	free(o->paths);
	free(o->setup);
	free(o->vm_files);
	free(o->vm_disks);
	memset(o, 0, sizeof(*o));
}

/* For the man page check: every long option name, one per line. */
void kf_opts_list(FILE *f)
{
	size_t i;

	for (i = 0; i < NDEFS; i++)
		fprintf(f, "--%s\n", defs[i].name);
}
