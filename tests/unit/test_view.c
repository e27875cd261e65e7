// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_view.c - the TUI's view model (kf_view.h) on models built by hand.
 *
 * Trees are tables of {depth, name, ns} in pre-order.  Each case draws
 * the rows it expects in a comment; shape() prints the same drawing from
 * the view: "> " marks the cursor row, "|-+ " a folded node, "(N hidden)"
 * a run of calls hidden by the minimum duration.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kf_decode.h"
#include "kf_model.h"
#include "kf_render.h"
#include "kf_view.h"

#define US 1000ULL

struct tn {
	int depth;          /* -1 ends a table */
	const char *name;
	uint64_t dur;
	uint16_t flags;
};

/* Add a call whose tree is tab (function mode: sys stays KF_NONE). */
static uint32_t add_call(struct kf_model *m, const struct tn *tab,
			 uint64_t start, const char *comm, int pid)
{
	uint32_t cur[64], last[65], ci, n = 0, i, root = KF_NONE;
	uint64_t t = start;
	struct kf_call *c;

	for (i = 0; i < 65; i++)
		last[i] = KF_NONE;
	for (i = 0; tab[i].depth >= 0; i++) {
		uint32_t ni = kf_model_node_new(m);
		struct kf_node *nd = kf_node_get(m, ni);
		int d = tab[i].depth;

		assert_int_not_equal(ni, KF_NONE);
		assert_true(d < 63);
		nd->func = kf_strtab_intern(&m->strs, tab[i].name);
		nd->dur = nd->self = tab[i].dur;
		nd->start = t++;
		nd->depth = d;
		nd->flags = tab[i].flags;
		nd->parent = d ? cur[d - 1] : KF_NONE;
		if (last[d] != KF_NONE)
			kf_node_get(m, last[d])->next = ni;
		else if (d)
			kf_node_get(m, cur[d - 1])->child = ni;
		else
			root = ni;
		if (d)
			kf_node_get(m, cur[d - 1])->self -= tab[i].dur;
		cur[d] = ni;
		last[d] = ni;
		last[d + 1] = KF_NONE;
		n++;
	}
	ci = kf_model_call_new(m);
	assert_int_not_equal(ci, KF_NONE);
	c = &m->calls[ci];
	c->root = root;
	c->nnodes = n;
	c->start = start;
	c->end = start + (root != KF_NONE ? kf_node_get(m, root)->dur : 0);
	c->comm = kf_strtab_intern(&m->strs, comm);
	c->pid = pid;
	return ci;
}

/* The rows as a drawing: cursor mark, ASCII tree lines, name. */
static const char *shape(const struct kf_tree *t)
{
	static char out[1 << 16];
	size_t pos = 0;
	uint32_t i;

	out[0] = '\0';
	for (i = 0; i < t->nrows; i++) {
		struct kf_row r;
		char pre[512];

		kf_tree_row(t, i, &r);
		kf_tree_prefix(t, i, pre, sizeof(pre), 1);
		if (r.hidden)
			pos += snprintf(out + pos, sizeof(out) - pos,
					"%s%s(%u hidden)\n",
					i == t->cur.row ? "> " : "  ", pre,
					r.hidden);
		else
			pos += snprintf(out + pos, sizeof(out) - pos,
					"%s%s%s\n",
					i == t->cur.row ? "> " : "  ", pre,
					r.name);
		assert_true(pos < sizeof(out));
	}
	return out;
}

/* Put the cursor on the row showing function name. */
static void go(struct kf_tree *t, const char *name)
{
	uint32_t i;

	for (i = 0; i < t->nrows; i++) {
		struct kf_row r;

		kf_tree_row(t, i, &r);
		if (!strcmp(r.name, name)) {
			kf_cursor_set(&t->cur, t->nrows, i);
			return;
		}
	}
	fail_msg("no row '%s'", name);
}

static const char *selected_name(const struct kf_tree *t)
{
	uint32_t n = kf_tree_selected(t);

	return n == KF_NONE ? "" :
	       kf_strtab_get(&t->m->strs, kf_node_get(t->m, n)->func);
}

/* Text a writer function produces, through a memory stream. */
static char *tree_text(const struct kf_tree *t, int ascii)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(kf_tree_write(f, t, ascii), 0);
	fclose(f);
	return buf;
}

/*
 * The open path, durations in us:
 *
 * do_sys_openat2               100
 * |-- getname                   10
 * |   `-- kmem_cache_alloc       3
 * |-- do_filp_open              80
 * |   `-- path_openat           70
 * |       |-- link_path_walk    20
 * |       |   `-- walk_component 15
 * |       `-- do_open           40
 * |           `-- vfs_open      30
 * `-- fd_install                 5
 */
static const struct tn open_tree[] = {
	{ 0, "do_sys_openat2", 100 * US, 0 },
	{ 1, "getname", 10 * US, 0 },
	{ 2, "kmem_cache_alloc", 3 * US, 0 },
	{ 1, "do_filp_open", 80 * US, 0 },
	{ 2, "path_openat", 70 * US, 0 },
	{ 3, "link_path_walk", 20 * US, 0 },
	{ 4, "walk_component", 15 * US, 0 },
	{ 3, "do_open", 40 * US, 0 },
	{ 4, "vfs_open", 30 * US, 0 },
	{ 1, "fd_install", 5 * US, 0 },
	{ -1, NULL, 0, 0 },
};

static const char open_full[] =
	"  do_sys_openat2\n"
	"  |-- getname\n"
	"  |   `-- kmem_cache_alloc\n"
	"  |-- do_filp_open\n"
	"  |   `-- path_openat\n"
	"  |       |-- link_path_walk\n"
	"  |       |   `-- walk_component\n"
	"  |       `-- do_open\n"
	"  |           `-- vfs_open\n"
	"  `-- fd_install\n";

struct fx {
	struct kf_model m;
	struct kf_tree t;
	uint32_t call;
};

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(kf_model_init(&f->m), 0);
	f->call = add_call(&f->m, open_tree, 1000, "cat", 100);
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;

	kf_tree_release(&f->t);
	kf_model_release(&f->m);
	free(f);
	return 0;
}

/* ---- folding --------------------------------------------------------- */

/*
 * unfold_depth 1: the top level open, its children folded.
 *
 *   > do_sys_openat2                  UNFOLD getname:
 *     |-+ getname                       do_sys_openat2
 *     |-+ do_filp_open                > |-- getname
 *     `-- fd_install                    |   `-- kmem_cache_alloc
 *                                       |-+ do_filp_open
 *                                       `-- fd_install
 *
 * FOLD on the leaf kmem_cache_alloc folds getname and moves there;
 * TOGGLE on do_filp_open shows path_openat (still folded); UNFOLD_ALL
 * on do_filp_open opens everything below it.
 */
static void test_fold_unfold(void **state)
{
	struct fx *f = *state;
	struct kf_tree *t = &f->t;

	assert_int_equal(kf_tree_init(t, &f->m, f->call, 1), 0);
	assert_int_equal(t->nents, 10);
	assert_string_equal(shape(t),
		"> do_sys_openat2\n"
		"  |-+ getname\n"
		"  |-+ do_filp_open\n"
		"  `-- fd_install\n");
	kf_cursor_move(&t->cur, t->nrows, 1);
	assert_int_equal(kf_tree_fold(t, KF_UNFOLD), 0);
	assert_string_equal(shape(t),
		"  do_sys_openat2\n"
		"> |-- getname\n"
		"  |   `-- kmem_cache_alloc\n"
		"  |-+ do_filp_open\n"
		"  `-- fd_install\n");
	/* unfolding an open row or a leaf does nothing */
	assert_int_equal(kf_tree_fold(t, KF_UNFOLD), -1);
	go(t, "kmem_cache_alloc");
	assert_int_equal(kf_tree_fold(t, KF_UNFOLD), -1);
	assert_int_equal(kf_tree_fold(t, KF_TOGGLE), -1);
	assert_int_equal(kf_tree_fold(t, KF_FOLD), 0);
	assert_string_equal(shape(t),
		"  do_sys_openat2\n"
		"> |-+ getname\n"
		"  |-+ do_filp_open\n"
		"  `-- fd_install\n");
	go(t, "do_filp_open");
	assert_int_equal(kf_tree_fold(t, KF_TOGGLE), 0);
	assert_string_equal(shape(t),
		"  do_sys_openat2\n"
		"  |-+ getname\n"
		"> |-- do_filp_open\n"
		"  |   `-+ path_openat\n"
		"  `-- fd_install\n");
	assert_int_equal(kf_tree_fold(t, KF_UNFOLD_ALL), 0);
	assert_string_equal(shape(t),
		"  do_sys_openat2\n"
		"  |-+ getname\n"
		"> |-- do_filp_open\n"
		"  |   `-- path_openat\n"
		"  |       |-- link_path_walk\n"
		"  |       |   `-- walk_component\n"
		"  |       `-- do_open\n"
		"  |           `-- vfs_open\n"
		"  `-- fd_install\n");
	/* folding keeps the inner folds: path_openat comes back open */
	assert_int_equal(kf_tree_fold(t, KF_TOGGLE), 0);
	assert_int_equal(t->nrows, 4);
	assert_int_equal(kf_tree_fold(t, KF_TOGGLE), 0);
	assert_int_equal(t->nrows, 9);
	/* the top row: fold it, then FOLD again has no caller to fold */
	kf_cursor_move(&t->cur, t->nrows, KF_CURSOR_HOME);
	assert_int_equal(kf_tree_fold(t, KF_FOLD), 0);
	assert_string_equal(shape(t), "> + do_sys_openat2\n");
	assert_int_equal(kf_tree_fold(t, KF_FOLD), -1);
	assert_int_equal(kf_tree_fold(t, KF_TOGGLE), 0);
	assert_int_equal(t->nrows, 9);
}

/*
 * unfold_depth 0 shows the top level only; -1 everything (open_full).
 * Expand all keeps the cursor on its node (walk_component); collapse all
 * takes it to its top-level function:
 *
 *   > + do_sys_openat2
 */
static void test_expand_collapse_all(void **state)
{
	struct fx *f = *state;
	struct kf_tree *t = &f->t;

	assert_int_equal(kf_tree_init(t, &f->m, f->call, 0), 0);
	assert_string_equal(shape(t), "> + do_sys_openat2\n");
	kf_tree_expand_all(t);
	assert_int_equal(t->nrows, 10);
	assert_string_equal(shape(t) + 2, open_full + 2);
	go(t, "walk_component");
	kf_tree_collapse_all(t);
	assert_string_equal(shape(t), "> + do_sys_openat2\n");
	kf_tree_expand_all(t);
	assert_string_equal(selected_name(t), "do_sys_openat2");
	go(t, "walk_component");
	kf_tree_fold(t, KF_FOLD);       /* fold link_path_walk */
	go(t, "getname");
	kf_tree_expand_all(t);          /* opens link_path_walk again */
	assert_string_equal(selected_name(t), "getname");
	assert_int_equal(t->nrows, 10);
	kf_tree_release(t);

	assert_int_equal(kf_tree_init(t, &f->m, f->call, -1), 0);
	assert_string_equal(shape(t) + 2, open_full + 2);
	assert_string_equal(shape(t), "> do_sys_openat2\n" "  |-- getname\n"
			    "  |   `-- kmem_cache_alloc\n" "  |-- do_filp_open\n"
			    "  |   `-- path_openat\n"
			    "  |       |-- link_path_walk\n"
			    "  |       |   `-- walk_component\n"
			    "  |       `-- do_open\n"
			    "  |           `-- vfs_open\n"
			    "  `-- fd_install\n");
}

/*
 * Hot path after collapse all: the heaviest child at each level
 * (do_filp_open 80, path_openat 70, do_open 40, vfs_open 30):
 *
 *     do_sys_openat2
 *     |-+ getname
 *     |-- do_filp_open
 *     |   `-- path_openat
 *     |       |-+ link_path_walk
 *     |       `-- do_open
 *   >  |           `-- vfs_open
 *     `-- fd_install
 *
 * then "go to parent" climbs do_open, path_openat, ... to the top.
 */
static void test_hot_path(void **state)
{
	struct fx *f = *state;
	struct kf_tree *t = &f->t;

	assert_int_equal(kf_tree_init(t, &f->m, f->call, 0), 0);
	assert_int_equal(kf_tree_hot_path(t), 0);
	assert_string_equal(shape(t),
		"  do_sys_openat2\n"
		"  |-+ getname\n"
		"  |-- do_filp_open\n"
		"  |   `-- path_openat\n"
		"  |       |-+ link_path_walk\n"
		"  |       `-- do_open\n"
		"> |           `-- vfs_open\n"
		"  `-- fd_install\n");
	assert_int_equal(kf_tree_parent(t), 0);
	assert_string_equal(selected_name(t), "do_open");
	assert_int_equal(kf_tree_parent(t), 0);
	assert_string_equal(selected_name(t), "path_openat");
	assert_int_equal(kf_tree_parent(t), 0);
	assert_int_equal(kf_tree_parent(t), 0);
	assert_string_equal(selected_name(t), "do_sys_openat2");
	assert_int_equal(kf_tree_parent(t), -1);
	/* the hot path leaves other folds alone: unfold getname, run again */
	go(t, "getname");
	kf_tree_fold(t, KF_UNFOLD);
	assert_int_equal(kf_tree_hot_path(t), 0);
	assert_string_equal(selected_name(t), "vfs_open");
	assert_int_equal(t->nrows, 9);
}

