"""What a reviewer sees: blocking findings in plain language grouped by what fixes them,
the role a clip needs, legible labels for record values. Qt-free; the panel binds to it."""
