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

/* Read what fd has into *buf (room kept for a final NUL).  Returns 1
 * while more may come, 0 at its end (or out of memory: what was read so
 * far stays). */
static int read_more(int fd, char **buf, size_t *len, size_t *cap)
{
	ssize_t r;

	if (*len + 4096 > *cap) {
		char *nb = realloc(*buf, *cap ? *cap * 2 : 65536);

		if (!nb)
			return 0;
		*buf = nb;
		*cap = *cap ? *cap * 2 : 65536;
	}
	r = read(fd, *buf + *len, *cap - *len - 1);
	if (r < 0 && errno == EINTR)
		return 1;
	if (r <= 0)
		return 0;
	*len += r;
	return 1;
}

/* Read what fd has into b (size bytes, NUL-terminated at *len), keeping
 * the tail when there is more.  Returns 1 while more may come, else 0. */
static int read_tail(int fd, char *b, size_t *len, size_t size)
{
	ssize_t r = read(fd, b + *len, size - 1 - *len);

	if (r < 0 && errno == EINTR)
		return 1;
	if (r <= 0)
		return 0;
	*len += r;
	if (*len == size - 1) {
		memmove(b, b + size / 2, *len - size / 2);
		*len -= size / 2;
	}
	b[*len] = '\0';
	return 1;
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
 * killed it).  The run's progress ticks while it runs (a download takes
 * minutes); stopped there, the program is killed.
 */
char *vm_run_capture(char *const argv[], const char *dir, int *status)
{
	char *buf = NULL, ebuf[4096] = "";
	const char *last;
	size_t len = 0, cap = 0, elen = 0;
	int out = -1, err = -1, st, stopped = 0;
	struct pollfd p[2];
	pid_t pid;

	pid = run_spawn(argv, dir, &out, &err);
	if (pid < 0)
		return NULL;
	p[0].fd = out;
	p[1].fd = err;
	p[0].events = p[1].events = POLLIN;
	while (p[0].fd >= 0 || p[1].fd >= 0) {
		if (poll(p, 2, 500) < 0 && errno != EINTR)
			break;
		if (vm_progress_tick()) {
			kill(pid, SIGKILL);
			stopped = 1;
			break;
		}
		if (p[0].fd >= 0 && (p[0].revents & (POLLIN | POLLHUP)) &&
		    !read_more(out, &buf, &len, &cap))
			p[0].fd = -1;
		if (p[1].fd >= 0 && (p[1].revents & (POLLIN | POLLHUP)) &&
		    !read_tail(err, ebuf, &elen, sizeof(ebuf)))
			p[1].fd = -1;
	}
	close(out);
	close(err);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (buf)
		buf[len] = '\0';
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	if (*status == 0 && buf && !stopped)
		return buf;
	free(buf);
	if (stopped) {
		vm_progress_stop_err();
		return NULL;
	}
	last = last_line(ebuf);
	kf_err(KF_EXIT_UNAVAILABLE, "'%s' failed (exit %d)%s%s", argv[0],
	       *status, *last ? ": " : "", last);
	return NULL;
}

/* ---- progress ---------------------------------------------------------- */

/* The run's progress: one VM run at a time in a process, and the code
 * that waits (apt, qemu) is far from the request that asked for it. */
static struct {
	kf_progress_fn fn;
	void *ctx;
	struct kf_progress p;
	char detail[160];
	char watch[PATH_MAX];   /* a glob whose files' sizes are p.bytes */
	uint64_t t0, ts, tlast;
	int stopped;
} prog;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void vm_progress_begin(kf_progress_fn fn, void *ctx)
{
	memset(&prog, 0, sizeof(prog));
	prog.fn = fn;
	prog.ctx = ctx;
	prog.t0 = now_ns();
	prog.p.stage = KF_STAGE_N;
}

void vm_progress_end(void)
{
	prog.fn = NULL;
}

/* Tell the front end where the run is; a stop asked for is kept. */
static void tell(void)
{
	uint64_t now = now_ns();

	prog.tlast = now;
	if (!prog.fn || prog.p.stage == KF_STAGE_N)
		return;
	prog.p.total_ns = now - prog.t0;
	prog.p.stage_ns = now - prog.ts;
	prog.p.detail = prog.detail[0] ? prog.detail : NULL;
	if (prog.fn(prog.ctx, &prog.p))
		prog.stopped = 1;
}

int vm_progress_stage(enum kf_stage s, const char *detail)
{
	if (s != prog.p.stage) {
		prog.p.stage = s;
		prog.ts = now_ns();
		prog.p.bytes = prog.p.events = 0;
		prog.watch[0] = '\0';
	}
	snprintf(prog.detail, sizeof(prog.detail), "%s", detail ? detail : "");
	tell();
	if (prog.stopped)
		return vm_progress_stop_err();
	return 0;
}

void vm_progress_watch(const char *pattern)
{
	snprintf(prog.watch, sizeof(prog.watch), "%s", pattern ? pattern : "");
}

void vm_progress_count(uint64_t bytes, uint64_t events)
{
	prog.p.bytes = bytes;
	prog.p.events = events;
}

/* The bytes of the files the watch glob matches (a download growing). */
static uint64_t watched_bytes(void)
{
	uint64_t sum = 0;
	glob_t g;

	if (!prog.watch[0] || glob(prog.watch, 0, NULL, &g) != 0)
		return prog.p.bytes;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		struct stat st;

		if (stat(g.gl_pathv[i], &st) == 0 && S_ISREG(st.st_mode))
			sum += st.st_size;
	}
	globfree(&g);
	return sum;
}

int vm_progress_tick(void)
{
	/* at most four times a second, however fast the caller loops */
	if (!prog.stopped && now_ns() - prog.tlast >= 250000000) {
		prog.p.bytes = watched_bytes();
		tell();
	}
	return prog.stopped;
}

int vm_progress_stopped(void)
{
	return prog.stopped;
}

int vm_progress_stop_err(void)
{
	if (prog.p.stage == KF_STAGE_N || prog.p.stage < KF_STAGE_BOOT)
		return kf_err(KF_EXIT_FAILURE, "stopped before the VM was "
			      "started: no capture was made");
	return kf_err(KF_EXIT_FAILURE, "stopped: the VM was shut down "
		      "before it sent a capture");
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
