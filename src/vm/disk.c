// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * disk.c - --vm-disk: a real block device for the guest.  The files the
 * user names go onto an ext4 image (Debian's mkfs.ext4 -d), which qemu
 * gives the guest as a virtio-blk disk; the guest's /init loads the
 * modules that mount it (Debian builds virtio_blk and ext4 as modules)
 * and mounts it at KF_VM_DISK_DIR.  The modules come from the kernel's
 * own package, unpacked once into the cache (cache/mods/RELEASE), their
 * order from each one's .modinfo "depends=" (the packages hold no
 * modules.dep: depmod makes it on install).  Also the modules of the
 * virtio port the kernel's tables come back on, where those are modules
 * (6.1), from the unpacked kernel package itself.
 */
#include <errno.h>
#include <ftw.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kf_common.h"
#include "kf_vm.h"
#include "vm-int.h"

/* What mounts the disk, in this order; a name with no file is built into
 * that kernel.  crc32c first: ext4 and jbd2 ask the crypto API for it by
 * name, and the guest has no modprobe to load it on demand (6.1, 6.12:
 * crc32c_generic; 7.x: crc32c-cryptoapi). */
static const char *const roots[] = {
	"virtio_pci", "virtio_blk", "crc32c_generic", "crc32c_cryptoapi",
	"ext4",
};

/* A run of sh -c SCRIPT with arguments; 0 or -1 (kf_err: its stderr). */
static int sh_run(const char *script, const char *a1, const char *a2,
		  const char *a3)
{
	char *argv[] = { "sh", "-c", (char *)script, "sh", (char *)a1,
			 (char *)a2, (char *)a3, NULL };
	char *out;
	int st;

	if (!a3)
		argv[6] = NULL;
	if (!a2)
		argv[5] = NULL;
	out = vm_run_capture(argv, NULL, &st);
	free(out);
	return out ? 0 : -1;
}

/* ---- the modules ------------------------------------------------------ */

/* Unpack the directories that hold the disk's modules from deb into dir,
 * once: into a directory of its own, renamed into place when complete, so
 * a run beside it never sees half of it.  Returns 0 or -1. */
static int mods_unpack(const char *deb, const char *dir)
{
	char *part = NULL;
	struct stat st;
	int rc;

	if (stat(dir, &st) == 0)
		return 0;
	if (asprintf(&part, "%s.part.%d", dir, (int)getpid()) < 0)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	kf_note("unpacking the modules --vm-disk needs from '%s' (once)", deb);
	rc = vm_mkdir_p(part);
	if (rc == 0)
		rc = sh_run("dpkg-deb --fsys-tarfile \"$1\" | tar -x -C \"$2\" "
			    "--wildcards '*/kernel/fs/*' "
			    "'*/kernel/drivers/virtio/*' "
			    "'*/kernel/drivers/block/virtio_blk.ko*' "
			    "'*/kernel/lib/*' '*/kernel/crypto/*'", deb, part,
			    NULL);
	if (rc == 0 && rename(part, dir) < 0 && stat(dir, &st) < 0)
		rc = kf_err_errno(KF_EXIT_OSERR, "cannot rename '%s'", part);
	/* a run beside this one may have put its copy in place first */
	sh_run("rm -rf -- \"$1\"", part, NULL, NULL);
	free(part);
	return rc;
}

/* The module files under the unpacked tree, by module name ("-" and "_"
 * are the same to the kernel): filled by nftw's callback, which takes no
 * context, for one mods_collect at a time. */
static struct strv found_names, found_paths;

static void mod_name(const char *path, char *name, size_t len)
{
	const char *b = strrchr(path, '/');
	size_t n, i;

	b = b ? b + 1 : path;
	n = strcspn(b, ".");
	if (n >= len)
		n = len - 1;
	for (i = 0; i < n; i++)
		name[i] = b[i] == '-' ? '_' : b[i];
	name[n] = '\0';
}

static int mod_seen(const char *path, const struct stat *sb, int type,
		    struct FTW *ftw)
{
	char name[128];

	(void)sb;
	(void)ftw;
	if (type != FTW_F || !strstr(path, ".ko"))
		return 0;
	mod_name(path, name, sizeof(name));
	if (vm_strv_push(&found_names, name) < 0 ||
	    vm_strv_push(&found_paths, path) < 0)
		return -1;
	return 0;
}

/* Fill found_names and found_paths from the modules under dir.  Returns
 * 0 or -1 (kf_err). */
