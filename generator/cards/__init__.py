"""Print cards and posters: card definitions in content/cards/ -> data -> Typst -> PDF."""
