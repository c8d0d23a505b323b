# The two commands of the README: `make run` and `make test`.
CARGO ?= cargo
BIND ?= 127.0.0.1:8080

.PHONY: run test lint bench-import

## Install what is missing, build, and serve the demo at http://127.0.0.1:8080
run:
	./scripts/install-deps
	$(CARGO) build --bin tuanjian
	./target/debug/tuanjian serve --demo --bind $(BIND)

## The whole suite, browser tests included (installs Chromium and its driver if missing)
test:
	./scripts/install-deps test
	$(CARGO) test

## Formatting and lints, as CI checks them
lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings

## Survey import timings (release build; medians over several runs)
bench-import:
	./scripts/install-deps
	$(CARGO) bench --bench import
