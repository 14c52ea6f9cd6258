package io.tinysparse.jobs;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.results.ResultStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import picocli.CommandLine.Command;
import scala.Console$;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tinysparse sql}: Spark SQL over a warehouse, with the views {@code runs},
 * {@code searches}, {@code pareto}, {@code hypervolume}, {@code dense_reference},
 * {@code run_usage} (and the logs {@code searches_log}, {@code fronts_log}) registered.
 *
 * <p>Read-only: the statement is parsed first and refused (exit 2, naming its kind) unless it is
 * a query ({@link ReadOnlyPlan} has the list), before any view is registered or anything runs.
 * The warehouse must be an existing directory (exit 2 naming the path otherwise), and errors of
 * the query itself (parse, analysis, division by zero under ANSI mode...) are exit 2 with Spark's
 * one-line reason ({@link UserQueryError}).
 */
@Command(
        name = "sql",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a read-only Spark SQL query over a tinysparse warehouse",
            "(SELECT, WITH, VALUES, TABLE, EXPLAIN, DESCRIBE, SHOW, SET without a value; anything else is refused).",
            "Views: runs, searches, pareto, hypervolume, dense_reference, run_usage, searches_log, fronts_log."
        })
public final class SqlJob implements Callable<Integer> {
    /** Loggers that report each failed task, on the driver (and on the executor, in local mode). */
    static final List<String> TASK_FAILURE_LOGGERS =
            List.of("org.apache.spark.executor.Executor", "org.apache.spark.scheduler.TaskSetManager");

    @Mixin
    SparkOptions spark;

    @Option(names = "--format", description = "Output: table, csv or json (default: ${DEFAULT-VALUE}).")
    String format = "table";

    @Option(names = "--limit", description = "Rows to print at most (default: ${DEFAULT-VALUE}).")
    int limit = 100;

    @Parameters(arity = "1..*", paramLabel = "QUERY", description = "The SQL statement (several words are joined).")
    List<String> query;

    @Override
    public Integer call() {
        if (!List.of("table", "csv", "json").contains(format)) {
            throw new IllegalArgumentException("--format '" + format + "' is not one of table, csv, json");
        }
        if (limit < 1) {
            throw new IllegalArgumentException("--limit " + limit + " must be at least 1");
        }
        String sql = String.join(" ", query);
        boolean local = WarehouseLocation.isLocal(spark.warehouse());
        if (local) {
            WarehouseLocation.requireExisting(spark.warehouse(), new Configuration());
        }
        SparkSession session = spark.session("tinysparse-sql");
        try {
            if (!local) {
                WarehouseLocation.requireExisting(spark.warehouse(), session.sparkContext().hadoopConfiguration());
            }
            LogicalPlan plan;
            try {
                plan = session.sessionState().sqlParser().parsePlan(sql);
            } catch (ParseException e) {
                throw UserQueryError.of(e).orElseThrow();
            }
            ReadOnlyPlan.require(plan);
            new ResultStore(session, spark.warehouse()).registerViews();
            Map<String, Level> logLevels = silenceTaskFailureLogs();
            try {
                print(session.sql(sql).limit(limit));
            } catch (Exception e) {
                // Scala throws AnalysisException (checked in Java) undeclared; a task's error arrives wrapped in a SparkException.
                throw UserQueryError.of(e).orElseThrow(() -> e instanceof RuntimeException r ? r : new IllegalStateException(e));
            } finally {
                logLevels.forEach(Configurator::setLevel);
            }
            return CommandRunner.OK;
        } finally {
            session.stop();
        }
    }

    /**
     * Turns off Spark's logs of a failed task (the executor's ERROR with the stack trace, the
     * scheduler's WARN and ERROR), which a query's own error such as a division by zero in a row
     * would print before the command's one line: the command reports the failure itself, with
     * the trace under TINYSPARSE_DEBUG. Returns the levels to restore.
     */
    private static Map<String, Level> silenceTaskFailureLogs() {
        Map<String, Level> previous = new LinkedHashMap<>();
        for (String logger : TASK_FAILURE_LOGGERS) {
            previous.put(logger, LogManager.getLogger(logger).getLevel());
            Configurator.setLevel(logger, Level.OFF);
        }
        return previous;
    }

    private void print(Dataset<Row> rows) {
        switch (format) {
            case "csv" -> {
                System.out.println(String.join(",", rows.columns()));
                for (Row r : rows.collectAsList()) {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < r.length(); i++) {
                        if (i > 0) {
                            sb.append(',');
                        }
                        sb.append(csv(r.get(i)));
                    }
                    System.out.println(sb);
                }
            }
            case "json" -> rows.toJSON().collectAsList().forEach(System.out::println);
            // show() prints to Scala's Console, which keeps the System.out of the JVM's first use of it
            default -> Console$.MODULE$.withOut(System.out, () -> {
                rows.show(limit, 60);
                return null;
            });
        }
    }

    private static String csv(Object v) {
        if (v == null) {
            return "";
        }
        String s = v.toString();
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    public static void main(String[] args) {
        CommandRunner.main(new SqlJob(), args);
    }
}
