/*
 * filemap.c - host files mapped into simulated processes, and their page
 * cache (Linux's mm/filemap.c: filemap_fault, the inode's page cache that
 * outlives the mappings, drop_caches).
 *
 * A host file is opened read-only once per (device, inode) and shared by
 * every process that maps it; its pages are read from the host into
 * simulated frames on the first fault (a major fault) and stay cached
 * after the last mapping goes, until drop_caches or reclaim.  The host
 * file is never written: a dirty page is written back (by reclaim, the
 * background flusher or sync) to the object's own copy of the file, which
 * later reads see and which lives as long as the machine.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <unistd.h>
#include "internal.h"
#include "mm/memcontrol.h"
#include "mm/replace.h"
#include "mm/slab.h"
#include "kernel/kernel.h"

struct list_head file_cache = LIST_HEAD_INIT(file_cache);

/* find_cached - the object of an open host inode, or NULL. */
static struct address_space *find_cached(dev_t dev, ino_t ino)
{
	struct list_head *l;

	list_for_each(l, &file_cache) {
		struct address_space *m = list_entry(l, struct address_space,
						     files);

		if (m->id == (uint64_t)ino && makedev(m->dev_major, m->dev_minor) ==
		    dev)
			return m;
	}
	return NULL;
}

/* grow_slots - widen *arr, an array of n elements of size bytes (NULL:
 * not allocated, left so), to to elements, the new ones zero.  0 or
 * -ENOMEM (the array is then unchanged). */
static int grow_slots(void *arr, uint64_t n, uint64_t to, size_t size)
{
	char **a = arr, *p;

	if (!*a)
		return 0;
	p = realloc(*a, to * size);
	if (!p)
		return -ENOMEM;
	memset(p + n * size, 0, (to - n) * size);
	*a = p;
	return 0;
}

/* set_size - follow the host file's size (it may have changed since the
 * object was created). 0 or -ENOMEM. */
static int set_size(struct address_space *m, uint64_t size)
{
	uint64_t pages = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;

	if (pages > m->nr_index) {
		if (grow_slots(&m->pages, m->nr_index, pages,
			       sizeof(*m->pages)) ||
		    grow_slots(&m->shadows, m->nr_index, pages,
			       sizeof(*m->shadows)) ||
		    grow_slots(&m->written, m->nr_index, pages,
			       sizeof(*m->written)))
			return host_enomem();
		m->nr_index = pages;
	}
	m->size = size;
	return 0;
}

/* fop_mmap_sync - does the file system of fd have FOP_MMAP_SYNC (its
 * mmap accepts MAP_SYNC on DAX files, refuses it on the others)?  In
 * Linux 6.18: ext4 (which also serves ext2 and ext3) and xfs. */
static bool fop_mmap_sync(int fd)
{
	struct statfs sfs;

	if (fstatfs(fd, &sfs))
		return false;
	return sfs.f_type == EXT4_SUPER_MAGIC || sfs.f_type == XFS_SUPER_MAGIC;
}

/* new_file_object - the object for an open host file (fd is kept), with
 * the kernel's open file (filp) and inode (inode_cache) objects, or NULL
 * (ENOMEM, with the reason). */
static struct address_space *new_file_object(int fd, const struct stat *st,
					     const char *path)
{
	struct address_space *m = calloc(1, sizeof(*m));
	char *real = realpath(path, NULL);

	/* pages[] always exists (grow_slots widens only what does). */
	if (m)
		m->pages = calloc(1, sizeof(*m->pages));
	if (!m || !real || !m->pages || set_size(m, (uint64_t)st->st_size)) {
		free(real);
		if (m)
			free(m->pages);
		free(m);
		host_enomem();
		return NULL;
	}
	m->inode_obj = kmem_cache_alloc(inode_cachep);
	m->filp_obj = m->inode_obj ? kmem_cache_alloc(filp_cachep) : 0;
	if (!m->filp_obj) {
		kmem_cache_free(inode_cachep, m->inode_obj);
		free(real);
		free(m->pages);
		free(m);
		return NULL;
	}
	m->fd = fd;
	m->name = real;
	m->id = (uint64_t)st->st_ino;
	m->dev_major = major(st->st_dev);
	m->dev_minor = minor(st->st_dev);
	m->fop_mmap_sync = fop_mmap_sync(fd);
	m->refcount = 1;
	list_add_tail(&m->files, &file_cache);
	return m;
}

/* open_err - open(2)'s errno for a path that cannot be opened (or
 * looked at): a missing one is ENOENT, anything else EACCES. */
static int open_err(int err)
{
	return err == ENOENT || err == ENOTDIR ? -ENOENT : -EACCES;
}

/* filemap_open - see mm.h.  A file that cannot be opened is no failure
 * of its own (the loader's search tries many): the caller that needed it
 * gives the reason. */
