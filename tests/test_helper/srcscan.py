#!/usr/bin/env python3
"""srcscan.py: what the C sources declare, read from the sources themselves.

The tests compare netdemo's help, man page and completion words with this,
so a check never trusts the program to describe itself.  Usage:

    srcscan.py applets                  applet names, one a line
    srcscan.py aliases                  book program names
    srcscan.py roles ALIAS              "server APPLET" and "client APPLET"
    srcscan.py grammar ALIAS            its book grammar
    srcscan.py options APPLET           its -x and --long words, then the
                                        common ones (opt_common)
    srcscan.py toplevel                 netdemo's own options (doc_top_opts)
    srcscan.py choices APPLET LONG      the words of a choice option
    srcscan.py events                   "APPLET EVENT KEY..." per event of
                                        OUT(), out_event() and
                                        out_progress() in an applet and
                                        the core modules it includes,
                                        keys sorted; "* error KEY..."
                                        for core's (with the fields
                                        err_set_from() adds)
    srcscan.py man-events FILE          the same, as the JSON section of the
                                        man page FILE (roff) lists them
    srcscan.py man-text FILE SECTION [SUBSECTION]
                                        that part of the man page FILE as
                                        plain text, one source line a line
    srcscan.py cache DIR [FILE]         every answer above (for each
                                        applet, book program, choice option
                                        and, given the man page FILE, each
                                        of its sections and subsections),
                                        each in a file of DIR named by
                                        cache_key() of its question, so a
                                        test asks it once, not once a call
                                        (test_helper/srcscan.bash)

The root of the tree is the parent of tests/, or $ND_SRC.
"""
import contextlib
import io
import os
import re
import sys

ROOT = os.environ.get('ND_SRC') or os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))


def read(rel):
    with open(os.path.join(ROOT, rel), encoding='utf-8') as f:
        # Comments could hold anything that looks like code.
        text = re.sub(r'/\*.*?\*/', ' ', f.read(), flags=re.S)
        return re.sub(r'//[^\n]*', ' ', text)


def c_strings(expr):
    """The value of adjacent C string literals ("a" "b" -> "ab")."""
    return ''.join(re.findall(r'"((?:[^"\\]|\\.)*)"', expr))


def applet_files():
    """{applet name: (source text, C name of the descriptor)}."""
    found = {}
    for name in sorted(os.listdir(os.path.join(ROOT, 'applets'))):
        if not name.endswith('.c') or name == 'applets.c':
            continue
        text = read('applets/' + name)
        m = re.search(r'const struct applet (\w+) = \{\s*"([^"]+)"', text)
        if m:
            found[m.group(2)] = (text, m.group(1))
    return found


def table(text, cname):
    """Rows of `struct opt CNAME[] = {...}`, each written
    OPT(short, "long", KIND, offset, "METAVAR", "help", min, max):
    (short, long, kind, choice words).  A choice's metavar is its words,
    "{sixteen,upper}"."""
    m = re.search(r'struct opt ' + re.escape(cname) + r'\[\] = \{(.*?)\n\};',
                  text, re.S)
    if not m:
        sys.exit('srcscan: no option table %s' % cname)
    body = m.group(1)
    # A macro of rows shared by applets (CLI_AIM_OPTS in core/cli.h)
    # stands for the rows of its definition.
    for name, rows_text in row_macros().items():
        body = re.sub(r'\b' + name + r'\([^)]*\)', lambda _: rows_text, body)
    rows = []
    for row in re.finditer(
            r"\bOPT\(\s*(0|'(.)')\s*,\s*\"([^\"]*)\"\s*,\s*(OPT_\w+)\s*,"
            r"(?:[^,()]|\([^()]*\))*,\s*\"([^\"]*)\"", body, re.S):
        words = []
        if row.group(4) == 'OPT_CHOICE':
            words = row.group(5).strip('{}').split(',')
        rows.append((row.group(2), row.group(3) or None, row.group(4),
                     words))
    return rows


def row_macros():
    """{name: its OPT() rows} for the row macros of core/cli.h."""
    found = {}
    text = read('core/cli.h')
    for m in re.finditer(r'#define (\w+)\([^)]*\)((?:[^\n]*\\\n)+[^\n]*)',
                         text):
        if 'OPT(' in m.group(2):
            found[m.group(1)] = m.group(2).replace('\\\n', '\n')
    return found


