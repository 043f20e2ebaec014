# completions/netdemo.bash: bash completion for netdemo and every name it
# answers to (netdemo --list).  Every word comes from the program itself:
# `netdemo --complete WORD0 ... CUR` reads the applets' option tables and
# prints the words that may stand at CUR, or @host / @dir for the shell to
# fill in.  Nothing here lists an applet, an option or a value, so this file
# cannot drift from the code.  It needs bash 4.3; the bash-completion package
# is used for host names when it is loaded, and not needed otherwise.

# _netdemo_words: the words of the command line up to the cursor, as typed.
# bash splits words at COMP_WORDBREAKS ("--port=9" comes as "--port" "="
# "9"); pieces with no blank between them on COMP_LINE are joined again.
# Sets _netdemo_w (the words, the last one being the word at the cursor).
_netdemo_words()
{
	local line=${COMP_LINE:0:COMP_POINT} rest trimmed w
	local dq='^"([^"\$`]*)"$' sq="^'([^']*)'$"
	local -i i pos=0 gap

	_netdemo_w=()
	for ((i = 0; i <= COMP_CWORD; i++)); do
		rest=${line:pos}
		trimmed=${rest#"${rest%%[![:space:]]*}"}
		gap=$((${#rest} - ${#trimmed}))
		pos+=gap
		if ((i == COMP_CWORD)); then
			w=${line:pos}
		else
			w=${COMP_WORDS[i]}
			pos+=${#w}
		fi
		if ((i > 0 && gap == 0)); then
			_netdemo_w[-1]+=$w
		else
			_netdemo_w+=("$w")
		fi
	done
	# A word in plain quotes ("--mode", '') is what it quotes.
	for i in "${!_netdemo_w[@]}"; do
		w=${_netdemo_w[i]}
		if [[ $w =~ $dq || $w =~ $sq ]]; then
			_netdemo_w[i]=${BASH_REMATCH[1]}
		fi
	done
}

# _netdemo_hosts WORD: host names starting with WORD, into _netdemo_h.
# bash-completion's list (ssh known hosts, /etc/hosts...) when it is
# loaded, else bash's own (HOSTFILE or /etc/hosts).
_netdemo_hosts()
{
	local COMPREPLY=()

	if declare -F _known_hosts_real >/dev/null; then
		_known_hosts_real -- "$1"
		_netdemo_h=("${COMPREPLY[@]}")
	else
		mapfile -t _netdemo_h < <(compgen -A hostname -- "$1")
	fi
}

_netdemo()
{
	local cmd bin cur head="" sep w
	local -a _netdemo_w _netdemo_h said found=()

	COMPREPLY=()
	_netdemo_words
	cur=${_netdemo_w[-1]}
	# Ask the binary the command names; argv[0] "netdemo" makes it take
	# --complete as netdemo's own option even through a udp_local link.
	cmd=${_netdemo_w[0]}
	cmd=${cmd/#\~/$HOME}
	if [[ $cmd == */* ]]; then
		bin=$cmd
	else
		bin=$(type -P -- "$cmd")
	fi
	if [[ ! -x $bin || -d $bin ]]; then
		bin=$(type -P netdemo) || return 0
	fi
	mapfile -t said < <(exec -a netdemo "$bin" --complete \
	    "${_netdemo_w[@]}" 2>/dev/null)

	# --name=VALUE: a host or directory asked for is the VALUE part.
	if [[ $cur == --*=* ]]; then
		head=${cur%%=*}=
	fi
	for w in "${said[@]}"; do
		case $w in
		@host)
			_netdemo_hosts "${cur#"$head"}"
			for w in "${_netdemo_h[@]}"; do
				found+=("$head$w")
			done
			;;
		@dir)
			compopt -o filenames 2>/dev/null || :
			mapfile -t -O "${#found[@]}" found < <(compgen -d -- \
			    "${cur#"$head"}")
			;;
		@*) ;;
		*) found+=("$w") ;;
		esac
	done

	# bash replaces only the text after the last word break in the word
	# (after "=" in --mode=up), so that much comes off each answer.
	sep=${COMP_WORDBREAKS//[[:space:]]/}
	if [[ -n $sep && $cur == *["$sep"]* ]]; then
		head=${cur%"${cur##*["$sep"]}"}
	else
		head=
	fi
	for w in "${found[@]}"; do
		[[ $w == "$cur"* ]] && COMPREPLY+=("${w:${#head}}")
	done
	return 0
}

# Register for netdemo and every name it answers to, as the installed
# binary lists them; bash-completion's loader sources this file by any of
# those names.
complete -F _netdemo netdemo $(netdemo --list 2>/dev/null)
