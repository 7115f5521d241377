"""The console's side of the portal admin API: wire models, typed errors and the client."""
