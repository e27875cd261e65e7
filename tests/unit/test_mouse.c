// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_mouse.c - SGR (1006) mouse reports read from bytes and double
 * clicks (kf_mouse.h).  Input is the bytes a terminal sends; a report
 * must come out whole, and the bytes of a malformed or cut-off one must
 * never come out as keys.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "kf_mouse.h"

/* Bytes for kf_sgr_read: the text after its ESC, then "nothing came". */
struct input {
	const char *s;
	size_t n, at;
	int bodies;       /* calls with body set */
};

static int next(void *arg, int body)
{
	struct input *in = arg;

	in->bodies += body;
	return in->at < in->n ? (unsigned char)in->s[in->at++] : -1;
}

/* Read one thing from s (which starts after the ESC); keys as a string. */
static int read_one(struct input *in, const char *s, size_t n,
		    struct kf_mouse *ev, char keys[KF_SGR_KEYS + 1])
{
	int k[KF_SGR_KEYS], nk, rc, i;

	*in = (struct input){ .s = s, .n = n };
	memset(ev, 0x55, sizeof(*ev));
	rc = kf_sgr_read(next, in, ev, k, &nk);
	assert_true(nk >= 0 && nk <= KF_SGR_KEYS);
	for (i = 0; i < nk; i++) {
		assert_true(k[i] > 0 && k[i] < 256);
		keys[i] = (char)k[i];
	}
	keys[nk] = '\0';
	return rc;
}
#define READ(in, lit, ev, keys) read_one(in, lit, sizeof(lit) - 1, ev, keys)

static void expect_event(const struct kf_mouse *ev, int button, int press,
			 int motion, int mods, int x, int y)
{
	assert_int_equal(ev->button, button);
	assert_int_equal(ev->press, press);
	assert_int_equal(ev->motion, motion);
	assert_int_equal(ev->mods, mods);
	assert_int_equal(ev->x, x);
	assert_int_equal(ev->y, y);
}

/* Every report a terminal sends for a click, the wheel, modifiers. */
static void test_reports(void **state)
{
	static const struct {
		const char *s;          /* after ESC */
		int button, press, motion, mods, x, y;
	} cases[] = {
		/* left press and release at column 11, row 7 (1-based) */
		{ "[<0;11;7M", 1, 1, 0, 0, 10, 6 },
		{ "[<0;11;7m", 1, 0, 0, 0, 10, 6 },
		{ "[<1;1;1M", 2, 1, 0, 0, 0, 0 },        /* middle */
		{ "[<2;80;24M", 3, 1, 0, 0, 79, 23 },    /* right */
		{ "[<64;5;9M", 4, 1, 0, 0, 4, 8 },       /* wheel up */
		{ "[<65;5;9M", 5, 1, 0, 0, 4, 8 },       /* wheel down */
		{ "[<66;5;9M", 6, 1, 0, 0, 4, 8 },       /* wheel left */
		{ "[<128;5;9M", 8, 1, 0, 0, 4, 8 },      /* button 8 */
		/* shift, meta, ctrl on a left press; ctrl on the wheel */
		{ "[<4;2;3M", 1, 1, 0, KF_MOUSE_SHIFT, 1, 2 },
		{ "[<8;2;3M", 1, 1, 0, KF_MOUSE_META, 1, 2 },
		{ "[<16;2;3M", 1, 1, 0, KF_MOUSE_CTRL, 1, 2 },
		{ "[<28;2;3m", 1, 0, 0,
		  KF_MOUSE_SHIFT | KF_MOUSE_META | KF_MOUSE_CTRL, 1, 2 },
		{ "[<81;2;3M", 5, 1, 0, KF_MOUSE_CTRL, 1, 2 },
		/* a drag with the left button; a move with none down */
		{ "[<32;3;4M", 1, 1, 1, 0, 2, 3 },
		{ "[<35;3;4M", 0, 1, 1, 0, 2, 3 },
		/* past X10's reach (223), and far past any screen */
		{ "[<0;240;7M", 1, 1, 0, 0, 239, 6 },
		{ "[<0;224;300M", 1, 1, 0, 0, 223, 299 },
		{ "[<0;99999;99999M", 1, 1, 0, 0, 99998, 99998 },
		/* leading zeros are still the number */
		{ "[<000;0011;007M", 1, 1, 0, 0, 10, 6 },
	};
	struct input in;
	struct kf_mouse ev;
	char keys[KF_SGR_KEYS + 1];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = read_one(&in, cases[i].s, strlen(cases[i].s), &ev,
				  keys);

		if (rc != 1)
			fail_msg("ESC%s: %d, wanted a report", cases[i].s, rc);
		assert_string_equal(keys, "");
		assert_int_equal(in.at, strlen(cases[i].s));
		expect_event(&ev, cases[i].button, cases[i].press,
			     cases[i].motion, cases[i].mods, cases[i].x,
			     cases[i].y);
	}
}

