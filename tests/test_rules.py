"""The rules as objects: their registry, the one way states combine, the generated reference, and
the package's layering (nothing below the analysis imports it; no import hides a cycle)."""

from __future__ import annotations

import ast
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import setsafety
from setsafety import phrasing
from setsafety.cli import run
from setsafety.cli.rules import README_END, README_START, markdown
from setsafety.errors import InvalidRecordError
from setsafety.protocols import list_protocols, load_protocol
from setsafety.rules import ALL, RULES, SEVERITY, Facts, Reason, Rule, Scope, Tally, combine
from setsafety.rules.findings import Finding

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "setsafety"


class TestCombine:
    def test_worst_wins(self) -> None:
        """The most serious state wins, in the order of SEVERITY."""
        for i, worse in enumerate(SEVERITY):
            for better in SEVERITY[i:]:
                assert combine([Reason(code="a", state=better), Reason(code="b", state=worse)]) == worse

    def test_context_does_not_count(self) -> None:
        """Reasons without a state are context; with only those, the state is unknown."""
        assert combine([]) == "unknown"
        assert combine([Reason(code="context")]) == "unknown"
        assert combine([Reason(code="context"), Reason(code="a", state="held")]) == "held"

    def test_softened(self) -> None:
        """A reason that softens turns skipped into degraded, and nothing else."""
        soft = Reason(code="soft", state="held", softens=True)
        assert combine([Reason(code="a", state="skipped"), soft]) == "degraded"
        assert combine([Reason(code="a", state="failed"), soft]) == "failed"
        assert combine([soft]) == "held"


class TestRegistry:
    def test_rules_are_documented(self) -> None:
        """Every rule has a unique id, a doc, what it reads, and meanings for real states only."""
        assert len({rule.id for rule in ALL}) == len(ALL) == len(RULES)
        for rule in ALL:
            assert rule.summary and rule.reads, rule.id
            assert set(rule.states) <= set(SEVERITY), rule.id
            assert rule.needs_checks or rule.check_kinds or "checks" not in rule.reads.split("`"), rule.id

    def test_bundled_layers_have_rules(self) -> None:
        """Every layer of every bundled protocol names a rule in the registry."""
        for protocol_id in list_protocols():
            for layer in load_protocol(protocol_id).layers:
                assert layer.rule_id in RULES, (protocol_id, layer.id)

    def _protocol(self, tmp_path: Path, **layer: Any) -> Path:
        data = json.loads((PACKAGE / "protocols" / "locations-rail.json").read_text(encoding="utf-8"))
        data["layers"][0].update(layer)
        path = tmp_path / "mine.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        return path

    def test_load_protocol_checks_rules(self, tmp_path: Path) -> None:
        """load_protocol refuses a layer whose rule the analyzers do not have, naming the choices."""
        with pytest.raises(InvalidRecordError) as caught:
            load_protocol(self._protocol(tmp_path, rule="no-such-rule"))
        [problem] = caught.value.problems
        assert (problem.code, problem.pointer) == ("unknown-rule", "/layers/0/rule")
        assert "secure-custody" in problem.message

    def test_load_protocol_checks_needed_checks(self, tmp_path: Path) -> None:
        """load_protocol refuses a layer on the generic rule without the check kinds it needs."""
        path = self._protocol(tmp_path, rule="checks")
        data = json.loads(path.read_text(encoding="utf-8"))
        del data["layers"][0]["checks"]
        path.write_text(json.dumps(data), encoding="utf-8")
        with pytest.raises(InvalidRecordError) as caught:
            load_protocol(path)
        assert [problem.code for problem in caught.value.problems] == ["missing-checks"]


class TestReference:
    def test_readme_table_is_generated(self) -> None:
        """The README's table of what the analyzers read is exactly `setsafety rules --format markdown`."""
        readme = (ROOT / "README.md").read_text(encoding="utf-8")
        start = readme.index(README_START) + len(README_START) + 1
        end = readme.index(README_END)
        assert readme[start:end] == markdown(), (
            "the README's rules table is out of date: paste `setsafety rules --format markdown` between its markers")

    @pytest.mark.parametrize("format", ["text", "json", "markdown"])
    def test_command(self, format: str) -> None:  # noqa: A002
        """`setsafety rules` lists every rule, in each format."""
        out, err = io.StringIO(), io.StringIO()
        assert run(["rules", "--format", format], out, err) == 0
        assert err.getvalue() == ""
        if format == "json":
            data = json.loads(out.getvalue())
            assert [rule["id"] for rule in data] == [rule.id for rule in ALL]
            assert all(rule["states"] and rule["doc"] for rule in data)
        else:
            assert all(rule.id in out.getvalue() for rule in ALL)
        if format == "markdown":
            assert out.getvalue() == markdown()


def _modules() -> dict[str, ast.Module]:
    return {
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): ast.parse(
            path.read_text(encoding="utf-8"))
        for path in PACKAGE.rglob("*.py")
    }


def _imports(node: ast.AST, module: str) -> list[str]:
    found = []
    for item in ast.walk(node):
        if isinstance(item, ast.ImportFrom) and item.module:
            base = item.module if item.level == 0 else ".".join([*module.split(".")[:-item.level], item.module])
            found.append(base)
        elif isinstance(item, ast.Import):
            found += [alias.name for alias in item.names]
    return found


def _module_level(tree: ast.Module, module: str) -> list[str]:
    """The modules a module imports when it is imported (not inside functions)."""
    found = []
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found += _imports(node, module)
        elif isinstance(node, ast.If):  # ``if TYPE_CHECKING:`` blocks run for the type checker only
            continue
    return found


def _loaded_with(name: str, modules: set[str]) -> list[str]:
    """The package modules that importing ``name`` runs: its parents' ``__init__`` and itself."""
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1) if ".".join(parts[:i]) in modules]


