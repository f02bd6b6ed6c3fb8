#!/usr/bin/env bash
# Writes version VERSION of bundle NAME into OUT: the same trees with `sigmoid:0.9` instead of
# `sigmoid:1` (so every probability differs), bundle.json with that version and the new
# sha256, no golden.csv. Used by bench/swap.sh and bench/pickup.sh.
#   bash bench/make_variant.sh NAME VERSION OUT
set -euo pipefail
name=$1 version=$2 out=$3
src=Data/models/$name
mkdir -p "$out"
grep -qx 'objective=binary sigmoid:1' "$src/model.txt" || { echo "$src/model.txt has no 'objective=binary sigmoid:1' line" >&2; exit 1; }
sed 's/^objective=binary sigmoid:1$/objective=binary sigmoid:0.9/' "$src/model.txt" > "$out/model.txt"
sha=$(sha256sum "$out/model.txt" | cut -d' ' -f1)
python3 - "$src/bundle.json" "$out/bundle.json" "$version" "$sha" <<'PY'
import json, sys
source, target, version, sha = sys.argv[1:]
bundle = json.load(open(source))
bundle["version"] = version
bundle["provenance"]["model_sha256"] = sha
json.dump(bundle, open(target, "w"), indent=2)
PY
echo "version $version: $out/model.txt (sigmoid:0.9, sha256 $sha)"
