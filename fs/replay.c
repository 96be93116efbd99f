/*
 * replay.c - the ctl command `replay [--map] [--frames N] [--policy P]
 * FILE [lackey|simple]`: an access trace (valgrind lackey's --trace-mem
 * output, or one R|W|X ADDR per line) run as the process's own user-mode
 * accesses, through its CPU's TLB and MMU, with faults (mm/uaccess.c,
 * user_access_batch).  --frames runs it in a fresh memory group of N
 * frames below the process's own, --policy under a replacement policy
 * (the machine's is restored after); opt knows the future from the
 * trace itself, gathered in the first pass.
 *
 * The file is read twice, a chunk of whole lines at a time, so host
 * memory stays bounded whatever the trace's size.  The first pass checks
 * every line, so a malformed trace runs nothing; with --map it also
 * gathers the pages the trace touches, which are then mapped where
 * nothing is.  The second pass parses the lines again into batches of
 * accesses that the kernel runs.  Both passes parse by hand, lackey's
 * usual lines on a path that reads eight hex digits at once: the parser
 * must not be what limits a replay.
 */
#define _GNU_SOURCE		/* memrchr, rawmemchr */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "fs.h"
#include "ctl.h"
#include "parse.h"
#include "mm/memcontrol.h"
#include "mm/mm.h"
#include "mm/replace.h"
#include "mm/swap.h"
#include "mm/vma.h"
#include "kernel/time.h"

#define TRACE_CHUNK	(256 * 1024)	/* bytes of text parsed at a time */
#define TRACE_PAD	16		/* readable bytes after a chunk's end */
#define REPLAY_BATCH	4096		/* accesses run at a time */
#define MAP_MAX_PAGES	(16ULL << 20)	/* pages --map may gather (64 GiB) */
#define OPT_MAX_REFS	(8ULL << 20)	/* references opt keeps (128 MiB) */
#define RECENT_PAGES	256		/* the filter of pages seen lately */
#define NOT_HEX		0xff

enum trace_format { TRACE_UNKNOWN, TRACE_LACKEY, TRACE_SIMPLE };

/* The trace file, read a chunk of whole lines at a time. */
struct trace_file {
	int fd;
	char *buf;		/* TRACE_CHUNK + 1 bytes (the 1: a '\n' the
				 * file may lack), then TRACE_PAD zeroes */
	size_t tail;		/* where the unfinished line of the chunk starts */
	size_t len;		/* bytes in buf */
	bool eof;
};

/* The pages a trace touches (--map): page numbers, sorted and unique up
 * to `sorted`, appended after; recent filters out the pages seen lately. */
struct page_set {
	uint64_t *vpn;
	size_t n, sorted, cap;
	uint64_t recent[RECENT_PAGES];
};

/* The ranges --map added, to take back if it fails. */
struct map_list {
	uint64_t (*range)[2];	/* start, end */
	size_t n, cap;
};

/* The future of the trace for opt: every (page, reference index) pair,
 * gathered in the first pass, then sorted by page: the references to
 * page[k] are pos[first[k]] .. pos[first[k + 1] - 1], in order. */
struct opt_future {
	uint64_t (*pair)[2];	/* vpn, position */
	size_t n, cap;
	uint64_t refs;		/* references seen so far */
	uint64_t *page, *first, *pos;
	size_t npages;
	struct mm_struct *mm;	/* the replaying process's */
	uint64_t start;		/* user_ops_done when the run started */
};

/* One replay under way. */
struct replay {
	struct ctx *c;
	const char *path;
	enum trace_format format;
	bool map;		/* --map */
	bool run;		/* the second pass: the accesses run */
	struct trace_file f;
	unsigned long line;	/* the number of the line being parsed */
	struct user_op ops[REPLAY_BATCH];
	unsigned long lines[REPLAY_BATCH];	/* the line of each op */
	size_t n;		/* ops queued */
	struct page_set pages;
	struct access_stats st;
	uint64_t ns;		/* the simulated time the accesses took */
	uint64_t frames;	/* --frames N, 0 without */
	int policy;		/* --policy, -1 without */
	struct opt_future opt;
};

/* ---- reading ---- */

/* open_trace - open the trace file into r->f, which must be a regular
 * file (a FIFO would block the daemon, /dev/zero would never end a line).
 * 0, or -ENOENT, -EACCES or -ENOMEM with the reason. */
