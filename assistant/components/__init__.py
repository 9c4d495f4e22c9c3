"""Swappable infrastructure: embeddings, chat models, local model assembly."""
