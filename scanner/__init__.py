"""mistral-guard: find leaked Mistral AI credentials before they ship."""

__version__ = "0.1.0"
