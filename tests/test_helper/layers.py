#!/usr/bin/env python3
"""layers.py ROOT: check that #include follows core's layers downward.

Reads the layers from stdin, one line each, lowest first, as `make layers`
prints them:  LAYER FILE.c...  (base, runtime, net, cli, then man and
applets, the two tops).  A module is a .c and its .h; the headers without
a .c of their own are named in HEADER_ONLY below, with their layer.  The
rules:

  - every core/*.c and applets/*.c is in exactly one layer;
  - a file includes headers of its own layer or of lower ones, never higher
    ("up"), and man and applets never include each other;
  - base modules include no project header but their own;
  - an applet includes no other applet's file (only applets/applets.h);
  - within a layer the modules' includes form no cycle ("sideways").

Prints one line per violation and exits 1, or prints nothing and exits 0.
"""
import os
import re
import sys

# Headers with no .c of their own, and the layer they belong to.
HEADER_ONLY = {'core/applet.h': 'cli', 'applets/applets.h': 'applets'}
RANK = {'base': 0, 'runtime': 1, 'net': 2, 'cli': 3, 'man': 4, 'applets': 4}


def includes(root, rel):
    out = []
    with open(os.path.join(root, rel), encoding='utf-8') as f:
        for line in f:
            m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
            if m:
                path = os.path.normpath(os.path.join(os.path.dirname(rel),
                                                     m.group(1)))
                out.append(path)
    return out


def module(path):
    return path[:-2] if path.endswith(('.c', '.h')) else path


def main():
    root = sys.argv[1]
    layer_of = {}
    problems = []
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        for f in words[1:]:
            if module(f) in layer_of:
                problems.append('%s is in two layers' % f)
            layer_of[module(f)] = words[0]
    for h, layer in HEADER_ONLY.items():
        layer_of.setdefault(module(h), layer)
    files = []
    for d in ('core', 'applets'):
        for name in sorted(os.listdir(os.path.join(root, d))):
            if name.endswith(('.c', '.h')):
                files.append(d + '/' + name)
    for f in files:
        if module(f) not in layer_of:
            problems.append('%s is in no layer: add it to one in the '
                            'Makefile' % f)
    edges = {}
    for f in files:
        me = module(f)
        if me not in layer_of:
            continue
        mine = layer_of[me]
        for inc in includes(root, f):
            them = module(inc)
            if them == me:
                continue
            if them not in layer_of:
                problems.append('%s includes %s, which is in no layer'
                                % (f, inc))
                continue
            theirs = layer_of[them]
            if mine == 'base':
                problems.append('%s (base) includes %s: base modules '
                                'include no project header' % (f, inc))
            elif RANK[theirs] > RANK[mine] or (
                    RANK[theirs] == RANK[mine] and theirs != mine):
                problems.append('%s (%s) includes %s (%s): an include goes '
                                'up' % (f, mine, inc, theirs))
            elif (mine == 'applets' and theirs == 'applets' and
                  them != 'applets/applets'):
                problems.append('%s includes %s: applets depend on core '
                                'only' % (f, inc))
            elif theirs == mine:
                edges.setdefault(me, set()).add(them)
    # A cycle among the modules of one layer.
    state = {}

    def visit(m, path):
        state[m] = 1
        for n in sorted(edges.get(m, ())):
            if state.get(n) == 1:
                cycle = path[path.index(n):] + [n]
                problems.append('a cycle of includes: ' + ' -> '.join(cycle))
            elif n not in state:
                visit(n, path + [n])
        state[m] = 2

    for m in sorted(edges):
        if m not in state:
            visit(m, [m])
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


if __name__ == '__main__':
    main()
