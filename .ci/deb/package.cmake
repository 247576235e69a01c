# SPDX-License-Identifier: MIT
# CPack settings for the Debian package: "cpack -G DEB" in a build folder makes tazuna_<version>_<arch>.deb.
set(CPACK_PACKAGE_NAME tazuna)
set(CPACK_PACKAGE_VENDOR "The Tazuna developers")
set(CPACK_PACKAGE_CONTACT "Tazuna developers <tazuna-devel@lists.tazuna.org>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "run and watch your daemons, daemontools style")
set(CPACK_PACKAGE_DESCRIPTION
"Tazuna supervises long-running programs the way daemontools does: one
directory per service under /service, a supervise process per service that
restarts it when it dies, and multilog to keep its output in rotated files.
.
This package contains a desktop app with a tray icon that shows every service
with its state, starts, stops and signals it, creates services from templates,
browses their logs and reports crashes; the root helper it talks to over the
system bus (org.tazuna.Helper1, each call authorized by polkit); and
daemontools 0.76 compatible programs (svscan, supervise, svc, svstat,
multilog, ...) in /usr/libexec/tazuna/bin, where they do not clash with the
daemontools package.")
# The paths compiled into the activation file and the unit come from the build's
# prefix (/usr by default), so the package uses the same one.
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
if(NOT CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  message(WARNING "The .deb installs under ${CMAKE_INSTALL_PREFIX}; Debian packages use /usr (-DCMAKE_INSTALL_PREFIX=/usr)")
endif()
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# dpkg-shlibdeps finds the libraries the programs link (Qt 6, libstdc++, libc);
# what Qt loads at run time as plugins it cannot see, so those are named here.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
  "default-dbus-system-bus | dbus-system-bus, polkitd, qt6-qpa-plugins, libqt6svg6")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-translations-l10n, qt6-wayland, pkexec")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "daemontools")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${CMAKE_CURRENT_LIST_DIR}/postinst ${CMAKE_CURRENT_LIST_DIR}/prerm ${CMAKE_CURRENT_LIST_DIR}/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)

install(FILES ${CMAKE_CURRENT_LIST_DIR}/copyright ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/README.ja.md
  DESTINATION ${CMAKE_INSTALL_DOCDIR})
# A native package's changelog, which Debian wants gzipped beside the copyright.
file(WRITE ${PROJECT_BINARY_DIR}/deb/changelog.Debian
"tazuna (${PROJECT_VERSION}) unstable; urgency=medium

  * First release: the daemontools 0.76 compatible programs, the root helper on
    the system bus and the desktop app.

 -- ${CPACK_PACKAGE_CONTACT}  Fri, 27 Nov 2026 00:00:00 +0000
")
execute_process(COMMAND ${TAZUNA_GZIP} -9nf ${PROJECT_BINARY_DIR}/deb/changelog.Debian COMMAND_ERROR_IS_FATAL ANY)
install(FILES ${PROJECT_BINARY_DIR}/deb/changelog.Debian.gz DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME changelog.gz)

include(CPack)
