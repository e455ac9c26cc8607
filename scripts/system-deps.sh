#!/bin/sh
# Japanese font + HarfBuzz subsetter for the PDFs (without the subsetter every Japanese PDF
# takes ~13x longer), and poppler-utils for reading PDFs back in the tests; Chromium and its
# driver for the HTML report's browser test (optional: that test skips without them).
set -u
have_font() { fc-list :lang=ja 2>/dev/null | grep -q .; }
have_subset() { ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset\.so'; }
have_poppler() { command -v pdftotext >/dev/null 2>&1; }
have_core() { have_font && have_subset && have_poppler; }
have_browser() { command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; }

if have_core && have_browser; then
    exit 0
fi
PACKAGES="fonts-noto-cjk libharfbuzz-subset0 poppler-utils fontconfig"
BROWSER="chromium chromium-driver"
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null || echo "apt-get update failed; trying the install anyway" >&2
    if ! have_core; then
        echo "Installing $PACKAGES (Japanese font, HarfBuzz subsetter, PDF tools)..."
        apt-get install -y -qq $PACKAGES >/dev/null || {
            echo "apt-get install failed; install these packages by hand: $PACKAGES" >&2
            exit 1
        }
    fi
    if ! have_browser; then
        echo "Installing $BROWSER (browser test of the HTML report)..."
        # Optional: without a browser that one test skips, so a failure here is only a note.
        apt-get install -y -qq $BROWSER >/dev/null ||
            echo "could not install $BROWSER; the HTML browser test will be skipped" >&2
    fi
    exit 0
fi
if ! have_core; then
    echo "Japanese PDF support is missing. Run this once, then repeat the make command:"
    if command -v apt-get >/dev/null 2>&1; then
        echo "    sudo apt-get install -y $PACKAGES"
    else
        echo "    install a Japanese font (Noto Sans CJK JP), HarfBuzz's libharfbuzz-subset and poppler"
    fi
fi
if ! have_browser; then
    echo "Optional: the HTML report's browser test needs Chromium and chromedriver" \
        "(Debian: sudo apt-get install -y $BROWSER); it is skipped without them."
fi
exit 0
