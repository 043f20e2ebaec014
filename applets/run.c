/*
 * Which function runs each applet: netdemo's half of the registration.
 * mkman links applets.c and the applets' tables without this file, so the
 * applets' code (which no table points to) is left out of the page maker.
 */
#include "../core/err.h"
#include "applets.h"

int
applet_run(const struct applet *ap, const struct alias *al, const char *prog,
    int argc, char **argv)
{
	if (ap == &udp_server_applet)
		return udp_server_main(ap, al, prog, argc, argv);
	if (ap == &udp_client_applet)
		return udp_client_main(ap, al, prog, argc, argv);
	if (ap == &tcp_server_applet)
		return tcp_server_main(ap, al, prog, argc, argv);
	if (ap == &tcp_client_applet)
		return tcp_client_main(ap, al, prog, argc, argv);
	if (ap == &mtu_probe_applet)
		return mtu_probe_main(ap, al, prog, argc, argv);
	die(EXIT_SYSTEM, 0, "no function runs the applet %s", ap->name);
}
