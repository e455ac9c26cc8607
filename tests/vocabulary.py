"""A scanner for user-facing Japanese text: the glossary's "avoid" words and half-width punctuation.

The words and the reasons come from docs/glossary.ja.md (one concept, one word). The scanner
looks only at Japanese strings: YAML strings with kana or kanji, Markdown lines outside fenced
code, ``msgstr`` of Japanese catalogues, the text of generated HTML. Code spans, URLs, link
targets, placeholders and the quoted AWS names of ``ALLOWED`` are masked before matching.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "docs" / "glossary.ja.md"  # names the avoided words, so it is not scanned

# (pattern, the glossary word to use instead). Patterns match inside Japanese text only.
AVOID: tuple[tuple[str, str], ...] = (
    (r"指摘(?!事項)", "検出結果 (a FAIL: 不適合 / 指摘事項)"),
    (r"合格", "適合 / 不適合 (a lab goal: 達成)"),
    (r"(?<![A-Za-z])(?:OK|NG)(?![A-Za-z])", "適合 / 不適合"),
    (r"不明|未判定", "判定不能"),
    (r"該当なし", "対象外 (NOT_APPLICABLE)"),
    (r"抑止済み|ミュート", "例外承認済み"),
    (r"例外一覧", "例外管理台帳"),
    (r"重大度", "重要度"),
    (r"エビデンス", "監査証拠"),
    (r"トレイル", "証跡 (a CloudTrail trail)"),
    (r"クレデンシャルレポート", "認証情報レポート"),
    (r"(?<!認証情報)レポート", "報告書 (the credential report: 認証情報レポート)"),
    (r"マネージドポリシー", "AWS 管理ポリシー / カスタマー管理ポリシー"),
    (r"パーミッションバウンダリ", "アクセス許可の境界"),
    (r"ログイン", "サインイン"),
    (r"最終利用|最終アクセス", "最終使用日時 / 最終使用日"),
    (r"利用なし|未使用", "使用履歴なし / 使われていない"),
    (r"ルートアカウント", "ルートユーザー"),
    (r"ユーザ(?!ー)|サーバ(?!ー)|フォルダ(?!ー)", "ユーザー / サーバー / フォルダー"),
    (r"アクセス鍵", "アクセスキー"),
    (r"最小特権", "最小権限"),
    (r"特権昇格", "権限昇格"),
    (r"点検項目", "チェック項目"),
    (r"管理策", "コントロール"),
    (r"修正方法|対処法", "是正手順"),
    (r"アクセスレビュー", "アクセス権の棚卸し"),
    (r"生徒|先生", "受講者 / 講師"),
    (r"ラボ", "演習"),
)

# AWS's own names, quoted as AWS writes them in its Japanese console and documentation.
ALLOWED: tuple[str, ...] = (
    "ログインプロファイル",  # the IAM LoginProfile (CreateLoginProfile)
    "最終アクセス情報",  # IAM "last accessed information"
    "未使用のアクセス",  # IAM Access Analyzer "unused access"
    "「レポートをダウンロード」",  # the button on the IAM credential report page
    "多要素認証 (MFA)",  # the console heading on the security credentials page
)

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e]")
WORD = r"\u3040-\u30fa\u30fc-\u30ff\u3400-\u9fff"  # kana and kanji, without the ・ mark
FULL_PUNCT = "（）「」『』：、。・！？"
PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*(?:![rs])?\}")  # {placeholder}: a value, kept as X
MASKS = (
    re.compile(r"`[^`\n]*`"),  # code span
    re.compile(r"https?://\S+"),  # URL
    re.compile(r"\]\([^)\s]*\)"),  # Markdown link target
    PLACEHOLDER,
    re.compile(r"<[^>\n]*>"),  # <placeholder> in commands, HTML tags
    re.compile(r"\*\*"),  # Markdown bold
)
# A half-width bracket or colon touching Japanese (spaces aside), or brackets around Japanese.
HALF_WIDTH = re.compile(
    rf"(?:[{WORD}{FULL_PUNCT}]\s*[():])|(?:[():]\s*[{WORD}{FULL_PUNCT}])|\([^()\n]*[{WORD}][^()\n]*\)"
)


@dataclass(frozen=True)
class Problem:
    """One avoided word or one half-width mark in one Japanese text."""

    path: str
    text: str
    found: str
    use: str

    def __str__(self) -> str:
        return f"{self.path}: {self.found!r} (use {self.use}) in: {self.text[:120]}"


def mask(text: str) -> str:
    """The text with code, URLs, placeholders and allowed AWS names blanked out."""
    for allowed in ALLOWED:
        text = text.replace(allowed, " ")
    for pattern in MASKS:
        text = pattern.sub("X" if pattern is PLACEHOLDER else " ", text)
    return text


def scan_text(text: str, path: str = "<text>", punctuation: bool = True) -> list[Problem]:
    """Problems in one Japanese text (a sentence, a YAML string or a Markdown line)."""
    problems: list[Problem] = []
    for line in text.splitlines():
        if not JAPANESE.search(line):
            continue
        masked = mask(line)
        for pattern, use in AVOID:
            problems += [Problem(path, line, m.group(0), use) for m in re.finditer(pattern, masked)]
        if punctuation:
            problems += [
                Problem(path, line, m.group(0), "full-width （）：")
                for m in HALF_WIDTH.finditer(masked)
            ]
    return problems


def _yaml_strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _yaml_strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _yaml_strings(item)


def _markdown_lines(text: str) -> Iterator[str]:
    fenced = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced:
            yield line


def _front_matter(text: str) -> tuple[str, str]:
    if text.startswith("---\n"):
        head, _, body = text[4:].partition("\n---\n")
        return head, body
    return "", text


def _msgstrs(text: str) -> Iterator[str]:
    for match in re.finditer(r'^msgstr "(.*)"$', text, re.MULTILINE):
        yield match.group(1).replace('\\"', '"')


def _html_text(text: str) -> Iterator[str]:
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    text = re.sub(r"<span lang=\"en\"[^>]*>.*?</span>", " ", text, flags=re.S)
    for chunk in re.split(r"<[^>]+>", text):
        yield html.unescape(chunk)


def japanese_texts(path: Path) -> Iterator[str]:
    """The user-facing Japanese strings of one file, by its kind."""
    raw = path.read_text(encoding="utf-8")
    name = path.name
    if name.endswith((".yaml", ".yml")):
        yield from _yaml_strings(yaml.safe_load(raw))
    elif name.endswith(".md"):
        head, body = _front_matter(raw)
        if head:
            yield from _yaml_strings(yaml.safe_load(head))
        yield from _markdown_lines(body)
    elif name.endswith(".po"):
        yield from _msgstrs(raw)
    elif name.endswith(".html"):
        yield from _html_text(raw)
    else:
        raise ValueError(f"no reader for {path}")


def scan_file(path: Path) -> list[Problem]:
    """Problems in every Japanese string of one file.

    In generated HTML only the words count: its punctuation mixes in snapshot data.
    """
    rel = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
    punctuation = path.suffix != ".html"
    return [p for text in japanese_texts(path) for p in scan_text(text, rel, punctuation)]


def glossary_avoided_words() -> list[str]:
    """The 避ける語 column of docs/glossary.ja.md's 用語 table."""
    table = GLOSSARY.read_text(encoding="utf-8").split("## 用語", 1)[1].split("\n## ", 1)[0]
    words: list[str] = []
    rows = [r for r in table.splitlines() if r.startswith("|")]
    for row in rows[2:]:
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[2]:
            words += [w.strip() for w in cells[2].split("、")]
    return words


def user_facing_files() -> list[Path]:
    """Every file with Japanese text a user reads (sources, and the generated checks.md)."""
    patterns = (
        "checks/*.yaml",
        "checks/profiles/*.yaml",
        "lessons/*/ja.md",
        "lessons/*/lab.yaml",
        "locale/ja/LC_MESSAGES/*.po",
        "docs/*.ja.md",
        "docs/checks.md",
        "README.ja.md",
    )
    found = {p for pattern in patterns for p in ROOT.glob(pattern)}
    return sorted(found - {GLOSSARY})
