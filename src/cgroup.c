// SPDX-License-Identifier: GPL-2.0-or-later
/* cgroup.c - --cgroup: find a cgroup v2 directory and read its tasks. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kf_cgroup.h"
#include "kf_common.h"

/* A mounts file escapes space, tab, newline and backslash as \ooo. */
static void unescape_octal(char *s)
{
	char *d = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*d++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
				      (s[3] - '0'));
			s += 3;
		} else {
			*d++ = *s;
		}
	}
	*d = '\0';
}

char *kf_cgroup_mount(const char *mounts)
{
	char *text = kf_read_file(mounts, 0, NULL), *line, *save = NULL;
	char *found;

	if (!text)
		return kf_err_errno(KF_EXIT_UNAVAILABLE, "cannot read '%s'",
				    mounts), NULL;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char dev[256], dir[PATH_MAX], type[64];

		if (sscanf(line, "%255s %4095s %63s", dev, dir, type) == 3 &&
		    !strcmp(type, "cgroup2")) {
			unescape_octal(dir);
			found = strdup(dir);
			if (!found)
				kf_err(KF_EXIT_OSERR, "out of memory");
			free(text);
			return found;
		}
	}
	free(text);
	kf_err(KF_EXIT_UNAVAILABLE, "--cgroup needs cgroup v2, and no cgroup2 "
	       "file system is mounted (a cgroup v1-only host): mount one "
	       "with 'mount -t cgroup2 none /sys/fs/cgroup/unified', or boot "
	       "with systemd.unified_cgroup_hierarchy=1");
	return NULL;
}

/* 1 if path is mount or below it. */
static int under(const char *path, const char *mount)
{
	size_t l = strlen(mount);

	while (l > 1 && mount[l - 1] == '/')
		l--;
	return !strncmp(path, mount, l) &&
	       (path[l] == '\0' || path[l] == '/' || l == 1);
}

int kf_cgroup_open(struct kf_cgroup *cg, const char *mount, const char *path)
{
	char *joined = NULL, *real = NULL, *procs = NULL;
	char mreal[PATH_MAX];
	struct stat st;
	size_t ml;

	memset(cg, 0, sizeof(*cg));
	if (!realpath(mount, mreal))
		return kf_err_errno(KF_EXIT_UNAVAILABLE, "cannot use the cgroup2 "
				    "mount '%s'", mount);
	/* absolute under the mount as given; else a name under the mount,
	 * which is how /proc/PID/cgroup and systemd print it */
	if (path[0] == '/' && under(path, mount))
		real = realpath(path, NULL);
	if (!real) {
		if (asprintf(&joined, "%s/%s", mreal, path) < 0)
			return kf_err(KF_EXIT_OSERR, "out of memory");
		real = realpath(joined, NULL);
		free(joined);
	}
	if (!real) {
		if (path[0] == '/' && !under(path, mount) && !stat(path, &st))
			return kf_err(KF_EXIT_USAGE, "'%s' is not a cgroup v2 "
				      "directory: give a path under the cgroup2 "
				      "mount '%s', or relative to it", path,
				      mount);
		return kf_err(KF_EXIT_USAGE, "no cgroup '%s' under the cgroup2 "
			      "mount '%s': create it, or check the name with "
			      "'cat /proc/PID/cgroup'", path, mount);
	}
	if (!under(real, mreal)) {
		kf_err(KF_EXIT_USAGE, "'%s' is not a cgroup v2 directory: it is "
		       "outside the cgroup2 mount '%s'", path, mount);
		free(real);
		return -1;
	}
	if (asprintf(&procs, "%s/cgroup.procs", real) < 0) {
		free(real);
		return kf_err(KF_EXIT_OSERR, "out of memory");
	}
	if (stat(procs, &st) < 0) {
		kf_err(KF_EXIT_USAGE, "'%s' is not a cgroup: it has no "
		       "cgroup.procs", path);
		free(procs);
		free(real);
		return -1;
	}
	free(procs);
	ml = strlen(mreal);
	while (ml > 1 && mreal[ml - 1] == '/')
		ml--;
	cg->dir = real;
	cg->name = strdup(real[ml] ? real + (ml > 1 ? ml : 0) : "/");
	if (!cg->name) {
		kf_cgroup_release(cg);
		return kf_err(KF_EXIT_OSERR, "out of memory");
	}
	return 0;
}

