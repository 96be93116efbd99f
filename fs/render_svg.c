/*
 * render_svg.c - pictures of the machine: physmem.svg (every frame
 * coloured by what holds it), <pid>/maps.svg (an address space to scale)
 * and index.html, the page that shows them with the main counters.  Pure
 * functions of the machine, as the text renderers are; the classes and
 * data- attributes of the shapes name what they draw, so a test (or a
 * stylesheet) can read a picture back.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "render.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/mmzone.h"
#include "mm/pagewalk.h"
#include "mm/swap.h"
#include "util/compiler.h"

/* The grid: at most SVG_CELLS cells, SVG_COLS to a row, each holding
 * 2^k frames; a cell is SVG_CELL pixels square. */
#define SVG_CELLS	16384
#define SVG_COLS	128
#define SVG_CELL	6
#define SVG_LEGEND_X	(SVG_COLS * SVG_CELL + 190)
#define SVG_TOP		40

/* A frame's colour: free blocks by order (light to dark green), the rest
 * by kind.  The class names are frame_kind_name's, made CSS-safe. */
struct frame_look {
	const char *cls;
	const char *fill;
};

static const struct frame_look looks[NR_FRAME_KINDS] = {
	[FK_FREE] = { "free", "#b7e4a8" },
	[FK_PCP] = { "pcp", "#e8f0a0" },
	[FK_ZERO] = { "zero", "#000000" },
	[FK_RESERVED] = { "reserved", "#8c8c8c" },
	[FK_PGTABLE] = { "pgtable", "#8b5a2b" },
	[FK_VMALLOC] = { "vmalloc", "#36c5d8" },
	[FK_SLAB] = { "slab", "#1f8a80" },
	[FK_KMALLOC_LARGE] = { "kmalloc_large", "#15605a" },
	[FK_STACK] = { "stack", "#e377c2" },
	[FK_ANON] = { "anon", "#d62728" },
	[FK_SWAPCACHE] = { "swapcache", "#ff7f0e" },
	[FK_SHMEM] = { "shmem", "#9467bd" },
	[FK_FILE] = { "file", "#1f77b4" },
	[FK_ALLOCATED] = { "allocated", "#c7c7c7" },
	[FK_TAIL] = { "allocated", "#c7c7c7" },
};

/* Free blocks: the greens of orders 0..MAX_ORDER, light to dark. */
static const char *free_fill(unsigned int order)
{
	static const char *const g[] = {
		"#d9f2d0", "#c8ebbc", "#b7e4a8", "#a3db92", "#8fd27c",
		"#7bc866", "#66bd52", "#52b140", "#40a231", "#2f9125",
		"#207f1b",
	};

	return g[MIN(order, ARRAY_SIZE(g) - 1)];
}

/* The kind of every frame: free blocks and per-CPU lists marked from the
 * zones' lists (one pass each), the rest by frame_kind_used.  order[pfn]
 * is a free frame's block order.  Both arrays have max_pfn bytes. */
static void classify(uint8_t *kind, uint8_t *order)
{
	struct zone *z;

	memset(kind, NR_FRAME_KINDS, max_pfn);
	for_each_zone(z) {
		for (unsigned int o = 0; o <= MAX_ORDER; o++)
			for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
				struct list_head *h = &z->free_area[o].free_list[mt], *l;

				list_for_each(l, h) {
					uint64_t pfn = page_to_pfn(
						list_entry(l, struct page, lru));

					memset(kind + pfn, FK_FREE, 1ULL << o);
					memset(order + pfn, (int)o, 1ULL << o);
				}
			}
		for (int c = 0; c < HW_MAX_CPUS; c++)
			for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++) {
				struct list_head *l;

				list_for_each(l, &z->pcp[c].lists[mt])
					kind[page_to_pfn(list_entry(l,
						struct page, lru))] = FK_PCP;
			}
	}
	for (uint64_t pfn = 0; pfn < max_pfn; pfn++)
		if (kind[pfn] == NR_FRAME_KINDS)
			kind[pfn] = (uint8_t)frame_kind_used(pfn, pfn_to_page(pfn));
}

