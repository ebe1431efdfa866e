"""The database: models, engines and transactions, hand-written statements, migrations."""