static int mods_list(const char *dir)
{
	vm_strv_release(&found_names);
	vm_strv_release(&found_paths);
	if (nftw(dir, mod_seen, 16, FTW_PHYS) != 0)
		return kf_err(KF_EXIT_OSERR, "cannot list the modules in '%s'",
			      dir);
	return 0;
}

static const char *mod_path(const char *name)
{
	for (int i = 0; i < found_names.n; i++)
		if (!strcmp(found_names.v[i], name))
			return found_paths.v[i];
	return NULL;
}

/* Decompress (or copy) module src to dst.  Returns 0 or -1. */
static int mod_plain(const char *src, const char *dst)
{
	const char *s = strstr(src, ".ko.xz") ? "xz -dc \"$1\" >\"$2\"" :
			strstr(src, ".ko.zst") ? "zstd -q -dc \"$1\" >\"$2\"" :
			"cp \"$1\" \"$2\"";

	return sh_run(s, src, dst, NULL);
}

/* The "depends=" of a plain module file: the names, comma-separated, in
 * buf (empty: none).  Returns 0 or -1. */
static int mod_depends(const char *ko, char *buf, size_t len)
{
	size_t n = 0;
	char *data = kf_read_file(ko, 64u << 20, &n), *p;

	buf[0] = '\0';
	if (!data)
		return -1;
	for (p = data; p && p < data + n; p++) {
		p = memmem(p, (size_t)(data + n - p), "depends=", 8);
		if (!p)
			break;
		if (p == data || p[-1] == '\0') {
			snprintf(buf, len, "%.*s", (int)strnlen(p + 8,
				 (size_t)(data + n - p - 8)), p + 8);
			break;
		}
	}
	free(data);
	return 0;
}

/* Add module name (its dependencies first) to d->mods, decompressed into
 * d->dir.  A name with no file is built in.  depth bounds a cycle. */
static int mod_add(struct vm_disk *d, struct strv *done, const char *name,
		   int depth)
{
	char deps[1024], *dep, *save = NULL, *ko = NULL;
	const char *src = mod_path(name);
	int rc = -1;

	if (!src || vm_strv_has(done, name))
		return 0;
	if (depth > 16)
		return kf_err(KF_EXIT_DATAERR, "module '%s': dependencies "
			      "nested too deep", name);
	if (vm_strv_push(done, name) < 0 ||
	    asprintf(&ko, "%s/m-%s.ko", d->dir, name) < 0)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	if (mod_plain(src, ko) < 0 || mod_depends(ko, deps, sizeof(deps)) < 0)
		goto out;
	for (dep = strtok_r(deps, ",", &save); dep;
	     dep = strtok_r(NULL, ",", &save)) {
		char n2[128];

		mod_name(dep, n2, sizeof(n2));
		if (mod_add(d, done, n2, depth + 1) < 0)
			goto out;
	}
	rc = vm_strv_push(&d->mods, ko);
out:
	free(ko);
	return rc;
}

static int mods_collect(struct vm_disk *d, const char *spec,
			const struct kf_vm_kernel *k)
{
	char *deb = NULL, *cache = NULL, *dir = NULL;
	struct strv done = { 0 };
	int rc = -1;

	if (!k->release)
		return kf_err(KF_EXIT_UNAVAILABLE, "--vm-disk needs one of "
			      "Debian's kernels (bookworm, trixie, sid): kfollow "
			      "cannot find the modules of a kernel given by path");
	deb = vm_modules_deb(spec, k->release);
	cache = deb ? vm_cache_dir() : NULL;
	if (!cache || asprintf(&dir, "%s/mods/%s", cache, k->release) < 0 ||
	    mods_unpack(deb, dir) < 0)
		goto out;
	if (mods_list(dir) < 0)
		goto out;
	if (!mod_path("ext4")) {
		kf_err(KF_EXIT_UNAVAILABLE, "no ext4 module in '%s' for kernel "
		       "'%s'", deb, k->release);
		goto out;
	}
	rc = 0;
	for (size_t i = 0; rc == 0 && i < sizeof(roots) / sizeof(roots[0]); i++)
		rc = mod_add(d, &done, roots[i], 0);
out:
	vm_strv_release(&done);
	vm_strv_release(&found_names);
	vm_strv_release(&found_paths);
	free(deb);
	free(cache);
	free(dir);
	return rc;
}

/* ---- the tables' way back --------------------------------------------- */

