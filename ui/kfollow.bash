# bash completion for kfollow(1); make install puts it in
# $(datadir)/bash-completion/completions/kfollow, where bash-completion
# loads it the first time kfollow is completed.
#
# The options and which of them take a value come from `kfollow --help`
# itself, so they never drift from the code; presets from --list-presets;
# syscall names and kernel functions from tracefs where it is readable
# (root), else syscall names from the C library's headers.

# "NAME ARG" lines for every long option: ARG is "-" when it takes none,
# "[VALUE]" when optional, else its value's name (alternatives split by |)
_kfollow_options()
{
	kfollow --help 2>/dev/null | sed -n -E \
		's/^ +(-[[:alnum:]], )?(--[a-z][a-z-]*)(\[=([^] ]+)\])?( ([^ ]+( [A-Z][^ ]*)*))?( {2,}.*)?$/\2 \4|\6/p' |
		while read -r name arg; do
			case $arg in
			'|') echo "$name -" ;;
			'|'*) echo "$name ${arg#|}" ;;
			*) echo "$name [${arg%|}]" ;;
			esac
		done
}

# the tracefs directory, if this user can read it
_kfollow_tracefs()
{
	local d
	for d in /sys/kernel/tracing /sys/kernel/debug/tracing; do
		[[ -r $d/trace_clock ]] && { echo "$d"; return; }
	done
}

_kfollow_syscalls()
{
	local t
	t=$(_kfollow_tracefs)
	if [[ -n $t && -d $t/events/syscalls ]]; then
		compgen -G "$t/events/syscalls/sys_enter_*" | sed 's|.*/sys_enter_||'
		return
	fi
	local h
	for h in /usr/include/*-linux-gnu/asm/unistd_64.h /usr/include/asm/unistd_64.h; do
		if [[ -r $h ]]; then
			sed -n 's/^#define __NR_\([a-z0-9_]*\) .*/\1/p' "$h"
			return
		fi
	done
}

# --cgroup: the cgroups under the cgroup2 mount, named relative to it as
# /proc/PID/cgroup names them (a path from / completes as a directory)
_kfollow_cgroups()
{
	local m
	m=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts 2>/dev/null)
	[[ -n $m ]] || return
	(cd "$m" 2>/dev/null && compgen -d -S / -- "$1")
}

# kernel functions that start with $1 (root: available_filter_functions
# has ~60,000 lines, so filter before compgen)
_kfollow_functions()
{
	local t
	t=$(_kfollow_tracefs)
	[[ -n $t && -r $t/available_filter_functions ]] || return
	grep -F -- "$1" "$t/available_filter_functions" 2>/dev/null |
		sed -n "s/^\\($1[^ ]*\\).*/\\1/p" | sort -u | head -2000
}

_kfollow_presets()
{
	kfollow --list-presets 2>/dev/null | sed -n 's/^\([^ ][^ ]*\) .*/\1/p'
}

