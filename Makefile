# Everything a developer or CI runs. `make` alone lists the targets.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

STACK := scripts/stack.sh
WITH_STACK := scripts/with-stack.sh
STACK_ENV := set -a; eval "$$($(STACK) env)"; set +a
SERVICES := api consumer
TESTS = $$(find services test experiments -name '*.test.ts' | sort)

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

.PHONY: install
install: node_modules/.installed ## Install npm dependencies (skipped when current)

.PHONY: up
up: install ## Install what is missing, start MariaDB, Kafka, migrations, api and consumer; print the URLs
	$(STACK) up
	$(STACK_ENV); npm run -s migrate
	$(STACK_ENV); scripts/services.sh start $(SERVICES)
	@echo
	@echo "  API         http://127.0.0.1:$${PORT:-8080}/api"
	@echo "  OpenAPI     http://127.0.0.1:$${PORT:-8080}/openapi.json"
	@echo "  Readiness   http://127.0.0.1:$${PORT:-8080}/readyz"
	@echo "  Metrics     http://127.0.0.1:$${PORT:-8080}/metrics"
	@echo "  Logs        .local/run/*.log      stop with: make down"

.PHONY: down
down: ## Stop the services and the local stack (data is kept; make clean-data removes it)
	scripts/services.sh stop $(SERVICES)
	$(STACK) down

.PHONY: status
status: ## Show what is running
	-$(STACK) status
	-scripts/services.sh status $(SERVICES)

.PHONY: migrate
migrate: install ## Apply database migrations to the local stack
	$(STACK_ENV); npm run -s migrate

.PHONY: aggregate
aggregate: install ## Run the daily aggregation now: make aggregate [DATE=YYYY-MM-DD] (default yesterday in STATS_TIME_ZONE)
	$(STACK_ENV); node --import tsx services/aggregator/main.ts $(if $(DATE),--date $(DATE))

.PHONY: seed-data
seed-data: install ## Load synthetic history in bulk: make seed-data [CAMPAIGNS=10 DAYS=30 ROWS=1000000]
	$(STACK_ENV); node --import tsx scripts/seed-data.ts --campaigns $(or $(CAMPAIGNS),10) --days $(or $(DAYS),30) --rows $(or $(ROWS),1000000)

.PHONY: test
test: install lint typecheck ## Run every test (unit + integration against real MariaDB and Kafka)
	$(WITH_STACK) node --import tsx --test --test-concurrency=1 --test-reporter=spec $(TESTS)

.PHONY: test-unit
test-unit: install ## Run the pure unit tests only (no stack needed)
	node --import tsx --test --test-reporter=spec $$(find services experiments -name '*.test.ts' | sort)

.PHONY: lint
lint: install ## ESLint
	npx eslint .

.PHONY: typecheck
typecheck: install ## TypeScript, strict, no emit (the Node code and the k6 scripts in loadtest/)
	npx tsc -p tsconfig.json --noEmit
	npx tsc -p loadtest/tsconfig.json

.PHONY: build
build: install ## Compile to dist/ (what the container image runs)
	npx tsc -p tsconfig.build.json

.PHONY: bench
bench: install ## Measure throughput and latency against same-run baselines; prints a table
	scripts/install-wrk.sh
	$(WITH_STACK) node --import tsx bench/main.ts

.PHONY: k6
k6: ## Build k6 from the Go module proxy into the per-user cache (once per machine); prints its path
	@scripts/install-k6.sh

.PHONY: experiments
experiments: install ## Re-measure the three architecture experiments into docs/experiments.md with charts (EXPERIMENTS_QUICK=1: about a minute, into .local/experiments)
	$(WITH_STACK) node --import tsx experiments/main.ts

.PHONY: clean-data
clean-data: ## Remove the local stack's data (stop it first)
	@if $(STACK) status >/dev/null 2>&1; then echo "stack is running: make down first" >&2; exit 1; fi
	rm -rf .local