/*
 * Search from the top with the children of the top folded; "walk"
 * reveals link_path_walk (its callers unfold, it stays folded):
 *
 *     do_sys_openat2
 *     |-+ getname
 *     |-- do_filp_open
 *     |   `-- path_openat
 *   > |       |-+ link_path_walk
 *     |       `-+ do_open
 *     `-- fd_install
 *
 * next: walk_component (unfolds link_path_walk); next wraps back to
 * link_path_walk; prev from there wraps to walk_component.
 */
static void test_search(void **state)
{
	struct fx *f = *state;
	struct kf_tree *t = &f->t;
	struct kf_row r;
	uint32_t i, n;

	assert_int_equal(kf_tree_init(t, &f->m, f->call, 1), 0);
	assert_int_equal(kf_tree_search(t, "walk", 1), 0);
	assert_string_equal(shape(t),
		"  do_sys_openat2\n"
		"  |-+ getname\n"
		"  |-- do_filp_open\n"
		"  |   `-- path_openat\n"
		"> |       |-+ link_path_walk\n"
		"  |       `-+ do_open\n"
		"  `-- fd_install\n");
	assert_int_equal(kf_tree_search(t, NULL, 1), 0);
	assert_string_equal(shape(t),
		"  do_sys_openat2\n"
		"  |-+ getname\n"
		"  |-- do_filp_open\n"
		"  |   `-- path_openat\n"
		"  |       |-- link_path_walk\n"
		"> |       |   `-- walk_component\n"
		"  |       `-+ do_open\n"
		"  `-- fd_install\n");
	assert_int_equal(kf_tree_search(t, NULL, 1), 1);   /* wrapped */
	assert_string_equal(selected_name(t), "link_path_walk");
	assert_int_equal(kf_tree_search(t, "walk", -1), 1);
	assert_string_equal(selected_name(t), "walk_component");
	assert_int_equal(kf_tree_search(t, NULL, -1), 0);
	assert_string_equal(selected_name(t), "link_path_walk");

	/* smart case: "Walk" has a capital, so it is case-sensitive */
	assert_int_equal(kf_tree_search(t, "Walk", 1), -1);
	assert_string_equal(selected_name(t), "link_path_walk");
	assert_int_equal(kf_tree_search(t, "WALK", 1), -1);
	assert_int_equal(kf_tree_search(t, "zzz", 1), -1);

	/* "OPEN" finds nothing, "open" every *open* name; rows flag them */
	assert_int_equal(kf_tree_search(t, "open", 1), 0);
	assert_string_equal(selected_name(t), "do_open");
	kf_tree_expand_all(t);
	for (i = n = 0; i < t->nrows; i++) {
		kf_tree_row(t, i, &r);
		assert_int_equal(r.matched, strstr(r.name, "open") != NULL);
		n += r.matched;
	}
	assert_int_equal(n, 5);
	/* a single match wraps onto itself */
	assert_int_equal(kf_tree_search(t, "fd_install", 1), 0);
	assert_int_equal(kf_tree_search(t, NULL, 1), 1);
	assert_string_equal(selected_name(t), "fd_install");
	assert_int_equal(kf_tree_search(t, NULL, -1), 1);
	assert_string_equal(selected_name(t), "fd_install");
	/* "" clears the search: no highlights, NULL finds nothing */
	assert_int_equal(kf_tree_search(t, "", 1), -1);
	assert_null(t->search);
	kf_tree_row(t, 0, &r);
	assert_int_equal(r.matched, 0);
	assert_int_equal(kf_tree_search(t, NULL, 1), -1);
}

/*
 * By time, children longest first (path_openat's: do_open 40 before
 * link_path_walk 20).  getname's fold and the cursor's node survive:
 *
 *     do_sys_openat2
 *     |-- do_filp_open
 *     |   `-- path_openat
 *     |       |-- do_open
 *     |       |   `-- vfs_open
 *     |       `-- link_path_walk
 *     |           `-- walk_component
 *   > |-+ getname
 *     `-- fd_install
 *
 * Back to call order gives the first drawing again; the model's nodes
 * are byte for byte what they were.
 */
static void test_sort(void **state)
{
	struct fx *f = *state;
	struct kf_tree *t = &f->t;
	size_t bytes = f->m.nnodes * sizeof(struct kf_node);
	struct kf_node *before = malloc(bytes);

	assert_non_null(before);
	memcpy(before, f->m.chunks[0], bytes);
	assert_int_equal(kf_tree_init(t, &f->m, f->call, -1), 0);
	go(t, "getname");
	kf_tree_fold(t, KF_FOLD);
	assert_int_equal(kf_tree_set_sort(t, KF_TREE_BY_TIME), 0);
	assert_int_equal(t->sort, KF_TREE_BY_TIME);
	assert_string_equal(shape(t),
		"  do_sys_openat2\n"
		"  |-- do_filp_open\n"
		"  |   `-- path_openat\n"
		"  |       |-- do_open\n"
		"  |       |   `-- vfs_open\n"
		"  |       `-- link_path_walk\n"
		"  |           `-- walk_component\n"
		"> |-+ getname\n"
		"  `-- fd_install\n");
	/* search goes in the sorted order: from getname it wraps */
	assert_int_equal(kf_tree_search(t, "walk", 1), 1);
	assert_string_equal(selected_name(t), "link_path_walk");
	assert_int_equal(kf_tree_search(t, NULL, 1), 0);
	assert_string_equal(selected_name(t), "walk_component");
	go(t, "getname");
	assert_int_equal(kf_tree_set_sort(t, KF_TREE_BY_CALL_ORDER), 0);
	assert_string_equal(shape(t),
		"  do_sys_openat2\n"
		"> |-+ getname\n"
		"  |-- do_filp_open\n"
		"  |   `-- path_openat\n"
		"  |       |-- link_path_walk\n"
		"  |       |   `-- walk_component\n"
		"  |       `-- do_open\n"
		"  |           `-- vfs_open\n"
		"  `-- fd_install\n");
	/* twice the same sort is a no-op; time again, then call order */
	assert_int_equal(kf_tree_set_sort(t, KF_TREE_BY_CALL_ORDER), 0);
	assert_int_equal(kf_tree_set_sort(t, KF_TREE_BY_TIME), 0);
	assert_int_equal(kf_tree_set_sort(t, KF_TREE_BY_CALL_ORDER), 0);
	kf_tree_expand_all(t);
	kf_cursor_move(&t->cur, t->nrows, KF_CURSOR_HOME);
	assert_string_equal(shape(t) + 2, open_full + 2);
	assert_memory_equal(before, f->m.chunks[0], bytes);
	free(before);
}

/*
 * Equal times keep call order when sorted by time:
 *
 *   top 10          by time:  top
 *   |-- a 2                   |-- c 5
 *   |-- b 3                   |-- b 3
 *   |-- c 5                   |-- d 3
 *   `-- d 3                   `-- a 2
 */
static void test_sort_ties(void **state)
{
	static const struct tn tab[] = {
		{ 0, "top", 10 * US, 0 }, { 1, "a", 2 * US, 0 }, { 1, "b", 3 * US, 0 },
		{ 1, "c", 5 * US, 0 }, { 1, "d", 3 * US, 0 }, { -1, NULL, 0, 0 },
	};
	struct fx *f = *state;
	struct kf_tree *t = &f->t;
	uint32_t ci = add_call(&f->m, tab, 5000, "x", 1);

	assert_int_equal(kf_tree_init(t, &f->m, ci, -1), 0);
	assert_int_equal(kf_tree_set_sort(t, KF_TREE_BY_TIME), 0);
	assert_string_equal(shape(t),
		"> top\n"
		"  |-- c\n"
		"  |-- b\n"
		"  |-- d\n"
		"  `-- a\n");
}

/*
 * Minimum duration 8 us hides kmem_cache_alloc (3) and fd_install (5),
 * each as a one-call row; 25 us hides getname with its child,
 * link_path_walk with its child and fd_install, one row per caller after
 * the calls it shows:
 *
 *     do_sys_openat2                   do_sys_openat2
 *     |-- getname                      |-- do_filp_open
 *     |   `-- (1 hidden)               |   `-- path_openat
 *     |-- do_filp_open                 |       |-- do_open
 *     |   `-- path_openat              |       |   `-- vfs_open
 *     |       |-- link_path_walk       |       `-- (1 hidden)
 *     |       |   `-- walk_component   `-- (2 hidden)
 *     |       `-- do_open
 *     |           `-- vfs_open
 *     `-- (1 hidden)
 */
static void test_min_dur(void **state)
{
	struct fx *f = *state;
	struct kf_tree *t = &f->t;
	struct kf_row r;

	assert_int_equal(kf_tree_init(t, &f->m, f->call, -1), 0);
	go(t, "kmem_cache_alloc");
	kf_tree_set_min_dur(t, 8 * US);
	assert_string_equal(shape(t),
		"  do_sys_openat2\n"
		"  |-- getname\n"
		"> |   `-- (1 hidden)\n"
		"  |-- do_filp_open\n"
		"  |   `-- path_openat\n"
		"  |       |-- link_path_walk\n"
		"  |       |   `-- walk_component\n"
		"  |       `-- do_open\n"
		"  |           `-- vfs_open\n"
		"  `-- (1 hidden)\n");
	kf_tree_row(t, t->cur.row, &r);
	assert_int_equal(r.hidden, 1);
	assert_int_equal(r.total, 3 * US);
	assert_int_equal(r.has_kids, 0);
	/* a hidden row cannot fold; FOLD folds its caller */
	assert_int_equal(kf_tree_fold(t, KF_UNFOLD), -1);
	go(t, "walk_component");
	kf_tree_set_min_dur(t, 25 * US);
	assert_string_equal(shape(t),
		"  do_sys_openat2\n"
		"  |-- do_filp_open\n"
		"  |   `-- path_openat\n"
		"  |       |-- do_open\n"
		"  |       |   `-- vfs_open\n"
		"> |       `-- (1 hidden)\n"
		"  `-- (2 hidden)\n");
	/* search and the hot path skip what is hidden */
	assert_int_equal(kf_tree_search(t, "getname", 1), -1);
	assert_int_equal(kf_tree_search(t, "kmem", -1), -1);
	go(t, "path_openat");
	assert_int_equal(kf_tree_search(t, "open", 1), 0);
	assert_string_equal(selected_name(t), "do_open");
	kf_tree_set_min_dur(t, 0);
	assert_string_equal(selected_name(t), "do_open");
	assert_int_equal(t->nrows, 10);
}

/*
 * A node no clock timed reads "?", never a confident 0 ns, and its
 * invocation's header is marked '~'; a call that never returned says so.
 */
static void test_clock_marks(void **state)
{
	static const struct tn tab[] = {
		{ 0, "parent", 100 * US, 0 }, { 1, "read_hpet", 0, KF_NODE_CLOCK },
		{ -1, NULL, 0, 0 },
	};
	struct fx *f = *state;
	struct kf_tree *t = &f->t;
	char line[256];
	uint32_t ci = add_call(&f->m, tab, 5000, "x", 1);

	f->m.calls[ci].flags |= KF_CALL_CLOCK | KF_CALL_NORETURN;
	assert_int_equal(kf_tree_init(t, &f->m, ci, -1), 0);
	kf_tree_line(t, 1, line, sizeof(line), 1);
	assert_string_equal(line, "            ?           ?   0.0%  "
			    "`-- read_hpet [clock unreliable]");
	kf_view_call_header(&f->m, ci, line, sizeof(line));
	assert_non_null(strstr(line, " <~"));
	assert_non_null(strstr(line, "(did not return: the task exited)"));
}

/*
 * The hidden children of a node are one row, after the children it
 * shows, whatever their order; a node that never returned stays (its
 * time is a lower bound).  At 10 us, with the cursor on b:
 *
 *     parent
 *     |-- c
 *     |-- d [no return seen]
 *   > `-- (4 hidden)        a, b, e, f
 */
