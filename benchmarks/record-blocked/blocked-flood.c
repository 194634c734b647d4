/* blocked-flood: sends COUNT UDP datagrams to ADDRESS, cycling the destination port over PORTS ports from FIRST, and
 * prints the packets sent per CPU-second it used (user + system, getrusage): the cost the isolation's output chain adds
 * to the sender. Every datagram is dropped by the isolation, so sendto fails with EPERM; that is expected. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>

static double cpu_seconds(void)
{
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: %s ADDRESS FIRST-PORT PORTS COUNT\n", argv[0]);
        return 2;
    }
    struct sockaddr_in to = { .sin_family = AF_INET };
    if (inet_pton(AF_INET, argv[1], &to.sin_addr) != 1) {
        fprintf(stderr, "bad address %s\n", argv[1]);
        return 2;
    }
    long first = atol(argv[2]), ports = atol(argv[3]), count = atol(argv[4]);
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) {
        perror("socket");
        return 1;
    }
    char payload[32] = { 0 };
    double start = cpu_seconds();
    for (long i = 0; i < count; i++) {
        to.sin_port = htons((unsigned short)(first + i % ports));
        sendto(fd, payload, sizeof payload, 0, (struct sockaddr *)&to, sizeof to);
    }
    double used = cpu_seconds() - start;
    printf("%.0f\n", count / used);
    return 0;
}
