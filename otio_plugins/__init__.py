"""aiclear: find, clear and disclose AI-generated clips on OpenTimelineIO timelines.

The package is the Qt-free core. It must stay cheap to import: OTIO imports
``aiclear.plugin`` through its entry point on the first adapter call.
"""

__version__ = "0.1.0"
NAMESPACE = "aiclear"  # the one metadata key aiclear owns on OTIO objects

__all__ = ["NAMESPACE", "__version__"]
