// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * qemu.c - boot the guest under qemu (KVM when it works, else emulation),
 * collect what it sends back on its serial ports, and turn that into a
 * capture or a script's files.
 */
#include <ctype.h>
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kf_capfile.h"
#include "kf_common.h"
#include "kf_vm.h"
#include "vm-int.h"

/* ---- running qemu ------------------------------------------------- */

struct vm_out {
	char *buf;
	size_t len, cap;
};

static int out_add(struct vm_out *o, const char *p, size_t n)
{
	if (o->len + n > MAX_OUT_FILE + 4096)
		return kf_err(KF_EXIT_DATAERR, "the VM sent more than %u MiB",
			      MAX_OUT_FILE >> 20);
	if (o->len + n + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 65536;
		char *nb;

		while (cap < o->len + n + 1)
			cap *= 2;
		nb = realloc(o->buf, cap);
		if (!nb)
			return kf_err(KF_EXIT_OSERR, "out of memory");
		o->buf = nb;
		o->cap = cap;
	}
	memcpy(o->buf + o->len, p, n);
	o->len += n;
	o->buf[o->len] = '\0';
	return 0;
}

static volatile sig_atomic_t vm_stop;

static void on_stop(int sig)
{
	vm_stop = sig;
}

/* cache/kvm-broken names the host kernel on which KVM failed to boot a
 * guest, so later runs go straight to emulation (no 20 s wait each). */
static char *kvm_memo_path(void)
{
	char *d = vm_cache_dir(), *p = NULL;

	if (d && asprintf(&p, "%s/kvm-broken", d) < 0)
		p = NULL;
	free(d);
	return p;
}

static int kvm_memo_says_broken(void)
{
	struct utsname un;
	char *p = kvm_memo_path(), line[256] = "";
	FILE *f = p ? fopen(p, "re") : NULL;
	int broken = 0;

	if (f && fgets(line, sizeof(line), f) && uname(&un) == 0) {
		line[strcspn(line, "\n")] = '\0';
		broken = !strcmp(line, un.release);
	}
	if (f)
		fclose(f);
	free(p);
	return broken;
}

static void kvm_memo_write(void)
{
	struct utsname un;
	char *p = kvm_memo_path(), *d = vm_cache_dir();
	FILE *f;

	if (p && d && uname(&un) == 0 && vm_mkdir_p(d) == 0 &&
	    (f = fopen(p, "we"))) {
		fprintf(f, "%s\n", un.release);
		fclose(f);
	}
	kf_err_clear();
	free(p);
	free(d);
}

static int accel_kvm(void)
{
	int fd;

	if (getenv("KFOLLOW_VM_NO_KVM"))
		return 0;
	fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return 0;
	close(fd);
	if (kvm_memo_says_broken()) {
		if (kf_verbose)
			kf_note("KVM failed here before; using software "
				"emulation");
		return 0;
	}
	return 1;
}

/* A KVM guest prints within a second or two; silence this long means KVM
 * does not work here (seen: nested KVM that boots nothing). */
#define KVM_FIRST_WORDS_S 20

enum boot_result { BOOT_OK, BOOT_FAIL, BOOT_KVM_BROKEN };

/*
 * Run qemu once on the initramfs in ifd (read through /dev/fd/7) and pump
 * its four serial lines: console into *console, ttyS1/ttyS2 to our
 * stdout/stderr, ttyS3 into data.  With kvm, a qemu that dies or stays
 * silent before the guest's first byte is BOOT_KVM_BROKEN (nothing was
 * passed on, so the caller can boot again without KVM).
 */
static enum boot_result vm_boot(const char *qemu, const struct kf_vm_kernel *k,
				int ifd, int kvm, int timeout,
				struct vm_out *data, struct vm_out *console)
{
	int pfd[4][2] = { { -1, -1 }, { -1, -1 }, { -1, -1 }, { -1, -1 } };
	int errp[2] = { -1, -1 };
	struct sigaction sa = { .sa_handler = on_stop }, old_int, old_term,
			 old_hup;
	struct timespec t0, now;
	enum boot_result res = BOOT_FAIL;
	int st = 0, spoke = 0, open_fds = 4, timed_out = 0, silent = 0;
	pid_t pid;

