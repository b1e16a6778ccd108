// Hosts the precompiled header every test binary reuses (CMakeLists.txt); compiles to nothing.