static void test_hidden_runs(void **state)
{
	static const struct tn tab[] = {
		{ 0, "parent", 100 * US, 0 }, { 1, "a", 1 * US, 0 },
		{ 1, "b", 1 * US, 0 }, { 1, "c", 50 * US, 0 },
		{ 1, "d", 1 * US, KF_NODE_NOEXIT }, { 1, "e", 1 * US, 0 },
		{ 1, "f", 2 * US, 0 }, { -1, NULL, 0, 0 },
	};
	struct fx *f = *state;
	struct kf_tree *t = &f->t;
	struct kf_row r;
	char line[256];

	uint32_t ci = add_call(&f->m, tab, 5000, "x", 1);

	assert_int_equal(kf_tree_init(t, &f->m, ci, -1), 0);
	go(t, "b");
	kf_tree_set_min_dur(t, 10 * US);
	assert_string_equal(shape(t),
		"  parent\n"
		"  |-- c\n"
		"  |-- d\n"
		"> `-- (4 hidden)\n");
	kf_tree_row(t, 3, &r);
	assert_int_equal(r.hidden, 4);
	assert_int_equal(r.total, 5 * US);
	assert_int_equal(r.last, 1);
	kf_tree_line(t, 2, line, sizeof(line), 1);
	assert_string_equal(line, "     1.000 us    1.000 us   1.0%  "
			    "|-- d [no return seen]");
	kf_tree_line(t, 3, line, sizeof(line), 1);
	assert_string_equal(line, "                                  "
			    "`-- (4 hidden calls, 5.000 us)");
	/* by time the same: the hidden ones still go last, in one row */
	assert_int_equal(kf_tree_set_sort(t, KF_TREE_BY_TIME), 0);
	assert_string_equal(shape(t),
		"  parent\n"
		"  |-- c\n"
		"  |-- d\n"
		"> `-- (4 hidden)\n");
	/* shown again: back in call order, the cursor on a hidden one */
	assert_int_equal(kf_tree_set_sort(t, KF_TREE_BY_CALL_ORDER), 0);
	kf_tree_set_min_dur(t, 0);
	assert_string_equal(shape(t),
		"  parent\n"
		"> |-- a\n"
		"  |-- b\n"
		"  |-- c\n"
		"  |-- d\n"
		"  |-- e\n"
		"  `-- f\n");
	kf_tree_set_min_dur(t, 10 * US);
	/* the cursor was on a hidden row: fold its caller */
	assert_int_equal(kf_tree_fold(t, KF_FOLD), 0);
	assert_string_equal(shape(t), "> + parent\n");
}

/*
 * i hides interrupts with what they called, with no row for them; the
 * cursor inside one goes to the function it came in; the tree lines end
 * at the last sibling shown.  Here with the cursor on tick:
 *
 *     read                          read
 *     |-- ext4_read                 |-- ext4_read
 *     |   |-- filemap               |   `-- filemap
 *     |   `-- apic_timer [irq]    > `-- copy_to_user
 *     |       `-- tick
 *     |-- copy_to_user
 *     `-- do_softirq [softirq]
 *         `-- net_rx [softirq] (nested: counted once)
 */
static void test_hide_irq(void **state)
{
	static const struct tn tab[] = {
		{ 0, "read", 100 * US, 0 }, { 1, "ext4_read", 50 * US, 0 },
		{ 2, "filemap", 20 * US, 0 },
		{ 2, "apic_timer", 10 * US, KF_NODE_IRQ },
		{ 3, "tick", 5 * US, 0 },
		{ 1, "copy_to_user", 2 * US, 0 },
		{ 1, "do_softirq", 30 * US, KF_NODE_SOFTIRQ },
		{ 2, "net_rx", 20 * US, KF_NODE_SOFTIRQ },
		{ -1, NULL, 0, 0 },
	};
	struct fx *f = *state;
	struct kf_tree *t = &f->t;
	uint32_t ci = add_call(&f->m, tab, 5000, "x", 1);

	assert_int_equal(kf_tree_init(t, &f->m, ci, -1), 0);
	go(t, "tick");
	kf_tree_set_hide_irq(t, 1);
	assert_int_equal(t->irq_hidden, 2);
	assert_string_equal(shape(t),
		"  read\n"
		"> |-- ext4_read\n"
		"  |   `-- filemap\n"
		"  `-- copy_to_user\n");
	/* search and the hot path skip them */
	assert_int_equal(kf_tree_search(t, "net_rx", 1), -1);
	assert_int_equal(kf_tree_hot_path(t), 0);
	assert_string_equal(selected_name(t), "filemap");
	/* with the minimum duration: the hidden row is still last */
	kf_tree_set_min_dur(t, 3 * US);
	assert_string_equal(shape(t),
		"  read\n"
		"  |-- ext4_read\n"
		"> |   `-- filemap\n"
		"  `-- (1 hidden)\n");
	kf_tree_set_min_dur(t, 0);
	go(t, "ext4_read");
	kf_tree_set_hide_irq(t, 0);
	assert_int_equal(t->irq_hidden, 0);
	assert_int_equal(t->nrows, 8);
	assert_string_equal(selected_name(t), "ext4_read");
	/* shown again in call order */
	go(t, "tick");
	kf_tree_set_sort(t, KF_TREE_BY_TIME);
	kf_tree_set_sort(t, KF_TREE_BY_CALL_ORDER);
	assert_string_equal(shape(t),
		"  read\n"
		"  |-- ext4_read\n"
		"  |   |-- filemap\n"
		"  |   `-- apic_timer\n"
		"> |       `-- tick\n"
		"  |-- copy_to_user\n"
		"  `-- do_softirq\n"
		"      `-- net_rx\n");
}

/* ---- rows as data and text -------------------------------------------- */

/*
 *     vfs_read                        1.5 ms        layer vfs
 *     |-- rw_verify_area              800 ns        (none: not a caller's)
 *     |-- ext4_file_read_iter         1.2 ms        ext4
 *     |   |-- filemap_read            150 us        mm
 *     |   `-- __sysvec_apic_timer_interrupt 12 us [irq]   (none)
 *     `-- fsnotify_access             20 us [no return seen] [events lost]
 */
static const struct tn read_tree[] = {
	{ 0, "vfs_read", 1500 * US, 0 },
	{ 1, "rw_verify_area", 800, 0 },
	{ 1, "ext4_file_read_iter", 1200 * US, 0 },
	{ 2, "filemap_read", 150 * US, 0 },
	{ 2, "__sysvec_apic_timer_interrupt", 12 * US, KF_NODE_IRQ },
	{ 1, "fsnotify_access", 20 * US, KF_NODE_NOEXIT | KF_NODE_LOST },
	{ -1, NULL, 0, 0 },
};

static void test_rows(void **state)
{
	static const struct kf_layer layers[] = {
		{ "ext4_*", "ext4" }, { "vfs_*", "vfs" },
		{ "filemap_*", "mm" },
	};
	struct fx *f = *state;
	struct kf_tree *t = &f->t;
	uint32_t ci = add_call(&f->m, read_tree, 5000, "cat", 100);
	struct kf_row r;

	assert_int_equal(kf_tree_init(t, &f->m, ci, -1), 0);
	assert_int_equal(t->total, 1500 * US);
	kf_tree_row(t, 0, &r);
	assert_string_equal(r.name, "vfs_read");
	assert_int_equal(r.kind, KF_ROW_NODE);
	assert_int_equal(r.total, 1500 * US);
	assert_int_equal(r.self, 1500 * US - 800 - 1200 * US - 20 * US);
	assert_int_equal(r.share, 1000);
	assert_int_equal(r.heat, '#');
	assert_int_equal(r.depth, 0);
	assert_int_equal(r.has_kids, 1);
	assert_int_equal(r.folded, 0);
	assert_int_equal(r.last, 1);
	assert_null(r.layer);
	kf_tree_row(t, 2, &r);
	assert_string_equal(r.name, "ext4_file_read_iter");
	assert_int_equal(r.share, 800);
	assert_int_equal(r.last, 0);
	assert_int_equal(r.depth, 1);
	kf_tree_row(t, 4, &r);
	assert_int_equal(r.flags, KF_NODE_IRQ);
	assert_int_equal(r.heat, '+');
	assert_int_equal(r.share, 8);
	assert_int_equal(r.last, 1);
	assert_int_equal(r.depth, 2);
	kf_tree_row(t, 5, &r);
	assert_int_equal(r.flags, KF_NODE_NOEXIT | KF_NODE_LOST);

	assert_int_equal(kf_tree_set_layers(t, layers, 3), 0);
	kf_tree_row(t, 0, &r);
	assert_string_equal(r.layer, "vfs");
	kf_tree_row(t, 1, &r);
	assert_null(r.layer);	/* its caller's is not its own */
	kf_tree_row(t, 2, &r);
	assert_string_equal(r.layer, "ext4");
	kf_tree_row(t, 3, &r);
	assert_string_equal(r.layer, "mm");
	kf_tree_row(t, 4, &r);
	assert_null(r.layer);
	assert_string_equal(kf_tree_layer(t, kf_strtab_find(&f->m.strs,
				"ext4_file_read_iter")), "ext4");
	assert_null(kf_tree_layer(t, kf_strtab_find(&f->m.strs,
				"rw_verify_area")));
}

/*
 * A layer's colour is its name's rank in the table, whatever line names
 * it: vfs's second glob gets vfs's colour, the same in every view.
 */
static void test_layer_colors(void **state)
{
	static const struct kf_layer layers[] = {
		{ "ext4_*", "ext4" }, { "vfs_*", "vfs" },
		{ "filemap_*", "mm" }, { "fsnotify_*", "vfs" },
	};
	struct fx *f = *state;
	struct kf_tree *t = &f->t;
	uint32_t ci = add_call(&f->m, read_tree, 5000, "cat", 100);
	struct kf_row r;

	assert_int_equal(kf_layer_color(layers, 4, 0), 1);
	assert_int_equal(kf_layer_color(layers, 4, 1), 2);
	assert_int_equal(kf_layer_color(layers, 4, 2), 3);
	assert_int_equal(kf_layer_color(layers, 4, 3), 2);
	assert_int_equal(kf_layer_color(layers, 4, 4), 0);
	assert_int_equal(kf_layer_color(layers, 4, -1), 0);
	assert_int_equal(kf_tree_init(t, &f->m, ci, -1), 0);
	kf_tree_row(t, 0, &r);
	assert_int_equal(r.color, 0);      /* no table yet */
	assert_int_equal(kf_tree_set_layers(t, layers, 4), 0);
	kf_tree_row(t, 0, &r);             /* vfs_read */
	assert_int_equal(r.color, 2);
	kf_tree_row(t, 1, &r);             /* rw_verify_area: none */
	assert_int_equal(r.color, 0);
	kf_tree_row(t, 2, &r);             /* ext4_file_read_iter */
	assert_int_equal(r.color, 1);
	kf_tree_row(t, 3, &r);             /* filemap_read */
	assert_int_equal(r.color, 3);
	kf_tree_row(t, 5, &r);             /* fsnotify_access: vfs again */
	assert_string_equal(r.layer, "vfs");
	assert_int_equal(r.color, 2);
	/* the colour goes with the node when the rows move */
	assert_int_equal(kf_tree_set_sort(t, KF_TREE_BY_TIME), 0);
	kf_tree_row(t, 1, &r);
	assert_string_equal(r.name, "ext4_file_read_iter");
	assert_int_equal(r.color, 1);
}

/* An openat of `path` with read_tree's tree, in m. */
static uint32_t add_open(struct kf_model *m, const char *path, uint64_t at)
{
	uint32_t ci = add_call(m, read_tree, at, "cat", 7);
	struct kf_call *c = &m->calls[ci];

	c->sys = kf_model_sys_get(m, "openat");
	assert_int_not_equal(c->sys, KF_NONE);
	c->argstr[1] = kf_strtab_intern(&m->strs, path);
	return ci;
}

/*
 * --diff: B's capture appended to A's model keeps its trees (names, links)
 * whatever ids its strings had; calls pair by syscall and path, the n-th
 * with the n-th; the written text names both and says what is one-sided.
 *   A: /a /b /b      B: /b /c /b
 *   pairs: A1-B0, A2-B2; only in A: /a; only in B: /c
 */
static void test_diff_captures(void **state)
{
	struct kf_model a, b;
	uint32_t first, pair[6], i;
	const struct kf_node *n;
	char *text = NULL;
	size_t len = 0;
	FILE *out;

	(void)state;
	assert_int_equal(kf_model_init(&a), 0);
	add_open(&a, "/a", 100);
	add_open(&a, "/b", 200);
	add_open(&a, "/b", 300);
	assert_int_equal(kf_model_init(&b), 0);
	/* strings interned in another order: ids differ from A's */
	kf_strtab_intern(&b.strs, "zzz");
	add_open(&b, "/b", 10);
	add_open(&b, "/c", 20);
	add_open(&b, "/b", 30);
	first = kf_model_append(&a, &b);
	kf_model_release(&b);
	assert_int_equal(first, 3);
	assert_int_equal(a.ncalls, 6);
	n = kf_node_get(&a, a.calls[4].root);
	assert_string_equal(kf_strtab_get(&a.strs, n->func), "vfs_read");
	n = kf_node_get(&a, n->child);
	assert_string_equal(kf_strtab_get(&a.strs, n->func), "rw_verify_area");
	assert_string_equal(kf_strtab_get(&a.strs, a.calls[4].argstr[1]), "/c");
	assert_int_equal(a.calls[4].sys, a.calls[0].sys);
	/* B's clock moved past A's: a second after A's last call ends */
	assert_true(a.calls[3].start >= a.calls[2].end + 1000000000ull);
	assert_int_equal(a.calls[4].start - a.calls[3].start, 10);
	/* its nodes moved with it (add_call starts a root with its call) */
	assert_int_equal(kf_node_get(&a, a.calls[3].root)->start,
			 a.calls[3].start);

	assert_int_equal(kf_diff_pair(&a, first, pair), 2);
	assert_int_equal(pair[0], KF_NONE);
	assert_int_equal(pair[1], 3);
	assert_int_equal(pair[2], 5);
	assert_int_equal(pair[3], 1);
	assert_int_equal(pair[4], KF_NONE);

	out = open_memstream(&text, &len);
	assert_non_null(out);
	assert_int_equal(kf_diff_write(out, &a, first, "a.json", "b.json", 0, 1), 0);
	fclose(out);
	assert_non_null(strstr(text, "A 'a.json' (3 invocations), B 'b.json' (3)"));
	assert_non_null(strstr(text, "# 2 paired by syscall and path, 1 only in A, 1 only in B"));
	assert_non_null(strstr(text, "\nonly in A: openat("));
	assert_non_null(strstr(text, "\nonly in B: openat("));
	for (i = 0, len = 0; text[i]; i++)
		len += !strncmp(text + i, "\nA: openat(", 11);
	assert_int_equal(len, 2);
	free(text);
	kf_model_release(&a);
}

