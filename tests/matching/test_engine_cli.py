"""python -m binome.matching: output, files and exit codes (no Django)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from binome.matching.__main__ import main

ROOT = Path(__file__).resolve().parents[2]
PROBLEM = {
    "criteria": [
        {"name": "geography", "weight": 3, "mandatory": True, "max_km": 15},
        {"name": "sector", "weight": 2, "mandatory": False},
    ],
    "mentors": [
        {"id": "m1", "lat": 50.63, "lon": 3.06, "sectors": ["social"]},
        {"id": "m2", "lat": 43.3, "lon": 5.4},
    ],
    "mentees": [
        {"id": "e1", "lat": 50.69, "lon": 3.17, "sectors": ["social"]},
        {"id": "e2", "lat": 48.85, "lon": 2.35},
    ],
}


@pytest.fixture
def problem_file(tmp_path):
    path = tmp_path / "problem.json"
    path.write_text(json.dumps(PROBLEM), encoding="utf-8")
    return path


def exit_code(argv):
    try:
        return main(argv)
    except SystemExit as exc:
        return exc.code


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "binome.matching", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


def test_solve_writes_the_result_file(problem_file, tmp_path):
    out = tmp_path / "result.json"
    proc = run("solve", problem_file, "-o", out)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    assert [(p["mentor"], p["mentee"]) for p in result["pairs"]] == [("m1", "e1")]
    assert result["unmatched_mentees"] == [{"id": "e2", "reason": "no_feasible_mentor"}]
    assert result["unused_mentors"] == ["m2"]
    assert set(result["objective"]) == {"matched", "total_score", "total_bonus"}
    assert {"mentors", "mentees", "feasible_pairs", "seconds"} <= set(result["stats"])


def test_invalid_problem_exits_2_naming_the_item(tmp_path):
    path = tmp_path / "bad.json"
    bad = {**PROBLEM, "mentors": [*PROBLEM["mentors"], {"id": "m1"}]}
    path.write_text(json.dumps(bad), encoding="utf-8")
    proc = run("solve", path)
    assert proc.returncode == 2
    assert "duplicate id 'm1'" in proc.stderr
    assert proc.stdout == ""


def test_solve_to_stdout(problem_file, capsys):
    assert main(["solve", str(problem_file)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["objective"]["matched"] == 1


def test_explain(problem_file, capsys):
    assert main(["explain", str(problem_file), "e1"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert [x["mentor"] for x in entries] == ["m1", "m2"]
    assert entries[0]["feasible"]
    assert entries[1]["failed"] == ["too_far"]
    assert main(["explain", str(problem_file), "e1", "--limit", "1"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1


@pytest.mark.parametrize(
    ("content", "args", "needle"),
    [
        ("{not json", ["solve"], "invalid JSON"),
        (json.dumps({**PROBLEM, "criteria": [{"name": "astrology"}]}), ["solve"], "astrology"),
        (
            json.dumps({**PROBLEM, "mentees": [{"id": "e1", "lat": 95, "lon": 0}]}),
            ["solve"],
            "latitude 95",
        ),
        (json.dumps(PROBLEM), ["explain", "@", "nobody"], "unknown mentee id 'nobody'"),
        (json.dumps({**PROBLEM, "exclusions": [["m1", "zz"]]}), ["solve"], "'zz'"),
    ],
)
def test_errors_exit_2(tmp_path, capsys, content, args, needle):
    path = tmp_path / "p.json"
    path.write_text(content, encoding="utf-8")
    argv = [args[0], str(path), *args[2:]]
    assert exit_code(argv) == 2
    err = capsys.readouterr().err
    assert needle in err
    assert err.startswith("error:")


def test_missing_file_and_bad_arguments(tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        main(["solve", str(tmp_path / "missing.json")])
    assert info.value.code == 2
    assert "missing.json" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["frobnicate"])
    assert info.value.code == 2
