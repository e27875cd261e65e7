/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_fdtab.h - which file each file descriptor of a traced task names, as
 * `strace -y` shows it (read(3</tmp/demo.txt>, ...)): learned from the
 * opens, dups and closes kfollow sees (their syscall events, recorded for
 * this even when they are not followed), and from /proc for the fds a
 * task had before tracing began.
 *
 * A path is what the open named: relative paths stay relative (the task's
 * working directory is not traced).  A fork copies the table; threads
 * share one in the kernel, but kfollow cannot tell a thread from a
 * process, so each keeps a copy.  Plain data: no tracefs, no I/O.
 */
#ifndef KF_FDTAB_H
#define KF_FDTAB_H

#include <stdint.h>

enum kf_fdop {
	KF_FDOP_NONE,
	KF_FDOP_OPEN,   /* ret: a new fd for the path in arg `path` */
	KF_FDOP_CLOSE,  /* arg `fd` is gone */
	KF_FDOP_DUP,    /* ret: a new fd for the file of arg `fd` */
	KF_FDOP_PAIR,   /* two new fds (a pipe's ends, a socket pair), written
			 * to the array in arg `fd` as it returns 0 */
};

struct kf_fdop_desc {
	enum kf_fdop op;
	int8_t path;    /* argument index of the path, -1 none */
	int8_t flags;   /* argument index of the open flags, -1 none */
	int8_t fd;      /* argument index of the fd it reads, -1 none */
	int8_t cmd;     /* fcntl: argument index of the command, which
			 * must be F_DUPFD or F_DUPFD_CLOEXEC; -1 none */
};

/* The syscalls whose events keep the tables, NULL-terminated. */
extern const char *const kf_fdop_syscalls[];

/* What syscall `name` does to the table, into *d.  Returns d->op. */
enum kf_fdop kf_fdop_of(const char *name, struct kf_fdop_desc *d);

struct kf_fdent {
	int32_t fd;
	uint32_t path;    /* strtab id */
	uint8_t cloexec;  /* gone at exec (O_CLOEXEC, or unknown: 0) */
};

struct kf_fdtab {
	struct kf_fdent *e;  /* sorted by fd */
	uint32_t n, cap;
};

/* Fds kept per task at most: a table past it takes no new fds. */
#define KF_FDTAB_MAX 4096

/* The path id of fd, or KF_NONE. */
uint32_t kf_fdtab_get(const struct kf_fdtab *t, int64_t fd);
/* fd now names path (replacing what it named).  Returns 0 or -1 (out of
 * memory). */
int kf_fdtab_set(struct kf_fdtab *t, int64_t fd, uint32_t path,
		 int cloexec);
void kf_fdtab_close(struct kf_fdtab *t, int64_t fd);
/* dst becomes a copy of src.  Returns 0 or -1 (out of memory). */
int kf_fdtab_copy(struct kf_fdtab *dst, const struct kf_fdtab *src);
/* An exec: the close-on-exec fds go. */
void kf_fdtab_exec(struct kf_fdtab *t);
/* Free what t holds (not t). */
void kf_fdtab_release(struct kf_fdtab *t);

#endif
