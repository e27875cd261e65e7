// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * decode.c - strace-like headers: openat(AT_FDCWD, "/x", O_RDONLY) = 3
 *
 * A decoder is picked by syscall name and argument name (the names in the
 * kernel's events/syscalls/sys_enter_<name>/format), then by the argument's
 * kind.  Output follows what strace 6.1 prints for the same call wherever
 * kfollow has the same information (no structs, no arrays: pointers).
 *
 * The traced kernel is x86-64 Linux, so the constants are that ABI's,
 * written out here so the output does not depend on the libc kfollow was
 * built with: include/uapi/asm-generic/{fcntl,mman-common,errno-base,
 * errno,signal}.h, arch/x86/include/uapi/asm/{mman,signal}.h,
 * include/uapi/linux/{fcntl,sched,stat,mman}.h, include/linux/errno.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kf_decode.h"

#define STR_MAX 256 /* bytes of a string shown before the "..." */
#define N(t) (sizeof(t) / sizeof((t)[0]))

static void put_hex(struct kf_out *o, uint64_t v)
{
	kf_out_printf(o, "%#llx", (unsigned long long)v);
}

/* A value or flag bit(s) and its name. */
struct xlat {
	uint64_t val;
	const char *name;
};

/*
 * Open flags in the order strace prints them: O_SYNC (__O_SYNC|O_DSYNC)
 * before O_DSYNC and O_TMPFILE (__O_TMPFILE|O_DIRECTORY) before
 * O_DIRECTORY, so the composite wins.  The access mode is printed apart.
 */
static const struct xlat open_flags[] = {
	{ 0100, "O_CREAT" }, { 0200, "O_EXCL" }, { 0400, "O_NOCTTY" },
	{ 01000, "O_TRUNC" }, { 02000, "O_APPEND" }, { 04000, "O_NONBLOCK" },
	{ 04010000, "O_SYNC" }, { 010000, "O_DSYNC" }, { 040000, "O_DIRECT" },
	{ 0100000, "O_LARGEFILE" }, { 0400000, "O_NOFOLLOW" },
	{ 01000000, "O_NOATIME" }, { 02000000, "O_CLOEXEC" },
	{ 010000000, "O_PATH" }, { 020200000, "O_TMPFILE" },
	{ 0200000, "O_DIRECTORY" }, { 020000, "FASYNC" },
};
#define KF_O_CREAT 0100
#define KF_O_TMPFILE_BIT 020000000 /* __O_TMPFILE */

static const char *const open_accmode[] = {
	"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE",
};

/* 0x200 means AT_REMOVEDIR to unlinkat and AT_EACCESS to faccessat2. */
static const struct xlat at_flags[] = {
	{ 0x100, "AT_SYMLINK_NOFOLLOW" }, { 0x400, "AT_SYMLINK_FOLLOW" },
	{ 0x800, "AT_NO_AUTOMOUNT" }, { 0x1000, "AT_EMPTY_PATH" },
	{ 0x8000, "AT_RECURSIVE" },
};

static const struct xlat at_flags_unlink[] = {
	{ 0x100, "AT_SYMLINK_NOFOLLOW" }, { 0x200, "AT_REMOVEDIR" },
	{ 0x400, "AT_SYMLINK_FOLLOW" }, { 0x800, "AT_NO_AUTOMOUNT" },
	{ 0x1000, "AT_EMPTY_PATH" }, { 0x8000, "AT_RECURSIVE" },
};

static const struct xlat at_flags_access[] = {
	{ 0x100, "AT_SYMLINK_NOFOLLOW" }, { 0x200, "AT_EACCESS" },
	{ 0x400, "AT_SYMLINK_FOLLOW" }, { 0x800, "AT_NO_AUTOMOUNT" },
	{ 0x1000, "AT_EMPTY_PATH" }, { 0x8000, "AT_RECURSIVE" },
};

#define KF_AT_STATX_SYNC_TYPE 0x6000
#define KF_AT_STATX_FORCE_SYNC 0x2000
#define KF_AT_STATX_DONT_SYNC 0x4000

/* The composites first, as strace names a full set. */
static const struct xlat statx_mask[] = {
	{ 0xfff, "STATX_ALL" }, { 0x7ff, "STATX_BASIC_STATS" },
	{ 0x1, "STATX_TYPE" }, { 0x2, "STATX_MODE" }, { 0x4, "STATX_NLINK" },
	{ 0x8, "STATX_UID" }, { 0x10, "STATX_GID" }, { 0x20, "STATX_ATIME" },
	{ 0x40, "STATX_MTIME" }, { 0x80, "STATX_CTIME" },
	{ 0x100, "STATX_INO" }, { 0x200, "STATX_SIZE" },
	{ 0x400, "STATX_BLOCKS" }, { 0x800, "STATX_BTIME" },
	{ 0x1000, "STATX_MNT_ID" }, { 0x2000, "STATX_DIOALIGN" },
	{ 0x4000, "STATX_MNT_ID_UNIQUE" }, { 0x8000, "STATX_SUBVOL" },
	{ 0x10000, "STATX_WRITE_ATOMIC" }, { 0x20000, "STATX_DIO_READ_ALIGN" },
};

static const struct xlat access_modes[] = {
	{ 4, "R_OK" }, { 2, "W_OK" }, { 1, "X_OK" },
};

static const struct xlat prot_flags[] = {
	{ 0x1, "PROT_READ" }, { 0x2, "PROT_WRITE" }, { 0x4, "PROT_EXEC" },
	{ 0x8, "PROT_SEM" }, { 0x01000000, "PROT_GROWSDOWN" },
	{ 0x02000000, "PROT_GROWSUP" },
};

/* mmap's sharing type is a 4-bit field (MAP_TYPE), not flags. */
#define KF_MAP_TYPE 0xf
static const struct xlat map_types[] = {
	{ 0, "MAP_FILE" }, { 1, "MAP_SHARED" }, { 2, "MAP_PRIVATE" },
	{ 3, "MAP_SHARED_VALIDATE" }, { 8, "MAP_DROPPABLE" },
};

static const struct xlat map_flags[] = {
	{ 0x10, "MAP_FIXED" }, { 0x20, "MAP_ANONYMOUS" },
	{ 0x40, "MAP_32BIT" }, { 0x100, "MAP_GROWSDOWN" },
	{ 0x800, "MAP_DENYWRITE" }, { 0x1000, "MAP_EXECUTABLE" },
	{ 0x2000, "MAP_LOCKED" }, { 0x4000, "MAP_NORESERVE" },
	{ 0x8000, "MAP_POPULATE" }, { 0x10000, "MAP_NONBLOCK" },
	{ 0x20000, "MAP_STACK" }, { 0x40000, "MAP_HUGETLB" },
	{ 0x80000, "MAP_SYNC" }, { 0x100000, "MAP_FIXED_NOREPLACE" },
};
/* Huge page size log2 in bits 26..31 (MAP_HUGE_SHIFT, MAP_HUGE_MASK). */
#define KF_MAP_HUGE_SHIFT 26
#define KF_MAP_HUGE_MASK 0x3f

static const struct xlat mremap_flags[] = {
	{ 1, "MREMAP_MAYMOVE" }, { 2, "MREMAP_FIXED" },
	{ 4, "MREMAP_DONTUNMAP" },
};

static const struct xlat madvise_advice[] = {
	{ 0, "MADV_NORMAL" }, { 1, "MADV_RANDOM" },
	{ 2, "MADV_SEQUENTIAL" }, { 3, "MADV_WILLNEED" },
	{ 4, "MADV_DONTNEED" }, { 8, "MADV_FREE" }, { 9, "MADV_REMOVE" },
	{ 10, "MADV_DONTFORK" }, { 11, "MADV_DOFORK" },
	{ 12, "MADV_MERGEABLE" }, { 13, "MADV_UNMERGEABLE" },
	{ 14, "MADV_HUGEPAGE" }, { 15, "MADV_NOHUGEPAGE" },
	{ 16, "MADV_DONTDUMP" }, { 17, "MADV_DODUMP" },
	{ 18, "MADV_WIPEONFORK" }, { 19, "MADV_KEEPONFORK" },
	{ 20, "MADV_COLD" }, { 21, "MADV_PAGEOUT" },
	{ 22, "MADV_POPULATE_READ" }, { 23, "MADV_POPULATE_WRITE" },
	{ 24, "MADV_DONTNEED_LOCKED" }, { 25, "MADV_COLLAPSE" },
	{ 100, "MADV_HWPOISON" }, { 101, "MADV_SOFT_OFFLINE" },
};

static const struct xlat seek_whence[] = {
	{ 0, "SEEK_SET" }, { 1, "SEEK_CUR" }, { 2, "SEEK_END" },
	{ 3, "SEEK_DATA" }, { 4, "SEEK_HOLE" },
};

static const struct xlat fcntl_cmds[] = {
	{ 0, "F_DUPFD" }, { 1, "F_GETFD" }, { 2, "F_SETFD" },
	{ 3, "F_GETFL" }, { 4, "F_SETFL" }, { 5, "F_GETLK" },
	{ 6, "F_SETLK" }, { 7, "F_SETLKW" }, { 8, "F_SETOWN" },
	{ 9, "F_GETOWN" }, { 10, "F_SETSIG" }, { 11, "F_GETSIG" },
	{ 15, "F_SETOWN_EX" }, { 16, "F_GETOWN_EX" },
	{ 36, "F_OFD_GETLK" }, { 37, "F_OFD_SETLK" }, { 38, "F_OFD_SETLKW" },
	{ 1024, "F_SETLEASE" }, { 1025, "F_GETLEASE" }, { 1026, "F_NOTIFY" },
	{ 1030, "F_DUPFD_CLOEXEC" }, { 1031, "F_SETPIPE_SZ" },
	{ 1032, "F_GETPIPE_SZ" }, { 1033, "F_ADD_SEALS" },
	{ 1034, "F_GET_SEALS" },
};

static const struct xlat fd_flags[] = {
	{ 1, "FD_CLOEXEC" },
};

static const struct xlat lease_types[] = {
	{ 0, "F_RDLCK" }, { 1, "F_WRLCK" }, { 2, "F_UNLCK" },
};

static const struct xlat seals[] = {
	{ 0x1, "F_SEAL_SEAL" }, { 0x2, "F_SEAL_SHRINK" },
	{ 0x4, "F_SEAL_GROW" }, { 0x8, "F_SEAL_WRITE" },
	{ 0x10, "F_SEAL_FUTURE_WRITE" }, { 0x20, "F_SEAL_EXEC" },
};

/*
 * Clone flags; CLONE_NEWTIME shares the low byte that clone() uses for
 * the exit signal, so clone() masks that byte off first.
 */
#define KF_CSIGNAL 0xff
static const struct xlat clone_flags[] = {
	{ 0x80, "CLONE_NEWTIME" },
	{ 0x100, "CLONE_VM" }, { 0x200, "CLONE_FS" }, { 0x400, "CLONE_FILES" },
	{ 0x800, "CLONE_SIGHAND" }, { 0x1000, "CLONE_PIDFD" },
	{ 0x2000, "CLONE_PTRACE" }, { 0x4000, "CLONE_VFORK" },
	{ 0x8000, "CLONE_PARENT" }, { 0x10000, "CLONE_THREAD" },
	{ 0x20000, "CLONE_NEWNS" }, { 0x40000, "CLONE_SYSVSEM" },
	{ 0x80000, "CLONE_SETTLS" }, { 0x100000, "CLONE_PARENT_SETTID" },
	{ 0x200000, "CLONE_CHILD_CLEARTID" }, { 0x400000, "CLONE_DETACHED" },
	{ 0x800000, "CLONE_UNTRACED" }, { 0x1000000, "CLONE_CHILD_SETTID" },
	{ 0x2000000, "CLONE_NEWCGROUP" }, { 0x4000000, "CLONE_NEWUTS" },
	{ 0x8000000, "CLONE_NEWIPC" }, { 0x10000000, "CLONE_NEWUSER" },
	{ 0x20000000, "CLONE_NEWPID" }, { 0x40000000, "CLONE_NEWNET" },
	{ 0x80000000, "CLONE_IO" },
};

static const struct xlat wait_options[] = {
	{ 0x1, "WNOHANG" }, { 0x2, "WUNTRACED" }, { 0x4, "WEXITED" },
	{ 0x8, "WCONTINUED" }, { 0x1000000, "WNOWAIT" },
	{ 0x20000000, "__WNOTHREAD" }, { 0x40000000, "__WALL" },
	{ 0x80000000, "__WCLONE" },
};

static const struct xlat sigprocmask_how[] = {
	{ 0, "SIG_BLOCK" }, { 1, "SIG_UNBLOCK" }, { 2, "SIG_SETMASK" },
};

/* File types in a mode (S_IFMT). */
#define KF_S_IFMT 0170000
static const struct xlat file_types[] = {
	{ 0140000, "S_IFSOCK" }, { 0120000, "S_IFLNK" }, { 0100000, "S_IFREG" },
	{ 060000, "S_IFBLK" }, { 040000, "S_IFDIR" }, { 020000, "S_IFCHR" },
	{ 010000, "S_IFIFO" },
};

/* x86-64 signal numbers; 32..64 are real-time, named as strace does. */
static const char *const signals[32] = {
	[1] = "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
	"SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2",
	"SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
	"SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
	"SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR",
	"SIGSYS",
};

/*
 * errno names and texts.  1..133: the uapi headers' names, glibc's
 * strerror() texts (what strace prints), fixed here so they do not change
 * with the libc.  512..: kernel-internal codes user space never sees but a
 * tracer does on the way out of the kernel; the ERESTART* texts are
 * strace's, the others the comments in include/linux/errno.h.
 */
static const struct {
	int nr;
	const char *name, *text;
} errnos[] = {
	{ 1, "EPERM", "Operation not permitted" },
	{ 2, "ENOENT", "No such file or directory" },
	{ 3, "ESRCH", "No such process" },
	{ 4, "EINTR", "Interrupted system call" },
	{ 5, "EIO", "Input/output error" },
	{ 6, "ENXIO", "No such device or address" },
	{ 7, "E2BIG", "Argument list too long" },
	{ 8, "ENOEXEC", "Exec format error" },
	{ 9, "EBADF", "Bad file descriptor" },
	{ 10, "ECHILD", "No child processes" },
	{ 11, "EAGAIN", "Resource temporarily unavailable" },
	{ 12, "ENOMEM", "Cannot allocate memory" },
	{ 13, "EACCES", "Permission denied" },
	{ 14, "EFAULT", "Bad address" },
	{ 15, "ENOTBLK", "Block device required" },
	{ 16, "EBUSY", "Device or resource busy" },
	{ 17, "EEXIST", "File exists" },
	{ 18, "EXDEV", "Invalid cross-device link" },
	{ 19, "ENODEV", "No such device" },
	{ 20, "ENOTDIR", "Not a directory" },
	{ 21, "EISDIR", "Is a directory" },
	{ 22, "EINVAL", "Invalid argument" },
	{ 23, "ENFILE", "Too many open files in system" },
	{ 24, "EMFILE", "Too many open files" },
	{ 25, "ENOTTY", "Inappropriate ioctl for device" },
	{ 26, "ETXTBSY", "Text file busy" },
	{ 27, "EFBIG", "File too large" },
	{ 28, "ENOSPC", "No space left on device" },
	{ 29, "ESPIPE", "Illegal seek" },
	{ 30, "EROFS", "Read-only file system" },
	{ 31, "EMLINK", "Too many links" },
	{ 32, "EPIPE", "Broken pipe" },
	{ 33, "EDOM", "Numerical argument out of domain" },
	{ 34, "ERANGE", "Numerical result out of range" },
	{ 35, "EDEADLK", "Resource deadlock avoided" },
	{ 36, "ENAMETOOLONG", "File name too long" },
	{ 37, "ENOLCK", "No locks available" },
	{ 38, "ENOSYS", "Function not implemented" },
	{ 39, "ENOTEMPTY", "Directory not empty" },
	{ 40, "ELOOP", "Too many levels of symbolic links" },
	/* 41 is EWOULDBLOCK's old slot: unused, as is 58 (EDEADLOCK) */
	{ 42, "ENOMSG", "No message of desired type" },
	{ 43, "EIDRM", "Identifier removed" },
	{ 44, "ECHRNG", "Channel number out of range" },
	{ 45, "EL2NSYNC", "Level 2 not synchronized" },
	{ 46, "EL3HLT", "Level 3 halted" },
	{ 47, "EL3RST", "Level 3 reset" },
	{ 48, "ELNRNG", "Link number out of range" },
	{ 49, "EUNATCH", "Protocol driver not attached" },
	{ 50, "ENOCSI", "No CSI structure available" },
	{ 51, "EL2HLT", "Level 2 halted" },
	{ 52, "EBADE", "Invalid exchange" },
	{ 53, "EBADR", "Invalid request descriptor" },
	{ 54, "EXFULL", "Exchange full" },
	{ 55, "ENOANO", "No anode" },
	{ 56, "EBADRQC", "Invalid request code" },
	{ 57, "EBADSLT", "Invalid slot" },
	{ 59, "EBFONT", "Bad font file format" },
	{ 60, "ENOSTR", "Device not a stream" },
	{ 61, "ENODATA", "No data available" },
	{ 62, "ETIME", "Timer expired" },
	{ 63, "ENOSR", "Out of streams resources" },
	{ 64, "ENONET", "Machine is not on the network" },
	{ 65, "ENOPKG", "Package not installed" },
	{ 66, "EREMOTE", "Object is remote" },
	{ 67, "ENOLINK", "Link has been severed" },
	{ 68, "EADV", "Advertise error" },
	{ 69, "ESRMNT", "Srmount error" },
	{ 70, "ECOMM", "Communication error on send" },
	{ 71, "EPROTO", "Protocol error" },
	{ 72, "EMULTIHOP", "Multihop attempted" },
	{ 73, "EDOTDOT", "RFS specific error" },
	{ 74, "EBADMSG", "Bad message" },
	{ 75, "EOVERFLOW", "Value too large for defined data type" },
	{ 76, "ENOTUNIQ", "Name not unique on network" },
	{ 77, "EBADFD", "File descriptor in bad state" },
	{ 78, "EREMCHG", "Remote address changed" },
	{ 79, "ELIBACC", "Can not access a needed shared library" },
	{ 80, "ELIBBAD", "Accessing a corrupted shared library" },
	{ 81, "ELIBSCN", ".lib section in a.out corrupted" },
	{ 82, "ELIBMAX", "Attempting to link in too many shared libraries" },
	{ 83, "ELIBEXEC", "Cannot exec a shared library directly" },
	{ 84, "EILSEQ", "Invalid or incomplete multibyte or wide character" },
	{ 85, "ERESTART", "Interrupted system call should be restarted" },
	{ 86, "ESTRPIPE", "Streams pipe error" },
	{ 87, "EUSERS", "Too many users" },
	{ 88, "ENOTSOCK", "Socket operation on non-socket" },
	{ 89, "EDESTADDRREQ", "Destination address required" },
	{ 90, "EMSGSIZE", "Message too long" },
	{ 91, "EPROTOTYPE", "Protocol wrong type for socket" },
	{ 92, "ENOPROTOOPT", "Protocol not available" },
	{ 93, "EPROTONOSUPPORT", "Protocol not supported" },
	{ 94, "ESOCKTNOSUPPORT", "Socket type not supported" },
	{ 95, "EOPNOTSUPP", "Operation not supported" },
	{ 96, "EPFNOSUPPORT", "Protocol family not supported" },
	{ 97, "EAFNOSUPPORT", "Address family not supported by protocol" },
	{ 98, "EADDRINUSE", "Address already in use" },
	{ 99, "EADDRNOTAVAIL", "Cannot assign requested address" },
	{ 100, "ENETDOWN", "Network is down" },
	{ 101, "ENETUNREACH", "Network is unreachable" },
	{ 102, "ENETRESET", "Network dropped connection on reset" },
	{ 103, "ECONNABORTED", "Software caused connection abort" },
	{ 104, "ECONNRESET", "Connection reset by peer" },
	{ 105, "ENOBUFS", "No buffer space available" },
	{ 106, "EISCONN", "Transport endpoint is already connected" },
	{ 107, "ENOTCONN", "Transport endpoint is not connected" },
	{ 108, "ESHUTDOWN", "Cannot send after transport endpoint shutdown" },
	{ 109, "ETOOMANYREFS", "Too many references: cannot splice" },
	{ 110, "ETIMEDOUT", "Connection timed out" },
	{ 111, "ECONNREFUSED", "Connection refused" },
	{ 112, "EHOSTDOWN", "Host is down" },
	{ 113, "EHOSTUNREACH", "No route to host" },
	{ 114, "EALREADY", "Operation already in progress" },
	{ 115, "EINPROGRESS", "Operation now in progress" },
	{ 116, "ESTALE", "Stale file handle" },
	{ 117, "EUCLEAN", "Structure needs cleaning" },
	{ 118, "ENOTNAM", "Not a XENIX named type file" },
	{ 119, "ENAVAIL", "No XENIX semaphores available" },
	{ 120, "EISNAM", "Is a named type file" },
	{ 121, "EREMOTEIO", "Remote I/O error" },
	{ 122, "EDQUOT", "Disk quota exceeded" },
	{ 123, "ENOMEDIUM", "No medium found" },
	{ 124, "EMEDIUMTYPE", "Wrong medium type" },
	{ 125, "ECANCELED", "Operation canceled" },
	{ 126, "ENOKEY", "Required key not available" },
	{ 127, "EKEYEXPIRED", "Key has expired" },
	{ 128, "EKEYREVOKED", "Key has been revoked" },
	{ 129, "EKEYREJECTED", "Key was rejected by service" },
	{ 130, "EOWNERDEAD", "Owner died" },
	{ 131, "ENOTRECOVERABLE", "State not recoverable" },
	{ 132, "ERFKILL", "Operation not possible due to RF-kill" },
	{ 133, "EHWPOISON", "Memory page has hardware error" },
	{ 512, "ERESTARTSYS", "To be restarted if SA_RESTART is set" },
	{ 513, "ERESTARTNOINTR", "To be restarted" },
	{ 514, "ERESTARTNOHAND", "To be restarted if no handler" },
	{ 515, "ENOIOCTLCMD", "No ioctl command" },
	{ 516, "ERESTART_RESTARTBLOCK", "Interrupted by signal" },
	{ 517, "EPROBE_DEFER", "Driver requests probe retry" },
	{ 518, "EOPENSTALE", "Open found a stale dentry" },
	{ 519, "ENOPARAM", "Parameter not supported" },
	{ 521, "EBADHANDLE", "Illegal NFS file handle" },
	{ 522, "ENOTSYNC", "Update synchronization mismatch" },
	{ 523, "EBADCOOKIE", "Cookie is stale" },
	{ 524, "ENOTSUPP", "Operation is not supported" },
	{ 525, "ETOOSMALL", "Buffer or request is too small" },
	{ 526, "ESERVERFAULT", "An untranslatable error occurred" },
	{ 527, "EBADTYPE", "Type not supported by server" },
	{ 528, "EJUKEBOX",
	  "Request initiated, but will not complete before timeout" },
	{ 529, "EIOCBQUEUED", "iocb queued, will get completion event" },
	{ 530, "ERECALLCONFLICT", "Conflict with recalled state" },
	{ 531, "ENOGRACE", "NFS file lock reclaim refused" },
};

/* The largest errno a syscall returns (include/linux/err.h MAX_ERRNO). */
#define KF_MAX_ERRNO 4095

static int errno_index(int err)
{
	for (size_t i = 0; i < N(errnos); i++)
		if (errnos[i].nr == err)
			return (int)i;
	return -1;
}

const char *kf_errno_name(int err)
{
	int i = errno_index(err);

	return i < 0 ? NULL : errnos[i].name;
}

/* --- flags and values ---------------------------------------------------- */

static int bit_matches(uint64_t v, const struct xlat *x)
{
	return x->val && (v & x->val) == x->val;
}

/*
 * Write the names of the bits of *v that t names, '|'-separated after n
 * items already written, and clear them from *v.  Returns the items
 * written in all.
 */
static int put_known(struct kf_out *o, uint64_t *v, const struct xlat *t,
		     size_t nt, int n)
{
	for (size_t i = 0; i < nt && *v; i++) {
		if (!bit_matches(*v, &t[i]))
			continue;
		if (n++)
			kf_out_put(o, "|", 1);
		kf_out_puts(o, t[i].name);
		*v &= ~t[i].val;
	}
	return n;
}

/* Bits nobody named, as one hex number after n items. */
static int put_rest(struct kf_out *o, uint64_t v, int n)
{
	if (!v)
		return n;
	if (n++)
		kf_out_put(o, "|", 1);
	put_hex(o, v);
	return n;
}

/* A value no name fits: "0x30 / * PROT_??? * /" */
static void put_unknown(struct kf_out *o, uint64_t v, const char *what)
{
	put_hex(o, v);
	kf_out_puts(o, " /* ");
	kf_out_puts(o, what);
	kf_out_puts(o, " */");
}

/*
 * A flags value as strace prints it: "0", "A|B|0x40", or
 * "0x40 / * PROT_??? * /" when no bit has a name here.
 */
static void put_flags(struct kf_out *o, uint64_t v, const struct xlat *t,
		      size_t nt, const char *unknown)
{
	size_t i;

	if (!v) {
		kf_out_put(o, "0", 1);
		return;
	}
	for (i = 0; i < nt && !bit_matches(v, &t[i]); i++)
		;
	if (i == nt) {
		put_unknown(o, v, unknown);
		return;
	}
	put_rest(o, v, put_known(o, &v, t, nt, 0));
}

/* One of a set of values, or "0x5 / * SEEK_??? * /". */
static void put_value(struct kf_out *o, uint64_t v, const struct xlat *t,
		      size_t nt, const char *unknown)
{
	for (size_t i = 0; i < nt; i++) {
		if (t[i].val == v) {
			kf_out_puts(o, t[i].name);
			return;
		}
	}
	put_unknown(o, v, unknown);
}

/* --- arguments ----------------------------------------------------------- */

/* What a decoder knows about the argument it prints. */
struct arg {
	const struct kf_model *m;
	const struct kf_call *c;
	const struct kf_sysdesc *sd;
	const char *sys;  /* syscall name */
	const char *name; /* argument name */
	uint8_t kind;     /* enum kf_arg_kind */
	uint64_t v;       /* the register as recorded */
};

/*
 * The register holds a C int: its low 32 bits, sign-extended.  The event
 * records the whole register, which may or may not be sign-extended.
 */
static int32_t as_int(uint64_t v)
{
	return (int32_t)(uint32_t)v;
}

/* Is word one of the space-separated words in list? */
static int word_in(const char *word, const char *list)
{
	size_t n = strlen(word);

	while (*list) {
		const char *e = strchr(list, ' ');
		size_t k = e ? (size_t)(e - list) : strlen(list);

		if (k == n && !memcmp(list, word, n))
			return 1;
		if (!e)
			break;
		list = e + 1;
	}
	return 0;
}

/* Another argument of the same call, by name. */
static int arg_value(const struct arg *a, const char *name, uint64_t *v)
{
	int n = a->sd->nargs < KF_MAX_ARGS ? a->sd->nargs : KF_MAX_ARGS;

	for (int i = 0; i < n; i++) {
		if (!strcmp(kf_strtab_get(&a->m->strs, a->sd->argname[i]),
			    name)) {
			*v = a->c->args[i];
			return 1;
		}
	}
	return 0;
}

static void dec_ptr(struct kf_out *o, const struct arg *a)
{
	if (a->v)
		put_hex(o, a->v);
	else
		kf_out_puts(o, "NULL");
}

static void dec_hex(struct kf_out *o, const struct arg *a)
{
	put_hex(o, a->v);
}

static void dec_fd(struct kf_out *o, const struct arg *a)
{
	kf_out_printf(o, "%d", as_int(a->v));
}

/* A directory fd: AT_FDCWD is -100 (include/uapi/linux/fcntl.h). */
static void dec_dirfd(struct kf_out *o, const struct arg *a)
{
	if (as_int(a->v) == -100)
		kf_out_puts(o, "AT_FDCWD");
	else
		dec_fd(o, a);
}

static void put_open_flags(struct kf_out *o, uint64_t v)
{
	v &= 0xffffffff;
	kf_out_puts(o, open_accmode[v & 3]);
	v &= ~(uint64_t)3;
	put_rest(o, v, put_known(o, &v, open_flags, N(open_flags), 1));
}

static void dec_open_flags(struct kf_out *o, const struct arg *a)
{
	put_open_flags(o, a->v);
}

/* dup3, pipe2: O_CLOEXEC and friends without an access mode */
static void dec_fd_flags(struct kf_out *o, const struct arg *a)
{
	put_flags(o, a->v & 0xffffffff, open_flags, N(open_flags), "O_???");
}

/* Modes in octal with at least 3 digits, as strace: 000, 0644, 0100644. */
static void put_mode(struct kf_out *o, uint64_t v)
{
	kf_out_printf(o, "%#03llo", (unsigned long long)(v & 0xffffffff));
}

static void dec_mode(struct kf_out *o, const struct arg *a)
{
	put_mode(o, a->v);
}

static void dec_mknod_mode(struct kf_out *o, const struct arg *a)
{
	uint64_t v = a->v & 0xffffffff, type = v & KF_S_IFMT;

	for (size_t i = 0; type && i < N(file_types); i++) {
		if (file_types[i].val == type) {
			kf_out_puts(o, file_types[i].name);
			kf_out_put(o, "|", 1);
			put_mode(o, v & ~(uint64_t)KF_S_IFMT);
			return;
		}
	}
	put_mode(o, v);
}

/* mknod's dev: new_decode_dev() of include/linux/kdev_t.h */
static void dec_mknod_dev(struct kf_out *o, const struct arg *a)
{
	uint64_t mode, dev = a->v & 0xffffffff;
	unsigned int major, minor;

	if (!arg_value(a, "mode", &mode) ||
	    ((mode & KF_S_IFMT) != 020000 && (mode & KF_S_IFMT) != 060000)) {
		kf_out_printf(o, "%llu", (unsigned long long)dev);
		return;
	}
	major = (unsigned int)((dev & 0xfff00) >> 8);
	minor = (unsigned int)((dev & 0xff) | ((dev >> 12) & 0xfff00));
	kf_out_printf(o, "makedev(%#x, %#x)", major, minor);
}

static void dec_at_flags(struct kf_out *o, const struct arg *a)
{
	put_flags(o, a->v & 0xffffffff, at_flags, N(at_flags), "AT_???");
}

static void dec_at_unlink(struct kf_out *o, const struct arg *a)
{
	put_flags(o, a->v & 0xffffffff, at_flags_unlink, N(at_flags_unlink),
		  "AT_???");
}

static void dec_at_access(struct kf_out *o, const struct arg *a)
{
	put_flags(o, a->v & 0xffffffff, at_flags_access, N(at_flags_access),
		  "AT_???");
}

/* statx: the sync type always comes first, AT_STATX_SYNC_AS_STAT is 0 */
static void dec_statx_flags(struct kf_out *o, const struct arg *a)
{
	uint64_t v = a->v & 0xffffffff, sync = v & KF_AT_STATX_SYNC_TYPE;

	if (!sync)
		kf_out_puts(o, "AT_STATX_SYNC_AS_STAT");
	else if (sync == KF_AT_STATX_FORCE_SYNC)
		kf_out_puts(o, "AT_STATX_FORCE_SYNC");
	else if (sync == KF_AT_STATX_DONT_SYNC)
		kf_out_puts(o, "AT_STATX_DONT_SYNC");
	else
		kf_out_puts(o, "AT_STATX_FORCE_SYNC|AT_STATX_DONT_SYNC");
	v &= ~(uint64_t)KF_AT_STATX_SYNC_TYPE;
	put_rest(o, v, put_known(o, &v, at_flags, N(at_flags), 1));
}

static void dec_statx_mask(struct kf_out *o, const struct arg *a)
{
	put_flags(o, a->v & 0xffffffff, statx_mask, N(statx_mask),
		  "STATX_???");
}

static void dec_access(struct kf_out *o, const struct arg *a)
{
	uint64_t v = a->v & 0xffffffff;

	if (!v)
		kf_out_puts(o, "F_OK");
	else
		put_flags(o, v, access_modes, N(access_modes), "?_OK");
}

static void dec_prot(struct kf_out *o, const struct arg *a)
{
	if (!a->v)
		kf_out_puts(o, "PROT_NONE");
	else
		put_flags(o, a->v, prot_flags, N(prot_flags), "PROT_???");
}

static void dec_map_flags(struct kf_out *o, const struct arg *a)
{
	uint64_t v = a->v, type = v & KF_MAP_TYPE, huge;
	size_t i;
	int n;

	for (i = 0; i < N(map_types) && map_types[i].val != type; i++)
		;
	if (i == N(map_types) && v == type) {
		/* only an unknown type: "0x4 / * MAP_??? * /" as strace */
		put_value(o, v, map_types, N(map_types), "MAP_???");
		return;
	}
	if (i < N(map_types))
		kf_out_puts(o, map_types[i].name);
	else
		put_hex(o, type);
	v &= ~(uint64_t)KF_MAP_TYPE;
	n = put_known(o, &v, map_flags, N(map_flags), 1);
	huge = (v >> KF_MAP_HUGE_SHIFT) & KF_MAP_HUGE_MASK;
	if (huge) {
		kf_out_printf(o, "|%llu<<MAP_HUGE_SHIFT", (unsigned long long)huge);
		v &= ~((uint64_t)KF_MAP_HUGE_MASK << KF_MAP_HUGE_SHIFT);
	}
	put_rest(o, v, n);
}

static void dec_mremap_flags(struct kf_out *o, const struct arg *a)
{
	put_flags(o, a->v, mremap_flags, N(mremap_flags), "MREMAP_???");
}

static void dec_madvise(struct kf_out *o, const struct arg *a)
{
	put_value(o, a->v & 0xffffffff, madvise_advice, N(madvise_advice),
		  "MADV_???");
}

static void dec_whence(struct kf_out *o, const struct arg *a)
{
	put_value(o, a->v & 0xffffffff, seek_whence, N(seek_whence),
		  "SEEK_???");
}

static void dec_fcntl_cmd(struct kf_out *o, const struct arg *a)
{
	put_value(o, a->v & 0xffffffff, fcntl_cmds, N(fcntl_cmds), "F_???");
}

static void put_signal(struct kf_out *o, int32_t s)
{
	if (s > 0 && s < 32)
		kf_out_puts(o, signals[s]);
	else if (s == 32)
		kf_out_puts(o, "SIGRTMIN");
	else if (s > 32 && s <= 64)
		kf_out_printf(o, "SIGRT_%d", s - 32);
	else
		kf_out_printf(o, "%d", s);
}

static void dec_signal(struct kf_out *o, const struct arg *a)
{
	put_signal(o, as_int(a->v));
}

/* fcntl's third argument means what the command says. */
static void dec_fcntl_arg(struct kf_out *o, const struct arg *a)
{
	uint64_t cmd;

	if (!arg_value(a, "cmd", &cmd)) {
		put_hex(o, a->v);
		return;
	}
	switch (cmd & 0xffffffff) {
	case 0: case 8: case 1030: case 1031: /* DUPFD, SETOWN, pipe size */
		kf_out_printf(o, "%d", as_int(a->v));
		break;
	case 2: /* F_SETFD */
		put_flags(o, a->v & 0xffffffff, fd_flags, N(fd_flags),
			  "FD_???");
		break;
	case 4: /* F_SETFL */
		put_open_flags(o, a->v);
		break;
	case 10: /* F_SETSIG */
		put_signal(o, as_int(a->v));
		break;
	case 5: case 6: case 7: case 15: case 16: case 36: case 37: case 38:
		dec_ptr(o, a); /* struct flock, f_owner_ex */
		break;
	case 1024: /* F_SETLEASE */
		put_value(o, a->v & 0xffffffff, lease_types, N(lease_types),
			  "F_???");
		break;
	case 1033: /* F_ADD_SEALS */
		put_flags(o, a->v & 0xffffffff, seals, N(seals), "F_SEAL_???");
		break;
	default: /* a command kfollow does not know */
		put_hex(o, a->v);
	}
}

/* clone: flags, then the exit signal from the low byte (CSIGNAL) */
static void dec_clone_flags(struct kf_out *o, const struct arg *a)
{
	uint64_t v = a->v & ~(uint64_t)KF_CSIGNAL;
	int32_t sig = (int32_t)(a->v & KF_CSIGNAL);
	int n;

	if (!a->v) {
		kf_out_put(o, "0", 1);
		return;
	}
	n = put_rest(o, v, put_known(o, &v, clone_flags, N(clone_flags), 0));
	if (sig) {
		if (n)
			kf_out_put(o, "|", 1);
		put_signal(o, sig);
	}
}

/* unshare, setns: namespaces and other clone flags, no signal byte */
static void dec_ns_flags(struct kf_out *o, const struct arg *a)
{
	put_flags(o, a->v, clone_flags, N(clone_flags), "CLONE_???");
}

static void dec_wait_options(struct kf_out *o, const struct arg *a)
{
	put_flags(o, a->v & 0xffffffff, wait_options, N(wait_options),
		  "W???");
}

static void dec_sigprocmask_how(struct kf_out *o, const struct arg *a)
{
	put_value(o, a->v & 0xffffffff, sigprocmask_how, N(sigprocmask_how),
		  "SIG_???");
}

/*
 * Decoders by syscall and argument name, first match wins.  Names are the
 * kernel's (SYSCALL_DEFINE parameter names), as the format files show them.
 */
static const struct rule {
	const char *sys;  /* syscall names, space-separated; NULL: any */
	const char *args; /* argument names, space-separated */
	void (*put)(struct kf_out *o, const struct arg *a);
} rules[] = {
	/* directory fds; execveat calls its dirfd "fd" */
	{ NULL, "dfd olddfd newdfd from_dfd to_dfd mountdirfd", dec_dirfd },
	{ "execveat", "fd", dec_dirfd },
	/* plain fds print -100 as strace does, not AT_FDCWD */
	{ NULL, "fd oldfd newfd epfd pidfd fd_in fd_out in_fd out_fd fdin "
		"fdout", dec_fd },
	{ "open openat mq_open", "flags oflag", dec_open_flags },
	{ "dup3 pipe2", "flags", dec_fd_flags },
	{ "open openat creat mkdir mkdirat chmod fchmod fchmodat fchmodat2 "
	  "mq_open", "mode", dec_mode },
	{ "mknod mknodat", "mode", dec_mknod_mode },
	{ "mknod mknodat", "dev", dec_mknod_dev },
	{ "unlinkat", "flag", dec_at_unlink },
	{ "faccessat2", "flags", dec_at_access },
	{ "statx", "flags", dec_statx_flags },
	{ "statx", "mask", dec_statx_mask },
	{ "newfstatat fstatat64 fchownat linkat execveat utimensat "
	  "name_to_handle_at fchmodat2", "flag flags", dec_at_flags },
	{ "access faccessat faccessat2", "mode", dec_access },
	{ "mmap mprotect pkey_mprotect", "prot", dec_prot },
	{ "mmap", "flags", dec_map_flags },
	{ "mmap", "off pgoff", dec_hex },
	{ "mremap", "flags", dec_mremap_flags },
	{ "madvise", "behavior", dec_madvise },
	/* addresses declared unsigned long */
	{ NULL, "addr start brk new_addr", dec_ptr },
	{ "clone", "newsp tls", dec_ptr },
	{ "lseek llseek", "whence", dec_whence },
	{ "fcntl", "cmd", dec_fcntl_cmd },
	{ "fcntl", "arg", dec_fcntl_arg },
	{ "ioctl", "cmd arg", dec_hex },
	/* kill, tkill, tgkill, rt_sigaction, rt_sigqueueinfo, ... */
	{ NULL, "sig", dec_signal },
	{ "clone", "clone_flags", dec_clone_flags },
	{ "unshare", "unshare_flags", dec_ns_flags },
	{ "setns", "flags nstype", dec_ns_flags },
	{ "wait4", "options", dec_wait_options },
	{ "rt_sigprocmask", "how", dec_sigprocmask_how },
};

/* int-kind arguments that are 64-bit (loff_t, off_t, long): no narrowing */
static const char wide_ints[] = "offset off pos len nbytes length";

static int is_flags_name(const char *an)
{
	size_t n = strlen(an);

	return !strcmp(an, "flags") || !strcmp(an, "flag") ||
	       (n > 6 && !strcmp(an + n - 6, "_flags"));
}

/* A C string, escaped as strace does (kf_out_escape), capped at STR_MAX
 * bytes, with "..." after the closing quote when cut. */
static void put_string(struct kf_out *o, const struct kf_model *m, uint32_t id)
{
	const char *s = kf_strtab_get(&m->strs, id);
	size_t n = id < m->strs.count ? m->strs.len[id] : strlen(s);
	size_t shown = n < STR_MAX ? n : STR_MAX;

	kf_out_put(o, "\"", 1);
	kf_out_escape(o, s, shown);
	kf_out_put(o, "\"", 1);
	if (n > shown)
		kf_out_puts(o, "...");
}

/* A list argument as strace shows argv: ["sh", "-c", "true"], each
 * element cut as a string is, "..." where the probe stopped reading. */
static void put_list(struct kf_out *o, const struct kf_model *m, uint32_t id)
{
	const char *s = kf_strtab_get(&m->strs, id);
	size_t n = id < m->strs.count ? m->strs.len[id] : strlen(s);
	int more = n && s[n - 1] == KF_LIST_MORE;
	const char *end = s + n - more, *p = s;

	kf_out_put(o, "[", 1);
	while (p < end) {
		const char *q = memchr(p, KF_LIST_SEP, (size_t)(end - p));
		size_t len = q ? (size_t)(q - p) : (size_t)(end - p);
		size_t shown = len < STR_MAX ? len : STR_MAX;

		if (p != s)
			kf_out_puts(o, ", ");
		kf_out_put(o, "\"", 1);
		kf_out_escape(o, p, shown);
		kf_out_put(o, "\"", 1);
		if (len > shown)
			kf_out_puts(o, "...");
		if (!q)
			break;
		p = q + 1;
	}
	if (more)
		kf_out_puts(o, n > 1 ? ", ..." : "...");
	kf_out_put(o, "]", 1);
}

/* The fds a pipe2 or socketpair wrote, as strace shows them: [3, 4]
 * (from a capture file: anything but digits and '-' shows as '?'). */
static void put_fdpair(struct kf_out *o, const struct kf_model *m,
		       uint32_t id)
{
	const char *s = kf_strtab_get(&m->strs, id);
	size_t n = id < m->strs.count ? m->strs.len[id] : strlen(s), i;

	kf_out_put(o, "[", 1);
	for (i = 0; i < n && i < 32; i++) {
		if (s[i] == KF_LIST_SEP)
			kf_out_puts(o, ", ");
		else if ((s[i] >= '0' && s[i] <= '9') || s[i] == '-')
			kf_out_put(o, &s[i], 1);
		else
			kf_out_put(o, "?", 1);
	}
	kf_out_put(o, "]", 1);
}

static void put_arg(struct kf_out *o, const struct kf_model *m,
		    const struct kf_call *c, const struct kf_sysdesc *sd, int i)
{
	struct arg a = {
		.m = m, .c = c, .sd = sd,
		.sys = kf_strtab_get(&m->strs, sd->name),
		.name = kf_strtab_get(&m->strs, sd->argname[i]),
		.kind = sd->argkind[i],
		.v = c->args[i],
	};

	if (c->argstr[i] != KF_NONE && (a.kind == KF_ARG_INT ||
					 a.kind == KF_ARG_UINT)) {
		/* an fd and the file it names, as strace -y shows it */
		const char *s = kf_strtab_get(&m->strs, c->argstr[i]);

		kf_out_printf(o, "%d<", as_int(a.v));
		kf_out_escape(o, s, strlen(s));
		kf_out_put(o, ">", 1);
		return;
	}
	if (c->argstr[i] != KF_NONE && a.kind == KF_ARG_PTR &&
	    (!strcmp(a.name, "fildes") || !strcmp(a.name, "usockvec"))) {
		put_fdpair(o, m, c->argstr[i]);
		return;
	}
	if (c->argstr[i] != KF_NONE && a.kind != KF_ARG_STR &&
	    (!strcmp(a.name, "argv") || !strcmp(a.name, "envp"))) {
		put_list(o, m, c->argstr[i]);
		return;
	}
	if (c->argstr[i] != KF_NONE) {
		uint32_t id = c->argstr[i];

		put_string(o, m, id);
		/* a buffer (write's) whose first bytes were recorded: its
		 * length, the next argument, says whether there is more */
		if (a.kind == KF_ARG_PTR && i + 1 < sd->nargs &&
		    id < m->strs.count && c->args[i + 1] > m->strs.len[id] &&
		    m->strs.len[id] <= STR_MAX)
			kf_out_puts(o, "...");
		return;
	}
	for (size_t k = 0; k < N(rules); k++) {
		if ((!rules[k].sys || word_in(a.sys, rules[k].sys)) &&
		    word_in(a.name, rules[k].args)) {
			rules[k].put(o, &a);
			return;
		}
	}
	switch (a.kind) {
	case KF_ARG_PTR:
	case KF_ARG_STR: /* a string the kernel did not record */
		dec_ptr(o, &a);
		break;
	case KF_ARG_INT:
		if (is_flags_name(a.name)) /* bits of a C int */
			put_hex(o, a.v & 0xffffffff);
		else if (a.v >> 32 == 0 && !word_in(a.name, wide_ints))
			kf_out_printf(o, "%d", as_int(a.v));
		else
			kf_out_printf(o, "%lld", (long long)(int64_t)a.v);
		break;
	default:
		if (is_flags_name(a.name))
			put_hex(o, a.v);
		else
			kf_out_printf(o, "%llu", (unsigned long long)a.v);
	}
}

static const struct kf_sysdesc *call_sys(const struct kf_model *m,
					 const struct kf_call *c)
{
	if (c->sys == KF_NONE || c->sys >= m->nsys)
		return NULL;
	return &m->sys[c->sys];
}

/*
 * Arguments the kernel ignores for the values of the others are left out,
 * as strace does (and as the examples in kf_decode.h show): open's mode
 * unless O_CREAT or O_TMPFILE asks for one, fcntl's argument for the
 * commands that take none, mremap's new_addr unless MREMAP_FIXED or
 * MREMAP_DONTUNMAP uses it (the register holds garbage then).
 */
static int arg_unused(const struct kf_model *m, const struct kf_call *c,
		      const struct kf_sysdesc *sd, int i)
{
	const char *sys = kf_strtab_get(&m->strs, sd->name);
	const char *an = kf_strtab_get(&m->strs, sd->argname[i]);
	struct arg a = { .m = m, .c = c, .sd = sd };
	uint64_t v;

	if ((!strcmp(sys, "open") || !strcmp(sys, "openat")) &&
	    !strcmp(an, "mode") && arg_value(&a, "flags", &v))
		return !(v & (KF_O_CREAT | KF_O_TMPFILE_BIT));
	if (!strcmp(sys, "mremap") && !strcmp(an, "new_addr") &&
	    arg_value(&a, "flags", &v))
		return !(v & 6); /* MREMAP_FIXED, MREMAP_DONTUNMAP */
	if (!strcmp(sys, "fcntl") && !strcmp(an, "arg") &&
	    arg_value(&a, "cmd", &v)) {
		switch (v & 0xffffffff) {
		case 1: case 3: /* F_GETFD, F_GETFL */
		case 9: case 11: /* F_GETOWN, F_GETSIG */
		case 1025: /* F_GETLEASE */
		case 1032: /* F_GETPIPE_SZ */
		case 1034: /* F_GET_SEALS */
			return 1;
		}
	}
	return 0;
}

static void put_args(struct kf_out *o, const struct kf_model *m,
		     const struct kf_call *c)
{
	const struct kf_sysdesc *sd = call_sys(m, c);
	int n, first = 1;

	if (c->flags & KF_CALL_NOENTER || (!sd && c->sys != KF_NONE)) {
		kf_out_puts(o, "...");
		return;
	}
	if (!sd)
		return; /* function mode: no arguments */
	n = sd->nargs < KF_MAX_ARGS ? sd->nargs : KF_MAX_ARGS;
	for (int i = 0; i < n; i++) {
		if (arg_unused(m, c, sd, i))
			continue;
		if (!first)
			kf_out_puts(o, ", ");
		first = 0;
		put_arg(o, m, c, sd, i);
	}
}

/* Syscalls that return an address, printed in hex. */
static const char pointer_returns[] = "mmap brk mremap shmat";

static void put_ret(struct kf_out *o, const struct kf_model *m,
		    const struct kf_call *c)
{
	const struct kf_sysdesc *sd = call_sys(m, c);
	int64_t r = c->ret;

	if (!(c->flags & KF_CALL_HAS_RET)) {
		kf_out_put(o, "?", 1);
		return;
	}
	if (r < 0 && r >= -KF_MAX_ERRNO) {
		int i = errno_index((int)-r);

		kf_out_printf(o, "%lld", (long long)r);
		if (i >= 0) {
			kf_out_put(o, " ", 1);
			kf_out_puts(o, errnos[i].name);
			kf_out_puts(o, " (");
			kf_out_puts(o, errnos[i].text);
			kf_out_put(o, ")", 1);
		}
	} else if (sd && word_in(kf_strtab_get(&m->strs, sd->name),
				 pointer_returns)) {
		put_hex(o, (uint64_t)r);
	} else {
		kf_out_printf(o, "%lld", (long long)r);
	}
}

size_t kf_decode_args(const struct kf_model *m, const struct kf_call *c,
		      char *buf, size_t len)
{
	struct kf_out o;

	kf_out_init(&o, buf, len);
	put_args(&o, m, c);
	return o.pos;
}

size_t kf_decode_arg(const struct kf_model *m, const struct kf_call *c,
		     int i, const char **name, char *buf, size_t len)
{
	const struct kf_sysdesc *sd = call_sys(m, c);
	struct kf_out o;

	kf_out_init(&o, buf, len);
	*name = NULL;
	if (!sd || c->flags & KF_CALL_NOENTER || i < 0 ||
	    i >= sd->nargs || i >= KF_MAX_ARGS || arg_unused(m, c, sd, i))
		return 0;
	*name = kf_strtab_get(&m->strs, sd->argname[i]);
	put_arg(&o, m, c, sd, i);
	return o.pos;
}

size_t kf_decode_ret(const struct kf_model *m, const struct kf_call *c,
		     char *buf, size_t len)
{
	struct kf_out o;

	kf_out_init(&o, buf, len);
	put_ret(&o, m, c);
	return o.pos;
}

size_t kf_decode_header(const struct kf_model *m, const struct kf_call *c,
			char *buf, size_t len)
{
	const struct kf_sysdesc *sd = call_sys(m, c);
	struct kf_out o;

	kf_out_init(&o, buf, len);
	if (c->sys == KF_NONE) {
		/* function mode: the top function's name, no arguments */
		const char *fn = "?";

		if (c->root != KF_NONE && c->root < m->nnodes)
			fn = kf_strtab_get(&m->strs,
					   kf_node_get(m, c->root)->func);
		kf_out_escape(&o, fn, strlen(fn));
		kf_out_puts(&o, "()");
		if (c->flags & KF_CALL_HAS_RET) {
			kf_out_puts(&o, " = ");
			put_ret(&o, m, c);
		}
		return o.pos;
	}
	if (sd) {
		const char *name = kf_strtab_get(&m->strs, sd->name);

		kf_out_escape(&o, name, strlen(name));
	} else {
		kf_out_puts(&o, "?");
	}
	kf_out_put(&o, "(", 1);
	put_args(&o, m, c);
	kf_out_puts(&o, ") = ");
	put_ret(&o, m, c);
	return o.pos;
}
