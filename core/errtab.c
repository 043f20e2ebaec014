/* The errno table: Python's exception names and Linux's wording. */
#include <errno.h>
#include <netdb.h>
#include <stddef.h>
#include <stdio.h>

#include "errtab.h"

/*
 * Linux's numbers and glibc's wording for what a network tool meets; the
 * Python names follow PEP 3151 (NULL: plain OSError).  A hint is here
 * only where the errno alone tells what to try; where it depends on what
 * failed (EACCES on a bind or on a send), the caller says it.
 */
static const struct {
	int		 err;
	const char	*pyname;
	const char	*text;
	const char	*hint;
} table[] = {
	{ EPERM, "PermissionError", "Operation not permitted",
	    "a firewall rule may be refusing this" },
	{ ENOENT, "FileNotFoundError", "No such file or directory", NULL },
	{ ESRCH, "ProcessLookupError", "No such process", NULL },
	{ EINTR, "InterruptedError", "Interrupted system call", NULL },
	{ EIO, NULL, "Input/output error", NULL },
	{ EBADF, NULL, "Bad file descriptor", NULL },
	{ ECHILD, "ChildProcessError", "No child processes", NULL },
	{ EAGAIN, "BlockingIOError", "Resource temporarily unavailable", NULL },
	{ ENOMEM, NULL, "Cannot allocate memory", NULL },
	{ EACCES, "PermissionError", "Permission denied", NULL },
	{ EFAULT, NULL, "Bad address", NULL },
	{ EBUSY, NULL, "Device or resource busy", NULL },
	{ EEXIST, "FileExistsError", "File exists", NULL },
	{ ENODEV, NULL, "No such device", NULL },
	{ ENOTDIR, "NotADirectoryError", "Not a directory", NULL },
	{ EISDIR, "IsADirectoryError", "Is a directory", NULL },
	{ EINVAL, NULL, "Invalid argument", NULL },
	{ ENFILE, NULL, "Too many open files in system", NULL },
	{ EMFILE, NULL, "Too many open files",
	    "raise the limit with ulimit -n" },
	{ ENOSPC, NULL, "No space left on device", NULL },
	{ EROFS, NULL, "Read-only file system", NULL },
	{ EPIPE, "BrokenPipeError", "Broken pipe", NULL },
	{ ENAMETOOLONG, NULL, "File name too long", NULL },
	{ ENONET, NULL, "Machine is not on the network", NULL },
	{ EPROTO, NULL, "Protocol error", NULL },
	{ ENOTSOCK, NULL, "Socket operation on non-socket", NULL },
	{ EDESTADDRREQ, NULL, "Destination address required", NULL },
	{ EMSGSIZE, NULL, "Message too long", NULL },
	{ EPROTOTYPE, NULL, "Protocol wrong type for socket", NULL },
	{ ENOPROTOOPT, NULL, "Protocol not available", NULL },
	{ EPROTONOSUPPORT, NULL, "Protocol not supported", NULL },
	{ ESOCKTNOSUPPORT, NULL, "Socket type not supported", NULL },
	{ EOPNOTSUPP, NULL, "Operation not supported", NULL },
	{ EPFNOSUPPORT, NULL, "Protocol family not supported", NULL },
	{ EAFNOSUPPORT, NULL, "Address family not supported by protocol",
	    "this machine may have no IPv6; try -4" },
	{ EADDRINUSE, NULL, "Address already in use",
	    "another program holds that port; pick another with -p" },
	{ EADDRNOTAVAIL, NULL, "Cannot assign requested address",
	    "that address is not on any interface of this machine" },
	{ ENETDOWN, NULL, "Network is down", NULL },
	{ ENETUNREACH, NULL, "Network is unreachable",
	    "no route leads there; check the address and the routing table" },
	{ ENETRESET, NULL, "Network dropped connection on reset", NULL },
	{ ECONNABORTED, "ConnectionAbortedError",
	    "Software caused connection abort", NULL },
	{ ECONNRESET, "ConnectionResetError", "Connection reset by peer",
	    NULL },
	{ ENOBUFS, NULL, "No buffer space available", NULL },
	{ EISCONN, NULL, "Transport endpoint is already connected", NULL },
	{ ENOTCONN, NULL, "Transport endpoint is not connected", NULL },
	{ ESHUTDOWN, "BrokenPipeError",
	    "Cannot send after transport endpoint shutdown", NULL },
	{ ETIMEDOUT, "TimeoutError", "Connection timed out",
	    "a firewall may be dropping the packets, or the host is down" },
	{ ECONNREFUSED, "ConnectionRefusedError", "Connection refused",
	    "is a server running on that port?" },
	{ EHOSTDOWN, NULL, "Host is down", NULL },
	{ EHOSTUNREACH, NULL, "No route to host",
	    "the host did not answer on its network; check the address" },
	{ EALREADY, "BlockingIOError", "Operation already in progress", NULL },
	{ EINPROGRESS, "BlockingIOError", "Operation now in progress", NULL },
};

