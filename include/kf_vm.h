/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_vm.h - VM mode: run a capture inside a throwaway qemu machine booted
 * from a Debian kernel, for hosts whose kernel refuses function_graph and
 * users without root.  The guest runs this same kfollow binary and sends
 * the capture back; the host renders it.
 */
#ifndef KF_VM_H
#define KF_VM_H

#include "kf_model.h"
#include "kf_progress.h"

struct kf_vm_kernel {
	char *vmlinuz;   /* kernel image to boot */
	char *vmlinux;   /* for a Debian kernel: its payload unpacked once into
			  * the cache, booted instead (PVH), or NULL */
	char *moddir;    /* its lib/modules/<release> directory, or NULL */
	char *release;   /* "6.1.0-56-amd64", or NULL if unknown */
};

/*
 * Find the kernel named by spec, fetching and unpacking it into the cache
 * (${KFOLLOW_CACHE:-${XDG_CACHE_HOME:-~/.cache}/kfollow}) the first time:
 *   NULL or ""       the default: bookworm's linux-image-amd64 (6.1)
 *   "bookworm", "trixie", "sid"   that Debian release's current kernel
 *   a path           a vmlinuz/bzImage on disk (modules looked up beside it)
 * Fills k (release with kf_vm_kernel_release).  Returns 0 or -1 (kf_err).
 */
int kf_vm_kernel_find(const char *spec, struct kf_vm_kernel *k);
void kf_vm_kernel_release(struct kf_vm_kernel *k);

/* Where the guest mounts --vm-disk's ext4 disk. */
#define KF_VM_DISK_DIR "/mnt/disk"

struct kf_vm_request {
	const char *kernel;   /* spec for kf_vm_kernel_find */
	char **guest_args;    /* kfollow's arguments in the guest (no argv[0],
				 no --vm*, no --output/--input/--format), NULL-terminated */
	char **cmd;           /* the traced command, NULL-terminated, or NULL */
	char **files;         /* extra host paths to copy in (--vm-file), NULL-terminated */
	char **disk;          /* --vm-disk: host paths put on an ext4 disk the
				 guest mounts at KF_VM_DISK_DIR, NULL-terminated,
				 or NULL: no disk */
	const char *script;   /* --vm-script FILE: run it instead of kfollow */
	const char *out_dir;  /* with script: where the guest's /out comes back */
	const char *dat;      /* --output FILE.dat: the guest writes its pages as
				 /out/capture.dat, saved here */
	int timeout_s;        /* kill the VM after this (0: a default) */
	int verbose;
	/* the stages as they come (kf_progress.h), or NULL; its stop kills
	 * the VM */
	kf_progress_fn progress;
	void *progress_ctx;
	int out_fd;           /* > 0: the command's stdout goes here, not to
				 ours (the screen is the TUI's) */
};

/*
 * Boot a VM that runs `kfollow --batch --output <port> guest_args... [-- cmd]`
 * and read the capture it sends back into m (initialised by the caller);
 * with r->dat, also save the trace-cmd file it wrote there.
 * The command's stdout and stderr are copied to ours as it runs.
 * *cmd_status gets the traced command's exit status as kfollow would
 * return it.  Returns 0 or -1 (kf_err set; the VM is gone either way).
 */
int kf_vm_capture(const struct kf_vm_request *r, struct kf_model *m,
		  int *cmd_status);

/*
 * Boot a VM that runs r->script with sh (kfollow on its PATH, r->files
 * copied in) and copies its stdout/stderr to ours; files it leaves in /out
 * come back to r->out_dir.  *status gets the script's exit status.  For
 * the real-kernel tests.  Returns 0 or -1 (kf_err set).
 */
int kf_vm_script(const struct kf_vm_request *r, int *status);

/* The cache directory kfollow keeps kernels and sources in (see
 * kf_vm_kernel_find), not created; the caller frees it.  NULL: kf_err. */
char *kf_vm_cache(void);

/*
 * Download Debian's linux-source package of kernel version ("6.1.192-3")
 * from whichever release still has it (the system's apt sources, then
 * private states for trixie, sid and bookworm) and leave the source
 * tarball it carries at dest (a .tar.xz; the .deb is not kept).  Returns
 * 0 or -1 (kf_err says which package was missing).
 */
int kf_vm_source_fetch(const char *version, const char *dest);

#endif
