"""The red team's second round (issue 15): one class of tests per class of failure it found.

Each test failed before its fix. The classes: numbers in pointers and keys, YAML that
is not JSON data, values the schema accepts that later code must still use, the operating
system saying no, hangs, escaping in every output, wrong verdicts and codes, the
internal-error handler and the API's own type errors.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Cli = Callable[..., tuple[int, str, str]]
WriteJson = Callable[..., Path]
ONE_ERROR = "invalid: 1 file(s), 1 error(s), 0 warning(s)"


def no_traceback(*texts: str) -> None:
    for text in texts:
        assert "Traceback" not in text


def dispute_about(*pointers: str) -> dict[str, Any]:
    return {
        "id": "d1", "kind": "source-conflict", "question": "Which?", "about": list(pointers),
        "positions": [{"id": "p1", "claim": "one", "sources": ["src-incident-report"]},
                      {"id": "p2", "claim": "two", "sources": ["src-incident-report"]}],
        "followed": "p1",
    }


class TestNumbersInPointers:
    """One number parser for pointer parts and keys: RFC 6901 indexes, nothing else."""

    @pytest.mark.parametrize(("part", "index"), [
        ("0", 0), ("7", 7), ("10", 10), ("00", None), ("01", None), ("-1", None), ("²", None),
        ("\u0660", None), ("1" * 5000, None), ("", None), (" 1", None), ("1.0", None),
    ])
    def test_array_index(self, part: str, index: int | None) -> None:
        """Only ``0`` or ASCII digits without a leading zero are an index; thousands of digits are not."""
        from setsafety.pointers import array_index

        assert array_index(part) == index

    def test_leading_zero_resolves_nothing(self) -> None:
        """``/people/00`` names no element (RFC 6901 forbids leading zeros); ``/people/0`` does."""
        from setsafety.model.walk import resolve

        data = {"people": ["a", "b"]}
        assert resolve(data, "/people/00") == (False, None)
        assert resolve(data, "/people/0") == (True, "a")
        assert resolve(data, "/people/²") == (False, None)
        assert resolve(data, "/people/" + "1" * 5000) == (False, None)

    def test_order_of_odd_parts(self) -> None:
        """Non-ASCII digits and 5,000-digit parts sort as keys instead of raising."""
        from setsafety.schema.structural import document_order

        pointers = ["/a/" + "9" * 5000, "/a/²", "/a/10", "/a/2"]
        assert sorted(pointers, key=document_order) == ["/a/2", "/a/10", "/a/" + "9" * 5000, "/a/²"]

    @pytest.mark.parametrize("key", ["²", "\u0660", "1" * 5000], ids=["superscript", "arabic-indic", "5000-digits"])
    def test_odd_key_in_a_record(self, cli: Cli, write_json: WriteJson, example_data: dict[str, Any],
                                 key: str) -> None:
        """An unknown key made of odd digits is one schema problem at its pointer, not a traceback."""
        example_data["people"][0][key] = 1
        path = write_json(example_data)
        code, out, err = cli("validate", path)
        assert (code, err) == (1, "")
        problem, summary = out.splitlines()
        assert problem.startswith(f"{path}::/people/0/{key}: error: unknown field ")
        assert problem.endswith(" [schema-additionalProperties]")
        assert summary == ONE_ERROR

    @pytest.mark.parametrize("pointer", ["/people/00", "/people/²", "/people/" + "1" * 5000])
    def test_dispute_pointer(self, cli: Cli, write_json: WriteJson, example_data: dict[str, Any],
                             pointer: str) -> None:
        """A dispute about ``/people/00`` (or odd digits) points at nothing: one dispute-pointer error."""
        example_data["disputes"] = [dispute_about(pointer)]
        path = write_json(example_data)
        code, out, err = cli("validate", path)
        assert (code, err) == (1, "")
        assert out == (f"{path}::/disputes/0/about/0: error: {pointer!r} does not point at anything in this "
                       f"record [dispute-pointer]\n{ONE_ERROR}\n")

    def test_odd_key_in_a_protocol(self, cli: Cli, tmp_path: Path) -> None:
        """A protocol file with an unknown key of odd digits: one problem, exit 1."""
        from setsafety._data import protocols_dir

        data = json.loads((protocols_dir() / "firearms.json").read_text(encoding="utf-8"))
        data["layers"][0]["²"] = 1
        path = tmp_path / "mine.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        code, out, err = cli("analyze", "rust-2021", "--protocol", path)
        no_traceback(out, err)
        assert code == 1
        assert f"{path}::/layers/0/²: error: unknown field '²' [schema-additionalProperties]" in err


class TestYamlIsJsonData:
    """YAML is read as the JSON data it spells: keys are text, tags refused, escapes checked, nodes counted."""

    @staticmethod
    def parse(text: str) -> Any:
        from setsafety.yaml_reading import parse_yaml

        return parse_yaml(text)

    @staticmethod
    def refused(text: str) -> tuple[str, str]:
        from setsafety.errors import InvalidRecordError

        with pytest.raises(InvalidRecordError) as caught:
            TestYamlIsJsonData.parse(text)
        [problem] = caught.value.problems
        return problem.code, problem.message

    def test_keys_are_text(self) -> None:
        """``1: a`` and ``b: c`` in one mapping: the keys ``"1"`` and ``"b"``, as in JSON."""
        assert self.parse("1: a\nb: c\ntrue: d\nnull: e\n") == {"1": "a", "b": "c", "true": "d", "null": "e"}

    def test_key_twice_once_as_number(self) -> None:
        """``1`` and ``"1"`` are the same key, so a mapping with both has a duplicate key."""
        assert self.refused('1: a\n"1": b\n')[0] == "yaml-syntax"

    @pytest.mark.parametrize("text", ["? [a, b]\n: c\n", "? {a: 1}\n: c\n"], ids=["list-key", "mapping-key"])
    def test_complex_key(self, text: str) -> None:
        """A list or a mapping as a key is refused with its line."""
        assert self.refused(text) == (
            "yaml-key", "a list or a mapping is used as a key (line 1, column 3); a key is text")

    @pytest.mark.parametrize("text", [
        "a: !!float .nan\n", "a: !!int 0x10\n", "a: !!bool yes\n", "a: !<tag:yaml.org,2002:str> x\n",
        "a: !!str 1\n", "a: ! x\n", "a: !!map {b: 1}\n", "!!seq [1]\n",
    ])
    def test_tags(self, text: str) -> None:
        """Every tag is refused, as the README says: standard, verbatim, or non-specific."""
        assert self.refused(text)[0] == "yaml-tag"

    @pytest.mark.parametrize("text", ['a: "\\UFFFFFFFF"\n', 'a: "\\U00110000"\n', 'a: "\\ud83d\\UFFFFFFFF"\n'])
    def test_escape_beyond_unicode(self, text: str) -> None:
        """An escape of no character is a syntax problem with its line, not an OverflowError."""
        code, message = self.refused(text)
        assert code == "yaml-syntax"
        assert "(line 1, column" in message

    def test_surrogate_pair_still_joined(self) -> None:
        """JSON's escaped surrogate pairs still read as the character (the slower parser takes them)."""
        assert self.parse('a: "\\ud83d\\ude00"\n') == {"a": "\ud83d\ude00"}  # reading joins the pair

    def test_node_budget(self) -> None:
        """More values than any record holds are refused before they are built."""
        from setsafety.yaml_reading import MAX_NODES

        code, message = self.refused("[" + "1," * MAX_NODES + "1]")
        assert (code, message) == ("too-large", f"the YAML holds more than {MAX_NODES:,} values; no record is "
                                                "this large")

    @pytest.mark.parametrize("text", ["a: !!float .nan\n", "1: a\nb: c\n", "? [a]\n: b\n", 'a: "\\UFFFFFFFF"\n'])
    @pytest.mark.parametrize("command", [("validate",), ("show", "--format", "json"), ("analyze",)])
    def test_commands(self, cli: Cli, tmp_path: Path, text: str, command: tuple[str, ...]) -> None:
        """Through the command line: exit 1, no traceback, and never ``NaN`` in JSON output."""
        path = tmp_path / "record.yaml"
        path.write_text(text, encoding="utf-8")
        code, out, err = cli(*command, path)
        no_traceback(out, err)
        assert code == 1
        assert "NaN" not in out


