# ConvLab — every entry point runs scripts/setup first (idempotent: seconds when all is there).
#
#   make serve   install what is missing, then `trunk serve` (http://127.0.0.1:8080/)
#   make test    install what is missing, then every test: fmt, clippy, native tests,
#                wasm tests in headless Chromium, release build, browser end-to-end tests
#   make dist    static release build in dist/ (works from any web server, any sub-path, iframes)
#   make lint    rustfmt --check, clippy -D warnings (native workspace and the wasm32 app)
#   make e2e     release build, then the browser end-to-end tests against it
#   make soak    release build, then the browser tests with long budgets (URL fuzzing of whole
#                pages for 30 min, at least 1000 links per lesson; the monkey for 15 min;
#                2000 route changes for the memory check)
#   make bench   kernel throughput (wasm32 in headless Chromium and native), criterion
#                benches of convlab-core, the size/load report of the release build, and the
#                app's load / interaction / animation benchmarks (docs/PERFORMANCE.md)

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
# Steps of `make test` run in the order listed, even under `make -j`.
.NOTPARALLEL:
.DEFAULT_GOAL := help

export PATH := $(HOME)/.cargo/bin:$(PATH)
# One cargo target dir for everything (cargo, trunk, the wasm tests) so builds are cached. It lives
# outside the checkout, so a fresh clone on the same machine (CI) reuses the compiled dependencies.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/convlab/target

WASM := wasm32-unknown-unknown
# Browser the wasm tests and the end-to-end tests drive.
export CHROMEDRIVER ?= /usr/bin/chromedriver
export CHROMIUM ?= /usr/bin/chromium
export WASM_BINDGEN_TEST_TIMEOUT ?= 300
export WASM_BINDGEN_TEST_WEBDRIVER_JSON ?= $(CURDIR)/scripts/webdriver.json
# Sub-path the end-to-end tests serve dist/ under (proves relative asset URLs).
E2E_BASE ?= /convlab/

.PHONY: help setup serve test dist lint e2e bench \
        fmt-check clippy test-native test-wasm dist-build e2e-run size-report soak

help:
	@sed -n '1,/^$$/p' Makefile | sed 's/^# \{0,1\}//'

setup:
	@scripts/setup

serve: setup
	@echo "ConvLab: building, then serving at http://127.0.0.1:8080/ (Ctrl-C stops)"
	trunk serve

test: setup fmt-check clippy test-native test-wasm dist-build e2e-run

lint: setup fmt-check clippy

dist: setup dist-build

e2e: setup dist-build e2e-run

soak: setup dist-build
	FUZZ_BUDGET_S=1800 FUZZ_MIN_CASES=1000 MONKEY_BUDGET_S=900 MEMORY_ROUTE_CHANGES=2000 \
	  node tests/e2e/run.mjs --dist dist --base $(E2E_BASE)

bench: setup dist-build
	scripts/bench-kernels-wasm
	cargo bench -p convlab-core
	node scripts/size-report.mjs
	node scripts/bench-app.mjs --dist dist

fmt-check:
	cargo fmt --all -- --check

clippy:
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p convlab --all-targets --target $(WASM) -- -D warnings

test-native:
	cargo test --workspace

# Widgets mount, draw, interact and unmount in headless Chromium (wasm-bindgen-test-runner is
# the wasm32 runner in .cargo/config.toml; browser options in scripts/webdriver.json).
test-wasm:
	cargo test -p convlab --target $(WASM) --test web_widgets

dist-build:
	trunk build --release
	@node scripts/check-dist.mjs dist

e2e-run:
	node tests/e2e/run.mjs --dist dist --base $(E2E_BASE)

size-report: setup dist-build
	node scripts/size-report.mjs
