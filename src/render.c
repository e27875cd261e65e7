// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * render.c - the batch text output.  Stable: one header line per
 * invocation, then the tree with total and self time per function; lines
 * that start with '#' are comments about the capture.  Nothing is dropped
 * silently: hidden calls are counted on a line of their own.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kf_common.h"
#include "kf_decode.h"
#include "kf_explain.h"
#include "kf_render.h"
#include "kf_srcmap.h"

void kf_render_fmt_node(char *buf, size_t len, const struct kf_node *n,
			uint64_t ns)
{
	/* no clock timed it: not a confident "0 ns" */
	if ((n->flags & KF_NODE_CLOCK) && !n->dur)
		snprintf(buf, len, "?");
	else
		kf_render_fmt_dur(buf, len, ns);
}

const char *kf_render_clock_note(const struct kf_model *m, char *buf,
				 size_t len)
{
	char clk[64]; /* the capture's word: escaped, cut */
	uint32_t i, ncalls = 0;

	kf_escape(clk, sizeof(clk), m->meta.clock ? m->meta.clock : "?");
	for (i = 0; i < m->ncalls; i++)
		if (m->calls[i].flags & KF_CALL_CLOCK)
			ncalls++;
	if (m->meta.clock_stalls)
		snprintf(buf, len, "the trace clock '%s' stood still in %llu "
			 "call%s the kernel timed: durations marked '~' can "
			 "be off by a timer tick; try --clock mono (see TIMES "
			 "in kfollow(1))", clk,
			 (unsigned long long)m->meta.clock_stalls,
			 m->meta.clock_stalls == 1 ? "" : "s");
	else if (ncalls)
		snprintf(buf, len, "in %u invocation%s the trace clock '%s' "
			 "and the kernel's call times disagree (marked '~'; "
			 "see TIMES in kfollow(1))", ncalls,
			 ncalls == 1 ? "" : "s", clk);
	else
		return NULL;
	return buf;
}

void kf_render_fmt_dur(char *buf, size_t len, uint64_t ns)
{
	if (ns < 1000)
		snprintf(buf, len, "%llu ns", (unsigned long long)ns);
	else if (ns < 1000000)
		snprintf(buf, len, "%.3f us", ns / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, len, "%.3f ms", ns / 1e6);
	else
		snprintf(buf, len, "%.3f s", ns / 1e9);
}

static const struct {
	uint16_t flag;
	const char *text;
} marks_table[] = {
	{ KF_NODE_IRQ, " [irq]" },
	{ KF_NODE_SOFTIRQ, " [softirq]" },
	{ KF_NODE_NMI, " [nmi]" },
	{ KF_NODE_NOENTRY, " [entry lost]" },
	{ KF_NODE_NOEXIT, " [no return seen]" },
	{ KF_NODE_LOST, " [events lost]" },
	{ KF_NODE_OVERRUN, " [overrun]" },
	{ KF_NODE_CLOCK, " [clock unreliable]" },
};

const char *kf_render_hidden_row(char *buf, size_t len, uint32_t n,
				 uint64_t ns)
{
	char d[32];

	kf_render_fmt_dur(d, sizeof(d), ns);
	if (len)
		snprintf(buf, len, "(%u hidden call%s%s%s)", n,
			 n == 1 ? "" : "s", ns ? ", " : "", ns ? d : "");
	return buf;
}

const char *kf_render_hidden_note(char *buf, size_t len, uint64_t min_dur,
				  int max_depth)
{
	char d[32] = "", deep[32] = "";

	if ((!min_dur && !max_depth) || !len)
		return NULL;
	if (min_dur)
		kf_render_fmt_dur(d, sizeof(d), min_dur);
	if (max_depth)
		snprintf(deep, sizeof(deep), "deeper than %d", max_depth);
	snprintf(buf, len, "# hidden calls: %s%s%s%s",
		 min_dur ? "shorter than " : "", d,
		 min_dur && max_depth ? " or " : "", deep);
	return buf;
}

