"""Params files: which unit and year, where its data is, which framework, output options."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import ParamsError, describe_pydantic_error
from ..fileio import read_yaml
from ..frameworks import DEFAULT_FRAMEWORK
from .schema import UNIT_ID_PATTERN


class Params(BaseModel):
    """One unit-year. Relative paths in the file are relative to the file itself."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    unit_id: Annotated[str, Field(pattern=UNIT_ID_PATTERN)]
    year: Annotated[int, Field(ge=2000, le=2100)]
    data: str  # data folder
    framework: str = DEFAULT_FRAMEWORK  # a bundled framework id, or a path to a framework YAML
    # last year's params file or data folder of the same unit; default: found in the data tree
    previous: str | None = None
    path: Path = Path()  # where this params file is (filled in by load_params)

    @property
    def data_dir(self) -> Path:
        return (self.path.parent / self.data).resolve()


def load_params(path: str | Path) -> Params:
    """Read and validate a params file; the unit id must be a plain name equal to the file stem."""
    path = Path(path).resolve()
    raw = read_yaml(path, ParamsError)
    try:
        params = Params.model_validate({**raw, "path": path})
    except ValidationError as exc:
        lines = [
            f"{path}: 键 / key {describe_pydantic_error(e, False, Params, e['loc'])}"
            for e in exc.errors()
        ]
        if any(
            e["loc"] == ("unit_id",) and e["type"] == "string_pattern_mismatch"
            for e in exc.errors()
        ):
            lines.append(
                "  unit_id 只能用小写字母、数字、_ 和 -,不超过64字符 / unit_id must be a plain "
                "name: lower-case letters, digits, _ and -, at most 64 characters"
            )
        raise ParamsError("\n".join(lines)) from None
    if params.unit_id != path.stem:
        raise ParamsError(
            f'{path}: 键 / key unit_id: "{params.unit_id}" 与文件名 "{path.stem}" 不一致 / '
            f'does not equal the file name stem "{path.stem}"; rename the file or the id'
        )
    return params


def claim_unit_year(claimed: dict, path: Path, params: Params) -> None:
    """Record that `path` writes the report of its unit-year; a second params file for the same
    unit-year is refused (both would write one report)."""
    key = (params.unit_id, params.year)
    if key in claimed:
        raise ParamsError(
            f"{path}: 单位 {params.unit_id} {params.year} 年已由 {claimed[key]} 声明 / unit "
            f"{params.unit_id} year {params.year} is already claimed by {claimed[key]}; "
            "two params files must not write the same report"
        )
    claimed[key] = path
