#!/bin/sh
# Differential check against python sentencepiece 0.1.97 (Debian python3-sentencepiece) on ~8,000 texts.
# Usage: packages/tokenizer/scripts/differential/run.sh   (after building the package)
set -e
here=$(cd "$(dirname "$0")" && pwd)
shared=$(cd "$here/../../../../../shared/fixtures/sentencepiece" && pwd)
tmp=$(mktemp -d)
cd "$tmp"
node "$here/make-texts.mjs"
/usr/bin/python3 "$here/reference.py" "$shared"
node "$here/compare.mjs" "$shared"
cd / && rm -rf "$tmp"
