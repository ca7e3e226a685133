"""Evidence sources: each module turns one kind of signal on a clip into evidence."""
