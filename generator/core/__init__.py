"""The content core: load → validate → regions → handbook → editions.

YAML files become checked pydantic models with the position of every value (`yaml_loader`,
`model`, `schema_errors`), regions apply their changes to what they inherit (`regions`), the
files become one Handbook indexed by id (`handbook`), `pipeline` runs it all with the checks
(`generator.checks`), and `editions` makes the public or internal view the renderers see.
Nothing here imports a renderer or MkDocs.
"""
