#!/usr/bin/env bash
# A longer fuzz campaign than the unit tier's: scripts/fuzz.sh [CASES] [SEED]. Prints its figures; exit 1 on any defect.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build --silent
node dist/test/fuzz/campaign.js "${1:-5000}" "${2:-4242}"
