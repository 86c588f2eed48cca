"""``python -m mapper`` runs the command line."""
from mapper.cli.main import main

main()
