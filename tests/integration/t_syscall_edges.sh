#!/usr/bin/env bash
# The edges of mmap, mremap, mlock and brk, answered by the host kernel
# and by mmufs: tests/tools/syscall_edges runs each scenario with real
# syscalls and prints one line for it; this script runs the same scenarios
# through pid 1's ctl, prints the same lines, and the two must be equal.
# The lines (see syscall_edges.c) give the errno, or the vma that resulted
# (perms, offset, device, inode, name, Rss, Anonymous, Locked and VmFlags
# from smaps), or where a mapping was placed below the end of a 1 GiB
# region that both sides carve alike.  The scenarios: flag validation
# (MAP_SHARED_VALIDATE; sync on a file of /tmp, which ext4 refuses, and of
# tmpfs; unknown flags; growsdown on files; stack; 32bit), hints (rounded
# down; 2 MiB alignment with and without one), files that have no mmap
# and /dev/zero, mremap with old length 0 and of unmapped addresses, mlock
# of what cannot be faulted in, and brk shrinking over an unmapped heap.
. "$(dirname "$0")/lib.sh"
ORACLE=${SYSCALL_EDGES:-$(dirname "${EXECMAPS:?set EXECMAPS}")/syscall_edges}
[ -x "$ORACLE" ] || fail "no oracle at $ORACLE"
[ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] || skip "no tmpfs at /dev/shm"
mount_mmufs

D=$MNT.w
SHM=/dev/shm/$(basename "$MNT")
mkdir -p "$D/dir"
trap 's=$?; set +e; rm -rf "$D" "$SHM"; (exit $s); cleanup' EXIT
head -c 8192 /dev/urandom >"$D/data"
truncate -s 16M "$D/big"
head -c 6000 /dev/urandom >"$D/small"
mkfifo "$D/fifo"
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
	"$D/sock"
truncate -s 8K "$SHM"

"$ORACLE" "$D" "$SHM" >"$D/host" || fail "syscall_edges failed"

P=1
HOLE=0x300000000000

# try COMMAND - its result in pid P, or the name of its errno.
try() {
	local out
	exec 9<>"$MNT/$P/ctl"
	if printf '%s\n' "$1" >&9 2>/dev/null; then
		out=$(head -n 1 <&9)
	else
		out=$(head -n 1 <&9)
		out=${out#error }
		out=${out%%:*}
	fi
	exec 9>&-
	printf '%s\n' "$out"
}

# must COMMAND - run it, which must succeed (set-up steps).
must() {
	ctl "$P" "$1" >/dev/null
}

# vma ADDR - the vma starting at ADDR as syscall_edges describes it.
vma() {
	awk -v start="$(printf '%08x' "$1")" '
	/^[0-9a-f]+-[0-9a-f]+ / {
		split($1, r, "-")
		on = r[1] == start
		if (on) {
			found = 1; perms = $2; off = $3; dev = $4; ino = $5
			name = $0
			sub(/^[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+ */, "", name)
		}
		next
	}
	on && $1 == "Rss:" { rss = $2 }
	on && $1 == "Anonymous:" { anon = $2 }
	on && $1 == "Locked:" { locked = $2 }
	on && $1 == "VmFlags:" { $1 = ""; flags = substr($0, 2) }
	END {
		if (!found) { print "none"; exit }
		if (dev == "00:01") ino = "N"
		printf "%s %s %s %s%s | rss %s anon %s locked %s | %s\n", perms,
		       off, dev, ino, name == "" ? "" : " " name, rss, anon,
		       locked, flags
	}' "$MNT/$P/smaps"
}

# map_vma NAME ADDR LEN PROT FLAGS [PATH [OFFSET]] - one mmap reported
# as its errno or its vma, then unmapped.
map_vma() {
	local name=$1 len=$3 a
	shift
	a=$(try "mmap $*")
	case $a in
	0x*)	echo "$name: ok $(vma "$a")"
		must "munmap $a $len" ;;
	*)	echo "$name: $a" ;;
	esac
}

# map_at NAME ADDR LEN PROT FLAGS [PATH] - one mmap reported as its
# address, left in LAST.
map_at() {
	local name=$1
	shift
	LAST=$(try "mmap $*")
	case $LAST in
	0x*)	echo "$name: ok $LAST" ;;
	*)	echo "$name: $LAST" ;;
	esac
}

