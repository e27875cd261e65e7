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
#include <zlib.h>

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

/* The guest's kernel command line into buf.  KFOLLOW_VM_APPEND: more
 * kernel parameters (tests boot a guest with lockdown=confidentiality). */
static void guest_cmdline(char *buf, size_t len)
{
	const char *extra = getenv("KFOLLOW_VM_APPEND");

	/*
	 * tsc=reliable: under emulation the kernel finds the vCPUs' TSCs
	 * "unsynchronized" (qemu64 has no constant_tsc), falls back to hpet
	 * and switches trace_clock to "global", which stands still between
	 * late ticks (6.1: 21 calls of 0 ns in one cat).  qemu's vCPUs share
	 * one TSC, so it is reliable; libguestfs boots its guests the same
	 * way.
	 */
	/*
	 * nokaslr: the kernel at the same address every boot, so the
	 * function tables one boot's kfollow read (kf_ktab.h, shipped back
	 * in the initramfs) stay right for the next.
	 */
	/*
	 * rcupdate.rcu_expedited=1: tracefs waits for RCU grace periods as
	 * it takes things down (disabling and removing event probes,
	 * clearing set_event_pid, clearing the ring, switching a tracer
	 * off), and under emulation a normal grace period takes tens of
	 * milliseconds of ticks.  Expedited ones force the wait with IPIs:
	 * in a 6.1 guest the event probes' disable went from 98-113 ms to
	 * under 10, their removal from 63-69 ms to under 10.  A throwaway
	 * guest pays nothing for the IPIs.
	 */
	snprintf(buf, len, "console=ttyS0 quiet loglevel=3 panic=-1 "
		 "8250.nr_uarts=4 tsc=reliable nokaslr "
		 "rcupdate.rcu_expedited=1%s%s",
		 extra && *extra ? " " : "", extra ? extra : "");
}

/* qemu's command line; argv points into the struct itself, at qemu and
 * at the kernel's vmlinuz (nothing to free). */
struct qemu_cmd {
	const char *argv[64];
	char ser[4][64];
	char cmdline[1024];
	char drive[PATH_MAX + 64];
	char ktab[PATH_MAX + 64];
};

/* Fill c to boot k with qemu: the serial lines on /dev/fd/3..6, the
 * initramfs on /dev/fd/7, KVM or single-threaded TCG. */
static void qemu_cmd_build(struct qemu_cmd *c, const char *qemu,
			   const struct kf_vm_kernel *k, int kvm,
			   const char *disk, const char *ktab_ret)
{
	int n = 0;

	for (int i = 0; i < 4; i++)
		snprintf(c->ser[i], sizeof(c->ser[i]), "file:/dev/fd/%d",
			 3 + i);
	guest_cmdline(c->cmdline, sizeof(c->cmdline));
	c->argv[n++] = qemu;
	c->argv[n++] = "-m";
	c->argv[n++] = VM_MEM;
	c->argv[n++] = "-smp";
	c->argv[n++] = "2";
	c->argv[n++] = "-accel";
	/* multi-threaded TCG hangs guests while ftrace patches code
	 * (kernel-facts); one thread is reliable */
	c->argv[n++] = kvm ? "kvm" : "tcg,thread=single";
	if (kvm) {
		/* some (nested) hosts refuse the guest's
		 * IA32_ARCH_CAPABILITIES and qemu aborts */
		c->argv[n++] = "-cpu";
		c->argv[n++] = "host,-arch-capabilities";
	}
	c->argv[n++] = "-display";
	c->argv[n++] = "none";
	c->argv[n++] = "-monitor";
	c->argv[n++] = "none";
	c->argv[n++] = "-no-reboot";
	c->argv[n++] = "-nodefaults";
	for (int i = 0; i < 4; i++) {
		c->argv[n++] = "-serial";
		c->argv[n++] = c->ser[i];
	}
	if (disk) {
		/* --vm-disk: a virtio-blk disk, /dev/vda in the guest; its
		 * writes need not outlive the VM */
		snprintf(c->drive, sizeof(c->drive), "file=%s,format=raw,"
			 "if=virtio,cache=unsafe", disk);
		c->argv[n++] = "-drive";
		c->argv[n++] = c->drive;
	}
	if (ktab_ret) {
		/* the way back for the guest's kfollow's tables (~3 MB: the
		 * serial lines carry ~7 KB/s); virtio's console is built
		 * into 6.12 and later, a module on 6.1 (then unused) */
		snprintf(c->ktab, sizeof(c->ktab), "file,id=kfkt,path=%s",
			 ktab_ret);
		c->argv[n++] = "-device";
		c->argv[n++] = "virtio-serial-pci,id=kfvs";
		c->argv[n++] = "-chardev";
		c->argv[n++] = c->ktab;
		c->argv[n++] = "-device";
		c->argv[n++] = "virtserialport,bus=kfvs.0,chardev=kfkt,"
			       "name=" KF_VM_KTAB_PORT;
	}
	c->argv[n++] = "-kernel";
	c->argv[n++] = k->vmlinux ? k->vmlinux : k->vmlinuz;
	c->argv[n++] = "-initrd";
	c->argv[n++] = "/dev/fd/7";
	c->argv[n++] = "-append";
	c->argv[n++] = c->cmdline;
	c->argv[n] = NULL;
}

