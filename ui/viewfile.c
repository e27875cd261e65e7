// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * viewfile.c - the file a TUI view is written to (`w`).  Plain C: no
 * terminal here (kf_view.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kf_common.h"
#include "kf_view.h"

static const char *kind(mode_t m)
{
	return S_ISFIFO(m) ? "a FIFO" : S_ISDIR(m) ? "a directory" :
	       S_ISSOCK(m) ? "a socket" : S_ISCHR(m) ? "a character device" :
	       S_ISBLK(m) ? "a block device" : S_ISLNK(m) ? "a symbolic link" :
	       "not a file";
}

/* Refuse what is at path (the open failed or the fd is not ours to use). */
static FILE *refuse(const char *path, int fd, int err)
{
	struct stat st;

	if (fd >= 0)
		close(fd);
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		kf_err(KF_EXIT_IOERR, "cannot write '%s': it is a symbolic "
		       "link: give another name", path);
	else if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
		kf_err(KF_EXIT_IOERR, "cannot write '%s': it is %s, not a "
		       "regular file: give another name", path,
		       kind(st.st_mode));
	else if (err) {
		errno = err;
		kf_err_errno(KF_EXIT_IOERR, "cannot write '%s'", path);
	} else
		kf_err(KF_EXIT_IOERR, "cannot write '%s': it changed while "
		       "being opened: try again", path);
	return NULL;
}

/*
 * kfollow usually runs as root, often in a directory others can write
 * (/tmp): a name planted there must not make it block (a FIFO), write
 * through a link, or write into a file that stays someone else's.  So: a
 * fresh file (O_EXCL), else only a regular file this user owns with no
 * other name.  O_NONBLOCK: a FIFO with no reader fails at once (ENXIO).
 */
FILE *kf_view_file_open(const char *path)
{
	const int fl = O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC;
	struct stat st;
	FILE *f;
	int fd, mine = 0;

	fd = open(path, fl | O_CREAT | O_EXCL, 0644);
	if (fd < 0 && errno == EEXIST) {
		fd = open(path, fl);
		if (fd < 0)
			return refuse(path, -1, errno == ENXIO ? 0 : errno);
		if (fstat(fd, &st) < 0)
			return refuse(path, fd, errno);
		if (!S_ISREG(st.st_mode))
			kf_err(KF_EXIT_IOERR, "cannot write '%s': it is %s, not "
			       "a regular file: give another name", path,
			       kind(st.st_mode));
		else if (st.st_uid != geteuid())
			kf_err(KF_EXIT_IOERR, "cannot write '%s': it belongs to "
			       "uid %u, not to you: give another name", path,
			       (unsigned)st.st_uid);
		else if (st.st_nlink != 1)
			kf_err(KF_EXIT_IOERR, "cannot write '%s': it has %lu "
			       "hard links: give another name", path,
			       (unsigned long)st.st_nlink);
		else if (ftruncate(fd, 0) < 0)
			return refuse(path, fd, errno);
		else
			mine = 1;
		if (!mine) {
			close(fd);
			return NULL;
		}
	}
	if (fd < 0)
		return refuse(path, -1, errno);
	/* a regular file now: blocking writes are what stdio expects */
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0 ||
	    !(f = fdopen(fd, "w")))
		return refuse(path, fd, errno);
	return f;
}