struct address_space *filemap_open(const char *path, int *err)
{
	struct address_space *m;
	struct stat st;
	/* O_NONBLOCK: opening a FIFO must not block the daemon. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	*err = 0;
	if (fd < 0) {
		*err = open_err(errno);
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		*err = -EACCES;
		return NULL;
	}
	m = find_cached(st.st_dev, st.st_ino);
	if (m) {
		close(fd);
		if (set_size(m, (uint64_t)st.st_size)) {
			*err = -ENOMEM;
			return NULL;
		}
		mapping_get(m);
		return m;
	}
	m = new_file_object(fd, &st, path);
	if (!m) {
		close(fd);
		*err = -ENOMEM;
	}
	return m;
}

/* cannot_open - the reason mmap cannot open path: open_err's err
 * (-ENOENT or -EACCES), or -ENOMEM whose reason is given. */
static int cannot_open(const char *path, int err)
{
	if (err == -ENOENT)
		return kerror(ENOENT, "%s: no such file", path);
	if (err == -EACCES)
		return kerror(EACCES, "%s: cannot be read", path);
	return err;
}

/* mmap_file_open - see mm.h.  A regular file gets its cached object; a
 * special file is judged by stat(2) and access(2): /dev/zero (the mem
 * driver's minor 5, whatever its path) gets an object of its own, and the
 * rest none, as their f_op has no mmap. */
int mmap_file_open(const char *path, struct mmap_file *f)
{
	struct stat st;
	int err;

	f->mapping = NULL;
	f->path = path;
	if (stat(path, &st))
		return cannot_open(path, open_err(errno));
	f->writable = !S_ISDIR(st.st_mode) && access(path, W_OK) == 0;
	if (S_ISREG(st.st_mode)) {
		f->mapping = filemap_open(path, &err);
		return f->mapping ? 0 : cannot_open(path, err);
	}
	if (S_ISSOCK(st.st_mode))
		return kerror(ENXIO, "%s: a socket cannot be opened", path);
	if (access(path, R_OK))
		return cannot_open(path, open_err(errno));
	if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 5)) {
		f->mapping = dev_zero_open(path, major(st.st_dev),
					   minor(st.st_dev), (uint64_t)st.st_ino);
		if (!f->mapping)
			return host_enomem();
	}
	return 0;
}

/* destroy - free an object with no mapping and no cached page, and the
 * copy written back with it. */
static void destroy(struct address_space *m)
{
	BUG_ON(m->refcount || m->nrpages);
	list_del(&m->files);
	close(m->fd);
	kmem_cache_free(filp_cachep, m->filp_obj);
	kmem_cache_free(inode_cachep, m->inode_obj);
	for (uint64_t i = 0; m->written && i < m->nr_index; i++)
		free(m->written[i]);
	free(m->written);
	xa_nodes_destroy(&m->i_pages);
	free(m->shadows);
	free(m->pages);
	free(m->name);
	free(m);
}

/* unused - an object no mapping, cached page or written copy needs. */
static bool unused(const struct address_space *m)
{
	return !m->refcount && !m->nrpages && !m->nr_written;
}

/* filemap_release - the last mapping is gone: the cache stays until
 * drop_caches or reclaim, the written copy for good (an object with
 * neither goes at once). */
void filemap_release(struct address_space *m)
{
	if (unused(m))
		destroy(m);
}

#define RA_PAGES	32	/* read_ahead_kb 128 */

/* read_pages - fill the n (at most RA_PAGES) frames pages[] with the file's
 * bytes from page index on, in one host read (zeroes past the end), or
 * from the written copy where a page was written back.  -EIO if the host
 * read fails. */
static int read_pages(struct address_space *m, struct page **pages,
		      uint64_t n, uint64_t index)
{
	static char buf[RA_PAGES * PAGE_SIZE];
	ssize_t r = pread(m->fd, buf, n * PAGE_SIZE,
			  (off_t)(index << PAGE_SHIFT));
	uint64_t i;

	if (r < 0)
		return -EIO;
	memset(buf + r, 0, n * PAGE_SIZE - (size_t)r);
	for (i = 0; i < n; i++) {
		void *copy = m->written ? m->written[index + i] : NULL;

		phys_write(&hw.mem, page_to_phys(pages[i]),
			   copy ? copy : buf + i * PAGE_SIZE, PAGE_SIZE);
	}
	count_vm_events(PGPGIN, (n * PAGE_SIZE) >> 10);
	task_io_account_read(n * PAGE_SIZE);
	return 0;
}

/* ---- readahead (Linux's mm/readahead.c, order-0 pages) ---- */

#define MMAP_LOTSAMISS	100

/* ra_alloc - a frame for readahead, charged to memcg if it has room
 * (readahead never reclaims for a group nor calls the OOM killer), or
 * NULL. */
