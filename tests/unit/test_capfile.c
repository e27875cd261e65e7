// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_capfile.c - the saved capture: write a model built by hand, read it
 * back and compare field by field; the reader's refusals, each with its
 * message; truncation at every byte; saving to a file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "kf_build.h"
#include "kf_capfile.h"
#include "kf_model.h"
#include "handmodel.h"

/* --- building models by hand ------------------------------------------ */

static uint32_t add_sys(struct kf_model *m, const char *name, int nr,
			const char *args)
{
	uint32_t si = kf_model_sys_get(m, name);
	struct kf_sysdesc *d;
	char *copy = strdup(args), *save = NULL, *tok;

	assert_int_not_equal(si, KF_NONE);
	d = &m->sys[si];
	d->nr = nr;
	/* "dfd:int filename:str" */
	for (tok = strtok_r(copy, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		char *colon = strchr(tok, ':');

		*colon = '\0';
		d->argname[d->nargs] = str(m, tok);
		d->argkind[d->nargs] = !strcmp(colon + 1, "int") ? KF_ARG_INT :
				       !strcmp(colon + 1, "uint") ? KF_ARG_UINT :
				       !strcmp(colon + 1, "ptr") ? KF_ARG_PTR :
				       KF_ARG_STR;
		d->nargs++;
	}
	free(copy);
	return si;
}

static uint32_t add_call(struct kf_model *m, uint32_t sys, int32_t pid,
			 const char *comm, uint16_t cpu, uint64_t start,
			 uint64_t end, uint16_t flags)
{
	uint32_t ci = kf_model_call_new(m);
	struct kf_call *c;

	assert_int_not_equal(ci, KF_NONE);
	c = &m->calls[ci];
	c->sys = sys;
	c->pid = pid;
	c->comm = str(m, comm);
	c->cpu = cpu;
	c->start = start;
	c->end = end;
	c->flags = flags;
	return ci;
}

/* Awkward bytes for every string field: quotes, controls, not UTF-8. */
#define NASTY "q\"b\\s/\n\t\r\b\f\x01\x1f\x7f caf\xc3\xa9 \xf0\x9f\x90\xa7 " \
	"c1:\xc2\x9b\xc2\x80\xc2\x9f\xc2\xa0 " \
	"bad:\xff\xfe\xc0\x80\xed\xb2\x80\xe2\x82 \\udcff lit"

/*
 * Every field of the model set, some to their extremes:
 *
 *   call 0 openat(AT_FDCWD, "/tmp/demo.txt", ...) = 3     cpu 1
 *     do_sys_openat2
 *     ├─ getname
 *     │  └─ kmem_cache_alloc [noentry, starts before the call]
 *     ├─ irq_enter_rcu [irq]
 *     │  └─ handle_irq [nmi]
 *     └─ do_filp_open [noexit lost overrun]
 *   call 1 read(...) = INT64_MIN, noenter|incomplete|repaired, no tree
 *   call 2 vfs_read() in function mode, open, two top-level nodes
 *   call 3 close(...) ret > 2^53, args at UINT64_MAX, empty string arg
 */
static void build_full(struct kf_model *m)
{
	struct kf_meta *mt = &m->meta;
	uint64_t base = UINT64_C(18000000000000000000); /* a late clock */
	uint32_t so, sr, sc, ci, top, g, irq;
	struct kf_call *c;

	assert_int_equal(kf_model_init(m), 0);
	kf_meta_set(&mt->kfollow_version, "0.1.0");
	kf_meta_set(&mt->kernel, "6.1.0-56-amd64");
	kf_meta_set(&mt->machine, "x86_64");
	kf_meta_set(&mt->date, "2026-11-22T10:00:00Z");
	kf_meta_set(&mt->command, "cat '/tmp/a b' " NASTY);
	kf_meta_set(&mt->targets, "openat,read");
	kf_meta_set(&mt->roots, "do_sys_openat2,ksys_read");
	kf_meta_set(&mt->notrace, "*spin_lock*");
	kf_meta_set(&mt->degraded, "");
	kf_meta_set(&mt->source, "live");
	kf_meta_set(&mt->retval, "getname,do_filp_open,vfs_read");
	mt->mode = KF_MODE_GRAPH;
	mt->max_depth = 12;
	mt->min_duration = 1500;
	mt->exit_status = 256;
	mt->events = UINT64_MAX;
	mt->lost = (UINT64_C(1) << 53);
	mt->dropped = (UINT64_C(1) << 53) - 1;
	mt->ncpus = 3;
	mt->lost_cpu = calloc(3, sizeof(*mt->lost_cpu));
	mt->lost_cpu[0] = 0;
	mt->lost_cpu[1] = 7;
	mt->lost_cpu[2] = UINT64_C(0xffffffffffffff00);

	so = add_sys(m, "openat", 257, "dfd:int filename:str flags:int "
		     "mode:uint");
	sr = add_sys(m, "read", 0, "fd:uint buf:ptr count:uint");
	sc = add_sys(m, "close", -1, "fd:uint");
	add_sys(m, "sync", 162, "");

	ci = add_call(m, so, 4242, "cat", 1, base + 1000, base + 9000,
		      KF_CALL_HAS_RET);
	c = &m->calls[ci];
	c->ret = 3;
	c->args[0] = UINT64_C(0xffffffffffffff9c);  /* AT_FDCWD */
	c->args[1] = UINT64_C(0x7ffd5a1c2e10);
	c->args[2] = 0x80000;
	c->args[3] = 0;
	c->argstr[1] = str(m, "/tmp/demo.txt");
	top = add_node(m, ci, KF_NONE, "do_sys_openat2", base + 1100, 7000,
		       1, 0);
	g = add_node(m, ci, top, "getname", base + 1200, 400, 1, 0);
	assert_int_equal(kf_model_ret_set(m, g, -14), 0);  /* an ERR_PTR */
	add_node(m, ci, g, "kmem_cache_alloc", base + 900, 350, 1,
		 KF_NODE_NOENTRY);
	irq = add_node(m, ci, top, "irq_enter_rcu", base + 2000, 300, 0,
		       KF_NODE_IRQ);
	{
		/* off the CPU in getname, woken by a task with a hostile name
		 * from its pipe_write; in irq_enter_rcu, from an interrupt */
		struct kf_node_note *nt = kf_model_note_add(m, g);

		assert_non_null(nt);
		nt->off = UINT64_C(0xffffffffffff);
		nt->nsleeps = 3;
		nt->has |= KF_NOTE_OFF | KF_NOTE_WAKER;
		nt->waker_pid = -1;
		nt->waker_comm = str(m, NASTY);
		nt->waker_func = str(m, "pipe_write");
		kf_node_get(m, g)->flags |= KF_NODE_OFF;
		nt = kf_model_note_add(m, irq);
		assert_non_null(nt);
		nt->off = 5;
		nt->nsleeps = 1;
		nt->has = KF_NOTE_OFF | KF_NOTE_WAKER | KF_NOTE_WAKER_IRQ;
		nt->waker_pid = 0;
		kf_node_get(m, irq)->flags |= KF_NODE_OFF;
		m->calls[ci].off = UINT64_C(0xffffffffffff) + 5;
	}
	add_node(m, ci, irq, "handle_irq", base + 2050, 100, 0,
		 KF_NODE_NMI | KF_NODE_SOFTIRQ);
	assert_int_equal(kf_model_ret_set(m, add_node(m, ci, top,
		"do_filp_open", base + 3000, 4000, 1, KF_NODE_NOEXIT |
		KF_NODE_LOST | KF_NODE_OVERRUN), INT64_MIN), 0);

	ci = add_call(m, sr, -7, NASTY, 65535, base + 500, base + 500,
		      KF_CALL_HAS_RET | KF_CALL_NOENTER | KF_CALL_INCOMPLETE |
		      KF_CALL_REPAIRED);
	c = &m->calls[ci];
	c->ret = INT64_MIN;

	ci = add_call(m, KF_NONE, 1, "kworker/0:1", 0, base + 10000,
		      base + 10000, KF_CALL_OPEN | KF_CALL_NOEXIT);
	/* an int's -2 as the register holds it */
	assert_int_equal(kf_model_ret_set(m, add_node(m, ci, KF_NONE,
		"vfs_read", base + 10000, 0, 0, 0), 0xfffffffell), 0);
	add_node(m, ci, KF_NONE, NASTY, base + 10500, UINT64_MAX, 2, 0);

	ci = add_call(m, sc, 2147483647, "", 2, base + 20000, base + 30000,
		      KF_CALL_HAS_RET);
	c = &m->calls[ci];
	c->ret = INT64_C(0x7fffffffffffffff);
	c->args[0] = UINT64_MAX;
	c->args[5] = UINT64_MAX;  /* beyond the syscall's one argument */
	c->argstr[0] = str(m, "");
	c->argstr[5] = str(m, NASTY);
	kf_model_compute_self(m);
}

/* --- comparing models ------------------------------------------------- */

static void same_str(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void same_id(const struct kf_model *a, uint32_t ia,
		    const struct kf_model *b, uint32_t ib)
{
	if (ia == KF_NONE || ib == KF_NONE)
		assert_int_equal(ia, ib);
	else
		assert_string_equal(kf_strtab_get(&a->strs, ia),
				    kf_strtab_get(&b->strs, ib));
}

static void same_node(const struct kf_model *a, const struct kf_node *x,
		      const struct kf_model *b, const struct kf_node *y)
{
	same_id(a, x->func, b, y->func);
	assert_int_equal(x->start, y->start);
	assert_int_equal(x->dur, y->dur);
	assert_int_equal(x->self, y->self);
	assert_int_equal(x->depth, y->depth);
	assert_int_equal(x->cpu, y->cpu);
	assert_int_equal(x->flags, y->flags);
	assert_int_equal(x->child == KF_NONE, y->child == KF_NONE);
	assert_int_equal(x->next == KF_NONE, y->next == KF_NONE);
	assert_int_equal(x->parent == KF_NONE, y->parent == KF_NONE);
}

/* Walk both trees in step, without recursion (they can be deep). */
static void same_tree(const struct kf_model *a, uint32_t na,
		      const struct kf_model *b, uint32_t nb)
{
	unsigned int depth = 0;

	assert_int_equal(na == KF_NONE, nb == KF_NONE);
	while (na != KF_NONE) {
		const struct kf_node *x = kf_node_get(a, na);
		const struct kf_node *y = kf_node_get(b, nb);

		same_node(a, x, b, y);
		{
			int64_t va = 0, vb = 0;
			int ha = kf_model_ret_get(a, na, &va);

			const struct kf_node_note *p = kf_model_note(a, na);
			const struct kf_node_note *q = kf_model_note(b, nb);

			assert_int_equal(ha, kf_model_ret_get(b, nb, &vb));
			assert_int_equal(va, vb);
			assert_int_equal(p == NULL, q == NULL);
			if (p) {
				assert_int_equal(p->has, q->has);
				assert_int_equal(p->off, q->off);
				assert_int_equal(p->nsleeps, q->nsleeps);
				assert_int_equal(p->waker_pid, q->waker_pid);
				same_id(a, p->waker_comm, b, q->waker_comm);
				same_id(a, p->waker_func, b, q->waker_func);
			}
		}
		if (x->child != KF_NONE) {
			assert_int_equal(kf_node_get(b, y->child)->parent, nb);
			na = x->child;
			nb = y->child;
			depth++;
			continue;
		}
		while (x->next == KF_NONE && depth) {
			na = x->parent;
			nb = y->parent;
			x = kf_node_get(a, na);
			y = kf_node_get(b, nb);
			depth--;
		}
		na = x->next;
		nb = y->next;
		assert_int_equal(na == KF_NONE, nb == KF_NONE);
	}
}

static void same_model(const struct kf_model *a, const struct kf_model *b)
{
	const struct kf_meta *x = &a->meta, *y = &b->meta;
	uint32_t i;
	int k;

	same_str(x->kfollow_version, y->kfollow_version);
	same_str(x->kernel, y->kernel);
	same_str(x->machine, y->machine);
	same_str(x->date, y->date);
	same_str(x->command, y->command);
	same_str(x->targets, y->targets);
	same_str(x->roots, y->roots);
	same_str(x->notrace, y->notrace);
	same_str(x->degraded, y->degraded);
	same_str(x->source, y->source);
	same_str(x->retval, y->retval);
	for (i = 0; i < a->ncalls && i < b->ncalls; i++)
		assert_int_equal(a->calls[i].off, b->calls[i].off);
	assert_int_equal(a->notes.n, b->notes.n);
	assert_int_equal(x->mode, y->mode);
	assert_int_equal(x->max_depth, y->max_depth);
	assert_int_equal(x->min_duration, y->min_duration);
	assert_int_equal(x->exit_status, y->exit_status);
	assert_int_equal(x->events, y->events);
	assert_int_equal(x->lost, y->lost);
	assert_int_equal(x->dropped, y->dropped);
	assert_int_equal(x->ncpus, y->ncpus);
	assert_int_equal(x->lost_cpu == NULL, y->lost_cpu == NULL);
	for (k = 0; x->lost_cpu && k < x->ncpus; k++)
		assert_int_equal(x->lost_cpu[k], y->lost_cpu[k]);

	assert_int_equal(a->nsys, b->nsys);
	for (i = 0; i < a->nsys; i++) {
		const struct kf_sysdesc *s = &a->sys[i], *t = &b->sys[i];

		same_id(a, s->name, b, t->name);
		assert_int_equal(s->nr, t->nr);
		assert_int_equal(s->nargs, t->nargs);
		for (k = 0; k < s->nargs; k++) {
			same_id(a, s->argname[k], b, t->argname[k]);
			assert_int_equal(s->argkind[k], t->argkind[k]);
		}
	}

	assert_int_equal(a->ncalls, b->ncalls);
	for (i = 0; i < a->ncalls; i++) {
		const struct kf_call *c = &a->calls[i], *d = &b->calls[i];

		assert_int_equal(c->start, d->start);
		assert_int_equal(c->end, d->end);
		assert_int_equal(c->flags, d->flags);
		if (c->flags & KF_CALL_HAS_RET)
			assert_int_equal(c->ret, d->ret);
		for (k = 0; k < KF_MAX_ARGS; k++) {
			assert_int_equal(c->args[k], d->args[k]);
			same_id(a, c->argstr[k], b, d->argstr[k]);
		}
		assert_int_equal(c->sys, d->sys);
		assert_int_equal(c->nnodes, d->nnodes);
		assert_int_equal(c->pid, d->pid);
		same_id(a, c->comm, b, d->comm);
		assert_int_equal(c->cpu, d->cpu);
		same_tree(a, c->root, b, d->root);
	}
}

/* --- helpers ------------------------------------------------------------ */

/* The capture document of m, as a malloc'd string. */
static char *write_mem(const struct kf_model *m, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	assert_non_null(f);
	assert_int_equal(kf_capfile_write(f, m), 0);
	assert_int_equal(fclose(f), 0);
	if (len)
		*len = n;
	return buf;
}

/* Write a, read it back into b, compare; then the rewrite is identical. */
static void round_trip(struct kf_model *a, struct kf_model *b)
{
	size_t n, n2;
	char *doc = write_mem(a, &n), *doc2;

	/* nothing in the JSON can drive a terminal: no raw control byte,
	 * no C1 control (U+0080..U+009F, 0x9b is CSI) */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)doc[i];

		if ((c < 0x20 && c != '\n') || c == 0x7f ||
		    (c == 0xc2 && i + 1 < n &&
		     (unsigned char)doc[i + 1] >= 0x80 &&
		     (unsigned char)doc[i + 1] <= 0x9f))
			fail_msg("raw byte 0x%02x at %zu in the JSON", c, i);
	}
	assert_int_equal(kf_model_init(b), 0);
	if (kf_capfile_parse(doc, n, b, "t.json") < 0)
		fail_msg("%s", kf_err_msg());
	same_model(a, b);
	doc2 = write_mem(b, &n2);
	assert_int_equal(n, n2);
	assert_memory_equal(doc, doc2, n);
	free(doc);
	free(doc2);
}

