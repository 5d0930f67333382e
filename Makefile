# Everything a developer or CI runs. `make` alone lists the targets.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

# Every recipe runs on the pinned Node.js LTS, fetched once into the tool cache by
# scripts/install-node.sh (whichever Node.js and npm the machine has only bootstrap it).
NODE_BIN := $(shell scripts/install-node.sh)
ifeq ($(NODE_BIN),)
$(error scripts/install-node.sh could not provide Node.js, see its message above)
endif
export PATH := $(NODE_BIN):$(PATH)

STACK := scripts/stack.sh
WITH_STACK := scripts/with-stack.sh
STACK_ENV := set -a; eval "$$($(STACK) env)"; set +a
SERVICES := api consumer
TESTS = $$(find services test experiments -name '*.test.ts' | sort)

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

.PHONY: install
install: node_modules/.installed ## Install npm dependencies (skipped when current)

.PHONY: console
console: install ## Build the operator console into dist/console (served by the api at /console)
	node --import tsx scripts/build-console.ts

.PHONY: up
up: install console ## Install what is missing, start MariaDB, Kafka, migrations, api and consumer; print the URLs
	$(STACK) up
	$(STACK_ENV); npm run -s migrate
	$(STACK_ENV); ADMIN_TOKEN="$${ADMIN_TOKEN:-$$(scripts/admin-token.sh)}" scripts/services.sh start $(SERVICES)
	@echo
	@echo "  API         http://127.0.0.1:$${PORT:-8080}/api"
	@echo "  OpenAPI     http://127.0.0.1:$${PORT:-8080}/openapi.json"
	@echo "  Console     http://127.0.0.1:$${PORT:-8080}/console/"
	@echo "  Readiness   http://127.0.0.1:$${PORT:-8080}/readyz"
	@echo "  Metrics     http://127.0.0.1:$${PORT:-8080}/metrics"
	@if [[ "$${ADMIN_AUTH:-token}" == disabled ]]; then echo "  Admin       OPEN (ADMIN_AUTH=disabled)"; \
	  else echo "  Admin       Authorization: Bearer $${ADMIN_TOKEN:-$$(scripts/admin-token.sh)}   (kept in .local/admin-token)"; fi
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
aggregate: install ## Run the daily aggregation now: make aggregate [DATE=YYYY-MM-DD] (default: yesterday in STATS_TIME_ZONE, after the earlier days left PARTIAL or FAILED)
	$(STACK_ENV); node --import tsx services/aggregator/main.ts $(if $(DATE),--date $(DATE))

.PHONY: seed-data
seed-data: install ## Load synthetic history in bulk: make seed-data [CAMPAIGNS=10 DAYS=30 ROWS=1000000]
	$(STACK_ENV); node --import tsx scripts/seed-data.ts --campaigns $(or $(CAMPAIGNS),10) --days $(or $(DAYS),30) --rows $(or $(ROWS),1000000)

.PHONY: test
test: install lint typecheck console ## Run every test (unit + integration against real MariaDB, Kafka and Prometheus, the console in Chromium)
	scripts/install-prometheus.sh
	scripts/install-chromium.sh
	$(WITH_STACK) node --import tsx --test --test-concurrency=1 --test-reporter=spec $(TESTS)

.PHONY: test-unit
test-unit: install ## Run the pure unit tests only (no stack needed; the integration tests' pure checkers included)
	node --import tsx --test --test-reporter=spec $$(find services experiments test/integration/support -name '*.test.ts' | sort)

.PHONY: lint
lint: install ## ESLint
	npx eslint .

.PHONY: typecheck
typecheck: install ## TypeScript, strict, no emit (services, the console's browser code, the k6 scripts in loadtest/)
	npx tsc -p tsconfig.json --noEmit
	npx tsc -p services/console/tsconfig.json
	npx tsc -p loadtest/tsconfig.json

.PHONY: build
build: install console ## Compile to dist/ (what the container image runs), the console included
	npx tsc -p tsconfig.build.json

.PHONY: observability
observability: install ## Regenerate the dashboards and alert rules the chart carries (observability/ → charts/)
	node --import tsx observability/generate.ts

.PHONY: monitoring-up
monitoring-up: ## Start a local Prometheus scraping the api and consumer of `make up`, with the alert rules
	scripts/monitoring.sh start
	@echo "  Prometheus  $$(scripts/monitoring.sh url)   (alerts: $$(scripts/monitoring.sh url)/alerts)"

.PHONY: monitoring-down
monitoring-down: ## Stop the local Prometheus
	scripts/monitoring.sh stop

.PHONY: test-chart
test-chart: install ## Static Kubernetes checks only: helm lint, helm template + kubeconform (offline), k8s/
	node --import tsx --test --test-reporter=spec test/chart/*.test.ts

.PHONY: test-e2e
test-e2e: install ## Only the end-to-end test on a real local Kubernetes cluster (root; built and removed by the test)
	node --import tsx --test --test-concurrency=1 --test-reporter=spec test/e2e/*.test.ts

.PHONY: k8s-tools
k8s-tools: ## Build helm, kubeconform, the offline schemas and the local cluster's binaries (cached)
	scripts/chart-tools.sh >/dev/null
	scripts/local-cluster/install-packages.sh
	scripts/local-cluster/build-binaries.sh

.PHONY: k8s-local-up
k8s-local-up: install ## A real single-node cluster here with the chart installed; prints KUBECONFIG and the API URL
	scripts/local-cluster/up.sh

.PHONY: k8s-local-down
k8s-local-down: ## Remove the local cluster and its MariaDB + Kafka, restoring every host setting
	scripts/local-cluster/down.sh

.PHONY: k8s-up
k8s-up: ## kind or minikube with Strimzi, MySQL 8 and the chart: make k8s-up CLUSTER=kind|minikube (docker, internet)
	k8s/up.sh $(or $(CLUSTER),kind)

.PHONY: k8s-down
k8s-down: ## Delete the kind cluster or minikube profile of make k8s-up (CLUSTER=kind|minikube)
	k8s/down.sh $(or $(CLUSTER),kind)

.PHONY: bench
bench: install ## Measure throughput and latency against same-run baselines; prints a table
	scripts/install-wrk.sh
	$(WITH_STACK) node --import tsx bench/main.ts

.PHONY: bench-console
bench-console: install console ## The console's live view during a wrk rush: what the page sees, what it costs the api
	scripts/install-wrk.sh
	scripts/install-chromium.sh
	$(WITH_STACK) node --import tsx bench/console-rush.ts

.PHONY: k6
k6: ## Build k6 from the Go module proxy into the per-user cache (once per machine); prints its path
	@scripts/install-k6.sh

.PHONY: experiments
experiments: install ## Re-measure the three architecture experiments into docs/experiments.md with charts (EXPERIMENTS_QUICK=1: about a minute, into .local/experiments)
	$(WITH_STACK) node --import tsx experiments/main.ts

.PHONY: bench-operator
bench-operator: install ## Campaign controller: status latency and API-server load with 100 Open campaigns (BENCH_CAMPAIGNS=, BENCH_UPDATES_PER_SEC=)
	$(WITH_STACK) node --import tsx bench/operator-status.ts

.PHONY: clean-data
clean-data: ## Remove the local stack's data (stop it first)
	@if $(STACK) status >/dev/null 2>&1; then echo "stack is running: make down first" >&2; exit 1; fi
	rm -rf .local
