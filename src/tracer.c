// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tracer.c - tracefs access and the undo log.
 *
 * kfollow changes global kernel state.  Before a file's first change its
 * bytes are read and kept with the data that puts it back; the restore
 * writes that data, newest change first.  A few files read back in a form
 * that cannot be written (the "#### all functions enabled ####" banner,
 * "no pid", "7 (expanded: 1408)"); restore_data() turns what was read into
 * what restores it.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <tracefs.h>

#include "kf_common.h"
#include "kf_journal.h"
#include "kf_tracer.h"

#define TRACEFS_MAGIC_NR 0x74726163
#define DEFAULT_MOUNT "/sys/kernel/tracing"

static int is_tracefs(const char *dir)
{
	struct statfs st;

	return statfs(dir, &st) == 0 && st.f_type == TRACEFS_MAGIC_NR;
}

const char *kf_tracer_mounted(void)
{
	static const char *const candidates[] = {
		DEFAULT_MOUNT, "/sys/kernel/debug/tracing",
	};
	size_t i;

	for (i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++)
		if (is_tracefs(candidates[i]))
			return candidates[i];
	return NULL;
}

static int undo_push(struct kf_tracer *t, enum kf_undo_op op, char *path,
		     char *data, size_t len, char *orig, size_t orig_len)
{
	struct kf_undo *u;

	if (KF_GROW(t->undo, t->undo_cap, (size_t)t->nundo + 1) < 0)
		goto oom;
	u = &t->undo[t->nundo++];
	memset(u, 0, sizeof(*u));
	u->op = op;
	u->path = path;
	u->data = data;
	u->len = len;
	u->orig = orig;
	u->orig_len = orig_len;
	/* on disk before the change is made, for a kill -9 */
	if (kf_journal_add(t->journal, u) < 0) {
		t->nundo--;
		free(path);
		free(data);
		free(orig);
		return -1;
	}
	return 0;
oom:
	free(path);
	free(data);
	free(orig);
	return kf_err(KF_EXIT_OSERR, "out of memory");
}

static int open_dir(struct kf_tracer *t, const char *dir);
static int restore(struct kf_tracer *t, int umount_too);

int kf_tracer_open(struct kf_tracer *t, const char *dir, const char *jdir)
{
	char *abs = dir ? realpath(dir, NULL) : NULL;
	const char *root = abs ? abs : kf_tracer_mounted();

	memset(t, 0, sizeof(*t));
	if (dir && !abs)
		return kf_err_errno(KF_EXIT_UNAVAILABLE, "cannot use tracefs "
				    "directory '%s'", dir);
	/* the journal first: it replays what a killed run left, and it must
	 * hold even the mount below; it records where tracefs is, the only
	 * place its replay may touch */
	if (jdir && !(t->journal = kf_journal_begin(jdir, root ? root :
						    DEFAULT_MOUNT))) {
		free(abs);
		return -1;
	}
	if (open_dir(t, abs) < 0 ||
	    (t->journal && strcmp(t->dir, root ? root : DEFAULT_MOUNT) &&
	     kf_err(KF_EXIT_UNAVAILABLE, "tracefs moved to '%s' while "
		    "kfollow started: run it again", t->dir))) {
		free(abs);
		restore(t, 1);  /* a mount, and the journal */
		return -1;
	}
	free(abs);
	return 0;
}

