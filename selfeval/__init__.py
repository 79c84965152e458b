"""`python -m selfeval …`: the `selfeval` command, for machines where the venv's scripts folder is
not on PATH (Windows). The library itself is `selfeval_lib` (`import selfeval_lib as sel`)."""
