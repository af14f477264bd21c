"""A labelled corpus of small projects, made at test time: keys are generated, never stored.

Each family module in this package exposes `cases() -> list[Case]`; `generate.all_cases()`
discovers every module that does, so a new family is one new module.
"""