static int open_dir(struct kf_tracer *t, const char *dir)
{
	const char *found;
	struct stat st;

	if (dir) {
		if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
			return kf_err_errno(KF_EXIT_UNAVAILABLE,
					    "cannot use tracefs directory '%s'",
					    dir);
		t->dir = strdup(dir);
		goto found;
	}
	found = kf_tracer_mounted();
	if (found) {
		t->dir = strdup(found);
		goto found;
	}
	if (mount("nodev", DEFAULT_MOUNT, "tracefs", 0, NULL) < 0) {
		if (errno == EPERM || errno == EACCES)
			return kf_err(KF_EXIT_NOPERM,
				      "cannot mount tracefs on '%s': %s "
				      "(run kfollow as root, or use --vm)",
				      DEFAULT_MOUNT, strerror(errno));
		if (errno == ENODEV)
			return kf_err(KF_EXIT_UNAVAILABLE,
				      "this kernel has no tracefs "
				      "(CONFIG_TRACING is off): use --vm");
		return kf_err_errno(KF_EXIT_UNAVAILABLE,
				    "cannot mount tracefs on '%s'",
				    DEFAULT_MOUNT);
	}
	t->dir = strdup(DEFAULT_MOUNT);
	t->mounted = 1;
	if (!t->dir)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	if (undo_push(t, KF_UNDO_UMOUNT, strdup(DEFAULT_MOUNT), NULL, 0, NULL,
		      0) < 0)
		return -1;
found:
	if (!t->dir)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	if (tracefs_set_tracing_dir(t->dir) < 0)
		return kf_err(KF_EXIT_UNAVAILABLE,
			      "cannot use tracefs at '%s'", t->dir);
	return 0;
}

char *kf_tracer_path(const struct kf_tracer *t, int inst, const char *file)
{
	char *p;

	if (asprintf(&p, "%s/%s", inst && t->inst_dir ? t->inst_dir : t->dir,
		     file) < 0)
		return NULL;
	return p;
}

int kf_tracer_exists(const struct kf_tracer *t, int inst, const char *file)
{
	char *p = kf_tracer_path(t, inst, file);
	int ok = p && access(p, F_OK) == 0;

	free(p);
	return ok;
}

static char *read_path(const char *path, size_t *lenp)
{
	char *buf = kf_read_file(path, 0, lenp);

	if (!buf && errno == ENOMEM)
		kf_err(KF_EXIT_OSERR, "out of memory");
	else if (!buf)
		kf_err_errno(errno == EACCES || errno == EPERM ?
			     KF_EXIT_NOPERM : KF_EXIT_UNAVAILABLE,
			     "cannot read '%s'", path);
	return buf;
}

