# tests/lib.sh - what every suite shares (sourced, POSIX sh, busybox
# too): TAP lines, the one-line error check and the tracefs snapshot.  The
# guest scripts get a copy in the VM (tests/suites/50-vm puts it in
# /tmp/kftest/bin/kf-lib.sh).
#
# ok NAME / bad NAME: a TAP result line
# skip NAME REASON: a result that could not be tested here, and why
# check NAME STATUS DETAIL: ok if STATUS is 0, else bad with DETAIL
# peek FILE: its first 300 bytes on one line, for failure messages
# expect NAME CODE PATTERN -- ARGS...: $K ARGS exits CODE with one line
#   on stderr that contains PATTERN (grep BRE); needs K and tmp set
# wait_until CMD...: poll until CMD succeeds (a busy machine is slow);
#   1 after 60 s
# catches_term PID: PID has its SIGTERM handler in place (bit 15 of
#   SigCgt): before that a signal kills it as it would any program
# tracing_for PID: a buffer under $T (top level or an instance) filters
#   on PID with tracing on: kfollow is armed for it
# mounted: tracefs is mounted at $T
# snap: every tracefs file under $T kfollow could touch, for before/after
#   comparisons (unreadable files are recorded as such)

ok() { echo "ok - $*"; }
bad() { echo "not ok - $*"; }
skip() { echo "ok - $1 # SKIP $2"; }
peek() { head -c 300 "$1" | tr '\n' '|'; }
check() {
	if [ "$2" -eq 0 ]; then ok "$1"; else bad "$1: $3"; fi
}
expect() {
	name=$1 code=$2 pat=$3
	shift 4
	$K "$@" >$tmp/out 2>$tmp/err
	st=$?
	# a host that refuses function_graph says so in one line first:
	# that note is not the error
	lines=$(grep -vc 'tracing syscall boundaries only' $tmp/err)
	if [ $st -ne $code ]; then
		bad "$name: exit $st, wanted $code ($(head -c 200 $tmp/err))"
	elif ! grep -q -- "$pat" $tmp/err; then
		bad "$name: message '$(head -c 200 $tmp/err)' lacks '$pat'"
	elif [ "$lines" -ne 1 ]; then
		bad "$name: $lines lines on stderr, wanted one"
	else
		ok "$name"
	fi
}

wait_until() {
	i=0
	until "$@"; do
		i=$((i + 1))
		[ $i -gt 600 ] && return 1
		sleep 0.1
	done
	return 0
}

catches_term() {
	m=$(sed -n 's/^SigCgt:[[:space:]]*//p' /proc/$1/status 2>/dev/null)
	[ -n "$m" ] && [ $((0x$m & 0x4000)) -ne 0 ]
}

tracing_for() {
	for d in $T $T/instances/*; do
		grep -qw "$1" $d/set_event_pid 2>/dev/null &&
			[ "$(cat $d/tracing_on 2>/dev/null)" = 1 ] && return 0
	done
	return 1
}

mounted() { grep -q " $T tracefs" /proc/mounts; }

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
		*/stack_trace*|*/kprobe_profile|*/uprobe_profile|*/error_log)
			continue ;;
		esac
		echo "== $f"
		cat "$f" 2>&1
	done
	# one grep, not a process per event: there are thousands
	echo "== enabled events"
	grep -lvx 0 $T/events/*/*/enable 2>&1
	echo "== instances"
	ls $T/instances
}
