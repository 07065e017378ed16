"""cckg: press releases about cross-border law-enforcement cooperation as an RDF knowledge graph.

The package follows the path of a release: the core (``resources``, ``identity``, ``model``);
``ingest`` (``read`` -> ``extract`` -> ``curate`` -> ``map``); ``store``; ``validation``;
``pipeline`` (the ingest orchestration); ``views`` (``query``, ``show``, ``export``, ``serve``);
and ``cli``, a thin layer over them.
"""

__version__ = "0.1.0"