/*
 * kf_tree_write: the call header (checked against the decoder's own
 * text), the columns, then the rows as drawn above.  Worked out by hand:
 * vfs_read self = 1500 - 0.8 - 1200 - 20 = 279.2 us; ext4's self =
 * 1200 - 150 - 12 = 1038 us; shares per mille of 1.5 ms, rounded down.
 */
static void test_write(void **state)
{
	static const struct kf_layer layers[] = {
		{ "ext4_*", "ext4" }, { "vfs_*", "vfs" },
		{ "filemap_*", "mm" },
	};
	struct fx *f = *state;
	struct kf_tree *t = &f->t;
	uint32_t ci = add_call(&f->m, read_tree, 5000, "cat", 100);
	char head[512], *text;
	const char *rows;

	f->m.calls[ci].cpu = 3;
	f->m.calls[ci].flags |= KF_CALL_INCOMPLETE;
	kf_decode_header(&f->m, &f->m.calls[ci], head, sizeof(head));
	assert_int_equal(kf_tree_init(t, &f->m, ci, -1), 0);
	text = tree_text(t, 1);
	rows = strchr(text, '\n');
	assert_non_null(rows);
	assert_memory_equal(text, head, strlen(head));
	assert_string_equal(text + strlen(head),
		" <1.500 ms> cat[100] cpu 3 (incomplete: the kernel dropped "
		"events)\n"
		"        total        self  share  function\n"
		"#    1.500 ms  279.200 us 100.0%  vfs_read\n"
		"       800 ns      800 ns   0.0%  |-- rw_verify_area\n"
		"#    1.200 ms    1.038 ms  80.0%  |-- ext4_file_read_iter\n"
		"!  150.000 us  150.000 us  10.0%  |   |-- filemap_read\n"
		"+   12.000 us   12.000 us   0.8%  |   `-- "
		"__sysvec_apic_timer_interrupt [irq]\n"
		"+   20.000 us   20.000 us   1.3%  `-- fsnotify_access "
		"[no return seen] [events lost]\n");
	free(text);

	/* UTF-8 lines, a fold and the layer column */
	assert_int_equal(kf_tree_set_layers(t, layers, 3), 0);
	go(t, "ext4_file_read_iter");
	kf_tree_fold(t, KF_FOLD);
	kf_tree_set_min_dur(t, 1 * US);
	text = tree_text(t, 0);
	rows = strchr(text, '\n') + 1;
	assert_string_equal(rows,
		"        total        self  share  layer  function\n"
		"#    1.500 ms  279.200 us 100.0%  vfs    vfs_read\n"
		"#    1.200 ms    1.038 ms  80.0%  ext4   ├▸ "
		"ext4_file_read_iter\n"
		"+   20.000 us   20.000 us   1.3%         ├─ fsnotify_access "
		"[no return seen] [events lost]\n"
		"                                         └─ (1 hidden call, "
		"800 ns)\n"
		"# hidden calls: shorter than 1.000 us\n");
	free(text);

	/* narrow screens leave the layer column out */
	t->hide_layer = 1;
	text = tree_text(t, 0);
	rows = strchr(text, '\n') + 1;
	assert_string_equal(rows,
		"        total        self  share  function\n"
		"#    1.500 ms  279.200 us 100.0%  vfs_read\n"
		"#    1.200 ms    1.038 ms  80.0%  ├▸ ext4_file_read_iter\n"
		"+   20.000 us   20.000 us   1.3%  ├─ fsnotify_access "
		"[no return seen] [events lost]\n"
		"                                  └─ (1 hidden call, 800 ns)\n"
		"# hidden calls: shorter than 1.000 us\n");
	free(text);
}

/* Lines are cut to the buffer like snprintf, and say the full length. */
static void test_line_truncation(void **state)
{
	struct fx *f = *state;
	struct kf_tree *t = &f->t;
	char full[256], cut[20];
	size_t n;

	assert_int_equal(kf_tree_init(t, &f->m, f->call, -1), 0);
	n = kf_tree_line(t, 6, full, sizeof(full), 0);
	assert_int_equal(n, strlen(full));
	assert_int_equal(kf_tree_line(t, 6, cut, sizeof(cut), 0), n);
	assert_int_equal(strlen(cut), sizeof(cut) - 1);
	assert_memory_equal(cut, full, sizeof(cut) - 1);
	assert_int_equal(kf_tree_line(t, 6, NULL, 0, 0), n);
	n = kf_tree_prefix(t, 6, full, sizeof(full), 0);
	assert_string_equal(full, "│     │  └─ ");
	assert_int_equal(n, strlen(full));
	assert_int_equal(kf_tree_prefix(t, 6, cut, 4, 0), n);
}

static void test_overhead_marks(void **state)
{
	(void)state;
	/* the kernel's trace_find_mark: strictly greater than the limit */
	assert_int_equal(kf_overhead_mark(0), ' ');
	assert_int_equal(kf_overhead_mark(10000), ' ');
	assert_int_equal(kf_overhead_mark(10001), '+');
	assert_int_equal(kf_overhead_mark(100000), '+');
	assert_int_equal(kf_overhead_mark(100001), '!');
	assert_int_equal(kf_overhead_mark(1000000), '!');
	assert_int_equal(kf_overhead_mark(1000001), '#');
	assert_int_equal(kf_overhead_mark(10000001), '*');
	assert_int_equal(kf_overhead_mark(100000001), '@');
	assert_int_equal(kf_overhead_mark(1000000000), '@');
	assert_int_equal(kf_overhead_mark(1000000001), '$');
	assert_int_equal(kf_overhead_mark(UINT64_MAX), '$');
}

/* ---- the cursor -------------------------------------------------------- */

static void test_cursor(void **state)
{
	struct kf_cursor c = { 0, 0, 5 };

	(void)state;
	kf_cursor_move(&c, 12, 1);
	assert_int_equal(c.row, 1);
	assert_int_equal(c.top, 0);
	kf_cursor_move(&c, 12, 4);                /* off the page: scroll 1 */
	assert_int_equal(c.row, 5);
	assert_int_equal(c.top, 1);
	kf_cursor_move(&c, 12, 5);                /* a page: both move */
	assert_int_equal(c.row, 10);
	assert_int_equal(c.top, 6);
	kf_cursor_move(&c, 12, 5);                /* clamped at the end */
	assert_int_equal(c.row, 11);
	assert_int_equal(c.top, 7);
	kf_cursor_move(&c, 12, -5);
	assert_int_equal(c.row, 6);
	assert_int_equal(c.top, 2);
	kf_cursor_move(&c, 12, -100);
	assert_int_equal(c.row, 0);
	assert_int_equal(c.top, 0);
	kf_cursor_move(&c, 12, KF_CURSOR_END);
	assert_int_equal(c.row, 11);
	assert_int_equal(c.top, 7);               /* a full last page */
	kf_cursor_move(&c, 12, KF_CURSOR_HOME);
	assert_int_equal(c.row, 0);
	assert_int_equal(c.top, 0);
	/* fewer rows than a page: top stays 0 */
	kf_cursor_move(&c, 3, KF_CURSOR_END);
	assert_int_equal(c.row, 2);
	assert_int_equal(c.top, 0);
	/* rows went away under the cursor */
	c.row = 11;
	c.top = 7;
	kf_cursor_clamp(&c, 4);
	assert_int_equal(c.row, 3);
	assert_int_equal(c.top, 0);
	kf_cursor_clamp(&c, 0);
	assert_int_equal(c.row, 0);
	assert_int_equal(c.top, 0);
	kf_cursor_move(&c, 0, 3);
	assert_int_equal(c.row, 0);
	/* a jump off screen puts the row a third of a page down */
	c.page = 9;
	kf_cursor_set(&c, 100, 50);
	assert_int_equal(c.row, 50);
	assert_int_equal(c.top, 47);
	kf_cursor_set(&c, 100, 52);               /* on screen: no scroll */
	assert_int_equal(c.top, 47);
	kf_cursor_set(&c, 100, 1000);
	assert_int_equal(c.row, 99);
	assert_int_equal(c.top, 91);
	c.page = 0;                               /* never divides by 0 */
	kf_cursor_move(&c, 100, 1);
	assert_int_equal(c.page, 1);
}

/* Folding under the cursor near the end keeps a full screen. */
static void test_tree_cursor_clamp(void **state)
{
	struct fx *f = *state;
	struct kf_tree *t = &f->t;

	assert_int_equal(kf_tree_init(t, &f->m, f->call, -1), 0);
	t->cur.page = 4;
	kf_cursor_move(&t->cur, t->nrows, KF_CURSOR_END);
	assert_int_equal(t->cur.row, 9);
	assert_int_equal(t->cur.top, 6);
	kf_cursor_move(&t->cur, t->nrows, 100);
	assert_int_equal(t->cur.row, 9);
	go(t, "path_openat");
	kf_tree_fold(t, KF_FOLD);                 /* 10 rows -> 6 */
	assert_int_equal(t->nrows, 6);
	assert_int_equal(t->cur.row, 4);
	assert_true(t->cur.top <= 4 && t->cur.top + 4 > 4);
	assert_true(t->cur.top <= 2);             /* no empty screen rows */
	go(t, "do_sys_openat2");
	kf_tree_fold(t, KF_FOLD);
	assert_int_equal(t->nrows, 1);
	assert_int_equal(t->cur.row, 0);
	assert_int_equal(t->cur.top, 0);
}

/* A call without a tree, and a call that does not exist. */
static void test_empty(void **state)
{
	struct fx *f = *state;
	struct kf_tree *t = &f->t;
	static const struct tn none[] = { { -1, NULL, 0, 0 } };
	uint32_t ci = add_call(&f->m, none, 9000, "x", 1);
	char *text;

	assert_int_equal(kf_tree_init(t, &f->m, ci, -1), 0);
	assert_int_equal(t->nrows, 0);
	assert_int_equal(kf_tree_fold(t, KF_TOGGLE), -1);
	assert_int_equal(kf_tree_hot_path(t), -1);
	assert_int_equal(kf_tree_parent(t), -1);
	assert_int_equal(kf_tree_search(t, "x", 1), -1);
	assert_int_equal(kf_tree_selected(t), KF_NONE);
	kf_tree_expand_all(t);
	kf_tree_collapse_all(t);
	kf_tree_set_min_dur(t, 5);
	assert_int_equal(kf_tree_set_sort(t, KF_TREE_BY_TIME), 0);
	kf_cursor_move(&t->cur, t->nrows, 3);
	text = tree_text(t, 1);
	assert_non_null(strstr(text, "  function\n"));
	free(text);
	kf_tree_release(t);

	assert_int_equal(kf_tree_init(t, &f->m, 99, -1), -1);
	assert_string_equal(kf_err_msg(), "no call 99 in the capture");
	assert_int_equal(kf_tree_init_diff(t, &f->m, 0, 99), -1);
	assert_null(t->priv);
}

/* Broken links (a cycle) are an error, not a hang. */
static void test_broken_tree(void **state)
{
	struct fx *f = *state;
	struct kf_tree *t = &f->t;
	struct kf_summary s;
	uint32_t root = f->m.calls[f->call].root;

	kf_node_get(&f->m, kf_node_get(&f->m, root)->child)->next = root;
	f->m.calls[f->call].nnodes = 5;
	assert_int_equal(kf_tree_init(t, &f->m, f->call, -1), -1);
	assert_string_equal(kf_err_msg(), "call tree links are broken");
	assert_int_equal(kf_tree_init_diff(t, &f->m, f->call, f->call), -1);
	assert_int_equal(kf_summary_init(&s, &f->m, f->call), -1);
	assert_null(s.rows);
}

/* ---- diff -------------------------------------------------------------- */