char *kf_tracer_read(const struct kf_tracer *t, int inst, const char *file,
		     size_t *len)
{
	char *p = kf_tracer_path(t, inst, file);
	char *buf;

	if (!p) {
		kf_err(KF_EXIT_OSERR, "out of memory");
		return NULL;
	}
	buf = read_path(p, len);
	free(p);
	return buf;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/*
 * Turn what a file read as into the bytes that restore it.  Returns a
 * malloc'd buffer (maybe empty: truncating restores an empty list).
 */
static char *restore_data(const char *path, const char *orig, size_t *lenp)
{
	const char *name = base_name(path);
	char *out = malloc(strlen(orig) + 2), *o = out;
	const char *line = orig;

	if (!out)
		return NULL;
	*o = '\0';
	if (strcmp(name, "buffer_size_kb") == 0) {
		/* "7 (expanded: 1408)": the size it will have once used */
		const char *e = strstr(orig, "(expanded: ");

		if (e)
			o += sprintf(o, "%lu\n", strtoul(e + 11, NULL, 10));
		else
			o += sprintf(o, "%lu\n", strtoul(orig, NULL, 10));
		goto done;
	}
	if (strcmp(name, "trace_clock") == 0) {
		/* "[local] global counter": the bracketed one is current */
		const char *b = strchr(orig, '['), *e = b ? strchr(b, ']') : NULL;

		if (b && e) {
			memcpy(o, b + 1, e - b - 1);
			o += e - b - 1;
			*o++ = '\n';
		}
		goto done;
	}
	if (strncmp(name, "set_", 4) != 0) {
		strcpy(out, orig);
		o = out + strlen(out);
		goto done;
	}
	/* list files: one entry per line */
	while (*line) {
		const char *end = strchrnul(line, '\n');
		size_t n = end - line;
		const char *mod;

		if (n == 0 || strncmp(line, "####", 4) == 0 ||
		    strncmp(line, "no pid", 6) == 0)
			goto next;
		/* function probes ("f:traceoff:unlimited") are not cleared
		 * by truncating, so they must not be added again */
		if (ends_with(name, "_filter") && memchr(line, ':', n) &&
		    !memmem(line, n, ":mod:", 5))
			goto next;
		/* "func [module]" reads back; "func" writes */
		mod = memchr(line, ' ', n);
		if (mod && mod[1] == '[')
			n = mod - line;
		memcpy(o, line, n);
		o += n;
		*o++ = '\n';
next:
		line = *end ? end + 1 : end;
	}
done:
	*o = '\0';
	*lenp = o - out;
	return out;
}

static struct kf_undo *find_undo(struct kf_tracer *t, const char *path)
{
	size_t i;

	for (i = 0; i < t->nundo; i++)
		if (t->undo[i].op == KF_UNDO_WRITE &&
		    strcmp(t->undo[i].path, path) == 0)
			return &t->undo[i];
	return NULL;
}

/* Keep path's current value unless already kept. */
static int save(struct kf_tracer *t, const char *path)
{
	char *orig, *data, *p;
	size_t orig_len, len, i;

	if (find_undo(t, path))
		return 0;
	if (t->inst_dir && strncmp(path, t->inst_dir, strlen(t->inst_dir)) == 0 &&
	    path[strlen(t->inst_dir)] == '/')
		return 0;  /* our own instance is removed whole */
	for (i = 0; i < t->nown; i++) {
		if (strncmp(path, t->own[i], strlen(t->own[i])) != 0)
			continue;
		/* kfollow's own event: disable it before removing it (an
		 * enabled event cannot be removed); nothing to verify */
		if (!ends_with(path, "/enable"))
			return 0;
		p = strdup(path);
		data = strdup("0\n");
		if (!p || !data) {
			free(p);
			free(data);
			return kf_err(KF_EXIT_OSERR, "out of memory");
		}
		return undo_push(t, KF_UNDO_WRITE, p, data, 2, NULL, 0);
	}
	orig = read_path(path, &orig_len);
	if (!orig)
		return -1;
	data = restore_data(path, orig, &len);
	p = strdup(path);
	if (!data || !p) {
		free(orig);
		free(data);
		free(p);
		return kf_err(KF_EXIT_OSERR, "out of memory");
	}
	return undo_push(t, KF_UNDO_WRITE, p, data, len, orig, orig_len);
}

int kf_tracer_keep(struct kf_tracer *t, const char *path)
{
	return save(t, path);
}

/* The error_log's size now, to tell new kernel messages from old ones. */
static size_t error_log_size(const struct kf_tracer *t, int inst)
{
	size_t len = 0;
	char *log = kf_tracer_read(t, inst, "error_log", &len);

	free(log);
	kf_err_clear();
	return log ? len : 0;
}

/* The kernel's newest error_log entry if it appeared after `before`. */
static char *kernel_reason(const struct kf_tracer *t, int inst, size_t before)
{
	size_t len = 0;
	char *log = kf_tracer_read(t, inst, "error_log", &len), *r = NULL;

	kf_err_clear();
	if (log && len > before) {
		/* "[  12.3] ftrace: error: Invalid argument\n  Command: ..." */
		char *msg = strstr(log + before, "error: ");
		char *nl;

		if (msg) {
			msg += 7;
			nl = strchr(msg, '\n');
			if (nl)
				*nl = '\0';
			r = strdup(msg);
		}
	}
	free(log);
	return r;
}

static int do_write(struct kf_tracer *t, int inst, const char *file,
		    const char *value, int append)
{
	char *path = kf_tracer_path(t, inst, file), *buf = NULL, *reason;
	size_t before = 0;
	int fd, err;

	if (!path)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	if (save(t, path) < 0)
		goto fail;
	if (asprintf(&buf, "%s\n", value) < 0) {
		kf_err(KF_EXIT_OSERR, "out of memory");
		goto fail;
	}
	before = error_log_size(t, inst);
	fd = open(path, O_WRONLY | O_CLOEXEC | (append ? O_APPEND : O_TRUNC));
	if (fd < 0 || kf_write_all(fd, buf, strlen(buf)) < 0) {
		err = errno;
		if (fd >= 0)
			close(fd);
		reason = kernel_reason(t, inst, before);
		kf_err(err == EPERM || err == EACCES ? KF_EXIT_NOPERM :
		       KF_EXIT_FAILURE, "cannot write '%s' to '%s': %s%s%s",
		       value, path, strerror(err), reason ? ": " : "",
		       reason ? reason : "");
		free(reason);
		errno = err;
		goto fail;
	}
	if (close(fd) < 0) {
		err = errno;
		kf_err(KF_EXIT_FAILURE, "cannot write '%s' to '%s': %s", value,
		       path, strerror(err));
		errno = err;
		goto fail;
	}
	free(buf);
	free(path);
	return 0;
fail:
	free(buf);
	free(path);
	return -1;
}

int kf_tracer_write(struct kf_tracer *t, int inst, const char *file,
		    const char *value)
{
	return do_write(t, inst, file, value, 0);
}

int kf_tracer_append(struct kf_tracer *t, int inst, const char *file,
		     const char *value)
{
	return do_write(t, inst, file, value, 1);
}

int kf_tracer_instance_create(struct kf_tracer *t)
{
	char name[64];
	char *dir;

	snprintf(name, sizeof(name), "kfollow-%d", (int)getpid());
	if (asprintf(&dir, "%s/instances/%s", t->dir, name) < 0)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	/* the undo record first, so the journal has it before the mkdir */
	if (undo_push(t, KF_UNDO_RMDIR, strdup(dir), NULL, 0, NULL, 0) < 0) {
		free(dir);
		return -1;
	}
	if (mkdir(dir, 0750) < 0) {
		kf_err_errno(errno == EPERM || errno == EACCES ?
			     KF_EXIT_NOPERM : KF_EXIT_UNAVAILABLE,
			     "cannot create tracefs instance '%s'", dir);
		t->undo[t->nundo - 1].done = 1;
		free(dir);
		return -1;
	}
	t->inst_dir = dir;
	t->inst = tracefs_instance_alloc(t->dir, name);
	return 0;
}

int kf_tracer_dynevent(struct kf_tracer *t, const char *def,
		       const char *removal)
{
	const char *file = kf_tracer_exists(t, 0, "dynamic_events") ?
			   "dynamic_events" : "kprobe_events";
	char *path = kf_tracer_path(t, 0, file), *data;
	size_t before = error_log_size(t, 0);
	int fd;

	if (!path || asprintf(&data, "%s\n", removal) < 0) {
		free(path);
		return kf_err(KF_EXIT_OSERR, "out of memory");
	}
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0 || kf_write_all(fd, def, strlen(def)) < 0 ||
	    kf_write_all(fd, "\n", 1) < 0) {
		int err = errno;
		char *reason = kernel_reason(t, 0, before);

		if (fd >= 0)
			close(fd);
		kf_err(KF_EXIT_FAILURE, "cannot create dynamic event '%s': %s%s%s",
		       def, strerror(err), reason ? ": " : "",
		       reason ? reason : "");
		free(reason);
		free(path);
		free(data);
		return -1;
	}
	close(fd);
	/* "p:SYSTEM/EVENT ...": the event's directory is kfollow's */
	{
		const char *sys = strchr(def, ':'), *slash;
		char **own = realloc(t->own, (t->nown + 1) * sizeof(*own));

		slash = sys ? strchr(sys, '/') : NULL;
		if (own) {
			t->own = own;
			if (slash && asprintf(&own[t->nown], "%s/events/%.*s/",
					      t->dir, (int)(slash - sys - 1),
					      sys + 1) >= 0)
				t->nown++;
		}
	}
	return undo_push(t, KF_UNDO_APPEND, path, data, strlen(data), NULL, 0);
}

