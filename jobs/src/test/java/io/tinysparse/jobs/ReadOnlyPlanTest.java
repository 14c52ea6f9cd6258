package io.tinysparse.jobs;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.SparkSqlParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whitelist of {@link ReadOnlyPlan} on plans from Spark's SQL parser (no session: parsing
 * needs none): every form of query and inspection statement is admitted, and every write, DDL,
 * command or code-running construct is refused naming its kind, however it is wrapped. (The
 * writes of issue 12, end to end on a warehouse, are in {@link SqlJobTest}.)
 */
class ReadOnlyPlanTest {
    private static LogicalPlan parse(String sql) throws Exception {
        return new SparkSqlParser().parsePlan(sql);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT count(*) FROM runs",
        "SELECT a, count(*) FROM runs r JOIN fronts_log f ON r.x = f.y WHERE a > 1 GROUP BY a HAVING count(*) > 1 ORDER BY a LIMIT 5 OFFSET 2",
        "WITH x AS (SELECT * FROM runs) SELECT * FROM x",
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r",
        "SELECT * FROM runs WHERE a IN (SELECT b FROM t) AND EXISTS (SELECT 1 FROM u)",
        "SELECT (SELECT max(a) FROM t) AS m",
        "SELECT * FROM runs UNION ALL SELECT * FROM runs INTERSECT SELECT * FROM runs EXCEPT SELECT * FROM runs",
        "SELECT DISTINCT a FROM runs",
        "SELECT * FROM VALUES (1, 2), (3, 4) AS t(a, b)",
        "VALUES (1)",
        "TABLE runs",
        "FROM runs SELECT a",
        "SELECT * FROM range(10)",
        "SELECT * FROM runs TABLESAMPLE (10 PERCENT)",
        "SELECT a, rank() OVER w FROM runs WINDOW w AS (ORDER BY a)",
        "SELECT * FROM runs LATERAL VIEW explode(m) t AS x",
        "SELECT * FROM runs, LATERAL (SELECT a)",
        "SELECT * FROM (SELECT 1 a) PIVOT (sum(a) FOR a IN (1, 2))",
        "SELECT * FROM t UNPIVOT (v FOR k IN (a, b))",
        "SELECT /*+ BROADCAST(r) */ * FROM runs r",
        "SELECT * FROM runs DISTRIBUTE BY a SORT BY a",
        "SELECT a FROM runs GROUP BY ROLLUP(a)",
        "SELECT a, b FROM t QUALIFY rank() OVER (ORDER BY a) = 1",
        "FROM runs |> WHERE a > 1 |> SELECT a",
        "SELECT * FROM IDENTIFIER('runs')",
        "EXPLAIN EXTENDED SELECT * FROM runs",
        "DESCRIBE TABLE EXTENDED runs",
        "DESCRIBE runs run_id",
        "DESCRIBE QUERY SELECT * FROM runs",
        "DESCRIBE FUNCTION abs",
        "DESCRIBE DATABASE default",
        "SHOW TABLES",
        "SHOW TABLE EXTENDED LIKE 'r*'",
        "SHOW VIEWS",
        "SHOW COLUMNS IN runs",
        "SHOW FUNCTIONS",
        "SHOW DATABASES",
        "SHOW CATALOGS",
        "SHOW CURRENT NAMESPACE",
        "SHOW CREATE TABLE runs",
        "SHOW TBLPROPERTIES runs",
        "SHOW PARTITIONS runs",
        "SET",
        "SET -v",
        "SET spark.sql.ansi.enabled"})
    void aQueryOrInspectionStatementIsAdmitted(String sql) throws Exception {
        LogicalPlan plan = parse(sql);
        assertDoesNotThrow(() -> ReadOnlyPlan.require(plan));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            /* c */ wItH x AS (SELECT 1) iNsErT InTo runs SELECT * FROM x        | InsertIntoStatement
            DESCRIBE QUERY WITH x AS (SELECT 1) SELECT TRANSFORM(a) USING 'sh' FROM x | ScriptTransformation
            SELECT * FROM runs WHERE a IN (SELECT TRANSFORM(b) USING 'sh' FROM t) | ScriptTransformation
            SELECT reflect('java.lang.System', 'getProperty', 'user.home')       | function reflect
            SELECT * FROM runs WHERE a = (SELECT try_reflect('a.B', 'c'))        | function try_reflect
            CREATE TEMP VIEW v AS SELECT 1                                       | CreateViewCommand
            CACHE LAZY TABLE c AS SELECT 1                                       | CacheTableAsSelect
            UNCACHE TABLE runs                                                   | UncacheTable
            CLEAR CACHE                                                          | ClearCacheCommand
            RESET                                                                | ResetCommand
            USE default                                                          | SetCatalogAndNamespace
            ADD JAR /tmp/x.jar                                                   | AddJarsCommand
            CREATE TEMPORARY FUNCTION f AS 'x.Y'                                 | CreateFunctionCommand
            REFRESH TABLE runs                                                   | RefreshTable
            ANALYZE TABLE runs COMPUTE STATISTICS                                | AnalyzeTable
            DECLARE VARIABLE v INT                                               | CreateVariable
            SET VAR v = 1                                                        | SetVariable
            EXECUTE IMMEDIATE 'INSERT INTO runs SELECT 1'                         | UnresolvedExecuteImmediate
            BEGIN SELECT 1; END                                                  | CompoundBody
            TRUNCATE TABLE runs                                                  | TruncateTable
            DELETE FROM runs WHERE a = 1                                         | DeleteFromTable
            MERGE INTO runs USING t ON runs.a = t.a WHEN MATCHED THEN DELETE     | MergeIntoTable
            LOAD DATA LOCAL INPATH '/tmp/x' INTO TABLE runs                      | LoadData
            MSCK REPAIR TABLE runs                                               | RepairTable
            SELECT * FROM IDENTIFIER(table_name)                                 | PlanWithUnresolvedIdentifier
            """)
    void aWriteDdlCommandOrCodeRunningStatementIsRefusedNamingItsKind(String sql, String kind) throws Exception {
        LogicalPlan plan = parse(sql);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ReadOnlyPlan.require(plan));
        assertTrue(e.getMessage().startsWith("refused " + kind + ": "), e.getMessage());
    }
}