/* Parsing doc[0..len) fails with exactly `msg`, leaving m empty. */
static void parse_fails_n(const char *doc, size_t len, const char *msg)
{
	struct kf_model m;

	assert_int_equal(kf_model_init(&m), 0);
	kf_err_clear();
	assert_int_equal(kf_capfile_parse(doc, len, &m, "t.json"), -1);
	assert_string_equal(kf_err_msg(), msg);
	assert_int_equal(kf_err_code(), KF_EXIT_DATAERR);
	assert_int_equal(m.ncalls, 0);
	assert_int_equal(m.nnodes, 0);
	assert_int_equal(m.nsys, 0);
	kf_model_release(&m);
}

static void parse_fails(const char *doc, const char *msg)
{
	parse_fails_n(doc, strlen(doc), msg);
}

static void parse_ok(const char *doc, struct kf_model *m)
{
	assert_int_equal(kf_model_init(m), 0);
	if (kf_capfile_parse(doc, strlen(doc), m, "t.json") < 0)
		fail_msg("%s", kf_err_msg());
}

/* --- round trips -------------------------------------------------------- */

static void test_round_trip_full(void **state)
{
	struct kf_model a, b;

	(void)state;
	build_full(&a);
	round_trip(&a, &b);
	/* spot checks that the comparison would have seen a difference */
	assert_string_equal(b.meta.command, "cat '/tmp/a b' " NASTY);
	assert_int_equal(b.calls[0].args[0], UINT64_C(0xffffffffffffff9c));
	assert_int_equal(b.calls[1].ret, INT64_MIN);
	assert_int_equal(b.calls[3].args[5], UINT64_MAX);
	assert_int_equal(b.calls[2].sys, KF_NONE);
	assert_int_equal(b.meta.lost_cpu[2], UINT64_C(0xffffffffffffff00));
	assert_int_equal(kf_node_get(&b, b.calls[0].root)->self,
			 7000 - 400 - 300 - 4000);
	kf_model_release(&a);
	kf_model_release(&b);
}

