// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * viewdiff.c - two captures side by side (--diff A B): their invocations
 * paired by syscall and path, each pair's trees aligned by call path
 * (kf_tree_init_diff), as text.  Both captures are in one model: A's
 * calls first, then B's (kf_model_append).
 */
#include <stdlib.h>
#include <string.h>

#include "kf_common.h"
#include "kf_model.h"
#include "kf_view.h"

/* What pairs two invocations: the syscall (or the root function, in
 * function mode) and the first string argument (the path), if any. */
static const char *call_name(const struct kf_model *m, const struct kf_call *c)
{
	if (c->sys != KF_NONE)
		return kf_strtab_get(&m->strs, m->sys[c->sys].name);
	if (c->root != KF_NONE)
		return kf_strtab_get(&m->strs, kf_node_get(m, c->root)->func);
	return "";
}

static const char *call_path(const struct kf_model *m, const struct kf_call *c)
{
	int k;

	for (k = 0; k < KF_MAX_ARGS; k++)
		if (c->argstr[k] != KF_NONE)
			return kf_strtab_get(&m->strs, c->argstr[k]);
	return "";
}

static int same_key(const struct kf_model *m, uint32_t a, uint32_t b)
{
	const struct kf_call *x = &m->calls[a], *y = &m->calls[b];

	return !strcmp(call_name(m, x), call_name(m, y)) &&
	       !strcmp(call_path(m, x), call_path(m, y));
}

int kf_diff_pair(const struct kf_model *m, uint32_t first_b, uint32_t *pair)
{
	uint32_t a, b, npairs = 0;
	unsigned char *used;

	if (first_b > m->ncalls)
		return kf_err(KF_EXIT_SOFTWARE, "no call %u in the model",
			      first_b);
	used = calloc(m->ncalls - first_b + 1, 1);
	if (!used)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	/* the n-th A call of a key with the n-th B call of that key: the
	 * first unused B call with that key, in order */
	for (a = 0; a < first_b; a++) {
		pair[a] = KF_NONE;
		for (b = first_b; b < m->ncalls; b++)
			if (!used[b - first_b] && same_key(m, a, b)) {
				used[b - first_b] = 1;
				pair[a] = b;
				npairs++;
				break;
			}
	}
	for (b = first_b; b < m->ncalls; b++)
		pair[b] = KF_NONE;
	for (a = 0; a < first_b; a++)
		if (pair[a] != KF_NONE)
			pair[pair[a]] = a;
	free(used);
	return (int)npairs;
}

/* One invocation's header on a line, after a prefix. */
static void header(FILE *f, const struct kf_model *m, uint32_t c,
		   const char *prefix)
{
	char buf[1024];

	kf_view_call_header(m, c, buf, sizeof(buf));
	fprintf(f, "%s%s\n", prefix, buf);
}

int kf_diff_write(FILE *f, const struct kf_model *m, uint32_t first_b,
		  const char *name_a, const char *name_b, uint64_t min_dur,
		  int ascii)
{
	uint32_t *pair = malloc(((size_t)m->ncalls + 1) * sizeof(*pair));
	uint32_t i, only_a = 0, only_b = 0;
	char esc_a[512], esc_b[512];
	int npairs, rc = 0;

	if (!pair)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	npairs = kf_diff_pair(m, first_b, pair);
	if (npairs < 0) {
		free(pair);
		return -1;
	}
	for (i = 0; i < m->ncalls; i++)
		if (pair[i] == KF_NONE && i < first_b)
			only_a++;
		else if (pair[i] == KF_NONE)
			only_b++;
	fprintf(f, "# kfollow --diff: A '%s' (%u invocation%s), B '%s' (%u)\n",
		kf_escape(esc_a, sizeof(esc_a), name_a), first_b,
		first_b == 1 ? "" : "s",
		kf_escape(esc_b, sizeof(esc_b), name_b), m->ncalls - first_b);
	fprintf(f, "# %d paired by syscall and path, %u only in A, %u only "
		"in B; in each tree '-' is only in A, '+' only in B, '>' B "
		"slower, '<' B faster\n", npairs, only_a, only_b);
	for (i = 0; rc == 0 && i < first_b; i++) {
		struct kf_tree t;

		if (pair[i] == KF_NONE)
			continue;
		fputc('\n', f);
		if (kf_tree_init_diff(&t, m, i, pair[i]) < 0)
			rc = -1;
		else {
			if (min_dur)
				kf_tree_set_min_dur(&t, min_dur);
			rc = kf_tree_write(f, &t, ascii);
			kf_tree_release(&t);
		}
	}
	if (rc == 0 && only_a + only_b)
		fputc('\n', f);
	for (i = 0; rc == 0 && i < m->ncalls; i++)
		if (pair[i] == KF_NONE)
			header(f, m, i, i < first_b ? "only in A: " :
			       "only in B: ");
	free(pair);
	if (rc == 0 && (fflush(f) != 0 || ferror(f)))
		rc = kf_err_errno(KF_EXIT_IOERR, "cannot write the diff");
	return rc;
}