/* s into buf at *at with control and non-ASCII bytes as \ooo. */
static void esc_into(char *buf, size_t len, size_t *at, const char *s)
{
	for (; *s && *at + 5 < len; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c >= 0x7f || c == '\\')
			*at += (size_t)snprintf(buf + *at, len - *at, "\\%03o",
						c);
		else
			buf[(*at)++] = (char)c;
	}
	buf[*at] = '\0';
}

const char *kf_render_func_src(const struct kf_srcmap *src,
			       const struct kf_explain *ex, const char *func,
			       int explain, char *buf, size_t len)
{
	const struct kf_srcloc *l;
	const char *text;
	size_t at = 0;
	int n = 0;

	if (len < 16) {
		if (len)
			buf[0] = '\0';
		return buf;
	}
	buf[0] = '\0';
	l = src ? kf_srcmap_lookup(src, func, &n) : NULL;
	if (l) {
		memcpy(buf, "  [", 4);
		at = 3;
		esc_into(buf, len, &at, l->file);
		if (at + 40 < len)
			at += (size_t)snprintf(buf + at, len - at, ":%u",
					       l->line);
		if (n > 1 && at + 40 < len)
			at += (size_t)snprintf(buf + at, len - at,
					       " (1 of %d)", n);
		if (at + 2 < len) {
			buf[at++] = ']';
			buf[at] = '\0';
		}
	}
	if (!explain)
		return buf;
	if (l && l->doc && at + 8 < len) {
		/* the kernel's own words, quoted */
		memcpy(buf + at, "  # \"", 6);
		at += 5;
		esc_into(buf, len, &at, l->doc);
		if (at + 2 < len) {
			buf[at++] = '"';
			buf[at] = '\0';
		}
	} else if ((text = kf_explain_get(ex, func, NULL)) && at + 8 < len) {
		memcpy(buf + at, "  # ", 5);
		at += 4;
		esc_into(buf, len, &at, text);
	}
	return buf;
}

const char *kf_render_node_marks(uint16_t flags, char *buf, size_t len)
{
	size_t i, pos = 0;

	if (!len)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < sizeof(marks_table) / sizeof(marks_table[0]); i++) {
		size_t n;

		if (!(flags & marks_table[i].flag))
			continue;
		n = strlen(marks_table[i].text);
		if (pos + n >= len)
			break;
		memcpy(buf + pos, marks_table[i].text, n + 1);
		pos += n;
	}
	return buf;
}

const char *kf_render_node_ret(const struct kf_model *m, uint32_t ni,
			       int origin, char *buf, size_t len)
{
	int64_t v;
	uint64_t u;
	int err;

	if (!len)
		return buf;
	buf[0] = '\0';
	if (!kf_model_ret_get(m, ni, &v))
		return buf;
	u = (uint64_t)v;
	err = kf_ret_errno(v);
	if (err) {
		const char *name = kf_errno_name(err);

		snprintf(buf, len, " = -%d%s%s%s", err, name ? " " : "",
			 name ? name : "", origin ? "  <- error origin" : "");
	} else if (u <= INT32_MAX || (v < 0 && v >= INT32_MIN)) {
		snprintf(buf, len, " = %lld", (long long)v);
	} else if ((u >> 32) == 0) {
		/* an int in a 64-bit register, zero-extended */
		snprintf(buf, len, " = %d", (int32_t)(uint32_t)u);
	} else {
		snprintf(buf, len, " = 0x%llx", (unsigned long long)u);
	}
	return buf;
}

