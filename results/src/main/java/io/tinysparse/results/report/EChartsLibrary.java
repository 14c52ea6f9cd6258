package io.tinysparse.results.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;

/**
 * Apache ECharts, the charting library the report inlines, read from the WebJar
 * {@code org.webjars.npm:echarts} on the classpath (its minified browser bundle,
 * {@code META-INF/resources/webjars/echarts/VERSION/dist/echarts.min.js}), so that a report opens
 * from disk without a network and the library comes from a Maven artifact, not from a copy in
 * this repository. The version is the WebJar's own ({@code pom.properties}), so upgrading the
 * dependency needs no code change.
 *
 * @param version the ECharts version, e.g. {@code 5.3.1}
 * @param script  the minified library, safe to place inside a {@code <script>} element
 */
public record EChartsLibrary(String version, String script) {
    private static final String POM_PROPERTIES = "META-INF/maven/org.webjars.npm/echarts/pom.properties";

    /**
     * Checks that {@code script} can be inlined: an HTML parser ends a script element at the
     * first {@code </script} and changes state at {@code <!--}, whatever the JavaScript around it.
     */
    public EChartsLibrary {
        String lower = script.toLowerCase(Locale.ROOT);
        if (lower.contains("</script") || lower.contains("<!--")) {
            throw new IllegalStateException("ECharts " + version + " contains '</script' or '<!--' and cannot be"
                    + " inlined in a script element");
        }
    }

    /**
     * The library from the classpath.
     *
     * @throws IllegalStateException when the WebJar is not on the classpath (a packaging error)
     */
    public static EChartsLibrary fromClasspath() {
        ClassLoader loader = EChartsLibrary.class.getClassLoader();
        Properties pom = new Properties();
        try (InputStream in = loader.getResourceAsStream(POM_PROPERTIES)) {
            if (in == null) {
                throw new IllegalStateException("the ECharts WebJar (org.webjars.npm:echarts) is not on the classpath: "
                        + POM_PROPERTIES + " not found");
            }
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + POM_PROPERTIES, e);
        }
        String version = pom.getProperty("version");
        String path = "META-INF/resources/webjars/echarts/" + version + "/dist/echarts.min.js";
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the ECharts WebJar " + version + " has no " + path);
            }
            return new EChartsLibrary(version, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
