# The only commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
CARGO ?= cargo
export SQLX_OFFLINE := true
# Where cargo puts what it builds: CARGO_TARGET_DIR when set (a target folder shared by clones).
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
# CI builds once, from scratch: incremental caches would only cost disk (gigabytes) and time.
ifeq ($(CI),true)
export CARGO_INCREMENTAL := 0
endif

.PHONY: run test bench lint fmt openapi frontend setup-test setup-run setup-bench test-rust test-frontend test-browser test-sqlite test-postgres

## run: cloudsim with a generated organization + orgwarden installed into it; prints the URL to open
# The frontend (npm packages, then vite) builds beside cargo: mostly downloads and I/O, it fits
# in the time cargo needs anyway.
run: setup-run
	@echo "run: building orgwarden and cloudsim (profile demo: quick to compile, fast enough for a demo) and, meanwhile, the frontend"
	@(scripts/setup.sh frontend && $(MAKE) --no-print-directory frontend) > frontend/build.log 2>&1 & \
	  frontend=$$!; \
	  $(CARGO) build --profile demo -p orgwarden-server -p orgwarden-cloudsim; cargo=$$?; \
	  if ! wait $$frontend; then cat frontend/build.log; echo "run: the frontend did not build (log above)"; exit 1; fi; \
	  exit $$cargo
	@echo "run: starting cloudsim and orgwarden; the URL to open follows"
	$(TARGET_DIR)/demo/orgwarden demo

## test: everything a change can break, on SQLite and PostgreSQL, plus the browser suite
test: setup-test frontend
	$(MAKE) lint
	$(MAKE) test-frontend
	$(MAKE) test-rust
	$(MAKE) test-browser

test-rust:
	scripts/with-postgres.sh $(CARGO) nextest run --workspace --no-fail-fast

## test-sqlite, test-postgres: one backend's Rust tests alone; every test that needs PostgreSQL
# has `postgres` in its name (`…::postgres::…`, `…_on_postgres`), so the SQLite set needs no server.
test-sqlite:
	$(CARGO) nextest run --workspace --no-fail-fast -E 'not test(/postgres/)'

test-postgres:
	scripts/with-postgres.sh $(CARGO) nextest run --workspace --no-fail-fast -E 'test(/postgres/)'

test-frontend:
	npm run --prefix frontend check:api
	npm test --prefix frontend

test-browser:
	$(CARGO) build -p orgwarden-server -p orgwarden-cloudsim
	scripts/browser-tests.sh

## bench: speed and memory figures against cloudsim (target/bench/*.json)
bench: setup-bench frontend
	$(CARGO) build --release -p orgwarden-server -p orgwarden-cloudsim -p orgwarden-bench
	bash scripts/bench.sh

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	npm run --prefix frontend lint
	npm run --prefix frontend lint:browser

fmt:
	$(CARGO) fmt --all

## openapi: regenerate the committed OpenAPI document and the frontend's types
openapi:
	$(CARGO) run -q -p orgwarden-server -- openapi > openapi/openapi.json
	npm run --prefix frontend gen:api

frontend:
	@if [ -f frontend/package.json ]; then npm run --prefix frontend build; fi

setup-test:
	scripts/setup.sh test
setup-run:
	scripts/setup.sh run
setup-bench:
	scripts/setup.sh bench