static void test_round_trip_modes(void **state)
{
	enum kf_mode modes[] = { KF_MODE_GRAPH, KF_MODE_BOUNDARY,
				 KF_MODE_TEXT };
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		struct kf_model a, b;

		assert_int_equal(kf_model_init(&a), 0);
		a.meta.mode = modes[i];
		a.meta.exit_status = -1;
		a.meta.max_depth = 0x7fffffff;
		round_trip(&a, &b);
		assert_int_equal(b.meta.mode, modes[i]);
		assert_null(b.meta.kernel);
		assert_null(b.meta.lost_cpu);
		kf_model_release(&a);
		kf_model_release(&b);
	}
}

/*
 * The layout of an empty capture, checked by hand against
 * kfollow-capture(5): every meta key is present, unset strings are null.
 */
static void test_empty_layout(void **state)
{
	static const char want[] =
		"{\n"
		"  \"format\": \"kfollow-capture\",\n"
		"  \"version\": 1,\n"
		"  \"meta\": {\n"
		"    \"kfollow_version\": null,\n"
		"    \"kernel\": null,\n"
		"    \"kernel_build\": null,\n"
		"    \"machine\": null,\n"
		"    \"date\": null,\n"
		"    \"command\": null,\n"
		"    \"cgroup\": null,\n"
		"    \"targets\": null,\n"
		"    \"roots\": null,\n"
		"    \"notrace\": null,\n"
		"    \"degraded\": null,\n"
		"    \"source\": null,\n"
		"    \"clock\": null,\n"
		"    \"scope\": null,\n"
		"    \"scope_functions\": 0,\n"
		"    \"retval\": null,\n"
		"    \"args\": null,\n"
		"    \"mode\": \"graph\",\n"
		"    \"max_depth\": 0,\n"
		"    \"min_duration_ns\": 0,\n"
		"    \"exit_status\": -1,\n"
		"    \"events\": 0,\n"
		"    \"lost\": 0,\n"
		"    \"dropped\": 0,\n"
		"    \"clock_stalls\": 0,\n"
		"    \"ncpus\": 0,\n"
		"    \"lost_per_cpu\": null,\n"
		"    \"t0_ns\": 0\n"
		"  },\n"
		"  \"syscalls\": [],\n"
		"  \"calls\": []\n"
		"}\n";
	struct kf_model m;
	char *doc;

	(void)state;
	assert_int_equal(kf_model_init(&m), 0);
	doc = write_mem(&m, NULL);
	assert_string_equal(doc, want);
	free(doc);
	kf_model_release(&m);
}

/*
 * One call with a small tree: its lines, checked by hand.  Times are
 * relative to t0 (the earliest, the call's start); a node is one line,
 * indented a space per level; a list's closing brackets end the line of
 * its last node.
 */
static void test_call_layout(void **state)
{
	static const char want[] =
		"  \"calls\": [\n"
		"    {\"syscall\": \"openat\", \"pid\": 7, \"comm\": \"cat\", "
		"\"cpu\": 1, \"start_ns\": 0, \"end_ns\": 900, \"ret\": -2, "
		"\"args\": [\"0xffffffffffffff9c\", 4096, 0], "
		"\"strings\": {\"1\": \"/nope\"}, \"flags\": [\"repaired\"], "
		"\"nodes\": 3, \"tree\": [\n"
		"      {\"f\": \"do_sys_openat2\", \"start\": 10, \"dur\": 800, "
		"\"cpu\": 1, \"children\": [\n"
		"       {\"f\": \"getname\", \"start\": 20, \"dur\": 100, "
		"\"cpu\": 1, \"flags\": [\"irq\", \"noexit\"]},\n"
		"       {\"f\": \"do_filp_open\", \"start\": 200, \"dur\": 500, "
		"\"cpu\": 1}]}\n"
		"    ]}\n"
		"  ]\n"
		"}\n";
	struct kf_model m;
	uint32_t si, ci, top;
	char *doc;

	(void)state;
	assert_int_equal(kf_model_init(&m), 0);
	si = add_sys(&m, "openat", 257, "dfd:int filename:str flags:int");
	ci = add_call(&m, si, 7, "cat", 1, 5000, 5900,
		      KF_CALL_HAS_RET | KF_CALL_REPAIRED);
	m.calls[ci].ret = -2;
	m.calls[ci].args[0] = UINT64_C(0xffffffffffffff9c);
	m.calls[ci].args[1] = 4096;
	m.calls[ci].argstr[1] = str(&m, "/nope");
	top = add_node(&m, ci, KF_NONE, "do_sys_openat2", 5010, 800, 1, 0);
	add_node(&m, ci, top, "getname", 5020, 100, 1,
		 KF_NODE_IRQ | KF_NODE_NOEXIT);
	add_node(&m, ci, top, "do_filp_open", 5200, 500, 1, 0);
	doc = write_mem(&m, NULL);
	assert_non_null(strstr(doc, "\"t0_ns\": 5000\n"));
	assert_non_null(strstr(doc, want));
	free(doc);
	kf_model_release(&m);
}

/* Each escape, checked by hand against RFC 8259 and kfollow-capture(5). */
static void test_string_escapes(void **state)
{
	struct kf_model m, b;
	uint32_t ci;
	char *doc;

	(void)state;
	assert_int_equal(kf_model_init(&m), 0);
	ci = add_call(&m, KF_NONE, 1, NASTY, 0, 0, 0, 0);
	(void)ci;
	doc = write_mem(&m, NULL);
	assert_non_null(strstr(doc,
		"\"comm\": \"q\\\"b\\\\s/\\n\\t\\r\\b\\f\\u0001\\u001f\\u007f "
		"caf\xc3\xa9 \xf0\x9f\x90\xa7 c1:\\u009b\\u0080\\u009f\xc2\xa0 "
		"bad:\\udcff\\udcfe\\udcc0\\udc80"
		"\\udced\\udcb2\\udc80\\udce2\\udc82 \\\\udcff lit\""));
	free(doc);
	round_trip(&m, &b);
	kf_model_release(&m);
	kf_model_release(&b);
}

