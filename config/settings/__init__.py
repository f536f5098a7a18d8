"""Settings package: ``base`` reads the environment; ``dev``, ``test`` and ``prod`` adjust it."""
