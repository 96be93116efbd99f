/*
 * file.c - open files: a handle per open, and every read, write and poll
 * dispatched through the operations its file's row names.  Text files
 * are rendered into a per-open snapshot when read at offset 0 and served
 * from it (Linux's seq_read); the other files are addressed by offset;
 * ctl files hold the result of the last command written through them,
 * vtop the address written to it.  Also the operations of the text
 * files, of ctl and of vtop.  Machine lock held.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fs.h"
#include "render.h"
#include "parse.h"
#include "hw/cpu.h"
#include "mm/mm.h"

/* handle_task - see fs.h. */
struct task_struct *handle_task(const struct handle *h)
{
	if (h->epoch != machine_epoch)
		return NULL;
	return node_task(&h->node);
}

/* lookup_file - the file path names into *n: 0, -ENOENT, -EISDIR when
 * it is a directory, or -ELOOP when it is a symbolic link. */
static int lookup_file(const char *path, struct node *n)
{
	int err = node_lookup(path, n);

	if (!err && node_is_dir(n))
		err = -EISDIR;
	if (!err && n->file->readlink)
		err = -ELOOP;
	return err;
}

/* file_open - see fs.h. */
int file_open(const char *path, int flags, struct handle **hp)
{
	struct handle *h;
	struct node n;
	int err = lookup_file(path, &n);

	if (err)
		return err;
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->node = n;
	h->epoch = machine_epoch;
	seq_init(&h->text);
	err = n.file->fop->open ? n.file->fop->open(h, flags) : 0;
	if (err) {
		file_release(h);
		return err;
	}
	*hp = h;
	return 0;
}

/* file_release - see fs.h. */
void file_release(struct handle *h)
{
	seq_free(&h->text);
	free(h->pending);
	free(h);
}

/* render_fn - render h's file into s for task t (NULL above a pid):
 * 0 or -errno. */
typedef int render_fn(struct handle *h, struct task_struct *t,
		      struct seq *s);

/* render_node - render a text file into the handle's snapshot with fill:
 * 0, -ESRCH when the process of a file below a pid is gone, fill's
 * -errno, or -ENOMEM when the text could not be held whole. */
static int render_node(struct handle *h, render_fn *fill)
{
	struct task_struct *t = NULL;
	int err;

	if (h->node.pid && !(t = handle_task(h)))
		return -ESRCH;
	seq_reset(&h->text);
	err = fill(h, t, &h->text);
	if (!err && h->text.overflow)
		err = -ENOMEM;
	h->snapshot = !err;
	return err;
}

/* render_row - a text file's row's render operation. */
static int render_row(struct handle *h, struct task_struct *t, struct seq *s)
{
	return h->node.file->fop->render(&h->node, t, s);
}

/* read_snapshot - a slice of the snapshot fill makes (again at offset
 * 0). */
static ssize_t read_snapshot(struct handle *h, char *buf, size_t size,
			     off_t off, render_fn *fill)
{
	int err;

	if (off == 0 || !h->snapshot) {
		err = render_node(h, fill);
		if (err)
			return err;
	}
	if ((size_t)off >= h->text.len)
		return 0;
	if (size > h->text.len - (size_t)off)
		size = h->text.len - (size_t)off;
	memcpy(buf, h->text.buf + off, size);
	return (ssize_t)size;
}

/* file_read - see fs.h.  A reset leaves only the handles of what outlives
 * it (node_outlives_reset) readable. */
ssize_t file_read(struct handle *h, char *buf, size_t size, off_t off,
		  bool nonblock)
{
	const struct file_ops *fop = h->node.file->fop;

	if (h->epoch != machine_epoch && !node_outlives_reset(&h->node))
		return -ESRCH;
	if (fop->render)
		return read_snapshot(h, buf, size, off, render_row);
	return fop->read ? fop->read(h, buf, size, off, nonblock) : -EINVAL;
}

/* file_write - see fs.h. */
ssize_t file_write(struct handle *h, const char *buf, size_t size,
		   off_t off)
{
	const struct file_ops *fop = h->node.file->fop;

	return fop->write ? fop->write(h, buf, size, off) : -EACCES;
}

/* file_waits - see fs.h. */
bool file_waits(const struct handle *h)
{
	return h->node.file->fop->ready != NULL;
}

/* file_ready - see fs.h. */
bool file_ready(struct handle *h)
{
	return h->node.file->fop->ready(h);
}

/* file_truncate - see fs.h. */
int file_truncate(const char *path)
{
	struct node n;
	int err = lookup_file(path, &n);

	if (err)
		return err;
	return n.file->fop->truncates ? 0 : -EACCES;
}

/* ---- text files ---- */

/* render_task_text, render_task_text_err, render_sys_text - a row's
 * show function (Linux's proc_single_show). */
static int render_task_text(const struct node *n, struct task_struct *t,
			    struct seq *s)
{
	n->file->show.task(s, t);
	return 0;
}

static int render_task_text_err(const struct node *n, struct task_struct *t,
				struct seq *s)
{
	return n->file->show.task_err(s, t);
}

