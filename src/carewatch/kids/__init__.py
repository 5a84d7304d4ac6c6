"""Kids: the child-safety tracker service (tracker, gateways, store build on this package)."""
