"""Publishing the graph to where others read it; one module per target."""
