"""Files in and out: reading claim files (seeds, imports) and applying them."""