/* Is u the removal of a dynamic event ("-:GROUP/EVENT")? */
static int is_removal(const struct kf_undo *u)
{
	return u->op == KF_UNDO_APPEND && u->len > 2 &&
	       !memcmp(u->data, "-:", 2);
}

/* Is an instance of kfollow's still to be removed? */
static int rmdir_pending(const struct kf_tracer *t)
{
	size_t i;

	for (i = 0; i < t->nundo; i++)
		if (t->undo[i].op == KF_UNDO_RMDIR && !t->undo[i].done)
			return 1;
	return 0;
}

/*
 * Remove the dynamic event u names, and every other of its group still
 * to be removed with it, in one write ("-:GROUP/"): 6.1 took 55-74 ms
 * for each of the four path probes alone, 4 ms for the four at once.
 * Where the kernel will not, u alone; an event the group write took
 * before it stopped reads ENOENT then, and is gone.  Async-signal-safe
 * (the crash path): no allocation.  Returns 0 or -1 with errno set.
 */
static int remove_group(struct kf_tracer *t, struct kf_undo *u)
{
	const char *slash = memchr(u->data, '/', u->len);
	char buf[256];
	struct kf_undo all = *u;
	size_t g, i;

	if (!slash || (size_t)(slash - u->data) + 2 > sizeof(buf))
		return kf_undo_apply(u);
	g = slash - u->data + 1;
	memcpy(buf, u->data, g);
	buf[g] = '\n';
	all.data = buf;
	all.len = g + 1;
	if (kf_undo_apply(&all) < 0)
		return kf_undo_apply(u) < 0 && errno != ENOENT ? -1 : 0;
	for (i = 0; i < t->nundo; i++) {
		struct kf_undo *o = &t->undo[i];

		if (!o->done && is_removal(o) && o->len > g &&
		    !memcmp(o->data, buf, g) && !strcmp(o->path, u->path))
			o->done = 1;
	}
	return 0;
}

