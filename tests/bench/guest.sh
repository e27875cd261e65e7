#!/bin/sh
# guest.sh - the benchmark, run inside one VM boot (kfollow --vm-script).
#
# For each workload (W0 /usr/bin/true, W1 a shell loop running cat on 80
# files, W2 one process opening and reading 2000 files) it runs, REPS
# times each (medians in the report): the workload untraced; kfollow, in
# full and with --scope vfs,fdtable; trace-cmd, following the command only
# (-F) and its children too (-F -c, as kfollow does); perf ftrace; a plain
# tracefs script reading trace_pipe; and the limit: function_graph set up
# by hand with a buffer that holds everything and no reader at all (the
# kernel's own cost).  One line per run:
#   BENCH work=W1 tool=kfollow wall_ns=... calls=... lost=... [more]
# "calls" counts do_sys_openat2 trees captured; the oracle is the number
# of openat enter events trace-cmd records for the workload alone (events
# only: no graph, nothing lost at these rates).
#
# Then the bystander: an untraced W2 in another process, timed alone and
# while kfollow traces an idle process with and without a scope (every
# patched call site costs every task on the machine).
#
# Last, syscall boundaries (issue 16): dd moving DD_COUNT 512-byte blocks
# from /dev/zero to /dev/null (two syscalls a block), untraced, under
# strace -f -c, perf trace -s (where the VM has perf) and kfollow
# --boundary --summary; "calls" counts dd's reads each tool saw.  Then a
# syscall-light one ("light"): sha256sum of a 32 MB file, mostly hashing
# with a read per 32 KB, where a tracer should cost next to nothing.
# BENCH_ONLY=dd runs only that part.
T=/sys/kernel/tracing
REPS=${REPS:-3}
SCOPE=vfs,fdtable
export PATH=/tmp/kfbench/bin:$PATH
mountpoint -q $T 2>/dev/null || mount -t tracefs nodev $T
cd /tmp
mkdir -p /tmp/b
i=0
while [ $i -lt 2000 ]; do echo "file $i" >/tmp/b/f$i; i=$((i + 1)); done
cat >/tmp/w1.sh <<'EOF'
i=0
while [ $i -lt 80 ]; do /usr/bin/cat /tmp/b/f$i >/dev/null; i=$((i + 1)); done
EOF
W0="/usr/bin/true"
W1="/bin/sh /tmp/w1.sh"
W2="kf-w2 /tmp/b 2000"
PERF=$(ls /usr/bin/perf /usr/bin/perf_* 2>/dev/null | head -1)
echo "BENCH kernel=$(uname -r) reps=$REPS"

wall() { sed -n 's/.*wall_ns=\([0-9]*\).*/\1/p' "$1" | tail -1; }
sum_lost() { awk '{s += $1} END {print s + 0}'; }

# warm up: expand the ring buffer, load the workload's pages, and switch
# function_graph on and off once (a boot's first switch took 6-12 s under
# emulation, the later ones 3-5 s)
echo 1 >$T/events/sched/sched_process_exit/enable
echo 0 >$T/events/sched/sched_process_exit/enable
echo function_graph >$T/current_tracer
echo nop >$T/current_tracer
for w in "$W0" "$W1" "$W2"; do $w >/dev/null 2>&1; done
# rotated REP WORD...: the words, starting REP - 1 further along.  Each
# rep starts one tool further along: under emulation a switch's cost
# depends on what switched before it (seen 3.1 to 9.0 s for the same
# script in one boot), so no tool always follows the same one
rotated() {
	k=$1
	shift
	while [ $k -gt 1 ]; do
		t=$1
		shift
		set -- "$@" $t
		k=$((k - 1))
	done
	echo "$@"
}

DD_COUNT=${DD_COUNT:-20000}
DD="/usr/bin/dd if=/dev/zero of=/dev/null bs=512 count=$DD_COUNT"
LIGHT="/usr/bin/sha256sum /tmp/light.bin"