class TestBoundedWork:
    """Every file under the size cap is checked in bounded time and memory: problems stop at a limit."""

    def test_problems_stop_at_the_limit(self, write_json: WriteJson, example_data: dict[str, Any]) -> None:
        """Thousands of empty people give the first MAX_PROBLEMS problems and one too-many-problems error."""
        import setsafety
        from setsafety.problems import MAX_PROBLEMS

        example_data["people"] = [{}] * 5000
        problems = setsafety.validate(write_json(example_data))
        assert len(problems) == MAX_PROBLEMS + 1
        assert (problems[-1].pointer, problems[-1].code) == ("", "too-many-problems")
        assert problems[0].pointer == "/people/0"

    def test_placeholders_stop_at_the_limit(self, write_json: WriteJson, example_data: dict[str, Any]) -> None:
        """Thousands of TODO strings: the same limit."""
        import setsafety
        from setsafety.problems import MAX_PROBLEMS

        example_data["extensions"] = {"x-todo": ["TODO: fill in"] * 5000}
        problems = setsafety.validate(write_json(example_data))
        assert len(problems) == MAX_PROBLEMS + 1
        assert problems[-1].code == "too-many-problems"
        assert {problem.code for problem in problems[:-1]} == {"placeholder"}


class TestApiTypes:
    """The API says what it was given, instead of "expected object, found object" or an AttributeError."""

    @pytest.mark.parametrize(("data", "pointer", "message"), [
        (b"{}", "", "found a bytes, which is not JSON data"),
        ({1, 2}, "", "found a set, which is not JSON data"),
        ({"case": {"hazards": ("firearm",)}}, "/case/hazards", "found a tuple, which is not JSON data"),
        ({"a": float("nan")}, "/a", "found nan, which JSON cannot carry"),
        ({"a": {1: "x"}}, "/a", "found a key that is not text (int 1)"),
    ], ids=["bytes", "set", "nested-tuple", "nan", "int-key"])
    def test_validate_not_json(self, data: Any, pointer: str, message: str) -> None:
        """Data that is not JSON: one not-json problem at its pointer, naming the Python type."""
        import setsafety

        [problem] = setsafety.validate(data)
        assert (problem.pointer, problem.code) == (pointer, "not-json")
        assert problem.message.startswith(message)

    def test_validate_stream(self) -> None:
        """An open file is not a record: the problem names the stream's type."""
        import io

        import setsafety

        [problem] = setsafety.validate(io.StringIO("{}"))
        assert problem.message.startswith("found a StringIO, which is not JSON data")

    def test_validate_path_like(self, example_path: Path) -> None:
        """Any os.PathLike is a path."""
        import os

        import setsafety

        class Where(os.PathLike[str]):
            def __fspath__(self) -> str:
                return str(example_path)

        assert setsafety.validate(Where()) == []

    @pytest.mark.parametrize("given", [None, {"id": "x"}, "rust-2021"])
    def test_analyze_needs_a_record(self, given: Any) -> None:
        """analyze() of anything but a Record is a TypeError that says what it takes."""
        from setsafety.analysis import analyze

        with pytest.raises(TypeError, match=r"^analyze\(\) takes a Record .*, not "):
            analyze(given)

    def test_lessons_need_a_record(self) -> None:
        """render_lessons(None) is a TypeError that says what it takes."""
        import setsafety

        with pytest.raises(TypeError, match=r"^a lesson is made from a Record .*, not NoneType$"):
            setsafety.render_lessons(None)  # type: ignore[arg-type]


