// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kf-time - run a command, print "wall_ns=N status=S maxrss_kb=R" on
 * stderr.  (busybox's time prints centiseconds; benchmarks need more.)
 */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec a, b;
	struct rusage ru;
	int st = 0;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: kf-time COMMAND [ARG...]\n");
		return 64;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	pid = fork();
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	wait4(pid, &st, 0, &ru);
	clock_gettime(CLOCK_MONOTONIC, &b);
	fprintf(stderr, "wall_ns=%lld status=%d maxrss_kb=%ld\n",
		(long long)(b.tv_sec - a.tv_sec) * 1000000000LL +
		(b.tv_nsec - a.tv_nsec),
		WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st),
		ru.ru_maxrss);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
