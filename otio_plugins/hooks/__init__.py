"""The files OTIO's plugin manifest names as hook scripts.

OTIO runs them as ``opentimelineio.adapters.<hook name>`` from their file path, so they
hold no logic and import the package absolutely (relative imports fail there)."""
