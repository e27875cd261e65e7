#!/bin/sh
# guest-labs.sh - the labs of kfollow-labs(7), in a real kernel (sourced
# by guest-cases.sh part b; runs alone as well).  Each lab runs the
# command its section gives (after "kfollow --vm"), word for word, and its
# trees must hold the functions the section and the preset's notes name,
# on every kernel the suite boots; times are checked where the workload
# knows them.  The host checks the page against these trees again
# (tests/vm/check-labs).
#
# The read lab and ext4's fsync need a block device: they run where the
# boot has --vm-disk (GPL-3 on an ext4 disk at /mnt/disk), else skip.
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
$K --batch --preset exec -- sh -c '/usr/bin/true; /usr/bin/true' >$tmp/lab-exec.txt 2>$tmp/lab-exec.txt.err
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
# (--output: the host maps its functions to the kernel's source,
# tests/vm/check-sources)
$K --batch --output $tmp/lab-open.json --setup 'echo hello from kfollow >/tmp/demo.txt' --path '/tmp/*' openat -- sh -c 'cat /tmp/demo.txt; cat /tmp/lab-nosuch; echo x >/tmp/lab-new' >$tmp/lab-open.txt 2>$tmp/lab-open.txt.err
st=$?
lab open $tmp/lab-open.txt $st link_path_walk lookup_fast __d_lookup_rcu \
	d_alloc_parallel simple_lookup inode_permission may_open \
	security_path_mknod shmem_create fd_install
if grep -q '^openat(AT_FDCWD, "/tmp/lab-nosuch", .*= -2 ENOENT' $tmp/lab-open.txt; then
	ok "lab open: the missing file's open returned -2 ENOENT"
else
	bad "lab open: no failed open of /tmp/lab-nosuch: $(grep '^openat' $tmp/lab-open.txt | head -3 | tr '\n' '|')"
fi
# the page names the function the error came from
if grep -qE '(─|-) (step_into|step_into_slowpath) = -2 ENOENT  <- error origin$' $tmp/lab-open.txt; then
	ok "lab open: the error origin is marked: $(grep -o '[a-z_]* = -2 ENOENT  <- error origin' $tmp/lab-open.txt)"
else
	bad "lab open: no error origin at step_into: $(grep 'error origin' $tmp/lab-open.txt | head -2 | tr '\n' '|')"
fi

# pipe: cat reads an empty pipe while the writer sleeps 100 ms
$K --batch --preset pipe -- sh -c '(sleep 0.1; echo hi) | cat' >$tmp/lab-pipe.txt 2>$tmp/lab-pipe.txt.err
lab pipe $tmp/lab-pipe.txt $? 'pipe_read|anon_pipe_read' \
	'pipe_write|anon_pipe_write' schedule __wake_up_sync_key

# the reader waited for the writer's 100 ms sleep: its longest read says so
ms=$(sed -n 's/^read(0, .*<\([0-9.]*\) ms>.*/\1/p' $tmp/lab-pipe.txt | sort -n | tail -1)
if [ -n "$ms" ] && awk "BEGIN{exit !($ms >= 50 && $ms < 5000)}"; then
	ok "lab pipe: the reader's read waited $ms ms for a writer sleeping 100 ms"
else
	bad "lab pipe: longest read '$ms' ms: $(grep '^read(0' $tmp/lab-pipe.txt | head -2 | tr '\n' '|')"
fi

# the reader's schedule: off the CPU for the writer's sleep, woken by the
# writer from inside its pipe_write (sched_switch, sched_waking)
line=$(grep -E '(─|-) schedule  \[off-CPU [0-9.]+ ms, woken by sh\[[0-9]+\] in (anon_)?pipe_write\]' $tmp/lab-pipe.txt | head -1)
off=$(echo "$line" | sed -n 's/.*off-CPU \([0-9.]*\) ms.*/\1/p')
if [ -n "$off" ] && awk "BEGIN{exit !($off >= 50 && $off <= $ms)}"; then
	ok "lab pipe: $off ms off the CPU in schedule, woken by the writer: $(echo "$line" | sed 's/.*\[off/[off/')"
else
	bad "lab pipe: no wait woken by the writer: $(grep 'off-CPU' $tmp/lab-pipe.txt | head -3 | tr '\n' '|')"
fi

# the sched tracepoints kfollow turns on (its events; set_event_pid's
# probes on switch, wakeup, fork and free) are its own plumbing: their
# iterators, traceable on 6.1, 6.12 and 7.x, stay out of the trees of a
# fork and a wakeup (the builder hides __traceiter_sched_*)
it=$(grep -ho '__traceiter_sched_[a-z_]*' $tmp/lab-pipe.txt $tmp/lab-exec.txt | sort -u | tr '\n' ' ')
if grep -q '__traceiter_sched_switch' $T/available_filter_functions 2>/dev/null; then
	if [ -z "$it" ] && grep -q 'copy_process' $tmp/lab-exec.txt; then
		ok "labs: no sched tracepoint iterator in the trees of exec and pipe"
	else
		bad "labs: kfollow's own tracepoints in the trees: $it"
	fi
else
	skip "labs: sched tracepoint iterators" "not traceable on $(uname -r)"
fi

# sleep: 50 ms in clock_nanosleep (or nanosleep), nearly all off the CPU
$K --batch --preset sleep -- sleep 0.05 >$tmp/lab-sleep.txt 2>$tmp/lab-sleep.txt.err
lab sleep $tmp/lab-sleep.txt $? hrtimer_nanosleep do_nanosleep schedule
# the header: at least the 50 ms asked for, and under a second
ms=$(sed -n 's/^\(clock_\)*nanosleep(.*<\([0-9.]*\) ms>.*/\2/p' $tmp/lab-sleep.txt | head -1)
if [ -n "$ms" ] && awk "BEGIN{exit !($ms >= 50 && $ms < 1000)}"; then
	ok "lab sleep: the sleep read $ms ms (50 asked)"