/* Which of kfollow's own event groups holds path, or -1. */
static int own_group(const struct kf_tracer *t, const char *path)
{
	size_t i;

	for (i = 0; i < t->nown; i++)
		if (!strncmp(path, t->own[i], strlen(t->own[i])))
			return (int)i;
	return -1;
}

/*
 * Disable the own event u's write names, and every other of its group
 * still to be disabled, in one write to the group's enable file: an
 * event probe took 14-46 ms alone on 6.1, and its group's removal waits
 * for all of them.  Where the kernel will not, u alone.
 * Async-signal-safe: no allocation.  Returns 0 or -1 with errno set.
 */
static int disable_group(struct kf_tracer *t, struct kf_undo *u, int g)
{
	char path[4096];
	struct kf_undo all = *u;
	size_t i, n = strlen(t->own[g]);

	if (n + sizeof("enable") > sizeof(path))
		return kf_undo_apply(u);
	memcpy(path, t->own[g], n);
	memcpy(path + n, "enable", sizeof("enable"));
	all.path = path;
	if (kf_undo_apply(&all) < 0)
		return kf_undo_apply(u);
	for (i = 0; i < t->nundo; i++) {
		struct kf_undo *o = &t->undo[i];

		if (!o->done && o->op == KF_UNDO_WRITE &&
		    own_group(t, o->path) == g && ends_with(o->path, "/enable"))
			o->done = 1;
	}
	return 0;
}

static int restore(struct kf_tracer *t, int umount_too)
{
	int saved_errno = errno, rc = 0, pass, failed = 0, g;
	size_t i;

	t->restoring = 1;
	/* a second pass for what failed: an undo can need one made after
	 * it (6.1 keeps an event probe busy, its removal refused, until
	 * the instance that enabled it is gone); the dynamic events wait
	 * for it, as their removal would be refused */
	for (pass = 0; pass < 2 && (pass == 0 || failed); pass++) {
		failed = 0;
		for (i = t->nundo; i-- > 0;) {
			struct kf_undo *u = &t->undo[i];

			if (u->done || (u->op == KF_UNDO_UMOUNT &&
					(!umount_too || failed)))
				continue;
			if (is_removal(u) && pass == 0 && rmdir_pending(t)) {
				failed = 1;
				continue;
			}
			g = u->op == KF_UNDO_WRITE && ends_with(u->path,
								 "/enable") ?
			    own_group(t, u->path) : -1;
			if ((is_removal(u) ? remove_group(t, u)
			     : g >= 0 ? disable_group(t, u, g)
				      : kf_undo_apply(u)) < 0) {
				if (pass == 0) {
					failed = 1;
					continue;
				}
				rc = -1;
			}
			u->done = 1;
		}
	}
	/* a change that could not be undone stays in the journal: the next
	 * run (or --restore) tries again */
	if (umount_too && rc == 0)
		kf_journal_end(t->journal);
	errno = saved_errno;
	return rc;
}

