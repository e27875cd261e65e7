// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * datfile.c - --output FILE.dat: the ring-buffer pages kfollow read, as a
 * trace-cmd data file written by libtracecmd.
 *
 * The file is what `trace-cmd record` writes (the library's default file
 * version, compressed when the library can): headers, then options and
 * command lines, then each CPU's pages as they came from trace_pipe_raw.
 * One buffer, the top-level one, whichever tracefs buffer kfollow read:
 * trace-cmd report then shows it without -B.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <trace-cmd.h>

#include "kf_common.h"
#include "kf_datfile.h"

/*
 * libtracecmd.so.1 exports its writer, but declares it only in trace-cmd's
 * private header, which the -dev package does not install: these are the
 * declarations of trace-cmd 3.1 (the same through 3.4).
 */
struct tracecmd_output;
struct tracecmd_option;
struct tracecmd_event_list {
	struct tracecmd_event_list *next;
	const char *glob;
};
/* option ids of the file format (trace-cmd.dat.v7(5)) */
enum { TC_OPTION_TRACECLOCK = 4, TC_OPTION_UNAME = 5 };

struct tracecmd_output *tracecmd_output_create_fd(int fd);
int tracecmd_output_set_trace_dir(struct tracecmd_output *h, const char *dir);
int tracecmd_output_set_kallsyms(struct tracecmd_output *h,
				 const char *kallsyms);
int tracecmd_output_set_compression(struct tracecmd_output *h,
				    const char *compression);
void tracecmd_set_quiet(struct tracecmd_output *h, bool quiet);
void tracecmd_set_out_clock(struct tracecmd_output *h, const char *clock);
int tracecmd_output_write_headers(struct tracecmd_output *h,
				  struct tracecmd_event_list *list);
struct tracecmd_option *tracecmd_add_option(struct tracecmd_output *h,
					    unsigned short id, int size,
					    const void *data);
int tracecmd_write_cmdlines(struct tracecmd_output *h);
int tracecmd_append_cpu_data(struct tracecmd_output *h, int cpus,
			     char *const *cpu_data_files);
void tracecmd_output_flush(struct tracecmd_output *h);
void tracecmd_output_free(struct tracecmd_output *h);

struct kf_dat {
	char *path;          /* where the file goes */
	char *tmp;           /* path.tmp, written, renamed to path at the end */
	int fd;              /* tmp's descriptor (the library writes to it) */
	struct tracecmd_output *out;
	int ncpus, page_size;
	int *cpufd;          /* per CPU: unlinked temporary file of pages */
	unsigned long long pages;
	int cmdlines;        /* saved_cmdlines is in */
	int created;         /* tmp is ours to remove */
	int closed;          /* renamed into place */
};

int kf_dat_path(const char *path)
{
	size_t n = path ? strlen(path) : 0;

	return n > 4 && !strcmp(path + n - 4, ".dat");
}

/* A libtracecmd call failed: say which part of the file it was writing. */
static int dat_fail(const struct kf_dat *d, const char *part)
{
	if (errno)
		return kf_err_errno(KF_EXIT_IOERR, "cannot write '%s': "
				    "libtracecmd failed on the %s", d->path,
				    part);
	return kf_err(KF_EXIT_IOERR, "cannot write '%s': libtracecmd failed "
		      "on the %s", d->path, part);
}

/*
 * The events whose formats go into the file: the buffer's set_event
 * lines ("sched:sched_process_exec"), which libtracecmd takes as globs.
 * The ftrace events (funcgraph_entry, ...) always go in.  Returns the
 * list (one allocation: nodes, then the text), or NULL with kf_err set.
 * An empty set_event gives a glob that matches nothing: libtracecmd
 * takes no list as "every event".
 */
static struct tracecmd_event_list *event_list(const char *events)
{
	struct tracecmd_event_list *l;
	size_t n = 1, len = events ? strlen(events) : 0, i, k = 0;
	char *text;
	const char *p;

	for (p = events; p && *p; p++)
		n += *p == '\n';
	l = calloc(1, n * sizeof(*l) + len + 1);
	if (!l) {
		kf_err(KF_EXIT_OSERR, "out of memory");
		return NULL;
	}
	text = (char *)(l + n);
	if (len)
		memcpy(text, events, len);
	for (i = 0; i <= len; i++) {
		char *line = text + i;
		size_t w = strcspn(line, "\n");

		line[w] = '\0';
		if (w && *line != '#') {
			l[k].glob = line;
			if (k)
				l[k - 1].next = &l[k];
			k++;
		}
		i += w;
	}
	if (!k)
		l[0].glob = "kfollow-no-event/none";
	return l;
}

