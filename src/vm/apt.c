// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * apt.c - the guest kernels: Debian packages fetched with apt-get into a
 * private state in the cache, unpacked, the vmlinuz found and remembered.
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

/* ---- kernels: fetch, unpack, find ---------------------------------- */

struct apt {
	struct strv opts;   /* "-o" "X=Y" pairs for a private state */
	char *dl;           /* where .debs land */
	char *x;            /* where they are unpacked */
};

static int apt_argv(const struct apt *a, struct strv *v, const char *cmd)
{
	if (vm_strv_push(v, cmd) < 0)
		return -1;
	for (int i = 0; i < a->opts.n; i++)
		if (vm_strv_push(v, a->opts.v[i]) < 0)
			return -1;
	return 0;
}

/* apt-cache show PKG (its candidate version): the "Depends:" line. */
static char *apt_depends(const struct apt *a, const char *pkg)
{
	struct strv v = { 0 };
	char *out = NULL, *ver = NULL, *line, *dep = NULL;
	int st;

	if (apt_argv(a, &v, "apt-cache") < 0 || vm_strv_push(&v, "policy") < 0 ||
	    vm_strv_push(&v, pkg) < 0)
		goto out;
	out = vm_run_capture(v.v, NULL, &st);
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
	vm_strv_release(&v);
	if (!ver || apt_argv(a, &v, "apt-cache") < 0 ||
	    vm_strv_push(&v, "show") < 0)
		goto out;
	{
		char *pv = NULL;

		if (asprintf(&pv, "%s=%s", pkg, ver) < 0 || vm_strv_push(&v, pv))
			pv = NULL;
		free(pv);
	}
	out = vm_run_capture(v.v, NULL, &st);
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
	vm_strv_release(&v);
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
		char *part = NULL, what[160];

		kf_note("downloading %s (once; cached in %s)", pkg, a->dl);
		snprintf(what, sizeof(what), "downloading %s", pkg);
		if (vm_progress_stage(KF_STAGE_KERNEL, what) < 0)
			goto out;
		/* the bytes so far: whatever apt has written for it */
		if (asprintf(&part, "%s/%s_*", a->dl, pkg) >= 0)
			vm_progress_watch(part);
		free(part);
		if (apt_argv(a, &v, "apt-get") < 0 ||
		    vm_strv_push(&v, "-q") < 0 || vm_strv_push(&v, "download") < 0 ||
		    vm_strv_push(&v, pkg) < 0)
			goto out;
		out = vm_run_capture(v.v, a->dl, &st);
		if (!out)
			goto out;
		free(out);
		vm_strv_release(&v);
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
		{
			char what[160];

			snprintf(what, sizeof(what), "unpacking %s", pkg);
			if (vm_progress_stage(KF_STAGE_KERNEL, what) < 0)
				goto fail;
		}
		if (vm_strv_push(&v, "dpkg") < 0 || vm_strv_push(&v, "-x") < 0 ||
		    vm_strv_push(&v, deb) < 0 || vm_strv_push(&v, dir) < 0)
			goto fail;
		out = vm_run_capture(v.v, NULL, &st);
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
	vm_strv_release(&v);
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

/* mkdir -p base/leaf.  Returns 0 or -1 (kf_err when the mkdir fails). */
static int mkdir_under(const char *base, const char *leaf)
{
	char *p = NULL;
	int rc;

	if (asprintf(&p, "%s/%s", base, leaf) < 0)
		return -1;
	rc = vm_mkdir_p(p);
	free(p);
	return rc;
}

/* In the private apt state base: an empty dpkg status (kept if there)
 * and a sources.list naming only release.  Returns 0 or -1 (kf_err when
 * the list cannot be written). */
static int apt_sources(const char *base, const char *release)
{
	char *p = NULL;
	FILE *f;

	if (asprintf(&p, "%s/status", base) < 0)
		return -1;
	f = fopen(p, "a");
	if (f)
		fclose(f);
	free(p);
	if (asprintf(&p, "%s/sources.list", base) < 0)
		return -1;
	f = fopen(p, "w");
	if (!f) {
		kf_err_errno(KF_EXIT_OSERR, "cannot write '%s'", p);
		free(p);
		return -1;
	}
	fprintf(f, "deb [signed-by=/usr/share/keyrings/"
		"debian-archive-keyring.gpg] http://deb.debian.org/debian %s "
		"main\n", release);
	fclose(f);
	free(p);
	return 0;
}

/* Add to a->opts the "-o" options that point apt at the private state
 * base and nowhere else.  Returns 0 or -1. */
static int apt_state_opts(struct apt *a, const char *base)
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
		if (!o || vm_strv_push(&a->opts, "-o") < 0 ||
		    vm_strv_push(&a->opts, o) < 0) {
			free(o);
			return -1;
		}
		free(o);
	}
	return 0;
}

