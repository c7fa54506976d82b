"""Pages of the decisions app: the public algorithm register and the staff pages of rule sets."""
