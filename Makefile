# Entry points for people and CI. Each target installs what is missing (Debian packages),
# configures and builds, so a fresh machine needs nothing but `make`.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
PACKAGES   := cmake g++ make ninja-build libfmt-dev libcli11-dev doctest-dev nlohmann-json3-dev
# What the view tests need beyond the build (tests/views.cmake): Chromium renders the HTML report,
# python3 decodes its screenshot, node runs Mermaid's own parser (npm, if node came without it,
# installs the parser pinned in tests/views/package-lock.json into $(BUILD)/views-node).
TEST_PACKAGES := chromium python3 nodejs
VIEWS_NODE := $(BUILD)/views-node
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CMAKE_GEN  := -G Ninja

.PHONY: all deps test-deps real-deps real build run test test-asan bench clean golden

all: build

# apt-get update runs only when something is missing, so repeat runs stay offline and quick.
deps:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi

# The same for the test tools; npm is asked for only when node came without it (nodesource's
# nodejs package carries its own npm and conflicts with Debian's).
test-deps:
	@missing=""; for p in $(TEST_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi

# Mermaid's parser, exactly as locked, into the build folder (no global install); reinstalled when
# the lock file changes. Without the registry the Mermaid test skips rather than fails.
$(VIEWS_NODE)/node_modules/.package-lock.json: tests/views/package.json tests/views/package-lock.json | test-deps
	@mkdir -p $(VIEWS_NODE)
	cp tests/views/package.json tests/views/package-lock.json $(VIEWS_NODE)/
	cd $(VIEWS_NODE) && npm ci --no-audit --no-fund --ignore-scripts || \
	  echo "npm ci failed: views:mermaid-parses will be skipped"

$(BUILD)/build.ninja: | deps
	cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

run: build
	./$(BUILD)/closesim check scenarios/

test: build test-deps real $(VIEWS_NODE)/node_modules/.package-lock.json
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The real-stack backend (docs/realstack.md): Debian's Wine and the mingw-w64 cross-compiler the
# Windows runner is built with; `make real` installs them and builds the runner. `make run` does not.
REAL_PACKAGES := wine64 g++-mingw-w64-x86-64-posix
real-deps:
	@missing=""; for p in $(REAL_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing || \
	  echo "could not install$$missing: the wine tests will skip"; \
	fi

# Configured again so CMake finds the cross-compiler installed just now.
real: real-deps build
	cmake -S . -B $(BUILD) >/dev/null
	cmake --build $(BUILD) -j $(JOBS) --target realstack_runner closesim

$(ASAN_BUILD)/build.ninja: | deps
	cmake -S . -B $(ASAN_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DCLOSESIM_SANITIZE=ON

test-asan: deps $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	# Tests labelled "external" (Chromium, Mermaid's parser under node) check output that is the
	# same in both builds; the sanitized run skips them and keeps everything that runs our code.
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS) -LE external

bench: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS) --target benchmarks
	@for b in $(BUILD)/bench_*; do echo "== $$b"; $$b || exit 1; done

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
