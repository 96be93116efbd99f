/*
 * ops.h - the FUSE operations table of the daemon.
 */
#ifndef FS_OPS_H
#define FS_OPS_H

#define FUSE_USE_VERSION 31
#include <fuse.h>

extern const struct fuse_operations mmufs_ops;

#endif
