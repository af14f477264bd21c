"""Reporters: views of the same findings. They import only scanner.models."""
