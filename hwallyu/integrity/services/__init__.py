"""Writes of the integrity module: keys, cases, the index and the measures plan."""