# place NAME ADDR LEN FLAGS [PATH] - one mmap reported as its place
# below TOP, then unmapped.
place() {
	local a
	a=$(try "mmap $2 $3 r-- $4 ${5:-}")
	case $a in
	0x*)	echo "$1: ok top-$(printf '%#x' $((TOP - a)))"
		must "munmap $a $3" ;;
	*)	echo "$1: $a" ;;
	esac
}

# The region: 1 GiB of PROT_NONE, a hole of 8 MiB one page below its
# end, and H in the middle of the hole.
REGION=$(ctl $P "mmap 0 1G none private")
TOP=$((REGION + (1 << 30)))
H=$((TOP - 4 * 1024 * 1024))
must "munmap $((TOP - 8 * 1024 * 1024 - 4096)) 8M"

flags_cases() {
	local a i
	map_vma validate_file $H 4K r-- private,shared "$D/data"
	map_vma validate_rw_file $H 4K rw- shared_validate "$D/data"
	map_vma validate_anon $H 4K rw- private,shared
	map_vma validate_sync_file $H 4K r-- private,shared,sync "$D/data"
	map_vma shared_sync_file $H 4K r-- shared,sync "$D/data"
	map_vma private_sync_file $H 4K r-- private,sync "$D/data"
	map_vma validate_sync_tmpfs $H 4K r-- private,shared,sync "$SHM"
	map_vma shared_sync_tmpfs $H 4K r-- shared,sync "$SHM"
	map_vma private_sync_tmpfs $H 4K r-- private,sync "$SHM"
	map_vma private_sync_anon $H 4K r-- private,sync
	map_vma shared_sync_anon $H 4K r-- shared,sync
	map_vma validate_sync_zero $H 4K rw- private,shared,sync /dev/zero
	map_vma validate_unknown $H 4K r-- private,shared,0x200 "$D/data"
	map_vma validate_unknown_high $H 4K r-- 'private|shared|0x100000000' \
		"$D/data"
	map_vma shared_unknown $H 4K r-- shared,0x200 "$D/data"
	map_vma private_unknown $H 4K r-- private,0x800000 "$D/data"
	map_vma anon_unknown $H 4K rw- private,0x2000000
	map_vma validate_anon_unknown $H 4K rw- private,shared,0x200
	map_vma validate_noreplace $HOLE 4K r-- private,shared,fixed_noreplace \
		"$D/data"
	map_vma shared_noreplace $HOLE 4K r-- shared,fixed_noreplace "$D/data"
	map_vma validate_legacy $H 4K r-- \
		private,shared,stack,nonblock,denywrite,executable,noreserve,locked,populate \
		"$D/data"
	map_vma file_growsdown $H 4K r-- private,growsdown "$D/data"
	map_vma validate_growsdown $H 4K r-- private,shared,growsdown "$D/data"
	map_vma validate_growsdown_sync $H 4K r-- private,shared,growsdown,sync \
		"$D/data"
	map_vma shared_anon_growsdown $H 4K rw- shared,growsdown
	map_vma zero_growsdown $H 4K rw- private,growsdown /dev/zero
	map_vma no_type $H 4K rw- anon
	map_vma anon_stack $H 2M rw- private,stack
	a=()
	map_at anon_32bit 0 4K rw- private,32bit; a+=("$LAST")
	map_at anon_32bit_next 0 4K rw- private,32bit; a+=("$LAST")
	map_at anon_32bit_hint 0x50000000 4K rw- private,32bit; a+=("$LAST")
	map_at anon_32bit_hint_high $HOLE 4K rw- private,32bit; a+=("$LAST")
	for i in "${a[@]}"; do
		must "munmap $i 4K"
	done
	map_at file_32bit 0 4K r-- private,32bit "$D/data"
	must "munmap $LAST 4K"
	map_at anon_32bit_2m 0 2M rw- private,32bit
	must "munmap $LAST 2M"
}

