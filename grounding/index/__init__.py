"""Vector indexes behind one interface (base.VectorIndex): FAISS (flat / HNSW / IVF) and exact NumPy."""
