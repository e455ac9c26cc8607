"""One check's spec (``checks/<id>.yaml``) and the sections, read from YAML and validated.

The catalogue (:mod:`reportgen.evaluate.catalogue`) joins these specs to their rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from reportgen.errors import CatalogueError
from reportgen.evaluate.findings import Section, Severity, Status
from reportgen.evaluate.messages import bad_plural, placeholders
from reportgen.lang import LANGS
from reportgen.snapshot.model import Src
from reportgen.yamldoc import YamlDoc, read_yaml

RESOURCE_TYPES = frozenset(
    {"account", "root", "user", "access_key", "group", "role", "policy", "trail", "region"}
    | {"certificate", "instance"}
)
PARAM_TYPES: Mapping[str, type] = {"int": int, "bool": bool, "str": str, "list": list}
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]+$")
CIS_VERSIONS = ("3.0", "4.0", "5.0", "6.0", "7.0")
"""The CIS AWS Foundations Benchmark versions a spec may map to, oldest first."""
CIS_ITEM = re.compile(r"^[1-9][0-9]*(\.[1-9][0-9]*)+$")
MESSAGE_STATUSES = {
    "pass": Status.PASS,
    "fail": Status.FAIL,
    "not_applicable": Status.NOT_APPLICABLE,
}

LangText = Mapping[str, str]
ParamValue = int | bool | str | tuple[str, ...]


@dataclass(frozen=True)
class ParamSpec:
    """A parameter a rule reads, with its type and default."""

    name: str
    type: str
    default: ParamValue
    description: LangText


@dataclass(frozen=True)
class CheckSpec:
    """One check's spec: what the compliance person reads and edits."""

    id: str
    section: Section
    severity: Severity
    resource_type: str
    sources: tuple[str, ...]
    parameters: Mapping[str, ParamSpec]
    mappings: Mapping[str, Any]
    title: LangText
    rationale: LangText
    messages: Mapping[Status, LangText]
    """Per status; a key ``"<status>.<reason>"`` in the YAML is a variant used when the
    finding's evidence ``reason`` is ``<reason>`` (kept in ``variants``)."""
    console_steps: Mapping[str, tuple[str, ...]]
    cli: tuple[str, ...]
    references: tuple[str, ...]
    evidence: tuple[str, ...]
    path: Path
    variants: Mapping[tuple[Status, str], LangText] = field(default_factory=dict)
    never_fails: bool = False
    """The rule never returns FAIL: what it finds missing "needs review" (UNKNOWN) instead."""

    def text(self, name: str, lang: str) -> str:
        """``title`` or ``rationale`` in ``lang``."""
        texts: LangText = getattr(self, name)
        return texts[lang]

    def message(self, status: Status, lang: str, reason: object = None) -> str | None:
        """The message template for ``status`` (SUPPRESSED uses the FAIL text), or its variant
        for ``reason`` when the spec has one; None if absent."""
        wanted = Status.FAIL if status is Status.SUPPRESSED else status
        texts = self.variants.get((wanted, str(reason))) or self.messages.get(wanted)
        return texts[lang] if texts else None

    @property
    def defaults(self) -> Mapping[str, ParamValue]:
        return {name: p.default for name, p in self.parameters.items()}

    def cis(self, version: str) -> str | None:
        cis = self.mappings.get("cis") or {}
        found = cis.get(version)
        return str(found) if found is not None else None

    @property
    def security_hub(self) -> tuple[str, ...]:
        return tuple(str(x) for x in self.mappings.get("security_hub") or ())

    def meets(self, control: str, params: Mapping[str, object] | None = None) -> bool:
        """Whether a result of this check, run with ``params``, stands for ``control`` (``cis``
        or a Security Hub id) itself, or is only related to it.

        It stands for the control when the spec does not list it under ``mappings.related``
        (the control asks for more than this check tests) and, where ``mappings.thresholds``
        gives the control's own parameter values, the check runs with exactly those values: a
        90-day test is not CIS's 45-day control, in either direction.
        """
        if control in (self.mappings.get("related") or ()):
            return False
        wanted = (self.mappings.get("thresholds") or {}).get(control) or {}
        values: dict[str, object] = {**self.defaults, **(params or {})}
        return all(values.get(name) == value for name, value in wanted.items())


