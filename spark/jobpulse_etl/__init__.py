"""JobPulse's Spark engine: the exactly-once CDC ETL of the design, on Apache Spark.

The modules, in the order a batch uses them:

- ``config``: command-line arguments, storage URLs, the crash-injection hook;
- ``jdbc``: JDBC connections on the driver, through the Spark JVM;
- ``lake``: the event lake (batch bounds on the driver, the batch's typed values read by Spark);
- ``aggregate``: one batch into per-grain deltas, collected to the driver;
- ``warehouse``: the lease and the one-transaction commit, running the repository's SQL files;
- ``pipeline``: the batch loop, its log lines and its graceful shutdown.
"""
