"""The pure stages that turn a release file into the RDF graph of that release (no store).

``read`` (text, markdown or HTML -> :class:`~cckg.ingest.read.Release`) -> ``extract`` (the typed
facts of :mod:`cckg.model`) -> ``curate`` (people's judgements) -> ``map`` (facts -> RDF).
"""
