// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * journal.c - the undo log on disk (see kf_journal.h).
 *
 * The lock is the journal's own flock: the kernel drops it when its holder
 * dies, however it dies, so "locked" means a live kfollow and "unlocked"
 * means one that was killed.  A new journal is written under a private
 * name, locked, and only then linked to DIR/journal, so nobody ever sees
 * one without its header or its lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kf_common.h"
#include "kf_journal.h"

#define MAX_JOURNAL (64u << 20)  /* a journal is a few KB; refuse junk */

const char *kf_journal_dir(void)
{
	const char *d = getenv("KFOLLOW_JOURNAL_DIR");

	return d && *d ? d : KF_JOURNAL_DIR;
}

/* DIR must be a real directory only root (or this user) can enter. */
static int dir_ready(const char *dir)
{
	struct stat st;
	char *parent = strdup(dir), *slash;

	if (!parent)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	slash = strrchr(parent, '/');
	if (slash && slash != parent) {
		*slash = '\0';
		if (mkdir(parent, 0755) < 0 && errno != EEXIST) {
			kf_err_errno(KF_EXIT_OSERR, "cannot create '%s'", parent);
			free(parent);
			return -1;
		}
	}
	free(parent);
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return kf_err_errno(KF_EXIT_OSERR, "cannot create the journal "
				    "directory '%s'", dir);
	if (lstat(dir, &st) < 0)
		return kf_err_errno(KF_EXIT_OSERR, "cannot use '%s'", dir);
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 077))
		return kf_err(KF_EXIT_NOPERM, "refusing the journal directory "
			      "'%s': it must be a directory owned by uid %d "
			      "with mode 0700 (remove it and run again)", dir,
			      (int)geteuid());
	return 0;
}

