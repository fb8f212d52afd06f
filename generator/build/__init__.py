"""The build: the MkDocs plugin, its worker process, the theme warm-up, the build that swaps a
finished site into place, and publishing a finished build for the web server."""
