"""Provenance out: what leaves the building carries proof.

- ``certificate``: the clearance certificate of one timeline (what was cleared, by whom,
  under which policy, against which ledger head) as a signed DSSE envelope;
- ``payload``: the certificate payload's shape (TypedDicts after the published schema);
- ``verify``: the studio's offline check of a certificate against its own pin, and
  optionally the timeline, the signed master and the ledger;
- ``master``: Content Credentials (C2PA) embedded in the rendered master;
- ``trust``: the one place that answers "which production root, which head, is it
  pinned, may this key certify", on the ledger's signed production root.
"""
