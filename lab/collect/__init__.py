"""Builders of the real-document corpus (issue 21): each reads a fetched repository at a
pinned commit and writes .corpus/<collection>.jsonl; nothing fetched is committed."""
