/*
 * memcontrol.c - memory cgroups (Linux's mm/memcontrol.c, cgroup v2's
 * memory controller): the group tree, charging and uncharging pages and
 * swap slots, the limits and what a group at its limit does, and the
 * statistics of memory.stat and memory.events.  See memcontrol.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "mm/memcontrol.h"
#include "mm/slab.h"
#include "mm/swap.h"
#include "mm/replace.h"
#include "kernel/kernel.h"
#include "kernel/sched.h"

struct mem_cgroup root_mem_cgroup;
static struct mem_cgroup *memcg_by_id[MEMCG_MAX_ID];
static uint64_t memcg_serial;

/* memcg_init - an empty group: no pages, no limits. */
static void memcg_init(struct mem_cgroup *m, uint16_t id, const char *name,
		       struct mem_cgroup *parent)
{
	memset(m, 0, sizeof(*m));
	m->id = id;
	snprintf(m->name, sizeof(m->name), "%s", name);
	m->parent = parent;
	INIT_LIST_HEAD(&m->children);
	INIT_LIST_HEAD(&m->sibling);
	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		m->lruvec[nid].memcg = m;
		m->lruvec[nid].nid = nid;
		for (int l = 0; l < NR_LRU_LISTS; l++)
			INIT_LIST_HEAD(&m->lruvec[nid].lists[l]);
	}
	m->max = m->high = m->swap_max = PAGE_COUNTER_MAX;
	memcg_by_id[id] = m;
}

/* mem_cgroup_reset - see memcontrol.h.  Groups left from the last
 * machine are freed (their pages went with it). */
void mem_cgroup_reset(void)
{
	for (int id = 2; id < MEMCG_MAX_ID; id++)
		free(memcg_by_id[id]);
	memset(memcg_by_id, 0, sizeof(memcg_by_id));
	memcg_init(&root_mem_cgroup, 1, "", NULL);
}

/* memcg_alloc_objects - m's objects: its mem_cgroup and its node's
 * mem_cgroup_per_node (Linux's mem_cgroup_alloc and
 * alloc_mem_cgroup_per_node_info).
 * 0, or -ENOMEM with none kept. */
static int memcg_alloc_objects(struct mem_cgroup *m)
{
	m->slab_obj = kmem_cache_alloc(mem_cgroup_cachep);
	m->pn_obj = m->slab_obj ? kmalloc(MEM_CGROUP_PER_NODE_SIZE) : 0;
	if (m->pn_obj)
		return 0;
	kmem_cache_free(mem_cgroup_cachep, m->slab_obj);
	m->slab_obj = 0;
	return -ENOMEM;
}

/* memcg_free_objects - give m's objects back (none: nothing). */
static void memcg_free_objects(struct mem_cgroup *m)
{
	kfree(m->pn_obj);
	kmem_cache_free(mem_cgroup_cachep, m->slab_obj);
	m->pn_obj = m->slab_obj = 0;
}

/* mem_cgroup_init - see memcontrol.h. */
int mem_cgroup_init(void)
{
	return memcg_alloc_objects(&root_mem_cgroup);
}

/* mem_cgroup_shutdown - see memcontrol.h. */
void mem_cgroup_shutdown(void)
{
	for (int id = 1; id < MEMCG_MAX_ID; id++)
		if (memcg_by_id[id])
			memcg_free_objects(memcg_by_id[id]);
}

/* mem_cgroup_from_id - see memcontrol.h. */
struct mem_cgroup *mem_cgroup_from_id(uint16_t id)
{
	return id < MEMCG_MAX_ID ? memcg_by_id[id] : NULL;
}

/* mem_cgroup_iter - see memcontrol.h: first child, else the next sibling
 * of the nearest ancestor below root that has one. */
struct mem_cgroup *mem_cgroup_iter(struct mem_cgroup *root,
				   struct mem_cgroup *prev)
{
	struct mem_cgroup *m = prev;

	if (!m)
		return root;
	if (!list_empty(&m->children))
		return list_first_entry(&m->children, struct mem_cgroup,
					sibling);
	while (m != root) {
		if (m->sibling.next != &m->parent->children)
			return list_entry(m->sibling.next, struct mem_cgroup,
					  sibling);
		m = m->parent;
	}
	return NULL;
}