def option_words(rows):
    words = []
    for short, long_, _, _ in rows:
        if short:
            words.append('-' + short)
        if long_:
            words.append('--' + long_)
    return words


def aliases():
    """[(name, server C name, client C name or None, grammar)] from
    applets.c."""
    text = read('applets/applets.c')
    body = re.search(r'const struct alias aliases\[\] = \{(.*?)\n\};',
                     text, re.S).group(1)
    out = []
    for row in re.finditer(r'\{\s*"(\w+)"(.*?)\}\s*,', body, re.S):
        # Without its strings (which hold commas) a row splits into its
        # fields: grammar, summary, server, preset, client, preset, ...
        fields = [f.strip() for f in
                  re.sub(r'"(?:[^"\\]|\\.)*"', '', row.group(2)).split(',')]
        server, client = fields[3].lstrip('&'), fields[5].lstrip('&')
        grammar = re.match(r'\s*,\s*"((?:[^"\\]|\\.)*)"', row.group(2))
        out.append((row.group(1), server, None if client == 'NULL' else client,
                    grammar.group(1)))
    return out


def sent_events(text):
    """{event: keys} a source sends: each OUT() with its fields, and each
    out_event() whose event is a literal or a choice of literals
    (summary ? "summary" : "interval"), with the OF_ fields of the
    function it is in, however it builds them."""
    found = {}
    for m in re.finditer(r'\bOUT\(\s*"(\w+)"(.*?)\);', text, re.S):
        found.setdefault(m.group(1), set()).update(
            re.findall(r'\bOF_\w+\(\s*"(\w+)"', m.group(2)))
    for m in re.finditer(r'\bout_event\(([^,]*),', text):
        body = text[text.rfind('\n}\n', 0, m.start()):m.start()]
        for name in re.findall(r'"(\w+)"', m.group(1)):
            found.setdefault(name, set()).update(
                re.findall(r'OF_\w+\(\s*"(\w+)"', body))
    return found


def events():
    """{(applet, event): set of keys}, applet '*' for core's error event.
    An applet sends its own events and those of the core modules it
    includes (udp-client's --flood reports from core/floodrep.c); core's
    error event (core/err.c) is every applet's.  An event sent from two
    places (tcp-server's accept, in either mode) has the keys of both."""
    found = {}

    def add(applet, event, keys):
        found.setdefault((applet, event), set()).update(keys)

    for applet, (text, _) in applet_files().items():
        sources = [text]
        for mod in re.findall(r'#include "\.\./core/(\w+)\.h"', text):
            if mod != 'err' and os.path.exists(
                    os.path.join(ROOT, 'core', mod + '.c')):
                sources.append(read('core/%s.c' % mod))
        for source in sources:
            for event, keys in sent_events(source).items():
                add(applet, event, keys)
        for m in re.finditer(
                r'\bout_progress\(\s*"(\w+)"\s*,\s*"(?:[^"\\]|\\.)*"\s*,'
                r'\s*"(\w+)"', text, re.S):
            add(applet, m.group(1), [m.group(2)])
    for event, keys in sent_events(read('core/err.c')).items():
        add('*', event, keys)
    return found


def unroff(text):
    """roff source text as it reads: fonts dropped, escapes undone."""
    text = re.sub(r'\\f[BIRP]', '', text)
    for esc, plain in (('\\-', '-'), ('\\(aq', "'"), ('\\(ga', '`'),
                       ('\\&', ''), ('\\e', '\\')):
        text = text.replace(esc, plain)
    return text


def man_events(path):
    """{(applet, event): set of keys} from the JSON section of a man page."""
    found = {}
    applet = None
    in_json = tag_next = False
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if line.startswith('.SH'):
                in_json = line.strip() == '.SH JSON'
            elif not in_json:
                continue
            elif line.startswith('.SS '):
                applet = unroff(line[4:].strip())
                if applet == 'every applet':
                    applet = '*'
            elif line.startswith('.TP'):
                tag_next = True
            elif tag_next:
                tag_next = False
                event, _, keys = unroff(line).partition(' ')
                found.setdefault((applet, event), set()).update(
                    k.strip() for k in keys.split(',') if k.strip())
    return found


