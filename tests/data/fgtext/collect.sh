#!/bin/sh
# collect.sh - record the function_graph text files in this directory from
# a real kernel.  Run inside a VM, one boot per kernel:
#   kfollow --vm=bookworm --vm-file /usr/bin/cat \
#     --vm-script tests/data/fgtext/collect.sh --output tests/data/fgtext
# Each file is the kernel's own `trace` output for `cat /tmp/demo.txt` with
# one column option changed from the defaults (or all of them, or a tiny
# buffer that loses events), cut to its first 300 lines.
T=/sys/kernel/tracing
grep -q " $T tracefs" /proc/mounts || mount -t tracefs nodev $T
echo "hello from kfollow" >/tmp/demo.txt
k=$(uname -r | cut -d. -f1,2)
opts="funcgraph-abstime funcgraph-proc funcgraph-cpu funcgraph-tail
funcgraph-irqs funcgraph-overrun funcgraph-duration funcgraph-overhead
funcgraph-retval latency-format sleep-time graph-time"

defaults() {
	echo 0 >$T/tracing_on
	echo nop >$T/current_tracer
	for d in $opts; do
		[ -f $T/options/$d ] || continue
		case $d in
		funcgraph-cpu|funcgraph-irqs|funcgraph-duration|funcgraph-overhead|sleep-time|graph-time) v=1 ;;
		*) v=0 ;;
		esac
		echo $v >$T/options/$d
	done
	echo 1 >$T/options/overwrite
	echo 1408 >$T/buffer_size_kb
	echo >$T/set_graph_function
}

# record NAME ROOT COMMAND...: trace COMMAND under ROOT into /out/NAME.txt
record() {
	name=$1 root=$2
	shift 2
	echo "$root" >$T/set_graph_function
	echo function_graph >$T/current_tracer
	echo >$T/trace
	echo 1 >$T/tracing_on
	"$@" >/dev/null
	echo 0 >$T/tracing_on
	head -300 $T/trace >/out/$k-$name.txt
	echo "recorded $k-$name: $(wc -l </out/$k-$name.txt) lines"
}

defaults
record default do_sys_openat2 /usr/bin/cat /tmp/demo.txt
for o in $opts; do
	[ -f $T/options/$o ] || { echo "no option $o on $k"; continue; }
	defaults
	v=$(cat $T/options/$o)
	echo $((1 - v)) >$T/options/$o
	case $o in
	funcgraph-irqs) record irqs-off ksys_read /usr/bin/cat /usr/bin/cat ;;
	funcgraph-cpu|funcgraph-duration|funcgraph-overhead|sleep-time|graph-time)
		record ${o#funcgraph-}-off do_sys_openat2 /usr/bin/cat /tmp/demo.txt ;;
	*) record ${o#funcgraph-} do_sys_openat2 /usr/bin/cat /tmp/demo.txt ;;
	esac
done
# interrupts inside the trees: every function, so a timer tick shows; keep
# the header and the first top-level call that an interrupt entered
defaults
record irqs '' /usr/bin/cat /usr/bin/cat
cat $T/trace >/tmp/irqs.txt
l=$(grep -n '==========>' /tmp/irqs.txt | head -1 | cut -d: -f1)
if [ -n "$l" ]; then
	s=$(head -$l /tmp/irqs.txt | grep -n '|  [a-z_].*() {$' | tail -1 | cut -d: -f1)
	{ grep '^#' /tmp/irqs.txt; sed -n "${s},$((l + 120))p" /tmp/irqs.txt; } >/out/$k-irqs.txt
	echo "recorded $k-irqs: $(wc -l </out/$k-irqs.txt) lines (interrupt at line $l)"
else
	echo "no interrupt recorded on $k"
fi
# everything on at once
defaults
for o in funcgraph-abstime funcgraph-proc funcgraph-tail funcgraph-overrun funcgraph-retval latency-format; do
	[ -f $T/options/$o ] && echo 1 >$T/options/$o
done
record all do_sys_openat2 /usr/bin/cat /tmp/demo.txt
# a buffer too small for the trace, read through trace_pipe, which says
# how many events were overwritten: LOST lines
defaults
echo 4 >$T/buffer_size_kb
echo 1 >$T/options/funcgraph-proc
echo function_graph >$T/current_tracer
echo 1 >$T/tracing_on
/usr/bin/cat /usr/bin/cat >/dev/null
echo 0 >$T/tracing_on
cat $T/trace_pipe >/tmp/lost.txt &
sleep 2
kill $!
head -300 /tmp/lost.txt >/out/$k-lost.txt
echo "recorded $k-lost: $(grep -c LOST /out/$k-lost.txt) LOST lines"
defaults