/* mem_cgroup_is_descendant - see memcontrol.h. */
bool mem_cgroup_is_descendant(const struct mem_cgroup *m,
			      const struct mem_cgroup *root)
{
	for (; m; m = m->parent)
		if (m == root)
			return true;
	return false;
}

/* valid_name - a name cgroup2's mkdir takes: not empty, ".", "..", no
 * '/', shorter than MEMCG_NAME_MAX, and not a file of the group's
 * directory ("cgroup.*" or "memory.*"). */
static bool valid_name(const char *name)
{
	size_t n = strlen(name);

	return n && n < MEMCG_NAME_MAX && strcmp(name, ".") &&
	       strcmp(name, "..") && !strchr(name, '/') &&
	       strncmp(name, "cgroup.", 7) && strncmp(name, "memory.", 7);
}

/* mem_cgroup_create - see memcontrol.h. */
struct mem_cgroup *mem_cgroup_create(struct mem_cgroup *parent,
				     const char *name, int *err)
{
	struct mem_cgroup *m;
	struct list_head *l;
	uint16_t id;

	*err = 0;
	if (!valid_name(name)) {
		*err = kerror(EINVAL, "'%s' cannot name a group", name);
		return NULL;
	}
	list_for_each(l, &parent->children)
		if (!strcmp(list_entry(l, struct mem_cgroup, sibling)->name,
			    name)) {
			*err = kerror(EEXIST, "group '%s' exists", name);
			return NULL;
		}
	for (id = 2; id < MEMCG_MAX_ID && memcg_by_id[id]; id++)
		;
	if (id == MEMCG_MAX_ID) {
		*err = kerror(ENOSPC, "%d groups already", MEMCG_MAX_ID - 1);
		return NULL;
	}
	m = malloc(sizeof(*m));
	if (!m) {
		*err = host_enomem();
		return NULL;
	}
	memcg_init(m, id, name, parent);
	if (memcg_alloc_objects(m)) {
		memcg_by_id[id] = NULL;
		free(m);
		*err = -ENOMEM;
		return NULL;
	}
	m->serial = ++memcg_serial;
	list_add_tail(&m->sibling, &parent->children);
	return m;
}

/* group_has_procs - does a process of m's own use it? */
static bool group_has_procs(const struct mem_cgroup *m)
{
	struct list_head *l;

	list_for_each(l, &all_mms)
		if (list_entry(l, struct mm_struct, mmlist)->memcg == m)
			return true;
	return false;
}

/* reparent_lruvec - reparent_lru for one node: from's pages go to the
 * tails of to's lists (they are older there). */
static void reparent_lruvec(struct lruvec *from, struct lruvec *to)
{
	struct mem_cgroup *m = from->memcg;

	for (int l = 0; l < NR_LRU_LISTS; l++) {
		struct list_head *list = &from->lists[l];
		struct list_head *pos;

		list_for_each(pos, list) {
			struct page *page = list_entry(pos, struct page, lru);

			replace_lru_deleted(page);
			page->memcg = m->parent;
			replace_lru_added(page, l != LRU_UNEVICTABLE);
		}
		if (list_empty(list))
			continue;
		/* splice to the parent's tail: they are older there */
		list->next->prev = to->lists[l].prev;
		to->lists[l].prev->next = list->next;
		list->prev->next = &to->lists[l];
		to->lists[l].prev = list->prev;
		INIT_LIST_HEAD(list);
		to->nr_pages[l] += from->nr_pages[l];
		from->nr_pages[l] = 0;
	}
}

/* reparent_lru - every page on m's lists moves to its parent's lists of
 * the same node, keeping their order. */
static void reparent_lru(struct mem_cgroup *m)
{
	int nid;

	for_each_online_node(nid)
		reparent_lruvec(&m->lruvec[nid], &m->parent->lruvec[nid]);
}

/* reparent_swap - the swap slots charged to m are the parent's now. */
static void reparent_swap(struct mem_cgroup *m)
{
	for (int t = 0; t < MAX_SWAPFILES; t++) {
		struct swap_info_struct *si = swap_info[t];

		if (!si)
			continue;
		for (uint64_t off = 1; off < si->max; off++)
			if (si->memcg_id[off] == m->id)
				si->memcg_id[off] = m->parent->id;
	}
}