# one run of tool $1 on workload $2 (dd or light): $CMD, whose process
# is named $COMM
run_dd() {
	tool=$1 work=${2:-dd}
	if [ $work = dd ]; then
		CMD=$DD COMM=dd
	else
		CMD=$LIGHT COMM=sha256sum
	fi
	case $tool in
	untraced)
		kf-time $CMD 2>/tmp/t >/dev/null
		echo "BENCH work=$work tool=untraced wall_ns=$(wall /tmp/t)"
		;;
	strace)
		# strace stops the command at every call: it loses nothing
		kf-time strace -f -c -o /tmp/s.txt $CMD 2>/tmp/t >/dev/null
		# "% time seconds usecs/call calls [errors] syscall"
		calls=$(awk '$NF == "read" { print $4 }' /tmp/s.txt)
		echo "BENCH work=$work tool=strace wall_ns=$(wall /tmp/t) calls=${calls:-?} lost=0"
		;;
	perf-trace)
		[ -n "$PERF" ] || return 0
		kf-time $PERF trace -s -o /tmp/pt.txt -- $CMD 2>/tmp/t >/dev/null
		calls=$(awk '$1 == "read" { print $2; exit }' /tmp/pt.txt)
		lost=$(sed -n 's/.*LOST \([0-9]*\) events.*/\1/p' /tmp/pt.txt /tmp/t | sum_lost)
		echo "BENCH work=$work tool=perf-trace wall_ns=$(wall /tmp/t) calls=${calls:-?} lost=$lost"
		;;
	kfollow-boundary)
		kf-time kfollow --batch --stats --boundary --summary -- $CMD >/tmp/k.txt 2>/tmp/t
		calls=$(awk -v c="$COMM" 'index($0, c "[") == 1 && /\]$/ { p = 1; next } /^$/ { p = 0 } p && $NF == "read" { print $1 }' /tmp/k.txt)
		lost=$(sed -n 's/.*events (\([0-9]*\) lost.*/\1/p' /tmp/t)
		echo "BENCH work=$work tool=kfollow-boundary wall_ns=$(wall /tmp/t) calls=${calls:-?} lost=${lost:-?}"
		;;
	esac
}

# REPS rounds of workload $1 under each tool, the order rotated
dd_reps() {
	rep=0
	while [ $rep -lt $REPS ]; do
		rep=$((rep + 1))
		for t in $(rotated $rep untraced strace perf-trace \
			   kfollow-boundary); do
			run_dd $t $1
		done
	done
}

bench_dd() {
	[ -x /usr/bin/dd ] || { echo "BENCH note=no-dd-in-the-VM"; return; }
	[ -n "$PERF" ] || echo "BENCH note=no-perf-in-the-VM:perf-trace-skipped"
	dd_reps dd
	[ -x /usr/bin/sha256sum ] || { echo "BENCH note=no-sha256sum-in-the-VM"; return; }
	/usr/bin/dd if=/dev/zero of=/tmp/light.bin bs=1M count=32 2>/dev/null
	dd_reps light
	rm -f /tmp/light.bin
}
if [ "$BENCH_ONLY" = dd ]; then
	bench_dd
	echo "BENCH done"
	exit 0
fi

# kfollow TOOL ARGS...: one kfollow run on $cmd
run_kfollow() {
	tool=$1
	shift
	kf-time kfollow --batch --stats --no-preset "$@" openat -- $cmd >/tmp/k.txt 2>/tmp/t
	# a node the task was switched out in ends in "[off-CPU ...]"
	calls=$(grep -cE '^ *[0-9.]+ [nmu]*s +[0-9.]+ [nmu]*s  .*do_sys_openat2( +\[.*\])?$' /tmp/k.txt)
	# do_sys_openat2 is outside a vfs,fdtable scope: count the headers
	[ "$tool" = kfollow-scope ] && calls=$(grep -c '^openat(' /tmp/k.txt)
	# a tree short of the oracle: keep the output for the host to read
	[ "$calls" = "$want" ] || cp /tmp/k.txt "/out/short-$work-$tool-$rep.txt"
	st=$(grep 'kfollow: stats:' /tmp/t | tr '\n' ' ')
	lost=$(echo "$st" | sed -n 's/.*(\([0-9]*\) lost.*/\1/p')
	events=$(echo "$st" | sed -n 's/.*stats: \([0-9]*\) events.*/\1/p')
	pp=$(echo "$st" | sed -n 's/.*(\([0-9]*\) events\/s).*/\1/p')
	bpn=$(echo "$st" | sed -n 's/.* \([0-9]*\) bytes per node.*/\1/p')
	arm=$(echo "$st" | sed -n 's/.* arm \([0-9.]*\) s.*/\1/p')
	stop=$(echo "$st" | sed -n 's/.* stop \([0-9.]*\) s.*/\1/p')
	setup=$(echo "$st" | sed -n 's/.*set-up \([0-9.]*\) s.*/\1/p')
	echo "BENCH work=$work tool=$tool wall_ns=$(wall /tmp/t) calls=$calls lost=${lost:-?} events=${events:-?} pp_events_per_s=${pp:-?} bytes_per_node=${bpn:-?} setup_s=${setup:-?} arm_s=${arm:-?} stop_s=${stop:-?}"
}

