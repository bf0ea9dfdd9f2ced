"""JDBC connections on the Spark driver, reached through the driver JVM (py4j).

The warehouse commit and the lake's small bookkeeping queries run here, on one connection each,
so that a transaction is exactly what the code below says it is. Values are always bound as
parameters; statement text is never assembled from data.

Batches (the merge statements of a batch, many grains each) are bound inside the JVM by JdbcBatch.java, which
Spark's own Java compiler (Janino) compiles once per run: the rows cross py4j as one JSON text
instead of one call per parameter.
"""

import json
from contextlib import contextmanager
from functools import cache
from importlib.resources import files

# java.sql.Types.NULL: the type given to a NULL parameter.
SQL_TYPE_NULL = 0
# Read as a package resource, so that it is found in a --py-files zip too.
BATCH_SOURCE = files(__package__).joinpath("JdbcBatch.java")


class DriverMissing(Exception):
    """The JDBC driver class is not on the driver's class path."""


class JdbcConnection:
    """One JDBC connection, in auto-commit mode outside ``transaction()``."""

    def __init__(self, gateway, driver_class, url, properties=None):
        self._gateway = gateway
        driver = _driver(gateway.jvm, driver_class)
        props = gateway.jvm.java.util.Properties()
        for name, value in (properties or {}).items():
            props.setProperty(name, value)
        self._connection = driver.connect(url, props)
        if self._connection is None:
            raise ValueError(f"driver {driver_class} does not accept the URL {url}")

    def close(self):
        """Closes the connection; a transaction still open is rolled back by the server."""
        try:
            self._connection.close()
        except Exception:  # the connection may already be broken; closing is best effort
            pass

    @contextmanager
    def transaction(self):
        """Runs the block in one transaction: committed when it returns, rolled back when it raises."""
        self._connection.setAutoCommit(False)
        try:
            yield self
            self._connection.commit()
        except BaseException:
            self._connection.rollback()
            raise
        finally:
            self._connection.setAutoCommit(True)

    def execute(self, sql, parameters=()):
        """Runs one statement and returns the number of rows it changed."""
        statement = self._connection.prepareStatement(sql)
        try:
            _bind(statement, parameters)
            return statement.executeUpdate()
        finally:
            statement.close()

    def execute_batch(self, sql, rows):
        """Runs one statement once per parameter row (ints, floats, strings, None), as a JDBC batch."""
        if rows:
            _compiled_batch_runner(self._gateway).run(self._connection, sql, json.dumps(rows, allow_nan=False))

    def query(self, sql, parameters=()):
        """Runs a query and returns its rows as tuples of Python values."""
        statement = self._connection.prepareStatement(sql)
        try:
            _bind(statement, parameters)
            results = statement.executeQuery()
            width = results.getMetaData().getColumnCount()
            rows = []
            while results.next():
                rows.append(tuple(results.getObject(index) for index in range(1, width + 1)))
            return rows
        finally:
            statement.close()


def _driver(jvm, driver_class):
    """An instance of the driver class, or DriverMissing naming the class."""
    target = jvm
    for part in driver_class.split("."):
        target = getattr(target, part)
    try:
        return target()
    except TypeError as error:  # py4j gives a package, not a class, for a name it cannot load
        raise DriverMissing(f"JDBC driver {driver_class} is not on the class path") from error


@cache
def _compiled_batch_runner(gateway):
    """An instance of JdbcBatch, compiled in the driver JVM on first use."""
    jvm = gateway.jvm
    compiler = jvm.org.codehaus.janino.SimpleCompiler()
    compiler.setParentClassLoader(jvm.java.lang.Thread.currentThread().getContextClassLoader())
    compiler.cook(BATCH_SOURCE.read_text(encoding="utf-8"))
    runner_class = compiler.getClassLoader().loadClass("JdbcBatch")
    no_parameters = gateway.new_array(jvm.java.lang.Class, 0)
    return runner_class.getDeclaredConstructor(no_parameters).newInstance(gateway.new_array(jvm.java.lang.Object, 0))


def _bind(statement, parameters):
    """Binds Python values (int, float, str, None) to the statement's placeholders, in order."""
    for index, value in enumerate(parameters, start=1):
        if value is None:
            statement.setNull(index, SQL_TYPE_NULL)
        elif isinstance(value, bool):
            raise TypeError("booleans are not bound; pass 0 or 1")
        elif isinstance(value, int):
            statement.setLong(index, value)
        elif isinstance(value, float):
            statement.setDouble(index, value)
        elif isinstance(value, str):
            statement.setString(index, value)
        else:
            raise TypeError(f"cannot bind {type(value).__name__} to parameter {index}")
