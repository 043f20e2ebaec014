/* The errno table: Python's exception names and Linux's wording. */
#ifndef NETDEMO_ERRTAB_H
#define NETDEMO_ERRTAB_H

/*
 * getaddrinfo's codes travel in the same int as errno, shifted out of its
 * range, so one error path serves both: ERRTAB_GAI(EAI_NONAME).
 */
#define ERRTAB_GAI_BASE	100000
#define ERRTAB_GAI(code) (ERRTAB_GAI_BASE - (code))
#define ERRTAB_IS_GAI(e) ((e) > ERRTAB_GAI_BASE / 2)

/* Linux/glibc wording, from our own table so every libc says the same. */
const char *errtab_text(int err);
/* PEP 3151's exception name: ConnectionRefusedError, ..., OSError. */
const char *errtab_pyname(int err);
/* The number Python shows in [Errno N]. */
int	errtab_number(int err);
/*
 * What to try next, where the errno alone says it (EADDRINUSE: pick
 * another port); NULL when the cause depends on what was being done.
 */
const char *errtab_hint(int err);

#endif
