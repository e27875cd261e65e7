// SPDX-License-Identifier: GPL-2.0-or-later
/* ktab.c - the kernel's function tables, kept between runs (kf_ktab.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kf_common.h"
#include "kf_journal.h"
#include "kf_ksyms.h"
#include "kf_ktab.h"
#include "kf_strtab.h"

#define KTAB_MAGIC "kfollow-ktab 1 "
/* a table file larger than this is not one of ours (7.2's: ~3 MB) */
#define KTAB_MAX (64u << 20)

/* The first text symbol line of kallsyms ("ADDR T NAME"), read from its
 * start only; NULL if none in the first 64 KB or its address is 0. */
static char *first_text_symbol(const char *path)
{
	char buf[65536], *line = buf, *res = NULL;
	size_t n = 0;
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	/* a page at a time: the kernel makes each line as it is read, and
	 * the first text symbol comes within the first few */
	while (!res && n < sizeof(buf) - 1 &&
	       (r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0) {
		n += (size_t)r;
		buf[n] = '\0';
		for (;;) {
			char *eol = strchr(line, '\n');
			size_t hex = strspn(line, "0123456789abcdefABCDEF");

			if (!eol)
				break;  /* cut off: the next read has the rest */
			if (hex && line[hex] == ' ' && line[hex + 1] &&
			    strchr("tT", line[hex + 1]) && line[hex + 2] == ' ') {
				if (strspn(line, "0") < hex)
					res = strndup(line, (size_t)(eol - line));
				n = sizeof(buf);  /* found: no more reads */
				break;
			}
			line = eol + 1;
		}
	}
	close(fd);
	return res;
}

char *kf_ktab_key(const char *proc)
{
	char path[512], *version, *text, *mods, *key = NULL, *line;
	size_t klen = 0, len;
	FILE *ks;
	int hidden = 0;

	snprintf(path, sizeof(path), "%s/version", proc);
	version = kf_read_file(path, 4096, &len);
	snprintf(path, sizeof(path), "%s/kallsyms", proc);
	text = version ? first_text_symbol(path) : NULL;
	snprintf(path, sizeof(path), "%s/modules", proc);
	/* no /proc/modules: a kernel without modules */
	mods = text ? kf_read_file(path, 1u << 20, &len) : NULL;
	if (text && !mods && errno == ENOENT)
		mods = strdup("");
	ks = mods ? open_memstream(&key, &klen) : NULL;
	if (!ks)
		goto out;
	fprintf(ks, "version %stext %s\n", version, text);
	/* "name size refs users state addr": the name, size and address;
	 * the references change as modules are used, the code does not */
	for (line = mods; *line;) {
		char *eol = strchrnul(line, '\n'), name[64], addr[32];
		unsigned long size;

		if (sscanf(line, "%63s %lu %*s %*s %*s %31s", name, &size,
			   addr) == 3) {
			fprintf(ks, "module %s %lu %s\n", name, size, addr);
			/* kptr_restrict shows 0x0: where it is is unknown */
			hidden |= strtoull(addr, NULL, 16) == 0;
		}
		line = *eol ? eol + 1 : eol;
	}
	if (fclose(ks) != 0 || hidden) {
		free(key);
		key = NULL;
	}
out:
	free(version);
	free(text);
	free(mods);
	return key;
}

char *kf_ktab_path(void)
{
	const char *e = getenv("KFOLLOW_KTAB");
	char *p;

	if (e)
		return *e ? strdup(e) : NULL;
	/* beside the journal: root's own directory, gone at reboot */
	return asprintf(&p, "%s/ktab", kf_journal_dir()) < 0 ? NULL : p;
}

int kf_ktab_parse(struct kf_ktab *t, const char *buf, size_t len,
		  const char *key)
{
	size_t m = strlen(KTAB_MAGIC), klen, flen, slen, head;
	unsigned long long k, f, s;
	const char *nl;
	char *funcs, *syms, line[128];
	int used = 0;

	if (len < m || memcmp(buf, KTAB_MAGIC, m) != 0)
		return 0;
	nl = memchr(buf, '\n', len < sizeof(line) ? len : sizeof(line));
	if (!nl)
		return 0;
	/* sscanf reads a string: the header line alone, NUL-ended */
	memcpy(line, buf, (size_t)(nl - buf));
	line[nl - buf] = '\0';
	if (sscanf(line + m, "%llu %llu %llu%n", &k, &f, &s, &used) != 3 ||
	    line + m + used != line + (nl - buf))
		return 0;
	head = (size_t)(nl + 1 - buf);
	klen = (size_t)k;
	flen = (size_t)f;
	slen = (size_t)s;
	/* each length alone first: their sum cannot wrap */
	if (k > len || f > len || s > len || head + klen + flen + slen != len)
		return 0;
	if (klen != strlen(key) || memcmp(buf + head, key, klen) != 0)
		return 0;
	funcs = malloc(flen + 1);
	syms = malloc(slen + 1);
	if (!funcs || !syms) {
		free(funcs);
		free(syms);
		return kf_err(KF_EXIT_OSERR, "out of memory");
	}
	memcpy(funcs, buf + head + klen, flen);
	funcs[flen] = '\0';
	memcpy(syms, buf + head + klen + flen, slen);
	syms[slen] = '\0';
	free(t->funcs);
	free(t->syms);
	t->funcs = funcs;
	t->funcs_len = flen;
	t->syms = syms;
	t->syms_len = slen;
	return 1;
}

int kf_ktab_open(struct kf_ktab *t, const char *proc)
{
	struct stat st;
	char *buf;
	size_t len = 0;
	int fd, rc;

	memset(t, 0, sizeof(*t));
	t->path = kf_ktab_path();
	if (!t->path)
		return 0;
	t->key = kf_ktab_key(proc);
	if (!t->key)
		return 0;
	fd = open(t->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return 0;
	/* root's own, written by no one else: kfollow runs as root and
	 * would otherwise trace what a planted table names */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_uid != geteuid() || (st.st_mode & 022) ||
	    st.st_size > (off_t)KTAB_MAX) {
		close(fd);
		return 0;
	}
	buf = kf_read_fd(fd, KTAB_MAX, &len);
	close(fd);
	if (!buf)
		return 0;
	rc = kf_ktab_parse(t, buf, len, t->key);
	free(buf);
	t->hit = rc == 1;
	return rc;
}

char *kf_ktab_syms_text(const struct kf_ksyms *ks,
			const struct kf_strtab *funcs, size_t *len)
{
	char *out = NULL;
	FILE *f = open_memstream(&out, len);
	size_t i;

	if (!f)
		return NULL;
	for (i = 0; i < ks->n; i++)
		if (kf_strtab_find(funcs, ks->v[i].name) != KF_NONE)
			fprintf(f, "%llx t %s\n",
				(unsigned long long)ks->v[i].addr,
				ks->v[i].name);
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

/* mkdir -p of path's directory, 0700. */
static int make_dir(const char *path)
{
	char *d = strdup(path), *p;

	if (!d)
		return -1;
	for (p = d + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(d, 0700) < 0 && errno != EEXIST) {
			free(d);
			return -1;
		}
		*p = '/';
	}
	free(d);
	return 0;
}

int kf_ktab_save(const struct kf_ktab *t)
{
	char *tmp = NULL;
	FILE *f;
	int fd, ok;

	if (!t->key || !t->path || !t->funcs || !t->syms)
		return 0;
	if (make_dir(t->path) < 0 ||
	    asprintf(&tmp, "%s.%d", t->path, (int)getpid()) < 0) {
		free(tmp);
		return kf_err_errno(KF_EXIT_OSERR, "cannot save the kernel's "
				    "tables in '%s'", t->path);
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
		  0600);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		if (fd >= 0)
			close(fd);
		kf_err_errno(KF_EXIT_OSERR, "cannot save the kernel's tables "
			     "in '%s'", tmp);
		free(tmp);
		return -1;
	}
	fprintf(f, KTAB_MAGIC "%zu %zu %zu\n", strlen(t->key), t->funcs_len,
		t->syms_len);
	fputs(t->key, f);
	fwrite(t->funcs, 1, t->funcs_len, f);
	fwrite(t->syms, 1, t->syms_len, f);
	ok = !ferror(f);
	ok &= fclose(f) == 0;
	if (!ok || rename(tmp, t->path) < 0) {
		kf_err_errno(KF_EXIT_OSERR, "cannot save the kernel's tables "
			     "in '%s'", t->path);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

void kf_ktab_release(struct kf_ktab *t)
{
	free(t->key);
	free(t->path);
	free(t->funcs);
	free(t->syms);
	memset(t, 0, sizeof(*t));
}
