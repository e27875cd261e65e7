#!/bin/sh
# guest-cases.sh - the real-kernel tests, run inside one VM boot per kernel
# by tests/suites/50-vm (kfollow --vm=KERNEL --vm-script ...).  Prints TAP
# lines; leaves JSON captures in /out for the host to validate against the
# schema and to check tree invariants (tests/vm/check-trees).
#
# requires: a kernel with tracefs; function_graph for the tree cases (a
# kernel without it gets those cases skipped, with the reason)
T=/sys/kernel/tracing
K=kfollow
CAT=/usr/bin/cat
tmp=/out
mkdir -p $tmp /out

ok() { echo "ok - $*"; }
bad() { echo "not ok - $*"; }
skip() { echo "ok - $1 # SKIP $2"; }
# first lines of a file, on one line, for failure messages
peek() { head -c 300 "$1" | tr '\n' '|'; }

echo "# kernel $(uname -r)"
echo "hello from kfollow" >/tmp/demo.txt

mounted() { grep -q " $T tracefs" /proc/mounts; }

# Every tracefs file kfollow could touch, for before/after comparisons.
snap() {
	if ! mounted; then
		echo "tracefs not mounted"
		return
	fi
	for f in $T/* $T/options/*; do
		[ -f "$f" ] || continue
		case $f in
		*/trace|*/trace_pipe|*/trace_marker*|*/per_cpu|*/printk_formats|\
		*/saved_*|*/available_*|*/enabled_functions|*/touched_functions|\
		*/dyn_ftrace_total_info|*/README|*/free_buffer|*/snapshot|\
		*/stack_trace*|*/kprobe_profile|*/uprobe_profile|*/error_log|\
		*/trace_clock) continue ;;
		esac
		echo "== $f"
		cat "$f" 2>&1
	done
	echo "== enabled events"
	for f in $T/events/*/*/enable; do
		[ "$(cat $f)" = 0 ] || echo "$f"
	done
	echo "== instances"
	ls $T/instances
}

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

# --- the same as JSON, for the host's schema and invariant checks --------
$K --batch --format json openat -- $CAT /tmp/demo.txt >/out/openat.json 2>$tmp/json.err
st=$?
if [ $st -eq 0 ] && [ -s /out/openat.json ]; then
	ok "openat --format json: exit 0, $(wc -c </out/openat.json) bytes"
else
	bad "openat --format json: exit $st: $(peek $tmp/json.err)"
fi
grep -v '^hello from kfollow' /out/openat.json >$tmp/j && mv $tmp/j /out/openat.json

# --- --output then --input: the same text --------------------------------
$K --batch --output /out/saved.json openat -- $CAT /tmp/demo.txt >$tmp/live.txt 2>/dev/null
$K --batch --input /out/saved.json >$tmp/replay.txt 2>$tmp/replay.err
grep -v '^hello from kfollow' $tmp/live.txt >$tmp/live2.txt
if cmp -s $tmp/live2.txt $tmp/replay.txt; then
	ok "--output then --input shows the same text"
else
	bad "--input differs from the live output: $(diff $tmp/live2.txt $tmp/replay.txt | head -4 | tr '\n' '|')"
fi

# --- read, write, close ----------------------------------------------------
# Through a pipe: with a regular file as its output, GNU cat copies with
# copy_file_range and never calls read or write.
$K --batch read -- $CAT /tmp/demo.txt 2>$tmp/read.err | cat >$tmp/read.txt
if grep -q '^read(3, 0x[0-9a-f]*, [0-9]*) = 19' $tmp/read.txt; then
	ok "read: header read(3, ..., N) = 19"
else
	bad "read: no header for the 19-byte read: $(grep '^read(' $tmp/read.txt | head -3 | tr '\n' '|') $(peek $tmp/read.err)"
fi
if [ $graph = 1 ]; then
	if grep -q 'vfs_read' $tmp/read.txt; then ok "read: tree shows vfs_read"; else bad "read: tree lacks vfs_read"; fi
