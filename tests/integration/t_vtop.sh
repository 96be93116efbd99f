#!/usr/bin/env bash
# <pid>/vtop: an address written, its translation read back on the same
# descriptor (and through a second open, after `echo > vtop`), checked
# against what the other files say of the same address: maps (the vma
# line), pagetable (the raw entry at each level), pagemap (the frame, the
# swap slot), frames/<pfn> (its lines, verbatim), cpu<N>/tlb (the cached
# entry); then what a read, write and exec would do, which the access
# then does (vmstat's mmufs_fault_* counters).  Reading vtop changes
# nothing: vmstat, the process's stat and the trace are the same before
# and after.  On x86-64 (with swap) and on i386 (2-level paging).
. "$(dirname "$0")/lib.sh"

# vtop PID ADDR - the translation of ADDR, written and read on one open.
vtop() {
	local out
	exec 3<>"$MNT/$1/vtop"
	printf '%s\n' "$2" >&3 || { exec 3>&-; fail "vtop $1 $2 refused"; }
	out=$(cat <&3)
	exec 3>&-
	printf '%s\n' "$out"
}

# key TEXT KEY - the rest of the first "KEY: " line of TEXT.
key() {
	printf '%s\n' "$1" | awk -v k="$2:" '$1 == k { sub(/^[^:]*: /, ""); print; exit }'
}

# state - vmstat, pid 1's and $child's stat and the trace, which reading
# vtop must leave as they are.
state() {
	cat "$MNT/vmstat" "$MNT/1/stat" "$MNT/trace"
	for c in "$MNT"/cpu[0-9]*/tlb; do cat "$c"; done
}

# unchanged PID ADDR - reading vtop of ADDR three ways changes nothing.
unchanged() {
	local before after
	before=$(state)
	vtop "$1" "$2" >/dev/null
	echo "$2" >"$MNT/$1/vtop"
	cat "$MNT/$1/vtop" >/dev/null
	cat "$MNT/$1/vtop" >/dev/null
	after=$(state)
	[ "$before" = "$after" ] || {
		diff <(echo "$before") <(echo "$after") >&2
		fail "reading vtop of $2 in $1 changed the machine"
	}
}

# agrees PID ADDR - vtop's answer for a mapped ADDR agrees with maps,
# pagetable, pagemap, frames/<pfn> and cpu<N>/tlb.
agrees() {
	local pid=$1 a=$2 out pfn line lvl idx raw l r
	out=$(vtop "$pid" "$a")
	assert_eq "$(key "$out" address)" "$(printf '%#x' "$a")" "address"
	# The vma: maps' line holding the address.
	line=$(while IFS= read -r l; do
		r=${l%% *}
		if (( 16#${r%-*} <= a && a < 16#${r#*-} )); then
			printf '%s\n' "$l"
			break
		fi
	done <"$MNT/$pid/maps")
	assert_eq "$(printf '%s\n' "$out" | sed -n 's/^vma: //p')" "$line" "vma of $a"
	# Each level's raw entry is the one pagetable shows for the range.
	while read -r lvl _ _ idx _ _ _ raw _; do
		lvl=${lvl%:}
		[ "$raw" = "0x${raw#0x}" ] || continue
		grep -Eq "^ *$lvl\[$idx\] [0-9a-f]+-[0-9a-f]+ $raw " "$MNT/$pid/pagetable" ||
			fail "$lvl[$idx] $raw of $a not in pagetable"
	done < <(printf '%s\n' "$out" | grep -E '^(PML4|PDPT|PD|PT): ')
	# The frame: pagemap's, and frames/<pfn> verbatim after paddr.
	pfn=$(pfn_of "$pid" "$a")
	[ "$pfn" != 0 ] || fail "$a not present in pagemap"
	assert_eq "$(key "$out" paddr)" "$(printf '%#x' $(( pfn * 4096 + (a & 4095) )))" "paddr of $a"
	assert_eq "$(printf '%s\n' "$out" | sed -n '/^pfn: /,/^read: /p' | sed '$d')" \
		"$(cat "$MNT/frames/$pfn")" "frames/$pfn in vtop"
	# The TLB: a hit is the entry cpu<N>/tlb lists; a miss lists none.
	for c in "$MNT"/cpu[0-9]*; do
		line=$(printf '%s\n' "$out" | sed -n "s/^tlb: ${c##*/} //p")
		case $line in
		"hit "*) grep -qxF "entry: ${line#hit }" "$c/tlb" ||
				fail "${c##*/}: '${line#hit }' not in its tlb" ;;
		miss) ! grep -q "va $(printf '%#x' $(( a & ~4095 ))) " "$c/tlb" ||
				fail "${c##*/} misses $a but caches it" ;;
		*) fail "no tlb line for ${c##*/}: $line" ;;
		esac
	done
}

# comes_true PID ADDR ACCESS CMD - vtop's ACCESS line names the outcome
# the access (ctl command CMD) then counts in vmstat.
comes_true() {
	local out want before after
	out=$(vtop "$1" "$2")
	want=$(key "$out" "$3")
	want=${want%% *}
	before=$(cat "$MNT/vmstat")
	ctl "$1" "$4" >/dev/null
	after=$(cat "$MNT/vmstat")
	if [ "$want" = ok ]; then
		[ "$(grep mmufs_fault_ <<<"$before")" = "$(grep mmufs_fault_ <<<"$after")" ] ||
			fail "$3 of $2 faulted; vtop said ok"
	else
		[ $(( $(awk -v k="mmufs_fault_$want" '$1 == k { print $2 }' <<<"$after") -
		      $(awk -v k="mmufs_fault_$want" '$1 == k { print $2 }' <<<"$before") )) = 1 ] ||
			fail "$3 of $2: vtop said $want, not what it did"
	fi
}

