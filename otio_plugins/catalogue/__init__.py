"""The approved-tools catalogue: which generative tools a production may use, under
which data terms and agreements, for which uses and lifecycles (issue 17).

- ``load_catalogue(path)`` -> ``Catalogue`` (validated against catalogue.schema.json);
- ``tool_status(record, catalogue)`` -> plain data on a segment's record
  (``record["catalogue"]``) that the ``tool.*`` rules, the reports and the panel read.
"""

from __future__ import annotations

from aiclear.catalogue.load import Catalogue, Tool, load_catalogue
from aiclear.catalogue.status import tool_status

__all__ = ["Catalogue", "Tool", "load_catalogue", "tool_status"]
