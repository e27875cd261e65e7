// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vm.c - VM mode: boot a Debian kernel under qemu with an initramfs that
 * holds this kfollow, the traced command and their libraries, run the
 * capture there and bring the result back.
 *
 * Channels (16550 UARTs: built into every Debian kernel, so no module has
 * to be loaded in the guest; ~0.27 MB/s under emulation is ample for a
 * capture of a command or a test log):
 *   ttyS0  the kernel console: kept, shown on failure or with -v
 *   ttyS1  the command's (or script's) standard output, copied as it runs
 *   ttyS2  its standard error
 *   ttyS3  files the guest leaves in /out, framed "KFOUT name size\n"
 *          followed by the bytes, ended by "KFEND\n"
 * Each is a pipe on the host that qemu opens as /dev/fd/N.
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

#define VM_MEM "1024"
#define VM_TIMEOUT_CAPTURE 600
#define VM_TIMEOUT_SCRIPT 1800
#define MAX_OUT_FILE (256u << 20)

/* ---- small helpers ------------------------------------------------ */

struct strv {
	char **v;
	int n, cap;
};

static int strv_push(struct strv *s, const char *str)
{
	if (KF_GROW(s->v, s->cap, (size_t)s->n + 2) < 0)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	s->v[s->n] = strdup(str);
	if (!s->v[s->n])
		return kf_err(KF_EXIT_OSERR, "out of memory");
	s->v[++s->n] = NULL;
	return 0;
}

static int strv_has(const struct strv *s, const char *str)
{
	for (int i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], str))
			return 1;
	return 0;
}

