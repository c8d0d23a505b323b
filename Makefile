# The two commands of the README: `make run` and `make test`.
CARGO ?= cargo
BIND ?= 127.0.0.1:8080

.PHONY: run test lint fuzz bench bench-import restart-drill

## Install what is missing, build, and serve the demo at http://127.0.0.1:8080
run:
	./scripts/install-deps
	$(CARGO) build --bin tuanjian
	./target/debug/tuanjian serve --demo --bind $(BIND)

## The whole suite, browser tests included (installs Chromium and its driver if missing)
test:
	./scripts/install-deps test
	$(CARGO) test

## The workbook readers against 12,000 generated inputs: 4,000 each of generated
## workbooks, workbooks with changed bytes and cell values (`make test` runs 300 each)
fuzz:
	PROPTEST_CASES=4000 $(CARGO) test --test workbook_fuzz

## Formatting and lints, as CI checks them: every target (with the generator, as the
## tests use it), then the served binary alone (without it)
lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(CARGO) clippy --bin tuanjian -- -D warnings

## Survey import timings (release build; medians over several runs)
bench-import:
	./scripts/install-deps
	$(CARGO) bench --bench import

## HTTP benchmark of the pages against generated data (issue 7): SCALE=50k|500k|5m.
## The server binary is built with the `generate` feature, for `tuanjian generate`.
## PROFILE=dev reuses the test build instead of a release build (as CI does);
## BENCH_SECONDS, BENCH_WARMUP and BENCH_CONNECTIONS tune the runs. Results go to
## target/bench/$(SCALE)/results.md; the generated data there is reused by later runs.
SCALE ?= 50k
PROFILE ?= release
bench:
	./scripts/install-deps
ifeq ($(PROFILE),release)
	$(CARGO) build --release --bin tuanjian --features generate
	BENCH_SCALE=$(SCALE) BENCH_BIN=target/release/tuanjian $(CARGO) bench --bench http
else
	$(CARGO) build --profile $(PROFILE) --bin tuanjian --features generate
	BENCH_SCALE=$(SCALE) BENCH_BIN=target/$(if $(filter dev test,$(PROFILE)),debug,$(PROFILE))/tuanjian \
		$(CARGO) bench --profile $(PROFILE) --bench http
endif

## Restart drill (issue 18 item 5): PostgreSQL restarted beneath 200 signed-in clients
## driving the demo for 60 s (DRILL_CLIENTS, DRILL_SECONDS); fails if an acknowledged
## write is lost or the server fails for more than 5 s after PostgreSQL is back. PROFILE as
## for bench. Results go to target/bench/restart.md.
restart-drill:
	./scripts/install-deps
	$(CARGO) build --profile $(PROFILE) --bin tuanjian --features generate
	BENCH_BIN=target/$(if $(filter dev test,$(PROFILE)),debug,$(PROFILE))/tuanjian \
		$(CARGO) bench --profile $(PROFILE) --bench restart