hint_cases() {
	local a b
	place hint_unaligned $((TOP - 0x600000 + 0xabc)) 4K private
	place hint_unaligned_file $((TOP - 0x600000 + 0xabc)) 4K private \
		"$D/data"
	a=$(ctl $P "mmap 0xfff 4K r-- private")
	must "munmap $a 4K"
	b=$(ctl $P "mmap 0 4K r-- private")
	must "munmap $b 4K"
	if [ "$a" = "$b" ]; then
		echo "hint_in_page_zero: ok as without a hint"
	else
		echo "hint_in_page_zero: ok elsewhere"
	fi
	place anon_2m_hint_taken "$REGION" 2M private
	place anon_2m_hint_fits $((TOP - 0x202000)) 2M private
	place anon_2m 0 2M private
	place anon_2m_stack 0 2M private,stack
	place shared_anon_2m 0 2M shared
	place file_2m_hint_fits_len $((TOP - 0x202000)) 2M private "$D/big"
	place file_2m_hint_fits_pad $((TOP - 0x801000 + 0x123)) 2M private \
		"$D/big"
	place file_2m_hint_taken "$REGION" 2M private "$D/big"
	place zero_private_2m 0 2M private /dev/zero
	place zero_shared_2m 0 2M shared /dev/zero
}

# map_touch_vma NAME FLAGS OFFSET - /dev/zero mapped and written: the vma,
# or (in a child) the signal the write got.
map_touch_vma() {
	local a child out
	a=$(ctl $P "mmap $H 8K rw- $2 /dev/zero $3")
	if [ "$1" = zero_shared_off_written ]; then
		child=$(ctl $P fork)
		exec 9<>"$MNT/$child/ctl"
		printf 'touch %s 8K w\n' "$a" >&9 2>/dev/null &&
			fail "$1: the write did not fault"
		out=$(head -n 1 <&9)
		exec 9>&-
		must "wait $child"
		case $out in
		*"killed by SIGBUS") echo "$1: SIGBUS" ;;
		*) echo "$1: no signal ($out)" ;;
		esac
	else
		must "touch $a 8K w"
		echo "$1: ok $(vma "$a")"
	fi
	must "munmap $a 8K"
}

special_cases() {
	map_vma dir $H 4K r-- private "$D/dir"
	map_vma dir_shared_rw $H 4K rw- shared "$D/dir"
	map_vma fifo $H 4K r-- private "$D/fifo"
	map_vma fifo_shared_rw $H 4K rw- shared "$D/fifo"
	map_vma null $H 4K r-- private /dev/null
	map_vma null_shared_rw $H 4K rw- shared /dev/null
	map_vma socket $H 4K r-- private "$D/sock"
	map_vma zero_private $H 8K rw- private /dev/zero
	map_vma zero_private_off $H 8K rw- private /dev/zero 0x5000
	map_vma zero_shared $H 8K rw- shared /dev/zero
	map_vma zero_shared_off $H 8K rw- shared /dev/zero 0x5000
	map_vma zero_validate $H 8K rw- private,shared /dev/zero
	map_touch_vma zero_private_written private 0
	map_touch_vma zero_shared_written shared 0
	map_touch_vma zero_shared_off_written shared 0x5000
}

# remap NAME ADDR OLDLEN NEWLEN [maymove] - one mremap reported as its
# errno, or the new vma and its first five bytes (then unmapped).
remap() {
	local a desc
	a=$(try "mremap $2 $3 $4 ${5:-}")
	case $a in
	0x*)	if [ $((a)) = $(($2)) ]; then
			echo "$1: ok same address"
			return
		fi
		desc=$(vma "$a")
		echo "$1: ok $desc | $(ctl $P "load $a 5")"
		must "munmap $a $4" ;;
	*)	echo "$1: $a" ;;
	esac
}