def man_text(path, section, subsection=None):
    """A section (or one subsection of it) of a man page as plain lines:
    requests dropped, text unescaped, one source line a line."""
    out = []
    here = sub_here = False
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if line.startswith('.SH '):
                here = unroff(line[4:].strip().strip('"')) == section
                sub_here = subsection is None
                continue
            if not here:
                continue
            if line.startswith('.SS '):
                sub_here = (subsection is None or
                            unroff(line[4:].strip()) == subsection)
                continue
            if sub_here and not line.startswith('.'):
                out.append(unroff(line))
            elif sub_here and line.startswith('.') and ' ' in line and \
                    line[:3] in ('.B ', '.I '):
                out.append(unroff(line[3:]))
    return out


def cache_key(argv):
    """The file name of a question: its words with '%', '/' and ' '
    percent-encoded, joined by spaces (srcscan.bash builds the same)."""
    return ' '.join(a.replace('%', '%25').replace('/', '%2F')
                    .replace(' ', '%20') for a in argv)


def man_headings(path):
    """[(section, [subsection, ...])] of a man page, as man_text() names
    them."""
    out = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if line.startswith('.SH '):
                out.append((unroff(line[4:].strip().strip('"')), []))
            elif line.startswith('.SS ') and out:
                out[-1][1].append(unroff(line[4:].strip()))
    return out


def cache(directory, page=None):
    """Write the answer to every question this script can enumerate into
    DIRECTORY, exactly as main() prints it."""
    files = applet_files()
    questions = [['applets'], ['aliases'], ['toplevel'], ['events']]
    for name, _, _, _ in aliases():
        questions += [['roles', name], ['grammar', name]]
    for applet, (text, _) in files.items():
        questions.append(['options', applet])
        for _, long_, kind, _ in table(text, 'opts'):
            if kind == 'OPT_CHOICE' and long_:
                questions.append(['choices', applet, long_])
    if page is not None:
        questions.append(['man-events', page])
        for section, subsections in man_headings(page):
            questions.append(['man-text', page, section])
            questions += [['man-text', page, section, sub]
                          for sub in subsections]
    os.makedirs(directory, exist_ok=True)
    for argv in questions:
        answer = io.StringIO()
        with contextlib.redirect_stdout(answer):
            main(argv)
        path = os.path.join(directory, cache_key(argv))
        with open(path + '.tmp', 'w', encoding='utf-8') as f:
            f.write(answer.getvalue())
        os.replace(path + '.tmp', path)


def main(argv):
    if argv[:1] == ['cache'] and len(argv) in (2, 3):
        cache(*argv[1:])
        return
    files = applet_files()
    names = {cname: name for name, (_, cname) in files.items()}
    if argv[:1] == ['applets']:
        print('\n'.join(files))
    elif argv[:1] == ['aliases']:
        print('\n'.join(a[0] for a in aliases()))
    elif argv[:1] == ['roles'] and len(argv) == 2:
        for name, server, client, _ in aliases():
            if name == argv[1]:
                print('server', names[server])
                if client:
                    print('client', names[client])
    elif argv[:1] == ['grammar'] and len(argv) == 2:
        print(''.join(a[3] for a in aliases() if a[0] == argv[1]))
    elif argv[:1] == ['options'] and len(argv) == 2:
        text, _ = files[argv[1]]
        rows = table(text, 'opts') + table(read('core/opt.c'), 'opt_common')
        print('\n'.join(option_words(rows)))
    elif argv[:1] == ['toplevel']:
        print('\n'.join(option_words(table(read('core/doc.c'),
                                           'doc_top_opts'))))
    elif argv[:1] == ['choices'] and len(argv) == 3:
        text, _ = files[argv[1]]
        for _, long_, kind, words in table(text, 'opts'):
            if long_ == argv[2] and kind == 'OPT_CHOICE':
                print('\n'.join(words))
    elif argv[:1] == ['man-text'] and len(argv) in (3, 4):
        print('\n'.join(man_text(*argv[1:])))
    elif argv[:1] == ['events'] or argv[:1] == ['man-events']:
        found = events() if len(argv) == 1 else man_events(argv[1])
        for (applet, event), keys in sorted(found.items()):
            print(' '.join([applet, event] + sorted(keys)))
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main(sys.argv[1:])