static void strv_release(struct strv *s)
{
	for (int i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static int mkdir_p(const char *path)
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
static char *cache_dir(void)
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

/*
 * Run argv (in directory dir, if any) and return its standard output
 * (caller frees), or NULL with kf_err set to the last line it printed on
 * standard error.  quiet_ok: a non-zero exit is not an error; *status
 * gets it.
 */
static char *run_capture(char *const argv[], const char *dir, int *status)
{
	int out[2], err[2];
	pid_t pid;
	char *buf = NULL, ebuf[4096];
	size_t len = 0, cap = 0, elen = 0;
	int st;

	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
		kf_err_errno(KF_EXIT_OSERR, "cannot create a pipe");
		return NULL;
	}
	pid = fork();
	if (pid < 0) {
		kf_err_errno(KF_EXIT_OSERR, "cannot fork");
		return NULL;
	}
	if (pid == 0) {
		int nul = open("/dev/null", O_RDONLY);

		dup2(nul, 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		if (dir && chdir(dir) < 0)
			_exit(126);
		execvp(argv[0], argv);
		dprintf(2, "cannot run '%s': %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	/* apt prints little on stderr; read stdout fully, then stderr */
	for (;;) {
		ssize_t r;

		if (len + 4096 > cap) {
			char *nb = realloc(buf, cap ? cap * 2 : 65536);

			if (!nb)
				break;
			buf = nb;
			cap = cap ? cap * 2 : 65536;
		}
		r = read(out[0], buf + len, cap - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += r;
	}
	for (;;) {
		ssize_t r = read(err[0], ebuf + elen, sizeof(ebuf) - 1 - elen);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		elen += r;
		if (elen == sizeof(ebuf) - 1) {
			/* keep the tail */
			memmove(ebuf, ebuf + 2048, elen - 2048);
			elen -= 2048;
		}
	}
	ebuf[elen] = '\0';
	close(out[0]);
	close(err[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (buf)
		buf[len] = '\0';
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	if (*status != 0 || !buf) {
		char *last, *e = ebuf + strlen(ebuf);

		while (e > ebuf && (e[-1] == '\n' || e[-1] == ' '))
			*--e = '\0';
		last = strrchr(ebuf, '\n');
		last = last ? last + 1 : ebuf;
		kf_err(KF_EXIT_UNAVAILABLE, "'%s' failed (exit %d)%s%s",
		       argv[0], *status, *last ? ": " : "", last);
		free(buf);
		return NULL;
	}
	return buf;
}

/* ---- kernels: fetch, unpack, find ---------------------------------- */

struct apt {
	struct strv opts;   /* "-o" "X=Y" pairs for a private state */
	char *dl;           /* where .debs land */
	char *x;            /* where they are unpacked */
};

static int apt_argv(const struct apt *a, struct strv *v, const char *cmd)
{
	if (strv_push(v, cmd) < 0)
		return -1;
	for (int i = 0; i < a->opts.n; i++)
		if (strv_push(v, a->opts.v[i]) < 0)
			return -1;
	return 0;
}

/* apt-cache show PKG (its candidate version): the "Depends:" line. */
static char *apt_depends(const struct apt *a, const char *pkg)
{
	struct strv v = { 0 };
	char *out = NULL, *ver = NULL, *line, *dep = NULL;
	int st;

	if (apt_argv(a, &v, "apt-cache") < 0 || strv_push(&v, "policy") < 0 ||
	    strv_push(&v, pkg) < 0)
		goto out;
	out = run_capture(v.v, NULL, &st);
	if (!out)
		goto out;
	line = strstr(out, "Candidate: ");
	if (!line || !strncmp(line + 11, "(none)", 6)) {
		kf_err(KF_EXIT_UNAVAILABLE, "no candidate for package '%s' in "
		       "the apt sources", pkg);
		goto out;
	}
	ver = strndup(line + 11, strcspn(line + 11, "\n"));
	free(out);
	strv_release(&v);
	if (!ver || apt_argv(a, &v, "apt-cache") < 0 ||
	    strv_push(&v, "show") < 0)
		goto out;
	{
		char *pv = NULL;

		if (asprintf(&pv, "%s=%s", pkg, ver) < 0 || strv_push(&v, pv))
			pv = NULL;
		free(pv);
	}
	out = run_capture(v.v, NULL, &st);
	if (!out)
		goto out;
	line = strstr(out, "\nDepends: ");
	if (!line) {
		kf_err(KF_EXIT_UNAVAILABLE, "package '%s' has no dependencies",
		       pkg);
		goto out;
	}
	dep = strndup(line + 10, strcspn(line + 10, "\n"));
out:
	free(out);
	free(ver);
	strv_release(&v);
	return dep;
}

/* First package in a Depends line whose name starts with prefix. */
static char *dep_named(const char *deps, const char *prefix)
{
	const char *p = deps;

	while (p && *p) {
		size_t n;

		while (*p == ' ' || *p == ',' || *p == '|')
			p++;
		n = strcspn(p, " ,|(");
		if (!strncmp(p, prefix, strlen(prefix)))
			return strndup(p, n);
		p = strchr(p, ',');
	}
	return NULL;
}

/* Download PKG's candidate and unpack it; returns the unpack dir. */
static char *apt_fetch(const struct apt *a, const char *pkg)
{
	struct strv v = { 0 };
	char *out, *dir = NULL, *pat = NULL;
	glob_t g = { 0 };
	int st;

	if (asprintf(&pat, "%s/%s_*.deb", a->dl, pkg) < 0)
		return NULL;
	if (glob(pat, 0, NULL, &g) != 0) {
		kf_note("downloading %s (once; cached in %s)", pkg, a->dl);
		if (apt_argv(a, &v, "apt-get") < 0 ||
		    strv_push(&v, "-q") < 0 || strv_push(&v, "download") < 0 ||
		    strv_push(&v, pkg) < 0)
			goto out;
		out = run_capture(v.v, a->dl, &st);
		if (!out)
			goto out;
		free(out);
		strv_release(&v);
		if (glob(pat, 0, NULL, &g) != 0) {
			kf_err(KF_EXIT_UNAVAILABLE, "apt-get download '%s' left "
			       "no package in '%s'", pkg, a->dl);
			goto out;
		}
	}
	{
		const char *deb = g.gl_pathv[g.gl_pathc - 1];
		const char *base = strrchr(deb, '/') + 1;
		struct stat sb;

		if (asprintf(&dir, "%s/%.*s", a->x, (int)(strlen(base) - 4),
			     base) < 0) {
			dir = NULL;
			goto out;
		}
		if (stat(dir, &sb) == 0)
			goto out;
		if (strv_push(&v, "dpkg") < 0 || strv_push(&v, "-x") < 0 ||
		    strv_push(&v, deb) < 0 || strv_push(&v, dir) < 0)
			goto fail;
		out = run_capture(v.v, NULL, &st);
		if (!out)
			goto fail;
		free(out);
	}
	goto out;
fail:
	free(dir);
	dir = NULL;
out:
	globfree(&g);
	free(pat);
	strv_release(&v);
	return dir;
}

/* vmlinuz inside an unpacked kernel package, or NULL. */
static char *find_vmlinuz(const char *dir, char **release)
{
	static const char *const pats[] = { "/boot/vmlinuz-*",
					    "/usr/lib/modules/*/vmlinuz",
					    "/lib/modules/*/vmlinuz" };

	for (size_t i = 0; i < sizeof(pats) / sizeof(pats[0]); i++) {
		char *pat = NULL, *res = NULL;
		glob_t g;

		if (asprintf(&pat, "%s%s", dir, pats[i]) < 0)
			return NULL;
		if (glob(pat, 0, NULL, &g) == 0) {
			const char *p = g.gl_pathv[0];

			res = strdup(p);
			if (i == 0) {
				*release = strdup(strrchr(p, '/') + 9);
			} else {
				const char *e = strrchr(p, '/');
				const char *s = e - 1;

				while (s > p && *s != '/')
					s--;
				*release = strndup(s + 1, e - s - 1);
			}
			globfree(&g);
		}
		free(pat);
		if (res)
			return res;
	}
	return NULL;
}

static int apt_init(struct apt *a, const char *cache, const char *release)
{
	char *base = NULL, *p = NULL;
	FILE *f;

	memset(a, 0, sizeof(*a));
	if (asprintf(&a->dl, "%s/dl", cache) < 0 ||
	    asprintf(&a->x, "%s/x", cache) < 0)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	if (mkdir_p(a->dl) < 0 || mkdir_p(a->x) < 0)
		return -1;
	if (strv_push(&a->opts, "-o") < 0 ||
	    strv_push(&a->opts, "APT::Sandbox::User=root") < 0)
		return -1;
	if (!release)
		return 0; /* the system's own sources */
	/* A private apt state: the system's sources are never touched. */
	if (asprintf(&base, "%s/apt-%s", cache, release) < 0)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	if (asprintf(&p, "%s/lists/partial", base) < 0 || mkdir_p(p) < 0)
		goto fail;
	free(p);
	if (asprintf(&p, "%s/archives/partial", base) < 0 || mkdir_p(p) < 0)
		goto fail;
	free(p);
	if (asprintf(&p, "%s/status", base) < 0)
		goto fail;
	f = fopen(p, "a");
	if (f)
		fclose(f);
	free(p);
	if (asprintf(&p, "%s/sources.list", base) < 0)
		goto fail;
	f = fopen(p, "w");
	if (!f) {
		kf_err_errno(KF_EXIT_OSERR, "cannot write '%s'", p);
		goto fail;
	}
	fprintf(f, "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg]"
		" http://deb.debian.org/debian %s main\n", release);
	fclose(f);
	{
		const char *kv[][2] = {
			{ "Dir::Etc::sourcelist", "/sources.list" },
			{ "Dir::Etc::sourceparts", NULL },
			{ "Dir::Etc::preferencesparts", NULL },
			{ "Dir::State::Lists", "/lists" },
			{ "Dir::State::status", "/status" },
			{ "Dir::Cache", "" },
			{ "Debug::NoLocking", NULL },
		};

		for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i++) {
			char *o = NULL;

			if (!strcmp(kv[i][0], "Debug::NoLocking"))
				(void)!asprintf(&o, "%s=1", kv[i][0]);
			else if (!kv[i][1])
				(void)!asprintf(&o, "%s=-", kv[i][0]);
			else
				(void)!asprintf(&o, "%s=%s%s", kv[i][0], base,
						kv[i][1]);
			if (!o || strv_push(&a->opts, "-o") < 0 ||
			    strv_push(&a->opts, o) < 0) {
				free(o);
				goto fail;
			}
			free(o);
		}
	}
	free(base);
	return 0;
fail:
	free(p);
	free(base);
	return -1;
}

static void apt_release(struct apt *a)
{
	strv_release(&a->opts);
	free(a->dl);
	free(a->x);
}

static int apt_update(const struct apt *a, const char *release)
{
	struct strv v = { 0 };
	char *out;
	int st;

	kf_note("updating the package list of Debian '%s' (private apt state)",
		release);
	if (apt_argv(a, &v, "apt-get") < 0 || strv_push(&v, "-q") < 0 ||
	    strv_push(&v, "update") < 0) {
		strv_release(&v);
		return -1;
	}
	out = run_capture(v.v, NULL, &st);
	strv_release(&v);
	free(out);
	return out ? 0 : -1;
}

/* Fetch Debian release's current amd64 kernel; fills k. */
/* The kernel memo of a release fetched before: 0 and k set, or -1. */
static int memo_read(const char *memo, struct kf_vm_kernel *k)
{
	char line[PATH_MAX + 128];
	FILE *f = fopen(memo, "re");
	int rc = -1;

	if (!f)
		return -1;
	if (fgets(line, sizeof(line), f)) {
		char *sp = strchr(line, ' ');

		line[strcspn(line, "\n")] = '\0';
		if (sp) {
			*sp = '\0';
			if (access(sp + 1, R_OK) == 0) {
				k->release = strdup(line);
				k->vmlinuz = strdup(sp + 1);
				rc = k->release && k->vmlinuz ? 0 : -1;
				if (rc < 0) {
					free(k->release);
					free(k->vmlinuz);
					k->release = k->vmlinuz = NULL;
				}
			}
		}
	}
	fclose(f);
	return rc;
}

/*
 * One fetch of a release at a time: two kfollow --vm runs (a test suite
 * booting two guests) sharing one private apt state break each other's
 * downloads.  Returns the locked fd (closing it unlocks), or -1.
 */
static int fetch_lock(const char *cache, const char *release)
{
	char *path = NULL;
	int fd;

	if (asprintf(&path, "%s/%s.lock", cache, release) < 0)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		kf_err_errno(KF_EXIT_OSERR, "cannot create '%s'", path);
		free(path);
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		kf_note("waiting for another kfollow that is fetching Debian "
			"'%s' (%s)", release, path);
		while (flock(fd, LOCK_EX) < 0) {
			if (errno != EINTR) {
				kf_err_errno(KF_EXIT_OSERR, "cannot lock '%s'",
					     path);
				close(fd);
				free(path);
				return -1;
			}
		}
	}
	free(path);
	return fd;
}

static int fetch_release(const char *cache, const char *release,
			 struct kf_vm_kernel *k)
{
	struct apt a = { 0 };
	char *memo = NULL, *deps = NULL, *img = NULL, *dir = NULL;
	char *bin = NULL, *bdeps = NULL, *bdir = NULL;
	int rc = -1, system = !strcmp(release, "bookworm"), lock = -1;
	FILE *f;

	/* a memo of the kernel found last time: no network when cached */
	if (asprintf(&memo, "%s/%s.kernel", cache, release) < 0)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	if (memo_read(memo, k) == 0) {
		free(memo);
		return 0;
	}
	lock = fetch_lock(cache, release);
	if (lock < 0) {
		free(memo);
		return -1;
	}
	/* the run that held the lock may have fetched it meanwhile */
	if (memo_read(memo, k) == 0) {
		rc = 0;
		goto out_unlocked;
	}
	if (apt_init(&a, cache, system ? NULL : release) < 0)
		goto out;
	if (!system) {
		char *lists = NULL;
		glob_t g;

		if (asprintf(&lists, "%s/apt-%s/lists/*Packages*", cache,
			     release) < 0)
			goto out;
		if (glob(lists, 0, NULL, &g) != 0) {
			if (apt_update(&a, release) < 0) {
				free(lists);
				goto out;
			}
		} else {
			globfree(&g);
		}
		free(lists);
	}
	deps = apt_depends(&a, "linux-image-amd64");
	if (!deps && system) {
		/* the system's lists may be missing or not bookworm's */
		apt_release(&a);
		system = 0;
		if (apt_init(&a, cache, release) < 0 ||
		    apt_update(&a, release) < 0)
			goto out;
		deps = apt_depends(&a, "linux-image-amd64");
	}
	if (!deps)
		goto out;
	img = dep_named(deps, "linux-image-");
	if (!img) {
		kf_err(KF_EXIT_UNAVAILABLE, "linux-image-amd64 of '%s' names no "
		       "kernel image (depends: %s)", release, deps);
		goto out;
	}
	dir = apt_fetch(&a, img);
	if (!dir)
		goto out;
	k->vmlinuz = find_vmlinuz(dir, &k->release);
	if (!k->vmlinuz) {
		/* sid: linux-image-V is a meta package over linux-binary-V */
		bdeps = apt_depends(&a, img);
		bin = bdeps ? dep_named(bdeps, "linux-binary-") : NULL;
		if (!bin) {
			kf_err(KF_EXIT_UNAVAILABLE, "no vmlinuz in '%s' and no "
			       "linux-binary package beside it", img);
			goto out;
		}
		bdir = apt_fetch(&a, bin);
		if (!bdir)
			goto out;
		k->vmlinuz = find_vmlinuz(bdir, &k->release);
		if (!k->vmlinuz) {
			kf_err(KF_EXIT_UNAVAILABLE, "no vmlinuz in '%s' or '%s'",
			       img, bin);
			goto out;
		}
	}
	f = fopen(memo, "we");
	if (f) {
		fprintf(f, "%s %s\n", k->release ? k->release : "?",
			k->vmlinuz);
		fclose(f);
	}
	rc = 0;
out:
	apt_release(&a);
out_unlocked:
	close(lock);
	free(memo);
	free(deps);
	free(img);
	free(dir);
	free(bin);
	free(bdeps);
	free(bdir);
	return rc;
}

int kf_vm_kernel_find(const char *spec, struct kf_vm_kernel *k)
{
	char *cache;
	int rc;

	memset(k, 0, sizeof(*k));
	if (!spec || !*spec)
		spec = "bookworm";
	if (strchr(spec, '/') || access(spec, F_OK) == 0) {
		if (access(spec, R_OK) < 0)
			return kf_err_errno(KF_EXIT_NOINPUT, "cannot read "
					    "kernel '%s'", spec);
		k->vmlinuz = strdup(spec);
		return k->vmlinuz ? 0 : kf_err(KF_EXIT_OSERR, "out of memory");
	}
	if (strcmp(spec, "bookworm") && strcmp(spec, "trixie") &&
	    strcmp(spec, "sid"))
		return kf_err(KF_EXIT_USAGE, "unknown kernel '%s': give "
			      "bookworm, trixie, sid or the path of a vmlinuz",
			      spec);
	cache = cache_dir();
	if (!cache)
		return -1;
	rc = mkdir_p(cache);
	if (rc == 0)
		rc = fetch_release(cache, spec, k);
	free(cache);
	if (rc < 0)
		kf_vm_kernel_release(k);
	return rc;
}

void kf_vm_kernel_release(struct kf_vm_kernel *k)
{
	free(k->vmlinuz);
	free(k->moddir);
	free(k->release);
	memset(k, 0, sizeof(*k));
}

/* ---- the initramfs: a cpio "newc" archive -------------------------- */

struct cpio {
	FILE *f;
	unsigned long ino;
	struct strv dirs;  /* directories already written */
	struct strv files; /* guest paths already written */
	struct strv queue; /* host ELF files whose libraries to add */
};

static int cpio_hdr(struct cpio *c, const char *name, unsigned mode,
		    size_t size)
{
	size_t nlen = strlen(name) + 1;
	static const char zero[4];

	if (fprintf(c->f, "070701%08lX%08X%08X%08X%08X%08lX%08zX%08X%08X%08X"
		    "%08X%08zX%08X", ++c->ino, mode, 0, 0, 1, 0ul, size, 0, 0,
		    0, 0, nlen, 0) < 0 ||
	    fwrite(name, 1, nlen, c->f) != nlen)
		return kf_err_errno(KF_EXIT_IOERR, "cannot write the initramfs");
	/* header (110 bytes) + name padded to 4 */
	if (fwrite(zero, 1, (4 - (110 + nlen) % 4) % 4, c->f) >
	    (4 - (110 + nlen) % 4) % 4)
		return -1;
	return 0;
}

static int cpio_pad(struct cpio *c, size_t size)
{
	static const char zero[4];
	size_t n = (4 - size % 4) % 4;

	if (n && fwrite(zero, 1, n, c->f) != n)
		return kf_err_errno(KF_EXIT_IOERR, "cannot write the initramfs");
	return 0;
}

/* Write the parent directories of guest path p ("usr/bin/cat"). */
static int cpio_parents(struct cpio *c, const char *p)
{
	char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s", p);
	for (char *s = strchr(buf, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (*buf && !strv_has(&c->dirs, buf)) {
			if (strv_push(&c->dirs, buf) < 0 ||
			    cpio_hdr(c, buf, S_IFDIR | 0755, 0) < 0)
				return -1;
		}
		*s = '/';
	}
	return 0;
}

static int cpio_data(struct cpio *c, const char *gpath, unsigned mode,
		     const void *data, size_t len)
{
	while (*gpath == '/')
		gpath++;
	if (strv_has(&c->files, gpath))
		return 0;
	if (strv_push(&c->files, gpath) < 0 || cpio_parents(c, gpath) < 0 ||
	    cpio_hdr(c, gpath, S_IFREG | mode, len) < 0)
		return -1;
	if (len && fwrite(data, 1, len, c->f) != len)
		return kf_err_errno(KF_EXIT_IOERR, "cannot write the initramfs");
	return cpio_pad(c, len);
}

static int cpio_dir(struct cpio *c, const char *gpath)
{
	char buf[PATH_MAX];

	while (*gpath == '/')
		gpath++;
	snprintf(buf, sizeof(buf), "%s/", gpath);
	if (cpio_parents(c, buf) < 0)
		return -1;
	return 0;
}

static int is_elf(const char *host)
{
	char m[4];
	int fd = open(host, O_RDONLY | O_CLOEXEC | O_NONBLOCK), ok;

	if (fd < 0)
		return 0;
	ok = read(fd, m, 4) == 4 && !memcmp(m, ELFMAG, SELFMAG);
	close(fd);
	return ok;
}

/* Copy host file `host` to guest path `gpath` (same mode bits). */
static int cpio_file(struct cpio *c, const char *host, const char *gpath)
{
	struct stat st;
	char *buf = NULL;
	int fd, rc;

	/* O_NONBLOCK: opening a FIFO would wait for a writer forever; its
	 * type is refused just below */
	fd = open(host, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return kf_err_errno(KF_EXIT_NOINPUT, "cannot read '%s' for the "
				    "VM", host);
	if (fstat(fd, &st) < 0) {
		close(fd);
		return kf_err_errno(KF_EXIT_NOINPUT, "cannot read '%s' for "
				    "the VM", host);
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return kf_err(KF_EXIT_NOINPUT, "cannot copy '%s' into the VM: "
			      "%s, not a regular file (leave it out of "
			      "--vm-file)", host, S_ISFIFO(st.st_mode) ?
			      "a FIFO" : S_ISSOCK(st.st_mode) ? "a socket" :
			      S_ISDIR(st.st_mode) ? "a directory" : "a device");
	}
	/* read, not mmap: a file that shrinks while it is copied would be
	 * a SIGBUS through a mapping, here a clear error */
	if (st.st_size > 0) {
		size_t got = 0;
		ssize_t n = 0;

		buf = malloc(st.st_size);
		if (!buf) {
			close(fd);
			return kf_err(KF_EXIT_OSERR, "out of memory copying "
				      "'%s' into the VM", host);
		}
		while (got < (size_t)st.st_size &&
		       (n = read(fd, buf + got, st.st_size - got)) != 0) {
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				kf_err_errno(KF_EXIT_IOERR, "cannot read '%s' "
					     "for the VM", host);
				break;
			}
			got += n;
		}
		if (got < (size_t)st.st_size) {
			if (n == 0)
				kf_err(KF_EXIT_IOERR, "'%s' shrank while it was "
				       "copied into the VM: copy it again",
				       host);
			free(buf);
			close(fd);
			return -1;
		}
	}
	close(fd);
	rc = cpio_data(c, gpath, st.st_mode & 07777, buf, st.st_size);
	free(buf);
	if (rc == 0 && is_elf(host) && !strv_has(&c->queue, host))
		rc = strv_push(&c->queue, host);
	return rc;
}

/* Copy a host file or directory tree to the same path in the guest. */
static int cpio_tree(struct cpio *c, const char *host, int depth)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	int rc = 0;

	if (stat(host, &st) < 0)
		return kf_err_errno(KF_EXIT_NOINPUT, "cannot copy '%s' into the "
				    "VM", host);
	if (!S_ISDIR(st.st_mode))
		return cpio_file(c, host, host);
	if (depth > 16)
		return kf_err(KF_EXIT_USAGE, "'%s' is nested too deep to copy "
			      "into the VM", host);
	if (cpio_dir(c, host) < 0)
		return -1;
	d = opendir(host);
	if (!d)
		return kf_err_errno(KF_EXIT_NOINPUT, "cannot list '%s'", host);
	while (rc == 0 && (e = readdir(d))) {
		char *p = NULL;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (asprintf(&p, "%s/%s", host, e->d_name) < 0) {
			rc = kf_err(KF_EXIT_OSERR, "out of memory");
			break;
		}
		rc = cpio_tree(c, p, depth + 1);
		free(p);
	}
	closedir(d);
	return rc;
}

/* ---- ELF: the libraries a program needs ---------------------------- */

static const char *const lib_dirs[] = {
	"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64",
	"/usr/lib64", "/usr/local/lib/x86_64-linux-gnu", "/usr/local/lib",
	"/lib", "/usr/lib",
};

/* Map a virtual address to a file offset through the PT_LOAD headers. */
static int vaddr_off(const Elf64_Phdr *ph, int n, uint64_t va, uint64_t *off)
{
	for (int i = 0; i < n; i++)
		if (ph[i].p_type == PT_LOAD && va >= ph[i].p_vaddr &&
		    va - ph[i].p_vaddr < ph[i].p_filesz) {
			*off = ph[i].p_offset + (va - ph[i].p_vaddr);
			return 0;
		}
	return -1;
}

/*
 * Append to `needed` the interpreter and DT_NEEDED names of the ELF file
 * at host (a 64-bit little-endian file; anything else needs nothing).
 */
static int elf_needs(const char *host, struct strv *needed, struct strv *rpath)
{
	struct stat st;
	const unsigned char *b;
	const Elf64_Ehdr *eh;
	const Elf64_Phdr *ph;
	const Elf64_Dyn *dyn = NULL;
	size_t ndyn = 0;
	uint64_t stroff = 0, strsz = 0;
	int fd = open(host, O_RDONLY | O_CLOEXEC), rc = 0;

	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size < (off_t)sizeof(*eh)) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	b = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (b == MAP_FAILED)
		return 0;
	eh = (const void *)b;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_phentsize != sizeof(Elf64_Phdr) ||
	    eh->e_phoff > (uint64_t)st.st_size ||
	    eh->e_phnum > ((uint64_t)st.st_size - eh->e_phoff) / sizeof(*ph))
		goto out;
	ph = (const void *)(b + eh->e_phoff);
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_offset > (uint64_t)st.st_size ||
		    ph[i].p_filesz > (uint64_t)st.st_size - ph[i].p_offset)
			continue;
		if (ph[i].p_type == PT_INTERP && ph[i].p_filesz > 1) {
			char *p = strndup((const char *)b + ph[i].p_offset,
					  ph[i].p_filesz);

			if (p && *p == '/' && !strv_has(needed, p))
				rc = strv_push(needed, p);
			free(p);
		} else if (ph[i].p_type == PT_DYNAMIC) {
			dyn = (const void *)(b + ph[i].p_offset);
			ndyn = ph[i].p_filesz / sizeof(*dyn);
		}
	}
	for (size_t i = 0; i < ndyn && dyn[i].d_tag != DT_NULL; i++) {
		if (dyn[i].d_tag == DT_STRTAB &&
		    vaddr_off(ph, eh->e_phnum, dyn[i].d_un.d_ptr, &stroff) < 0)
			goto out;
		if (dyn[i].d_tag == DT_STRSZ)
			strsz = dyn[i].d_un.d_val;
	}
	if (!stroff || stroff > (uint64_t)st.st_size ||
	    strsz > (uint64_t)st.st_size - stroff)
		goto out;
	for (size_t i = 0; rc == 0 && i < ndyn && dyn[i].d_tag != DT_NULL;
	     i++) {
		const char *s;

		if ((dyn[i].d_tag != DT_NEEDED && dyn[i].d_tag != DT_RUNPATH &&
		     dyn[i].d_tag != DT_RPATH) || dyn[i].d_un.d_val >= strsz)
			continue;
		s = (const char *)b + stroff + dyn[i].d_un.d_val;
		if (!memchr(s, '\0', strsz - dyn[i].d_un.d_val))
			continue;
		if (dyn[i].d_tag == DT_NEEDED) {
			if (!strv_has(needed, s))
				rc = strv_push(needed, s);
		} else if (*s == '/' && !strv_has(rpath, s)) {
			rc = strv_push(rpath, s);
		}
	}
out:
	munmap((void *)b, st.st_size);
	return rc;
}

/* Add the libraries of every queued ELF file, transitively. */
static int cpio_libs(struct cpio *c)
{
	struct strv rpath = { 0 };
	int rc = 0;

	for (int q = 0; rc == 0 && q < c->queue.n; q++) {
		struct strv need = { 0 };

		rc = elf_needs(c->queue.v[q], &need, &rpath);
		for (int i = 0; rc == 0 && i < need.n; i++) {
			const char *n = need.v[i];
			char path[PATH_MAX];
			int found = 0;

			if (*n == '/') {
				rc = cpio_file(c, n, n);
				continue;
			}
			for (int d = 0; !found && d < rpath.n; d++) {
				snprintf(path, sizeof(path), "%s/%s",
					 rpath.v[d], n);
				found = access(path, R_OK) == 0;
			}
			for (size_t d = 0; !found &&
			     d < sizeof(lib_dirs) / sizeof(lib_dirs[0]); d++) {
				snprintf(path, sizeof(path), "%s/%s",
					 lib_dirs[d], n);
				found = access(path, R_OK) == 0;
			}
			if (!found) {
				rc = kf_err(KF_EXIT_UNAVAILABLE, "cannot find "
					    "library '%s' needed by '%s'", n,
					    c->queue.v[q]);
				break;
			}
			rc = cpio_file(c, path, path);
		}
		strv_release(&need);
	}
	strv_release(&rpath);
	return rc;
}

/* ---- the guest's /init ------------------------------------------ */

/* Append s to the script single-quoted for sh. */
static void sh_quote(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	}
	fputc('\'', f);
}

