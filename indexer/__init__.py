"""Mirror SharePoint news and documents into a local search index."""
