#!/usr/bin/env bash
# exec and spawn of real host ELF files, compared with the host kernel:
# for each binary, tests/tools/execmaps runs it under ptrace with ASLR off
# and stops it right after execve; the simulation's maps must equal the
# kernel's line for line, its stat field for field (but for pids, state,
# fault counts, start time, RSS and CPU), and the stack from the stack
# pointer up byte for byte (but for the 16 AT_RANDOM bytes).  Then: bytes
# of every segment through mem equal the file's, page-cache frames shared
# by two images, the vDSO is the host's, and failed execs change nothing.
. "$(dirname "$0")/lib.sh"
EXECMAPS=${EXECMAPS:?set EXECMAPS to tests/tools/execmaps}
mount_mmufs --init none --mem 256M

exec_programs
cat >"$bin/nolibc.c" <<'EOF'
char buf[10000];
void _start(void)
{
	buf[0] = 1;
	for (;;)
		__asm__ volatile("mov $60, %eax; xor %edi, %edi; syscall");
}
EOF
gcc -O1 -o "$bin/pie" "$bin/hello.c"
gcc -O1 -no-pie -o "$bin/nopie" "$bin/hello.c"
gcc -O1 -static -o "$bin/static" "$bin/hello.c"
gcc -O1 -static-pie -o "$bin/staticpie" "$bin/hello.c"
gcc -O1 -z execstack -o "$bin/execstack" "$bin/hello.c"
gcc -O1 -nostdlib -static -o "$bin/nolibc" "$bin/nolibc.c"
ldso=$(readlink -f /lib64/ld-linux-x86-64.so.2)

# mask_stat - /proc/PID/stat with the fields that cannot match blanked:
# pid, state, ppid, pgrp, session, minflt, majflt (the simulation's page
# cache starts cold), starttime, rss (Linux shows per-CPU counters that
# lag), processor.
mask_stat() {
	awk '{ $1 = $3 = $4 = $5 = $6 = $10 = $12 = $22 = $24 = $39 = "X"; print }'
}

# stack_hex ADDR_RANDOM - hex dump lines "addr: bytes" on stdin, with the
# AT_RANDOM bytes at ADDR_RANDOM replaced by "rr".
mask_random() {
	python3 -c '
import sys
rnd = int(sys.argv[1], 16)
for line in sys.stdin:
    addr, _, rest = line.partition(": ")
    a = int(addr, 16)
    b = rest.split()
    print(addr + ": " + " ".join("rr" if rnd <= a + i < rnd + 16 else x
                                 for i, x in enumerate(b)))
' "$1"
}

# sim_stack PID SP - the simulation's stack from SP to the top of [stack],
# in execmaps's format.
sim_stack() {
	local top
	top=$(awk '/\[stack\]$/ { split($1, r, "-"); print r[2] }' "$MNT/$1/maps")
	python3 -c '
import sys
pid, sp, top, mnt = sys.argv[1], int(sys.argv[2]), int(sys.argv[3], 16), sys.argv[4]
with open(mnt + "/" + pid + "/mem", "rb") as f:
    f.seek(sp)
    data = f.read(top - sp)
for i in range(0, len(data), 16):
    print("%x: %s" % (sp + i, " ".join("%02x" % b for b in data[i:i + 16])))
' "$1" "$2" "$top" "$MNT"
}

# quote_words WORD... - the words quoted for the ctl language.
quote_words() {
	local w out=
	for w in "$@"; do
		out+="'$w' "
	done
	printf '%s' "$out"
}

# compare_with_kernel [-e NAME=VALUE]... PATH [ARG...] - spawn the same
# program in the simulation (with the same environment) and compare.
compare_with_kernel() {
	local envs=() sets=() pid real sp rnd
	while [ "$1" = -e ]; do
		envs+=(-e "$2")
		sets+=("$2")
		shift 2
	done
	pid=$(ctl machine "spawn $(quote_words "${sets[@]}" "$@")")
	# Every signal at its default, as a simulated process has them: an
	# ignored SIGHUP (nohup) is inherited through exec into stat's
	# sigignore.
	real=$(env --default-signal "$EXECMAPS" "${envs[@]}" --stat --auxv --stack "$@")
	diff <(sed '/^--- /,$d' <<<"$real") "$MNT/$pid/maps" ||
		fail "maps of $* differ from the kernel's"
	diff <(sed -n '/^--- stat/{n;p}' <<<"$real" | mask_stat) \
		<(mask_stat <"$MNT/$pid/stat") || fail "stat of $* differs"
	sp=$(awk '{ print $28 }' "$MNT/$pid/stat")
	rnd=$(sed -n 's/^AT_RANDOM 0x//p' <<<"$real")
	diff <(sed -n '/^--- stack/,$p' <<<"$real" | sed 1d | mask_random "$rnd") \
		<(sim_stack "$pid" "$sp" | mask_random "$rnd") ||
		fail "stack of $* differs"
	check_machine
	echo "$pid"
}

