// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmlinux.c - a cached kernel qemu boots at once: the bzImage's payload,
 * decompressed once on the host next to the vmlinuz (the same xz, zstd
 * or gzip that unpack Debian's packages), booted through its PVH entry.
 * Under software emulation a guest that does nothing took 6.3-6.7 s with
 * the bzImage (the BIOS's real-mode set-up, then the kernel decompressing
 * itself: ~4 s before its clock starts) and 2.5-3.0 s with the vmlinux.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kf_common.h"
#include "vm-int.h"

extern char **environ;

/* Little-endian fields of the bzImage boot header (boot protocol 2.08+:
 * Documentation/arch/x86/boot.rst). */
static uint32_t le32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The decompressor for the payload's magic, or NULL. */
static const char *unpacker(const unsigned char *p, size_t n)
{
	if (n >= 6 && !memcmp(p, "\xfd" "7zXZ\0", 6))
		return "xz";
	if (n >= 4 && !memcmp(p, "\x28\xb5\x2f\xfd", 4))
		return "zstd";
	if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		return "gzip";
	return NULL;
}

/* Run "tool -dc" with stdin from in_fd and stdout to out_fd; 0 if it
 * exited 0. */
static int run_unpacker(const char *tool, int in_fd, int out_fd)
{
	char *argv[] = { (char *)tool, "-dc", NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st = 0, rc;

	if (posix_spawn_file_actions_init(&fa))
		return -1;
	posix_spawn_file_actions_adddup2(&fa, in_fd, 0);
	posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	rc = posix_spawnp(&pid, tool, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc)
		return -1;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	/* gzip says 2 for "trailing garbage ignored" */
	return WIFEXITED(st) && (WEXITSTATUS(st) == 0 ||
				 (WEXITSTATUS(st) == 2 &&
				  !strcmp(tool, "gzip"))) ? 0 : -1;
}

/* Does ELF64 image e (n bytes) carry the PVH entry note (Xen's
 * XEN_ELFNOTE_PHYS32_ENTRY, type 18, that qemu boots)? */
static int has_pvh_note(const unsigned char *e, size_t n)
{
	uint64_t phoff;
	uint16_t phnum, phentsize;

	if (n < 64 || memcmp(e, "\x7f" "ELF\x02\x01", 6))
		return 0;
	memcpy(&phoff, e + 32, 8);
	memcpy(&phentsize, e + 54, 2);
	memcpy(&phnum, e + 56, 2);
	for (unsigned i = 0; i < phnum; i++) {
		const unsigned char *ph = e + phoff + (uint64_t)i * phentsize;
		uint64_t off, sz;
		uint32_t type;

		if (phoff + (uint64_t)(i + 1) * phentsize > n || phentsize < 56)
			return 0;
		memcpy(&type, ph, 4);
		memcpy(&off, ph + 8, 8);
		memcpy(&sz, ph + 32, 8);
		if (type != 4 /* PT_NOTE */ || off > n || sz > n - off)
			continue;
		for (uint64_t q = off; q + 12 <= off + sz;) {
			uint32_t nsz = le32(e + q), dsz = le32(e + q + 4);
			uint32_t nt = le32(e + q + 8);

			if (nt == 18 && nsz == 4 && !memcmp(e + q + 12, "Xen", 4))
				return 1;
			q += 12 + ((nsz + 3) & ~3u) + ((dsz + 3) & ~3u);
		}
	}
	return 0;
}

/* Decompress the payload of bzImage b (n bytes) into path.  0 or -1. */
static int unpack_to(const unsigned char *b, size_t n, const char *path)
{
	char tmp_in[] = "/tmp/kfollow-payload-XXXXXX";
	const char *tool;
	uint32_t setup, off, len;
	size_t pm;
	int in = -1, out = -1, rc = -1;

	if (n < 0x250 || memcmp(b + 0x202, "HdrS", 4) ||
	    (b[0x206] | b[0x207] << 8) < 0x208)
		return -1;
	setup = b[0x1f1] ? b[0x1f1] : 4;
	pm = ((size_t)setup + 1) * 512;
	off = le32(b + 0x248);
	len = le32(b + 0x24c);
	if (pm > n || off > n - pm || len > n - pm - off)
		return -1;
	tool = unpacker(b + pm + off, len);
	if (!tool)
		return -1;
	/* the kernel's build appends the uncompressed size (4 bytes) to an
	 * xz or zstd payload, which their tools would call trailing garbage */
	if (strcmp(tool, "gzip") && len > 4)
		len -= 4;
	in = mkstemp(tmp_in);
	if (in < 0)
		return -1;
	unlink(tmp_in);
	out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out >= 0 && kf_write_all(in, b + pm + off, len) == 0 &&
	    lseek(in, 0, SEEK_SET) == 0 && run_unpacker(tool, in, out) == 0)
		rc = 0;
	close(in);
	if (out >= 0 && close(out) < 0)
		rc = -1;
	return rc;
}

char *vm_vmlinux(const char *vmlinuz)
{
	char *path = NULL, *tmp = NULL, *img = NULL, *elf = NULL;
	struct stat zs, ls;
	size_t n = 0, en = 0;

	if (asprintf(&path, "%s.kfollow-vmlinux", vmlinuz) < 0)
		return NULL;
	/* made before, from this very vmlinuz */
	if (stat(vmlinuz, &zs) == 0 && stat(path, &ls) == 0 &&
	    ls.st_mtime >= zs.st_mtime && ls.st_size > 0)
		return path;
	if (asprintf(&tmp, "%s.%d.tmp", path, (int)getpid()) < 0) {
		free(path);
		return NULL;
	}
	/* a stop asked for now still boots the bzImage: checked next */
	vm_progress_stage(KF_STAGE_KERNEL, "unpacking vmlinuz (once)");
	img = kf_read_file(vmlinuz, 256u << 20, &n);
	if (img && unpack_to((unsigned char *)img, n, tmp) == 0 &&
	    (elf = kf_read_file(tmp, 1u << 30, &en)) &&
	    has_pvh_note((unsigned char *)elf, en) && rename(tmp, path) == 0) {
		if (kf_verbose)
			kf_note("unpacked '%s' once, to boot it faster", vmlinuz);
	} else {
		/* no PVH entry, an unknown format, a read-only cache: boot
		 * the bzImage as before */
		unlink(tmp);
		free(path);
		path = NULL;
	}
	kf_err_clear();
	free(img);
	free(elf);
	free(tmp);
	return path;
}
