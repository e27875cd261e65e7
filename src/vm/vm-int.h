/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vm-int.h - what the parts of VM mode share (src/vm/): small helpers
 * (util.c), the kernels (apt.c), the initramfs (cpio.c) and qemu (qemu.c).
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
#ifndef KF_VM_INT_H
#define KF_VM_INT_H

#include <stdio.h>
#include "kf_vm.h"

#define VM_MEM "1024"
#define VM_TIMEOUT_CAPTURE 600
#define VM_TIMEOUT_SCRIPT 1800
#define MAX_OUT_FILE (256u << 20)

/* A NULL-terminated vector of strings it owns (vm_strv_release). */
struct strv {
	char **v;
	int n, cap;
};

/* Add a copy of str (kf_err on failure).  Returns 0 or -1. */
int vm_strv_push(struct strv *s, const char *str);
/* Does s hold str? */
int vm_strv_has(const struct strv *s, const char *str);
void vm_strv_release(struct strv *s);
/* mkdir -p (mode 0755).  Returns 0 or -1 (kf_err). */
int vm_mkdir_p(const char *path);
/* The cache directory ($KFOLLOW_CACHE, $XDG_CACHE_HOME/kfollow,
 * ~/.cache/kfollow), not created; the caller frees it.  NULL: kf_err. */
char *vm_cache_dir(void);
/* Run argv (in dir, if any); its standard output (the caller frees it),
 * or NULL with kf_err set to the last line of its standard error.
 * *status: its exit status. */
char *vm_run_capture(char *const argv[], const char *dir, int *status);
/*
 * The run's progress (kf_progress.h) for the front end that asked for it
 * in the request: vm_progress_begin with its hook (NULL: none), a stage
 * at a time, counts and ticks while one lasts, vm_progress_end.
 */
void vm_progress_begin(kf_progress_fn fn, void *ctx);
void vm_progress_end(void);
/* A new stage, detail ("KVM") or NULL.  Returns 0, or -1 (kf_err) when
 * the front end asked to stop. */
int vm_progress_stage(enum kf_stage s, const char *detail);
/* The stage's bytes are the sizes of the files glob pattern matches
 * (NULL: none). */
void vm_progress_watch(const char *pattern);
void vm_progress_count(uint64_t bytes, uint64_t events);
/* From a waiting loop, any time: tells the front end at most four times
 * a second.  Returns 1 once it asked to stop. */
int vm_progress_tick(void);
/* Did the front end ask to stop? */
int vm_progress_stopped(void);
/* The error after a stop: -1 with kf_err set. */
int vm_progress_stop_err(void);
/* Full path of a command the way execvp would find it; the caller frees
 * it.  NULL if none. */
char *vm_which(const char *cmd);
/* The uncompressed kernel of bzImage vmlinuz, unpacked once beside it
 * (VMLINUZ.kfollow-vmlinux) and booted through its PVH entry: the caller
 * frees the path.  NULL (nothing said) when the kernel has no PVH entry
 * or cannot be unpacked: boot vmlinuz then. */
char *vm_vmlinux(const char *vmlinuz);
/* Write the initramfs for r (cpio "newc") to f, with the modules mods
 * (host paths in load order, NULL-terminated, or NULL) that mount
 * --vm-disk's image, and the kernel's tables from an earlier boot (host
 * path ktab, if it exists; kf_ktab.h).  Returns 0 or -1. */
int vm_build_initramfs(const struct kf_vm_request *r, char *const *mods,
		       const char *ktab, FILE *f);
/* the virtio port the guest sends its kfollow's tables back on */
#define KF_VM_KTAB_PORT "kfollow.ktab"
/* The .deb holding kernel krel's modules (release spec), fetched once;
 * the caller frees it.  NULL: kf_err. */
char *vm_modules_deb(const char *spec, const char *krel);

/* --vm-disk: an ext4 image of the files the user named, in a private
 * temporary directory, and the modules (decompressed, in load order) the
 * guest needs to mount it. */
struct vm_disk {
	char *dir;        /* the temporary directory (owned) */
	char *img;        /* dir/disk.img */
	struct strv mods; /* dir/NN-name.ko, load order */
};
/* Build d for r->disk on kernel k (release spec).  Returns 0 or -1
 * (kf_err); vm_disk_destroy removes what was made either way. */
int vm_disk_build(const struct kf_vm_request *r, const struct kf_vm_kernel *k,
		  const char *spec, struct vm_disk *d);
/* Remove d's files (destroy: they are on disk) and free d. */
void vm_disk_destroy(struct vm_disk *d);
/* The modules of the virtio port the guest sends its kfollow's tables
 * back on (KF_VM_KTAB_PORT), where kernel k has them as modules in its
 * own unpacked package (6.1): into d (dir and mods; no img), which
 * vm_disk_destroy removes.  None where they are built in.  Returns 0 or
 * -1 (kf_err). */
int vm_port_mods(const struct kf_vm_kernel *k, struct vm_disk *d);
/* Append to the initramfs f a second cpio archive (the kernel unpacks
 * each in turn) with the modules mods as /lib/kfport/NNN.ko, which the
 * guest's /init loads only when it has tables to send.  Returns 0 or -1
 * (kf_err). */
int vm_cpio_append_port(FILE *f, char *const *mods);

#endif
