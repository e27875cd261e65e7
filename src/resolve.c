// SPDX-License-Identifier: GPL-2.0-or-later
/* resolve.c - syscall and function names to traceable kernel functions. */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kf_common.h"
#include "kf_resolve.h"
#include "kf_tracer.h"

static const struct {
	const char *machine;
	const char *prefix;
} arch_prefixes[] = {
	{ "x86_64", "__x64_sys_" },
	{ "aarch64", "__arm64_sys_" },
	{ "arm64", "__arm64_sys_" },
	{ "riscv64", "__riscv_sys_" },
	{ "s390x", "__s390x_sys_" },
	{ "loongarch64", "sys_" },
	{ "ppc64le", "sys_" },
};

/* Prefixes a user may type, stripped to get the syscall name. */
static const char *const typed_prefixes[] = {
	"__x64_sys_", "__ia32_sys_", "__arm64_sys_", "__riscv_sys_",
	"__s390x_sys_", "__se_sys_", "__do_sys_", "sys_",
};

/* Fallback roots after the arch entry: generic syscall wrappers. */
static const char *const generic_prefixes[] = {
	"__se_sys_", "__do_sys_", "sys_",
};

/* Dispatchers every syscall passes through (6.9+ x86: x64_sys_call). */
static const char *const dispatchers[] = {
	"x64_sys_call", "do_syscall_64", "invoke_syscall",
};

const char *kf_arch_entry_prefix(const char *machine)
{
	size_t i;

	for (i = 0; machine && i < sizeof(arch_prefixes) / sizeof(arch_prefixes[0]);
	     i++)
		if (strcmp(machine, arch_prefixes[i].machine) == 0)
			return arch_prefixes[i].prefix;
	return NULL;
}

static int add_syscall(struct kf_kinfo *ki, const char *name, size_t len)
{
	char **s = realloc(ki->syscalls, (ki->nsyscalls + 2) * sizeof(*s));

	if (!s)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	ki->syscalls = s;
	s[ki->nsyscalls] = strndup(name, len);
	if (!s[ki->nsyscalls])
		return kf_err(KF_EXIT_OSERR, "out of memory");
	s[++ki->nsyscalls] = NULL;
	return 0;
}

/* names[*n] = a copy of name (the array grown by one) */
static int add_name(char ***names, int *n, const char *name)
{
	char **v = realloc(*names, (*n + 1) * sizeof(*v));

	if (!v)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	*names = v;
	if (!(v[*n] = strdup(name)))
		return kf_err(KF_EXIT_OSERR, "out of memory");
	(*n)++;
	return 0;
}

