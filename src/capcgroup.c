// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * capcgroup.c - --cgroup in a live capture: the cgroup's tasks become the
 * first pid filter, and a scan from the read loop appends the tasks that
 * joined since.  Appending (O_APPEND) keeps the children the kernel added
 * to the filters itself (function-fork, event-fork); rewriting the list
 * could drop one forked between the scan and the write.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture-int.h"
#include "kf_build.h"
#include "kf_common.h"
#include "kf_model.h"

/* How often the read loop scans the cgroup: a task that joins and exits
 * within one period (and is no child of a traced task) is missed. */
#define CG_SCAN_NS 100000000ull

int cap_cgroup_collect(struct cap *c)
{
	const char *name = c->o->cgroup;
	char *mount = kf_cgroup_mount("/proc/self/mounts");
	int n;

	if (!mount || kf_cgroup_open(&c->cg, mount, name) < 0) {
		free(mount);
		return -1;
	}
	free(mount);
	n = kf_cgroup_scan(&c->cg, getpid(), &c->pids, &c->npids);
	if (n < 0)
		return -1;
	if (c->cg.full)
		return kf_err(KF_EXIT_USAGE, "cgroup '%s' has more than %d "
			      "tasks (or %d cgroups under it): trace a smaller "
			      "cgroup under it", c->cg.name, KF_CGROUP_MAX_TASKS,
			      KF_CGROUP_MAX_DIRS);
	if (!n)
		return kf_err(KF_EXIT_USAGE, "cgroup '%s' has no tasks: start "
			      "the workload in it first", c->cg.name);
	if (kf_verbose)
		kf_note("cgroup '%s': %d tasks", c->cg.name, n);
	return 0;
}

/* Append pids to the pid filters kfollow armed. */
static int filters_append(struct cap *c, const pid_t *pids, int n)
{
	char *s = malloc((size_t)n * 12 + 1);
	size_t len = 0;
	int i, rc = 0;

	if (!s)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	s[0] = '\0';
	for (i = 0; i < n; i++)
		len += sprintf(s + len, "%s%d", i ? " " : "", (int)pids[i]);
	if ((c->graph && kf_tracer_append(&c->tr, 0, "set_ftrace_pid", s) < 0) ||
	    kf_tracer_append(&c->tr, c->inst, "set_event_pid", s) < 0)
		rc = -1;
	free(s);
	return rc;
}

int cap_cgroup_rescan(struct cap *c)
{
	uint64_t now = cap_now_ns();
	pid_t *fresh = NULL;
	int nfresh = 0, n, was_full = c->cg.full, i;

	if (now < c->cg_next)
		return 1;
	c->cg_next = now + CG_SCAN_NS;
	n = kf_cgroup_scan(&c->cg, getpid(), &fresh, &nfresh);
	if (n < 0)
		return -1;
	if (c->cg.full && !was_full)
		kf_warn("cgroup '%s' grew past %d tasks: tasks that join now "
			"may be left out", c->cg.name, KF_CGROUP_MAX_TASKS);
	if (nfresh) {
		if (filters_append(c, fresh, nfresh) < 0) {
			free(fresh);
			return -1;
		}
		for (i = 0; i < nfresh; i++) {
			cap_task_name(c, fresh[i]);
			if (kf_verbose)
				kf_note("cgroup '%s': task %d joined",
					c->cg.name, (int)fresh[i]);
		}
	}
	free(fresh);
	return n > 0;
}
