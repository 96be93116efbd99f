#!/usr/bin/env bash
# The kernel's own memory, from the top down, on a machine of two NUMA
# nodes: nodes and their zones, each CPU's page lists, the buddy
# allocator and its migrate types, the slab caches the kernel's objects
# come from, and vmalloc, which a kernel thread reaches through the
# kernel half every address space shares.
# mount: --nodes 2 --cpus 2 --mem 256M
set -u
. "$(dirname "$0")/lib.sh"

# zone_block NODE ZONE - the zoneinfo block of one zone, up to its pagesets.
zone_block() {
	awk -v n="Node $1, zone" -v z="$2" '
		$0 ~ "^Node" { on = ($0 ~ "^" n " +" z "$") }
		on && /^  pages free|^        (min|low|high|managed) |protection/' \
		"$MNT/zoneinfo"
}

# pcp NODE ZONE CPU - that CPU's per-CPU list of the zone: count, high, batch.
pcp() {
	awk -v n="Node $1, zone" -v z="$2" -v c="$3" '
		$0 ~ "^Node" { on = ($0 ~ "^" n " +" z "$") }
		on && $1 == "cpu:" { cpu = ($2 == c) }
		on && cpu && ($1 == "count:" || $1 == "high:" || $1 == "batch:") {
			printf "%s %s  ", $1, $2 } END { print "" }' "$MNT/zoneinfo"
}

say "1. Nodes. RAM and CPUs are split between two nodes; each node has its" \
	"   own zones (cut by physical address), free lists, LRU lists and kswapd."
show grep -E '^(node|zone|cpus):' "$MNT/machine"
show cat "$MNT/node/node0/distance" "$MNT/node/node1/cpulist"
show cat "$MNT/3/comm" "$MNT/4/comm"
say "buddyinfo: free blocks of each order (4 KiB << order), per node and zone."
show cat "$MNT/buddyinfo"

say "2. Zones. Below 'low' an allocation wakes the node's kswapd, which" \
	"   reclaims up to 'high'; below 'min' the allocation reclaims itself." \
	"   'protection' keeps a low zone's pages for allocations that need it."
show zone_block 1 DMA32

say "3. Per-CPU lists. Single pages come from the allocating CPU's list of" \
	"   the zone; an empty list takes 'batch' pages from the buddy at once."
run 1 fork
p=$RESULT
run machine "schedule $p 1"
echo "cpu1's list of node 1's DMA32 before: $(pcp 1 DMA32 1)"
run "$p" "mmap 0 4M rw- private"
a=$RESULT
run "$p" "touch $a 4K w"
echo "cpu1's list of node 1's DMA32 after:  $(pcp 1 DMA32 1)"
f=$(pfn "$p" "$a")
say "The page came from node 1, the node of CPU 1 (numa_hit, local_node):"
show grep -E '^(node|zone|state):' "$MNT/frames/$f"
show cat "$MNT/node/node1/numastat"
say "munmap frees it: it goes back to cpu1's list, not to the buddy."
run "$p" "munmap $a 4M"
show grep '^state:' "$MNT/frames/$f"

say "4. Fallback. Node 1 has 128 MiB; a process on CPU 1 that touches 160 MiB" \
	"   gets the rest from node 0 (its zonelist's next node): numa_miss on" \
	"   node 0 (served there, wanted elsewhere), numa_foreign on node 1."
run "$p" "mmap 0 160M rw- private"
a=$RESULT
run "$p" "touch $a 160M w"
show grep -H -E '^numa_(miss|foreign)' "$MNT/node/node0/numastat" "$MNT/node/node1/numastat"
show grep -E 'MemFree' "$MNT/node/node0/meminfo" "$MNT/node/node1/meminfo"
run "$p" "munmap $a 160M"

say "5. Migrate types. The buddy keeps a free list per order and type, and" \
	"   each 2 MiB pageblock has a type: user pages are movable, page tables" \
	"   and slabs unmovable; a type out of blocks takes one of another's."
show sed -n '/^Number of blocks/,$p' "$MNT/pagetypeinfo"

say "6. Slab. The kernel's own objects (tasks, mms, vmas, files, page-cache" \
	"   nodes, kmalloc) are carved out of slabs of frames, one cache per kind."
show grep -E '^(# name|task_struct|mm_struct|vm_area_struct|anon_vma|vmap_area|kmalloc-96) ' "$MNT/slabinfo"
run "$p" fork
c=$RESULT
say "A fork takes a task_struct, an mm_struct and a vm_area_struct per vma:"
show grep -E '^(task_struct|mm_struct|vm_area_struct) ' "$MNT/slabinfo"
s=$(od -v -An -t u8 -w8 "$MNT/kpageflags" |
	awk '{ if (int($1 / 128) % 2) { print NR - 1; exit } }')
say "kpageflags' SLAB bit finds a slab frame; frames/ says whose it is:"
show grep -E '^(node|zone|state|flags):' "$MNT/frames/$s"
show grep -E '^(Slab|SReclaimable|SUnreclaim|KernelStack):' "$MNT/meminfo"

say "7. vmalloc. Virtually contiguous kernel memory from single frames," \
	"   mapped in init_mm's vmalloc area after a guard page; every task's" \
	"   kernel stack is one such area."
run machine "vmalloc 16K"
v=$RESULT
show cat "$MNT/vmallocinfo"
say "Every process's top level shares the kernel half with init_mm:"
show grep -c 'shared:init_mm$' "$MNT/$c/pagetable"

say "8. A kernel thread has no mm: it borrows the one its CPU had (lazy TLB)" \
	"   and reaches kernel addresses in supervisor mode."
run machine "kthread demo"
k=$RESULT
run machine "schedule $k 1"
show grep -E '^(active_mm|mm)' "$MNT/$k/mm"
run "$k" "store $v 'hello, vmalloc'"
run "$k" "load $v 14"
say "Its load from the guard page after the area: an oops; the thread dies," \
	"the machine runs on."
run_fails "$k" "load $(printf '%#x' $((v + 16384))) 8"
show cat "$MNT/dmesg"

say "Everything goes back: the processes, the area, the empty slabs."
run machine "vfree $v"
run "$c" exit
run "$p" "wait $c"
run "$p" exit
run 1 "wait $p"
run machine "drop_caches 2"
show cat "$MNT/buddyinfo"
run machine check
