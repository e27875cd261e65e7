#!/bin/sh
# guest-lockdown.sh - run by tests/suites/50-vm in a guest booted with
# lockdown=confidentiality: kfollow refuses in one line, naming lockdown,
# and changes nothing.
. /tmp/kftest/bin/kf-lib.sh  # ok, bad: tests/lib.sh
mode=$(cat /sys/kernel/security/lockdown 2>/dev/null)
case $mode in
*"[confidentiality]"*) ;;
*)
	echo "ok - kernel lockdown refusal # SKIP this kernel did not lock down ($mode)"
	exit 0 ;;
esac
echo "hello" >/tmp/demo.txt
kfollow --batch openat -- /usr/bin/cat /tmp/demo.txt >/out/ld.txt 2>/out/ld.err
st=$?
if [ $st -eq 69 ] && grep -q "lockdown" /out/ld.err && [ "$(wc -l </out/ld.err)" -eq 1 ] &&
   ! [ -s /out/ld.txt ]; then
	ok "kernel lockdown: exit 69, one line: $(cat /out/ld.err)"
else
	bad "kernel lockdown: exit $st: $(head -c 300 /out/ld.err)"
fi
if [ -e /run/kfollow/journal ] || grep -q " /sys/kernel/tracing tracefs" /proc/mounts; then
	bad "kernel lockdown: kfollow left a journal or a tracefs mount"
else
	ok "kernel lockdown: nothing mounted, no journal left"
fi