static const struct tn diff_a[] = {
	{ 0, "do_sys_openat2", 100 * US, 0 },
	{ 1, "getname", 10 * US, 0 },
	{ 2, "kmem_cache_alloc", 3 * US, 0 },
	{ 1, "do_filp_open", 80 * US, 0 },
	{ 2, "path_openat", 70 * US, 0 },
	{ -1, NULL, 0, 0 },
};

/* diff rows: kind mark (= both, - only A, + only B, > slower), name */
static const char *diff_shape(const struct kf_tree *t)
{
	static char out[4096];
	size_t pos = 0;
	uint32_t i;

	out[0] = '\0';
	for (i = 0; i < t->nrows; i++) {
		struct kf_row r;
		char pre[256], k;

		kf_tree_row(t, i, &r);
		kf_tree_prefix(t, i, pre, sizeof(pre), 1);
		k = r.kind == KF_ROW_BOTH ? (r.slower > 0 ? '>' :
					     r.slower < 0 ? '<' : '=') :
		    r.kind == KF_ROW_ONLY_A ? '-' :
		    r.kind == KF_ROW_ONLY_B ? '+' : '?';
		pos += snprintf(out + pos, sizeof(out) - pos, "%c %s%s\n", k,
				pre, r.name);
	}
	return out;
}

/* The same tree on both sides: every row is in both, none slower. */
static void test_diff_same(void **state)
{
	struct fx *f = *state;
	struct kf_tree *t = &f->t;
	uint32_t a = add_call(&f->m, diff_a, 1000, "x", 1);
	uint32_t b = add_call(&f->m, diff_a, 9000, "x", 1);
	struct kf_row r;
	char line[256];

	assert_int_equal(kf_tree_init_diff(t, &f->m, a, b), 0);
	assert_string_equal(diff_shape(t),
		"= do_sys_openat2\n"
		"= |-- getname\n"
		"= |   `-- kmem_cache_alloc\n"
		"= `-- do_filp_open\n"
		"=     `-- path_openat\n");
	kf_tree_row(t, 3, &r);
	assert_int_equal(r.node, kf_node_get(&f->m,
		kf_node_get(&f->m, f->m.calls[a].root)->child)->next);
	assert_int_equal(r.node_b, kf_node_get(&f->m,
		kf_node_get(&f->m, f->m.calls[b].root)->child)->next);
	kf_tree_line(t, 0, line, sizeof(line), 1);
	assert_string_equal(line, "   100.000 us  100.000 us         0 ns  "
			    "do_sys_openat2");
	kf_tree_columns(t, line, sizeof(line));
	assert_string_equal(line, "      total A     total B        delta  "
			    "function");
	/* the diff of a call with itself is the same */
	kf_tree_release(t);
	assert_int_equal(kf_tree_init_diff(t, &f->m, a, a), 0);
	assert_int_equal(t->nrows, 5);
}

/*
 * B calls audit_inode inside do_filp_open, between the two calls both
 * make; B has no getname; B's path_openat takes 120 us, not 70:
 *
 *   = do_sys_openat2               (100 -> 150: slower, so '>')
 *   - |-- getname                  only in A, with its child
 *   - |   `-- kmem_cache_alloc
 *   > `-- do_filp_open             (80 -> 130)
 *   +     |-- audit_inode          only in B, placed in B's order
 *   >     `-- path_openat          (70 -> 120)
 */
static void test_diff_changes(void **state)
{
	static const struct tn tb[] = {
		{ 0, "do_sys_openat2", 150 * US, 0 },
		{ 1, "do_filp_open", 130 * US, 0 },
		{ 2, "audit_inode", 2 * US, 0 },
		{ 2, "path_openat", 120 * US, 0 },
		{ -1, NULL, 0, 0 },
	};
	struct fx *f = *state;
	struct kf_tree *t = &f->t;
	uint32_t a = add_call(&f->m, diff_a, 1000, "x", 1);
	uint32_t b = add_call(&f->m, tb, 9000, "x", 1);
	char *text;

	assert_int_equal(kf_tree_init_diff(t, &f->m, a, b), 0);
	assert_string_equal(diff_shape(t),
		"> do_sys_openat2\n"
		"- |-- getname\n"
		"- |   `-- kmem_cache_alloc\n"
		"> `-- do_filp_open\n"
		"+     |-- audit_inode\n"
		">     `-- path_openat\n");
	text = tree_text(t, 1);
	assert_non_null(strstr(text, "\n"
		"      total A     total B        delta  function\n"
		">  100.000 us  150.000 us   +50.000 us  do_sys_openat2\n"
		"-   10.000 us               -10.000 us  |-- getname\n"
		"-    3.000 us                -3.000 us  |   `-- "
		"kmem_cache_alloc\n"
		">   80.000 us  130.000 us   +50.000 us  `-- do_filp_open\n"
		"+                2.000 us    +2.000 us      |-- audit_inode\n"
		">   70.000 us  120.000 us   +50.000 us      `-- path_openat\n"));
	assert_memory_equal(text, "A: ", 3);
	assert_non_null(strstr(text, "\nB: "));
	free(text);

	/* B against A: the other way round, and faster */
	kf_tree_release(t);
	assert_int_equal(kf_tree_init_diff(t, &f->m, b, a), 0);
	assert_string_equal(diff_shape(t),
		"< do_sys_openat2\n"
		"+ |-- getname\n"
		"+ |   `-- kmem_cache_alloc\n"
		"< `-- do_filp_open\n"
		"-     |-- audit_inode\n"
		"<     `-- path_openat\n");

	/* below the thresholds nothing is slower: 10 % and 1 us */
	t->slower_pct = 80;
	assert_string_equal(diff_shape(t),
		"= do_sys_openat2\n"
		"+ |-- getname\n"
		"+ |   `-- kmem_cache_alloc\n"
		"= `-- do_filp_open\n"
		"-     |-- audit_inode\n"
		"=     `-- path_openat\n");
}

/*
 * The n-th call of a function pairs with the n-th: a at 10 and 20 us in
 * A, at 10.5 and 20.5 in B (less than 1 us slower: not flagged), b between them in A but after both in B.  B has a
 * third x, and a new call between p and q:
 *
 *   = top
 *   = |-- a        10 -> 10.5
 *   = |-- b
 *   = |-- a        20 -> 20.5
 *   = |-- p
 *   + |-- new
 *   = |-- q
 *   = |-- x
 *   = |-- x
 *   + `-- x
 */
static void test_diff_repeated(void **state)
{
	static const struct tn ta[] = {
		{ 0, "top", 200 * US, 0 }, { 1, "a", 10 * US, 0 }, { 1, "b", 1 * US, 0 },
		{ 1, "a", 20 * US, 0 }, { 1, "p", 1 * US, 0 }, { 1, "q", 1 * US, 0 },
		{ 1, "x", 1 * US, 0 }, { 1, "x", 1 * US, 0 }, { -1, NULL, 0, 0 },
	};
	static const struct tn tb[] = {
		{ 0, "top", 200 * US, 0 }, { 1, "a", 10500, 0 },
		{ 1, "a", 20500, 0 },
		{ 1, "b", 1 * US, 0 }, { 1, "p", 1 * US, 0 }, { 1, "new", 1 * US, 0 },
		{ 1, "q", 1 * US, 0 }, { 1, "x", 1 * US, 0 }, { 1, "x", 1 * US, 0 },
		{ 1, "x", 1 * US, 0 }, { -1, NULL, 0, 0 },
	};
	struct fx *f = *state;
	struct kf_tree *t = &f->t;
	uint32_t a = add_call(&f->m, ta, 1000, "x", 1);
	uint32_t b = add_call(&f->m, tb, 9000, "x", 1);
	struct kf_row r;

	assert_int_equal(kf_tree_init_diff(t, &f->m, a, b), 0);
	assert_string_equal(diff_shape(t),
		"= top\n"
		"= |-- a\n"
		"= |-- b\n"
		"= |-- a\n"
		"= |-- p\n"
		"+ |-- new\n"
		"= |-- q\n"
		"= |-- x\n"
		"= |-- x\n"
		"+ `-- x\n");
	kf_tree_row(t, 1, &r);
	assert_int_equal(r.total_a, 10 * US);
	assert_int_equal(r.total, 10500);
	kf_tree_row(t, 3, &r);
	assert_int_equal(r.total_a, 20 * US);
	assert_int_equal(r.total, 20500);
	/* the diff view folds, searches and sorts like any other */
	assert_int_equal(kf_tree_search(t, "new", 1), 0);
	assert_int_equal(t->cur.row, 5);
	assert_string_equal(selected_name(t), "new");
	assert_int_equal(kf_tree_set_sort(t, KF_TREE_BY_TIME), 0);
	kf_tree_row(t, 1, &r);
	assert_int_equal(r.total, 20500);
	assert_int_equal(kf_tree_hot_path(t), 0);
	kf_tree_row(t, t->cur.row, &r);
	assert_int_equal(r.total, 20500);
	kf_tree_collapse_all(t);
	assert_int_equal(t->nrows, 1);
}

/* ---- the invocation list ----------------------------------------------- */

struct lfx {
	struct kf_model m;
	struct kf_list l;
};

static const struct tn t_read[] = { { 0, "vfs_read", 5 * US, 0 }, { -1, NULL, 0, 0 } };
static const struct tn t_open[] = { { 0, "do_sys_openat2", 20 * US, 0 },
				    { -1, NULL, 0, 0 } };
static const struct tn t_open2[] = { { 0, "do_sys_openat2", 1 * US, 0 },
				     { -1, NULL, 0, 0 } };
static const struct tn t_write[] = { { 0, "vfs_write", 100 * US, 0 },
				     { -1, NULL, 0, 0 } };

static int lfx_setup(void **state)
{
	struct lfx *f = calloc(1, sizeof(*f));
	uint32_t c;

	assert_non_null(f);
	assert_int_equal(kf_model_init(&f->m), 0);
	add_call(&f->m, t_read, 1000, "cat", 100);
	c = add_call(&f->m, t_open, 2000, "ls", 200);
	f->m.calls[c].ret = -2;
	f->m.calls[c].flags |= KF_CALL_HAS_RET;
	c = add_call(&f->m, t_open2, 3000, "cat", 100);
	f->m.calls[c].flags |= KF_CALL_NOEXIT;
	add_call(&f->m, t_write, 4000, "bash", 300);
	*state = f;
	return 0;
}

static int lfx_teardown(void **state)
{
	struct lfx *f = *state;

	kf_list_release(&f->l);
	kf_model_release(&f->m);
	free(f);
	return 0;
}

static const char *list_calls(const struct kf_list *l)
{
	static char out[256];
	size_t pos = 0;
	uint32_t i;

	out[0] = '\0';
	for (i = 0; i < l->nrows; i++)
		pos += snprintf(out + pos, sizeof(out) - pos, "%s%u",
				i == l->cur.row ? ">" : " ", l->rows[i]);
	return out;
}

/*
 * Calls (start, duration): 0 vfs_read cat (1000, 5 us); 1 openat ls
 * (2000, 20 us) = -2; 2 openat cat (3000, 1 us) no exit; 3 vfs_write
 * bash (4000, 100 us).  ">" is the cursor.
 */
static void test_list(void **state)
{
	struct lfx *f = *state;
	struct kf_list *l = &f->l;
	struct kf_list_row r;

	assert_int_equal(kf_list_init(l, &f->m), 0);
	assert_string_equal(list_calls(l), ">0 1 2 3");
	assert_int_equal(kf_list_selected(l), 0);
	kf_cursor_move(&l->cur, l->nrows, 1);
	assert_int_equal(kf_list_sort(l, KF_LIST_BY_DURATION), 0);
	assert_string_equal(list_calls(l), " 3>1 0 2");
	assert_int_equal(kf_list_sort(l, KF_LIST_BY_TIME), 0);
	assert_string_equal(list_calls(l), " 0>1 2 3");

	kf_list_row(l, 1, &r);
	assert_int_equal(r.call, 1);
	assert_int_equal(r.failed, 1);
	assert_int_equal(r.status, 'x');
	assert_int_equal(r.start, 1000);
	assert_int_equal(r.dur, 20 * US);
	assert_int_equal(r.heat, '+');
	kf_list_row(l, 2, &r);
	assert_int_equal(r.failed, 0);
	assert_int_equal(r.incomplete, 1);
	assert_int_equal(r.status, '?');
	kf_list_row(l, 0, &r);
	assert_int_equal(r.status, ' ');
	assert_int_equal(r.heat, ' ');

	/* filters: a function name, a comm, smart case, narrowing */
	assert_int_equal(kf_list_filter(l, "openat"), 0);
	assert_string_equal(list_calls(l), ">1 2");
	assert_int_equal(kf_list_filter(l, "openat2()"), 0);
	assert_string_equal(list_calls(l), ">1 2");
	assert_int_equal(kf_list_filter(l, "CAT"), 0);
	assert_string_equal(list_calls(l), "");
	assert_int_equal(kf_list_selected(l), KF_NONE);
	assert_int_equal(kf_list_filter(l, "cat"), 0);
	assert_string_equal(list_calls(l), ">0 2");
	assert_int_equal(kf_list_filter(l, "cat[100]"), 0);
	assert_string_equal(list_calls(l), ">0 2");
	assert_int_equal(kf_list_filter(l, "VFS_"), 0);
	assert_string_equal(list_calls(l), "");
	assert_int_equal(kf_list_filter(l, "vfs_"), 0);
	assert_string_equal(list_calls(l), ">0 3");
	kf_cursor_move(&l->cur, l->nrows, 1);
	assert_int_equal(kf_list_sort(l, KF_LIST_BY_DURATION), 0);
	assert_string_equal(list_calls(l), ">3 0");
	/* clearing the filter keeps the sort and the selected call */
	assert_int_equal(kf_list_filter(l, NULL), 0);
	assert_string_equal(list_calls(l), ">3 1 0 2");
	assert_null(l->filter);
	assert_int_equal(kf_list_select(l, 2), 0);
	assert_string_equal(list_calls(l), " 3 1 0>2");
	assert_int_equal(kf_list_select(l, 42), -1);
}

