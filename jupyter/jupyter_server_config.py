# selfeval's Jupyter settings, used by `make lab` (JUPYTER_CONFIG_PATH=jupyter): notebooks saved in
# notebooks/ are written without outputs or execution counts, autosave included, so the committed
# templates stay clean and `selfeval run` skips unchanged units. See selfeval_lib/runs/notebooks.py.
from selfeval_lib.runs.notebooks import pre_save_hook

c = get_config()  # noqa: F821 - provided by Jupyter when it loads this file
c.ContentsManager.pre_save_hook = pre_save_hook
