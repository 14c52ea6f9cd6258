package io.tinysparse.jobs;

import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.results.ResultStore;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tinysparse sql}: Spark SQL over a warehouse, with the views {@code runs},
 * {@code searches}, {@code pareto}, {@code hypervolume} (and the logs {@code searches_log},
 * {@code fronts_log}) registered.
 */
@Command(
        name = "sql",
        mixinStandardHelpOptions = true,
        description = {
            "Runs Spark SQL over a tinysparse warehouse.",
            "Views: runs, searches, pareto, hypervolume, searches_log, fronts_log."
        })
public final class SqlJob implements Callable<Integer> {
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
        SparkSession session = spark.session("tinysparse-sql");
        try {
            new ResultStore(session, spark.warehouse()).registerViews();
            Dataset<Row> result;
            try {
                result = session.sql(String.join(" ", query));
            } catch (Exception e) {
                // Scala throws AnalysisException (ParseException among them) undeclared.
                if (e instanceof AnalysisException) {
                    throw new IllegalArgumentException("SQL rejected: " + ((AnalysisException) e).getSimpleMessage(), e);
                }
                throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
            }
            print(result.limit(limit));
            return CommandRunner.OK;
        } finally {
            session.stop();
        }
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
            default -> rows.show(limit, 60);
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