	for (int i = 0; i < 4; i++)
		if (pipe2(pfd[i], O_CLOEXEC) < 0) {
			kf_err_errno(KF_EXIT_OSERR, "cannot create a pipe");
			goto out;
		}
	/* qemu's own complaints: held back while KVM may still fail */
	if (kvm && pipe2(errp, O_CLOEXEC) < 0) {
		kf_err_errno(KF_EXIT_OSERR, "cannot create a pipe");
		goto out;
	}
	if (kf_verbose)
		kf_note("booting %s (%s) under qemu (%s)", k->vmlinuz,
			k->release ? k->release : "?",
			kvm ? "KVM" : "software emulation");
	pid = fork();
	if (pid < 0) {
		kf_err_errno(KF_EXIT_OSERR, "cannot fork");
		goto out;
	}
	if (pid == 0) {
		char ser[4][64], cmdline[1024];
		const char *argv[64], *extra = getenv("KFOLLOW_VM_APPEND");
		int n = 0, nul = open("/dev/null", O_RDWR);
		int hi[5];

		/* qemu's serial chardevs open /dev/fd/N: fds 3..6, the
		 * initramfs 7; move everything high first so no dup2
		 * overwrites a source not yet moved */
		for (int i = 0; i < 4; i++)
			hi[i] = fcntl(pfd[i][1], F_DUPFD_CLOEXEC, 100);
		hi[4] = fcntl(ifd, F_DUPFD_CLOEXEC, 100);
		for (int i = 0; i < 5; i++)
			if (hi[i] < 0 || dup2(hi[i], 3 + i) < 0)
				_exit(127);
		dup2(nul, 0);
		dup2(nul, 1);
		if (errp[1] >= 0)
			dup2(errp[1], 2);
		for (int i = 0; i < 4; i++)
			snprintf(ser[i], sizeof(ser[i]), "file:/dev/fd/%d",
				 3 + i);
		/* KFOLLOW_VM_APPEND: more kernel parameters (tests boot a
		 * guest with lockdown=confidentiality) */
		/*
		 * tsc=reliable: under emulation the kernel finds the vCPUs'
		 * TSCs "unsynchronized" (qemu64 has no constant_tsc), falls
		 * back to hpet and switches trace_clock to "global", which
		 * stands still between late ticks (6.1: 21 calls of 0 ns in
		 * one cat).  qemu's vCPUs share one TSC, so it is reliable;
		 * libguestfs boots its guests the same way.
		 */
		snprintf(cmdline, sizeof(cmdline), "console=ttyS0 quiet "
			 "loglevel=3 panic=-1 8250.nr_uarts=4 tsc=reliable%s%s",
			 extra && *extra ? " " : "", extra ? extra : "");
		argv[n++] = qemu;
		argv[n++] = "-m";
		argv[n++] = VM_MEM;
		argv[n++] = "-smp";
		argv[n++] = "2";
		argv[n++] = "-accel";
		/* multi-threaded TCG hangs guests while ftrace patches
		 * code (kernel-facts); one thread is reliable */
		argv[n++] = kvm ? "kvm" : "tcg,thread=single";
		if (kvm) {
			/* some (nested) hosts refuse the guest's
			 * IA32_ARCH_CAPABILITIES and qemu aborts */
			argv[n++] = "-cpu";
			argv[n++] = "host,-arch-capabilities";
		}
		argv[n++] = "-display";
		argv[n++] = "none";
		argv[n++] = "-monitor";
		argv[n++] = "none";
		argv[n++] = "-no-reboot";
		argv[n++] = "-nodefaults";
		for (int i = 0; i < 4; i++) {
			argv[n++] = "-serial";
			argv[n++] = ser[i];
		}
		argv[n++] = "-kernel";
		argv[n++] = k->vmlinuz;
		argv[n++] = "-initrd";
		argv[n++] = "/dev/fd/7";
		argv[n++] = "-append";
		argv[n++] = cmdline;
		argv[n] = NULL;
		for (int i = 3; i <= 7; i++)
			fcntl(i, F_SETFD, 0);
		execv(qemu, (char **)argv);
		_exit(127);
	}
	for (int i = 0; i < 4; i++) {
		close(pfd[i][1]);
		pfd[i][1] = -1;
	}
	if (errp[1] >= 0) {
		close(errp[1]);
		errp[1] = -1;
	}