class TestValuesLaterCodeUses:
    """What the reader lets through, every later step can use: exact integers, dates of the calendar."""

    @pytest.mark.parametrize("number", ["9" * 400, "9" * 310, "-" + "9" * 400])
    @pytest.mark.parametrize("suffix", [".json", ".yaml"])
    def test_huge_integer(self, cli: Cli, tmp_path: Path, example_path: Path, number: str, suffix: str) -> None:
        """A 400-digit distance passes the schema (``minimum: 0``) but no reader keeps it: json-number, exit 1."""
        text = example_path.read_text(encoding="utf-8").replace('"distance_m": 2', f'"distance_m": {number}', 1)
        assert number in text
        path = tmp_path / f"fictional-blank-injury{suffix}"
        path.write_text(text, encoding="utf-8")  # JSON is YAML: the same text read by the YAML reader
        for command in (("validate",), ("show",), ("analyze",), ("lessons", "--format", "txt"), ("export",)):
            code, out, err = cli(*command, path)
            no_traceback(out, err)
            assert code == 1
            assert "a number JSON cannot carry faithfully: " in out + err
            assert "is beyond the largest number JSON readers hold (about 1.8e308)" in out + err

    def test_largest_integer(self, write_json: WriteJson, example_data: dict[str, Any]) -> None:
        """The largest integer a double holds is kept exactly (tests/test_hostile.py keeps 10**300 too)."""
        import sys

        import setsafety

        example_data["ammunition"][0]["count"] = int(sys.float_info.max)
        assert setsafety.validate(write_json(example_data)) == []

    @pytest.mark.parametrize("date", ["0000", "0000-05", "0000-05-14"])
    def test_year_zero(self, cli: Cli, write_json: WriteJson, example_data: dict[str, Any], date: str) -> None:
        """Year 0 is no calendar date: invalid-date at its pointer, and analyze never sees it."""
        example_data["warnings"] = [{
            "id": "w1", "kind": "complaint", "when": {"date": date}, "raised_by": ["operator-d"],
            "description": "A complaint about the stand-off distance.",
            "response": {"level": "none", "sources": ["src-incident-report"]}, "sources": ["src-incident-report"],
        }]
        path = write_json(example_data)
        for command in ("validate", "analyze", "show"):
            code, out, err = cli(command, path)
            no_traceback(out, err)
            assert code == 1
            assert f"{path}::/warnings/0/when/date: error: '{date}' is not a real calendar date [invalid-date]" \
                in out + err


