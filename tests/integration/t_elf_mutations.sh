#!/usr/bin/env bash
# exec of damaged ELF files: 400 copies of /bin/true with random header,
# program-header and content damage (fields set to 0, 1, page and huge
# values, truncation, stray bytes; a fixed seed, so a failure repeats).
# Each spawn either works (and the process is killed and reaped) or fails
# with ENOEXEC, ENOMEM, EACCES, ENOENT or E2BIG; the daemon never crashes
# and `check` stays green.
. "$(dirname "$0")/lib.sh"
mount_mmufs --mem 64M

victim=$MNT.victim
trap 's=$?; set +e; rm -f "$victim"; (exit $s); cleanup' EXIT
python3 - "$MNT" "$victim" <<'PY' || fail "damaged ELF files"
import errno, os, random, struct, sys
mnt, path = sys.argv[1], sys.argv[2]
random.seed(20261122)
base = open("/bin/true", "rb").read()
phoff = struct.unpack_from("<Q", base, 32)[0]
hdr_end = phoff + 56 * struct.unpack_from("<H", base, 56)[0]
allowed = {errno.ENOEXEC, errno.ENOMEM, errno.EACCES, errno.ENOENT, errno.E2BIG}
values = [0, 1, 0xff, 0x1000, 0xffffffff, 1 << 63, (1 << 64) - 1]

def ctl(cmd, file):
    fd = os.open(file, os.O_RDWR)
    try:
        os.write(fd, cmd.encode() + b"\n")
        return 0, os.read(fd, 4096).decode().strip()
    except OSError as e:
        return e.errno, os.read(fd, 4096).decode().strip()
    finally:
        os.close(fd)

def damage(b):
    for _ in range(random.randint(1, 6)):
        r = random.random()
        if r < 0.6:
            off = random.randrange(hdr_end)
            size = random.choice([1, 2, 4, 8])
            val = random.choice(values + [random.getrandbits(64)])
            b[off:off + size] = (val & ((1 << 8 * size) - 1)).to_bytes(size, "little")
        elif r < 0.8:
            del b[random.randrange(len(b)):]
        elif b:
            b[random.randrange(len(b))] = random.randrange(256)
    return b

ran = refused = 0
for i in range(400):
    with open(path, "wb") as f:
        f.write(damage(bytearray(base)))
    os.chmod(path, 0o755)
    e, out = ctl("spawn " + path, mnt + "/ctl")
    if e == 0:
        ran += 1
        ctl("kill " + out, mnt + "/ctl")
        ctl("wait " + out, mnt + "/1/ctl")
    elif e in allowed:
        refused += 1
    else:
        sys.exit("input %d: unexpected %s" % (i, out))
    if i % 40 == 0:
        e, out = ctl("check", mnt + "/ctl")
        if e:
            sys.exit("input %d: check: %s" % (i, out))
print("%d ran, %d refused" % (ran, refused))
assert ran and refused
PY
check_machine
echo ok
