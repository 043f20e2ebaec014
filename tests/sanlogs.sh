#!/bin/sh
# sanlogs.sh DIR: fail, showing them, if ASan, UBSan or memcheck wrote any
# report into DIR.  They write a file only when they have something to say
# (memcheck runs with -q), so any non-empty file is a finding.
dir=${1:?usage: sanlogs.sh DIR}
found=0
for f in "$dir"/*; do
	[ -s "$f" ] || continue
	found=$((found + 1))
	echo "--- $f" >&2
	head -n 60 "$f" >&2
done
if [ "$found" -gt 0 ]; then
	echo "sanlogs: $found report(s) in $dir" >&2
	exit 1
fi
echo "sanlogs: no reports in $dir"