/* cell_kind - the kind most of a cell's frames have (the lowest kind on a
 * tie), and for free cells the order of the first free frame. */
static int cell_kind(const uint8_t *kind, const uint8_t *order,
		     uint64_t first, uint64_t n, unsigned int *ord)
{
	uint64_t count[NR_FRAME_KINDS] = { 0 };
	int best = 0;

	for (uint64_t i = first; i < first + n && i < max_pfn; i++)
		count[kind[i]]++;
	for (int k = 1; k < NR_FRAME_KINDS; k++)
		if (count[k] > count[best])
			best = k;
	*ord = 0;
	for (uint64_t i = first; best == FK_FREE && i < first + n; i++)
		if (kind[i] == FK_FREE) {
			*ord = order[i];
			break;
		}
	return best;
}

/* svg_rect - a run of cells of one colour in one row. */
static void svg_rect(struct seq *s, uint64_t cell, uint64_t len, int k,
		     unsigned int ord, uint64_t per_cell)
{
	uint64_t col = cell % SVG_COLS, row = cell / SVG_COLS;

	seq_printf(s, "<rect class=\"%s\" x=\"%" PRIu64 "\" y=\"%" PRIu64
		   "\" width=\"%" PRIu64 "\" height=\"%d\" fill=\"%s\" "
		   "data-pfn=\"%" PRIu64 "\" data-frames=\"%" PRIu64 "\"",
		   looks[k].cls, col * SVG_CELL, SVG_TOP + row * SVG_CELL,
		   len * SVG_CELL, SVG_CELL,
		   k == FK_FREE ? free_fill(ord) : looks[k].fill,
		   cell * per_cell, MIN(len * per_cell, max_pfn - cell * per_cell));
	if (k == FK_FREE)
		seq_printf(s, " data-order=\"%u\"", ord);
	seq_puts(s, "/>\n");
}

/* svg_zones - a line and a label where each zone (and node) starts. */
static void svg_zones(struct seq *s, uint64_t per_cell)
{
	struct zone *z;

	for_each_zone(z) {
		uint64_t cell, y;

		if (!z->spanned_pages)
			continue;
		cell = z->zone_start_pfn / per_cell;
		y = SVG_TOP + cell / SVG_COLS * SVG_CELL;
		seq_printf(s, "<g class=\"zone\"><line x1=\"0\" y1=\"%" PRIu64
			   "\" x2=\"%d\" y2=\"%" PRIu64 "\" stroke=\"#000\"/>"
			   "<text x=\"%d\" y=\"%" PRIu64 "\" font-size=\"10\">"
			   "Node %d %s (pfn %" PRIu64 ")</text></g>\n", y,
			   SVG_COLS * SVG_CELL + 4, y, SVG_COLS * SVG_CELL + 6,
			   y + 10, z->node, z->name, z->zone_start_pfn);
	}
}

/* svg_legend - each kind's colour and how many frames it holds. */
static void svg_legend(struct seq *s, const uint8_t *kind)
{
	uint64_t count[NR_FRAME_KINDS] = { 0 };
	int y = SVG_TOP;

	for (uint64_t pfn = 0; pfn < max_pfn; pfn++)
		count[kind[pfn]]++;
	count[FK_ALLOCATED] += count[FK_TAIL];
	seq_printf(s, "<g class=\"legend\" font-size=\"12\">\n");
	for (int k = 0; k < FK_TAIL; k++, y += 18)
		seq_printf(s, "<rect class=\"key-%s\" x=\"%d\" y=\"%d\" "
			   "width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%d\" "
			   "y=\"%d\">%s: %" PRIu64 "</text>\n", looks[k].cls,
			   SVG_LEGEND_X, y,
			   k == FK_FREE ? free_fill(0) : looks[k].fill,
			   SVG_LEGEND_X + 18, y + 11, frame_kind_name[k],
			   count[k]);
	seq_puts(s, "</g>\n");
}

