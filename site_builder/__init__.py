"""MkDocs plugin that turns microgpt/ and docs/annotations/ into the explorer, concept pages and trainer."""
