"""Redis storage: key builders, the Lua scripts that change state, and readers."""
