"""`python -m linkscout ...` runs the command line."""

from linkscout.cli.main import main

if __name__ == "__main__":
    main()