# trace-cmd TOOL ARGS...: raw per-CPU pages to a file, like kfollow
run_tracecmd() {
	tool=$1
	shift
	kf-time trace-cmd record "$@" -p function_graph -g do_sys_openat2 -o /tmp/tc.dat -F $cmd >/dev/null 2>/tmp/t.rec
	cat /tmp/t.rec >/tmp/t
	calls=$(trace-cmd report -i /tmp/tc.dat 2>/dev/null | grep -c 'do_sys_openat2()')
	lost=$(grep -E '^(overrun|dropped events):' /tmp/t.rec | awk '{s += $NF} END {print s + 0}')
	records=$(trace-cmd report -R -i /tmp/tc.dat 2>/dev/null | grep -c 'funcgraph_')
	kf-time trace-cmd report -i /tmp/tc.dat >/dev/null 2>/tmp/t.rep
	rep_ns=$(wall /tmp/t.rep)
	echo "BENCH work=$work tool=$tool wall_ns=$(wall /tmp/t) calls=$calls lost=$lost events=$records report_ns=$rep_ns"
}

# the limit: function_graph on the command and its children, a buffer of
# 64 MB a CPU (W2's ~450k events fit), nothing reads it; timed from
# switching it on to switching it off (the resize is not: no tool does it)
write_limit() {
	cat >/tmp/limit-in.sh <<EOF
echo function_graph >$T/current_tracer
sh -c 'echo \$\$ >$T/set_ftrace_pid; echo 1 >$T/tracing_on; exec $cmd' >/dev/null
echo 0 >$T/tracing_on
echo nop >$T/current_tracer
EOF
	cat >/tmp/limit.sh <<EOF
echo 0 >$T/tracing_on
old=\$(cat $T/buffer_size_kb)
echo 65536 >$T/buffer_size_kb
echo do_sys_openat2 >$T/set_graph_function
echo 1 >$T/options/function-fork
kf-time sh /tmp/limit-in.sh
cat $T/per_cpu/cpu*/stats | sed -n 's/^overrun: //p' >/tmp/limit.lost
echo >$T/set_graph_function
echo >$T/set_ftrace_pid
echo 0 >$T/options/function-fork
echo \$old >$T/buffer_size_kb
echo 1 >$T/tracing_on
EOF
}

# one run of tool $1 on $cmd, for $work
run_tool() {
	case $1 in
	kfollow) run_kfollow kfollow ;;
	kfollow-scope) run_kfollow kfollow-scope --scope $SCOPE ;;
	trace-cmd) run_tracecmd trace-cmd ;;
	trace-cmd-c) run_tracecmd trace-cmd-c -c ;;
	perf-ftrace)
		# perf ftrace (reads trace_pipe)
		[ -n "$PERF" ] || return 0
		kf-time $PERF ftrace -G do_sys_openat2 -- $cmd >/tmp/p.txt 2>/tmp/t
		calls=$(grep -c 'do_sys_openat2()' /tmp/p.txt)
		lost=$(sed -n 's/.*\[LOST \([0-9]*\) EVENTS\].*/\1/p' /tmp/p.txt | sum_lost)
		echo "BENCH work=$work tool=perf-ftrace wall_ns=$(wall /tmp/t) calls=$calls lost=$lost"
		;;
	trace_pipe-script)
		kf-time sh /tmp/plain.sh 2>/tmp/t
		grep -q kfbench: /tmp/t && echo "BENCH note=$work-trace_pipe-script:$(grep kfbench: /tmp/t | head -1 | sed 's/^kfbench: //; s/ /-/g')"
		calls=$(grep -c 'do_sys_openat2()' /tmp/plain.txt)
		lost=$(sed -n 's/.*\[LOST \([0-9]*\) EVENTS\].*/\1/p' /tmp/plain.txt | sum_lost)
		echo "BENCH work=$work tool=trace_pipe-script wall_ns=$(wall /tmp/t) calls=$calls lost=$lost"
		;;
	limit)
		sh /tmp/limit.sh 2>/tmp/t
		echo "BENCH work=$work tool=limit wall_ns=$(wall /tmp/t) calls=- lost=$(sum_lost </tmp/limit.lost)"
		;;
	esac
}
# left_on TOOL: a tool that left a tracer on gave a time without its
# switch off, and the next tool would pay for it: say so, switch it off
left_on() {
	cur=$(cat $T/current_tracer)
	[ "$cur" = nop ] && return 0
	echo "BENCH note=$work-$1-left-$cur-on:its-time-lacks-the-switch-off"
	echo nop >$T/current_tracer
}
# kfollow, the script and the limit run back to back (their order rotated
# too): the host's load drifts over minutes (one W1 of the script took
# 10.4 s in one rep and 16.3 s in the next), and the report's paired
# ratios (each rep's kfollow over the script and the limit beside it)
# cancel that drift where medians of separate runs do not
TOOLS=${BENCH_TOOLS:-trio kfollow-scope trace-cmd trace-cmd-c perf-ftrace}
TRIO="kfollow trace_pipe-script limit"

