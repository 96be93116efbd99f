/*
 * ld.c - exec --link: what glibc's dynamic linker (ld.so, glibc 2.36 as
 * Debian builds it) does to the address space before the program runs,
 * without running anything.  The DT_NEEDED libraries are found breadth
 * first (_dl_map_object_deps), each name searched as _dl_map_object
 * searches it (DT_RPATH, LD_LIBRARY_PATH, DT_RUNPATH, /etc/ld.so.cache,
 * the system directories), each new file mapped as _dl_map_segments maps
 * it, and every object's PT_GNU_RELRO made read-only (_dl_protect_relro).
 *
 * Like rtld, the search maps /etc/ld.so.cache while it needs it and
 * unmaps it at the end, which leaves its hole above the first library
 * found through it.  Not modelled: relocation, TLS and rtld's own malloc
 * (two anonymous pages before the cache, and two more whenever it runs
 * out: libraries here lie that much higher than in a real process),
 * LD_PRELOAD, DT_AUXILIARY/DT_FILTER, the glibc-hwcaps and legacy hwcap
 * subdirectories, the vDSO's place in the link map, DT_TEXTREL and
 * executable stacks asked for by libraries.
 */
#include <errno.h>
#include <elf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kernel/errstr.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/vma.h"
#include "mm/vmstat.h"
#include "exec/elf.h"

#define LD_SO_CACHE	"/etc/ld.so.cache"
#define CACHEMAGIC	"ld.so-1.7.0"		/* the libc5 format */
#define CACHEMAGIC_NEW	"glibc-ld.so.cache1.1"	/* magic and version */
#define CACHE_HWCAP_TLS	(1ULL << 63)		/* a tls/ subdirectory */
#define FLAG_ELF	0x0001
#define FLAG_ELF_LIBC6	0x0003
#define FLAG_X8664_LIB64 0x0300

/* The names glibc is built with for this machine (SYSTEM_DIRS, DL_DST_LIB,
 * AT_PLATFORM, _DL_CACHE_DEFAULT_ID), as Debian amd64's ld.so --help
 * shows; i386 programs use its multilib loader (libc6-i386, /lib32). */
struct ld_abi {
	const char *system_dirs[5];	/* NULL-terminated, each ending in / */
	const char *lib;		/* $LIB */
	const char *platform;		/* $PLATFORM */
	int32_t cache_id;		/* the ld.so.cache flags of its libs */
};

static const struct ld_abi abi64 = {
	{ "/lib/x86_64-linux-gnu/", "/usr/lib/x86_64-linux-gnu/", "/lib/",
	  "/usr/lib/", NULL },
	"lib/x86_64-linux-gnu", "x86_64", FLAG_X8664_LIB64 | FLAG_ELF_LIBC6
};

static const struct ld_abi abi32 = {
	{ "/lib32/", "/usr/lib32/", "/lib/", "/usr/lib/", NULL },
	"lib32", "i686", FLAG_ELF_LIBC6
};

/* One object of the link map (glibc's struct link_map, the part that
 * loading needs). */
struct ld_object {
	struct elf_info own;		/* a library's headers and file */
	const struct elf_info *ei;	/* &own, or bprm's ex or interp */
	char *realname;			/* l_name: the path it was opened as */
	char *origin;			/* l_origin: what $ORIGIN becomes */
	char **names;			/* l_libname: names that found it */
	int nnames;
	struct ld_object *loader;	/* l_loader: whose DT_NEEDED it was */
	uint64_t l_addr;		/* load bias */
	/* from PT_DYNAMIC (l_info) */
	char *strtab;			/* DT_STRTAB, DT_STRSZ bytes + NUL */
	uint64_t strsz;
	uint64_t *needed;		/* DT_NEEDED string offsets */
	int nneeded;
	const char *soname, *rpath, *runpath;	/* or NULL */
	uint64_t flags_1;		/* DT_FLAGS_1 */
	bool queued;			/* l_reserved: in the search list */
};

/* /etc/ld.so.cache once read (dl-cache.c's cache and cache_new). */
struct ld_cache {
	int state;			/* 0 unread, 1 usable, -1 none */
	char *data;			/* the file */
	uint64_t size;
	uint64_t addr;			/* its mapping in the new image, or 0 */
	uint64_t table;			/* offset of the entries */
	uint32_t nlibs, entry_size;
	uint64_t strings;		/* offset string indices count from */
};

struct ld_state {
	struct linux_binprm *bprm;
	const struct ld_abi *abi;
	struct ld_object **map;		/* the link map, in load order */
	int nmap, maxmap;
	struct ld_object **list;	/* the breadth-first search list */
	int nlist, maxlist;
	struct ld_object *main_map, *rtld_map;
	const char *library_path;	/* LD_LIBRARY_PATH, or NULL */
	struct ld_cache cache;
};

/* A file found by the search, headers checked. */
struct ld_found {
	struct elf_info ei;
	char *realname;
	bool other_class;		/* an ELF of another machine was seen */
};

/* ---- reasons ---- */

/* library_error - -err with its reason: why is what is wrong with the
 * library at path (or named so) that the program needs. */
static int library_error(const struct ld_state *s, const char *path, int err,
			 const char *why)
{
	struct exec_file who = { s->bprm->a->path, "library", path };

	return exec_file_error(&who, err, why);
}

/* object_file - object l of the link map as exec names it: the program,
 * its interpreter (rtld) or a library. */
static struct exec_file object_file(const struct ld_state *s,
				    const struct ld_object *l)
{
	const char *prog = s->bprm->a->path;

	if (l == s->main_map)
		return (struct exec_file){ prog, NULL, prog };
	return (struct exec_file){ prog, l == s->rtld_map ? "interpreter" :
				   "library", l->realname };
}

/* object_error - library_error for object l of the link map. */
static int object_error(const struct ld_state *s, const struct ld_object *l,
			int err, const char *why)
{
	struct exec_file who = object_file(s, l);

	return exec_file_error(&who, err, why);
}

