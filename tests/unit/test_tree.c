/*
 * test_tree.c - the tree without a mount: every entry a listing gives is
 * found by lookup and nothing else is; frames/ listed from an offset goes
 * on where it stopped; reads, writes and truncates reach each file
 * through its row, and a reset leaves only the machine's files readable;
 * the sysctls read, write and refuse as their table says.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fs.h"
#include "machine.h"

static char result[CTL_RESULT_MAX];

/* boot - 16 MiB (4096 frames), 2 CPUs; `reset` boots the same again. */
static void boot(void)
{
	boot_machine(16 * MB, 2, false, PAGING_4LEVEL);
	fs_boot_params = boot_params;
}

static void shutdown(void)
{
	assert_check();
	kernel_shutdown();
}

/* A walk of the tree: where it is, what it found. */
struct walk {
	char path[256];
	int dirs, files;
};

/* walk_entry - dir_read's filler: every entry must be found by lookup
 * with a kind that agrees with its stat; directories are walked in turn. */
static int walk_entry(void *ctx, const char *name, off_t next)
{
	struct walk *w = ctx;
	size_t n = strlen(w->path);
	struct stat st;
	struct node node;

	ck_assert_int_eq(next, 0);
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return 0;
	snprintf(w->path + n, sizeof(w->path) - n, "/%s", name);
	ck_assert_msg(node_lookup(w->path, &node) == 0, "%s listed but not found",
		      w->path);
	ck_assert_int_eq(node_getattr(w->path, &st), 0);
	ck_assert_int_eq(S_ISDIR(st.st_mode), node_is_dir(&node));
	if (node_is_dir(&node)) {
		w->dirs++;
		if (strcmp(name, "frames"))
			ck_assert_int_eq(dir_read(w->path, 0, walk_entry, w), 0);
	} else {
		w->files++;
	}
	w->path[n] = '\0';
	return 0;
}

START_TEST(listing_and_lookup_agree)
{
	struct walk w = { .path = "" };
	struct task_struct *child;
	struct stat st;
	static const char *const absent[] = {
		"/nope", "/cpu2", "/cpu01", "/01", "/99", "/1/nope",
		"/1/task/2", "/1/task/1/task", "/1/maps/x", "/frames/4096",
		"/sys/nope", "/sys/vm/nope", "/cpu0/nope", "/node/node1",
		"/node/node01", "/node/node", "/node/node0/nope",
		"/cpu/cpu2", "/cpu/cpu01", "/cpu/cpu", "/cpu/cpu0/online",
		"/cpu/cpu1/tlb", "/cpu/cpu1/topology/nope",
	};
	size_t i;

	boot();
	child = fork_of(init_task());
	thread_of(child);
	ck_assert_int_eq(dir_read("/", 0, walk_entry, &w), 0);
	/* 1, 2 and 3 (kswapd0) with their task/ and task/<tid> (3 each),
	 * the child and its thread (4: a thread's directory has no task/),
	 * cpu0 and cpu1, frames, sys, sys/vm, sys/kernel, net and
	 * cgroup, node and node/node0; cpu, with cpu0 and cpu1 and their
	 * topology/; and fd/ in each of the 9 pid and tid directories. */
	ck_assert_int_eq(w.dirs, 3 + 3 + 3 + 4 + 2 + 6 + 2 + 5 + 9);
	for (i = 0; i < ARRAY_SIZE(absent); i++)
		ck_assert_msg(node_getattr(absent[i], &st) == -ENOENT, "%s",
			      absent[i]);
	ck_assert_int_eq(node_getattr("/frames/4095", &st), 0);
	ck_assert_int_eq(dir_read("/meminfo", 0, walk_entry, &w), -ENOTDIR);
	ck_assert_int_eq(dir_read("/nope", 0, walk_entry, &w), -ENOENT);
	shutdown();
}
END_TEST

/* A piece of a listing: the entries it took, and where it stopped. */
struct piece {
	char names[8][24];
	int n, max;
	off_t next;
};

