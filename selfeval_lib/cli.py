"""Command line: `selfeval run` and `selfeval validate`, thin adapters over the library."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path

# Only what reading the arguments needs is imported here (the stages' defaults are in their
# packages' __init__): `selfeval run` starts the kernels' zygote before it imports the library,
# so the two import at once, on two cores (tests/runs/test_engine.py).
from ._version import __version__
from .errors import SelfEvalError, UsageError, shown_path
from .frameworks import DEFAULT_FRAMEWORK, REFERENCE_FILE, SCHEMA_FILE
from .runs import DEFAULT_NOTEBOOK, DEFAULT_TIMEOUT, DEFAULT_WORKER_WAIT


def make_log(stream=None):
    """print, one line at a time; without a terminal (cron, a pipe) every line starts with the
    local time, so a log file says when each unit finished."""
    stream = stream or sys.stdout
    stamped = not stream.isatty()

    def log(message: str = "") -> None:
        for line in str(message).splitlines() or [""]:
            if stamped:
                line = f"{datetime.now():%Y-%m-%d %H:%M:%S} {line}"
            print(line, file=stream, flush=True)

    return log


def positive_int(text: str) -> int:
    """--jobs: a whole number of at least 1 (argparse prints the message, exit code 2)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            f"{text!r} 应为不小于1的整数 / must be a whole number of at least 1"
        )
    return value