/* map_failed - -ENOMEM with its reason: l cannot be mapped, for the
 * reason the mapping gave. */
static int map_failed(const struct ld_state *s, const struct ld_object *l)
{
	struct exec_file who = object_file(s, l);

	return exec_file_map_error(&who, ENOMEM, "cannot be mapped");
}

/* ---- strings ---- */

/* dirname_of - the directory part of path ("/" for "/x", "." for "x"),
 * malloc'd (glibc's l_origin computation, without making it absolute). */
static char *dirname_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

/* is_dst - the length of the DST name ref at input ("ORIGIN" or
 * "{ORIGIN}") including braces, or 0 (glibc's is_dst: the name must not
 * go on with identifier characters). */
static size_t is_dst(const char *input, const char *ref)
{
	size_t rlen = strlen(ref);
	bool curly = input[0] == '{';
	char next;

	if (curly)
		input++;
	if (strncmp(input, ref, rlen))
		return 0;
	next = input[rlen];
	if (curly)
		return next == '}' ? rlen + 2 : 0;
	if ((next >= 'A' && next <= 'Z') || (next >= 'a' && next <= 'z') ||
	    (next >= '0' && next <= '9') || next == '_')
		return 0;
	return rlen;
}

/* dst_value - the replacement of the DST at input (after '$') and its
 * length in *len, or NULL with *len 0 when it is no DST. */
static const char *dst_value(struct ld_state *s, const struct ld_object *l,
			     const char *input, size_t *len)
{
	if ((*len = is_dst(input, "ORIGIN")))
		return l->origin;
	if ((*len = is_dst(input, "PLATFORM")))
		return s->abi->platform;
	if ((*len = is_dst(input, "LIB")))
		return s->abi->lib;
	return NULL;
}

/* expand_dst - input with $ORIGIN, $PLATFORM and $LIB (or ${...}) of l
 * replaced (glibc's _dl_dst_substitute; the origin is always known
 * here).  malloc'd, NULL on ENOMEM. */
static char *expand_dst(struct ld_state *s, const struct ld_object *l,
			const char *input)
{
	size_t n = 0, max = strlen(l->origin);
	const char *p;
	char *out, *w;

	max = MAX(max, MAX(strlen(s->abi->platform), strlen(s->abi->lib)));
	for (p = input; *p; p++)
		n += *p == '$';
	out = w = malloc(strlen(input) + n * max + 1);
	if (!out)
		return NULL;
	for (p = input; *p; ) {
		const char *repl;
		size_t len;

		if (*p != '$') {
			*w++ = *p++;
			continue;
		}
		repl = dst_value(s, l, ++p, &len);
		if (repl) {
			w = stpcpy(w, repl);
			p += len;
		} else {
			*w++ = '$';
		}
	}
	*w = '\0';
	return out;
}

/* str_list_add - append a copy of str to *v (n entries). 0 or -ENOMEM. */
static int str_list_add(char ***v, int *n, const char *str)
{
	char **nv = realloc(*v, (size_t)(*n + 1) * sizeof(char *));

	if (!nv)
		return host_enomem();
	*v = nv;
	nv[*n] = strdup(str);
	if (!nv[*n])
		return host_enomem();
	(*n)++;
	return 0;
}

/* str_list_free - free the n strings of v and v. */
static void str_list_free(char **v, int n)
{
	while (n > 0)
		free(v[--n]);
	free(v);
}

/* decompose_path - the directories of a search path ("a:b", separated by
 * any of seps) for object l (glibc's fillin_rpath): DSTs expanded,
 * trailing slashes removed, an empty entry the current directory (""),
 * each directory once.  0 or -ENOMEM. */
static int decompose_path(struct ld_state *s, const struct ld_object *l,
			  const char *path, const char *seps, char ***dirs,
			  int *n)
{
	const char *p = path;
	int i, err = 0;

	*dirs = NULL;
	*n = 0;
	while (!err) {
		size_t len = strcspn(p, seps);
		char *raw = strndup(p, len), *dir = NULL;

		if (raw && len)
			dir = expand_dst(s, l, raw);
		else if (raw)
			dir = strdup("");
		if (!dir) {
			err = host_enomem();
		} else {
			size_t dl = strlen(dir);

			while (dl > 1 && dir[dl - 1] == '/')
				dl--;
			dir[dl] = '\0';
			for (i = 0; i < *n && strcmp((*dirs)[i], dir); i++)
				;
			if (i == *n)
				err = str_list_add(dirs, n, dir);
		}
		free(raw);
		free(dir);
		if (!p[len])
			break;
		p += len + 1;
	}
	return err;
}

/* ---- opening candidates ---- */

/* other_machine - is file an ELF file for another class or machine (one
 * rtld skips silently in its search, open_verify's found_other_class)? */
static bool other_machine(struct ld_state *s, struct address_space *file)
{
	unsigned char h[EI_NIDENT + 4];
	uint16_t machine;
	bool is64 = s->bprm->ws == 8;

	if (elf_read(file, h, sizeof(h), 0) || memcmp(h, ELFMAG, SELFMAG))
		return false;
	if (h[EI_CLASS] != (is64 ? ELFCLASS64 : ELFCLASS32))
		return true;
	memcpy(&machine, h + EI_NIDENT + 2, sizeof(machine));
	return h[EI_DATA] == ELFDATA2LSB &&
	       machine != (is64 ? EM_X86_64 : EM_386);
}

/*
 * open_verify - open path as a library candidate (glibc's open_verify;
 * exec_open without the execute check): 1 with f->ei and f->realname set,
 * 0 when it is not there or not readable, or an ELF of another machine
 * (f->other_class), to look further; -ENOEXEC for a file that is no
 * loadable ELF of this machine, -ENOMEM.
 */
static int open_verify(struct ld_state *s, const char *path,
		       struct ld_found *f)
{
	struct exec_file who = { s->bprm->a->path, "library", path };
	struct address_space *file;
	int err;