	sigemptyset(&sa.sa_mask);
	vm_stop = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (open_fds > 0) {
		struct pollfd p[5];
		char buf[65536];
		int np;

		for (int i = 0; i < 5; i++) {
			p[i].fd = i < 4 ? pfd[i][0] : errp[0];
			p[i].events = POLLIN;
			p[i].revents = 0;
		}
		np = poll(p, 5, 500);
		if (np < 0 && errno != EINTR)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (kvm && !spoke && now.tv_sec - t0.tv_sec > KVM_FIRST_WORDS_S) {
			silent = 1;
			kill(pid, SIGKILL);
			break;
		}
		if (vm_stop || now.tv_sec - t0.tv_sec > timeout) {
			timed_out = !vm_stop;
			kill(pid, SIGKILL);
			break;
		}
		if (np > 0 && errp[0] >= 0 && (p[4].revents & (POLLIN | POLLHUP))) {
			ssize_t got = read(errp[0], buf, sizeof(buf));

			if (got <= 0) {
				close(errp[0]);
				errp[0] = -1;
			} else if (spoke) {
				(void)!kf_write_all(2, buf, got);
			} else {
				/* kept for the note if KVM turns out broken */
				out_add(console, buf, got);
			}
		}
		for (int i = 0; np > 0 && i < 4; i++) {
			ssize_t got;

			if (!(p[i].revents & (POLLIN | POLLHUP)) ||
			    pfd[i][0] < 0)
				continue;
			got = read(pfd[i][0], buf, sizeof(buf));
			if (got <= 0) {
				close(pfd[i][0]);
				pfd[i][0] = -1;
				open_fds--;
				continue;
			}
			if (!spoke) {
				spoke = 1;
				console->len = 0; /* drop qemu's warnings */
			}
			if (i == 0) {
				if (kf_verbose)
					(void)!kf_write_all(2, buf, got);
				if (console->len > 65536) {
					memmove(console->buf, console->buf +
						console->len - 8192, 8192);
					console->len = 8192;
				}
				out_add(console, buf, got);
			} else if (i == 1 || i == 2) {
				(void)!kf_write_all(i, buf, got);
			} else if (out_add(data, buf, got) < 0) {
				kill(pid, SIGKILL);
				open_fds = 0;
				break;
			}
		}
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	if (vm_stop) {
		kf_err(KF_EXIT_FAILURE, "interrupted: the VM was stopped");
		goto out;
	}
	if (kvm && !spoke && (silent || !data->len)) {
		res = BOOT_KVM_BROKEN;
		goto out;
	}
	if (timed_out) {
		kf_err(KF_EXIT_FAILURE, "the VM did not finish within %d s "
		       "(set KFOLLOW_VM_TIMEOUT to wait longer)", timeout);
		goto out;
	}
	if (kf_verbose > 1)
		kf_note("the VM sent %zu bytes of results", data->len);
	if (!data->buf || !memmem(data->buf, data->len, "KFEND\n", 6)) {
		if (WIFEXITED(st) && WEXITSTATUS(st) != 0)
			kf_err(KF_EXIT_UNAVAILABLE, "qemu failed (exit %d)",
			       WEXITSTATUS(st));
		else
			kf_err(KF_EXIT_FAILURE, "the VM stopped before sending "
			       "its results");
		goto out;
	}
	res = BOOT_OK;
out:
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 2; j++)
			if (pfd[i][j] >= 0)
				close(pfd[i][j]);
	if (errp[0] >= 0)
		close(errp[0]);
	if (errp[1] >= 0)
		close(errp[1]);
	return res;
}

/* The first line of text (qemu's complaint), for a one-line note. */
static void first_line(const struct vm_out *o, char *buf, size_t len)
{
	size_t n = 0;

	while (o->buf && n < o->len && o->buf[n] != '\n' && n + 1 < len) {
		buf[n] = o->buf[n];
		n++;
	}
	buf[n] = '\0';
}

