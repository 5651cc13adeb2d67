/*
 * The tap device: /dev/net/tun with IFF_TAP | IFF_NO_PI | IFF_VNET_HDR
 * (Documentation/networking/tuntap.rst).  Every frame read or written
 * starts with a struct virtio_net_hdr; TUNSETOFFLOAD(TUN_F_CSUM) lets the
 * kernel hand us frames whose checksum is still to be filled in (passed on
 * to a guest that takes them, completed in offload.c otherwise).  The
 * device is not persistent: closing the fd deletes it.
 */
#define _GNU_SOURCE
#include "netback.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_arp.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define TUN_DEV "/dev/net/tun"

bool tap_name_valid(const char *name)
{
    size_t n = strlen(name);

    if (n == 0 || n >= IFNAMSIZ || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '_'))
            return false;
    }
    return true;
}

int tap_open(const char *name, char *err, size_t errlen)
{
    struct ifreq ifr;
    int fd = open(TUN_DEV, O_RDWR | O_CLOEXEC | O_NONBLOCK);

    if (fd < 0) {
        int e = errno;
        snprintf(err, errlen, "cannot open %s: %s (is the tun module loaded?)", TUN_DEV,
                 strerror(e));
        return -e;
    }
    memset(&ifr, 0, sizeof(ifr));
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        int e = errno;
        snprintf(err, errlen, "cannot create tap %s: %s%s", name, strerror(e),
                 e == EBUSY ? " (an interface of that name is in use)" : "");
        close(fd);
        return -e;
    }
    if (ioctl(fd, TUNSETOFFLOAD, (unsigned long)TUN_F_CSUM) < 0)
        msg(LOG_WARNING, "tap %s: no checksum offload (%s); frames arrive checksummed", name,
            strerror(errno));
    return fd;
}

int tap_configure(const char *name, const uint8_t mac[6], char *err, size_t errlen)
{
    struct ifreq ifr;
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    int rc = 0;

    if (s < 0) {
        int e = errno;
        snprintf(err, errlen, "socket: %s", strerror(e));
        return -e;
    }
    memset(&ifr, 0, sizeof(ifr));
    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
    ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
    memcpy(ifr.ifr_hwaddr.sa_data, mac, 6);
    if (ioctl(s, SIOCSIFHWADDR, &ifr) < 0) {
        rc = -errno;
        snprintf(err, errlen, "cannot set the MAC address of %s: %s", name, strerror(-rc));
        goto out;
    }
    memset(&ifr, 0, sizeof(ifr));
    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
    if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) {
        rc = -errno;
        snprintf(err, errlen, "cannot read the flags of %s: %s", name, strerror(-rc));
        goto out;
    }
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) {
        rc = -errno;
        snprintf(err, errlen, "cannot bring %s up: %s", name, strerror(-rc));
    }
out:
    close(s);
    return rc;
}

ssize_t tap_read(int fd, void *buf, size_t cap)
{
    for (;;) {
        ssize_t n = read(fd, buf, cap);
        if (n >= 0)
            return n;
        if (errno != EINTR)
            return errno == EWOULDBLOCK ? -EAGAIN : -errno;
    }
}

int tap_write(int fd, const void *buf, size_t len)
{
    for (;;) {
        ssize_t n = write(fd, buf, len);
        if (n >= 0)
            return n == (ssize_t)len ? 0 : -EIO;
        if (errno != EINTR)
            return -errno;
    }
}