static int take_entry(void *ctx, const char *name, off_t next)
{
	struct piece *p = ctx;

	if (p->n == p->max)
		return 1;
	snprintf(p->names[p->n++], sizeof(p->names[0]), "%s", name);
	p->next = next;
	return 0;
}

START_TEST(frames_from_an_offset)
{
	struct piece p = { .max = 4 };

	boot();
	ck_assert_int_eq(dir_read("/frames", 0, take_entry, &p), 0);
	ck_assert_str_eq(p.names[0], ".");
	ck_assert_str_eq(p.names[1], "..");
	ck_assert_str_eq(p.names[3], "1");
	p.n = 0;
	ck_assert_int_eq(dir_read("/frames", p.next, take_entry, &p), 0);
	ck_assert_str_eq(p.names[0], "2");
	ck_assert_str_eq(p.names[3], "5");
	p.n = 0;
	ck_assert_int_eq(dir_read("/frames", 4095 + 2, take_entry, &p), 0);
	ck_assert_int_eq(p.n, 1);
	ck_assert_str_eq(p.names[0], "4095");
	shutdown();
}
END_TEST

/* read_all - open path for reading and read it from offset 0; the text,
 * or NULL with *err set. */
static char *read_all(const char *path, int *err)
{
	static char buf[65536];
	struct handle *h;
	ssize_t n;

	*err = file_open(path, O_RDONLY, &h);
	if (*err)
		return NULL;
	n = file_read(h, buf, sizeof(buf) - 1, 0, true);
	file_release(h);
	if (n < 0) {
		*err = (int)n;
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

/* write_to - open path for writing and write text: the write's return. */
static ssize_t write_to(const char *path, const char *text)
{
	struct handle *h;
	ssize_t n;
	int err = file_open(path, O_WRONLY, &h);

	if (err)
		return err;
	n = file_write(h, text, strlen(text), 0);
	file_release(h);
	return n;
}

START_TEST(files_through_their_rows)
{
	struct handle *status, *meminfo, *ctl;
	char buf[64];
	struct stat st;
	int err;

	boot();
	ck_assert_ptr_nonnull(strstr(read_all("/1/status", &err), "Name:\t"));
	ck_assert_ptr_nonnull(strstr(read_all("/meminfo", &err), "MemTotal:"));
	ck_assert_ptr_nonnull(strstr(read_all("/cpu1/tlb", &err), "cpu: 1\n"));
	ck_assert_str_eq(read_all("/sys/kernel/pid_max", &err), "32768\n");
	/* cpu/, as /sys/devices/system/cpu of a machine with 2 CPUs, one
	 * package, a core per CPU. */
	ck_assert_str_eq(read_all("/cpu/online", &err), "0-1\n");
	ck_assert_str_eq(read_all("/cpu/possible", &err), "0-1\n");
	ck_assert_str_eq(read_all("/cpu/present", &err), "0-1\n");
	ck_assert_str_eq(read_all("/cpu/offline", &err), "\n");
	ck_assert_str_eq(read_all("/cpu/kernel_max", &err), "63\n");
	ck_assert_str_eq(read_all("/cpu/cpu1/online", &err), "1\n");
	ck_assert_str_eq(read_all("/cpu/cpu1/topology/core_id", &err), "1\n");
	ck_assert_str_eq(read_all("/cpu/cpu1/topology/core_cpus_list", &err),
			 "1\n");
	ck_assert_str_eq(read_all("/cpu/cpu1/topology/thread_siblings_list",
				  &err), "1\n");
	ck_assert_str_eq(read_all("/cpu/cpu1/topology/physical_package_id",
				  &err), "0\n");
	ck_assert_str_eq(read_all("/cpu/cpu0/topology/package_cpus_list",
				  &err), "0-1\n");
	ck_assert_str_eq(read_all("/cpu/cpu0/topology/core_siblings_list",
				  &err), "0-1\n");
	ck_assert_str_eq(read_all("/filesystems", &err),
			 "nodev\tproc\nnodev\tcgroup2\n");
	ck_assert_str_eq(read_all("/sys/kernel/osrelease", &err),
			 "6.18.0-mmufs\n");
	ck_assert_int_eq(node_readlink("/1/cwd", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "/");
	ck_assert_int_eq(node_getattr("/1/fd", &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_int_eq(node_getattr("/1/fd/0", &st), -ENOENT);
	ck_assert_ptr_null(read_all("/1", &err));
	ck_assert_int_eq(err, -EISDIR);
	ck_assert_int_eq(write_to("/meminfo", "1"), -EACCES);
	ck_assert_int_eq(file_truncate("/ctl"), 0);
	ck_assert_int_eq(file_truncate("/1/ctl"), 0);
	ck_assert_int_eq(file_truncate("/1/mem"), -EACCES);
	ck_assert_int_eq(file_truncate("/1"), -EISDIR);
	ck_assert_int_eq(node_getattr("/1/mem", &st), 0);
	ck_assert_uint_eq((uint64_t)st.st_size, task_size_max());
	ck_assert_int_eq(node_getattr("/physmem", &st), 0);
	ck_assert_uint_eq((uint64_t)st.st_size, 16 * MB);

	/* A ctl file: the result of the write is read back, and an open
	 * finds the last one. */
	ck_assert_int_eq(file_open("/1/ctl", O_RDWR, &ctl), 0);
	ck_assert_int_eq(file_write(ctl, "brk", 3, 0), 3);
	ck_assert_int_gt(file_read(ctl, buf, sizeof(buf), 0, true), 0);
	ck_assert_int_eq(file_read(ctl, buf, sizeof(buf), 0, true), 0);
	file_release(ctl);
	ck_assert_str_eq(read_all("/1/ctl", &err), ctl_last_result(1));
	ck_assert_ptr_nonnull(strstr(ctl_last_result(1), "0x"));

	/* After a reset, a process's file is stale; the machine's is not. */
	ck_assert_int_eq(file_open("/1/status", O_RDONLY, &status), 0);
	ck_assert_int_eq(file_open("/meminfo", O_RDONLY, &meminfo), 0);
	ck_assert_int_eq(ctl_write(0, "reset", 5, result, sizeof(result)), 5);
	ck_assert_int_eq(file_read(status, buf, sizeof(buf), 0, true), -ESRCH);
	ck_assert_int_gt(file_read(meminfo, buf, sizeof(buf), 0, true), 0);
	file_release(status);
	file_release(meminfo);
	shutdown();
}
END_TEST

START_TEST(sysctls_as_their_table_says)
{
	int err;

	boot();
	ck_assert_str_eq(read_all("/sys/vm/max_map_count", &err), "65530\n");
	ck_assert_int_eq(write_to("/sys/vm/max_map_count", "3\n"), 2);
	ck_assert_str_eq(read_all("/sys/vm/max_map_count", &err), "3\n");
	ck_assert_int_eq(write_to("/sys/vm/max_map_count", "x"), -EINVAL);
	ck_assert_int_eq(write_to("/sys/vm/max_map_count", "-1"), -EINVAL);
	ck_assert_int_eq(write_to("/sys/vm/overcommit_memory", "3"), -EINVAL);
	ck_assert_int_eq(write_to("/sys/vm/overcommit_memory", "2"), 1);
	ck_assert_int_eq(sysctl_vm.overcommit_memory, 2);
	ck_assert_int_eq(write_to("/sys/vm/fault_around_bytes", "12288"), 5);
	ck_assert_str_eq(read_all("/sys/vm/fault_around_bytes", &err), "8192\n");
	ck_assert_int_eq(write_to("/sys/vm/fault_around_bytes",
				  "2101248"), -EINVAL);
	ck_assert_ptr_null(read_all("/sys/vm/drop_caches", &err));
	ck_assert_int_eq(err, -EACCES);
	ck_assert_int_eq(write_to("/sys/vm/drop_caches", "0"), -EINVAL);
	ck_assert_int_eq(write_to("/sys/vm/drop_caches", "3"), 1);
	ck_assert_int_eq(sysctl_set("drop_caches", "1", 1), 0);
	ck_assert_int_eq(sysctl_set("nope", "1", 1), -ENOENT);
	shutdown();
}
END_TEST

/* write_n - one write of n bytes (NULs included) to path: its result. */
static ssize_t write_n(const char *path, const char *bytes, size_t n)
{
	struct handle *h;
	ssize_t ret;
	int err = file_open(path, O_WRONLY, &h);

	if (err)
		return err;
	ret = file_write(h, bytes, n, 0);
	file_release(h);
	return ret;
}

START_TEST(cgroup_dirs_and_limits)
{
	int err;

	boot();
	ck_assert_int_eq(node_mkdir("/cgroup/g/"), 0);
	ck_assert_int_eq(node_mkdir("/cgroup//g"), -EEXIST);
	ck_assert_int_eq(node_mkdir("/cgroup"), -EEXIST);
	ck_assert_int_eq(node_mkdir("/"), -EEXIST);
	ck_assert_int_eq(node_mkdir("/meminfo"), -EEXIST);
	ck_assert_int_eq(node_mkdir("/sys/x"), -EPERM);
	ck_assert_int_eq(node_mkdir("/cgroup/no/x"), -ENOENT);
	ck_assert_int_eq(node_mkdir("/cgroup/memory.x"), -EINVAL);
	ck_assert_int_eq(node_mkdir("/cgroup/g/h//"), 0);
	ck_assert_int_eq(node_rmdir("/cgroup/g"), -EBUSY);
	ck_assert_int_eq(node_rmdir("/cgroup/"), -EBUSY);
	ck_assert_int_eq(node_rmdir("/cgroup/g/memory.max"), -ENOTDIR);

	/* memory.max: T is a suffix as K, M and G; a NUL byte or a value
	 * past 64 bits is refused and leaves the limit. */
	ck_assert_int_eq(write_to("/cgroup/g/memory.max", "1T\n"), 3);
	ck_assert_str_eq(read_all("/cgroup/g/memory.max", &err),
			 "1099511627776\n");
	ck_assert_int_eq(write_to("/cgroup/g/memory.max", "16777216T"),
			 -EINVAL);
	ck_assert_int_eq(write_to("/cgroup/g/memory.max", "T"), -EINVAL);
	ck_assert_int_eq(write_to("/cgroup/g/memory.max", "1GT"), -EINVAL);
	ck_assert_int_eq(write_n("/cgroup/g/memory.max", "4M\0x", 4), -EINVAL);
	ck_assert_int_eq(write_n("/cgroup/g/cgroup.procs", "1\0", 2), -EINVAL);
	ck_assert_str_eq(read_all("/cgroup/g/memory.max", &err),
			 "1099511627776\n");
	ck_assert_int_eq(write_n("/1/oom_score_adj", "5\0", 2), -EINVAL);
	ck_assert_int_eq(node_rmdir("/cgroup/g/h"), 0);
	ck_assert_int_eq(node_rmdir("/cgroup/g/"), 0);
	ck_assert_int_eq(node_rmdir("/cgroup/g"), -ENOENT);
	shutdown();
}
END_TEST

/* A file of a group opened before the group goes: ENODEV, even once a
 * new group of that name (with the old id) is made. */
START_TEST(cgroup_files_outlived_by_their_group)
{
	static const char *const names[] = {
		"cgroup.procs", "memory.max", "memory.high", "memory.swap.max",
		"memory.reclaim",
	};
	struct handle *h[ARRAY_SIZE(names)], *cur;
	char path[64], buf[64];
	size_t i;
	int err;

	boot();
	ck_assert_int_eq(node_mkdir("/cgroup/e"), 0);
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		snprintf(path, sizeof(path), "/cgroup/e/%s", names[i]);
		ck_assert_int_eq(file_open(path, O_WRONLY, &h[i]), 0);
	}
	ck_assert_int_eq(file_open("/cgroup/e/memory.current", O_RDONLY,
				   &cur), 0);
	ck_assert_int_eq(node_rmdir("/cgroup/e"), 0);
	ck_assert_int_eq(node_mkdir("/cgroup/e"), 0);
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		ck_assert_int_eq(file_write(h[i], "1\n", 2, 0), -ENODEV);
		file_release(h[i]);
	}
	ck_assert_int_eq(file_read(cur, buf, sizeof(buf), 0, true), -ENODEV);
	file_release(cur);
	ck_assert_str_eq(read_all("/cgroup/e/memory.max", &err), "max\n");
	shutdown();
}
END_TEST

static int test_pid(void)
{
	return (int)getpid();
}

/* self names the host caller (here the test, by the hook ops.c sets),
 * whose own directory shows its host stat and status; nothing is listed
 * for it, and without a caller there is no self. */
START_TEST(self_is_the_host_caller)
{
	char path[64], want[64], link[64];
	struct handle *h;
	struct stat st;
	int me = (int)getpid(), err;
	char *text;

	boot();
	ck_assert_int_eq(node_readlink("/self", link, sizeof(link)), -ENOENT);
	snprintf(path, sizeof(path), "/%d", me);
	ck_assert_int_eq(node_getattr(path, &st), -ENOENT);
	ck_assert_int_eq(node_readlink("/meminfo", link, sizeof(link)),
			 -EINVAL);
	ck_assert_ptr_null(find_task_by_pid(me));

	host_proc_open();
	fs_caller_pid = test_pid;
	ck_assert_int_eq(node_readlink("/self", link, sizeof(link)), 0);
	snprintf(want, sizeof(want), "%d", me);
	ck_assert_str_eq(link, want);
	ck_assert_int_eq(node_getattr("/self", &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_int_eq(st.st_size, (off_t)strlen(want));
	ck_assert_int_eq(file_open("/self", O_RDONLY, &h), -ELOOP);
	ck_assert_int_eq(node_readlink("/thread-self", link, sizeof(link)), 0);
	snprintf(want, sizeof(want), "%d/task/%d", me, me);
	ck_assert_str_eq(link, want);

	snprintf(path, sizeof(path), "/%d/stat", me);
	text = read_all(path, &err);
	ck_assert_ptr_nonnull(text);
	snprintf(want, sizeof(want), "%d (", me);
	ck_assert_int_eq(strncmp(text, want, strlen(want)), 0);
	snprintf(path, sizeof(path), "/%d/task/%d/status", me, me);
	ck_assert_ptr_nonnull(strstr(read_all(path, &err), "\nTgid:\t"));
	snprintf(path, sizeof(path), "/%d/mounts", me);
	ck_assert_ptr_nonnull(strstr(read_all(path, &err), " proc "));
	snprintf(path, sizeof(path), "/%d/task/%d/task", me, me);
	ck_assert_int_eq(node_getattr(path, &st), -ENOENT);
	snprintf(path, sizeof(path), "/%d/maps", me);
	ck_assert_int_eq(node_getattr(path, &st), -ENOENT);
	snprintf(path, sizeof(path), "/%d", me + 1);
	if (!find_task_by_pid(me + 1))
		ck_assert_int_eq(node_getattr(path, &st), -ENOENT);
	fs_caller_pid = NULL;
	shutdown();
}
END_TEST

/* vtop_read - what h reads from off (a NUL-terminated copy). */
static const char *vtop_read(struct handle *h, off_t off)
{
	static char buf[8192];
	ssize_t n = file_read(h, buf, sizeof(buf) - 1, off, true);

	ck_assert_int_ge(n, 0);
	buf[n] = '\0';
	return buf;
}

/* vtop_per_open - a write sets the descriptor's address, read from the
 * write's end (and from 0); a new open starts with the process's last
 * address; a refused write keeps both and is read back as its error; a
 * reset forgets the last address; reading changes nothing. */
START_TEST(vtop_per_open)
{
	struct handle *h, *g;
	uint64_t a, walks;
	char text[64], *first;
	int err, n;

	boot();
	ck_assert_str_eq(read_all("/1/vtop", &err), "");
	a = mmap_anon(init_task(), PAGE_SIZE, RW);
	n = snprintf(text, sizeof(text), "%#llx\n", (unsigned long long)a);
	ck_assert_int_eq(file_open("/1/vtop", O_RDWR, &h), 0);
	ck_assert_str_eq(vtop_read(h, 0), "");
	ck_assert_int_eq(file_write(h, text, (size_t)n, 0), n);
	walks = hw.page_walks;
	first = strdup(vtop_read(h, n));
	ck_assert_str_eq(vtop_read(h, n + (off_t)strlen(first)), "");
	ck_assert_str_eq(vtop_read(h, 0), first);
	ck_assert_uint_eq(hw.page_walks, walks);
	ck_assert(!strncmp(first, "address: ", 9));
	ck_assert(strstr(first, "\nread: zero_page\n"));
	ck_assert_ptr_ne(read_all("/1/vtop", &err), NULL);
	ck_assert_str_eq(read_all("/1/vtop", &err), first);

	/* Refused: EINVAL, its reason on h; the last address stays. */
	ck_assert_int_eq(file_write(h, "0x800000000000\n", 15, n), -EINVAL);
	ck_assert_str_eq(vtop_read(h, 0), "error EINVAL: vtop: non-canonical "
			 "address (bits 63..47 are not all equal)\n");
	ck_assert_int_eq(file_write(h, "\n", 1, n), -EINVAL);
	ck_assert_str_eq(vtop_read(h, 0), "error EINVAL: vtop: empty address\n");
	ck_assert_int_eq(file_write(h, "0x10\0", 5, n), -EINVAL);
	ck_assert_str_eq(read_all("/1/vtop", &err), first);
	ck_assert_int_eq(file_open("/1/vtop", O_RDONLY, &g), 0);
	ck_assert_str_eq(vtop_read(g, 0), first);
	file_release(g);

	/* A second write through h: its own address, and the process's. */
	ck_assert_int_eq(file_write(h, "4096", 4, n), 4);
	ck_assert(!strncmp(vtop_read(h, n + 4), "address: 0x1000\n", 16));
	ck_assert(!strncmp(read_all("/1/vtop", &err), "address: 0x1000\n", 16));
	file_release(h);
	free(first);

	/* A kernel thread: init_mm, no access lines; reset forgets. */
	ck_assert_int_eq(write_to("/2/vtop", "0xffff888000000000"), 18);
	ck_assert(strstr(read_all("/2/vtop", &err), "mm: init_mm\n"));
	ck_assert(!strstr(read_all("/2/vtop", &err), "read:"));
	ck_assert_int_eq(ctl_write(0, "reset", 5, result, sizeof(result)), 5);
	ck_assert_str_eq(read_all("/2/vtop", &err), "");
	shutdown();
}
END_TEST

static Suite *tree_suite(void)
{
	Suite *s = suite_create("tree");
	TCase *tc;

	tc = tcase_create("tree");
	tcase_add_test(tc, listing_and_lookup_agree);
	tcase_add_test(tc, self_is_the_host_caller);
	tcase_add_test(tc, frames_from_an_offset);
	suite_add_tcase(s, tc);
	tc = tcase_create("files");
	tcase_add_test(tc, files_through_their_rows);
	tcase_add_test(tc, sysctls_as_their_table_says);
	tcase_add_test(tc, cgroup_dirs_and_limits);
	tcase_add_test(tc, cgroup_files_outlived_by_their_group);
	tcase_add_test(tc, vtop_per_open);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(tree_suite());
}
