"""`python -m crossing` runs the command line."""

from crossing.cli import main

main()
