"""State changes of the hotline: small functions that take a Session, flush, never commit."""
