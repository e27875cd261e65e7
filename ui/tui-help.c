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

/* The colour of layer name (kf_layer_color of its first line), or 0. */
static int layer_color(const struct kf_tui *t, const char *name, size_t len)
{
	int k;

	for (k = 0; k < t->o.nlayers; k++)
		if (strlen(t->o.layers[k].name) == len &&
		    !strncmp(t->o.layers[k].name, name, len))
			return kf_layer_color(t->o.layers, t->o.nlayers, k);
	return 0;
}

/* A line of the legend: each layer's name in its colour. */
static void draw_legend(struct kf_tui *t, int y, const char *s)
{
	const char *p = s;

	tui_put_text(y, 0, COLS, s, A_NORMAL);
	while (*p) {
		size_t n;

		p += strspn(p, " ");
		n = strcspn(p, " ");
		if (!n)
			break;
		if (p - s < COLS) {
			char name[128];

			snprintf(name, sizeof(name), "%.*s", (int)n, p);
			tui_put_text(y, p - s, COLS - (p - s), name,
				     tui_layer_attr(t, layer_color(t, p, n)));
		}
		p += n;
	}
}

static void draw_help(struct kf_tui *t)
{
	int i, y;

	for (i = t->help_cur.top; i < t->nhelp && i - (int)t->help_cur.top <
	     tui_body_lines(t); i++) {
		y = 1 + i - t->help_cur.top;
		if (t->help_layers >= 0 && i > t->help_layers &&
		    t->help[i][0] == ' ') {
			draw_legend(t, y, t->help[i]);
			continue;
		}
		tui_put_text(y, 0, COLS, t->help[i],
			 t->help[i][0] && t->help[i][0] != ' ' ? A_BOLD :
			 A_NORMAL);
	}
}

/* The legend of the layer colours: each layer once, six to a line. */
static void write_legend(FILE *f, const struct kf_tui *t)
{
	int k, j, w = 0, n = 0;

	for (k = 0; k < t->o.nlayers; k++)
		if ((int)strlen(t->o.layers[k].name) > w)
			w = (int)strlen(t->o.layers[k].name);
	for (k = 0; k < t->o.nlayers; k++) {
		/* the first line of each name only */
		for (j = 0; j < k && strcmp(t->o.layers[j].name,
					    t->o.layers[k].name); j++)
			;
		if (j < k)
			continue;
		if (n % 6 == 0)
			fprintf(f, "%s ", n ? "\n" : "");
		fprintf(f, " %-*s", w, t->o.layers[k].name);
		n++;
	}
	if (n)
		fprintf(f, "\n");
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
	t->help_layers = -1;
	if (t->o.nlayers) {
		fprintf(f, "\nLayers: the colours of a tree's layer column "
			"and function names\n");
		write_legend(f, t);
	}
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
		if (t->help_layers < 0 && !strncmp(p, "Layers: ", 8))
			t->help_layers = t->nhelp - 1;
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