/* Escapes other writers use (\/, \u for ASCII, surrogate pairs) decode. */
static void test_foreign_escapes(void **state)
{
	struct kf_model m;

	(void)state;
	parse_ok("{\"format\": \"kfollow-capture\", \"version\": 1, "
		 "\"meta\": {\"mode\": \"graph\", \"t0_ns\": 0, \"kernel\": "
		 "\"a\\/b\\u0041\\u00e9\\u20ac\\ud83d\\udc27\\udc80\\uDCFF\"}, "
		 "\"syscalls\": [], \"calls\": []}", &m);
	assert_string_equal(m.meta.kernel,
			    "a/bA\xc3\xa9\xe2\x82\xac\xf0\x9f\x90\xa7\x80\xff");
	kf_model_release(&m);
}

/* A chain 50,000 calls deep, with a sibling at the bottom and the top. */
static void test_deep_tree(void **state)
{
	struct kf_model a, b;
	uint32_t ci, ni = KF_NONE, i;

	(void)state;
	assert_int_equal(kf_model_init(&a), 0);
	ci = add_call(&a, KF_NONE, 1, "deep", 0, 100, 200000, 0);
	for (i = 0; i < 50000; i++) {
		uint32_t k = kf_model_node_new(&a);
		struct kf_node *n = kf_node_get(&a, k);

		/* O(1) linking: each parent has one child */
		n->func = str(&a, i & 1 ? "odd" : "even");
		n->start = 100 + i;
		n->dur = 200000 - 2 * i;
		n->parent = ni;
		n->depth = (uint16_t)i;
		if (ni == KF_NONE)
			a.calls[ci].root = k;
		else
			kf_node_get(&a, ni)->child = k;
		a.calls[ci].nnodes++;
		ni = k;
	}
	add_node(&a, ci, kf_node_get(&a, ni)->parent, "bottom_sibling", 60000,
		 1, 0, 0);
	add_node(&a, ci, KF_NONE, "top_sibling", 199000, 1, 0, 0);
	kf_model_compute_self(&a);
	round_trip(&a, &b);
	assert_int_equal(b.nnodes, 50002);
	assert_int_equal(kf_node_get(&b, b.nnodes - 3)->depth, 49999);
	kf_model_release(&a);
	kf_model_release(&b);
}

/* A document holding one chain `depth` nodes deep. */
static char *chain_doc(unsigned int depth)
{
	static const char head[] =
		"{\"format\": \"kfollow-capture\", \"version\": 1, "
		"\"meta\": {\"mode\": \"graph\", \"t0_ns\": 0}, "
		"\"syscalls\": [], \"calls\": [{\"syscall\": null, \"pid\": 1, "
		"\"comm\": \"x\", \"cpu\": 0, \"start_ns\": 0, \"end_ns\": 0, "
		"\"nodes\": %u, \"tree\": [";
	static const char node[] = "{\"f\": \"f\", \"start\": 0, \"dur\": 0, "
				   "\"cpu\": 0, \"children\": [";
	size_t cap = sizeof(head) + 16 + (size_t)depth * (sizeof(node) + 4);
	char *doc = malloc(cap), *p = doc;
	unsigned int i;

	assert_non_null(doc);
	p += sprintf(p, head, depth);
	for (i = 0; i < depth; i++)
		p = stpcpy(p, node);
	for (i = 0; i < depth; i++)
		p = stpcpy(p, "]}");
	strcpy(p, "]}]}");
	return doc;
}

/* Depth 65535 (65,536 levels) is the most kf_node.depth can hold. */
static void test_depth_limit(void **state)
{
	struct kf_model m;
	char *doc = chain_doc(65536), *p;
	size_t off;

	(void)state;
	parse_ok(doc, &m);
	assert_int_equal(m.nnodes, 65536);
	assert_int_equal(kf_node_get(&m, 65535)->depth, 65535);
	assert_int_equal(kf_node_get(&m, 65535)->parent, 65534);
	kf_model_release(&m);
	free(doc);

	doc = chain_doc(65537);
	/* the error is at the 65,537th node's '{' */
	p = doc;
	for (off = 0; off < 65537; off++)
		p = strstr(p + 1, "{\"f\"");
	{
		char want[200];

		snprintf(want, sizeof(want), "cannot read 't.json': line 1, "
			 "column %zu: tree nested deeper than 65536 levels",
			 (size_t)(p - doc) + 1);
		parse_fails(doc, want);
	}
	free(doc);
}

/* The writer refuses a tree its reader would refuse. */
static void test_writer_depth_limit(void **state)
{
	struct kf_model a;
	uint32_t ci, ni = KF_NONE, i;
	FILE *f = fopen("/dev/null", "w");

	(void)state;
	assert_non_null(f);
	assert_int_equal(kf_model_init(&a), 0);
	ci = add_call(&a, KF_NONE, 1, "deep", 0, 0, 0, 0);
	for (i = 0; i < 65537; i++) {
		uint32_t k = kf_model_node_new(&a);
		struct kf_node *n = kf_node_get(&a, k);

		n->parent = ni;
		if (ni == KF_NONE)
			a.calls[ci].root = k;
		else
			kf_node_get(&a, ni)->child = k;
		ni = k;
	}
	assert_int_equal(kf_capfile_write(f, &a), -1);
	assert_string_equal(kf_err_msg(), "cannot write the capture: call 0 "
			    "has a tree deeper than 65536 levels");
	fclose(f);
	kf_model_release(&a);
}

/* --- what the reader accepts -------------------------------------------- */

#define HEAD "{\"format\": \"kfollow-capture\", \"version\": 1, " \
	"\"meta\": {\"mode\": \"graph\", \"t0_ns\": 1000}, "

static const char plain_doc[] =
	HEAD "\"syscalls\": [{\"name\": \"openat\", \"nr\": 257, \"args\": "
	"[{\"name\": \"dfd\", \"kind\": \"int\"}]}], "
	"\"calls\": [{\"syscall\": \"openat\", \"pid\": 5, \"comm\": \"sh\", "
	"\"cpu\": 1, \"start_ns\": 0, \"end_ns\": 50, \"ret\": 3, "
	"\"args\": [\"0xffffffffffffff9c\"], \"flags\": [\"repaired\"], "
	"\"nodes\": 2, \"tree\": [{\"f\": \"a\", \"start\": 1, \"dur\": 40, "
	"\"cpu\": 1, \"flags\": [\"irq\"], \"children\": [{\"f\": \"b\", "
	"\"start\": 2, \"dur\": 10, \"cpu\": 1}]}]}]}";

/* Unknown keys anywhere, of any type, and unknown flags are ignored. */
static void test_unknown_keys(void **state)
{
	static const char doc[] =
		"{\"x\": {\"y\": [1, -2.5e+3, true, false, null, \"s\", {}]}, "
		"\"format\": \"kfollow-capture\", \"version\": 1, "
		"\"meta\": {\"mode\": \"graph\", \"future\": [[[]]], "
		"\"t0_ns\": 1000}, "
		"\"syscalls\": [{\"name\": \"openat\", \"abi\": \"x64\", "
		"\"nr\": 257, \"args\": [{\"name\": \"dfd\", \"kind\": \"int\", "
		"\"size\": 8}]}], "
		"\"calls\": [{\"syscall\": \"openat\", \"pid\": 5, \"comm\": "
		"\"sh\", \"cpu\": 1, \"start_ns\": 0, \"end_ns\": 50, "
		"\"ret\": 3, \"args\": [\"0xffffffffffffff9c\"], \"flags\": "
		"[\"repaired\", \"someday\"], \"nodes\": 2, \"tree\": [{\"f\": "
		"\"a\", \"start\": 1, \"dur\": 40, \"cpu\": 1, \"flags\": "
		"[\"irq\", \"later\"], \"note\": {\"children\": [{}]}, "
		"\"children\": [{\"f\": \"b\", \"start\": 2, \"dur\": 10, "
		"\"cpu\": 1, \"x\": 0.5}]}]}], \"trailer\": \"ok\"}";
	struct kf_model a, b;

	(void)state;
	parse_ok(plain_doc, &a);
	parse_ok(doc, &b);
	same_model(&a, &b);
	assert_int_equal(b.nnodes, 2);
	assert_int_equal(b.calls[0].start, 1000);
	assert_int_equal(kf_node_get(&b, 0)->flags, KF_NODE_IRQ);
	assert_int_equal(kf_node_get(&b, 0)->self, 30);
	assert_int_equal(b.calls[0].flags, KF_CALL_REPAIRED | KF_CALL_HAS_RET);
	kf_model_release(&a);
	kf_model_release(&b);
}

