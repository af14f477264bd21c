"""Organisation audits (extra `[audit]`): one Dask task per repository, a SQLite store written
only by the client, and reports made from the store. Nothing on the scan or hook path imports
this package."""
