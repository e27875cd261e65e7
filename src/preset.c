// SPDX-License-Identifier: GPL-2.0-or-later
/* preset.c - parse and find preset files (see kfollow-preset(5)). */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kf_common.h"
#include "kf_preset.h"

#define MAX_PRESET_BYTES (1 << 20)
#define MAX_ENTRIES 4096

static int push(char ***arr, int *n, const char *s, size_t len)
{
	char **a;

	if (*n >= MAX_ENTRIES)
		return -2;
	a = realloc(*arr, (*n + 1) * sizeof(*a));
	if (!a)
		return -1;
	*arr = a;
	a[*n] = strndup(s, len);
	if (!a[*n])
		return -1;
	(*n)++;
	return 0;
}

/* A function or syscall name or glob: no spaces, no control bytes. */
static int valid_word(const char *s, size_t len)
{
	size_t i;

	if (!len || len > 255)
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (!(isalnum(c) || strchr("_.*?[]!-@$:", c)))
			return 0;
	}
	return 1;
}

/* Split the next whitespace-separated word from *p (up to end). */
static const char *word(const char **p, const char *end, size_t *len)
{
	const char *s = *p, *w;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	w = s;
	while (s < end && *s != ' ' && *s != '\t')
		s++;
	*len = s - w;
	*p = s;
	return *len ? w : NULL;
}

/* One line of a preset as it is read. */
struct pline {
	const char *cur, *end;	/* the rest of the line, up to a comment */
	const char *path;
	int lineno;
	const char *kw;		/* the directive */
	size_t kwlen;
};

static int line_err(const struct pline *l, const char *what)
{
	return kf_err(KF_EXIT_DATAERR, "'%s' line %d: %s", l->path,
		      l->lineno, what);
}

static int bad_value(const struct pline *l)
{
	return kf_err(KF_EXIT_DATAERR, "'%s' line %d: invalid value for "
		      "'%.*s'", l->path, l->lineno, (int)l->kwlen, l->kw);
}

/* push's -1 (out of memory) and -2 (too many) as kf_err. */
static int push_err(const struct pline *l, int rc)
{
	if (rc == -1)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	return kf_err(KF_EXIT_DATAERR, "'%s' line %d: too many entries "
		      "(limit %d)", l->path, l->lineno, MAX_ENTRIES);
}

/* The words of the line, each a name or glob, appended to *arr. */
static int rd_words(struct pline *l, char ***arr, int *n)
{
	const char *w;
	size_t wlen;
	int rc;

	while ((w = word(&l->cur, l->end, &wlen))) {
		if (!valid_word(w, wlen))
			return kf_err(KF_EXIT_DATAERR, "'%s' line %d: '%.*s' "
				      "is not a function or syscall name",
				      l->path, l->lineno,
				      (int)(wlen > 60 ? 60 : wlen), w);
		rc = push(arr, n, w, wlen);
		if (rc)
			return push_err(l, rc);
	}
	return 0;
}

static int rd_syscall(struct kf_preset *p, struct pline *l)
{
	return rd_words(l, &p->syscalls, &p->nsyscalls);
}

static int rd_root(struct kf_preset *p, struct pline *l)
{
	return rd_words(l, &p->roots, &p->nroots);
}

static int rd_notrace(struct kf_preset *p, struct pline *l)
{
	return rd_words(l, &p->notrace, &p->nnotrace);
}

static int rd_retval(struct kf_preset *p, struct pline *l)
{
	return rd_words(l, &p->retval, &p->nretval);
}

static int rd_scope(struct kf_preset *p, struct pline *l)
{
	return rd_words(l, &p->scope, &p->nscope);
}

/* The one value of the line, NUL-terminated into num, or NULL. */
static const char *one_value(struct pline *l, char *num, size_t size)
{
	size_t wlen;
	const char *w = word(&l->cur, l->end, &wlen);

	if (!w || wlen >= size)
		return NULL;
	memcpy(num, w, wlen);
	num[wlen] = '\0';
	return num;
}

static int rd_max_depth(struct kf_preset *p, struct pline *l)
{
	char num[32], *e;
	long v;

	if (!one_value(l, num, sizeof(num)))
		return bad_value(l);
	errno = 0;
	v = strtol(num, &e, 10);
	if (*e || errno || v < 1 || v > 1000)
		return bad_value(l);
	p->max_depth = (int)v;
	return 0;
}

