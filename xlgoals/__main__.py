"""`python -m xlgoals …`: the same command line as the `xlgoals` script."""

from xlgoals.cli import main

raise SystemExit(main())
