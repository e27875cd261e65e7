/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_opts.h - the command line, parsed.  One table in src/cli.c defines
 * every option, the --help text and the man page's OPTIONS list.
 */
#ifndef KF_OPTS_H
#define KF_OPTS_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* --format: the trees as text or JSON, or exported (kf_export.h) */
enum kf_format { KF_FMT_TEXT, KF_FMT_JSON, KF_FMT_FOLDED, KF_FMT_CHROME,
		 KF_FMT_SVG };

/* About 8M nodes, 0.5 GB of trees: a bound a laptop survives. */
#define KF_DEFAULT_MAX_EVENTS 16000000ull

struct kf_opts {
	char **syscalls;     /* SYSCALL... before "--" */
	int nsyscalls;
	char **funcs;        /* -g/--function FUNC (repeatable) */
	int nfuncs;
	pid_t *pids;         /* -p/--pid */
	int npids;
	const char *cgroup;  /* --cgroup PATH, as given */
	char **cmd;          /* after "--", NULL-terminated; NULL if none */
	int ncmd;
	char **notrace;      /* --notrace GLOB (repeatable) */
	int nnotrace;
	char **scope;        /* --scope LIST, split at commas (strings point
			      * into argv) */
	int nscope;
	char **retval;       /* --retval LIST, split at commas (strings point
			      * into argv): "none" records none */
	int nretval;
	char **paths;        /* --path GLOB: show only invocations whose path
			      * argument matches one (kf_call_path_match) */
	int npaths;
	const char *invocations; /* --invocation LIST: show only these
				  * (kf_model_keep_numbers) */
	int max_depth;       /* --max-depth, 0: unlimited */
	uint64_t min_duration; /* --min-duration, ns */
	uint64_t duration;   /* --duration, ns, 0: until the command ends */
	int batch;           /* --batch (or stdout not a terminal) */
	enum kf_format format;
	const char *output;  /* --output FILE: save the capture (JSON) */
	const char *dat;     /* --output FILE.dat: the ring-buffer pages as a
				trace-cmd data file (live captures only) */
	int no_show;         /* --no-show: with --output, save only */
	const char *input;   /* --input FILE: render a saved capture */
	const char *diff_a, *diff_b; /* --diff A B: compare two captures */
	const char *preset;  /* --preset NAME|FILE */
	int no_preset;       /* --no-preset */
	int list_presets;    /* --list-presets */
	int list_keys;       /* --keys */
	int force;           /* --force: take tracefs over from another tracer */
	int drop_caches;     /* --drop-caches: sync, drop caches, then start */
	char **setup;        /* --setup CMD: shell commands run, untraced,
			      * before tracing is armed, in order */
	int nsetup;
	int restore;         /* --restore: replay a killed run's journal */
	int status;          /* --status: what differs from the defaults */
	int no_children;     /* --no-children: do not follow forks */
	int boundary;        /* --boundary: syscall events only, no
			      * function_graph; no syscall named: all */
	int ascii;           /* --ascii */
	unsigned long buffer_kb; /* --buffer-size KB per CPU, 0: leave it */
	const char *clock;   /* --clock NAME: trace_clock, NULL: the kernel's */
	unsigned long long max_events; /* --max-events, 0: no limit */
	const char *user;    /* -u USER: run the command as USER or UID[:GID] */
	int vm;              /* --vm given */
	const char *vm_kernel; /* --vm=KERNEL: vmlinuz path or bookworm/trixie/sid */
	const char *vm_script; /* --vm-script FILE (tests) */
	char **vm_files;     /* --vm-file PATH (repeatable) */
	int nvm_files;
	char **vm_disks;     /* --vm-disk PATH (repeatable), NULL-terminated */
	int nvm_disks;
	int quiet, verbose;
	int stats;           /* --stats: timing and memory on stderr */
	int source;          /* --source: each function's file:line */
	const char *source_version; /* --source=VERSION, or NULL: the
				     * capture's kernel */
	int explain;         /* --explain: kernel-doc summaries */
	int args;            /* --args: funcgraph-args, named from BTF */
	int summary;         /* --summary: tables instead of trees */
	const char *tracefs; /* --tracefs DIR (tests: a fake tracefs) */
	int argc;            /* the original command line, for --vm */
	char **argv;
};

/*
 * Parse argv into o (zeroed by the caller).  Returns 0 to run, 1 when
 * --help/--version was printed (exit 0), -1 on a usage error (kf_err set,
 * KF_EXIT_USAGE).  Arrays in o point into argv or are allocated;
 * kf_opts_release frees them.
 */
int kf_opts_parse(struct kf_opts *o, int argc, char **argv);
void kf_opts_release(struct kf_opts *o);

/* Print the usage text (generated from the option table) to f. */
void kf_opts_usage(FILE *f);
/* Every long option, "--name" per line (to check the man page). */
void kf_opts_list(FILE *f);

#endif
