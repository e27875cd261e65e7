// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_viewfile.c - kf_view_file_open, the file `w` writes a view to.
 * kfollow usually runs as root in a directory others can write to (/tmp):
 * whatever was planted at the name (a FIFO, a link, someone's file) is
 * refused with one line, never blocked on and never written into.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kf_common.h"
#include "kf_view.h"

static char dir[] = "/tmp/kf-viewfile-XXXXXX";
static char path[64], other[64];

static void on_alarm(int sig)
{
	(void)sig; /* only to interrupt a blocking open */
}

static int setup(void **state)
{
	struct sigaction sa = { .sa_handler = on_alarm };

	(void)state;
	/* no SA_RESTART: an open that blocks returns EINTR after alarm() */
	sigaction(SIGALRM, &sa, NULL);
	umask(022);
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/kfollow-tree.txt", dir);
	snprintf(other, sizeof(other), "%s/other", dir);
	return 0;
}

/* Before each case: nothing at either name, whatever a failed case left. */
static int clean(void **state)
{
	(void)state;
	if (unlink(path) < 0)
		rmdir(path);
	unlink(other);
	return 0;
}

static int teardown(void **state)
{
	clean(state);
	rmdir(dir);
	return 0;
}

static void put(const char *p, const char *text)
{
	FILE *f = fopen(p, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static const char *get(const char *p)
{
	static char buf[64];
	FILE *f = fopen(p, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Open with a 2 s alarm: a blocked open fails the test instead of hanging. */
static FILE *open_bounded(void)
{
	FILE *f;

	kf_err_clear();
	alarm(2);
	f = kf_view_file_open(path);
	alarm(0);
	return f;
}

static void refused(FILE *f, const char *why)
{
	if (f)
		fclose(f);
	assert_null(f);
	assert_non_null(strstr(kf_err_msg(), "cannot write '"));
	if (!strstr(kf_err_msg(), why))
		fail_msg("message '%s' lacks '%s'", kf_err_msg(), why);
	assert_null(strchr(kf_err_msg(), '\n'));
}

static void test_fresh(void **state)
{
	FILE *f;
	struct stat st;

	(void)state;
	unlink(path);
	f = open_bounded();
	assert_non_null(f);
	fputs("tree\n", f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(st.st_uid, geteuid());
	assert_string_equal(get(path), "tree\n");
}

/* `w` twice: the user's own earlier file is replaced, not appended to */
static void test_own_file_rewritten(void **state)
{
	FILE *f;

	(void)state;
	put(path, "an older and longer view\n");
	f = open_bounded();
	assert_non_null(f);
	fputs("new\n", f);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(get(path), "new\n");
	unlink(path);
}

/* nobody reads it: open(O_WRONLY) on a FIFO would wait for a reader */
static void test_fifo_no_reader(void **state)
{
	(void)state;
	assert_int_equal(mkfifo(path, 0666), 0);
	refused(open_bounded(), "not a regular file");
	unlink(path);
}

/* the planter reads it: opening succeeds, writing must not */
static void test_fifo_with_reader(void **state)
{
	char b[8];
	int rd;

	(void)state;
	assert_int_equal(mkfifo(path, 0666), 0);
	rd = open(path, O_RDONLY | O_NONBLOCK);
	assert_true(rd >= 0);
	refused(open_bounded(), "not a regular file");
	assert_true(read(rd, b, sizeof(b)) <= 0);
	close(rd);
	unlink(path);
}

/* Another file's second name at the path (made by mk): that file stays
 * untouched. */
static void second_name(int (*mk)(const char *, const char *),
			const char *why)
{
	put(other, "precious\n");
	assert_int_equal(mk(other, path), 0);
	refused(open_bounded(), why);
	assert_string_equal(get(other), "precious\n");
}

static void test_symlink(void **state)
{
	(void)state;
	second_name(symlink, "symbolic link");
}

/* where hard links are not protected (fs.protected_hardlinks=0) */
static void test_hard_link(void **state)
{
	(void)state;
	second_name(link, "hard links");
}

/* a file planted by someone else stays theirs and unwritten */
static void test_foreign_owner(void **state)
{
	struct stat st;

	(void)state;
	if (geteuid() != 0)
		skip(); /* only root can plant a file as another user */
	put(path, "planted\n");
	assert_int_equal(chown(path, 65534, 65534), 0);
	refused(open_bounded(), "belongs to uid 65534");
	assert_string_equal(get(path), "planted\n");
	assert_int_equal(lstat(path, &st), 0);
	assert_int_equal(st.st_uid, 65534);
	unlink(path);
}

/* a directory at the name */
static void test_directory(void **state)
{
	(void)state;
	assert_int_equal(mkdir(path, 0755), 0);
	refused(open_bounded(), "not a regular file");
	rmdir(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_fresh, clean),
		cmocka_unit_test_setup(test_own_file_rewritten, clean),
		cmocka_unit_test_setup(test_fifo_no_reader, clean),
		cmocka_unit_test_setup(test_fifo_with_reader, clean),
		cmocka_unit_test_setup(test_symlink, clean),
		cmocka_unit_test_setup(test_hard_link, clean),
		cmocka_unit_test_setup(test_foreign_owner, clean),
		cmocka_unit_test_setup(test_directory, clean),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
