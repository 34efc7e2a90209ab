#!/usr/bin/env bash
# Advisory matching benchmark (figures, not pass/fail): 1,000 generated advisories against the
# inventories of 11,000 generated members with 50 products each, and the re-match of one
# changed object against all advisories (example `bench_advisories` of verbund-domain; the
# pure matcher, without the database). Targets of issue 15: < 10 s and < 10 ms.
# Usage: bash bench/advisories.sh   (builds the release example of the domain crate only)
# Env: BENCH_PRODUCTS (distinct products, default 2,500 — dense; 10000 is closer to a real
#      federation), BENCH_EXAMPLE (a binary built before).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/verbund-target}"
if [ -z "${BENCH_EXAMPLE:-}" ]; then
  cargo build --release --locked -p verbund-domain --example bench_advisories >/dev/null
fi
"${BENCH_EXAMPLE:-$CARGO_TARGET_DIR/release/examples/bench_advisories}"
