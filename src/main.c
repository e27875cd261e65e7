// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * main.c - kfollow's entry point, the only place that exits.
 *
 * Data flows one way: a source (live capture, VM capture, saved capture or
 * function_graph text) fills a model; a view (text, JSON, the TUI) shows
 * it.
 */
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kf_capfile.h"
#include "kf_capture.h"
#include "kf_common.h"
#include "kf_input.h"
#include "kf_journal.h"
#include "kf_model.h"
#include "kf_opts.h"
#include "kf_plan.h"
#include "kf_preset.h"
#include "kf_keys.h"
#include "kf_explain.h"
#include "kf_export.h"
#include "kf_render.h"
#include "kf_srcmap.h"
#include "kf_status.h"
#include "kf_tui.h"
#include "kf_view.h"
#include "kf_vm.h"

static int die(void)
{
	fprintf(stderr, "kfollow: %s\n", kf_err_msg());
	return kf_err_code();
}

/* kfollow's own arguments for the guest in --vm mode. */
static char **guest_args(const struct kf_opts *o)
{
	char **a = calloc(4 * (o->nsyscalls + o->nfuncs + o->nnotrace +
			       o->nscope + o->nretval + o->nsetup) + 32,
			  sizeof(*a));
	int n = 0, i;
	static char depth[32], buf[32], maxev[32];

	if (!a)
		return NULL;
	for (i = 0; i < o->nsyscalls; i++)
		a[n++] = o->syscalls[i];
	for (i = 0; i < o->nfuncs; i++) {
		a[n++] = "-g";
		a[n++] = o->funcs[i];
	}
	for (i = 0; i < o->nnotrace; i++) {
		a[n++] = "--notrace";
		a[n++] = o->notrace[i];
	}
	for (i = 0; i < o->nscope; i++) {
		a[n++] = "--scope";
		a[n++] = o->scope[i];
	}
	for (i = 0; i < o->nretval; i++) {
		a[n++] = "--retval";
		a[n++] = o->retval[i];
	}
	if (o->clock) {
		a[n++] = "--clock";
		a[n++] = (char *)o->clock;
	}
	if (o->max_depth) {
		snprintf(depth, sizeof(depth), "%d", o->max_depth);
		a[n++] = "--max-depth";
		a[n++] = depth;
	}
	if (o->buffer_kb) {
		snprintf(buf, sizeof(buf), "%lu", o->buffer_kb);
		a[n++] = "--buffer-size";
		a[n++] = buf;
	}
	if (o->preset) {
		a[n++] = "--preset";
		a[n++] = (char *)o->preset;
	}
	if (o->no_preset)
		a[n++] = "--no-preset";
	if (o->user) {
		a[n++] = "-u";
		a[n++] = (char *)o->user;
	}
	if (o->max_events != KF_DEFAULT_MAX_EVENTS) {
		snprintf(maxev, sizeof(maxev), "%llu", o->max_events);
		a[n++] = "--max-events";
		a[n++] = maxev;
	}
	if (o->force)
		a[n++] = "--force";
	if (o->no_children)
		a[n++] = "--no-children";
	if (o->drop_caches)
		a[n++] = "--drop-caches";
	if (o->args)
		a[n++] = "--args";
	for (i = 0; i < o->nsetup; i++) {
		a[n++] = "--setup";
		a[n++] = o->setup[i];
	}
	if (o->verbose)
		a[n++] = "-v";
	if (o->quiet)
		a[n++] = "-q";
	if (o->stats)
		a[n++] = "--stats";
	a[n] = NULL;
	return a;
}

/* What both front ends ask of a VM capture; the caller frees r->guest_args. */
static int vm_request(const struct kf_opts *o, struct kf_vm_request *r)
{
	memset(r, 0, sizeof(*r));
	r->kernel = o->vm_kernel;
	r->guest_args = guest_args(o);
	r->cmd = o->cmd;
	r->files = o->vm_files;
	r->disk = o->vm_disks;
	r->script = o->vm_script;
	r->dat = o->dat;
	r->verbose = o->verbose;
	if (!r->guest_args)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	return 0;
}

/*
 * Fill m from the one source the options name: a file (--input), a VM
 * (--vm) or this kernel, live (hooks: the TUI's tick and where the
 * command's output goes, or NULL).  *exit_code is the traced command's
 * status.  Both front ends acquire this way.  Returns 0 or -1 (kf_err).
 */