# subsystem names of the map beside the presets (--scope)
_kfollow_subsystems()
{
	local f
	f=$(kfollow --list-presets 2>/dev/null | sed -n '1s/^[^ ]* *//p')
	[[ -n $f ]] || return
	f=${f%/*}/subsystems.preset
	[[ -r $f ]] && sed -n 's/^layer [^ ]* \([^ ]*\).*/\1/p' "$f" | sort -u
}

_kfollow()
{
	local cur prev i opt arg val
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	COMPREPLY=()

	# after "--": the command and its arguments
	for ((i = 1; i < COMP_CWORD; i++)); do
		if [[ ${COMP_WORDS[i]} == -- ]]; then
			if declare -F _command_offset >/dev/null; then
				_command_offset $((i + 1))
			elif ((COMP_CWORD == i + 1)) && [[ $cur != */* ]]; then
				mapfile -t COMPREPLY < <(compgen -c -- "$cur")
			else
				compopt -o filenames 2>/dev/null
				mapfile -t COMPREPLY < <(compgen -f -- "$cur")
			fi
			return
		fi
	done

	# --opt=VALUE: complete the value; bash splits at "=" (it is in
	# COMP_WORDBREAKS), so the words are "--opt" "=" "VALUE"
	local eq=0
	if [[ $cur == = ]]; then
		prev=${COMP_WORDS[COMP_CWORD-1]} cur= eq=1
	elif [[ $prev == = ]]; then
		prev=${COMP_WORDS[COMP_CWORD-2]} eq=1
	elif [[ $cur == --*=* ]]; then
		prev=${cur%%=*} cur=${cur#*=} eq=1
	fi
	# short options as their long names
	case $prev in
	-g) prev=--function ;; -p) prev=--pid ;; -N) prev=--notrace ;;
	-P) prev=--preset ;; -f) prev=--format ;; -o) prev=--output ;;
	-i) prev=--input ;; -u) prev=--user ;;
	-d|-D|-m) return ;;
	esac

	arg=
	if [[ $prev == --* ]]; then
		while read -r opt val; do
			[[ $opt == "$prev" ]] && { arg=$val; break; }
		done < <(_kfollow_options)
	fi
	if [[ -n $arg && $arg != - ]]; then
		# an optional value only with "=": "--vm sid" is a syscall
		[[ $arg == \[*\] && $eq == 0 ]] && arg=
	fi
	if [[ -n $arg && $arg != - ]]; then
		case $prev in
		--function|--notrace|--retval)
			mapfile -t COMPREPLY < <(_kfollow_functions "${cur##*,}")
			[[ $prev == --retval && $cur == *,* ]] &&
				COMPREPLY=("${COMPREPLY[@]/#/${cur%,*},}")
			;;
		--scope)
			mapfile -t COMPREPLY < <(compgen -W "$(_kfollow_subsystems)" -- "${cur##*,}")
			[[ $cur == *,* ]] && COMPREPLY=("${COMPREPLY[@]/#/${cur%,*},}")
			;;
		--preset)
			compopt -o filenames 2>/dev/null
			mapfile -t COMPREPLY < <(compgen -W "$(_kfollow_presets)" -f -- "$cur") ;;
		--pid) mapfile -t COMPREPLY < <(compgen -W "$(cd /proc && compgen -G '[0-9]*')" -- "$cur") ;;
		--user) mapfile -t COMPREPLY < <(compgen -u -- "$cur") ;;
		--cgroup)
			compopt -o nospace 2>/dev/null
			if [[ $cur == /* ]]; then
				mapfile -t COMPREPLY < <(compgen -d -S / -- "$cur")
			else
				mapfile -t COMPREPLY < <(_kfollow_cgroups "$cur")
			fi ;;
		--clock)
			local t
			t=$(_kfollow_tracefs)
			[[ -n $t ]] && mapfile -t COMPREPLY < <(compgen -W "$(tr -d '[]' <"$t/trace_clock")" -- "$cur")
			;;
		# the Debian kernels src/vm/apt.c knows, or a vmlinuz
		--vm)
			compopt -o filenames 2>/dev/null
			mapfile -t COMPREPLY < <(compgen -W "bookworm trixie sid" -f -- "$cur") ;;
		--tracefs)
			compopt -o filenames 2>/dev/null
			mapfile -t COMPREPLY < <(compgen -d -- "$cur") ;;
		--output|--input|--diff|--vm-file|--vm-disk|--vm-script)
			compopt -o filenames 2>/dev/null
			mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
		*)
			arg=${arg#[}
			arg=${arg%]}
			# a value named by its alternatives: text|json
			[[ $arg == *'|'* && $arg != *[A-Z]* ]] &&
				mapfile -t COMPREPLY < <(compgen -W "${arg//|/ }" -- "$cur")
			;;
		esac
		return
	fi

	if [[ $cur == -* ]]; then
		local names=()
		while read -r opt val; do
			names+=("$opt")
			[[ $val == \[*\] ]] && names+=("$opt=")
		done < <(_kfollow_options)
		mapfile -t COMPREPLY < <(compgen -W "${names[*]} -- -g -p -d -D -N -m -b -f -o -i -P -u -q -v -h" -- "$cur")
		[[ ${#COMPREPLY[@]} == 1 && ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null
		return
	fi
	mapfile -t COMPREPLY < <(compgen -W "$(_kfollow_syscalls)" -- "$cur")
}
complete -F _kfollow kfollow
