#!/usr/bin/env bash
# Kernel threads from a user's shell: `kthread NAME` makes one (a child of
# kthreadd with no mm), its ctl's load and store are kernel-mode accesses
# through the tables of the mm it borrows (the direct map reads and writes
# RAM, a vmalloc area works once mapped), a bad kernel address or a user
# address (SMAP) is an oops in dmesg that kills only the thread; on i386
# with --vmalloc-fault the classic vmalloc_fault copies a missing
# page-directory entry; a TLB shootdown reaches a CPU whose kernel thread
# borrows the mm lazily; and once everything is gone the frames are free.
. "$(dirname "$0")/lib.sh"
mount_mmufs --mem 64M --cpus 2

# all_free AREA LEFT WHY STACK - after vfree AREA and the empty slabs'
# return, check, LEFT frames are still not back (WHY) and KernelStack is
# STACK kB; then unmount.
all_free() {
	ctl machine "vfree $1" >/dev/null
	echo 2 >"$MNT/sys/vm/drop_caches"
	check_machine
	assert_eq $((free0 - $(free_frames))) "$2" "frames not back ($3)"
	assert_eq "$(field "$MNT/meminfo" KernelStack)" "$4" "the stacks of init, kthreadd, kswapd0"
	fusermount3 -u "$MNT"
	daemon_stopped "the unmount"
}
vmstat_of() { awk -v k="$1" '$1 == k { print $2 }' "$MNT/vmstat"; }
# dmesg_text - dmesg without its timestamps, which every line must have.
dmesg_text() {
	grep -qv '^\[ *[0-9]\{1,\}\.[0-9]\{6\}\] ' "$MNT/dmesg" &&
		fail "a dmesg line without its timestamp: $(cat "$MNT/dmesg")"
	sed 's/^\[ *[0-9]*\.[0-9]*\] //' "$MNT/dmesg"
}
# phys_hex ADDR LEN - LEN bytes of RAM at physical ADDR, in hex.
phys_hex() { od -An -v -t x1 -j "$1" -N "$2" "$MNT/physmem" | tr -d ' \n'; }

free0=$(free_frames)
forks0=$(vmstat_of mmufs_fork)

# ---- the thread in the tree, as ps sees kthreadd's children ----
stack0=$(field "$MNT/meminfo" KernelStack)
k=$(ctl machine "kthread kworker/0:1")
assert_eq "$(field "$MNT/meminfo" KernelStack)" $((stack0 + 16)) "its kernel stack"
assert_eq "$k" 4 "the first new task's pid"
assert_eq "$(vmstat_of mmufs_fork)" $((forks0 + 1)) "kthreadd's fork counted"
stat=$(cat "$MNT/$k/stat")
assert_eq "$(cut -d' ' -f2-4 <<<"$stat")" "(kworker/0:1) S 2" "stat: comm, state, ppid kthreadd"
flags=$(cut -d' ' -f9 <<<"$stat")
(( flags & 0x00200000 )) || fail "stat flags $flags lack PF_KTHREAD"
assert_eq "$(field "$MNT/$k/status" Kthread)" 1 "status Kthread"
grep -q '^Vm' "$MNT/$k/status" && fail "a kernel thread with Vm lines"
[ -z "$(cat "$MNT/$k/maps")" ] || fail "a kernel thread's maps not empty"
[ -z "$(tr -d '\0' <"$MNT/$k/cmdline")" ] || fail "a kernel thread's cmdline (ps brackets its name)"
assert_eq "$(cat "$MNT/$k/mm")" "active_mm none" "asleep, it borrows nothing"
grep -qx "$k" <(ls "$MNT") || fail "the kernel thread is not listed"

# ---- user-mode commands need an mm; the boot's kernel threads make no
# kernel-mode accesses ----
ctl_err "$k" "mmap 0 4096 rw- private" EINVAL
ctl_err "$k" "brk" EINVAL
ctl_err "$k" fork EINVAL
ctl_err "$k" "exec /bin/true" EINVAL
ctl_err "$k" "touch 0xffff888000000000 4096" EINVAL
ctl_err "$k" kill EPERM
ctl_err 2 "load 0xffff888000000000" EPERM
ctl_err 3 "store 0xffff888000000000 00" EPERM

# ---- the direct map: PAGE_OFFSET + physical address is RAM ----
pgd=$(awk '$1 == "swapper_pg_dir:" { print $2 }' "$MNT/machine")
pa=$((pgd * 4096 + 273 * 8))	# swapper_pg_dir's direct-map entry
assert_eq "$(ctl "$k" "load $(printf '%#x' $((0xffff888000000000 + pa))) 8")" \
	"$(phys_hex "$pa" 8)" "a direct-map load reads physmem"