/* Full path of a command the way execvp would find it; caller frees. */
static char *which(const char *cmd)
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

static const char init_head[] =
	"#!/bin/busybox sh\n"
	"# kfollow --vm guest init (generated)\n"
	"/bin/busybox mkdir -p /proc /sys /dev /tmp /out /root /bin /sbin\n"
	"/bin/busybox mount -t proc proc /proc\n"
	"/bin/busybox mount -t sysfs sys /sys\n"
	"/bin/busybox mount -t devtmpfs dev /dev 2>/dev/null\n"
	"/bin/busybox mount -t securityfs none /sys/kernel/security 2>/dev/null\n"
	"/bin/busybox --install -s /bin 2>/dev/null\n"
	"export PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME=/root\n"
	"for t in 1 2 3; do stty -F /dev/ttyS$t raw -echo 115200 2>/dev/null; done\n"
	"cd /root\n"
	/* booted with tsc=reliable (vm_boot): a guest that still runs on
	 * another clocksource says so, once */
	"cs=$(cat /sys/devices/system/clocksource/clocksource0/"
	"current_clocksource 2>/dev/null)\n"
	"[ -z \"$cs\" ] || [ \"$cs\" = tsc ] || echo \"kfollow: the VM's "
	"kernel keeps time with '$cs', not the TSC: record times can stall "
	"(see TIMES in kfollow(1))\" >/dev/ttyS2\n"
	"echo kfollow-guest: running\n";

