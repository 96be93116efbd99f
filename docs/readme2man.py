#!/usr/bin/env python3
"""readme2man.py README VERSION - mmufs(1) in roff, on stdout.

The manual is made from README.md, so that the two never disagree: its
first paragraph is the DESCRIPTION, and the sections "The command line",
"The tree" and "The ctl language" (the errno table among them) are
converted whole.  Markdown handled: paragraphs, `code`, **bold**, *italic*,
[links](target), tables (each row becomes a tagged paragraph: the first
cell the tag, the others the text), fenced code blocks and "- " lists.
"""
import re
import sys

SECTIONS = [
    ("The command line", "OPTIONS"),
    ("The tree", "THE TREE"),
    ("The ctl language", "THE CTL LANGUAGE"),
]


def sections(lines):
    """The README's "## " sections: {title: [lines]}, and the lines
    before the first one."""
    out, title, head = {}, None, []
    fence = False
    for line in lines:
        if line.startswith("```"):
            fence = not fence
        if not fence and line.startswith("## "):
            title = line[3:].strip()
            out[title] = []
        elif title is None:
            head.append(line)
        else:
            out[title].append(line)
    return head, out


def escape(text):
    """Text for a roff line: backslashes, characters beyond ASCII as
    \\[uXXXX], a leading dot or quote."""
    text = text.replace("\\", "\\e")
    text = "".join(c if ord(c) < 128 else "\\[u%04X]" % ord(c)
                   for c in text)
    if text.startswith((".", "'")):
        text = "\\&" + text
    return text


def inline(text):
    """Markdown's inline marks in roff fonts."""
    text = text.replace("\\|", "|")
    text = escape(text)
    parts = re.split(r"(`[^`]*`)", text)
    out = []
    for p in parts:
        if p.startswith("`") and p.endswith("`") and len(p) >= 2:
            out.append("\\fB" + p[1:-1].replace("-", "\\-") + "\\fR")
            continue
        p = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", p)
        p = re.sub(r"\*\*([^*]+)\*\*", r"\\fB\1\\fR", p)
        p = re.sub(r"(?<![\w*])\*([^*\s][^*]*)\*(?![\w*])", r"\\fI\1\\fR", p)
        out.append(p)
    return "".join(out)


def cells(row):
    """The cells of a table row, `\\|` kept inside a cell."""
    row = row.strip().strip("|")
    return [c.strip() for c in re.split(r"(?<!\\)\|", row)]


def options(block):
    """The command line's code block as .TP entries: a line starting with
    two blanks and a dash is an option, its description after the first
    run of two or more blanks; deeper lines continue it."""
    out = []
    for line in block:
        m = re.match(r"^  (-\S.*?)(?:\s{2,}(.*))?$", line)
        if m:
            out += [".TP", "\\fB" + escape(m.group(1)).replace("-", "\\-")
                    + "\\fR"]
            if m.group(2):
                out.append(inline(m.group(2)))
        elif line.strip() and out:
            out.append(inline(line.strip()))
    return out


def convert(lines, is_options):
    """One section's lines in roff."""
    out, para, i = [], [], 0

    def flush():
        if para:
            out.append(".PP")
            out.extend(inline(p) for p in para)
            para.clear()

    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            flush()
            j = i + 1
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            block = lines[i + 1:j]
            if is_options and any(b.startswith("  -") for b in block):
                usage = [b for b in block if b.strip() and
                         not b.startswith(" ")]
                out += [".PP"] + ["\\fB" + escape(u) + "\\fR" for u in usage]
                out += options(block)
            else:
                out += [".PP", ".nf", ".RS 4"]
                out += [escape(b) for b in block]
                out += [".RE", ".fi"]
            i = j + 1
            continue
        if line.startswith("|"):
            flush()
            j = i
            rows = []
            while j < len(lines) and lines[j].startswith("|"):
                rows.append(cells(lines[j]))
                j += 1
            head = rows[0]
            out += [".PP", "\\fI" + escape(head[0]) + "\\fR: " +
                    " / ".join(escape(h) for h in head[1:])]
            for r in rows[2:]:
                out += [".TP", inline(r[0])]
                out += [inline(" ".join(r[1:]))]
            i = j
            continue
        if line.startswith("#"):
            flush()
            out += [".SS " + escape(line.lstrip("#").strip())]
        elif line.startswith("- "):
            flush()
            out += [".IP \\(bu 2", inline(line[2:])]
            i += 1
            while i < len(lines) and lines[i].startswith("  ") and \
                    lines[i].strip():
                out.append(inline(lines[i].strip()))
                i += 1
            continue
        elif not line.strip():
            flush()
        else:
            para.append(line.strip())
        i += 1
    flush()
    return out


def main():
    readme, version = sys.argv[1], sys.argv[2]
    with open(readme, encoding="utf-8") as f:
        lines = f.read().split("\n")
    head, secs = sections(lines)
    first = []
    for line in head[1:]:
        if not line.strip() and first:
            break
        if line.strip():
            first.append(line.strip())
    out = [
        '.TH MMUFS 1 "" "mmufs ' + escape(version) + '" "User Commands"',
        ".SH NAME",
        "mmufs \\- a simulated x86 machine's memory manager, "
        "mounted as a procfs tree",
        ".SH SYNOPSIS",
        "\\fBmmufs\\fR [\\fIOPTIONS\\fR] \\fIMOUNTPOINT\\fR",
        ".SH DESCRIPTION",
    ]
    out += [inline(p) for p in first]
    for title, name in SECTIONS:
        if title not in secs:
            sys.exit("readme2man: README has no section '%s'" % title)
        out.append(".SH " + name)
        out += convert(secs[title], name == "OPTIONS")
    out += [
        ".SH SEE ALSO",
        "\\fBproc\\fR(5), \\fBfusermount3\\fR(1), \\fBmount.fuse3\\fR(8);",
        "README.md in the source tree, which this page is made from, has",
        "the tour, how to read each file and what is simulated.",
    ]
    sys.stdout.write("\n".join(out) + "\n")


main()