static int rd_min_duration(struct kf_preset *p, struct pline *l)
{
	char num[64], msg[512];

	if (!one_value(l, num, sizeof(num)))
		return bad_value(l);
	if (kf_parse_duration(num, &p->min_duration) == 0)
		return 0;
	snprintf(msg, sizeof(msg), "%s", kf_err_msg());
	return line_err(l, msg);
}

static int rd_layer(struct kf_preset *p, struct pline *l)
{
	const char *g, *n;
	size_t glen, nlen;
	struct kf_layer *y;

	g = word(&l->cur, l->end, &glen);
	n = word(&l->cur, l->end, &nlen);
	if (!g || !n || !valid_word(g, glen) || !valid_word(n, nlen))
		return line_err(l, "expected 'layer GLOB NAME'");
	if (p->nlayers >= MAX_ENTRIES)
		return push_err(l, -2);
	y = realloc(p->layers, (p->nlayers + 1) * sizeof(*y));
	if (!y)
		return push_err(l, -1);
	p->layers = y;
	y += p->nlayers++;
	y->glob = strndup(g, glen);
	y->name = strndup(n, nlen);
	return y->glob && y->name ? 0 : push_err(l, -1);
}

/* Text for people: the rest of the line, trimmed, printable (UTF-8
 * passes; control bytes do not), at most 400 bytes.  Returns its length,
 * or -1 (kf_err). */