	file = filemap_open(path, &err);
	if (!file)
		return err == -ENOMEM ? err : 0;
	if (other_machine(s, file)) {
		f->other_class = true;
		mapping_put(file);
		return 0;
	}
	err = elf_read_info(file, &f->ei, &who);
	if (!err) {
		f->realname = strdup(path);
		if (f->realname)
			return 1;
		err = host_enomem();
	}
	elf_free_info(&f->ei);
	return err;
}

/* open_path - name in each of dirs (glibc's open_path, without the hwcap
 * subdirectories): as open_verify, for the first directory that has it. */
static int open_path(struct ld_state *s, const char *name,
		     const char *const *dirs, int n, struct ld_found *f)
{
	int i, ret = 0;

	for (i = 0; !ret && i < n; i++) {
		char *path = malloc(strlen(dirs[i]) + strlen(name) + 2);
		size_t dl = strlen(dirs[i]);

		if (!path)
			return host_enomem();
		memcpy(path, dirs[i], dl);
		if (dl && dirs[i][dl - 1] != '/')
			path[dl++] = '/';
		strcpy(path + dl, name);
		ret = open_verify(s, path, f);
		free(path);
	}
	return ret;
}

/* search_path - name in the search path `path` of object l (separators
 * seps): as open_path. */
static int search_path(struct ld_state *s, const struct ld_object *l,
		       const char *path, const char *seps, const char *name,
		       struct ld_found *f)
{
	char **dirs;
	int n, ret = decompose_path(s, l, path, seps, &dirs, &n);

	if (!ret)
		ret = open_path(s, name, (const char *const *)dirs, n, f);
	str_list_free(dirs, n);
	return ret;
}

/* ---- /etc/ld.so.cache (dl-cache.c) ---- */

/* cache_u32 - the 32-bit field at off of the cache (the caller checked
 * the bounds). */
static uint32_t cache_u32(const struct ld_cache *c, uint64_t off)
{
	uint32_t v;

	memcpy(&v, c->data + off, sizeof(v));
	return v;
}

/* cache_parse - find the entry table in the cache's bytes (the checks of
 * _dl_load_cache_lookup): the new format alone, or after the libc5 one,
 * or the libc5 one alone. false if it is none of them. */
static bool cache_parse(struct ld_cache *c)
{
	uint64_t new_hdr = 0, old_entries;
	uint32_t n;

	if (c->size > 48 && !memcmp(c->data, CACHEMAGIC_NEW, 20)) {
		new_hdr = 0;
	} else if (c->size > 16 && !memcmp(c->data, CACHEMAGIC, 11)) {
		n = cache_u32(c, 12);
		if ((c->size - 16) / 12 < n)
			return false;
		old_entries = 16 + (uint64_t)n * 12;
		new_hdr = (old_entries + 7) & ~7ULL;	/* ALIGN_CACHE */
		if (c->size < new_hdr + 48 ||
		    memcmp(c->data + new_hdr, CACHEMAGIC_NEW, 20)) {
			c->table = 16;
			c->nlibs = n;
			c->entry_size = 12;
			c->strings = old_entries;
			return true;
		}
	} else {
		return false;
	}
	n = cache_u32(c, new_hdr + 20);
	if ((c->size - new_hdr - 48) / 24 < n)
		return false;
	/* the endianness flags: unset (0) or little-endian (2) */
	if (c->data[new_hdr + 28] && (c->data[new_hdr + 28] & 3) != 2)
		return false;
	c->table = new_hdr + 48;
	c->nlibs = n;
	c->entry_size = 24;
	c->strings = new_hdr;
	return true;
}

/*
 * cache_load - read /etc/ld.so.cache, and map it in the new image as
 * rtld does (_dl_sysdep_read_whole_file: a private read-only mapping of
 * the whole file, kept until the end of loading; a file of no known
 * format is unmapped at once).  Absent or unreadable: no cache.
 * 0 or -ENOMEM.
 */
static int cache_load(struct ld_state *s)
{
	struct ld_cache *c = &s->cache;
	struct address_space *file;
	int err;

	c->state = -1;
	file = filemap_open(LD_SO_CACHE, &err);
	if (!file)
		return err == -ENOMEM ? err : 0;
	err = 0;
	c->size = file->size;
	c->data = c->size ? malloc(c->size) : NULL;
	if (c->size && !c->data) {
		mapping_put(file);
		return host_enomem();
	}
	if (c->size && pread(file->fd, c->data, c->size, 0) ==
	    (ssize_t)c->size) {
		c->addr = mmap_mm(s->bprm->mm, file, 0, c->size, PROT_READ,
				  MAP_PRIVATE, 0);
		if (IS_ERR_VALUE(c->addr))
			err = -ENOMEM;
		else if (cache_parse(c))
			c->state = 1;
	}
	mapping_put(file);
	if (err)
		return err;
	if (c->state < 0 && c->addr) {
		do_munmap(s->bprm->mm, c->addr, c->size);
		c->addr = 0;
	}
	return 0;
}

/* cache_libcmp - compare library names, digit runs by their value
 * (glibc's _dl_cache_libcmp, the order of the cache). */
static int cache_libcmp(const char *p1, const char *p2)
{
	while (*p1) {
		bool d1 = *p1 >= '0' && *p1 <= '9';
		bool d2 = *p2 >= '0' && *p2 <= '9';

		if (d1 && d2) {
			uint64_t v1 = 0, v2 = 0;

			while (*p1 >= '0' && *p1 <= '9')
				v1 = v1 * 10 + (uint64_t)(*p1++ - '0');
			while (*p2 >= '0' && *p2 <= '9')
				v2 = v2 * 10 + (uint64_t)(*p2++ - '0');
			if (v1 != v2)
				return v1 < v2 ? -1 : 1;
		} else if (d1 || d2) {
			return d1 ? 1 : -1;
		} else if (*p1 != *p2) {
			return (unsigned char)*p1 - (unsigned char)*p2;
		} else {
			p1++;
			p2++;
		}
	}
	return -(unsigned char)*p2;
}

