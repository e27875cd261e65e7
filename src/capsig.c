// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * capsig.c - a live capture's signals: the ones that stop the run (the
 * handler notes the signal, forwards it to the command and wakes the read
 * loop through a self-pipe), the crashes that restore tracefs on the way
 * down, and putting kfollow's own handlers back afterwards.
 *
 * The state the handlers read lives here alone; the other parts of the
 * capture reach it through the cap_sig_* calls in capture-int.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "kf_capture.h"
#include "kf_common.h"
#include "kf_journal.h"
#include "kf_tracer.h"
#include "capture-int.h"

static volatile sig_atomic_t stop_signal;
static int sig_pipe[2] = { -1, -1 };
static pid_t forward_pid;

static void on_signal(int sig)
{
	int e = errno;

	if (!stop_signal)
		stop_signal = sig;
	if (forward_pid > 0)
		kill(forward_pid, sig);
	if (sig_pipe[1] >= 0)
		(void)!write(sig_pipe[1], "", 1);
	errno = e;
}

/* The command exited: wake the read loop now, not at its next tick (50
 * ms); waitpid there reaps it. */
static void on_child(int sig)
{
	int e = errno;

	(void)sig;
	if (sig_pipe[1] >= 0)
		(void)!write(sig_pipe[1], "", 1);
	errno = e;
}

/* A signal before the command ran: nothing worth printing was traced. */
int cap_sig_interrupted(void)
{
	if (!stop_signal)
		return 0;
	kf_err(128 + stop_signal, "interrupted (%s) before tracing began: "
	       "nothing was traced", strsignal(stop_signal));
	return 1;
}

int kf_capture_stop_signal(void)
{
	return stop_signal;
}

/*
 * Ctrl-C and every other signal whose default action ends the process
 * stop the run the same way: tracefs is restored, and the command gets
 * the signal too.  (SIGPIPE is ignored while tracefs is changed; SIGKILL
 * is the journal's.)
 */
static const int stop_sigs[] = {
	SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM,
	SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ, SIGPOLL, SIGPWR,
#ifdef SIGSTKFLT
	SIGSTKFLT,
#endif
};
static struct sigaction old_act[_NSIG];
static int sig_installed;

/*
 * A crash (SIGSEGV, SIGBUS, SIGABRT, SIGFPE, and the other faults that
 * dump core: SIGTRAP, SIGSYS) while tracefs is changed: restore it from
 * the undo log (async-signal-safe writes only), then let the previous
 * handler (the TUI's, which restores the terminal) or the default action
 * run.  What this cannot do, the journal does next run.
 */
static const int crash_sigs[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGTRAP,
				  SIGSYS };
#define NCRASH (sizeof(crash_sigs) / sizeof(crash_sigs[0]))
static struct kf_tracer *volatile crash_tr;

static void on_crash(int sig)
{
	if (crash_tr) {
		int jfd = crash_tr->journal ? crash_tr->journal->fd : -1;

		/* the ring-buffer readers still hold trace_pipe_raw open, and
		 * the kernel refuses to switch current_tracer (EBUSY) while
		 * they do: close every descriptor but the terminal's and the
		 * journal's first */
		for (int fd = 3; fd < 4096; fd++)
			if (fd != jfd)
				close(fd);
		kf_tracer_restore(crash_tr);
	}
	crash_tr = NULL;
	sigaction(sig, &old_act[sig], NULL);
	if (!(old_act[sig].sa_flags & SA_SIGINFO) &&
	    old_act[sig].sa_handler != SIG_DFL &&
	    old_act[sig].sa_handler != SIG_IGN) {
		old_act[sig].sa_handler(sig);
		return;
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Call fn on each signal that stops the run, real-time ones included. */
static void each_stop_sig(void (*fn)(int sig, void *arg), void *arg)
{
	size_t i;
	int sig;

	for (i = 0; i < sizeof(stop_sigs) / sizeof(stop_sigs[0]); i++)
		fn(stop_sigs[i], arg);
	for (sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
		fn(sig, arg);
}

static void sig_take(int sig, void *sa)
{
	sigaction(sig, sa, &old_act[sig]);
}

static void sig_put_back(int sig, void *unused)
{
	(void)unused;
	sigaction(sig, &old_act[sig], NULL);
}

/* In the child before exec: what kfollow inherited, not its handlers. */
static void sig_default(int sig, void *unused)
{
	(void)unused;
	signal(sig, old_act[sig].sa_handler == SIG_IGN ? SIG_IGN : SIG_DFL);
}

void cap_sig_child_default(void)
{
	crash_tr = NULL;
	for (size_t i = 0; i < NCRASH; i++)
		signal(crash_sigs[i], SIG_DFL);
	each_stop_sig(sig_default, NULL);
	sig_default(SIGCHLD, NULL);
	signal(SIGPIPE, SIG_DFL);
}

/* Installed before anything slow, so a Ctrl-C during set-up ends kfollow
 * cleanly instead of killing it half-way through changing tracefs. */
int cap_sig_install(void)
{
	struct sigaction sa;

	stop_signal = 0;	/* this run's, not the last one's */
	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return kf_err_errno(KF_EXIT_OSERR, "cannot create a pipe");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	each_stop_sig(sig_take, &sa);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, &old_act[SIGPIPE]);
	sa.sa_handler = on_child;
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, &old_act[SIGCHLD]);
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < NCRASH; i++)
		sigaction(crash_sigs[i], &sa, &old_act[crash_sigs[i]]);
	sig_installed = 1;
	return 0;
}

void cap_sig_restore(void)
{
	if (!sig_installed)
		return;
	sig_installed = 0;
	each_stop_sig(sig_put_back, NULL);
	sigaction(SIGPIPE, &old_act[SIGPIPE], NULL);
	sigaction(SIGCHLD, &old_act[SIGCHLD], NULL);
	crash_tr = NULL;
	for (size_t i = 0; i < NCRASH; i++)
		sigaction(crash_sigs[i], &old_act[crash_sigs[i]], NULL);
	forward_pid = 0;
	if (sig_pipe[0] >= 0)
		close(sig_pipe[0]);
	if (sig_pipe[1] >= 0)
		close(sig_pipe[1]);
	sig_pipe[0] = sig_pipe[1] = -1;
}

int cap_sig_fd(void)
{
	return sig_pipe[0];
}

void cap_sig_forward(pid_t pid)
{
	forward_pid = pid;
}

void cap_sig_crash_tracer(struct kf_tracer *tr)
{
	crash_tr = tr;
}
