"""A local stand-in for a Microsoft 365 tenant: SharePoint REST, Entra ID and Graph."""