for prog in /bin/sh /usr/bin/cat "$ldso" "$bin/pie" "$bin/nopie" \
	"$bin/static" "$bin/staticpie" "$bin/execstack" "$bin/nolibc"; do
	compare_with_kernel "$prog" >/dev/null
done
cat_pid=$(compare_with_kernel -e HOME=/root -e 'MSG=two words' \
	/usr/bin/cat /etc/hostname -n 'an argument')

# The strings the kernel put on the stack, as procfs shows them.
assert_eq "$(tr '\0' ' ' <"$MNT/$cat_pid/cmdline")" \
	"/usr/bin/cat /etc/hostname -n an argument " "cmdline"
assert_eq "$(tr '\0' ' ' <"$MNT/$cat_pid/environ")" "HOME=/root MSG=two words " "environ"
assert_eq "$(cat "$MNT/$cat_pid/comm")" cat "comm"
arg_start=$(awk '$1 == "arg_start" { print $2 }' "$MNT/$cat_pid/mm")
assert_eq "$(dd if="$MNT/$cat_pid/mem" bs=1 skip=$((arg_start)) count=12 2>/dev/null)" \
	"/usr/bin/cat" "argv[0] read through mem"

# Every file-backed vma of cat holds the file's bytes at its offset.
while read -r range perms off _ _ path; do
	[ "$path" = /usr/bin/cat ] || [ "$path" = "$ldso" ] || continue
	start=$((0x${range%-*}))
	end=$((0x${range#*-}))
	filesz=$(stat -c %s "$path")
	n=$(( end - start ))
	(( 0x$off + n > filesz )) && n=$(( filesz - 0x$off ))
	# The page holding the start of bss was zeroed past the file data.
	[ "${perms:1:1}" = w ] && n=$(( n > 4096 ? 4096 : n ))
	cmp <(dd if="$MNT/$cat_pid/mem" bs=4096 skip=$((start / 4096)) \
		count=$(( (n + 4095) / 4096 )) 2>/dev/null | head -c "$n") \
		<(tail -c +$((0x$off + 1)) "$path" | head -c "$n") ||
		fail "bytes of $path at offset 0x$off differ"
done <"$MNT/$cat_pid/maps"

# The vDSO is the host's own image; [vvar] cannot be read through mem.
vdso=$(awk '/\[vdso\]$/ { print $1 }' "$MNT/$cat_pid/maps")
python3 - "$MNT/$cat_pid/mem" "$vdso" <<'EOF' || fail "vdso bytes differ from the host's"
import sys
def vdso_of(maps):
    for line in maps:
        if line.rstrip().endswith("[vdso]"):
            a, b = line.split()[0].split("-")
            return int(a, 16), int(b, 16)
with open("/proc/self/maps") as m:
    a, b = vdso_of(m)
with open("/proc/self/mem", "rb") as f:
    f.seek(a)
    host = f.read(b - a)
s, e = (int(x, 16) for x in sys.argv[2].split("-"))
with open(sys.argv[1], "rb") as f:
    f.seek(s)
    sim = f.read(e - s)
sys.exit(host != sim)
EOF
vvar=$(awk '/\[vvar\]$/ { split($1, r, "-"); print r[1] }' "$MNT/$cat_pid/maps")
if dd if="$MNT/$cat_pid/mem" bs=4096 skip=$((0x$vvar / 4096)) count=1 2>/dev/null | grep -q .; then
	fail "[vvar] was readable through mem"
fi

# Two images of one program share its page-cache frames.
a=$(ctl machine "spawn /bin/sh")
b=$(ctl machine "spawn /bin/sh")
entry=$(awk '/ r-xp .*dash$/ { split($1, r, "-"); print r[1]; exit }' "$MNT/$a/maps")
ctl "$a" "touch 0x$entry 1 x" >/dev/null
ctl "$b" "touch 0x$entry 1 x" >/dev/null
pfn=$(pfn_of "$a" $((0x$entry)))
assert_eq "$(pfn_of "$b" $((0x$entry)))" "$pfn" "one frame of dash's text for both"
assert_eq "$(kpage kpagecount "$pfn")" 2 "kpagecount of the shared text page"
grep -q "^map: $a 0x$entry$" "$MNT/frames/$pfn" &&
	grep -q "^map: $b 0x$entry$" "$MNT/frames/$pfn" ||
	fail "frames/$pfn does not list both processes: $(cat "$MNT/frames/$pfn")"

# exec in place: same pid and parent, new image, the old one freed.
child=$(ctl 1 fork)
ctl "$child" "mmap 0 1M rw- private,anon,populate" >/dev/null
free_before=$(free_frames)	# buddy + pcp lists
entry=$(ctl "$child" "exec /bin/sh")
grep -q ' r-xp .*/usr/bin/dash$' "$MNT/$child/maps" || fail "exec in place: no dash"
assert_eq "$(awk '{ print $4 }' "$MNT/$child/stat")" 1 "parent after exec"
assert_eq "$(cat "$MNT/$child/comm")" sh "comm after exec"
[ "$(free_frames)" -gt "$free_before" ] || fail "old image not freed"
grep -q "exec.*$entry" "$MNT/trace" || fail "no exec event in trace"
check_machine

# Errors: each leaves the process and the machine as they were.
printf 'not an elf\n' >"$bin/text"
chmod +x "$bin/text"
head -c 100 /bin/true >"$bin/truncated"
chmod +x "$bin/truncated"
python3 - "$bin/elf32" "$bin/badphdr" "$bin/beyond" <<'EOF'
import struct, sys
# An i386 executable header: ELFCLASS32, EM_386.
ident = b"\x7fELF" + bytes([1, 1, 1]) + bytes(9)
open(sys.argv[1], "wb").write(ident + struct.pack("<HHIIIIIHHHHHH", 2, 3, 1,
    0x8048000, 52, 0, 0, 52, 32, 0, 0, 0, 0) + bytes(200))
sh = bytearray(open("/bin/sh", "rb").read())
bad = bytearray(sh); bad[54:56] = struct.pack("<H", 40)     # e_phentsize
open(sys.argv[2], "wb").write(bad)
# The first PT_LOAD's file size made to run past the end of the file.
phoff = struct.unpack_from("<Q", sh, 32)[0]
for i in range(struct.unpack_from("<H", sh, 56)[0]):
    o = phoff + 56 * i
    if struct.unpack_from("<I", sh, o)[0] == 1:
        struct.pack_into("<QQ", sh, o + 32, len(sh) * 2, len(sh) * 2)
        break
open(sys.argv[3], "wb").write(sh)
EOF
chmod +x "$bin/elf32" "$bin/badphdr" "$bin/beyond"
cp "$bin/pie" "$bin/noexec"
chmod -x "$bin/noexec"
snapshot() {
	cat "$MNT/$child/maps" "$MNT/$child/mm" "$MNT/$child/comm" \
		"$MNT/meminfo" "$MNT/buddyinfo"
	tr '\0' ' ' <"$MNT/$child/cmdline"
}
before=$(snapshot)
ctl_err "$child" "exec $bin/missing" ENOENT
ctl_err "$child" "exec $bin/noexec" EACCES
ctl_err "$child" "exec $bin" EACCES
ctl_err "$child" "exec $bin/text" ENOEXEC
ctl_err "$child" "exec $bin/truncated" ENOEXEC
ctl_err "$child" "exec $bin/elf32" ENOEXEC
ctl_err "$child" "exec $bin/badphdr" ENOEXEC
ctl_err "$child" "exec $bin/beyond" ENOEXEC
ctl_err "$child" "exec" EINVAL
ctl_err "$child" "exec A=1" EINVAL
ctl_err machine "spawn $bin/missing" ENOENT
assert_eq "$(snapshot)" "$before" "state after failed execs"
# E2BIG: the environment grows exec by exec until it passes a quarter of
# the 8 MiB stack limit (each command is one write of 100 kB).
python3 - "$MNT/$child/ctl" <<'EOF' || fail "E2BIG test"
import errno, os, sys
val = "x" * 100000
fd = os.open(sys.argv[1], os.O_RDWR)
for i in range(1, 21):
    os.write(fd, b"exec V%d=%s /bin/sh\n" % (i, val.encode()))
EOF
before=$(snapshot)
python3 - "$MNT/$child/ctl" <<'EOF' || fail "exec past the limit did not fail with E2BIG"
import errno, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
try:
    os.write(fd, b"exec V21=%s /bin/sh\n" % (b"x" * 100000))
except OSError as e:
    sys.exit(e.errno != errno.E2BIG)
sys.exit(1)
EOF
assert_eq "$(snapshot)" "$before" "state after E2BIG"
check_machine

# Everything spawned exits: every frame it used is free again.
for p in $(ls "$MNT" | grep -E '^[0-9]+$'); do
	[ "$p" -gt 3 ] || continue	# init, kthreadd, kswapd0 stay
	echo "kill $p" >"$MNT/ctl"
done
while echo wait 2>/dev/null >"$MNT/1/ctl"; do :; done
ctl machine "drop_caches 3" >/dev/null
check_machine
echo "ok"