/* cache_string - the string at index idx of the cache, or NULL if it
 * does not lie (NUL-terminated) inside the file. */
static const char *cache_string(const struct ld_cache *c, uint32_t idx)
{
	uint64_t off = c->strings + idx;

	if (off >= c->size || !memchr(c->data + off, '\0', c->size - off))
		return NULL;
	return c->data + off;
}

/* cache_key / cache_value - the strings of entry i, or NULL. */
static const char *cache_key(const struct ld_cache *c, uint64_t i)
{
	return cache_string(c, cache_u32(c, c->table + i * c->entry_size + 4));
}

static const char *cache_value(const struct ld_cache *c, uint64_t i)
{
	return cache_string(c, cache_u32(c, c->table + i * c->entry_size + 8));
}

/* cache_entry_ok - may rtld use entry i: flags of this machine's libc6
 * (_dl_cache_check_flags; i386 also takes plain ELF), and no hwcap
 * subdirectory but tls/ (glibc-hwcaps and legacy hwcaps not modelled)? */
static bool cache_entry_ok(struct ld_state *s, uint32_t i)
{
	const struct ld_cache *c = &s->cache;
	uint64_t e = c->table + (uint64_t)i * c->entry_size, hwcap = 0;
	int32_t flags = (int32_t)cache_u32(c, e);

	if (c->entry_size == 24)
		memcpy(&hwcap, c->data + e + 16, sizeof(hwcap));
	if (flags != s->abi->cache_id &&
	    !(s->abi == &abi32 && flags == FLAG_ELF))
		return false;
	return !(hwcap & ~CACHE_HWCAP_TLS);
}

/*
 * cache_lookup - the path the cache gives for name, or NULL (glibc's
 * search_cache: the entries are sorted by cache_libcmp in descending
 * order; of those named name, the first rtld may use).
 */
static const char *cache_lookup(struct ld_state *s, const char *name)
{
	const struct ld_cache *c = &s->cache;
	int64_t left = 0, right = (int64_t)c->nlibs - 1, mid = 0;

	while (left <= right) {
		const char *key;
		int cmp;

		mid = (left + right) / 2;
		key = cache_key(c, (uint64_t)mid);
		if (!key)
			return NULL;
		cmp = cache_libcmp(name, key);
		if (cmp < 0)
			left = mid + 1;
		else if (cmp > 0)
			right = mid - 1;
		else
			break;
	}
	if (left > right)
		return NULL;
	while (mid > 0) {
		const char *key = cache_key(c, (uint64_t)(mid - 1));

		if (!key || cache_libcmp(name, key))
			break;
		mid--;
	}
	for (; mid < c->nlibs; mid++) {
		const char *key = cache_key(c, (uint64_t)mid);
		const char *value = cache_value(c, (uint64_t)mid);

		if (!key || cache_libcmp(name, key))
			break;
		if (value && cache_entry_ok(s, (uint32_t)mid))
			return value;
	}
	return NULL;
}

/* in_system_dirs - does path lie in one of the system directories? */
static bool in_system_dirs(struct ld_state *s, const char *path)
{
	const char *const *d;

	for (d = s->abi->system_dirs; *d; d++)
		if (!strncmp(path, *d, strlen(*d)))
			return true;
	return false;
}

/* search_cache - name through /etc/ld.so.cache (loaded on first use);
 * with DF_1_NODEFLIB, not from the system directories.  As open_verify. */
static int search_cache(struct ld_state *s, const struct ld_object *loader,
			const char *name, struct ld_found *f)
{
	const char *path;
	int err;

	if (!s->cache.state && (err = cache_load(s)))
		return err;
	if (s->cache.state < 0)
		return 0;
	path = cache_lookup(s, name);
	if (!path || ((loader->flags_1 & DF_1_NODEFLIB) &&
		      in_system_dirs(s, path)))
		return 0;
	return open_verify(s, path, f);
}

/* ---- finding an object ---- */

/* search_rpaths - name in the DT_RPATH of loader, of its loader and so
 * on up, then of the program (the first part of _dl_map_object's search,
 * skipped by the caller when loader has a DT_RUNPATH). */
static int search_rpaths(struct ld_state *s, const struct ld_object *loader,
			 const char *name, struct ld_found *f)
{
	const struct ld_object *l;
	bool did_main = false;
	int ret = 0;

	for (l = loader; !ret && l; l = l->loader) {
		if (!l->rpath)
			continue;
		ret = search_path(s, l, l->rpath, ":", name, f);
		did_main |= l == s->main_map;
	}
	if (!ret && !did_main && s->main_map->rpath)
		ret = search_path(s, s->main_map, s->main_map->rpath, ":",
				  name, f);
	return ret;
}

/*
 * search_library - a name without '/' needed by loader, in rtld's order
 * (_dl_map_object): DT_RPATHs (unless loader has DT_RUNPATH),
 * LD_LIBRARY_PATH, loader's DT_RUNPATH, the cache, the system
 * directories (these two not for a DF_1_NODEFLIB loader).  As
 * open_verify.
 */
static int search_library(struct ld_state *s, const struct ld_object *loader,
			  const char *name, struct ld_found *f)
{
	const char *const *dirs = s->abi->system_dirs;
	int ret = 0, n = 0;

	if (!loader->runpath)
		ret = search_rpaths(s, loader, name, f);
	if (!ret && s->library_path)
		ret = search_path(s, s->main_map, s->library_path, ":;", name,
				  f);
	if (!ret && loader->runpath)
		ret = search_path(s, loader, loader->runpath, ":", name, f);
	if (!ret)
		ret = search_cache(s, loader, name, f);
	if (ret || (loader->flags_1 & DF_1_NODEFLIB))
		return ret;
	while (dirs[n])
		n++;
	return open_path(s, name, dirs, n, f);
}

