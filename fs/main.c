/*
 * main.c - the mmufs daemon: parse the options, boot the machine, mount
 * it (libfuse's fuse_main: daemonizes unless -f, unmounts on SIGTERM,
 * SIGINT and fusermount3 -u), and take the machine down at the end.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ops.h"
#include "fs.h"
#include "parse.h"
#include "render.h"
#include "exec/binfmts.h"
#include "mm/page_alloc.h"

#define MMUFS_VERSION "0.1.0"


struct options {
	char *mem, *swap, *cpus, *nodes, *tlb, *arch, *layout, *init, *vdso32;
	int aslr, pcid, vmalloc_fault, help, version;
};

#define OPT(t, p) { t, offsetof(struct options, p), 1 }
static const struct fuse_opt option_spec[] = {
	OPT("--mem=%s", mem), OPT("--mem %s", mem),
	OPT("--swap=%s", swap), OPT("--swap %s", swap),
	OPT("--cpus=%s", cpus), OPT("--cpus %s", cpus),
	OPT("--nodes=%s", nodes), OPT("--nodes %s", nodes),
	OPT("--tlb=%s", tlb), OPT("--tlb %s", tlb),
	OPT("--arch=%s", arch), OPT("--arch %s", arch),
	OPT("--layout=%s", layout), OPT("--layout %s", layout),
	OPT("--init=%s", init), OPT("--init %s", init),
	OPT("--vdso32=%s", vdso32), OPT("--vdso32 %s", vdso32),
	OPT("--aslr", aslr), OPT("--pcid", pcid),
	OPT("--vmalloc-fault", vmalloc_fault),
	OPT("--help", help), OPT("-h", help),
	OPT("--version", version), OPT("-V", version),
	FUSE_OPT_END
};

static const char usage[] =
"usage: mmufs [OPTIONS] MOUNTPOINT\n"
"\n"
"Boots a simulated x86 machine running a Linux-like memory manager and\n"
"mounts it at MOUNTPOINT as a procfs tree.\n"
"\n"
"  --mem SIZE            simulated RAM (K, M, G suffixes; 1M..64G; default 128M)\n"
"  --swap SIZE           a swap area of SIZE at boot (0: none)\n"
"  --cpus N              simulated CPUs, 1..64 (default 1)\n"
"  --nodes N             NUMA nodes, 1..8, at least 16M of RAM each; RAM and\n"
"                        CPUs are split evenly across them (default 1)\n"
"  --tlb ENTRIES[:WAYS]  data TLB per CPU (default 64:4)\n"
"  --arch x86_64|i386    4-level 48-bit or 2-level 32-bit paging (default x86_64)\n"
"  --layout topdown|legacy  mmap layout (default topdown)\n"
"  --init PATH|none      pid 1's program (default /bin/sh); none: an empty\n"
"                        address space with only a stack\n"
"  --vdso32 FILE         with --arch i386: the 32-bit vDSO image to map (default:\n"
"                        the host's, read from a 32-bit process)\n"
"  --aslr                randomize the stack, mmap_base and brk as Linux does\n"
"  --pcid                tag TLB entries with PCIDs (CR3 writes keep them)\n"
"  --vmalloc-fault       with --arch i386: a new kernel page-directory entry\n"
"                        reaches a process's pgd lazily (vmalloc_fault), not\n"
"                        at once (arch_sync_kernel_mappings)\n"
"  -f                    stay in the foreground\n"
"  -d                    foreground with FUSE debug output\n"
"  -o OPT[,OPT...]       libfuse mount options\n"
"  -h, --help            this text\n"
"  -V, --version         the version\n"
"\n"
"The manual, mmufs(1), has the tree, the ctl language and the errors:\n"
"man mmufs once installed, or man -l docs/mmufs.1 in the build directory.\n";

/* die - the one-line error for bad options, before daemonizing. */
__attribute__((noreturn, format(printf, 1, 2)))
static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("mmufs: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* parse_uint_opt - a whole decimal number in [lo, hi]. */
static bool parse_uint_opt(const char *s, unsigned long lo, unsigned long hi,
			   unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 10);
	return !errno && end != s && !*end && *s != '-' && *v >= lo && *v <= hi;
}

