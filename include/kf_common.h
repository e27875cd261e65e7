/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_common.h - things every part of kfollow shares: exit codes, error
 * reporting, small helpers.
 *
 * Errors: functions return -1 or NULL and leave a message in the per-thread
 * error buffer (kf_err_set); only main() prints it and exits.
 */
#ifndef KF_COMMON_H
#define KF_COMMON_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

#define KF_VERSION "0.1.0"

/* "no index": a node, call or string id that is absent */
#define KF_NONE UINT32_MAX

/*
 * kfollow's own exit codes (documented in kfollow(1), EXIT STATUS).  When a
 * command was traced, kfollow exits with the command's status instead
 * (128+N when a signal N killed it), as strace does.
 */
#define KF_EXIT_CODES(X)                                                       \
	X(KF_EXIT_OK, 0, "success")                                            \
	X(KF_EXIT_FAILURE, 1, "tracing failed (see the message)")              \
	X(KF_EXIT_USAGE, 64, "invalid command line or option value")           \
	X(KF_EXIT_DATAERR, 65, "input file is not a valid capture or trace")   \
	X(KF_EXIT_NOINPUT, 66, "input file cannot be opened")                  \
	X(KF_EXIT_UNAVAILABLE, 69, "tracefs or a needed tracer is unavailable")\
	X(KF_EXIT_SOFTWARE, 70, "internal error")                              \
	X(KF_EXIT_OSERR, 71, "system error (out of memory, fork failed)")      \
	X(KF_EXIT_IOERR, 74, "cannot write the output file")                   \
	X(KF_EXIT_INUSE, 75, "tracing is in use (another kfollow or tracer)")  \
	X(KF_EXIT_NOPERM, 77, "permission denied (run as root)")               \
	X(KF_EXIT_NOEXEC, 126, "command found but not executable")             \
	X(KF_EXIT_NOTFOUND, 127, "command not found")

enum kf_exit {
#define KF_X(name, code, text) name = code,
	KF_EXIT_CODES(KF_X)
#undef KF_X
};

/* Text describing an exit code, for the man page generator and --help. */
const char *kf_exit_text(int code);

/*
 * Record an error message (printf format, no "kfollow: " prefix, no
 * newline) and the exit code main() should use.  Returns -1 so callers can
 * write `return kf_err(KF_EXIT_USAGE, "...")`.
 */
int kf_err(int exit_code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Like kf_err, then appends ": strerror(errno)". */
int kf_err_errno(int exit_code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The last message recorded, or "" if none.  Owned by kfollow. */
const char *kf_err_msg(void);
/* The exit code of the last error (KF_EXIT_FAILURE if none was set). */
int kf_err_code(void);
/* Forget the last error. */
void kf_err_clear(void);

/* Warnings go straight to stderr as "kfollow: warning: ..." lines. */
void kf_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Notes ("kfollow: ...") go to stderr unless quiet. */
void kf_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern int kf_quiet;
extern int kf_verbose;

/*
 * Parse a duration such as "10us", "1.5ms", "2s", "300" (ns) into
 * nanoseconds.  Returns 0 or -1 (with kf_err set) on a malformed value.
 */
int kf_parse_duration(const char *s, uint64_t *ns);

/*
 * A caller's buffer filled in pieces with snprintf's convention: pos counts
 * every byte asked for, so pos >= len after the fact means it was cut; the
 * buffer stays NUL-terminated whenever len > 0.  Nothing to free.
 */
struct kf_out {
	char *buf;
	size_t len, pos;
};

void kf_out_init(struct kf_out *o, char *buf, size_t len);
void kf_out_put(struct kf_out *o, const char *s, size_t n);
void kf_out_puts(struct kf_out *o, const char *s);
void kf_out_printf(struct kf_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Every string from the kernel, the traced program or an input file (a
 * path, comm, function or syscall name, the capture's metadata) goes
 * through here before it is shown, so none can drive the terminal.  It is
 * escaped as strace escapes a string, without the quotes: \" \\ \f \n
 * \r \t \v, and every other byte below 0x20 or from 0x7f up in octal
 * ("\33", "\233"; 3 digits when an octal digit follows).  Messages
 * (kf_err, kf_warn, kf_note) escape their control bytes the same way.
 */
void kf_out_escape(struct kf_out *o, const char *s, size_t n);
/* kf_out_escape of the C string s (NULL: "") into the caller's buf
 * (always NUL-terminated, cut to len); returns buf. */
const char *kf_escape(char *buf, size_t len, const char *s);

/* Write all of buf to fd, retrying short writes and EINTR.  Returns 0,
 * or -1 with errno set (EIO for a write of 0).  Async-signal-safe. */
int kf_write_all(int fd, const void *buf, size_t len);

/*
 * Make room for at least `need` elements of `size` bytes in the array *arr
 * of capacity *cap (elements), doubling from 16.  Returns 0, or -1 with
 * errno ENOMEM (overflow or no memory) leaving *arr and *cap as they were.
 * The caller owns *arr and frees it.  KF_GROW takes any integer cap.
 */
int kf_grow(void **arr, size_t *cap, size_t need, size_t size);
#define KF_GROW(arr, cap, need)                                              \
	({                                                                   \
		size_t kf_cap_ = (cap);                                      \
		void *kf_arr_ = (arr);                                       \
		int kf_rc_ = kf_grow(&kf_arr_, &kf_cap_, (need),             \
				     sizeof(*(arr)));                        \
		if (kf_rc_ == 0) {                                           \
			(arr) = kf_arr_;                                     \
			/* a capacity its type cannot hold: refused */       \
			if ((size_t)(__typeof__(cap))kf_cap_ == kf_cap_)     \
				(cap) = kf_cap_;                             \
			else                                                 \
				kf_rc_ = -1, errno = ENOMEM;                 \
		}                                                            \
		kf_rc_;                                                      \
	})

/*
 * Read fd to its end into a new NUL-terminated buffer (*len: the bytes
 * read, without the NUL), retrying EINTR.  max > 0: stop with errno EFBIG
 * once more than max bytes came.  Returns the buffer (the caller frees
 * it), or NULL with errno set; nothing is recorded with kf_err, so the
 * caller words the message.
 */
char *kf_read_fd(int fd, size_t max, size_t *len);
/* kf_read_fd of the file at path (opened read-only, close-on-exec). */
char *kf_read_file(const char *path, size_t max, size_t *len);

/* Levenshtein distance, for "did you mean" lists. */
int kf_edit_distance(const char *a, const char *b);

#endif