int vm_port_mods(const struct kf_vm_kernel *k, struct vm_disk *d)
{
	/* virtio_pci first: the port's device is on the PCI bus */
	static const char *const port_roots[] = { "virtio_pci",
						  "virtio_console" };
	char tmpl[] = "/tmp/kfollow-mods-XXXXXX";
	char *root = NULL, *pat = NULL, *moddir = NULL, *cut;
	struct strv done = { 0 };
	glob_t g = { 0 };
	int rc = -1;

	memset(d, 0, sizeof(*d));
	/* the package's tree: ROOT/boot/vmlinuz-RELEASE */
	if (!k->release || !k->vmlinuz)
		return 0;
	root = strdup(k->vmlinuz);
	if (!root)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	cut = strstr(root, "/boot/vmlinuz");
	if (!cut) {
		free(root);
		return 0;
	}
	*cut = '\0';
	if (asprintf(&pat, "%s/{lib,usr/lib}/modules/%s/kernel/drivers/char/"
		     "virtio_console.ko*", root, k->release) < 0) {
		free(root);
		return kf_err(KF_EXIT_OSERR, "out of memory");
	}
	/* none: built in (6.12, 7.x), or a package without modules */
	if (glob(pat, GLOB_BRACE, NULL, &g) != 0 || g.gl_pathc == 0) {
		rc = 0;
		goto out;
	}
	moddir = strdup(g.gl_pathv[0]);
	if (!moddir || !mkdtemp(tmpl) || !(d->dir = strdup(tmpl))) {
		kf_err_errno(KF_EXIT_OSERR, "cannot create '%s'", tmpl);
		goto out;
	}
	*strstr(moddir, "/kernel/drivers/char/") = '\0';
	if (mods_list(moddir) < 0)
		goto out;
	rc = 0;
	for (size_t i = 0; rc == 0 && i < sizeof(port_roots) /
					  sizeof(port_roots[0]); i++)
		rc = mod_add(d, &done, port_roots[i], 0);
out:
	if (g.gl_pathv)
		globfree(&g);
	vm_strv_release(&done);
	vm_strv_release(&found_names);
	vm_strv_release(&found_paths);
	free(root);
	free(pat);
	free(moddir);
	return rc;
}

/* ---- the image -------------------------------------------------------- */

static int image_make(const struct kf_vm_request *r, struct vm_disk *d)
{
	char *stage = NULL, *mkfs = vm_which("mkfs.ext4");
	struct stat st;
	int rc = -1;

	if (!mkfs && access("/sbin/mkfs.ext4", X_OK) == 0)
		mkfs = strdup("/sbin/mkfs.ext4");
	if (!mkfs)
		return kf_err(KF_EXIT_UNAVAILABLE, "--vm-disk needs mkfs.ext4: "
			      "install e2fsprogs (apt-get install e2fsprogs)");
	if (asprintf(&stage, "%s/root", d->dir) < 0 ||
	    asprintf(&d->img, "%s/disk.img", d->dir) < 0) {
		kf_err(KF_EXIT_OSERR, "out of memory");
		goto out;
	}
	if (vm_mkdir_p(stage) < 0)
		goto out;
	for (int i = 0; r->disk[i]; i++) {
		if (stat(r->disk[i], &st) < 0) {
			kf_err_errno(KF_EXIT_NOINPUT, "cannot put '%s' on "
				     "--vm-disk", r->disk[i]);
			goto out;
		}
		if (sh_run("cp -a -- \"$1\" \"$2\"/", r->disk[i], stage,
			   NULL) < 0)
			goto out;
	}
	/* room for the files twice over, for what a lab writes: at least
	 * 64 MB, and the image is sparse */
	rc = sh_run("kb=$(du -sk \"$2\" | cut -f1); kb=$((kb * 2 + 65536)); "
		    "\"$3\" -q -F -L kfollow -E root_owner=0:0 -d \"$2\" "
		    "\"$1\" ${kb}k", d->img, stage, mkfs);
out:
	free(stage);
	free(mkfs);
	return rc;
}

int vm_disk_build(const struct kf_vm_request *r, const struct kf_vm_kernel *k,
		  const char *spec, struct vm_disk *d)
{
	char tmpl[] = "/tmp/kfollow-disk-XXXXXX";

	memset(d, 0, sizeof(*d));
	if (!mkdtemp(tmpl))
		return kf_err_errno(KF_EXIT_OSERR, "cannot create '%s'", tmpl);
	d->dir = strdup(tmpl);
	if (!d->dir)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	if (image_make(r, d) < 0 || mods_collect(d, spec ? spec : "bookworm",
						  k) < 0)
		return -1;
	return 0;
}

void vm_disk_destroy(struct vm_disk *d)
{
	if (d->dir)
		sh_run("rm -rf -- \"$1\"", d->dir, NULL, NULL);
	free(d->dir);
	free(d->img);
	vm_strv_release(&d->mods);
	memset(d, 0, sizeof(*d));
}
