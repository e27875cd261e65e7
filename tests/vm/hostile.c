// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hostile - a traced program that tries to drive the terminal of whoever
 * reads kfollow's output: it names itself with escape sequences
 * (prctl PR_SET_NAME: OSC title, BEL, CSI clear screen), then forks (a
 * child starts with that name) and the child creates, opens and removes a
 * file whose name holds OSC, BEL, CSI, a C1 CSI byte (0x9b) and a byte
 * that is not UTF-8.  tests/vm/guest-cases.sh checks
 * that kfollow's text shows them all escaped.
 *
 *   kf-hostile DIR    the file goes in DIR
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char path[256];
	pid_t pid;
	int fd, st;

	if (argc != 2) {
		fprintf(stderr, "usage: kf-hostile DIR\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/kf\033]0;PATH\007\033[2J\x9b\xff",
		 argv[1]);
	if (prctl(PR_SET_NAME, "\033]0;X\007\033[2J", 0, 0, 0) != 0) {
		perror("kf-hostile: prctl");
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		perror("kf-hostile: fork");
		return 1;
	}
	if (pid == 0) {
		fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
		if (fd < 0) {
			perror("kf-hostile: open");
			_exit(1);
		}
		close(fd);
		unlink(path);
		_exit(0);
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return 1;
	return WEXITSTATUS(st);
}
