#!/usr/bin/env bash
# Install the Debian packages Junheng needs, only those missing: Chinese fonts for the documents,
# Pango for WeasyPrint, poppler-utils to look at PDFs, LibreOffice Writer to check the DOCX as an office
# would open it, Liberation Serif for the digits and Latin text the DOCX sets in Times New Roman (its
# metric-compatible free face, so LibreOffice wraps digits as Word does; without them fontconfig gives the wider
# DejaVu and 莎车县's 附件1 ran three pages longer than the PDF), Tesseract 5 with its Simplified Chinese model
# to read scanned tables (OCR), PostgreSQL for its tests, Chromium for the browser tests. Idempotent; a second run installs nothing and takes well under a second.
set -euo pipefail

PACKAGES=(
  fonts-noto-cjk fonts-arphic-ukai fonts-arphic-uming fonts-wqy-zenhei fonts-liberation2 fontconfig
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
  poppler-utils libreoffice-writer-nogui
  tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-eng tesseract-ocr-script-latn
  postgresql
  chromium
)

# The official faces' names resolved to the free faces (scripts/fontconfig): refreshed when it changed.
install_font_aliases() {
  local conf="$(dirname "$0")/fontconfig/65-junheng-official-faces.conf" target=/etc/fonts/conf.d/65-junheng-official-faces.conf
  cmp -s "$conf" "$target" 2>/dev/null && return 0
  if [ -w /etc/fonts/conf.d ]; then cp "$conf" "$target"; elif command -v sudo >/dev/null 2>&1; then
    sudo cp "$conf" "$target"; else echo "需要 root 权限安装字体别名 Need root to install $target" >&2; return 1; fi
  fc-cache -f >/dev/null 2>&1 || true
}
missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && { install_font_aliases; exit 0; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "需要安装系统软件包（需 root 权限）Need root to install: ${missing[*]}" >&2; exit 1
  fi
fi
echo "安装系统软件包 installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fc-cache -f >/dev/null 2>&1 || true
install_font_aliases
