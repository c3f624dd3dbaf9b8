"""Client API methods."""