static void free_names(char **names, int n)
{
	while (n > 0)
		free(names[--n]);
	free(names);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int kf_kinfo_init(struct kf_kinfo *ki, const char *const *funcs,
		  const char *const *syscalls, const char *machine)
{
	memset(ki, 0, sizeof(*ki));
	if (kf_strtab_init(&ki->funcs) < 0)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	ki->arch_prefix = kf_arch_entry_prefix(machine);
	if (funcs) {
		ki->have_funcs = 1;
		for (; *funcs; funcs++)
			if (kf_strtab_intern(&ki->funcs, *funcs) == KF_NONE)
				return kf_err(KF_EXIT_OSERR, "out of memory");
	}
	for (; syscalls && *syscalls; syscalls++)
		if (add_syscall(ki, *syscalls, strlen(*syscalls)) < 0)
			return -1;
	return 0;
}

int kf_kinfo_load(struct kf_kinfo *ki, const struct kf_tracer *t,
		  const char *machine, int funcs, char **text, size_t *tlen)
{
	char *buf = NULL, *line, *path;
	size_t len = 0;
	int own = 1, nexits = 0;
	char **exits = NULL;
	DIR *d;
	struct dirent *e;

	if (kf_kinfo_init(ki, NULL, NULL, machine) < 0)
		return -1;
	if (funcs && text && *text) {
		buf = *text;
		own = 0;
	} else if (funcs) {
		buf = kf_tracer_read(t, 0, "available_filter_functions", &len);
	}
	if (!funcs) {
		ki->funcs_error = strdup("not read: only syscall events are "
					 "traced");
	} else if (!buf) {
		ki->funcs_error = strdup(kf_err_msg());
		kf_err_clear();
	} else {
		ki->have_funcs = 1;
		for (line = buf; *line;) {
			char *end = strchrnul(line, '\n');
			size_t n = strcspn(line, " \t\n");

			if (n && kf_strtab_intern_n(&ki->funcs, line, n) ==
				 KF_NONE) {
				if (own)
					free(buf);
				return kf_err(KF_EXIT_OSERR, "out of memory");
			}
			line = *end ? end + 1 : end;
		}
		if (own && text) {
			*text = buf;
			*tlen = len;
		} else if (own) {
			free(buf);
		}
	}
	/* a syscall with both events; both names come from one listing (an
	 * access() each cost eventfs a lookup: 367 of them took ~0.1 s of a
	 * 7.2 guest's set-up under emulation) */
	path = kf_tracer_path(t, 0, "events/syscalls");
	d = path ? opendir(path) : NULL;
	free(path);
	while (d && (e = readdir(d))) {
		int enter = !strncmp(e->d_name, "sys_enter_", 10);

		if (!enter && strncmp(e->d_name, "sys_exit_", 9) != 0)
			continue;
		if (enter ? add_syscall(ki, e->d_name + 10,
					strlen(e->d_name + 10)) < 0
			  : add_name(&exits, &nexits, e->d_name + 9) < 0) {
			closedir(d);
			free_names(exits, nexits);
			return -1;
		}
	}
	if (d)
		closedir(d);
	if (ki->nsyscalls) {
		int i, k = 0;

		qsort(exits, nexits, sizeof(*exits), cmp_str);
		for (i = 0; i < ki->nsyscalls; i++) {
			if (nexits && bsearch(&ki->syscalls[i], exits, nexits,
					      sizeof(*exits), cmp_str))
				ki->syscalls[k++] = ki->syscalls[i];
			else
				free(ki->syscalls[i]);
		}
		ki->nsyscalls = k;
		ki->syscalls[k] = NULL;
		qsort(ki->syscalls, ki->nsyscalls, sizeof(*ki->syscalls),
		      cmp_str);
	}
	free_names(exits, nexits);
	return 0;
}

void kf_kinfo_release(struct kf_kinfo *ki)
{
	int i;

	kf_strtab_release(&ki->funcs);
	for (i = 0; i < ki->nsyscalls; i++)
		free(ki->syscalls[i]);
	free(ki->syscalls);
	free(ki->funcs_error);
	memset(ki, 0, sizeof(*ki));
}

void kf_target_release(struct kf_target *t)
{
	free(t->name);
	free(t->root);
	memset(t, 0, sizeof(*t));
}

static int has_func(const struct kf_kinfo *ki, const char *name)
{
	return ki->have_funcs && kf_strtab_find(&ki->funcs, name) != KF_NONE;
}

static int has_syscall_events(const struct kf_kinfo *ki, const char *name)
{
	int i;

	for (i = 0; i < ki->nsyscalls; i++)
		if (strcmp(ki->syscalls[i], name) == 0)
			return 1;
	return 0;
}

struct near {
	const char *name;
	int dist;
};

static int cmp_near(const void *a, const void *b)
{
	const struct near *x = a, *y = b;

	if (x->dist != y->dist)
		return x->dist - y->dist;
	return strcmp(x->name, y->name);
}

void kf_nearest(const char *word, const char *const *names, size_t count,
		char *buf, size_t len, int n)
{
	struct near best[8] = { { 0 } };
	int nbest = 0, i, limit;
	size_t k, wl = strlen(word);

	if (n > 8)
		n = 8;
	buf[0] = '\0';
	/* near enough to be a typo: a third of the word, at least 2 */
	limit = wl / 3 > 2 ? (int)(wl / 3) : 2;
	for (k = 0; k < count; k++) {
		size_t nl = strlen(names[k]);
		int d = kf_edit_distance(word, names[k]);

		/* "" (a string table's slot 0), or a name that shares not
		 * one letter with the word, is no suggestion */
		if (!nl || d >= (int)(nl > wl ? nl : wl))
			continue;

		/* a name that contains the word is near too ("open") */
		if (d > limit && wl >= 3 && strstr(names[k], word))
			d = limit;
		if (d > limit)
			continue;
		if (nbest < n) {
			best[nbest].name = names[k];
			best[nbest++].dist = d;
		} else if (d < best[n - 1].dist) {
			best[n - 1].name = names[k];
			best[n - 1].dist = d;
		} else {
			continue;
		}
		qsort(best, nbest, sizeof(best[0]), cmp_near);
	}
	for (i = 0; i < nbest; i++) {
		size_t l = strlen(buf);

		snprintf(buf + l, len - l, "%s%s", i ? ", " : "", best[i].name);
	}
}

/* All syscall names this kernel knows, for suggestions. */
static const char **known_syscalls(const struct kf_kinfo *ki, size_t *count)
{
	size_t plen = ki->arch_prefix ? strlen(ki->arch_prefix) : 0, n = 0;
	const char **names = calloc(ki->nsyscalls + ki->funcs.count + 1,
				    sizeof(*names));
	uint32_t i;
	int k;

	if (!names)
		return NULL;
	for (k = 0; k < ki->nsyscalls; k++)
		names[n++] = ki->syscalls[k];
	if (!ki->nsyscalls && plen) {
		for (i = 0; i < ki->funcs.count; i++) {
			const char *f = kf_strtab_get(&ki->funcs, i);

			if (strncmp(f, ki->arch_prefix, plen) == 0)
				names[n++] = f + plen;
		}
	}
	*count = n;
	return names;
}

static const char *strip_prefix(const char *name)
{
	size_t i, l;

	for (i = 0; i < sizeof(typed_prefixes) / sizeof(typed_prefixes[0]); i++) {
		l = strlen(typed_prefixes[i]);
		if (strncmp(name, typed_prefixes[i], l) == 0 && name[l])
			return name + l;
	}
	return name;
}

/* Is `func` one of the wrappers specific to syscall `name`? */
static int specific_to(const struct kf_kinfo *ki, const char *func,
		       const char *name)
{
	size_t i, l;

	if (ki->arch_prefix) {
		l = strlen(ki->arch_prefix);
		if (!strncmp(func, ki->arch_prefix, l) && !strcmp(func + l, name))
			return 1;
	}
	for (i = 0; i < sizeof(generic_prefixes) / sizeof(generic_prefixes[0]);
	     i++) {
		l = strlen(generic_prefixes[i]);
		if (!strncmp(func, generic_prefixes[i], l) &&
		    !strcmp(func + l, name))
			return 1;
	}
	return 0;
}

static int try_root(const struct kf_kinfo *ki, const char *cand,
		    const char *name, struct kf_target *out)
{
	char buf[300];

	if (strcmp(cand, "@entry") == 0) {
		if (!ki->arch_prefix)
			return 0;
		snprintf(buf, sizeof(buf), "%s%s", ki->arch_prefix, name);
		cand = buf;
	}
	if (!has_func(ki, cand))
		return 0;
	out->root = strdup(cand);
	if (!out->root)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	out->shared = !specific_to(ki, cand, name);
	return 1;
}

int kf_resolve_syscall(const struct kf_kinfo *ki, const char *typed,
		       const struct kf_preset *preset, int need_root,
		       struct kf_target *out)
{
	const char *name = strip_prefix(typed);
	char entry[300];
	size_t i;
	int rc = 0, known, k;

	memset(out, 0, sizeof(*out));
	out->is_syscall = 1;
	out->has_events = has_syscall_events(ki, name);
	snprintf(entry, sizeof(entry), "%s%s",
		 ki->arch_prefix ? ki->arch_prefix : "sys_", name);
	known = out->has_events || has_func(ki, entry);
	for (i = 0; !known && i < sizeof(generic_prefixes) /
		    sizeof(generic_prefixes[0]); i++) {
		snprintf(entry, sizeof(entry), "%s%s", generic_prefixes[i], name);
		known = has_func(ki, entry);
	}
	if (!known) {
		char near[256];
		size_t count = 0;
		const char **names = known_syscalls(ki, &count);

		if (!names)
			return kf_err(KF_EXIT_OSERR, "out of memory");
		kf_nearest(name, names, count, near, sizeof(near), 3);
		free(names);
		if (!count && !ki->have_funcs)
			return kf_err(KF_EXIT_UNAVAILABLE,
				      "cannot check syscall '%s': this kernel "
				      "shows no syscall events and no "
				      "traceable functions", name);
		return kf_err(KF_EXIT_USAGE, "unknown syscall '%s'%s%s%s",
			      name, *near ? " (did you mean: " : "", near,
			      *near ? ")" : "");
	}
	out->name = strdup(name);
	if (!out->name)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	if (!need_root)
		return 0;

	if (preset && preset->nroots) {
		for (k = 0; k < preset->nroots && rc == 0; k++)
			rc = try_root(ki, preset->roots[k], name, out);
	} else {
		rc = try_root(ki, "@entry", name, out);
		for (i = 0; rc == 0 && i < sizeof(generic_prefixes) /
			    sizeof(generic_prefixes[0]); i++) {
			snprintf(entry, sizeof(entry), "%s%s",
				 generic_prefixes[i], name);
			rc = try_root(ki, entry, name, out);
		}
	}
	/* the shared dispatcher: trees of other syscalls are dropped */
	for (i = 0; rc == 0 && out->has_events &&
		    i < sizeof(dispatchers) / sizeof(dispatchers[0]); i++)
		rc = try_root(ki, dispatchers[i], name, out);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return kf_err(KF_EXIT_UNAVAILABLE,
			      "no traceable kernel function for syscall '%s' "
			      "(its entry '%s%s' is inlined or notrace here): "
			      "name one with -g FUNC or a preset's 'root'",
			      name, ki->arch_prefix ? ki->arch_prefix : "sys_",
			      name);
	return 0;
}

/* The traceable functions nearest to word, into near.  0 or -1. */
static int nearest_func(const struct kf_kinfo *ki, const char *word,
			char *near, size_t len)
{
	const char **names = malloc(ki->funcs.count * sizeof(*names));
	uint32_t i;

	if (!names)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	for (i = 0; i < ki->funcs.count; i++)
		names[i] = kf_strtab_get(&ki->funcs, i);
	kf_nearest(word, names, ki->funcs.count, near, len, 3);
	free(names);
	return 0;
}

int kf_resolve_retval(const struct kf_kinfo *ki, char *const *globs, int n,
		      int strict, const char ***out, int *nout)
{
	const char **names = NULL;
	int count = 0, g, k;
	uint32_t i;

	*out = NULL;
	*nout = 0;
	if (!n || !ki->have_funcs)
		return 0;
	names = calloc(KF_RETVAL_MAX + 1, sizeof(*names));
	if (!names)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	for (g = 0; g < n; g++) {
		int hits = 0;

		for (i = 1; i < ki->funcs.count; i++) {
			const char *f = kf_strtab_get(&ki->funcs, i);

			if (fnmatch(globs[g], f, 0) != 0)
				continue;
			hits++;
			for (k = 0; k < count && strcmp(names[k], f); k++)
				;
			if (k < count)
				continue;
			if (count == KF_RETVAL_MAX) {
				free(names);
				return kf_err(KF_EXIT_USAGE, "--retval: more "
					      "than %d functions match '%s' "
					      "and the globs before it: each "
					      "is a return probe on every "
					      "task; name fewer",
					      KF_RETVAL_MAX, globs[g]);
			}
			names[count++] = f;
		}
		if (!hits && strict) {
			char near[256];

			free(names);
			if (nearest_func(ki, globs[g], near, sizeof(near)) < 0)
				return -1;
			return kf_err(KF_EXIT_USAGE, "--retval '%s': no "
				      "traceable kernel function matches it%s%s",
				      globs[g], *near ? "; nearest: " : "",
				      near);
		}
	}
	*out = names;
	*nout = count;
	return 0;
}

int kf_resolve_notrace(const struct kf_kinfo *ki, const char *glob)
{
	char near[256];
	uint32_t i;

	if (!ki->have_funcs)
		return 0;  /* nothing to check against: the kernel will say */
	for (i = 1; i < ki->funcs.count; i++)
		if (fnmatch(glob, kf_strtab_get(&ki->funcs, i), 0) == 0)
			return 0;
	if (nearest_func(ki, glob, near, sizeof(near)) < 0)
		return -1;
	return kf_err(KF_EXIT_USAGE, "cannot leave out '%s' (--notrace): no "
		      "traceable kernel function matches it%s%s", glob,
		      *near ? "; nearest: " : "", near);
}

int kf_resolve_function(const struct kf_kinfo *ki, const char *glob,
			struct kf_target *out)
{
	int is_glob = strpbrk(glob, "*?[") != NULL;
	uint32_t i;

	memset(out, 0, sizeof(*out));
	if (!ki->have_funcs)
		return kf_err(KF_EXIT_UNAVAILABLE,
			      "cannot trace function '%s': %s", glob,
			      ki->funcs_error ? ki->funcs_error :
			      "available_filter_functions is not readable");
	if (!is_glob) {
		out->nmatch = has_func(ki, glob);
	} else {
		for (i = 1; i < ki->funcs.count; i++)
			if (fnmatch(glob, kf_strtab_get(&ki->funcs, i), 0) == 0)
				out->nmatch++;
	}
	if (!out->nmatch) {
		char near[256];

		if (nearest_func(ki, glob, near, sizeof(near)) < 0)
			return -1;
		return kf_err(KF_EXIT_USAGE,
			      "kernel function '%s' is not traceable (not in "
			      "available_filter_functions: inlined, notrace, "
			      "or not in this kernel)%s%s%s", glob,
			      *near ? "; nearest: " : "", near, "");
	}
	out->name = strdup(glob);
	out->root = strdup(glob);
	if (!out->name || !out->root)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	return 0;
}
