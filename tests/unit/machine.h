/*
 * machine.h - the fixture the unit tests share: boot a machine, make
 * processes and mappings that must succeed, look at page-table entries,
 * and end every scenario with the invariant checker.
 */
#ifndef TESTS_MACHINE_H
#define TESTS_MACHINE_H

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include "kernel/kernel.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/pgtable.h"
#include "kernel/sched.h"
#include "mm/vma.h"
#include "mm/page_alloc.h"

#define MB (1ULL << 20)
#define GB (1ULL << 30)
#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

/* nr_free_drained - the free frames once every pcp list is drained into
 * the buddy: the figure to compare with nr_boot_free_pages (taken after
 * the same drain at boot) or with itself before and after a scenario. */
static inline uint64_t nr_free_drained(void)
{
	drain_all_pages(NULL);
	return nr_free_pages();
}

/* boot_machine - a machine with a 64:4 TLB per CPU (must boot). */
static inline void boot_machine(uint64_t mem, int cpus, bool pcid,
				enum paging_mode mode)
{
	struct boot_params bp = {
		.mem_bytes = mem, .nr_cpus = cpus, .tlb_entries = 64,
		.tlb_ways = 4, .mode = mode, .pcid = pcid,
	};

	ck_assert_int_eq(kernel_boot(&bp), 0);
}

/* free_pages_after_exit - nr_free_drained once the empty slabs the
 * exited processes' objects leave are returned (drop_caches 2), to
 * compare with a count taken before those processes ran. */
static inline uint64_t free_pages_after_exit(void)
{
	drop_caches(2);
	return nr_free_drained();
}

/* assert_check - the invariant checker finds nothing. */
static inline void assert_check(void)
{
	static char buf[8192];
	int n = mm_check(buf, sizeof(buf));

	ck_assert_msg(n == 0, "check found %d problems:\n%s", n, buf);
}

static inline struct task_struct *init_task(void)
{
	return find_task_by_pid(1);
}

/* fork_of / thread_of - a new child process / thread of p. */
static inline struct task_struct *fork_of(struct task_struct *p)
{
	int err;
	struct task_struct *c = do_fork(p, &err);

	ck_assert_msg(c != NULL, "fork failed: %d", err);
	return c;
}

static inline struct task_struct *thread_of(struct task_struct *p)
{
	int err;
	struct task_struct *c = do_thread(p, &err);

	ck_assert_msg(c != NULL, "thread failed: %d", err);
	return c;
}

/* map_at - mmap (must succeed); mmap_anon - a private anonymous one
 * wherever the kernel puts it. */
static inline uint64_t map_at(struct task_struct *t, uint64_t addr,
			      uint64_t len, int prot, int flags)
{
	uint64_t a = do_mmap(t, addr, len, (unsigned long)prot,
			     (unsigned long)flags, 0);

	ck_assert_msg(!IS_ERR_VALUE(a), "mmap failed: %d", (int)(int64_t)a);
	return a;
}

static inline uint64_t mmap_anon(struct task_struct *t, uint64_t len, int prot)
{
	return map_at(t, 0, len, prot, ANON);
}

/* touch - an access of kind acc to every page (must succeed); the faults
 * taken. */
static inline uint64_t touch(struct task_struct *t, uint64_t va, uint64_t len,
			     unsigned int acc)
{
	uint64_t faults;

	ck_assert_int_eq(user_touch(t, va, len, acc, &faults), 0);
	return faults;
}

/* pte_of - the leaf entry mapping va in t (0 if none). */
static inline pte_t pte_of(struct task_struct *t, uint64_t va)
{
	struct pte_ref ref;

	if (walk_pte(t->mm, va, false, &ref))
		return 0;
	return pte_read(ref);
}

/* pfn_of - the frame t maps at va (must be present). */
static inline uint64_t pfn_of(struct task_struct *t, uint64_t va)
{
	pte_t p = pte_of(t, va);

	ck_assert_msg(pte_present(p), "no page at %#llx", (unsigned long long)va);
	return pte_pfn(p);
}

