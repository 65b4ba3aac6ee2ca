"""Core views: the generic object views every model uses, and the shared pages."""