/* A live capture adds calls; calls out of start order sort by start. */
static void test_list_update(void **state)
{
	struct lfx *f = *state;
	struct kf_list *l = &f->l;

	assert_int_equal(kf_list_init(l, &f->m), 0);
	assert_int_equal(kf_list_filter(l, "openat"), 0);
	add_call(&f->m, t_open, 500, "ls", 201);      /* started first */
	add_call(&f->m, t_read, 6000, "cat", 100);
	assert_int_equal(kf_list_update(l), 0);
	assert_int_equal(l->in_order, 0);
	assert_int_equal(l->t0, 500);
	assert_string_equal(list_calls(l), " 4>1 2");
	assert_int_equal(kf_list_filter(l, ""), 0);
	assert_string_equal(list_calls(l), " 4 0>1 2 3 5");
	assert_int_equal(kf_list_sort(l, KF_LIST_BY_DURATION), 0);
	assert_string_equal(list_calls(l), " 3 4>1 0 5 2");
	assert_int_equal(kf_list_update(l), 0);        /* nothing new */
	assert_int_equal(l->nrows, 6);
}

/* --path: only calls whose path string matches a glob, live calls too,
 * with the text filter on top; kf_model_keep_paths drops the rest. */
static void test_list_paths(void **state)
{
	struct lfx *f = *state;
	struct kf_list *l = &f->l;
	char *globs[] = { "/tmp/*", "*.conf" };
	uint32_t ci;

	f->m.calls[1].argstr[1] = kf_strtab_intern(&f->m.strs,
						   "/etc/ld.so.cache");
	f->m.calls[2].argstr[1] = kf_strtab_intern(&f->m.strs,
						   "/tmp/demo.txt");
	assert_int_equal(kf_list_init_paths(l, &f->m, globs, 1), 0);
	assert_string_equal(list_calls(l), ">2");
	/* a live call with a matching path comes in; '*' crosses '/' */
	ci = add_call(&f->m, t_open, 6000, "ls", 201);
	f->m.calls[ci].argstr[1] = kf_strtab_intern(&f->m.strs, "/tmp/a/b");
	assert_int_equal(kf_list_update(l), 0);
	assert_string_equal(list_calls(l), ">2 4");
	assert_int_equal(kf_list_filter(l, "ls"), 0);
	assert_string_equal(list_calls(l), ">4");
	assert_int_equal(kf_list_filter(l, NULL), 0);
	assert_string_equal(list_calls(l), " 2>4");
	/* two globs; a call without strings never matches */
	assert_false(kf_call_path_match(&f->m, &f->m.calls[0], globs, 2));
	assert_true(kf_call_path_match(&f->m, &f->m.calls[0], globs, 0));
	f->m.calls[3].argstr[0] = kf_strtab_intern(&f->m.strs,
						   "/etc/nsswitch.conf");
	assert_true(kf_call_path_match(&f->m, &f->m.calls[3], globs, 2));
	/* the model itself, for batch output */
	assert_int_equal(kf_model_keep_paths(&f->m, globs, 2), 2);
	assert_int_equal(f->m.ncalls, 3);
	assert_int_equal(f->m.path_dropped, 2);
	assert_int_equal(f->m.calls[0].start, 3000);
	assert_int_equal(f->m.calls[2].start, 6000);
}

/*
 * kf_list_write: the columns, then per call the status, start (s since
 * the first call), heat and duration, comm[pid], cpu, and the header as
 * the decoder writes it.
 */
static void test_list_write(void **state)
{
	struct lfx *f = *state;
	struct kf_list *l = &f->l;
	char *buf = NULL, head[4][256], expect[2048];
	size_t len = 0;
	FILE *out;
	int i;

	f->m.calls[3].cpu = 1;
	for (i = 0; i < 4; i++)
		kf_decode_header(&f->m, &f->m.calls[i], head[i],
				 sizeof(head[i]));
	assert_int_equal(kf_list_init(l, &f->m), 0);
	out = open_memstream(&buf, &len);
	assert_non_null(out);
	assert_int_equal(kf_list_write(out, l), 0);
	fclose(out);
	/* comm[pid] is as wide as the widest one (bash[300]) */
	snprintf(expect, sizeof(expect),
		 "        start     duration  comm[pid]  cpu  call\n"
		 "     0.000000     5.000 us  cat[100]     0  %s\n"
		 "x    0.000001 +  20.000 us  ls[200]      0  %s\n"
		 "?    0.000002     1.000 us  cat[100]     0  %s\n"
		 "     0.000003 + 100.000 us  bash[300]    1  %s\n",
		 head[0], head[1], head[2], head[3]);
	assert_string_equal(buf, expect);
	free(buf);
	buf = NULL;

	/* narrow screens: no cpu column */
	l->hide_cpu = 1;
	out = open_memstream(&buf, &len);
	assert_non_null(out);
	assert_int_equal(kf_list_write(out, l), 0);
	fclose(out);
	snprintf(expect, sizeof(expect),
		 "        start     duration  comm[pid]  call\n"
		 "     0.000000     5.000 us  cat[100]   %s\n"
		 "x    0.000001 +  20.000 us  ls[200]    %s\n"
		 "?    0.000002     1.000 us  cat[100]   %s\n"
		 "     0.000003 + 100.000 us  bash[300]  %s\n",
		 head[0], head[1], head[2], head[3]);
	assert_string_equal(buf, expect);
	assert_non_null(strstr(head[1], "do_sys_openat2()"));
	free(buf);
}

/* ---- the summary ------------------------------------------------------- */

/*
 * call 0:  f 100            call 1:  g 50      call 2:  h 5
 *          |-- g 30                                      h 5
 *          |   `-- f 10     (f inside f: counted once)   h 5
 *          `-- h 20
 *
 *          calls  total  self  average  max
 *   f          2    100    60       55  100
 *   g          2     80    70       40   50
 *   h          4     35    35        8   20     (35 / 4 rounded down)
 */
static void test_summary(void **state)
{
	static const struct tn c0[] = {
		{ 0, "f", 100, 0 }, { 1, "g", 30, 0 }, { 2, "f", 10, 0 }, { 1, "h", 20, 0 },
		{ -1, NULL, 0, 0 },
	};
	static const struct tn c1[] = { { 0, "g", 50, 0 }, { -1, NULL, 0, 0 } };
	static const struct tn c2[] = {
		{ 0, "h", 5, 0 }, { 0, "h", 5, 0 }, { 0, "h", 5, 0 }, { -1, NULL, 0, 0 },
	};
	struct fx *f = *state;
	struct kf_summary s;
	const struct kf_sum_row *r;
	struct kf_model *m = &f->m;
	uint32_t a;
	char line[256], *buf = NULL;
	size_t len = 0;
	FILE *out;

	kf_model_release(m);
	assert_int_equal(kf_model_init(m), 0);
	a = add_call(m, c0, 0, "x", 1);
	add_call(m, c1, 1000, "x", 1);
	add_call(m, c2, 2000, "x", 1);
	assert_int_equal(kf_summary_init(&s, m, KF_NONE), 0);
	assert_int_equal(s.nrows, 3);
	r = &s.rows[0];
	assert_string_equal(r->name, "f");
	assert_int_equal(r->calls, 2);
	assert_int_equal(r->total, 100);
	assert_int_equal(r->self, 60);
	assert_int_equal(r->avg, 55);
	assert_int_equal(r->max, 100);
	r = &s.rows[1];
	assert_string_equal(r->name, "g");
	assert_int_equal(r->calls, 2);
	assert_int_equal(r->total, 80);
	assert_int_equal(r->self, 70);
	assert_int_equal(r->avg, 40);
	assert_int_equal(r->max, 50);
	r = &s.rows[2];
	assert_string_equal(r->name, "h");
	assert_int_equal(r->calls, 4);
	assert_int_equal(r->total, 35);
	assert_int_equal(r->self, 35);
	assert_int_equal(r->avg, 8);
	assert_int_equal(r->max, 20);

#define ORDER(col, x, y, z) do {                                             \
		kf_summary_sort(&s, col);                                    \
		assert_string_equal(s.rows[0].name, x);                      \
		assert_string_equal(s.rows[1].name, y);                      \
		assert_string_equal(s.rows[2].name, z);                      \
	} while (0)
	ORDER(KF_SUM_CALLS, "h", "f", "g");   /* f and g tie: by name */
	ORDER(KF_SUM_TOTAL, "f", "g", "h");
	ORDER(KF_SUM_SELF, "g", "f", "h");
	ORDER(KF_SUM_AVG, "f", "g", "h");
	ORDER(KF_SUM_MAX, "f", "g", "h");
	ORDER(KF_SUM_NAME, "f", "g", "h");
	kf_cursor_move(&s.cur, s.nrows, 2);   /* on h */
	ORDER(KF_SUM_CALLS, "h", "f", "g");
	assert_int_equal(s.cur.row, 0);       /* still on h */
#undef ORDER
	kf_summary_line(&s, 0, line, sizeof(line));
	assert_string_equal(line, "         4       35 ns       35 ns"
			    "        8 ns       20 ns  h");
	out = open_memstream(&buf, &len);
	assert_non_null(out);
	assert_int_equal(kf_summary_write(out, &s), 0);
	fclose(out);
	assert_string_equal(buf,
		"     calls       total        self     average         max"
		"  function\n"
		"         4       35 ns       35 ns        8 ns       20 ns  h\n"
		"         2      100 ns       60 ns       55 ns      100 ns  f\n"
		"         2       80 ns       70 ns       40 ns       50 ns  g\n");
	free(buf);
	kf_summary_release(&s);

	/* one call */
	assert_int_equal(kf_summary_init(&s, m, a), 0);
	assert_int_equal(s.nrows, 3);
	assert_string_equal(s.rows[0].name, "f");
	assert_int_equal(s.rows[0].calls, 2);
	assert_int_equal(s.rows[0].total, 100);
	assert_string_equal(s.rows[1].name, "g");
	assert_int_equal(s.rows[1].calls, 1);
	assert_int_equal(s.rows[1].self, 20);
	assert_false(s.has_off);
	kf_summary_release(&s);
	assert_int_equal(kf_summary_init(&s, m, 7), -1);

	/* the calls a filtered list shows (1 and 2), and calls shorter than
	 * 25 ns left out with what they called: call 0's g (30) stays but
	 * not the f (10) inside it, h (20) goes; call 2's h (5) go */
	{
		uint32_t some[] = { 1, 2 };

		assert_int_equal(kf_summary_init_calls(&s, m, some, 2, 0), 0);
		assert_int_equal(s.ncalls, 2);
		assert_int_equal(s.nrows, 2);
		assert_string_equal(s.rows[0].name, "g");
		assert_int_equal(s.rows[0].calls, 1);
		assert_string_equal(s.rows[1].name, "h");
		assert_int_equal(s.rows[1].calls, 3);
		kf_summary_release(&s);
		assert_int_equal(kf_summary_init_calls(&s, m, NULL, 3, 25), 0);
		assert_int_equal(s.nrows, 2);
		assert_string_equal(s.rows[0].name, "f");
		assert_int_equal(s.rows[0].calls, 1);
		assert_int_equal(s.rows[0].total, 100);
		assert_string_equal(s.rows[1].name, "g");
		assert_int_equal(s.rows[1].calls, 2);
		assert_int_equal(s.rows[1].total, 80);
		kf_summary_release(&s);
		some[0] = 9;
		assert_int_equal(kf_summary_init_calls(&s, m, some, 1, 0), -1);
	}

	/* a task slept in g (both calls) and in the first h: an off-CPU
	 * column, empty where a function never slept */
	{
		uint32_t i;

		for (i = 0; i < m->nnodes; i++) {
			const char *fn = kf_strtab_get(&m->strs,
						       kf_node_get(m, i)->func);
			struct kf_node_note *nt;

			if (strcmp(fn, "g") != 0 && (strcmp(fn, "h") != 0 ||
			    m->calls[2].root != i))
				continue;
			nt = kf_model_note_add(m, i);
			assert_non_null(nt);
			nt->off = 4;
			nt->has = KF_NOTE_OFF;
			kf_node_get(m, i)->flags |= KF_NODE_OFF;
		}
	}
	assert_int_equal(kf_summary_init(&s, m, KF_NONE), 0);
	assert_true(s.has_off);
	assert_string_equal(s.rows[1].name, "g");
	assert_int_equal(s.rows[1].off, 8);
	assert_int_equal(s.rows[2].off, 4);
	assert_int_equal(s.rows[0].off, 0);
	assert_string_equal(kf_summary_columns(&s),
		"     calls       total        self     average         max"
		"     off-CPU  function");
	kf_summary_line(&s, 0, line, sizeof(line));
	assert_string_equal(line, "         2      100 ns       60 ns"
			    "       55 ns      100 ns              f");
	kf_summary_line(&s, 1, line, sizeof(line));
	assert_string_equal(line, "         2       80 ns       70 ns"
			    "       40 ns       50 ns        8 ns  g");
	kf_summary_release(&s);
}

