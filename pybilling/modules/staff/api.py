"""Staff API methods (admin and guest)."""
