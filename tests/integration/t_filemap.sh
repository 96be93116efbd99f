#!/usr/bin/env bash
# File mappings and the page cache: major faults reading the host file,
# frames shared between processes, fault-around, private copies, shared
# writes that never reach the host, SIGBUS past the end, drop_caches,
# writeback to the daemon's copy (sync, the flusher, reclaim) and file
# refaults.
. "$(dirname "$0")/lib.sh"
mount_mmufs --mem 64M

f=$MNT.data
head -c 20000 /dev/urandom >"$f"
cp "$f" "$f.orig"
majflt() { awk '{ print $12 }' "$MNT/$1/stat"; }

a=$(ctl 1 "mmap 0 20000 r-- private $f")
line=$(grep "^$(printf '%08x' "$a")-" "$MNT/1/maps")
dev=$(stat -c '%D' "$f")
ino=$(stat -c '%i' "$f")
want=$(printf '%08x-%08x r--p 00000000 %02x:%02x %s' "$a" $((a + 0x5000)) \
	$((0x$dev >> 8)) $((0x$dev & 0xff)) "$ino")
case $line in
"$want "*"$(realpath "$f")") ;;
*) fail "maps line: '$line', expected '$want ... $(realpath "$f")'" ;;
esac
assert_eq "$(ctl 1 "load $((a + 4096)) 8")" "$(xxd -p -s 4096 -l 8 "$f")" "bytes read through the mapping"
assert_eq "$(majflt 1)" 1 "a page read from the host is a major fault"
# The miss read the whole file (read-around) but mapped only its page;
# the next fault finds the rest cached and fault-around maps it all.
assert_eq "$(faults 1 "touch $a 20000 r")" 1 "faults on the other pages"
assert_eq "$(majflt 1)" 1 "major faults"
assert_eq "$(field "$MNT/meminfo" Cached)" 20 "Cached (kB)"

# A second process: the pages are cached, so fault-around maps the
# neighbours of the first fault and nothing is read from the host.
child=$(ctl 1 fork)
ctl "$child" "munmap $a 20K" >/dev/null
b=$(ctl "$child" "mmap 0 20000 r-- shared $f")
assert_eq "$(faults "$child" "touch $b 20000 r")" 1 "faults with fault-around"
assert_eq "$(majflt "$child")" 0 "major faults of the second process"
grep -q "^mmufs_fault_around_pages:	4$" "$MNT/$child/status" || fail "fault-around pages: $(grep around "$MNT/$child/status")"
pfn=$(pfn_of 1 "$a")
assert_eq "$(pfn_of "$child" "$b")" "$pfn" "one frame for both processes"
assert_eq "$(kpage kpagecount "$pfn")" 2 "kpagecount"
grep -q "^mapping: file $(realpath "$f") inode $ino$" "$MNT/frames/$pfn" || fail "frames/$pfn mapping"
grep -q "^map: $child $(printf '%#x' "$b")$" "$MNT/frames/$pfn" || fail "frames/$pfn rmap"
e=$(pagemap_entry 1 "$a")
(( (0x$e >> 61) & 1 )) || fail "pagemap bit 61 (file page) is clear"

# A private writable mapping copies on write; a shared one writes the
# cached page, which the other process sees; the host file never changes.
p=$(ctl 1 "mmap 0 4K rw- private $f")
ctl 1 "store $p 'private'" >/dev/null
[ "$(pfn_of 1 "$p")" != "$pfn" ] || fail "the private write did not copy"
s=$(ctl 1 "mmap 0 4K rw- shared $f")
ctl 1 "store $s 'shared!'" >/dev/null
assert_eq "$(ctl "$child" "load $b 7")" 73686172656421 "the shared write seen by the other process"
assert_eq "$(field "$MNT/meminfo" Dirty)" 4 "Dirty (kB) after the shared write"
grep -q '^nr_dirty 1$' "$MNT/vmstat" || fail "vmstat nr_dirty"
cmp -s "$f" "$f.orig" || fail "the host file was written"

# Past the end of the file: SIGBUS.
victim=$(ctl 1 fork)
v=$(ctl "$victim" "mmap 0 32K r-- private $f")
assert_eq "$(faults "$victim" "touch $v 20K r")" 1 "faults inside the file (fault-around)"
ctl_err "$victim" "load $((v + 0x5000)) 1" EFAULT
assert_eq "$(ctl 1 "wait $victim")" "$victim 7" "killed by SIGBUS"

# Readahead: touching a 1 MiB file page by page takes one major fault;
# each readahead mark met on the way reads the next 128 KiB window.
big=$MNT.big
head -c $((1 << 20)) /dev/urandom >"$big"
r=$(ctl 1 "mmap 0 1M r-- private $big")
before=$(majflt 1)
faults=$(faults 1 "touch $r 1M r")
assert_eq "$(( $(majflt 1) - before ))" 1 "major faults reading 1 MiB"
(( faults >= 16 && faults <= 32 )) || fail "$faults faults for 256 pages (16-page fault-around)"
ctl 1 "munmap $r 1M" >/dev/null
rm -f "$big"

