"""`python -m selfeval run params/` is `selfeval run params/`."""

from selfeval_lib.cli import console

console()
