#!/bin/sh
# guest-cases.sh [a|b] - the real-kernel tests, run inside VM boots of each
# kernel by tests/suites/50-vm (kfollow --vm=KERNEL --vm-script ...).  Prints TAP
# lines; leaves JSON captures in /out for the host to validate against the
# schema and to check tree invariants (tests/vm/check-trees).
#
# requires: a kernel with tracefs; function_graph for the tree cases (a
# kernel without it gets those cases skipped, with the reason)
T=/sys/kernel/tracing
K=kfollow
# the time workloads (tests/suites/50-vm copies them in)
PATH=/tmp/kftest/bin:$PATH
CAT=/usr/bin/cat
tmp=/out
mkdir -p $tmp /out

# ok, bad, skip, peek, catches_term, mounted, snap: tests/lib.sh
. /tmp/kftest/bin/kf-lib.sh

echo "# kernel $(uname -r)"
echo "hello from kfollow" >/tmp/demo.txt

# kfollow mounts tracefs itself and unmounts it after; the snapshots need
# it mounted, so mount it here first (kfollow then leaves it mounted).
mounted || mount -t tracefs nodev $T
# Expand the ring buffer once: the kernel allocates it on first use and
# buffer_size_kb reads differently after any tracer ran.
echo 1 >$T/events/sched/sched_process_exit/enable
echo 0 >$T/events/sched/sched_process_exit/enable
snap >$tmp/before

# same_state NAME: tracefs now equals the first snapshot
same_state() {
	snap >$tmp/after
	if cmp -s $tmp/before $tmp/after; then
		ok "$1: tracefs unchanged"
	else
		bad "$1: tracefs changed: $(diff $tmp/before $tmp/after | grep '^[-+][^-+]' | head -5 | tr '\n' '|')"
	fi
}

graph=1
grep -qw function_graph $T/available_tracers || graph=0
[ $graph = 1 ] || echo "# function_graph not available: tree cases skipped"

# --- helpers of the cases in both parts ---------------------------------
# start_armed OUT ARGS...: kfollow ARGS in the background, until its
# command has printed (tracing is armed); $kp is its pid
start_armed() {
	out=$1
	shift
	# made empty before the start: an earlier run's output must not pass
	# for this one's
	: >$out
	: >$out.err
	$K "$@" -- /bin/sh -c "$CAT /tmp/demo.txt; sleep 30" >$out 2>$out.err &
	kp=$!
	i=0
	while [ $i -lt 300 ] && ! grep -q 'hello from kfollow' $out; do
		sleep 0.2; i=$((i + 1))
	done
	sleep 1
}
# refused NAME CODE PATTERN ARGS...: kfollow ARGS exits CODE with one line
# matching PATTERN, and tracefs is unchanged
refused() {
	name=$1 code=$2 pat=$3
	shift 3
	$K "$@" >$tmp/refused.txt 2>&1
	st=$?
	if [ $st -eq $code ] && grep -q "$pat" $tmp/refused.txt &&
	   [ "$(wc -l <$tmp/refused.txt)" -eq 1 ]; then
		ok "$name: exit $code, one line: $(cat $tmp/refused.txt)"
	else
		bad "$name: exit $st: $(peek $tmp/refused.txt)"
	fi
	same_state "$name"
}
J=/run/kfollow/journal
# same_as NAME FILE: tracefs now equals the snapshot in FILE
same_as() {
	snap >$tmp/now
	if cmp -s $2 $tmp/now; then
		ok "$1: tracefs as it was"
	else
		bad "$1: tracefs changed: $(diff $2 $tmp/now | grep '^[-+][^-+]' | head -5 | tr '\n' '|')"
	fi
}
# kill9: start kfollow, SIGKILL it once armed; nothing can restore then
kill9() {
	start_armed "$@"
	kill -KILL $kp
	wait $kp 2>/dev/null
	killall sleep 2>/dev/null
}

# refused_then_forced NAME SNAPSHOT PATTERN: a run is refused (75, one line
# matching PATTERN) and changes nothing; with --force it traces, and puts
# the state of SNAPSHOT back
refused_then_forced() {
	$K --batch openat -- $CAT /tmp/demo.txt >$tmp/rf.txt 2>$tmp/rf.err
	st=$?
	if [ $st -eq 75 ] && grep -q "$3" $tmp/rf.err &&
	   [ "$(wc -l <$tmp/rf.err)" -eq 1 ]; then
		ok "$1: refused, exit 75: $(cat $tmp/rf.err)"
	else
		bad "$1: not refused: exit $st: $(peek $tmp/rf.err)"
	fi
	same_as "$1, refused" $2
	$K --batch --force openat -- $CAT /tmp/demo.txt >$tmp/rf.txt 2>$tmp/rf.err
	st=$?
	if [ $st -eq 0 ] && grep -q 'openat(AT_FDCWD, "/tmp/demo.txt"' $tmp/rf.txt; then
		ok "$1, --force: traced"
	else
		bad "$1, --force: exit $st: $(peek $tmp/rf.err)"
	fi
	same_as "$1, --force" $2
}

# tests/suites/50-vm runs the cases in two boots per kernel, side by side:
# part a (the trees, captures, times, signals, errors, -u, the journal
# after SIGKILL and two runs at once), part b (crashes, other tracers, a
# state nothing like the defaults, tracefs unmounted): about 11 and 10
# minutes of one kernel's 21 under emulation; no argument runs both
part=${1:-all}
in_part() { [ "$part" = all ] || [ "$part" = "$1" ]; }
if in_part a; then

# --- the guest boots with expedited RCU grace periods (tracefs waits for
# one as it takes probes and filters down: kf_vm's guest_cmdline)
if [ "$(cat /sys/kernel/rcu_expedited 2>/dev/null)" = 1 ]; then
	ok "the guest's RCU grace periods are expedited"
else
	bad "rcu_expedited is '$(cat /sys/kernel/rcu_expedited 2>&1)'; cmdline: $(cat /proc/cmdline)"
fi

# --- openat: the header, the tree, and the state -------------------------
$K --batch openat -- $CAT /tmp/demo.txt >$tmp/openat.txt 2>$tmp/openat.err
st=$?
if [ $st -eq 0 ]; then ok "openat: exit status 0"; else bad "openat: exit $st: $(peek $tmp/openat.err)"; fi
if grep -q '^hello from kfollow' $tmp/openat.txt; then
	ok "openat: the command's output passes through"
else
	bad "openat: command output missing: $(peek $tmp/openat.txt)"
fi
if grep -q 'openat(AT_FDCWD, "/tmp/demo.txt", O_RDONLY' $tmp/openat.txt; then
	ok "openat: strace-like header for /tmp/demo.txt"
else
	bad "openat: no header for /tmp/demo.txt: $(grep 'openat(' $tmp/openat.txt | head -3 | tr '\n' '|')"