/* One boot of qemu while it runs: its pipes (-1 once closed; boot_close
 * closes the rest), what the guest said so far and why the wait ended.
 * data and console belong to vm_boot's caller. */
struct boot {
	pid_t pid;
	int kvm, timeout;
	int ser[4][2];		/* ttyS0..3: [0] ours, [1] qemu's */
	int err[2];		/* qemu's stderr, with KVM only */
	int open_fds;		/* serial lines not yet at end of file */
	int spoke;		/* the guest sent its first byte */
	int silent;		/* killed: KVM stayed silent */
	int timed_out;		/* killed: the timeout passed */
	int stopped;		/* killed: the front end asked to stop */
	int out_fd;		/* where ttyS1 goes: our stdout or r->out_fd */
	char line[256];		/* the console line being read, for the */
	size_t nline;		/* guest's progress lines */
	struct timespec t0;
	struct vm_out *data, *console;
	const char *disk;	/* --vm-disk's image, or NULL */
	const char *ktab_ret;	/* where the guest's tables come back */
};

/* The four serial pipes and, with KVM, one for qemu's own complaints
 * (held back while KVM may still fail).  Returns 0 or -1 (kf_err);
 * boot_close closes what was made either way. */
static int boot_pipes(struct boot *b)
{
	for (int i = 0; i < 4; i++)
		if (pipe2(b->ser[i], O_CLOEXEC) < 0)
			return kf_err_errno(KF_EXIT_OSERR,
					    "cannot create a pipe");
	if (b->kvm && pipe2(b->err, O_CLOEXEC) < 0)
		return kf_err_errno(KF_EXIT_OSERR, "cannot create a pipe");
	return 0;
}

/* Close whatever of b's pipes is still open. */
static void boot_close(struct boot *b)
{
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 2; j++)
			if (b->ser[i][j] >= 0)
				close(b->ser[i][j]);
	if (b->err[0] >= 0)
		close(b->err[0]);
	if (b->err[1] >= 0)
		close(b->err[1]);
}

/* In the forked child: put the pipes and the initramfs ifd where qemu
 * looks for them and exec qemu.  Never returns (_exit(127) on failure). */
static void qemu_exec(const struct boot *b, const char *qemu,
		      const struct kf_vm_kernel *k, int ifd)
{
	struct qemu_cmd c;
	int nul = open("/dev/null", O_RDWR);
	int hi[5];

	/* qemu's serial chardevs open /dev/fd/N: fds 3..6, the initramfs
	 * 7; move everything high first so no dup2 overwrites a source not
	 * yet moved */
	for (int i = 0; i < 4; i++)
		hi[i] = fcntl(b->ser[i][1], F_DUPFD_CLOEXEC, 100);
	hi[4] = fcntl(ifd, F_DUPFD_CLOEXEC, 100);
	for (int i = 0; i < 5; i++)
		if (hi[i] < 0 || dup2(hi[i], 3 + i) < 0)
			_exit(127);
	dup2(nul, 0);
	dup2(nul, 1);
	if (b->err[1] >= 0)
		dup2(b->err[1], 2);
	qemu_cmd_build(&c, qemu, k, b->kvm, b->disk, b->ktab_ret);
	for (int i = 3; i <= 7; i++)
		fcntl(i, F_SETFD, 0);
	execv(qemu, (char **)c.argv);
	_exit(127);
}

/* Start qemu on b's pipes and close our copies of their write ends.
 * Returns 0 (b->pid set) or -1 (kf_err). */