static struct page *ra_alloc(struct mem_cgroup *memcg)
{
	struct page *page = alloc_page(GFP_HIGHUSER_MOVABLE);

	if (page && mem_cgroup_charge_to(page, memcg, false)) {
		put_page(page);
		return NULL;
	}
	return page;
}

/* ra_batch - read the n consecutive missing pages from index into new
 * frames charged to memcg with one host read, add them to the cache, and
 * mark the one at mark.  Returns the pages added (fewer if frames run
 * out: readahead is best effort). */
static uint64_t ra_batch(struct address_space *m, uint64_t index, uint64_t n,
			 uint64_t mark, struct mem_cgroup *memcg)
{
	struct page *pages[RA_PAGES];
	uint64_t got = 0, i;
	bool ok;

	while (got < n && (pages[got] = ra_alloc(memcg)))
		got++;
	ok = got && !read_pages(m, pages, got, index);
	for (i = 0; i < got; i++) {
		if (ok && index + i == mark)
			SetPageFlag(pages[i], PG_readahead);
		if (ok && add_to_page_cache(pages[i], m, index + i))
			ClearPageFlag(pages[i], PG_readahead);
		put_page(pages[i]);
	}
	return ok ? got : 0;
}

/* page_cache_ra - read the pages of [start, start+nr) that are not cached,
 * within the file, marking the one at mark (Linux's
 * page_cache_ra_unbounded). */
static void page_cache_ra(struct address_space *m, uint64_t start,
			  uint64_t nr, uint64_t mark, struct mem_cgroup *memcg)
{
	uint64_t end = MIN(start + nr, m->nr_index), i = start, run;

	while (i < end) {
		if (m->pages[i]) {
			i++;
			continue;
		}
		for (run = 1; i + run < end && !m->pages[i + run]; run++)
			;
		if (ra_batch(m, i, run, mark, memcg) < run)
			return;
		i += run;
	}
}

/* ra_next_size - the next window: quadrupled while small, doubled, then
 * the maximum (get_next_ra_size). */
static uint64_t ra_next_size(uint64_t cur)
{
	if (cur < RA_PAGES / 16)
		return 4 * cur;
	if (cur <= RA_PAGES / 2)
		return 2 * cur;
	return RA_PAGES;
}

/* ra_submit - read the current window, marking its async part. */
static void ra_submit(struct address_space *m, struct mem_cgroup *memcg)
{
	struct file_ra_state *ra = &m->ra;

	page_cache_ra(m, ra->start, ra->size,
		      ra->start + ra->size - ra->async_size, memcg);
}

/* do_sync_mmap_readahead - a fault missed the cache at index: read around
 * it, RA_PAGES centred on it (mmap read-around), unless misses have long
 * outnumbered hits. */
static void do_sync_mmap_readahead(struct address_space *m, uint64_t index,
				   struct mem_cgroup *memcg)
{
	struct file_ra_state *ra = &m->ra;

	if (ra->mmap_miss < MMAP_LOTSAMISS * 10)
		ra->mmap_miss++;
	if (ra->mmap_miss > MMAP_LOTSAMISS)
		return;
	ra->start = index > RA_PAGES / 2 ? index - RA_PAGES / 2 : 0;
	ra->size = RA_PAGES;
	ra->async_size = RA_PAGES / 4;
	ra_submit(m, memcg);
}

/* do_async_mmap_readahead - a fault found page cached: a hit; and if the
 * page carries the readahead mark, read the next window before the access
 * gets there (page_cache_async_ra). */
static void do_async_mmap_readahead(struct address_space *m,
				    struct page *page, struct mem_cgroup *memcg)
{
	struct file_ra_state *ra = &m->ra;
	uint64_t index = page->index, start;

	if (ra->mmap_miss)
		ra->mmap_miss--;
	if (!PageFlag(page, PG_readahead))
		return;
	ClearPageFlag(page, PG_readahead);
	if (index == ra->start + ra->size - ra->async_size) {
		ra->start += ra->size;
		ra->size = ra_next_size(ra->size);
	} else {
		/* A mark without this state (interleaved streams): start
		 * after the cached run that follows the page. */
		for (start = index + 1; start < m->nr_index &&
		     start - index <= RA_PAGES && m->pages[start]; start++)
			;
		if (start >= m->nr_index || start - index > RA_PAGES)
			return;
		ra->start = start;
		ra->size = ra_next_size(start - index + 1);
	}
	ra->async_size = ra->size;
	ra_submit(m, memcg);
}

/* filemap_fault - see mm.h (Linux's filemap_fault): a hit may start async
 * readahead; a miss is a major fault that reads around the page, and the
 * page alone if readahead could not get it. */
