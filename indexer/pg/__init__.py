"""PostgreSQL as a shared search backend (``INDEX_URL=postgresql://…``).

The same records, terms and trimming as the Whoosh index (indexer.index, indexer.search), kept
in PostgreSQL so that many portal nodes can read one index: :mod:`.migrations` owns the schema,
:mod:`.vectors` turns a document into its row, :mod:`.sqlquery` turns a parsed query into SQL,
:mod:`.store` is the writer, :mod:`.reader` the security-trimmed read API and
:mod:`.ranking` its relevance ranking.
"""
