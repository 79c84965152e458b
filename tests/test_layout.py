"""The package layout shows the pipeline: one folder per stage, imports flowing one way, no cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "selfeval_lib"

# Stage order. A module may import from its own stage or an earlier one, never a later one.
STAGES = {
    "_version": 0,  # shared by everyone: version, errors, file I/O, number formats, values
    "errors": 0,
    "fileio": 0,
    "fmt": 0,
    "values": 0,
    "frameworks": 1,  # the county's 评分表 (checked against by the contract)
    "inputs": 2,  # the data contract and its readers
    "evaluate": 3,  # indicators and scoring
    "report": 4,  # content, sentences, charts, display, exports
    "runs": 5,  # kernels, runner, batch, cluster, manifest, overview
    "cli": 6,
}
STAGE_FOLDERS = [name for name in STAGES if (PACKAGE / name).is_dir()]


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, root: Path) -> list[tuple[int, str]]:
    """Every import in a module (top-level, lazy and TYPE_CHECKING alike), as absolute names of
    modules inside the package, with the line it is on."""
    package = root.name
    modules = {module_name(p, root) for p in root.rglob("*.py")}
    this = module_name(path, root)
    is_package = path.name == "__init__.py"
    here = this.split(".") if is_package else this.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)]
                base_name = ".".join(base + ([node.module] if node.module else []))
            else:
                base_name = node.module or ""
            # `from pkg import sub` imports the submodule sub; `from mod import name` the module
            names = [
                f"{base_name}.{a.name}" if f"{base_name}.{a.name}" in modules else base_name
                for a in node.names
            ]
        else:
            continue
        for name in names:
            if name == package or name.startswith(package + "."):
                while name not in modules and "." in name:  # a name inside a module
                    name = name.rsplit(".", 1)[0]
                found.append((node.lineno, name))
    return found


def stage_of(name: str, root: Path) -> int | None:
    parts = name.split(".")
    if len(parts) == 1:
        return None  # the package itself: its __init__ is the public API, above every stage
    return STAGES.get(parts[1])


def layout_problems(root: Path = PACKAGE) -> list[str]:
    """Imports against the stage order, imports of the package's own API from inside it,
    modules outside any stage, and import cycles between modules."""
    problems, graph = [], {}
    for path in sorted(root.rglob("*.py")):
        this = module_name(path, root)
        rel = path.relative_to(root.parent).as_posix()
        edges = imports_of(path, root)
        graph[this] = {target for _, target in edges if target != this}
        if this == root.name:
            continue  # __init__ gathers the notebook API from every stage
        mine = stage_of(this, root)
        if mine is None:
            problems.append(f"{rel}: not in any stage; add it to a stage folder or to STAGES")
            continue
        for line, target in edges:
            theirs = stage_of(target, root)
            if theirs is None:
                problems.append(f"{rel}:{line} imports the package API {target}; import the module")
            elif theirs > mine:
                problems.append(
                    f"{rel}:{line} imports {target}: stage {target.split('.')[1]} comes after "
                    f"{this.split('.')[1]}; move the shared piece down instead"
                )
    # cycles between modules, whatever the stages (depth-first search, three colours)
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt == root.name:
                continue
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt) :] + [nxt]
                problems.append("import cycle: " + " -> ".join(cycle))
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return problems


def test_imports_follow_the_stage_order_without_cycles():
    assert layout_problems() == []


def test_top_level_is_small_and_each_stage_is_a_folder():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 8, top
    assert STAGE_FOLDERS == ["frameworks", "inputs", "evaluate", "report", "runs"]
    for stage in STAGE_FOLDERS:
        assert (PACKAGE / stage / "__init__.py").read_text(encoding="utf-8").startswith('"""')


def _fake_package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "selfeval_lib"
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for folder in [root, *[p for p in root.rglob("*") if p.is_dir()]]:
        (folder / "__init__.py").touch()
    return root


@pytest.mark.parametrize(
    "files, expected",
    [
        (  # inputs importing the report stage, even lazily inside a function
            {
                "inputs/unit.py": "def f():\n    from ..report.display import show\n",
                "report/display.py": "from ..inputs.unit import f\n",
            },
            [
                "selfeval_lib/inputs/unit.py:2 imports selfeval_lib.report.display: stage report "
                "comes after inputs; move the shared piece down instead",
                "import cycle: selfeval_lib.inputs.unit -> selfeval_lib.report.display -> "
                "selfeval_lib.inputs.unit",
            ],
        ),
        (  # a shared module reaching up into a stage
            {"fmt.py": "from .evaluate import scoring\n", "evaluate/scoring.py": ""},
            [
                "selfeval_lib/fmt.py:1 imports selfeval_lib.evaluate.scoring: stage evaluate "
                "comes after fmt; move the shared piece down instead"
            ],
        ),
        (  # a cycle inside one stage
            {
                "runs/a.py": "from . import b\n",
                "runs/b.py": "from .a import x\n",
            },
            ["import cycle: selfeval_lib.runs.a -> selfeval_lib.runs.b -> selfeval_lib.runs.a"],
        ),
        (  # the notebook API imported from inside the package
            {"report/display.py": "import selfeval_lib\n"},
            [
                "selfeval_lib/report/display.py:1 imports the package API selfeval_lib; "
                "import the module"
            ],
        ),
        (  # a module in no stage
            {"misc.py": ""},
            ["selfeval_lib/misc.py: not in any stage; add it to a stage folder or to STAGES"],
        ),
    ],
)
def test_the_check_catches_back_imports_and_cycles(tmp_path, files, expected):
    assert layout_problems(_fake_package(tmp_path, files)) == expected


def test_the_tests_mirror_the_stages():
    """tests/<stage>/test_<module>.py, one home per behaviour; at the top only what spans the
    whole project (the command line, CI, the layout, the lock, the README's promises, fmt)."""
    tests = PACKAGE.parent / "tests"
    stages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    folders = {p.name for p in tests.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    assert folders <= stages, folders - stages
    top = {p.stem for p in tests.glob("test_*.py")}
    assert top <= {"test_cli", "test_cli_ops", "test_ci", "test_layout", "test_lock",
                   "test_promises", "test_fmt"}, top  # fmt: skip
