"""A thin client over Office365-REST-Python-Client for the SharePoint Online the indexer reads.

``auth`` fetches app-only tokens, ``http`` retries under the library, ``client`` offers one
method per resource and delegates to ``sites``, ``libraries``, ``items``, ``files``,
``changes`` and ``permissions``. Errors are named in ``errors``, constants live in
``constants``.
"""
