/*
 * sv-udp: one UDP datagram from dom0, for the split-driver tests (busybox's
 * nc has no UDP).
 *
 *   sv-udp send IP PORT TEXT           send TEXT, exit 0
 *   sv-udp echo IP PORT TEXT [SECONDS] send TEXT, wait (2 s) for the same
 *                                      bytes back: exit 0 and print the
 *                                      round trip, or exit 1
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 5 || (strcmp(argv[1], "send") && strcmp(argv[1], "echo"))) {
        fprintf(stderr, "usage: sv-udp send|echo IP PORT TEXT [SECONDS]\n");
        return 2;
    }
    struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[3])) };
    if (inet_pton(AF_INET, argv[2], &to.sin_addr) != 1) {
        fprintf(stderr, "sv-udp: %s is not an IPv4 address\n", argv[2]);
        return 2;
    }
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) {
        perror("sv-udp: socket");
        return 1;
    }
    size_t len = strlen(argv[4]);
    double t0 = now();
    if (sendto(fd, argv[4], len, 0, (struct sockaddr *)&to, sizeof(to)) != (ssize_t)len) {
        fprintf(stderr, "sv-udp: sendto %s:%s: %s\n", argv[2], argv[3], strerror(errno));
        return 1;
    }
    if (!strcmp(argv[1], "send"))
        return 0;
    struct timeval tv = { .tv_sec = argc > 5 ? atoi(argv[5]) : 2 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    char buf[2048];
    ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n != (ssize_t)len || memcmp(buf, argv[4], len)) {
        printf("sv-udp: no echo from %s:%s (%s)\n", argv[2], argv[3], n < 0 ? strerror(errno) : "other bytes");
        return 1;
    }
    printf("sv-udp: echo from %s:%s after %.2f ms\n", argv[2], argv[3], (now() - t0) * 1e3);
    return 0;
}