/*
 * Set a up (apt_release frees it, also after a failure): the download and
 * unpack directories in cache and, for a release (NULL: the system's own
 * sources), a private apt state in cache/apt-RELEASE that never touches
 * the system's sources.  Returns 0 or -1 (kf_err where it says why).
 */
static int apt_init(struct apt *a, const char *cache, const char *release)
{
	char *base = NULL;
	int rc;

	memset(a, 0, sizeof(*a));
	if (asprintf(&a->dl, "%s/dl", cache) < 0 ||
	    asprintf(&a->x, "%s/x", cache) < 0)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	if (vm_mkdir_p(a->dl) < 0 || vm_mkdir_p(a->x) < 0)
		return -1;
	if (vm_strv_push(&a->opts, "-o") < 0 ||
	    vm_strv_push(&a->opts, "APT::Sandbox::User=root") < 0)
		return -1;
	if (!release)
		return 0; /* the system's own sources */
	if (asprintf(&base, "%s/apt-%s", cache, release) < 0)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	rc = mkdir_under(base, "lists/partial") < 0 ||
	     mkdir_under(base, "archives/partial") < 0 ||
	     apt_sources(base, release) < 0 ||
	     apt_state_opts(a, base) < 0 ? -1 : 0;
	free(base);
	return rc;
}

static void apt_release(struct apt *a)
{
	vm_strv_release(&a->opts);
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
	if (apt_argv(a, &v, "apt-get") < 0 || vm_strv_push(&v, "-q") < 0 ||
	    vm_strv_push(&v, "update") < 0) {
		vm_strv_release(&v);
		return -1;
	}
	out = vm_run_capture(v.v, NULL, &st);
	vm_strv_release(&v);
	free(out);
	return out ? 0 : -1;
}

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

/* Write the memo of the kernel k found for a release (best effort). */
static void memo_write(const char *memo, const struct kf_vm_kernel *k)
{
	FILE *f = fopen(memo, "we");

	if (f) {
		fprintf(f, "%s %s\n", k->release ? k->release : "?",
			k->vmlinuz);
		fclose(f);
	}
}

/* Update a private apt state's package lists unless it has some already.
 * Returns 0 or -1 (kf_err where it says why). */
static int apt_lists(const struct apt *a, const char *cache,
		     const char *release)
{
	char *lists = NULL;
	glob_t g;
	int rc = 0;

	if (asprintf(&lists, "%s/apt-%s/lists/*Packages*", cache,
		     release) < 0)
		return -1;
	if (glob(lists, 0, NULL, &g) != 0)
		rc = apt_update(a, release);
	else
		globfree(&g);
	free(lists);
	return rc;
}

/*
 * Set up a (the system's apt for bookworm, else a private state; the
 * caller releases a in every case) and return the Depends line of the
 * release's linux-image-amd64 (the caller frees it), or NULL (kf_err).
 */
static char *meta_depends(struct apt *a, const char *cache,
			  const char *release)
{
	int system = !strcmp(release, "bookworm");
	char *deps;

	if (apt_init(a, cache, system ? NULL : release) < 0)
		return NULL;
	if (!system && apt_lists(a, cache, release) < 0)
		return NULL;
	deps = apt_depends(a, "linux-image-amd64");
	if (!deps && system) {
		/* the system's lists may be missing or not bookworm's */
		apt_release(a);
		if (apt_init(a, cache, release) < 0 ||
		    apt_update(a, release) < 0)
			return NULL;
		deps = apt_depends(a, "linux-image-amd64");
	}
	return deps;
}

/*
 * Download and unpack the kernel image package img and find its vmlinuz
 * (sid: in the linux-binary package img depends on); fills k.  Returns 0
 * or -1 (kf_err).
 */
static int kernel_unpack(const struct apt *a, const char *img,
			 struct kf_vm_kernel *k)
{
	char *dir, *bdeps = NULL, *bin = NULL, *bdir = NULL;
	int rc = -1;

