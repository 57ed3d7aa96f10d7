"""``python -m setsafety``: the same as the ``setsafety`` command."""

from setsafety.cli import main

if __name__ == "__main__":
    main()