/* machine_params - boot parameters from the options (exit 1 if bad). */
static void machine_params(const struct options *o, struct boot_params *bp)
{
	unsigned long n, e, w;
	uint64_t size;
	char *colon;
	const char *why;

	memset(bp, 0, sizeof(*bp));
	bp->mem_bytes = 128ULL << 20;
	if (o->mem && (!parse_num(o->mem, &size) || size < (1ULL << 20) ||
		       size > (64ULL << 30)))
		die("--mem %s: want a size from 1M to 64G", o->mem);
	if (o->mem)
		bp->mem_bytes = size & ~(uint64_t)(PAGE_SIZE - 1);
	if (o->swap && (!parse_num(o->swap, &size) ||
			(size && (size < 40 * 1024 || size > (64ULL << 30)))))
		die("--swap %s: want 0 or a size from 40K to 64G", o->swap);
	if (o->swap)
		bp->swap_bytes = size & ~(uint64_t)(PAGE_SIZE - 1);
	bp->nr_cpus = 1;
	if (o->cpus && !parse_uint_opt(o->cpus, 1, 64, &n))
		die("--cpus %s: want 1..64", o->cpus);
	if (o->cpus)
		bp->nr_cpus = (int)n;
	bp->nr_nodes = 1;
	if (o->nodes && !parse_uint_opt(o->nodes, 1, MAX_NUMNODES, &n))
		die("--nodes %s: want 1..%d", o->nodes, MAX_NUMNODES);
	if (o->nodes)
		bp->nr_nodes = (int)n;
	if ((bp->mem_bytes >> PAGE_SHIFT) <
	    (uint64_t)bp->nr_nodes * NODE_MIN_PAGES && bp->nr_nodes > 1)
		die("--nodes %d: want at least %lluM of RAM per node",
		    bp->nr_nodes, NODE_MIN_PAGES >> (20 - PAGE_SHIFT));
	bp->tlb_entries = 64;
	bp->tlb_ways = 4;
	if (o->tlb) {
		char buf[64];

		snprintf(buf, sizeof(buf), "%s", o->tlb);
		colon = strchr(buf, ':');
		if (colon)
			*colon++ = '\0';
		w = 4;
		if (!parse_uint_opt(buf, 1, 65536, &e) ||
		    (colon && !parse_uint_opt(colon, 1, 65536, &w)) || e % w ||
		    ((e / w) & (e / w - 1)))
			die("--tlb %s: want ENTRIES[:WAYS] with ENTRIES/WAYS a "
			    "power of two", o->tlb);
		bp->tlb_entries = (unsigned int)e;
		bp->tlb_ways = (unsigned int)w;
	}
	bp->mode = PAGING_4LEVEL;
	if (o->arch && !strcmp(o->arch, "i386"))
		bp->mode = PAGING_2LEVEL;
	else if (o->arch && strcmp(o->arch, "x86_64"))
		die("--arch %s: want x86_64 or i386", o->arch);
	if (bp->mode == PAGING_2LEVEL && bp->mem_bytes > (4ULL << 30))
		die("--arch i386 addresses at most 4G of RAM");
	if (o->layout && !strcmp(o->layout, "legacy"))
		bp->legacy_layout = true;
	else if (o->layout && strcmp(o->layout, "topdown"))
		die("--layout %s: want topdown or legacy", o->layout);
	bp->init_path = "/bin/sh";
	if (o->init && !strcmp(o->init, "none"))
		bp->init_path = NULL;
	else if (o->init)
		bp->init_path = o->init;
	bp->pcid = o->pcid;
	bp->aslr = o->aslr;
	bp->vmalloc_fault = o->vmalloc_fault;
	if (o->vmalloc_fault && bp->mode != PAGING_2LEVEL)
		die("--vmalloc-fault needs --arch i386");
	if (o->vdso32 && bp->mode != PAGING_2LEVEL)
		die("--vdso32 needs --arch i386");
	if (o->vdso32 && (why = vdso_image_32_file(o->vdso32)))
		die("--vdso32 %s: %s", o->vdso32, why);
}

/* mountpoint_arg - the one non-option argument, kept for fuse_main. */
static int nonopt(void *data, const char *arg, int key, struct fuse_args *a)
{
	char **mnt = data;

	(void)a;
	if (key == FUSE_OPT_KEY_NONOPT) {
		if (*mnt)
			die("more than one mount point: %s and %s", *mnt, arg);
		*mnt = strdup(arg);
		if (!*mnt)
			die("out of memory");
	} else if (key == FUSE_OPT_KEY_OPT && !strncmp(arg, "--", 2)) {
		die("unknown option %s (see --help)", arg);
	}
	return 1;
}

/* wake_thread - libfuse interrupts a request by sending SIGUSR1 to the
 * thread serving it (a blocked trace_pipe reader); the signal only has to
 * wake the thread, which then sees fuse_interrupted(). */
static void wake_thread(int sig)
{
	(void)sig;
}

/* install_signals - before libfuse runs: our SIGUSR1 (it keeps it), and
 * the default action for SIGTERM, SIGINT and SIGHUP, which libfuse only
 * replaces with its unmount handler when they are not ignored (a shell
 * starting the daemon in the background ignores SIGINT). */
static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = wake_thread;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
}

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct options o = { 0 };
	char *mnt = NULL;
	struct stat st;
	int ret;

	if (fuse_opt_parse(&args, &o, option_spec, NULL) ||
	    fuse_opt_parse(&args, &mnt, NULL, nonopt))
		die("bad options (see --help)");
	if (o.help) {
		fputs(usage, stdout);
		return 0;
	}
	if (o.version) {
		printf("mmufs %s\n", MMUFS_VERSION);
		return 0;
	}
	machine_params(&o, &fs_boot_params);
	if (!mnt)
		die("no mount point (see --help)");
	if (stat(mnt, &st) || !S_ISDIR(st.st_mode))
		die("%s: not a directory", mnt);
	render_uid = getuid();
	render_gid = getgid();
	ret = kernel_boot(&fs_boot_params);
	if (ret && fs_boot_params.init_path)
		die("--init %s: %s", fs_boot_params.init_path, strerror(-ret));
	if (ret)
		die("cannot boot a machine with these options");
	install_signals();
	host_proc_open();
	fuse_opt_add_arg(&args, "-odefault_permissions,fsname=mmufs,"
			 "subtype=mmufs");
	ret = fuse_main(args.argc, args.argv, &mmufs_ops, NULL);
	/* libfuse 3.14 returns 8 when its loop was ended by SIGTERM, SIGINT
	 * or SIGHUP (the loop reports the signal as an error): that is the
	 * clean way to stop the daemon. */
	if (ret == 8)
		ret = 0;
	fs_lock();
	kernel_shutdown();
	fs_unlock();
	fuse_opt_free_args(&args);
	free(mnt);
	return ret;
}