/* mem_cgroup_remove - see memcontrol.h.  A page not on an LRU list (in a
 * cache but isolated) cannot exist here: nothing is isolated between
 * commands. */
int mem_cgroup_remove(struct mem_cgroup *m)
{
	if (!m->parent)
		return kerror(EINVAL, "the root group cannot be removed");
	if (!list_empty(&m->children))
		return kerror(EBUSY, "group '%s' has child groups", m->name);
	if (group_has_procs(m))
		return kerror(EBUSY, "group '%s' has processes", m->name);
	reparent_lru(m);
	reparent_swap(m);
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
		m->parent->state[i] += m->state[i];
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++)
		m->parent->events[i] += m->events[i];
	list_del(&m->sibling);
	memcg_by_id[m->id] = NULL;
	memcg_free_objects(m);
	free(m);
	return 0;
}

/* mem_cgroup_of_task - see memcontrol.h. */
struct mem_cgroup *mem_cgroup_of_task(const struct task_struct *t)
{
	const struct mm_struct *mm = t->group_leader->mm;

	return mm && mm->memcg ? mm->memcg : &root_mem_cgroup;
}

/* mem_cgroup_attach - see memcontrol.h. */
int mem_cgroup_attach(struct mem_cgroup *m, struct task_struct *t)
{
	struct mm_struct *mm = t->group_leader->mm;

	if (t->kthread)
		return kerror(EINVAL, "kernel thread %d stays in the root "
			      "group", t->pid);
	if (!mm || t->group_leader->exit_state == EXIT_ZOMBIE)
		return kerror(ESRCH, "process %d has exited", t->tgid);
	mm->memcg = m;
	return 0;
}

/* ---- charging ---- */

/* try_counter - charge n pages to m and its ancestors if none would pass
 * its memory.max; else the lowest group that would, charging nothing. */
static struct mem_cgroup *try_counter(struct mem_cgroup *m, uint64_t n)
{
	struct mem_cgroup *c;

	for (c = m; c; c = c->parent)
		if (c->usage + n > c->max)
			return c;
	for (c = m; c; c = c->parent)
		c->usage += n;
	return NULL;
}

/* memcg_memory_event - an event of memory.events: counted locally in m
 * and hierarchically in m and each ancestor (Linux's
 * memcg_memory_event). */
static void memcg_memory_event(struct mem_cgroup *m,
			       enum memcg_memory_event e)
{
	m->memory_events_local[e]++;
	for (; m; m = m->parent)
		m->memory_events[e]++;
}

/* mem_cgroup_oom_kill_event - see memcontrol.h. */
void mem_cgroup_oom_kill_event(struct mem_cgroup *m)
{
	memcg_memory_event(m, MEMCG_OOM_KILL);
}

/* reclaim_high - after a charge, each group above its memory.high is
 * reclaimed towards it (Linux's reclaim_high, done at once here). */
static void reclaim_high(struct mem_cgroup *m)
{
	for (; m && m->parent; m = m->parent) {
		if (m->usage <= m->high)
			continue;
		memcg_memory_event(m, MEMCG_HIGH);
		try_to_free_mem_cgroup_pages(m, m->usage - m->high, false);
	}
}

/* commit_charge - page belongs to m now. */
static void commit_charge(struct page *page, struct mem_cgroup *m)
{
	page->memcg = m;
	replace_note_arrival(page);
}

/* try_charge - charge one page to m (Linux's try_charge_memcg): at a
 * limit, reclaim in the group at it, retrying while reclaim makes
 * progress (MAX_RECLAIM_RETRIES passes without), then the group's OOM
 * killer; the faulting mm's process may be the one it takes. */
static int try_charge(struct mem_cgroup *m, struct mm_struct *mm)
{
	int retries = MAX_RECLAIM_RETRIES;
	struct mem_cgroup *over;

	while ((over = try_counter(m, 1))) {
		memcg_memory_event(over, MEMCG_MAX);
		if (try_to_free_mem_cgroup_pages(over, 1, false))
			continue;
		if (retries-- > 0)
			continue;
		memcg_memory_event(over, MEMCG_OOM);
		if (!mem_cgroup_out_of_memory(over, mm))
			return kerror(ENOMEM, "group '%s' is at memory.max and "
				      "nothing in it can be reclaimed or "
				      "killed", over->name);
		if (mm && mm_owner(mm) && mm_owner(mm)->pending_signal)
			return kerror(ENOMEM, OOM_CHOSEN);
		retries = MAX_RECLAIM_RETRIES;
	}
	return 0;
}

