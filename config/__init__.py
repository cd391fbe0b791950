"""Settings from the environment and hall definitions from YAML."""