def int_between(low: int, high: int):
    """An argparse type: a whole number from `low` to `high` (else a usage error, exit 2)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"{text!r} 应为 {low} 到 {high} 之间的整数 / must be a whole number from {low} "
                f"to {high}"
            )
        return value

    return parse


def given_file(path: str, what: str) -> Path:
    """A file named on the command line; one that is not there is a usage error (exit 2)."""
    if not Path(path).is_file():
        raise UsageError(f"{shown_path(path)}: 文件不存在 / no such {what}")
    return Path(path)


def cmd_validate(args: argparse.Namespace) -> int:
    from .inputs.params import claim_unit_year, load_params
    from .report.content import load_report
    from .runs.batch import expand_paths

    bad, claimed = 0, {}
    for path in expand_paths(args.paths):
        try:
            params = load_params(path)
            claim_unit_year(claimed, path, params)  # refused as `selfeval run` refuses it
            report = load_report(params)  # computed and scored as a run does: its warnings
        except SelfEvalError as exc:
            bad += 1
            print(f"✗ {shown_path(path)}\n{exc}", file=sys.stderr)
            continue
        unit = report.unit
        print(
            f"✓ {shown_path(path)}: {unit.facts.identity.name} {unit.params.year} 数据有效 / valid"
        )
        if report.warnings:  # warnings, not errors: the exit code stays 0
            print(
                f"  数据核对提示 {len(report.warnings)} 条，报告中将同样列出 / "
                f"{len(report.warnings)} cross-check warning(s), as the report will list them:"
            )
            for warning in report.warnings:
                print(f"  ! {warning}")
    return 1 if bad else 0


def cmd_run(args: argparse.Namespace) -> int:
    if args.scheduler is None:  # the units run here: their kernels' zygote starts importing now
        from .runs.zygote import start_zygote

        start_zygote()
    from .runs.batch import expand_paths, run_batch
    from .runs.manifest import summary_table

    log, err = make_log(sys.stdout), make_log(sys.stderr)
    try:
        results = run_batch(
            expand_paths(args.paths),
            Path(args.out),
            Path(args.notebook),
            args.timeout,
            args.jobs,
            args.force,
            args.scheduler,
            overview=not args.no_overview,
            log=log,
            worker_wait=args.worker_wait,
        )
    except KeyboardInterrupt as exc:
        why = f"{exc}；" if str(exc) else ""  # SIGTERM or SIGHUP: which, in both languages
        err(
            f"{why}已中断；已完成的单位记录在 run.json / interrupted; finished units are in run.json"
        )
        return 130
    log(summary_table(results))
    bad = sum(r.status not in ("ok", "skipped") for r in results)
    if args.pdf:
        from .runs.batch import write_pdfs

        bad += write_pdfs(results, Path(args.out), args.force, log)
    for year in results.overview_failures:
        log(f"✗ {year} 汇总未能生成 / the overview of {year} failed; see run.json")
    done = len(results) - bad
    log(f"{done} 成功或未变化 / succeeded or unchanged, {bad} 失败 / failed")
    return 1 if bad or results.overview_failures else 0


def cmd_framework_reference(args: argparse.Namespace) -> int:
    from .frameworks.reference import export_reference

    for path in export_reference(Path(args.out)):
        print(f"已写入 / wrote {path}")
    return 0


def cmd_framework_check(args: argparse.Namespace) -> int:
    from .errors import escape_controls
    from .fmt import fmt_points
    from .frameworks.model import check_framework_file

    path = given_file(args.file, "framework file")
    framework, problems = check_framework_file(path)
    found = {loc[1]: text for loc, text in problems}
    for n, ind in enumerate(framework.indicators):
        mark = "✗" if n in found else "✓"
        print(f"{mark} {ind.id} {escape_controls(ind.name)}（{fmt_points(ind.weight)}分）")
        print(f"    评分标准 / standard: {escape_controls(ind.standard)}")
        print(f"    selfeval 的理解 / selfeval reads the rule as: {ind.reading()}")
    for _, text in problems:
        print(text, file=sys.stderr)
    if problems:
        print(
            f"{len(problems)} 个指标的评分标准与规则不一致 / indicator(s) whose printed standard "
            "and rule disagree",
            file=sys.stderr,
        )
    return 1 if problems else 0


def cmd_template(args: argparse.Namespace) -> int:
    from .frameworks.model import load_framework
    from .inputs.unit import load_unit
    from .report.template import write_template

    if Path(args.output).is_dir():
        raise UsageError(
            f"{shown_path(args.output)}: 是文件夹；-o 应为要写入的工作簿文件，如 数据表.xlsx / is a "
            "folder: -o names the workbook file to write, e.g. 数据表.xlsx"
        )
    unit = load_unit(given_file(args.from_params, "params file")) if args.from_params else None
    framework = (
        load_framework(args.framework)
        if args.framework
        else unit.framework
        if unit
        else load_framework(DEFAULT_FRAMEWORK)
    )
    write_template(args.output, framework, unit)
    print(f"✓ {args.output}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from .inputs.importer import import_workbook

    params = import_workbook(
        given_file(args.workbook, "workbook"),
        args.params,
        args.data,
        force=args.force,
        warn=lambda message: print(f"! {message}", file=sys.stderr),
        framework=args.framework,
    )
    print(f"✓ {params} -> {args.data}")
    return 0


def cmd_synth(args: argparse.Namespace) -> int:
    from .inputs.synth import write_synthetic_units

    written = write_synthetic_units(
        args.units, args.year, Path(args.out), args.seed, args.years, args.counties
    )
    for path in written:
        print(path)
    return 0


def cmd_log(args: argparse.Namespace) -> int:
    """Run a command and append every line it prints, stdout and stderr, to a log file after the
    local time (as `selfeval run` stamps its own lines without a terminal); exit as it exits."""
    import os
    import subprocess

    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        raise UsageError("selfeval log: 缺少要运行的命令 / no command to run after the log file")
    path = Path(args.file)
    path.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}  # a Python command's lines arrive as printed
    with path.open("a", encoding="utf-8") as file:
        log = make_log(file)
        try:
            child = subprocess.Popen(
                command,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                env=env,
                text=True,
                encoding="utf-8",
                errors="replace",
            )
        except OSError as exc:
            message = f"selfeval log: 无法运行 / cannot run {command[0]!r}: {exc.strerror}"
            log(message)
            raise UsageError(message) from None
        with child:
            for line in child.stdout:
                log(line.rstrip("\n"))
    return child.returncode


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="selfeval",
        description="Build 部门整体支出绩效自评报告 (expenditure performance self-evaluation reports) "
        "from each unit's params file and data folder.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="""examples:
  selfeval validate params/          check every unit's data; starts no kernel
  selfeval run params/               build reports/<year>/<unit>.html and .docx, index.html, summary.xlsx
  selfeval run --help                more examples, and the cron line

