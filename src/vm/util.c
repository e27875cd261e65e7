// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * util.c - small helpers of VM mode: string vectors, directories, the
 * cache, running a program for its output, finding a command.
 */
#include <ctype.h>
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kf_capfile.h"
#include "kf_common.h"
#include "kf_vm.h"
#include "vm-int.h"

int vm_strv_push(struct strv *s, const char *str)
{
	if (KF_GROW(s->v, s->cap, (size_t)s->n + 2) < 0)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	s->v[s->n] = strdup(str);
	if (!s->v[s->n])
		return kf_err(KF_EXIT_OSERR, "out of memory");
	s->v[++s->n] = NULL;
	return 0;
}

int vm_strv_has(const struct strv *s, const char *str)
{
	for (int i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], str))
			return 1;
	return 0;
}

void vm_strv_release(struct strv *s)
{
	for (int i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

int vm_mkdir_p(const char *path)
{
	char buf[PATH_MAX];
	size_t n = strlen(path);

	if (n >= sizeof(buf))
		return kf_err(KF_EXIT_OSERR, "path too long: '%s'", path);
	memcpy(buf, path, n + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return kf_err_errno(KF_EXIT_OSERR, "cannot create '%s'",
					    buf);
		*p = '/';
	}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		return kf_err_errno(KF_EXIT_OSERR, "cannot create '%s'", buf);
	return 0;
}

/* The cache directory; caller frees. */
char *vm_cache_dir(void)
{
	const char *c = getenv("KFOLLOW_CACHE"), *x, *h;
	char *d = NULL;

	if (c && *c)
		d = strdup(c);
	else if ((x = getenv("XDG_CACHE_HOME")) && *x)
		(void)!asprintf(&d, "%s/kfollow", x);
	else if ((h = getenv("HOME")) && *h)
		(void)!asprintf(&d, "%s/.cache/kfollow", h);
	else
		d = strdup("/var/cache/kfollow");
	if (!d)
		kf_err(KF_EXIT_OSERR, "out of memory");
	return d;
}

/* In the forked child: standard input from /dev/null, output and error
 * to the pipes, run argv in dir (if any).  Never returns. */
static void run_child(char *const argv[], const char *dir, int out, int err)
{
	int nul = open("/dev/null", O_RDONLY);

	dup2(nul, 0);
	dup2(out, 1);
	dup2(err, 2);
	if (dir && chdir(dir) < 0)
		_exit(126);
	execvp(argv[0], argv);
	dprintf(2, "cannot run '%s': %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* Start argv (in dir, if any) with its standard output and error on
 * pipes whose read ends go to *out and *err (the caller closes them).
 * Returns its pid, or -1 (kf_err). */
static pid_t run_spawn(char *const argv[], const char *dir, int *out,
		       int *err)
{
	int o[2], e[2];
	pid_t pid;

	if (pipe2(o, O_CLOEXEC) < 0 || pipe2(e, O_CLOEXEC) < 0)
		return kf_err_errno(KF_EXIT_OSERR, "cannot create a pipe");
	pid = fork();
	if (pid < 0)
		return kf_err_errno(KF_EXIT_OSERR, "cannot fork");
	if (pid == 0)
		run_child(argv, dir, o[1], e[1]);
	close(o[1]);
	close(e[1]);
	*out = o[0];
	*err = e[0];
	return pid;
}

/* Read fd to its end into a buffer with room for a final NUL; *len gets
 * the bytes read.  The caller frees it.  Out of memory: what was read so
 * far, or NULL before any buffer. */
static char *read_out(int fd, size_t *len)
{
	char *buf = NULL;
	size_t cap = 0;

	*len = 0;
	for (;;) {
		ssize_t r;

		if (*len + 4096 > cap) {
			char *nb = realloc(buf, cap ? cap * 2 : 65536);

			if (!nb)
				break;
			buf = nb;
			cap = cap ? cap * 2 : 65536;
		}
		r = read(fd, buf + *len, cap - *len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		*len += r;
	}
	return buf;
}

/* Read fd to its end into b (size bytes, NUL-terminated), keeping the
 * tail when there is more. */
static void read_tail(int fd, char *b, size_t size)
{
	size_t len = 0;

	for (;;) {
		ssize_t r = read(fd, b + len, size - 1 - len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += r;
		if (len == size - 1) {
			memmove(b, b + size / 2, len - size / 2);
			len -= size / 2;
		}
	}
	b[len] = '\0';
}

/* The last line of text in b, trailing newlines and spaces cut off (in
 * b); "" if none. */
static const char *last_line(char *b)
{
	char *last, *e = b + strlen(b);

	while (e > b && (e[-1] == '\n' || e[-1] == ' '))
		*--e = '\0';
	last = strrchr(b, '\n');
	return last ? last + 1 : b;
}

/*
 * Run argv (in directory dir, if any) and return its standard output
 * (caller frees), or NULL with kf_err set to the last line it printed on
 * standard error.  *status gets its exit status (128 + the signal that
 * killed it).
 */
char *vm_run_capture(char *const argv[], const char *dir, int *status)
{
	char *buf, ebuf[4096];
	const char *last;
	size_t len;
	int out = -1, err = -1, st;
	pid_t pid;

	pid = run_spawn(argv, dir, &out, &err);
	if (pid < 0)
		return NULL;
	/* apt prints little on stderr; read stdout fully, then stderr */
	buf = read_out(out, &len);
	read_tail(err, ebuf, sizeof(ebuf));
	close(out);
	close(err);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (buf)
		buf[len] = '\0';
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	if (*status == 0 && buf)
		return buf;
	last = last_line(ebuf);
	kf_err(KF_EXIT_UNAVAILABLE, "'%s' failed (exit %d)%s%s", argv[0],
	       *status, *last ? ": " : "", last);
	free(buf);
	return NULL;
}

/* Full path of a command the way execvp would find it; caller frees. */
char *vm_which(const char *cmd)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX];

	if (strchr(cmd, '/'))
		return access(cmd, X_OK) == 0 ? strdup(cmd) : NULL;
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");

		if (n && n + strlen(cmd) + 2 < sizeof(buf)) {
			struct stat st;

			snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, path, cmd);
			if (stat(buf, &st) == 0 && S_ISREG(st.st_mode) &&
			    access(buf, X_OK) == 0)
				return strdup(buf);
		}
		path += n;
		if (*path == ':')
			path++;
	}
	return NULL;
}
