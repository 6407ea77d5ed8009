# The book's two commands (README):
#   make book   install what is missing, build, run every chapter, build the HTML book
#   make test   install what is missing, build, run the whole test suite
# and:
#   make bench      dlcore against PyTorch on the same machine, one line per workload
#   make test-asan  the test suite built with AddressSanitizer + UndefinedBehaviorSanitizer
#                   (build-asan/; every label but docs, which runs Doxygen and Chromium)
#   make fuzz       clang++ builds the libFuzzer harnesses (build-fuzz/) and runs each for
#                   FUZZ_SECONDS (default 180), one after the other (tools/fuzz.sh)
JOBS ?= $(shell nproc)
MAKEFLAGS += --no-print-directory

FUZZ_SECONDS ?= 180

.PHONY: book test test-asan bench build fuzz clean

# $(call configure,PRESET,DIR): cmake --preset PRESET for the tree in DIR. The presets use
# Ninja; a tree an older checkout made with Unix Makefiles is configured afresh (cmake
# refuses to switch a tree's generator).
define configure
@if [ -f $(2)/CMakeCache.txt ] && ! grep -qx 'CMAKE_GENERATOR:INTERNAL=Ninja' $(2)/CMakeCache.txt; then \
	echo "$(2)/ was made with another CMake generator: configuring it afresh"; \
	rm -rf $(2)/CMakeCache.txt $(2)/CMakeFiles; fi
cmake --preset $(1)
endef

build:
	@tools/deps.sh build
	$(call configure,release,build)
	cmake --build --preset release -j $(JOBS)

test:
	@tools/deps.sh test
	$(call configure,release,build)
	cmake --build --preset release -j $(JOBS)
	ctest --preset release -j $(JOBS)

test-asan:
	@tools/deps.sh test
	$(call configure,asan,build-asan)
	cmake --build --preset asan -j $(JOBS)
	ctest --preset asan -j $(JOBS)

book:
	@tools/deps.sh book
	$(call configure,release,build)
	cmake --build --preset release -j $(JOBS)
	tools/build_book.sh build

bench:
	@tools/deps.sh bench
	$(call configure,release,build)
	cmake --build --preset release -j $(JOBS) --target bench_dlcore
	tools/bench.sh build

fuzz:
	@tools/deps.sh fuzz
	$(call configure,fuzz,build-fuzz)
	cmake --build --preset fuzz -j $(JOBS) --target fuzzers
	FUZZ_SECONDS=$(FUZZ_SECONDS) tools/fuzz.sh build-fuzz

clean:
	rm -rf build build-debug build-asan build-fuzz out
