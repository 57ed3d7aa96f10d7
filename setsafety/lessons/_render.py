"""The Jinja2 environments and the rendering of lessons and packs in each format.

HTML is rendered with autoescaping on. Markdown and plain text have no
autoescaping, so each has a ``finalize`` hook that every ``{{ ... }}`` output
passes through: Markdown escapes record text there (filters that build
Markdown mark their output as already escaped), plain text drops control
characters.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from setsafety._control import strip_controls
from setsafety.lessons._figures import ISSUE_WORDS, custody_timeline, mermaid_custody, swiss_cheese
from setsafety.lessons._model import CaseState, Custody, LayerState, Lesson, Pack, SourceInfo
from setsafety.lessons._text import MdSafe, clean, fill, humanize, md, md_code, safe_url, underline
from setsafety.phrasing import CATALOGUE

#: The formats a lesson can be rendered in.
FORMATS = ("md", "html", "txt", "json")

def _finalize_html(value: Any) -> Any:
    return value if isinstance(value, Markup) else clean(value)


def _finalize_md(value: Any) -> MdSafe:
    return md(value)


def _finalize_txt(value: Any) -> str:
    return strip_controls(str(value))


def _numbers(context: Context, sources: Iterable[str], listed: Iterable[SourceInfo] | None = None) -> list[int]:
    """The citation numbers of source ids: from ``listed`` (a pack case's sources) if given, else from the
    lesson being rendered."""
    numbers: dict[str, int] = ({source.id: source.number for source in listed} if listed is not None
                               else context.get("source_numbers", {}))
    return sorted({numbers[source] for source in sources if source in numbers})


@pass_context
def _md_cites(context: Context, sources: Iterable[str], listed: Iterable[SourceInfo] | None = None) -> MdSafe:
    numbers = _numbers(context, sources, listed)
    return MdSafe(f"\\[{', '.join(map(str, numbers))}\\]") if numbers else MdSafe("")


def _md_link(url: str | None) -> MdSafe:
    found = safe_url(url)
    return MdSafe(f"<{found}>") if found else MdSafe("")


@pass_context
def _txt_cites(context: Context, sources: Iterable[str], listed: Iterable[SourceInfo] | None = None) -> str:
    numbers = _numbers(context, sources, listed)
    return f"[{', '.join(map(str, numbers))}]" if numbers else ""


@pass_context
def _html_cites(context: Context, sources: Iterable[str], listed: Iterable[SourceInfo] | None = None) -> Markup:
    links = [Markup('<a href="#src-{0}">{0}</a>').format(number) for number in _numbers(context, sources, listed)]
    return Markup('<span class="cite">[{}]</span>').format(Markup(", ").join(links)) if links else Markup("")


def _certainty(value: str | None) -> str:
    """A certainty worth saying out loud (established and reported go without saying)."""
    return value if value and value not in ("established", "reported") else ""


def _source_line(source: Any) -> str:
    parts = [source.publisher, source.author, source.title, source.date]
    text = ", ".join(clean(part) for part in parts if part)
    if not source.in_record:
        return "not in the record's source list"
    return text + f" ({humanize(source.kind)}{', official' if source.official else ''})"


def _case_state(item: CaseState) -> str:
    return str(CATALOGUE["lesson"]["pack-case-state"].format(title=item.title, state=item.state_words))


def _common(env: Environment) -> Environment:
    env.filters.update(
        humanize=humanize, certainty=_certainty, issue_words=lambda kind: ISSUE_WORDS.get(kind, humanize(kind)),
        source_line=_source_line, upper_first=lambda text: str(text)[:1].upper() + str(text)[1:],
        case_state=_case_state,
    )
    return env


@cache
def environment(kind: str) -> Environment:
    """The Jinja2 environment for ``html``, ``md`` or ``txt`` templates."""
    loader = PackageLoader("setsafety.lessons", "templates")
    options: dict[str, Any] = {"loader": loader, "undefined": StrictUndefined, "trim_blocks": True,
                               "lstrip_blocks": True, "keep_trailing_newline": True}
    if kind == "html":
        env = Environment(autoescape=True, finalize=_finalize_html, **options)
        env.filters.update(cites=_html_cites, url=safe_url)
    elif kind == "md":
        env = Environment(autoescape=False, finalize=_finalize_md, **options)
        env.filters.update(cites=_md_cites, code=md_code, url=safe_url, link=_md_link)
    elif kind == "txt":
        env = Environment(autoescape=False, finalize=_finalize_txt, **options)
        env.filters.update(cites=_txt_cites, fill=fill, underline=underline, url=safe_url, clean=clean,
                           rstrip=lambda text: str(text).rstrip())
    else:
        raise ValueError(f"no templates for {kind!r}")
    return _common(env)


def _figures_html(layers: tuple[LayerState, ...], event_kind: str, title: str, prefix: str) -> Markup:
    return swiss_cheese(layers, event_kind, f"Swiss-cheese figure of the safeguard layers: {title}", prefix)


def _custody_html(chain: Custody, prefix: str, disputed: str) -> Markup:
    return custody_timeline(chain, chain.heading, prefix, disputed)


def _helpers(kind: str) -> dict[str, Callable[..., Any]]:
    if kind == "html":
        return {"layers_figure": _figures_html, "custody_figure": _custody_html}
    if kind == "md":
        return {"mermaid_custody": lambda chain: MdSafe(mermaid_custody(chain))}
    return {}


def _dump(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_lesson(lesson: Lesson, format: str) -> str:  # noqa: A002 - the public keyword is format=
    """A lesson in one format."""
    if format == "json":
        return _dump(lesson.to_json())
    template = environment(format).get_template(f"lesson.{format}.j2")
    numbers = {source.id: source.number for source in lesson.sources}
    return template.render(lesson=lesson, say=CATALOGUE["lesson"], source_numbers=numbers, **_helpers(format))


def render_pack_data(pack: Pack, format: str) -> str:  # noqa: A002 - the public keyword is format=
    """A lesson pack in one format."""
    if format == "json":
        return _dump(pack.to_json())
    template = environment(format).get_template(f"pack.{format}.j2")
    return template.render(pack=pack, say=CATALOGUE["lesson"], **_helpers(format))
