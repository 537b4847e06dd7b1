"""SRU (Search/Retrieve via URL) 1.1, 1.2 and 2.0 server over the catalogue search service, with a CQL parser."""