@dataclass(frozen=True)
class SectionSpec:
    """An article section with its chapter texts (``why`` and ``summary`` may be empty)."""

    section: Section
    title: LangText
    summary: LangText
    why: LangText


def load_spec(doc: YamlDoc, sections: Mapping[Section, SectionSpec]) -> CheckSpec:
    raw = doc.data
    if not isinstance(raw, dict):
        raise CatalogueError(f"{doc.path}: a check spec must be a mapping")

    def fail(problem: str, *keys: str | int) -> CatalogueError:
        return CatalogueError(f"{doc.where(*keys)}: {problem}")

    def need(key: str) -> Any:
        if key not in raw:
            raise fail(f"missing '{key}'")
        return raw[key]

    check_id = need("id")
    if not isinstance(check_id, str) or not ID_PATTERN.fullmatch(check_id):
        raise fail(f"id {check_id!r} is not of the form ^[a-z][a-z0-9_]+$", "id")
    if check_id != doc.path.stem:
        raise fail(f"id '{check_id}' differs from the file name '{doc.path.stem}'", "id")
    section = _enum(Section, need("section"), fail, "section")
    if section not in sections:
        raise fail(f"section '{section.value}' is not in sections.yaml", "section")
    resource_type = need("resource_type")
    if not isinstance(resource_type, str) or resource_type not in RESOURCE_TYPES:
        raise fail(f"unknown resource_type {resource_type!r}", "resource_type")
    sources = need("sources")
    known = {s.value for s in Src}
    if not _strings(sources) or not sources or not set(sources) <= known:
        raise fail(f"sources must be a non-empty list drawn from {sorted(known)}", "sources")
    messages = need("message")
    if not isinstance(messages, dict) or not _strings(list(messages)):
        raise fail("message must map statuses to texts", "message")
    # A check whose rule never fails (a missing control "needs review" instead) says so.
    never_fails = raw.get("never_fails", False)
    if not isinstance(never_fails, bool):
        raise fail("never_fails must be true or false", "never_fails")
    required = {"pass"} if never_fails else {"pass", "fail"}
    if not required <= set(messages):
        wanted = "'pass'" if never_fails else "'pass' and 'fail'"
        raise fail(f"message needs at least {wanted}", "message")
    if never_fails and "fail" in messages:
        raise fail("a check that never fails has no 'fail' message", "message")
    unknown_status = {k.split(".", 1)[0] for k in messages} - set(MESSAGE_STATUSES)
    if unknown_status:
        raise fail(f"unknown message status {sorted(unknown_status)}", "message")
    remediation = need("remediation")
    if not isinstance(remediation, dict):
        raise fail("remediation must be a mapping with 'console' and 'cli'", "remediation")
    console = _lang_steps(remediation.get("console"), fail)
    cli = remediation.get("cli") or []
    if not _strings(cli):
        raise fail("remediation.cli must be a list of commands", "remediation", "cli")
    references = raw.get("references") or []
    if not _strings(references):
        raise fail("references must be a list of texts", "references")
    evidence = raw.get("evidence") or []
    if not _strings(evidence):
        raise fail("evidence must be a list of placeholder names", "evidence")
    for key, texts in messages.items():
        for lang in LANGS:
            text = texts.get(lang) if isinstance(texts, dict) else None
            spec = bad_plural(text) if isinstance(text, str) else None
            if spec is not None:
                where = doc.where("message", key)
                raise CatalogueError.keyed("message_bad_plural", where=where, spec=spec)
    return CheckSpec(
        id=check_id,
        section=section,
        severity=_enum(Severity, need("severity"), fail, "severity"),
        resource_type=resource_type,
        sources=tuple(sources),
        parameters=_parameters(raw.get("parameters") or {}, fail),
        mappings=_mappings(raw.get("mappings") or {}, raw.get("parameters") or {}, fail),
        title=_lang(need("title"), fail, "title"),
        rationale=_lang(need("rationale"), fail, "rationale"),
        messages={
            MESSAGE_STATUSES[k]: _lang(v, fail, "message", k, same=True)
            for k, v in messages.items()
            if "." not in k
        },
        variants={
            (MESSAGE_STATUSES[k.split(".")[0]], k.split(".", 1)[1]): _lang(
                v, fail, "message", k, same=True
            )
            for k, v in messages.items()
            if "." in k
        },
        console_steps=console,
        cli=tuple(cli),
        references=tuple(references),
        evidence=tuple(evidence),
        path=doc.path,
        never_fails=never_fails,
    )


