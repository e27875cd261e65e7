# tests/lib.sh - what every host suite shares (sourced, POSIX sh): TAP
# lines and the one-line error check.  The guest scripts get a copy in
# the VM (tests/suites/50-vm puts it in /tmp/kftest/bin/kf-lib.sh).
#
# ok NAME / bad NAME: a TAP result line
# skip NAME REASON: a result that could not be tested here, and why
# check NAME STATUS DETAIL: ok if STATUS is 0, else bad with DETAIL
# expect NAME CODE PATTERN -- ARGS...: $K ARGS exits CODE with one line
#   on stderr that contains PATTERN (grep BRE); needs K and tmp set

ok() { echo "ok - $*"; }
bad() { echo "not ok - $*"; }
skip() { echo "ok - $1 # SKIP $2"; }
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