/*
 * getaddrinfo's codes with glibc's numbers (which musl shares but for two)
 * and messages.
 */
static const struct {
	int		 code;
	int		 number;
	const char	*text;
} gaitable[] = {
	{ EAI_BADFLAGS, -1, "Bad value for ai_flags" },
	{ EAI_NONAME, -2, "Name or service not known" },
	{ EAI_AGAIN, -3, "Temporary failure in name resolution" },
	{ EAI_FAIL, -4, "Non-recoverable failure in name resolution" },
#ifdef EAI_NODATA
	{ EAI_NODATA, -5, "No address associated with hostname" },
#endif
	{ EAI_FAMILY, -6, "ai_family not supported" },
	{ EAI_SOCKTYPE, -7, "ai_socktype not supported" },
	{ EAI_SERVICE, -8, "Servname not supported for ai_socktype" },
#ifdef EAI_ADDRFAMILY
	{ EAI_ADDRFAMILY, -9, "Address family for hostname not supported" },
#endif
	{ EAI_MEMORY, -10, "Memory allocation failure" },
	{ EAI_SYSTEM, -11, "System error" },
};

#define LEN(a)	(sizeof(a) / sizeof((a)[0]))

/* The errno's row, or -1. */
static int
row(int err)
{
	for (size_t i = 0; i < LEN(table); i++)
		if (table[i].err == err)
			return (int)i;
	return -1;
}

/* The getaddrinfo code's row, or -1. */
static int
gai_row(int err)
{
	for (size_t i = 0; i < LEN(gaitable); i++)
		if (ERRTAB_GAI(gaitable[i].code) == err)
			return (int)i;
	return -1;
}

const char *
errtab_text(int err)
{
	static char unknown[32];
	int i;

	if (ERRTAB_IS_GAI(err))
		return (i = gai_row(err)) >= 0 ? gaitable[i].text :
		    "Unknown error";
	if ((i = row(err)) >= 0)
		return table[i].text;
	snprintf(unknown, sizeof(unknown), "Unknown error %d", err);
	return unknown;
}

const char *
errtab_pyname(int err)
{
	int i;

	if (ERRTAB_IS_GAI(err))
		return "socket.gaierror";
	if ((i = row(err)) >= 0 && table[i].pyname)
		return table[i].pyname;
	return "OSError";
}

int
errtab_number(int err)
{
	int i;

	if (!ERRTAB_IS_GAI(err))
		return err;
	return (i = gai_row(err)) >= 0 ? gaitable[i].number :
	    ERRTAB_GAI_BASE - err;
}

const char *
errtab_hint(int err)
{
	int i;

	return !ERRTAB_IS_GAI(err) && (i = row(err)) >= 0 ? table[i].hint :
	    NULL;
}
