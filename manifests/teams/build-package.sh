#!/usr/bin/env bash
# Builds the Teams app package (manifest.json + color.png + outline.png at the zip root) for your bot.
#
#   manifests/teams/build-package.sh <app-id> [version] [output.zip]
#
# <app-id> is the Microsoft App ID of the Azure Bot (Teams__AppId); it defaults to $Teams__AppId.
# [version] is the manifest version (default 1.0.0; raise it for every re-upload of a changed manifest).
# Output: dist/teams-app.zip unless given. Upload it in Teams: Apps > Manage your apps > Upload an app.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
app_id="${1:-${Teams__AppId:-}}"
version="${2:-1.0.0}"
output="${3:-dist/teams-app.zip}"

if [[ ! "$app_id" =~ ^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$ ]]; then
  echo "usage: $0 <app-id GUID> [version] [output.zip]   (or set Teams__AppId)" >&2
  exit 2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sed -e "s/00000000-0000-0000-0000-000000000000/${app_id}/g" \
    -e "s/\"version\": \"1.0.0\"/\"version\": \"${version}\"/" \
    "$here/manifest.json" > "$work/manifest.json"
cp "$here/color.png" "$here/outline.png" "$work/"

mkdir -p "$(dirname "$output")"
output="$(cd "$(dirname "$output")" && pwd)/$(basename "$output")"
rm -f "$output"
if command -v zip >/dev/null 2>&1; then
  (cd "$work" && zip -q -X "$output" manifest.json color.png outline.png)
else
  python3 - "$work" "$output" <<'PY'
import sys, zipfile, os
work, output = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as z:
    for name in ("manifest.json", "color.png", "outline.png"):
        z.write(os.path.join(work, name), name)
PY
fi
echo "Built $output for app id $app_id (version $version)"
