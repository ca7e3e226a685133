"""What the OTIO writers of other formats need from a timeline, given on aiclear's copy."""