/* name_match - is name one of l's (glibc's _dl_name_match_p, and the
 * DT_SONAME test of _dl_map_object)? */
static bool name_match(const struct ld_object *l, const char *name)
{
	int i;

	if (l->realname && !strcmp(l->realname, name))
		return true;
	for (i = 0; i < l->nnames; i++)
		if (!strcmp(l->names[i], name))
			return true;
	return l->soname && !strcmp(l->soname, name);
}

/* find_by_name / find_by_file - the loaded object name or file (the same
 * inode: filemap shares one object per inode) is, or NULL. */
static struct ld_object *find_by_name(struct ld_state *s, const char *name)
{
	int i;

	for (i = 0; i < s->nmap; i++)
		if (name_match(s->map[i], name))
			return s->map[i];
	return NULL;
}

static struct ld_object *find_by_file(struct ld_state *s,
				      const struct address_space *file)
{
	int i;

	for (i = 0; i < s->nmap; i++)
		if (s->map[i]->ei->file == file)
			return s->map[i];
	return NULL;
}

/* ---- the dynamic section ---- */

/* vaddr_to_offset - the file offset of len bytes at vaddr, from the
 * PT_LOAD holding them in its file part; -ENOEXEC if none does. */
static int vaddr_to_offset(const struct elf_info *ei, uint64_t vaddr,
			   uint64_t len, uint64_t *off)
{
	int i;

	for (i = 0; i < ei->e_phnum; i++) {
		const struct elf_phdr *p = &ei->phdr[i];

		if (p->p_type == PT_LOAD && vaddr >= p->p_vaddr &&
		    vaddr - p->p_vaddr <= p->p_filesz &&
		    len <= p->p_filesz - (vaddr - p->p_vaddr)) {
			*off = p->p_offset + (vaddr - p->p_vaddr);
			return 0;
		}
	}
	return -ENOEXEC;
}

/* find_phdr - the last program header of type (as rtld keeps the last),
 * or NULL. */
static const struct elf_phdr *find_phdr(const struct elf_info *ei,
					uint32_t type)
{
	const struct elf_phdr *found = NULL;
	int i;

	for (i = 0; i < ei->e_phnum; i++)
		if (ei->phdr[i].p_type == type)
			found = &ei->phdr[i];
	return found;
}

/* The entries of PT_DYNAMIC that loading uses (the DT_ indices of
 * glibc's l_info); string values are DT_STRTAB offsets. */
struct ld_dyn {
	uint64_t strtab, strsz, soname, rpath, runpath, flags_1;
	bool has_strtab, has_soname, has_rpath, has_runpath;
};

/* dyn_entry - fold one (tag, value) into d; DT_NEEDED offsets appended
 * to l. 0 or -ENOMEM. */
static int dyn_entry(struct ld_object *l, struct ld_dyn *d, int64_t tag,
		     uint64_t val)
{
	uint64_t *nv;

	switch (tag) {
	case DT_NEEDED:
		nv = realloc(l->needed, (size_t)(l->nneeded + 1) * sizeof(*nv));
		if (!nv)
			return host_enomem();
		l->needed = nv;
		nv[l->nneeded++] = val;
		break;
	case DT_STRTAB:
		d->strtab = val;
		d->has_strtab = true;
		break;
	case DT_STRSZ:
		d->strsz = val;
		break;
	case DT_SONAME:
		d->soname = val;
		d->has_soname = true;
		break;
	case DT_RPATH:
		d->rpath = val;
		d->has_rpath = true;
		break;
	case DT_RUNPATH:
		d->runpath = val;
		d->has_runpath = true;
		break;
	case DT_FLAGS_1:
		d->flags_1 = val;
		break;
	}
	return 0;
}

/* read_dyn_entries - the entries of PT_DYNAMIC p up to DT_NULL into d and
 * l->needed. 0, -ENOEXEC (not inside the file), -ENOMEM. */
static int read_dyn_entries(struct ld_state *s, struct ld_object *l,
			    const struct elf_phdr *p, struct ld_dyn *d)
{
	size_t esz = 2 * s->bprm->ws, n = p->p_filesz / esz, i;
	unsigned int ws = s->bprm->ws;
	unsigned char *raw;
	int err;

	raw = malloc(n ? n * esz : 1);
	if (!raw)
		return host_enomem();
	err = elf_read(l->ei->file, raw, n * esz, p->p_offset) ?
	      object_error(s, l, ENOEXEC, NOT_ELF) : 0;
	for (i = 0; !err && i < n; i++) {
		int64_t tag;
		uint64_t val;

		if (ws == 8) {
			memcpy(&tag, raw + i * esz, 8);
			memcpy(&val, raw + i * esz + 8, 8);
		} else {
			int32_t t32;
			uint32_t v32;

			memcpy(&t32, raw + i * esz, 4);
			memcpy(&v32, raw + i * esz + 4, 4);
			tag = t32;
			val = v32;
		}
		if (tag == DT_NULL)
			break;
		err = dyn_entry(l, d, tag, val);
	}
	free(raw);
	return err;
}

/* dyn_string - the string at offset off of l's string table, or NULL
 * (with *err -ENOEXEC) when it is not one. */
static const char *dyn_string(const struct ld_state *s,
			      const struct ld_object *l, uint64_t off, int *err)
{
	if (off >= l->strsz) {
		*err = object_error(s, l, ENOEXEC, NOT_ELF);
		return NULL;
	}
	return l->strtab + off;
}

/*
 * read_dynamic - what loading needs of l's PT_DYNAMIC (glibc's
 * elf_get_dynamic_info): the string table, DT_NEEDED, DT_SONAME,
 * DT_RPATH (ignored when there is a DT_RUNPATH), DT_RUNPATH, DT_FLAGS_1.
 * An object without PT_DYNAMIC needs nothing.  0, -ENOEXEC, -ENOMEM.
 */