static int acquire(const struct kf_opts *o, const struct kf_plan *plan,
		   struct kf_model *m, const struct kf_capture_hooks *hooks,
		   int *exit_code)
{
	struct kf_vm_request r;
	int rc;

	if (o->input) {
		if (kf_input_load(o->input, m) < 0)
			return -1;
		kf_model_cut_depth(m, o->max_depth);
		return 0;
	}
	if (!o->vm)
		return kf_capture_run(o, plan, m, hooks, exit_code);
	if (vm_request(o, &r) < 0)
		return -1;
	if (hooks) {
		r.progress = hooks->stage;
		r.progress_ctx = hooks->ctx;
		r.out_fd = hooks->cmd_out_fd;
	}
	rc = kf_vm_capture(&r, m, exit_code);
	free(r.guest_args);
	return rc;
}

static int utf8_locale(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && (!strcmp(cs, "UTF-8") || !strcmp(cs, "utf8"));
}

/*
 * Say once, on stderr, that the trace clock of a capture just made could
 * not be trusted; batch text says it in its footer instead.
 */
static void clock_warn(const struct kf_opts *o, const struct kf_model *m,
		       int in_text)
{
	char note[512];

	if (!o->input && !in_text && kf_render_clock_note(m, note, sizeof(note)))
		kf_warn("%s", note);
}

/*
 * The source map of the kernel m was captured on (--source=VERSION: that
 * version's).  fetch: download and build it when the cache does not have
 * it, and say why when there is none; else only a map already cached, in
 * silence.  The caller frees it; NULL: none (nothing is fatal here).
 */
static struct kf_srcmap *source_map(const struct kf_opts *o,
				    const struct kf_model *m, int fetch)
{
	struct kf_srcmap *map;
	const char *v = o->source_version;
	char ver[80];

	if (!v)
		v = kf_srcmap_debian_version(&m->meta, ver, sizeof(ver));
	if (!v) {
		if (fetch)
			kf_warn("no source locations: the capture does not "
				"say which Debian kernel build made it (give "
				"the version, as in --source=6.1.192-3)");
		return NULL;
	}
	map = kf_srcmap_open(v, fetch);
	if (!map && fetch)
		kf_warn("no source locations: %s", kf_err_msg());
	if (map) {
		char *config = kf_srcmap_config_path(m->meta.kernel);

		if (kf_srcmap_bind(map, m, config) < 0)
			kf_warn("%s", kf_err_msg());
		free(config);
	}
	kf_err_clear();
	return map;
}

static const enum kf_export_format export_fmt[] = {
	[KF_FMT_FOLDED] = KF_EXPORT_FOLDED,
	[KF_FMT_CHROME] = KF_EXPORT_CHROME,
	[KF_FMT_SVG] = KF_EXPORT_SVG,
};

/* --format folded, chrome, svg: the layers of the presets that apply
 * label chrome's events and colour the graph, as in the TUI. */
static int export(const struct kf_opts *o, struct kf_model *m)
{
	struct kf_export_opts eo = { .min_duration = o->min_duration };
	struct kf_plan plan = { 0 };
	int rc;

	if (kf_plan_make(&plan, o, m) < 0) {
		kf_warn("no layer labels: %s", kf_err_msg());
		kf_err_clear();
	}
	eo.layers = plan.layers;
	eo.nlayers = plan.nlayers;
	rc = kf_export(stdout, m, export_fmt[o->format], &eo);
	kf_plan_release(&plan);
	return rc;
}

/* kf_input_stream's calls, for an export: each call as the batch
 * output would show it (--max-depth, --path, --invocation), exported. */
struct streaming {
	const struct kf_opts *o;
	struct kf_plan plan;
	struct kf_export *x;
	uint32_t shown, dropped;   /* after --path; left out by it */
	int failed;
};

/* The exporter, once the capture's meta and syscalls are in: the
 * presets they pick label the layers. */
static int stream_begin(struct streaming *s, struct kf_model *m)
{
	struct kf_export_opts eo = { .min_duration = s->o->min_duration };

	if (kf_plan_make(&s->plan, s->o, m) < 0) {
		kf_warn("no layer labels: %s", kf_err_msg());
		kf_err_clear();
	}
	eo.layers = s->plan.layers;
	eo.nlayers = s->plan.nlayers;
	s->x = kf_export_begin(stdout, m, export_fmt[s->o->format], &eo);
	return s->x ? 0 : -1;
}

