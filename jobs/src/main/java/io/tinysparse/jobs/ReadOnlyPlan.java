package io.tinysparse.jobs;

import io.tinysparse.core.InvalidInputException;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.catalyst.analysis.CurrentNamespace$;
import org.apache.spark.sql.catalyst.analysis.UnresolvedFunction;
import org.apache.spark.sql.catalyst.analysis.UnresolvedFunctionName;
import org.apache.spark.sql.catalyst.analysis.UnresolvedHaving;
import org.apache.spark.sql.catalyst.analysis.UnresolvedInlineTable;
import org.apache.spark.sql.catalyst.analysis.UnresolvedNamespace;
import org.apache.spark.sql.catalyst.analysis.UnresolvedQualify;
import org.apache.spark.sql.catalyst.analysis.UnresolvedRelation;
import org.apache.spark.sql.catalyst.analysis.UnresolvedSubqueryColumnAliases;
import org.apache.spark.sql.catalyst.analysis.UnresolvedTVFAliases;
import org.apache.spark.sql.catalyst.analysis.UnresolvedTable;
import org.apache.spark.sql.catalyst.analysis.UnresolvedTableOrView;
import org.apache.spark.sql.catalyst.analysis.UnresolvedTableValuedFunction;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.PipeOperator;
import org.apache.spark.sql.catalyst.plans.logical.Aggregate;
import org.apache.spark.sql.catalyst.plans.logical.DescribeColumn;
import org.apache.spark.sql.catalyst.plans.logical.DescribeFunction;
import org.apache.spark.sql.catalyst.plans.logical.DescribeNamespace;
import org.apache.spark.sql.catalyst.plans.logical.DescribeRelation;
import org.apache.spark.sql.catalyst.plans.logical.Distinct;
import org.apache.spark.sql.catalyst.plans.logical.Except;
import org.apache.spark.sql.catalyst.plans.logical.Filter;
import org.apache.spark.sql.catalyst.plans.logical.Generate;
import org.apache.spark.sql.catalyst.plans.logical.GlobalLimit;
import org.apache.spark.sql.catalyst.plans.logical.Intersect;
import org.apache.spark.sql.catalyst.plans.logical.Join;
import org.apache.spark.sql.catalyst.plans.logical.LateralJoin;
import org.apache.spark.sql.catalyst.plans.logical.LocalLimit;
import org.apache.spark.sql.catalyst.plans.logical.LocalRelation;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Offset;
import org.apache.spark.sql.catalyst.plans.logical.OneRowRelation;
import org.apache.spark.sql.catalyst.plans.logical.Pivot;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.catalyst.plans.logical.RepartitionByExpression;
import org.apache.spark.sql.catalyst.plans.logical.Sample;
import org.apache.spark.sql.catalyst.plans.logical.ShowColumns;
import org.apache.spark.sql.catalyst.plans.logical.ShowCreateTable;
import org.apache.spark.sql.catalyst.plans.logical.ShowFunctions;
import org.apache.spark.sql.catalyst.plans.logical.ShowPartitions;
import org.apache.spark.sql.catalyst.plans.logical.ShowTableProperties;
import org.apache.spark.sql.catalyst.plans.logical.ShowTables;
import org.apache.spark.sql.catalyst.plans.logical.ShowTablesExtended;
import org.apache.spark.sql.catalyst.plans.logical.ShowViews;
import org.apache.spark.sql.catalyst.plans.logical.Sort;
import org.apache.spark.sql.catalyst.plans.logical.SubqueryAlias;
import org.apache.spark.sql.catalyst.plans.logical.Union;
import org.apache.spark.sql.catalyst.plans.logical.UnresolvedHint;
import org.apache.spark.sql.catalyst.plans.logical.UnresolvedWith;
import org.apache.spark.sql.catalyst.plans.logical.Unpivot;
import org.apache.spark.sql.catalyst.plans.logical.WithWindowDefinition;
import org.apache.spark.sql.execution.command.DescribeQueryCommand;
import org.apache.spark.sql.execution.command.ExplainCommand;
import org.apache.spark.sql.execution.command.SetCommand;
import org.apache.spark.sql.execution.command.ShowCatalogsCommand;
import org.apache.spark.sql.execution.command.ShowCurrentNamespaceCommand;
import org.apache.spark.sql.execution.command.ShowNamespacesCommand;
import scala.collection.Iterator;

/**
 * The statements {@code tinysparse sql} runs: read-only queries over the warehouse, decided on
 * the plan Spark's parser makes of the text (so comments, letter case and CTEs change nothing),
 * before anything is analysed or executed.
 *
 * <p>The check is a whitelist of parsed-plan node classes, matched exactly (a subclass is not
 * admitted): every node of the plan, including CTE definitions, subqueries in expressions and
 * the statement under {@code EXPLAIN} or {@code DESCRIBE QUERY}, must be one of
 * <ul>
 *   <li>query operators: projection, filter, aggregate, join (lateral too), sort, limit, offset,
 *       distinct, set operations, aliases, inline tables and {@code VALUES}, table-valued functions,
 *       sampling, generators ({@code LATERAL VIEW}), windows, pivot and unpivot, hints,
 *       {@code DISTRIBUTE/CLUSTER BY}, {@code WITH} (recursive too), {@code QUALIFY}, pipe syntax;</li>
 *   <li>relation and name references: tables or views, namespaces, functions;</li>
 *   <li>inspection statements: {@code EXPLAIN}, {@code DESCRIBE} (table, column, function,
 *       namespace, query), {@code SHOW} (tables, table extended, views, columns, functions,
 *       create table, table properties, partitions, namespaces, catalogs, current namespace),
 *       and {@code SET} / {@code SET key} / {@code SET -v}, which read the configuration.</li>
 * </ul>
 * Everything else is refused, naming the first node (from the root) that is not on the list:
 * every write, DDL and command ({@code INSERT}, {@code INSERT OVERWRITE DIRECTORY}, CTAS,
 * {@code CREATE TABLE ... LOCATION}, {@code DROP}, {@code CACHE}, {@code SET key=value},
 * {@code ADD JAR}, {@code CREATE FUNCTION}, variables, SQL scripts, {@code EXECUTE IMMEDIATE},
 * {@code CALL}), and also {@code SELECT TRANSFORM} (it runs an external program) and
 * {@code IDENTIFIER(...)} clauses whose name is not a literal (their plan is built only during
 * analysis; {@code IDENTIFIER('runs')} is resolved by the parser and admitted). A Spark upgrade that
 * adds a query operator is refused until it is added here, which is the point of a whitelist.
 *
 * <p>Functions are not whitelisted (Spark has hundreds and none writes); the reflection
 * functions {@code reflect}, {@code java_method} and {@code try_reflect}, which call arbitrary
 * static Java methods, are refused.
 */
