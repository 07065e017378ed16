"""cckg: press releases about cross-border law-enforcement cooperation as an RDF knowledge graph.

The package follows the path of a release (README, "Architecture"): the core (``errors``,
``resources``, ``namespaces``, ``identity``, ``model``, ``sparql``, ``formats``);
``ingest`` (``read`` -> ``extract`` -> ``curate`` -> ``map``); ``store``; ``validation``;
``pipeline`` (the ingest orchestration); ``views`` (``query``, ``show``, ``export``, ``serve``);
and ``cli``, a thin layer over them.
"""

__version__ = "0.1.0"
