# The book's two commands (README):
#   make book   install what is missing, build, run every chapter, build the HTML book
#   make test   install what is missing, build, run the whole test suite
# and:
#   make bench  dlcore against PyTorch on the same machine, one line per workload
JOBS ?= $(shell nproc)
MAKEFLAGS += --no-print-directory

.PHONY: book test bench build clean

build:
	@tools/deps.sh build
	cmake --preset release
	cmake --build --preset release -j $(JOBS)

test:
	@tools/deps.sh test
	cmake --preset release
	cmake --build --preset release -j $(JOBS)
	ctest --preset release -j $(JOBS)

book:
	@tools/deps.sh book
	cmake --preset release
	cmake --build --preset release -j $(JOBS)
	tools/build_book.sh build

bench:
	@tools/deps.sh bench
	cmake --preset release
	cmake --build --preset release -j $(JOBS) --target bench_dlcore
	tools/bench.sh build

clean:
	rm -rf build build-debug build-asan out
