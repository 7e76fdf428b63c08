# bash completion for headsup(1)                        -*- shell-script -*-
#
# Installed as $datadir/bash-completion/completions/headsup.  The commands,
# options, settings and advice topics are read from headsup's own --help
# text when you press Tab, so this file never falls behind the program.

# Words from a help text: "  word  description" lines after a heading.
_headsup_section()
{
	local heading=$1
	sed -n "/^${heading}:/,/^\$/{s/^  \([a-z][a-z-]*\) .*/\1/p}"
}

# The options of a help text, from its "Options:" section only (the prose
# around it names other commands' options): one line each, "--name", or
# "--name ARG" for one that takes a value.  An option's line starts with
# at most six blanks; the lines that go on describing it are indented
# further.
_headsup_options()
{
	sed -n '/^Options:/,/^$/{
		s/^ \{1,6\}\(-[A-Za-z], \)\{0,1\}\(--[a-z][a-z-]*\)\( [A-Z][A-Z=]*\)\{0,1\}.*/\2\3/p
	}'
}

_headsup()
{
	local cur prev cmd i
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	local bin=${COMP_WORDS[0]/#\~/$HOME}

	# The command is the first word that is not an option (the options
	# before it take no value).
	cmd=
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-*) ;;
		*)
			cmd=${COMP_WORDS[i]}
			break
			;;
		esac
	done

	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			mapfile -t COMPREPLY < <(compgen -W "$("$bin" --help 2>/dev/null |
				_headsup_options | cut -d' ' -f1)" -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -W "$("$bin" --help 2>/dev/null | _headsup_section Commands) help" -- "$cur")
		fi
		return
	fi
	# `headsup help COMMAND`: the commands, once.
	if [[ $cmd == help ]]; then
		[[ $prev == help ]] &&
			mapfile -t COMPREPLY < <(compgen -W "$("$bin" --help 2>/dev/null | _headsup_section Commands)" -- "$cur")
		return
	fi

	local options
	options=$("$bin" "$cmd" --help 2>/dev/null | _headsup_options)

	# The value of an option that takes one ("--name ARG" above).
	local arg=
	[[ $prev =~ ^--[a-z][a-z-]*$ ]] &&
		arg=$(printf '%s\n' "$options" | sed -n "s/^${prev} \(.*\)/\1/p")
	if [[ -n $arg ]]; then
		case $prev in
		--source)
			mapfile -t COMPREPLY < <(compgen -W "$(compgen -G '/dev/video*')" -- "$cur"
				compgen -f -- "$cur")
			compopt -o filenames 2>/dev/null
			;;
		--format)
			mapfile -t COMPREPLY < <(compgen -W 'text html json' -- "$cur")
			;;
		--date)
			mapfile -t COMPREPLY < <(compgen -W 'today yesterday' -- "$cur")
			;;
		--set)
			# "    key = value   (range)" rows of the settings table.
			local keys
			keys=$("$bin" run --help 2>/dev/null |
				sed -n 's/^    \([a-z_][a-z_]*\) = .*/\1=/p')
			mapfile -t COMPREPLY < <(compgen -W "$keys" -- "$cur")
			compopt -o nospace 2>/dev/null
			;;
		*)
			# A file (F, FILE); a number or a time has nothing to
			# offer.
			if [[ $arg == F || $arg == FILE ]]; then
				mapfile -t COMPREPLY < <(compgen -f -- "$cur")
				compopt -o filenames 2>/dev/null
			fi
			;;
		esac
		return
	fi

	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(printf '%s\n' "$options" |
			cut -d' ' -f1)" -- "$cur")
		return
	fi
	case $cmd in
	advice)
		# One topic, and none for the whole page (--html).
		for ((i++; i < COMP_CWORD; i++)); do
			[[ ${COMP_WORDS[i]} == --html || ${COMP_WORDS[i]} != -* ]] &&
				return
		done
		mapfile -t COMPREPLY < <(compgen -W "$("$bin" advice --help 2>/dev/null | _headsup_section Topics)" -- "$cur")
		;;
	analyze)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		compopt -o filenames 2>/dev/null
		;;
	esac
}
complete -F _headsup headsup
