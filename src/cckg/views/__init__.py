"""What people and tools see of the store: named queries, entity cards, graph exports, a SPARQL
endpoint.  Views only read the store."""