static int read_dynamic(struct ld_state *s, struct ld_object *l)
{
	const struct elf_phdr *p = find_phdr(l->ei, PT_DYNAMIC);
	struct ld_dyn d = { 0 };
	uint64_t off;
	int i, err;

	if (!p)
		return 0;
	err = read_dyn_entries(s, l, p, &d);
	if (err)
		return err;
	if (!d.has_strtab)
		return l->nneeded || d.has_soname || d.has_rpath ||
		       d.has_runpath ? object_error(s, l, ENOEXEC, NOT_ELF) : 0;
	if (d.strsz > l->ei->file->size ||
	    vaddr_to_offset(l->ei, d.strtab, d.strsz, &off))
		return object_error(s, l, ENOEXEC, NOT_ELF);
	l->strtab = malloc(d.strsz + 1);
	if (!l->strtab)
		return host_enomem();
	l->strsz = d.strsz;
	l->strtab[d.strsz] = '\0';
	err = elf_read(l->ei->file, l->strtab, d.strsz, off) ?
	      object_error(s, l, ENOEXEC, NOT_ELF) : 0;
	for (i = 0; !err && i < l->nneeded; i++)
		dyn_string(s, l, l->needed[i], &err);
	if (!err && d.has_soname)
		l->soname = dyn_string(s, l, d.soname, &err);
	if (!err && d.has_runpath)
		l->runpath = dyn_string(s, l, d.runpath, &err);
	else if (!err && d.has_rpath)
		l->rpath = dyn_string(s, l, d.rpath, &err);
	l->flags_1 = d.flags_1;
	return err;
}

/* ---- mapping (dl-map-segments.h) ---- */

/* first_load / last_load - the first and last PT_LOAD (there is one). */
static const struct elf_phdr *first_load(const struct elf_info *ei)
{
	int i;

	for (i = 0; ei->phdr[i].p_type != PT_LOAD; i++)
		;
	return &ei->phdr[i];
}

static const struct elf_phdr *last_load(const struct elf_info *ei)
{
	return find_phdr(ei, PT_LOAD);
}

/* mapstart / mapend - the page range of a segment's file part (the
 * fields of glibc's struct loadcmd). */
static uint64_t mapstart(const struct elf_phdr *c)
{
	return c->p_vaddr & PAGE_MASK;
}

static uint64_t mapend(const struct elf_phdr *c)
{
	return PAGE_ALIGN(c->p_vaddr + c->p_filesz);
}

/* has_holes - is there a page between two consecutive segments? */
static bool has_holes(const struct elf_info *ei)
{
	const struct elf_phdr *prev = NULL;
	int i;

	for (i = 0; i < ei->e_phnum; i++) {
		const struct elf_phdr *c = &ei->phdr[i];

		if (c->p_type != PT_LOAD)
			continue;
		if (prev && mapend(prev) != mapstart(c))
			return true;
		prev = c;
	}
	return false;
}

/*
 * dl_map_segment - the reservation of a whole library (glibc's
 * _dl_map_segment): maplength bytes of the file from the first segment's
 * page, with its protections, wherever mmap puts them; for p_align above
 * a page, inside a larger PROT_NONE anonymous mapping whose excess on
 * both sides is unmapped again.  The address or -errno.
 */
static uint64_t dl_map_segment(struct mm_struct *mm, const struct elf_info *ei,
			       const struct elf_phdr *c, uint64_t maplength)
{
	unsigned long prot = make_prot(c->p_flags);
	uint64_t align = maximum_alignment(ei);
	uint64_t pgoff = c->p_offset >> PAGE_SHIFT, maplen, start, aligned, end;

	if (align <= PAGE_SIZE)
		return mmap_mm(mm, ei->file, 0, maplength, prot, MAP_PRIVATE,
			       pgoff);
	maplen = maplength >= align ? maplength + align : 2 * align;
	start = mmap_mm(mm, NULL, 0, maplen, PROT_NONE,
			MAP_PRIVATE | MAP_ANONYMOUS, 0);
	if (IS_ERR_VALUE(start))
		return start;
	aligned = (start + align - 1) & ~(align - 1);
	aligned = mmap_mm(mm, ei->file, aligned, maplength, prot,
			  MAP_PRIVATE | MAP_FIXED, pgoff);
	if (IS_ERR_VALUE(aligned))
		return aligned;
	end = PAGE_ALIGN(aligned + maplength);
	if ((aligned > start && do_munmap(mm, start, aligned - start)) ||
	    (PAGE_ALIGN(start + maplen) > end &&
	     do_munmap(mm, end, PAGE_ALIGN(start + maplen) - end)))
		return (uint64_t)-ENOMEM;
	return aligned;
}

/*
 * zero_fill - the part of segment c past its file data (the postmap step
 * of _dl_map_segments): the rest of the last file page cleared (made
 * writable for the moment if the segment is not), whole pages beyond it
 * anonymous.  0 or -ENOMEM.
 */
static int zero_fill(struct ld_state *s, const struct ld_object *l,
		     const struct elf_phdr *c)
{
	static const char zeros[PAGE_SIZE];
	struct linux_binprm *bprm = s->bprm;
	unsigned long prot = make_prot(c->p_flags);
	uint64_t zero = l->l_addr + c->p_vaddr + c->p_filesz;
	uint64_t zeroend = l->l_addr + c->p_vaddr + c->p_memsz;
	uint64_t zeropage = MIN(PAGE_ALIGN(zero), zeroend), map;
	uint64_t page = zero & PAGE_MASK;
	int err = 0;

	if (zeropage > zero) {
		if (!(prot & PROT_WRITE))
			err = mprotect_mm(bprm->mm, page, PAGE_SIZE,
					  prot | PROT_WRITE);
		if (!err)
			err = bprm_write(bprm, zero, zeros, zeropage - zero);
		if (!err && !(prot & PROT_WRITE))
			mprotect_mm(bprm->mm, page, PAGE_SIZE, prot);
		if (err)
			return map_failed(s, l);
	}
	if (zeroend > zeropage) {
		map = mmap_mm(bprm->mm, NULL, zeropage, zeroend - zeropage,
			      prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0);
		if (IS_ERR_VALUE(map))
			return map_failed(s, l);
	}
	return 0;
}