`selfeval COMMAND --help` shows each command's options and examples.

exit status: 0 done; 1 bad data or a failed unit (the files must change); 2 bad arguments
(an unknown option, a path that is not there, files that exist without --force: the command
line must change); 130 interrupted
""",
    )
    parser.add_argument("--version", action="version", version=f"selfeval {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = sub.add_parser(
        "run",
        help="validate, execute the report notebook and export HTML for each unit",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="""examples:
  selfeval run params/                            every unit, on all cores; unchanged units skip
  selfeval run params/qianshan_2024.yaml --force  one unit, even if unchanged
  selfeval run params/qianshan_2024.yaml --pdf    also the PDF to file, laid out as the Word file
  selfeval run 'params/*_2024.yaml' --jobs 1 --timeout 300
  selfeval run params/ --out /srv/reports --no-overview
  selfeval run params/ --scheduler tcp://HOST:8786    on a Dask cluster (dask worker tcp://HOST:8786)
  selfeval run params/ --scheduler tcp://HOST:8786 --worker-wait 300    wait longer for workers

cron (without a terminal every log line starts with the time):
  30 2 * * * cd /srv/selfeval && .venv/bin/selfeval run params/ >> logs/selfeval.log 2>&1

exit status: 0 when every unit succeeded or was unchanged, 1 otherwise (also when a Dask
cluster had no worker for --worker-wait seconds), 2 for bad arguments
""",
    )
    run.add_argument(
        "paths", nargs="+", help="params files (params/<unit_id>.yaml), folders of them, or globs"
    )
    run.add_argument(
        "--out",
        default="reports",
        help="output folder; reports go to OUT/<year>/ (default: reports)",
    )
    run.add_argument("--notebook", default=str(DEFAULT_NOTEBOOK), help="report notebook to execute")
    run.add_argument(
        "--jobs",
        type=positive_int,
        default=None,
        help="units run at once, each in its own kernel (default: the number of cores)",
    )
    run.add_argument("--force", action="store_true", help="re-run units whose inputs are unchanged")
    run.add_argument(
        "--pdf",
        action="store_true",
        help="also write <unit_id>.pdf: the Word file's content in its official layout (A4, "
        "SC fonts embedded; WeasyPrint), and <unit_id>.自评表.pdf beside its 自评表 (LibreOffice)",
    )
    run.add_argument(
        "--no-overview",
        action="store_true",
        help="do not rebuild OUT/<year>/index.html and summary.xlsx after the units",
    )
    run.add_argument(
        "--scheduler",
        default=None,
        help="address of a dask.distributed scheduler (tcp://HOST:8786) to run the units on",
    )
    run.add_argument(
        "--worker-wait",
        type=positive_int,
        default=DEFAULT_WORKER_WAIT,
        metavar="SECONDS",
        help="with --scheduler: stop when the cluster has had no worker this long, none connected "
        "or all gone; the units not run are marked interrupted in run.json (default: %(default)s)",
    )
    run.add_argument(
        "--timeout",
        type=positive_int,
        default=DEFAULT_TIMEOUT,
        help="seconds any one notebook cell may take before the unit fails (default: 600)",
    )
    run.set_defaults(func=cmd_run)
    val = sub.add_parser(
        "validate",
        help="check params and data files against the data contract; starts no kernel",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="""examples:
  selfeval validate params/                      every params file and its data
  selfeval validate params/qianshan_2024.yaml    one unit