static const char init_tail[] =
	"echo $st >/out/status\n"
	"sync\n"
	"{\n"
	"  for f in /out/*; do\n"
	"    [ -f \"$f\" ] || continue\n"
	"    printf 'KFOUT %s %s\\n' \"${f##*/}\" $(wc -c <\"$f\")\n"
	"    cat \"$f\"\n"
	"  done\n"
	"  printf 'KFEND\\n'\n"
	"} >/dev/ttyS3\n"
	"echo kfollow-guest: done\n"
	"poweroff -f\n";

/* Find the presets directory this kfollow uses, for the guest. */
static char *presets_dir(void)
{
	const char *env = getenv("KFOLLOW_PRESETS");
	char exe[PATH_MAX], *p = NULL;
	ssize_t n;
	struct stat st;

	if (env && *env && stat(env, &st) == 0)
		return strdup(env);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		*strrchr(exe, '/') = '\0';
		if (asprintf(&p, "%s/presets", exe) >= 0 && stat(p, &st) == 0)
			return p;
		free(p);
	}
	if (stat(KF_PKGDATADIR "/presets", &st) == 0)
		return strdup(KF_PKGDATADIR "/presets");
	return NULL;
}

static int copy_presets(struct cpio *c)
{
	char *dir = presets_dir(), *pat = NULL;
	glob_t g;
	int rc = 0;

	if (!dir)
		return 0;
	if (asprintf(&pat, "%s/*.preset", dir) < 0) {
		free(dir);
		return kf_err(KF_EXIT_OSERR, "out of memory");
	}
	if (glob(pat, 0, NULL, &g) == 0) {
		for (size_t i = 0; rc == 0 && i < g.gl_pathc; i++) {
			char *gp = NULL;

			if (asprintf(&gp, "/usr/bin/presets/%s",
				     strrchr(g.gl_pathv[i], '/') + 1) < 0)
				rc = kf_err(KF_EXIT_OSERR, "out of memory");
			else
				rc = cpio_file(c, g.gl_pathv[i], gp);
			free(gp);
		}
		globfree(&g);
	}
	free(pat);
	free(dir);
	return rc;
}

