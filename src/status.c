// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * status.c - what in tracefs differs from the kernel's defaults, who holds
 * it, and whether another tracer is at work (kfollow refuses to clobber
 * it without --force).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kf_common.h"
#include "kf_journal.h"
#include "kf_status.h"
#include "kf_tracer.h"

/* A file and the value it has on a freshly booted kernel.  "" matches an
 * empty file; banners the kernel prints for "nothing set" count as empty. */
static const struct {
	const char *file, *dflt;
} defaults[] = {
	{ "current_tracer", "nop" },
	{ "tracing_on", "1" },
	{ "set_ftrace_filter", "" },
	{ "set_ftrace_notrace", "" },
	{ "set_graph_function", "" },
	{ "set_graph_notrace", "" },
	{ "set_ftrace_pid", "" },
	{ "set_ftrace_notrace_pid", "" },
	{ "set_event_pid", "" },
	{ "set_event_notrace_pid", "" },
	{ "set_event", "" },
	{ "max_graph_depth", "0" },
	{ "tracing_thresh", "0" },
	{ "kprobe_events", "" },
	{ "uprobe_events", "" },
	{ "dynamic_events", "" },
	{ "options/function-fork", "0" },
	{ "options/event-fork", "0" },
	{ "options/funcgraph-irqs", "1" },
	{ "options/sleep-time", "1" },
	{ "options/graph-time", "1" },
};

const char *kf_status_tracefs(const char *dir)
{
	return dir ? dir : kf_tracer_mounted();
}

/* The file's first lines joined by ", " (comments and banners dropped),
 * at most len bytes; "" when it holds nothing.  -1 if unreadable. */
static int value(const char *dir, const char *file, char *buf, size_t len)
{
	char path[PATH_MAX], line[512];
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "re");
	if (!f)
		return -1;
	buf[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!line[0] || line[0] == '#' || !strcmp(line, "no pid"))
			continue;
		if (n + 2 < len)
			n += snprintf(buf + n, len - n, "%s%s", n ? ", " : "",
				      line);
	}
	fclose(f);
	return 0;
}

/*
 * Processes other than this one with a file of tracefs open (trace-cmd
 * and perf read the ring buffer that way), grouped by name: appends
 * "trace-cmd (pids 12, 13) has tracefs open" phrases to buf; returns how
 * many processes.
 */
static int holders(const char *dir, char *buf, size_t len)
{
	struct { char comm[64]; char pids[128]; int n; } who[16];
	DIR *proc = opendir("/proc");
	struct dirent *e;
	size_t dl = strlen(dir), n = strlen(buf);
	int count = 0, nwho = 0, k;

	if (!proc)
		return 0;
	while ((e = readdir(proc))) {
		char fdd[64], link[PATH_MAX], target[PATH_MAX], comm[64] = "?";
		struct dirent *fe;
		DIR *fds;
		FILE *cf;
		int pid = atoi(e->d_name), open_here = 0;

		if (pid <= 0 || pid == getpid())
			continue;
		snprintf(fdd, sizeof(fdd), "/proc/%d/fd", pid);
		fds = opendir(fdd);
		if (!fds)
			continue;
		while (!open_here && (fe = readdir(fds))) {
			ssize_t r;

			if (fe->d_name[0] == '.')
				continue;
			snprintf(link, sizeof(link), "%s/%s", fdd, fe->d_name);
			r = readlink(link, target, sizeof(target) - 1);
			if (r <= 0)
				continue;
			target[r] = '\0';
			open_here = !strncmp(target, dir, dl) &&
				    target[dl] == '/';
		}
		closedir(fds);
		if (!open_here)
			continue;
		snprintf(link, sizeof(link), "/proc/%d/comm", pid);
		cf = fopen(link, "re");
		if (cf) {
			char raw[32];

			/* the program chose its name: escaped, as everywhere */
			if (fgets(raw, sizeof(raw), cf)) {
				raw[strcspn(raw, "\n")] = '\0';
				kf_escape(comm, sizeof(comm), raw);
			}
			fclose(cf);
		}
		count++;
		for (k = 0; k < nwho && strcmp(who[k].comm, comm); k++)
			;
		if (k == nwho) {
			if (nwho == 16)
				continue;
			snprintf(who[k].comm, sizeof(who[k].comm), "%s", comm);
			who[k].pids[0] = '\0';
			who[k].n = 0;
			nwho++;
		}
		if (who[k].n < 6) {
			size_t pl = strlen(who[k].pids);

			snprintf(who[k].pids + pl, sizeof(who[k].pids) - pl,
				 "%s%d", who[k].n ? ", " : "", pid);
		}
		who[k].n++;
	}
	closedir(proc);
	for (k = 0; k < nwho && n + 2 < len; k++)
		n += snprintf(buf + n, len - n, "%s%s (pid%s %s%s) has tracefs "
			      "open", n ? "; " : "", who[k].comm,
			      who[k].n > 1 ? "s" : "", who[k].pids,
			      who[k].n > 6 ? ", ..." : "");
	return count;
}

