"""``python -m llmsizing``: the command-line interface."""

import sys

from llmsizing.cli import main

sys.exit(main())
