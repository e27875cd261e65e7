/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_cgroup.h - --cgroup: a cgroup v2 directory and the tasks in it (and
 * in the cgroups under it), scanned again while tracing so that tasks
 * that join are added to the pid filters.  Plain files only: the unit
 * tests point it at a directory of their own.
 */
#ifndef KF_CGROUP_H
#define KF_CGROUP_H

#include <sys/types.h>

/* At most this many tasks are traced: each is a pid written to the
 * filters, and a cgroup bigger than this is a machine, not a workload. */
#define KF_CGROUP_MAX_TASKS 4096
/* At most this many cgroups (the one named and those under it) a scan
 * reads. */
#define KF_CGROUP_MAX_DIRS 256

struct kf_cgroup {
	char *dir;       /* the cgroup's directory */
	char *name;      /* as /proc/PID/cgroup names it: "/" + the path
			  * under the cgroup2 mount */
	pid_t *seen;     /* the last scan's tasks, sorted */
	int nseen;
	int full;        /* a scan found more than KF_CGROUP_MAX_TASKS */
};

/*
 * The mount point of the cgroup2 file system in a mounts file
 * (/proc/self/mounts).  Returns it (the caller frees it), or NULL (kf_err:
 * none mounted, a cgroup v1-only host; or the file unreadable).
 */
char *kf_cgroup_mount(const char *mounts);

/*
 * cg for PATH: absolute under mount, relative to mount, or absolute as
 * /proc/PID/cgroup names it ("/system.slice/x.service").  cg is zeroed
 * first; kf_cgroup_release frees it.  Returns 0, or -1 (kf_err: no such
 * cgroup, not under mount, not a cgroup).
 */
int kf_cgroup_open(struct kf_cgroup *cg, const char *mount, const char *path);

/*
 * The pids of a cgroup.procs or cgroup.threads text (one decimal number a
 * line), appended to *v (*n of them, grown with realloc; the caller frees
 * *v), at most max in all.  Returns how many were added, or -1 (kf_err: a
 * line that is not a pid; *v holds what came before it).
 */
int kf_cgroup_parse_tasks(const char *text, pid_t **v, int *n, int max);

/*
 * Read the tasks now in cg and the cgroups under it, but for skip (0:
 * none); *fresh (the caller frees it, NULL when none) gets those the last
 * scan did not have (the first scan: all).  Returns the tasks there now
 * (0: empty, or the cgroup is gone), or -1 (kf_err).
 */
int kf_cgroup_scan(struct kf_cgroup *cg, pid_t skip, pid_t **fresh,
		   int *nfresh);

/* Free cg's contents (not cg). */
void kf_cgroup_release(struct kf_cgroup *cg);

#endif
