# tests/tui/lib.sh - drive kfollow's TUI in tmux for the screen tests
# (sourced by tests/suites/35-tui and 55-vm-tui).  Needs K (the binary),
# EXP (the expected dumps) and tmp (a scratch directory) set first.
#
# start NAME COLSxLINES [VAR=VALUE...] -- ARGS   run kfollow in a new pane
# start_jobs ...     the same under a shell with job control (Ctrl-Z)
# keys KEY...        send tmux keys (Enter, Escape, NPage) or -l TEXT
# click X Y          a left mouse click; wheel_down X Y a wheel turn;
#                    double X Y a double click (X10 encoding)
# sgr_click X Y, sgr_double X Y, sgr_wheel_down X Y: the same in SGR (1006)
# raw TEXT           bytes (printf escapes) as a terminal sends them
# mouse_modes        the pane's mouse modes: any, SGR (1006), each 0 or 1
# modes_become M     wait until mouse_modes is M
# shot               the screen as text, '>' marking reverse-video lines
# screen NAME        wait until the screen is tests/tui/expected/NAME.txt
# wait_for TEXT S    wait up to S seconds for TEXT on screen
# colour_of LINE TEXT  the SGR colour TEXT is drawn in on the first line
#                    showing LINE
# until_rc           wait for kfollow to exit, print its status
# restored WHAT      the terminal is back as it was after kfollow exited

T=:
wrap=
. tests/lib.sh

# a terminal type every Debian has, with colours; keys as a terminal sends
printf 'set -g default-terminal screen-256color\nset -g escape-time 0\n' \
	>$tmp/tmux.conf

