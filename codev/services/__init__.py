"""The writes of codev: groups and their members (``groups``), their séances
(``sessions``), CODEV cases, advice and commitments (``cases``)."""
