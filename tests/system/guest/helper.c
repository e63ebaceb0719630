// SPDX-License-Identifier: GPL-2.0
/*
 * tests/system/guest/helper.c: the system test's probes (compiled in the
 * guest's userland by its gcc).
 *   helper uname                 uname(2): prints "ok" or the errno name
 *   helper listen PORT           TCP listener on 127.0.0.1:PORT, answers
 *                                "hello" to each connection (forever)
 *   helper connect PORT          connects to 127.0.0.1:PORT (5 s timeout),
 *                                prints what it read or the error
 *   helper sockfilter PORT N     reads `tcpdump -ddd` output on stdin,
 *                                attaches it (SO_ATTACH_FILTER) to a packet
 *                                socket on lo, sends N UDP datagrams to
 *                                PORT and N to PORT+1 on 127.0.0.1, prints
 *                                "match M other O" (packets the filter let
 *                                through, outgoing copies left out, that
 *                                are / are not UDP to PORT)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

static struct sockaddr_in lo_addr(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port) };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static int do_listen(int port)
{
	struct sockaddr_in a = lo_addr(port);
	int one = 1, s = socket(AF_INET, SOCK_STREAM, 0), c;

	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (void *)&a, sizeof(a)) || listen(s, 8)) {
		perror("listen");
		return 1;
	}
	for (;;) {
		c = accept(s, NULL, NULL);
		if (c < 0)
			continue;
		if (write(c, "hello\n", 6) != 6)
			perror("write");
		close(c);
	}
}

static int do_connect(int port)
{
	struct sockaddr_in a = lo_addr(port);
	struct timeval tv = { .tv_sec = 5 };
	char buf[64] = "";
	int s = socket(AF_INET, SOCK_STREAM, 0);
	ssize_t n;

	setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(s, (void *)&a, sizeof(a))) {
		printf("connect: %s\n", strerrorname_np(errno));
		return 1;
	}
	n = read(s, buf, sizeof(buf) - 1);
	if (n <= 0) {
		printf("read: %s\n", n ? strerrorname_np(errno) : "EOF");
		return 1;
	}
	buf[n] = 0;
	printf("read: %s", buf);
	return 0;
}

static int do_sockfilter(int port, int n)
{
	struct sock_filter insns[BPF_MAXINSNS];
	struct sock_fprog prog = { .filter = insns };
	struct sockaddr_ll ll = { .sll_family = AF_PACKET,
				  .sll_protocol = htons(ETH_P_ALL) };
	int count, i, s, u, match = 0, other = 0;

	if (scanf("%d", &count) != 1 || count < 1 || count > BPF_MAXINSNS) {
		fprintf(stderr, "sockfilter: bad tcpdump -ddd output\n");
		return 2;
	}
	for (i = 0; i < count; i++) {
		unsigned int code, jt, jf, k;

		if (scanf("%u %u %u %u", &code, &jt, &jf, &k) != 4)
			return 2;
		insns[i] = (struct sock_filter){ code, jt, jf, k };
	}
	prog.len = count;
	/* Protocol 0 receives nothing until bound: no packet before the filter. */
	s = socket(AF_PACKET, SOCK_RAW, 0);
	if (s < 0 || setsockopt(s, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
				sizeof(prog))) {
		perror("sockfilter: SO_ATTACH_FILTER");
		return 1;
	}
	ll.sll_ifindex = if_nametoindex("lo");
	if (bind(s, (void *)&ll, sizeof(ll))) {
		perror("sockfilter: bind");
		return 1;
	}
	u = socket(AF_INET, SOCK_DGRAM, 0);
	for (i = 0; i < 2 * n; i++) {
		struct sockaddr_in a = lo_addr(port + (i & 1));

		sendto(u, "x", 1, 0, (void *)&a, sizeof(a));
	}
	for (;;) {
		struct pollfd p = { .fd = s, .events = POLLIN };
		unsigned char buf[2048];
		struct sockaddr_ll from;
		socklen_t fl = sizeof(from);
		struct iphdr *ip = (void *)(buf + ETH_HLEN);
		struct udphdr *uh;
		ssize_t len;

		if (poll(&p, 1, 1000) <= 0)
			break;
		len = recvfrom(s, buf, sizeof(buf), 0, (void *)&from, &fl);
		if (len < 0)
			break;
		if (from.sll_pkttype == PACKET_OUTGOING)
			continue;
		uh = (void *)((unsigned char *)ip + ip->ihl * 4);
		if (len >= ETH_HLEN + 28 && ip->protocol == IPPROTO_UDP &&
		    ntohs(uh->dest) == port)
			match++;
		else
			other++;
	}
	printf("match %d other %d\n", match, other);
	return !(match == n && other == 0);
}

int main(int argc, char **argv)
{
	struct utsname u;

	if (argc == 2 && !strcmp(argv[1], "uname")) {
		if (uname(&u)) {
			printf("%s\n", strerrorname_np(errno));
			return 1;
		}
		printf("ok\n");
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "listen"))
		return do_listen(atoi(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "connect"))
		return do_connect(atoi(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "sockfilter"))
		return do_sockfilter(atoi(argv[2]), atoi(argv[3]));
	fprintf(stderr, "usage: helper uname|listen PORT|connect PORT|sockfilter PORT N\n");
	return 2;
}
