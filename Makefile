# monitord: the two commands a new user needs are `make run` and `make test`.
# Both install what they need on a fresh Debian machine (libyaml-dev, libssl-dev, and for the
# end-to-end checks chromium, tmux, prometheus, prometheus-alertmanager and python3-yaml with
# apt-get, and schemathesis with pip into .build-tools/venv).

SWIFT ?= swift
SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN := .build/debug/monitord
FUZZ_SECONDS ?= 30
export FUZZ_SECONDS

.PHONY: run test bench build deps unit e2e validate install clean

## Install system packages the build needs (libyaml and libcrypto, through pkg-config).
deps:
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists yaml-0.1 libcrypto; then \
		echo "make: installing libyaml-dev, libssl-dev and pkg-config with apt-get"; \
		$(SUDO) apt-get update -q && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -q libyaml-dev libssl-dev pkg-config; \
	fi

## Only the daemon: the benchmark and the test fixtures' executables wait for `make bench`/`make test`.
build: deps
	@[ -e $(BIN) ] || echo "make: first build of monitord and its dependencies (SwiftNIO, Hummingbird, BoringSSL for TLS): about 4 to 5 minutes on 2 cores; later builds take seconds"
	$(SWIFT) build --product monitord

## Run monitord on the default config (config/monitord.yaml, also compiled in). Ctrl-C stops it.
run: build
	$(BIN) run $(ARGS)

validate: build
	$(BIN) validate $(ARGS)

## Build the release binary and install it as $(DESTDIR)$(PREFIX)/bin/monitord (on PATH for the
## default PREFIX). `make install PREFIX=$$HOME/.local` needs no root; DESTDIR stages for packaging.
PREFIX ?= /usr/local
install: deps
	$(SWIFT) build -c release --product monitord
	install -d "$(DESTDIR)$(PREFIX)/bin"
	install -m 0755 .build/release/monitord "$(DESTDIR)$(PREFIX)/bin/monitord"

## Every test: the Swift test suites, then the end-to-end checks against the real binary.
## The last line sums them up as `tests: N passed, 0 failed`.
## Fuzz/run.sh: each libFuzzer target 30 s on its committed corpus (FUZZ_SECONDS to change).
E2E := .ci/reload-e2e.py .ci/tls-e2e.py .ci/media-e2e.py .ci/docs-check.sh .ci/promtool-check.sh .ci/prometheus-rules.sh .ci/grafana-queries.sh .ci/systemd-check.sh .ci/alertmanager-e2e.sh Tests/browser/run.sh .ci/schemathesis.sh Fuzz/run.sh

test: unit e2e
	@swift_tests=$$(sed -n 's/.*Test run with \([0-9]*\) tests\{0,1\} in .* passed.*/\1/p' .build/swift-test.log | awk '{ n += $$1 } END { print n + 0 }'); \
		echo "tests: $$(( $${swift_tests:-0} + $(words $(E2E)) )) passed, 0 failed ($${swift_tests:-0} Swift tests, $(words $(E2E)) end-to-end checks)"

## Three runs, so that no test's load makes another's deadline pass on a 2-core machine: first
## everything but the cache's own suites (whose file work blocks the threads it runs on, for
## seconds while the disk is slow after a mass delete), then those, then the suites that load the
## whole machine (processes hammering one directory for 30 s, a clear of a big cache, floods of
## connections and streams), one at a time.
HEAVY := CacheTrustEndToEndTests|TwoProcessTests|CrashTests|EventStreamEndToEndTests|ConnectionLimitEndToEndTests

unit: deps
	$(SWIFT) build --build-tests
	set -o pipefail; $(SWIFT) test --skip-build --skip 'CacheSourceTests|$(HEAVY)' 2>&1 | tee .build/swift-test.log
	set -o pipefail; $(SWIFT) test --skip-build --filter CacheSourceTests --skip '$(HEAVY)' 2>&1 | tee -a .build/swift-test.log
	set -o pipefail; $(SWIFT) test --skip-build --no-parallel --filter '$(HEAVY)' 2>&1 | tee -a .build/swift-test.log

e2e: deps
	$(SWIFT) build
	@for check in $(E2E); do echo "== $$check"; $$check || exit 1; done

## Benchmarks: figures and ratios against baselines measured in the same run.
bench: deps
	$(SWIFT) build -c release --product monitord --product monitord-bench
	.build/release/monitord-bench $(SUITES)
	@if [ -x Benchmarks/http-bench.sh ]; then Benchmarks/http-bench.sh; fi
	@if [ -x Benchmarks/media-bench.sh ]; then Benchmarks/media-bench.sh; fi
	@# 10 minutes of mixed traffic; SOAK_SECONDS=120 make bench for a shorter run.
	Benchmarks/soak.sh

clean:
	rm -rf .build
