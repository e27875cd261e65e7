// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tui-help.c - the help screen: the key table, the marks and the
 * mouse; any key but the moving ones goes back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kf_common.h"
#include "kf_decode.h"
#include "tui-int.h"

static void draw_help(struct kf_tui *t)
{
	int i;

	for (i = t->help_cur.top; i < t->nhelp && i - (int)t->help_cur.top <
	     tui_body_lines(t); i++)
		tui_put_text(1 + i - t->help_cur.top, 0, COLS, t->help[i],
			 t->help[i][0] && t->help[i][0] != ' ' ? A_BOLD :
			 A_NORMAL);
}

int tui_help_build(struct kf_tui *t)
{
	char *text = NULL, *p, *nl;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	fprintf(f, "Keys\n");
	kf_keys_write(f);
	fprintf(f, "\nMarks before a time (the kernel's function_graph "
		"overhead classes)\n"
		"  +  over 10 us    !  over 100 us   #  over 1 ms\n"
		"  *  over 10 ms    @  over 100 ms   $  over 1 s\n"
		"\nIn the list: x a failed call (negative return), ? "
		"incomplete (no return seen, events lost), m marked for a "
		"diff.\n"
		"In a tree: [irq] interrupts, [entry lost] [no return seen] "
		"[events lost] where data is missing.\n"
		"In a diff: - only in A, + only in B, > B slower, < B "
		"faster.\n"
		"\nMouse: click selects; a click on the selected row opens "
		"or folds it; the wheel scrolls.\n"
		"Any other key returns.\n");
	if (fclose(f) != 0) {
		free(text);
		return kf_err(KF_EXIT_OSERR, "out of memory");
	}
	for (p = text; *p; p = nl + 1) {
		char **nh = realloc(t->help, (t->nhelp + 1) * sizeof(*nh));

		if (!nh)
			break;
		t->help = nh;
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p) - 1;
		t->help[t->nhelp++] = strndup(p, nl - p);
		if (!nl[1])
			break;
	}
	free(text);
	return 0;
}

static struct kf_cursor *help_cursor(struct kf_tui *t, uint32_t *nrows)
{
	*nrows = t->nhelp;
	return &t->help_cur;
}

const struct tui_view_ops tui_help_view = {
	.name = "Help", .head = 1, .cursor = help_cursor, .draw = draw_help,
};
