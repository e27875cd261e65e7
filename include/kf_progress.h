/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_progress.h - what a capture is doing before its trees exist, for a
 * front end to show: the stages of a --vm run (initramfs, kernel, boot,
 * the guest's own kfollow) and of a live one (set-up, arming, tracing).
 * Plain C: the TUI draws it, batch mode prints a line per stage.
 */
#ifndef KF_PROGRESS_H
#define KF_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

/* In the order a --vm run usually goes through them (with --vm-disk the
 * kernel comes before the initramfs); a live run has SETUP..TRACE. */
enum kf_stage {
	KF_STAGE_INITRAMFS,  /* host: writing the guest's initramfs */
	KF_STAGE_KERNEL,     /* host: finding, fetching or unpacking the kernel */
	KF_STAGE_BOOT,       /* qemu: the guest kernel boots */
	KF_STAGE_SETUP,      /* kfollow: kernel tables, event formats, tracefs */
	KF_STAGE_ARM,        /* kfollow: switching function_graph on */
	KF_STAGE_TRACE,      /* the command runs traced */
	KF_STAGE_RESULTS,    /* the guest sends the capture back */
	KF_STAGE_N
};

struct kf_progress {
	enum kf_stage stage;
	uint64_t total_ns;   /* since the run began */
	uint64_t stage_ns;   /* since this stage began */
	uint64_t bytes;      /* KERNEL: downloaded; RESULTS: received */
	uint64_t events;     /* TRACE: records read so far */
	const char *detail;  /* "KVM", a package name..., or NULL */
};

/* Called at each new stage and, while one lasts, about every 500 ms.
 * Return non-zero to stop the run. */
typedef int (*kf_progress_fn)(void *ctx, const struct kf_progress *p);

/* A stage's name: "booting the VM". */
const char *kf_stage_name(enum kf_stage s);

/* p as one line into buf: the stage's name, its detail and its counts
 * when there are some, as in "tracing: 1234 events" or "finding the
 * kernel: downloading linux-image-6.1 (12.5 MB)".  Returns buf. */
char *kf_progress_text(char *buf, size_t len, const struct kf_progress *p);

/* A duration for the progress screen: "12 s", "3 min 05 s".  Returns buf. */
char *kf_progress_secs(char *buf, size_t len, uint64_t ns);

/*
 * The guest's kfollow tells the host how it is going on the VM console,
 * one line a stage ("kfollow-guest: arm") and, while tracing, a count
 * ("kfollow-guest: trace 1234").  KF_PROGRESS_GUEST_ENV names where to
 * write them.
 */
#define KF_PROGRESS_GUEST "kfollow-guest: "
#define KF_PROGRESS_GUEST_ENV "KFOLLOW_VM_PROGRESS"

/* The guest's line for stage s (events: TRACE's count) into buf, with
 * its newline.  Returns its length. */
int kf_progress_guest_line(char *buf, size_t len, enum kf_stage s,
			   uint64_t events);

/* Parse one console line (without its newline).  Returns 1 and sets *s
 * and *events for a guest progress line, else 0.  "kfollow-guest:
 * running", which the guest's /init says before kfollow starts, is
 * SETUP. */
int kf_progress_guest_parse(const char *line, enum kf_stage *s,
			    uint64_t *events);

#endif
