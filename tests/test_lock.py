"""Pinned to the last package: pyproject.toml, environment.yml and requirements.lock agree."""

from __future__ import annotations

import re
import tomllib

import yaml
from packaging.markers import Marker

from .conftest import ROOT

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)$")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(requirements: list[str], where: str) -> dict[str, str]:
    pins = {}
    for req in requirements:
        spec = req.split("#")[0].strip()
        match = PIN.match(spec)
        assert match, f"{where}: {req!r} is not pinned to one version (name==version)"
        pins[_norm(match[1])] = match[2]
    return pins


def pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pins = _pins(project["project"]["dependencies"], "pyproject.toml dependencies")
    for extra, reqs in project["project"]["optional-dependencies"].items():
        for name, version in _pins(reqs, f"pyproject.toml extra {extra}").items():
            assert pins.setdefault(name, version) == version, f"{name}: two pins in pyproject"
    return pins


def build_pins() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return _pins(project["build-system"]["requires"], "pyproject.toml build-system")


def lock_entries() -> dict[str, list[tuple[str, str, int]]]:
    """name -> [(version, marker, number of hashes)] of requirements.lock."""
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    entries: dict[str, list[tuple[str, str, int]]] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        head = block.split("\\")[0].strip()
        if not head or head.startswith("#"):
            continue
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)\s*(?:;\s*(.*))?$", head)
        assert match, f"requirements.lock: {head!r} is not name==version"
        hashes = block.count("--hash=sha256:")
        entries.setdefault(_norm(match[1]), []).append((match[2], match[3] or "", hashes))
    return entries


def test_every_direct_dependency_is_pinned_and_locked_at_that_version():
    """On this interpreter the lock installs exactly the versions pyproject.toml pins."""
    lock = lock_entries()
    wanted = {**pyproject_pins(), **build_pins()}
    for name, version in wanted.items():
        assert name in lock, f"{name} is in pyproject.toml but not in requirements.lock: make lock"
        versions = {v for v, marker, _ in lock[name] if not marker or Marker(marker).evaluate()}
        assert version in versions, (
            f"{name}: pyproject.toml pins {version}, requirements.lock has "
            f"{[v for v, _, _ in lock[name]]}: run make lock"
        )


def test_the_lock_pins_every_package_with_hashes():
    lock = lock_entries()
    assert len(lock) > 100  # the transitive closure, not just the ~20 direct dependencies
    for transitive in ("numpy", "pillow", "mistune", "jsonschema", "pyzmq", "tornado"):
        assert transitive in lock, transitive
    assert all(hashes > 0 for entries in lock.values() for _, _, hashes in entries)
    assert "mplfonts" not in lock


def test_environment_yml_mirrors_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert "python=3.11" in env["dependencies"]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    assert "-e ." in pip
    assert _pins([p for p in pip if p != "-e ."], "environment.yml") == pyproject_pins()


def test_make_installs_from_the_lock():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "pip install --quiet --require-hashes -r $(LOCK)" in makefile
    assert re.search(r"^lock: .*## ", makefile, re.M)  # documented in `make help`
    assert "--generate-hashes" in makefile


def test_the_installer_that_reads_the_lock_is_pinned_hashed_and_installed_first():
    """Python 3.11 bundles pip 23.2.1, which refuses requirements.lock (fixed in pip 23.3): make
    installs the pip of requirements-pip.lock, pinned and hashed, before the lock."""
    text = (ROOT / "requirements-pip.lock").read_text(encoding="utf-8")
    pin = re.search(r"^pip==(\d+)\.(\d+)\S* \\$", text, re.M)
    assert pin and (int(pin[1]), int(pin[2])) >= (23, 3)
    assert text.count("--hash=sha256:") >= 1
    recipe = (ROOT / "Makefile").read_text(encoding="utf-8")
    steps = [line.strip() for line in recipe.splitlines() if "pip install" in line]
    assert steps[:2] == [
        "$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(PIP_LOCK)",
        "$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)",
    ]
    assert "$(PYTHON) -m venv --clear $(VENV)" in recipe  # a half-made .venv is made anew


def test_ci_starts_where_a_newcomer_starts():
    """A fresh venv with Python's bundled pip, PyPI only, `make report` before `make test`."""
    lines = (ROOT / ".ci/run").read_text(encoding="utf-8").splitlines()
    commands = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert "export PIP_CONFIG_FILE=/dev/null" in commands
    steps = [c for c in commands if c in ("rm -rf .venv", "make report", "make test")]
    assert steps == ["rm -rf .venv", "make report", "make test"]
