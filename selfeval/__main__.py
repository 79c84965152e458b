"""`python -m selfeval run params/` is `selfeval run params/`."""

import sys

from selfeval_lib.cli import main

sys.exit(main())
