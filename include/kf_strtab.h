/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_strtab.h - interned strings.  Function names, comms and path strings
 * are stored once and referred to by a 32-bit id, so a tree node stays
 * small.  Id 0 is always the empty string.
 */
#ifndef KF_STRTAB_H
#define KF_STRTAB_H

#include <stddef.h>
#include <stdint.h>

struct kf_strtab_chunk;

struct kf_strtab {
	struct kf_strtab_chunk *chunks; /* string storage; strings never move */
	const char **str;    /* id -> string */
	uint32_t *len;       /* id -> length */
	uint32_t count, cap;
	uint32_t *hash;      /* open addressing: slot -> id+1, 0 = empty */
	uint32_t hash_cap;   /* power of two */
	size_t bytes;        /* memory held, for statistics */
};

/* Set up an empty table holding only "" (id 0).  Returns 0 or -1. */
int kf_strtab_init(struct kf_strtab *t);
/* Release the table's memory (the struct itself belongs to the caller). */
void kf_strtab_release(struct kf_strtab *t);

/*
 * Return the id of the string s[0..len), adding it if new; KF_NONE when
 * out of memory.  The table keeps its own copy.
 */
uint32_t kf_strtab_intern_n(struct kf_strtab *t, const char *s, size_t len);
uint32_t kf_strtab_intern(struct kf_strtab *t, const char *s);
/* Id of s if already present, else KF_NONE. */
uint32_t kf_strtab_find(const struct kf_strtab *t, const char *s);

/* The string for id, valid for the table's lifetime; "" for a bad id. */
const char *kf_strtab_get(const struct kf_strtab *t, uint32_t id);

#endif
