"""cckg: press releases about cross-border law-enforcement cooperation as an RDF knowledge graph.

Pipeline, one module per stage:
``reader`` (release text) -> ``extract`` (facts) -> ``resolve`` (identity) -> ``rdfmap`` (RDF)
-> ``store`` -> ``validate`` / ``query`` / ``export``.  ``cli`` is a thin wrapper over them.
"""

__version__ = "0.1.0"