static char *slurp_fd(int fd, size_t *len)
{
	struct stat st;
	char *buf;
	size_t n = 0;

	if (fstat(fd, &st) < 0 || st.st_size < 0 ||
	    (uint64_t)st.st_size > MAX_JOURNAL)
		return NULL;
	buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		return NULL;
	while (n < (size_t)st.st_size) {
		ssize_t r = pread(fd, buf + n, (size_t)st.st_size - n,
				  (off_t)n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

static int header_pid(const char *buf)
{
	int pid = 0;

	if (sscanf(buf, "kfollow-journal 1\npid %d", &pid) != 1)
		return 0;
	return pid;
}

int kf_journal_parse(const char *buf, size_t len, struct kf_undo **out,
		     size_t *nout)
{
	const char *p, *end = buf + len;
	struct kf_undo *u = NULL;
	size_t n = 0, cap = 0;
	int bad = 0;

	*out = NULL;
	*nout = 0;
	p = memmem(buf, len, "\n\n", 2);
	if (!p || strncmp(buf, "kfollow-journal 1\n", len < 18 ? len : 18))
		return 1;
	p += 2;
	while (p < end) {
		size_t plen = 0, dlen = 0, k;
		const char *q = p + 1;
		char op = *p;

		/* "<op> <pathlen> <datalen>\n", digits only */
		if (!strchr("WARU", op) || op == '\0' || q >= end || *q != ' ') {
			bad++;
			break;
		}
		for (k = 0, q++; q < end && *q >= '0' && *q <= '9' && k < 10;
		     q++, k++)
			plen = plen * 10 + (size_t)(*q - '0');
		if (!k || q >= end || *q != ' ') {
			bad++;
			break;
		}
		for (k = 0, q++; q < end && *q >= '0' && *q <= '9' && k < 10;
		     q++, k++)
			dlen = dlen * 10 + (size_t)(*q - '0');
		if (!k || q >= end || *q != '\n' || !plen) {
			bad++;
			break;
		}
		q++;
		/* a record cut by the kill was never acted on: stop there */
		if ((size_t)(end - q) < plen + 1 + dlen + 1 ||
		    q[plen] != '\n' || q[plen + 1 + dlen] != '\n' ||
		    memchr(q, '\0', plen))
			break;
		if (KF_GROW(u, cap, (size_t)n + 1) < 0) {
			bad++;
			break;
		}
		memset(&u[n], 0, sizeof(u[n]));
		u[n].op = op == 'W' ? KF_UNDO_WRITE : op == 'A' ? KF_UNDO_APPEND :
			  op == 'R' ? KF_UNDO_RMDIR : KF_UNDO_UMOUNT;
		u[n].path = strndup(q, plen);
		u[n].data = malloc(dlen + 1);
		if (!u[n].path || !u[n].data) {
			free(u[n].path);
			free(u[n].data);
			bad++;
			break;
		}
		memcpy(u[n].data, q + plen + 1, dlen);
		u[n].len = dlen;
		n++;
		p = q + plen + 1 + dlen + 1;
	}
	*out = u;
	*nout = n;
	return bad;
}

void kf_journal_undo_free(struct kf_undo *u, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(u[i].path);
		free(u[i].data);
	}
	free(u);
}

/* The files outside tracefs a journal may name (kf_tracer_keep), each
 * with why kfollow changes it. */
static const char *const kept_files[] = {
	"/proc/sys/kernel/kptr_restrict",  /* libtracecmd lowers it */
};

/* Absolute, without empty, "." or ".." components. */
static int clean_path(const char *p)
{
	if (*p != '/')
		return 0;
	while (*p == '/') {
		const char *c = p + 1, *e = strchrnul(c, '/');

		if (e == c || (e - c == 1 && c[0] == '.') ||
		    (e - c == 2 && c[0] == '.' && c[1] == '.'))
			return 0;
		p = e;
	}
	return 1;
}

/* May a journal that recorded tracefs at root undo u? */
static int path_allowed(const char *root, const struct kf_undo *u)
{
	size_t n = strlen(root), i;

	if (!clean_path(u->path))
		return 0;
	if (u->op == KF_UNDO_WRITE)
		for (i = 0; i < sizeof(kept_files) / sizeof(kept_files[0]); i++)
			if (!strcmp(u->path, kept_files[i]))
				return 1;
	if (u->op == KF_UNDO_UMOUNT)
		return !strcmp(u->path, root);
	if (strncmp(u->path, root, n) != 0 || u->path[n] != '/')
		return 0;
	/* kfollow removes only its own instance */
	if (u->op == KF_UNDO_RMDIR)
		return !strncmp(u->path + n + 1, "instances/", 10) &&
		       !strchr(u->path + n + 11, '/');
	return 1;
}

/* The tracefs mount a journal recorded ("tracefs ROOT" in its header),
 * or NULL.  Caller frees. */
static char *header_root(const char *buf, size_t len)
{
	const char *end = memmem(buf, len, "\n\n", 2), *p, *nl;

	p = end ? memmem(buf, (size_t)(end - buf), "\ntracefs ", 9) : NULL;
	if (!p)
		return NULL;
	p += 9;
	nl = memchr(p, '\n', (size_t)(end + 1 - p));
	return nl ? strndup(p, (size_t)(nl - p)) : NULL;
}

/*
 * Replay the records of a journal, newest first, only those naming paths
 * under the tracefs mount it recorded.  Returns the number of records
 * that could not be applied (or parsed).
 */
static int replay(const char *path, const char *buf, size_t len)
{
	struct kf_undo *u;
	size_t n, i, use;
	int bad = kf_journal_parse(buf, len, &u, &n);
	char *root = header_root(buf, len);

	use = n;
	if (n && (!root || !clean_path(root) || !strcmp(root, "/"))) {
		kf_warn("the journal '%s' names no usable tracefs mount ('%s'): "
			"nothing replayed; check tracefs with kfollow --status",
			path, root ? root : "");
		use = 0;
	}
	for (i = use; i-- > 0;) {
		if (!path_allowed(root, &u[i])) {
			kf_warn("ignoring the journal's change to '%s': it is "
				"not under the tracefs mount '%s'", u[i].path,
				root);
			continue;
		}
		if (kf_undo_apply(&u[i]) < 0 && u[i].op != KF_UNDO_APPEND)
			bad++;  /* an append removes an event that may be gone */
	}
	kf_journal_undo_free(u, n);
	free(root);
	return bad;
}

void (*kf_journal_probe_hook)(const char *path);

/*
 * Open DIR/journal and try its lock.  Returns 1 (got the lock: *fdp is the
 * file, stale), 0 (no journal), 2 (held by a live kfollow), -1 (error).
 */
static int probe(const char *path, int *fdp, int *pid)
{
	int attempt;

	*pid = 0;
	for (attempt = 0; attempt < 5; attempt++) {
		int fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
		struct stat fst, pst;
		size_t len;
		char *buf;

		if (fd < 0 && (errno == EACCES || errno == EPERM))
			return kf_err(KF_EXIT_NOPERM, "cannot open the journal "
				      "'%s': %s (run as root)", path,
				      strerror(errno));
		if (fd < 0)
			return errno == ENOENT ? 0 :
			       kf_err_errno(KF_EXIT_OSERR, "cannot open '%s'",
					    path);
		buf = slurp_fd(fd, &len);
		if (buf)
			*pid = header_pid(buf);
		free(buf);
		if (kf_journal_probe_hook)
			kf_journal_probe_hook(path);
		if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
			close(fd);
			return 2;
		}
		/* between the open and the lock another run may have
		 * recovered this file and linked its own journal: the lock
		 * counts only on the file that is still at path */
		if (fstat(fd, &fst) == 0 && lstat(path, &pst) == 0 &&
		    fst.st_dev == pst.st_dev && fst.st_ino == pst.st_ino) {
			*fdp = fd;
			return 1;
		}
		close(fd);
	}
	return kf_err(KF_EXIT_INUSE, "cannot take the journal '%s': other "
		      "kfollow runs keep replacing it", path);
}

/* Replay the locked stale journal fd, remove it, close it. */
static int recover_fd(const char *path, int fd, int pid)
{
	size_t len = 0;
	char *buf = slurp_fd(fd, &len);
	int bad;

	if (!buf) {
		close(fd);
		return kf_err(KF_EXIT_OSERR, "cannot read the journal '%s'",
			      path);
	}
	bad = replay(path, buf, len);
	free(buf);
	unlink(path);
	close(fd);
	if (bad)
		kf_warn("%d change%s in the journal of kfollow (pid %d) could "
			"not be undone", bad, bad == 1 ? "" : "s", pid);
	return 0;
}

static int in_use(const char *path, int pid)
{
	return kf_err(KF_EXIT_INUSE, "tracing is in use by another kfollow "
		      "(pid %d, journal '%s'): wait for it to end, or stop it",
		      pid, path);
}

struct kf_journal *kf_journal_begin(const char *dir, const char *root)
{
	struct kf_journal *j;
	char *tmp = NULL, *head = NULL;
	int attempt, fd = -1;

	if (!clean_path(root) || strchr(root, '\n'))
		return kf_err(KF_EXIT_UNAVAILABLE, "cannot use tracefs at "
			      "'%s': give an absolute path", root), NULL;
	if (dir_ready(dir) < 0)
		return NULL;
	j = calloc(1, sizeof(*j));
	if (!j || asprintf(&j->path, "%s/journal", dir) < 0 ||
	    asprintf(&tmp, "%s/journal.%d", dir, (int)getpid()) < 0) {
		free(j ? j->path : NULL);
		free(j);
		kf_err(KF_EXIT_OSERR, "out of memory");
		return NULL;
	}
	j->fd = -1;
	unlink(tmp);  /* a leftover of an earlier process with our pid */
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (asprintf(&head, "kfollow-journal 1\npid %d\ntracefs %s\n\n",
		     (int)getpid(), root) < 0) {
		kf_err(KF_EXIT_OSERR, "out of memory");
		goto fail;
	}
	if (fd < 0 || kf_write_all(fd, head, strlen(head)) < 0 ||
	    flock(fd, LOCK_EX | LOCK_NB) < 0) {
		kf_err_errno(KF_EXIT_OSERR, "cannot create the journal '%s'",
			     tmp);
		goto fail;
	}
	for (attempt = 0; attempt < 3; attempt++) {
		int old = -1, pid = 0, r;

		if (link(tmp, j->path) == 0) {
			unlink(tmp);
			free(tmp);
			free(head);
			j->fd = fd;
			return j;
		}
		if (errno != EEXIST) {
			kf_err_errno(KF_EXIT_OSERR, "cannot create the journal "
				     "'%s'", j->path);
			goto fail;
		}
		r = probe(j->path, &old, &pid);
		if (r < 0)
			goto fail;
		if (r == 2) {
			in_use(j->path, pid);
			goto fail;
		}
		if (r == 1) {
			kf_note("a kfollow run (pid %d) was killed before it "
				"could restore tracefs: restoring its changes "
				"first", pid);
			if (recover_fd(j->path, old, pid) < 0)
				goto fail;
		}
	}
	kf_err(KF_EXIT_INUSE, "cannot take the journal '%s': other kfollow "
	       "runs keep starting", j->path);
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	free(head);
	kf_journal_free(j);
	return NULL;
}

int kf_journal_add(struct kf_journal *j, const struct kf_undo *u)
{
	static const char ops[] = { [KF_UNDO_WRITE] = 'W',
				    [KF_UNDO_APPEND] = 'A',
				    [KF_UNDO_RMDIR] = 'R',
				    [KF_UNDO_UMOUNT] = 'U' };
	char head[64], *rec;
	size_t plen = strlen(u->path), hlen, n;
	int rc, err;

	if (!j || j->fd < 0)
		return 0;
	hlen = (size_t)snprintf(head, sizeof(head), "%c %zu %zu\n",
				ops[u->op], plen, u->len);
	/* one write: a record is never left half written by a kill between
	 * calls (and costs one system call, not five) */
	n = hlen + plen + 1 + u->len + 1;
	rec = malloc(n);
	if (!rec)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	memcpy(rec, head, hlen);
	memcpy(rec + hlen, u->path, plen);
	rec[hlen + plen] = '\n';
	if (u->len)
		memcpy(rec + hlen + plen + 1, u->data, u->len);
	rec[n - 1] = '\n';
	rc = kf_write_all(j->fd, rec, n);
	err = errno;
	free(rec);
	errno = err;
	if (rc < 0)
		return kf_err_errno(KF_EXIT_IOERR, "cannot write the journal "
				    "'%s'", j->path);
	return 0;
}

void kf_journal_end(struct kf_journal *j)
{
	if (!j || j->fd < 0)
		return;
	unlink(j->path);
	close(j->fd);
	j->fd = -1;
}

void kf_journal_free(struct kf_journal *j)
{
	if (!j)
		return;
	free(j->path);
	free(j);
}

int kf_journal_recover(const char *dir, int *pid)
{
	char *path;
	int fd = -1, r;

	if (asprintf(&path, "%s/journal", dir) < 0)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	r = probe(path, &fd, pid);
	if (r == 2)
		r = in_use(path, *pid);
	else if (r == 1)
		r = recover_fd(path, fd, *pid) < 0 ? -1 : 1;
	free(path);
	return r;
}

int kf_journal_owner(const char *dir, int *pid)
{
	char *path;
	int fd = -1, r;

	if (asprintf(&path, "%s/journal", dir) < 0)
		return 0;
	r = probe(path, &fd, pid);
	if (r == 1)
		close(fd);
	free(path);
	return r == 1 ? 2 : r == 2 ? 1 : 0;
}
