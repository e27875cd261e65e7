// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * view-bench - how fast the TUI's view model (kf_view.h) is on generated
 * captures, and how much memory it takes.  Prints one line per measure:
 *
 *   name  value  unit  (limit)
 *
 * A capture of NCALLS openat calls (3 nodes each) for the invocation
 * list, and one call with a tree of NODES nodes for the tree operations;
 * each tree operation is timed with the redraw of one screen after it,
 * the worst of several runs.  Build and run from the top directory after
 * "make" (needs build/libkfcore.a):
 *
 *   cc -O2 -g -std=gnu11 -D_GNU_SOURCE -Iinclude -o build/view-bench tests/bench/view-bench.c ui/view.c ui/viewtree.c build/libkfcore.a && build/view-bench
 *
 * Options: view-bench [NCALLS [NODES]] (defaults 1000000 and 200000);
 * view-bench --input FILE measures a saved capture (a real one) instead:
 * opening it, its list, and the tree operations on its largest tree.
 */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kf_capfile.h"
#include "kf_input.h"
#include "kf_model.h"
#include "kf_view.h"

#define PAGE 50        /* rows on a big terminal */
#define RUNS 9         /* runs per operation; the worst is reported */

static uint64_t rng = 88172645463325252ULL;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Bytes malloc handed out, the big mmapped blocks included. */
static size_t heap(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

static void die(const char *what)
{
	fprintf(stderr, "view-bench: %s failed: %s\n", what, kf_err_msg());
	exit(1);
}

static void result(const char *name, double v, const char *unit,
		   const char *limit)
{
	printf("%-34s %10.3f %-6s %s\n", name, v, unit, limit ? limit : "");
}

/* What the TUI does after every key: format the rows on screen. */
static void draw_tree(const struct kf_tree *t)
{
	static volatile size_t sink;
	char line[1024];
	uint32_t i;

	for (i = t->cur.top; i < t->nrows && i < t->cur.top + PAGE; i++)
		sink += kf_tree_line(t, i, line, sizeof(line), 0);
}

static void draw_list(const struct kf_list *l)
{
	static volatile size_t sink;
	char line[1024];
	uint32_t i;

	for (i = l->cur.top; i < l->nrows && i < l->cur.top + PAGE; i++)
		sink += kf_list_line(l, i, line, sizeof(line));
}

static uint32_t node(struct kf_model *m, uint32_t func, uint32_t parent,
		     uint32_t *last_child, uint16_t depth)
{
	uint32_t ni = kf_model_node_new(m);
	struct kf_node *n;

	if (ni == KF_NONE)
		die("node_new");
	n = kf_node_get(m, ni);
	n->func = func;
	n->parent = parent;
	n->depth = depth;
	if (parent != KF_NONE) {
		if (*last_child != KF_NONE)
			kf_node_get(m, *last_child)->next = ni;
		else
			kf_node_get(m, parent)->child = ni;
	}
	*last_child = ni;
	return ni;
}

/* ncalls openat calls: do_sys_openat2 { getname; do_filp_open } */
static void gen_calls(struct kf_model *m, uint32_t ncalls)
{
	static const char *argn[] = { "dfd", "filename", "flags", "mode" };
	static const uint8_t kinds[] = { KF_ARG_INT, KF_ARG_STR, KF_ARG_INT,
					 KF_ARG_UINT };
	uint32_t sys = kf_model_sys_get(m, "openat"), paths[1000], comms[8];
	uint32_t f_root = kf_strtab_intern(&m->strs, "do_sys_openat2");
	uint32_t f_get = kf_strtab_intern(&m->strs, "getname");
	uint32_t f_open = kf_strtab_intern(&m->strs, "do_filp_open");
	uint64_t t = 1000000000;
	uint32_t i, k;
	char buf[64];

	m->sys[sys].nr = 257;
	m->sys[sys].nargs = 4;
	for (k = 0; k < 4; k++) {
		m->sys[sys].argkind[k] = kinds[k];
		m->sys[sys].argname[k] = kf_strtab_intern(&m->strs, argn[k]);
	}
	for (k = 0; k < 1000; k++) {
		snprintf(buf, sizeof(buf), "/usr/lib/x86_64-linux-gnu/lib%u.so",
			 k);
		paths[k] = kf_strtab_intern(&m->strs, buf);
	}
	for (k = 0; k < 8; k++) {
		snprintf(buf, sizeof(buf), "worker%u", k);
		comms[k] = kf_strtab_intern(&m->strs, buf);
	}
	for (i = 0; i < ncalls; i++) {
		uint32_t ci = kf_model_call_new(m), last = KF_NONE, root;
		uint64_t d1 = 500 + rnd(3000), d2 = 1000 + rnd(20000);
		struct kf_call *c;
		struct kf_node *n;

		if (ci == KF_NONE)
			die("call_new");
		c = &m->calls[ci];
		root = node(m, f_root, KF_NONE, &last, 0);
		last = KF_NONE;
		n = kf_node_get(m, node(m, f_get, root, &last, 1));
		n->dur = n->self = d1;
		n = kf_node_get(m, node(m, f_open, root, &last, 1));
		n->dur = n->self = d2;
		n = kf_node_get(m, root);
		n->dur = d1 + d2 + 300;
		n->self = 300;
		c->sys = sys;
		c->root = root;
		c->nnodes = 3;
		c->start = t;
		c->end = t + n->dur + 200;
		t += n->dur + 1000 + rnd(5000);
		c->args[0] = (uint64_t)-100;
		c->args[1] = 0x7ffd5a1c2e10;
		c->argstr[1] = paths[rnd(1000)];
		c->args[2] = 02000000;
		c->pid = 1000 + (int32_t)rnd(8);
		c->comm = comms[c->pid - 1000];
		c->cpu = (uint16_t)rnd(4);
		c->flags = KF_CALL_HAS_RET;
		c->ret = rnd(10) ? 3 : -2;
	}
}

/*
 * One call with nnodes nodes: depths wander between 1 and 40, names from
 * a pool of 5000 with a few much more common, and "needle_func" at a few
 * deep places for the search.  Durations add up bottom-up.
 */
static uint32_t gen_big(struct kf_model *m, uint32_t nnodes)
{
	uint32_t names[5000], needle, stack[64], last[65], first, i, ci, d = 0;
	struct kf_call *c;
	char buf[64];

	for (i = 0; i < 5000; i++) {
		snprintf(buf, sizeof(buf), "kfunc_%u_%s", i,
			 i % 3 ? "lookup" : "alloc");
		names[i] = kf_strtab_intern(&m->strs, buf);
	}
	needle = kf_strtab_intern(&m->strs, "needle_func");
	for (i = 0; i < 65; i++)
		last[i] = KF_NONE;
	first = m->nnodes;
	stack[0] = node(m, names[0], KF_NONE, &last[0], 0);
	last[1] = KF_NONE;
	for (i = 1; i < nnodes; i++) {
		uint32_t r = rnd(100), func, ni;

		/* mostly siblings, sometimes deeper, sometimes back up */
		if (r < 30 && d < 40)
			d++;
		else if (r < 60 && d > 1)
			d -= 1 + rnd(d > 4 ? 4 : d - 1);
		if (d == 0)
			d = 1;
		func = rnd(4) ? names[rnd(50)] : names[rnd(5000)];
		if (i % (nnodes / 5) == nnodes / 7)
			func = needle;
		ni = node(m, func, stack[d - 1], &last[d], (uint16_t)d);
		stack[d] = ni;
		last[d + 1] = KF_NONE;
	}
	for (i = m->nnodes; i-- > first;) {
		struct kf_node *n = kf_node_get(m, i);

		n->self = 50 + rnd(2000);
		n->dur += n->self;
		n->start = i;
		if (n->parent != KF_NONE)
			kf_node_get(m, n->parent)->dur += n->dur;
	}
	ci = kf_model_call_new(m);
	if (ci == KF_NONE)
		die("call_new");
	c = &m->calls[ci];
	c->root = first;
	c->nnodes = nnodes;
	c->start = 1;
	c->end = 1 + kf_node_get(m, first)->dur;
	c->comm = kf_strtab_intern(&m->strs, "big");
	return ci;
}

/* Time op RUNS times (each with a redraw) and report the worst. */
#define WORST(name, limit, setup, op, t) do {                                \
		double worst = 0;                                            \
		int run_;                                                    \
		for (run_ = 0; run_ < RUNS; run_++) {                        \
			double a_;                                           \
			setup;                                               \
			a_ = now_ms();                                       \
			op;                                                  \
			draw_tree(t);                                        \
			a_ = now_ms() - a_;                                  \
			if (a_ > worst)                                      \
				worst = a_;                                  \
		}                                                            \
		result(name, worst, "ms", limit);                            \
	} while (0)