static int text_value(struct pline *l, const char **out)
{
	const char *s = l->cur, *e = l->end;
	size_t i;

	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	if (s == e || e - s > 400)
		return bad_value(l);
	for (i = 0; i < (size_t)(e - s); i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return bad_value(l);
	*out = s;
	l->cur = l->end;
	return (int)(e - s);
}

static int rd_text_list(struct pline *l, char ***arr, int *n)
{
	const char *t;
	int len = text_value(l, &t), rc;

	if (len < 0)
		return -1;
	rc = push(arr, n, t, (size_t)len);
	return rc ? push_err(l, rc) : 0;
}

static int rd_command(struct kf_preset *p, struct pline *l)
{
	return rd_text_list(l, &p->commands, &p->ncommands);
}

static int rd_note(struct kf_preset *p, struct pline *l)
{
	return rd_text_list(l, &p->notes, &p->nnotes);
}

/* description lines join into one, with a space between */
static int rd_description(struct kf_preset *p, struct pline *l)
{
	const char *t;
	int len = text_value(l, &t);
	size_t old = p->description ? strlen(p->description) : 0;
	char *d;

	if (len < 0)
		return -1;
	if (old + (size_t)len > 2000)
		return push_err(l, -2);
	d = realloc(p->description, old + (size_t)len + 2);
	if (!d)
		return push_err(l, -1);
	if (old)
		d[old++] = ' ';
	memcpy(d + old, t, (size_t)len);
	d[old + (size_t)len] = '\0';
	p->description = d;
	return 0;
}

/* The directives of kfollow-preset(5), in the order its errors list them. */
static const struct directive {
	const char *name;
	int (*read)(struct kf_preset *p, struct pline *l);
} directives[] = {
	{ "syscall", rd_syscall },
	{ "root", rd_root },
	{ "notrace", rd_notrace },
	{ "max-depth", rd_max_depth },
	{ "min-duration", rd_min_duration },
	{ "layer", rd_layer },
	{ "scope", rd_scope },
	{ "retval", rd_retval },
	{ "description", rd_description },
	{ "command", rd_command },
	{ "note", rd_note },
};

#define NDIRECTIVES (sizeof(directives) / sizeof(directives[0]))

static int unknown_directive(const struct pline *l)
{
	char list[256] = "";
	size_t i, n = 0;

	for (i = 0; i < NDIRECTIVES; i++)
		n += snprintf(list + n, sizeof(list) - n, "%s%s",
			      i == 0 ? "" : i + 1 == NDIRECTIVES ? " or " :
			      ", ", directives[i].name);
	return kf_err(KF_EXIT_DATAERR, "'%s' line %d: unknown directive "
		      "'%.*s' (expected %s)", l->path, l->lineno,
		      (int)(l->kwlen > 40 ? 40 : l->kwlen), l->kw, list);
}

/* One line: a directive and its values; blank lines and comments pass. */
static int rd_line(struct kf_preset *p, struct pline *l)
{
	const char *hash = memchr(l->cur, '#', (size_t)(l->end - l->cur));
	size_t i, wlen;

	/* "# ..." to the end of the line is a comment (the reason) */
	if (hash)
		l->end = hash;
	l->kw = word(&l->cur, l->end, &l->kwlen);
	if (!l->kw)
		return 0;
	for (i = 0; i < NDIRECTIVES; i++)
		if (strlen(directives[i].name) == l->kwlen &&
		    !memcmp(l->kw, directives[i].name, l->kwlen))
			break;
	if (i == NDIRECTIVES)
		return unknown_directive(l);
	if (directives[i].read(p, l) < 0)
		return -1;
	/* anything left before the comment is an error */
	return word(&l->cur, l->end, &wlen) ? bad_value(l) : 0;
}

int kf_preset_parse(struct kf_preset *p, const char *buf, size_t len,
		    const char *path)
{
	const char *line = buf, *end = buf + len;
	struct pline l = { .path = path };

	if (!p->path && !(p->path = strdup(path)))
		return kf_err(KF_EXIT_OSERR, "out of memory");
	if (len > MAX_PRESET_BYTES)
		return kf_err(KF_EXIT_DATAERR, "'%s' is too large for a preset "
			      "(over 1 MiB)", path);
	while (line < end) {
		const char *eol = memchr(line, '\n', (size_t)(end - line));

		if (!eol)
			eol = end;
		l.lineno++;
		if (memchr(line, '\0', (size_t)(eol - line)))
			return line_err(&l, "NUL byte in a preset");
		l.cur = line;
		l.end = eol;
		if (rd_line(p, &l) < 0)
			return -1;
		line = eol + 1;
	}
	return 0;
}

void kf_preset_release(struct kf_preset *p)
{
	int i;

	for (i = 0; i < p->nsyscalls; i++)
		free(p->syscalls[i]);
	for (i = 0; i < p->nroots; i++)
		free(p->roots[i]);
	for (i = 0; i < p->nnotrace; i++)
		free(p->notrace[i]);
	for (i = 0; i < p->nscope; i++)
		free(p->scope[i]);
	for (i = 0; i < p->nretval; i++)
		free(p->retval[i]);
	free(p->retval);
	for (i = 0; i < p->ncommands; i++)
		free(p->commands[i]);
	for (i = 0; i < p->nnotes; i++)
		free(p->notes[i]);
	free(p->commands);
	free(p->notes);
	free(p->description);
	for (i = 0; i < p->nlayers; i++) {
		free(p->layers[i].glob);
		free(p->layers[i].name);
	}
	free(p->syscalls);
	free(p->roots);
	free(p->notrace);
	free(p->scope);
	free(p->layers);
	free(p->name);
	free(p->path);
	memset(p, 0, sizeof(*p));
}

/* Directories searched for NAME.preset, in order; caller frees each. */
static int preset_dirs(char *dirs[3])
{
	const char *env = getenv("KFOLLOW_PRESETS");
	char exe[PATH_MAX];
	ssize_t n;
	int k = 0;

	if (env && *env)
		dirs[k++] = strdup(env);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			if (asprintf(&dirs[k], "%s/presets", exe) >= 0)
				k++;
		}
	}
	dirs[k++] = strdup(KF_PKGDATADIR "/presets");
	return k;
}

char *kf_preset_file(const char *name)
{
	char *dirs[3] = { 0 }, *path = NULL;
	int nd = preset_dirs(dirs), i;

	for (i = 0; i < nd; i++) {
		if (!path && dirs[i] && asprintf(&path, "%s/%s", dirs[i],
						 name) >= 0 &&
		    access(path, R_OK) != 0) {
			free(path);
			path = NULL;
		}
		free(dirs[i]);
	}
	return path;
}

