#!/usr/bin/env python3
"""pty_complete.py: press TAB in a real interactive bash, print what it did.

completion.bats drives _netdemo directly through COMP_WORDS; this drives it
the way a user does, through readline in a terminal, so the way bash splits
words and applies COMPREPLY is checked too.  Usage:

    pty_complete.py [--bash-completion FILE] COMPLETION_FILE TEXT

types TEXT, presses TAB, then TAB twice more, and prints two lines:

    line: <the command line after the first TAB>
    list: <the words bash then listed, sorted, space-separated>

Every wait is bounded; the whole run is killed after 10 s (exit 124).
"""
import os
import pty
import re
import select
import signal
import sys
import time

MARK = 'NDLINE'


def main(argv):
    bash_completion = None
    if len(argv) >= 2 and argv[0] == '--bash-completion':
        bash_completion, argv = argv[1], argv[2:]
    if len(argv) != 2:
        sys.exit(__doc__)
    completion, text = argv
    signal.signal(signal.SIGALRM, lambda *_: os._exit(124))
    signal.alarm(10)

    pid, fd = pty.fork()
    if pid == 0:
        os.environ['TERM'] = 'dumb'
        os.environ['INPUTRC'] = '/dev/null'
        os.execvp('bash', ['bash', '--norc', '--noprofile', '-i'])

    out = bytearray()

    def read_until(pattern, limit):
        """Read until pattern matches the output, or limit seconds pass."""
        end = time.monotonic() + limit
        while time.monotonic() < end:
            if re.search(pattern, out.decode(errors='replace')):
                return True
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    out.extend(os.read(fd, 65536))
                except OSError:
                    return False
        return bool(re.search(pattern, out.decode(errors='replace')))

    def send(s):
        os.write(fd, s.encode())

    setup = ["PS1='PROMPT> '", 'bind "set bell-style none"',
             'bind "set completion-query-items 10000"',
             'bind "set page-completions off"',
             # Print the line being edited, between marks, on C-x C-l.
             'bind -x \'"\\C-x\\C-l": printf "\\n%s<%s>\\n" ' + MARK +
             ' "$READLINE_LINE"\'']
    if bash_completion:
        setup.append('. ' + bash_completion)
    setup += ['. ' + completion, 'echo READY']
    send('\n'.join(setup) + '\n')
    if not read_until(r'READY\r?\n.*PROMPT> ', 5):
        sys.exit('pty_complete: bash did not start: ' + out.decode())

    def line_now():
        """Ask bash for the edited line; wait for the prompt after it."""
        send('\x18\x0c')
        pattern = MARK + r'<([^>\n]*)>\r?\n'
        if not read_until(pattern, 3):
            sys.exit('pty_complete: no line: ' + out.decode(errors='replace'))
        got = re.search(pattern, out.decode()).group(1)
        read_until(pattern + 'PROMPT> ' + re.escape(got), 3)
        return got

    # Keys are read in order, so each step's output ends before the next.
    del out[:]
    send(text + '\t')
    line = line_now()

    # TAB twice on the same line lists the candidates, if several.
    del out[:]
    send('\t\t')
    line_now()
    shown = out.decode(errors='replace')
    # The listing is what came out before bash redrew the prompt.
    listing = shown.split('PROMPT> ')[0].split(MARK)[0]
    words = sorted(set(w for w in re.split(r'\s+', listing)
                       if w and not w.startswith('\x1b')))

    send('\x03exit\n')
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    print('line: ' + line)
    print('list: ' + ' '.join(words))


if __name__ == '__main__':
    main(sys.argv[1:])
