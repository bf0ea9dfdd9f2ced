"""JDBC connections on the Spark driver, reached through the driver JVM (py4j).

The warehouse commit and the lake's small bookkeeping queries run here, on one connection each,
so that a transaction is exactly what the code below says it is. Values are always bound as
parameters; statement text is never assembled from data.
"""

from contextlib import contextmanager

# java.sql.Types.NULL: the type given to a NULL parameter.
SQL_TYPE_NULL = 0


class DriverMissing(Exception):
    """The JDBC driver class is not on the driver's class path."""


class JdbcConnection:
    """One JDBC connection, in auto-commit mode outside ``transaction()``."""

    def __init__(self, jvm, driver_class, url, properties=None):
        driver = _driver(jvm, driver_class)
        props = jvm.java.util.Properties()
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
        """Runs one statement once per parameter row, sent as a JDBC batch."""
        if not rows:
            return
        statement = self._connection.prepareStatement(sql)
        try:
            for parameters in rows:
                _bind(statement, parameters)
                statement.addBatch()
            statement.executeBatch()
        finally:
            statement.close()

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
