"""`mistral-guard fix`: replace hardcoded keys with the language's environment lookup.

quoting.py finds the string literal (or shell quoting) around a key; languages.py holds one
edit strategy per language family; notebook.py edits Jupyter cell sources; plan.py turns
findings into per-file edits without writing; apply.py writes them (atomically, refusing
read-only files, symlinks and files changed since the scan) and the project files around
them (.env.example, .gitignore, .env).
"""