int kf_tracer_restore(struct kf_tracer *t)
{
	return restore(t, 1);
}

/* The last pending undo if it is a write that ends in name, else NULL;
 * with any_pos, the last pending one of that name wherever it is. */
static struct kf_undo *pending(struct kf_tracer *t, const char *name,
			       int any_pos)
{
	size_t n = strlen(name), i;

	for (i = t->nundo; i-- > 0;) {
		struct kf_undo *u = &t->undo[i];
		size_t l = u->path ? strlen(u->path) : 0;

		if (u->done)
			continue;
		if (u->op == KF_UNDO_WRITE && l > n &&
		    !strcmp(u->path + l - n, name) && u->path[l - n - 1] == '/')
			return u;
		if (!any_pos)
			return NULL;
	}
	return NULL;
}

static void *undo_thread(void *arg)
{
	return (void *)(intptr_t)(kf_undo_apply(arg) < 0);
}

int kf_tracer_restore_files(struct kf_tracer *t)
{
	struct kf_undo *tracer = pending(t, "current_tracer", 0);
	struct kf_undo *pids = tracer ? pending(t, "set_event_pid", 1) : NULL;
	pthread_t th;
	void *res;

	/*
	 * Switching function_graph off patches every call site again (2-4 s
	 * under emulation) and clearing set_event_pid waits for an RCU grace
	 * period (50-150 ms); neither needs the other, so the switch goes
	 * to a thread while this one clears the pids.  Only here: the crash
	 * path restores from a signal handler, one undo after the other.
	 */
	if (tracer && pids &&
	    pthread_create(&th, NULL, undo_thread, tracer) == 0) {
		if (kf_undo_apply(pids) == 0)
			pids->done = 1;
		if (pthread_join(th, &res) == 0 && !res)
			tracer->done = 1;
	}
	return restore(t, 0);
}

int kf_tracer_verify(struct kf_tracer *t)
{
	int bad = 0;
	size_t i;

	for (i = 0; i < t->nundo; i++) {
		struct kf_undo *u = &t->undo[i];
		size_t len = 0;
		char *now;

		if (u->op != KF_UNDO_WRITE || !u->orig)
			continue;
		now = read_path(u->path, &len);
		if (!now) {
			kf_warn("cannot check '%s' after restoring it: %s",
				u->path, kf_err_msg());
			bad++;
			continue;
		}
		if (len != u->orig_len || memcmp(now, u->orig, len) != 0) {
			kf_warn("'%s' was not restored exactly: it was '%.*s' "
				"and is now '%.*s'", u->path,
				(int)strcspn(u->orig, "\n"), u->orig,
				(int)strcspn(now, "\n"), now);
			bad++;
		}
		free(now);
	}
	kf_err_clear();
	return bad;
}

void kf_tracer_release(struct kf_tracer *t)
{
	size_t i;

	for (i = 0; i < t->nundo; i++) {
		free(t->undo[i].path);
		free(t->undo[i].data);
		free(t->undo[i].orig);
	}
	free(t->undo);
	for (i = 0; i < t->nown; i++)
		free(t->own[i]);
	free(t->own);
	if (t->inst)
		tracefs_instance_free(t->inst);
	free(t->inst_dir);
	free(t->dir);
	/* not restored: closing drops the lock, so the next run replays it */
	if (t->journal && t->journal->fd >= 0)
		close(t->journal->fd);
	kf_journal_free(t->journal);
	memset(t, 0, sizeof(*t));
}