static int render_sys_text(const struct node *n, struct task_struct *t,
			   struct seq *s)
{
	(void)t;
	n->file->show.sys(s);
	return 0;
}

/* render_frame_text, render_tlb_text - frames/<pfn>, cpu<N>/tlb. */
static int render_frame_text(const struct node *n, struct task_struct *t,
			     struct seq *s)
{
	(void)t;
	render_frame(s, n->pfn);
	return 0;
}

static int render_tlb_text(const struct node *n, struct task_struct *t,
			   struct seq *s)
{
	(void)t;
	render_tlb(s, n->cpu);
	return 0;
}

/* render_node_text - a file of node/node<N>: its row's show function for
 * the node. */
static int render_node_text(const struct node *n, struct task_struct *t,
			    struct seq *s)
{
	(void)t;
	n->file->show.node(s, n->nid);
	return 0;
}

/* render_cpu_text - a file of cpu/cpu<N>/: its row's show function for
 * the CPU. */
static int render_cpu_text(const struct node *n, struct task_struct *t,
			   struct seq *s)
{
	(void)t;
	n->file->show.cpu(s, n->cpu);
	return 0;
}

/* ---- oom_score_adj (Linux's oom_score_adj_read/write) ---- */

static int render_oom_score_adj(const struct node *n, struct task_struct *t,
				struct seq *s)
{
	(void)n;
	seq_printf(s, "%d\n", t->group_leader->oom_score_adj);
	return 0;
}

/* write_oom_score_adj - a decimal number for the whole process; EINVAL
 * for anything else (the kernel gives the range), ESRCH once it is gone. */
static ssize_t write_oom_score_adj(struct handle *h, const char *buf,
				   size_t size, off_t off)
{
	struct task_struct *t = handle_task(h);
	int64_t v;
	int err;

	(void)off;
	if (!t)
		return -ESRCH;
	if (!parse_proc_int(buf, size, &v))
		return -EINVAL;
	err = set_oom_score_adj(t, v);
	return err ? err : (ssize_t)size;
}

const struct file_ops oom_score_adj_fops = {
	.render = render_oom_score_adj,
	.write = write_oom_score_adj,
	.truncates = true,
};

/* rendered_size - st_size of a picture: the length of its rendering now.
 * A browser reads a file:// URL up to st_size, so the 0 of procfs's text
 * would show it nothing; a change between stat and read may still cut
 * one load short (the page reloads each second). */
static uint64_t rendered_size(const struct node *n)
{
	struct seq s;
	uint64_t len = 0;

	seq_init(&s);
	if (!n->file->fop->render(n, node_task(n), &s) && !s.overflow)
		len = s.len;
	seq_free(&s);
	return len;
}

const struct file_ops task_picture_fops = {
	.render = render_task_text, .size = rendered_size };
const struct file_ops sys_picture_fops = {
	.render = render_sys_text, .size = rendered_size };
const struct file_ops task_text_fops = { .render = render_task_text };
const struct file_ops task_text_err_fops = { .render = render_task_text_err };
const struct file_ops sys_text_fops = { .render = render_sys_text };
const struct file_ops frame_fops = { .render = render_frame_text };
const struct file_ops tlb_fops = { .render = render_tlb_text };
const struct file_ops node_text_fops = { .render = render_node_text };
const struct file_ops cpu_text_fops = { .render = render_cpu_text };

/* ---- vtop (see render_vtop) ----
 * The address is per open: written through a descriptor, it is what
 * reads through that descriptor translate, from the offset just past the
 * write (the shell's `exec 3<>vtop; echo ADDR >&3; cat <&3` reads on at
 * the write's end).  A new open starts with the address last written to
 * the process's vtop (as a new open of ctl finds its last result), so
 * `echo ADDR > vtop; cat vtop` works too.  Every read translates anew:
 * the text is the state when it is read.  A refused write changes
 * neither; a read through its descriptor gives its error. */

/* The address last written to each pid's vtop, and the task and machine
 * it was written for (a reused pid or a reset machine starts afresh). */
struct vtop_last {
	uint64_t epoch, start_ns, va;
	bool set;
};
static struct vtop_last *vtop_last;
static size_t nr_vtop_last;

/* vtop_last_of - pid's entry, the table grown to hold it (grow); NULL
 * past the table, or when host memory is short (not kept then). */
static struct vtop_last *vtop_last_of(int pid, bool grow)
{
	size_t n = nr_vtop_last;
	struct vtop_last *grown;

	if ((size_t)pid < n)
		return &vtop_last[pid];
	if (!grow)
		return NULL;
	n = MAX((size_t)pid + 1, 2 * n);
	grown = realloc(vtop_last, n * sizeof(*grown));
	if (!grown)
		return NULL;
	memset(grown + nr_vtop_last, 0, (n - nr_vtop_last) * sizeof(*grown));
	vtop_last = grown;
	nr_vtop_last = n;
	return &vtop_last[pid];
}

