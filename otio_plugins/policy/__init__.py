"""Policy: profiles (what to look for, which rules apply, who may clear) and the rules."""