static int stream_call(void *ctx, struct kf_model *m, uint32_t call)
{
	struct streaming *s = ctx;
	const struct kf_opts *o = s->o;

	if (!s->x && stream_begin(s, m) < 0)
		return -1;
	kf_model_cut_depth(m, o->max_depth);
	if (!kf_call_path_match(m, &m->calls[call], o->paths, o->npaths)) {
		s->dropped++;
		return 0;
	}
	s->shown++;
	if (o->invocations && !kf_numbers_have(o->invocations, s->shown))
		return 0;
	return kf_export_call(s->x, m, call);
}

/*
 * --input CAPTURE --format folded|chrome|svg: the capture streams through
 * the exporter.  Returns 1 when it did, 0 when the input is not a capture
 * file (load it then), -1 (kf_err).
 */
static int stream_export(const struct kf_opts *o, struct kf_model *m)
{
	struct streaming s = { .o = o };
	long max;
	int rc = kf_input_stream(o->input, m, stream_call, &s);

	if (rc == 1 && !s.x && stream_begin(&s, m) < 0)
		rc = -1;
	if (s.x && kf_export_end(s.x, rc == 1) < 0)
		rc = -1;
	max = o->invocations ? kf_numbers_max(o->invocations) : 0;
	if (rc == 1 && max > (long)s.shown)
		rc = kf_err(KF_EXIT_DATAERR, "--invocation %ld: the capture "
			    "has %u invocation%s", max, s.shown,
			    s.shown == 1 ? "" : "s");
	kf_plan_release(&s.plan);
	return rc;
}

static int show(const struct kf_opts *o, struct kf_model *m)
{
	struct kf_render_opts ro = { 0 };
	struct kf_srcmap *src = NULL;
	int rc;

	clock_warn(o, m, !o->no_show && o->format == KF_FMT_TEXT);

	if (o->output && kf_capfile_save(o->output, m) < 0)
		return -1;
	if (o->no_show)
		return 0;
	/* after saving: --path narrows what is shown, never what is kept */
	kf_model_keep_paths(m, o->paths, o->npaths);
	if (o->invocations && kf_model_keep_numbers(m, o->invocations) < 0)
		return -1;
	if (o->format >= KF_FMT_FOLDED)
		return export(o, m);
	if (o->summary)
		return kf_summary_print(stdout, m, o->min_duration,
					o->format == KF_FMT_JSON);
	if (o->source || o->explain)
		src = source_map(o, m, 1);
	if (o->explain) {
		ro.ex = kf_explain_load();
		if (!ro.ex)
			kf_warn("no explanations of kfollow's own: %s",
				kf_err_msg());
		kf_err_clear();
	}
	if (o->format == KF_FMT_JSON) {
		rc = kf_capfile_write_src(stdout, m, src, ro.ex);
		if (rc == 0 && fflush(stdout) != 0)
			rc = kf_err_errno(KF_EXIT_IOERR, "cannot write the "
					  "output");
	} else {
		ro.min_duration = o->min_duration;
		ro.max_depth = 0;
		ro.ascii = o->ascii || !utf8_locale();
		ro.src = src;
		ro.explain = o->explain;
		rc = kf_render_text(stdout, m, &ro);
	}
	kf_explain_free((struct kf_explain *)ro.ex);
	kf_srcmap_free(src);
	return rc;
}

/* Each preset: its name and file, then what it is for, the commands it
 * is meant for and what to look for (text from the file, escaped). */
static int list_presets(void)
{
	char **names = kf_preset_list();
	char buf[1024];
	int i, k;

	for (i = 0; names && names[i]; i++) {
		struct kf_preset p;

		if (kf_preset_load(&p, names[i], 1) == 0) {
			printf("%-10s %s\n", names[i], p.path);
			if (p.description)
				printf("  %s\n", kf_escape(buf, sizeof(buf),
							   p.description));
			for (k = 0; k < p.ncommands; k++)
				printf("  $ %s\n", kf_escape(buf, sizeof(buf),
							     p.commands[k]));
			for (k = 0; k < p.nnotes; k++)
				printf("  - %s\n", kf_escape(buf, sizeof(buf),
							     p.notes[k]));
			kf_preset_release(&p);
		}
		free(names[i]);
	}
	free(names);
	return 0;
}

