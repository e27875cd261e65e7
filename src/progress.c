// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * progress.c - the stages of a capture as words (kf_progress.h), and the
 * lines a guest's kfollow sends the host about them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kf_progress.h"

/* name: for people; word: on the guest's console, parsed by the host */
static const struct {
	const char *name, *word;
} stages[KF_STAGE_N] = {
	[KF_STAGE_INITRAMFS] = { "building the initramfs", "initramfs" },
	[KF_STAGE_KERNEL] = { "finding the kernel", "kernel" },
	[KF_STAGE_BOOT] = { "booting the VM", "boot" },
	[KF_STAGE_SETUP] = { "reading the kernel's tables", "setup" },
	[KF_STAGE_ARM] = { "arming the tracer", "arm" },
	[KF_STAGE_TRACE] = { "tracing", "trace" },
	[KF_STAGE_RESULTS] = { "sending the capture back", "results" },
};

const char *kf_stage_name(enum kf_stage s)
{
	return (unsigned)s < KF_STAGE_N ? stages[s].name : "?";
}

/* bytes as "812 KB" or "12.5 MB" (decimal, as apt and curl say it) */
static void fmt_bytes(char *buf, size_t len, uint64_t b)
{
	if (b < 1000000)
		snprintf(buf, len, "%" PRIu64 " KB", (b + 999) / 1000);
	else
		snprintf(buf, len, "%.1f MB", b / 1e6);
}

char *kf_progress_text(char *buf, size_t len, const struct kf_progress *p)
{
	char n[32] = "";
	int k;

	k = snprintf(buf, len, "%s", kf_stage_name(p->stage));
	if (k < 0 || (size_t)k >= len)
		return buf;
	if (p->stage == KF_STAGE_TRACE && p->events) {
		snprintf(buf + k, len - k, ": %" PRIu64 " event%s", p->events,
			 p->events == 1 ? "" : "s");
		return buf;
	}
	if (p->bytes)
		fmt_bytes(n, sizeof(n), p->bytes);
	if (p->detail && *p->detail && n[0])
		snprintf(buf + k, len - k, ": %s (%s)", p->detail, n);
	else if (p->detail && *p->detail)
		snprintf(buf + k, len - k, " (%s)", p->detail);
	else if (n[0])
		snprintf(buf + k, len - k, ": %s", n);
	return buf;
}

char *kf_progress_secs(char *buf, size_t len, uint64_t ns)
{
	uint64_t s = ns / 1000000000;

	if (s < 60)
		snprintf(buf, len, "%" PRIu64 " s", s);
	else
		snprintf(buf, len, "%" PRIu64 " min %02" PRIu64 " s", s / 60,
			 s % 60);
	return buf;
}

int kf_progress_guest_line(char *buf, size_t len, enum kf_stage s,
			   uint64_t events)
{
	const char *w = (unsigned)s < KF_STAGE_N ? stages[s].word : "?";

	if (s == KF_STAGE_TRACE)
		return snprintf(buf, len, KF_PROGRESS_GUEST "%s %" PRIu64 "\n",
				w, events);
	return snprintf(buf, len, KF_PROGRESS_GUEST "%s\n", w);
}

int kf_progress_guest_parse(const char *line, enum kf_stage *s,
			    uint64_t *events)
{
	size_t plen = strlen(KF_PROGRESS_GUEST);
	const char *w;

	if (strncmp(line, KF_PROGRESS_GUEST, plen))
		return 0;
	w = line + plen;
	*events = 0;
	/* the guest's /init, just before it starts kfollow */
	if (!strcmp(w, "running")) {
		*s = KF_STAGE_SETUP;
		return 1;
	}
	for (int i = 0; i < KF_STAGE_N; i++) {
		size_t n = strlen(stages[i].word);
		char *end;

		if (strncmp(w, stages[i].word, n) ||
		    (w[n] != '\0' && w[n] != ' '))
			continue;
		*s = i;
		if (i == KF_STAGE_TRACE && w[n] == ' ') {
			*events = strtoull(w + n + 1, &end, 10);
			if (*end)
				return 0;
		}
		return 1;
	}
	return 0;
}
