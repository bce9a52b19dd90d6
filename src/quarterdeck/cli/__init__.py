"""The command line: thin commands that call the layers below and format their results."""