const char *kf_render_node_off(const struct kf_model *m, uint32_t ni,
			       char *buf, size_t len)
{
	const struct kf_node_note *nt = kf_model_note(m, ni);
	struct kf_out o = { buf, len, 0 };
	char dur[32];

	if (len)
		buf[0] = '\0';
	if (!nt || !(nt->has & KF_NOTE_OFF))
		return buf;
	kf_render_fmt_dur(dur, sizeof(dur), nt->off);
	kf_out_printf(&o, "  [off-CPU %s", dur);
	if (nt->nsleeps > 1)
		kf_out_printf(&o, " in %u sleeps", nt->nsleeps);
	if (nt->has & KF_NOTE_WAKER) {
		const char *comm = nt->waker_comm != KF_NONE ?
				   kf_strtab_get(&m->strs, nt->waker_comm) : "?";

		kf_out_puts(&o, nt->has & KF_NOTE_WAKER_IRQ ?
			    ", woken from an interrupt on " : ", woken by ");
		if (nt->waker_pid == 0) {
			/* pid 0 is every CPU's idle task */
			kf_out_puts(&o, "an idle CPU");
		} else {
			kf_out_escape(&o, comm, strlen(comm));
			kf_out_printf(&o, "[%d]", nt->waker_pid);
		}
		if (nt->waker_func != KF_NONE) {
			const char *f = kf_strtab_get(&m->strs,
						      nt->waker_func);

			kf_out_puts(&o, " in ");
			kf_out_escape(&o, f, strlen(f));
		}
	} else if (nt->has & KF_NOTE_PREEMPTED) {
		const char *comm = nt->waker_comm != KF_NONE ?
				   kf_strtab_get(&m->strs, nt->waker_comm) : "?";

		kf_out_puts(&o, ", preempted by ");
		kf_out_escape(&o, comm, strlen(comm));
		kf_out_printf(&o, "[%d]", nt->waker_pid);
	} else {
		kf_out_puts(&o, ", no wakeup seen");
	}
	kf_out_puts(&o, "]");
	return buf;
}

/* s as kf_out_escape shows it: it came from the kernel, the traced program
 * or an input file, and must not drive the terminal. */
static void put_esc(FILE *f, const char *s)
{
	size_t n = strlen(s);
	char small[1024], *buf = small;

	/* "\ooo" is the widest escape: 4 bytes a byte */
	if (n > (sizeof(small) - 1) / 4 && !(buf = malloc(4 * n + 1))) {
		fputc('?', f);
		return;
	}
	fputs(kf_escape(buf, buf == small ? sizeof(small) : 4 * n + 1, s), f);
	if (buf != small)
		free(buf);
}

struct walk {
	FILE *f;
	const struct kf_model *m;
	const struct kf_render_opts *o;
	const char *branch, *last, *pipe, *space;
	uint32_t origin;  /* the call's error origin, KF_NONE */
	char prefix[4096];
};

static int visible(const struct walk *w, const struct kf_node *n)
{
	if (w->o->min_duration && n->dur < w->o->min_duration &&
	    !(n->flags & KF_NODE_NOEXIT))
		return 0;
	if (w->o->max_depth && n->depth >= w->o->max_depth)
		return 0;
	return 1;
}

/* A sibling list: its hidden calls (one line after the shown ones, as
 * the TUI has it) and the last one shown. */
struct level {
	uint32_t next;       /* the parent level's next sibling */
	uint32_t hidden, last_shown, depth;
	uint64_t hidden_ns;
};

static void level_scan(const struct walk *w, uint32_t first,
		       struct level *l)
{
	uint32_t ni;

	l->hidden = 0;
	l->hidden_ns = 0;
	l->last_shown = KF_NONE;
	l->depth = kf_node_get(w->m, first)->depth;
	for (ni = first; ni != KF_NONE; ni = kf_node_get(w->m, ni)->next) {
		const struct kf_node *n = kf_node_get(w->m, ni);

		if (visible(w, n)) {
			l->last_shown = ni;
		} else {
			l->hidden++;
			l->hidden_ns += n->dur;
		}
	}
}

/*
 * Print the sibling list starting at first, iteratively: trees can be
 * thousands of levels deep.
 */