class TestLayering:
    def test_nothing_below_analysis_imports_it(self) -> None:
        """The model, reading, validation, rules, protocols and phrasing never import the analysis,
        the lessons, the kit, the CLI or the researchers' API above the analysis (``_api``, ``frames``,
        ``export``)."""
        above = ("setsafety.analysis", "setsafety.lessons", "setsafety.kit", "setsafety.cli", "setsafety._api",
                 "setsafety.frames", "setsafety.export")
        offenders = [
            (module, name) for module, tree in _modules().items()
            if not module.startswith(above) and module not in ("setsafety", "setsafety.__main__")
            for name in _imports(tree, module) if name.startswith(above)
        ]
        assert offenders == []

    def test_no_import_inside_a_function_dodges_a_cycle(self) -> None:
        """An import inside a function never dodges a cycle: the module it imports does not, when
        imported, import the module that asks for it (imports kept lazy for start-up time, of
        Jinja2 or PyYAML, say, are fine)."""
        trees = _modules()
        names = set(trees)
        # A module's own parent packages are imported before it runs, so an edge to them is no cycle.
        graph = {module: {loaded for name in _module_level(tree, module) for loaded in _loaded_with(name, names)
                          if not module.startswith(loaded + ".")}
                 for module, tree in trees.items()}

        def reaches(start: str, goal: str) -> bool:
            seen, todo = set(), [start]
            while todo:
                here = todo.pop()
                if here == goal:
                    return True
                if here not in seen:
                    seen.add(here)
                    todo += graph.get(here, ())
            return False

        offenders = []
        for module, tree in trees.items():
            for function in ast.walk(tree):
                if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    for name in _imports(function, module):
                        for loaded in _loaded_with(name, names):
                            if not (loaded == module or loaded.startswith(module + ".")
                                    or module.startswith(loaded + ".")) and reaches(loaded, module):
                                offenders.append((module, function.name, loaded))
        assert offenders == []

    def test_no_regex_in_phrasing_or_lessons_people(self) -> None:
        """No regular expression runs over findings' words: the phrasing and the people labels use none."""
        for module in ("setsafety.phrasing", "setsafety.lessons._people", "setsafety.lessons._build"):
            assert "re" not in _imports(_modules()[module], module), module


_DUMP = """
import json, sys, setsafety
from setsafety.analysis import analyze_all
from setsafety.lessons import FORMATS, render_lessons
out = {}
for case_id in setsafety.list_cases():
    record = setsafety.load_case(case_id)
    out[case_id] = [analysis.to_dict() for analysis in analyze_all(record)]
    if not out[case_id]:  # no bundled protocol covers its hazards yet
        continue
    for kind in FORMATS:
        out[f"{case_id}.{kind}"] = render_lessons(record, format=kind)
json.dump(out, sys.stdout, sort_keys=True)
"""


class TestDeterminism:
    def test_same_across_processes_and_hash_seeds(self) -> None:
        """Analyses and lessons are the same in fresh processes with different hash seeds (no order taken
        from a set or a dict of hashes leaks into the output)."""
        outputs = []
        for seed in ("0", "1", "4242"):
            env = {**os.environ, "PYTHONHASHSEED": seed}
            done = subprocess.run([sys.executable, "-c", _DUMP], capture_output=True, text=True, check=True,
                                  env=env, cwd=ROOT)
            outputs.append(done.stdout)
        assert outputs[0] and outputs[0] == outputs[1] == outputs[2]

    def test_analysis_does_not_change_the_record(self) -> None:
        """Analysing leaves the record as it was loaded."""
        record = setsafety.load_case("rust-2021")
        before = setsafety.model.unstructure(record)
        setsafety.analysis.analyze(record)
        assert setsafety.model.unstructure(record) == before


class TestAddingARule:
    def test_a_new_rule_is_a_function_a_rule_object_and_words(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """What the module docstring of setsafety.rules describes works: a derive function with a
        Tally, a Rule object, and catalogue entries for its codes."""
        def helmets(facts: Facts, scope: Scope) -> Finding:
            """Riders wear helmets."""
            tally = Tally(facts)
            for i, item in enumerate(facts.record.equipment or ()):
                if item.kind == "helmet" and item.in_use is False:
                    cited = tally.cite(f"/equipment/{i}", item, "helmet.not-worn", items=[item.id],
                                       parties={"who": (item.users or (None,))[0]})
                    tally.reason("helmet.not-worn", "failed", cited, items=[item.id])
            return tally.finding("helmet.no-facts")

        rule = Rule(id="helmets", derive=helmets, reads="`equipment` of kind `helmet`: `in_use`",
                    states={"failed": "a helmet was not worn", "unknown": "no helmet recorded"})
        monkeypatch.setitem(phrasing.CATALOGUE["reasons"], "helmet.not-worn", "{item} was not worn")
        monkeypatch.setitem(phrasing.CATALOGUE["reasons"], "helmet.no-facts", "the record has no helmet")
        monkeypatch.setitem(phrasing.CATALOGUE["evidence"], "helmet.not-worn", "{item} not worn[ by {who}]")
        record = setsafety.load_case(str(ROOT / "tests" / "fixtures" / "patterns" / "motorcycle-stunt-run-off.json"))
        finding = rule(Facts(record), Scope(hazards=frozenset({"stunt"})))
        words = phrasing.Phrasing(phrasing.Roles(record))
        assert rule.summary == "Riders wear helmets."
        assert finding.state == "failed"
        # items are spoken of in words ("the helmet"), so the sentence may start with a capital
        assert words.rationale(finding.state, finding.reasons) == "The helmet was not worn."
        [cited] = finding.evidence
        assert words.evidence(cited).startswith("The helmet not worn by the ")
