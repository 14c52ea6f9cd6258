package io.tinysparse.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.cli.CommandRunner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code tinysparse sql} is read-only over the warehouse: writes, DDL and commands are refused
 * before anything runs (exit 2, one line naming the statement kind) and leave the warehouse
 * byte-identical and no {@code spark-warehouse} in the working directory; queries still run; a
 * missing or non-directory warehouse and errors of the query are exit 2 with one line.
 */
class SqlJobTest {
    private static final Path SPARK_WAREHOUSE = SparkSessionsTest.SPARK_WAREHOUSE;

    @TempDir
    Path dir;

    Path warehouse;

    /** What a command printed and returned. */
    record Outcome(int exitCode, String out, String err) {}

    @BeforeEach
    void copyWarehouse() throws IOException {
        warehouse = dir.resolve("wh");
        SchemaVersion1WarehouseTest.copyTree(SchemaVersion1WarehouseTest.FIXTURE, warehouse);
    }

    Outcome sql(String warehousePath, String query) {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            var cl = CommandRunner.commandLine(new SqlJob());
            cl.setErr(new PrintWriter(err));
            int code = cl.execute("--master", "local[1]", "--warehouse", warehousePath, query);
            return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(stdout);
        }
    }

    /** Every file and directory under {@code root} by relative path, with a SHA-256 of each file's bytes. */
    static Map<String, String> listing(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.toList()) {
                out.put(root.relativize(p).toString(), Files.isDirectory(p) ? "dir" : sha256(Files.readAllBytes(p)));
            }
        }
        return out;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            DROP TABLE runs                                                                    | DropTable
            INSERT INTO runs SELECT * FROM runs                                                | InsertIntoStatement
            INSERT OVERWRITE fronts_log SELECT * FROM fronts_log                               | InsertIntoStatement
            INSERT OVERWRITE DIRECTORY '@WH@/fronts' USING parquet SELECT 1                     | InsertIntoDir
            CREATE TABLE copy AS SELECT * FROM runs                                            | CreateTableAsSelect
            CREATE TABLE elsewhere (a INT) USING parquet LOCATION '@WH@/elsewhere'              | CreateTable
            /* only reading */ wItH r AS (SELECT * FROM runs) -- really\\n iNsErT iNtO runs SELECT * FROM r | InsertIntoStatement
            EXPLAIN INSERT INTO runs SELECT * FROM runs                                        | InsertIntoStatement
            SELECT * FROM runs WHERE run_id IN (SELECT run_id FROM runs) AND 1 = (SELECT 1)     | -
            CACHE TABLE runs                                                                   | CacheTable
            SET spark.sql.ansi.enabled=false                                                   | SetCommand
            SELECT TRANSFORM(run_id) USING 'cat' AS (a) FROM runs                              | ScriptTransformation
            SELECT java_method('java.lang.System', 'setProperty', 'k', 'v')                    | function java_method
            """)
    void aStatementThatIsNotAQueryIsRefusedBeforeItRunsAndTheWarehouseStaysByteIdentical(String statement, String kind)
            throws IOException {
        boolean hadSparkWarehouse = Files.exists(SPARK_WAREHOUSE);
        String query = statement.replace("@WH@", warehouse.toString()).replace("\\n", "\n");
        Map<String, String> before = listing(warehouse);

        Outcome o = sql(warehouse.toString(), query);

        assertEquals(before, listing(warehouse));
        if (kind.equals("-")) {
            // the control: a query with subqueries, whose plan nodes are all admitted, runs
            assertEquals(CommandRunner.OK, o.exitCode(), o.err());
        } else {
            assertEquals(CommandRunner.BAD_INPUT, o.exitCode(), o.err());
            assertEquals(1, o.err().strip().lines().count(), o.err());
            assertTrue(o.err().startsWith("tinysparse: error: refused " + kind + ":"), o.err());
            assertEquals("", o.out());
        }
        assertFalse(!hadSparkWarehouse && Files.exists(SPARK_WAREHOUSE), "sql created " + SPARK_WAREHOUSE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            SELECT count(*) AS n FROM runs                                    | 4
            WITH r AS (SELECT DISTINCT run_id FROM runs) SELECT count(*) AS n FROM r | 4
            EXPLAIN SELECT run_id FROM runs WHERE generation = 1               | Project
            DESCRIBE runs                                                     | run_id
            SHOW TABLES                                                       | fronts_log
            SET spark.sql.ansi.enabled                                        | spark.sql.ansi.enabled
            """)
    void queriesStillRunAndPrintTheirResult(String query, String expected) throws IOException {
        boolean hadSparkWarehouse = Files.exists(SPARK_WAREHOUSE);
        Map<String, String> before = listing(warehouse);
        Outcome o = sql(warehouse.toString(), query);
        assertEquals(CommandRunner.OK, o.exitCode(), o.err());
        assertTrue(o.out().contains(expected), o.out());
        assertEquals(before, listing(warehouse));
        // SHOW TABLES opens Spark's default database, which made ./spark-warehouse before
        assertFalse(!hadSparkWarehouse && Files.exists(SPARK_WAREHOUSE), "sql created " + SPARK_WAREHOUSE);
    }

    @Test
    void aMissingWarehouseIsBadInputNamingThePath() {
        Path missing = dir.resolve("no-such-warehouse");
        Outcome o = sql(missing.toString(), "SELECT count(*) FROM runs");
        assertEquals(CommandRunner.BAD_INPUT, o.exitCode(), o.err());
        assertEquals("tinysparse: error: --warehouse '" + missing + "' does not exist", o.err().strip());
        assertFalse(Files.exists(missing));
    }

    @Test
    void aWarehouseThatIsARegularFileIsBadInputNamingThePath() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "not a warehouse\n");
        Outcome o = sql(file.toString(), "SELECT count(*) FROM runs");
        assertEquals(CommandRunner.BAD_INPUT, o.exitCode(), o.err());
        assertEquals("tinysparse: error: --warehouse '" + file + "' is not a directory", o.err().strip());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            SELECT 1/0                                                         | [DIVIDE_BY_ZERO]
            SELECT generation / (generation - generation) FROM runs            | [DIVIDE_BY_ZERO]
            SELEC 1                                                            | [PARSE_SYNTAX_ERROR]
            SELECT no_such_column FROM runs                                    | [UNRESOLVED_COLUMN
            """)
    void anErrorOfTheQueryIsBadInputWithSparksOneLineReason(String query, String errorClass) {
        Outcome o = sql(warehouse.toString(), query);
        assertEquals(CommandRunner.BAD_INPUT, o.exitCode(), o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(o.err().startsWith("tinysparse: error: sql: " + errorClass), o.err());
    }

    @Test
    void aQueryErrorInATaskIsNotLoggedWithItsStackTraceBeforeTheOneLine() {
        List<String> taskFailureLogs = new CopyOnWriteArrayList<>();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        AbstractAppender capture = new AbstractAppender("sql-test-capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                if (SqlJob.TASK_FAILURE_LOGGERS.contains(event.getLoggerName())) {
                    taskFailureLogs.add(event.getLevel() + " " + event.getLoggerName() + ": " + event.getMessage().getFormattedMessage());
                }
            }
        };
        capture.start();
        context.getConfiguration().getRootLogger().addAppender(capture, null, null);
        context.updateLoggers();
        try {
            Outcome o = sql(warehouse.toString(), "SELECT generation / (generation - generation) FROM runs");
            assertEquals(CommandRunner.BAD_INPUT, o.exitCode(), o.err());
            assertEquals(List.of(), taskFailureLogs);
        } finally {
            context.getConfiguration().getRootLogger().removeAppender(capture.getName());
            context.updateLoggers();
            capture.stop();
        }
    }
}