scenario() {
	local a child out slot e s
	a=$(ctl 1 "mmap 0 16K rw- private")
	# Untouched: a none entry (or no table), what each access would do.
	out=$(vtop 1 "$a")
	assert_eq "$(key "$out" paddr)" none "paddr before a touch"
	assert_eq "$(key "$out" read)" zero_page "read of an untouched page"
	assert_eq "$(key "$out" write)" anon "write of an untouched page"
	case $ARCH in
	i386) assert_eq "$(key "$out" exec)" zero_page "exec (no NX on i386)" ;;
	*) assert_eq "$(key "$out" exec)" "zero_page then sigsegv" "exec of rw-" ;;
	esac
	unchanged 1 "$a"
	comes_true 1 "$a" read "touch $a 4K r"
	agrees 1 "$a"
	assert_eq "$(key "$(vtop 1 "$a")" state)" "zero page" "the zero page"
	comes_true 1 "$a" write "store $a 'hello'"
	agrees 1 "$a"
	assert_eq "$(key "$(vtop 1 "$a")" write)" ok "write once written"
	unchanged 1 "$a"
	# fork: shared, write-protected; the child's write copies.
	ctl 1 "store $((a + 4096)) 'x'" >/dev/null
	child=$(ctl 1 fork)
	ctl "$child" "touch $a 4K r" >/dev/null
	agrees "$child" "$a"
	assert_eq "$(key "$(vtop "$child" "$a")" mapcount)" 2 "shared after fork"
	comes_true "$child" "$a" write "store $a 'child'"
	agrees "$child" "$a"
	comes_true 1 "$a" write "store $a 'parent'"
	unchanged "$child" "$a"
	# `echo > vtop; cat vtop`: the address outlives the open.
	echo "$a" >"$MNT/$child/vtop"
	assert_eq "$(key "$(cat "$MNT/$child/vtop")" address)" "$(printf '%#x' "$a")" "second open"
	# No vma.
	out=$(vtop 1 4096)
	assert_eq "$(key "$out" vma)" none "vma of page 1"
	assert_eq "$(key "$out" read)" "sigsegv (no vma holds the address)" "read of page 1"
	# A read-only vma.
	e=$(ctl 1 "mmap 0 4K r-- private")
	assert_eq "$(key "$(vtop 1 "$e")" write)" "sigsegv (write to a vma without VM_WRITE)" "write to r--"
	# Swap (a page of the parent alone): the slot pagemap shows, then the
	# swap-in vtop foresees.
	if [ -n "$SWAP" ]; then
		s=$((a + 8192))
		ctl 1 "store $s 'swapped'" >/dev/null
		ctl 1 "madvise $s 4K pageout" >/dev/null
		out=$(vtop 1 $s)
		e=$((0x$(pagemap_entry 1 $s)))
		(( (e >> 62) & 1 )) || fail "pagemap: not swapped"
		slot="$(( e & 31 )):$(( (e >> 5) & ((1 << 50) - 1) ))"
		assert_eq "$(key "$out" swap)" "$slot" "swap slot"
		printf '%s\n' "$out" | grep -Eq "^PT: .* swap $slot( exclusive)?$" || fail "swap entry line"
		unchanged 1 $s
		comes_true 1 $s read "touch $s 4K r"
		agrees 1 $s
	fi
	# A kernel thread: the kernel half through init_mm, no access lines.
	out=$(cat "$MNT/2/vtop")
	[ -z "$out" ] || fail "kthreadd's vtop before a write: $out"
	out=$(vtop 2 "$KADDR")
	assert_eq "$(key "$out" mm)" init_mm "kthreadd's mm"
	[ -z "$(key "$out" read)" ] || fail "a kernel thread's access lines"
	ctl "$child" exit >/dev/null
	assert_eq "$(ctl 1 wait)" "$child 0" "wait"
	check_machine
}

ARCH=x86_64 SWAP=1 KADDR=0xffff888000000000
mount_mmufs --mem 64M --cpus 2 --swap 16M
scenario
# Bad input: EINVAL, its reason on the descriptor, nothing changed.
before=$(state)
for bad in "" "zz" "0x" "0x1000000000000" "0xffff7fffffffffff" \
	"99999999999999999999999" "-1" "0x1000 0x2000"; do
	exec 3<>"$MNT/1/vtop"
	! printf '%s\n' "$bad" >&3 2>/dev/null || fail "vtop took '$bad'"
	out=$(cat <&3)
	exec 3>&-
	case $out in
	"error EINVAL: vtop: "*) ;;
	*) fail "'$bad': $out" ;;
	esac
done
[ "$before" = "$(state)" ] || fail "bad input changed the machine"
fusermount3 -u "$MNT"
daemon_stopped "the unmount"

ARCH=i386 SWAP= KADDR=0xc0000000
mount_mmufs --arch i386 --mem 64M --cpus 2 --init none
scenario
out=$( (echo 0x100000000 >"$MNT/1/vtop") 2>&1 ) && fail "i386 took a 33-bit address"
exec 3<>"$MNT/1/vtop"
printf '0x100000000\n' >&3 2>/dev/null || true
assert_eq "$(cat <&3)" "error EINVAL: vtop: beyond the 4 GiB address space of 32-bit paging" "i386 limit"
exec 3>&-
