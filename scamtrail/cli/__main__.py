"""``python -m scamtrail.cli``: the same as the ``scamtrail`` command."""

from scamtrail.cli import main

main()