/* mem_cgroup_charge - see memcontrol.h. */
int mem_cgroup_charge(struct page *page, struct mm_struct *mm)
{
	struct mem_cgroup *m = mm && mm->memcg ? mm->memcg : &root_mem_cgroup;
	int err;

	BUG_ON(page->memcg);
	err = try_charge(m, mm);
	if (err)
		return err;
	commit_charge(page, m);
	reclaim_high(m);
	return 0;
}

/* mem_cgroup_charge_to - see memcontrol.h. */
int mem_cgroup_charge_to(struct page *page, struct mem_cgroup *m, bool force)
{
	struct mem_cgroup *over, *c;

	BUG_ON(page->memcg);
	over = try_counter(m, 1);
	if (over && !force) {
		memcg_memory_event(over, MEMCG_MAX);
		return kerror(ENOMEM, "group '%s' is at memory.max", over->name);
	}
	for (c = m; over && c; c = c->parent)
		c->usage++;
	commit_charge(page, m);
	return 0;
}

/* mem_cgroup_swapin_charge - see memcontrol.h. */
int mem_cgroup_swapin_charge(struct page *page, swp_entry_t e,
			     struct mm_struct *mm, enum swapin_charge charge)
{
	struct mem_cgroup *m = mem_cgroup_from_id(
		swap_info_get(e)->memcg_id[swp_offset(e)]);
	int err;

	if (!m)
		m = mm && mm->memcg ? mm->memcg : &root_mem_cgroup;
	if (charge != SWAPIN_CHARGE_RECLAIM)
		return mem_cgroup_charge_to(page, m,
					    charge == SWAPIN_CHARGE_FORCE);
	err = try_charge(m, mm);
	if (err)
		return err;
	commit_charge(page, m);
	reclaim_high(m);
	return 0;
}

/* mem_cgroup_uncharge - see memcontrol.h. */
void mem_cgroup_uncharge(struct page *page)
{
	struct mem_cgroup *m = page->memcg;

	if (!m)
		return;
	for (; m; m = m->parent) {
		BUG_ON(m->usage == 0);
		m->usage--;
	}
	page->memcg = NULL;
}

/* ---- limits ---- */

/* shrink_to - reclaim m down to limit, then OOM-kill inside it while it
 * stays above (Linux's memory_max_write); memory.high only reclaims. */
static void shrink_to(struct mem_cgroup *m, uint64_t limit, bool oom)
{
	int retries = MAX_RECLAIM_RETRIES;

	while (m->usage > limit) {
		if (try_to_free_mem_cgroup_pages(m, m->usage - limit, false))
			continue;
		if (retries-- > 0)
			continue;
		if (!oom)
			return;
		memcg_memory_event(m, MEMCG_OOM);
		if (!mem_cgroup_out_of_memory(m, NULL))
			return;
		deliver_pending_signals();
		retries = MAX_RECLAIM_RETRIES;
	}
}

/* mem_cgroup_set_limit - see memcontrol.h (Linux's memory_max_write,
 * memory_high_write and swap_max_write). */
int mem_cgroup_set_limit(struct mem_cgroup *m, enum memcg_limit which,
			 uint64_t pages)
{
	if (!m->parent)
		return kerror(EINVAL, "the root group has no limits");
	switch (which) {
	case MEMCG_LIMIT_MAX:
		m->max = pages;
		if (m->usage > pages)
			memcg_memory_event(m, MEMCG_MAX);
		shrink_to(m, pages, true);
		break;
	case MEMCG_LIMIT_HIGH:
		m->high = pages;
		shrink_to(m, pages, false);
		break;
	case MEMCG_LIMIT_SWAP_MAX:
		m->swap_max = pages;
		break;
	}
	return 0;
}

