"""Stage 5, running reports: forked kernels, one unit's run (runner.py), batches and the Dask
cluster, the run manifest, and the county overview."""
