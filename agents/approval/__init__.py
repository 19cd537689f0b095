"""The owner's approval of a drafted reminder: one durable LangGraph thread per draft."""