public final class ReadOnlyPlan {
    /** Node classes admitted anywhere in the plan. */
    private static final Set<Class<?>> ADMITTED = Set.of(
            // query operators
            Project.class, Filter.class, Aggregate.class, UnresolvedHaving.class, UnresolvedQualify.class,
            Join.class, LateralJoin.class, Sort.class, GlobalLimit.class, LocalLimit.class, Offset.class,
            Distinct.class, Union.class, Intersect.class, Except.class, SubqueryAlias.class,
            UnresolvedSubqueryColumnAliases.class, LocalRelation.class, OneRowRelation.class,
            UnresolvedInlineTable.class, UnresolvedTableValuedFunction.class, UnresolvedTVFAliases.class,
            Sample.class, Generate.class, WithWindowDefinition.class, Pivot.class, Unpivot.class,
            UnresolvedHint.class, RepartitionByExpression.class, UnresolvedWith.class, PipeOperator.class,
            // references
            UnresolvedRelation.class, UnresolvedTableOrView.class, UnresolvedTable.class,
            UnresolvedNamespace.class, CurrentNamespace$.class, UnresolvedFunctionName.class,
            // inspection
            ExplainCommand.class, DescribeQueryCommand.class, DescribeRelation.class, DescribeColumn.class,
            DescribeFunction.class, DescribeNamespace.class, ShowTables.class, ShowTablesExtended.class,
            ShowViews.class, ShowColumns.class, ShowFunctions.class, ShowCreateTable.class,
            ShowTableProperties.class, ShowPartitions.class, ShowNamespacesCommand.class,
            ShowCatalogsCommand.class, ShowCurrentNamespaceCommand.class, SetCommand.class);

    /** Functions refused inside any expression: they call static Java methods by name. */
    private static final Set<String> REFUSED_FUNCTIONS = Set.of("reflect", "java_method", "try_reflect");

    private static final String ADMITTED_KINDS =
            "sql runs only read-only queries (SELECT, WITH, VALUES, TABLE, EXPLAIN, DESCRIBE, SHOW, SET without a value)";

    private ReadOnlyPlan() {}

    /**
     * Returns {@code plan} if it is a read-only query as defined above.
     *
     * @param plan the unanalysed plan of one statement, from Spark's SQL parser
     * @throws InvalidInputException naming the statement kind (the class of the first refused node)
     */
    public static LogicalPlan require(LogicalPlan plan) {
        check(plan);
        return plan;
    }

    private static void check(LogicalPlan plan) {
        if (!ADMITTED.contains(plan.getClass())) {
            throw refused(kind(plan), "it is not a query");
        }
        if (plan instanceof SetCommand set && set.kv().isDefined() && set.kv().get()._2().isDefined()) {
            throw refused(kind(plan), "SET " + set.kv().get()._1() + "=... changes the configuration");
        }
        if (plan instanceof ExplainCommand explain) {
            check(explain.logicalPlan());
        } else if (plan instanceof DescribeQueryCommand describe) {
            check(describe.plan());
        }
        Iterator<Expression> expressions = plan.expressions().iterator();
        while (expressions.hasNext()) {
            checkFunctions(expressions.next());
        }
        // children, then CTE definitions and subqueries (innerChildren holds both, subqueries() the latter)
        for (Iterator<?> nodes = plan.children().iterator(); nodes.hasNext(); ) {
            check((LogicalPlan) nodes.next());
        }
        for (Iterator<?> nodes = plan.innerChildren().iterator(); nodes.hasNext(); ) {
            Object node = nodes.next();
            if (!(node instanceof LogicalPlan inner)) {
                throw refused(kind(node), "it is not a query");
            }
            check(inner);
        }
        for (Iterator<LogicalPlan> nodes = plan.subqueries().iterator(); nodes.hasNext(); ) {
            check(nodes.next());
        }
    }

    private static void checkFunctions(Expression e) {
        if (e instanceof UnresolvedFunction f) {
            String name = f.nameParts().last().toLowerCase(Locale.ROOT);
            if (REFUSED_FUNCTIONS.contains(name)) {
                throw refused("function " + name, "it calls Java methods");
            }
        }
        for (Iterator<Expression> children = e.children().iterator(); children.hasNext(); ) {
            checkFunctions(children.next());
        }
    }

    /** A node's statement kind as printed: its class's simple name, without Scala's {@code $} for objects. */
    private static String kind(Object node) {
        String name = node.getClass().getSimpleName();
        return name.endsWith("$") ? name.substring(0, name.length() - 1) : name;
    }

    private static InvalidInputException refused(String kind, String reason) {
        return new InvalidInputException("refused " + kind + ": " + reason + "; " + ADMITTED_KINDS + "; nothing was executed");
    }
}
