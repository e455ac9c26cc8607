"""Collection: the only stage that talks to AWS (one account, an organisation, imports)."""