for work in ${BENCH_WORKS:-W0 W1 W2}; do
	eval cmd=\$$work
	# oracle: openat enter events of the workload and its children (-c)
	trace-cmd record -q -c -e syscalls:sys_enter_openat -o /tmp/o.dat -F $cmd >/dev/null 2>&1
	want=$(trace-cmd report -i /tmp/o.dat 2>/dev/null | grep -c 'sys_enter_openat')
	echo "BENCH work=$work tool=oracle calls=$want"
	write_limit
	cat >/tmp/plain.sh <<EOF
echo 0 >$T/tracing_on
echo do_sys_openat2 >$T/set_graph_function
echo 1 >$T/options/function-fork
echo function_graph >$T/current_tracer
cat $T/trace_pipe >/tmp/plain.txt &
reader=\$!
sh -c 'echo \$\$ >$T/set_ftrace_pid; echo 1 >$T/tracing_on; exec $cmd' >/dev/null
echo 0 >$T/tracing_on
sleep 0.2
kill \$reader
# the kernel refuses to change the tracer while trace_pipe is open
# (EBUSY): without the wait the switch off failed, untimed, and the next
# tool found function_graph still on
n=0
while kill -0 \$reader 2>/dev/null && [ \$n -lt 50 ]; do sleep 0.2; n=\$((n + 1)); done
# a reader still there after 10 s: say so (one sid boot hung here once)
kill -0 \$reader 2>/dev/null && { echo "kfbench: the trace_pipe reader outlived SIGTERM by 10 s" >&2; kill -9 \$reader; }
wait \$reader
echo nop >$T/current_tracer || echo "kfbench: the script could not switch function_graph off" >&2
echo >$T/set_graph_function
echo >$T/set_ftrace_pid
echo 0 >$T/options/function-fork
echo 1 >$T/tracing_on
EOF

	rep=0
	while [ $rep -lt $REPS ]; do
		rep=$((rep + 1))
		kf-time $cmd >/dev/null 2>/tmp/t
		echo "BENCH work=$work tool=untraced wall_ns=$(wall /tmp/t)"

		for t in $(rotated $rep $TOOLS); do
			[ $t = trio ] && t=$(rotated $rep $TRIO)
			for u in $t; do
				run_tool $u
				left_on $u
			done
		done
	done
done

# BENCH_TOOLS or BENCH_WORKS (a part of the bench): nothing more
if [ -n "$BENCH_TOOLS$BENCH_WORKS" ]; then
	echo "BENCH done"
	exit 0
fi

# the bystander: W2 untraced, alone and beside kfollow tracing an idle
# process (tracing is armed once current_tracer reads function_graph)
sleep 100000 &
idle=$!
by() {
	kf-time $W2 >/dev/null 2>/tmp/t
	echo "BENCH work=bystander tool=$1 wall_ns=$(wall /tmp/t)"
}
rep=0
while [ $rep -lt $REPS ]; do
	rep=$((rep + 1))
	by alone
	for s in full scope; do
		args=
		[ $s = scope ] && args="--scope $SCOPE"
		kfollow --batch $args -p $idle openat >/dev/null 2>&1 &
		kp=$!
		n=0
		while ! grep -q function_graph $T/current_tracer 2>/dev/null ||
		      [ "$(cat $T/tracing_on)" != 1 ]; do
			n=$((n + 1))
			[ $n -gt 600 ] && break
			sleep 0.1
		done
		by "beside-kfollow-$s"
		kill -INT $kp
		wait $kp
	done
done
kill $idle

# a real capture for the TUI's view-model bench (tests/bench/view): W2
# with the openat preset, as a user runs it, saved for the host
kfollow --batch --force --no-show --output /out/w2.json openat -- $W2 >/dev/null 2>/out/w2.err
bench_dd
echo "BENCH done"