fi
if [ $graph = 1 ]; then
	# the block of the demo.txt open reaches path_openat
	awk '/openat\(AT_FDCWD, "\/tmp\/demo.txt"/ {on=1; next}
	     on && /^[a-z_0-9]+\(/ {exit}
	     on && /path_openat/ {found=1}
	     END {exit !found}' $tmp/openat.txt
	if [ $? -eq 0 ]; then
		ok "openat: the tree of /tmp/demo.txt reaches path_openat"
	else
		bad "openat: no path_openat under /tmp/demo.txt: $(grep -A8 'demo.txt' $tmp/openat.txt | tr '\n' '|' | head -c 400)"
	fi
	for f in do_sys_openat2 getname; do
		if grep -q -- "-- $f\|^.*[|\`]-- ${f}_flags\| $f$" $tmp/openat.txt ||
		   grep -q "$f" $tmp/openat.txt; then
			ok "openat: tree shows $f"
		else
			bad "openat: tree lacks $f"
		fi
	done
else
	skip "openat: the tree reaches path_openat" "no function_graph"
fi
same_state "openat"

# --- records already in the ring are not read as ours.  Switching a
# tracer on empties the ring; taking over a function_graph already on
# (--force) does not, and kfollow must clear it (it skips the clear, an
# RCU wait, where the ring is empty)
if [ $graph = 1 ] && [ "$(cat $T/tracing_on)" = 1 ]; then
	echo do_sys_openat2 >$T/set_graph_function
	echo function_graph >$T/current_tracer
	echo kfollow-stale-marker >$T/trace_marker
	if grep -q kfollow-stale-marker $T/trace; then
		$K --batch --stats --force openat -- $CAT /tmp/demo.txt >$tmp/stale.txt 2>$tmp/stale.err
		st=$?
		if [ $st -eq 0 ] && grep -q 'stats: .* 0 of other events' $tmp/stale.err; then
			ok "a record left in the ring before a take-over is not read"
		else
			bad "a record left in the ring: exit $st: $(grep 'stats: ' $tmp/stale.err | head -1 | cut -c1-160)"
		fi
	else
		bad "trace_marker: the marker did not reach the ring"
	fi
	echo nop >$T/current_tracer
	echo >$T/set_graph_function
	same_state "the take-over of a stale ring"
else
	skip "a record left in the ring before a take-over" "no function_graph, or tracing_on is 0"
fi

# --- the same as JSON, for the host's schema and invariant checks --------
$K --batch --format json openat -- $CAT /tmp/demo.txt >/out/openat.json 2>$tmp/json.err
st=$?
if [ $st -eq 0 ] && [ -s /out/openat.json ]; then
	ok "openat --format json: exit 0, $(wc -c </out/openat.json) bytes"
else
	bad "openat --format json: exit $st: $(peek $tmp/json.err)"
fi
grep -v '^hello from kfollow' /out/openat.json >$tmp/j && mv $tmp/j /out/openat.json

# --- times against ground truth: the workloads time themselves; the host
# compares with those numbers and with trace-cmd report (check-times) ------
if [ $graph = 1 ] && command -v kf-guest-times >/dev/null; then
	kf-guest-times ""
	kf-guest-times -load load
	same_state "the time cases"
elif [ $graph = 1 ]; then
	bad "times: kf-guest-times is not in the VM (tests/suites/50-vm copies it)"
fi

# --- --output then --input: the same text --------------------------------
$K --batch --output /out/saved.json openat -- $CAT /tmp/demo.txt >$tmp/live.txt 2>/dev/null
$K --batch --input /out/saved.json >$tmp/replay.txt 2>$tmp/replay.err
grep -v '^hello from kfollow' $tmp/live.txt >$tmp/live2.txt
if cmp -s $tmp/live2.txt $tmp/replay.txt; then
	ok "--output then --input shows the same text"
else
	bad "--input differs from the live output: $(diff $tmp/live2.txt $tmp/replay.txt | head -4 | tr '\n' '|')"
fi

# --- --output FILE.dat: trace-cmd reads the pages kfollow read ------------
# kfollow's count of the function_graph records it decoded (--stats) against
# trace-cmd's own reading of the pages it saved; the .dat and the JSON of
# the same run stay in /out
if [ $graph = 1 ] && command -v trace-cmd >/dev/null; then
	$K --batch --format json --stats -o /out/dat-cat.dat openat read -- $CAT /tmp/demo.txt >$tmp/cat-dat.json 2>$tmp/dat.err
	st=$?
	grep -v '^hello from kfollow' $tmp/cat-dat.json >/out/dat-cat.json
	stats=$(grep 'kfollow: stats:' $tmp/dat.err)
	kent=$(echo "$stats" | sed -n 's/.*function_graph \([0-9]*\) entries.*/\1/p')
	kexit=$(echo "$stats" | sed -n 's/.*entries, \([0-9]*\) exits.*/\1/p')
	trace-cmd report -R /out/dat-cat.dat >$tmp/cat.raw 2>$tmp/cat.raw.err
	tst=$?
	tent=$(grep -c ' funcgraph_entry: ' $tmp/cat.raw)
	texit=$(grep -c ' funcgraph_exit: ' $tmp/cat.raw)
	if [ $st -eq 0 ] && [ $tst -eq 0 ] && [ -n "$kent" ] && [ "$kent" -gt 0 ] &&
	   [ "$kent" = "$tent" ] && [ "$kexit" = "$texit" ]; then
		ok "--output cat.dat: trace-cmd report reads $tent funcgraph entries and $texit exits, as kfollow decoded"
	else
		bad "--output cat.dat: kfollow exit $st decoded $kent entries, $kexit exits; trace-cmd (exit $tst) read $tent, $texit: $(peek $tmp/dat.err) $(peek $tmp/cat.raw.err)"
	fi
	# the plugin view: names resolved from the file's kallsyms, durations
	# from calltime/rettime, the task named from its saved_cmdlines
	trace-cmd report /out/dat-cat.dat >$tmp/cat.report 2>/dev/null
	if grep -q 'cat-[0-9]* .*funcgraph_entry: .*|  *[a-z_0-9.]*vfs_read() {' $tmp/cat.report &&
	   grep -q 'funcgraph_exit: .*[0-9.]* us *|  *}' $tmp/cat.report; then
		ok "--output cat.dat: trace-cmd report shows cat's vfs_read with durations"
	else
		bad "--output cat.dat: no timed vfs_read of cat in trace-cmd report: $(grep -m3 funcgraph $tmp/cat.report | tr '\n' '|')"
	fi
	same_state "--output cat.dat"
elif [ $graph = 1 ]; then
	skip "--output cat.dat: trace-cmd reads it" "no trace-cmd in the VM"
fi

# --- trace-cmd's own files in: kfollow --input FILE.dat -------------------
# trace-cmd records the same workload, with the syscall events (the
# headers) and without (one invocation per top-level call); kfollow's own
# capture of it beside them.  tests/vm/check-dat compares them on the host,
# and kfollow's --input of dat-cat.dat (above) with that run's JSON.
if [ $graph = 1 ] && command -v trace-cmd >/dev/null; then
	(cd /out &&
	 trace-cmd record -q -p function_graph -g __x64_sys_openat \
		-e syscalls:sys_enter_openat -e syscalls:sys_exit_openat \
		-o /out/tc-sys.dat -F $CAT /tmp/demo.txt &&
	 trace-cmd record -q -p function_graph -g __x64_sys_openat \
		-o /out/tc-fg.dat -F $CAT /tmp/demo.txt) >/dev/null 2>$tmp/tc.err
	st=$?
	$K --batch --no-preset -o /out/tc-kf.json openat -- $CAT /tmp/demo.txt \
		>/dev/null 2>$tmp/tc-kf.err
	if [ $st -eq 0 ] && [ -s /out/tc-sys.dat ] && [ -s /out/tc-fg.dat ] &&
	   [ -s /out/tc-kf.json ]; then
		ok "trace-cmd record: two trace.dat files of cat for the host to read"
	else
		bad "trace-cmd record: exit $st: $(peek $tmp/tc.err) $(peek $tmp/tc-kf.err)"
	fi
	# trace-cmd puts back what it changed its own way: compare only
	# what kfollow depends on afterwards
	echo nop >$T/current_tracer
	: >$T/set_graph_function
	: >$T/set_ftrace_pid
	: >$T/set_event_pid
	echo 0 >$T/events/enable
elif [ $graph = 1 ]; then
	skip "trace-cmd record for --input FILE.dat" "no trace-cmd in the VM"
fi

# --- a hostile program: its comm and its path are escaped ----------------
# kf-hostile names itself ESC]0;X BEL ESC[2J (prctl) and opens a file whose
# name holds OSC, BEL, CSI, C1 CSI (0x9b) and 0xff: the text has no byte
# below 0x20 but newline, no DEL and no 0x9b
if command -v kf-hostile >/dev/null; then
	$K --batch openat -- kf-hostile /tmp >$tmp/hostile.txt 2>$tmp/hostile.err
	st=$?
	raw=$(tr -d '\n\040-\176\200-\232\234-\377' <$tmp/hostile.txt | od -An -c | head -3)
	# the path: escaped by kfollow where its probe recorded it, or as the
	# kernel recorded it (7.x records openat's filename itself, with
	# control bytes already turned into '.')
	if [ $st -eq 0 ] && [ -z "$raw" ] &&
	   grep -qF '\33]0;X\7\33[2J[' $tmp/hostile.txt &&
	   { grep -qF '/tmp/kf\33]0;PATH\7\33[2J' $tmp/hostile.txt ||
	     grep -qF '/tmp/kf.]0;PATH..[2J.' $tmp/hostile.txt; }; then
		ok "hostile comm and path: escaped, no raw control byte"
	else
		bad "hostile comm and path: exit $st, raw: $raw; $(grep -F 'kf\33' $tmp/hostile.txt | head -c 300) $(peek $tmp/hostile.err)"
	fi
else
	bad "hostile: kf-hostile is not in the VM (tests/suites/50-vm copies it)"
fi

# --- read, write, close ----------------------------------------------------
# Through a pipe: with a regular file as its output, GNU cat copies with
# copy_file_range and never calls read or write.
$K --batch read -- $CAT /tmp/demo.txt 2>$tmp/read.err | cat >$tmp/read.txt
if grep -q '^read(3</tmp/demo.txt>, 0x[0-9a-f]*, [0-9]*) = 19' $tmp/read.txt; then
	ok "read: header read(3</tmp/demo.txt>, ..., N) = 19"
else
	bad "read: no header for the 19-byte read: $(grep '^read(' $tmp/read.txt | head -3 | tr '\n' '|') $(peek $tmp/read.err)"
fi
if [ $graph = 1 ]; then
	if grep -q 'vfs_read' $tmp/read.txt; then ok "read: tree shows vfs_read"; else bad "read: tree lacks vfs_read"; fi
fi
$K --batch write -- $CAT /tmp/demo.txt 2>$tmp/write.err | cat >$tmp/write.txt
# its stdout: the pipe kfollow's own stdout is, as /proc named it; the
# buffer as the kernel recorded it (7.x) or kfollow's probe read it
if grep -q '^write(1<pipe:\[[0-9]*\]>, "hello from kfollow\\n", 19) = 19' $tmp/write.txt; then
	ok "write: header write(1<pipe:[N]>, \"hello from kfollow\\n\", 19) = 19"
else
	bad "write: no header for the write: $(grep '^write(' $tmp/write.txt | head -3 | tr '\n' '|') $(peek $tmp/write.err)"
fi
if [ $graph = 1 ]; then
	if grep -q 'vfs_write' $tmp/write.txt; then ok "write: tree shows vfs_write"; else bad "write: tree lacks vfs_write"; fi
fi
$K --batch close -- $CAT /tmp/demo.txt >$tmp/close.txt 2>$tmp/close.err
if grep -q '^close(3</tmp/demo.txt>) = 0' $tmp/close.txt; then
	ok "close: header close(3</tmp/demo.txt>) = 0"
else
	bad "close: no close(3</tmp/demo.txt>) = 0: $(grep '^close(' $tmp/close.txt | head -3 | tr '\n' '|') $(peek $tmp/close.err)"
fi
same_state "read/write/close"

# --- fd paths: the file each fd names, against strace -y -----------------
# The same shell run twice, under strace -f -y and under kfollow: every
# read and write must name the same fd and file.  It opens (dd's
# open+dup2, the shell's redirections, exec 5< with fcntl F_DUPFD),
# inherits (2>/dev/null) and closes; a pipe is shown by strace as
# pipe:[inode] and by kfollow as the bare fd (a pipe has no path it could
# learn), so pipes are compared as bare fds.
if command -v strace >/dev/null 2>&1; then
	echo "hello fd paths" >/tmp/fd-demo.txt
	W='dd if=/tmp/fd-demo.txt of=/tmp/fd-copy.txt bs=7 2>/dev/null; exec 5</tmp/fd-demo.txt; read x <&5; echo "$x" >/tmp/fd-out.txt; exec 5<&-; dd if=/tmp/fd-copy.txt bs=64 2>/dev/null | dd of=/dev/null 2>/dev/null'
	strace -f -y -e trace=read,write -o $tmp/fd-strace.raw sh -c "$W"
	$K --batch read write -- sh -c "$W" >$tmp/fd-kf.raw 2>$tmp/fd.err
	st=$?
	fdcalls='{ sub(/^[0-9]+ +/, "")
		if (match($0, /^(read|write)\([0-9]+(<[^>]*>)?/)) {
			s = substr($0, 1, RLENGTH)
			gsub(/<(pipe|socket):\[[0-9]+\]>/, "", s)
			print s } }'
	awk "$fdcalls" $tmp/fd-strace.raw | sort >$tmp/fd-strace.txt
	awk "$fdcalls" $tmp/fd-kf.raw | sort >$tmp/fd-kf.txt
	n=$(grep -c '</tmp/fd-' $tmp/fd-kf.txt)
	if [ $st -eq 0 ] && [ "$n" -ge 20 ] &&
	   cmp -s $tmp/fd-strace.txt $tmp/fd-kf.txt; then
		ok "fd paths: $(wc -l <$tmp/fd-kf.txt) reads and writes name the fds' files as strace -y does ($n of /tmp/fd-*)"
	else
		bad "fd paths: exit $st, $n of /tmp/fd-*, strace -y and kfollow differ: $(diff $tmp/fd-strace.txt $tmp/fd-kf.txt | head -6 | tr '\n' '|') $(peek $tmp/fd.err)"
	fi
	same_state "fd paths"

	# execve: the path and argv, against strace's: a list shorter than
	# what kfollow reads, one as long (7 strings), one longer ("...")
	W='/bin/busybox true a "b c"; /bin/busybox true 1 2 3 4 5; /bin/busybox true 1 2 3 4 5 6 7 8'
	strace -f -e trace=execve -o $tmp/ex-strace.raw sh -c "$W"
	$K --batch execve -- sh -c "$W" >$tmp/ex-kf.raw 2>$tmp/ex.err
	st=$?
	# strace's lines, the environment left out, as kfollow prints them
	sed -n 's/^[0-9]* *\(execve("\/bin\/busybox", \[[^]]*\]\).*/\1/p' \
		$tmp/ex-strace.raw >$tmp/ex-strace.txt
	grep -o '^execve("/bin/busybox", \[[^]]*\]' $tmp/ex-kf.raw >$tmp/ex-kf.txt
	sed -n 1,2p $tmp/ex-strace.txt >$tmp/ex-strace12.txt
	sed -n 1,2p $tmp/ex-kf.txt >$tmp/ex-kf12.txt
	if [ $st -eq 0 ] && [ $(wc -l <$tmp/ex-kf.txt) -eq 3 ] &&
	   [ $(wc -l <$tmp/ex-strace.txt) -eq 3 ] &&
	   cmp -s $tmp/ex-strace12.txt $tmp/ex-kf12.txt &&
	   grep -q '^execve("/bin/busybox", \["/bin/busybox", "true", "1", "2", "3", "4", "5", \.\.\.\]$' $tmp/ex-kf.txt; then
		ok "execve: path and argv as strace shows them ($(head -1 $tmp/ex-kf.txt), ...)"
	else
		bad "execve: exit $st: kfollow $(tr '\n' '|' <$tmp/ex-kf.txt) strace $(tr '\n' '|' <$tmp/ex-strace.txt) $(peek $tmp/ex.err)"
	fi
	same_state "execve argv"

	# pipe2: the fds it wrote as it returned (kfollow's fd_install
	# probe), against strace's; two pipes, the second's fds after a close
	W='echo x | cat >/dev/null; echo y | cat >/dev/null'
	strace -f -e trace=pipe,pipe2 -o $tmp/p2-strace.raw sh -c "$W"
	$K --batch pipe pipe2 -- sh -c "$W" >$tmp/p2-kf.raw 2>$tmp/p2.err
	st=$?
	grep -o 'pipe2*(\[[0-9]*, [0-9]*\]' $tmp/p2-strace.raw >$tmp/p2-strace.txt
	grep -o '^pipe2*(\[[0-9]*, [0-9]*\]' $tmp/p2-kf.raw >$tmp/p2-kf.txt
	if [ $st -eq 0 ] && [ $(wc -l <$tmp/p2-kf.txt) -ge 2 ] &&
	   cmp -s $tmp/p2-strace.txt $tmp/p2-kf.txt; then
		ok "pipe2: the fds it wrote, as strace shows them ($(tr '\n' ' ' <$tmp/p2-kf.txt))"
	else
		bad "pipe2: exit $st: kfollow $(grep '^pipe' $tmp/p2-kf.raw | tr '\n' '|') strace $(tr '\n' '|' <$tmp/p2-strace.raw) $(peek $tmp/p2.err)"
	fi
	same_state "pipe2 fds"
else
	skip "fd paths" "no strace in the VM (tests/suites/50-vm copies it)"
fi

# --- --args: inner functions' arguments (funcgraph-args, named by BTF) ----
# Where the kernel has the option, kfollow's capture of openat and read
# goes to the host (tests/vm/check-args), with the kernel's own text of
# the same functions with arguments, printed by the kernel from its own
# BTF: the host checks the names against it and the values against the
# syscall's own arguments.  Elsewhere: one line says why, and no tree
# shows arguments.
if [ $graph = 1 ]; then
	$K --batch --args -o /out/args.json openat read -- $CAT /tmp/demo.txt \
		>$tmp/args.txt 2>$tmp/args.err
	st=$?
	if [ -f $T/options/funcgraph-args ]; then
		if [ $st -eq 0 ] && grep -q '^# arguments: funcgraph-args' $tmp/args.txt &&
		   grep -qE '(─|-) do_sys_openat2\(dfd=-100, filename=0x[0-9a-f]+, how=0x[0-9a-f]+\)' $tmp/args.txt; then
			ok "--args: do_sys_openat2(dfd=-100, filename=..., how=...)"
		else
			bad "--args: exit $st: $(grep -m2 'do_sys_openat2' $tmp/args.txt | tr '\n' '|') $(peek $tmp/args.err)"
		fi
		# the kernel's own text of do_sys_openat2 and ksys_read with
		# arguments, from a task that sets its own pid filter first
		echo 1 >$T/options/funcgraph-args
		printf 'do_sys_openat2\nksys_read\n' >$T/set_graph_function
		sh -c "echo \$\$ >$T/set_ftrace_pid; echo function_graph >$T/current_tracer; exec $CAT /tmp/demo.txt" >/dev/null
		cat $T/trace >/out/args-kernel.txt
		echo nop >$T/current_tracer
		echo 0 >$T/options/funcgraph-args
		: >$T/set_graph_function
		: >$T/set_ftrace_pid
		if grep -q 'do_sys_openat2(dfd=' /out/args-kernel.txt; then
			ok "--args: the kernel's own text of the same functions, with arguments"
		else
			bad "--args: no do_sys_openat2(dfd= in the kernel's text: $(peek /out/args-kernel.txt)"
		fi
	else
		if [ $st -eq 0 ] && [ "$(grep -c 'no options/funcgraph-args' $tmp/args.err)" = 1 ] &&
		   grep -q 'path_openat' $tmp/args.txt &&
		   ! grep -qE '(─|-) [a-z_0-9.]+\([a-z]' $tmp/args.txt; then
			ok "--args without funcgraph-args: one line says so, trees without arguments"
		else
			bad "--args without funcgraph-args: exit $st: $(peek $tmp/args.err)"
		fi
	fi
	same_state "--args"
else
	skip "--args" "no function_graph"
fi

# --- failed calls decode their errno --------------------------------------
$K --batch openat -- $CAT /tmp/nonexistent >$tmp/enoent.txt 2>&1
st=$?
if [ $st -eq 1 ] && grep -q '"/tmp/nonexistent", O_RDONLY) = -2 ENOENT' $tmp/enoent.txt; then
	ok "a failing open: exit status 1 passes through, -2 ENOENT decoded"
else
	bad "a failing open: exit $st: $(grep nonexistent $tmp/enoent.txt | head -2 | tr '\n' '|')"
fi

# --- where an error came from: the preset's return probes ----------------
# An open of a missing file and of a mode-600 file as another user: the
# trees carry return values, and the first function that returned the
# syscall's error is marked.  The origin each kernel shows, read from its
# source (fs/namei.c): a negative dentry ends the walk in step_into (6.1,
# 6.12; 7.2 moved that part to step_into_slowpath), and the mode bits say
# no in generic_permission on all three.
if [ $graph = 1 ]; then
	echo secret >/tmp/secret600
	chmod 600 /tmp/secret600
	$K --batch --path '/tmp/*' -u 65534:65534 -o /out/errors.json openat -- \
		/bin/sh -c "$CAT /tmp/nonexistent; $CAT /tmp/secret600" \
		>$tmp/err.txt 2>$tmp/err.err
	case $(uname -r) in
	6.1.*|6.12.*) noent=step_into ;;
	*) noent=step_into_slowpath ;;
	esac
	# origin FILE HEADER FUNC ERR: the block under HEADER marks FUNC
	origin() {
		awk -v h="$2" 'index($0, h) == 1 {on=1; next}
		     on && /^[a-z_0-9]+\(/ {exit}
		     on && /<- error origin/ {print; n++}
		     END {exit n != 1}' $1 >$tmp/origin.line
		if [ $? -eq 0 ] && grep -qE "(─|-) $3(\.[a-z0-9.]+)? = $4  <- error origin\$" $tmp/origin.line; then
			ok "error origin of $2: $(sed 's/^ *//' $tmp/origin.line)"
		else
			bad "error origin of $2: want $3 = $4, got: $(peek $tmp/origin.line) $(peek $tmp/err.err)"
		fi
	}
	origin $tmp/err.txt 'openat(AT_FDCWD, "/tmp/nonexistent", O_RDONLY) = -2 ENOENT' $noent '-2 ENOENT'
	origin $tmp/err.txt 'openat(AT_FDCWD, "/tmp/secret600", O_RDONLY) = -13 EACCES' generic_permission '-13 EACCES'
	# the values on the way up, and a success's values
	if grep -qE '(─|-) path_openat = -13 EACCES$' $tmp/err.txt &&
	   grep -qE '(─|-) may_open = -13 EACCES$' $tmp/err.txt &&
	   grep -qE '(─|-) security_inode_permission = 0$' $tmp/err.txt &&
	   grep -q '^# return values of: .*generic_permission' $tmp/err.txt; then
		ok "return values: the error's way up and the calls that said yes"
	else
		bad "return values: $(grep ' = ' $tmp/err.txt | head -5 | tr '\n' '|')"
	fi
	if grep -q '"ret": ' /out/errors.json &&
	   $K --batch --path '/tmp/*' --input /out/errors.json >$tmp/err2.txt 2>&1 &&
	   cmp -s $tmp/err2.txt $tmp/err.txt; then
		ok "return values and origins saved and read back the same"
	else
		bad "return values saved: $(diff $tmp/err.txt $tmp/err2.txt | head -4 | tr '\n' '|')"
	fi
	# --retval none: no probes, no values
	$K --batch --retval none openat -- $CAT /tmp/nonexistent >$tmp/err3.txt 2>&1
	if ! grep -q ' = 0$\|error origin\|^# return values' $tmp/err3.txt &&
	   grep -q '"/tmp/nonexistent", O_RDONLY) = -2 ENOENT' $tmp/err3.txt; then
		ok "--retval none: no return values"
	else
		bad "--retval none: $(grep ' = \|return values' $tmp/err3.txt | head -3 | tr '\n' '|')"
	fi
	refused "--retval with no such function" 64 "'no_such_fn_kf': no traceable" \
		--batch --retval no_such_fn_kf openat -- $CAT /tmp/demo.txt
	same_state "return probes"
else
	skip "error origins" "no function_graph"
fi

# --- -p PID on a running loop ----------------------------------------------
(while :; do $CAT /tmp/demo.txt >/dev/null; sleep 0.3; done) &
loop=$!
sleep 1
$K --batch -p $loop --duration 4s openat >$tmp/pid.txt 2>$tmp/pid.err
st=$?
kill $loop
wait $loop 2>/dev/null
if [ $st -eq 0 ] && grep -q 'openat(AT_FDCWD, "/tmp/demo.txt"' $tmp/pid.txt; then
	ok "-p PID: the loop's opens are captured ($(grep -c 'openat(AT_FDCWD, "/tmp/demo.txt"' $tmp/pid.txt))"
else
	bad "-p PID: exit $st: $(peek $tmp/pid.err) $(head -3 $tmp/pid.txt | tr '\n' '|')"
fi
same_state "-p PID"

# --- --cgroup: two loops in a cgroup, a third moved in after arming, one
# outside; each opens a file of its own name.  /init mounts no cgroup2.
cgm=/sys/fs/cgroup
grep -q " $cgm cgroup2 " /proc/mounts || mount -t cgroup2 none $cgm 2>/dev/null
if ! grep -q " $cgm cgroup2 " /proc/mounts; then
	skip "--cgroup" "cannot mount cgroup2 at $cgm"
elif ! mkdir $cgm/kf-vm; then
	bad "--cgroup: cannot create $cgm/kf-vm"
else
	# cgloop NAME: open /tmp/cg-NAME.txt, count the turns
	cgloop() { exec sh -c "while :; do $CAT /tmp/cg-$1.txt >/dev/null; echo >>/tmp/cg-$1.turns; sleep 0.3; done"; }
	cgturns() { [ "$(wc -l </tmp/cg-$1.turns)" -ge "$2" ]; }
	gone() { ! kill -0 $1 2>/dev/null; }
	for w in in1 in2 in3 out; do echo $w >/tmp/cg-$w.txt; : >/tmp/cg-$w.turns; done
	(cgloop in1) &
	in1=$!
	(cgloop in2) &
	in2=$!
	echo $in1 >$cgm/kf-vm/cgroup.procs
	echo $in2 >$cgm/kf-vm/cgroup.procs
	(cgloop out) &
	out=$!
	$K --batch --cgroup kf-vm openat >$tmp/cg.txt 2>$tmp/cg.err &
	kp=$!
	in3=
	if wait_until catches_term $kp && wait_until tracing_for $in1 &&
	   wait_until tracing_for $in2; then
		(cgloop in3) &
		in3=$!
		echo $in3 >$cgm/kf-vm/cgroup.procs
		wait_until tracing_for $in3 &&
			wait_until cgturns in3 $(($(wc -l </tmp/cg-in3.turns) + 2)) ||
			bad "--cgroup: the task moved in was never added to the pid filter"
	else
		bad "--cgroup: kfollow never armed for the cgroup's tasks: $(peek $tmp/cg.err)"
	fi
	kill $in1 $in2 $in3
	wait $in1 $in2 $in3 2>/dev/null
	if wait_until gone $kp; then
		wait $kp
		st=$?
	else
		kill -INT $kp
		wait $kp
		st=ran-on
	fi
	kill $out
	wait $out 2>/dev/null
	missing=
	for w in in1 in2 in3; do
		grep -q "openat(AT_FDCWD, \"/tmp/cg-$w.txt\"" $tmp/cg.txt || missing="$missing $w"
	done
	if [ "$st" = 0 ] && [ -z "$missing" ] && ! grep -q '/tmp/cg-out.txt' $tmp/cg.txt &&
	   grep -q '^# cgroup: /kf-vm: ' $tmp/cg.txt; then
		ok "--cgroup: the two tasks and the one moved in after tracing began traced, the one outside not; ended once the cgroup emptied"
	else
		bad "--cgroup: exit $st, missing:${missing:- none}, outside: $(grep -c /tmp/cg-out.txt $tmp/cg.txt): $(peek $tmp/cg.err)"
	fi
	if [ $graph = 1 ]; then
		# in graph mode the tree of the task moved in reaches path_openat
		awk '/openat\(AT_FDCWD, "\/tmp\/cg-in3.txt"/ {on=1; next}
		     on && /^[a-z_0-9]+\(/ {on=0}
		     on && /path_openat/ {found=1}
		     END {exit !found}' $tmp/cg.txt
		check "--cgroup: the moved-in task's opens have their trees (graph mode)" $? "$(grep -A6 'cg-in3' $tmp/cg.txt | head -8 | tr '\n' '|')"
	fi
	wait_until rmdir $cgm/kf-vm 2>/dev/null || bad "--cgroup: cannot remove $cgm/kf-vm"
	same_state "--cgroup"
fi

# --- --boundary: syscall events only, even where function_graph is here ---
# dd's reads and writes as strace counts them, from the lines and from the
# per-process summary of the saved capture; no function_graph switched on
if [ -x /usr/bin/dd ] && command -v strace >/dev/null 2>&1; then
	N=2000
	DD="/usr/bin/dd if=/dev/zero of=/dev/null bs=512 count=$N"
	strace -f -e trace=read,write -o $tmp/bd.st $DD 2>/dev/null
	sr=$(grep -c ' read(' $tmp/bd.st) sw=$(grep -c ' write(' $tmp/bd.st)
	$K --batch --stats --boundary --output $tmp/boundary.json -- $DD >$tmp/bd.txt 2>$tmp/bd.err
	st=$?
	kr=$(grep -c '^read(' $tmp/bd.txt) kw=$(grep -c '^write(' $tmp/bd.txt)
	if [ $st -eq 0 ] && [ "$kr" -eq "$sr" ] && [ "$kw" -eq "$sw" ] && [ "$kr" -gt $N ] &&
	   grep -q '^# syscall boundaries only (--boundary)' $tmp/bd.txt &&
	   grep -q 'function_graph 0 entries, 0 exits' $tmp/bd.err &&
	   ! grep -q 'function_graph unavailable' $tmp/bd.err; then
		ok "--boundary on dd: $kr reads and $kw writes as strace counts, no function_graph"
	else
		bad "--boundary on dd: exit $st, kfollow $kr reads $kw writes, strace $sr $sw: $(peek $tmp/bd.err)"
	fi
	$K --input $tmp/boundary.json --summary >$tmp/bd-sum.txt 2>&1
	sumr=$(awk '/^dd\[[0-9]*\]$/ { p = 1; next } /^$/ { p = 0 } p && $NF == "read" { print $1 }' $tmp/bd-sum.txt)
	if [ "$sumr" = "$kr" ] && grep -q "^#   kfollow [a-z0-9_]* -- $DD\$" $tmp/bd-sum.txt; then
		ok "--boundary --summary: dd's $sumr reads in its table, and the drill-down command"
	else
		bad "--boundary --summary: dd's reads '$sumr', lines $kr: $(tail -3 $tmp/bd-sum.txt | tr '\n' '|')"
	fi
	same_state "--boundary"
else
	skip "--boundary on dd" "no /usr/bin/dd or strace in the VM"
fi
refused "--boundary with a kernel function" 64 "cannot go with -g" --batch --boundary -g vfs_read -- $CAT /tmp/demo.txt

# --- signals mid-capture: state restored, what was captured is printed ----
for sig in INT TERM HUP; do
	out=$tmp/sig-$sig.txt err=$tmp/sig-$sig.txt.err
	start_armed $out --batch openat
	kill -$sig $kp
	wait $kp
	st=$?
	if grep -q 'openat(AT_FDCWD, "/tmp/demo.txt"' $out; then
		ok "SIG$sig mid-capture: exit $st, the trees so far are printed"
	else
		bad "SIG$sig mid-capture: exit $st, nothing printed (waited $i polls): $(peek $err)"
	fi
	killall sleep 2>/dev/null
	same_state "SIG$sig mid-capture"
done

# --- a signal during set-up: a one-line message, nothing changed ---------
# TERM, as a background job's SIGINT is ignored until kfollow installs its
# handler.  Sent once kfollow runs; under emulation set-up takes seconds, so
# it lands there; if it lands later the trees must be printed instead.
$K --batch openat -- $CAT /tmp/demo.txt >$tmp/early.txt 2>$tmp/early.err &
kp=$!
i=0
while [ $i -lt 400 ] && ! catches_term $kp; do
	sleep 0.01; i=$((i + 1))
done
kill -TERM $kp
wait $kp
st=$?
if [ $st -eq 143 ] && grep -q 'before tracing began' $tmp/early.err &&
   [ $(wc -l <$tmp/early.err) -eq 1 ] && ! [ -s $tmp/early.txt ]; then
	ok "SIGTERM during set-up: exit 143, one line: $(peek $tmp/early.err)"
elif [ $st -eq 143 ] && grep -q 'openat(AT_FDCWD, "/tmp/demo.txt"' $tmp/early.txt; then
	ok "SIGTERM during set-up: came after set-up; exit 143, trees printed"
else
	bad "SIGTERM during set-up: exit $st: $(peek $tmp/early.err) $(peek $tmp/early.txt)"
fi
same_state "SIGTERM during set-up"

# --- bad input: refused, nothing changed ----------------------------------
$K --batch openat -- /no/such/command >$tmp/nf.txt 2>&1
st=$?
if [ $st -eq 127 ] && [ "$(wc -l <$tmp/nf.txt)" -eq 1 ]; then
	ok "command not found: exit 127, one line: $(cat $tmp/nf.txt)"
else
	bad "command not found: exit $st: $(peek $tmp/nf.txt)"
fi
same_state "command not found"
refused "unknown syscall" 64 "openat" --batch opneat -- $CAT /tmp/demo.txt
[ $graph = 1 ] && refused "untraceable function" 64 "vfs_read" \
	--batch -g vfs_raed -- $CAT /tmp/demo.txt

# --- -u: the command as another user, the tracer as root -------------------
$K --batch -u 65534:65534 openat -- /bin/sh -c "id -u; $CAT /tmp/demo.txt" >$tmp/u.txt 2>$tmp/u.err
st=$?
if [ $st -eq 0 ] && [ "$(head -1 $tmp/u.txt)" = 65534 ] &&
   grep -q 'openat(AT_FDCWD, "/tmp/demo.txt", O_RDONLY) = 3' $tmp/u.txt; then
	ok "-u 65534:65534: the command ran as uid 65534 and was traced"
else
	bad "-u: exit $st: $(peek $tmp/u.txt) $(peek $tmp/u.err)"
fi
same_state "-u"

# --- never leave it changed: the journal, the lock, other tracers ---------

kill9 $tmp/k9.txt --batch openat
if [ -f $J ]; then
	ok "SIGKILL mid-capture: the journal stays behind"
else
	bad "SIGKILL mid-capture: no journal at $J"
fi
$K --status >$tmp/status.txt 2>&1
if grep -q 'was killed before restoring' $tmp/status.txt &&
   grep -q "^current_tracer: " $tmp/status.txt; then
	ok "--status names the killed run and what differs: $(head -2 $tmp/status.txt | tr '\n' '|')"
elif [ $graph = 0 ] && grep -q 'was killed before restoring' $tmp/status.txt; then
	ok "--status names the killed run (boundary tracing changes no global file)"
else
	bad "--status after SIGKILL: $(peek $tmp/status.txt)"
fi
$K --batch openat -- $CAT /tmp/demo.txt >$tmp/k9next.txt 2>$tmp/k9next.err
st=$?
if [ $st -eq 0 ] && grep -q 'was killed before it could restore' $tmp/k9next.err &&
   grep -q 'openat(AT_FDCWD, "/tmp/demo.txt"' $tmp/k9next.txt && [ ! -f $J ]; then
	ok "the run after a SIGKILL restores first, says so, then traces"
else
	bad "the run after a SIGKILL: exit $st: $(peek $tmp/k9next.err)"
fi
same_state "SIGKILL, then the next run"

kill9 $tmp/k9b.txt --batch openat
$K --restore >$tmp/restore.txt 2>&1
st=$?
if [ $st -eq 0 ] && grep -q 'restored what kfollow (pid' $tmp/restore.txt && [ ! -f $J ]; then
	ok "--restore after a SIGKILL: $(cat $tmp/restore.txt)"
else
	bad "--restore: exit $st: $(peek $tmp/restore.txt)"
fi
same_state "SIGKILL, then --restore"
$K --restore >$tmp/restore2.txt 2>&1
if grep -q 'nothing to restore' $tmp/restore2.txt; then
	ok "--restore with no journal: $(cat $tmp/restore2.txt)"
else
	bad "--restore with no journal: $(peek $tmp/restore2.txt)"
fi

# a crash of kfollow itself: the handler restores from memory and removes
# the journal before dying, with no later run needed
for sig in SEGV ABRT; do
	start_armed $tmp/crash-$sig.txt --batch openat
	kill -$sig $kp
	wait $kp
	st=$?
	killall sleep 2>/dev/null
	if [ ! -f $J ]; then
		ok "SIG$sig in kfollow (exit $st): no journal left"
	else
		bad "SIG$sig in kfollow (exit $st): the journal stayed"
	fi
	same_state "SIG$sig in kfollow, nothing run after"
done

# two at once: the second is refused, naming the first
start_armed $tmp/first.txt --batch openat
$K --batch openat -- $CAT /tmp/demo.txt >$tmp/second.txt 2>$tmp/second.err
st=$?
if [ $st -eq 75 ] && grep -q "in use by another kfollow (pid $kp" $tmp/second.err &&
   [ "$(wc -l <$tmp/second.err)" -eq 1 ] && ! [ -s $tmp/second.txt ]; then
	ok "two runs at once: the second exits 75: $(cat $tmp/second.err)"
else
	bad "two runs at once: exit $st: $(peek $tmp/second.err)"
fi
kill -INT $kp
wait $kp
killall sleep 2>/dev/null
if grep -q 'openat(AT_FDCWD, "/tmp/demo.txt"' $tmp/first.txt; then
	ok "two runs at once: the first one's capture is whole"
else
	bad "two runs at once: the first printed $(peek $tmp/first.txt)"
fi
same_state "two runs at once"

fi # part a

if in_part b; then
# --scope: only the subsystems named are traced (set_ftrace_filter), the
# output says so, and a scope that matches nothing is refused
if [ $graph = 1 ]; then
	$K --batch --format json --scope vfs,fdtable openat -- $CAT /tmp/demo.txt >$tmp/scope.json 2>$tmp/scope.err
	st=$?
	grep -v '^hello from kfollow' $tmp/scope.json >$tmp/scope.j
	# the scope's nodes: in it (vfs, fdtable, the syscall entry); out of
	# it: allocations and locks, which a full trace of openat shows
	nf=$(grep -o '"scope_functions": *[0-9]*' $tmp/scope.j | grep -o '[0-9]*$')
	out=$(grep -oE '"f": *"(kmem_cache_|_raw_spin_|__kmalloc)[^"]*"' $tmp/scope.j | sort -u | head -3 | tr '\n' ' ')
	if [ $st -eq 0 ] && grep -q '"scope": *"vfs,fdtable"' $tmp/scope.j &&
	   [ "${nf:-0}" -gt 50 ] && grep -q '"f": *"path_openat"' $tmp/scope.j &&
	   [ -z "$out" ]; then
		ok "--scope vfs,fdtable: $nf functions, trees reach path_openat, nothing from outside"
	else
		bad "--scope vfs,fdtable: exit $st, $nf functions, outside: $out: $(peek $tmp/scope.err)"
	fi
	$K --batch --scope vfs openat -- $CAT /tmp/demo.txt >$tmp/scope.txt 2>&1
	if grep -q '^# scope: vfs ([0-9]* functions): calls to functions outside it are not shown' $tmp/scope.txt; then
		ok "--scope: the text output says what is not shown"
	else
		bad "--scope: no scope line: $(head -4 $tmp/scope.txt | tr '\n' '|')"
	fi
	$K --batch --scope no_such_function_xyz openat -- $CAT /tmp/demo.txt >$tmp/scope.txt 2>$tmp/scope.err
	st=$?
	if [ $st -eq 64 ] && grep -q "scope 'no_such_function_xyz': no subsystem" $tmp/scope.err; then
		ok "--scope of nothing: refused, status 64"
	else
		bad "--scope of nothing: exit $st: $(peek $tmp/scope.err)"
	fi
	same_state "--scope"
else
	skip "--scope" "no function_graph"
fi

# the kernel's tables kept between runs (/run/kfollow/ktab): the first
# run reads them from the kernel and keeps them, the next reads the file;
# both give the same functions, and the same scope (written as indexes
# of the kept available_filter_functions); another kernel's file, or one
# others could write, is not used; tracefs unchanged
if [ $graph = 1 ]; then
	KT=/run/kfollow/ktab
	rm -f $KT
	kt_run() {  # kt_run NAME: a scoped capture into $tmp/kt-NAME.*
		$K --batch --stats --format json --scope vfs,fdtable openat -- $CAT /tmp/demo.txt >$tmp/kt-$1.json 2>$tmp/kt-$1.err
		echo $? >$tmp/kt-$1.st
		grep -oE '"f": *"[^"]*"' $tmp/kt-$1.json | sed 's/.*"\([^"]*\)"$/\1/' | sort -u >$tmp/kt-$1.f
		grep -o '"scope_functions": *[0-9]*' $tmp/kt-$1.json | grep -o '[0-9]*$' >$tmp/kt-$1.n
	}
	kt_run cold
	kt_run warm
	export KFOLLOW_KTAB=
	kt_run off
	unset KFOLLOW_KTAB
	# every name a traceable function of this kernel, by its own list
	cut -d' ' -f1 $T/available_filter_functions | sort -u >$tmp/kt-aff
	unknown=$(comm -23 $tmp/kt-warm.f $tmp/kt-aff | head -3 | tr '\n' ' ')
	mode=$(stat -c '%a %u' $KT 2>/dev/null)
	if [ "$(cat $tmp/kt-cold.st $tmp/kt-warm.st $tmp/kt-off.st | tr -d '\n')" = 000 ] &&
	   ! grep -q 'kept from a run before' $tmp/kt-cold.err &&
	   grep -q 'set-up [0-9.]* s (kernel tables kept from a run before' $tmp/kt-warm.err &&
	   ! grep -q 'kept from a run before' $tmp/kt-off.err &&
	   [ "$mode" = "600 0" ] && [ -z "$unknown" ] &&
	   grep -qx path_openat $tmp/kt-warm.f &&
	   [ -s $tmp/kt-warm.n ] && cmp -s $tmp/kt-cold.n $tmp/kt-warm.n &&
	   cmp -s $tmp/kt-warm.n $tmp/kt-off.n; then
		ok "kernel tables kept: the second run reads $KT ($(wc -c <$KT) bytes, mode $mode), $(wc -l <$tmp/kt-warm.f) functions named, all in available_filter_functions, scope of $(cat $tmp/kt-warm.n) as read from the kernel"
	else
		bad "kernel tables kept: exits $(cat $tmp/kt-*.st | tr '\n' ' '), mode '$mode', unknown names '$unknown', scopes $(cat $tmp/kt-*.n | tr '\n' ' '): $(grep set-up $tmp/kt-*.err | tr '\n' '|')"
	fi
	# the same functions with and without the file, on the path every
	# open takes (the rest can differ between two runs of cat)
	miss=
	for f in path_openat do_dentry_open vfs_open; do
		grep -qx $f $tmp/kt-cold.f && ! grep -qx $f $tmp/kt-warm.f && miss="$miss $f"
	done
	hex=$(grep -c '^0x' $tmp/kt-warm.f)
	if [ -z "$miss" ] && [ "$hex" = 0 ]; then
		ok "kernel tables kept: no function lost or shown as an address"
	else
		bad "kernel tables kept: lost$miss, $hex addresses"
	fi
	# another kernel's key (a module that came since): read again, and
	# the file replaced with this kernel's
	sed -i '2s/^version /versioN /' $KT
	kt_run stale
	if ! grep -q 'kept from a run before' $tmp/kt-stale.err && ! grep -q '^versioN' $KT; then
		ok "kernel tables kept: another kernel's file is read again and replaced"
	else
		bad "kernel tables kept: a stale file was used: $(grep set-up $tmp/kt-stale.err)"
	fi
	chmod 620 $KT
	kt_run shared
	if ! grep -q 'kept from a run before' $tmp/kt-shared.err; then
		ok "kernel tables kept: a file others can write is not read"
	else
		bad "kernel tables kept: a group-writable file was read"
	fi
	same_state "kernel tables kept"
else
	skip "kernel tables kept" "no function_graph"
fi

# --path: of cat's opens (the loader's, libc's, its argument's), only the
# argument's is shown, with its tree; the real kernel recorded the strings
$K --batch --path '/tmp/*' openat -- $CAT /tmp/demo.txt >$tmp/path.txt 2>$tmp/path.err
st=$?
n=$(grep -c '^openat(' $tmp/path.txt)
left=$(sed -n 's/.*, \([0-9]*\) invocations* without a path matching --path not shown$/\1/p' $tmp/path.txt)
if [ $st -eq 0 ] && [ "$n" = 1 ] && grep -q '^openat(AT_FDCWD, "/tmp/demo.txt"' $tmp/path.txt &&
   { [ $graph = 0 ] || grep -q 'do_sys_openat2' $tmp/path.txt; } && [ "${left:-0}" -ge 2 ]; then
	ok "--path '/tmp/*': cat's own open shown, $left of the loader's and libc's left out"
else
	bad "--path: exit $st, $n shown, '$left' left out: $(grep '^openat\|^# [0-9]' $tmp/path.txt | head -4 | tr '\n' '|') $(peek $tmp/path.err)"
fi
same_state "--path"
# --setup: the file it writes is opened by the shell, untraced; only the
# command's open of it is in the output
$K --batch --setup 'echo set up >/tmp/setup.txt' --path '/tmp/setup*' openat -- $CAT /tmp/setup.txt >$tmp/setup.txt 2>$tmp/setup.err
st=$?
n=$(grep -c '^openat(' $tmp/setup.txt)
if [ $st -eq 0 ] && [ "$n" = 1 ] && grep -q '^openat(AT_FDCWD, "/tmp/setup.txt", O_RDONLY) = 3 .* cat\[' $tmp/setup.txt; then
	ok "--setup: its own open of /tmp/setup.txt untraced, cat's traced"
else
	bad "--setup: exit $st, $n invocations: $(grep '^openat' $tmp/setup.txt | head -3 | tr '\n' '|') $(peek $tmp/setup.err)"
fi
same_state "--setup"

# the traced command crashes
$K --batch openat -- /bin/sh -c "$CAT /tmp/demo.txt; kill -SEGV \$\$" >$tmp/crash.txt 2>$tmp/crash.err
st=$?
if [ $st -eq 139 ] && grep -q 'openat(AT_FDCWD, "/tmp/demo.txt"' $tmp/crash.txt; then
	ok "a crash of the command: exit 139, its trees printed"
else
	bad "a crash of the command: exit $st: $(peek $tmp/crash.err)"
fi
same_state "a crash of the command"

# another tracer at work: refused, nothing changed; --force takes over and
# gives its settings back
if [ $graph = 1 ]; then
	echo function >$T/current_tracer
	snap >$tmp/other
	refused_then_forced "current_tracer in use" $tmp/other \
		"current_tracer is 'function'"
	echo nop >$T/current_tracer
	same_state "the other tracer gone"
fi
if [ $graph = 1 ] && command -v trace-cmd >/dev/null; then
	killall sleep 2>/dev/null
	# a long sleep: one snapshot of tracefs takes 10-20 s under emulation
	trace-cmd record -q -p function_graph -g vfs_read -o /tmp/tc.dat sleep 600 >/dev/null 2>&1 &
	tc=$!
	# armed: function_graph is on and trace-cmd runs its command (a
	# process named sleep: trace-cmd's own arguments name it too, and
	# trace-cmd starts it only once tracing is set up); current_tracer
	# alone came too early on a busy host: the snapshot then caught
	# trace-cmd still arming
	i=0
	while [ $i -lt 600 ] && ! { [ "$(cat $T/current_tracer)" = function_graph ] &&
	      pidof sleep >/dev/null; }; do
		sleep 0.1; i=$((i + 1))
	done
	snap >$tmp/tc-state
	$K --batch openat -- $CAT /tmp/demo.txt >$tmp/tc.txt 2>$tmp/tc.err
	st=$?
	snap >$tmp/tc-after
	if [ $st -eq 75 ] && grep -q "in use:" $tmp/tc.err && cmp -s $tmp/tc-state $tmp/tc-after; then
		ok "trace-cmd tracing alongside: refused, its state untouched: $(cat $tmp/tc.err)"
	else
		bad "trace-cmd alongside: exit $st (armed after $i tenths of a second): $(peek $tmp/tc.err)"
	fi
	killall sleep 2>/dev/null
	wait $tc
	trace-cmd reset >/dev/null 2>&1
	echo 1 >$T/tracing_on
elif [ $graph = 1 ]; then
	skip "trace-cmd tracing alongside" "no trace-cmd in the VM"
fi

# from a state nothing like the defaults: refused without --force; with
# it, every exit path gives that state back byte for byte
if [ $graph = 1 ]; then
	sz=$(cat $T/buffer_size_kb)
	clk0=$(sed 's/.*\[\(.*\)\].*/\1/' $T/trace_clock)
	echo mono >$T/trace_clock
	echo vfs_read >$T/set_ftrace_filter
	echo vfs_write >$T/set_ftrace_notrace
	echo do_sys_openat2 >$T/set_graph_function
	echo schedule >$T/set_graph_notrace
	echo 1 >$T/options/function-fork
	[ -f $T/options/funcgraph-irqs ] && echo 0 >$T/options/funcgraph-irqs
	echo 5 >$T/max_graph_depth
	echo 100 >$T/tracing_thresh
	echo 2048 >$T/buffer_size_kb
	echo 1 >$T/events/sched/sched_switch/enable
	echo 1 >$T/events/syscalls/sys_enter_openat/enable
	snap >$tmp/nd
	refused_then_forced "non-default state" $tmp/nd 'set_ftrace_filter holds'
	for sig in INT TERM HUP; do
		start_armed $tmp/nd-$sig.txt --batch --force --clock global openat
		kill -$sig $kp
		wait $kp
		killall sleep 2>/dev/null
		same_as "non-default state, SIG$sig mid-capture" $tmp/nd
	done
	kill9 $tmp/nd-k9.txt --batch --force --clock global openat
	$K --restore >/dev/null 2>&1
	same_as "non-default state, SIGKILL then --restore" $tmp/nd
	kill9 $tmp/nd-k9b.txt --batch --force openat
	$K --batch --force openat -- $CAT /tmp/demo.txt >/dev/null 2>&1
	same_as "non-default state, SIGKILL then the next run" $tmp/nd
	$K --batch --force openat -- /bin/sh -c "$CAT /tmp/demo.txt; kill -SEGV \$\$" >/dev/null 2>&1
	same_as "non-default state, a crash of the command" $tmp/nd
	start_armed $tmp/nd-first.txt --batch --force openat
	$K --batch --force openat -- $CAT /tmp/demo.txt >/dev/null 2>$tmp/nd-second.err
	st=$?
	kill -INT $kp
	wait $kp
	killall sleep 2>/dev/null
	if [ $st -eq 75 ]; then
		ok "non-default state, two runs at once: the second refused"
	else
		bad "non-default state, two runs at once: second exit $st: $(peek $tmp/nd-second.err)"
	fi
	same_as "non-default state, two runs at once" $tmp/nd
	for bad_args in "opneat -- $CAT /tmp/demo.txt" "openat -- /no/such/command" \
			"-g vfs_raed -- $CAT /tmp/demo.txt" "--max-depth 0 openat -- $CAT"; do
		# shellcheck disable=SC2086
		$K --batch --force $bad_args >/dev/null 2>&1
		same_as "non-default state, bad input ($bad_args)" $tmp/nd
	done
	# put the defaults back for the cases below
	echo >$T/set_ftrace_filter
	echo >$T/set_ftrace_notrace
	echo >$T/set_graph_function
	echo >$T/set_graph_notrace
	echo 0 >$T/options/function-fork
	[ -f $T/options/funcgraph-irqs ] && echo 1 >$T/options/funcgraph-irqs
	echo 0 >$T/max_graph_depth
	echo 0 >$T/tracing_thresh
	echo ${sz%% *} >$T/buffer_size_kb
	echo $clk0 >$T/trace_clock
	echo 0 >$T/events/sched/sched_switch/enable
	echo 0 >$T/events/syscalls/sys_enter_openat/enable
fi

# --- the lab presets on their workloads (tests/vm/guest-labs.sh) --------
. /tmp/kftest/bin/kf-guest-labs
same_state "lab presets"

# --- tracefs not mounted: kfollow mounts it and unmounts it after ---------
umount $T
$K --batch openat -- $CAT /tmp/demo.txt >$tmp/mnt.txt 2>&1
st=$?
if [ $st -eq 0 ] && ! mounted; then
	ok "tracefs unmounted before: captured (exit 0) and unmounted after"
else
	bad "tracefs unmounted before: exit $st, mounted after: $(grep tracefs /proc/mounts)"
fi
mount -t tracefs nodev $T
same_state "tracefs mount and unmount"
fi # part b
exit 0