static void bench_tree(struct kf_model *m, uint32_t ci, const char *tag)
{
	struct kf_tree t;
	char name[64];
	size_t h0;
	double a;
	int i;

	printf("# a tree of %u nodes (%s)\n", m->calls[ci].nnodes, tag);
	h0 = heap();
	a = now_ms();
	if (kf_tree_init(&t, m, ci, 1) < 0)
		die("kf_tree_init");
	t.cur.page = PAGE;
	draw_tree(&t);
	result("tree open + first screen", now_ms() - a, "ms", NULL);
	result("tree bytes per node", (double)(heap() - h0) /
	       m->calls[ci].nnodes, "B", "(17 expected)");

	WORST("expand all", "(< 16 ms)", kf_tree_collapse_all(&t),
	      kf_tree_expand_all(&t), &t);
	WORST("collapse all", "(< 16 ms)", kf_tree_expand_all(&t),
	      kf_tree_collapse_all(&t), &t);
	/* the worst fold: the top's biggest child, everything open */
	WORST("fold (largest subtree, expanded)", "(< 16 ms)",
	      (kf_tree_expand_all(&t),
	       kf_cursor_move(&t.cur, t.nrows, KF_CURSOR_HOME),
	       kf_cursor_move(&t.cur, t.nrows, 1)),
	      kf_tree_fold(&t, KF_FOLD), &t);
	WORST("unfold all below (same subtree)", "(< 16 ms)", (void)0,
	      kf_tree_fold(&t, KF_UNFOLD_ALL), &t);
	WORST("search next, new text", "(< 16 ms)",
	      (kf_tree_collapse_all(&t),
	       kf_tree_search(&t, "", 1)),
	      kf_tree_search(&t, "needle", 1), &t);
	WORST("search next, same text", "(< 16 ms)", (void)0,
	      kf_tree_search(&t, NULL, 1), &t);
	WORST("search prev, same text", "(< 16 ms)", (void)0,
	      kf_tree_search(&t, NULL, -1), &t);
	WORST("search, no match (full scan)", "(< 16 ms)", (void)0,
	      kf_tree_search(&t, "zzz_nothing", 1), &t);
	kf_tree_expand_all(&t);
	kf_cursor_move(&t.cur, t.nrows, KF_CURSOR_HOME);
	WORST("page down (expanded)", "(< 16 ms)", (void)0,
	      kf_cursor_move(&t.cur, t.nrows, PAGE), &t);
	WORST("end (expanded)", "(< 16 ms)", (void)0,
	      kf_cursor_move(&t.cur, t.nrows, KF_CURSOR_END), &t);
	WORST("hot path (from collapsed)", "(< 16 ms)",
	      kf_tree_collapse_all(&t), kf_tree_hot_path(&t), &t);
	WORST("go to parent", "(< 16 ms)", kf_tree_hot_path(&t),
	      kf_tree_parent(&t), &t);
	WORST("next sibling", "(< 16 ms)", kf_tree_hot_path(&t),
	      kf_tree_sibling(&t, 1), &t);
	/* zooming into the top call rebuilds every row below it */
	WORST("zoom into the top call (expanded)", "(< 16 ms)",
	      (kf_tree_zoom_out(&t), kf_tree_expand_all(&t),
	       kf_cursor_move(&t.cur, t.nrows, KF_CURSOR_HOME)),
	      kf_tree_zoom_in(&t), &t);
	WORST("zoom out of it (expanded)", "(< 16 ms)",
	      (kf_cursor_move(&t.cur, t.nrows, KF_CURSOR_HOME),
	       kf_tree_zoom_in(&t)), kf_tree_zoom_out(&t), &t);
	WORST("min duration 20 us", NULL, kf_tree_set_min_dur(&t, 0),
	      kf_tree_set_min_dur(&t, 20000), &t);
	kf_tree_set_min_dur(&t, 0);
	kf_tree_expand_all(&t);
	WORST("sort by time", NULL,
	      kf_tree_set_sort(&t, KF_TREE_BY_CALL_ORDER),
	      kf_tree_set_sort(&t, KF_TREE_BY_TIME), &t);
	result("tree bytes per node, sorted by time", (double)(heap() - h0) /
	       m->calls[ci].nnodes, "B", "(21 expected)");
	WORST("sort by call order", NULL,
	      kf_tree_set_sort(&t, KF_TREE_BY_TIME),
	      kf_tree_set_sort(&t, KF_TREE_BY_CALL_ORDER), &t);
	a = now_ms();
	{
		FILE *f = fopen("/dev/null", "w");

		if (!f || kf_tree_write(f, &t, 0) < 0)
			die("kf_tree_write");
		fclose(f);
	}
	snprintf(name, sizeof(name), "write %u rows as text", t.nrows);
	result(name, now_ms() - a, "ms", NULL);
	kf_tree_release(&t);

	a = now_ms();
	if (kf_tree_init_diff(&t, m, ci, ci) < 0)
		die("kf_tree_init_diff");
	t.cur.page = PAGE;
	draw_tree(&t);
	result("diff of the tree with itself", now_ms() - a, "ms", NULL);
	for (i = 0; i < 3; i++)
		kf_tree_fold(&t, KF_TOGGLE);
	kf_tree_release(&t);
}

