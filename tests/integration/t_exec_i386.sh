#!/usr/bin/env bash
# exec on a 32-bit machine (--arch i386) against what a native i386 Linux
# 6.18 kernel (CONFIG_X86_32, 2-level paging without PAE, the 3G/1G split:
# i386_defconfig, Debian's 686 flavour) gives right after execve, without
# address randomization (`setarch -R`), in both layouts (topdown, and
# legacy as `setarch -L` gives).
#
# Two oracles, for a static, a static-pie, a dynamic PIE and a non-PIE
# program built with `gcc -m32`, the i386 ld.so run directly and a
# hand-made static ELF:
#
# - A real native i386 kernel (compare_native, at the end): Debian 12's
#   686 kernel booted under qemu by tests/tools/native-i386.sh runs each
#   program and shows its maps, start_brk and auxiliary vector right after
#   execve, and where its first mmaps go.  mmufs, given that kernel's own
#   32-bit vDSO image (--vdso32), must show the same.  That kernel is 6.1,
#   the newest native i386 one Debian builds; the two 6.1-to-6.18 changes
#   that show here are applied to its output first, each with its source.
# - A model of the 6.18 kernel written here from its sources, independent
#   of mmufs's code (model.py below: each rule cites the source it comes
#   from), for what the native run does not show: every byte of the stack
#   from the stack pointer up (argc, argv, envp, the auxiliary vector and
#   the strings; only the 16 AT_RANDOM bytes are not known), the mm
#   fields, AT_MINSIGSTKSZ from the host CPU's XSAVE layout, the heap.
#
# The vDSO depends on the host: by default mmufs maps the host's 32-bit
# vDSO, which only a host that runs 32-bit programs has.  The test finds
# out by running one.  Where it can, the model gets the vDSO's size from
# the image, mem must show its bytes, and each program also runs under the
# host's compat path (`setarch i386 -3 -R`, 3 GiB address space, through
# tests/tools/execmaps) for a comparison with what a 32-bit kernel shares
# with it (see compare_compat below).  Where it cannot, `machine` must say
# why and no image may have a vDSO.
. "$(dirname "$0")/lib.sh"
EXECMAPS=${EXECMAPS:?set EXECMAPS to tests/tools/execmaps}

# ---- the programs ----
exec_programs
gcc -m32 -O1 -o "$bin/pie" "$bin/hello.c"
gcc -m32 -O1 -no-pie -o "$bin/nopie" "$bin/hello.c"
gcc -m32 -O1 -static -o "$bin/static" "$bin/hello.c"
gcc -m32 -O1 -static-pie -o "$bin/staticpie" "$bin/hello.c"
ldso=/lib/ld-linux.so.2
[ -e "$ldso" ] || fail "no $ldso (gcc-multilib installs it)"
# A hand-made static i386 ELF: text, data and bss.
python3 - "$bin/tiny" <<'PY'
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
chmod +x "$bin/tiny"
# vdsodump: a 32-bit program that writes its own [vdso] to stdout.
cat >"$bin/vdsodump.c" <<'EOF'
#include <stdio.h>
#include <string.h>
int main(void)
{
	char line[512];
	unsigned long s, e;
	FILE *f = fopen("/proc/self/maps", "r");

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, " [vdso]") && sscanf(line, "%lx-%lx", &s, &e) == 2)
			return fwrite((void *)s, 1, e - s, stdout) != e - s;
	return 1;
}
EOF
gcc -m32 -O1 -static -o "$bin/vdsodump" "$bin/vdsodump.c"
# cpuid: the host CPU's FXSR/XSAVE support, XCR0 and the XSAVE layout
# (CPUID leaf 0xd), for AT_MINSIGSTKSZ.
cat >"$bin/cpuid.c" <<'EOF'
#include <cpuid.h>
#include <stdio.h>
int main(void)
{
	unsigned a, b, c, d, lo = 0, hi = 0, i;

	__cpuid(1, a, b, c, d);
	if ((c >> 26 & 1) && (c >> 27 & 1))
		__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	printf("fxsr %u xsave %u xcr0 %llu\n", d >> 24 & 1,
	       (c >> 26 & 1) && (c >> 27 & 1),
	       (unsigned long long)hi << 32 | lo);
	for (i = 2; i < 64; i++)
		if (((unsigned long long)hi << 32 | lo) >> i & 1) {
			__cpuid_count(0xd, i, a, b, c, d);
			printf("xfeature %u size %u offset %u\n", i, a, b);
		}
	return 0;
}
EOF
gcc -O1 -o "$bin/cpuid" "$bin/cpuid.c"
"$bin/cpuid" >"$bin/cpuid.txt"