/* render_physmem_svg - see render.h. */
void render_physmem_svg(struct seq *s)
{
	uint64_t per_cell = 1, cells, rows;
	unsigned int ord, o2 = 0;
	int k, k2;
	uint8_t *kind = malloc(max_pfn), *order = malloc(max_pfn);

	if (!kind || !order) {
		free(kind);
		free(order);
		s->overflow = true;	/* read fails, as a text cut short */
		return;
	}
	while (max_pfn / per_cell > SVG_CELLS)
		per_cell *= 2;
	cells = (max_pfn + per_cell - 1) / per_cell;
	rows = (cells + SVG_COLS - 1) / SVG_COLS;
	classify(kind, order);
	seq_printf(s, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		   "height=\"%" PRIu64 "\" font-family=\"sans-serif\">\n",
		   SVG_LEGEND_X + 200,
		   MAX(SVG_TOP + rows * SVG_CELL + 20, (uint64_t)SVG_TOP + 500));
	seq_printf(s, "<title>physmem: %" PRIu64 " frames, %" PRIu64
		   " to a cell</title>\n<text x=\"0\" y=\"20\" font-size=\"14\">"
		   "Physical memory: %" PRIu64 " frames, %" PRIu64
		   " to a cell</text>\n", max_pfn, per_cell, max_pfn, per_cell);
	/* Runs of cells of one colour within a row, each cell's kind found
	 * once. */
	k = cell_kind(kind, order, 0, per_cell, &ord);
	for (uint64_t c = 0, e = 1; c < cells; e++) {
		k2 = e < cells ? cell_kind(kind, order, e * per_cell, per_cell,
					   &o2) : -1;
		if (e < cells && e % SVG_COLS && k2 == k && o2 == ord)
			continue;
		svg_rect(s, c, e - c, k, ord, per_cell);
		c = e;
		k = k2;
		ord = o2;
	}
	svg_zones(s, per_cell);
	svg_legend(s, kind);
	seq_puts(s, "</svg>\n");
	free(kind);
	free(order);
}

/* ---- <pid>/maps.svg ---- */

#define MAPS_W		760
#define MAPS_BAR_X	150
#define MAPS_BAR_W	200
#define MAPS_LABEL_X	(MAPS_BAR_X + MAPS_BAR_W + 12)
#define MAPS_MIN_H	18	/* a vma is never thinner than its label */
#define MAPS_MAX_H	240	/* the biggest vma's height */
#define MAPS_BREAK_H	26	/* a hole wider than this is broken */

/* A vma's pages in bins of one pixel row each: how many of each bin's
 * pages are resident or in swap (the rest were never touched, or were
 * dropped). */
struct maps_bins {
	uint64_t start, bin_pages;
	uint32_t *resident, *swapped;
};

static int maps_bin_pte(struct pte_ref ref, uint64_t addr, uint64_t next,
			struct mm_walk *walk)
{
	struct maps_bins *b = walk->private;
	uint64_t i = (addr - b->start) / PAGE_SIZE / b->bin_pages;
	pte_t pte = pte_read(ref);

	(void)next;
	if (is_swap_pte(pte))
		b->swapped[i]++;
	else if (pte_present(pte))
		b->resident[i]++;
	return 0;
}

static const struct mm_walk_ops maps_bin_ops = { .pte_entry = maps_bin_pte };

/* maps_fill - a vma's own colour: code, data, stack, file, shared. */
static const char *maps_fill(const struct vm_area_struct *vma)
{
	if (vma->vm_flags & VM_EXEC)
		return "#d62728";
	if (vma->vm_flags & VM_SHARED)
		return "#9467bd";
	if (vma->vm_file)
		return "#1f77b4";
	if (vma->vm_flags & VM_GROWSDOWN)
		return "#e377c2";
	return "#2ca02c";
}

/* maps_size - bytes as the largest unit that divides them, or with one
 * decimal. */
static void maps_size(char *buf, size_t size, uint64_t bytes)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB",
					    "PiB" };
	int u = 0;
	double v = (double)bytes;

	while (v >= 1024 && u < 5) {
		v /= 1024;
		u++;
	}
	snprintf(buf, size, v == (double)(uint64_t)v ? "%.0f %s" : "%.1f %s",
		 v, unit[u]);
}

