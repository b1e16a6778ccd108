# What `cmake --install` puts where (README, "Installing"): the command line, its man page and
# bash completion, the public headers, the libraries, and a CMake package so that another project
# finds them with find_package(closesim) and links closesim::<library> or closesim::closesim.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(closesim_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/closesim)

get_property(closesim_libraries GLOBAL PROPERTY closesim_libraries)
install(TARGETS ${closesim_libraries} EXPORT closesimTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/closesim DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h")
install(EXPORT closesimTargets NAMESPACE closesim:: DESTINATION ${closesim_cmake_dir})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/closesimConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/closesimConfig.cmake
                              INSTALL_DESTINATION ${closesim_cmake_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/closesimConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/closesimConfig.cmake
              ${PROJECT_BINARY_DIR}/closesimConfigVersion.cmake
        DESTINATION ${closesim_cmake_dir})

if(TARGET closesim)
  install(TARGETS closesim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(FILES ${closesim_completion} RENAME closesim
          DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
  if(TARGET closesim_man)
    install(FILES ${closesim_man_page} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
  endif()
endif()