static int boot_spawn(struct boot *b, const char *qemu,
		      const struct kf_vm_kernel *k, int ifd)
{
	if (kf_verbose)
		kf_note("booting %s (%s) under qemu (%s)", k->vmlinuz,
			k->release ? k->release : "?",
			b->kvm ? "KVM" : "software emulation");
	b->pid = fork();
	if (b->pid < 0)
		return kf_err_errno(KF_EXIT_OSERR, "cannot fork");
	if (b->pid == 0)
		qemu_exec(b, qemu, k, ifd);
	for (int i = 0; i < 4; i++) {
		close(b->ser[i][1]);
		b->ser[i][1] = -1;
	}
	if (b->err[1] >= 0) {
		close(b->err[1]);
		b->err[1] = -1;
	}
	return 0;
}

/* After each poll: kill qemu if KVM stayed silent too long, the timeout
 * passed or we were told to stop.  Returns 1 when the wait is over. */
static int boot_expired(struct boot *b)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (b->kvm && !b->spoke &&
	    now.tv_sec - b->t0.tv_sec > KVM_FIRST_WORDS_S) {
		b->silent = 1;
		kill(b->pid, SIGKILL);
		return 1;
	}
	if (vm_progress_tick()) {
		b->stopped = 1;
		kill(b->pid, SIGKILL);
		return 1;
	}
	if (vm_stop || now.tv_sec - b->t0.tv_sec > b->timeout) {
		b->timed_out = !vm_stop;
		kill(b->pid, SIGKILL);
		return 1;
	}
	return 0;
}

/* Read qemu's stderr once: passed on once the guest has spoken, kept in
 * the console before; closed at its end. */
static void pump_err(struct boot *b, char *buf, size_t size)
{
	ssize_t got = read(b->err[0], buf, size);

	if (got <= 0) {
		close(b->err[0]);
		b->err[0] = -1;
	} else if (b->spoke) {
		(void)!kf_write_all(2, buf, got);
	} else {
		/* kept for the note if KVM turns out broken */
		out_add(b->console, buf, got);
	}
}

/* Add to the console (shown on stderr with -v), keeping its tail. */
static void console_add(struct vm_out *c, const char *buf, size_t got)
{
	if (kf_verbose)
		(void)!kf_write_all(2, buf, got);
	if (c->len > 65536) {
		memmove(c->buf, c->buf + c->len - 8192, 8192);
		c->len = 8192;
	}
	out_add(c, buf, got);
}

/* Follow the guest's progress lines in what the console said. */
static void console_progress(struct boot *b, const char *buf, size_t got)
{
	for (size_t i = 0; i < got; i++) {
		enum kf_stage s;
		uint64_t events;

		if (buf[i] == '\r')
			continue;
		if (buf[i] != '\n') {
			if (b->nline + 1 < sizeof(b->line))
				b->line[b->nline++] = buf[i];
			continue;
		}
		b->line[b->nline] = '\0';
		b->nline = 0;
		if (kf_progress_guest_parse(b->line, &s, &events)) {
			vm_progress_stage(s, "in the VM");
			vm_progress_count(0, events);
		}
	}
}

/* Read serial line i once: ttyS0 to the console, ttyS1/ttyS2 to our
 * stdout/stderr, ttyS3 to data; closed at its end.  Returns -1 when data
 * overflowed (kf_err; qemu is killed and the wait over), else 0. */
static int pump_serial(struct boot *b, int i, char *buf, size_t size)
{
	ssize_t got = read(b->ser[i][0], buf, size);

	if (got <= 0) {
		close(b->ser[i][0]);
		b->ser[i][0] = -1;
		b->open_fds--;
		return 0;
	}
	if (!b->spoke) {
		b->spoke = 1;
		b->console->len = 0; /* drop qemu's warnings */
	}
	if (i == 0) {
		console_add(b->console, buf, got);
		console_progress(b, buf, got);
	} else if (i == 1 || i == 2) {
		(void)!kf_write_all(i == 1 ? b->out_fd : 2, buf, got);
	} else if (out_add(b->data, buf, got) < 0) {
		kill(b->pid, SIGKILL);
		b->open_fds = 0;
		return -1;
	} else {
		vm_progress_stage(KF_STAGE_RESULTS, NULL);
		vm_progress_count(b->data->len, 0);
	}
	return 0;
}