/* maps_vma - one vma: a box of height h at y, its pages shaded by bins
 * of a pixel row (mostly resident: the vma's colour; mostly swapped:
 * orange; neither: left pale, untouched), each bin's counts in its data-
 * attributes; its start and end at the left, its name, protection and
 * size at the right. */
static void maps_vma(struct seq *s, struct vm_area_struct *vma, uint64_t y,
		     uint64_t h)
{
	uint64_t pages = (vma->vm_end - vma->vm_start) / PAGE_SIZE;
	uint64_t bins = MIN(pages, h), bin_pages = (pages + bins - 1) / bins;
	struct maps_bins b = { vma->vm_start, bin_pages,
			       calloc(bins, sizeof(uint32_t)),
			       calloc(bins, sizeof(uint32_t)) };
	const char *name = vma_name(vma);
	char sz[32];

	if (!b.resident || !b.swapped) {
		s->overflow = true;
		goto out;
	}
	bins = (pages + bin_pages - 1) / bin_pages;
	walk_page_range(vma->vm_mm, vma->vm_start, vma->vm_end, &maps_bin_ops,
			&b);
	maps_size(sz, sizeof(sz), vma->vm_end - vma->vm_start);
	seq_printf(s, "<g class=\"vma\" data-start=\"%" PRIx64 "\" data-end=\"%"
		   PRIx64 "\">\n<rect class=\"untouched\" x=\"%d\" y=\"%" PRIu64
		   "\" width=\"%d\" height=\"%" PRIu64 "\" fill=\"#f4f4f4\" "
		   "stroke=\"#444\"/>\n", vma->vm_start, vma->vm_end, MAPS_BAR_X,
		   y, MAPS_BAR_W, h);
	/* Bin i covers the pages from the vma's start up: drawn from the
	 * bottom of the box, high addresses on top. */
	for (uint64_t i = 0; i < bins; i++) {
		uint64_t y0 = y + h - (i + 1) * h / bins, y1 = y + h - i * h / bins;
		bool swapped = b.swapped[i] > b.resident[i];

		if (!b.resident[i] && !b.swapped[i])
			continue;
		seq_printf(s, "<rect class=\"%s\" x=\"%d\" y=\"%" PRIu64
			   "\" width=\"%d\" height=\"%" PRIu64 "\" fill=\"%s\" "
			   "data-resident=\"%u\" data-swapped=\"%u\"/>\n",
			   swapped ? "swapped" : "resident", MAPS_BAR_X + 1, y0,
			   MAPS_BAR_W - 2, MAX(y1 - y0, (uint64_t)1),
			   swapped ? "#ff7f0e" : maps_fill(vma), b.resident[i],
			   b.swapped[i]);
	}
	if (h >= 2 * MAPS_MIN_H)
		seq_printf(s, "<text x=\"0\" y=\"%" PRIu64 "\" font-size=\"10\">"
			   "%012" PRIx64 "</text>\n<text x=\"0\" y=\"%" PRIu64
			   "\" font-size=\"10\">%012" PRIx64 "</text>\n", y + 10,
			   vma->vm_end, y + h - 2, vma->vm_start);
	else
		seq_printf(s, "<text x=\"0\" y=\"%" PRIu64 "\" font-size=\"9\">"
			   "%" PRIx64 "-%" PRIx64 "</text>\n", y + 12,
			   vma->vm_start, vma->vm_end);
	seq_printf(s, "<text class=\"label\" x=\"%d\" y=\"%" PRIu64
		   "\" font-size=\"12\">%c%c%c%c %s ", MAPS_LABEL_X,
		   y + MIN(h, (uint64_t)MAPS_MIN_H) / 2 + 5,
		   vma->vm_flags & VM_READ ? 'r' : '-',
		   vma->vm_flags & VM_WRITE ? 'w' : '-',
		   vma->vm_flags & VM_EXEC ? 'x' : '-',
		   vma->vm_flags & VM_SHARED ? 's' : 'p', sz);
	if (name)
		seq_put_xml(s, name);
	seq_puts(s, "</text>\n</g>\n");
out:
	free(b.resident);
	free(b.swapped);
}