/* A node's "ret" in any place among its keys, "flags" after it too. */
static void test_node_ret(void **state)
{
	static const char doc[] =
		"{\"format\": \"kfollow-capture\", \"version\": 1, "
		"\"meta\": {\"mode\": \"graph\", \"t0_ns\": 0, "
		"\"retval\": \"a,b\"}, \"syscalls\": [], "
		"\"calls\": [{\"syscall\": null, \"pid\": 5, \"comm\": "
		"\"sh\", \"cpu\": 1, \"start_ns\": 0, \"end_ns\": 50, "
		"\"ret\": -13, \"nodes\": 2, \"tree\": [{\"ret\": -13, "
		"\"f\": \"a\", \"start\": 1, \"dur\": 40, \"cpu\": 1, "
		"\"flags\": [\"irq\"], \"children\": [{\"f\": \"b\", "
		"\"start\": 2, \"dur\": 10, \"cpu\": 1, \"ret\": "
		"\"0xfffffff3\"}]}]}]}";
	struct kf_model m;
	int64_t v;

	(void)state;
	parse_ok(doc, &m);
	assert_string_equal(m.meta.retval, "a,b");
	assert_int_equal(kf_node_get(&m, 0)->flags, KF_NODE_IRQ | KF_NODE_RET);
	assert_true(kf_model_ret_get(&m, 0, &v));
	assert_int_equal(v, -13);
	assert_true(kf_model_ret_get(&m, 1, &v));
	assert_int_equal(v, 0xfffffff3ll);
	/* the call failed with -13 and b began it */
	assert_int_equal(m.calls[0].flags & KF_CALL_HAS_RET, KF_CALL_HAS_RET);
	assert_int_equal(kf_call_origin(&m, 0), 1);
	kf_model_release(&m);
	parse_fails("{\"format\": \"kfollow-capture\", \"version\": 1, "
		    "\"meta\": {\"mode\": \"graph\", \"t0_ns\": 0}, "
		    "\"syscalls\": [], \"calls\": [{\"syscall\": null, "
		    "\"pid\": 5, \"comm\": \"sh\", \"cpu\": 1, "
		    "\"start_ns\": 0, \"end_ns\": 50, \"nodes\": 1, "
		    "\"tree\": [{\"f\": \"a\", \"start\": 1, \"dur\": 40, "
		    "\"cpu\": 1, \"ret\": true}]}]}", "cannot read 't.json': line 1, column 263: expected an integer");
}

/* A byte order mark is allowed (RFC 8259 8.1), and nothing else is. */
static void test_bom(void **state)
{
	char doc[sizeof(plain_doc) + 3];
	struct kf_model a, b;

	(void)state;
	memcpy(doc, "\xef\xbb\xbf", 3);
	memcpy(doc + 3, plain_doc, sizeof(plain_doc));
	assert_true(kf_capfile_sniff(doc, strlen(doc)));
	parse_ok(plain_doc, &a);
	parse_ok(doc, &b);
	same_model(&a, &b);
	kf_model_release(&a);
	kf_model_release(&b);
	doc[2] = 'x';
	parse_fails(doc, "cannot read 't.json': line 1, column 1: expected "
		    "'{'");
	/* version 2 behind a BOM is still recognised */
	parse_fails("\xef\xbb\xbf{\"calls\": 1, \"format\": "
		    "\"kfollow-capture\", \"version\": 2}",
		    "'t.json' is a kfollow-capture version 2 file; this "
		    "kfollow reads version 1: upgrade kfollow");
}

/* Keys in any order: what `jq -S` makes of a capture still reads. */
static void test_sorted_keys(void **state)
{
	static const char doc[] =
		"{\"calls\": [{\"args\": [\"0xffffffffffffff9c\"], \"comm\": "
		"\"sh\", \"cpu\": 1, \"end_ns\": 50, \"flags\": [\"repaired\"], "
		"\"nodes\": 2, \"pid\": 5, \"ret\": 3, \"start_ns\": 0, "
		"\"syscall\": \"openat\", \"tree\": [{\"children\": [{\"cpu\": "
		"1, \"dur\": 10, \"f\": \"b\", \"start\": 2}], \"cpu\": 1, "
		"\"dur\": 40, \"f\": \"a\", \"flags\": [\"irq\"], \"start\": "
		"1}]}], \"format\": \"kfollow-capture\", \"meta\": {\"mode\": "
		"\"graph\", \"t0_ns\": 1000}, \"syscalls\": [{\"args\": "
		"[{\"kind\": \"int\", \"name\": \"dfd\"}], \"name\": \"openat\", "
		"\"nr\": 257}], \"version\": 1}";
	struct kf_model a, b;

	(void)state;
	parse_ok(plain_doc, &a);
	parse_ok(doc, &b);
	same_model(&a, &b);
	kf_model_release(&a);
	kf_model_release(&b);
}

/* Integers: plain up to 2^64-1, hex strings, two's complement for ret. */
static void test_numbers(void **state)
{
	static const char doc[] =
		HEAD "\"syscalls\": [], \"calls\": [{\"syscall\": null, "
		"\"pid\": -2147483648, \"comm\": \"x\", \"cpu\": 65535, "
		"\"start_ns\": \"0x10\", \"end_ns\": 18446744073709550615, "
		"\"ret\": \"0xFFFFFFFFFFFFFFFF\", \"args\": [18446744073709551615, "
		"\"0X0\", \"0xabcdef0123456789\", -0, 0, 1], "
		"\"strings\": {\"5\": \"\"}, \"nodes\": 0, \"tree\": []}]}";
	struct kf_model m;
	struct kf_call *c;

	(void)state;
	parse_ok(doc, &m);
	c = &m.calls[0];
	assert_int_equal(c->pid, INT32_MIN);
	assert_int_equal(c->cpu, 65535);
	assert_int_equal(c->start, 1016);
	assert_int_equal(c->end, UINT64_MAX);
	assert_int_equal(c->ret, -1);
	assert_int_equal(c->args[0], UINT64_MAX);
	assert_int_equal(c->args[1], 0);
	assert_int_equal(c->args[2], UINT64_C(0xabcdef0123456789));
	assert_int_equal(c->args[5], 1);
	assert_int_equal(c->argstr[5], 0);
	assert_int_equal(c->argstr[4], KF_NONE);
	assert_int_equal(c->root, KF_NONE);
	kf_model_release(&m);
}

/* --- what the reader refuses, and how it says so ------------------------ */

static void test_version_refused(void **state)
{
	static const char v2_msg[] = "'t.json' is a kfollow-capture version 2 "
		"file; this kfollow reads version 1: upgrade kfollow";

	(void)state;
	/* as this kfollow writes it: checked before anything else */
	parse_fails("{\"format\": \"kfollow-capture\", \"version\": 2, "
		    "\"meta\": \"a new shape\", \"calls\": {}}", v2_msg);
	/* keys sorted: "calls" in a shape version 1 refuses comes first */
	parse_fails("{\"calls\": {\"a new\": \"shape\"}, \"format\": "
		    "\"kfollow-capture\", \"version\": 2}", v2_msg);
	/* valid as version 1 apart from the number */
	parse_fails("{\"meta\": {\"mode\": \"graph\", \"t0_ns\": 0}, "
		    "\"syscalls\": [], \"calls\": [], \"format\": "
		    "\"kfollow-capture\", \"version\": 2}", v2_msg);
	parse_fails("{\"format\": \"kfollow-capture\", \"version\": 0}",
		    "cannot read 't.json': line 1, column 42: unsupported "
		    "version 0");
	parse_fails("{\"format\": \"kfollow-capture\", \"version\": 1.5}",
		    "cannot read 't.json': line 1, column 42: expected an "
		    "integer");
}