/* reap - parent reaps its zombie child pid. */
static inline void reap(struct task_struct *parent, int pid)
{
	int rpid, status;

	ck_assert_int_eq(do_wait(parent, pid, &rpid, &status), 0);
	ck_assert_int_eq(rpid, pid);
}

/* read_host - a host file's text (for comparing with the real /proc), or
 * NULL if it cannot be read or is empty. Caller frees. */
static inline char *read_host(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;

	if (!f)
		return NULL;
	buf = calloc(1, 1 << 20);
	ck_assert_ptr_nonnull(buf);
	n = fread(buf, 1, (1 << 20) - 1, f);
	fclose(f);
	if (n == 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* host_is_618 - the host runs Linux 6.18, whose procfs formats mmufs
 * follows (docs/procfs-formats.md); other 6.x kernels add and drop lines. */
static inline bool host_is_618(void)
{
	struct utsname u;

	return uname(&u) == 0 && !strncmp(u.release, "6.18", 4);
}

/* key_list - the key of each line of text (what comes before its first
 * sep; a line without sep is skipped), at most max of them.  The keys
 * point into a copy of text that the caller frees through *store. */
static inline int key_list(const char *text, char sep, char **keys, int max,
			   char **store)
{
	char *p = strdup(text), *nl, *c;
	int n = 0;

	ck_assert_ptr_nonnull(p);
	for (*store = p; *p && n < max; p = nl + 1) {
		nl = strchr(p, '\n');
		ck_assert_msg(nl != NULL, "unterminated line: %s", p);
		*nl = '\0';
		c = strchr(p, sep);
		if (!c)
			continue;
		*c = '\0';
		keys[n++] = p;
	}
	return n;
}

/* key_index - where key is in keys[0..n), or -1. */
static inline int key_index(char *const *keys, int n, const char *key)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(keys[i], key))
			return i;
	return -1;
}

/* has_prefix - key starts with one of the n prefixes. */
static inline bool has_prefix(const char *key, const char *const *prefixes,
			      size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strncmp(key, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

/*
 * assert_keys_agree - mmufs's keys of a /proc file (mine) against the
 * host's: the keys both have come in the same order, and on a 6.18 host
 * every key is in both unless `optional` says it may differ between two
 * 6.18 machines (a line that depends on the kernel's config, the host's
 * CPU or its sysctls) or is mmufs's own.  Returns how many keys both have.
 */
static inline int assert_keys_agree(char *const *mine, int nm,
				    char *const *host, int nh,
				    bool (*optional)(const char *key))
{
	bool strict = host_is_618();
	int common = 0, last = -1;

	for (int i = 0; i < nm; i++) {
		int k = key_index(host, nh, mine[i]);

		if (k < 0) {
			ck_assert_msg(!strict || optional(mine[i]),
				      "%s: not in the host's file", mine[i]);
			continue;
		}
		ck_assert_msg(k > last, "%s: out of the host's order", mine[i]);
		last = k;
		common++;
	}
	for (int k = 0; strict && k < nh; k++)
		ck_assert_msg(key_index(mine, nm, host[k]) >= 0 ||
			      optional(host[k]), "%s: only in the host's file",
			      host[k]);
	return common;
}

/* assert_text_keys_like_host - the keys of mine, a rendered /proc file,
 * against those of the host's text of it (sep ends a key), compared as
 * assert_keys_agree does; at least 3/4 of the host's keys must be in both
 * (it is the same file, on whichever 6.x kernel). */
static inline void assert_text_keys_like_host(const char *mine,
					      const char *host, char sep,
					      bool (*optional)(const char *))
{
	static char *mk[4096], *hk[4096];	/* the tests run one at a time */
	char *ms, *hs;
	int nm = key_list(mine, sep, mk, 4096, &ms);
	int nh = key_list(host, sep, hk, 4096, &hs);

	ck_assert_int_ge(assert_keys_agree(mk, nm, hk, nh, optional),
			 nh * 3 / 4);
	free(ms);
	free(hs);
}

/* run_suite - every test case of s (CK_RUN_CASE picks one); the exit
 * status of a test program. */
static inline int run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

#endif