/* maps_break - a hole too wide to draw to scale: a zigzag and its size. */
static void maps_break(struct seq *s, uint64_t y, uint64_t bytes)
{
	char sz[32];

	maps_size(sz, sizeof(sz), bytes);
	seq_printf(s, "<g class=\"hole\"><path d=\"M%d %" PRIu64 " l20 6 l-20 6 "
		   "l20 6\" fill=\"none\" stroke=\"#888\"/><text x=\"%d\" y=\"%"
		   PRIu64 "\" font-size=\"11\" fill=\"#666\">%s unmapped</text>"
		   "</g>\n", MAPS_BAR_X + MAPS_BAR_W / 2 - 10, y + 4,
		   MAPS_LABEL_X, y + 17, sz);
}

/* maps_height - a vma's drawn height: to scale (the biggest vma
 * MAPS_MAX_H), never below MAPS_MIN_H. */
static uint64_t maps_height(const struct vm_area_struct *vma, double scale)
{
	double h = (double)(vma->vm_end - vma->vm_start) * scale;

	return h < MAPS_MIN_H ? MAPS_MIN_H : (uint64_t)h;
}

/* maps_hole - the drawn height of the hole below vma (0 when vma is the
 * lowest) into *h; true if it is too tall for the scale and is drawn as a
 * break. */
static bool maps_hole(const struct vm_area_struct *vma, double scale,
		      uint64_t *h)
{
	double px = vma->vm_prev ?
		(double)(vma->vm_start - vma->vm_prev->vm_end) * scale : 0;

	*h = px > MAPS_BREAK_H ? MAPS_BREAK_H : (uint64_t)px;
	return px > MAPS_BREAK_H;
}

/* render_maps_svg - see render.h. */
void render_maps_svg(struct seq *s, struct task_struct *t)
{
	struct mm_struct *mm = task_mm(t);
	struct vm_area_struct *vma, *last = NULL;
	uint64_t biggest = 1, y = 40, total = 40;
	double scale;

	if (mm)
		for (vma = mm->mmap; vma; vma = vma->vm_next) {
			biggest = MAX(biggest, vma->vm_end - vma->vm_start);
			last = vma;
		}
	scale = (double)MAPS_MAX_H / (double)biggest;
	/* The height first, for the svg element: vmas and holes. */
	for (vma = last; vma; vma = vma->vm_prev) {
		uint64_t hole;

		maps_hole(vma, scale, &hole);
		total += maps_height(vma, scale) + hole;
	}
	seq_printf(s, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		   "height=\"%" PRIu64 "\" font-family=\"sans-serif\">\n<title>"
		   "pid %d address space</title>\n<text x=\"0\" y=\"20\" "
		   "font-size=\"14\">pid %d (", MAPS_W, total + 20, t->pid,
		   t->pid);
	seq_put_xml(s, t->comm);
	seq_printf(s, "): %s; heights to scale, no vma under %d px, holes "
		   "broken</text>\n", mm ? "high addresses on top" :
		   "no address space", MAPS_MIN_H);
	for (vma = last; vma; vma = vma->vm_prev) {
		uint64_t h = maps_height(vma, scale), hole;

		maps_vma(s, vma, y, h);
		y += h;
		if (maps_hole(vma, scale, &hole))
			maps_break(s, y, vma->vm_start - vma->vm_prev->vm_end);
		y += hole;
	}
	seq_puts(s, "</svg>\n");
}

/* ---- index.html ---- */

/* The counters the page shows, by their meminfo and vmstat names. */
static const char *const index_meminfo[] = {
	"MemTotal", "MemFree", "AnonPages", "Cached", "Slab", "PageTables",
	"KernelStack", "VmallocUsed", "SwapTotal", "SwapFree",
};
static const char *const index_vmstat[] = {
	"pgfault", "pgmajfault", "pgalloc_normal", "pgalloc_dma32", "pgfree",
	"pswpin", "pswpout", "pgsteal_kswapd", "pgsteal_direct",
	"nr_tlb_remote_flush", "nr_tlb_local_flush_all", "oom_kill",
};