/*
 * Malformed reports: dropped up to and with their final byte, whatever it
 * is.  'q' would quit and 'm' mark if they came out as keys.
 */
static void test_malformed(void **state)
{
	static const char *const cases[] = {
		"[<0;11;7q",          /* a final byte other than M, m */
		"[<0;11q",
		"[<0;11M",            /* two parameters */
		"[<0M",
		"[<M",
		"[<0;11;7;1M",        /* four */
		"[<;11;7M",           /* an empty one */
		"[<0;;7M",
		"[<0;11;M",
		"[<0;0;7M",           /* column 0 and row 0 are off screen */
		"[<0;11;0m",
		"[<0;100000;7M",      /* too big */
		"[<0;11;99999999999999999999M",
		"[<256;1;1M",         /* no such button code */
		"[<0:1;11;7M",        /* a sub-parameter */
		"[<0;11;7?M",         /* a private marker inside */
		"[<0;1 1;7M",         /* an intermediate */
		"[<<0;11;7M",
		"[<-1;11;7M",
		"[<0;11;7~",
		"[<0;11;7A",
	};
	struct input in;
	struct kf_mouse ev;
	char keys[KF_SGR_KEYS + 1];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = read_one(&in, cases[i], strlen(cases[i]), &ev, keys);

		if (rc != 0)
			fail_msg("ESC%s: %d, wanted it dropped", cases[i], rc);
		assert_string_equal(keys, "");
		/* read to its final byte, no further */
		assert_int_equal(in.at, strlen(cases[i]));
	}
}

/*
 * Cut off: no more bytes come (the caller waited), or a byte that
 * cannot be in a report comes.  The report is dropped; that byte is the
 * user's key; an ESC starts the next report.
 */
static void test_cut(void **state)
{
	struct input in;
	struct kf_mouse ev;
	char keys[KF_SGR_KEYS + 1];

	/* the rest never came: the caller got to wait for it */
	assert_int_equal(READ(&in, "[<", &ev, keys), 0);
	assert_string_equal(keys, "");
	assert_int_equal(READ(&in, "[<0;11;7", &ev, keys), 0);
	assert_string_equal(keys, "");
	assert_int_equal(in.bodies, 7);
	/* a control character: Enter after half a report */
	assert_int_equal(READ(&in, "[<0;11\rq", &ev, keys), 0);
	assert_string_equal(keys, "\r");
	assert_int_equal(in.at, 7);  /* the q is not read */
	/* bytes past ASCII */
	assert_int_equal(READ(&in, "[<0;1\xc3", &ev, keys), 0);
	assert_string_equal(keys, "\xc3");
	/* an ESC: the cut report goes, the next is read */
	assert_int_equal(READ(&in, "[<0;11;7\033[<65;2;3M", &ev, keys), 1);
	assert_string_equal(keys, "");
	expect_event(&ev, 5, 1, 0, 0, 1, 2);
	assert_int_equal(READ(&in, "[<0;11q\033[<0;11\033[<0;4;5m", &ev, keys),
			 0);
	assert_int_equal(in.at, 7);  /* the first, dropped; the rest unread */
	assert_int_equal(READ(&in, "[<0;11\033[<0;4;5m", &ev, keys), 1);
	expect_event(&ev, 1, 0, 0, 0, 3, 4);
	/* the next after an ESC may be a key after all */
	assert_int_equal(READ(&in, "[<0;11\033", &ev, keys), -1);
	assert_string_equal(keys, "\033");
}