static int open_trace(struct replay *r)
{
	struct ctx *c = r->c;
	struct stat st;
	int fd = open(r->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	r->f.fd = fd;
	if (fd < 0)
		return fail(c, errno == ENOENT ? ENOENT : EACCES, "%s: %s",
			    r->path, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		return fail(c, EACCES, "%s: not a regular file", r->path);
	r->f.buf = calloc(1, TRACE_CHUNK + 1 + TRACE_PAD);
	return r->f.buf ? 0 : fail(c, ENOMEM, "out of host memory");
}

/* rewind_trace - start reading the file again from its first line.
 * 0, or -EACCES with the reason. */
static int rewind_trace(struct replay *r)
{
	r->f.tail = r->f.len = 0;
	r->f.eof = false;
	r->line = 0;
	if (lseek(r->f.fd, 0, SEEK_SET) < 0)
		return fail(r->c, EACCES, "%s: %s", r->path, strerror(errno));
	return 0;
}

/* fill_chunk - keep the unfinished line of the last chunk and read more
 * after it, until the buffer is full or the file ends.  0, or -EACCES
 * with the reason. */
static int fill_chunk(struct replay *r)
{
	struct trace_file *f = &r->f;
	ssize_t got;

	f->len -= f->tail;
	memmove(f->buf, f->buf + f->tail, f->len);
	f->tail = 0;
	while (!f->eof && f->len < TRACE_CHUNK) {
		got = read(f->fd, f->buf + f->len, TRACE_CHUNK - f->len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return fail(r->c, EACCES, "%s: %s", r->path,
				    strerror(errno));
		f->eof = got == 0;
		f->len += (size_t)got;
	}
	return 0;
}

/* next_chunk - the next whole lines of the trace, [*start, *end), the
 * last one ending with '\n' (one is added to a last line without it);
 * *start == *end at the end of the file.  0, or -EACCES (a read error)
 * or -EINVAL (a line longer than a chunk) with the reason. */
static int next_chunk(struct replay *r, const char **start,
		      const char **end)
{
	struct trace_file *f = &r->f;
	char *nl;
	int err = fill_chunk(r);

	if (err)
		return err;
	if (f->eof && f->len && f->buf[f->len - 1] != '\n')
		f->buf[f->len++] = '\n';
	nl = memrchr(f->buf, '\n', f->len);
	if (!nl && f->len)
		return fail(r->c, EINVAL, "line %lu: longer than %d KiB",
			    r->line + 1, TRACE_CHUNK / 1024);
	f->tail = nl ? (size_t)(nl + 1 - f->buf) : 0;
	*start = f->buf;
	*end = f->buf + f->tail;
	return 0;
}

/* ---- parsing ---- */

/* The value of each hex digit, NOT_HEX for other bytes. */
static uint8_t hexval[256];

/* init_hexval - fill hexval once. */
static void init_hexval(void)
{
	int i;

	if (hexval['0'] == 0 && hexval['1'] == 1)
		return;
	memset(hexval, NOT_HEX, sizeof(hexval));
	for (i = 0; i < 10; i++)
		hexval['0' + i] = (uint8_t)i;
	for (i = 0; i < 6; i++)
		hexval['a' + i] = hexval['A' + i] = (uint8_t)(10 + i);
}

/* end_of_line - the byte after the '\n' that ends the line at p. */
static inline const char *end_of_line(const char *p)
{
	return (const char *)rawmemchr(p, '\n') + 1;
}

/* parse_hex - the hex number at *p (an optional 0x, then 1 or more
 * digits), *p moved past it; false if there is none or it overflows. */
static inline bool parse_hex(const char **p, uint64_t *v)
{
	const unsigned char *s = (const unsigned char *)*p;
	uint64_t n = 0;
	uint8_t d;

	if (s[0] == '0' && (s[1] | 0x20) == 'x')
		s += 2;
	d = hexval[*s];
	if (d == NOT_HEX)
		return false;
	do {
		if (n >> 60)
			return false;
		n = n << 4 | d;
		d = hexval[*++s];
	} while (d != NOT_HEX);
	*p = (const char *)s;
	*v = n;
	return true;
}

/* load_le32 - the 4 bytes at s, s[0] in the low byte. */
static inline uint32_t load_le32(const unsigned char *s)
{
	uint32_t w;

	memcpy(&w, s, sizeof(w));
	return le32toh(w);
}

#define BYTES(b)	(0x0101010101010101ULL * (b))	/* b in every byte */

/* hex8 - the 8 hex digits at s as a number, through the bytes of one
 * 64-bit word (SWAR: a digit is 0-9, a-f or A-F; its value is its low
 * nibble, plus 9 for a letter); false unless all 8 are hex digits. */
static inline bool hex8(const unsigned char *s, uint64_t *v)
{
	uint64_t x, y, digit, letter, n;

	memcpy(&x, s, sizeof(x));
	x = le64toh(x);			/* s[0] in the low byte */
	y = x | BYTES(0x20);		/* letters in lower case */
	digit = (x + BYTES(0x80 - 0x30)) & ~(x + BYTES(0x80 - 0x3a));
	letter = (y + BYTES(0x80 - 0x61)) & ~(y + BYTES(0x80 - 0x67));
	if (((digit | letter) & BYTES(0x80) & ~x) != BYTES(0x80))
		return false;		/* also a byte >= 0x80 */
	n = (x & BYTES(0x0f)) + 9 * ((x >> 6) & BYTES(1));
	n = ((n << 4) | (n >> 8)) & 0x00ff00ff00ff00ffULL;
	n = ((n << 8) | (n >> 16)) & 0x0000ffff0000ffffULL;
	*v = ((n << 16) | (n >> 32)) & 0xffffffffULL;
	return true;
}

/* parse_size - the decimal size at *p (1 or more digits), *p moved past
 * it, capped at a page (an access touches at most two). */
static inline bool parse_size(const char **p, uint32_t *len)
{
	const char *s = *p;
	uint64_t n = 0;

	if ((unsigned char)(*s - '0') > 9)
		return false;
	do {
		n = n * 10 + (uint64_t)(*s++ - '0');
		n = MIN(n, PAGE_SIZE);
	} while ((unsigned char)(*s - '0') <= 9);
	*p = s;
	*len = (uint32_t)n;
	return true;
}

/* The accesses of a lackey line, by the letter of its kind: how many,
 * and their ACC_* (M: a load, then a store); n is 0 for other bytes. */
struct lackey_kind {
	uint8_t n;
	uint8_t acc[2];
};
static const struct lackey_kind lackey_kinds[256] = {
	['I'] = { 1, { ACC_FETCH, 0 } },
	['L'] = { 1, { ACC_READ, 0 } },
	['S'] = { 1, { ACC_WRITE, 0 } },
	['M'] = { 2, { ACC_READ, ACC_WRITE } },
};

/* lackey_ops - the ops of a line of kind k at va: op[0], and op[1] when
 * k has two.  Returns k's count. */
static inline int lackey_ops(const struct lackey_kind *k, uint64_t va,
			     uint32_t len, struct user_op *op)
{
	op[0] = (struct user_op){ va, len, k->acc[0] };
	if (unlikely(k->n == 2))
		op[1] = (struct user_op){ va, len, k->acc[1] };
	return k->n;
}

/*
 * parse_lackey_slow - one line of lackey text at p, ending with '\n', in
 * every form parse_lackey accepts: "I", or a blank and I, L, S or M; one
 * or more blanks; a hex address with an optional 0x; a comma; a decimal
 * size; then the end of the line (CRLF too), or a blank and anything.
 * Valgrind's "==" lines and empty lines hold no access.  Returns as
 * parse_lackey.
 */
static int parse_lackey_slow(const char *p, const char **next,
			     struct user_op *op)
{
	const struct lackey_kind *k;
	uint64_t va;
	uint32_t len;

	*next = end_of_line(p);
	if (*p == '\n' || (p[0] == '=' && p[1] == '='))
		return 0;
	if (p[0] == 'I')
		k = &lackey_kinds['I'], p++;
	else if (p[0] == ' ')
		k = &lackey_kinds[(unsigned char)p[1]], p += 2;
	else
		return -1;
	if (!k->n || *p != ' ')
		return -1;
	while (*p == ' ')
		p++;
	if (!parse_hex(&p, &va) || *p++ != ',' || !parse_size(&p, &len))
		return -1;
	if (*p == '\r')
		p++;
	if (*p != '\n' && *p != ' ' && *p != '\t')
		return -1;
	return lackey_ops(k, va, len, op);
}

/*
 * parse_lackey - one line of lackey text at p, ending with '\n' (the
 * buffer holds 8 readable bytes past it): "I  0400d7d4,8", " L
 * 04222cac,8", " S ...", " M ..." and the other forms parse_lackey_slow
 * describes.  Writes the line's accesses to op[0..2) and returns their
 * count (0 for a line without any), or -1 if the line is malformed; *next
 * is the next line.  The form valgrind writes (a kind, blanks up to
 * column 3, 8 or more hex digits, a size of 1 or 2 digits) takes a path
 * without a loop over the address; parse_lackey_slow takes the rest.
 */
static inline int parse_lackey(const char *p, const char **next,
			       struct user_op *op)
{
	const unsigned char *s = (const unsigned char *)p;
	uint32_t w = load_le32(s);
	bool fetch = (w & 0xffffff) == ('I' | ' ' << 8 | ' ' << 16);
	bool blank = (w & 0xff00ff) == (' ' | ' ' << 16);
	const struct lackey_kind *k = &lackey_kinds[fetch ? 'I' : s[1]];
	unsigned int d1, d2, two;
	uint64_t va;

	if (unlikely(!(fetch | blank) || !k->n))
		return parse_lackey_slow(p, next, op);
	if (unlikely(!hex8(s + 3, &va)))
		return parse_lackey_slow(p, next, op);
	s += 11;
	if (*s != ',')		/* more than 8 digits */
		for (; hexval[*s] != NOT_HEX && !(va >> 60); s++)
			va = va << 4 | hexval[*s];
	d1 = (unsigned int)(s[1] - '0');
	d2 = (unsigned int)(s[2] - '0');
	two = s[2] != '\n';
	if (unlikely(s[0] != ',' || d1 > 9 ||
		     (two && (d2 > 9 || s[3] != '\n'))))
		return parse_lackey_slow(p, next, op);
	*next = (const char *)s + 3 + two;
	return lackey_ops(k, va, two ? d1 * 10 + d2 : d1, op);
}

/* is_blank - a blank of the simple format (the end of a token). */
static inline bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

/*
 * parse_simple - one line of the simple format at p, ending with '\n':
 * blanks, R, W or X, blanks, an address in the ctl language's number
 * syntax, then anything after a blank; blank lines and lines starting
 * with '#' hold no access.  As parse_lackey: 1, 0 or -1, and *next.
 */
static int parse_simple(const char *p, const char **next, struct user_op *op)
{
	static const char kinds[] = "RWX";
	static const unsigned int acc[] = { ACC_READ, ACC_WRITE, ACC_FETCH };
	const char *kind, *tok;
	char num[64];
	uint64_t va;

	*next = end_of_line(p);
	if (*p == '#')
		return 0;
	while (is_blank(*p))
		p++;
	if (*p == '\n')
		return 0;
	kind = strchr(kinds, *p);
	if (!*p || !kind || !is_blank(*++p))
		return -1;
	while (is_blank(*p))
		p++;
	for (tok = p; !is_blank(*p) && *p != '\n'; p++)
		;
	if (p - tok >= (long)sizeof(num))
		return -1;
	memcpy(num, tok, (size_t)(p - tok));
	num[p - tok] = '\0';
	if (!parse_num(num, &va))
		return -1;
	*op = (struct user_op){ va, 1, acc[kind - kinds] };
	return 1;
}

/* detect_format - the format of a trace whose first line with content is
 * at p: lackey if it starts with 'I' or a blank, else simple.  Lines
 * before it (empty, or valgrind's "==") leave it unknown. */
static enum trace_format detect_format(const char *p)
{
	if (*p == '\n' || (p[0] == '=' && p[1] == '='))
		return TRACE_UNKNOWN;
	return *p == 'I' || *p == ' ' ? TRACE_LACKEY : TRACE_SIMPLE;
}

/* ---- the pages of --map ---- */

/* cmp_u64 - qsort's order of page numbers. */
static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* pages_compact - sort the page numbers and drop the repeats. */
static void pages_compact(struct page_set *ps)
{
	size_t i, n = 0;

	if (ps->sorted == ps->n)
		return;
	qsort(ps->vpn, ps->n, sizeof(*ps->vpn), cmp_u64);
	for (i = 0; i < ps->n; i++)
		if (!n || ps->vpn[i] != ps->vpn[n - 1])
			ps->vpn[n++] = ps->vpn[i];
	ps->n = ps->sorted = n;
}

/* pages_make_room - room for one more page number: the set compacted,
 * grown when that leaves it over half full.  0, or -ENOMEM with the
 * reason (host memory, or more than MAP_MAX_PAGES pages). */
static int pages_make_room(struct replay *r)
{
	struct page_set *ps = &r->pages;
	size_t cap = ps->cap ? ps->cap * 2 : 4096;
	uint64_t *grown;

	pages_compact(ps);
	if (ps->n < ps->cap / 2)
		return 0;
	if (ps->n >= MAP_MAX_PAGES)
		return fail(r->c, ENOMEM, "--map: the trace touches more than "
			    "%llu pages", MAP_MAX_PAGES);
	grown = realloc(ps->vpn, cap * sizeof(*grown));
	if (!grown)
		return fail(r->c, ENOMEM, "out of host memory");
	ps->vpn = grown;
	ps->cap = cap;
	return 0;
}

/* pages_add - note that the trace touches page vpn.  0 or -ENOMEM. */
static inline int pages_add(struct replay *r, uint64_t vpn)
{
	struct page_set *ps = &r->pages;
	uint64_t *slot = &ps->recent[vpn % RECENT_PAGES];
	int err;

	if (*slot == vpn)
		return 0;
	*slot = vpn;
	if (ps->n == ps->cap && (err = pages_make_room(r)))
		return err;
	ps->vpn[ps->n++] = vpn;
	return 0;
}

/* note_pages - the pages of the queued ops, into the page set (the
 * first byte's and the last byte's of each).  0 or -ENOMEM. */
static int note_pages(struct replay *r)
{
	size_t i;
	int err = 0;

	for (i = 0; i < r->n && !err; i++) {
		const struct user_op *op = &r->ops[i];
		uint64_t last = op->va + (op->len ? op->len - 1 : 0);

		err = pages_add(r, op->va >> PAGE_SHIFT);
		if (unlikely((last ^ op->va) >= PAGE_SIZE) && !err &&
		    last > op->va)
			err = pages_add(r, last >> PAGE_SHIFT);
	}
	return err;
}

/* map_gap - map [start, end), where no vma is, as anonymous private rwx
 * memory (MAP_FIXED_NOREPLACE), and note it in *added.  0, or the
 * kernel's -errno with its reason after the range. */
static int map_gap(struct replay *r, uint64_t start, uint64_t end,
		   struct map_list *added)
{
	char where[64];
	uint64_t addr;

	if (added->n == added->cap) {
		size_t cap = added->cap ? added->cap * 2 : 16;
		void *grown = realloc(added->range, cap * sizeof(*added->range));

		if (!grown)
			return fail(r->c, ENOMEM, "out of host memory");
		added->range = grown;
		added->cap = cap;
	}
	addr = do_mmap(r->c->t, start, end - start,
		       PROT_READ | PROT_WRITE | PROT_EXEC,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, 0);
	if (IS_ERR_VALUE(addr)) {
		snprintf(where, sizeof(where), "mapping %#" PRIx64 "-%#" PRIx64,
			 start, end);
		return kfail(r->c, (int)(int64_t)addr, where);
	}
	added->range[added->n][0] = start;
	added->range[added->n++][1] = end;
	return 0;
}

/* map_run - map the pages [first, end) (page numbers) that no vma
 * covers, one mmap for each gap between vmas.  0, -ENOMEM with the reason
 * for pages past the end of the address space (TASK_SIZE), or -errno as
 * map_gap. */
static int map_run(struct replay *r, uint64_t first, uint64_t end,
		   struct map_list *added)
{
	struct mm_struct *mm = r->c->t->mm;
	uint64_t start = first << PAGE_SHIFT;
	int err = 0;

	if (end > mm->task_size >> PAGE_SHIFT)
		return fail(r->c, ENOMEM, "mapping %#" PRIx64 ": past the end "
			    "of the address space (TASK_SIZE %#" PRIx64 ")",
			    MAX(first, mm->task_size >> PAGE_SHIFT) << PAGE_SHIFT,
			    mm->task_size);
	end <<= PAGE_SHIFT;
	while (start < end && !err) {
		struct vm_area_struct *vma = find_vma(mm, start);
		uint64_t gap_end = vma ? MIN(vma->vm_start, end) : end;

		if (vma && vma->vm_start <= start) {
			start = vma->vm_end;
			continue;
		}
		err = map_gap(r, start, gap_end, added);
		start = gap_end;
	}
	return err;
}

/* map_pages - --map: map every page of the set that no vma covers, runs
 * of consecutive pages coalesced.  On a failure, what it added is
 * unmapped again and the kernel's reason is the command's. */
static int map_pages(struct replay *r)
{
	struct page_set *ps = &r->pages;
	struct map_list added = { 0 };
	size_t i, j;
	int err = 0;

	pages_compact(ps);
	for (i = 0; i < ps->n && !err; i = j) {
		for (j = i + 1; j < ps->n && ps->vpn[j] == ps->vpn[j - 1] + 1; j++)
			;
		err = map_run(r, ps->vpn[i], ps->vpn[j - 1] + 1, &added);
	}
	for (i = 0; err && i < added.n; i++)
		do_munmap(r->c->t->mm, added.range[i][0],
			  added.range[i][1] - added.range[i][0]);
	free(added.range);
	return err;
}

/* ---- opt's future ---- */

/* opt_add - reference number f->refs touches page vpn.  0 or -ENOMEM. */
static int opt_add(struct replay *r, uint64_t vpn)
{
	struct opt_future *f = &r->opt;
	void *grown;

	if (f->n == f->cap) {
		if (f->cap >= 2 * OPT_MAX_REFS)
			return fail(r->c, ENOMEM, "--policy opt keeps the "
				    "whole trace: at most %llu references",
				    OPT_MAX_REFS);
		grown = realloc(f->pair, (f->cap ? 2 * f->cap : 65536) *
				sizeof(*f->pair));
		if (!grown)
			return fail(r->c, ENOMEM, "out of host memory");
		f->pair = grown;
		f->cap = f->cap ? 2 * f->cap : 65536;
	}
	f->pair[f->n][0] = vpn;
	f->pair[f->n++][1] = f->refs;
	return 0;
}

/* opt_note - the pages of the queued ops, with their reference number
 * (a page-spanning access touches both pages at once).  0 or -ENOMEM. */
static int opt_note(struct replay *r)
{
	int err = 0;

	for (size_t i = 0; i < r->n && !err; i++, r->opt.refs++) {
		const struct user_op *op = &r->ops[i];
		uint64_t last = op->va + (op->len ? op->len - 1 : 0);

		err = opt_add(r, op->va >> PAGE_SHIFT);
		if (!err && (last ^ op->va) >= PAGE_SIZE && last > op->va)
			err = opt_add(r, last >> PAGE_SHIFT);
	}
	return err;
}

static int cmp_pair(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;

	return x[0] != y[0] ? (x[0] < y[0] ? -1 : 1) :
	       (x[1] < y[1] ? -1 : x[1] > y[1]);
}

/* opt_build - sort the pairs into the per-page lists.  0 or -ENOMEM. */
static int opt_build(struct replay *r)
{
	struct opt_future *f = &r->opt;
	size_t i, k = 0;

	qsort(f->pair, f->n, sizeof(*f->pair), cmp_pair);
	f->page = malloc((f->n + 1) * sizeof(uint64_t));
	f->first = malloc((f->n + 2) * sizeof(uint64_t));
	f->pos = malloc((f->n + 1) * sizeof(uint64_t));
	if (!f->page || !f->first || !f->pos)
		return fail(r->c, ENOMEM, "out of host memory");
	for (i = 0; i < f->n; i++) {
		if (!i || f->pair[i][0] != f->pair[i - 1][0]) {
			f->page[k] = f->pair[i][0];
			f->first[k++] = i;
		}
		f->pos[i] = f->pair[i][1];
	}
	f->first[k] = f->n;
	f->npages = k;
	return 0;
}

/* opt_next_use - the oracle (replace.h): the first reference to the page
 * at va at or after the one running now. */
static uint64_t opt_next_use(void *ctx, struct mm_struct *mm, uint64_t va)
{
	struct opt_future *f = ctx;
	uint64_t vpn = va >> PAGE_SHIFT, now = user_ops_done - f->start;
	size_t lo = 0, hi = f->npages, k;

	if (mm != f->mm)
		return UINT64_MAX;
	while (lo < hi) {
		k = (lo + hi) / 2;
		if (f->page[k] < vpn)
			lo = k + 1;
		else
			hi = k;
	}
	if (lo == f->npages || f->page[lo] != vpn)
		return UINT64_MAX;
	k = lo;
	lo = f->first[k];
	hi = f->first[k + 1];
	while (lo < hi) {
		size_t m = (lo + hi) / 2;

		if (f->pos[m] < now)
			lo = m + 1;
		else
			hi = m;
	}
	return lo < f->first[k + 1] ? f->pos[lo] : UINT64_MAX;
}

/* ---- the passes ---- */

/* run_batch - run the queued accesses.  0 or -errno, with the reason
 * after the number of the line that failed. */
static int run_batch(struct replay *r)
{
	uint64_t before = r->st.accesses;
	char where[32];
	int err = user_access_batch(r->c->t, r->ops, r->n, &r->st);

	if (err) {
		snprintf(where, sizeof(where), "line %lu",
			 r->lines[r->st.accesses - before]);
		return kfail(r->c, err, where);
	}
	r->n = 0;
	return 0;
}

/* flush_ops - the queue is full: run it (the second pass) or, in the
 * first, note its pages for --map and empty it.  0 or -errno. */
static int flush_ops(struct replay *r)
{
	int err = 0;

	if (r->run)
		return run_batch(r);
	if (r->map)
		err = note_pages(r);
	if (!err && r->policy == RP_OPT)
		err = opt_note(r);
	r->n = 0;
	return err;
}

/* malformed - -EINVAL: the line cannot be parsed. */
static int malformed(struct replay *r)
{
	return fail(r->c, EINVAL, "line %lu: not a %s access", r->line,
		    r->format == TRACE_LACKEY ? "lackey" : "R|W|X ADDR");
}

/* detect_lines - while the format is unknown, skip the lines at p that
 * do not tell it (detect_format).  Returns where parsing goes on. */
static const char *detect_lines(struct replay *r, const char *p,
				const char *end)
{
	while (r->format == TRACE_UNKNOWN && p < end) {
		r->format = detect_format(p);
		if (r->format == TRACE_UNKNOWN) {
			r->line++;
			p = end_of_line(p);
		}
	}
	return p;
}

/* parse_format - parse the whole lines [p, end) of one format (lackey or
 * not: a constant wherever it is inlined, so that each format gets a loop
 * of its own) into the queue, which is flushed whenever it may not hold
 * one more line.  0 or -errno.  The loop keeps the queue's end and the
 * line number in locals: the build does not let the compiler assume that
 * a store to an op leaves r's fields alone (-fno-strict-aliasing). */
static __always_inline int parse_format(struct replay *r, const char *p,
					const char *end, bool lackey)
{
	struct user_op *op = r->ops + r->n;
	struct user_op *full = r->ops + REPLAY_BATCH - 1;
	unsigned long *ln = r->lines + r->n, line = r->line;
	int k, err;

	while (p < end) {
		k = lackey ? parse_lackey(p, &p, op) : parse_simple(p, &p, op);
		ln[0] = ++line;
		if (unlikely(k != 1)) {
			r->line = line;
			if (k < 0)
				return malformed(r);
			ln[1] = line;		/* M: two ops */
		}
		op += k;
		ln += k;
		if (unlikely(op >= full)) {
			r->n = (size_t)(op - r->ops);
			r->line = line;
			if ((err = flush_ops(r)))
				return err;
			op = r->ops + r->n;
			ln = r->lines + r->n;
		}
	}
	r->n = (size_t)(op - r->ops);
	r->line = line;
	return 0;
}

/* parse_lines - parse the whole lines [p, end) into the queue, once the
 * format is known.  0 or -errno. */
static int parse_lines(struct replay *r, const char *p, const char *end)
{
	p = detect_lines(r, p, end);
	if (r->format == TRACE_LACKEY)
		return parse_format(r, p, end, true);
	return parse_format(r, p, end, false);
}

/* trace_pass - one pass over the whole trace (r->run: the second), the
 * queue flushed at its end.  0 or -errno with the reason. */
static int trace_pass(struct replay *r)
{
	const char *start = NULL, *end = NULL;
	int err = rewind_trace(r);

	while (!err && !(err = next_chunk(r, &start, &end)) && start < end)
		err = parse_lines(r, start, end);
	if (!err && r->n)
		err = flush_ops(r);
	return err;
}

/* ---- the command ---- */

/* evictions - the pages reclaim has freed on the machine so far. */
static uint64_t evictions(void)
{
	return vmstat.events[PGSTEAL_ANON] + vmstat.events[PGSTEAL_FILE];
}

/* replay_summary - the result of a replay: every figure it reports, in
 * this one place. */
static int replay_summary(struct replay *r, uint64_t evicted)
{
	const struct access_stats *st = &r->st;
	char timing[TIMING_TEXT_MAX];

	timing_text(timing, r->ns, st->accesses);
	return ok(r->c, "accesses %" PRIu64 " hits %" PRIu64 " minor %" PRIu64
		  " major %" PRIu64 " evictions %" PRIu64 " tlb_hits %" PRIu64
		  " tlb_misses %" PRIu64 "%s", st->accesses, st->hits, st->minor,
		  st->major, evicted, st->tlb_hits, st->tlb_misses, timing);
}

#define REPLAY_USAGE	"usage: replay [--map] [--frames N] [--policy " \
			"linux|fifo|lru|clock|random|opt] FILE [lackey|simple]"

/* option_arg - the options before FILE into r; *i is left at FILE.
 * 0 or -EINVAL with the reason. */
static int option_arg(struct replay *r, struct cmd *cmd, int *i)
{
	for (; *i < cmd->argc && !cmd->quoted[*i] &&
	       !strncmp(cmd->argv[*i], "--", 2); (*i)++) {
		const char *o = cmd->argv[*i];

		if (!strcmp(o, "--map")) {
			r->map = true;
			continue;
		}
		if (*i + 1 == cmd->argc || (strcmp(o, "--frames") &&
					    strcmp(o, "--policy")))
			return fail(r->c, EINVAL, REPLAY_USAGE);
		(*i)++;
		if (!strcmp(o, "--frames")) {
			if (!parse_num(cmd->argv[*i], &r->frames) ||
			    !r->frames || r->frames > (1ULL << 40))
				return fail(r->c, EINVAL, "bad frame count "
					    "'%s'", cmd->argv[*i]);
			continue;
		}
		for (r->policy = 0; r->policy < NR_RECLAIM_POLICIES;
		     r->policy++)
			if (!strcmp(cmd->argv[*i],
				    reclaim_policy_names[r->policy]))
				break;
		if (r->policy == NR_RECLAIM_POLICIES)
			return fail(r->c, EINVAL, "unknown policy '%s'",
				    cmd->argv[*i]);
	}
	return 0;
}

/* replay_args - [options] FILE [lackey|simple] into r.  0 or -EINVAL
 * with the reason. */
static int replay_args(struct replay *r, struct cmd *cmd)
{
	int i = 1, err = option_arg(r, cmd, &i);

	if (err)
		return err;
	if (i >= cmd->argc || cmd->argc - i > 2)
		return fail(r->c, EINVAL, REPLAY_USAGE);
	r->path = cmd->argv[i];
	if (i + 1 == cmd->argc)
		return 0;
	if (!strcmp(cmd->argv[i + 1], "lackey"))
		r->format = TRACE_LACKEY;
	else if (!strcmp(cmd->argv[i + 1], "simple"))
		r->format = TRACE_SIMPLE;
	else
		return fail(r->c, EINVAL, "format must be lackey or simple");
	return 0;
}

/* The machine's state a replay changes for its run, to restore. */
struct replay_env {
	struct mem_cgroup *group, *home;
	int old_policy;
	struct replace_oracle oracle;
};

/* enter_env - the group of --frames (a fresh child of the process's own
 * group, named replay-PID, limited to N frames, the process moved into
 * it) and the policy of --policy.  0 or -errno with the reason; what was
 * set up is undone by leave_env. */
static int enter_env(struct replay *r, struct replay_env *e)
{
	struct task_struct *t = r->c->t;
	char name[32];
	int err = 0;

	e->home = mem_cgroup_of_task(t);
	e->old_policy = reclaim_policy;
	if (r->frames) {
		if (!total_swap_pages)
			return fail(r->c, EINVAL, "--frames needs swap, where "
				    "the group's anonymous pages go (swapon)");
		snprintf(name, sizeof(name), "replay-%d", t->tgid);
		e->group = mem_cgroup_create(e->home, name, &err);
		if (!e->group)
			return kfail(r->c, err, NULL);
		if ((err = mem_cgroup_set_limit(e->group, MEMCG_LIMIT_MAX,
						 r->frames)) ||
		    (err = mem_cgroup_attach(e->group, t)))
			return kfail(r->c, err, NULL);
	}
	if (r->policy < 0)
		return 0;
	if (r->policy == RP_OPT) {
		r->opt.mm = t->mm;
		r->opt.start = user_ops_done;
		e->oracle = (struct replace_oracle){ &r->opt, opt_next_use };
		replace_set_oracle(&e->oracle);
	}
	err = set_reclaim_policy(r->policy);
	return err ? kfail(r->c, err, NULL) : 0;
}

/* leave_env - the machine's policy back, and the process back in its own
 * group, the replay's group removed (its pages go to the process's). */
static void leave_env(struct replay *r, struct replay_env *e)
{
	replace_set_oracle(NULL);
	if (reclaim_policy != e->old_policy)
		set_reclaim_policy(e->old_policy);
	if (!e->group)
		return;
	if (r->c->t->exit_state != EXIT_ZOMBIE && r->c->t->group_leader->mm)
		mem_cgroup_attach(e->home, r->c->t);
	if (mem_cgroup_remove(e->group))
		BUG_ON(1);
}

/* replay_free - everything r holds. */
static void replay_free(struct replay *r)
{
	if (r->f.fd >= 0)
		close(r->f.fd);
	free(r->f.buf);
	free(r->pages.vpn);
	free(r->opt.pair);
	free(r->opt.page);
	free(r->opt.first);
	free(r->opt.pos);
	free(r);
}

/* replay [options] FILE [lackey|simple] - see ctl.h and the README. */
int cmd_replay(struct ctx *c, struct cmd *cmd)
{
	struct replay_env env = { NULL, NULL, 0, { NULL, NULL } };
	struct replay *r;
	uint64_t evicted = 0, start;
	int err;

	if ((err = need_mm(c)))
		return err;
	r = calloc(1, sizeof(*r));
	if (!r)
		return fail(c, ENOMEM, "out of host memory");
	init_hexval();
	r->c = c;
	r->f.fd = -1;
	r->policy = -1;
	memset(r->pages.recent, 0xff, sizeof(r->pages.recent));
	err = replay_args(r, cmd);
	if (!err)
		err = open_trace(r);
	if (!err)
		err = trace_pass(r);	/* checks every line, runs nothing */
	if (!err && r->policy == RP_OPT)
		err = opt_build(r);
	if (!err && r->map)
		err = map_pages(r);
	r->run = true;
	if (!err)
		err = enter_env(r, &env);
	evicted = evictions();
	start = ktime_get_ns();
	if (!err)
		err = trace_pass(r);
	evicted = evictions() - evicted;
	r->ns = ktime_get_ns() - start;
	leave_env(r, &env);
	if (!err)
		replay_summary(r, evicted);
	replay_free(r);
	return err;
}
