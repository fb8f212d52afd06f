"""The editors' tools: `handbook fmt`, `new` (scaffold), `review`, `schema` and `audit`."""