/*
 * Boot the VM for r and collect what its ttyS3 sent (the framed /out
 * files) into data.  Copies ttyS1/ttyS2 to our stdout/stderr.  KVM when
 * it works, else software emulation (saying why KVM was left).
 */
static int vm_run(const struct kf_vm_request *r, struct vm_out *data)
{
	struct kf_vm_kernel k = { 0 };
	struct vm_out console = { 0 };
	char tmpl[] = "/tmp/kfollow-initrd-XXXXXX";
	int ifd = -1, rc = -1, timeout = r->timeout_s, kvm = accel_kvm();
	enum boot_result res;
	FILE *f = NULL;
	char *qemu;

	qemu = vm_which("qemu-system-x86_64");
	if (!qemu)
		return kf_err(KF_EXIT_UNAVAILABLE, "--vm needs "
			      "qemu-system-x86_64: install qemu-system-x86 "
			      "(apt-get install qemu-system-x86)");
	if (!timeout) {
		const char *e = getenv("KFOLLOW_VM_TIMEOUT");

		timeout = e && atoi(e) > 0 ? atoi(e) :
			  r->script ? VM_TIMEOUT_SCRIPT : VM_TIMEOUT_CAPTURE;
	}
	/* the initramfs: an unlinked temporary file qemu reads by fd (each
	 * boot opens /dev/fd/7 afresh, from the start) */
	ifd = mkostemp(tmpl, O_CLOEXEC);
	if (ifd < 0) {
		kf_err_errno(KF_EXIT_OSERR, "cannot create '%s'", tmpl);
		goto out;
	}
	unlink(tmpl);
	f = fdopen(ifd, "w");
	if (!f) {
		kf_err_errno(KF_EXIT_OSERR, "cannot write the initramfs");
		goto out;
	}
	if (vm_build_initramfs(r, f) < 0)
		goto out;
	if (fflush(f) != 0) {
		kf_err_errno(KF_EXIT_OSERR, "cannot write the initramfs");
		goto out;
	}
	/* the kernel last: what the user named for the guest is checked
	 * before a first run downloads a kernel */
	if (kf_vm_kernel_find(r->kernel, &k) < 0)
		goto out;
	res = vm_boot(qemu, &k, ifd, kvm, timeout, data, &console);
	if (res == BOOT_KVM_BROKEN) {
		char why[160];

		first_line(&console, why, sizeof(why));
		kf_note("KVM did not boot the VM (%s); using software "
			"emulation, now and for later runs on this host "
			"kernel (remembered in the cache as kvm-broken)",
			why[0] ? why : "the guest stayed silent");
		kvm_memo_write();
		console.len = 0;
		data->len = 0;
		res = vm_boot(qemu, &k, ifd, 0, timeout, data, &console);
	}
	if (res == BOOT_OK) {
		rc = 0;
		goto out;
	}
	/* the kernel's last words explain most failures */
	if (console.buf && console.len && !kf_verbose && !vm_stop) {
		const char *s = console.buf + console.len;
		int lines = 0;

		while (s > console.buf && lines < 12)
			if (*--s == '\n')
				lines++;
		fprintf(stderr, "kfollow: the VM console ended with:\n%.*s\n",
			(int)(console.buf + console.len - s), s);
	}
out:
	if (f)
		fclose(f);
	else if (ifd >= 0)
		close(ifd);
	free(console.buf);
	free(qemu);
	kf_vm_kernel_release(&k);
	return rc;
}

/*
 * Walk the framed files in data; for each call fn(name, bytes, len, ctx).
 * Names are plain file names: no '/', not "." or "..".
 */
