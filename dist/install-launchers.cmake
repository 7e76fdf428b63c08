# install-launchers.cmake - part of `cmake --install` (CMakeLists.txt
# includes it with install(SCRIPT)).  Writes the systemd user unit and the
# two desktop entries (menu, autostart) with the absolute path of the binary
# as really installed: for the --prefix given at install time, not only the
# one configured, so `cmake --install build --prefix ~/.local` gets a unit
# that starts ~/.local/bin/headsup.  DESTDIR staging is honoured but never
# written into the files, as packagers expect.  The files go straight to
# their folders (nothing is written into the build tree, which may belong to
# another user than the one installing) and into the install manifest.
#
# Set by CMakeLists.txt before this runs: HS_DIST_DIR (the dist/ folder),
# HS_BINDIR, HS_UNIT_DIR, HS_AUTOSTART_DIR (empty: no autostart entry),
# HS_APPLICATIONS_DIR (each relative to the prefix, or absolute).

# A relative --prefix is taken from the folder cmake --install runs in, as
# CMake takes it for the files it installs itself: the unit and the entries
# must name the binary by an absolute path (systemd refuses any other), and
# the manifest list them as CMake lists its own.
set(hs_prefix "${CMAKE_INSTALL_PREFIX}")
if(NOT IS_ABSOLUTE "${hs_prefix}")
	# (The install script's own folder is where cmake --install runs.)
	get_filename_component(hs_prefix "${hs_prefix}" ABSOLUTE)
endif()

macro(hs_full_path out dir)
	if(IS_ABSOLUTE "${dir}")
		set(${out} "${dir}")
	else()
		set(${out} "${hs_prefix}/${dir}")
	endif()
endmacro()

# Installed for one user into ~/.local, the unit goes where a user's
# systemd looks for it ($XDG_DATA_HOME/systemd/user); ~/.local/lib/systemd
# is not among those places.  A folder chosen at configure time stays.
get_filename_component(hs_home_local "$ENV{HOME}/.local" ABSOLUTE)
if(HS_UNIT_DIR STREQUAL "lib/systemd/user" AND DEFINED ENV{HOME} AND
		hs_prefix STREQUAL hs_home_local)
	set(HS_UNIT_DIR "share/systemd/user")
endif()

hs_full_path(hs_bindir_full "${HS_BINDIR}")
set(hs_exe "${hs_bindir_full}/headsup")

# systemd's ExecStart: "%" starts a specifier, also in the program's path
# (doubled to stand for itself; "$" is only expanded in the arguments); a
# path with a blank, quote or backslash is quoted, C-style.
set(HS_UNIT_EXEC "${hs_exe}")
if(HS_UNIT_EXEC MATCHES "[ \t\"'\\\\]")
	string(REPLACE "\\" "\\\\" HS_UNIT_EXEC "${HS_UNIT_EXEC}")
	string(REPLACE "\"" "\\\"" HS_UNIT_EXEC "${HS_UNIT_EXEC}")
	set(HS_UNIT_EXEC "\"${HS_UNIT_EXEC}\"")
endif()
string(REPLACE "%" "%%" HS_UNIT_EXEC "${HS_UNIT_EXEC}")

# The desktop entry's Exec (Desktop Entry Specification, "The Exec key"): an
# argument with a reserved character is double-quoted, and inside the
# quotes ", `, $ and \ take a backslash; then the key file's own escaping
# doubles every backslash, and a literal % is written %%.  TryExec is a
# plain string: only the key file's escaping applies.
set(HS_DESKTOP_EXEC "${hs_exe}")
if(HS_DESKTOP_EXEC MATCHES "[] \t\n\"'\\\\><~|&;$*?#()`[]")
	string(REGEX REPLACE "([\"`$\\\\])" "\\\\\\1" HS_DESKTOP_EXEC
		"${HS_DESKTOP_EXEC}")
	set(HS_DESKTOP_EXEC "\"${HS_DESKTOP_EXEC}\"")
endif()
string(REPLACE "\\" "\\\\" HS_DESKTOP_EXEC "${HS_DESKTOP_EXEC}")
string(REPLACE "%" "%%" HS_DESKTOP_EXEC "${HS_DESKTOP_EXEC}")
string(REPLACE "\\" "\\\\" HS_TRYEXEC "${hs_exe}")

# Each file is readable by all (the session and systemd read it as the
# user), whatever the installer's umask, as install() makes its files.
macro(hs_install_launcher template dir name)
	hs_full_path(hs_dir_full "${dir}")
	set(hs_dest "$ENV{DESTDIR}${hs_dir_full}/${name}")
	message(STATUS "Installing: ${hs_dest}")
	file(READ "${HS_DIST_DIR}/${template}" hs_text)
	string(CONFIGURE "${hs_text}" hs_text @ONLY)
	file(MAKE_DIRECTORY "$ENV{DESTDIR}${hs_dir_full}")
	file(WRITE "${hs_dest}" "${hs_text}")
	file(CHMOD "${hs_dest}" PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ
		WORLD_READ)
	# Listed without DESTDIR, as CMake lists the files it installs.
	list(APPEND CMAKE_INSTALL_MANIFEST_FILES "${hs_dir_full}/${name}")
endmacro()

hs_install_launcher(headsup.service.in "${HS_UNIT_DIR}" headsup.service)
# Started from the menu, the monitor has no terminal: it says on the desktop
# that it watches, or why not (run --announce).  Started at log-in, it
# starts quietly, as the systemd unit does, and tells only the errors that
# keep it from starting (run --announce=errors).
set(HS_DESKTOP_RUN_ARGS " --announce=errors")
if(HS_AUTOSTART_DIR)
	hs_install_launcher(headsup.desktop.in "${HS_AUTOSTART_DIR}" headsup.desktop)
endif()
set(HS_DESKTOP_RUN_ARGS " --announce")
hs_install_launcher(headsup.desktop.in "${HS_APPLICATIONS_DIR}" headsup.desktop)
