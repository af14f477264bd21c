"""Set-aside corpus: real shapes written down before the engine work and never tuned on.

Same Case format as tests/corpus; its own package so tests/test_corpus.py never picks it up.
Scored by tests/test_corpus_heldout.py. See the "Set-aside shapes" section of
tests/corpus/SHAPES.md for the ids (content is deliberately not described there).
"""