static void print_tree(struct walk *w, uint32_t first)
{
	const struct kf_model *m = w->m;
	struct level *stack = NULL, lv;
	uint32_t sp = 0, cap = 0, ni;
	size_t plen[1024];
	char total[32], self[32], marks[128];

	ni = first;
	w->prefix[0] = '\0';
	if (ni != KF_NONE)
		level_scan(w, ni, &lv);
	for (;;) {
		/* print the sibling run starting at ni at the current level */
		while (ni != KF_NONE) {
			const struct kf_node *n = kf_node_get(m, ni);
			uint32_t next = n->next;
			int is_last;

			if (!visible(w, n)) {
				ni = next;
				continue;
			}
			is_last = ni == lv.last_shown && !lv.hidden;
			kf_render_fmt_node(total, sizeof(total), n, n->dur);
			kf_render_fmt_node(self, sizeof(self), n, n->self);
			fprintf(w->f, "%11s %11s  %s%s", total, self,
				w->prefix, n->depth ? (is_last ? w->last :
						       w->branch) : "");
			put_esc(w->f, kf_strtab_get(&m->strs, n->func));
			if (n->flags & KF_NODE_ARGS) {
				const char *a = kf_model_args_get(m, ni);

				fputc('(', w->f);
				put_esc(w->f, a ? a : "");
				fputc(')', w->f);
			}
			if (n->flags & KF_NODE_RET)
				fputs(kf_render_node_ret(m, ni, ni == w->origin,
							 marks, sizeof(marks)),
				      w->f);
			if (n->flags & KF_NODE_OFF) {
				char off[512];

				fputs(kf_render_node_off(m, ni, off,
							 sizeof(off)), w->f);
			}
			fputs(kf_render_node_marks(n->flags, marks,
						   sizeof(marks)), w->f);
			if (w->o->src || w->o->explain) {
				char where[KF_SRC_DOC_MAX * 4 + 512];

				fputs(kf_render_func_src(w->o->src, w->o->ex,
					kf_strtab_get(&m->strs, n->func),
					w->o->explain, where, sizeof(where)),
				      w->f);
			}
			fputc('\n', w->f);
			if (n->child != KF_NONE) {
				/* descend: remember where to continue */
				if (KF_GROW(stack, cap, (size_t)sp + 1) < 0) {
					free(stack);
					return;
				}
				stack[sp] = lv;
				stack[sp].next = next;
				if (sp < 1024)
					plen[sp] = strlen(w->prefix);
				sp++;
				if (n->depth && strlen(w->prefix) + 8 <
				    sizeof(w->prefix))
					strcat(w->prefix, is_last ? w->space :
					       w->pipe);
				ni = n->child;
				level_scan(w, ni, &lv);
				continue;
			}
			ni = next;
		}
		/* the level's hidden calls; the footer says why */
		if (first != KF_NONE && lv.hidden)
			fprintf(w->f, "%23s  %s%s%s\n", "", w->prefix,
				lv.depth ? w->last : "",
				kf_render_hidden_row(marks, sizeof(marks),
						     lv.hidden, lv.hidden_ns));
		if (!sp)
			break;
		sp--;
		lv = stack[sp];
		ni = lv.next;
		if (sp < 1024)
			w->prefix[plen[sp]] = '\0';
	}
	free(stack);
}

