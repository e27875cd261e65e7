/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_btfargs.h - name and format the arguments of kernel functions, as
 * function_graph records them with funcgraph-args (kernels 6.15+): the
 * entry record carries the first six argument registers, and the kernel's
 * BTF (/sys/kernel/btf/vmlinux and its modules' split BTF) says how many
 * parameters each function takes, their names and their types.
 *
 * BTF is read through libbpf.  Everything in it is untrusted: a file
 * larger than KF_BTF_FILE_MAX is refused, libbpf checks the rest, and a
 * function BTF does not describe gets no arguments at all (never a guess:
 * foo.isra.0 has lost parameters its BTF entry still lists).
 */
#ifndef KF_BTFARGS_H
#define KF_BTFARGS_H

#include <stddef.h>
#include <stdint.h>

#define KF_BTF_FILE_MAX (64u << 20) /* a larger BTF file is refused */
#define KF_BTF_REGS 6               /* registers funcgraph-args records */
#define KF_BTF_ARGS_MAX 512         /* bytes of one formatted argument list */

struct kf_btfargs;

/*
 * Read the BTF at path (the kernel's vmlinux BTF, or a raw BTF file).
 * With dir non-NULL, the split BTF of the modules in that directory
 * (/sys/kernel/btf) is read too, once, the first time a function is not
 * in vmlinux.  Returns a handle the caller frees with kf_btfargs_free, or
 * NULL (kf_err set: the file is missing, too large or not BTF).
 */
struct kf_btfargs *kf_btfargs_new(const char *path, const char *dir);
void kf_btfargs_free(struct kf_btfargs *b);

/*
 * Format the arguments of function func from the registers regs[0..nregs)
 * into buf (size bytes, always terminated): "name=value, ..." with signed
 * integers and enums in decimal, unsigned integers and pointers in hex
 * (each cut to its type's size), a struct passed by value as
 * "(struct)[0x..:0x..]", "..." for parameters past the sixth register.
 * Returns the length, 0 for a function without parameters, or -1 when BTF
 * does not describe func (buf is then "").
 */
int kf_btfargs_format(struct kf_btfargs *b, const char *func,
		      const uint64_t *regs, int nregs, char *buf, size_t size);

/* Functions the loaded BTF describes (for messages and tests). */
size_t kf_btfargs_count(const struct kf_btfargs *b);

#endif
