#!/usr/bin/env bash
# Renders a DOCX report to PDF and PNG pages with LibreOffice, so a person can look at it.
#   tools/render-report.sh bao-cao-cchc-2022.docx [out-dir] [first-page] [last-page]     (RESOLUTION=100 for sharper PNGs)
# Needs Debian's libreoffice-writer-nogui, fonts-liberation2 (Liberation Serif has Times New Roman's
# metrics) and poppler-utils:  apt-get update && apt-get install -y libreoffice-writer-nogui fonts-liberation2 poppler-utils
set -euo pipefail
docx=${1:?usage: tools/render-report.sh <report.docx> [out-dir] [first-page] [last-page]}
out=${2:-$(dirname "$docx")}
first=${3:-1}
last=${4:-2}
resolution=${RESOLUTION:-80}
mkdir -p "$out"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
soffice -env:UserInstallation="file://$profile" --headless --convert-to pdf --outdir "$out" "$docx" >/dev/null
pdf="$out/$(basename "${docx%.*}").pdf"
pdftoppm -png -r "$resolution" -f "$first" -l "$last" "$pdf" "$out/$(basename "${docx%.*}")-page"
echo "$pdf ($(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}') pages) and $(ls "$out/$(basename "${docx%.*}")"-page*.png | wc -l) PNG pages in $out"
