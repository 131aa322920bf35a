"""Commands: alliance manage import_examples FILE.csv."""
