"""Command line: `selfeval run` and `selfeval validate`, thin adapters over the library."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ._version import __version__
from .data import load_unit
from .errors import ParamsError, SelfEvalError
from .runner import DEFAULT_NOTEBOOK, DEFAULT_TIMEOUT, run_unit


def expand_paths(items: list[str]) -> list[Path]:
    """Params files as given, folders as their *.yaml files (sorted); nothing found is an error."""
    found: list[Path] = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            found += sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml"))
        elif path.is_file():
            found.append(path)
        else:
            raise ParamsError(f"{path}: 文件或目录不存在 / no such params file or folder")
    if not found:
        raise ParamsError(
            f"{' '.join(items)}: 没有找到参数文件(*.yaml) / no params files (*.yaml) found"
        )
    return found


def cmd_validate(args: argparse.Namespace) -> int:
    bad = 0
    for path in expand_paths(args.paths):
        try:
            unit = load_unit(path)
        except SelfEvalError as exc:
            bad += 1
            print(f"✗ {path}\n{exc}", file=sys.stderr)
            continue
        print(f"✓ {path}: {unit.facts.identity.name} {unit.params.year} 数据有效 / valid")
    return 1 if bad else 0


def cmd_run(args: argparse.Namespace) -> int:
    results = []
    for path in expand_paths(args.paths):
        result = run_unit(path, args.out, args.notebook, args.timeout)
        results.append(result)
        if result.status == "ok":
            print(
                f"✓ {result.unit_id} {result.year}: {result.grade} {result.total:.2f}分 "
                f"({result.seconds:.1f}s) -> {result.outputs['html']}"
            )
        else:
            print(f"✗ {path}: {result.status}\n{result.error}", file=sys.stderr)
    failed = sum(r.status != "ok" for r in results)
    print(f"{len(results) - failed} 成功 / succeeded, {failed} 失败 / failed")
    return 1 if failed else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="selfeval",
        description="Build 部门整体支出绩效自评报告 (expenditure performance self-evaluation reports) "
        "from each unit's params file and data folder.",
    )
    parser.add_argument("--version", action="version", version=f"selfeval {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser(
        "run", help="validate, execute the report notebook and export HTML for each unit"
    )
    run.add_argument(
        "paths", nargs="+", help="params files (params/<unit_id>.yaml) or folders of them"
    )
    run.add_argument(
        "--out",
        default="reports",
        help="output folder; reports go to OUT/<year>/ (default: reports)",
    )
    run.add_argument("--notebook", default=str(DEFAULT_NOTEBOOK), help="report notebook to execute")
    run.add_argument(
        "--timeout",
        type=int,
        default=DEFAULT_TIMEOUT,
        help="seconds a notebook cell may take (default: 600)",
    )
    run.set_defaults(func=cmd_run)
    val = sub.add_parser(
        "validate", help="check params and data files against the data contract; starts no kernel"
    )
    val.add_argument("paths", nargs="+", help="params files or folders of them")
    val.set_defaults(func=cmd_validate)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except SelfEvalError as exc:
        print(exc, file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