/* mem_cgroup_reclaim - see memcontrol.h (Linux's memory_reclaim). */
int mem_cgroup_reclaim(struct mem_cgroup *m, uint64_t nr_pages)
{
	uint64_t got = 0;
	int retries = MAX_RECLAIM_RETRIES;

	while (got < nr_pages) {
		uint64_t n = try_to_free_mem_cgroup_pages(m, nr_pages - got,
							  true);

		if (!n && !retries--)
			return kerror(EAGAIN, "reclaimed %llu of %llu pages",
				      (unsigned long long)got,
				      (unsigned long long)nr_pages);
		got += n;
	}
	return 0;
}

/* ---- swap ---- */

/* mem_cgroup_swap_charge - see memcontrol.h. */
bool mem_cgroup_swap_charge(struct page *page, unsigned int type,
			    uint64_t offset)
{
	struct mem_cgroup *m = page_memcg_or_root(page);
	struct mem_cgroup *c;

	for (c = m; c; c = c->parent)
		if (c->swap_usage + 1 > c->swap_max) {
			memcg_memory_event(c, MEMCG_MAX);
			return false;
		}
	for (c = m; c; c = c->parent)
		c->swap_usage++;
	swap_info[type]->memcg_id[offset] = m->id;
	return true;
}

/* mem_cgroup_swap_uncharge - see memcontrol.h. */
void mem_cgroup_swap_uncharge(unsigned int type, uint64_t offset)
{
	struct mem_cgroup *m = mem_cgroup_from_id(swap_info[type]->memcg_id[offset]);

	swap_info[type]->memcg_id[offset] = 0;
	for (; m; m = m->parent) {
		BUG_ON(m->swap_usage == 0);
		m->swap_usage--;
	}
}

/* mem_cgroup_nr_swap_pages - see memcontrol.h. */
uint64_t mem_cgroup_nr_swap_pages(const struct mem_cgroup *m)
{
	uint64_t n = nr_swap_pages;

	for (; m; m = m->parent)
		n = MIN(n, m->swap_max > m->swap_usage ?
			   m->swap_max - m->swap_usage : 0);
	return n;
}

/* ---- statistics ---- */

/* count_memcg_event - see memcontrol.h. */
void count_memcg_event(struct mem_cgroup *m, enum vm_event_item item,
		       uint64_t n)
{
	count_vm_events(item, n);
	(m ? m : &root_mem_cgroup)->events[item] += n;
}

/* memcg_page_state - see memcontrol.h. */
int64_t memcg_page_state(const struct mem_cgroup *m, enum node_stat_item i)
{
	struct mem_cgroup *c = NULL, *root = (struct mem_cgroup *)m;
	int64_t sum = 0;

	while ((c = mem_cgroup_iter(root, c)))
		sum += c->state[i];
	return sum > 0 ? sum : 0;
}

/* memcg_events - see memcontrol.h. */
uint64_t memcg_events(const struct mem_cgroup *m, enum vm_event_item i)
{
	struct mem_cgroup *c = NULL, *root = (struct mem_cgroup *)m;
	uint64_t sum = 0;

	while ((c = mem_cgroup_iter(root, c)))
		sum += c->events[i];
	return sum;
}

/* memcg_lru_pages - see memcontrol.h. */
uint64_t memcg_lru_pages(const struct mem_cgroup *m, enum lru_list lru)
{
	struct mem_cgroup *c = NULL, *root = (struct mem_cgroup *)m;
	uint64_t sum = 0;

	while ((c = mem_cgroup_iter(root, c)))
		for (int nid = 0; nid < nr_online_nodes; nid++)
			sum += c->lruvec[nid].nr_pages[lru];
	return sum;
}

/* memcg_node_lru_pages - see memcontrol.h. */
uint64_t memcg_node_lru_pages(const struct mem_cgroup *m, int nid,
			      enum lru_list lru)
{
	struct mem_cgroup *c = NULL, *root = (struct mem_cgroup *)m;
	uint64_t sum = 0;

	while ((c = mem_cgroup_iter(root, c)))
		sum += c->lruvec[nid].nr_pages[lru];
	return sum;
}

/* node_lru_pages - see memcontrol.h. */
uint64_t node_lru_pages(enum lru_list lru)
{
	return memcg_lru_pages(&root_mem_cgroup, lru);
}
