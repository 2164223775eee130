# Daemon tests (config, control socket, notify).
