"""Sources turn what the user points at into Fragments (files, stdin, git)."""
