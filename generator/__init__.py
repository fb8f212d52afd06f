"""Samhandlingshåndboka: content/ YAML -> validated model -> handbook site and print cards."""

import os

# Why: pydantic looks for plugins by scanning the metadata of every installed package the first
# time a model is built (~20 ms). We use no pydantic plugins, and `handbook validate` runs on
# every save. setdefault, so anyone who needs a plugin can still set the variable.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