/* Pump the serial lines and qemu's stderr until every line has ended,
 * poll fails or boot_expired kills qemu. */
static void boot_pump(struct boot *b)
{
	char buf[65536];

	clock_gettime(CLOCK_MONOTONIC, &b->t0);
	while (b->open_fds > 0) {
		struct pollfd p[5];
		int np;

		for (int i = 0; i < 5; i++) {
			p[i].fd = i < 4 ? b->ser[i][0] : b->err[0];
			p[i].events = POLLIN;
			p[i].revents = 0;
		}
		np = poll(p, 5, 500);
		if (np < 0 && errno != EINTR)
			break;
		if (boot_expired(b))
			break;
		if (np > 0 && b->err[0] >= 0 &&
		    (p[4].revents & (POLLIN | POLLHUP)))
			pump_err(b, buf, sizeof(buf));
		for (int i = 0; np > 0 && i < 4; i++) {
			if (!(p[i].revents & (POLLIN | POLLHUP)) ||
			    b->ser[i][0] < 0)
				continue;
			if (pump_serial(b, i, buf, sizeof(buf)) < 0)
				break;
		}
	}
}

/* boot_pump with SIGINT, SIGTERM and SIGHUP setting vm_stop, then reap
 * qemu.  Returns its wait status. */
static int boot_wait(struct boot *b)
{
	struct sigaction sa = { .sa_handler = on_stop }, old_int, old_term,
			 old_hup;
	int st = 0;

	sigemptyset(&sa.sa_mask);
	vm_stop = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	boot_pump(b);
	while (waitpid(b->pid, &st, 0) < 0 && errno == EINTR)
		;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	return st;
}

/* What the finished boot b came to (st: qemu's wait status); kf_err says
 * why for BOOT_FAIL. */
static enum boot_result boot_verdict(const struct boot *b, int st)
{
	const struct vm_out *data = b->data;

	if (vm_stop) {
		kf_err(KF_EXIT_FAILURE, "interrupted: the VM was stopped");
		return BOOT_FAIL;
	}
	if (b->stopped) {
		vm_progress_stop_err();
		return BOOT_FAIL;
	}
	if (b->kvm && !b->spoke && (b->silent || !data->len))
		return BOOT_KVM_BROKEN;
	if (b->timed_out) {
		kf_err(KF_EXIT_FAILURE, "the VM did not finish within %d s "
		       "(set KFOLLOW_VM_TIMEOUT to wait longer)", b->timeout);
		return BOOT_FAIL;
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
		return BOOT_FAIL;
	}
	return BOOT_OK;
}

/*
 * Run qemu once on the initramfs in ifd (read through /dev/fd/7) and pump
 * its four serial lines: console into *console, ttyS1/ttyS2 to our
 * stdout/stderr, ttyS3 into data.  With kvm, a qemu that dies or stays
 * silent before the guest's first byte is BOOT_KVM_BROKEN (nothing was
 * passed on, so the caller can boot again without KVM).
 */
static enum boot_result vm_boot(const char *qemu, const struct kf_vm_kernel *k,
				int ifd, int kvm, int timeout, const char *disk,
				const char *ktab_ret, int out_fd,
				struct vm_out *data, struct vm_out *console)
{
	struct boot b = {
		.kvm = kvm, .timeout = timeout, .open_fds = 4,
		.ser = { { -1, -1 }, { -1, -1 }, { -1, -1 }, { -1, -1 } },
		.err = { -1, -1 }, .data = data, .console = console,
		.disk = disk, .ktab_ret = ktab_ret,
		.out_fd = out_fd > 0 ? out_fd : 1,
	};
	enum boot_result res = BOOT_FAIL;

