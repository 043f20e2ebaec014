/* The errno table: Python's exception names and Linux's wording. */
#include <errno.h>
#include <netdb.h>
#include <stddef.h>
#include <stdio.h>

#include "errtab.h"

/*
 * Linux's numbers and glibc's wording for what a network tool meets; the
 * Python names follow PEP 3151 (NULL: plain OSError).
 */
static const struct {
	int		 err;
	const char	*pyname;
	const char	*text;
} table[] = {
	{ EPERM, "PermissionError", "Operation not permitted" },
	{ ENOENT, "FileNotFoundError", "No such file or directory" },
	{ ESRCH, "ProcessLookupError", "No such process" },
	{ EINTR, "InterruptedError", "Interrupted system call" },
	{ EIO, NULL, "Input/output error" },
	{ EBADF, NULL, "Bad file descriptor" },
	{ ECHILD, "ChildProcessError", "No child processes" },
	{ EAGAIN, "BlockingIOError", "Resource temporarily unavailable" },
	{ ENOMEM, NULL, "Cannot allocate memory" },
	{ EACCES, "PermissionError", "Permission denied" },
	{ EFAULT, NULL, "Bad address" },
	{ EBUSY, NULL, "Device or resource busy" },
	{ EEXIST, "FileExistsError", "File exists" },
	{ ENODEV, NULL, "No such device" },
	{ ENOTDIR, "NotADirectoryError", "Not a directory" },
	{ EISDIR, "IsADirectoryError", "Is a directory" },
	{ EINVAL, NULL, "Invalid argument" },
	{ ENFILE, NULL, "Too many open files in system" },
	{ EMFILE, NULL, "Too many open files" },
	{ ENOSPC, NULL, "No space left on device" },
	{ EROFS, NULL, "Read-only file system" },
	{ EPIPE, "BrokenPipeError", "Broken pipe" },
	{ ENAMETOOLONG, NULL, "File name too long" },
	{ ENONET, NULL, "Machine is not on the network" },
	{ EPROTO, NULL, "Protocol error" },
	{ ENOTSOCK, NULL, "Socket operation on non-socket" },
	{ EDESTADDRREQ, NULL, "Destination address required" },
	{ EMSGSIZE, NULL, "Message too long" },
	{ EPROTOTYPE, NULL, "Protocol wrong type for socket" },
	{ ENOPROTOOPT, NULL, "Protocol not available" },
	{ EPROTONOSUPPORT, NULL, "Protocol not supported" },
	{ ESOCKTNOSUPPORT, NULL, "Socket type not supported" },
	{ EOPNOTSUPP, NULL, "Operation not supported" },
	{ EPFNOSUPPORT, NULL, "Protocol family not supported" },
	{ EAFNOSUPPORT, NULL, "Address family not supported by protocol" },
	{ EADDRINUSE, NULL, "Address already in use" },
	{ EADDRNOTAVAIL, NULL, "Cannot assign requested address" },
	{ ENETDOWN, NULL, "Network is down" },
	{ ENETUNREACH, NULL, "Network is unreachable" },
	{ ENETRESET, NULL, "Network dropped connection on reset" },
	{ ECONNABORTED, "ConnectionAbortedError",
	    "Software caused connection abort" },
	{ ECONNRESET, "ConnectionResetError", "Connection reset by peer" },
	{ ENOBUFS, NULL, "No buffer space available" },
	{ EISCONN, NULL, "Transport endpoint is already connected" },
	{ ENOTCONN, NULL, "Transport endpoint is not connected" },
	{ ESHUTDOWN, "BrokenPipeError",
	    "Cannot send after transport endpoint shutdown" },
	{ ETIMEDOUT, "TimeoutError", "Connection timed out" },
	{ ECONNREFUSED, "ConnectionRefusedError", "Connection refused" },
	{ EHOSTDOWN, NULL, "Host is down" },
	{ EHOSTUNREACH, NULL, "No route to host" },
	{ EALREADY, "BlockingIOError", "Operation already in progress" },
	{ EINPROGRESS, "BlockingIOError", "Operation now in progress" },
};

/*
 * The hints, only where the errno alone tells what to try; where it depends
 * on what failed (EACCES on a bind or on a send), the caller says it.
 */
static const struct {
	int		 err;
	const char	*hint;
} hints[] = {
	{ EPERM, "a firewall rule may be refusing this" },
	{ EMFILE, "raise the limit with ulimit -n" },
	{ EAFNOSUPPORT, "this machine may have no IPv6; try -4" },
	{ EADDRINUSE, "another program holds that port; pick another with -p" },
	{ EADDRNOTAVAIL,
	    "that address is not on any interface of this machine" },
	{ ENETUNREACH,
	    "no route leads there; check the address and the routing table" },
	{ ETIMEDOUT,
	    "a firewall may be dropping the packets, or the host is down" },
	{ ECONNREFUSED, "is a server running on that port?" },
	{ EHOSTUNREACH,
	    "the host did not answer on its network; check the address" },
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
	for (size_t i = 0; i < LEN(hints); i++)
		if (hints[i].err == err)
			return hints[i].hint;
	return NULL;
}