static void test_not_a_capture(void **state)
{
	(void)state;
	parse_fails("{\"name\": \"kfollow\", \"version\": \"0.1.0\"}",
		    "cannot read 't.json': not a kfollow capture (no "
		    "\"format\" key)");
	parse_fails("{\"format\": \"trace-cmd\", \"version\": 1}",
		    "cannot read 't.json': not a kfollow capture (its format "
		    "is 'trace-cmd')");
	/* said as soon as it is read; control characters not echoed */
	parse_fails("{\"version\": 1, \"format\": \"x\\ny\", \"calls\": [}",
		    "cannot read 't.json': not a kfollow capture (its format "
		    "is 'x?y')");
	/* the format wins over an error before it */
	parse_fails("{\"calls\": {\"a\": 1}, \"format\": \"other\"}",
		    "cannot read 't.json': not a kfollow capture (its format "
		    "is 'other')");
	/* but not over broken JSON before it */
	parse_fails("{\"calls\": [}, \"format\": \"other\"}",
		    "cannot read 't.json': line 1, column 12: expected '{'");
	parse_fails("", "cannot read 't.json': line 1, column 1: expected "
		    "'{', found the end of the file");
	parse_fails("[1, 2]", "cannot read 't.json': line 1, column 1: "
		    "expected '{'");
}

/*
 * Each class of damage.  Line and column count from 1, columns in bytes;
 * every position below was counted by hand.
 */
static void test_errors(void **state)
{
	static const struct {
		const char *doc, *msg;
	} cases[] = {
		/* invalid JSON */
		{ HEAD "\n\"syscalls\": [] \"calls\": []}",
		  "line 2, column 16: expected ',' or '}'" },
		{ HEAD "\n\"syscalls\": [], \"calls\": [],}",
		  "line 2, column 29: expected a key (a string)" },
		{ HEAD "\n\"syscalls\": [,], \"calls\": []}",
		  "line 2, column 14: expected '{'" },
		{ HEAD "\n\"syscalls\": [], \"calls\": []}}",
		  "line 2, column 29: unexpected data after the end of the "
		  "capture" },
		{ HEAD "\n\"syscalls\": [], \"calls\": []} x",
		  "line 2, column 30: unexpected data after the end of the "
		  "capture" },
		{ HEAD "\n\"syscalls\": [], \"calls\": [], \"x\": tru}",
		  "line 2, column 35: expected a value" },
		{ HEAD "\n\"syscalls\": [], \"calls\": [], \"x\": 01}",
		  "line 2, column 36: expected ',' or '}'" },
		{ HEAD "\n\"syscalls\": [], \"calls\": [], \"x\": 1.}",
		  "line 2, column 37: invalid number" },
		{ HEAD "\n\"syscalls\": [], \"calls\": [], \"x\": [1 2]}",
		  "line 2, column 38: expected ',' or ']'" },
		{ HEAD "\n\"syscalls\": [], \"calls\": [], \"x\": \"a\tb\"}",
		  "line 2, column 37: control character in a string (write it "
		  "as \\u0009)" },
		{ HEAD "\n\"syscalls\": [], \"calls\": [], \"x\": \"\\x\"}",
		  "line 2, column 36: invalid escape in a string" },
		{ HEAD "\n\"syscalls\": [], \"calls\": [], \"x\": \"\\u12\"}",
		  "line 2, column 36: invalid \\u escape in a string" },
		{ HEAD "\n\"syscalls\": [], \"calls\": [], \"x\": \"\\ud800\"}",
		  "line 2, column 36: unpaired surrogate escape in a string" },
		{ HEAD "\n\"syscalls\": [], \"calls\": [], \"x\": \"\\udc00\"}",
		  "line 2, column 36: unpaired surrogate escape in a string" },
		{ HEAD "\n\"syscalls\": [], \"calls\": [], \"x\": \"\\u0000\"}",
		  "line 2, column 36: \\u0000 (NUL) in a string" },
		{ HEAD "\n\"syscalls\": [], \"calls\": [], \"x\": \"\xc3\"}",
		  "line 2, column 36: invalid UTF-8 in a string" },
		{ HEAD "\n\"syscalls\": [], \"calls\": [], \"x\": \"\xed\xa0\x80\"}",
		  "line 2, column 36: invalid UTF-8 in a string" },
		{ HEAD "\n\"syscalls\": [], \"calls\": [], \"x\": \"abc",
		  "line 2, column 39: the file ends inside a string" },
		/* missing keys */
		{ "{\"format\": \"kfollow-capture\", \"version\": 1,\n"
		  "\"syscalls\": [], \"calls\": []}",
		  "line 2, column 28: missing key 'meta' in the capture" },
		{ "{\"format\": \"kfollow-capture\", \"version\": 1,\n"
		  "\"meta\": {\"mode\": \"graph\"}, \"syscalls\": [], "
		  "\"calls\": []}",
		  "line 2, column 25: missing key 't0_ns' in \"meta\"" },
		{ HEAD "\n\"syscalls\": [{\"name\": \"a\", \"args\": []}], "
		  "\"calls\": []}",
		  "line 2, column 38: missing key 'nr' in a syscall" },
		{ HEAD "\n\"syscalls\": [{\"name\": \"a\", \"nr\": 1, \"args\": "
		  "[{\"name\": \"x\"}]}], \"calls\": []}",
		  "line 2, column 58: missing key 'kind' in a syscall "
		  "argument" },
		{ HEAD "\n\"syscalls\": [], \"calls\": [{\"syscall\": null, "
		  "\"comm\": \"x\", \"cpu\": 0, \"start_ns\": 0, \"end_ns\": 0, "
		  "\"nodes\": 0, \"tree\": []}]}",
		  "line 2, column 118: missing key 'pid' in a call" },
		{ HEAD "\n\"syscalls\": [], \"calls\": [{\"syscall\": null, "
		  "\"pid\": 1, \"comm\": \"x\", \"cpu\": 0, \"start_ns\": 0, "
		  "\"end_ns\": 0, \"nodes\": 1, \"tree\": [{\"f\": \"a\", "
		  "\"start\": 0, \"cpu\": 0}]}]}",
		  "line 2, column 158: missing key 'dur' in a node" },
		/* numbers out of range or of the wrong kind */
		{ HEAD "\n\"syscalls\": [], \"calls\": [{\"syscall\": null, "
		  "\"pid\": 2147483648}]}",
		  "line 2, column 52: number out of range (-2147483648 to "
		  "2147483647)" },
		{ HEAD "\n\"syscalls\": [], \"calls\": [{\"syscall\": null, "
		  "\"cpu\": 65536}]}",
		  "line 2, column 52: number out of range (0 to 65535)" },
		{ HEAD "\n\"syscalls\": [], \"calls\": [{\"syscall\": null, "
		  "\"start_ns\": 18446744073709551616}]}",
		  "line 2, column 57: number out of range" },
		{ HEAD "\n\"syscalls\": [], \"calls\": [{\"syscall\": null, "
		  "\"start_ns\": -1}]}",
		  "line 2, column 57: number out of range (must not be "
		  "negative)" },
		{ HEAD "\n\"syscalls\": [], \"calls\": [{\"syscall\": null, "
		  "\"start_ns\": 1e3}]}",
		  "line 2, column 57: expected an integer" },
		{ HEAD "\n\"syscalls\": [], \"calls\": [{\"syscall\": null, "
		  "\"start_ns\": \"12\"}]}",
		  "line 2, column 57: expected an integer or a \"0x...\" "
		  "string" },
		{ HEAD "\n\"syscalls\": [], \"calls\": [{\"syscall\": null, "
		  "\"start_ns\": \"0x10000000000000000\"}]}",
		  "line 2, column 57: hex number out of range (more than 64 "
		  "bits)" },
		{ HEAD "\n\"syscalls\": [], \"calls\": [{\"syscall\": null, "
		  "\"start_ns\": \"0xg\"}]}",
		  "line 2, column 60: invalid hex digit" },
		{ HEAD "\n\"syscalls\": [], \"calls\": [{\"syscall\": null, "
		  "\"start_ns\": null}]}",
		  "line 2, column 57: expected an integer" },
		{ HEAD "\n\"syscalls\": [], \"calls\": [{\"syscall\": null, "
		  "\"pid\": \"0x10\"}]}",
		  "line 2, column 52: expected an integer" },
		{ "{\"format\": \"kfollow-capture\", \"version\": 1,\n"
		  "\"meta\": {\"mode\": \"graph\", \"t0_ns\": 0, \"ncpus\": 2, "
		  "\"lost_per_cpu\": [0]}, \"syscalls\": [], \"calls\": []}",
		  "line 2, column 70: \"lost_per_cpu\" has 1 entries but "
		  "\"ncpus\" is 2" },
		{ "{\"format\": \"kfollow-capture\", \"version\": 1,\n"
		  "\"meta\": {\"mode\": \"graph\", \"t0_ns\": 0, "
		  "\"lost_per_cpu\": [], \"ncpus\": 2}, \"syscalls\": [], "
		  "\"calls\": []}",
		  "line 2, column 69: \"lost_per_cpu\" has 0 entries but "
		  "\"ncpus\" is 2" },
		{ "{\"format\": \"kfollow-capture\", \"version\": 1,\n"
		  "\"meta\": {\"mode\": \"tree\", \"t0_ns\": 0}}",
		  "line 2, column 18: unknown mode 'tree' (expected graph, "
		  "boundary or text)" },
		{ HEAD "\n\"syscalls\": [{\"name\": \"a\", \"nr\": 1, \"args\": "
		  "[{\"name\": \"x\", \"kind\": \"char\"}]}], \"calls\": []}",
		  "line 2, column 68: unknown argument kind 'char' (expected "
		  "int, uint, ptr or str)" },
		/* nonsense: duplicates, lies, dangling names */
		{ HEAD "\n\"syscalls\": [], \"syscalls\": [], \"calls\": []}",
		  "line 2, column 17: duplicate key 'syscalls'" },
		{ HEAD "\n\"syscalls\": [], \"calls\": [{\"syscall\": null, "
		  "\"pid\": 1, \"pid\": 2}]}",
		  "line 2, column 55: duplicate key 'pid'" },
		{ HEAD "\n\"syscalls\": [], \"calls\": [{\"syscall\": null, "
		  "\"strings\": {\"1\": \"a\", \"1\": \"b\"}}]}",
		  "line 2, column 67: duplicate key '1'" },
		{ HEAD "\n\"syscalls\": [], \"calls\": [{\"syscall\": null, "
		  "\"strings\": {\"6\": \"a\"}}]}",
		  "line 2, column 57: \"strings\" keys are argument indexes 0 "
		  "to 5" },
		{ HEAD "\n\"syscalls\": [], \"calls\": [{\"syscall\": null, "
		  "\"args\": [1, 2, 3, 4, 5, 6, 7]}]}",
		  "line 2, column 72: more than 6 arguments" },
		{ HEAD "\n\"syscalls\": [{\"name\": \"a\", \"nr\": 1, \"args\": "
		  "[]}, {\"name\": \"a\", \"nr\": 2, \"args\": []}], "
		  "\"calls\": []}",
		  "line 2, column 50: syscall 'a' is listed twice" },
		{ HEAD "\n\"syscalls\": [], \"calls\": [{\"syscall\": null, "
		  "\"pid\": 1, \"comm\": \"x\", \"cpu\": 0, \"start_ns\": 0, "
		  "\"end_ns\": 0, \"nodes\": 2, \"tree\": [{\"f\": \"a\", "
		  "\"start\": 0, \"dur\": 0, \"cpu\": 0}]}]}",
		  "line 2, column 170: \"nodes\" is 2 but the tree has 1" },
		{ HEAD "\n\"syscalls\": [], \"calls\": [{\"syscall\": null, "
		  "\"pid\": 1, \"comm\": \"x\", \"cpu\": 0, \"start_ns\": 0, "
		  "\"end_ns\": 0, \"nodes\": 1, \"tree\": [{\"f\": \"a\", "
		  "\"start\": 0, \"dur\": 0, \"cpu\": 0, \"children\": [], "
		  "\"children\": []}]}]}",
		  "line 2, column 186: duplicate key 'children'" },
		{ HEAD "\n\"syscalls\": [], \"calls\": [{\"syscall\": null, "
		  "\"pid\": 1, \"comm\": \"x\", \"cpu\": 0, \"start_ns\": 0, "
		  "\"end_ns\": 0, \"nodes\": 1, \"tree\": [[]]}]}",
		  "line 2, column 127: expected '{' (a node)" },
		{ HEAD "\n\"syscalls\": [], \"calls\": [{\"syscall\": null, "
		  "\"pid\": 1, \"comm\": \"x\", \"cpu\": 0, \"start_ns\": 0, "
		  "\"end_ns\": 0, \"nodes\": 1, \"tree\": [{\"f\": \"a\", "
		  "\"start\": 0, \"dur\": 0, \"cpu\": 0, \"children\": {}}]}]}",
		  "line 2, column 182: expected '['" },
	};
	char want[512];
	size_t i;
	int bad = 0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kf_model m;

		snprintf(want, sizeof(want), "cannot read 't.json': %s",
			 cases[i].msg);
		assert_int_equal(kf_model_init(&m), 0);
		kf_err_clear();
		if (kf_capfile_parse(cases[i].doc, strlen(cases[i].doc), &m,
				     "t.json") == 0 ||
		    strcmp(kf_err_msg(), want) != 0 ||
		    kf_err_code() != KF_EXIT_DATAERR || m.ncalls || m.nsys) {
			print_message("case %zu: got \"%s\"\n  want \"%s\"\n",
				      i, kf_err_msg(), want);
			bad++;
		}
		kf_model_release(&m);
	}
	assert_int_equal(bad, 0);
}

