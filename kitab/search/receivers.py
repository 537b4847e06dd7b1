"""Reactions of the search app to changes elsewhere (connected in SearchConfig.ready)."""