char *kf_status_foreign(const char *dir)
{
	char cur[256], on[16], filt[256], graph[256], why[2048] = "";
	size_t n;

	if (value(dir, "current_tracer", cur, sizeof(cur)) == 0 &&
	    cur[0] && strcmp(cur, "nop"))
		snprintf(why, sizeof(why), "current_tracer is '%s'", cur);
	if (value(dir, "tracing_on", on, sizeof(on)) == 0 && !strcmp(on, "1")) {
		n = strlen(why);
		if (value(dir, "set_ftrace_filter", filt, sizeof(filt)) == 0 &&
		    filt[0])
			n += snprintf(why + n, sizeof(why) - n, "%sset_ftrace_"
				      "filter holds '%.60s' with tracing on",
				      n ? "; " : "", filt);
		if (n < sizeof(why) &&
		    value(dir, "set_graph_function", graph, sizeof(graph)) == 0 &&
		    graph[0])
			snprintf(why + n, sizeof(why) - n, "%sset_graph_function"
				 " holds '%.60s' with tracing on",
				 n ? "; " : "", graph);
	}
	holders(dir, why, sizeof(why));
	return why[0] ? strdup(why) : NULL;
}

int kf_status_print(FILE *f, const char *tracefs, const char *jdir)
{
	const char *dir = kf_status_tracefs(tracefs);
	char val[1024], who[2048] = "";
	int differ = 0, pid = 0, own;
	size_t i;
	DIR *d;

	own = kf_journal_owner(jdir, &pid);
	if (own == 1)
		fprintf(f, "kfollow (pid %d) is tracing; it restores tracefs "
			"when it ends\n", pid);
	else if (own == 2)
		fprintf(f, "a kfollow run (pid %d) was killed before restoring "
			"tracefs: 'kfollow --restore' puts its changes back\n",
			pid);
	if (!dir) {
		fprintf(f, "tracefs is not mounted: nothing is being traced\n");
		return 0;
	}
	for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
		if (value(dir, defaults[i].file, val, sizeof(val)) < 0 ||
		    !strcmp(val, defaults[i].dflt))
			continue;
		fprintf(f, "%s: %s (default: %s)\n", defaults[i].file,
			val[0] ? val : "empty",
			defaults[i].dflt[0] ? defaults[i].dflt : "empty");
		differ++;
	}
	snprintf(val, sizeof(val), "%s/instances", dir);
	d = opendir(val);
	if (d) {
		struct dirent *e;

		while ((e = readdir(d)))
			if (e->d_name[0] != '.') {
				fprintf(f, "instances/%s exists\n", e->d_name);
				differ++;
			}
		closedir(d);
	}
	if (holders(dir, who, sizeof(who)))
		fprintf(f, "in use: %s\n", who);
	if (!differ)
		fprintf(f, "tracefs at '%s' is at its defaults\n", dir);
	else
		fprintf(f, "%d setting%s of '%s' differ from the defaults\n",
			differ, differ == 1 ? "" : "s", dir);
	return differ;
}
