"""Sentence encoders: the contract (``base``), one module per engine (``sentence_transformers``,
``onnx``), and ``factory.load_encoder`` that picks them.

Importers name the module they need; nothing is re-exported here, so importing the contract
loads no engine.
"""
