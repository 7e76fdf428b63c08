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

_headsup()
{
	local cur prev cmd i
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	local bin=${COMP_WORDS[0]/#\~/$HOME}

	# The command is the first word that is not an option.
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
			COMPREPLY=($(compgen -W '--verbose --quiet --help --version' -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$("$bin" --help 2>/dev/null | _headsup_section Commands)" -- "$cur"))
		fi
		return
	fi

	case $prev in
	--source)
		COMPREPLY=($(compgen -W "$(compgen -G '/dev/video*')" -- "$cur")
			$(compgen -f -- "$cur"))
		compopt -o filenames 2>/dev/null
		return
		;;
	--config | --calibration | --journal | --output | --model)
		COMPREPLY=($(compgen -f -- "$cur"))
		compopt -o filenames 2>/dev/null
		return
		;;
	--format)
		COMPREPLY=($(compgen -W 'text html json' -- "$cur"))
		return
		;;
	--date)
		COMPREPLY=($(compgen -W 'today yesterday' -- "$cur"))
		return
		;;
	--set)
		# "    key = value   (range)" rows of the settings table.
		local keys
		keys=$("$bin" run --help 2>/dev/null |
			sed -n 's/^    \([a-z_][a-z_]*\) = .*/\1=/p')
		COMPREPLY=($(compgen -W "$keys" -- "$cur"))
		compopt -o nospace 2>/dev/null
		return
		;;
	--seconds | --rate | --fov | --fps | --days | --clock-start)
		return # a number or a time: nothing to offer
		;;
	esac

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$("$bin" "$cmd" --help 2>/dev/null |
			grep -o -- '--[a-z][a-z-]*' | sort -u)" -- "$cur"))
		return
	fi
	case $cmd in
	advice)
		COMPREPLY=($(compgen -W "$("$bin" advice --help 2>/dev/null | _headsup_section Topics)" -- "$cur"))
		;;
	analyze)
		COMPREPLY=($(compgen -f -- "$cur"))
		compopt -o filenames 2>/dev/null
		;;
	esac
}
complete -F _headsup headsup