	if (vm_progress_stage(KF_STAGE_BOOT, kvm ? "KVM" :
			      "software emulation") < 0)
		return BOOT_FAIL;
	if (boot_pipes(&b) == 0 && boot_spawn(&b, qemu, k, ifd) == 0)
		res = boot_verdict(&b, boot_wait(&b));
	boot_close(&b);
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

/* The VM's timeout in seconds: r's, else $KFOLLOW_VM_TIMEOUT, else the
 * default for a capture or a script. */
static int vm_timeout(const struct kf_vm_request *r)
{
	const char *e = getenv("KFOLLOW_VM_TIMEOUT");

	if (r->timeout_s)
		return r->timeout_s;
	return e && atoi(e) > 0 ? atoi(e) :
	       r->script ? VM_TIMEOUT_SCRIPT : VM_TIMEOUT_CAPTURE;
}

/* The initramfs for r in an unlinked temporary file qemu reads by fd
 * (each boot opens /dev/fd/7 afresh, from the start).  Returns it open
 * (the caller fcloses it), or NULL (kf_err). */
static FILE *initramfs_open(const struct kf_vm_request *r, char *const *mods,
			    const char *ktab)
{
	char tmpl[] = "/tmp/kfollow-initrd-XXXXXX";
	int fd = mkostemp(tmpl, O_CLOEXEC);
	FILE *f;

	if (fd < 0) {
		kf_err_errno(KF_EXIT_OSERR, "cannot create '%s'", tmpl);
		return NULL;
	}
	unlink(tmpl);
	f = fdopen(fd, "w");
	if (!f) {
		kf_err_errno(KF_EXIT_OSERR, "cannot write the initramfs");
		close(fd);
		return NULL;
	}
	if (vm_build_initramfs(r, mods, ktab, f) < 0) {
		fclose(f);
		return NULL;
	}
	if (fflush(f) != 0) {
		kf_err_errno(KF_EXIT_OSERR, "cannot write the initramfs");
		fclose(f);
		return NULL;
	}
	return f;
}

/* vm_boot, and with kvm once more under software emulation when KVM
 * turns out not to boot the guest here (remembered in the cache). */
static enum boot_result vm_boot_any(const char *qemu,
				    const struct kf_vm_kernel *k, int ifd,
				    int kvm, int timeout, const char *disk,
				    const char *ktab_ret, int out_fd,
				    struct vm_out *data, struct vm_out *console)
{
	enum boot_result res;
	char why[160];

	res = vm_boot(qemu, k, ifd, kvm, timeout, disk, ktab_ret, out_fd,
		      data, console);
	if (res != BOOT_KVM_BROKEN)
		return res;
	first_line(console, why, sizeof(why));
	kf_note("KVM did not boot the VM (%s); using software "
		"emulation, now and for later runs on this host "
		"kernel (remembered in the cache as kvm-broken)",
		why[0] ? why : "the guest stayed silent");
	kvm_memo_write();
	console->len = 0;
	data->len = 0;
	return vm_boot(qemu, k, ifd, 0, timeout, disk, ktab_ret, out_fd, data,
		       console);
}

/* After a failed boot: the kernel's last words explain most failures
 * (shown unless -v showed the whole console or the user stopped it). */
static void console_last_words(const struct vm_out *console)
{
	const char *s;
	int lines = 0;

	if (!console->buf || !console->len || kf_verbose || vm_stop ||
	    vm_progress_stopped())
		return;
	s = console->buf + console->len;
	while (s > console->buf && lines < 12)
		if (*--s == '\n')
			lines++;
	fprintf(stderr, "kfollow: the VM console ended with:\n%.*s\n",
		(int)(console->buf + console->len - s), s);
}

/* kf_vm_kernel_find for r, as a stage of the run. */
static int kernel_find(const struct kf_vm_request *r, struct kf_vm_kernel *k)
{
	if (vm_progress_stage(KF_STAGE_KERNEL, r->kernel && *r->kernel ?
			      r->kernel : "bookworm") < 0)
		return -1;
	return kf_vm_kernel_find(r->kernel, k);
}

/*
 * The kernel's function tables between --vm runs (kf_ktab.h).  The guest
 * boots without KASLR, so the tables one boot's kfollow read from its
 * kernel stay right for the next boot of that kernel: the guest sends
 * them back over a virtio port when its kfollow read them anew, and
 * later boots get them in the initramfs, where the guest's kfollow
 * checks their key against the running kernel as on any machine.  Kept
 * per kernel spec in the cache: ktab-SPEC.  The caller frees the path;
 * NULL: no cache directory.
 */
static char *ktab_host_path(const struct kf_vm_request *r)
{
	const char *spec = r->kernel && *r->kernel ? r->kernel : "bookworm";
	char *d = vm_cache_dir(), *p = NULL, name[96];
	size_t n = 0;

	for (; *spec && n < sizeof(name) - 1; spec++)
		name[n++] = isalnum((unsigned char)*spec) ||
			    strchr(".-_", *spec) ? *spec : '_';
	name[n] = '\0';
	if (d && asprintf(&p, "%s/ktab-%s", d, name) < 0)
		p = NULL;
	free(d);
	return p;
}

/* Remove the port files (host.port.PID) of runs that were killed before
 * they could: each is up to a few MB. */
static void ktab_sweep(const char *host)
{
	char *pat = NULL;
	glob_t g;

	if (asprintf(&pat, "%s.port.*", host) < 0)
		return;
	if (glob(pat, GLOB_NOSORT, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++) {
			const char *dot = strrchr(g.gl_pathv[i], '.');
			char *end;
			long pid = strtol(dot + 1, &end, 10);

			if (*end == '\0' && pid > 0 && pid != getpid() &&
			    kill((pid_t)pid, 0) < 0 && errno == ESRCH)
				unlink(g.gl_pathv[i]);
		}
		globfree(&g);
	}
	free(pat);
}

/* What came back on the port: kept as host if it is a table file (the
 * guest's kfollow parses it again, checked, on the next boot), else
 * dropped. */
static void ktab_keep(const char *ret, const char *host)
{
	static const char magic[] = "kfollow-ktab 1 ";
	char head[sizeof(magic) - 1];
	struct stat st;
	int fd = open(ret, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), keep = 0;

	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size > (off_t)sizeof(head) && st.st_size < (64 << 20) &&
	    read(fd, head, sizeof(head)) == (ssize_t)sizeof(head) &&
	    !memcmp(head, magic, sizeof(head)) && fchmod(fd, 0600) == 0)
		keep = rename(ret, host) == 0;
	if (fd >= 0)
		close(fd);
	if (!keep)
		unlink(ret);
	else if (kf_verbose)
		kf_note("kept the VM kernel's tables in '%s'", host);
}

