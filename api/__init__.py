"""The edge: the FastAPI app, its REST routers and the GraphQL schema."""
