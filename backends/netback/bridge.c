/*
 * Adding a tap to a Linux bridge: SIOCBRADDIF on the bridge's name with the
 * port's ifindex (what `ip link set TAP master BR` and brctl addif do).
 * The port leaves the bridge by itself when the tap is deleted.
 */
#define _GNU_SOURCE
#include "netback.h"

#include <errno.h>
#include <linux/sockios.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

int bridge_add(const char *bridge, const char *ifname, char *err, size_t errlen)
{
    char dir[80], path[96];
    struct stat st;
    struct ifreq ifr;

    if (if_nametoindex(bridge) == 0) {
        snprintf(err, errlen, "bridge %s does not exist (create it in dom0: "
                 "ip link add %s type bridge; ip link set %s up)", bridge, bridge, bridge);
        return -ENODEV;
    }
    /* sysfs tells a bridge from another interface, where it shows our
     * network namespace; otherwise the ioctl below refuses instead. */
    snprintf(dir, sizeof(dir), "/sys/class/net/%s", bridge);
    snprintf(path, sizeof(path), "%s/bridge", dir);
    if (stat(dir, &st) == 0 && stat(path, &st) < 0) {
        snprintf(err, errlen, "%s exists but is not a bridge", bridge);
        return -ENOTTY;
    }
    unsigned idx = if_nametoindex(ifname);
    if (idx == 0) {
        int e = errno;
        snprintf(err, errlen, "tap %s vanished: %s", ifname, strerror(e));
        return -e;
    }
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) {
        int e = errno;
        snprintf(err, errlen, "socket: %s", strerror(e));
        return -e;
    }
    memset(&ifr, 0, sizeof(ifr));
    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", bridge);
    ifr.ifr_ifindex = (int)idx;
    int rc = 0;
    if (ioctl(s, SIOCBRADDIF, &ifr) < 0) {
        rc = -errno;
        snprintf(err, errlen, "cannot add %s to bridge %s: %s%s", ifname, bridge, strerror(-rc),
                 rc == -EOPNOTSUPP || rc == -EINVAL ? " (not a bridge? is the bridge module "
                                                      "loaded?)" : "");
    }
    close(s);
    return rc;
}
