/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_decode.h - strace-like rendering of an invocation's header:
 *
 *   openat(AT_FDCWD, "/tmp/demo.txt", O_RDONLY|O_CLOEXEC) = 3
 *   read(3, 0x7ffd5a1c2e10, 131072) = 12
 *   openat(AT_FDCWD, "/nope", O_RDONLY) = -2 ENOENT (No such file or directory)
 *
 * Pure functions of the model: no tracefs, no allocation.
 */
#ifndef KF_DECODE_H
#define KF_DECODE_H

#include <stddef.h>
#include <stdint.h>
#include "kf_model.h"

/*
 * Write the header of call c ("name(args) = ret") into buf (always
 * NUL-terminated, truncated to len).  Uses the syscall's argument names
 * and kinds from m->sys to pick decoders (flags, fds, modes, strings);
 * arguments it does not know print as decimal or hex.  A call in function
 * mode prints as "func()".  Returns the length the full text would have.
 */
size_t kf_decode_header(const struct kf_model *m, const struct kf_call *c,
			char *buf, size_t len);

/* The arguments only: "AT_FDCWD, \"/tmp/demo.txt\", O_RDONLY". */
size_t kf_decode_args(const struct kf_model *m, const struct kf_call *c,
		      char *buf, size_t len);

/*
 * Argument i alone, as the header shows it ("AT_FDCWD", "\"/tmp/demo.txt\"",
 * "O_RDONLY"), with its name from the event's format ("dfd") in *name
 * (the model's).  Returns 0 with *name NULL when the call has no such
 * argument or the header leaves it out (open's mode without O_CREAT).
 */
size_t kf_decode_arg(const struct kf_model *m, const struct kf_call *c,
		     int i, const char **name, char *buf, size_t len);

/* The return value only: "3", "-2 ENOENT (No such file or directory)", "?". */
size_t kf_decode_ret(const struct kf_model *m, const struct kf_call *c,
		     char *buf, size_t len);

/* Symbolic errno name ("ENOENT") for a positive errno, or NULL. */
const char *kf_errno_name(int err);

#endif
