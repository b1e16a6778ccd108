# Entry points for people and CI. Each target installs what is missing (Debian packages),
# configures and builds, so a fresh machine needs nothing but `make`.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
PACKAGES   := cmake g++ make ninja-build libfmt-dev libcli11-dev doctest-dev nlohmann-json3-dev \
              help2man
# What the view tests need beyond the build (tests/views.cmake): Chromium renders the HTML report,
# python3 decodes its screenshot, node runs Mermaid's own parser (npm, if node came without it,
# installs the parser pinned in tests/views/package-lock.json into $(BUILD)/views-node).
# perl brings `prove`, which reads the TAP of a failing suite (tests/views/tap_prove.sh).
TEST_PACKAGES := chromium python3 nodejs perl
VIEWS_NODE := $(BUILD)/views-node
# The clang build of CI (test-clang): Debian's clang, the command line and the tests that run it.
# Its sanitizers and libFuzzer live in libclang-rt-14-dev, which clang only recommends (and the
# installs here take no recommended packages).
CLANG_BUILD ?= build-clang
CLANG_PACKAGES := clang libclang-rt-14-dev
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CMAKE_GEN  := -G Ninja
# The project's own builds: warnings are errors, and the fast-build choices (precompiled headers,
# unoptimised test files, line tables only instead of full debug info). A user's plain
# `cmake -S . -B b` gets none of these and keeps the build type's usual flags.
CMAKE_OWN  := -DCLOSESIM_WERROR=ON -DCLOSESIM_FAST_BUILD=ON \
              -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" -DCMAKE_CXX_FLAGS_DEBUG="-g1"
PREFIX     ?= /usr/local

.PHONY: all deps test-deps clang-deps real-deps real build run test test-asan test-clang clang-build install bench clean golden fuzz matrix

all: build

# Packages come from Debian, installed only when missing (cmake/install_missing.sh).
deps:
	@sh cmake/install_missing.sh $(PACKAGES)

clang-deps: deps
	@sh cmake/install_missing.sh $(CLANG_PACKAGES)

# The same for the test tools; npm is asked for only when node came without it (nodesource's
# nodejs package carries its own npm and conflicts with Debian's).
test-deps:
	@sh cmake/install_missing.sh $(TEST_PACKAGES) npm

# Mermaid's parser, exactly as locked, into the build folder (no global install); reinstalled when
# the lock file changes. Without the registry the Mermaid test skips rather than fails.
$(VIEWS_NODE)/node_modules/.package-lock.json: tests/views/package.json tests/views/package-lock.json | test-deps
	@mkdir -p $(VIEWS_NODE)
	cp tests/views/package.json tests/views/package-lock.json $(VIEWS_NODE)/
	cd $(VIEWS_NODE) && npm ci --no-audit --no-fund --ignore-scripts || \
	  echo "npm ci failed: views:mermaid-parses will be skipped"

$(BUILD)/build.ninja: | deps
	cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_OWN)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# Only the command line: the tests are for `make test`.
run: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS) --target closesim
	./$(BUILD)/closesim check scenarios/

# The command line with its man page and completion, the headers, the libraries and the CMake
# package, under $(PREFIX) (README, "Installing").
install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

test: build test-deps real $(VIEWS_NODE)/node_modules/.package-lock.json
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The real-stack backend (docs/realstack.md): Debian's Wine and the mingw-w64 cross-compiler the
# Windows runner is built with; `make real` installs them and builds the runner. `make run` does not.
REAL_PACKAGES := wine64 g++-mingw-w64-x86-64-posix
real-deps:
	@sh cmake/install_missing.sh --optional $(REAL_PACKAGES)

# Configured again so CMake finds the cross-compiler installed just now.
real: real-deps build
	cmake -S . -B $(BUILD) >/dev/null
	cmake --build $(BUILD) -j $(JOBS) --target realstack_runner closesim

$(ASAN_BUILD)/build.ninja: | deps
	cmake -S . -B $(ASAN_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DCLOSESIM_SANITIZE=ON $(CMAKE_OWN)

test-asan: deps $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	# What is the same in both builds is run once, by `make test`: the tests labelled "external"
	# (Chromium, Mermaid's parser under node) check output, "packaging" builds consumer projects,
	# "wine" spends its minute in Wine and the Windows runner, not in our code (the trace reading
	# and judging it ends with are unit tests, which do run here). The tests labelled "cli" run
	# the command line, which `make test-clang` runs under ASan and UBSan as well: once is enough.
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS) -LE 'cli|external|packaging|wine'

# The second compiler of CI: Debian's clang, RelWithDebInfo, warnings as errors, with ASan and
# UBSan and libFuzzer's coverage in every object (CLOSESIM_FUZZ). It builds the command line and
# the fuzz target from the same objects, runs every test that runs the command line (label cli:
# the scenarios, the suite gates, the exit statuses, the printed goldens) and fuzzes the whole
# pipeline for 60 s (label fuzz). The doctest binaries are GCC's, in `make test` and `make test-asan`.
$(CLANG_BUILD)/build.ninja: | clang-deps
	cmake -S . -B $(CLANG_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_COMPILER=clang++ -DCLOSESIM_FUZZ=ON $(CMAKE_OWN)

clang-build: clang-deps $(CLANG_BUILD)/build.ninja
	cmake --build $(CLANG_BUILD) -j $(JOBS) --target closesim fuzz_scenario

test-clang: clang-build
	cd $(CLANG_BUILD) && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j $(JOBS) -L 'cli|fuzz'

bench: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS) --target benchmarks
	@for b in $(BUILD)/bench_*; do echo "== $$b"; $$b || exit 1; done

# Fuzzing (fuzz/): the clang build's fuzz target for FUZZ_SECONDS, seeded from the bundled
# scenarios; a finding is left in $(CLANG_BUILD)/fuzz/findings (fuzz/run.sh says what next).
FUZZ_SECONDS  ?= 600
fuzz: clang-build
	sh fuzz/run.sh $(CLANG_BUILD)/fuzz $(FUZZ_SECONDS) $(CLANG_BUILD)/fuzz_scenario

# Every build type with each compiler, configured as a user would (cmake/build_matrix.sh): slow,
# for contributors before a release; the builds land in $(MATRIX_DIR).
MATRIX_DIR ?= build-matrix
matrix: clang-deps
	sh cmake/build_matrix.sh $(MATRIX_DIR)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(CLANG_BUILD) $(MATRIX_DIR)
