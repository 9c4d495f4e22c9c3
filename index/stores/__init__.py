"""Persistent stores behind the library: embedding cache, FAISS vectors, BM25 keywords."""
