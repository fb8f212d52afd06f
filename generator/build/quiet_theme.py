"""Named in mkdocs.yml (`!!python/name:generator.build.quiet_theme.QUIET`), so MkDocs imports it
while it reads the file, before it loads the theme.

Why: Material for MkDocs prints an English end-of-life notice when its `material.templates`
module is imported under `mkdocs`, unless NO_MKDOCS_2_WARNING is set; that import happens when
MkDocs checks `theme:`, before any plugin is loaded. The Makefile exports the variable; this
covers a plain `mkdocs serve` or `mkdocs build` too.
"""

import os

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

QUIET = True
