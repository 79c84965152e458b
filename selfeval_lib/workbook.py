"""The data contract as one Excel workbook per unit: read it and write its template.
(Importing a workbook into a data folder is `importer.py`: it needs the data stage.)"""

from __future__ import annotations

from .workbook_read import read_workbook
from .workbook_template import write_template

__all__ = ["read_workbook", "write_template"]