/* Copy an argument into the guest if it names a host file. */
static int copy_if_file(struct cpio *c, const char *arg)
{
	struct stat st;

	if (*arg != '/' && strncmp(arg, "./", 2) && strncmp(arg, "../", 3))
		return 0;
	if (stat(arg, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > (64 << 20))
		return 0;
	if (*arg == '/')
		return cpio_file(c, arg, arg);
	{
		char *abs = realpath(arg, NULL);
		int rc;

		if (!abs)
			return 0;
		/* relative paths resolve from the guest's /root */
		{
			char *gp = NULL;

			rc = asprintf(&gp, "/root/%s", arg) < 0 ? -1 :
			     cpio_file(c, abs, gp);
			free(gp);
		}
		free(abs);
		return rc;
	}
}

/*
 * Write the initramfs for request r to f.  The guest runs kfollow with
 * guest_args on cmd, or r->script.
 */
static int build_initramfs(const struct kf_vm_request *r, FILE *f)
{
	struct cpio c = { .f = f };
	char *busybox = NULL, *cmd0 = NULL, exe[PATH_MAX];
	char *init = NULL;
	size_t init_len = 0;
	FILE *is = NULL;
	ssize_t n;
	int rc = -1;

	busybox = which("busybox");
	if (!busybox && access("/bin/busybox", X_OK) == 0)
		busybox = strdup("/bin/busybox");
	if (!busybox) {
		kf_err(KF_EXIT_UNAVAILABLE, "--vm needs busybox for the guest: "
		       "install busybox-static (apt-get install busybox-static)");
		goto out;
	}
	if (cpio_file(&c, busybox, "/bin/busybox") < 0)
		goto out;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0) {
		kf_err_errno(KF_EXIT_OSERR, "cannot find kfollow's own binary");
		goto out;
	}
	exe[n] = '\0';
	if (cpio_file(&c, exe, "/usr/bin/kfollow") < 0 || copy_presets(&c) < 0)
		goto out;
	/* the loader's cache: the guest's programs start as they do here */
	if (access("/etc/ld.so.cache", R_OK) == 0 &&
	    cpio_file(&c, "/etc/ld.so.cache", "/etc/ld.so.cache") < 0)
		goto out;
	for (int i = 0; r->files && r->files[i]; i++)
		if (cpio_tree(&c, r->files[i], 0) < 0)
			goto out;
	for (int i = 0; r->guest_args && r->guest_args[i]; i++)
		if (copy_if_file(&c, r->guest_args[i]) < 0)
			goto out;
	if (r->cmd && r->cmd[0]) {
		cmd0 = which(r->cmd[0]);
		if (!cmd0) {
			kf_err(KF_EXIT_NOTFOUND, "command '%s' not found on this "
			       "machine (--vm copies it from here)", r->cmd[0]);
			goto out;
		}
		if (cpio_file(&c, cmd0, cmd0) < 0)
			goto out;
		for (int i = 1; r->cmd[i]; i++)
			if (copy_if_file(&c, r->cmd[i]) < 0)
				goto out;
	}
	if (r->script && cpio_file(&c, r->script, "/kf/script.sh") < 0)
		goto out;
	if (cpio_libs(&c) < 0)
		goto out;

	is = open_memstream(&init, &init_len);
	if (!is) {
		kf_err(KF_EXIT_OSERR, "out of memory");
		goto out;
	}
	fputs(init_head, is);
	if (r->script) {
		fputs("sh /kf/script.sh </dev/null >/dev/ttyS1 2>/dev/ttyS2\n",
		      is);
	} else {
		fputs("/usr/bin/kfollow --batch --no-show --output "
		      "/out/capture.json", is);
		if (r->dat)
			fputs(" --output /out/capture.dat", is);
		for (int i = 0; r->guest_args && r->guest_args[i]; i++) {
			fputc(' ', is);
			sh_quote(is, r->guest_args[i]);
		}
		if (cmd0) {
			fputs(" -- ", is);
			sh_quote(is, cmd0);
			for (int i = 1; r->cmd[i]; i++) {
				fputc(' ', is);
				sh_quote(is, r->cmd[i]);
			}
		}
		fputs(" </dev/null >/dev/ttyS1 2>/dev/ttyS2\n", is);
	}
	fputs("st=$?\n", is);
	fputs(init_tail, is);
	if (fclose(is) != 0) {
		is = NULL;
		kf_err(KF_EXIT_OSERR, "out of memory");
		goto out;
	}
	is = NULL;
	if (cpio_data(&c, "/init", 0755, init, init_len) < 0 ||
	    cpio_hdr(&c, "TRAILER!!!", 0, 0) < 0 || fflush(f) != 0) {
		kf_err_errno(KF_EXIT_IOERR, "cannot write the initramfs");
		goto out;
	}
	if (kf_verbose)
		kf_note("initramfs: %d files", c.files.n);
	rc = 0;
out:
	if (is)
		fclose(is);
	free(init);
	free(busybox);
	free(cmd0);
	strv_release(&c.dirs);
	strv_release(&c.files);
	strv_release(&c.queue);
	return rc;
}

