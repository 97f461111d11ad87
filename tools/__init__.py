"""Development tools: the benchmark and its data. Never imported by ``etickets``."""