/* ---- the interactive view ------------------------------------------ */

static int want_tui(const struct kf_opts *o)
{
	return !o->batch && !o->no_show && !o->summary && !o->invocations &&
	       o->format == KF_FMT_TEXT && !o->vm_script && kf_tui_possible();
}

/* The title line: what is traced, or what was loaded. */
static char *tui_title(const struct kf_opts *o, const struct kf_model *m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int i;

	if (!f)
		return NULL;
	if (o->input) {
		fprintf(f, "%s", o->input);
		if (m->meta.command)
			fprintf(f, ": %s", m->meta.command);
		if (m->meta.kernel)
			fprintf(f, " on %s", m->meta.kernel);
	} else {
		for (i = 0; i < o->nsyscalls; i++)
			fprintf(f, "%s%s", i ? " " : "", o->syscalls[i]);
		for (i = 0; i < o->nfuncs; i++)
			fprintf(f, "%s-g %s", i || o->nsyscalls ? " " : "",
				o->funcs[i]);
		if (o->ncmd) {
			fprintf(f, " --");
			for (i = 0; i < o->ncmd; i++)
				fprintf(f, " %s", o->cmd[i]);
		}
		for (i = 0; i < o->npids; i++)
			fprintf(f, "%s%d", i ? "," : " -p ", (int)o->pids[i]);
		if (o->cgroup)
			fprintf(f, " --cgroup %s", o->cgroup);
		if (o->vm)
			fprintf(f, "  (VM: %s)", m->meta.kernel ?
				m->meta.kernel : o->vm_kernel ? o->vm_kernel :
				"bookworm");
	}
	fclose(f);
	return buf;
}

/* Why tracing ended, for the status line. */
static void tui_stopped(const struct kf_model *m, char *buf, size_t len)
{
	int st = m->meta.exit_status, sig = kf_capture_stop_signal();

	buf[0] = '\0';
	if (sig)
		snprintf(buf, len, "stopped by %s", strsignal(sig));
	else if (st >= 0 && WIFEXITED(st))
		snprintf(buf, len, "command exited %d", WEXITSTATUS(st));
	else if (st >= 0 && WIFSIGNALED(st))
		snprintf(buf, len, "command killed by %s",
			 strsignal(WTERMSIG(st)));
	else if (m->meta.source && !strncmp(m->meta.source, "live", 4))
		snprintf(buf, len, "tracing stopped");
}

struct tui_live {
	struct kf_tui *tui;
	int failed;      /* the screen could not open: batch output instead */
};

/* What the screen's hook said (rc of kf_tui_tick or kf_tui_progress):
 * a screen that could not open means batch output instead. */
static int tui_live_rc(struct tui_live *l, int rc)
{
	if (rc >= 0)
		return rc;
	l->failed = 1;
	kf_warn("%s; printing the trees instead", kf_err_msg());
	kf_err_clear();
	return 0;
}

static int tui_tick(void *ctx, struct kf_model *m,
		    const struct kf_capture_progress *p)
{
	struct tui_live *l = ctx;

	(void)m;
	return l->failed ? 0 : tui_live_rc(l, kf_tui_tick(l->tui, p));
}

/* The progress screen until the trees come. */
static int tui_stage(void *ctx, const struct kf_progress *p)
{
	struct tui_live *l = ctx;

	return l->failed ? 0 : tui_live_rc(l, kf_tui_progress(l->tui, p));
}

/* Copy what the command wrote while the screen was up to stdout. */
static void pass_kept(int fd)
{
	char buf[65536];
	ssize_t n;

	if (fd < 0)
		return;
	fflush(stdout);
	if (lseek(fd, 0, SEEK_SET) == 0)
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			if (write(1, buf, n) != n)
				break;
	close(fd);
}

/*
 * A live capture (or a VM's) with the screen up.  The screen is the
 * TUI's: the command writes to a file, *kept, printed when the screen
 * closes (a VM's command too: what the guest sends of its stdout goes
 * there).  Returns 0 or -1 (kf_err).
 */
