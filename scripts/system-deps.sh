#!/bin/sh
# Japanese font + HarfBuzz subsetter for the PDFs (without the subsetter every Japanese PDF
# takes ~13x longer), and poppler-utils for reading PDFs back in the tests.
set -u
have_font() { fc-list :lang=ja 2>/dev/null | grep -q .; }
have_subset() { ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset\.so'; }
have_poppler() { command -v pdftotext >/dev/null 2>&1; }

if have_font && have_subset && have_poppler; then
    exit 0
fi
PACKAGES="fonts-noto-cjk libharfbuzz-subset0 poppler-utils fontconfig"
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing $PACKAGES (Japanese font, HarfBuzz subsetter, PDF tools)..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq $PACKAGES >/dev/null || {
        echo "apt-get install failed; install these packages by hand: $PACKAGES" >&2
        exit 1
    }
    exit 0
fi
echo "Japanese PDF support is missing. Run this once, then repeat the make command:"
if command -v apt-get >/dev/null 2>&1; then
    echo "    sudo apt-get install -y $PACKAGES"
else
    echo "    install a Japanese font (Noto Sans CJK JP), HarfBuzz's libharfbuzz-subset and poppler"
fi
exit 0