/* ---- incremental rows against a from-scratch reference ----------------- */

/*
 * A random tree of 3000 nodes; random cursor moves, folds, searches, hot
 * paths, sorts, duration filters and hidden interrupts.  The test keeps its own set of
 * folded nodes and after every step compares the view's rows with a
 * plain recursive walk of the model.
 */
struct ref {
	const struct kf_model *m;
	uint8_t *folded;        /* by node index */
	uint64_t min_dur;
	int by_time;
	int hide_irq;
	uint32_t *out, n;
};

static int dur_desc(const void *a, const void *b, void *arg)
{
	const struct kf_model *m = arg;
	const struct kf_node *x = kf_node_get(m, *(const uint32_t *)a);
	const struct kf_node *y = kf_node_get(m, *(const uint32_t *)b);

	if (x->dur != y->dur)
		return x->dur > y->dur ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

static void ref_walk(struct ref *r, uint32_t first)
{
	uint32_t *kids = malloc(r->m->nnodes * sizeof(*kids)), k = 0, i, ni;
	uint32_t first_hidden = KF_NONE;

	assert_non_null(kids);
	for (ni = first; ni != KF_NONE; ni = kf_node_get(r->m, ni)->next)
		kids[k++] = ni;
	if (r->by_time)
		qsort_r(kids, k, sizeof(*kids), dur_desc, (void *)r->m);
	for (i = 0; i < k; i++) {
		const struct kf_node *n = kf_node_get(r->m, kids[i]);
		int hidden = r->min_dur && n->dur < r->min_dur &&
			     !(n->flags & KF_NODE_NOEXIT);

		if (r->hide_irq && (n->flags & KF_NODE_IRQ))
			continue;
		if (hidden) {
			if (first_hidden == KF_NONE)
				first_hidden = kids[i];
			continue;
		}
		r->out[r->n++] = kids[i];
		if (n->child != KF_NONE && !r->folded[kids[i]])
			ref_walk(r, n->child);
	}
	/* one row for the hidden ones, after the shown */
	if (first_hidden != KF_NONE)
		r->out[r->n++] = first_hidden;
	free(kids);
}

static void check_rows(const struct kf_tree *t, struct ref *r)
{
	uint32_t i;

	r->n = 0;
	ref_walk(r, t->m->calls[t->call].root);
	assert_int_equal(t->nrows, r->n);
	for (i = 0; i < r->n; i++) {
		struct kf_row row;

		kf_tree_row(t, i, &row);
		assert_int_equal(row.node, r->out[i]);
		if (!row.hidden)
			assert_int_equal(row.folded, row.has_kids &&
					 r->folded[row.node]);
	}
	assert_true(t->cur.row < t->nrows);
	assert_true(t->cur.row >= t->cur.top &&
		    t->cur.row < t->cur.top + t->cur.page);
}

static void unfold_callers(struct ref *r, uint32_t node)
{
	const struct kf_node *n = kf_node_get(r->m, node);

	while (n->parent != KF_NONE) {
		r->folded[n->parent] = 0;
		n = kf_node_get(r->m, n->parent);
	}
}

static void test_random_ops(void **state)
{
	static const char *names[] = {
		"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta",
		"theta",
	};
	struct fx *f = *state;
	struct kf_model *m = &f->m;
	struct kf_tree *t = &f->t;
	struct tn *tab = calloc(3001, sizeof(*tab));
	struct ref r = { m, NULL, 0, 0, 0, NULL, 0 };
	unsigned seed = 12345;
	uint32_t ci, i, step;
	int d = 0;

	assert_non_null(tab);
	/* durations shrink with depth; one in 7 is short (min_dur hides) */
	for (i = 0; i < 3000; i++) {
		int nd = i ? 1 + rand_r(&seed) % (d + 1) : 0;

		if (nd > 30)
			nd = 30;
		if (i && nd > d + 1)
			nd = d + 1;
		d = nd;
		tab[i].depth = d;
		tab[i].name = names[rand_r(&seed) % 8];
		tab[i].dur = (1ULL << (38 - d)) + rand_r(&seed) % 1000;
		if (rand_r(&seed) % 50 == 0)
			tab[i].flags = KF_NODE_NOEXIT;
		if (rand_r(&seed) % 7 == 0)
			tab[i].dur = 1 + rand_r(&seed) % 1000;
		if (rand_r(&seed) % 40 == 0)
			tab[i].flags |= KF_NODE_IRQ;
	}
	tab[3000].depth = -1;
	ci = add_call(m, tab, 0, "x", 1);
	free(tab);
	r.folded = calloc(m->nnodes, 1);
	r.out = calloc(m->nnodes, sizeof(*r.out));
	assert_non_null(r.folded);
	assert_non_null(r.out);
	for (i = m->calls[ci].root; i < m->nnodes; i++)
		r.folded[i] = kf_node_get(m, i)->depth >= 2;
	assert_int_equal(kf_tree_init(t, m, ci, 2), 0);
	t->cur.page = 30;
	check_rows(t, &r);
	for (step = 0; step < 4000; step++) {
		int op = rand_r(&seed) % 100;
		struct kf_row row;

		if (op < 30) {
			kf_cursor_move(&t->cur, t->nrows,
				       (int64_t)(rand_r(&seed) % 61) - 30);
		} else if (op < 55) {
			kf_tree_row(t, t->cur.row, &row);
			if (kf_tree_fold(t, KF_TOGGLE) == 0)
				r.folded[row.node] = !r.folded[row.node];
		} else if (op < 63) {
			uint32_t u;

			kf_tree_row(t, t->cur.row, &row);
			u = kf_node_get(m, row.node)->parent;
			if (kf_tree_fold(t, KF_FOLD) == 0) {
				if (row.has_kids && !row.folded && !row.hidden)
					r.folded[row.node] = 1;
				else
					r.folded[u] = 1;
			}
		} else if (op < 66) {
			kf_tree_row(t, t->cur.row, &row);
			if (kf_tree_fold(t, KF_UNFOLD_ALL) == 0) {
				uint32_t x, end = row.node;

				/* the subtree: nodes were added in pre-order */
				for (x = row.node + 1; x < m->nnodes &&
				     kf_node_get(m, x)->depth > row.depth; x++)
					end = x;
				for (x = row.node; x <= end; x++)
					r.folded[x] = 0;
			}
		} else if (op < 76) {
			if (kf_tree_search(t, rand_r(&seed) % 2 ? "eta" :
					   "mma", rand_r(&seed) % 2 ? 1 : -1)
			    >= 0)
				unfold_callers(&r, kf_tree_selected(t));
		} else if (op < 80) {
			/* -1 only when min_dur hides the top */
			if (kf_tree_hot_path(t) == 0)
				unfold_callers(&r, kf_tree_selected(t));
		} else if (op < 82) {
			kf_tree_expand_all(t);
			memset(r.folded, 0, m->nnodes);
		} else if (op < 84) {
			kf_tree_collapse_all(t);
			for (i = 0; i < m->nnodes; i++)
				r.folded[i] = kf_node_get(m, i)->child !=
					      KF_NONE;
		} else if (op < 90) {
			r.by_time = !r.by_time;
			assert_int_equal(kf_tree_set_sort(t, r.by_time ?
				KF_TREE_BY_TIME : KF_TREE_BY_CALL_ORDER), 0);
		} else if (op < 95) {
			r.min_dur = rand_r(&seed) % 3 ? 0 :
				    1ULL << (28 + rand_r(&seed) % 10);
			kf_tree_set_min_dur(t, r.min_dur);
		} else if (op < 97) {
			r.hide_irq = !r.hide_irq;
			kf_tree_set_hide_irq(t, r.hide_irq);
		} else {
			kf_tree_parent(t);
		}
		check_rows(t, &r);
	}
	free(r.folded);
	free(r.out);
}

/*
 * Strings a traced program, the kernel or an input file chose (comm via
 * prctl(PR_SET_NAME), function names, the capture's metadata) with OSC,
 * BEL, CSI, C1 CSI (0x9b), DEL and bytes that are not UTF-8: the batch
 * text, every view line and the `w` files show them escaped, no raw byte.
 */
#define HOSTILE "\033]0;PRCTL\007\033[2J\x9b" "1m\x7f\xff\xc3("

/* no byte below 0x20 but newline, no DEL, nothing from 0x80 up (ASCII
 * tree lines) */
static void all_printable(const char *what, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '\n' || (ch >= 0x20 && ch < 0x7f))
			continue;
		fail_msg("%s: raw byte 0x%02x at %zu in \"%.*s\"", what, ch,
			 i, (int)n, s);
	}
}

/* close f, an open_memstream of *buf, and check what was written */
static void written_printable(const char *what, FILE *f, char **buf,
			      size_t *len)
{
	fclose(f);
	all_printable(what, *buf, *len);
	free(*buf);
	*buf = NULL;
}

static void test_hostile_strings(void **state)
{
	static const struct tn tab[] = {
		{ 0, "top" HOSTILE, 9 * US, 0 },
		{ 1, "leaf" HOSTILE, 2 * US, 0 },
		{ -1, NULL, 0, 0 },
	};
	struct kf_model m;
	struct kf_render_opts ro = { .ascii = 1 };
	struct kf_tree t;
	struct kf_list l;
	struct kf_summary su;
	char line[4096], *buf = NULL;
	size_t len = 0;
	uint32_t i;
	FILE *f;
	int mode;

	(void)state;
	assert_int_equal(kf_model_init(&m), 0);
	add_call(&m, tab, 100, "c" HOSTILE, 42);
	assert_int_equal(kf_meta_set(&m.meta.command, "cmd " HOSTILE), 0);
	assert_int_equal(kf_meta_set(&m.meta.kernel, "6.1" HOSTILE), 0);
	assert_int_equal(kf_meta_set(&m.meta.machine, "x86" HOSTILE), 0);
	assert_int_equal(kf_meta_set(&m.meta.targets, "t" HOSTILE), 0);
	assert_int_equal(kf_meta_set(&m.meta.roots, "r" HOSTILE), 0);
	assert_int_equal(kf_meta_set(&m.meta.degraded, "d" HOSTILE), 0);
	assert_int_equal(kf_meta_set(&m.meta.clock, "k" HOSTILE), 0);
	m.meta.clock_stalls = 1;

	/* batch text, graph (roots) and boundary (degraded) headers */
	for (mode = 0; mode < 2; mode++) {
		m.meta.mode = mode ? KF_MODE_BOUNDARY : m.meta.mode;
		f = open_memstream(&buf, &len);
		assert_non_null(f);
		assert_int_equal(kf_render_text(f, &m, &ro), 0);
		fclose(f);
		all_printable("render", buf, len);
		assert_non_null(strstr(buf, "c\\33]0;PRCTL\\7\\33[2J\\2331m"
					    "\\177\\377\\303([42]"));
		assert_non_null(strstr(buf, "leaf\\33]0;PRCTL"));
		assert_non_null(strstr(buf, mode ? "d\\33]0;" : "r\\33]0;"));
		free(buf);
		buf = NULL;
	}

	/* the view model's lines, which the screen draws and `w` writes */
	kf_view_call_header(&m, 0, line, sizeof(line));
	all_printable("call header", line, strlen(line));
	assert_int_equal(kf_tree_init(&t, &m, 0, -1), 0);
	for (i = 0; i < t.nrows; i++) {
		kf_tree_line(&t, i, line, sizeof(line), 1);
		all_printable("tree line", line, strlen(line));
	}
	assert_non_null(strstr(line, "leaf\\33]0;PRCTL\\7"));
	f = open_memstream(&buf, &len);
	assert_int_equal(kf_tree_write(f, &t, 1), 0);
	written_printable("tree write", f, &buf, &len);
	kf_tree_release(&t);

	assert_int_equal(kf_list_init(&l, &m), 0);
	kf_list_line(&l, 0, line, sizeof(line));
	all_printable("list line", line, strlen(line));
	f = open_memstream(&buf, &len);
	assert_int_equal(kf_list_write(f, &l), 0);
	written_printable("list write", f, &buf, &len);
	kf_list_release(&l);

	assert_int_equal(kf_summary_init(&su, &m, KF_NONE), 0);
	for (i = 0; i < su.nrows; i++) {
		kf_summary_line(&su, i, line, sizeof(line));
		all_printable("summary line", line, strlen(line));
	}
	f = open_memstream(&buf, &len);
	assert_int_equal(kf_summary_write(f, &su), 0);
	written_printable("summary write", f, &buf, &len);
	kf_summary_release(&su);

	assert_non_null(kf_render_clock_note(&m, line, sizeof(line)));
	all_printable("clock note", line, strlen(line));
	kf_model_release(&m);
}

