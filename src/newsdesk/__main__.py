"""Run the CLI with `python -m newsdesk`."""

from newsdesk.cli.main import main

main()