int filemap_fault(struct vm_fault *vmf, struct page **pagep)
{
	struct address_space *m = vmf->vma->vm_file;
	struct mem_cgroup *memcg = vmf->vma->vm_mm->memcg;
	struct page *page;

	if (vmf->pgoff >= (m->size + PAGE_SIZE - 1) >> PAGE_SHIFT)
		return VM_FAULT_SIGBUS;
	page = find_get_page(m, vmf->pgoff);
	if (page) {
		get_page(page);	/* readahead's reclaim must not free it */
		if (!textbook_policy())
			do_async_mmap_readahead(m, page, memcg);
		*pagep = page;
		return 0;
	}
	if (!textbook_policy())
		do_sync_mmap_readahead(m, vmf->pgoff, memcg);
	page = find_get_page(m, vmf->pgoff);
	if (page) {
		get_page(page);
		*pagep = page;
		return VM_FAULT_MAJOR;
	}
	page = alloc_user_page(GFP_HIGHUSER_MOVABLE, vmf->vma->vm_mm);
	if (!page)
		return VM_FAULT_OOM;
	if (read_pages(m, &page, 1, vmf->pgoff)) {
		put_page(page);
		return VM_FAULT_SIGBUS;
	}
	if (add_to_page_cache(page, m, vmf->pgoff)) {
		put_page(page);
		return VM_FAULT_OOM;
	}
	*pagep = page;		/* with alloc_user_page's reference */
	return VM_FAULT_MAJOR;
}

/* is_file_page - a page of a host file's cache (not anon, not shmem). */
static bool is_file_page(const struct page *page)
{
	const struct address_space *m = page->mapping;

	return m && !PageAnon(page) && !m->shmem;
}

/* set_page_dirty - see mm.h (Linux's folio_mark_dirty: a host file's
 * page is accounted as folio_account_dirtied does). */
void set_page_dirty(struct page *page)
{
	if (PageFlag(page, PG_dirty))
		return;
	SetPageFlag(page, PG_dirty);
	if (is_file_page(page)) {
		mod_page_state(page, NR_FILE_DIRTY, 1);
		count_vm_event(NR_DIRTIED);
		task_io_account_write(PAGE_SIZE);
	}
}

/* clear_page_dirty_for_io - clean a dirty page for writing it back: its
 * entries write-protected and cleaned first, so that the next store
 * faults and dirties it again (Linux's folio_clear_dirty_for_io). */
static void clear_page_dirty_for_io(struct page *page)
{
	if (page->mapcount)
		page_mkclean(page);
	ClearPageFlag(page, PG_dirty);
	mod_page_state(page, NR_FILE_DIRTY, -1);
}

/* filemap_writepage - see mm.h.  The part of the last page past the end
 * of the file is written as zeroes, as block_write_full_folio does. */
int filemap_writepage(struct page *page)
{
	struct address_space *m = page->mapping;
	uint64_t i = page->index, end = m->size - MIN(m->size, i << PAGE_SHIFT);

	BUG_ON(!is_file_page(page) || !PageFlag(page, PG_dirty));
	if (!m->written) {
		m->written = calloc(m->nr_index, sizeof(*m->written));
		if (!m->written)
			return host_enomem();
	}
	if (!m->written[i]) {
		m->written[i] = malloc(PAGE_SIZE);
		if (!m->written[i])
			return host_enomem();
		m->nr_written++;
	}
	clear_page_dirty_for_io(page);
	phys_read(&hw.mem, page_to_phys(page), m->written[i], PAGE_SIZE);
	if (end < PAGE_SIZE)
		memset((char *)m->written[i] + end, 0, PAGE_SIZE - end);
	count_vm_events(PGPGOUT, PAGE_SIZE >> 10);
	count_vm_event(NR_WRITTEN);
	return 0;
}

/* filemap_shrink - see mm.h. */
uint64_t filemap_shrink(uint64_t max, bool dirty_too)
{
	struct list_head *l, *n;
	uint64_t dropped = 0, i;

	list_for_each_safe(l, n, &file_cache) {
		struct address_space *m = list_entry(l, struct address_space,
						     files);

		for (i = 0; i < m->nr_index && m->nrpages && dropped < max;
		     i++) {
			struct page *p = m->pages[i];

			if (!p || p->mapcount ||
			    (!dirty_too && PageFlag(p, PG_dirty)))
				continue;
			delete_from_page_cache(p);
			dropped++;
		}
		if (unused(m) || (dirty_too && !m->refcount && !m->nrpages))
			destroy(m);
	}
	return dropped;
}

/* drop_caches - see mm.h. */
void drop_caches(unsigned int mode)
{
	if (mode & 1) {
		filemap_shrink(UINT64_MAX, false);
		count_vm_event(DROP_PAGECACHE);
	}
	if (mode & 2) {
		kmem_cache_shrink_all(true);
		count_vm_event(DROP_SLAB);
	}
}