/* The selected clock of a trace_clock text: "local" of "[local] global". */
static char *selected_clock(const char *text)
{
	const char *b = text ? strchr(text, '[') : NULL;
	const char *e = b ? strchr(b, ']') : NULL;

	if (!b || !e)
		return strdup("local");
	return strndup(b + 1, e - b - 1);
}

/* Options trace-cmd record writes too: the clocks offered and the one
 * selected (how report shows times), and uname (report --uname). */
static void add_options(struct kf_dat *d, const char *clock)
{
	struct utsname u;
	char *s = NULL;

	if (clock && *clock)
		tracecmd_add_option(d->out, TC_OPTION_TRACECLOCK,
				    strlen(clock) + 1, clock);
	if (uname(&u) == 0 &&
	    asprintf(&s, "%s %s %s %s", u.sysname, u.nodename, u.release,
		     u.machine) >= 0) {
		tracecmd_add_option(d->out, TC_OPTION_UNAME, strlen(s) + 1, s);
		free(s);
	}
}

/*
 * The page size libtracecmd put in the file's header (it reads it from
 * the header_page format): pages must be exactly that long.  The header
 * is the magic (10 bytes), the version as a string, the endianness and
 * the size of long (1 byte each), then the page size (4 bytes).
 */
static int header_page_size(struct kf_dat *d)
{
	unsigned char b[64];
	ssize_t n = pread(d->fd, b, sizeof(b), 0);
	uint32_t ps;
	unsigned char *nul;

	if (n < 20 || !(nul = memchr(b + 10, '\0', n - 10)) ||
	    nul + 7 > b + n)
		return kf_err(KF_EXIT_IOERR, "cannot write '%s': libtracecmd "
			      "wrote no file header", d->path);
	memcpy(&ps, nul + 3, 4);
	if ((int)ps != d->page_size)
		return kf_err(KF_EXIT_IOERR, "cannot write '%s': libtracecmd "
			      "takes %u-byte pages, the ring buffer gives %d",
			      d->path, ps, d->page_size);
	return 0;
}

/* One unlinked temporary file per CPU, beside the output. */
static int cpu_files(struct kf_dat *d)
{
	int i;

	d->cpufd = malloc(d->ncpus * sizeof(*d->cpufd));
	if (!d->cpufd)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	for (i = 0; i < d->ncpus; i++)
		d->cpufd[i] = -1;
	for (i = 0; i < d->ncpus; i++) {
		char *t;

		if (asprintf(&t, "%s.cpu%d-XXXXXX", d->path, i) < 0)
			return kf_err(KF_EXIT_OSERR, "out of memory");
		d->cpufd[i] = mkostemp(t, O_CLOEXEC);
		if (d->cpufd[i] < 0) {
			kf_err_errno(KF_EXIT_IOERR, "cannot write '%s': cannot "
				     "create '%s'", d->path, t);
			free(t);
			return -1;
		}
		unlink(t);
		free(t);
	}
	return 0;
}

struct kf_dat *kf_dat_open(const char *path, const struct kf_dat_info *info)
{
	struct kf_dat *d = calloc(1, sizeof(*d));
	struct tracecmd_event_list *events = NULL;
	char *clock = NULL;
	int tries;

	if (!d) {
		kf_err(KF_EXIT_OSERR, "out of memory");
		return NULL;
	}
	d->fd = -1;
	if (!(d->path = strdup(path)) ||
	    asprintf(&d->tmp, "%s.tmp", path) < 0) {
		d->tmp = NULL;
		kf_err(KF_EXIT_OSERR, "out of memory");
		goto fail;
	}
	d->ncpus = info->ncpus;
	d->page_size = info->page_size;
	/* as kf_capfile_save: never write through a file or link someone
	 * else left at path.tmp; a stale one is removed once */
	for (tries = 0; tries < 2; tries++) {
		d->fd = open(d->tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW |
			     O_CLOEXEC, 0644);
		if (d->fd >= 0 || errno != EEXIST || unlink(d->tmp) < 0)
			break;
	}
	if (d->fd < 0) {
		kf_err_errno(KF_EXIT_IOERR, "cannot write '%s': cannot "
			     "create '%s'", path, d->tmp);
		goto fail;
	}
	d->created = 1;
	if (cpu_files(d) < 0)
		goto fail;
	/* the library's own messages only with -v: kfollow says what failed */
	tracecmd_set_loglevel(kf_verbose ? TEP_LOG_WARNING : TEP_LOG_NONE);
	errno = 0;
	d->out = tracecmd_output_create_fd(d->fd);
	if (!d->out) {
		dat_fail(d, "file handle");
		goto fail;
	}
	tracecmd_set_quiet(d->out, true);
	if (!(clock = selected_clock(info->clock)) ||
	    !(events = event_list(info->events))) {
		if (!clock)
			kf_err(KF_EXIT_OSERR, "out of memory");
		goto fail;
	}
	tracecmd_set_out_clock(d->out, clock);
	errno = 0;
	if (tracecmd_output_set_trace_dir(d->out, info->tracing_dir) < 0 ||
	    (info->kallsyms &&
	     tracecmd_output_set_kallsyms(d->out, info->kallsyms) < 0)) {
		dat_fail(d, "tracefs directory");
		goto fail;
	}
	/* as trace-cmd record: compressed when the library has a way */
	if (tracecmd_output_set_compression(d->out, "any") < 0)
		tracecmd_output_set_compression(d->out, "none");
	errno = 0;
	if (tracecmd_output_write_headers(d->out, events) < 0) {
		dat_fail(d, "headers (event formats, kallsyms)");
		goto fail;
	}
	if (header_page_size(d) < 0)
		goto fail;
	add_options(d, info->clock);
	free(events);
	free(clock);
	return d;
fail:
	free(events);
	free(clock);
	kf_dat_free(d);
	return NULL;
}