/* index_rows - table rows of the lines of text whose first word (its
 * trailing colon dropped) is in names, in the text's order. */
static void index_rows(struct seq *s, const struct seq *text,
		       const char *const *names, size_t n)
{
	const char *p = text->buf, *end = text->buf + text->len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		size_t w = strcspn(p, ": \n");

		for (size_t i = 0; i < n; i++)
			if (strlen(names[i]) == w && !strncmp(p, names[i], w)) {
				const char *v = p + w;

				while (v < p + len && (*v == ':' || *v == ' '))
					v++;
				seq_printf(s, "<tr><td>%s</td><td>%.*s</td></tr>\n",
					   names[i], (int)(p + len - v), v);
			}
		p += len + 1;
	}
}

/* index_time - rows of the machine's clock: uptime and idle in seconds,
 * the load averages, as uptime and loadavg show them. */
static void index_time(struct seq *s)
{
	struct seq text;
	char *sp;

	seq_init(&text);
	render_uptime(&text);
	seq_putc(&text, '\0');
	sp = strchr(text.buf, ' ');
	if (sp)
		*sp = '\0';
	seq_printf(s, "<tr><td>uptime</td><td>%s</td></tr>\n", text.buf);
	seq_reset(&text);
	render_loadavg(&text);
	seq_putc(&text, '\0');
	for (int i = 0, n = 0; text.buf[i] && n < 3; i++)
		if (text.buf[i] == ' ' && ++n == 3)
			text.buf[i] = '\0';
	seq_printf(s, "<tr><td>loadavg</td><td>%s</td></tr>\n", text.buf);
	seq_free(&text);
}

/* render_index_html - see render.h. */
void render_index_html(struct seq *s)
{
	struct seq text;
	struct list_head *l;
	int shown = 0;

	seq_puts(s, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n"
		 "<meta http-equiv=\"refresh\" content=\"1\">\n"
		 "<title>mmufs</title>\n<style>body{font-family:sans-serif}"
		 "table{border-collapse:collapse;float:left;margin:0 2em 1em 0}"
		 "td{border:1px solid #ccc;padding:2px 8px}"
		 "td+td{text-align:right}figure{display:inline-block;"
		 "vertical-align:top;margin:0 1em 1em 0}"
		 "section{clear:both}</style>\n</head><body>\n"
		 "<h1>mmufs</h1>\n<section id=\"counters\">\n"
		 "<table id=\"meminfo\">\n");
	seq_init(&text);
	render_meminfo(&text);
	index_rows(s, &text, index_meminfo, ARRAY_SIZE(index_meminfo));
	seq_puts(s, "</table>\n<table id=\"vmstat\">\n");
	seq_reset(&text);
	render_vmstat(&text);
	index_rows(s, &text, index_vmstat, ARRAY_SIZE(index_vmstat));
	seq_free(&text);
	seq_puts(s, "</table>\n<table id=\"time\">\n");
	index_time(s);
	seq_puts(s, "</table>\n</section>\n<section id=\"physmem\">\n"
		 "<h2>Physical memory</h2>\n"
		 "<img src=\"physmem.svg\" alt=\"physmem.svg\">\n</section>\n"
		 "<section id=\"processes\">\n<h2>Address spaces</h2>\n");
	list_for_each(l, &task_list) {
		struct task_struct *t = list_entry(l, struct task_struct, tasks);

		if (!thread_group_leader(t) || !task_mm(t))
			continue;
		if (++shown > 32) {
			seq_puts(s, "<p>(more processes: see their maps.svg)</p>\n");
			break;
		}
		seq_printf(s, "<figure><img src=\"%d/maps.svg\" alt=\"pid %d\">"
			   "<figcaption>pid %d ", t->pid, t->pid, t->pid);
		seq_put_xml(s, t->comm);
		seq_puts(s, "</figcaption></figure>\n");
	}
	seq_puts(s, "</section>\n</body></html>\n");
}