# start NAME COLSxLINES ENV... -- ARGS: run kfollow in a fresh pane; the
# shell around it records the terminal modes before and after and the exit
# status, then waits so the pane's last screen can be read.
start() {
	name=$1 size=$2
	shift 2
	envs=
	assign=
	while [ "$1" != "--" ]; do
		envs="$envs -e $1"
		# tmux sets TERM after -e: an assignment before the command wins
		assign="$assign $1"
		shift
	done
	shift
	rm -f $tmp/rc $tmp/stty.*
	# a server per session: a new one on a socket just killed can race
	$T kill-server 2>/dev/null
	T="tmux -L kf-tui-$$-$name -f $tmp/tmux.conf"
	# shellcheck disable=SC2086
	$T new-session -d -s t -x ${size%x*} -y ${size#*x} $envs \
		"stty -g >$tmp/stty.before; $assign $wrap $K $*; echo \$? >$tmp/rc.new; stty -g >$tmp/stty.after; mv $tmp/rc.new $tmp/rc; echo '(kfollow exited)'; exec sleep 600"
	# keys typed before curses takes the terminal are echoed by the tty
	# onto the normal screen (seen again when o runs the pager): wait, on
	# a busy machine too, until kfollow is on the alternate screen or gone
	i=0
	while [ $i -lt 300 ] && [ ! -f $tmp/rc ] &&
	      [ "$($T display -p -t t '#{alternate_on}' 2>/dev/null)" != 1 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# start_jobs: start, with kfollow run by a shell with job control: Ctrl-Z
# stops it, "(kfollow stopped)" shows; a line (keys Enter) brings it back
start_jobs() {
	cat >$tmp/jobs.sh <<'EOS'
set -m
"$@"
st=$?
while [ $st = 148 ]; do
	echo "(kfollow stopped)"
	read -r _
	fg >/dev/null
	st=$?
done
exit $st
EOS
	wrap="bash $tmp/jobs.sh"
	start "$@"
	wrap=
}

# keys KEY...: tmux key names (Enter, Escape, Up, NPage...) or text
keys() {
	$T send-keys -t t "$@"
}

# shot: the screen as text, each line led by '>' where it shows reverse
# video (the selected row) and ' ' elsewhere, so the dumps show the cursor
esc=$(printf '\033')
shot() {
	$T capture-pane -t t -p -e 2>/dev/null |
		awk -v e="$esc" '{
			sel = ($0 ~ e "\\[([0-9;]*;)?7(;[0-9;]*)?m") ? ">" : " "
			gsub(e "\\[[0-9;]*m", "")
			sub(/ +$/, "")
			print sel $0
		}'
}

# colours: the SGR colour parameters on screen (30-38, 40-48, 90-107;
# 39 and 49 are tmux's "default colour" and do not count)
colours() {
	$T capture-pane -t t -p -e 2>/dev/null | grep -o "$esc\[[0-9;]*m" |
		tr -d "$esc[m" | tr ';' '\n' |
		grep -x '3[0-8]\|4[0-8]\|9[0-7]\|10[0-7]' | sort -u | tr '\n' ' '
}

# colour_of LINE TEXT: the parameters of the last SGR escape before TEXT
# on the first line whose text contains LINE ("93", "38;5;208"; tmux writes
# only changes, so that is the colour TEXT starts in); empty if none
colour_of() {
	n=$($T capture-pane -t t -p 2>/dev/null | grep -F -n -m1 -- "$1")
	[ -n "$n" ] || return
	$T capture-pane -t t -p -e 2>/dev/null | sed -n "${n%%:*}p" |
		awk -v e="$esc" -v s="$2" '{
			i = index($0, s)
			if (!i)
				exit
			n = split(substr($0, 1, i - 1), part, e "\\[")
			sub(/m.*/, "", part[n])
			if (n > 1)
				print part[n]
		}'
}

# screen NAME: the pane must come to show tests/tui/expected/NAME.txt
# (polled for up to 5 s, since kfollow draws after reading each key)
screen() {
	want=$EXP/$1.txt
	if [ -n "$KFOLLOW_UPDATE_SCREENS" ]; then
		sleep 1
		shot >$want
		ok "screen $1 (written to $want)"
		return
	fi
	if [ ! -f $want ]; then
		bad "screen $1: no $want (KFOLLOW_UPDATE_SCREENS=1 writes it)"
		return
	fi
	i=0
	while [ $i -lt 50 ]; do
		shot >$tmp/seen
		if cmp -s $tmp/seen $want; then
			ok "screen $1"
			return
		fi
		sleep 0.1
		i=$((i + 1))
	done
	bad "screen $1 differs from $want:"
	diff -u $want $tmp/seen | sed -n '3,40s/^/#   /p'
}

# until_rc: wait (up to 5 s) for kfollow to exit; prints its status
until_rc() {
	i=0
	while [ ! -f $tmp/rc ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	cat $tmp/rc 2>/dev/null || echo none
}

# restored WHAT: after kfollow exits the terminal is as it was
restored() {
	if [ "$($T display -p -t t '#{alternate_on}')" = 0 ] &&
	   cmp -s $tmp/stty.before $tmp/stty.after &&
	   [ "$(mouse_modes)" = "0 0" ]; then
		ok "$1: terminal restored (normal screen, same stty modes, no mouse reports)"
	else
		bad "$1: terminal not restored (alternate screen $($T display -p -t t '#{alternate_on}'), stty $(cat $tmp/stty.before) -> $(cat $tmp/stty.after), mouse any/SGR $(mouse_modes))"
	fi
}


# click X Y: a left click at column X, line Y (0-based), as an xterm
# sends it (X10 mouse encoding, raw bytes: tmux passes them through)
click() {
	bx=$(printf '%x' $(($1 + 33)))
	by=$(printf '%x' $(($2 + 33)))
	$T send-keys -t t -H 1b 5b 4d 20 $bx $by 1b 5b 4d 23 $bx $by
}

# wheel_down X Y: one turn of the wheel down over X, Y
wheel_down() {
	$T send-keys -t t -H 1b 5b 4d 61 $(printf '%x' $(($1 + 33))) \
		$(printf '%x' $(($2 + 33)))
}

# double X Y: two clicks at once, a double click
double() {
	bx=$(printf '%x' $(($1 + 33)))
	by=$(printf '%x' $(($2 + 33)))
	$T send-keys -t t -H 1b 5b 4d 20 $bx $by 1b 5b 4d 23 $bx $by \
		1b 5b 4d 20 $bx $by 1b 5b 4d 23 $bx $by
}

# raw TEXT: the bytes of TEXT, a printf format, as the terminal sends them
raw() {
	# shellcheck disable=SC2046,SC2059
	$T send-keys -t t -H $(printf "$1" | od -An -v -tx1)
}

# the same in the SGR encoding (1006): ESC [ < button ; X+1 ; Y+1, M for
# a press, m for a release; any column or row, 224 and beyond too
sgr_click() {
	raw "\033[<0;$(($1 + 1));$(($2 + 1))M\033[<0;$(($1 + 1));$(($2 + 1))m"
}
sgr_double() {
	raw "\033[<0;$(($1 + 1));$(($2 + 1))M\033[<0;$(($1 + 1));$(($2 + 1))m\033[<0;$(($1 + 1));$(($2 + 1))M\033[<0;$(($1 + 1));$(($2 + 1))m"
}
sgr_wheel_down() {
	raw "\033[<65;$(($1 + 1));$(($2 + 1))M"
}

# mouse_modes: "any SGR": any mouse reporting on, SGR encoding on
mouse_modes() {
	$T display -p -t t '#{mouse_any_flag} #{mouse_sgr_flag}'
}

# modes_become "A S": mouse_modes comes to say so (polled for up to 5 s:
# kfollow turns SGR on just after it draws the screen again)
modes_become() {
	i=0
	while [ "$(mouse_modes)" != "$1" ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ "$(mouse_modes)" = "$1" ]
}

# wait_for TEXT SECONDS: the pane shows TEXT (a fixed string) in time
wait_for() {
	i=0
	while [ $i -lt $(($2 * 10)) ]; do
		shot | grep -qF -- "$1" && return 0
		[ -f $tmp/rc ] && { shot | grep -qF -- "$1"; return; }
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