static char *read_small(const char *path, size_t *len)
{
	FILE *f = fopen(path, "re");
	char *buf;
	struct stat st;

	if (!f)
		return NULL;
	if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > MAX_PRESET_BYTES) {
		fclose(f);
		errno = EINVAL;
		return NULL;
	}
	buf = malloc(st.st_size + 1);
	if (!buf) {
		fclose(f);
		return NULL;
	}
	*len = fread(buf, 1, st.st_size, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

static int valid_name(const char *s)
{
	if (!*s || strlen(s) > 64)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return 0;
	return 1;
}

int kf_preset_load(struct kf_preset *p, const char *name, int quiet_missing)
{
	size_t len = strlen(name), blen = 0;
	char *dirs[3] = { 0 }, *path = NULL, *buf = NULL;
	int nd, i, rc;

	memset(p, 0, sizeof(*p));
	if (strchr(name, '/') ||
	    (len > 7 && strcmp(name + len - 7, ".preset") == 0)) {
		buf = read_small(name, &blen);
		if (!buf)
			return kf_err_errno(KF_EXIT_NOINPUT,
					    "cannot read preset '%s'", name);
		path = strdup(name);
	} else {
		if (!valid_name(name))
			return kf_err(KF_EXIT_USAGE, "invalid preset name '%s'",
				      name);
		nd = preset_dirs(dirs);
		for (i = 0; i < nd && !buf; i++) {
			if (!dirs[i])
				continue;
			free(path);
			if (asprintf(&path, "%s/%s.preset", dirs[i], name) < 0)
				path = NULL;
			if (path)
				buf = read_small(path, &blen);
		}
		for (i = 0; i < nd; i++)
			free(dirs[i]);
		if (!buf) {
			free(path);
			if (quiet_missing)
				return 1;
			return kf_err(KF_EXIT_USAGE, "no preset named '%s' "
				      "(see 'kfollow --list-presets')", name);
		}
	}
	p->path = path;
	p->name = strdup(name);
	rc = kf_preset_parse(p, buf, blen, path ? path : name);
	free(buf);
	if (rc < 0) {
		char msg[1024];

		snprintf(msg, sizeof(msg), "%s", kf_err_msg());
		kf_preset_release(p);
		return kf_err(kf_err_code(), "%s", msg);
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **kf_preset_list(void)
{
	char *dirs[3] = { 0 };
	char **names = NULL;
	int nd, i, n = 0;

	nd = preset_dirs(dirs);
	for (i = 0; i < nd; i++) {
		DIR *d = dirs[i] ? opendir(dirs[i]) : NULL;
		struct dirent *e;

		while (d && (e = readdir(d))) {
			size_t l = strlen(e->d_name);
			char **nn;
			int k, dup = 0;

			if (l <= 7 || strcmp(e->d_name + l - 7, ".preset") ||
			    !strcmp(e->d_name, KF_SUBSYSTEMS ".preset"))
				continue;
			for (k = 0; k < n; k++)
				if (!strncmp(names[k], e->d_name, l - 7) &&
				    !names[k][l - 7])
					dup = 1;
			if (dup)
				continue;
			nn = realloc(names, (n + 2) * sizeof(*nn));
			if (!nn)
				break;
			names = nn;
			names[n++] = strndup(e->d_name, l - 7);
			names[n] = NULL;
		}
		if (d)
			closedir(d);
		free(dirs[i]);
	}
	if (names)
		qsort(names, n, sizeof(*names), cmp_str);
	return names;
}

int kf_preset_load_syscall(struct kf_preset *p, const char *name)
{
	size_t len;

	if (strncmp(name, "__x64_sys_", 10) == 0)
		name += 10;
	else if (strncmp(name, "sys_", 4) == 0)
		name += 4;
	len = strlen(name);
	/* a syscall name never names a file */
	if (strchr(name, '/') ||
	    (len > 7 && strcmp(name + len - 7, ".preset") == 0)) {
		memset(p, 0, sizeof(*p));
		return 1;
	}
	return kf_preset_load(p, name, 1);
}

int kf_layer_find(const struct kf_layer *layers, int n, const char *name)
{
	int k;

	for (k = 0; k < n; k++)
		if (fnmatch(layers[k].glob, name, 0) == 0)
			return k;
	return -1;
}