def setsafety_process(*argv: str | Path, env: dict[str, str] | None = None, **kwargs: Any,
                      ) -> subprocess.CompletedProcess[bytes]:
    """``python -m setsafety ARGV`` in its own process, bytes out (to see exactly what reached the stream)."""
    return subprocess.run([sys.executable, "-m", "setsafety", *map(str, argv)], check=False, timeout=120,
                          env={**os.environ, **(env or {})}, **{"capture_output": True, **kwargs})


def _remove_nested(top: Path) -> None:
    """Remove a chain of folders named ``d`` below ``top``, bottom up, through descriptors."""
    descriptors = [os.open(top, os.O_RDONLY)]
    while True:
        try:
            descriptors.append(os.open("d", os.O_RDONLY, dir_fd=descriptors[-1]))
        except FileNotFoundError:
            break
    for level in range(len(descriptors) - 1, -1, -1):
        for name in os.listdir(descriptors[level]):
            if name != "d":
                os.unlink(name, dir_fd=descriptors[level])
        if level + 1 < len(descriptors):
            os.rmdir("d", dir_fd=descriptors[level])
        os.close(descriptors[level])


class TestOperatingSystemSaysNo:
    """The operating system's refusals are one line and exit 2, never a traceback."""

    def test_name_too_long(self, cli: Cli, tmp_path: Path) -> None:
        """A file name over 255 bytes: exit 2, one line."""
        path = tmp_path / ("a" * 300 + ".json")
        for command in ("validate", "show", "analyze"):
            code, out, err = cli(command, path)
            assert code == 2
            assert out == ""
            assert err.startswith("setsafety: error: ") and err.count("\n") == 1
            assert "File name too long" in err or "neither a bundled case id nor a record file" in err

    def test_folder_nested_a_thousand_deep(self, cli: Cli, tmp_path: Path, example_path: Path) -> None:
        """A record at the bottom of 1,000 nested folders is found (no recursion), or the OS says no in one line."""
        top = tmp_path / "deep"
        os.mkdir(top)
        here = os.open(top, os.O_RDONLY)
        try:
            for _ in range(1000):  # relative to a descriptor: no path grows past PATH_MAX while building it
                os.mkdir("d", dir_fd=here)
                below = os.open("d", os.O_RDONLY, dir_fd=here)
                os.close(here)
                here = below
            fd = os.open("fictional-blank-injury.json", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=here)
            os.write(fd, example_path.read_bytes())
            os.close(fd)
        finally:
            os.close(here)
        try:
            code, out, err = cli("validate", top)
        finally:
            _remove_nested(top)  # shutil.rmtree (and so pytest's clean-up) recurses, and 1,000 levels is too deep
        no_traceback(out, err)
        assert code in (0, 2)
        if code == 0:
            assert out == "ok: 1 file(s), 0 error(s), 0 warning(s)\n"
        else:
            assert "File name too long" in out + err

    def test_fifo(self, cli: Cli, tmp_path: Path) -> None:
        """A FIFO is refused at once (it would block until someone wrote to it): exit 2."""
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs on this system")
        fifo = tmp_path / "record.json"
        os.mkfifo(fifo)
        assert cli("validate", fifo) == (
            2, f"{fifo}::/: error: cannot read: not a regular file (a pipe, a device or a socket) [unreadable]\n"
               f"{ONE_ERROR}\n", "")

    def test_stdout_closed(self, example_path: Path) -> None:
        """Standard output closed: the verdict is said on stderr's terms, exit 2, no traceback."""
        done = setsafety_process("validate", example_path, stdout=subprocess.DEVNULL, capture_output=False,
                                 stderr=subprocess.PIPE, close_fds=True,
                                 preexec_fn=lambda: os.close(1))  # the point: a closed descriptor
        assert done.returncode == 2
        assert done.stderr == b"setsafety: error: cannot write the output: standard output is closed\n"

    def test_stdout_full(self) -> None:
        """Standard output on a full disk: one line on stderr, exit 2."""
        if not Path("/dev/full").exists():
            pytest.skip("no /dev/full")
        with open("/dev/full", "wb") as full:
            done = setsafety_process("show", "rust-2021", stdout=full, capture_output=False, stderr=subprocess.PIPE)
        assert (done.returncode, done.stderr) == (
            2, b"setsafety: error: cannot write the output: No space left on device\n")

    @pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "ascii"}, {"LC_ALL": "C", "PYTHONIOENCODING": "",
                                                                        "PYTHONUTF8": "0"}])
    def test_stdout_not_utf8(self, env: dict[str, str]) -> None:
        """An ASCII terminal: what it cannot show is escaped, exit 0."""
        for command in (("show", "rust-2021"), ("analyze", "rust-2021"), ("lessons", "rust-2021")):
            done = setsafety_process(*command, env=env)
            assert (done.returncode, done.stderr) == (0, b"")

    def test_unreadable_folder_is_said(self, cli: Cli, tmp_path: Path, example_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
        """A folder that cannot be read is a problem line and exit 2, not skipped in silence."""
        (tmp_path / "good").mkdir()
        (tmp_path / "good" / "fictional-blank-injury.json").write_bytes(example_path.read_bytes())
        (tmp_path / "secret").mkdir()
        real = os.scandir

        def scandir(path: Any) -> Any:
            if Path(path).name == "secret":
                raise PermissionError(13, "Permission denied", str(path))
            return real(path)

        monkeypatch.setattr(os, "scandir", scandir)
        assert cli("validate", tmp_path) == (
            2, f"{tmp_path / 'secret'}::/: error: cannot read the folder: Permission denied [unreadable]\n"
               f"invalid: 1 file(s), 1 error(s), 0 warning(s)\n", "")

    def test_unreadable_file_in_a_folder(self, cli: Cli, tmp_path: Path, example_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
        """One unreadable file does not stop the others from being checked; exit 2."""
        import setsafety.reading

        for name in ("a-case.json", "b-case.json"):
            (tmp_path / name).write_bytes(example_path.read_bytes())
        real = setsafety.reading.read_file

        def read_file(path: Any) -> Any:
            if Path(path).name == "a-case.json":
                raise PermissionError(13, "Permission denied", str(path))
            return real(path)

        monkeypatch.setattr(setsafety.reading, "read_file", read_file)
        monkeypatch.setattr("setsafety.validation.read_file", read_file)
        code, out, err = cli("validate", tmp_path)
        assert (code, err) == (2, "")
        unreadable = f"{tmp_path / 'a-case.json'}::/: error: cannot read: Permission denied [unreadable]"
        assert out.splitlines()[0] == unreadable
        assert out.splitlines()[-1] == "invalid: 2 file(s), 1 error(s), 1 warning(s)"


class TestVerdicts:
    """Exit codes and verdicts that say what happened."""

    def test_broken_pipe_keeps_the_verdict(self) -> None:
        """`validate BAD | head -1`: the reader stops early, the exit code is still 1 (invalid)."""
        invalid = Path(__file__).parent / "fixtures" / "invalid"
        script = (f"{sys.executable} -m setsafety validate {invalid} | head -c 1 >/dev/null; "
                  "echo ${PIPESTATUS[0]}")
        done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=False, timeout=120)
        assert (done.stdout, done.stderr) == ("1\n", "")

    def test_broken_pipe_in_process(self, example_path: Path) -> None:
        """The same, in process: a stream that raises BrokenPipeError keeps exit 1 for an invalid record."""
        import io

        import setsafety.cli

        class Broken(io.StringIO):
            def write(self, text: str) -> int:
                raise BrokenPipeError(32, "Broken pipe")

        invalid = Path(__file__).parent / "fixtures" / "invalid" / "dangling-reference.json"
        stderr = io.StringIO()
        assert setsafety.cli.run(["validate", str(invalid)], Broken(), stderr) == 1
        assert setsafety.cli.run(["validate", str(example_path)], Broken(), stderr) == 0
        assert stderr.getvalue() == ""

    def test_upper_case_suffix_in_a_folder(self, cli: Cli, tmp_path: Path, example_path: Path) -> None:
        """A folder's *.JSON and *.YML files are records too (they were skipped in silence)."""
        (tmp_path / "fictional-blank-injury.JSON").write_bytes(example_path.read_bytes())
        (tmp_path / "notes.txt").write_text("not a record", encoding="utf-8")
        code, out, err = cli("validate", tmp_path)
        assert (code, err) == (0, "")
        assert out == "ok: 1 file(s), 0 error(s), 0 warning(s)\n"

    def test_symlinked_folder_is_walked_once(self, cli: Cli, tmp_path: Path, example_path: Path) -> None:
        """A link to a folder is followed, and a link back up the tree does not loop."""
        real = tmp_path / "real"
        real.mkdir()
        (real / "fictional-blank-injury.json").write_bytes(example_path.read_bytes())
        top = tmp_path / "top"
        top.mkdir()
        (top / "linked").symlink_to(real, target_is_directory=True)
        (real / "loop").symlink_to(top, target_is_directory=True)
        assert cli("validate", top) == (0, "ok: 1 file(s), 0 error(s), 0 warning(s)\n", "")

    def test_force_writes_through_a_link(self, cli: Cli, tmp_path: Path) -> None:
        """`--force` on a link replaces its target and keeps the link."""
        target = tmp_path / "real.csv"
        target.write_text("old\n", encoding="utf-8")
        link = tmp_path / "out.csv"
        link.symlink_to(target)
        code, _, err = cli("export", "-o", link, "--force")
        assert (code, err) == (0, "")
        assert link.is_symlink()
        assert target.read_text(encoding="utf-8").startswith("case,")

    def test_force_keeps_the_mode(self, cli: Cli, tmp_path: Path) -> None:
        """`--force` on a 0600 file leaves it 0600."""
        path = tmp_path / "private.csv"
        path.write_text("old\n", encoding="utf-8")
        path.chmod(0o600)
        assert cli("export", "-o", path, "--force")[0] == 0
        assert path.stat().st_mode & 0o777 == 0o600

    def test_force_refuses_a_fifo(self, cli: Cli, tmp_path: Path) -> None:
        """`--force` on a FIFO refuses (exit 2) instead of replacing it."""
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs on this system")
        fifo = tmp_path / "out.csv"
        os.mkfifo(fifo)
        code, out, err = cli("export", "-o", fifo, "--force")
        assert (code, out) == (2, "")
        assert err == (f"setsafety: error: {fifo} exists and is not a regular file (a pipe, a device or a folder); "
                       "not replacing it\n")
        assert fifo.is_fifo()

    @pytest.mark.parametrize("name", ["a" * 81, "-".join(["ab"] * 28), "a" * 250])
    def test_new_takes_the_schemas_ids(self, cli: Cli, tmp_path: Path, name: str) -> None:
        """`new` refuses an id its own schema rejects (over 80 characters), in one line, exit 2."""
        code, out, err = cli("new", tmp_path / f"{name}.json")
        assert (code, out) == (2, "")
        assert "(at most 80 characters)" in err
        assert list(tmp_path.iterdir()) == []

    def test_new_longest_id(self, cli: Cli, tmp_path: Path) -> None:
        """An id of exactly 80 characters is written, and its skeleton has only placeholder problems."""
        import setsafety

        path = tmp_path / f"{'a' * 80}.json"
        assert cli("new", path)[0] == 0
        assert {problem.code for problem in setsafety.validate(path)} == {"placeholder"}


class TestInternalErrors:
    """An unexpected exception is one line asking for a report, exit 70; ``--debug`` shows the traceback."""

    @pytest.fixture
    def broken(self, monkeypatch: pytest.MonkeyPatch) -> None:
        def explode(*args: Any, **kwargs: Any) -> Any:
            raise ZeroDivisionError("a bug")

        monkeypatch.setattr("setsafety.cli.commands.overview", explode)

    @pytest.mark.usefixtures("broken")
    def test_one_line(self, cli: Cli) -> None:
        assert cli("show", "rust-2021") == (
            70, "", "setsafety: internal error (ZeroDivisionError: a bug); please report it, with the traceback "
                    "that --debug prints\n")

    @pytest.mark.usefixtures("broken")
    @pytest.mark.parametrize("argv", [("--debug", "show", "rust-2021"), ("show", "rust-2021", "--debug")])
    def test_debug(self, cli: Cli, argv: tuple[str, ...]) -> None:
        code, out, err = cli(*argv)
        assert (code, out) == (70, "")
        assert err.startswith("setsafety: internal error (ZeroDivisionError: a bug); please report it\n"
                              "Traceback (most recent call last):\n")
        assert err.endswith("ZeroDivisionError: a bug\n")


HOSTILE = "=cmd|' /C calc'!A0\x1b[31m\x07\x9b2J\u202eevil\u200b\nforged: error: line\r"
#: What must never reach an output raw.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u061c\u180e\u200b\u200e\u200f\u202a-\u202e"
                 "\u2060\u2066-\u2069\ufeff]")