/*
 * Boot the VM for r and collect what its ttyS3 sent (the framed /out
 * files) into data.  Copies ttyS1/ttyS2 to our stdout/stderr.  KVM when
 * it works, else software emulation (saying why KVM was left).
 */
static int vm_run(const struct kf_vm_request *r, struct vm_out *data)
{
	struct vm_disk disk = { 0 }, port = { 0 };
	struct kf_vm_kernel k = { 0 };
	struct vm_out console = { 0 };
	int rc = -1, timeout, kvm = accel_kvm();
	FILE *f = NULL;
	char *qemu, *ktab = ktab_host_path(r), *ktab_ret = NULL;

	/* what the user named for the disk, before anything is fetched */
	for (int i = 0; r->disk && r->disk[i]; i++)
		if (access(r->disk[i], R_OK) < 0)
			return kf_err_errno(KF_EXIT_NOINPUT, "cannot put '%s' "
					    "on --vm-disk", r->disk[i]);
	qemu = vm_which("qemu-system-x86_64");
	if (!qemu)
		return kf_err(KF_EXIT_UNAVAILABLE, "--vm needs "
			      "qemu-system-x86_64: install qemu-system-x86 "
			      "(apt-get install qemu-system-x86)");
	timeout = vm_timeout(r);
	if (r->disk) {
		/* the disk's modules are the kernel's: kernel first */
		if (kernel_find(r, &k) < 0 ||
		    vm_disk_build(r, &k, r->kernel, &disk) < 0 ||
		    vm_progress_stage(KF_STAGE_INITRAMFS, NULL) < 0 ||
		    !(f = initramfs_open(r, disk.mods.v, ktab)))
			goto out;
	} else {
		if (vm_progress_stage(KF_STAGE_INITRAMFS, NULL) < 0)
			goto out;
		f = initramfs_open(r, NULL, ktab);
		/* the kernel last: what the user named for the guest is
		 * checked before a first run downloads a kernel */
		if (!f || kernel_find(r, &k) < 0)
			goto out;
	}
	/* the tables' way back, where its driver is a module (6.1): only
	 * slower without it (the next boot reads its kernel's tables) */
	if (ktab && (vm_port_mods(&k, &port) < 0 ||
		     (port.mods.n && vm_cpio_append_port(f, port.mods.v) < 0))) {
		if (kf_verbose)
			kf_note("no way back for the kernel's tables: %s",
				kf_err_msg());
		kf_err_clear();
	}
	if (ktab)
		ktab_sweep(ktab);
	if (ktab && asprintf(&ktab_ret, "%s.port.%d", ktab, (int)getpid()) < 0)
		ktab_ret = NULL;
	if (vm_boot_any(qemu, &k, fileno(f), kvm, timeout, disk.img,
			ktab_ret, r->out_fd, data, &console) == BOOT_OK)
		rc = 0;
	else
		console_last_words(&console);
	if (ktab_ret)
		ktab_keep(ktab_ret, ktab);
out:
	free(ktab);
	free(ktab_ret);
	vm_disk_destroy(&disk);
	vm_disk_destroy(&port);
	if (f)
		fclose(f);
	free(console.buf);
	free(qemu);
	kf_vm_kernel_release(&k);
	return rc;
}

