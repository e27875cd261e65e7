/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fakedir.h - for the unit tests: a temporary directory of plain files
 * standing in for tracefs (libtracefs and libtracecmd are pointed at it).
 * Included after cmocka.h.
 */
#ifndef KF_TEST_FAKEDIR_H
#define KF_TEST_FAKEDIR_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Write content to dir/file, making the directories on the way. */
static inline void fake_put(const char *dir, const char *file,
			    const char *content)
{
	char path[1024], *p;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	for (p = path + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

/* Remove dir (made by mkdtemp) and all in it; put its template back for
 * the next test. */
static inline void fake_remove(char *dir, const char *tmpl)
{
	char cmd[1100];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	strcpy(dir, tmpl);
}

#endif