int kf_dat_add_page(struct kf_dat *d, int cpu, const void *page, size_t size)
{
	static const unsigned char zeros[4096];
	size_t pad;

	if (cpu < 0 || cpu >= d->ncpus || size > (size_t)d->page_size)
		return kf_err(KF_EXIT_SOFTWARE, "cannot write '%s': a page of "
			      "%zu bytes from CPU %d does not fit", d->path,
			      size, cpu);
	if (kf_write_all(d->cpufd[cpu], page, size) < 0)
		return kf_err_errno(KF_EXIT_IOERR, "cannot write '%s'", d->path);
	for (pad = d->page_size - size; pad; ) {
		size_t n = pad < sizeof(zeros) ? pad : sizeof(zeros);

		if (kf_write_all(d->cpufd[cpu], zeros, n) < 0)
			return kf_err_errno(KF_EXIT_IOERR, "cannot write '%s'",
					    d->path);
		pad -= n;
	}
	d->pages++;
	return 0;
}

unsigned long long kf_dat_pages(const struct kf_dat *d)
{
	return d ? d->pages : 0;
}

int kf_dat_add_cmdlines(struct kf_dat *d)
{
	if (d->cmdlines)
		return 0;
	errno = 0;
	if (tracecmd_write_cmdlines(d->out) < 0)
		return dat_fail(d, "command lines");
	d->cmdlines = 1;
	return 0;
}

int kf_dat_close(struct kf_dat *d)
{
	char **names = calloc(d->ncpus, sizeof(*names));
	int i, rc = -1;

	if (!names)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	/* the library opens files by name: the unlinked ones through
	 * /proc/self/fd */
	for (i = 0; i < d->ncpus; i++)
		if (asprintf(&names[i], "/proc/self/fd/%d", d->cpufd[i]) < 0) {
			names[i] = NULL;
			kf_err(KF_EXIT_OSERR, "out of memory");
			goto out;
		}
	if (kf_dat_add_cmdlines(d) < 0)
		goto out;
	errno = 0;
	if (tracecmd_append_cpu_data(d->out, d->ncpus, names) < 0) {
		dat_fail(d, "ring-buffer pages");
		goto out;
	}
	/* tracecmd_output_close without its close(): the errors of fsync
	 * and close are ours to see */
	errno = 0;
	tracecmd_output_flush(d->out);
	tracecmd_output_free(d->out);
	d->out = NULL;
	if (fsync(d->fd) < 0 && errno != EINVAL) {
		kf_err_errno(KF_EXIT_IOERR, "cannot write '%s'", d->path);
		goto out;
	}
	i = close(d->fd);
	d->fd = -1;
	if (i < 0 || rename(d->tmp, d->path) < 0) {
		kf_err_errno(KF_EXIT_IOERR, "cannot write '%s'", d->path);
		goto out;
	}
	d->closed = 1;
	rc = 0;
out:
	for (i = 0; i < d->ncpus; i++)
		free(names[i]);
	free(names);
	return rc;
}

void kf_dat_free(struct kf_dat *d)
{
	int i;

	if (!d)
		return;
	if (d->out)
		tracecmd_output_free(d->out);
	if (d->fd >= 0)
		close(d->fd);
	if (d->created && !d->closed)
		unlink(d->tmp);
	for (i = 0; d->cpufd && i < d->ncpus; i++)
		if (d->cpufd[i] >= 0)
			close(d->cpufd[i]);
	free(d->cpufd);
	free(d->path);
	free(d->tmp);
	free(d);
}