/* Errors with no position: found only once the whole file is read. */
static void test_late_errors(void **state)
{
	(void)state;
	parse_fails(HEAD "\"syscalls\": [], \"calls\": [{\"syscall\": "
		    "\"openat\", \"pid\": 1, \"comm\": \"x\", \"cpu\": 0, "
		    "\"start_ns\": 0, \"end_ns\": 0, \"nodes\": 0, \"tree\": "
		    "[]}]}",
		    "cannot read 't.json': call 1 names syscall 'openat', "
		    "which \"syscalls\" does not list");
	parse_fails("{\"format\": \"kfollow-capture\", \"version\": 1, "
		    "\"meta\": {\"mode\": \"graph\", \"t0_ns\": "
		    "18446744073709551615}, \"syscalls\": [], \"calls\": "
		    "[{\"syscall\": null, \"pid\": 1, \"comm\": \"x\", "
		    "\"cpu\": 0, \"start_ns\": 1, \"end_ns\": 0, \"nodes\": 0, "
		    "\"tree\": []}]}",
		    "cannot read 't.json': call 1: a time plus \"t0_ns\" is "
		    "beyond 2^64 ns");
	parse_fails("{\"format\": \"kfollow-capture\", \"version\": 1, "
		    "\"meta\": {\"mode\": \"graph\", \"t0_ns\": "
		    "18446744073709551615}, \"syscalls\": [], \"calls\": "
		    "[{\"syscall\": null, \"pid\": 1, \"comm\": \"x\", "
		    "\"cpu\": 0, \"start_ns\": 0, \"end_ns\": 0, \"nodes\": 1, "
		    "\"tree\": [{\"f\": \"a\", \"start\": 1, \"dur\": 0, "
		    "\"cpu\": 0}]}]}",
		    "cannot read 't.json': a node's start plus \"t0_ns\" is "
		    "beyond 2^64 ns");
}

