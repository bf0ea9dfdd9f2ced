"""JobPulse's Spark engine: the exactly-once CDC ETL of the design, on Apache Spark.

The modules, in the order a batch uses them:

- ``config``: command-line arguments, storage URLs, the crash-injection hook;
- ``jdbc``: JDBC connections on the driver, through the Spark JVM;
- ``lake``: what a lake offers the batch (a plan on the driver, a DataFrame read by the
  executors), and the URL that picks one:
  - ``sqlite_lake``: the embedded lake, over JDBC;
  - ``cassandra_lake``: the Cassandra lake's description and batch plans, on the driver, with
    ``cassandra_connection`` (the DataStax driver's settings), ``cassandra_positions`` (the
    position arithmetic) and ``cassandra_source`` (the Spark data source the executors run);
- ``aggregate``: one batch into per-grain deltas, collected to the driver;
- ``warehouse``: the lease and the one-transaction commit, running the repository's SQL files;
- ``pipeline``: the batch loop, its log lines and its graceful shutdown.
"""
