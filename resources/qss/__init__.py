"""Qt style sheets for the panel (read with importlib.resources)."""
