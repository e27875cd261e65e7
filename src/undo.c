// SPDX-License-Identifier: GPL-2.0-or-later
/* undo.c - apply one undo record (kf_undo.h). */
#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include "kf_common.h"
#include "kf_undo.h"

/* Async-signal-safe: no allocation, no stdio. */
int kf_undo_apply(const struct kf_undo *u)
{
	int fd;

	switch (u->op) {
	case KF_UNDO_WRITE:
	case KF_UNDO_APPEND:
		fd = open(u->path, O_WRONLY | O_CLOEXEC |
			  (u->op == KF_UNDO_WRITE ? O_TRUNC : O_APPEND));
		if (fd < 0)
			return -1;
		if (u->len && kf_write_all(fd, u->data, u->len) < 0) {
			close(fd);
			return -1;
		}
		return close(fd);
	case KF_UNDO_RMDIR:
		return rmdir(u->path);
	case KF_UNDO_UMOUNT:
		return umount2(u->path, MNT_DETACH);
	}
	return -1;
}