fi
$K --batch write -- $CAT /tmp/demo.txt 2>$tmp/write.err | cat >$tmp/write.txt
if grep -q '^write(1, "hello from kfollow\\n", 19) = 19' $tmp/write.txt ||
   grep -q '^write(1, 0x[0-9a-f]*, 19) = 19' $tmp/write.txt; then
	ok "write: header write(1, ..., 19) = 19"
else
	bad "write: no header for the write: $(grep '^write(' $tmp/write.txt | head -3 | tr '\n' '|') $(peek $tmp/write.err)"
fi
if [ $graph = 1 ]; then
	if grep -q 'vfs_write' $tmp/write.txt; then ok "write: tree shows vfs_write"; else bad "write: tree lacks vfs_write"; fi
fi
$K --batch close -- $CAT /tmp/demo.txt >$tmp/close.txt 2>$tmp/close.err
if grep -q '^close(3) = 0' $tmp/close.txt; then
	ok "close: header close(3) = 0"
else
	bad "close: no close(3) = 0: $(grep '^close(' $tmp/close.txt | head -3 | tr '\n' '|') $(peek $tmp/close.err)"
fi
same_state "read/write/close"

# --- failed calls decode their errno --------------------------------------
$K --batch openat -- $CAT /tmp/nonexistent >$tmp/enoent.txt 2>&1
st=$?
if [ $st -eq 1 ] && grep -q '"/tmp/nonexistent", O_RDONLY) = -2 ENOENT' $tmp/enoent.txt; then
	ok "a failing open: exit status 1 passes through, -2 ENOENT decoded"
else
	bad "a failing open: exit $st: $(grep nonexistent $tmp/enoent.txt | head -2 | tr '\n' '|')"
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

# --- signals mid-capture: state restored, what was captured is printed ----
for sig in INT TERM HUP; do
	# a file per signal, made empty before the start: the last run's
	# output must not pass for this one's
	out=$tmp/sig-$sig.txt err=$tmp/sig-$sig.err
	: >$out
	: >$err
	$K --batch openat -- /bin/sh -c "$CAT /tmp/demo.txt; sleep 30" >$out 2>$err &
	kp=$!
	# wait until the command has run its cat (the capture is armed)
	i=0
	while [ $i -lt 300 ] && ! grep -q 'hello from kfollow' $out; do
		sleep 0.2; i=$((i + 1))
	done
	sleep 1
	kill -$sig $kp
	wait $kp
	st=$?
	if grep -q 'openat(AT_FDCWD, "/tmp/demo.txt"' $out; then
		ok "SIG$sig mid-capture: exit $st, the trees so far are printed"
	else
		bad "SIG$sig mid-capture: exit $st, nothing printed (waited $i polls): $(peek $err)"
	fi
	pkill -f 'sleep 30' 2>/dev/null
	same_state "SIG$sig mid-capture"
done

# --- a signal during set-up: a one-line message, nothing changed ---------
# TERM, as a background job's SIGINT is ignored until kfollow installs its
# handler.  Sent once kfollow runs; under emulation set-up takes seconds, so
# it lands there; if it lands later the trees must be printed instead.
$K --batch openat -- $CAT /tmp/demo.txt >$tmp/early.txt 2>$tmp/early.err &
kp=$!
i=0
# until kfollow catches SIGTERM (bit 15 of SigCgt): before that, a signal
# kills it as it would any program that has not started yet
catches_term() {
	m=$(sed -n 's/^SigCgt:[[:space:]]*//p' /proc/$1/status 2>/dev/null)
	[ -n "$m" ] && [ $((0x$m & 0x4000)) -ne 0 ]
}
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
$K --batch opneat -- $CAT /tmp/demo.txt >$tmp/us.txt 2>&1
st=$?
if [ $st -eq 64 ] && grep -q "openat" $tmp/us.txt && [ "$(wc -l <$tmp/us.txt)" -eq 1 ]; then
	ok "unknown syscall: exit 64, names the nearest: $(cat $tmp/us.txt)"
else
	bad "unknown syscall: exit $st: $(peek $tmp/us.txt)"
fi
same_state "unknown syscall"

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
exit 0