size_t kf_render_call_header(const struct kf_model *m, uint32_t call,
			     char *buf, size_t len)
{
	const struct kf_call *c = &m->calls[call];
	const char *comm = kf_strtab_get(&m->strs, c->comm);
	struct kf_out o = { buf, len, 0 };
	char dur[32];

	if (len)
		buf[0] = '\0';
	o.pos = kf_decode_header(m, c, buf, len);
	kf_render_fmt_dur(dur, sizeof(dur), c->end > c->start ?
			  c->end - c->start : 0);
	kf_out_printf(&o, " <%s%s> ", c->flags & KF_CALL_CLOCK ? "~" : "",
		      dur);
	kf_out_escape(&o, comm, strlen(comm));
	kf_out_printf(&o, "[%d] cpu %u", c->pid, c->cpu);
	if (c->off) {
		char on[32], off[32];
		uint64_t span = c->end > c->start ? c->end - c->start : 0;

		kf_render_fmt_dur(on, sizeof(on), span > c->off ?
				  span - c->off : 0);
		kf_render_fmt_dur(off, sizeof(off), c->off);
		kf_out_printf(&o, " (on-CPU %s, off-CPU %s)", on, off);
	}
	if (c->flags & KF_CALL_NOENTER)
		kf_out_puts(&o, " (entry not seen: arguments unknown)");
	if (c->flags & KF_CALL_NORETURN)
		kf_out_puts(&o, " (did not return: the task exited)");
	if (c->flags & KF_CALL_NOEXIT)
		kf_out_puts(&o, " (did not return before the capture ended)");
	if (c->flags & KF_CALL_INCOMPLETE)
		kf_out_puts(&o, " (incomplete: the kernel dropped events)");
	else if (c->flags & KF_CALL_REPAIRED)
		kf_out_puts(&o, " (tree repaired: some records were missing)");
	return o.pos;
}

static void call_header(FILE *f, const struct kf_model *m, uint32_t call)
{
	char small[1024], *buf = small;
	size_t n = kf_render_call_header(m, call, small, sizeof(small));

	/* a long header (a path of PATH_MAX, execve's arguments) in full */
	if (n >= sizeof(small) && (buf = malloc(n + 1)))
		kf_render_call_header(m, call, buf, n + 1);
	fprintf(f, "%s\n", buf ? buf : small);
	if (buf != small)
		free(buf);
}

int kf_render_summary(FILE *f, const struct kf_model *m)
{
	const struct kf_meta *mt = &m->meta;
	uint64_t incomplete = 0, off = 0, span = 0;
	int part = m->path_dropped || m->pick_dropped;
	uint32_t i, nodes = part ? 0 : m->nnodes, slept = 0;

	for (i = 0; i < m->ncalls; i++) {
		const struct kf_call *c = &m->calls[i];

		if (c->flags & KF_CALL_INCOMPLETE)
			incomplete++;
		if (c->off) {
			off += c->off;
			slept++;
		}
		span += c->end > c->start ? c->end - c->start : 0;
		/* --path left calls out: count the trees still shown */
		if (part)
			nodes += m->calls[i].nnodes;
	}
	fprintf(f, "# %u invocation%s, %u call%s in trees, %llu event%s "
		"lost", m->ncalls, m->ncalls == 1 ? "" : "s", nodes,
		nodes == 1 ? "" : "s", (unsigned long long)mt->lost,
		mt->lost == 1 ? "" : "s");
	if (incomplete)
		fprintf(f, " (%llu invocation%s incomplete)",
			(unsigned long long)incomplete,
			incomplete == 1 ? "" : "s");
	if (mt->dropped)
		fprintf(f, ", %llu tree%s of other syscalls skipped",
			(unsigned long long)mt->dropped,
			mt->dropped == 1 ? "" : "s");
	if (m->path_dropped)
		fprintf(f, ", %u invocation%s without a path matching --path "
			"not shown", m->path_dropped,
			m->path_dropped == 1 ? "" : "s");
	if (m->pick_dropped)
		fprintf(f, ", %u invocation%s left out by --invocation",
			m->pick_dropped, m->pick_dropped == 1 ? "" : "s");
	fputc('\n', f);
	if (off) {
		char a[32], b[32];

		/* the calls' own time split: on the CPU, and switched out */
		kf_render_fmt_dur(a, sizeof(a), span > off ? span - off : 0);
		kf_render_fmt_dur(b, sizeof(b), off);
		fprintf(f, "# time in the invocations: %s on the CPU, %s off "
			"it (in %u of them)\n", a, b, slept);
	}
	return 0;
}