static int frames_each(const struct vm_out *d,
		       int (*fn)(const char *, const char *, size_t, void *),
		       void *ctx)
{
	const char *p = d->buf, *end = d->buf + d->len;

	while (p < end) {
		char name[256];
		unsigned long long size;
		const char *nl = memchr(p, '\n', end - p);
		int rc;

		if (!nl)
			break;
		if (!strncmp(p, "KFEND\n", 6))
			return 0;
		if (nl - p > 300 ||
		    sscanf(p, "KFOUT %255s %llu", name, &size) != 2 ||
		    strchr(name, '/') || name[0] == '.' ||
		    size > (uint64_t)(end - nl - 1))
			return kf_err(KF_EXIT_DATAERR, "the VM sent a damaged "
				      "result stream");
		rc = fn(name, nl + 1, size, ctx);
		if (rc < 0)
			return rc;
		p = nl + 1 + size;
	}
	return kf_err(KF_EXIT_DATAERR, "the VM's result stream ended early");
}

/* Write a file the VM sent to path (replaced, never through a link). */
static int save_file(const char *path, const char *b, size_t n)
{
	int fd, rc = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		  0644);
	if (fd < 0 || kf_write_all(fd, b, n) < 0)
		rc = kf_err_errno(KF_EXIT_IOERR, "cannot write '%s'", path);
	if (fd >= 0 && close(fd) < 0 && rc == 0)
		rc = kf_err_errno(KF_EXIT_IOERR, "cannot write '%s'", path);
	return rc;
}

struct capture_ctx {
	struct kf_model *m;
	const char *dat;
	int status, have_status, have_capture, have_dat;
};

static int on_capture_file(const char *name, const char *b, size_t n,
			   void *vctx)
{
	struct capture_ctx *c = vctx;

	if (!strcmp(name, "status")) {
		c->status = atoi(b);
		c->have_status = 1;
	} else if (!strcmp(name, "capture.json")) {
		if (kf_capfile_parse(b, n, c->m, "capture from the VM") < 0)
			return -1;
		c->have_capture = 1;
	} else if (!strcmp(name, "capture.dat") && c->dat) {
		if (save_file(c->dat, b, n) < 0)
			return -1;
		c->have_dat = 1;
	}
	return 0;
}

int kf_vm_capture(const struct kf_vm_request *r, struct kf_model *m,
		  int *cmd_status)
{
	struct vm_out d = { 0 };
	struct capture_ctx c = { .m = m, .dat = r->dat };
	int rc = -1;

	if (vm_run(r, &d) < 0)
		goto out;
	if (frames_each(&d, on_capture_file, &c) < 0)
		goto out;
	if (!c.have_capture) {
		kf_err(c.have_status && c.status ? c.status : KF_EXIT_FAILURE,
		       "kfollow in the VM made no capture (exit %d; its "
		       "message is above)", c.status);
		goto out;
	}
	if (r->dat && !c.have_dat) {
		kf_err(KF_EXIT_FAILURE, "kfollow in the VM wrote no trace-cmd "
		       "file for '%s' (its message is above)", r->dat);
		goto out;
	}
	kf_meta_set(&m->meta.source, "vm");
	*cmd_status = c.have_status ? c.status : 0;
	rc = 0;
out:
	free(d.buf);
	return rc;
}

struct script_ctx {
	const char *dir;
	int status;
};

static int on_script_file(const char *name, const char *b, size_t n,
			  void *vctx)
{
	struct script_ctx *c = vctx;
	char *path = NULL;
	int rc;

	if (!strcmp(name, "status"))
		c->status = atoi(b);
	if (!c->dir)
		return 0;
	if (asprintf(&path, "%s/%s", c->dir, name) < 0)
		return kf_err(KF_EXIT_OSERR, "out of memory");
	rc = save_file(path, b, n);
	free(path);
	return rc;
}

int kf_vm_script(const struct kf_vm_request *r, int *status)
{
	struct vm_out d = { 0 };
	struct script_ctx c = { .dir = r->out_dir, .status = 0 };
	int rc = -1;

	if (access(r->script, R_OK) < 0)
		return kf_err_errno(KF_EXIT_NOINPUT, "cannot read script '%s'",
				    r->script);
	if (r->out_dir && vm_mkdir_p(r->out_dir) < 0)
		return -1;
	if (vm_run(r, &d) < 0)
		goto out;
	if (frames_each(&d, on_script_file, &c) < 0)
		goto out;
	*status = c.status;
	rc = 0;
out:
	free(d.buf);
	return rc;
}
