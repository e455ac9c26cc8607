"""Profiles: a named choice of checks with parameter overrides (``checks/profiles/*.yaml``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from reportgen.errors import CatalogueError
from reportgen.evaluate.catalogue import Catalogue
from reportgen.evaluate.checkspec import CheckSpec, LangText, ParamValue, coerce_param
from reportgen.evaluate.exceptions import MAX_DAYS
from reportgen.lang import LANGS
from reportgen.yamldoc import read_yaml

DEFAULT_PROFILE = "article"


@dataclass(frozen=True)
class Profile:
    """The checks to run (in catalogue order) and the parameters that differ from the defaults."""

    id: str
    title: LangText
    description: LangText
    checks: tuple[str, ...]
    overrides: Mapping[str, Mapping[str, ParamValue]] = field(default_factory=dict)
    path: Path | None = None
    exception_max_days: int = MAX_DAYS
    """Longest an exception may run under this profile (``exception_max_days`` in its file)."""

    def params(self, spec: CheckSpec) -> Mapping[str, ParamValue]:
        """The parameters of ``spec`` under this profile: defaults, then overrides."""
        return MappingProxyType({**spec.defaults, **self.overrides.get(spec.id, {})})


def all_checks(catalogue: Catalogue) -> Profile:
    """Every check in the catalogue with its defaults (used when no profile file exists)."""
    names = {lang: "all" for lang in LANGS}
    return Profile("all", names, names, catalogue.ids)


def profile_names(catalogue: Catalogue) -> tuple[str, ...]:
    """The profiles shipped beside the catalogue."""
    return tuple(sorted(p.stem for p in (catalogue.folder / "profiles").glob("*.yaml")))


def default_profile(catalogue: Catalogue) -> Profile:
    """The article baseline when the catalogue has it, else every check."""
    if DEFAULT_PROFILE in profile_names(catalogue):
        return load_profile(DEFAULT_PROFILE, catalogue)
    return all_checks(catalogue)


def load_profile(name_or_path: str | Path, catalogue: Catalogue) -> Profile:
    """Load a profile by name (``checks/profiles/<name>.yaml``) or from a file path."""
    path = Path(name_or_path)
    if not path.suffix and path.name == str(name_or_path):
        path = catalogue.folder / "profiles" / f"{name_or_path}.yaml"
        if not path.is_file():
            known = ", ".join(profile_names(catalogue)) or "none"
            raise CatalogueError.keyed("unknown_profile", name=name_or_path, known=known)
    doc = read_yaml(path)
    raw = doc.data
    if not isinstance(raw, dict):
        raise CatalogueError.keyed("profile_not_mapping", where=path)
    known_keys = {"id", "title", "description", "checks", "parameters", "exception_max_days"}
    unknown_keys = set(raw) - known_keys
    if unknown_keys:
        key = sorted(unknown_keys)[0]
        raise CatalogueError.keyed("profile_unknown_key", where=doc.where(key), name=key)
    checks = raw.get("checks")
    if not isinstance(checks, list) or not checks:
        raise CatalogueError.keyed("profile_no_checks", where=doc.where("checks"))
    for index, check_id in enumerate(checks):
        if not isinstance(check_id, str) or check_id not in catalogue.checks:
            raise CatalogueError.keyed(
                "profile_unknown_check", where=doc.where("checks", index), check=check_id
            )
    overrides: dict[str, Mapping[str, ParamValue]] = {}
    parameters = raw.get("parameters") or {}
    if not isinstance(parameters, dict):
        raise CatalogueError.keyed("profile_parameters_not_mapping", where=doc.where("parameters"))
    for check_id, values in parameters.items():
        if check_id not in catalogue.checks:
            raise CatalogueError.keyed(
                "profile_parameters_unknown_check",
                where=doc.where("parameters", check_id),
                check=check_id,
            )
        if check_id not in checks:
            raise CatalogueError.keyed(
                "profile_parameters_not_chosen",
                where=doc.where("parameters", check_id),
                check=check_id,
            )
        spec = catalogue[check_id]
        if not isinstance(values, dict):
            raise CatalogueError.keyed(
                "profile_parameters_not_mapping", where=doc.where("parameters", check_id)
            )
        parsed: dict[str, ParamValue] = {}
        for name, value in values.items():
            where = doc.where("parameters", check_id, name)
            param = spec.parameters.get(name)
            if param is None:
                known = ", ".join(spec.parameters) or "none"
                raise CatalogueError.keyed(
                    "profile_unknown_parameter", where=where, check=check_id, name=name, known=known
                )
            coerced = coerce_param(param.type, value)
            if coerced is None:
                raise CatalogueError.keyed(
                    "profile_parameter_type",
                    where=where,
                    check=check_id,
                    name=name,
                    type=param.type,
                )
            parsed[name] = coerced
        overrides[check_id] = MappingProxyType(parsed)
    longest = raw.get("exception_max_days", MAX_DAYS)
    if isinstance(longest, bool) or not isinstance(longest, int) or not 1 <= longest <= 3650:
        raise CatalogueError.keyed("profile_bad_max_days", where=doc.where("exception_max_days"))
    names = {lang: str(raw.get("id") or path.stem) for lang in LANGS}
    selected = set(checks)
    return Profile(
        id=str(raw.get("id") or path.stem),
        title=_texts(raw.get("title"), names),
        description=_texts(raw.get("description"), {lang: "" for lang in LANGS}),
        checks=tuple(c for c in catalogue.ids if c in selected),
        overrides=MappingProxyType(overrides),
        path=path,
        exception_max_days=longest,
    )


def _texts(value: object, fallback: LangText) -> LangText:
    if isinstance(value, dict):
        return {lang: str(value.get(lang, fallback[lang])) for lang in LANGS}
    return fallback
