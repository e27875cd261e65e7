// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mouse.c - SGR (1006) mouse reports read from bytes, and double clicks
 * (kf_mouse.h).  Plain C: the unit tests feed it bytes and times.
 *
 * A report is an ECMA-48 control sequence: after ESC [ come parameter
 * bytes (0x30-0x3f), intermediates (0x20-0x2f) and one final byte
 * (0x40-0x7e).  Whatever is not a well-formed report is still read up to
 * its final byte and dropped, so a stray 'q' ending one never quits.
 */
#include "kf_mouse.h"

/* the largest parameter taken: columns and rows beyond any screen */
#define PARAM_MAX 99999

void kf_sgr_init(struct kf_sgr *p)
{
	*p = (struct kf_sgr){ 0 };
}

static void decode(const struct kf_sgr *p, int final, struct kf_mouse *ev)
{
	unsigned b = p->param[0], low = b & 3;

	ev->press = final == 'M';
	ev->motion = !!(b & 32);
	ev->mods = b & (KF_MOUSE_SHIFT | KF_MOUSE_META | KF_MOUSE_CTRL);
	if (b & 128)
		ev->button = 8 + low;
	else if (b & 64)
		ev->button = 4 + low;
	else
		/* 3 is "no button": a move with none down */
		ev->button = low == 3 ? 0 : 1 + low;
	ev->x = (int)p->param[1] - 1;
	ev->y = (int)p->param[2] - 1;
}

enum kf_sgr_state kf_sgr_feed(struct kf_sgr *p, int byte,
			      struct kf_mouse *ev)
{
	static const char intro[] = "\033[<";

	if (p->len < 3) {
		if (byte != intro[p->len])
			return KF_SGR_NOT;
		p->len++;
		return KF_SGR_MORE;
	}
	if (byte < 0x20 || byte > 0x7e)
		return KF_SGR_CUT;
	p->len++;
	if (byte >= '0' && byte <= '9') {
		unsigned *v = &p->param[p->n];

		if (*v > (PARAM_MAX - (unsigned)(byte - '0')) / 10)
			p->bad = 1;
		else
			*v = *v * 10 + (unsigned)(byte - '0');
		p->digits++;
		return KF_SGR_MORE;
	}
	if (byte == ';') {
		/* an empty parameter is no coordinate */
		if (!p->digits || p->n == 2)
			p->bad = 1;
		else
			p->n++;
		p->digits = 0;
		return KF_SGR_MORE;
	}
	if (byte < 0x40) {
		/* ':' '<' '=' '>' '?' and intermediates: not in a report */
		p->bad = 1;
		return KF_SGR_MORE;
	}
	if (p->bad || p->n != 2 || !p->digits || (byte != 'M' && byte != 'm') ||
	    p->param[0] > 255 || !p->param[1] || !p->param[2])
		return KF_SGR_BAD;
	decode(p, byte, ev);
	return KF_SGR_DONE;
}

int kf_sgr_read(int (*next)(void *arg, int body), void *arg,
		struct kf_mouse *ev, int keys[KF_SGR_KEYS], int *nkeys)
{
	struct kf_sgr p;
	int byte = 033, i;

	*nkeys = 0;
	for (;;) {
		enum kf_sgr_state st;

		kf_sgr_init(&p);
		do {
			/* p.len bytes are taken, byte is the next */
			st = kf_sgr_feed(&p, byte, ev);
			if (st == KF_SGR_MORE) {
				byte = next(arg, p.len >= 3);
				if (byte < 0) {
					if (p.len >= 3)
						return 0; /* cut off */
					break;    /* ESC, ESC [: keys */
				}
			}
		} while (st == KF_SGR_MORE);
		switch (st) {
		case KF_SGR_DONE:
			return 1;
		case KF_SGR_BAD:
			return 0;
		case KF_SGR_CUT:
			if (byte == 033)
				continue; /* the next sequence begins */
			keys[(*nkeys)++] = byte;
			return 0;
		case KF_SGR_NOT:
		case KF_SGR_MORE: /* nothing came after ESC or ESC [ */
			break;
		}
		/* the bytes of the intro taken, then the one that was not */
		for (i = 0; i < p.len; i++)
			keys[(*nkeys)++] = "\033[<"[i];
		if (st == KF_SGR_NOT)
			keys[(*nkeys)++] = byte;
		return -1;
	}
}

int kf_clicks_add(struct kf_clicks *c, const struct kf_mouse *ev,
		  uint64_t now_ms)
{
	if (c->n == 1 && ev->x == c->x && ev->y == c->y &&
	    now_ms - c->ms <= KF_MOUSE_DOUBLE_MS) {
		c->n = 0;
		return 2;
	}
	c->n = 1;
	c->ms = now_ms;
	c->x = ev->x;
	c->y = ev->y;
	return 1;
}
