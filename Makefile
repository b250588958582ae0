# Concurrency Kitchen — every target installs what it needs (idempotently) and skips what is there.
#   make serve   build and serve the app on http://127.0.0.1:8080 (cross-origin isolated)
#   make test    native tests, wasm tests in headless Chromium, end-to-end tests (Chromium,
#                Firefox ESR and WebKitGTK)
#   make dist    the static site in dist/
#   make bench   release builds measured in headless Chromium and natively: bench/results.md
#   make fuzz    fuzz every decoder of outside input, FUZZ_RUNS inputs each (default 1000000)

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

TOOLCHAIN := $(shell sed -n 's/^channel = "\(.*\)"/\1/p' rust-toolchain.toml)
TRUNK_VERSION := 0.22.1
# wasm-bindgen-cli must equal the wasm-bindgen in Cargo.lock, or Trunk tries to download one.
WASM_BINDGEN_VERSION := $(shell grep -A1 '^name = "wasm-bindgen"$$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)
export TRUNK_SKIP_VERSION_CHECK := true
# wasm-opt from npm's binaryen (pinned in package.json): Debian's binaryen 108 cannot read
# wasm-bindgen 0.2.130's output (shared/wasm-threads.md). Trunk uses the one on PATH when its
# version matches this.
export TRUNK_TOOLS_WASM_OPT := version_132
# std rebuilt with atomics, for wasm builds only (set in .cargo/config.toml it would also
# rebuild std for native tests).
WASM_ENV := CARGO_UNSTABLE_BUILD_STD=panic_abort,std
CHROMIUM_ENV := CHROMEDRIVER=/usr/bin/chromedriver

.PHONY: help tools toolchain trunk wasm-bindgen chromium browsers npm serve dist test test-native test-wasm test-e2e clean

help:
	@sed -n 's/^#   //p' Makefile

tools: toolchain trunk wasm-bindgen

toolchain:
	@rustup toolchain list | grep -q '^$(TOOLCHAIN)' \
	  || rustup toolchain install $(TOOLCHAIN) --profile minimal --component rust-src --target wasm32-unknown-unknown
	@rustup component list --toolchain $(TOOLCHAIN) --installed | grep -q '^rust-src' \
	  || rustup component add --toolchain $(TOOLCHAIN) rust-src
	@rustup target list --toolchain $(TOOLCHAIN) --installed | grep -q '^wasm32-unknown-unknown' \
	  || rustup target add --toolchain $(TOOLCHAIN) wasm32-unknown-unknown

# trunk 0.22.1 needs rustc >= 1.96.1, so it is built with the project's nightly (~15 min, once).
trunk: toolchain
	@trunk --version 2>/dev/null | grep -qF '$(TRUNK_VERSION)' \
	  || cargo +$(TOOLCHAIN) install trunk --version $(TRUNK_VERSION) --locked

# Not --locked: its lockfile pins a crate version the registry lacks (shared/wasm-threads.md).
wasm-bindgen: toolchain
	@wasm-bindgen --version 2>/dev/null | grep -qF '$(WASM_BINDGEN_VERSION)' \
	  && wasm-bindgen-test-runner --version 2>/dev/null | grep -qF '$(WASM_BINDGEN_VERSION)' \
	  || cargo +$(TOOLCHAIN) install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --force

chromium:
	@[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] \
	  || { $(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y chromium chromium-driver; }

# The other two engines of the cross-engine suite, from Debian too: Firefox ESR (driven by
# puppeteer-core over WebDriver BiDi) and WebKitGTK (WebKitWebDriver, on a virtual display).
browsers: chromium
	@[ -x /usr/bin/firefox-esr ] && [ -x /usr/bin/WebKitWebDriver ] && [ -x /usr/bin/xvfb-run ] \
	  || { $(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y firefox-esr webkit2gtk-driver xvfb; }

# npm packages as package-lock.json pins them, reinstalled whenever the lock changes. Never
# download a browser: playwright-core drives /usr/bin/chromium, puppeteer-core /usr/bin/firefox-esr.
npm: node_modules/.installed
node_modules/.installed: package-lock.json
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund
	@touch $@

serve: tools npm
	$(WASM_ENV) trunk serve --release

# npm first: Trunk copies the service worker (coi-serviceworker) from node_modules into dist/.
# PUBLIC_URL: where the site will live, e.g. /concurrency-kitchen/ for a GitHub project page.
PUBLIC_URL ?= /
dist: tools npm
	$(WASM_ENV) trunk build --release --public-url $(PUBLIC_URL)

test: tools browsers npm
	$(MAKE) test-native
	$(MAKE) test-wasm
	$(MAKE) dist
	$(MAKE) test-e2e

# Benches run once each in criterion's quick test mode; `cargo bench` measures.
test-native: toolchain
	cargo test
	cargo test --benches

test-wasm: tools chromium
	$(WASM_ENV) $(CHROMIUM_ENV) cargo test --target wasm32-unknown-unknown --test web

test-e2e: npm browsers
	node --test --test-concurrency=1 tests/e2e/

# Reports, never fails on noise (bench/bench.mjs). Criterion runs only the kernels' 100-unit
# batches, shortened: the per-unit figure, not criterion's full statistics.
.PHONY: bench
bench: tools chromium npm
	$(MAKE) dist
	cargo build --release
	cargo bench --bench kernels -- --warm-up-time 1 --measurement-time 2 --noplot '100 units'
	node bench/bench.mjs

# cargo-fuzz (libFuzzer + AddressSanitizer, hence the pinned nightly) on every decoder of
# outside input; the `//!` comments in fuzz/fuzz_targets/ say what each target reads. Each runs
# FUZZ_RUNS inputs grown from its seeds; any crash fails, leaving the input in fuzz/artifacts/.
# Built in fuzz/target, its own workspace: `cargo test` never builds it.
FUZZ_RUNS ?= 1000000
FUZZ_TARGETS := experiment trace run_options permalink embed assignment submission
FUZZ_SEEDS_experiment := docs/examples fuzz/seeds/experiment
FUZZ_SEEDS_trace := tests/golden fuzz/seeds/trace
FUZZ_SEEDS_run_options := fuzz/seeds/run_options
FUZZ_SEEDS_permalink := fuzz/seeds/permalink
FUZZ_SEEDS_embed := fuzz/seeds/embed
FUZZ_SEEDS_assignment := docs/assignments fuzz/seeds/assignment
FUZZ_SEEDS_submission := fuzz/seeds/submission
.PHONY: fuzz
fuzz: toolchain
	@cargo fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --locked
	$(foreach t,$(FUZZ_TARGETS),mkdir -p fuzz/corpus/$(t) && cargo fuzz run --target-dir $(CURDIR)/fuzz/target $(t) \
	  fuzz/corpus/$(t) $(FUZZ_SEEDS_$(t)) -- -runs=$(FUZZ_RUNS) -dict=$(CURDIR)/fuzz/json.dict;)

clean:
	rm -rf target dist node_modules
