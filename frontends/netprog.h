/* The guest's network programs (netprog.c), run from the command line. */
#ifndef NETPROG_H
#define NETPROG_H

#include "netfront.h"

const char *net_up(void);       /* netfront + stack, once */
void net_down(void);
const char *prog_net_ping(void);
const char *prog_net_serve(void);
const char *prog_udp_send(void);
const char *prog_udp_recv(void);
const char *prog_net_hostile(void);
const char *prog_net_attach_wait(void);
const char *prog_net_detach_wait(void);

#endif