/* ---- running qemu ------------------------------------------------- */

struct vm_out {
	char *buf;
	size_t len, cap;
};

static int out_add(struct vm_out *o, const char *p, size_t n)
{
	if (o->len + n > MAX_OUT_FILE + 4096)
		return kf_err(KF_EXIT_DATAERR, "the VM sent more than %u MiB",
			      MAX_OUT_FILE >> 20);
	if (o->len + n + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 65536;
		char *nb;

		while (cap < o->len + n + 1)
			cap *= 2;
		nb = realloc(o->buf, cap);
		if (!nb)
			return kf_err(KF_EXIT_OSERR, "out of memory");
		o->buf = nb;
		o->cap = cap;
	}
	memcpy(o->buf + o->len, p, n);
	o->len += n;
	o->buf[o->len] = '\0';
	return 0;
}

static volatile sig_atomic_t vm_stop;

static void on_stop(int sig)
{
	vm_stop = sig;
}

/* cache/kvm-broken names the host kernel on which KVM failed to boot a
 * guest, so later runs go straight to emulation (no 20 s wait each). */
static char *kvm_memo_path(void)
{
	char *d = cache_dir(), *p = NULL;

	if (d && asprintf(&p, "%s/kvm-broken", d) < 0)
		p = NULL;
	free(d);
	return p;
}

static int kvm_memo_says_broken(void)
{
	struct utsname un;
	char *p = kvm_memo_path(), line[256] = "";
	FILE *f = p ? fopen(p, "re") : NULL;
	int broken = 0;

	if (f && fgets(line, sizeof(line), f) && uname(&un) == 0) {
		line[strcspn(line, "\n")] = '\0';
		broken = !strcmp(line, un.release);
	}
	if (f)
		fclose(f);
	free(p);
	return broken;
}

static void kvm_memo_write(void)
{
	struct utsname un;
	char *p = kvm_memo_path(), *d = cache_dir();
	FILE *f;

	if (p && d && uname(&un) == 0 && mkdir_p(d) == 0 &&
	    (f = fopen(p, "we"))) {
		fprintf(f, "%s\n", un.release);
		fclose(f);
	}
	kf_err_clear();
	free(p);
	free(d);
}

static int accel_kvm(void)
{
	int fd;

	if (getenv("KFOLLOW_VM_NO_KVM"))
		return 0;
	fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return 0;
	close(fd);
	if (kvm_memo_says_broken()) {
		if (kf_verbose)
			kf_note("KVM failed here before; using software "
				"emulation");
		return 0;
	}
	return 1;
}

/* A KVM guest prints within a second or two; silence this long means KVM
 * does not work here (seen: nested KVM that boots nothing). */
#define KVM_FIRST_WORDS_S 20

enum boot_result { BOOT_OK, BOOT_FAIL, BOOT_KVM_BROKEN };

/*
 * Run qemu once on the initramfs in ifd (read through /dev/fd/7) and pump
 * its four serial lines: console into *console, ttyS1/ttyS2 to our
 * stdout/stderr, ttyS3 into data.  With kvm, a qemu that dies or stays
 * silent before the guest's first byte is BOOT_KVM_BROKEN (nothing was
 * passed on, so the caller can boot again without KVM).
 */
static enum boot_result vm_boot(const char *qemu, const struct kf_vm_kernel *k,
				int ifd, int kvm, int timeout,
				struct vm_out *data, struct vm_out *console)
{
	int pfd[4][2] = { { -1, -1 }, { -1, -1 }, { -1, -1 }, { -1, -1 } };
	int errp[2] = { -1, -1 };
	struct sigaction sa = { .sa_handler = on_stop }, old_int, old_term,
			 old_hup;
	struct timespec t0, now;
	enum boot_result res = BOOT_FAIL;
	int st = 0, spoke = 0, open_fds = 4, timed_out = 0, silent = 0;
	pid_t pid;

