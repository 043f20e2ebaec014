# srcscan.bash: srcscan.py's answers (what the C sources declare), asked
# once per file instead of once per question.  Load after common:
#   load test_helper/common
#   load test_helper/srcscan
#
#   srcscan_cache [PAGE]   from setup_file: every answer srcscan.py can
#                          enumerate (with PAGE, the man page's sections
#                          too) into $BATS_FILE_TMPDIR/srcscan, by one
#                          python3 for the whole file
#   srcscan ARGS...        prints exactly what `python3 srcscan.py ARGS...`
#                          prints: from the cache when it holds the answer,
#                          else by running srcscan.py
#
# A python3 costs a tenth of a second or more to start; the man page and
# completion tests ask srcscan.py some sixty questions, many of them in
# loops, and the answers cannot change while the suite runs.

ND_SCAN=$BATS_TEST_DIRNAME/test_helper/srcscan.py

srcscan_cache() {
	timeout -k 2 "$ND_TIMEOUT" python3 "$ND_SCAN" cache \
	    "$BATS_FILE_TMPDIR/srcscan" "$@"
}

# _srcscan_key OUTVAR ARGS...: the cache's file name for a question, built
# as srcscan.py's cache_key() builds it: each word with %, / and space
# percent-encoded, the words joined by spaces.
_srcscan_key() {
	local _out=$1 _word _key= _i=0
	shift
	for _word; do
		_word=${_word//%/%25}
		_word=${_word//\//%2F}
		_word=${_word// /%20}
		if ((_i++)); then _key+=" $_word"; else _key=$_word; fi
	done
	printf -v "$_out" '%s' "$_key"
}

srcscan() {
	local key answer=
	_srcscan_key key "$@"
	key=${BATS_FILE_TMPDIR-}/srcscan/$key
	if [[ -n ${BATS_FILE_TMPDIR-} && -f $key ]]; then
		# read, not cat: no fork; -d '' takes the whole file as it is.
		IFS= read -r -d '' answer <"$key" || true
		printf '%s' "$answer"
	else
		timeout -k 2 "$ND_TIMEOUT" python3 "$ND_SCAN" "$@"
	fi
}