""",
    )
    val.add_argument("paths", nargs="+", help="params files or folders of them")
    val.set_defaults(func=cmd_validate)
    fw = sub.add_parser(
        "framework",
        help="check a county's framework file (评分表), or write its reference",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="""examples:
  selfeval framework check county_2024.yaml    each indicator's 评分标准 beside selfeval's reading
                                               of its rule; numbers that disagree are flagged
  selfeval framework reference --out docs/     every key and rule kind a framework file may hold
                                               (Markdown), and its JSON Schema for editors

exit status of check: 0 when the file is valid and every standard agrees with its rule,
1 otherwise (each problem names the line), 2 when the file is not there
""",
    )
    fw_sub = fw.add_subparsers(dest="action", required=True, metavar="ACTION")
    fw_check = fw_sub.add_parser(
        "check", help="print each indicator's 评分标准 beside selfeval's reading of the rule"
    )
    fw_check.add_argument("file", help="the framework YAML file")
    fw_check.set_defaults(func=cmd_framework_check)
    fw_ref = fw_sub.add_parser(
        "reference",
        help=f"write the framework reference ({REFERENCE_FILE}) and JSON Schema ({SCHEMA_FILE})",
    )
    fw_ref.add_argument(
        "--out", default="docs", help="folder to write both files into (default: %(default)s)"
    )
    fw_ref.set_defaults(func=cmd_framework_reference)
    tpl = sub.add_parser(
        "template",
        help="write a fillable unit workbook (.xlsx), blank or with a unit's data",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="""examples:
  selfeval template -o 数据表.xlsx                               a blank workbook
  selfeval template --from params/qianshan_2024.yaml -o 前山镇.xlsx   filled with a unit's data
  selfeval template --framework county.yaml -o 数据表.xlsx        asks for that framework's facts
""",
    )
    tpl.add_argument("-o", "--output", required=True, help="workbook to write, e.g. 数据表.xlsx")
    tpl.add_argument("--from", dest="from_params", help="params file whose data fills the workbook")
    tpl.add_argument(
        "--framework", help="framework id or YAML whose facts the 管理情况 sheet asks for"
    )
    tpl.set_defaults(func=cmd_template)
    imp = sub.add_parser(
        "import",
        help="check a filled workbook and write its data folder and params file",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="""examples:
  selfeval import 新寮镇.xlsx --params params/xinliao_2024.yaml --data data/2024/xinliao/
      a new unit: writes its params file and data folder
  selfeval import 前山镇.xlsx --params params/qianshan_2024.yaml --data data/2024/qianshan/ --force
      a unit's corrected workbook replaces its files (without --force existing files are kept)

exit status: 0 when written, 1 when the workbook's data is refused (every problem is listed
with its sheet!cell), 2 for bad arguments (a missing workbook, files that exist without --force)
""",
    )
    imp.add_argument("workbook", help="the filled .xlsx workbook")
    imp.add_argument("--params", required=True, help="params file to write: params/<unit_id>.yaml")
    imp.add_argument("--data", required=True, help="data folder to write: data/<year>/<unit>/")
    imp.add_argument(
        "--force", action="store_true", help="replace the params file and data files if they exist"
    )
    imp.add_argument(
        "--framework",
        default=DEFAULT_FRAMEWORK,
        help="the county's framework for this unit: a bundled id or a path (default: %(default)s);"
        " the workbook's own 指标框架 cell is never used",
    )
    imp.set_defaults(func=cmd_import)
    syn = sub.add_parser(
        "synth",
        help="write fictional, internally consistent units (marked synthetic)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="""examples:
  selfeval synth --units 20 --year 2024 --out /tmp/county   then: selfeval run /tmp/county/params
  selfeval synth --units 5 --seed 7 --out .
  selfeval synth --units 3 --year 2024 --years 2 --out /tmp/county   (2023 and 2024 of each)
  selfeval synth --units 90 --counties 3 --out /tmp/province   units of 示例一县, 示例二县, 示例三县
