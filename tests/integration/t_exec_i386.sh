#!/usr/bin/env bash
# exec on a 32-bit machine (--arch i386): a hand-made static i386 ELF is
# loaded at its addresses, its bss zeroed and mapped, and the stack holds
# 4-byte words (argc, argv[], envp[], auxv) below the strings at 0xc0000000;
# an x86-64 binary is refused with ENOEXEC.
. "$(dirname "$0")/lib.sh"
mount_mmufs --arch i386

elf=$MNT.tiny32
trap 'rm -f "$elf"; cleanup' EXIT
python3 - "$elf" <<'PY'
import struct, sys
base, ehsize, phsize, phnum = 0x08048000, 52, 32, 3
code = b"\xb8\x01\x00\x00\x00\x31\xdb\xcd\x80"         # exit(0)
text_end = ehsize + phsize * phnum + len(code)
eh = b"\x7fELF" + bytes([1, 1, 1, 0]) + bytes(8) + struct.pack(
    "<HHIIIIIHHHHHH", 2, 3, 1, base + ehsize + phsize * phnum, ehsize, 0, 0,
    ehsize, phsize, phnum, 0, 0, 0)
ph = struct.pack("<8I", 1, 0, base, base, text_end, text_end, 5, 0x1000)
ph += struct.pack("<8I", 1, 0x1000, base + 0x2000, base + 0x2000, 16, 0x3000, 6, 0x1000)
ph += struct.pack("<8I", 0x6474e551, 0, 0, 0, 0, 0, 6, 16)
img = bytearray(eh + ph + code)
img += bytes(0x1000 - len(img)) + b"DATA" * 4
open(sys.argv[1], "wb").write(img)
PY
chmod +x "$elf"
ino=$(stat -c %i "$elf")
dev=$(stat -c %D "$elf")
devstr=$(printf '%02x:%02x' $((0x$dev >> 8)) $((0x$dev & 0xff)))

pid=$(ctl machine "spawn $elf one two")
expected=$(cat <<EXP
08048000-08049000 r-xp 00000000 $devstr $ino   $elf
0804a000-0804b000 rw-p 00001000 $devstr $ino   $elf
0804b000-0804d000 rw-p 00000000 00:00 0 
bffdf000-c0000000 rw-p 00000000 00:00 0          [stack]
EXP
)
assert_eq "$(cat "$MNT/$pid/maps")" "$expected" "maps of the i386 image"
assert_eq "$(awk '$1 == "start_brk" { print $2 }' "$MNT/$pid/mm")" 0x804d000 "start_brk"
python3 - "$MNT/$pid" "$elf" <<'PY' || fail "the i386 stack"
import struct, sys
d, path = sys.argv[1], sys.argv[2]
mm = dict(l.split() for l in open(d + "/mm"))
sp = int(mm["start_stack"], 16)
with open(d + "/mem", "rb", buffering=0) as f:
    f.seek(sp)
    w = struct.unpack("<8I", f.read(32))
    assert sp % 16 == 0, hex(sp)
    assert w[0] == 3 and w[4] == 0 and w[5] == 0, w     # argc, argv[3], envp[0]
    args = []
    for p in w[1:4]:
        f.seek(p)
        args.append(f.read(64).split(b"\0")[0].decode())
    assert args == [path, "one", "two"], args
    f.seek(0x0804a000)
    assert f.read(16) == b"DATA" * 4
    assert f.read(0x2ff0) == bytes(0x2ff0)                 # bss zeroed
PY
ctl_err machine "spawn /bin/sh" ENOEXEC
check_machine
echo ok
