/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kf_input.h - load what --input names: a kfollow capture (--output) or the
 * kernel's function_graph text (a saved `trace` file), "-" for stdin.
 */
#ifndef KF_INPUT_H
#define KF_INPUT_H

#include "kf_model.h"

/*
 * Fill m (initialised by the caller, who releases it) from the file at
 * path.  Returns 0, or -1 with kf_err set to a one-line message
 * (KF_EXIT_NOINPUT: cannot read it, or it is neither a regular file nor a
 * pipe; KF_EXIT_DATAERR: not valid).  The file is read into memory, never
 * mapped, so it may change while the model is in use.
 */
int kf_input_load(const char *path, struct kf_model *m);

/*
 * For a capture too large to hold: when path is a regular file holding a
 * kfollow capture, read it as it streams (kf_capfile_stream), mapped, not
 * copied, handing each call to each().  Returns 1 when it did, 0 when
 * path is something else (kf_input_load it then), -1 with kf_err set
 * (the file changed under the mapping: KF_EXIT_NOINPUT).
 */
int kf_input_stream(const char *path, struct kf_model *m,
		    int (*each)(void *ctx, struct kf_model *m, uint32_t call),
		    void *ctx);

#endif