/* The batch text and the tree view say "hidden" with the same words. */
static void test_hidden_words(void **state)
{
	char b[96], small[8];

	(void)state;
	assert_string_equal(kf_render_hidden_row(b, sizeof(b), 1, 0),
			    "(1 hidden call)");
	assert_string_equal(kf_render_hidden_row(b, sizeof(b), 12, 0),
			    "(12 hidden calls)");
	assert_string_equal(kf_render_hidden_row(b, sizeof(b), 2, 4250),
			    "(2 hidden calls, 4.250 us)");
	assert_string_equal(kf_render_hidden_row(small, sizeof(small), 12,
						 4250), "(12 hid");
	assert_null(kf_render_hidden_note(b, sizeof(b), 0, 0));
	assert_string_equal(kf_render_hidden_note(b, sizeof(b), 1000, 0),
			    "# hidden calls: shorter than 1.000 us");
	assert_string_equal(kf_render_hidden_note(b, sizeof(b), 0, 3),
			    "# hidden calls: deeper than 3");
	assert_string_equal(kf_render_hidden_note(b, sizeof(b), 2500000, 7),
			    "# hidden calls: shorter than 2.500 ms or deeper "
			    "than 7");
	assert_null(kf_render_hidden_note(b, 0, 1000, 0));
}

/* ---- zoom, siblings, children, deep indentation --------------------- */

/*
 * z on path_openat: it is the root, depths and shares count from it,
 * the breadcrumb names the way down; folding stops at it; zooms nest
 * and come back out to the call zoomed into.
 *
 *   > path_openat                   (share 100 % of 70 us)
 *     |-- link_path_walk
 *     |   `-- walk_component
 *     `-- do_open
 *         `-- vfs_open
 */
static void test_zoom(void **state)
{
	struct fx *f = *state;
	struct kf_tree *t = &f->t;
	struct kf_row r;
	char b[256];

	assert_int_equal(kf_tree_init(t, &f->m, f->call, -1), 0);
	assert_int_equal(kf_tree_zoom_depth(t), 0);
	assert_int_equal(kf_tree_breadcrumb(t, b, sizeof(b)), 0);
	go(t, "kmem_cache_alloc");
	assert_int_equal(kf_tree_zoom_in(t), -1); /* a leaf */
	go(t, "path_openat");
	assert_int_equal(kf_tree_zoom_in(t), 0);
	assert_string_equal(shape(t),
		"> path_openat\n"
		"  |-- link_path_walk\n"
		"  |   `-- walk_component\n"
		"  `-- do_open\n"
		"      `-- vfs_open\n");
	assert_int_equal(kf_tree_zoom_in(t), -1); /* already the root */
	kf_tree_row(t, 0, &r);
	assert_int_equal(r.depth, 0);
	assert_int_equal(r.share, 1000);
	kf_tree_row(t, 2, &r);
	assert_int_equal(r.depth, 2);
	assert_int_equal(r.share, 1000 * 15 / 70);
	kf_tree_breadcrumb(t, b, sizeof(b));
	assert_string_equal(b, "do_sys_openat2 > do_filp_open > path_openat");
	/* no fold or parent above the root */
	assert_int_equal(kf_tree_fold(t, KF_FOLD), -1);
	assert_int_equal(kf_tree_parent(t), -1);
	go(t, "walk_component");
	assert_int_equal(kf_tree_fold(t, KF_FOLD), 0);
	assert_string_equal(selected_name(t), "link_path_walk");
	assert_int_equal(kf_tree_parent(t), 0);
	assert_string_equal(selected_name(t), "path_openat");
	/* collapse all keeps the root open */
	kf_tree_collapse_all(t);
	assert_string_equal(shape(t),
		"> path_openat\n"
		"  |-+ link_path_walk\n"
		"  `-+ do_open\n");
	kf_tree_expand_all(t);
	go(t, "do_open");
	assert_int_equal(kf_tree_zoom_in(t), 0);
	assert_int_equal(kf_tree_zoom_depth(t), 2);
	assert_string_equal(shape(t), "> do_open\n  `-- vfs_open\n");
	/* the hot path starts at the root */
	assert_int_equal(kf_tree_hot_path(t), 0);
	assert_string_equal(selected_name(t), "vfs_open");
	assert_int_equal(kf_tree_zoom_out(t), 0);
	assert_string_equal(selected_name(t), "do_open");
	assert_int_equal(kf_tree_zoom_out(t), 0);
	assert_string_equal(selected_name(t), "path_openat");
	assert_string_equal(shape(t),
		"  do_sys_openat2\n"
		"  |-- getname\n"
		"  |   `-- kmem_cache_alloc\n"
		"  |-- do_filp_open\n"
		"> |   `-- path_openat\n"
		"  |       |-- link_path_walk\n"
		"  |       |   `-- walk_component\n"
		"  |       `-- do_open\n"
		"  |           `-- vfs_open\n"
		"  `-- fd_install\n");
	assert_int_equal(kf_tree_zoom_out(t), -1);
	/* a search outside the zoom zooms out to show it */
	go(t, "path_openat");
	assert_int_equal(kf_tree_zoom_in(t), 0);
	assert_int_equal(kf_tree_search(t, "fd_install", 1), 0);
	assert_int_equal(kf_tree_zoom_depth(t), 0);
	assert_string_equal(selected_name(t), "fd_install");
	/* ... and one inside stays zoomed */
	go(t, "path_openat");
	assert_int_equal(kf_tree_zoom_in(t), 0);
	assert_int_equal(kf_tree_search(t, "vfs_open", 1), 0);
	assert_int_equal(kf_tree_zoom_depth(t), 1);
	/* sorting by time keeps the zoom on the same call */
	assert_int_equal(kf_tree_set_sort(t, KF_TREE_BY_TIME), 0);
	assert_string_equal(shape(t),
		"  path_openat\n"
		"  |-- do_open\n"
		"> |   `-- vfs_open\n"
		"  `-- link_path_walk\n"
		"      `-- walk_component\n");
	/* a minimum above the root's time zooms out */
	kf_tree_set_min_dur(t, 75 * US);
	assert_int_equal(kf_tree_zoom_depth(t), 0);
	kf_tree_set_min_dur(t, 0);
	/* writing a zoomed view writes the zoomed rows */
	go(t, "do_open");
	assert_int_equal(kf_tree_zoom_in(t), 0);
	{
		char *txt = tree_text(t, 1);

		assert_non_null(strstr(txt, "do_open\n"));
		assert_null(strstr(txt, "getname"));
		free(txt);
	}
}

/* J/K: the next and previous shown sibling; none past the ends. */
static void test_siblings(void **state)
{
	struct fx *f = *state;
	struct kf_tree *t = &f->t;

	assert_int_equal(kf_tree_init(t, &f->m, f->call, -1), 0);
	go(t, "getname");
	assert_int_equal(kf_tree_sibling(t, -1), -1);
	assert_int_equal(kf_tree_sibling(t, 1), 0);
	assert_string_equal(selected_name(t), "do_filp_open");
	assert_int_equal(kf_tree_sibling(t, 1), 0);
	assert_string_equal(selected_name(t), "fd_install");
	assert_int_equal(kf_tree_sibling(t, 1), -1);
	assert_int_equal(kf_tree_sibling(t, -1), 0);
	assert_string_equal(selected_name(t), "do_filp_open");
	/* hidden siblings are skipped: fd_install (5 us) under 6 us */
	kf_tree_set_min_dur(t, 6 * US);
	assert_int_equal(kf_tree_sibling(t, 1), -1);
	assert_string_equal(selected_name(t), "do_filp_open");
	kf_tree_set_min_dur(t, 0);
	/* the top row and a zoom root have none */
	kf_cursor_move(&t->cur, t->nrows, KF_CURSOR_HOME);
	assert_int_equal(kf_tree_sibling(t, 1), -1);
	go(t, "link_path_walk");
	assert_int_equal(kf_tree_zoom_in(t), 0);
	assert_int_equal(kf_tree_sibling(t, 1), -1);
}

/* c and e: the row's children shown folded, or shown with theirs. */
static void test_fold_kids(void **state)
{
	struct fx *f = *state;
	struct kf_tree *t = &f->t;

	assert_int_equal(kf_tree_init(t, &f->m, f->call, 0), 0);
	assert_int_equal(kf_tree_fold(t, KF_FOLD_KIDS), 0);
	assert_string_equal(shape(t),
		"> do_sys_openat2\n"
		"  |-+ getname\n"
		"  |-+ do_filp_open\n"
		"  `-- fd_install\n");
	assert_int_equal(kf_tree_fold(t, KF_UNFOLD_KIDS), 0);
	assert_string_equal(shape(t),
		"> do_sys_openat2\n"
		"  |-- getname\n"
		"  |   `-- kmem_cache_alloc\n"
		"  |-- do_filp_open\n"
		"  |   `-+ path_openat\n"
		"  `-- fd_install\n");
	go(t, "fd_install");
	assert_int_equal(kf_tree_fold(t, KF_FOLD_KIDS), -1);
	assert_int_equal(kf_tree_fold(t, KF_UNFOLD_KIDS), -1);
}

/* A 30-deep chain: past indent_max the rows show "[d]" and the
 * innermost lines only, and never take more than indent_max columns. */
static void test_deep_indent(void **state)
{
	struct fx *f = *state;
	struct kf_tree *t = &f->t;
	struct tn tab[32];
	char names[31][16], pre[512];
	uint32_t ci, i;
	struct kf_row r;

	for (i = 0; i < 30; i++) {
		snprintf(names[i], sizeof(names[i]), "f%u", i);
		tab[i] = (struct tn){ (int)i, names[i], (30 - i) * US, 0 };
	}
	tab[30] = (struct tn){ 1, "sibling", 1 * US, 0 };
	tab[31] = (struct tn){ -1, NULL, 0, 0 };
	ci = add_call(&f->m, tab, 5000, "cat", 100);
	assert_int_equal(kf_tree_init(t, &f->m, ci, -1), 0);
	t->indent_max = 20;
	for (i = 0; i < t->nrows; i++) {
		size_t n = kf_tree_prefix(t, i, pre, sizeof(pre), 1);

		kf_tree_row(t, i, &r);
		assert_true(n <= 20);
		if (r.depth * 4 > 20) {
			char tag[16];

			snprintf(tag, sizeof(tag), "[%u]", r.depth);
			assert_memory_equal(pre, tag, strlen(tag));
		} else {
			assert_int_equal(n, r.depth * 4);
		}
	}
	/* row 29 (f29) under f1..f28: "[29] " then the last two levels */
	kf_tree_prefix(t, 29, pre, sizeof(pre), 1);
	assert_string_equal(pre, "[29]         `-- ");
	/* no limit: every level's lines */
	t->indent_max = 0;
	assert_int_equal(kf_tree_prefix(t, 29, pre, sizeof(pre), 1), 29 * 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)
		T(test_fold_unfold),
		T(test_expand_collapse_all),
		T(test_hot_path),
		T(test_search),
		T(test_sort),
		T(test_sort_ties),
		T(test_min_dur),
		T(test_hidden_runs),
		T(test_hide_irq),
		T(test_clock_marks),
		T(test_rows),
		T(test_layer_colors),
		cmocka_unit_test(test_diff_captures),
		T(test_write),
		T(test_line_truncation),
		cmocka_unit_test(test_overhead_marks),
		cmocka_unit_test(test_cursor),
		T(test_tree_cursor_clamp),
		T(test_empty),
		T(test_broken_tree),
		T(test_diff_same),
		T(test_diff_changes),
		T(test_diff_repeated),
		cmocka_unit_test_setup_teardown(test_list, lfx_setup,
						lfx_teardown),
		cmocka_unit_test_setup_teardown(test_list_paths, lfx_setup,
						lfx_teardown),
		cmocka_unit_test_setup_teardown(test_list_update, lfx_setup,
						lfx_teardown),
		cmocka_unit_test_setup_teardown(test_list_write, lfx_setup,
						lfx_teardown),
		T(test_summary),
		T(test_random_ops),
		cmocka_unit_test(test_hostile_strings),
		cmocka_unit_test(test_hidden_words),
		T(test_zoom),
		T(test_siblings),
		T(test_fold_kids),
		T(test_deep_indent),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
