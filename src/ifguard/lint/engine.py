"""The lint pipeline: load, model, rules, filter (settings, suppressions), sorted diagnostics.

``lint_host`` is the one entry point for "lint the host with its settings": ``ifguard lint``,
apply's lint gate, the watcher and (through the CLI) the boot check, the apt hook and the
reload gates all use it. The host's running and pending configurations are linted each on
its own (``ifguard.config.source.host_configurations``) and reported together.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from ifguard.config import dialect as dialects
from ifguard.config.diagnostic import Diagnostic, Severity
from ifguard.config.lazyre import lazy
from ifguard.config.model import Config, build
from ifguard.config.parse import Document
from ifguard.config.source import CONFIGURATIONS, Loaded, host_configurations, load
from ifguard.lint.rules import RULES, Context, Rule
from ifguard.lint.settings import Settings, load_system_settings
from ifguard.lint.suppress import Suppressions
from ifguard.system.root import Root


class Result(NamedTuple):
    loaded: Loaded
    config: Config
    dialect: dialects.Dialect
    diagnostics: tuple[Diagnostic, ...]
    label: str | None = None  # "running" | "pending" for a host configuration
    omitted: int = 0  # diagnostics past the caps (``MAX_PER_FILE``, ``MAX_TOTAL``)

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.diagnostics)


def inventory(root: Root) -> frozenset[str] | None:
    """NIC names from ``/sys/class/net`` under the root (resolved inside it), or None when
    it is not there or cannot be read (a link loop, not a directory)."""
    try:
        return frozenset(p.name for p in root.path("/sys/class/net").iterdir())
    except OSError:
        return None


def host_settings(root: Root) -> Settings:
    """The host's own settings, ``/etc/ifguard/ifguard.toml`` under the root (defaults when
    absent): what apply's gate and the watcher use. Never ./pyproject.toml: a guard's verdict
    does not depend on the directory it was started from."""
    return load_system_settings(root)


_LONG_WORD = lazy(r"\S{81,}")
_MAX_MESSAGE = 2000


def _bounded(message: str) -> str:
    """A message quotes at most a bounded excerpt of the file: a word over 80 characters is
    cut to its first 60 and last 10, the whole message to 2000 characters."""
    if len(message) <= 80:
        return message
    message = _LONG_WORD.compiled.sub(lambda m: f"{m.group()[:60]}…{m.group()[-10:]}", message)
    return message if len(message) <= _MAX_MESSAGE else message[:_MAX_MESSAGE] + "…"


MAX_PER_FILE = 500  # diagnostics kept per file and severity
MAX_TOTAL = 2000  # diagnostics kept per severity over the configuration


def run_rules(
    ctx: Context, rules: Sequence[Rule], settings: Settings
) -> tuple[list[Diagnostic], int]:
    """The diagnostics (sorted) and how many were dropped past the caps. The caps count
    per severity, so an error is never crowded out by warnings: the verdict is unchanged,
    and memory stays bounded whatever the file (one finding per input byte is possible)."""
    suppress = Suppressions(ctx.documents)
    out: list[Diagnostic] = []
    per_file: dict[tuple[str, Severity], int] = {}
    total: dict[Severity, int] = {}
    omitted = 0
    for r in rules:
        if not settings.enabled(r.code, r.name):
            continue
        if ctx.dialect not in r.dialects:
            continue
        default = settings.severity.get(r.code) or settings.severity.get(r.name)
        for f in r.run(ctx):
            severity = default or f.severity or r.severity
            key = (f.span.path, severity)
            if per_file.get(key, 0) >= MAX_PER_FILE or total.get(severity, 0) >= MAX_TOTAL:
                if not settings.ignored_in(f.span.path, r.code, r.name):
                    omitted += 1  # (a suppression comment may cover some: an upper bound)
                continue
            diag = Diagnostic(f.span, r.code, r.name, severity, _bounded(f.message), f.fix)
            if settings.ignored_in(diag.path, r.code, r.name) or suppress.covers(diag):
                continue
            per_file[key] = per_file.get(key, 0) + 1
            total[severity] = total.get(severity, 0) + 1
            out.append(diag)
    out.sort(key=Diagnostic.sort_key)
    return out, omitted


def lint_loaded(
    loaded: Loaded,
    settings: Settings,
    *,
    dialect: str | None = None,
    nics: frozenset[str] | None = None,
    nics_of_host: bool = True,
) -> Result:
    """``nics_of_host``: ``nics`` are the NICs of the host the configuration is for (False:
    a hint, e.g. ``--root DIR FILE``: what they show is a warning, never a cut path)."""
    config = build(loaded.documents)
    chosen = dialect or settings.dialect
    if chosen:
        detected = dialects.Dialect(chosen)
    elif loaded.detected is not None and len(loaded.documents) == len(loaded.mains):
        detected = loaded.detected  # nothing sourced: the main files' verdict, computed once
    else:
        detected = dialects.detect(loaded.documents)
    ctx = Context(loaded, config, detected, nics, nics_of_host=nics_of_host)
    found, omitted = run_rules(ctx, RULES, settings)
    return Result(loaded, config, detected, tuple(found), omitted=omitted)


def lint_paths(
    paths: Sequence[Path] | None,
    root: Root,
    settings: Settings,
    *,
    dialect: str | None = None,
    follow: bool = True,
    nics: frozenset[str] | None = None,
    nics_of_host: bool = True,
) -> Result:
    """Lint the given files (or the running configuration) as one configuration."""
    loaded = load(paths, root, follow=follow, dialect=dialect or settings.dialect)
    return lint_loaded(loaded, settings, dialect=dialect, nics=nics, nics_of_host=nics_of_host)


def lint_host(
    root: Root,
    settings: Settings,
    *,
    paths: Sequence[Path] | None = None,
    configs: Sequence[str] = CONFIGURATIONS,
    nics: frozenset[str] | None = None,
    dialect: str | None = None,
    follow: bool = True,
    nics_of_host: bool = True,
) -> HostResult:
    """Lint the host's configurations (``configs`` of running/pending that exist), each on its
    own, or the explicit ``paths`` as one configuration. ``nics``: the NIC inventory to check
    names against (``inventory(root)`` for the host's own files), None for none;
    ``nics_of_host`` False when they are only a hint for the explicit ``paths``."""
    if paths:
        result = lint_paths(
            paths,
            root,
            settings,
            dialect=dialect,
            follow=follow,
            nics=nics,
            nics_of_host=nics_of_host,
        )
        return HostResult((result,))
    results = [
        lint_paths([main], root, settings, dialect=dialect, follow=follow, nics=nics)._replace(
            label=label
        )
        for label, main in host_configurations(root)
        if label in configs
    ]
    return HostResult(tuple(_tag(results)))


def _tag(results: list[Result]) -> list[Result]:
    """Tag each diagnostic with its configuration. A fix that edits a file both
    configurations read (``interfaces.d/*``) is kept only when both configurations ask for
    it: one configuration never rewrites what the other reads because of itself."""
    files = [{doc.path for doc in r.loaded.documents} for r in results]
    shared = set.intersection(*files) if len(files) > 1 else set()
    found = [set(r.diagnostics) for r in results]
    out = []
    for i, r in enumerate(results):
        others = [f for j, f in enumerate(found) if j != i]
        tagged = []
        for d in r.diagnostics:
            fix = d.fix
            crosses = fix is not None and any(e.path in shared for e in fix.edits)
            if fix is not None and fix.safe and crosses and not all(d in o for o in others):
                fix = fix._replace(
                    safe=False,
                    description=fix.description + " (not applied: the running and pending "
                    "configurations share this file)",
                )
            tagged.append(d._replace(fix=fix, config=r.label))
        out.append(r._replace(diagnostics=tuple(tagged)))
    return out


class HostResult(NamedTuple):
    """One or two configurations' results, reported together."""

    results: tuple[Result, ...]

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        """Every configuration's diagnostics, sorted; a diagnostic of a file both
        configurations read is reported once (as the running configuration's)."""
        seen: set[tuple[object, ...]] = set()
        out: list[Diagnostic] = []
        for r in self.results:
            for d in r.diagnostics:
                key = (d.span, d.code, d.message)
                if key not in seen:
                    seen.add(key)
                    out.append(d)
        out.sort(key=Diagnostic.sort_key)
        return tuple(out)

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def omitted(self) -> int:
        """Diagnostics past the caps, over all configurations (an upper bound)."""
        return sum(r.omitted for r in self.results)

    @property
    def loaded(self) -> Loaded:
        """Every document read (each path once) and every main file, for reports."""
        docs: dict[str, Document] = {}
        for r in self.results:
            for doc in r.loaded.documents:
                docs.setdefault(doc.path, doc)
        mains = [m for r in self.results for m in r.loaded.mains]
        return Loaded(list(docs.values()), [], mains)

    @property
    def running(self) -> Result:
        """The first configuration: the running one, or the explicit files."""
        return self.results[0]

    def of(self, label: str) -> Result | None:
        return next((r for r in self.results if r.label == label), None)