# Errors.
ctl_err 1 "mmap 0 4K r-- private $MNT.missing" ENOENT
ctl_err 1 "mmap 0 4K r-- private /tmp" ENODEV
ctl_err 1 "mmap 0 4K rw- shared /tmp" EACCES
ctl_err 1 "mmap 0 4K r-- private $f 100" EINVAL
ctl_err 1 "mmap 0 4K r-- private|anon $f" EINVAL

# drop_caches frees the clean pages nothing maps, and only those.
ctl "$child" exit >/dev/null
ctl 1 "wait $child" >/dev/null
ctl 1 "munmap $a 20K" >/dev/null
ctl 1 "munmap $p 4K" >/dev/null
echo 1 >"$MNT/sys/vm/drop_caches"
assert_eq "$(field "$MNT/meminfo" Cached)" 4 "Cached after drop_caches (the dirty page stays)"
ctl 1 "munmap $s 4K" >/dev/null
assert_eq "$(field "$MNT/meminfo" Dirty)" 4 "Dirty after the last mapping went"

# sync writes the dirty page back to the daemon's copy of the file, not
# to the host file; the copy is what the next reader sees.
vm() { awk -v k="$1" '$1 == k { print $2 }' "$MNT/vmstat"; }
out=$(vm pgpgout)
written=$(vm nr_written)
assert_eq "$(ctl machine sync)" 1 "pages sync wrote"
assert_eq "$(field "$MNT/meminfo" Dirty)" 0 "Dirty after sync"
assert_eq "$(( $(vm nr_written) - written ))" 1 "nr_written"
assert_eq "$(( $(vm pgpgout) - out ))" 4 "pgpgout (KiB)"
assert_eq "$(ctl machine sync)" 0 "a second sync has nothing to write"
echo 1 >"$MNT/sys/vm/drop_caches"
assert_eq "$(field "$MNT/meminfo" Cached)" 0 "Cached after sync and drop_caches"
s=$(ctl 1 "mmap 0 4K rw- shared $f")
assert_eq "$(ctl 1 "load $s 7")" 73686172656421 "the written copy read back"
assert_eq "$(ctl 1 "load $((s + 7)) 8")" "$(xxd -p -s 7 -l 8 "$f")" "the rest of the page from the host file"
cmp -s "$f" "$f.orig" || fail "the host file was written"

# A shared writable file mapping maps a page write-protected (ext4's
# page_mkwrite): the first store after a read, and after each writeback,
# is a fault that dirties the page again.
assert_eq "$(faults 1 "touch $s 4K w")" 1 "faults of the first store after the read"
assert_eq "$(field "$MNT/meminfo" Dirty)" 4 "Dirty after the store"
assert_eq "$(faults 1 "touch $s 4K w")" 0 "faults of the second store"
assert_eq "$(ctl machine sync)" 1 "pages sync wrote"
assert_eq "$(faults 1 "touch $s 4K r")" 0 "faults of a load after writeback"
assert_eq "$(faults 1 "touch $s 4K w")" 1 "faults of a store after writeback"
assert_eq "$(field "$MNT/meminfo" Dirty)" 4 "Dirty after the store"
ctl 1 "munmap $s 4K" >/dev/null
check_machine

# Under memory pressure: 96 MiB of a file written through a shared
# mapping on a 64 MiB machine.  The flusher keeps the dirty pages at the
# background threshold, reclaim evicts written pages (and writes the
# dirty ones), and reading it all again refaults evicted pages, each
# found by the shadow its eviction left.
big=$MNT.big
truncate -s 96M "$big"
refaults=$(vm workingset_refault_file)
written=$(vm nr_written)
r=$(ctl 1 "mmap 0 96M rw- shared $big")
ctl 1 "touch $r 96M w" >/dev/null
dirty=$(vm nr_dirty)
bg=$(vm nr_dirty_background_threshold)
(( dirty <= bg )) || fail "nr_dirty $dirty above the background threshold $bg"
(( $(vm nr_written) - written + dirty >= 24576 )) || fail "pages written back: $(( $(vm nr_written) - written )), dirty $dirty"
(( $(vm nr_vmscan_write) + $(vm pgsteal_file) > 0 )) || fail "reclaim evicted no file page"
ctl 1 "touch $r 96M r" >/dev/null
(( $(vm workingset_refault_file) - refaults > 0 )) || fail "no file refault"
assert_eq "$(tr -d '\0' <"$big" | wc -c)" 0 "bytes written to the host file"
ctl 1 "munmap $r 96M" >/dev/null
check_machine
rm -f "$f" "$f.orig" "$big"