	dir = apt_fetch(a, img);
	if (!dir)
		return -1;
	k->vmlinuz = find_vmlinuz(dir, &k->release);
	free(dir);
	if (k->vmlinuz)
		return 0;
	/* sid: linux-image-V is a meta package over linux-binary-V */
	bdeps = apt_depends(a, img);
	bin = bdeps ? dep_named(bdeps, "linux-binary-") : NULL;
	if (!bin) {
		kf_err(KF_EXIT_UNAVAILABLE, "no vmlinuz in '%s' and no "
		       "linux-binary package beside it", img);
		goto out;
	}
	bdir = apt_fetch(a, bin);
	if (!bdir)
		goto out;
	k->vmlinuz = find_vmlinuz(bdir, &k->release);
	if (k->vmlinuz)
		rc = 0;
	else
		kf_err(KF_EXIT_UNAVAILABLE, "no vmlinuz in '%s' or '%s'",
		       img, bin);
out:
	free(bdeps);
	free(bin);
	free(bdir);
	return rc;
}

/* Fetch Debian release's current amd64 kernel with apt; fills k.
 * Returns 0 or -1 (kf_err). */
static int fetch_kernel(const char *cache, const char *release,
			struct kf_vm_kernel *k)
{
	struct apt a = { 0 };
	char *deps, *img = NULL;
	int rc = -1;

	deps = meta_depends(&a, cache, release);
	if (!deps)
		goto out;
	img = dep_named(deps, "linux-image-");
	if (!img) {
		kf_err(KF_EXIT_UNAVAILABLE, "linux-image-amd64 of '%s' names "
		       "no kernel image (depends: %s)", release, deps);
		goto out;
	}
	rc = kernel_unpack(&a, img, k);
out:
	apt_release(&a);
	free(deps);
	free(img);
	return rc;
}

/*
 * Find Debian release's current amd64 kernel: the memo of an earlier
 * fetch (no network when cached), else fetched under the release's lock
 * and remembered.  Fills k.  Returns 0 or -1 (kf_err).
 */
static int fetch_release(const char *cache, const char *release,
			 struct kf_vm_kernel *k)
{
	char *memo = NULL;
	int rc = -1, lock;

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
	} else if (fetch_kernel(cache, release, k) == 0) {
		memo_write(memo, k);
		rc = 0;
	}
	close(lock);
	free(memo);
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
	cache = vm_cache_dir();
	if (!cache)
		return -1;
	rc = vm_mkdir_p(cache);
	if (rc == 0)
		rc = fetch_release(cache, spec, k);
	free(cache);
	if (rc == 0)
		k->vmlinux = vm_vmlinux(k->vmlinuz);
	if (rc < 0)
		kf_vm_kernel_release(k);
	return rc;
}

void kf_vm_kernel_release(struct kf_vm_kernel *k)
{
	free(k->vmlinuz);
	free(k->vmlinux);
	free(k->moddir);
	free(k->release);
	memset(k, 0, sizeof(*k));
}

/*
 * The .deb holding the modules of kernel krel from Debian release spec:
 * the image package when it carries them (6.1, 6.12), else the release's
 * linux-modules package (sid), downloaded once into the cache.  The
 * caller frees the path; NULL: kf_err.
 */
char *vm_modules_deb(const char *spec, const char *krel)
{
	static const char *const pkgs[] = { "linux-modules-", "linux-image-" };
	struct apt a = { 0 };
	char *cache = vm_cache_dir(), *pat = NULL, *deb = NULL, *pkg = NULL;
	struct strv v = { 0 };
	struct stat st;
	glob_t g;
	size_t i;
	int rs;

	if (!cache)
		return NULL;
	for (i = 0; !deb && i < sizeof(pkgs) / sizeof(pkgs[0]); i++) {
		if (asprintf(&pat, "%s/dl/%s%s_*.deb", cache, pkgs[i], krel) < 0)
			goto oom;
		if (glob(pat, 0, NULL, &g) == 0) {
			const char *d = g.gl_pathv[g.gl_pathc - 1];

			/* sid's linux-image is a small meta package */
			if (stat(d, &st) == 0 && st.st_size > (16 << 20))
				deb = strdup(d);
			globfree(&g);
		}
		free(pat);
		pat = NULL;
	}
	if (deb)
		goto out;
	if (asprintf(&pkg, "linux-modules-%s", krel) < 0)
		goto oom;
	if (apt_init(&a, cache, strcmp(spec, "bookworm") ? spec : NULL) < 0)
		goto out;
	kf_note("downloading %s for --vm-disk (once; cached in %s)", pkg, a.dl);
	if (apt_argv(&a, &v, "apt-get") < 0 || vm_strv_push(&v, "-q") < 0 ||
	    vm_strv_push(&v, "download") < 0 || vm_strv_push(&v, pkg) < 0)
		goto out;
	free(vm_run_capture(v.v, a.dl, &rs));
	if (asprintf(&pat, "%s/%s_*.deb", a.dl, pkg) < 0)
		goto oom;
	if (glob(pat, 0, NULL, &g) == 0) {
		deb = strdup(g.gl_pathv[g.gl_pathc - 1]);
		globfree(&g);
	} else {
		kf_err(KF_EXIT_UNAVAILABLE, "no modules for kernel '%s': apt-get "
		       "download '%s' found nothing", krel, pkg);
	}
	goto out;
oom:
	kf_err(KF_EXIT_OSERR, "out of memory");
out:
	apt_release(&a);
	vm_strv_release(&v);
	free(pat);
	free(pkg);
	free(cache);
	return deb;
}