def _strings(value: object) -> bool:
    """Whether ``value`` is a YAML list of texts (a bare text, a number or a mapping is not)."""
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _enum(kind: Any, value: Any, fail: Callable[..., CatalogueError], key: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(m.value for m in kind)
        raise fail(f"unknown {key} {value!r} (one of: {choices})", key) from None


def _lang(
    value: Any, fail: Callable[..., CatalogueError], *keys: str | int, same: bool = False
) -> LangText:
    if not isinstance(value, dict) or any(not isinstance(value.get(lang), str) for lang in LANGS):
        raise fail(f"{'.'.join(map(str, keys))} needs text in each of {', '.join(LANGS)}", *keys)
    if same and len({placeholders(value[lang]) for lang in LANGS}) > 1:
        found = {lang: sorted(placeholders(value[lang])) for lang in LANGS}
        raise fail(
            f"{'.'.join(map(str, keys))}: ja and en use different placeholders {found}", *keys
        )
    return MappingProxyType({lang: value[lang].strip() for lang in LANGS})


def _lang_steps(value: Any, fail: Callable[..., CatalogueError]) -> Mapping[str, tuple[str, ...]]:
    if not isinstance(value, dict) or any(not isinstance(value.get(k), list) for k in LANGS):
        raise fail("remediation.console needs a list of steps in ja and en", "remediation")
    return MappingProxyType({lang: tuple(str(s) for s in value[lang]) for lang in LANGS})


def _parameters(raw: Any, fail: Callable[..., CatalogueError]) -> Mapping[str, ParamSpec]:
    if not isinstance(raw, dict):
        raise fail("parameters must be a mapping", "parameters")
    params: dict[str, ParamSpec] = {}
    for name, body in raw.items():
        typed = (
            isinstance(body, dict)
            and isinstance(body.get("type"), str)
            and body["type"] in PARAM_TYPES
        )
        if not typed or "default" not in body:
            problem = f"parameter '{name}' needs 'type' (int|bool|str|list) and 'default'"
            raise fail(problem, "parameters", name)
        default = coerce_param(body["type"], body["default"])
        if default is None:
            raise fail(f"parameter '{name}': default is not a {body['type']}", "parameters", name)
        description = body.get("description") or {lang: "" for lang in LANGS}
        params[name] = ParamSpec(
            name, body["type"], default, _lang(description, fail, "parameters", name)
        )
    return MappingProxyType(params)


def coerce_param(type_name: str, value: Any) -> ParamValue | None:
    """``value`` as a parameter of ``type_name``, or ``None`` if it is not one."""
    if type_name == "int":
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if type_name == "bool":
        return value if isinstance(value, bool) else None
    if type_name == "str":
        return value if isinstance(value, str) else None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def load_sections(
    path: Path,
) -> tuple[dict[Section, SectionSpec], LangText, dict[str, LangText]]:
    doc = read_yaml(path)
    raw = doc.data
    if not isinstance(raw, dict):
        raise CatalogueError(f"{path}: sections.yaml must be a mapping")

    def fail(problem: str, *keys: str | int) -> CatalogueError:
        return CatalogueError(f"{doc.where(*keys)}: {problem}")

    entries = raw.get("sections")
    if isinstance(entries, dict):
        entries = [{"id": k, **v} if isinstance(v, dict) else v for k, v in entries.items()]
    if not isinstance(entries, list):
        raise fail("'sections' must list the article sections", "sections")
    sections: dict[Section, SectionSpec] = {}
    empty = {lang: "" for lang in LANGS}
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise fail("each section must be a mapping with id, title, summary, why", "sections")
        section = _enum(Section, entry.get("id"), fail, "sections")
        sections[section] = SectionSpec(
            section,
            _lang(entry.get("title"), fail, "sections", index),
            _lang(entry.get("summary", empty), fail, "sections", index),
            _lang(entry.get("why", empty), fail, "sections", index),
        )
    missing = [s.value for s in Section if s not in sections]
    if missing:
        raise fail(f"sections missing: {missing}", "sections")
    unknown = _lang(raw.get("unknown"), fail, "unknown", same=True)
    if not placeholders(unknown["ja"]) <= {"source", "reason", "source_status", "source_message"}:
        raise fail("the unknown message may use only {source} and {reason}", "unknown")
    labels: dict[str, LangText] = {}
    label_keys = (("source", ("sources", "source")),)
    for kind, keys in label_keys:
        found = next((raw[k] for k in keys if isinstance(raw.get(k), dict)), None)
        if found is None and isinstance(raw.get("labels"), dict):
            found = next((raw["labels"][k] for k in keys if k in raw["labels"]), None)
        if not isinstance(found or {}, dict):
            raise fail(f"labels.{keys[0]} must map each value to its texts", "labels")
        for value, texts in (found or {}).items():
            labels[f"{kind}.{str(value).lower()}"] = _lang(texts, fail, kind, str(value))
    return sections, unknown, labels


def _mappings(
    raw: object, parameters: object, fail: Callable[..., CatalogueError]
) -> Mapping[str, Any]:
    """``mappings``: ``cis`` by version, ``security_hub`` ids, and how far each stands for
    the control: ``thresholds`` (control to the parameter values it uses) and ``related``
    (controls this check only relates to)."""
    if not isinstance(raw, dict):
        raise fail("mappings must be a mapping", "mappings")
    cis = raw.get("cis") or {}
    if not isinstance(cis, dict):
        raise fail("mappings.cis must be a mapping of version to item", "mappings", "cis")
    for version, item in cis.items():
        if not isinstance(version, str) or version not in CIS_VERSIONS:
            raise fail(
                f"mappings.cis: unknown CIS version {version!r} (quote it; known: "
                + ", ".join(CIS_VERSIONS)
                + ")",
                "mappings",
                "cis",
            )
        if not isinstance(item, str) or not CIS_ITEM.fullmatch(item):
            raise fail(
                f'mappings.cis.{version}: the item must be a quoted number such as "2.10"',
                "mappings",
                "cis",
            )
    known = set(parameters) if isinstance(parameters, dict) else set()
    security_hub = raw.get("security_hub") or []
    if not _strings(security_hub):
        raise fail("mappings.security_hub must list control ids", "mappings", "security_hub")
    controls = {"cis", *security_hub}
    thresholds = raw.get("thresholds") or {}
    if not isinstance(thresholds, dict):
        raise fail("mappings.thresholds must be a mapping", "mappings", "thresholds")
    for control, values in thresholds.items():
        if control not in controls or not isinstance(values, dict):
            raise fail(f"mappings.thresholds: {control} is not a mapped control", "mappings")
        unknown = sorted(set(values) - known)
        if unknown:
            raise fail(f"mappings.thresholds.{control}: no parameter {unknown[0]}", "mappings")
    related = raw.get("related") or []
    if not isinstance(related, list) or not set(map(str, related)) <= controls:
        raise fail(
            "mappings.related must list mapped controls (cis or Security Hub ids)", "mappings"
        )
    return MappingProxyType(dict(raw))