/* NUL bytes: never valid outside or inside a string. */
static void test_nul_bytes(void **state)
{
	char doc[256];
	int n;

	(void)state;
	n = snprintf(doc, sizeof(doc), "%s", HEAD "\"syscalls\": [], "
		     "\"calls\": []}");
	doc[n] = '\0';
	/* after the end */
	parse_fails_n(doc, (size_t)n + 1, "cannot read 't.json': line 1, "
		      "column 115: a NUL byte after the end of the capture");
	/* between tokens */
	doc[1] = '\0';
	parse_fails_n(doc, (size_t)n, "cannot read 't.json': line 1, "
		      "column 2: expected a key (a string), found a NUL byte");
	/* inside a string */
	doc[1] = '"';
	doc[4] = '\0';
	parse_fails_n(doc, (size_t)n, "cannot read 't.json': line 1, "
		      "column 5: NUL byte in a string");
}

static void test_skip_depth(void **state)
{
	char *doc = malloc(4096), *p;
	int i;

	(void)state;
	p = doc + sprintf(doc, HEAD "\"syscalls\": [], \"calls\": [], "
			  "\"x\": ");
	for (i = 0; i < 1001; i++)
		*p++ = '[';
	for (i = 0; i < 1001; i++)
		*p++ = ']';
	strcpy(p, "}");
	parse_fails(doc, "cannot read 't.json': line 1, column 1121: values "
		    "nested more than 1000 deep");
	/* 1000 is fine */
	p = doc + sprintf(doc, HEAD "\"syscalls\": [], \"calls\": [], "
			  "\"x\": ");
	for (i = 0; i < 1000; i++)
		*p++ = '[';
	for (i = 0; i < 1000; i++)
		*p++ = ']';
	strcpy(p, "}");
	{
		struct kf_model m;

		parse_ok(doc, &m);
		kf_model_release(&m);
	}
	free(doc);
}

/* Every proper prefix of a capture is refused cleanly (ASan: no leak). */
static void test_truncated(void **state)
{
	struct kf_model a, m;
	size_t n, len, end;
	char *doc;

	(void)state;
	build_full(&a);
	doc = write_mem(&a, &n);
	end = n;
	while (end && doc[end - 1] != '}')
		end--;
	for (len = 0; len < end; len++) {
		assert_int_equal(kf_model_init(&m), 0);
		if (kf_capfile_parse(doc, len, &m, "t.json") == 0)
			fail_msg("a prefix of %zu bytes of %zu was accepted",
				 len, n);
		assert_int_equal(kf_err_code(), KF_EXIT_DATAERR);
		assert_int_equal(m.ncalls, 0);
		kf_model_release(&m);
	}
	/* from the last '}' on, whitespace is all that is left */
	for (; len <= n; len++) {
		assert_int_equal(kf_model_init(&m), 0);
		assert_int_equal(kf_capfile_parse(doc, len, &m, "t.json"), 0);
		kf_model_release(&m);
	}
	free(doc);
	kf_model_release(&a);
}

static void test_sniff(void **state)
{
	(void)state;
	assert_true(kf_capfile_sniff("{", 1));
	assert_true(kf_capfile_sniff(" \n\t{\"format\"", 11));
	assert_true(kf_capfile_sniff("\xef\xbb\xbf{", 4));
	assert_false(kf_capfile_sniff("", 0));
	assert_false(kf_capfile_sniff("   ", 3));
	assert_false(kf_capfile_sniff("# tracer: function_graph\n", 25));
	assert_false(kf_capfile_sniff(" 0)   |  do_sys_openat2() {\n", 29));
	assert_false(kf_capfile_sniff("{", 0));
}

/* --- files -------------------------------------------------------------- */

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0;

	assert_non_null(f);
	*len = 0;
	for (;;) {
		size_t k;

		if (cap - *len < 4096) {
			cap = cap * 2 + 8192;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		k = fread(buf + *len, 1, cap - *len, f);
		if (!k)
			break;
		*len += k;
	}
	fclose(f);
	return buf;
}

static void test_save(void **state)
{
	char dir[] = "/tmp/kf-capfile-XXXXXX", path[128], tmp[256], *doc, *got;
	struct kf_model a, b;
	struct stat st;
	mode_t old = umask(022);
	size_t n, gn;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/cap.json", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	build_full(&a);
	/* a stale link at path.tmp is removed, not written through */
	assert_int_equal(symlink("/nonexistent/target", tmp), 0);
	assert_int_equal(kf_capfile_save(path, &a), 0);
	assert_int_equal(lstat(tmp, &st), -1);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	doc = write_mem(&a, &n);
	got = read_all(path, &gn);
	assert_int_equal(n, gn);
	assert_memory_equal(doc, got, n);
	/* replacing an existing file */
	assert_int_equal(kf_capfile_save(path, &a), 0);
	assert_int_equal(kf_model_init(&b), 0);
	assert_int_equal(kf_capfile_parse(got, gn, &b, path), 0);
	same_model(&a, &b);
	free(doc);
	free(got);
	kf_model_release(&b);

	/* failures name the file and say why */
	snprintf(path, sizeof(path), "%s/no/such/dir.json", dir);
	assert_int_equal(kf_capfile_save(path, &a), -1);
	assert_int_equal(kf_err_code(), KF_EXIT_IOERR);
	snprintf(tmp, sizeof(tmp), "cannot create '%s.tmp': No such file or "
		 "directory", path);
	assert_string_equal(kf_err_msg(), tmp);
	/* a directory at the path: the rename fails, nothing is left */
	snprintf(path, sizeof(path), "%s/adir", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(kf_capfile_save(path, &a), -1);
	assert_int_equal(kf_err_code(), KF_EXIT_IOERR);
	snprintf(tmp, sizeof(tmp), "cannot write '%s': Is a directory", path);
	assert_string_equal(kf_err_msg(), tmp);
	snprintf(tmp, sizeof(tmp), "%s/adir.tmp", dir);
	assert_int_equal(access(tmp, F_OK), -1);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/cap.json", dir);
	unlink(path);
	rmdir(dir);
	umask(old);
	kf_model_release(&a);
}

/* A full disk is an error that says so. */
static void test_write_full_disk(void **state)
{
	struct kf_model a;
	FILE *f = fopen("/dev/full", "w");

	(void)state;
	if (!f)
		skip();
	build_full(&a);
	assert_int_equal(kf_capfile_write(f, &a), -1);
	assert_int_equal(kf_err_code(), KF_EXIT_IOERR);
	assert_string_equal(kf_err_msg(), "cannot write the output: No space "
			    "left on device");
	fclose(f);
	kf_model_release(&a);
}

/*
 * The written document validates against man/kfollow-capture.schema.json
 * (needs python3-jsonschema; run from the top of the tree).
 */
static void test_schema(void **state)
{
	char path[] = "/tmp/kf-capfile-schema-XXXXXX", cmd[256], line[512];
	struct kf_model a;
	size_t n;
	char *doc;
	FILE *p;
	int fd, ok = 0, skipped = 0, rc;

	(void)state;
	if (access("tests/check-schema", X_OK) != 0 ||
	    access("man/kfollow-capture.schema.json", R_OK) != 0)
		skip();
	build_full(&a);
	doc = write_mem(&a, &n);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, doc, n), (ssize_t)n);
	close(fd);
	snprintf(cmd, sizeof(cmd), "tests/check-schema "
		 "man/kfollow-capture.schema.json %s 2>&1", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		if (strstr(line, "# SKIP"))
			skipped = 1;
		else if (!strncmp(line, "ok - ", 5))
			ok = 1;
		else
			print_message("%s", line);
	}
	rc = pclose(p);
	unlink(path);
	free(doc);
	kf_model_release(&a);
	if (skipped)
		skip();
	assert_int_equal(rc, 0);
	assert_true(ok);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_full),
		cmocka_unit_test(test_round_trip_modes),
		cmocka_unit_test(test_empty_layout),
		cmocka_unit_test(test_call_layout),
		cmocka_unit_test(test_string_escapes),
		cmocka_unit_test(test_foreign_escapes),
		cmocka_unit_test(test_deep_tree),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_writer_depth_limit),
		cmocka_unit_test(test_unknown_keys),
		cmocka_unit_test(test_node_ret),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_sorted_keys),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_version_refused),
		cmocka_unit_test(test_not_a_capture),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_late_errors),
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_skip_depth),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_save),
		cmocka_unit_test(test_write_full_disk),
		cmocka_unit_test(test_schema),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
