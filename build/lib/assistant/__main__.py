"""python -m assistant → assistant.cli.main()."""

import sys

from assistant.cli import main

sys.exit(main())
