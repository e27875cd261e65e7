// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * child.c - the processes a live capture traces: the command (found on
 * PATH and its -u user resolved before tracefs is touched, then forked
 * held on a pipe until tracing is armed for its pid) or the -p processes
 * and all their threads.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kf_common.h"
#include "capture-int.h"

/*
 * One numeric id of -u: decimal digits only, 0..UINT32_MAX-1.  No sign,
 * space or overflow (strtoul took "-1" and wrapped 4294967296 to root), no
 * (uid_t)-1 (setuid's "unchanged"), and 0 only when written as "0", so
 * root is never reached by accident.  Returns 0, or -1 on any other form.
 */
static int parse_id(const char *s, const char *end, uint32_t *id)
{
	uint64_t v = 0;
	const char *p;

	if (s == end || (*s == '0' && end - s > 1))
		return -1;
	for (p = s; p < end; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
		if (v >= UINT32_MAX)
			return -1;
	}
	*id = (uint32_t)v;
	return 0;
}

/* -u USER: a name from the passwd database, or UID[:GID]. */
int cap_user_resolve(struct cap *c, const char *user)
{
	const char *colon;
	uint32_t uid, gid;
	struct passwd *pw;

	if (!c->o->ncmd)
		return kf_err(KF_EXIT_USAGE, "-u runs the command as a user: "
			      "give a command after '--'");
	/* a name never starts like a number: anything that does is an id */
	if ((*user >= '0' && *user <= '9') || *user == '-' || *user == '+' ||
	    *user == ' ' || *user == '\t' || *user == ':' || !*user) {
		colon = strchr(user, ':');
		if (parse_id(user, colon ? colon : user + strlen(user), &uid) < 0 ||
		    (colon && parse_id(colon + 1, colon + 1 + strlen(colon + 1),
				       &gid) < 0))
			return kf_err(KF_EXIT_USAGE, "invalid user '%s' for -u: "
				      "give a name or UID[:GID] in decimal, "
				      "0 to 4294967294", user);
		c->run_uid = (uid_t)uid;
		c->run_gid = (gid_t)(colon ? gid : uid);
		c->run_as = 1;
		return 0;
	}
	pw = getpwnam(user);
	if (!pw)
		return kf_err(KF_EXIT_USAGE, "unknown user '%s' for -u: give a "
			      "name from /etc/passwd or UID[:GID]", user);
	c->run_name = strdup(pw->pw_name);
	if (!c->run_name)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	c->run_uid = pw->pw_uid;
	c->run_gid = pw->pw_gid;
	c->run_as = 1;
	return 0;
}

/* Find a command the way execvp would, so errors come before tracing. */
char *cap_command_find(const char *name)
{
	const char *path = getenv("PATH");
	char *dirs, *dir, *save = NULL, *full = NULL;
	int saw_noexec = 0;
	struct stat st;

	if (!*name) {
		kf_err(KF_EXIT_NOTFOUND, "empty command name");
		return NULL;
	}
	if (strchr(name, '/')) {
		if (stat(name, &st) < 0) {
			kf_err(KF_EXIT_NOTFOUND, "command not found: '%s'", name);
			return NULL;
		}
		if (S_ISDIR(st.st_mode) || access(name, X_OK) < 0) {
			kf_err(KF_EXIT_NOEXEC, "command is not executable: '%s'",
			       name);
			return NULL;
		}
		return strdup(name);
	}
	dirs = strdup(path && *path ? path : "/usr/local/bin:/usr/bin:/bin");
	for (dir = strtok_r(dirs, ":", &save); dir;
	     dir = strtok_r(NULL, ":", &save)) {
		free(full);
		if (asprintf(&full, "%s/%s", *dir ? dir : ".", name) < 0) {
			full = NULL;
			break;
		}
		if (stat(full, &st) < 0 || S_ISDIR(st.st_mode))
			continue;
		if (access(full, X_OK) == 0) {
			free(dirs);
			return full;
		}
		saw_noexec = 1;
	}
	free(full);
	free(dirs);
	if (saw_noexec)
		kf_err(KF_EXIT_NOEXEC, "command is not executable: '%s'", name);
	else
		kf_err(KF_EXIT_NOTFOUND, "command not found: '%s' (not in "
		       "PATH)", name);
	return NULL;
}

static int add_pid(struct cap *c, pid_t pid)
{
	pid_t *p = realloc(c->pids, (c->npids + 1) * sizeof(*p));
	int i;

	if (!p)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	c->pids = p;
	for (i = 0; i < c->npids; i++)
		if (p[i] == pid)
			return 0;
	p[c->npids++] = pid;
	return 0;
}

/* -p PID: the process and all its threads must exist now. */
int cap_pids_collect(struct cap *c)
{
	int i;

	for (i = 0; i < c->o->npids; i++) {
		pid_t pid = c->o->pids[i];
		char path[64];
		DIR *d;
		struct dirent *e;

		snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
		d = opendir(path);
		if (!d)
			return kf_err(KF_EXIT_USAGE, "no process with pid %d",
				      (int)pid);
		while ((e = readdir(d))) {
			if (!isdigit((unsigned char)e->d_name[0]))
				continue;
			if (add_pid(c, atoi(e->d_name)) < 0) {
				closedir(d);
				return -1;
			}
		}
		closedir(d);
	}
	return 0;
}

