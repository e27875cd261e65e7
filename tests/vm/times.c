// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * times - workloads that time themselves, the ground truth for kfollow's
 * durations (tests/vm/check-times compares).  Each prints what it measured
 * around the one syscall kfollow is asked to follow, with CLOCK_MONOTONIC:
 *
 *   kf-times sleep MS [N]  N (1) clock_nanosleeps of MS ms: "slept NS"
 *                       each
 *   kf-times pipe MS    a child writes to a pipe after sleeping MS ms; the
 *                       parent's one read of it waits: "read-waited NS"
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int do_sleep(long ms, long n)
{
	struct timespec req = { ms / 1000, (ms % 1000) * 1000000L };

	while (n-- > 0) {
		long long t0 = now_ns(), t1;

		if (clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL) != 0)
			return 1;
		t1 = now_ns();
		printf("slept %lld\n", t1 - t0);
	}
	return 0;
}

static int do_pipe(long ms)
{
	int p[2], st;
	char c;
	long long t0, t1;
	pid_t pid;

	if (pipe(p) < 0)
		return 1;
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		struct timespec req = { ms / 1000, (ms % 1000) * 1000000L };

		close(p[0]);
		nanosleep(&req, NULL);
		_exit(write(p[1], "x", 1) == 1 ? 0 : 1);
	}
	close(p[1]);
	t0 = now_ns();
	if (read(p[0], &c, 1) != 1)
		return 1;
	t1 = now_ns();
	waitpid(pid, &st, 0);
	printf("read-waited %lld\n", t1 - t0);
	return 0;
}

int main(int argc, char **argv)
{
	long ms = argc >= 3 ? atol(argv[2]) : 0;
	struct sched_param sp = { .sched_priority = 10 };

	/*
	 * Real-time, so a CPU hog cannot preempt it between the syscall's
	 * return and the clock read after it (seen: 14 ms there, counted by
	 * the program but by no syscall); the wait inside stays real time.
	 * Not root: measured as it comes.
	 */
	sched_setscheduler(0, SCHED_FIFO, &sp);

	if ((argc == 3 || argc == 4) && ms > 0 && !strcmp(argv[1], "sleep"))
		return do_sleep(ms, argc == 4 ? atol(argv[3]) : 1);
	if (argc == 3 && ms > 0 && !strcmp(argv[1], "pipe"))
		return do_pipe(ms);
	fprintf(stderr, "usage: kf-times sleep MS [N] | pipe MS\n");
	return 64;
}