	for (int i = 0; i < 4; i++)
		if (pipe2(pfd[i], O_CLOEXEC) < 0) {
			kf_err_errno(KF_EXIT_OSERR, "cannot create a pipe");
			goto out;
		}
	/* qemu's own complaints: held back while KVM may still fail */
	if (kvm && pipe2(errp, O_CLOEXEC) < 0) {
		kf_err_errno(KF_EXIT_OSERR, "cannot create a pipe");
		goto out;
	}
	if (kf_verbose)
		kf_note("booting %s (%s) under qemu (%s)", k->vmlinuz,
			k->release ? k->release : "?",
			kvm ? "KVM" : "software emulation");
	pid = fork();
	if (pid < 0) {
		kf_err_errno(KF_EXIT_OSERR, "cannot fork");
		goto out;
	}
	if (pid == 0) {
		char ser[4][64], cmdline[1024];
		const char *argv[64], *extra = getenv("KFOLLOW_VM_APPEND");
		int n = 0, nul = open("/dev/null", O_RDWR);
		int hi[5];

		/* qemu's serial chardevs open /dev/fd/N: fds 3..6, the
		 * initramfs 7; move everything high first so no dup2
		 * overwrites a source not yet moved */
		for (int i = 0; i < 4; i++)
			hi[i] = fcntl(pfd[i][1], F_DUPFD_CLOEXEC, 100);
		hi[4] = fcntl(ifd, F_DUPFD_CLOEXEC, 100);
		for (int i = 0; i < 5; i++)
			if (hi[i] < 0 || dup2(hi[i], 3 + i) < 0)
				_exit(127);
		dup2(nul, 0);
		dup2(nul, 1);
		if (errp[1] >= 0)
			dup2(errp[1], 2);
		for (int i = 0; i < 4; i++)
			snprintf(ser[i], sizeof(ser[i]), "file:/dev/fd/%d",
				 3 + i);
		/* KFOLLOW_VM_APPEND: more kernel parameters (tests boot a
		 * guest with lockdown=confidentiality) */
		/*
		 * tsc=reliable: under emulation the kernel finds the vCPUs'
		 * TSCs "unsynchronized" (qemu64 has no constant_tsc), falls
		 * back to hpet and switches trace_clock to "global", which
		 * stands still between late ticks (6.1: 21 calls of 0 ns in
		 * one cat).  qemu's vCPUs share one TSC, so it is reliable;
		 * libguestfs boots its guests the same way.
		 */
		snprintf(cmdline, sizeof(cmdline), "console=ttyS0 quiet "
			 "loglevel=3 panic=-1 8250.nr_uarts=4 tsc=reliable%s%s",
			 extra && *extra ? " " : "", extra ? extra : "");
		argv[n++] = qemu;
		argv[n++] = "-m";
		argv[n++] = VM_MEM;
		argv[n++] = "-smp";
		argv[n++] = "2";
		argv[n++] = "-accel";
		/* multi-threaded TCG hangs guests while ftrace patches
		 * code (kernel-facts); one thread is reliable */
		argv[n++] = kvm ? "kvm" : "tcg,thread=single";
		if (kvm) {
			/* some (nested) hosts refuse the guest's
			 * IA32_ARCH_CAPABILITIES and qemu aborts */
			argv[n++] = "-cpu";
			argv[n++] = "host,-arch-capabilities";
		}
		argv[n++] = "-display";
		argv[n++] = "none";
		argv[n++] = "-monitor";
		argv[n++] = "none";
		argv[n++] = "-no-reboot";
		argv[n++] = "-nodefaults";
		for (int i = 0; i < 4; i++) {
			argv[n++] = "-serial";
			argv[n++] = ser[i];
		}
		argv[n++] = "-kernel";
		argv[n++] = k->vmlinuz;
		argv[n++] = "-initrd";
		argv[n++] = "/dev/fd/7";
		argv[n++] = "-append";
		argv[n++] = cmdline;
		argv[n] = NULL;
		for (int i = 3; i <= 7; i++)
			fcntl(i, F_SETFD, 0);
		execv(qemu, (char **)argv);
		_exit(127);
	}
	for (int i = 0; i < 4; i++) {
		close(pfd[i][1]);
		pfd[i][1] = -1;
	}
	if (errp[1] >= 0) {
		close(errp[1]);
		errp[1] = -1;
	}

	sigemptyset(&sa.sa_mask);
	vm_stop = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (open_fds > 0) {
		struct pollfd p[5];
		char buf[65536];
		int np;

		for (int i = 0; i < 5; i++) {
			p[i].fd = i < 4 ? pfd[i][0] : errp[0];
			p[i].events = POLLIN;
			p[i].revents = 0;
		}
		np = poll(p, 5, 500);
		if (np < 0 && errno != EINTR)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (kvm && !spoke && now.tv_sec - t0.tv_sec > KVM_FIRST_WORDS_S) {
			silent = 1;
			kill(pid, SIGKILL);
			break;
		}
		if (vm_stop || now.tv_sec - t0.tv_sec > timeout) {
			timed_out = !vm_stop;
			kill(pid, SIGKILL);
			break;
		}
		if (np > 0 && errp[0] >= 0 && (p[4].revents & (POLLIN | POLLHUP))) {
			ssize_t got = read(errp[0], buf, sizeof(buf));

			if (got <= 0) {
				close(errp[0]);
				errp[0] = -1;
			} else if (spoke) {
				(void)!kf_write_all(2, buf, got);
			} else {
				/* kept for the note if KVM turns out broken */
				out_add(console, buf, got);
			}
		}
		for (int i = 0; np > 0 && i < 4; i++) {
			ssize_t got;

			if (!(p[i].revents & (POLLIN | POLLHUP)) ||
			    pfd[i][0] < 0)
				continue;
			got = read(pfd[i][0], buf, sizeof(buf));
			if (got <= 0) {
				close(pfd[i][0]);
				pfd[i][0] = -1;
				open_fds--;
				continue;
			}
			if (!spoke) {
				spoke = 1;
				console->len = 0; /* drop qemu's warnings */
			}
			if (i == 0) {
				if (kf_verbose)
					(void)!kf_write_all(2, buf, got);
				if (console->len > 65536) {
					memmove(console->buf, console->buf +
						console->len - 8192, 8192);
					console->len = 8192;
				}
				out_add(console, buf, got);
			} else if (i == 1 || i == 2) {
				(void)!kf_write_all(i, buf, got);
			} else if (out_add(data, buf, got) < 0) {
				kill(pid, SIGKILL);
				open_fds = 0;
				break;
			}
		}
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	if (vm_stop) {
		kf_err(KF_EXIT_FAILURE, "interrupted: the VM was stopped");
		goto out;
	}
	if (kvm && !spoke && (silent || !data->len)) {
		res = BOOT_KVM_BROKEN;
		goto out;
	}
	if (timed_out) {
		kf_err(KF_EXIT_FAILURE, "the VM did not finish within %d s "
		       "(set KFOLLOW_VM_TIMEOUT to wait longer)", timeout);
		goto out;
	}
	if (kf_verbose > 1)
		kf_note("the VM sent %zu bytes of results", data->len);
	if (!data->buf || !memmem(data->buf, data->len, "KFEND\n", 6)) {
		if (WIFEXITED(st) && WEXITSTATUS(st) != 0)
			kf_err(KF_EXIT_UNAVAILABLE, "qemu failed (exit %d)",
			       WEXITSTATUS(st));
		else
			kf_err(KF_EXIT_FAILURE, "the VM stopped before sending "
			       "its results");
		goto out;
	}
	res = BOOT_OK;
out:
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 2; j++)
			if (pfd[i][j] >= 0)
				close(pfd[i][j]);
	if (errp[0] >= 0)
		close(errp[0]);
	if (errp[1] >= 0)
		close(errp[1]);
	return res;
}

/* The first line of text (qemu's complaint), for a one-line note. */
static void first_line(const struct vm_out *o, char *buf, size_t len)
{
	size_t n = 0;

	while (o->buf && n < o->len && o->buf[n] != '\n' && n + 1 < len) {
		buf[n] = o->buf[n];
		n++;
	}
	buf[n] = '\0';
}

/*
 * Boot the VM for r and collect what its ttyS3 sent (the framed /out
 * files) into data.  Copies ttyS1/ttyS2 to our stdout/stderr.  KVM when
 * it works, else software emulation (saying why KVM was left).
 */