static void child_run(struct cap *c)
{
	char go = 0;
	int e;

	/* first: a crash here must not restore tracefs (or remove the
	 * journal) under the live parent */
	cap_sig_child_default();
	close(c->go[1]);
	close(c->errp[0]);
	while (read(c->go[0], &go, 1) < 0 && errno == EINTR)
		;
	if (go != 'g')
		_exit(127); /* kfollow gave up before tracing */
	close(c->go[0]);
	/* -u: the command runs as the user; only the tracer stays root */
	if (c->run_as &&
	    ((c->run_name ? initgroups(c->run_name, c->run_gid) :
	      setgroups(0, NULL)) < 0 || setgid(c->run_gid) < 0 ||
	     setuid(c->run_uid) < 0)) {
		e = errno;
		(void)!write(c->errp[1], &e, sizeof(e));
		_exit(126);
	}
	if (c->out_fd > 0) {
		int nul = open("/dev/null", O_RDONLY | O_CLOEXEC);

		if (nul < 0 || dup2(nul, 0) < 0 || dup2(c->out_fd, 1) < 0 ||
		    dup2(c->out_fd, 2) < 0)
			_exit(126);
	}
	execv(c->cmd_path, c->o->cmd);
	e = errno;
	(void)!write(c->errp[1], &e, sizeof(e));
	_exit(e == ENOENT ? 127 : 126);
}

int cap_child_fork(struct cap *c)
{
	if (pipe2(c->go, O_CLOEXEC) < 0 || pipe2(c->errp, O_CLOEXEC) < 0)
		return kf_err_errno(KF_EXIT_OSERR, "cannot create a pipe");
	fflush(NULL);
	c->child = fork();
	if (c->child < 0)
		return kf_err_errno(KF_EXIT_OSERR, "cannot fork");
	if (c->child == 0)
		child_run(c);
	close(c->go[0]);
	close(c->errp[1]);
	c->go[0] = c->errp[1] = -1;
	return add_pid(c, c->child);
}

int cap_setup_run(const struct kf_opts *o)
{
	for (int i = 0; i < o->nsetup; i++) {
		pid_t pid = fork();
		int st;

		if (pid < 0)
			return kf_err_errno(KF_EXIT_OSERR, "cannot run --setup");
		if (pid == 0) {
			/* stdout to stderr: batch output stays the trees */
			dup2(STDERR_FILENO, STDOUT_FILENO);
			execl("/bin/sh", "sh", "-c", o->setup[i], (char *)NULL);
			_exit(127);
		}
		while (waitpid(pid, &st, 0) < 0)
			if (errno != EINTR)
				return kf_err_errno(KF_EXIT_OSERR,
						    "cannot wait for --setup");
		if (WIFSIGNALED(st))
			return kf_err(KF_EXIT_FAILURE, "--setup '%s' was killed "
				      "by signal %d; nothing was traced",
				      o->setup[i], WTERMSIG(st));
		if (WEXITSTATUS(st))
			return kf_err(KF_EXIT_FAILURE, "--setup '%s' failed "
				      "(exit %d); nothing was traced",
				      o->setup[i], WEXITSTATUS(st));
	}
	return 0;
}

int cap_drop_caches(void)
{
	const char *f = "/proc/sys/vm/drop_caches";
	int fd;

	sync();
	fd = open(f, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || kf_write_all(fd, "3\n", 2) < 0) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		errno = e;
		return kf_err_errno(e == EACCES || e == EPERM || e == EROFS ?
					    KF_EXIT_NOPERM : KF_EXIT_OSERR,
				    "cannot drop the page cache: '%s'", f);
	}
	close(fd);
	return 0;
}

/* Let the held command exec; learn whether the exec worked. */
int cap_child_exec(struct cap *c)
{
	int e = 0;
	ssize_t n;

	if (write(c->go[1], "g", 1) != 1)
		return kf_err_errno(KF_EXIT_OSERR, "cannot start the command");
	close(c->go[1]);
	c->go[1] = -1;
	cap_sig_forward(c->child);
	do
		n = read(c->errp[0], &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	close(c->errp[0]);
	c->errp[0] = -1;
	if (n == (ssize_t)sizeof(e))
		return kf_err(e == ENOENT ? KF_EXIT_NOTFOUND : KF_EXIT_NOEXEC,
			      "cannot run '%s': %s", c->o->cmd[0], strerror(e));
	return 0;
}

void cap_child_kill(struct cap *c)
{
	int st;

	if (c->child <= 0)
		return;
	kill(c->child, SIGKILL);
	waitpid(c->child, &st, 0);
	c->child = 0;
}

int cap_child_exit_code(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return KF_EXIT_FAILURE;
}

int cap_pids_alive(const struct cap *c)
{
	int i;

	for (i = 0; i < c->o->npids; i++)
		if (kill(c->o->pids[i], 0) == 0 || errno == EPERM)
			return 1;
	return 0;
}