def assert_no_formula_cells(text: str) -> None:
    import csv
    import io

    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell


class TestEscapingInEveryOutput:
    """No output of any command holds a raw control, bidi or invisible character, or a CSV formula cell."""

    @pytest.fixture
    def hostile(self, write_json: WriteJson, example_data: dict[str, Any]) -> Path:
        example_data["case"]["title"] = HOSTILE
        example_data["case"]["summary"] = HOSTILE
        example_data["people"][1]["name"] = HOSTILE
        example_data["sources"][0]["title"] = HOSTILE
        example_data["incident"]["description"] = HOSTILE
        return write_json(example_data)

    @pytest.mark.parametrize("command", [
        ("show",), ("show", "--format", "json"), ("analyze",), ("analyze", "--format", "json"),
        ("lessons", "--format", "md"), ("lessons", "--format", "html"), ("lessons", "--format", "txt"),
        ("lessons", "--format", "json"), ("export",), ("export", "--format", "json"), ("stats",),
        ("stats", "--format", "json"), ("similar",), ("validate",),
    ])
    def test_no_raw_character(self, cli: Cli, hostile: Path, command: tuple[str, ...]) -> None:
        """ESC, BEL, C1, bidi overrides and zero-width spaces never reach the stream raw."""
        code, out, err = cli(*command, hostile)
        assert code == 0, err
        assert RAW.search(out) is None, RAW.search(out)
        assert RAW.search(err) is None
        if "json" in command:
            json.loads(out)  # still valid JSON: the escapes are JSON's own

    def test_export_has_no_formula_cell(self, cli: Cli, hostile: Path) -> None:
        """A title that starts with = is exported as '= (OWASP), in every cell."""
        code, out, _ = cli("export", hostile)
        assert code == 0
        assert "'=cmd|" in out
        assert_no_formula_cells(out)

    def test_export_to_a_file(self, cli: Cli, hostile: Path, tmp_path: Path) -> None:
        """The same through -o FILE."""
        path = tmp_path / "out.csv"
        assert cli("export", hostile, "-o", path)[0] == 0
        text = path.read_text(encoding="utf-8")
        assert RAW.search(text) is None
        assert_no_formula_cells(text)

    @pytest.mark.parametrize("command", [("show",), ("analyze",)])
    def test_newline_forges_no_line(self, cli: Cli, hostile: Path, command: tuple[str, ...]) -> None:
        """A title with a newline stays on its own line in the text views."""
        code, out, _ = cli(*command, hostile)
        assert code == 0
        assert not any(line.startswith("forged: error: line") for line in out.splitlines())
        assert "evil\\u200b forged: error: line" in out.splitlines()[0]

    def test_json_keeps_the_data(self, cli: Cli, hostile: Path) -> None:
        """JSON output escapes, and the data read back is exactly the record's."""
        code, out, _ = cli("show", "--format", "json", hostile)
        assert code == 0
        assert json.loads(out)["case"]["title"] == HOSTILE

    @pytest.mark.parametrize("fmt", ["md", "html", "txt", "json"])
    def test_lessons_from_the_api(self, hostile: Path, fmt: str) -> None:
        """render_lessons itself (not only the command line) leaves nothing raw, an SVG title included."""
        import setsafety

        text = setsafety.render_lessons(setsafety.load_case(hostile), format=fmt)
        assert RAW.search(text) is None