# mmaps: a static program whose first mmaps are 16 KiB and 4 MiB (static
# glibc maps nothing before main); it prints where they went, then its
# maps.
cat >"$bin/mmaps.c" <<'EOF'
#include <stdio.h>
#include <sys/mman.h>
int main(void)
{
	void *a = mmap(0, 16384, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	void *b = mmap(0, 4 << 20, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	FILE *maps = fopen("/proc/self/maps", "r");
	int c;

	printf("%#lx %#lx\n", (unsigned long)a, (unsigned long)b);
	while (maps && (c = getc(maps)) != EOF)
		putchar(c);
	return 0;
}
EOF
gcc -m32 -O1 -static -o "$bin/mmaps" "$bin/mmaps.c"

# ---- a native i386 kernel ----
# tests/tools/native-i386.sh boots Debian 12's 686 kernel under qemu and
# runs there, without address randomization, each program up to right
# after its execve (execmaps: maps, stat, auxv) and mmaps to its end, in
# both layouts; it also gives that kernel's own 32-bit vDSO image.
native=$bin/native
for layout in topdown legacy; do
	for prog in "$bin/tiny" "$bin/static" "$bin/staticpie" "$bin/pie" \
		"$bin/nopie" "$ldso"; do
		echo "exec $layout $prog"
	done
	echo "run $layout $bin/mmaps"
done >"$bin/native.list"
bash "$(dirname "$0")/../tools/native-i386.sh" "$native" "$bin/native.list" ||
	skip "cannot boot a native i386 kernel"
echo "native kernel: $(cat "$native/kernel")"

# ---- can this host run 32-bit programs? ----
if out=$("$bin/static" 2>&1); then
	host32=1
	[ "$out" = "6 $bin/static" ] || fail "the 32-bit program printed '$out'"
	"$bin/vdsodump" >"$bin/vdso32" || : >"$bin/vdso32"
else
	host32=0
	[[ $out == *"Exec format error"* ]] ||
		fail "cannot tell whether the host runs 32-bit programs: $out"
	: >"$bin/vdso32"
fi
echo "host runs 32-bit programs: $host32; its 32-bit vDSO: $(stat -c %s "$bin/vdso32") bytes"

cat >"$bin/model.py" <<'PY'
"""model.py - the layout a native i386 Linux 6.18 kernel gives a program
right after execve, from the kernel's rules (cited per rule), and checks
of an mmufs process against it.  Nothing here reads mmufs's state to
predict: the inputs are the program files, the host CPU (cpuid.txt), the
host's 32-bit vDSO image (vdso32, empty when there is none) and the
creds and AT_HWCAP* of the host (the simulated CPUs are the host's)."""
import os, struct, sys

PAGE = 0x1000
MB = 1 << 20
# arch/x86/Kconfig VMSPLIT_3G: PAGE_OFFSET 0xC0000000; on x86_32
# TASK_SIZE = PAGE_OFFSET and STACK_TOP = TASK_SIZE (asm/page_32_types.h,
# asm/processor.h).  Without PF_RANDOMIZE randomize_stack_top() leaves
# STACK_TOP alone.
TASK_SIZE = 0xC0000000
STACK_TOP = TASK_SIZE
# asm/elf.h: ELF_ET_DYN_BASE is 0x400000 when mmap_is_ia32(), which a
# CONFIG_X86_32 kernel always is.
ELF_ET_DYN_BASE = 0x400000
RLIMIT_STACK = 8 * MB                   # the default RLIMIT_STACK
STACK_GUARD_GAP = 256 * PAGE            # mm/mmap.c stack_guard_gap
MMAP_MIN_ADDR = 0x10000                 # vm.mmap_min_addr


def page_down(x):
    return x & ~(PAGE - 1)


def page_up(x):
    return (x + PAGE - 1) & ~(PAGE - 1)


def mmap_base(legacy):
    """arch/x86/mm/mmap.c: mmap_legacy_base() = __TASK_UNMAPPED_BASE =
    PAGE_ALIGN(task_size / 3); mmap_base(): gap = rlimit + guard gap (+
    stack_maxrandom_size, 0 without PF_RANDOMIZE), clamped to [128 MiB,
    task_size / 6 * 5], PAGE_ALIGN(task_size - gap).  On x86_32 the task
    size is TASK_SIZE (task_size_64bit() = DEFAULT_MAP_WINDOW = TASK_SIZE)."""
    if legacy:
        return page_up(TASK_SIZE // 3)
    gap = RLIMIT_STACK + STACK_GUARD_GAP
    gap = min(max(gap, 128 * MB), TASK_SIZE // 6 * 5)
    return page_up(TASK_SIZE - gap)


class Elf:
    """An ELF32 file's header and program headers (struct, no readelf)."""
    def __init__(self, path):
        self.path = os.path.realpath(path)      # maps show d_path
        data = open(path, "rb").read()
        self.data = data
        assert data[:4] == b"\x7fELF" and data[4] == 1, path
        (self.type, _, _, self.entry, self.phoff, _, _, _, self.phentsize,
         self.phnum) = struct.unpack_from("<HHIIIIIHHH", data, 16)
        self.phdrs = [struct.unpack_from("<8I", data, self.phoff + 32 * i)
                      for i in range(self.phnum)]
        self.loads = [p for p in self.phdrs if p[0] == 1]
        interp = [p for p in self.phdrs if p[0] == 3]
        self.interp = (data[interp[0][1]:interp[0][1] + interp[0][4]]
                       .rstrip(b"\0").decode() if interp else None)
        st = os.stat(path)
        self.dev = (os.major(st.st_dev), os.minor(st.st_dev))
        self.ino = st.st_ino

    def total_mapping_size(self):
        """fs/binfmt_elf.c total_mapping_size(): first PT_LOAD's page to
        the end of the last one."""
        first, last = self.loads[0], self.loads[-1]
        return last[2] + last[5] - page_down(first[2])

    def maximum_alignment(self):
        """fs/binfmt_elf.c maximum_alignment(): the largest power-of-two
        p_align of the PT_LOADs, page aligned."""
        a = 0
        for p in self.loads:
            if p[7] and not p[7] & (p[7] - 1):
                a = max(a, p[7])
        return page_up(a)


class Vma:
    def __init__(self, start, end, perms, off=0, f=None, name=None,
                 growsdown=False):
        self.start, self.end, self.perms, self.off = start, end, perms, off
        self.f, self.name, self.growsdown = f, name, growsdown


class Space:
    """The vmas of one mm and the searches of mm/mmap.c."""
    def __init__(self, legacy):
        self.legacy = legacy
        self.base = mmap_base(legacy)
        self.vmas = []
        self.start_brk = self.brk = 0

    def unmap(self, start, end):
        out = []
        for v in self.vmas:
            if v.end <= start or v.start >= end:
                out.append(v)
                continue
            if v.start < start:
                out.append(Vma(v.start, start, v.perms, v.off, v.f, v.name,
                               v.growsdown))
            if v.end > end:
                off = v.off + (end - v.start if v.f else 0)
                out.append(Vma(end, v.end, v.perms, off, v.f, v.name,
                               v.growsdown))
        self.vmas = sorted(out, key=lambda v: v.start)

    def mergeable(self, a, b):
        """mm/vma.c: adjacent, same flags, and either the same file at
        contiguous offsets or both anonymous (special mappings never)."""
        if a.end != b.start or a.perms != b.perms or a.name or b.name:
            return False
        if a.f or b.f:
            return (a.f is b.f and
                    a.off + (a.end - a.start) == b.off)
        return not a.growsdown and not b.growsdown

    def map(self, v, merge_prev=True):
        """mmap_region() / do_brk_flags(): replace what is there, merge
        with the neighbours (with the one below only if merge_prev)."""
        self.unmap(v.start, v.end)
        self.vmas = sorted(self.vmas + [v], key=lambda x: x.start)
        i = 0
        while i + 1 < len(self.vmas):
            a, b = self.vmas[i], self.vmas[i + 1]
            if self.mergeable(a, b) and (merge_prev or b is not v):
                self.vmas[i] = Vma(a.start, b.end, a.perms, a.off, a.f)
                del self.vmas[i + 1]
            else:
                i += 1

    def gaps(self):
        """Free ranges: vm_start_gap() keeps stack_guard_gap below a
        VM_GROWSDOWN vma."""
        prev = 0
        for v in self.vmas + [Vma(TASK_SIZE, TASK_SIZE, "")]:
            top = v.start - (STACK_GUARD_GAP if v.growsdown else 0)
            if top > prev:
                yield prev, top
            prev = max(prev, v.end)

    def unmapped_area(self, length, low, high, topdown):
        """mm/vma.c unmapped_area{,_topdown}() with no alignment."""
        low = max(low, MMAP_MIN_ADDR)
        fits = [(a, b) for a, b in self.gaps()
                if min(b, high) - max(a, low) >= length]
        if not fits:
            return None
        if topdown:
            a, b = fits[-1]
            return min(b, high) - length
        return max(fits[0][0], low)

    def get_unmapped_area(self, length):
        """mm/mmap.c generic_get_unmapped_area{,_topdown}() (x86_32 has no
        HAVE_ARCH_UNMAPPED_AREA, and no THP alignment: __thp_get_unmapped_area
        returns 0 without CONFIG_64BIT): bottom-up from mmap_base in the
        legacy layout; top-down below it, then bottom-up from
        TASK_UNMAPPED_BASE."""
        if self.legacy:
            return self.unmapped_area(length, self.base, TASK_SIZE, False)
        a = self.unmapped_area(length, PAGE, self.base, True)
        if a is None:
            a = self.unmapped_area(length, page_up(TASK_SIZE // 3),
                                   TASK_SIZE, False)
        return a

    def maps(self):
        """fs/proc/task_mmu.c show_map_vma(): the header padded to
        25 + 6 * sizeof(void *) - 1 = 48 columns on i386, then the name;
        [heap] for vma_is_initial_heap()."""
        lines = []
        for v in self.vmas:
            dev, ino = ((v.f.dev, v.f.ino) if v.f else ((0, 0), 0))
            head = "%08x-%08x %s %08x %02x:%02x %d " % (
                v.start, v.end, v.perms, v.off, dev[0], dev[1], ino)
            name = v.name or (v.f.path if v.f else None)
            if not v.f and not v.name and v.start < self.brk and \
               v.end > self.start_brk:
                name = "[heap]"
            lines.append(head.ljust(48) + " " + name if name else head)
        return "\n".join(lines)


def prot(flags):
    return ("r" if flags & 4 else "-") + ("w" if flags & 2 else "-") + \
           ("x" if flags & 1 else "-") + "p"


def elf_load(mm, elf, addr, p):
    """fs/binfmt_elf.c elf_load() and elf_map(): the file pages of the
    segment at addr's page (the first segment of a relocatable image was
    placed by a search for the whole image's span, whose rest elf_map()
    gives back); then the rest of p_memsz as an anonymous vma from the next
    page on (vm_brk_flags(): read-write, VM_EXEC only if the segment has
    it)."""
    vaddr, off, filesz, memsz, flags = p[2], p[1], p[4], p[5], p[6]
    start = page_down(addr)
    zero_start = start
    if filesz:
        size = page_up(filesz + (vaddr & (PAGE - 1)))
        mm.map(Vma(start, start + size, prot(flags), page_down(off), elf))
        zero_start = start + (vaddr & (PAGE - 1)) + filesz
    zero_end = start + (vaddr & (PAGE - 1)) + memsz
    if memsz > filesz and page_up(zero_end) > page_up(zero_start):
        perms = "rw" + ("x" if flags & 1 else "-") + "p"
        mm.map(Vma(page_up(zero_start), page_up(zero_end), perms))


def load_segments(mm, elf, bias_for_first):
    """The PT_LOAD loop of load_elf_binary() / load_elf_interp(): the first
    segment decides the load bias, the others go MAP_FIXED after it."""
    bias = None
    for p in elf.loads:
        if bias is None:
            bias = bias_for_first(p)
        elf_load(mm, elf, bias + p[2], p)
    return bias


def sigframe_size(cpuid, sigframe, fsave, pkru):
    """arch/x86/kernel/signal.c init_sigframe_size(): MAX_FRAME_SIGINFO_
    UCTXT_SIZE + MAX_FRAME_PADDING (15) + fpu__get_fpstate_size() +
    MAX_XSAVE_PADDING (63), rounded up to FRAME_ALIGNMENT (16);
    fpu__get_fpstate_size() (arch/x86/kernel/fpu/signal.c) is
    fpu_user_cfg.max_size (the standard-format XSAVE size of the enabled
    user features, xstate.c xstate_calculate_size(); else the FXSAVE or
    FSAVE legacy size) + FP_XSTATE_MAGIC2_SIZE (4) with XSAVE + sizeof(struct
    fregs_state) (112) with FXSR on a kernel with 32-bit frames.  PKRU
    (xfeature 9) counts only where the kernel can enable it: protection
    keys need CONFIG_X86_64 (X86_INTEL_MEMORY_PROTECTION_KEYS), so
    fpu__init_system_xstate() drops it on i386 (no X86_FEATURE_OSPKE)."""
    fx, xsave, feats = cpuid
    size = 512 if fx else 112
    if xsave:
        size = max([576] + [off + sz for i, sz, off in feats
                            if pkru or i != 9]) + 4
    if fx and fsave:
        size += 112
    return (sigframe + 15 + size + 63 + 15) & ~15


def read_cpuid(path):
    """cpuid.txt: FXSR, XSAVE enabled, then (xfeature, size, offset) of
    each user feature the host enabled in XCR0."""
    fx = xsave = 0
    feats = []
    for line in open(path):
        w = line.split()
        if w[0] == "fxsr":
            fx, xsave = int(w[1]), int(w[3])
        else:
            feats.append((int(w[1]), int(w[3]), int(w[5])))
    return fx, xsave, feats


def host_auxv():
    data = open("/proc/self/auxv", "rb").read()
    out = {}
    for i in range(0, len(data), 16):
        t, v = struct.unpack_from("<QQ", data, i)
        if t == 0:
            break
        out[t] = v
    return out


def vdso_sym(img, name):
    """The offset of a dynamic symbol of the 32-bit vDSO image (vdso2c's
    sym_<name>): st_value in the first PT_LOAD, as a file offset."""
    (_, _, _, _, phoff, shoff, _, _, _, phnum, _, shnum
     ) = struct.unpack_from("<HHIIIIIHHHHH", img, 16)
    load = [struct.unpack_from("<8I", img, phoff + 32 * i)
            for i in range(phnum)]
    load = [p for p in load if p[0] == 1][0]
    shdrs = [struct.unpack_from("<10I", img, shoff + 40 * i)
             for i in range(shnum)]
    dynsym = [s for s in shdrs if s[1] == 11][0]
    strtab = shdrs[dynsym[6]]
    for i in range(dynsym[5] // 16):
        st_name, st_value = struct.unpack_from("<II", img, dynsym[4] + 16 * i)
        s = img[strtab[4] + st_name:].split(b"\0")[0]
        if s == name:
            return st_value - load[2] + load[1]
    raise KeyError(name)


# include/uapi/linux/auxvec.h, arch/x86/include/uapi/asm/auxvec.h
AT = dict(AT_NULL=0, AT_PHDR=3, AT_PHENT=4, AT_PHNUM=5, AT_PAGESZ=6,
          AT_BASE=7, AT_FLAGS=8, AT_ENTRY=9, AT_UID=11, AT_EUID=12,
          AT_GID=13, AT_EGID=14, AT_PLATFORM=15, AT_HWCAP=16, AT_CLKTCK=17,
          AT_SECURE=23, AT_RANDOM=25, AT_HWCAP2=26, AT_RSEQ_FEATURE_SIZE=27,
          AT_RSEQ_ALIGN=28, AT_EXECFN=31, AT_SYSINFO=32, AT_SYSINFO_EHDR=33,
          AT_MINSIGSTKSZ=51)


class Image:
    """What execve(path, argv, envp) gives on a native i386 kernel."""
    def __init__(self, path, argv, envp, legacy, vdso, cpuid):
        mm = self.mm = Space(legacy)
        ex = Elf(path)
        # fs/exec.c bprm_mm_init(): bprm->p = vm_end - sizeof(void *) (4
        # on i386); copy_string_kernel(filename), then copy_strings() of
        # envp and argv, each list from its last string down.
        p = STACK_TOP - 4
        strings = {}
        p -= len(path) + 1
        execfn = p
        strings[p] = path.encode() + b"\0"
        for s in reversed(envp):
            p -= len(s) + 1
            strings[p] = s.encode() + b"\0"
        env_start = p
        for s in reversed(argv):
            p -= len(s) + 1
            strings[p] = s.encode() + b"\0"
        arg_start = p
        # fs/exec.c setup_arg_pages(): the pages holding the strings plus
        # 128 KiB (stack_expand), within RLIMIT_STACK.
        used = STACK_TOP - page_down(p)
        size = min(RLIMIT_STACK, used + 131072)
        mm.map(Vma(STACK_TOP - size, STACK_TOP, "rw-p", name="[stack]",
                   growsdown=True))
        # load_elf_binary(): the PT_LOADs.
        total = ex.total_mapping_size()
        align = ex.maximum_alignment()

        def bias_for_first(p):
            if ex.type == 2:                # ET_EXEC: at its addresses
                return 0
            # "PIE handling": ET_DYN with PT_INTERP, or a loader asking
            # for more than a page of alignment, at ELF_ET_DYN_BASE
            # (& ~(alignment - 1)); other loaders (ld.so, static-pie) with
            # a 0 load_bias, wherever mmap puts their total_size.
            if ex.interp or align > PAGE:
                bias = ELF_ET_DYN_BASE & ~(align - 1) if align else \
                    ELF_ET_DYN_BASE
            else:
                bias = mm.get_unmapped_area(page_up(total))
            return page_down(bias - p[2])
        bias = load_segments(mm, ex, bias_for_first)
        # The PT_LOAD loop's bookkeeping: AT_PHDR, start/end_code (PF_X
        # segments), start/end_data, elf_brk; all moved by the load bias.
        phdr = elf_brk = start_data = end_code = end_data = 0
        start_code = 1 << 32
        for p in ex.loads:
            if p[1] <= ex.phoff < p[1] + p[4]:
                phdr = ex.phoff - p[1] + p[2]
            if p[6] & 1:
                start_code = min(start_code, p[2])
                end_code = max(end_code, p[2] + p[4])
            start_data = max(start_data, p[2])
            end_data = max(end_data, p[2] + p[4])
            elf_brk = max(elf_brk, p[2] + p[5])
        interp_base = 0
        if ex.interp:
            # load_elf_interp(): the whole span where mmap puts it, its
            # segments fixed inside.
            ie = Elf(ex.interp)
            interp_base = load_segments(
                mm, ie, lambda p: page_down(
                    mm.get_unmapped_area(page_up(ie.total_mapping_size()))
                    - p[2]))
        # arch/x86/entry/vdso/vma.c map_vdso(image, 0): one
        # get_unmapped_area() of image->size + __VDSO_PAGES (6) pages:
        # [vvar] VDSO_NR_PAGES (4, include/vdso/datapage.h), [vvar_vclock]
        # VDSO_NR_VCLOCK_PAGES (2, asm/vdso/vsyscall.h), then [vdso].
        self.vdso = 0
        if vdso:
            a = mm.get_unmapped_area(len(vdso) + 6 * PAGE)
            mm.map(Vma(a, a + 4 * PAGE, "r--p", name="[vvar]"))
            mm.map(Vma(a + 4 * PAGE, a + 6 * PAGE, "r--p",
                       name="[vvar_vclock]"))
            mm.map(Vma(a + 6 * PAGE, a + 6 * PAGE + len(vdso), "r-xp",
                       name="[vdso]"))
            self.vdso = a + 6 * PAGE
        # create_elf_tables(): arch_align_stack() (16 bytes, no random
        # offset), the platform string (ELF_PLATFORM, utsname()->machine:
        # "i686" on a family >= 6 CPU, arch_cpu_finalize_init()), 16
        # random bytes, the auxiliary vector in this order (ARCH_DLINFO_
        # IA32 first: AT_SYSINFO = vdso + __kernel_vsyscall and
        # AT_SYSINFO_EHDR when there is a vDSO, AT_MINSIGSTKSZ always),
        # then sp = (p - (auxv words + argc + 1 + envc + 1 + 1) * 4) & ~15.
        p = arg_start & ~15
        u_platform = p - len("i686") - 1
        u_rand = u_platform - 16
        host = host_auxv()
        aux = []
        if self.vdso:
            aux += [(AT["AT_SYSINFO"], self.vdso +
                     vdso_sym(vdso, b"__kernel_vsyscall")),
                    (AT["AT_SYSINFO_EHDR"], self.vdso)]
        # 32-bit struct sigframe: 732 bytes on i386; fsave header: yes.
        aux += [(AT["AT_MINSIGSTKSZ"],
                 sigframe_size(cpuid, 732, True, False)),
                (AT["AT_HWCAP"], host[AT["AT_HWCAP"]]),  # CPUID.1:EDX word
                (AT["AT_PAGESZ"], PAGE), (AT["AT_CLKTCK"], 100),
                (AT["AT_PHDR"], phdr + bias), (AT["AT_PHENT"], 32),
                (AT["AT_PHNUM"], ex.phnum), (AT["AT_BASE"], interp_base),
                (AT["AT_FLAGS"], 0), (AT["AT_ENTRY"], ex.entry + bias),
                (AT["AT_UID"], os.getuid()), (AT["AT_EUID"], os.geteuid()),
                (AT["AT_GID"], os.getgid()), (AT["AT_EGID"], os.getegid()),
                (AT["AT_SECURE"], 0), (AT["AT_RANDOM"], u_rand),
                (AT["AT_HWCAP2"], host.get(AT["AT_HWCAP2"], 0)),
                (AT["AT_EXECFN"], execfn), (AT["AT_PLATFORM"], u_platform)]
        # CONFIG_RSEQ: offsetof(struct rseq, end) and its alignment, the
        # same in a 32-bit build.
        aux += [(AT["AT_RSEQ_FEATURE_SIZE"], 28), (AT["AT_RSEQ_ALIGN"], 32),
                (AT["AT_NULL"], 0)]
        items = (len(argv) + 1) + (len(envp) + 1) + 1
        sp = (u_rand - (2 * len(aux) + items) * 4) & ~15
        words = [len(argv)]
        q = arg_start
        for s in argv:
            words.append(q)
            q += len(s) + 1
        words.append(0)
        arg_end = q
        for s in envp:
            words.append(q)
            q += len(s) + 1
        words.append(0)
        env_end = q
        for t, v in aux:
            words += [t, v]
        stack = bytearray(STACK_TOP - sp)
        struct.pack_into("<%dI" % len(words), stack, 0, *words)
        stack[u_platform - sp:u_platform - sp + 5] = b"i686\0"
        for a, s in strings.items():
            stack[a - sp:a - sp + len(s)] = s
        self.stack, self.sp, self.u_rand = bytes(stack), sp, u_rand
        # load_elf_binary()'s "brk" handling (6.10+): ELF_ET_DYN_BASE for a
        # loader run directly (ET_DYN without PT_INTERP;
        # CONFIG_COMPAT_BRK is off in i386_defconfig and Debian), else the
        # page after bss; no gap or arch_randomize_brk() without
        # PF_RANDOMIZE.
        if ex.type == 3 and not ex.interp:
            elf_brk = ELF_ET_DYN_BASE
        else:
            elf_brk += bias
        mm.start_brk = mm.brk = page_up(elf_brk)
        self.fields = dict(start_code=(start_code + bias) % (1 << 32),
                           end_code=end_code + bias,
                           start_data=start_data + bias,
                           end_data=end_data + bias, start_brk=mm.start_brk,
                           brk=mm.brk, start_stack=sp, arg_start=arg_start,
                           arg_end=arg_end, env_start=env_start,
                           env_end=env_end, mmap_base=mm.base,
                           task_size=TASK_SIZE)

    def mmap_anon(self, length):
        """An anonymous private mmap with no hint: get_unmapped_area(),
        then mmap_region() merging with compatible neighbours."""
        a = self.mm.get_unmapped_area(length)
        self.mm.map(Vma(a, a + length, "rw-p"))
        return a

    def sbrk(self, incr):
        """mm/mmap.c brk(): do_brk_flags() from the old brk, expanding
        brkvma = vma_prev_limit(&vmi, mm->start_brk), the vma ending there
        only if it reaches above start_brk (the heap itself, never bss)."""
        mm = self.mm
        old = mm.brk
        if page_up(old + incr) > page_up(old):
            mm.map(Vma(page_up(old), page_up(old + incr), "rw-p"),
                   merge_prev=page_up(old) > mm.start_brk)
        mm.brk = old + incr
        return old


def ctl(mnt, pid, cmd):
    fd = os.open("%s/%s/ctl" % (mnt, pid), os.O_RDWR)
    try:
        os.write(fd, (cmd + "\n").encode())
        return os.read(fd, 4096).decode().strip()
    finally:
        os.close(fd)


def mm_fields(mnt, pid):
    return {k: int(v, 0) for k, v in
            (l.split() for l in open("%s/%s/mm" % (mnt, pid)))
            if v.startswith("0x") or v.isdigit()}


def check(what, got, want):
    if got != want:
        sys.exit("FAIL: %s:\n--- got\n%s\n--- expected\n%s" % (what, got, want))


def run(mnt, layout, vdso_path, cpuid_path, path, argv, envp):
    """spawn the program in the mmufs machine at mnt and compare."""
    legacy = layout == "legacy"
    vdso = open(vdso_path, "rb").read()
    cpuid = read_cpuid(cpuid_path)
    img = Image(path, argv, envp, legacy, vdso, cpuid)
    words = " ".join("'%s'" % w for w in envp + [path] + argv[1:])
    pid = ctl(mnt, "", "spawn " + words)
    d = "%s/%s" % (mnt, pid)
    check("maps of " + path, open(d + "/maps").read().rstrip("\n"),
          img.mm.maps())
    got = mm_fields(mnt, pid)
    check("mm of " + path, {k: got[k] for k in img.fields}, img.fields)
    with open(d + "/mem", "rb", buffering=0) as f:
        f.seek(img.sp)
        stack = bytearray(f.read(STACK_TOP - img.sp))
        r = img.u_rand - img.sp
        stack[r:r + 16] = bytes(16)             # AT_RANDOM: not known
        want = bytearray(img.stack)
        check("stack of " + path, stack.hex(), want.hex())
        for v in img.mm.vmas:                   # file pages hold the file
            if v.f and "w" not in v.perms:
                f.seek(v.start)
                n = min(v.end - v.start, len(v.f.data) - v.off)
                check("bytes of %s at %#x" % (path, v.off),
                      f.read(n) == v.f.data[v.off:v.off + n], True)
        if img.vdso:                            # the host's image
            f.seek(img.vdso)
            check("vdso bytes", f.read(len(vdso)) == vdso, True)
    return pid, img


def first_mmaps(mnt, pid, img, path):
    """The first mmaps and the heap: where a native kernel puts them."""
    for length in (16 * 1024, 4 * MB):
        want = img.mmap_anon(length)
        got = int(ctl(mnt, pid, "mmap 0 %d rw- private" % length), 0)
        check("mmap of %d bytes" % length, hex(got), hex(want))
    want = img.sbrk(8192)
    got = int(ctl(mnt, pid, "sbrk 8192"), 0)
    check("sbrk", hex(got), hex(want))
    check("maps after mmap and sbrk of " + path,
          open("%s/%s/maps" % (mnt, pid)).read().rstrip("\n"), img.mm.maps())


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "minsigstksz":        # MODEL CPUID: i386, and the host check
        cpuid = read_cpuid(sys.argv[2])
        host = host_auxv().get(AT["AT_MINSIGSTKSZ"])
        # The host's own value follows the same rule with its frame: 736
        # bytes (a 64-bit kernel with IA32 emulation aligns the 32-bit
        # sigframe to 8) and the fsave header, or, without IA32 emulation,
        # a 440-byte rt_sigframe and none.
        assert host is None or host in (
            sigframe_size(cpuid, 736, True, True),
            sigframe_size(cpuid, 440, False, True)), (host, cpuid)
        print(sigframe_size(cpuid, 732, True, False))
    elif cmd == "empty-brk":        # an empty PIE's brk: ELF_ET_DYN_BASE
        print(hex(ELF_ET_DYN_BASE))
    else:                           # run MNT LAYOUT VDSO CPUID PATH ARG.. -- ENV..
        mnt, layout, vdso_path, cpuid_path, path = sys.argv[2:7]
        rest = sys.argv[7:]
        cut = rest.index("--")
        argv, envp = [path] + rest[:cut], rest[cut + 1:]
        pid, img = run(mnt, layout, vdso_path, cpuid_path, path, argv, envp)
        if cmd == "run+mmap":
            first_mmaps(mnt, pid, img, path)
        print(pid)
PY

python3 "$bin/model.py" minsigstksz "$bin/cpuid.txt" >/dev/null ||
	fail "the AT_MINSIGSTKSZ rule does not give the host's own value"

# compare_compat LAYOUT PID PATH - where the host runs 32-bit programs,
# the host's compat path (a 64-bit kernel running the program with the
# ADDR_LIMIT_3GB personality: `setarch i386 -3 -R`, plus -L for legacy)
# shares with a native i386 kernel: TASK_SIZE and the stack top
# (IA32_PAGE_OFFSET = 0xc0000000), mmap_compat_base (0xb8000000; legacy 0x40000000,
# task_size_32bit() / 3), get_unmapped_area() without THP alignment
# (in_compat_syscall()), the vDSO (the same map_vdso(vdso_image_32, 0),
# same image), the brk.  So every maps line must match but [stack]'s start
# and the blanks before the path (show_map_vma pads to the kernel's pointer
# width, 8 bytes there and 4 on a native i386 kernel):
# the compat bprm->p starts sizeof(void *) = 8 bytes below the top, not 4,
# which can take one more page.  The auxiliary vectors match but for
# AT_MINSIGSTKSZ (the 64-bit kernel's 8-byte aligned 32-bit sigframe, 736
# bytes, not 732) and the addresses of the strings (AT_RANDOM, AT_EXECFN,
# AT_PLATFORM), which the 4 bytes move down.  One thing differs: a PIE with
# an interpreter goes to ELF_ET_DYN_BASE, 0x400000 on a native i386 kernel
# but COMPAT_ELF_ET_DYN_BASE on the compat path (compat_binfmt_elf.c:
# TASK_UNMAPPED_BASE + 16 MiB, 0x41000000 under ADDR_LIMIT_3GB); so for it
# the lines below 0x40000000 (its image and bss) and AT_PHDR and AT_ENTRY
# are moved by the difference (and the lines sorted again) before they are
# compared.
compare_compat() {
	local layout=$1 pid=$2 path=$3 flags=(-3 -R) real delta=0
	[ "$host32" = 1 ] || return 0
	[ "$layout" = legacy ] && flags+=(-L)
	real=$(setarch i386 "${flags[@]}" "$EXECMAPS" -e HOME=/root --auxv \
		"$path" one) || fail "execmaps $path under setarch i386"
	python3 - "$path" <<'PY' && delta=$((0x41000000 - 0x400000))
import struct, sys
f = open(sys.argv[1], "rb").read()
e_type, = struct.unpack_from("<H", f, 16)
phoff, = struct.unpack_from("<I", f, 28)
phentsize, phnum = struct.unpack_from("<HH", f, 42)
types = [struct.unpack_from("<I", f, phoff + i * phentsize)[0]
         for i in range(phnum)]
sys.exit(not (e_type == 3 and 3 in types))     # ET_DYN with PT_INTERP
PY
	diff <(sed '/^--- /,$d' <<<"$real" | grep -v '\[stack\]$' | tr -s ' ') \
		<(grep -v '\[stack\]$' "$MNT/$pid/maps" | tr -s ' ' |
		  python3 -c '
import sys
delta = int(sys.argv[1])
for l in sys.stdin:
    r, rest = l.split(" ", 1)
    a, b = (int(x, 16) for x in r.split("-"))
    if a < 0x40000000:
        a, b = a + delta, b + delta
    sys.stdout.write("%08x-%08x %s" % (a, b, rest))' "$delta" | sort) ||
		fail "maps of $path differ from the compat path's ($layout)"
	diff <(sed '/^--- /,$d' <<<"$real" | awk '/\[stack\]$/ { split($1, r, "-"); print r[2] }') \
		<(awk '/\[stack\]$/ { split($1, r, "-"); print r[2] }' "$MNT/$pid/maps") ||
		fail "the stack top of $path differs from the compat path's"
	printf '%s\n' "$real" >"$bin/compat.txt"
	python3 - "$MNT/$pid" "$bin/compat.txt" "$delta" <<'PY' || fail "auxv of $path differs from the compat path's"
import struct, sys
names = {3: "AT_PHDR", 4: "AT_PHENT", 5: "AT_PHNUM", 6: "AT_PAGESZ",
         7: "AT_BASE", 8: "AT_FLAGS", 9: "AT_ENTRY", 11: "AT_UID",
         12: "AT_EUID", 13: "AT_GID", 14: "AT_EGID", 16: "AT_HWCAP",
         17: "AT_CLKTCK", 23: "AT_SECURE", 26: "AT_HWCAP2",
         27: "AT_RSEQ_FEATURE_SIZE", 28: "AT_RSEQ_ALIGN", 32: "AT_SYSINFO",
         33: "AT_SYSINFO_EHDR"}
real = open(sys.argv[2]).read().split("--- auxv\n")[1].splitlines()
real = [l.split() for l in real]
real = [(n, int(v, 0)) for n, v in real if n in names.values()]
d = sys.argv[1]
mm = dict(l.split() for l in open(d + "/mm"))
sp = int(mm["start_stack"], 16)
top = [int(l.split()[0].split("-")[1], 16) for l in open(d + "/maps")
       if l.rstrip().endswith("[stack]")][0]
with open(d + "/mem", "rb") as f:
    f.seek(sp)
    w = struct.unpack("<%dI" % ((top - sp) // 4), f.read(top - sp))
i = w.index(0, 1 + w[0] + 1) + 1                # past argv and envp
sim = []
while w[i]:
    if w[i] in names:
        sim.append((names[w[i]], w[i + 1]))
    i += 2
moved = ("AT_PHDR", "AT_ENTRY")
sim = [(n, v + int(sys.argv[3]) if n in moved else v) for n, v in sim]
sys.exit(real != sim)
PY
}

# run_layout LAYOUT - the whole comparison on a machine of that layout.
run_layout() {
	local layout=$1 pid prog want pages
	mount_mmufs --arch i386 --layout "$layout"
	# The vDSO: the host's 32-bit image, or none and the reason.
	if [ -s "$bin/vdso32" ]; then
		pages=$(( $(stat -c %s "$bin/vdso32") / 4096 ))
		want="vdso: $pages page$([ "$pages" = 1 ] || echo s) (the host's 32-bit vDSO)"
	elif [ "$host32" = 1 ]; then
		want="vdso: none (the host maps no vDSO into 32-bit programs)"
	else
		want="vdso: none (this host cannot run 32-bit programs, so it has no 32-bit vDSO to copy)"
	fi
	assert_eq "$(grep '^vdso: ' "$MNT/machine")" "$want" "machine's vdso line"
	# --init none: pid 1's brk is where an empty PIE's would be.
	assert_eq "$(awk '$1 == "start_brk" { print $2 }' "$MNT/1/mm")" \
		"$(python3 "$bin/model.py" empty-brk)" "brk of --init none"
	for prog in "$bin/tiny" "$bin/static" "$bin/staticpie" "$bin/pie" \
		"$bin/nopie" "$ldso"; do
		pid=$(python3 "$bin/model.py" run "$MNT" "$layout" "$bin/vdso32" \
			"$bin/cpuid.txt" "$prog" one -- HOME=/root) ||
			fail "$prog ($layout)"
		compare_compat "$layout" "$pid" "$prog"
		check_machine
	done
	# Where the first mmaps and the heap go, in a dynamic PIE.
	python3 "$bin/model.py" run+mmap "$MNT" "$layout" "$bin/vdso32" \
		"$bin/cpuid.txt" "$bin/pie" one -- HOME=/root >/dev/null ||
		fail "mmaps and heap of $bin/pie ($layout)"
	check_machine
}

run_layout topdown

# The hand-made image: argv through mem, the data and the zeroed bss.
pid=$(ctl machine "spawn $bin/tiny one two")
python3 - "$MNT/$pid" "$bin/tiny" <<'PY' || fail "the i386 stack"
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
fusermount3 -u "$MNT"
daemon_stopped "the unmount"

run_layout legacy
fusermount3 -u "$MNT"
daemon_stopped "the unmount"

# compare_native LAYOUT - mmufs, given the native kernel's vDSO image,
# against what that kernel showed (native.list, line by line): the maps
# (device and inode masked: the guest's files are copies), start_brk, the
# auxiliary vector's addresses, and where the first mmaps go.  The kernel
# is 6.1, the newest native i386 kernel Debian builds; mmufs follows 6.18.
# What differs between the two here is changed in the 6.1 output first
# (to618.py below), each change with its source:
# - /proc/PID/maps names a vma [heap] when it overlaps [start_brk, brk]
#   on 6.1, and [start_brk, brk) since 6.7 (vma_is_initial_heap).  Right
#   after execve brk = start_brk, so on 6.18 no vma is [heap]: the bss
#   that ends at start_brk was [heap] on 6.1.
# - The vDSO data pages: 6.1 maps one [vvar] of 4 pages (vvar, pvclock,
#   hvclock, timens) below [vdso]; 6.18 maps [vvar] (4 pages, the generic
#   vDSO data store) and [vvar_vclock] (2) below it (arch/x86/entry/vdso/
#   vma.c).  map_vdso searches for the whole area, so it is 2 pages
#   longer: top-down its end stays and [vvar] starts 2 pages lower;
#   bottom-up its start stays and [vdso] moves 2 pages up, and so does
#   AT_SYSINFO(_EHDR).  An mmap placed beyond the area moves with it.
compare_native() {
	local layout=$1 n=0 how lay path pid got
	mount_mmufs --arch i386 --layout "$layout" --vdso32 "$native/vdso"
	while read -r how lay path; do
		n=$((n + 1))
		[ "$lay" = "$layout" ] || continue
		pid=$(ctl machine "spawn $path")
		if [ "$how" = exec ]; then
			python3 "$bin/to618.py" exec "$layout" "$native/$n" \
				"$MNT/$pid" ||
				fail "$path differs from the native kernel's ($layout)"
		else
			got="$(ctl "$pid" "mmap 0 16K rw- private") $(ctl "$pid" "mmap 0 4M rw- private")"
			assert_eq "$got" "$(python3 "$bin/to618.py" run "$layout" \
				"$native/$n" "$MNT/$pid")" "the first mmaps of $path ($layout)"
		fi
		check_machine
	done <"$bin/native.list"
	fusermount3 -u "$MNT"
	daemon_stopped "the unmount"
}

cat >"$bin/to618.py" <<'PY'
"""to618.py exec|run LAYOUT NATIVE PIDDIR - the native 6.1 kernel's output
NATIVE changed as compare_native says.  exec: compare it with mmufs's
process PIDDIR (maps, start_brk, auxv addresses), exit 1 on a difference;
run: print where the first mmaps went."""
import struct, sys

PAGE = 4096
how, layout, native, piddir = sys.argv[1:5]
text = open(native).read()
down = layout == "topdown"


def span(line):
    return [int(x, 16) for x in line.split()[0].split("-")]


# Where 6.1's [vvar] starts.
vvar_start = [span(l) for l in text.splitlines() if l.endswith("[vvar]")][0][0]


def moved(addr):
    """An address in 6.1's [vdso], or mapped after it beyond the vDSO
    area, where 6.18 has it."""
    start = vvar_start
    if down:
        return addr - 2 * PAGE if addr < start else addr
    return addr + 2 * PAGE if addr >= start + 4 * PAGE else addr


def line(start, end, rest):
    return "%08x-%08x %s" % (start, end, rest)


def to618_maps():
    out = []
    for l in text.split("--- ")[0].splitlines():
        s, e = span(l)
        rest = l[18:]
        if rest.endswith("[heap]"):
            rest = rest[:-len("[heap]")].rstrip() + " "
        if rest.endswith("[vvar]"):
            clock = rest.replace("[vvar]", "[vvar_vclock]")
            if down:
                out += [line(s - 2 * PAGE, e - 2 * PAGE, rest),
                        line(e - 2 * PAGE, e, clock)]
            else:
                out += [line(s, e, rest), line(e, e + 2 * PAGE, clock)]
            continue
        if rest.endswith("[vdso]"):
            s, e = moved(s), moved(e - 1) + 1
        out.append(line(s, e, rest))
    return out


def masked(lines):
    """Maps lines without the device and inode columns."""
    return [" ".join(l.split()[:3] + l.split()[5:]) for l in lines]


def sim_auxv():
    """mmufs's auxiliary vector (from the stack, through mem), start_brk."""
    mm = dict(l.split() for l in open(piddir + "/mm"))
    sp, top = int(mm["start_stack"], 16), 0xc0000000
    with open(piddir + "/mem", "rb") as f:
        f.seek(sp)
        w = struct.unpack("<%dI" % ((top - sp) // 4), f.read(top - sp))
    i = w.index(0, w[0] + 2) + 1          # past argv and envp
    aux = {}
    while w[i]:
        aux[w[i]] = w[i + 1]
        i += 2
    return aux, int(mm["start_brk"], 16)


if how == "run":
    print(" ".join(hex(moved(int(a, 16)))
                   for a in text.splitlines()[0].split()))
    sys.exit(0)
ok = True
mine = open(piddir + "/maps").read().splitlines()
if masked(to618_maps()) != masked(mine):
    print("native, as 6.18:", *to618_maps(), "mmufs:", *mine, sep="\n")
    ok = False
stat = text.split("--- stat\n")[1].splitlines()[0]
start_brk = int(stat[stat.rindex(")") + 2:].split()[44])   # field 47
aux, sim_brk = sim_auxv()
if start_brk != sim_brk:
    print("start_brk: native %#x, mmufs %#x" % (start_brk, sim_brk))
    ok = False
names = {"AT_SYSINFO": 32, "AT_SYSINFO_EHDR": 33, "AT_PHDR": 3,
         "AT_PHENT": 4, "AT_PHNUM": 5, "AT_PAGESZ": 6, "AT_BASE": 7,
         "AT_FLAGS": 8, "AT_ENTRY": 9, "AT_CLKTCK": 17, "AT_SECURE": 23}
for l in text.split("--- auxv\n")[1].splitlines():
    name, val = l.split()
    if name not in names:
        continue
    want = int(val, 0)
    if name in ("AT_SYSINFO", "AT_SYSINFO_EHDR"):
        want = moved(want)
    if aux.get(names[name]) != want:
        print("%s: native %#x (as 6.18), mmufs %s" % (name, want,
              hex(aux[names[name]]) if names[name] in aux else "none"))
        ok = False
image = open(native.rsplit("/", 1)[0] + "/vdso", "rb").read()
with open(piddir + "/mem", "rb") as f:      # the vDSO mmufs maps is it
    f.seek(aux.get(33, 0))
    if f.read(len(image)) != image:
        print("the [vdso] bytes differ from the native kernel's image")
        ok = False
sys.exit(0 if ok else 1)
PY

compare_native topdown
compare_native legacy
echo ok

