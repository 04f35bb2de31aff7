#!/bin/sh
# Rebuild the front-end bundle from js/src and fail if it differs from the committed
# w2v_widgets/static/explorer.{js,css}. Run after `npm ci` (CI does: cd js && npm ci && sh check-bundle.sh).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
node "$here/build.mjs" "$tmp"
status=0
for f in explorer.js explorer.css; do
  if ! cmp -s "$tmp/$f" "$here/../w2v_widgets/static/$f"; then
    echo "w2v_widgets/static/$f is out of date with js/src: run 'cd js && npm run build' and commit it" >&2
    diff -u "$here/../w2v_widgets/static/$f" "$tmp/$f" | head -40 >&2 || true
    status=1
  fi
done
[ "$status" -eq 0 ] && echo "bundle up to date"
exit "$status"
