# The two commands of the README: `make run` and `make test`. `make bench` measures.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

# scripts/setup puts wasm-opt here; trunk finds its tools on PATH (pinned in Trunk.toml).
export PATH := $(CURDIR)/.tools/node_modules/.bin:$(or $(CARGO_HOME),$(HOME)/.cargo)/bin:$(PATH)
export TRUNK_SKIP_VERSION_CHECK := true
export CARGO_TERM_COLOR ?= never

# Crates that build for the browser; the server does not (tokio, SQLite).
WASM_CRATES := -p clearance-console -p clearance-screening -p clearance-api -p clearance-widget
ADDR ?= 127.0.0.1:8080
DB ?= data/clearance.db
DATA_KEY ?= data/clearance.key

.PHONY: setup console widget run test bench

setup:
	scripts/setup

console: setup
	RUST_BACKTRACE=0 trunk build --release

# The onboarding widget's npm-ready package (wasm, JS glue, .d.ts) in crates/widget/pkg, served under /widget/pkg/.
widget: setup
	wasm-pack build --target web --profile wasm-release crates/widget

run: console widget
	cargo build --release -p clearance-server
	@if [ -z "$${CLEARANCE_LISTS:-}" ] && ! [ -d ../shared/data/lists/ofac-sdn-2024-05-03 ] \
	    && ! [ -d data/lists ]; then scripts/fetch-lists data/lists; fi
	@[ -f $(DATA_KEY) ] || target/release/clearance keys create-data-key --out $(DATA_KEY)
	@key=$$(target/release/clearance keys create --db $(DB) --role admin --label make-run); \
	    echo "Development API key (admin; stored hashed in $(DB), shown only now): $$key"
	target/release/clearance serve --db $(DB) --data-key-file $(DATA_KEY) --addr $(ADDR) --console dist

# A test run builds each crate once: incremental caches would only double what it writes to disk.
test: export CARGO_INCREMENTAL = 0
test: setup widget
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	# Benchmarks are native only (criterion); everything else is linted for the browser too.
	cargo clippy --target wasm32-unknown-unknown $(WASM_CRATES) --lib --bins --tests -- -D warnings
	cargo test --workspace
	@echo "== API contract: schemathesis, every check and phase, against the real server =="
	cargo test -p clearance-server --test contract -- --ignored --nocapture
	@echo "== wasm tests in headless Chromium =="
	cargo test --target wasm32-unknown-unknown -p clearance-console
	wasm-pack test --headless --chrome crates/widget
	# Release, so the browser timings it prints are the ones the README quotes.
	wasm-pack test --headless --chrome --release crates/screening -- --nocapture
	@echo "== end-to-end: release console and widget against the real server =="
	RUST_BACKTRACE=0 trunk build --release
	cargo build -p clearance-server
	cargo test -p clearance-console --test e2e -- --ignored --skip bench_

bench: setup widget
	cargo bench -p clearance-screening --bench search
	cargo test --release --target wasm32-unknown-unknown -p clearance-screening --test browser_speed -- --nocapture
	cargo bench -p clearance-server --bench load
	cargo bench -p clearance-server --bench list_update
	cargo bench -p clearance-server --bench queue
	@echo "== console budgets =="
	RUST_BACKTRACE=0 trunk build --release
	@wasm=$$(ls dist/clearance-console-*_bg.wasm); echo "console wasm: $$(stat -c %s $$wasm) bytes, $$(gzip -9c $$wasm | wc -c) gzipped"
	@echo "pre-screen worker (loaded by the pages that pre-screen): $$(stat -c %s dist/clearance-prescreen_bg.wasm) bytes, $$(gzip -9c dist/clearance-prescreen_bg.wasm | wc -c) gzipped wasm, $$(cat dist/clearance-prescreen.js dist/clearance-prescreen_loader.js | gzip -9 | wc -c) gzipped glue"
	@echo "== widget budget =="
	@echo "widget (loader, frame page, glue, wasm): $$(cat crates/widget/www/clearance-widget.js crates/widget/www/frame.html crates/widget/www/frame.js crates/widget/www/frame.css crates/widget/www/worker.js crates/widget/pkg/clearance_widget.js | gzip -9 | wc -c) + $$(gzip -9c crates/widget/pkg/clearance_widget_bg.wasm | wc -c) bytes gzipped"
	cargo test --release --target wasm32-unknown-unknown -p clearance-console --test prescreen_speed -- --nocapture
	cargo build --release -p clearance-server
	@echo "== widget pre-screen =="
	@target/release/clearance index --names-only --out target/names.idx \
	    --lists ../shared/data/lists/ofac-sdn-2024-05-03 --lists ../shared/data/lists/ofac-alt-add-2026-06-02
	@echo "widget pre-screen index (default lists): $$(stat -c %s target/names.idx) bytes, $$(gzip -9c target/names.idx | wc -c) gzipped"
	cargo test --release --target wasm32-unknown-unknown -p clearance-widget --test prescreen -- --nocapture
	# One at a time: two browsers and two servers on two cores would measure each other.
	CLEARANCE_BIN=target/release/clearance cargo test -p clearance-console --test e2e -- --ignored bench_ --nocapture --test-threads=1
