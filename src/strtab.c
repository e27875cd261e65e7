// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * strtab.c - interned strings.  Strings are copied into chunks that never
 * move, so pointers from kf_strtab_get stay valid while the table lives.
 */
#include <stdlib.h>
#include <string.h>

#include "kf_common.h"
#include "kf_strtab.h"

#define CHUNK_BYTES (64 * 1024)

struct kf_strtab_chunk {
	struct kf_strtab_chunk *prev;
	size_t used, size;
	char data[];
};

/* FNV-1a: short names, good spread, no allocation. */
static uint32_t hash_str(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static char *store(struct kf_strtab *t, const char *s, size_t len)
{
	struct kf_strtab_chunk *c = t->chunks;
	char *p;

	if (!c || c->size - c->used < len + 1) {
		size_t size = len + 1 > CHUNK_BYTES ? len + 1 : CHUNK_BYTES;

		c = malloc(sizeof(*c) + size);
		if (!c)
			return NULL;
		c->prev = t->chunks;
		c->used = 0;
		c->size = size;
		t->chunks = c;
		t->bytes += sizeof(*c) + size;
	}
	p = c->data + c->used;
	memcpy(p, s, len);
	p[len] = '\0';
	c->used += len + 1;
	return p;
}

static int rehash(struct kf_strtab *t, uint32_t cap)
{
	uint32_t *h = calloc(cap, sizeof(*h));
	uint32_t i;

	if (!h)
		return -1;
	for (i = 0; i < t->count; i++) {
		uint32_t slot = hash_str(t->str[i], t->len[i]) & (cap - 1);

		while (h[slot])
			slot = (slot + 1) & (cap - 1);
		h[slot] = i + 1;
	}
	t->bytes += (size_t)(cap - t->hash_cap) * sizeof(*h);
	free(t->hash);
	t->hash = h;
	t->hash_cap = cap;
	return 0;
}

int kf_strtab_init(struct kf_strtab *t)
{
	memset(t, 0, sizeof(*t));
	if (kf_strtab_intern_n(t, "", 0) != 0) {
		kf_strtab_release(t);
		return -1;
	}
	return 0;
}

void kf_strtab_release(struct kf_strtab *t)
{
	struct kf_strtab_chunk *c = t->chunks;

	while (c) {
		struct kf_strtab_chunk *prev = c->prev;

		free(c);
		c = prev;
	}
	free(t->str);
	free(t->len);
	free(t->hash);
	memset(t, 0, sizeof(*t));
}

static uint32_t lookup(const struct kf_strtab *t, const char *s, size_t len,
		       uint32_t h, uint32_t *slotp)
{
	uint32_t slot;

	if (!t->hash_cap)
		return KF_NONE;
	slot = h & (t->hash_cap - 1);
	while (t->hash[slot]) {
		uint32_t id = t->hash[slot] - 1;

		if (t->len[id] == len && memcmp(t->str[id], s, len) == 0)
			return id;
		slot = (slot + 1) & (t->hash_cap - 1);
	}
	if (slotp)
		*slotp = slot;
	return KF_NONE;
}

uint32_t kf_strtab_intern_n(struct kf_strtab *t, const char *s, size_t len)
{
	uint32_t h = hash_str(s, len), slot = 0, id;
	char *copy;

	if (len > UINT32_MAX / 2)
		return KF_NONE;
	id = lookup(t, s, len, h, &slot);
	if (id != KF_NONE)
		return id;
	if ((t->count + 1) * 2 > t->hash_cap) {
		if (rehash(t, t->hash_cap ? t->hash_cap * 2 : 256) < 0)
			return KF_NONE;
		lookup(t, s, len, h, &slot);
	}
	if (t->count == t->cap) {
		uint32_t cap = t->cap ? t->cap * 2 : 256;
		const char **str = realloc(t->str, cap * sizeof(*str));
		uint32_t *lens;

		if (!str)
			return KF_NONE;
		t->str = str;
		lens = realloc(t->len, cap * sizeof(*lens));
		if (!lens)
			return KF_NONE;
		t->len = lens;
		t->bytes += (size_t)(cap - t->cap) * (sizeof(*str) + sizeof(*lens));
		t->cap = cap;
	}
	copy = store(t, s, len);
	if (!copy)
		return KF_NONE;
	id = t->count++;
	t->str[id] = copy;
	t->len[id] = (uint32_t)len;
	t->hash[slot] = id + 1;
	return id;
}

uint32_t kf_strtab_intern(struct kf_strtab *t, const char *s)
{
	return kf_strtab_intern_n(t, s, strlen(s));
}

uint32_t kf_strtab_find(const struct kf_strtab *t, const char *s)
{
	size_t len = strlen(s);

	return lookup(t, s, len, hash_str(s, len), NULL);
}

const char *kf_strtab_get(const struct kf_strtab *t, uint32_t id)
{
	if (id >= t->count)
		return "";
	return t->str[id];
}
