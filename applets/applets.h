/* The applets' descriptors and the functions that run them. */
#ifndef NETDEMO_APPLETS_H
#define NETDEMO_APPLETS_H

#include "../core/applet.h"

extern const struct applet udp_server_applet, udp_client_applet,
    tcp_server_applet, tcp_client_applet, mtu_probe_applet;

int	udp_server_main(const struct applet *, const struct alias *,
	    const char *prog, int argc, char **argv);
int	udp_client_main(const struct applet *, const struct alias *,
	    const char *prog, int argc, char **argv);
int	tcp_server_main(const struct applet *, const struct alias *,
	    const char *prog, int argc, char **argv);
int	tcp_client_main(const struct applet *, const struct alias *,
	    const char *prog, int argc, char **argv);
int	mtu_probe_main(const struct applet *, const struct alias *,
	    const char *prog, int argc, char **argv);

#endif
