"""Render a validated Handbook into Markdown pages (Jinja2 templates in overrides/handbook/).

Nothing here imports MkDocs: the MkDocs plugin and any later renderer call `render_pages`.
"""
