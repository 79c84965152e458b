"""Stage 5, running reports: forked kernels, one unit's run (runner.py), batches and the Dask
cluster, the run manifest, and the county overview.

The defaults the command line shows in its help are here, not in the modules that use them, so
that `selfeval run` reads its arguments and starts the kernels' zygote (zygote.py) before it
imports the stage."""

from ..fileio import PACKAGE_DIR

NOTEBOOKS = PACKAGE_DIR.parent / "notebooks"
DEFAULT_NOTEBOOK = NOTEBOOKS / "selfeval_report.ipynb"
OVERVIEW_NOTEBOOK = NOTEBOOKS / "county_overview.ipynb"
DEFAULT_TIMEOUT = 600  # seconds per cell
DEFAULT_WORKER_WAIT = 60  # seconds without any worker before a batch stops (--worker-wait)
