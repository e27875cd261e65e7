// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * w2 - benchmark workload W2: one process opens and reads N small files
 * DIR/f0 .. DIR/f<N-1>, and says how many opens it made (its own oracle).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char path[4096], buf[256];
	int n, i, ok = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: w2 DIR N\n");
		return 64;
	}
	n = atoi(argv[2]);
	for (i = 0; i < n; i++) {
		int fd;

		snprintf(path, sizeof(path), "%s/f%d", argv[1], i);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		if (read(fd, buf, sizeof(buf)) >= 0)
			ok++;
		close(fd);
	}
	printf("w2: opened and read %d of %d files\n", ok, n);
	return ok == n ? 0 : 1;
}
