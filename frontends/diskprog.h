/* The guest's disk programs (diskprog.c), run from the command line. */
#ifndef DISKPROG_H
#define DISKPROG_H

#include "blkfront.h"
#include "netfront.h"

const char *prog_blk_verify(struct blkdev *d);
const char *prog_blk_check(struct blkdev *d);
const char *prog_blk_bench(struct blkdev *d);
const char *prog_blk_ops(struct blkdev *d);
const char *prog_blk_hostile(struct blkdev *d);   /* hostile.c */
const char *net_hostile_frames(struct netdev *n);  /* hostile.c */
const char *net_hostile_runahead(struct netdev *n);

#endif