/*
 * dl_map_segments - map library l (glibc's _dl_map_segments for ET_DYN):
 * the reservation, the PROT_NONE hole from the end of the first
 * segment's file pages to the start of the last segment, then each later
 * segment over it at its place, each segment's zero fill.  Sets l_addr.
 * 0 or -ENOMEM.
 */
static int dl_map_segments(struct ld_state *s, struct ld_object *l)
{
	struct linux_binprm *bprm = s->bprm;
	const struct elf_info *ei = l->ei;
	const struct elf_phdr *first = first_load(ei), *last = last_load(ei);
	uint64_t map;
	int i, err;

	map = dl_map_segment(bprm->mm, ei, first, total_mapping_size(ei));
	if (IS_ERR_VALUE(map))
		return map_failed(s, l);
	l->l_addr = map - mapstart(first);
	if (has_holes(ei) &&
	    mprotect_mm(bprm->mm, l->l_addr + mapend(first),
			mapstart(last) - mapend(first), PROT_NONE))
		return map_failed(s, l);
	for (i = 0; i < ei->e_phnum; i++) {
		const struct elf_phdr *c = &ei->phdr[i];

		if (c->p_type != PT_LOAD)
			continue;
		if (c != first && mapend(c) > mapstart(c)) {
			map = mmap_mm(bprm->mm, ei->file,
				      l->l_addr + mapstart(c),
				      mapend(c) - mapstart(c),
				      make_prot(c->p_flags),
				      MAP_PRIVATE | MAP_FIXED,
				      c->p_offset >> PAGE_SHIFT);
			if (IS_ERR_VALUE(map))
				return map_failed(s, l);
		}
		if (c->p_memsz > c->p_filesz) {
			err = zero_fill(s, l, c);
			if (err)
				return err;
		}
	}
	return 0;
}

/* dl_protect_relro - make l's PT_GNU_RELRO read-only, whole pages only
 * (glibc's _dl_protect_relro). 0 or -ENOMEM. */
static int dl_protect_relro(struct ld_state *s, const struct ld_object *l)
{
	const struct elf_phdr *p = find_phdr(l->ei, PT_GNU_RELRO);
	uint64_t start, end;

	if (!p || !p->p_memsz)
		return 0;
	start = (l->l_addr + p->p_vaddr) & PAGE_MASK;
	end = (l->l_addr + p->p_vaddr + p->p_memsz) & PAGE_MASK;
	if (end > start &&
	    mprotect_mm(s->bprm->mm, start, end - start, PROT_READ))
		return map_failed(s, l);
	return 0;
}

/* ---- the link map ---- */

/* new_object - an object for ei (taken over if own) opened as realname,
 * appended to the link map.  NULL on ENOMEM (ei released if own). */
static struct ld_object *new_object(struct ld_state *s, struct elf_info *ei,
				    bool own, const char *realname,
				    struct ld_object *loader)
{
	struct ld_object *l = calloc(1, sizeof(*l)), **nm;

	if (l && s->nmap == s->maxmap) {
		nm = realloc(s->map, (size_t)(2 * s->maxmap + 4) * sizeof(*nm));
		if (nm) {
			s->map = nm;
			s->maxmap = 2 * s->maxmap + 4;
		} else {
			free(l);
			l = NULL;
		}
	}
	if (!l) {
		if (own)
			elf_free_info(ei);
		host_enomem();
		return NULL;
	}
	if (own) {
		l->own = *ei;
		memset(ei, 0, sizeof(*ei));
		l->ei = &l->own;
	} else {
		l->ei = ei;
	}
	l->loader = loader;
	s->map[s->nmap++] = l;
	l->realname = strdup(realname);
	l->origin = dirname_of(realname);
	if (!l->realname || !l->origin) {
		host_enomem();
		return NULL;
	}
	return l;
}

static void free_object(struct ld_object *l)
{
	elf_free_info(&l->own);
	free(l->realname);
	free(l->origin);
	str_list_free(l->names, l->nnames);
	free(l->strtab);
	free(l->needed);
	free(l);
}

/* find_file - look for name needed by loader: a path (with '/') as it
 * is, else the search.  1 with f filled, 0 not found, -errno. */
static int find_file(struct ld_state *s, struct ld_object *loader,
		     const char *name, struct ld_found *f)
{
	if (strchr(name, '/'))
		return open_verify(s, name, f);
	return search_library(s, loader, name, f);
}

/* load_new - map the library f found for name (the second half of
 * _dl_map_object_from_fd): it must be a shared object (ET_DYN, not a PIE
 * program) with a PT_DYNAMIC.  The object, or NULL with *err. */
static struct ld_object *load_new(struct ld_state *s, struct ld_object *loader,
				  const char *name, struct ld_found *f,
				  int *err)
{
	struct ld_object *l;

	if (f->ei.e_type != ET_DYN || !find_phdr(&f->ei, PT_DYNAMIC)) {
		elf_free_info(&f->ei);
		*err = library_error(s, f->realname, ENOEXEC,
				     "not a shared object");
		return NULL;
	}
	l = new_object(s, &f->ei, true, f->realname, loader);
	*err = -ENOMEM;
	if (!l || (*err = str_list_add(&l->names, &l->nnames, name)))
		return NULL;
	*err = read_dynamic(s, l);
	if (!*err && (l->flags_1 & DF_1_PIE))
		*err = object_error(s, l, ENOEXEC, "a program, not a shared "
				    "object");
	if (!*err)
		*err = dl_map_segments(s, l);
	return *err ? NULL : l;
}