""",
    )
    syn.add_argument(
        "--units",
        type=int_between(1, 99_999),
        default=20,
        help="how many units, 1-99999 (default: 20)",
    )
    syn.add_argument(
        "--year",
        type=int_between(2000, 2099),
        default=2024,
        help="evaluation year, 2000-2099 (default: 2024)",
    )
    syn.add_argument(
        "--out", default=".", help="project folder: writes OUT/params/ and OUT/data/<year>/"
    )
    syn.add_argument("--seed", type=int, default=2024, help="the same seed gives the same files")
    syn.add_argument(
        "--years",
        type=int_between(1, 10),
        default=1,
        help="years per unit, 1-10: --year and the years before it, one unit_code, the same name,"
        " last year's figures agreeing with this year's 上年 columns (default: %(default)s)",
    )
    syn.add_argument(
        "--counties",
        type=int_between(1, 999),
        default=1,
        help="spread the units over this many fictional 县 in turn, a province (default: 1, 示例县)",
    )
    syn.set_defaults(func=cmd_synth)
    lg = sub.add_parser(
        "log",
        help="run a command, appending its output to a log file with the local time on every line",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="""examples:
  selfeval log logs/papermill.log .venv/bin/papermill --engine selfeval \\
      notebooks/selfeval_report.ipynb out/qianshan_2024.ipynb -p params_path params/qianshan_2024.yaml
  selfeval log logs/papermill.log .venv/bin/jupyter nbconvert --to selfeval \\
      out/qianshan_2024.ipynb --output-dir reports/2024

The log file's folder is made if missing; the exit status is the command's.
""",
    )
    lg.add_argument("file", help="log file to append to, e.g. logs/papermill.log")
    lg.add_argument("command", nargs=argparse.REMAINDER, help="the command and its arguments")
    lg.set_defaults(func=cmd_log)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        parser.print_help()
        return 2
    console_replaces()
    args = parser.parse_args(argv)
    try:
        code = args.func(args)
        sys.stdout.flush()  # here, not at exit: a closed pipe is then caught below
        return code
    except UsageError as exc:  # the command line must change: 2, as argparse's own errors
        print(exc, file=sys.stderr)
        return 2
    except SelfEvalError as exc:  # the data must change
        print(exc, file=sys.stderr)
        return 1
    except BrokenPipeError:  # `selfeval … | head`: the reader stopped reading; no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's own advice
        return 141  # 128 + SIGPIPE, as a shell reports it
    except OSError as exc:  # a full disk, a read-only folder, a folder where a file goes
        where = shown_path(exc.filename) + ": " if exc.filename else ""
        reason = exc.strerror or type(exc).__name__
        print(
            f"{where}无法读写（{reason}）；请检查路径、磁盘空间和文件夹权限 / cannot read or write "
            f"({reason}): check the path, the free space and the folder's permissions",
            file=sys.stderr,
        )
        return 1


def console() -> None:
    """The `selfeval` program ([project.scripts], `python -m selfeval`): main(), the exit handlers,
    then exit at once. Python would go on to tear down every module a command imported (for a run,
    papermill, nbconvert, jsonschema, the Word and Excel writers): a quarter of a second at the end
    of every run, with nothing left to do (each output is written and closed, the streams are
    flushed and the atexit handlers have run)."""
    import atexit

    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe: what main() printed was all that could reach it
        pass
    atexit._run_exitfuncs()  # noqa: SLF001 - what the interpreter runs as it exits
    os._exit(code)


def console_replaces() -> None:
    """A character the console cannot encode (✓ on a GBK console, PYTHONIOENCODING=gbk) is
    printed as ? instead of stopping the command with UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and stream.errors == "strict":
            stream.reconfigure(errors="replace")


if __name__ == "__main__":  # pragma: no cover
    console()
