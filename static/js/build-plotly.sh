#!/usr/bin/env bash
# Rebuild plotly-dashboard.min.js: plotly.js's core (scatter) with only the bar and heatmap traces,
# the three kinds of trace the dashboard draws (monitoring/charts.py). A smaller bundle than plotly's
# cartesian one (1.17 MB against 1.50 MB) is less for every browser to evaluate before the first chart.
# Needs node and npm (the npm registry); writes next to this script. MIT licence: plotly-LICENSE.txt.
set -euo pipefail
PLOTLY_VERSION=4.1.1
ESBUILD_VERSION=0.25.12
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent "plotly.js@$PLOTLY_VERSION" "esbuild@$ESBUILD_VERSION"
cat > entry.js <<'JS'
var Plotly = require('plotly.js/lib/core');
Plotly.register([require('plotly.js/lib/bar'), require('plotly.js/lib/heatmap')]);
module.exports = Plotly;
JS
npx esbuild entry.js --bundle --minify --format=iife --global-name=Plotly --define:global=window \
  --banner:js="/** plotly.js v$PLOTLY_VERSION (core, bar, heatmap) | (c) Plotly, Inc. | MIT licence: plotly-LICENSE.txt */" \
  --outfile="$here/plotly-dashboard.min.js" --log-level=warning
# esbuild writes the CSS a map module imports beside the bundle: no map is drawn, and plotly's own
# styles (modebar, hover labels) are injected by the bundle itself
rm -f "$here/plotly-dashboard.min.css"
echo "wrote $here/plotly-dashboard.min.js ($(wc -c < "$here/plotly-dashboard.min.js") bytes)"