/*
 * map_object - the object for a name loader needs (glibc's
 * _dl_map_object): one loaded already under that name or soname, or
 * whose file the search finds; else the found file, mapped.  NULL with
 * *err: -ENOENT (nowhere), -ENOEXEC (only ELF files of another machine,
 * or a file that cannot be loaded), -ENOMEM.
 */
static struct ld_object *map_object(struct ld_state *s,
				    struct ld_object *loader, const char *name,
				    int *err)
{
	struct ld_found f = { 0 };
	struct ld_object *l = find_by_name(s, name);
	int ret;

	if (l)
		return l;
	ret = find_file(s, loader, name, &f);
	if (ret < 0) {
		*err = ret;
		return NULL;
	}
	if (!ret) {
		*err = f.other_class ? library_error(s, name, ENOEXEC, NOT_ELF) :
				       library_error(s, name, ENOENT,
						     "no such file");
		return NULL;
	}
	l = find_by_file(s, f.ei.file);
	if (l) {
		elf_free_info(&f.ei);
		*err = str_list_add(&l->names, &l->nnames, name);
	} else {
		l = load_new(s, loader, name, &f, err);
	}
	free(f.realname);
	return *err ? NULL : l;
}

/* enqueue - add l to the end of the search list unless it is in it.
 * 0 or -ENOMEM. */
static int enqueue(struct ld_state *s, struct ld_object *l)
{
	struct ld_object **nl;

	if (l->queued)
		return 0;
	if (s->nlist == s->maxlist) {
		nl = realloc(s->list,
			     (size_t)(2 * s->maxlist + 4) * sizeof(*nl));
		if (!nl)
			return host_enomem();
		s->list = nl;
		s->maxlist = 2 * s->maxlist + 4;
	}
	l->queued = true;
	s->list[s->nlist++] = l;
	return 0;
}

/*
 * map_object_deps - load the dependencies of everything in the search
 * list, breadth first (glibc's _dl_map_object_deps): each object's
 * DT_NEEDED in order, names with DSTs expanded for that object, every
 * object appended to the list the first time it is needed.
 */
static int map_object_deps(struct ld_state *s)
{
	int i, j, err = 0;

	for (i = 0; !err && i < s->nlist; i++) {
		struct ld_object *l = s->list[i];

		for (j = 0; !err && j < l->nneeded; j++) {
			char *name = expand_dst(s, l, l->strtab + l->needed[j]);
			struct ld_object *dep;

			if (!name)
				return host_enomem();
			dep = map_object(s, l, name, &err);
			free(name);
			if (dep)
				err = enqueue(s, dep);
		}
	}
	return err;
}

/* program_origin - where $ORIGIN points for the program: the directory
 * of the file with symbolic links resolved (rtld reads /proc/self/exe). */
static char *program_origin(const char *path)
{
	char *real = realpath(path, NULL), *dir;

	if (!real)
		return dirname_of(path);
	dir = dirname_of(real);
	free(real);
	return dir;
}

/* library_path - the value of the last LD_LIBRARY_PATH of the new
 * environment, NULL when unset or empty (rtld's process_envvars). */
static const char *library_path(const struct linux_binprm *bprm)
{
	const char *v = NULL;
	int i;

	for (i = 0; i < bprm->envc; i++)
		if (!strncmp(bprm->envp[i], "LD_LIBRARY_PATH=", 16))
			v = bprm->envp[i] + 16;
	return v && *v ? v : NULL;
}

/*
 * ld_init - the link map as rtld starts it (dl_main): the program
 * (l_name "", $ORIGIN its directory), then rtld itself named by the
 * PT_INTERP path; both with their dynamic sections read.  The program
 * starts the search list.  0 or -errno.
 */
static int ld_init(struct ld_state *s, struct linux_binprm *bprm)
{
	int err;

	s->bprm = bprm;
	s->abi = bprm->ws == 8 ? &abi64 : &abi32;
	s->library_path = library_path(bprm);
	s->main_map = new_object(s, &bprm->ex, false, "", NULL);
	if (!s->main_map)
		return -ENOMEM;
	free(s->main_map->origin);
	s->main_map->origin = program_origin(bprm->a->path);
	s->main_map->l_addr = bprm->ex.load_bias;
	s->rtld_map = new_object(s, &bprm->interp, false, bprm->interp_path,
				 NULL);
	if (!s->rtld_map)
		return -ENOMEM;
	if (!s->main_map->origin)
		return host_enomem();
	s->rtld_map->l_addr = bprm->interp.load_bias;
	err = read_dynamic(s, s->main_map);
	if (!err)
		err = read_dynamic(s, s->rtld_map);
	return err;
}

/* ld_free - the state's memory and its references to files. */
static void ld_free(struct ld_state *s)
{
	int i;

	for (i = 0; i < s->nmap; i++)
		free_object(s->map[i]);
	free(s->map);
	free(s->list);
	free(s->cache.data);
}

/* protect_relro_all - every object's RELRO, the program's and rtld's
 * too (rtld protects its own after relocating the rest). */
static int protect_relro_all(struct ld_state *s)
{
	int i, err = 0;

	for (i = 0; !err && i < s->nmap; i++)
		err = dl_protect_relro(s, s->map[i]);
	return err;
}

/* link_needed - see elf.h.  Only for a program with an interpreter:
 * without one, no ld.so runs. */
int link_needed(struct linux_binprm *bprm)
{
	struct ld_state s;
	int err;

	if (!bprm->ex.interp)
		return 0;
	memset(&s, 0, sizeof(s));
	err = ld_init(&s, bprm);
	if (!err)
		err = enqueue(&s, s.main_map);
	if (!err)
		err = map_object_deps(&s);
	if (!err)
		err = protect_relro_all(&s);
	if (!err && s.cache.addr && do_munmap(bprm->mm, s.cache.addr,
					      s.cache.size))
		err = -ENOMEM;
	ld_free(&s);
	return err;
}
