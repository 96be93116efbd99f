#!/usr/bin/env bash
# trace_pipe consumes events (and poll() says when there are some); trace
# is a snapshot that does not.
. "$(dirname "$0")/lib.sh"
mount_mmufs --mem 32M

python3 - "$MNT" <<'PY'
import os, re, select, sys, time

mnt = sys.argv[1]
fd = os.open(mnt + "/trace_pipe", os.O_RDONLY | os.O_NONBLOCK)

def drain():
    data = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            return data
        data += chunk

boot = drain()
assert b"mm_page_alloc" in boot, boot[:200]
p = select.poll()
p.register(fd, select.POLLIN)
assert p.poll(200) == [], "poll says ready with nothing to read"
with open(mnt + "/1/ctl", "w") as ctl:
    ctl.write("fork\n")
ev = p.poll(2000)
assert ev and ev[0][1] & select.POLLIN, ev
events = drain().decode()
assert "sched_process_fork: child_pid=4" in events, events
assert drain() == b"", "events were not consumed"
# A blocking read waits for the next event.
os.set_blocking(fd, True)
pid = os.fork()
if pid == 0:
    time.sleep(0.3)
    with open(mnt + "/4/ctl", "w") as ctl:
        ctl.write("exit 7\n")
    os._exit(0)
t0 = time.time()
line = os.read(fd, 65536).decode()
assert time.time() - t0 > 0.2, "the read did not block"
assert "sched_process_exit: status=0x700" in line, line
os.waitpid(pid, 0)
# Reads shorter than a line get it in pieces, none lost.
with open(mnt + "/1/ctl", "w") as ctl:
    ctl.write("fork\n")
os.set_blocking(fd, False)
got = b""
while True:
    try:
        piece = os.read(fd, 7)
    except BlockingIOError:
        break
    assert 0 < len(piece) <= 7, piece
    got += piece
lines = got.decode().splitlines()
assert got.endswith(b"\n") and "sched_process_fork: child_pid=" in got.decode(), got
for l in lines:
    assert re.match(r"^ *\S+-\d+ +\[\d{3}\] +\d+\.\d{6}: [a-z_]+: ", l), l
os.close(fd)
PY
grep -q 'sched_process_fork: child_pid=4' "$MNT/trace" || fail "trace lost the fork"
grep -q 'sched_process_fork: child_pid=4' "$MNT/trace" || fail "reading trace consumed it"
grep -q '^# tracer: mmufs$' "$MNT/trace" || fail "trace header"
check_machine