mremap_cases() {
	local s p f fp h
	s=$(ctl $P "mmap $H 32K rw- shared")
	p=$(ctl $P "mmap $((H + 0x40000)) 32K rw- private")
	f=$(ctl $P "mmap $((H + 0x80000)) 32K r-- shared $D/data")
	fp=$(ctl $P "mmap $((H + 0xc0000)) 32K r-- private $D/data")
	must "store $s 'hello'"
	must "store $((s + 0x4000)) 'world'"
	remap mremap_dup "$s" 0 16K maymove
	remap mremap_dup_nomove "$s" 0 16K
	remap mremap_dup_mid $((s + 0x4000)) 0 16K maymove
	remap mremap_dup_max "$s" 0xffffffffffffffff 16K maymove
	remap mremap_dup_private "$p" 0 16K maymove
	remap mremap_dup_private_nomove "$p" 0 16K
	remap mremap_private_max "$p" 0xffffffffffffffff 16K maymove
	remap mremap_dup_file_shared "$f" 0 16K maymove
	remap mremap_dup_file_private "$fp" 0 16K maymove
	remap mremap_unmapped_shrink $HOLE 32K 16K
	remap mremap_unmapped_same $HOLE 16K 16K
	remap mremap_unmapped_grow $HOLE 16K 32K maymove
	remap mremap_unmapped_dup $HOLE 0 32K maymove
	h=$(ctl $P "mmap $((H + 0x100000)) 48K r-- private")
	must "munmap $((h + 0x4000)) 16K"
	remap mremap_shrink_across_hole "$h" 48K 16K
	echo "mremap_shrink_across_hole_tail: $(vma $((h + 0x8000)))"
	must "munmap $h 48K"
	must "munmap $s 32K"
	must "munmap $p 32K"
	must "munmap $f 32K"
	must "munmap $fp 32K"
}

vmlck() {
	field "$MNT/$P/status" VmLck
}

# lock NAME ADDR LEN VMA... - one mlock reported as ok or its errno, the
# vmas at each VMA, and the change of VmLck.
lock() {
	local name=$1 before r i=0 v
	before=$(vmlck)
	r=$(try "mlock $2 $3")
	[ "$r" = 0 ] && r=ok
	echo "$name: $r"
	shift 3
	for v in "$@"; do
		echo "$name.$i: $(vma "$v")"
		i=$((i + 1))
	done
	echo "$name.vmlck: VmLck +$(($(vmlck) - before)) kB"
}

# map_lock NAME LEN PROT FLAGS [PATH] - lock a whole new mapping at H.
map_lock() {
	local a
	a=$(ctl $P "mmap $H $2 $3 $4 ${5:-}")
	lock "$1" "$a" "$2" "$a"
	must "munmap $a $2"
}

mlock_cases() {
	local a
	map_lock mlock_none 32K none private
	a=$(ctl $P "mmap $H 96K rw- private")
	must "mmap $((a + 0x8000)) 32K none private,fixed"
	lock mlock_rw_none_rw "$a" 96K "$a" $((a + 0x8000)) $((a + 0x10000))
	must "munmap $a 96K"
	map_lock mlock_file_eof 64K r-- private "$D/small"
	map_lock mlock_shared_file_eof 64K r-- shared "$D/small"
	a=$(ctl $P "mmap $H 64K r-- private $D/small")
	lock mlock_file_eof_tail $((a + 0x8000)) 32K "$a" $((a + 0x8000))
	must "munmap $a 64K"
	map_lock mlock_exec_only 8K --x private "$D/data"
	map_lock mlock_write_only 32K -w- private
	map_vma mmap_locked_file_eof $H 64K r-- private,locked "$D/small"
	map_vma mmap_locked_none $H 32K none private,locked
}

# brk_to NAME ADDR - brk reported as ok or ENOMEM (brk(2) itself returns
# the old brk then, which syscall_edges reads as ENOMEM).
brk_to() {
	case $(try "brk $2") in
	0x*) echo "$1: ok" ;;
	*) echo "$1: ENOMEM" ;;
	esac
}

brk_cases() {
	local b
	b=$(ctl $P brk)
	brk_to brk_grow $((b + 0x10000))
	must "munmap $b 64K"
	brk_to brk_shrink_unmapped $((b + 0x4000))
	brk_to brk_grow_after_unmap $((b + 0x14000))
	brk_to brk_shrink_partly_mapped $((b + 0xc000))
	must "mmap $((b + 0x4000)) 4K r-- private,fixed"
	brk_to brk_shrink_over_mapping "$b"
	echo "brk_shrink_over_mapping_vma: $(vma $((b + 0x4000)))"
}

{
	flags_cases
	hint_cases
	special_cases
	mremap_cases
	mlock_cases
	brk_cases
} >"$D/mmufs"

if ! diff -u "$D/host" "$D/mmufs" >&2; then
	fail "mmufs differs from the host kernel (- host, + mmufs)"
fi
[ "$(wc -l <"$D/host")" -gt 100 ] || fail "too few scenarios: $(wc -l <"$D/host")"
check_machine
