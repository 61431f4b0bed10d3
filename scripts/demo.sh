#!/usr/bin/env bash
# The main job on the bundled fixture niche. Grows into crawl -> rank -> queue as those land.
set -euo pipefail
out="${1:-out/demo}"
bin=.venv/bin
mkdir -p "$out"
"$bin/linkscout" --help
"$bin/linkscout" init "$out/niche.toml" --force
