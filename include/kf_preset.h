/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_preset.h - presets: what to follow for a syscall or a topic, in a
 * small line-based file (kfollow-preset(5)):
 *
 *   # openat: the VFS open path
 *   syscall openat
 *   root @entry do_sys_openat2      # @entry: the arch's syscall entry
 *   notrace __cond_resched           # reason: scheduler point, not open's work
 *   max-depth 24
 *   layer path_openat vfs
 *   retval may_open                  # reason: the permission verdict
 *
 * A preset only ever names kernel functions, syscalls, numbers and labels:
 * it cannot make kfollow run anything or write anywhere.
 */
#ifndef KF_PRESET_H
#define KF_PRESET_H

#include <stdint.h>

/* The subsystem map: a file in the presets' directories with layer lines
 * only, read for --scope (not listed as a preset). */
#define KF_SUBSYSTEMS "subsystems"

struct kf_layer {
	char *glob;   /* function glob */
	char *name;   /* subsystem label: "vfs", "ext4" */
};

/* The first of the n layers whose glob matches function `name`: its
 * index, or -1 (no layer names it). */
int kf_layer_find(const struct kf_layer *layers, int n, const char *name);

struct kf_preset {
	char *name;        /* "openat" */
	char *path;        /* the file it came from */
	char **syscalls;   /* syscall lines */
	int nsyscalls;
	char **roots;      /* root lines, in preference order; "@entry" allowed */
	int nroots;
	char **notrace;    /* notrace globs */
	int nnotrace;
	char **scope;      /* scope lines: subsystems of the map, or globs */
	int nscope;
	char **retval;     /* retval lines: functions whose return values
			    * are recorded (names or globs) */
	int nretval;
	int max_depth;     /* 0: not set */
	uint64_t min_duration; /* 0: not set */
	struct kf_layer *layers;
	int nlayers;
	/* for people: what the preset is for (description lines joined),
	 * the commands it is meant for and what to look for in the trees;
	 * printable text, shown by --list-presets */
	char *description;
	char **commands;
	int ncommands;
	char **notes;
	int nnotes;
};

/*
 * Parse preset text buf[0..len) named `path` (for messages) into p
 * (zeroed by the caller).  Returns 0 or -1 with kf_err set to
 * "'PATH' line N: ..." (KF_EXIT_DATAERR).  kf_preset_release frees it.
 */
int kf_preset_parse(struct kf_preset *p, const char *buf, size_t len,
		    const char *path);

/*
 * Load a preset by NAME (looked up as NAME.preset in $KFOLLOW_PRESETS, the
 * presets/ directory beside the kfollow binary, then the installed
 * KF_PKGDATADIR/presets) or by FILE path (contains a '/' or ends in
 * ".preset").  Returns 0, 1 if a NAME was not found (no error set when
 * quiet_missing), or -1 with kf_err set.
 */
int kf_preset_load(struct kf_preset *p, const char *name_or_file,
		   int quiet_missing);

/*
 * Load the preset that applies by itself to syscall `name`: the one named
 * after it, with the entry point's prefix left off ("__x64_sys_openat",
 * "sys_openat" and "openat" all find openat.preset).  Never a file.  The
 * capture and the TUI's layer labels both find presets this way.  Returns
 * as kf_preset_load with quiet_missing.
 */
int kf_preset_load_syscall(struct kf_preset *p, const char *name);

void kf_preset_release(struct kf_preset *p);

/* Names of the presets available, for error hints; NULL-terminated,
 * caller frees each and the array. */
char **kf_preset_list(void);

/* The first of the preset directories ($KFOLLOW_PRESETS, presets/ beside
 * the binary, the installed ones) that has file name, as a path the
 * caller frees; NULL if none has it. */
char *kf_preset_file(const char *name);

#endif