/*
 * Open the capture file at path as `kfollow --input` does (kf_input_load,
 * the list and its first screen) into m; prints the time and the memory
 * per call and per node.
 */
static void open_file(const char *path, struct kf_model *m,
		      struct kf_list *l)
{
	size_t h0 = heap();
	double a = now_ms();
	struct stat st;

	if (kf_model_init(m) < 0 || kf_input_load(path, m) < 0)
		die("kf_input_load");
	if (kf_list_init(l, m) < 0)
		die("kf_list_init");
	l->cur.page = PAGE;
	draw_list(l);
	printf("# %s: %.1f MB, %u calls, %u nodes\n", path,
	       stat(path, &st) == 0 ? st.st_size / 1e6 : 0.0, m->ncalls,
	       m->nnodes);
	result("open file + list + first screen", now_ms() - a, "ms",
	       "(< 1000 ms for 1M)");
	result("memory per invocation (model+list)",
	       (double)(heap() - h0) / (m->ncalls ? m->ncalls : 1), "B", NULL);
	result("memory per node (model+list)",
	       (double)(heap() - h0) / (m->nnodes ? m->nnodes : 1), "B",
	       "(< 100 B)");
}

static int bench_real(const char *path)
{
	struct kf_model m;
	struct kf_list l;
	uint32_t i, big = KF_NONE;

	open_file(path, &m, &l);
	for (i = 0; i < m.ncalls; i++)
		if (big == KF_NONE || m.calls[i].nnodes > m.calls[big].nnodes)
			big = i;
	if (big != KF_NONE && m.calls[big].nnodes)
		bench_tree(&m, big, "the largest in the file");
	kf_list_release(&l);
	kf_model_release(&m);
	return 0;
}

