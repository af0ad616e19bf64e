"""Nearest-neighbour indexes of claim vectors: the contract (``base``), one module per engine
(``faiss``, ``pgvector``), and ``factory.create_index_store`` that picks them.

Importers name the module they need; nothing is re-exported here, so importing the contract
loads no engine.
"""
