/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_status.h - tracefs against its defaults (kfollow --status), and the
 * check that keeps kfollow from clobbering another tracer.
 */
#ifndef KF_STATUS_H
#define KF_STATUS_H

#include <stdio.h>

/* The tracefs mount point: dir if given, else the mounted one, else NULL
 * (never mounts). */
const char *kf_status_tracefs(const char *dir);

/*
 * Signs that another tool is tracing with dir's tracefs: current_tracer
 * not nop; a function or graph filter set while tracing is on; another
 * process with a tracefs file open (trace-cmd, perf).  Returns a
 * malloc'd phrase naming what was found (the caller frees), or NULL.
 */
char *kf_status_foreign(const char *dir);

/*
 * kfollow --status: print each setting that differs from a freshly booted
 * kernel's, the instances, the processes holding tracefs open, and the
 * journal's owner in jdir.  Returns how many settings differ.
 */
int kf_status_print(FILE *f, const char *tracefs, const char *jdir);

#endif