static int vm_run(const struct kf_vm_request *r, struct vm_out *data)
{
	struct kf_vm_kernel k = { 0 };
	struct vm_out console = { 0 };
	char tmpl[] = "/tmp/kfollow-initrd-XXXXXX";
	int ifd = -1, rc = -1, timeout = r->timeout_s, kvm = accel_kvm();
	enum boot_result res;
	FILE *f = NULL;
	char *qemu;

	qemu = which("qemu-system-x86_64");
	if (!qemu)
		return kf_err(KF_EXIT_UNAVAILABLE, "--vm needs "
			      "qemu-system-x86_64: install qemu-system-x86 "
			      "(apt-get install qemu-system-x86)");
	if (!timeout) {
		const char *e = getenv("KFOLLOW_VM_TIMEOUT");

		timeout = e && atoi(e) > 0 ? atoi(e) :
			  r->script ? VM_TIMEOUT_SCRIPT : VM_TIMEOUT_CAPTURE;
	}
	/* the initramfs: an unlinked temporary file qemu reads by fd (each
	 * boot opens /dev/fd/7 afresh, from the start) */
	ifd = mkostemp(tmpl, O_CLOEXEC);
	if (ifd < 0) {
		kf_err_errno(KF_EXIT_OSERR, "cannot create '%s'", tmpl);
		goto out;
	}
	unlink(tmpl);
	f = fdopen(ifd, "w");
	if (!f) {
		kf_err_errno(KF_EXIT_OSERR, "cannot write the initramfs");
		goto out;
	}
	if (build_initramfs(r, f) < 0)
		goto out;
	if (fflush(f) != 0) {
		kf_err_errno(KF_EXIT_OSERR, "cannot write the initramfs");
		goto out;
	}
	/* the kernel last: what the user named for the guest is checked
	 * before a first run downloads a kernel */
	if (kf_vm_kernel_find(r->kernel, &k) < 0)
		goto out;
	res = vm_boot(qemu, &k, ifd, kvm, timeout, data, &console);
	if (res == BOOT_KVM_BROKEN) {
		char why[160];

		first_line(&console, why, sizeof(why));
		kf_note("KVM did not boot the VM (%s); using software "
			"emulation, now and for later runs on this host "
			"kernel (remembered in the cache as kvm-broken)",
			why[0] ? why : "the guest stayed silent");
		kvm_memo_write();
		console.len = 0;
		data->len = 0;
		res = vm_boot(qemu, &k, ifd, 0, timeout, data, &console);
	}
	if (res == BOOT_OK) {
		rc = 0;
		goto out;
	}
	/* the kernel's last words explain most failures */
	if (console.buf && console.len && !kf_verbose && !vm_stop) {
		const char *s = console.buf + console.len;
		int lines = 0;

		while (s > console.buf && lines < 12)
			if (*--s == '\n')
				lines++;
		fprintf(stderr, "kfollow: the VM console ended with:\n%.*s\n",
			(int)(console.buf + console.len - s), s);
	}
out:
	if (f)
		fclose(f);
	else if (ifd >= 0)
		close(ifd);
	free(console.buf);
	free(qemu);
	kf_vm_kernel_release(&k);
	return rc;
}

/*
 * Walk the framed files in data; for each call fn(name, bytes, len, ctx).
 * Names are plain file names: no '/', not "." or "..".
 */
static int frames_each(const struct vm_out *d,
		       int (*fn)(const char *, const char *, size_t, void *),
		       void *ctx)
{
	const char *p = d->buf, *end = d->buf + d->len;

	while (p < end) {
		char name[256];
		unsigned long long size;
		const char *nl = memchr(p, '\n', end - p);
		int rc;

		if (!nl)
			break;
		if (!strncmp(p, "KFEND\n", 6))
			return 0;
		if (nl - p > 300 ||
		    sscanf(p, "KFOUT %255s %llu", name, &size) != 2 ||
		    strchr(name, '/') || name[0] == '.' ||
		    size > (uint64_t)(end - nl - 1))
			return kf_err(KF_EXIT_DATAERR, "the VM sent a damaged "
				      "result stream");
		rc = fn(name, nl + 1, size, ctx);
		if (rc < 0)
			return rc;
		p = nl + 1 + size;
	}
	return kf_err(KF_EXIT_DATAERR, "the VM's result stream ended early");
}

/* Write a file the VM sent to path (replaced, never through a link). */
static int save_file(const char *path, const char *b, size_t n)
{
	int fd, rc = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		  0644);
	if (fd < 0 || kf_write_all(fd, b, n) < 0)
		rc = kf_err_errno(KF_EXIT_IOERR, "cannot write '%s'", path);
	if (fd >= 0 && close(fd) < 0 && rc == 0)
		rc = kf_err_errno(KF_EXIT_IOERR, "cannot write '%s'", path);
	return rc;
}

struct capture_ctx {
	struct kf_model *m;
	const char *dat;
	int status, have_status, have_capture, have_dat;
};

static int on_capture_file(const char *name, const char *b, size_t n,
			   void *vctx)
{
	struct capture_ctx *c = vctx;

	if (!strcmp(name, "status")) {
		c->status = atoi(b);
		c->have_status = 1;
	} else if (!strcmp(name, "capture.json")) {
		if (kf_capfile_parse(b, n, c->m, "capture from the VM") < 0)
			return -1;
		c->have_capture = 1;
	} else if (!strcmp(name, "capture.dat") && c->dat) {
		if (save_file(c->dat, b, n) < 0)
			return -1;
		c->have_dat = 1;
	}
	return 0;
}

int kf_vm_capture(const struct kf_vm_request *r, struct kf_model *m,
		  int *cmd_status)
{
	struct vm_out d = { 0 };
	struct capture_ctx c = { .m = m, .dat = r->dat };
	int rc = -1;

	if (vm_run(r, &d) < 0)
		goto out;
	if (frames_each(&d, on_capture_file, &c) < 0)
		goto out;
	if (!c.have_capture) {
		kf_err(c.have_status && c.status ? c.status : KF_EXIT_FAILURE,
		       "kfollow in the VM made no capture (exit %d; its "
		       "message is above)", c.status);
		goto out;
	}
	if (r->dat && !c.have_dat) {
		kf_err(KF_EXIT_FAILURE, "kfollow in the VM wrote no trace-cmd "
		       "file for '%s' (its message is above)", r->dat);
		goto out;
	}
	kf_meta_set(&m->meta.source, "vm");
	*cmd_status = c.have_status ? c.status : 0;
	rc = 0;
out:
	free(d.buf);
	return rc;
}

struct script_ctx {
	const char *dir;
	int status;
};

static int on_script_file(const char *name, const char *b, size_t n,
			  void *vctx)
{
	struct script_ctx *c = vctx;
	char *path = NULL;
	int rc;

	if (!strcmp(name, "status"))
		c->status = atoi(b);
	if (!c->dir)
		return 0;
	if (asprintf(&path, "%s/%s", c->dir, name) < 0)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	rc = save_file(path, b, n);
	free(path);
	return rc;
}

int kf_vm_script(const struct kf_vm_request *r, int *status)
{
	struct vm_out d = { 0 };
	struct script_ctx c = { .dir = r->out_dir, .status = 0 };
	int rc = -1;

	if (access(r->script, R_OK) < 0)
		return kf_err_errno(KF_EXIT_NOINPUT, "cannot read script '%s'",
				    r->script);
	if (r->out_dir && mkdir_p(r->out_dir) < 0)
		return -1;
	if (vm_run(r, &d) < 0)
		goto out;
	if (frames_each(&d, on_script_file, &c) < 0)
		goto out;
	*status = c.status;
	rc = 0;
out:
	free(d.buf);
	return rc;
}
