"""Forum pages, one module per subject."""