int kf_render_text(FILE *f, const struct kf_model *m,
		   const struct kf_render_opts *o)
{
	const struct kf_meta *mt = &m->meta;
	struct walk *w = calloc(1, sizeof(*w));
	char note[512];
	uint32_t i;

	if (!w)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	w->f = f;
	w->m = m;
	w->o = o;
	if (o->ascii) {
		w->branch = "|-- ";
		w->last = "`-- ";
		w->pipe = "|   ";
		w->space = "    ";
	} else {
		w->branch = "├─ ";
		w->last = "└─ ";
		w->pipe = "│  ";
		w->space = "   ";
	}
	/* every field here can come from an --input file */
	fputs("# kfollow ", f);
	put_esc(f, mt->kfollow_version ? mt->kfollow_version : KF_VERSION);
	fputs(": ", f);
	put_esc(f, mt->targets ? mt->targets : "?");
	if (mt->command) {
		fputs(" -- ", f);
		put_esc(f, mt->command);
	}
	fputs(" on Linux ", f);
	put_esc(f, mt->kernel ? mt->kernel : "?");
	fputs(" (", f);
	put_esc(f, mt->machine ? mt->machine : "?");
	fputs(")\n", f);
	if (mt->cgroup) {
		fputs("# cgroup: ", f);
		put_esc(f, mt->cgroup);
		fputs(": its tasks and those of the cgroups under it, their "
		      "children, and the tasks that joined while tracing\n", f);
	}
	if (mt->mode == KF_MODE_BOUNDARY && !mt->degraded) {
		/* boundary mode without a refusal: --boundary asked for it */
		fputs("# syscall boundaries only (--boundary): no kernel call "
		      "trees\n", f);
	} else if (mt->mode == KF_MODE_BOUNDARY) {
		fputs("# syscall boundaries only: ", f);
		put_esc(f, mt->degraded);
		fputc('\n', f);
	} else if (mt->roots) {
		fputs("# graph: ", f);
		put_esc(f, mt->roots);
		fputc('\n', f);
	}
	if (mt->mode != KF_MODE_BOUNDARY && mt->scope) {
		fputs("# scope: ", f);
		put_esc(f, mt->scope);
		if (mt->scope_functions)
			fprintf(f, " (%llu functions)",
				(unsigned long long)mt->scope_functions);
		fputs(": calls to functions outside it are not shown\n", f);
	}
	if (mt->mode != KF_MODE_BOUNDARY && mt->args) {
		fputs("# arguments: ", f);
		put_esc(f, mt->args);
		fputs(", named from the kernel's BTF\n", f);
	}
	if (mt->mode != KF_MODE_BOUNDARY && mt->retval) {
		fputs("# return values of: ", f);
		put_esc(f, mt->retval);
		fputc('\n', f);
	}
	if (o->src)
		fprintf(f, "# source: Debian's linux %s, "
			"https://sources.debian.org/src/linux/%s/; \"(1 of "
			"2)\": a name defined twice that the config and the "
			"capture's other calls do not tell apart\n",
			kf_srcmap_version(o->src), kf_srcmap_version(o->src));
	if (o->explain)
		fputs("# explain: \"quoted\" lines are the kernel's kernel-doc "
		      "summaries; the others are kfollow's own "
		      "(presets/explain.tsv), each read against the source\n",
		      f);
	for (i = 0; i < m->ncalls; i++) {
		const struct kf_call *c = &m->calls[i];

		fputc('\n', f);
		call_header(f, m, i);
		if (o->no_tree || c->root == KF_NONE)
			continue;
		fprintf(f, "%11s %11s  %s\n", "total", "self", "function");
		w->origin = kf_call_origin(m, i);
		print_tree(w, c->root);
	}
	fputc('\n', f);
	if (kf_render_hidden_note(note, sizeof(note), o->min_duration,
				  o->max_depth))
		fprintf(f, "%s\n", note);
	kf_render_summary(f, m);
	if (kf_render_clock_note(m, note, sizeof(note)))
		fprintf(f, "# %s\n", note);
	free(w);
	if (fflush(f) != 0 || ferror(f))
		return kf_err_errno(KF_EXIT_IOERR, "cannot write the output");
	return 0;
}