/* vtop_parse - the address written (size bytes at buf: a number as ctl
 * takes one, then optional blanks and newlines) into *va: 0, or -EINVAL
 * with the reason in *why (empty, not a number, beyond the address space
 * of the machine's paging). */
static int vtop_parse(const char *buf, size_t size, uint64_t *va,
		      const char **why)
{
	char text[32];

	while (size > 0 && isspace((unsigned char)buf[size - 1]))
		size--;
	*why = "empty address";
	if (size == 0)
		return -EINVAL;
	*why = "not a number (decimal or 0x hex, at most 64 bits)";
	if (size >= sizeof(text) || memchr(buf, '\0', size))
		return -EINVAL;
	memcpy(text, buf, size);
	text[size] = '\0';
	if (!parse_num(text, va))
		return -EINVAL;
	*why = kernel_is_64bit() ?
	       "non-canonical address (bits 63..47 are not all equal)" :
	       "beyond the 4 GiB address space of 32-bit paging";
	return cpu_va_valid(&hw, *va) ? 0 : -EINVAL;
}

/* open_vtop - start with the process's last address, if it is still the
 * same process of the same machine. */
static int open_vtop(struct handle *h, int flags)
{
	struct vtop_last *l = vtop_last_of(h->node.pid, false);

	(void)flags;
	if (l && l->set && l->epoch == machine_epoch &&
	    l->start_ns == h->node.start_ns) {
		h->va = l->va;
		h->has_va = true;
	}
	return 0;
}

/* write_vtop - the address to translate (vtop_parse): size, or -EINVAL
 * with "error EINVAL: vtop: <reason>" for the reads of this descriptor,
 * -ESRCH once the process is gone. */
static ssize_t write_vtop(struct handle *h, const char *buf, size_t size,
			  off_t off)
{
	struct task_struct *t = handle_task(h);
	struct vtop_last *l;
	const char *why;
	char text[128];
	uint64_t va;

	if (!t)
		return -ESRCH;
	free(h->pending);
	h->pending = NULL;
	h->snapshot = false;
	if (vtop_parse(buf, size, &va, &why)) {
		snprintf(text, sizeof(text), "error EINVAL: vtop: %s\n", why);
		h->pending = strdup(text);
		return -EINVAL;
	}
	h->base = off + (off_t)size;	/* a refused write leaves the offset */
	h->va = va;
	h->has_va = true;
	l = vtop_last_of(h->node.pid, true);
	if (l)
		*l = (struct vtop_last){ machine_epoch, h->node.start_ns,
					 h->va, true };
	return (ssize_t)size;
}

/* fill_vtop - the translation of the descriptor's address; its last
 * write's error; nothing before an address is written. */
static int fill_vtop(struct handle *h, struct task_struct *t, struct seq *s)
{
	if (h->pending) {
		seq_puts(s, h->pending);
		return 0;
	}
	return h->has_va ? render_vtop(s, t, h->va) : 0;
}

/* read_vtop - the text from the offset past the last write (an offset
 * before it addresses the text from its start, as a fresh open does). */
static ssize_t read_vtop(struct handle *h, char *buf, size_t size, off_t off,
			 bool nonblock)
{
	(void)nonblock;
	if (off >= h->base)
		off -= h->base;
	return read_snapshot(h, buf, size, off, fill_vtop);
}

const struct file_ops vtop_fops = {
	.open = open_vtop,
	.read = read_vtop,
	.write = write_vtop,
	.truncates = true,
};

/* ---- ctl ---- */

/* open_ctl - the last result of the ctl file's commands (the machine's,
 * or the process's) is pending for this open. */
static int open_ctl(struct handle *h, int flags)
{
	const char *last = ctl_last_result(h->node.pid);

	(void)flags;
	h->pending = *last ? strdup(last) : NULL;
	return 0;
}

/* read_ctl - the pending result, consumed; end of file when none. */
static ssize_t read_ctl(struct handle *h, char *buf, size_t size, off_t off,
			bool nonblock)
{
	size_t n;

	(void)off;
	(void)nonblock;
	if (!h->pending)
		return 0;
	n = strlen(h->pending);
	if (n > size)
		n = size;
	memcpy(buf, h->pending, n);
	free(h->pending);
	h->pending = NULL;
	return (ssize_t)n;
}

/* write_ctl - run the commands (the offset is ignored: one command line
 * or more a write); the result becomes the pending one.  -ESRCH when the
 * process is gone. */
static ssize_t write_ctl(struct handle *h, const char *buf, size_t size,
			 off_t off)
{
	static char result[CTL_RESULT_MAX];
	int pid = 0;
	ssize_t ret;

	(void)off;
	if (h->node.pid) {
		struct task_struct *t = handle_task(h);

		if (!t)
			return -ESRCH;
		pid = t->pid;
	}
	ret = ctl_write(pid, buf, size, result, sizeof(result));
	free(h->pending);
	h->pending = strdup(result);
	return ret;
}

const struct file_ops ctl_fops = {
	.open = open_ctl,
	.read = read_ctl,
	.write = write_ctl,
	.truncates = true,
};