static int tui_acquire(const struct kf_opts *o, const struct kf_plan *plan,
		       struct kf_model *m, struct tui_live *live, int *kept,
		       int *exit_code)
{
	struct kf_capture_hooks hooks = { 0 };
	char tmpl[] = "/tmp/kfollow-out-XXXXXX";

	if (o->ncmd) {
		*kept = mkostemp(tmpl, O_CLOEXEC);
		if (*kept >= 0)
			unlink(tmpl);
	}
	hooks.tick = tui_tick;
	hooks.stage = tui_stage;
	hooks.ctx = live;
	hooks.cmd_out_fd = *kept;
	return acquire(o, plan, m, &hooks, exit_code);
}

/* No screen after all: the trees as batch text.  Returns the exit code. */
static int tui_fallback(const struct kf_opts *o, struct kf_model *m,
			int ascii, int exit_code)
{
	struct kf_render_opts ro = { 0 };

	kf_model_keep_paths(m, o->paths, o->npaths);
	ro.min_duration = o->min_duration;
	ro.ascii = ascii;
	return kf_render_text(stdout, m, &ro) < 0 ? die() : exit_code;
}

/*
 * The interactive path: the same sources as batch, with the TUI live
 * during a capture and after it.  Returns kfollow's exit code.
 */
static int run_tui(struct kf_opts *o, struct kf_model *m)
{
	struct kf_plan plan = { 0 };
	struct kf_tui_opts to = { 0 };
	struct tui_live live = { 0 };
	struct kf_srcmap *src = NULL;
	char stopped[128];
	int exit_code = 0, kept = -1, rc, sig, ran = 0, run_failed = 0;

	/* a file first: its syscalls pick the presets, whose layers label
	 * the trees, and name the title */
	if (o->input && acquire(o, NULL, m, NULL, &exit_code) < 0)
		return die();
	if (kf_plan_make(&plan, o, o->input ? m : NULL) < 0) {
		rc = die();
		goto out;
	}
	to.ascii = o->ascii || !utf8_locale();
	to.min_duration = o->min_duration;
	to.layers = plan.layers;
	to.nlayers = plan.nlayers;
	to.paths = o->paths;
	to.npaths = o->npaths;
	to.title = tui_title(o, m);
	to.vm = o->vm;
	live.tui = kf_tui_new(m, &to);
	if (!live.tui) {
		rc = die();
		goto out;
	}
	if (!o->input &&
	    tui_acquire(o, &plan, m, &live, &kept, &exit_code) < 0) {
		kf_tui_free(live.tui);
		pass_kept(kept);
		rc = die();
		goto out;
	}
	if (o->output && kf_capfile_save(o->output, m) < 0) {
		kf_warn("%s", kf_err_msg());
		kf_err_clear();
	}
	/* a map already in the cache is shown anyway; --source fetches */
	src = source_map(o, m, o->source || o->explain);
	kf_tui_set_src(live.tui, src);
	tui_stopped(m, stopped, sizeof(stopped));
	/* SIGTERM, SIGHUP or another deadly signal stopped tracing: leave,
	 * as batch mode does; Ctrl-C only stops tracing, the trees are there
	 * to see */
	sig = kf_capture_stop_signal();
	if (!live.failed && !(sig && sig != SIGINT)) {
		ran = kf_tui_run(live.tui, stopped) == 0;
		run_failed = !ran;
	}
	kf_tui_free(live.tui);
	if (run_failed)
		kf_warn("%s; printing the trees instead", kf_err_msg());
	pass_kept(kept);
	if (live.failed || run_failed) {
		kf_err_clear();
		rc = tui_fallback(o, m, to.ascii, exit_code);
	} else if (ran) {
		clock_warn(o, m, 0);
		rc = kf_tui_signal() ? 128 + kf_tui_signal() : exit_code;
	} else {
		rc = exit_code;
	}
out:
	kf_srcmap_free(src);
	free((char *)to.title);
	kf_plan_release(&plan);
	return rc;
}

/* ---- batch progress ------------------------------------------------- */

/*
 * Batch mode says what it is doing before the trees: a line a stage on
 * stderr when a person watches it (a terminal), and in the VM's guest,
 * lines for the host on the console (KF_PROGRESS_GUEST_ENV).  Scripts
 * and pipes see nothing new, nor KFOLLOW_PROGRESS=0 (the VM's serial
 * lines are terminals no one watches).
 */
