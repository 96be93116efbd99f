"""toolrun - what the checks of tools run in a namespace share (t_procps,
t_tools): the errors found, eq, and the files of each run NAME (NAME.out,
NAME.err, NAME.rc in $OUT, as the tests' run() leaves them)."""
import os

MNT, OUT = os.environ["MNT"], os.environ["OUT"]
errors = []


def eq(got, want, what):
    if got != want:
        errors.append("%s: got %r, expected %r" % (what, got, want))


def read(path):
    with open(path) as f:
        return f.read()


def out(name):
    return read(os.path.join(OUT, name + ".out"))


def ran_cleanly(names):
    """each run exited 0 and wrote nothing on stderr"""
    for name in names:
        eq(read(os.path.join(OUT, name + ".rc")).strip(), "0", name + " exit status")
        eq(read(os.path.join(OUT, name + ".err")), "", name + " stderr")
