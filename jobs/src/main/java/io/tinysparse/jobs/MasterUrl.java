package io.tinysparse.jobs;

import io.tinysparse.core.InvalidInputException;
import java.util.regex.Pattern;

/**
 * The form of a Spark master URL, checked on the driver before a SparkSession is built: Spark
 * itself finds a malformed one only while starting its context, and reports it as a failure
 * (exit 1) after a stack trace. The forms are Spark's own ({@code SparkContext}'s
 * {@code createTaskScheduler}): {@code local}, {@code local[N]}, {@code local[*]},
 * {@code local[N,F]}, {@code local-cluster[N,C,M]}, {@code spark://HOST:PORT[,HOST:PORT...]},
 * and the URLs of external cluster managers ({@code yarn}, {@code k8s://...}, any
 * {@code SCHEME://...}), whose reachability stays Spark's to report.
 */
final class MasterUrl {
    private static final Pattern LOCAL = Pattern.compile("local(\\[\\s*([1-9][0-9]*|\\*)\\s*(,\\s*[1-9][0-9]*\\s*)?])?");
    private static final Pattern LOCAL_CLUSTER =
            Pattern.compile("local-cluster\\[\\s*[1-9][0-9]*\\s*,\\s*[1-9][0-9]*\\s*,\\s*[1-9][0-9]*\\s*]");
    private static final Pattern STANDALONE = Pattern.compile("spark://[^\\s:,/]+:[0-9]{1,5}(,[^\\s:,/]+:[0-9]{1,5})*");
    private static final Pattern EXTERNAL = Pattern.compile("yarn|[a-z][a-z0-9+.-]*://\\S+");

    private MasterUrl() {}

    /** {@code url} if it has one of the forms above, else bad input naming it and the forms. */
    static String require(String url) {
        if (url == null || !(LOCAL.matcher(url).matches() || LOCAL_CLUSTER.matcher(url).matches()
                || STANDALONE.matcher(url).matches() || (!url.startsWith("spark:") && EXTERNAL.matcher(url).matches()))) {
            throw new InvalidInputException("--master '" + url + "' is not a Spark master URL (local, local[N], local[*],"
                    + " local[N,F], spark://HOST:PORT, yarn, k8s://URL)");
        }
        return url;
    }
}
