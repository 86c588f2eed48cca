"""``python -m mapper`` runs the command line."""
from .cli import main

main()