else
	bad "lab sleep: header '$ms' ms: $(grep 'sleep(' $tmp/lab-sleep.txt | head -2 | tr '\n' '|')"
fi
# off the CPU for the 50 ms, woken by the timer's interrupt; the header
# splits the time
off=$(sed -n 's/^\(clock_\)*nanosleep(.*(on-CPU [0-9.]* [mun]*s, off-CPU \([0-9.]*\) ms)$/\2/p' $tmp/lab-sleep.txt | head -1)
if [ -n "$off" ] && awk "BEGIN{exit !($off >= 45 && $off <= $ms)}" &&
   grep -qE 'schedule  \[off-CPU [0-9.]+ ms, woken from an interrupt on ' $tmp/lab-sleep.txt; then
	ok "lab sleep: $off ms of the $ms off the CPU, woken from the timer's interrupt"
else
	bad "lab sleep: off-CPU '$off' of '$ms' ms: $(grep 'off-CPU' $tmp/lab-sleep.txt | head -2 | tr '\n' '|')"
fi

# fsync on tmpfs: the common core, and nothing to write back
$K --batch --preset fsync -- dd if=/dev/zero of=/tmp/lab-f bs=4k count=4 conv=fsync >$tmp/lab-fsync.txt 2>$tmp/lab-fsync.txt.err
lab fsync $tmp/lab-fsync.txt $? 'do_fsync|vfs_fsync_range' noop_fsync
rm -f /tmp/lab-f /tmp/lab-new

# the labs on a real disk (--vm-disk: part b's boots have one)
if ! grep -q ' /mnt/disk ext4 ' /proc/mounts; then
	skip "lab read, lab fsync on ext4" "no --vm-disk in this boot"
	return 0 2>/dev/null || exit 0
fi
ok "--vm-disk: /dev/vda mounted at /mnt/disk as ext4"

# read: cold (the page cache dropped first), then warm, each saved, then
# the two compared
cd $tmp || exit 1
$K --batch --drop-caches -o cold.json read -- cat /mnt/disk/GPL-3 >$tmp/lab-read-cold.txt 2>$tmp/lab-read-cold.txt.err
lab read-cold $tmp/lab-read-cold.txt $? ext4_file_read_iter filemap_read \
	page_cache_sync_ra ext4_mpage_readpages submit_bio
$K --batch -o warm.json read -- cat /mnt/disk/GPL-3 >$tmp/lab-read-warm.txt 2>$tmp/lab-read-warm.txt.err
st=$?
lab read-warm $tmp/lab-read-warm.txt $st ext4_file_read_iter filemap_read
# ground truth by absence: a warm read reads no disk
absent=$(has $tmp/lab-read-warm.txt page_cache_sync_ra submit_bio ext4_mpage_readpages)
if [ $st = 0 ] && [ "$absent" = " page_cache_sync_ra submit_bio ext4_mpage_readpages" ]; then
	ok "lab read-warm: no readahead, no bio: the pages were in the cache"
else
	bad "lab read-warm: exit $st; of the cold read's disk functions it lacks only:$absent"
fi
# --diff: readahead and the bios only in A (the cold read), never in B
$K --diff cold.json warm.json >$tmp/lab-read-diff.txt 2>&1
st=$?
a=$(grep -cE '^- .*(─|-) (page_cache_sync_ra|submit_bio)( |$)' $tmp/lab-read-diff.txt)
b=$(grep -cE '^[^-].*(─|-) (page_cache_sync_ra|submit_bio)( |$)' $tmp/lab-read-diff.txt)
if [ $st = 0 ] && [ "$a" -ge 2 ] && [ "$b" = 0 ]; then
	ok "lab read: --diff cold.json warm.json marks readahead and submit_bio only in the cold read ($a rows)"
else
	bad "lab read: --diff exit $st, $a rows only in A, $b elsewhere: $(peek $tmp/lab-read-diff.txt)"
fi
cd / || exit 1

# fsync on ext4: the pages written back and the journal's commit waited for
$K --batch --preset fsync -- dd if=/dev/zero of=/mnt/disk/lab-f bs=4k count=16 conv=fsync >$tmp/lab-fsync-ext4.txt 2>$tmp/lab-fsync-ext4.txt.err
lab fsync-ext4 $tmp/lab-fsync-ext4.txt $? ext4_sync_file \
	file_write_and_wait_range submit_bio jbd2_log_wait_commit io_schedule
# who did the work while fsync was off the CPU: the journal's thread
# committed, and woke it (it slept) or had taken its CPU (it had only
# yielded, and the commit was done when it came back)
if grep -qE '\[off-CPU [0-9.]+ [mun]*s( in [0-9]+ sleeps)?, (woken|preempted) by jbd2/[^]]*\]' $tmp/lab-fsync-ext4.txt &&
   grep -q '^fsync(.*(on-CPU .*, off-CPU .*)$' $tmp/lab-fsync-ext4.txt; then
	ok "lab fsync-ext4: off the CPU while the journal committed: $(grep -oE '(woken|preempted) by jbd2/[^]]*' $tmp/lab-fsync-ext4.txt | head -1)"
else
	bad "lab fsync-ext4: jbd2 is not named: $(grep -o 'off-CPU.*' $tmp/lab-fsync-ext4.txt | head -3 | tr '\n' '|')"
fi
rm -f /mnt/disk/lab-f
