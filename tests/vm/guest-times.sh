#!/bin/sh
# guest-times.sh - the workloads whose times tests/vm/check-times compares
# with ground truth, run inside a VM (tests/suites/50-vm copies it in as
# kf-guest-times).  Leaves in /out, per case NAME (with the suffix $1):
# NAME.json (kfollow's capture), NAME.out (kfollow's exit status and the
# workload's own measurement), NAME.err, and for the node-by-node cases
# NAME.dat (the raw pages as a trace-cmd file, for trace-cmd report).
#
#   kf-guest-times [SUFFIX] [load]   "load": a CPU hog on the other vCPU
#                                    (the exit case runs idle only)
#
# requires: function_graph; kf-times and kf-w2 in PATH (tests/vm/times.c,
# tests/bench/w2.c)
K=kfollow
sfx=$1
PATH=/tmp/kftest/bin:$PATH
tmp=/tmp/kft$$
mkdir -p $tmp /out
T=/sys/kernel/tracing
grep -q " $T tracefs" /proc/mounts || mount -t tracefs nodev $T
grep -qw function_graph $T/available_tracers ||
	{ echo "ok - times$sfx # SKIP no function_graph in this kernel"; exit 0; }
if [ ! -d /tmp/w ]; then
	mkdir -p /tmp/w
	i=0
	while [ $i -lt 100 ]; do echo "file $i" >/tmp/w/f$i; i=$((i + 1)); done
fi

# run NAME KFOLLOW-ARGS...: the workload's lines and kfollow's JSON come on
# one stdout; split them
run() {
	name=$1$sfx
	shift
	$K --batch --format json "$@" >$tmp/$name.raw 2>/out/$name.err
	st=$?
	echo "status $st" >/out/$name.out
	grep -E '^(slept|read-waited|w2:) ' $tmp/$name.raw >>/out/$name.out
	grep -vE '^(slept|read-waited|w2:|file [0-9]+$)' $tmp/$name.raw >/out/$name.json
	if [ $st -eq 0 ] && [ -s /out/$name.json ]; then
		echo "ok - times$sfx: $name captured"
	else
		echo "not ok - times$sfx: $name: exit $st: $(head -c 300 /out/$name.err | tr '\n' '|')"
	fi
}

hog=
if [ "$2" = load ]; then
	( while :; do :; done ) &
	hog=$!
fi
# three: the host may deschedule the vCPU between a sleep's return and
# the program's clock read (seen: 12 ms with the host busy)
run sleep clock_nanosleep -- kf-times sleep 50 3
run pipe read -- kf-times pipe 100
# exit_group's trees run to tens of thousands of calls (the mm torn
# down); the count and the shape at the top are what is checked here, and
# every file leaves the VM through a slow serial line
[ -n "$hog" ] || run exit -D 6 execve exit_group -- /bin/sh -c "/usr/bin/true; /usr/bin/true"
run cat -o /out/cat$sfx.dat openat read -- /usr/bin/cat /tmp/w/f1
run w2 -o /out/w2$sfx.dat openat -- kf-w2 /tmp/w 100
[ -n "$hog" ] && kill $hog
rm -rf $tmp
exit 0