/* A file the VM sent gzipped (KFOUTZ), inflated into *out (the caller
 * frees it): at most 1 GiB, whatever the stream claims. */
#define VM_MAX_FILE (1ull << 30)

static int inflate_frame(const char *name, const char *b, size_t n,
			 char **out, size_t *outlen)
{
	z_stream z;
	size_t cap = n * 8 + 4096, len = 0;
	char *buf = malloc(cap);
	int zr = Z_OK;

	memset(&z, 0, sizeof(z));
	if (!buf || inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
		free(buf);
		return kf_err(KF_EXIT_OSERR, "out of memory");
	}
	z.next_in = (unsigned char *)b;
	z.avail_in = (uInt)n;
	while (zr != Z_STREAM_END) {
		if (len == cap) {
			char *nb = cap >= VM_MAX_FILE ? NULL :
				   realloc(buf, cap *= 2);

			if (!nb) {
				zr = Z_MEM_ERROR;
				break;
			}
			buf = nb;
		}
		z.next_out = (unsigned char *)buf + len;
		z.avail_out = (uInt)(cap - len > (1u << 30) ? (1u << 30) :
				     cap - len);
		zr = inflate(&z, Z_NO_FLUSH);
		len = (size_t)((char *)z.next_out - buf);
		if (zr != Z_OK && zr != Z_STREAM_END)
			break;
		if (zr == Z_OK && z.avail_in == 0 && z.avail_out != 0) {
			zr = Z_DATA_ERROR;	/* cut short */
			break;
		}
	}
	inflateEnd(&z);
	if (zr != Z_STREAM_END) {
		free(buf);
		return kf_err(KF_EXIT_DATAERR, "the VM sent a damaged '%s' "
			      "(gzip: %s)", name, zr == Z_MEM_ERROR ?
			      "over 1 GiB or out of memory" : "corrupt");
	}
	*out = buf;
	*outlen = len;
	return 0;
}

/*
 * Walk the framed files in data; for each call fn(name, bytes, len, ctx).
 * "KFOUT NAME SIZE" frames a file as it is, "KFOUTZ NAME SIZE" gzipped.
 * Names are plain file names: no '/', not "." or "..".
 */
static int frames_each(const struct vm_out *d,
		       int (*fn)(const char *, const char *, size_t, void *),
		       void *ctx)
{
	const char *p = d->buf, *end = d->buf + d->len;

	while (p < end) {
		char name[256], kw[8];
		unsigned long long size;
		const char *nl = memchr(p, '\n', end - p);
		char *z = NULL;
		size_t zlen = 0;
		int rc;

		if (!nl)
			break;
		if (!strncmp(p, "KFEND\n", 6))
			return 0;
		if (nl - p > 300 ||
		    sscanf(p, "%7s %255s %llu", kw, name, &size) != 3 ||
		    (strcmp(kw, "KFOUT") && strcmp(kw, "KFOUTZ")) ||
		    strchr(name, '/') || name[0] == '.' ||
		    size > (uint64_t)(end - nl - 1))
			return kf_err(KF_EXIT_DATAERR, "the VM sent a damaged "
				      "result stream");
		if (kw[5] == 'Z') {
			if (inflate_frame(name, nl + 1, size, &z, &zlen) < 0)
				return -1;
			rc = fn(name, z, zlen, ctx);
			free(z);
		} else {
			rc = fn(name, nl + 1, size, ctx);
		}
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

	vm_progress_begin(r->progress, r->progress_ctx);
	rc = vm_run(r, &d);
	vm_progress_end();
	if (rc < 0)
		goto out;
	rc = -1;
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
	vm_progress_begin(r->progress, r->progress_ctx);
	rc = vm_run(r, &d);
	vm_progress_end();
	if (rc < 0)
		goto out;
	rc = -1;
	if (frames_each(&d, on_script_file, &c) < 0)
		goto out;
	*status = c.status;
	rc = 0;
out:
	free(d.buf);
	return rc;
}
