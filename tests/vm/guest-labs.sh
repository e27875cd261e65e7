#!/bin/sh
# guest-labs.sh - the lab presets on their workloads, in a real kernel
# (sourced by guest-cases.sh part b; runs alone as well).  Each lab's
# trees must hold the functions its preset's notes name, on every kernel
# the suite boots; times are checked where the workload knows them.
#
# Not here: the read lab's cold read and ext4's fsync need a block device
# (the guest is all tmpfs).
T=${T:-/sys/kernel/tracing}
K=${K:-kfollow}
tmp=${tmp:-/out}
mkdir -p $tmp
command -v ok >/dev/null 2>&1 || . /tmp/kftest/bin/kf-lib.sh

# has FILE NAME...: the trees in FILE name every function NAME; each NAME
# may be "a|b" (either, for a function a kernel renamed); prints the
# missing ones
has() {
	f=$1
	shift
	miss=
	for n in "$@"; do
		grep -qE "(─|-) ($n)(\.[a-z0-9.]+)?(\$| )" $f || miss="$miss $n"
	done
	echo "$miss"
}

# lab NAME FILE -- FUNCS: one TAP line
lab() {
	name=$1 f=$2 st=$3
	shift 3
	miss=$(has $f "$@")
	if [ "$st" = 0 ] && [ -z "$miss" ]; then
		ok "lab $name: the trees hold $*"
	else
		bad "lab $name: exit $st, missing:$miss $(peek $f.err)"
	fi
}

grep -q " $T tracefs" /proc/mounts || mount -t tracefs nodev $T
if ! grep -qw function_graph $T/available_tracers 2>/dev/null; then
	skip "lab presets" "no function_graph"
	return 0 2>/dev/null || exit 0
fi

# exec: sh forks for the first true and execs the last itself
$K --batch --preset exec -- /bin/sh -c '/usr/bin/true; /usr/bin/true' \
	>$tmp/lab-exec.txt 2>$tmp/lab-exec.txt.err
st=$?
lab exec $tmp/lab-exec.txt $st kernel_clone copy_process vm_area_dup \
	bprm_execve load_elf_binary begin_new_exec do_mmap mmap_region
# the preset's depth keeps exec's teardown from filling the buffer
if grep -q 'dropped\|lost' $tmp/lab-exec.txt.err; then
	bad "lab exec: events lost: $(peek $tmp/lab-exec.txt.err)"
else
	ok "lab exec: nothing lost at the default buffer size"
fi

# open: a name the dcache has, one it does not (ENOENT), one created
rm -f /tmp/lab-new
$K --batch --path '/tmp/*' openat -- /bin/sh -c \
	'cat /tmp/demo.txt; cat /tmp/lab-nosuch; echo x >/tmp/lab-new' \
	>$tmp/lab-open.txt 2>$tmp/lab-open.txt.err
st=$?
lab open $tmp/lab-open.txt $st link_path_walk lookup_fast __d_lookup_rcu \
	d_alloc_parallel simple_lookup inode_permission may_open \
	security_path_mknod shmem_create fd_install
if grep -q '^openat(AT_FDCWD, "/tmp/lab-nosuch", .*= -2 ENOENT' $tmp/lab-open.txt; then
	ok "lab open: the missing file's open returned -2 ENOENT"
else
	bad "lab open: no failed open of /tmp/lab-nosuch: $(grep '^openat' $tmp/lab-open.txt | head -3 | tr '\n' '|')"
fi

# pipe: cat reads an empty pipe while the writer sleeps 100 ms
$K --batch --preset pipe -- /bin/sh -c '(sleep 0.1; echo hi) | cat' \
	>$tmp/lab-pipe.txt 2>$tmp/lab-pipe.txt.err
lab pipe $tmp/lab-pipe.txt $? 'pipe_read|anon_pipe_read' \
	'pipe_write|anon_pipe_write' schedule '__wake_up_sync_key|__wake_up'

# the reader waited for the writer's 100 ms sleep: its longest read says so
ms=$(sed -n 's/^read(0, .*<\([0-9.]*\) ms>.*/\1/p' $tmp/lab-pipe.txt | sort -n | tail -1)
if [ -n "$ms" ] && awk "BEGIN{exit !($ms >= 50 && $ms < 5000)}"; then
	ok "lab pipe: the reader's read waited $ms ms for a writer sleeping 100 ms"
else
	bad "lab pipe: longest read '$ms' ms: $(grep '^read(0' $tmp/lab-pipe.txt | head -2 | tr '\n' '|')"
fi

# sleep: 50 ms in clock_nanosleep (or nanosleep), nearly all off the CPU
$K --batch --format json --preset sleep -- /bin/sleep 0.05 \
	>$tmp/lab-sleep.json 2>$tmp/lab-sleep.txt.err
st=$?
$K --batch --input $tmp/lab-sleep.json >$tmp/lab-sleep.txt 2>>$tmp/lab-sleep.txt.err
lab sleep $tmp/lab-sleep.txt $st hrtimer_nanosleep do_nanosleep schedule
# the header: at least the 50 ms asked for, and under a second
ms=$(sed -n 's/^\(clock_\)*nanosleep(.*<\([0-9.]*\) ms>.*/\2/p' $tmp/lab-sleep.txt | head -1)
if [ -n "$ms" ] && awk "BEGIN{exit !($ms >= 50 && $ms < 1000)}"; then
	ok "lab sleep: the sleep read $ms ms (50 asked)"
else
	bad "lab sleep: header '$ms' ms: $(grep 'sleep(' $tmp/lab-sleep.txt | head -2 | tr '\n' '|')"
fi

# fsync on tmpfs: the common core, and nothing to write back
$K --batch --preset fsync -- /bin/dd if=/dev/zero of=/tmp/lab-f bs=4k count=4 conv=fsync \
	>$tmp/lab-fsync.txt 2>$tmp/lab-fsync.txt.err
lab fsync $tmp/lab-fsync.txt $? 'do_fsync|vfs_fsync_range' noop_fsync
rm -f /tmp/lab-f /tmp/lab-new