struct batch_progress {
	FILE *f;              /* NULL: silent */
	int guest;            /* lines for the host, not for people */
	enum kf_stage last;
	char detail[160];     /* the last line's, to say a new one once */
	uint64_t t_count;     /* when the guest last sent its count */
};

static void batch_progress_init(struct batch_progress *b,
				const struct kf_opts *o)
{
	const char *path = getenv(KF_PROGRESS_GUEST_ENV);

	memset(b, 0, sizeof(*b));
	b->last = KF_STAGE_N;
	if (path && *path) {
		b->f = fopen(path, "we");
		b->guest = 1;
	} else if (!o->quiet && isatty(2) &&
		   !(getenv("KFOLLOW_PROGRESS") &&
		     !strcmp(getenv("KFOLLOW_PROGRESS"), "0"))) {
		b->f = stderr;
	}
}

static void batch_progress_release(struct batch_progress *b)
{
	if (b->f && b->guest)
		fclose(b->f);
}

static int batch_stage(void *ctx, const struct kf_progress *p)
{
	struct batch_progress *b = ctx;
	const char *d = p->detail ? p->detail : "";
	char line[256];

	if (!b->f || (p->stage == b->last && !strcmp(d, b->detail)))
		return 0;
	b->last = p->stage;
	snprintf(b->detail, sizeof(b->detail), "%s", d);
	if (b->guest) {
		kf_progress_guest_line(line, sizeof(line), p->stage, 0);
		fputs(line, b->f);
	} else {
		struct kf_progress q = *p;

		/* one line as the stage begins: no counts yet */
		q.bytes = q.events = 0;
		fprintf(b->f, "kfollow: %s\n",
			kf_progress_text(line, sizeof(line), &q));
	}
	fflush(b->f);
	return 0;
}

/* The guest's count of events while it traces, once a second. */
static int batch_tick(void *ctx, struct kf_model *m,
		      const struct kf_capture_progress *p)
{
	struct batch_progress *b = ctx;
	char line[96];

	(void)m;
	if (!b->guest || !b->f || p->elapsed_ns < b->t_count + 1000000000)
		return 0;
	b->t_count = p->elapsed_ns;
	kf_progress_guest_line(line, sizeof(line), KF_STAGE_TRACE, p->events);
	fputs(line, b->f);
	fflush(b->f);
	return 0;
}

/* The options that print something and exit, tracing nothing. */
static int run_info(const struct kf_opts *o)
{
	int pid = 0, rc;

	if (o->list_presets)
		return list_presets();
	if (o->list_keys) {
		kf_keys_write(stdout);
		return 0;
	}
	if (o->status) {
		kf_status_print(stdout, o->tracefs, kf_journal_dir());
		return 0;
	}
	rc = kf_journal_recover(kf_journal_dir(), &pid);
	if (rc < 0)
		return die();
	if (rc == 0)
		printf("nothing to restore: no journal in '%s'\n",
		       kf_journal_dir());
	else
		printf("restored what kfollow (pid %d) left changed in "
		       "tracefs\n", pid);
	return 0;
}

/* --diff A B on a terminal: the TUI, open on the first pair's diff. */
static int diff_tui(const struct kf_opts *o, struct kf_model *m,
		    uint32_t first)
{
	struct kf_plan plan = { 0 };
	struct kf_tui_opts to = { 0 };
	struct kf_tui *t;
	char title[512], ea[200], eb[200];
	int rc = 0;

	/* the syscalls of the captures pick the presets; the map labels */
	if (kf_plan_make(&plan, o, m) < 0) {
		rc = die();
		goto out;
	}
	snprintf(title, sizeof(title), "A %s against B %s",
		 kf_escape(ea, sizeof(ea), o->diff_a),
		 kf_escape(eb, sizeof(eb), o->diff_b));
	to.title = title;
	to.ascii = o->ascii || !utf8_locale();
	to.min_duration = o->min_duration;
	to.layers = plan.layers;
	to.nlayers = plan.nlayers;
	to.diff = 1;
	to.diff_b = first;
	t = kf_tui_new(m, &to);
	if (!t || kf_tui_run(t, NULL) < 0)
		rc = die();
	kf_tui_free(t);
out:
	kf_plan_release(&plan);
	return rc;
}

