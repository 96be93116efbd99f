#!/usr/bin/env python3
"""native-i386-copy.py ROOT < PATHS - copy each host file named on stdin
into the directory tree ROOT at the same path, and the interpreter its
PT_INTERP names, recreating every symbolic link met on the way (as /lib ->
usr/lib on a merged-/usr system), so that a kernel booted on ROOT opens
the files by the same names and its maps show the same paths as the
host's."""
import os
import shutil
import struct
import sys


def interp(path):
    """The PT_INTERP path of an ELF file, or None."""
    with open(path, "rb") as f:
        ident = f.read(16)
        if ident[:4] != b"\x7fELF":
            return None
        is64 = ident[4] == 2
        f.seek(0)
        head = f.read(64)
        if is64:
            phoff, = struct.unpack_from("<Q", head, 32)
            phentsize, phnum = struct.unpack_from("<HH", head, 54)
        else:
            phoff, = struct.unpack_from("<I", head, 28)
            phentsize, phnum = struct.unpack_from("<HH", head, 42)
        for i in range(phnum):
            f.seek(phoff + i * phentsize)
            ph = f.read(phentsize)
            if is64:
                ptype, _, off, _, _, size = struct.unpack_from("<IIQQQQ", ph)
            else:
                ptype, off, _, _, size = struct.unpack_from("<IIIII", ph)
            if ptype == 3:
                f.seek(off)
                return f.read(size).rstrip(b"\0").decode()
    return None


def replicate(root, path, seen):
    """Copy path into root, following and recreating symbolic links."""
    path = os.path.normpath(path)
    if path in seen:
        return
    seen.add(path)
    parts = path.strip("/").split("/")
    cur = "/"
    for i, part in enumerate(parts):
        cur = os.path.join(cur, part)
        dst = root + cur
        if os.path.islink(cur):
            target = os.readlink(cur)
            if not os.path.lexists(dst):
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                os.symlink(target, dst)
            resolved = os.path.join(os.path.dirname(cur), target)
            rest = "/".join(parts[i + 1:])
            replicate(root, os.path.join(resolved, rest), seen)
            return
        if i == len(parts) - 1:
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy2(cur, dst)
    elf_interp = interp(path)
    if elf_interp:
        replicate(root, elf_interp, seen)


def main():
    root, seen = sys.argv[1], set()
    for line in sys.stdin:
        if line.strip():
            replicate(root, line.strip(), seen)


main()
