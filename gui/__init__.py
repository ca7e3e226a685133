"""The PySide6 panel: the only part of aiclear that imports Qt."""
