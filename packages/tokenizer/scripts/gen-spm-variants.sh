#!/bin/sh
# Regenerates test/fixtures/spm-variants.json (needs Debian's python3-sentencepiece 0.1.97).
set -e
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
npx tsc -p tsconfig.build.json
npx tsc test/spm-variants.ts --outDir "$tmp/ts" --module NodeNext --moduleResolution NodeNext --target ES2022 --skipLibCheck
cp "$tmp/ts/test/spm-variants.js" "$tmp/spm-variants.js"
sed -i "s#'../src/proto/model-proto.js'#'$(pwd)/dist/proto/model-proto.js'#" "$tmp/spm-variants.js"
node scripts/write-spm-variants.mjs "$tmp"
/usr/bin/python3 scripts/gen-spm-variants.py "$tmp"
rm -rf "$tmp"
