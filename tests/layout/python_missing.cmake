# Run as a test when configure found no python3 (see CMakeLists.txt here).
message(FATAL_ERROR "python3 not found: the layout check needs it (./pmo setup installs it)")
