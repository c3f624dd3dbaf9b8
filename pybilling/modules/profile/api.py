"""Profile API methods (admin and client)."""