[ "$(phys_hex "$pa" 8)" != 0000000000000000 ] || fail "the entry read is empty"
# The machine's own state is not for storing into: a page table, the
# zero page (the first frame of the kernel image).
ctl_err "$k" "store $(printf '%#x' $((0xffff888000000000 + pa))) 00" EPERM
assert_eq "$(phys_hex "$pa" 8)" "$(ctl "$k" "load $(printf '%#x' $((0xffff888000000000 + pa))) 8")" "the refused store changed nothing"
zp=$(awk '$1 == "zero_page:" { print $2 }' "$MNT/machine")
ctl_err "$k" "store $(printf '%#x' $((0xffff888000000000 + zp * 4096 + 4094))) 01020304" EPERM
ctl 1 "mmap 0x10000000 4096 rw- private|anon|fixed" >/dev/null
ctl 1 "store 0x10000000 'user'" >/dev/null
pfn=$(pfn_of 1 0x10000000)
[ "$pfn" -gt 0 ] || fail "pid 1's page is not present"
dm=$(printf '%#x' $((0xffff888000000000 + pfn * 4096)))
assert_eq "$(ctl "$k" "load $dm 4")" 75736572 "the kernel reads the user page through the direct map"
assert_eq "$(ctl "$k" "store $dm 'kern'")" 0 "a direct-map store"
assert_eq "$(phys_hex $((pfn * 4096)) 4)" 6b65726e "physmem after the store"
assert_eq "$(ctl 1 "load 0x10000000 4")" 6b65726e "the process sees the kernel's store"

# ---- a vmalloc area ----
a=$(ctl machine "vmalloc 8K")
assert_eq "$(ctl "$k" "store $(printf '%#x' $((a + 4096 + 10))) 'vmalloc'")" 0 "a store in the area's second page"
assert_eq "$(ctl "$k" "load $(printf '%#x' $((a + 4096 + 10))) 7")" 766d616c6c6f63 "the load reads it back"
assert_eq "$(ctl "$k" "load $a 4")" 00000000 "vmalloc's pages are zeroed"
check_machine

# ---- a bad kernel address: the oops ----
bad=$(printf '%#018x' $((a + 8192)))	# the area's guard page
ctl_err "$k" "load $bad" EFAULT
[ ! -e "$MNT/$k" ] || fail "the oopsed thread is still there"
dmesg=$(dmesg_text)
want="BUG: unable to handle page fault for address: ${bad#0x}
#PF: supervisor read access in kernel mode
#PF: error_code(0x0000) - not-present page"
assert_eq "$(head -3 <<<"$dmesg")" "$want" "the oops's first lines"
grep -q '^PGD [0-9a-f]* P4D [0-9a-f]* PUD [0-9a-f]* PMD [0-9a-f]* PTE 0$' <<<"$dmesg" ||
	fail "the oops's page-table line: $dmesg"
grep -qx 'Oops: 0000 \[#1\] SMP NOPTI' <<<"$dmesg" || fail "the Oops line"
grep -qx "CPU: 0 PID: $k Comm: kworker/0:1" <<<"$dmesg" || fail "the CPU line"
grep -q "kernel_oops: page_fault address=$bad error_code=0x0 -RK die=1" \
	"$MNT/trace" || fail "the oops in the trace"
grep -q "sched_process_exit: status=0x9" "$MNT/trace" || fail "the thread's exit in the trace"
[ "$(ctl 1 "load 0x10000000 4")" = 6b65726e ] || fail "the machine runs on"
check_machine

# ---- a user address from a kernel thread: SMAP, an oops ----
k2=$(ctl machine "kthread smap")
ctl machine "schedule 1 0" >/dev/null
ctl machine "schedule $k2 0" >/dev/null
assert_eq "$(cat "$MNT/$k2/mm")" "active_mm borrowed from pid 1" "lazy TLB: init's mm"
ctl_err "$k2" "load 0x10000000" EFAULT
grep -qx '#PF: error_code(0x0001) - permissions violation' <<<"$(dmesg_text)" ||
	fail "SMAP's oops: $(cat "$MNT/dmesg")"
grep -qx 'Oops: 0001 \[#2\] SMP NOPTI' <<<"$(dmesg_text)" || fail "the second oops's number"
# A non-canonical address is a #GP.
k3=$(ctl machine "kthread gp")
ctl_err "$k3" "store 0x8000000000000000 00" EFAULT
grep -qx 'general protection fault, probably for non-canonical address 0x8000000000000000: 0000 \[#3\] SMP NOPTI' \
	<<<"$(dmesg_text)" || fail "the #GP oops"
