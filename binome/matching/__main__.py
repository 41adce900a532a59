"""Command line, without Django.

    python -m binome.matching solve PROBLEM.json [-o RESULT.json]
    python -m binome.matching explain PROBLEM.json MENTEE_ID [--limit N]

Exit code 2 with a message on stderr when the input is invalid.
"""

from __future__ import annotations

import argparse
import json
import sys


def _load(path: str):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as exc:
        raise SystemExit(_fail(f"cannot read {path}: {exc.strerror}")) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SystemExit(_fail(f"{path}: invalid JSON: {exc}")) from None


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m binome.matching")
    sub = parser.add_subparsers(dest="command", required=True)
    p_solve = sub.add_parser("solve", help="compute the optimal matching")
    p_solve.add_argument("problem")
    p_solve.add_argument("-o", "--output", help="write the result here instead of stdout")
    p_explain = sub.add_parser("explain", help="list every mentor for one mentee, best first")
    p_explain.add_argument("problem")
    p_explain.add_argument("mentee_id")
    p_explain.add_argument("--limit", type=int, default=None, help="only the best N mentors")
    args = parser.parse_args(argv)

    problem = _load(args.problem)
    from binome.matching.engine import InvalidProblem, explain, solve

    try:
        if args.command == "solve":
            result = solve(problem)
        else:
            result = explain(problem, args.mentee_id, limit=args.limit)
    except InvalidProblem as exc:
        return _fail(f"invalid problem: {exc}")
    text = json.dumps(result, ensure_ascii=False, indent=1)
    if getattr(args, "output", None):
        try:
            with open(args.output, "w", encoding="utf-8") as f:
                f.write(text + "\n")
        except OSError as exc:
            return _fail(f"cannot write {args.output}: {exc.strerror}")
    else:
        sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
