// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cpio.c - the initramfs: kfollow, the command, their libraries (read from
 * the ELF files), the presets and the guest's /init, as a cpio archive.
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
		if (*buf && !vm_strv_has(&c->dirs, buf)) {
			if (vm_strv_push(&c->dirs, buf) < 0 ||
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
	if (vm_strv_has(&c->files, gpath))
		return 0;
	if (vm_strv_push(&c->files, gpath) < 0 || cpio_parents(c, gpath) < 0 ||
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

/* Open host for reading into the initramfs; *st gets its status.
 * Returns the fd (the caller closes it), or -1 (kf_err) when it cannot be
 * read or is not a regular file. */
static int open_regular(const char *host, struct stat *st)
{
	/* O_NONBLOCK: opening a FIFO would wait for a writer forever; its
	 * type is refused just below */
	int fd = open(host, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return kf_err_errno(KF_EXIT_NOINPUT, "cannot read '%s' for the "
				    "VM", host);
	if (fstat(fd, st) < 0) {
		close(fd);
		return kf_err_errno(KF_EXIT_NOINPUT, "cannot read '%s' for "
				    "the VM", host);
	}
	if (!S_ISREG(st->st_mode)) {
		close(fd);
		return kf_err(KF_EXIT_NOINPUT, "cannot copy '%s' into the VM: "
			      "%s, not a regular file (leave it out of "
			      "--vm-file)", host, S_ISFIFO(st->st_mode) ?
			      "a FIFO" : S_ISSOCK(st->st_mode) ? "a socket" :
			      S_ISDIR(st->st_mode) ? "a directory" :
			      "a device");
	}
	return fd;
}

/*
 * Read the size bytes of host from fd into *bufp (the caller frees it;
 * NULL when size is 0).  read, not mmap: a file that shrinks while it is
 * copied would be a SIGBUS through a mapping, here a clear error.
 * Returns 0 or -1 (kf_err; *bufp NULL).
 */
static int read_whole(int fd, const char *host, size_t size, char **bufp)
{
	size_t got = 0;
	ssize_t n = 0;
	char *buf;

	*bufp = NULL;
	if (!size)
		return 0;
	buf = malloc(size);
	if (!buf)
		return kf_err(KF_EXIT_OSERR, "out of memory copying "
			      "'%s' into the VM", host);
	while (got < size && (n = read(fd, buf + got, size - got)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			kf_err_errno(KF_EXIT_IOERR, "cannot read '%s' "
				     "for the VM", host);
			break;
		}
		got += n;
	}
	if (got < size) {
		if (n == 0)
			kf_err(KF_EXIT_IOERR, "'%s' shrank while it was "
			       "copied into the VM: copy it again", host);
		free(buf);
		return -1;
	}
	*bufp = buf;
	return 0;
}

/* Copy host file `host` to guest path `gpath` (same mode bits). */
static int cpio_file(struct cpio *c, const char *host, const char *gpath)
{
	struct stat st;
	char *buf;
	int fd, rc;

	fd = open_regular(host, &st);
	if (fd < 0)
		return -1;
	rc = read_whole(fd, host, st.st_size, &buf);
	close(fd);
	if (rc < 0)
		return -1;
	rc = cpio_data(c, gpath, st.st_mode & 07777, buf, st.st_size);
	free(buf);
	if (rc == 0 && is_elf(host) && !vm_strv_has(&c->queue, host))
		rc = vm_strv_push(&c->queue, host);
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

/* An ELF file mapped for reading, and what elf_needs found in it so far;
 * the pointers point into the mapping. */
struct elf {
	const unsigned char *b;
	uint64_t size;
	const Elf64_Ehdr *eh;
	const Elf64_Phdr *ph;
	const Elf64_Dyn *dyn;	/* PT_DYNAMIC, or NULL */
	size_t ndyn;
	uint64_t stroff, strsz;	/* the dynamic string table */
};

/* Is e a 64-bit ELF file whose program headers lie inside it?  Sets
 * e->eh and e->ph. */
static int elf_ok(struct elf *e)
{
	const Elf64_Ehdr *eh = (const void *)e->b;

	e->eh = eh;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_phentsize != sizeof(Elf64_Phdr) ||
	    eh->e_phoff > e->size ||
	    eh->e_phnum > (e->size - eh->e_phoff) / sizeof(Elf64_Phdr))
		return 0;
	e->ph = (const void *)(e->b + eh->e_phoff);
	return 1;
}

/* Walk the program headers: append the interpreter to needed and note
 * the dynamic section in e.  Returns 0 or -1 (kf_err). */
static int elf_phdrs(struct elf *e, struct strv *needed)
{
	int rc = 0;

	for (int i = 0; i < e->eh->e_phnum; i++) {
		const Elf64_Phdr *p = &e->ph[i];

		if (p->p_offset > e->size ||
		    p->p_filesz > e->size - p->p_offset)
			continue;
		if (p->p_type == PT_INTERP && p->p_filesz > 1) {
			char *s = strndup((const char *)e->b + p->p_offset,
					  p->p_filesz);

			if (s && *s == '/' && !vm_strv_has(needed, s))
				rc = vm_strv_push(needed, s);
			free(s);
		} else if (p->p_type == PT_DYNAMIC) {
			e->dyn = (const void *)(e->b + p->p_offset);
			e->ndyn = p->p_filesz / sizeof(*e->dyn);
		}
	}
	return rc;
}

/* Find the dynamic string table (e->stroff, e->strsz).  Returns 0, or -1
 * when there is none inside the file. */
static int elf_strtab(struct elf *e)
{
	const Elf64_Dyn *d = e->dyn;

	for (size_t i = 0; i < e->ndyn && d[i].d_tag != DT_NULL; i++) {
		if (d[i].d_tag == DT_STRTAB &&
		    vaddr_off(e->ph, e->eh->e_phnum, d[i].d_un.d_ptr,
			      &e->stroff) < 0)
			return -1;
		if (d[i].d_tag == DT_STRSZ)
			e->strsz = d[i].d_un.d_val;
	}
	if (!e->stroff || e->stroff > e->size ||
	    e->strsz > e->size - e->stroff)
		return -1;
	return 0;
}

/* Append the DT_NEEDED names to needed and the absolute DT_RUNPATH and
 * DT_RPATH directories to rpath.  Returns 0 or -1 (kf_err). */
static int elf_dyn_names(const struct elf *e, struct strv *needed,
			 struct strv *rpath)
{
	const Elf64_Dyn *d = e->dyn;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < e->ndyn && d[i].d_tag != DT_NULL;
	     i++) {
		const char *s;

		if ((d[i].d_tag != DT_NEEDED && d[i].d_tag != DT_RUNPATH &&
		     d[i].d_tag != DT_RPATH) || d[i].d_un.d_val >= e->strsz)
			continue;
		s = (const char *)e->b + e->stroff + d[i].d_un.d_val;
		if (!memchr(s, '\0', e->strsz - d[i].d_un.d_val))
			continue;
		if (d[i].d_tag == DT_NEEDED) {
			if (!vm_strv_has(needed, s))
				rc = vm_strv_push(needed, s);
		} else if (*s == '/' && !vm_strv_has(rpath, s)) {
			rc = vm_strv_push(rpath, s);
		}
	}
	return rc;
}

/*
 * Append to `needed` the interpreter and DT_NEEDED names of the ELF file
 * at host (a 64-bit little-endian file; anything else needs nothing).
 */
static int elf_needs(const char *host, struct strv *needed, struct strv *rpath)
{
	struct elf e = { 0 };
	struct stat st;
	const void *b;
	int fd = open(host, O_RDONLY | O_CLOEXEC), rc = 0;

	if (fd < 0 || fstat(fd, &st) < 0 ||
	    st.st_size < (off_t)sizeof(Elf64_Ehdr)) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	b = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (b == MAP_FAILED)
		return 0;
	e.b = b;
	e.size = st.st_size;
	if (elf_ok(&e)) {
		rc = elf_phdrs(&e, needed);
		if (elf_strtab(&e) == 0 && rc == 0)
			rc = elf_dyn_names(&e, needed, rpath);
	}
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
		vm_strv_release(&need);
	}
	vm_strv_release(&rpath);
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


static const char init_head[] =
	"#!/bin/busybox sh\n"
	"# kfollow --vm guest init (generated)\n"
	"/bin/busybox mkdir -p /proc /sys /dev /tmp /out /root /bin /sbin\n"
	"/bin/busybox mount -t proc proc /proc\n"
	"/bin/busybox mount -t sysfs sys /sys\n"
	"/bin/busybox mount -t devtmpfs dev /dev 2>/dev/null\n"
	"/bin/busybox mount -t securityfs none /sys/kernel/security 2>/dev/null\n"
	"/bin/busybox --install -s /bin 2>/dev/null\n"
	/* KFOLLOW_PROGRESS=0: the serial lines are terminals, but no one
	 * watches them; a script's kfollow prints no stage lines there */
	"export PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME=/root "
	"KFOLLOW_PROGRESS=0\n"
	"for t in 1 2 3; do stty -F /dev/ttyS$t raw -echo 115200 2>/dev/null; done\n"
	"cd /root\n"
	/* the kernel's tables from an earlier boot (kf_ktab.h): where
	 * kfollow looks, in its journal's directory (root's, 0700); the
	 * inode tells afterwards whether kfollow wrote new ones */
	"if [ -f /kf/ktab ]; then mkdir -p /run/kfollow && "
	"chmod 700 /run/kfollow && mv /kf/ktab /run/kfollow/ktab; fi\n"
	"kt0=$(stat -c %i /run/kfollow/ktab 2>/dev/null)\n"
	"echo kfollow-guest: running\n";

/* --vm-disk: its modules in order (one a kernel has built in, or a CPU
 * lacks, may refuse: the mount says what matters), then the mount */
static const char init_disk[] =
	"for m in /lib/kfdisk/*.ko; do insmod $m 2>/dev/null; done\n"
	"mkdir -p " KF_VM_DISK_DIR "\n"
	"n=0; while [ ! -b /dev/vda ] && [ $n -lt 100 ]; do sleep 0.1; "
	"n=$((n + 1)); done\n"
	"if ! mount -t ext4 /dev/vda " KF_VM_DISK_DIR " 2>/tmp/kfmount; then\n"
	"  echo \"kfollow: --vm-disk: cannot mount the disk in the VM: "
	"$(cat /tmp/kfmount) (kfollow -v shows its console)\" >/dev/ttyS2\n"
	"  echo 1 >/out/status\n"
	"  printf 'KFEND\\n' >/dev/ttyS3\n"
	"  poweroff -f\n"
	"fi\n";

static const char init_tail[] =
	/* booted with tsc=reliable (vm_boot): a guest that ran the capture
	 * on another clocksource says so, once.  Checked after the capture,
	 * which is when it matters; tsc-early is the same counter before
	 * its refined calibration (a guest a second or two old has it). */
	"cs=$(cat /sys/devices/system/clocksource/clocksource0/"
	"current_clocksource 2>/dev/null)\n"
	"case $cs in ''|tsc|tsc-early) ;; *) echo \"kfollow: the VM's "
	"kernel kept time with '$cs', not the TSC: record times can stall "
	"(see TIMES in kfollow(1))\" >/dev/ttyS2 ;; esac\n"
	"echo $st >/out/status\n"
	/* tables kfollow read anew go back on the virtio port, for the
	 * next boot; where its driver is a module (6.1, /lib/kfport), it
	 * is loaded only now, and the port comes up a moment later */
	"kt1=$(stat -c %i /run/kfollow/ktab 2>/dev/null)\n"
	"kfport() {\n"
	"  for p in /sys/class/virtio-ports/*; do\n"
	"    [ \"$(cat $p/name 2>/dev/null)\" = " KF_VM_KTAB_PORT " ] && "
	"[ -c /dev/${p##*/} ] && { echo /dev/${p##*/}; return 0; }\n"
	"  done\n"
	"  return 1\n"
	"}\n"
	"if [ -n \"$kt1\" ] && [ \"$kt1\" != \"$kt0\" ]; then\n"
	"  n=0\n"
	"  [ -d /lib/kfport ] && for m in /lib/kfport/*.ko; do "
	"insmod $m 2>/dev/null; done && n=-50\n"
	"  while ! kfp=$(kfport) && [ $n -lt 0 ]; do sleep 0.1; "
	"n=$((n + 1)); done\n"
	"  [ -n \"$kfp\" ] && cat /run/kfollow/ktab >$kfp 2>/dev/null\n"
	"fi\n"
	"sync\n"
	/* the serial line carries ~7 KB/s (qemu paces it at 115200 baud):
	 * files over 4 KB go gzipped (a capture's JSON shrinks ~10x) */
	"{\n"
	"  for f in /out/*; do\n"
	"    [ -f \"$f\" ] || continue\n"
	"    if [ $(wc -c <\"$f\") -gt 4096 ] && gzip -c \"$f\" >/tmp/kfz; then\n"
	"      printf 'KFOUTZ %s %s\\n' \"${f##*/}\" $(wc -c </tmp/kfz)\n"
	"      cat /tmp/kfz\n"
	"    else\n"
	"      printf 'KFOUT %s %s\\n' \"${f##*/}\" $(wc -c <\"$f\")\n"
	"      cat \"$f\"\n"
	"    fi\n"
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

/* Copy what every guest runs: busybox, this kfollow and its presets, and
 * the loader's cache.  Returns 0 or -1 (kf_err). */
static int copy_base(struct cpio *c)
{
	char *busybox, exe[PATH_MAX];
	ssize_t n;
	int rc;

	busybox = vm_which("busybox");
	if (!busybox && access("/bin/busybox", X_OK) == 0)
		busybox = strdup("/bin/busybox");
	if (!busybox)
		return kf_err(KF_EXIT_UNAVAILABLE, "--vm needs busybox for the "
			      "guest: install busybox-static (apt-get install "
			      "busybox-static)");
	rc = cpio_file(c, busybox, "/bin/busybox");
	free(busybox);
	if (rc < 0)
		return -1;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return kf_err_errno(KF_EXIT_OSERR, "cannot find kfollow's own "
				    "binary");
	exe[n] = '\0';
	if (cpio_file(c, exe, "/usr/bin/kfollow") < 0 || copy_presets(c) < 0)
		return -1;
	/* the loader's cache: the guest's programs start as they do here */
	if (access("/etc/ld.so.cache", R_OK) == 0 &&
	    cpio_file(c, "/etc/ld.so.cache", "/etc/ld.so.cache") < 0)
		return -1;
	return 0;
}

/*
 * Copy what request r names: its --vm-file paths, the host files among
 * the arguments, the command and the script.  *cmd0 gets the command's
 * full path (the caller frees it; NULL without a command).  Returns 0 or
 * -1 (kf_err).
 */
static int copy_request(struct cpio *c, const struct kf_vm_request *r,
			char **cmd0)
{
	for (int i = 0; r->files && r->files[i]; i++)
		if (cpio_tree(c, r->files[i], 0) < 0)
			return -1;
	for (int i = 0; r->guest_args && r->guest_args[i]; i++)
		if (copy_if_file(c, r->guest_args[i]) < 0)
			return -1;
	if (r->cmd && r->cmd[0]) {
		*cmd0 = vm_which(r->cmd[0]);
		if (!*cmd0)
			return kf_err(KF_EXIT_NOTFOUND, "command '%s' not "
				      "found on this machine (--vm copies it "
				      "from here)", r->cmd[0]);
		if (cpio_file(c, *cmd0, *cmd0) < 0)
			return -1;
		for (int i = 1; r->cmd[i]; i++)
			if (copy_if_file(c, r->cmd[i]) < 0)
				return -1;
	}
	if (r->script && cpio_file(c, r->script, "/kf/script.sh") < 0)
		return -1;
	return 0;
}

/* Write the guest's kfollow command line for r (cmd0: the command's path
 * in the guest, or NULL) to the script is. */
static void init_kfollow(FILE *is, const struct kf_vm_request *r,
			 const char *cmd0)
{
	/* KFOLLOW_VM_GUEST: the VM powers off next, kfollow need not
	 * switch the tracer off again (see in_own_vm in capture.c); its
	 * progress lines go to the console, which the host reads */
	fputs("KFOLLOW_VM_GUEST=1 " KF_PROGRESS_GUEST_ENV "=/dev/console "
	      "/usr/bin/kfollow --batch --no-show "
	      "--output /out/capture.json", is);
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

/* The guest's /init for r into *init and *len (the caller frees *init,
 * also on failure).  Returns 0 or -1 (kf_err). */
static int init_make(const struct kf_vm_request *r, const char *cmd0,
		     int nmods, char **init, size_t *len)
{
	FILE *is = open_memstream(init, len);

	if (!is)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	fputs(init_head, is);
	if (nmods)
		fputs(init_disk, is);
	if (r->script)
		fputs("sh /kf/script.sh </dev/null >/dev/ttyS1 2>/dev/ttyS2\n",
		      is);
	else
		init_kfollow(is, r, cmd0);
	fputs("st=$?\n", is);
	fputs(init_tail, is);
	if (fclose(is) != 0)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	return 0;
}

int vm_cpio_append_port(FILE *f, char *const *mods)
{
	struct cpio c = { .f = f };
	long at = ftell(f);
	int rc = at < 0 ? -1 : 0;

	/* each record ends on 4 bytes, so the second archive starts where
	 * the kernel looks for one */
	for (int i = 0; rc == 0 && mods && mods[i]; i++) {
		char gp[64];

		snprintf(gp, sizeof(gp), "/lib/kfport/%03d.ko", i);
		rc = cpio_file(&c, mods[i], gp);
	}
	if (rc == 0 && (cpio_hdr(&c, "TRAILER!!!", 0, 0) < 0 ||
			fflush(f) != 0))
		rc = kf_err_errno(KF_EXIT_IOERR, "cannot write the initramfs");
	/* half an archive would stop the boot: none, then */
	if (rc < 0 && at >= 0 &&
	    (fflush(f), ftruncate(fileno(f), at) < 0 || fseek(f, at, SEEK_SET) < 0))
		rc = kf_err_errno(KF_EXIT_IOERR, "cannot write the initramfs");
	vm_strv_release(&c.dirs);
	vm_strv_release(&c.files);
	vm_strv_release(&c.queue);
	return rc;
}

/*
 * Write the initramfs for request r to f.  The guest runs kfollow with
 * guest_args on cmd, or r->script.
 */
int vm_build_initramfs(const struct kf_vm_request *r, char *const *mods,
		       const char *ktab, FILE *f)
{
	struct cpio c = { .f = f };
	char *cmd0 = NULL, *init = NULL;
	size_t init_len = 0;
	int rc = -1, nmods = 0;

	if (copy_base(&c) < 0 || copy_request(&c, r, &cmd0) < 0 ||
	    cpio_libs(&c) < 0)
		goto out;
	for (; mods && mods[nmods]; nmods++) {
		char gp[64];

		/* numbered: the shell's glob loads them in this order */
		snprintf(gp, sizeof(gp), "/lib/kfdisk/%03d.ko", nmods);
		if (cpio_file(&c, mods[nmods], gp) < 0)
			goto out;
	}
	/* a cache that cannot be read is only slower */
	if (ktab && access(ktab, R_OK) == 0 && cpio_file(&c, ktab, "/kf/ktab") < 0)
		kf_err_clear();
	if (init_make(r, cmd0, nmods, &init, &init_len) < 0)
		goto out;
	if (cpio_data(&c, "/init", 0755, init, init_len) < 0 ||
	    cpio_hdr(&c, "TRAILER!!!", 0, 0) < 0 || fflush(f) != 0) {
		kf_err_errno(KF_EXIT_IOERR, "cannot write the initramfs");
		goto out;
	}
	if (kf_verbose)
		kf_note("initramfs: %d files", c.files.n);
	rc = 0;
out:
	free(init);
	free(cmd0);
	vm_strv_release(&c.dirs);
	vm_strv_release(&c.files);
	vm_strv_release(&c.queue);
	return rc;
}
