/* Shell completion words, from the applet and option tables. */
#ifndef NETDEMO_COMPLETE_H
#define NETDEMO_COMPLETE_H

/*
 * netdemo --complete WORD0 ... CUR: print, one a line, the words that may
 * stand where CUR is on the command line WORD0 ... CUR (WORD0 is the
 * command as typed: netdemo, udp_local, ./build/bin/udp_local.py).  The
 * shell keeps those that start with CUR.  A line starting with '@' asks the
 * shell for words it knows better: "@host" (host names), "@dir"
 * (directories).  Words of the shell's own never start with '@'.
 */
void	complete_words(int n, char **words);

#endif