/*
 * --diff A B: both captures in one model, A's invocations first, written
 * as text (a terminal gets it too: a page of aligned trees).  Returns
 * kfollow's exit code.
 */
static int run_diff(const struct kf_opts *o, struct kf_model *m)
{
	struct kf_model b;
	uint32_t first;
	int rc;

	if (kf_input_load(o->diff_a, m) < 0)
		return die();
	if (kf_model_init(&b) < 0)
		return die();
	if (kf_input_load(o->diff_b, &b) < 0) {
		kf_model_release(&b);
		return die();
	}
	/* the same cuts on both sides, before they are paired */
	if (o->max_depth) {
		kf_model_cut_depth(m, o->max_depth);
		kf_model_cut_depth(&b, o->max_depth);
	}
	kf_model_keep_paths(m, o->paths, o->npaths);
	kf_model_keep_paths(&b, o->paths, o->npaths);
	first = kf_model_append(m, &b);
	kf_model_release(&b);
	if (first == KF_NONE) {
		kf_err(KF_EXIT_OSERR, "out of memory");
		return die();
	}
	if (want_tui(o))
		return diff_tui(o, m, first);
	rc = kf_diff_write(stdout, m, first, o->diff_a, o->diff_b,
			   o->min_duration, o->ascii || !utf8_locale());
	return rc < 0 ? die() : 0;
}

int main(int argc, char **argv)
{
	struct kf_opts o = { 0 };
	struct kf_plan plan = { 0 };
	struct kf_capture_hooks hooks = { 0 };
	struct batch_progress bp = { 0 };
	struct kf_model m;
	int rc, exit_code = 0;

	setlocale(LC_ALL, "");
	rc = kf_opts_parse(&o, argc, argv);
	if (rc != 0) {
		rc = rc == 1 ? 0 : die();  /* 1: --help or --version done */
		kf_opts_release(&o);
		return rc;
	}
	kf_quiet = o.quiet;
	kf_verbose = o.verbose;
	if (o.list_presets || o.list_keys || o.status || o.restore) {
		rc = run_info(&o);
		kf_opts_release(&o);
		return rc;
	}
	if (kf_model_init(&m) < 0) {
		rc = die();
		kf_opts_release(&o);
		return rc;
	}
	if (o.diff_a) {
		rc = run_diff(&o, &m);
		kf_model_release(&m);
		kf_opts_release(&o);
		return rc;
	}
	if (want_tui(&o)) {
		rc = run_tui(&o, &m);
		kf_model_release(&m);
		kf_opts_release(&o);
		return rc;
	}

	if (o.vm && o.vm_script) {
		/* a script in the VM (the tests): no capture to show */
		struct kf_vm_request r;

		if (vm_request(&o, &r) < 0) {
			rc = die();
			goto out;
		}
		r.out_dir = o.output;
		batch_progress_init(&bp, &o);
		if (bp.f) {
			r.progress = batch_stage;
			r.progress_ctx = &bp;
		}
		rc = kf_vm_script(&r, &exit_code);
		free(r.guest_args);
		rc = rc < 0 ? die() : exit_code;
		goto out;
	}
	if (o.input && o.format >= KF_FMT_FOLDED && !o.output) {
		/* an export of a saved capture streams: one call's tree in
		 * memory at a time */
		rc = stream_export(&o, &m);
		if (rc < 0) {
			rc = die();
			goto out;
		}
		if (rc == 1) {
			rc = 0;
			goto out;
		}
	}
	batch_progress_init(&bp, &o);
	if (bp.f) {
		hooks.stage = batch_stage;
		hooks.tick = batch_tick;
		hooks.ctx = &bp;
	}
	if ((!o.input && kf_plan_make(&plan, &o, NULL) < 0) ||
	    acquire(&o, &plan, &m, bp.f ? &hooks : NULL, &exit_code) < 0) {
		rc = die();
		goto out;
	}
	rc = exit_code;
	if (show(&o, &m) < 0) {
		/* the trees could not be written: say so, keep the code */
		int code = die();

		rc = code == KF_EXIT_FAILURE ? KF_EXIT_IOERR : code;
	}
out:
	batch_progress_release(&bp);
	kf_plan_release(&plan);
	kf_model_release(&m);
	kf_opts_release(&o);
	return rc;
}