/* Not reports at all: every byte read is a key, ESC first. */
static void test_keys(void **state)
{
	struct input in;
	struct kf_mouse ev;
	char keys[KF_SGR_KEYS + 1];

	assert_int_equal(READ(&in, "", &ev, keys), -1);   /* Esc alone */
	assert_string_equal(keys, "\033");
	assert_int_equal(in.bodies, 0);   /* and no waiting for more */
	assert_int_equal(READ(&in, "q", &ev, keys), -1);  /* Alt-q */
	assert_string_equal(keys, "\033q");
	assert_int_equal(READ(&in, "[", &ev, keys), -1);
	assert_string_equal(keys, "\033[");
	assert_int_equal(READ(&in, "[A", &ev, keys), -1); /* a key ncurses
							   * did not know */
	assert_string_equal(keys, "\033[A");
	assert_int_equal(in.bodies, 0);
	/* X10 (ncurses reads those): not taken for SGR */
	assert_int_equal(READ(&in, "[M +'", &ev, keys), -1);
	assert_string_equal(keys, "\033[M");
	assert_int_equal(in.at, 2);
	assert_int_equal(READ(&in, "\033", &ev, keys), -1); /* Esc Esc */
	assert_string_equal(keys, "\033\033");
}

/* The byte-level feed: its states one byte at a time. */
static void test_feed(void **state)
{
	static const char rep[] = "\033[<65;300;2M";
	struct kf_sgr p;
	struct kf_mouse ev = { 0 };
	size_t i;

	kf_sgr_init(&p);
	for (i = 0; i + 1 < sizeof(rep) - 1; i++)
		assert_int_equal(kf_sgr_feed(&p, rep[i], &ev), KF_SGR_MORE);
	assert_int_equal(kf_sgr_feed(&p, rep[i], &ev), KF_SGR_DONE);
	expect_event(&ev, 5, 1, 0, 0, 299, 1);
	kf_sgr_init(&p);
	assert_int_equal(kf_sgr_feed(&p, 'q', &ev), KF_SGR_NOT);
	kf_sgr_init(&p);
	assert_int_equal(kf_sgr_feed(&p, 033, &ev), KF_SGR_MORE);
	assert_int_equal(kf_sgr_feed(&p, '[', &ev), KF_SGR_MORE);
	assert_int_equal(kf_sgr_feed(&p, '<', &ev), KF_SGR_MORE);
	/* a key code from ncurses (KEY_RESIZE is 0632) cuts a report */
	assert_int_equal(kf_sgr_feed(&p, 0632, &ev), KF_SGR_CUT);
}

/* Double clicks: the same cell, soon enough; a third press is single. */
static void test_clicks(void **state)
{
	struct kf_clicks c = { 0 };
	struct kf_mouse a = { .button = 1, .press = 1, .x = 10, .y = 6 };
	struct kf_mouse b = a;

	b.x = 11;
	assert_int_equal(kf_clicks_add(&c, &a, 1000), 1);
	assert_int_equal(kf_clicks_add(&c, &a, 1000 + KF_MOUSE_DOUBLE_MS), 2);
	assert_int_equal(kf_clicks_add(&c, &a, 1200), 1);
	/* too late */
	assert_int_equal(kf_clicks_add(&c, &a, 1201 + KF_MOUSE_DOUBLE_MS), 1);
	/* another cell */
	assert_int_equal(kf_clicks_add(&c, &b, 1400), 1);
	assert_int_equal(kf_clicks_add(&c, &a, 1410), 1);
	assert_int_equal(kf_clicks_add(&c, &a, 1420), 2);
	/* the first press ever, at time 0 and cell 0, is no double */
	c = (struct kf_clicks){ 0 };
	a.x = a.y = 0;
	assert_int_equal(kf_clicks_add(&c, &a, 0), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reports),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_feed),
		cmocka_unit_test(test_clicks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
