"""cyberkg: turn UN meeting reports on cybercrime into an RDF knowledge graph.

The package follows the data flow: read a report, extract what it says, build the
graph, validate it, query it, export it, draw its networks. The vocabulary, shapes and
queries it uses are plain .ttl and .rq files (see kg.resources).
"""

__version__ = "0.1.0"
