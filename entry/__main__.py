"""`python -m specloom`: the `specloom` command line."""

from specloom.generator.cli import main

raise SystemExit(main())
