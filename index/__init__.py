"""Turning policy documents into a searchable library: loaders, 公文 structure, chunks, stores."""