/* A capture file of ncalls generated calls, opened as --input opens it. */
static void bench_file(uint32_t ncalls)
{
	char path[] = "/tmp/kf-view-bench-XXXXXX";
	struct kf_model m, m2;
	struct kf_list l;
	int fd = mkstemp(path);
	double a;

	if (fd < 0 || kf_model_init(&m) < 0)
		die("mkstemp");
	close(fd);
	gen_calls(&m, ncalls);
	a = now_ms();
	if (kf_capfile_save(path, &m) < 0)
		die("kf_capfile_save");
	printf("# a capture file of %u generated calls\n", m.ncalls);
	result("save the capture file", now_ms() - a, "ms", NULL);
	kf_model_release(&m);
	open_file(path, &m2, &l);
	kf_list_release(&l);
	kf_model_release(&m2);
	/* VIEW_BENCH_KEEP=1 keeps the file, to profile --input on it */
	if (getenv("VIEW_BENCH_KEEP"))
		printf("# kept %s\n", path);
	else
		unlink(path);
}

int main(int argc, char **argv)
{
	uint32_t ncalls = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 0) :
			  1000000;
	uint32_t nnodes = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 0) :
			  200000;
	struct kf_model m;
	struct kf_list l;
	struct kf_summary s;
	uint32_t big, big2;
	size_t h0;
	double a;

	if (argc > 2 && !strcmp(argv[1], "--input"))
		return bench_real(argv[2]);
	bench_file(ncalls);
	if (kf_model_init(&m) < 0)
		die("kf_model_init");
	a = now_ms();
	gen_calls(&m, ncalls);
	big = gen_big(&m, nnodes);
	big2 = gen_big(&m, nnodes * 10);
	printf("# generated %u calls, %u nodes in %.0f ms; model %.1f MB\n",
	       m.ncalls, m.nnodes, now_ms() - a, kf_model_bytes(&m) / 1e6);

	printf("# the invocation list of %u calls\n", m.ncalls);
	h0 = heap();
	a = now_ms();
	if (kf_list_init(&l, &m) < 0)
		die("kf_list_init");
	result("list open", now_ms() - a, "ms", NULL);
	l.cur.page = PAGE;
	draw_list(&l);
	result("list open + first screen", now_ms() - a, "ms", "(< 1000 ms)");
	result("list bytes per call", (double)(heap() - h0) / m.ncalls, "B",
	       "(< 100 B)");
	a = now_ms();
	kf_cursor_move(&l.cur, l.nrows, PAGE);
	draw_list(&l);
	result("list page down", now_ms() - a, "ms", "(< 16 ms)");
	a = now_ms();
	kf_list_sort(&l, KF_LIST_BY_DURATION);
	draw_list(&l);
	result("list sort by duration", now_ms() - a, "ms", NULL);
	a = now_ms();
	kf_list_sort(&l, KF_LIST_BY_TIME);
	draw_list(&l);
	result("list sort by time", now_ms() - a, "ms", NULL);
	a = now_ms();
	kf_list_filter(&l, "lib42");
	draw_list(&l);
	result("list filter (decodes every header)", now_ms() - a, "ms",
	       NULL);
	a = now_ms();
	kf_list_filter(&l, "lib421");
	draw_list(&l);
	result("list filter, narrowed", now_ms() - a, "ms", NULL);
	printf("# (%u calls shown)\n", l.nrows);
	kf_list_filter(&l, NULL);
	kf_list_release(&l);

	a = now_ms();
	if (kf_summary_init(&s, &m, KF_NONE) < 0)
		die("kf_summary_init");
	result("summary of the whole capture", now_ms() - a, "ms", NULL);
	a = now_ms();
	kf_summary_sort(&s, KF_SUM_NAME);
	result("summary sort by name", now_ms() - a, "ms", NULL);
	kf_summary_release(&s);

	bench_tree(&m, big, "the target size");
	bench_tree(&m, big2, "ten times the target");
	kf_model_release(&m);
	return 0;
}