int kf_cgroup_parse_tasks(const char *text, pid_t **v, int *n, int max)
{
	const char *p = text;
	int added = 0;

	while (*p) {
		char *end;
		long pid;
		pid_t *a;

		if (*p == '\n') {
			p++;
			continue;
		}
		errno = 0;
		pid = strtol(p, &end, 10);
		if (end == p || errno || pid <= 0 || pid > INT_MAX ||
		    (*end && *end != '\n') || *p == '-' || *p == '+' ||
		    *p == ' ')
			return kf_err(KF_EXIT_DATAERR, "not a task list: '%.*s'",
				      (int)strcspn(p, "\n"), p);
		p = end;
		if (*n >= max)
			continue;  /* counted by the caller as full */
		a = realloc(*v, (*n + 1) * sizeof(*a));
		if (!a)
			return kf_err(KF_EXIT_OSERR, "out of memory");
		*v = a;
		a[(*n)++] = (pid_t)pid;
		added++;
	}
	return added;
}

static int pid_cmp(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/* The tasks of dir and the cgroups under it onto *v; *ndirs counts the
 * cgroups read.  A cgroup removed meanwhile has no tasks.  Returns 0 or
 * -1 (kf_err). */
static int scan_dir(const char *dir, pid_t **v, int *n, int *ndirs,
		    int *full)
{
	char *path, *text;
	DIR *d;
	struct dirent *e;
	int rc = 0;

	if (++*ndirs > KF_CGROUP_MAX_DIRS) {
		*full = 1;
		return 0;
	}
	/* cgroup.threads lists every thread (set_ftrace_pid wants thread
	 * ids); kernels before 4.14 have only cgroup.procs */
	if (asprintf(&path, "%s/cgroup.threads", dir) < 0)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	text = kf_read_file(path, 0, NULL);
	if (!text && errno == ENOENT) {
		strcpy(path + strlen(path) - strlen("threads"), "procs");
		text = kf_read_file(path, 0, NULL);
	}
	free(path);
	if (!text)
		return 0;  /* gone (rmdir) between the readdir and now */
	if (kf_cgroup_parse_tasks(text, v, n, KF_CGROUP_MAX_TASKS) < 0) {
		free(text);
		return -1;
	}
	free(text);
	d = opendir(dir);
	if (!d)
		return 0;
	while (rc == 0 && (e = readdir(d))) {
		char *sub;
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		if (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN)
			continue;
		if (asprintf(&sub, "%s/%s", dir, e->d_name) < 0) {
			rc = kf_err(KF_EXIT_OSERR, "out of memory");
			break;
		}
		if (!stat(sub, &st) && S_ISDIR(st.st_mode))
			rc = scan_dir(sub, v, n, ndirs, full);
		free(sub);
	}
	closedir(d);
	return rc;
}

int kf_cgroup_scan(struct kf_cgroup *cg, pid_t skip, pid_t **fresh,
		   int *nfresh)
{
	pid_t *now = NULL;
	int n = 0, ndirs = 0, full = 0, i, j, k;

	*fresh = NULL;
	*nfresh = 0;
	if (scan_dir(cg->dir, &now, &n, &ndirs, &full) < 0) {
		free(now);
		return -1;
	}
	if (n >= KF_CGROUP_MAX_TASKS)
		full = 1;
	if (n)
		qsort(now, n, sizeof(*now), pid_cmp);
	/* no duplicates, and never kfollow itself: tracing the reader
	 * would fill the ring with its own reads */
	for (i = j = 0; i < n; i++)
		if (now[i] != skip && (!j || now[j - 1] != now[i]))
			now[j++] = now[i];
	n = j;
	if (n) {
		*fresh = malloc(n * sizeof(**fresh));
		if (!*fresh) {
			free(now);
			return kf_err(KF_EXIT_OSERR, "out of memory");
		}
	}
	/* now minus seen, both sorted: a pid both scans hold was added
	 * before (or is a pid reused in the same tick, which is rare) */
	for (i = k = 0; i < n; i++) {
		while (k < cg->nseen && cg->seen[k] < now[i])
			k++;
		if (k >= cg->nseen || cg->seen[k] != now[i])
			(*fresh)[(*nfresh)++] = now[i];
	}
	if (!*nfresh) {
		free(*fresh);
		*fresh = NULL;
	}
	free(cg->seen);
	cg->seen = now;
	cg->nseen = n;
	cg->full = full;
	return n;
}

void kf_cgroup_release(struct kf_cgroup *cg)
{
	free(cg->dir);
	free(cg->name);
	free(cg->seen);
	memset(cg, 0, sizeof(*cg));
}
