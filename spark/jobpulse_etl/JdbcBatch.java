/**
 * Runs one SQL statement once per parameter row, as one JDBC batch, binding the parameters inside
 * the JVM: from Python every setter would be a py4j round trip, and a merge statement binds 17 per
 * grain of up to 1,024 grains. Compiled when the job starts with Janino, the compiler Spark itself ships (see jdbc.py).
 */
public class JdbcBatch {
    /**
     * @param rowsJson a JSON array of parameter rows, each an array of numbers, strings and nulls
     *                 in placeholder order
     * @return the number of rows run
     */
    public int run(java.sql.Connection connection, String sql, String rowsJson) throws Exception {
        Object[][] rows = (Object[][]) new com.fasterxml.jackson.databind.ObjectMapper().readValue(rowsJson, Object[][].class);
        java.sql.PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int row = 0; row < rows.length; row++) {
                for (int index = 0; index < rows[row].length; index++) {
                    statement.setObject(index + 1, rows[row][index]);
                }
                statement.addBatch();
            }
            statement.executeBatch();
        } finally {
            statement.close();
        }
        return rows.length;
    }
}
