// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fdtab.c - per-task fd tables for fd paths in headers (kf_fdtab.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kf_common.h"
#include "kf_fdtab.h"

const char *const kf_fdop_syscalls[] = {
	"openat", "open", "creat", "openat2", "close", "dup", "dup2", "dup3",
	"fcntl", NULL,
};

enum kf_fdop kf_fdop_of(const char *name, struct kf_fdop_desc *d)
{
	static const struct {
		const char *name;
		struct kf_fdop_desc d;
	} ops[] = {
		{ "openat", { KF_FDOP_OPEN, 1, 2, -1, -1 } },
		{ "open", { KF_FDOP_OPEN, 0, 1, -1, -1 } },
		{ "creat", { KF_FDOP_OPEN, 0, -1, -1, -1 } },
		/* its flags are in a struct open_how in user memory */
		{ "openat2", { KF_FDOP_OPEN, 1, -1, -1, -1 } },
		{ "close", { KF_FDOP_CLOSE, -1, -1, 0, -1 } },
		{ "dup", { KF_FDOP_DUP, -1, -1, 0, -1 } },
		{ "dup2", { KF_FDOP_DUP, -1, -1, 0, -1 } },
		{ "dup3", { KF_FDOP_DUP, -1, 2, 0, -1 } },
		/* the shells' "exec 5<file": F_DUPFD (0), F_DUPFD_CLOEXEC */
		{ "fcntl", { KF_FDOP_DUP, -1, -1, 0, 1 } },
		/* followed only: their fds come from kfollow's fd_install
		 * probe, not from these events */
		{ "pipe2", { KF_FDOP_PAIR, -1, 1, 0, -1 } },
		{ "pipe", { KF_FDOP_PAIR, -1, -1, 0, -1 } },
		{ "socketpair", { KF_FDOP_PAIR, -1, -1, 3, -1 } },
	};
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(ops[i].name, name) == 0) {
			*d = ops[i].d;
			return d->op;
		}
	memset(d, 0, sizeof(*d));
	d->path = d->flags = d->fd = d->cmd = -1;
	return KF_FDOP_NONE;
}

/* The index of fd in t, or where it would go (*found 0). */
static uint32_t find(const struct kf_fdtab *t, int32_t fd, int *found)
{
	uint32_t lo = 0, hi = t->n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (t->e[mid].fd < fd)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < t->n && t->e[lo].fd == fd;
	return lo;
}

/* fds are ints; a register holds garbage in its upper half */
static int fd_ok(int64_t fd)
{
	return fd >= 0 && fd <= INT32_MAX;
}

uint32_t kf_fdtab_get(const struct kf_fdtab *t, int64_t fd)
{
	uint32_t i;
	int found;

	if (!t || !fd_ok(fd))
		return KF_NONE;
	i = find(t, (int32_t)fd, &found);
	return found ? t->e[i].path : KF_NONE;
}

int kf_fdtab_set(struct kf_fdtab *t, int64_t fd, uint32_t path, int cloexec)
{
	uint32_t i;
	int found;

	if (!fd_ok(fd) || path == KF_NONE)
		return 0;
	i = find(t, (int32_t)fd, &found);
	if (!found) {
		if (t->n >= KF_FDTAB_MAX)
			return 0;
		if (KF_GROW(t->e, t->cap, (size_t)t->n + 1) < 0)
			return -1;
		memmove(&t->e[i + 1], &t->e[i], (t->n - i) * sizeof(t->e[0]));
		t->n++;
	}
	t->e[i].fd = (int32_t)fd;
	t->e[i].path = path;
	t->e[i].cloexec = cloexec != 0;
	return 0;
}

void kf_fdtab_close(struct kf_fdtab *t, int64_t fd)
{
	uint32_t i;
	int found;

	if (!fd_ok(fd))
		return;
	i = find(t, (int32_t)fd, &found);
	if (!found)
		return;
	memmove(&t->e[i], &t->e[i + 1], (t->n - i - 1) * sizeof(t->e[0]));
	t->n--;
}

int kf_fdtab_copy(struct kf_fdtab *dst, const struct kf_fdtab *src)
{
	dst->n = 0;
	if (!src || !src->n)
		return 0;
	if (KF_GROW(dst->e, dst->cap, src->n) < 0)
		return -1;
	memcpy(dst->e, src->e, src->n * sizeof(src->e[0]));
	dst->n = src->n;
	return 0;
}

void kf_fdtab_exec(struct kf_fdtab *t)
{
	uint32_t i, k = 0;

	for (i = 0; i < t->n; i++)
		if (!t->e[i].cloexec)
			t->e[k++] = t->e[i];
	t->n = k;
}

void kf_fdtab_release(struct kf_fdtab *t)
{
	free(t->e);
	memset(t, 0, sizeof(*t));
}