class TestCommandLineLanguage:
    """Errors speak the command line's language, and with --format json they are JSON."""

    def test_no_protocol_says_the_option(self, cli: Cli, write_json: WriteJson, example_data: dict[str, Any],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
        """A case no bundled protocol covers (every hazard has one now, so none is offered here): the error
        names --protocol FILE, not the API's protocol=."""
        import setsafety.analysis

        monkeypatch.setattr(setsafety.analysis, "protocols_for", lambda hazards: [])
        example_data["case"]["hazards"] = ["stunt"]
        code, out, err = cli("analyze", write_json(example_data))
        assert (code, out) == (2, "")
        assert err == ("setsafety: error: no bundled protocol covers the hazards stunt; "
                       "choose one with --protocol FILE\n")

    @pytest.mark.parametrize("argv", [("show", "no-such-case"), ("analyze", "rust-2021", "--protocol", "nope"),
                                      ("stats", "no-such-case"), ("validate", "/no/such/file")])
    def test_json_errors(self, cli: Cli, argv: tuple[str, ...]) -> None:
        """With --format json an error is one JSON object on stdout, and nothing on stderr."""
        code, out, err = cli(*argv, "--format", "json")
        assert (code, err) == (2, "")
        error = json.loads(out)["error"]
        assert error["status"] == 2 and error["message"] and error["problems"] == []

    def test_json_error_with_problems(self, cli: Cli) -> None:
        """An invalid record under --format json: its problems as data."""
        invalid = Path(__file__).parent / "fixtures" / "invalid" / "dangling-reference.json"
        code, out, err = cli("show", invalid, "--format", "json")
        assert (code, err) == (1, "")
        problems = json.loads(out)["error"]["problems"]
        assert [problem["code"] for problem in problems] == ["dangling-reference"]