# A user-mode access to a kernel address is still SIGSEGV for a process.
child=$(ctl 1 fork)
ctl_err "$child" "load 0xffff888000000000" EFAULT
assert_eq "$(ctl 1 "wait $child")" "$child 11" "SIGSEGV"
check_machine

# ---- a TLB shootdown reaches the CPU a kernel thread borrows the mm on ----
p=$(ctl 1 fork)
ctl machine "schedule $p 1" >/dev/null
ctl "$p" "touch 0x10000000 4096 w" >/dev/null
k4=$(ctl machine "kthread lazy")
ctl machine "schedule $k4 1" >/dev/null	# borrows p's mm on cpu 1
ctl machine "schedule $p 0" >/dev/null
assert_eq "$(cat "$MNT/$k4/mm")" "active_mm borrowed from pid $p" "k4 borrows p's mm"
remote=$(vmstat_of nr_tlb_remote_flush)
received=$(vmstat_of nr_tlb_remote_flush_received)
ctl "$p" "munmap 0x10000000 4096" >/dev/null
assert_eq "$(vmstat_of nr_tlb_remote_flush)" $((remote + 1)) "a remote flush sent"
# Received by cpu 1 alone: munmap runs on p's CPU, 0, whose flush is local.
assert_eq "$(vmstat_of nr_tlb_remote_flush_received)" $((received + 1)) "and received by cpu 1"
tail -5 "$MNT/trace" | grep -q '\[001\] .*tlb_flush: .* start=0x10000000 end=0x10001000 pages=1' ||
	fail "no tlb_flush on cpu 1 in the trace"
check_machine

# ---- everything ends: every frame free again ----
assert_eq "$(ctl "$k4" exit)" 0 "a kernel thread's exit"
[ ! -e "$MNT/$k4" ] || fail "kthreadd reaps at once"
# cpu 1 went idle on the kernel's tables: p's mm lost its mm_count there.
assert_eq "$(awk '$1 == "cpu_bitmap" { print $2 }' "$MNT/$p/mm")" 0x1 "p's mm only on cpu 0"
[ ! -e "$MNT/$k3" ] && [ ! -e "$MNT/$k2" ] || fail "the oopsed threads are gone"
ctl "$p" exit >/dev/null
ctl 1 "wait $p" >/dev/null
ctl 1 "munmap 0x10000000 4096" >/dev/null
all_free "$a" 1 "init keeps the anon_vma its page had: one slab" 48

# ---- i386: the classic lazy vmalloc_fault, and 6.x's eager sync ----
for lazy in 1 0; do
	if [ $lazy = 1 ]; then
		mount_mmufs --arch i386 --mem 64M --vmalloc-fault
	else
		mount_mmufs --arch i386 --mem 64M
	fi
	free0=$(free_frames)
	k=$(ctl machine "kthread kvmf")
	ctl machine "schedule 1 0" >/dev/null
	a=$(ctl machine "vmalloc 4K")
	assert_eq "$a" 0xc4800000 "the i386 vmalloc area"
	ctl machine "schedule $k 0" >/dev/null
	assert_eq "$(cat "$MNT/$k/mm")" "active_mm borrowed from pid 1" "i386: borrowing init's mm"
	assert_eq "$(ctl "$k" "store 0xc4800010 'i386'")" 0 "i386: a vmalloc store"
	assert_eq "$(ctl "$k" "load 0xc4800010 4")" 69333836 "i386: and its load"
	assert_eq "$(vmstat_of mmufs_vmalloc_fault)" $lazy "vmalloc faults (lazy=$lazy)"
	if [ $lazy = 1 ]; then
		grep -q 'vmalloc_fault: address=0xc4800010 pgd_index=786' "$MNT/trace" ||
			fail "the vmalloc fault in the trace"
	else
		grep -q vmalloc_fault "$MNT/trace" && fail "a vmalloc fault with the eager sync"
	fi
	assert_eq "$(ctl "$k" "load 0xc4800010 4")" 69333836 "i386: again"
	assert_eq "$(vmstat_of mmufs_vmalloc_fault)" $lazy "the entry is there now"
	dm=$(printf '%#x' $((0xc0000000 + $(awk '$1 == "swapper_pg_dir:" { print $2 }' "$MNT/machine") * 4096 + 786 * 4)))
	[ "$(ctl "$k" "load $dm 4")" != 00000000 ] || fail "init_mm's PDE through the direct map"
	ctl_err "$k" "load 0x100000000" EINVAL
	ctl_err "$k" "load 0xc4801000" EFAULT
	grep -q '^\*pde = [0-9a-f]\{8\} \*pte = 00000000 $' <<<"$(dmesg_text)" || fail "i386's dump_pagetable: $(cat "$MNT/dmesg")"
	check_machine
	all_free "$a" 1 "the vmalloc PT stays" 24
done
