"""Built-in tool modules: file system, text, CSV, JSON and SQLite tools, standard library only."""
