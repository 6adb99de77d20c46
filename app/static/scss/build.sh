#!/usr/bin/env bash
# Rebuild app/static/css/streamlead.css from streamlead.scss.
#
# Development-time only: the compiled CSS is committed so that running the app
# never needs Node or the network. Versions are pinned so a rebuild is
# reproducible; bump them deliberately and re-check the output (see docs/design.md).
set -euo pipefail

GOVUK_FRONTEND_VERSION="6.6.0"
SASS_VERSION="1.108.2"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source_file="${here}/streamlead.scss"
output_file="$(cd "${here}/../css" && pwd)/streamlead.css"

workdir="$(mktemp -d)"
trap 'rm -rf "${workdir}"' EXIT

# --ignore-scripts: sass is pure JavaScript; its optional file-watcher
# dependency would otherwise try to build native code we do not need.
(
  cd "${workdir}"
  npm install --no-save --no-audit --no-fund --ignore-scripts --loglevel=error \
    "govuk-frontend@${GOVUK_FRONTEND_VERSION}" "sass@${SASS_VERSION}"
)

# GOV.UK Frontend does not ship its LICENSE file in the npm tarball; this just
# confirms the licence we vendor still matches what the package declares.
declared_licence="$(node -p "require('${workdir}/node_modules/govuk-frontend/package.json').license")"
if [[ "${declared_licence}" != "MIT" ]]; then
  echo "govuk-frontend now declares licence '${declared_licence}', not MIT: review before shipping" >&2
  exit 1
fi

# Expanded rather than compressed: a rebuild then shows as a readable diff, and
# once gzipped the difference is under 2 KB.
sass_log="${workdir}/sass.log"
if ! "${workdir}/node_modules/.bin/sass" \
  --no-source-map \
  --style=expanded \
  --load-path="${workdir}/node_modules" \
  "${source_file}" "${workdir}/streamlead.css" 2>"${sass_log}"; then
  cat "${sass_log}" >&2
  exit 1
fi
# Deprecation warnings today are build failures after the next upgrade, so
# treat them as errors now.
if [[ -s "${sass_log}" ]]; then
  cat "${sass_log}" >&2
  echo "sass printed warnings (above): fix them before committing the CSS" >&2
  exit 1
fi

# We ship no font or image files, so any url() left in the output would 404.
if grep -o 'url([^)]*)' "${workdir}/streamlead.css"; then
  echo "compiled CSS references external files (listed above): remove them" >&2
  exit 1
fi

# Only a clean build replaces the committed file.
cp "${workdir}/streamlead.css" "${output_file}"

echo "wrote ${output_file} ($(wc -c < "${output_file}") bytes)"
