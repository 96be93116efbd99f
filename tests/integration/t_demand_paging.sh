#!/usr/bin/env bash
# Demand paging: a write to fresh anonymous memory faults one page at a
# time; stat's minflt, smaps' Rss, status' VmRSS and meminfo follow.
. "$(dirname "$0")/lib.sh"
mount_mmufs --mem 64M

minflt() { awk '{ print $10 }' "$MNT/1/stat"; }

a=$(ctl 1 "mmap 0 16K rw- private")
hex=$(printf '%08x' "$a")
grep -q "^$hex-" "$MNT/1/maps" || fail "no maps line for $a"
free_before=$(free_frames)	# buddy + pcp lists
before=$(minflt)
assert_eq "$(faults 1 "touch $a 16K w")" 4 "faults of the first touch"
assert_eq "$(minflt)" $((before + 4)) "minflt after 4 faults"
assert_eq "$(faults 1 "touch $a 16K w")" 0 "faults of the second touch"
rss=$(awk -v h="$hex" '$1 ~ "^"h"-" { on = 1; next }
	on && /^Rss:/ { print $2; exit }' "$MNT/1/smaps")
assert_eq "$rss" 16 "smaps Rss (kB)"
assert_eq "$(field "$MNT/1/status" VmRSS)" 16 "VmRSS (kB)"
# 4 pages plus the 3 page tables above them (init's stack had none),
# and the slab of init's first anon_vma (meminfo Slab).
free_after=$(free_frames)
assert_eq $(((free_before - free_after) * 4)) 32 "free frames drop (kB)"
assert_eq "$(awk '$1 == "anon_vma" { print $2, $15 }' "$MNT/slabinfo")" "39 1" \
	"slabinfo: anon_vma's first slab, init's object in it"
grep -q "^mmufs_fault_anon:	4$" "$MNT/1/status" || fail "status fault counts"
check_machine