char *kf_vm_cache(void)
{
	return vm_cache_dir();
}

/* "6.1" of "6.1.192-3" into mm; -1 if version does not start so. */
static int major_minor(const char *version, char *mm, size_t len)
{
	size_t n = strspn(version, "0123456789");

	if (n == 0 || version[n] != '.')
		return -1;
	n++;
	if (!isdigit((unsigned char)version[n]))
		return -1;
	n += strspn(version + n, "0123456789");
	if (n >= len)
		return -1;
	memcpy(mm, version, n);
	mm[n] = '\0';
	return 0;
}

/* apt-get download pkg into dl with a's sources: the .deb, or NULL. */
static char *download_into(const struct apt *a, const char *dl,
			   const char *pkg, const char *pat)
{
	struct strv v = { 0 };
	char *deb = NULL;
	glob_t g;
	int st;

	if (apt_argv(a, &v, "apt-get") == 0 && vm_strv_push(&v, "-q") == 0 &&
	    vm_strv_push(&v, "download") == 0 && vm_strv_push(&v, pkg) == 0)
		free(vm_run_capture(v.v, dl, &st));
	vm_strv_release(&v);
	if (glob(pat, 0, NULL, &g) == 0) {
		deb = strdup(g.gl_pathv[g.gl_pathc - 1]);
		globfree(&g);
	}
	return deb;
}

int kf_vm_source_fetch(const char *version, const char *dest)
{
	static const char *const rels[] = { NULL, "trixie", "sid", "bookworm" };
	char mm[32], *cache = NULL, *dl = NULL, *pkg = NULL, *pat = NULL;
	char *deb = NULL, *member = NULL, *tmp = NULL, *out;
	int rc = -1, st;
	size_t i;

	if (major_minor(version, mm, sizeof(mm)) < 0)
		return kf_err(KF_EXIT_USAGE, "'%s' is not a Debian kernel "
			      "version such as 6.1.192-3", version);
	cache = vm_cache_dir();
	if (!cache || asprintf(&dl, "%s/src/dl", cache) < 0 ||
	    asprintf(&pkg, "linux-source-%s=%s", mm, version) < 0 ||
	    asprintf(&pat, "%s/linux-source-%s_%s_*.deb", dl, mm,
		     version) < 0 ||
	    asprintf(&member, "./usr/src/linux-source-%s.tar.xz", mm) < 0 ||
	    asprintf(&tmp, "%s.part", dest) < 0) {
		kf_err(KF_EXIT_OSERR, "out of memory");
		goto out;
	}
	if (vm_mkdir_p(dl) < 0)
		goto out;
	kf_note("downloading linux-source-%s %s (once, ~150 MB; the source "
		"is kept in %s/src)", mm, version, cache);
	for (i = 0; !deb && i < sizeof(rels) / sizeof(rels[0]); i++) {
		struct apt a;

		if (apt_init(&a, cache, rels[i]) == 0 &&
		    (!rels[i] || apt_lists(&a, cache, rels[i]) == 0))
			deb = download_into(&a, dl, pkg, pat);
		apt_release(&a);
	}
	if (!deb) {
		kf_err(KF_EXIT_UNAVAILABLE, "no package 'linux-source-%s' of "
		       "version %s in Debian's bookworm, trixie or sid: the "
		       "source of this kernel cannot be fetched", mm, version);
		goto out;
	}
	{
		char *const argv[] = {
			"sh", "-c",
			"dpkg-deb --fsys-tarfile \"$1\" | tar -xOf - \"$2\" "
			"> \"$3\"",
			"sh", deb, member, tmp, NULL,
		};

		/* NULL: kf_err has the last line tar or dpkg-deb said */
		out = vm_run_capture(argv, NULL, &st);
		if (!out) {
			unlink(tmp);
			goto out;
		}
		free(out);
	}
	if (rename(tmp, dest) < 0) {
		kf_err_errno(KF_EXIT_OSERR, "cannot rename '%s'", tmp);
		unlink(tmp);
		goto out;
	}
	unlink(deb);
	rc = 0;
out:
	free(cache);
	free(dl);
	free(pkg);
	free(pat);
	free(deb);
	free(member);
	free(tmp);
	return rc;
}
