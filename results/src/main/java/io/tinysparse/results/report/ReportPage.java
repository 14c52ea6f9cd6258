package io.tinysparse.results.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The HTML report of one search: a single self-contained page (its style, the charting library,
 * the data and its script inline; nothing fetched), built from a {@link SearchReport}.
 *
 * <p>The page holds the data as JSON in a {@code <script type="application/json">} element and
 * draws everything from it in the browser ({@code report.js} beside this class): one
 * accuracy-vs-SRAM panel per fidelity level (every run, faded, coloured by channel selection; the
 * front highlighted; the SRAM budget as a line; each point's policy on hover), hypervolume per
 * generation (as the fraction of the reference box), the chosen front member's per-layer SRAM at
 * the arena peak by buffer kind, its validation curve and figures, and the table of the front.
 *
 * <p>Escaping: every value that comes from the warehouse (search ids, policies, the
 * configuration) reaches the page either HTML-escaped ({@link #html}) or inside the JSON, where
 * {@code <}, {@code >}, {@code &} and the JavaScript line separators are written as {@code \\uXXXX}
 * escapes, so no value can close the script element or start markup; the script puts values into
 * the document as text, and into chart tooltips HTML-escaped.
 *
 * <p>Each chart records, once ECharts has finished drawing it, the number of data points it
 * drew in its element's {@code data-points} attribute, and any script error is recorded in the
 * {@code data-errors} attribute of the {@code <html>} element: what a headless browser test reads.
 */
public final class ReportPage {
    private static final ObjectMapper SCRIPT_SAFE_JSON = new ObjectMapper();

    static {
        SCRIPT_SAFE_JSON.getFactory().setCharacterEscapes(new ScriptSafeEscapes());
    }

    private ReportPage() {}

    /**
     * The page.
     *
     * @param report      the search's records
     * @param charts      the charting library to inline
     * @param generatedBy what made the page (e.g. {@code tinysparse 0.1.0 (commit abc)}), shown in its footer
     * @param generatedAt when
     */
    public static String render(SearchReport report, EChartsLibrary charts, String generatedBy, Instant generatedAt) {
        ObjectNode data = report.toJson();
        data.put("generated_by", generatedBy);
        data.put("generated_at", generatedAt.toString());
        data.put("echarts_version", charts.version());
        String id = html(report.searchId());
        boolean time = report.timeReferenceMs() != null;
        StringBuilder page = new StringBuilder(charts.script().length() + 65_536);
        page.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>tinysparse search ").append(id).append("</title>\n")
                .append("<style>\n").append(resource("report.css")).append("</style>\n")
                .append("</head>\n<body>\n")
                .append("<header><h1>Search <span class=\"id\">").append(id).append("</span></h1>")
                .append("<p id=\"summary\"></p></header>\n")
                .append("<main>\n")
                .append("<section id=\"fronts\"><h2>Accuracy vs peak SRAM").append(time ? " and device time" : "")
                .append("</h2>")
                .append("<p class=\"note\">Every run of the search (faded), coloured by channel selection; the front"
                        + " highlighted (diamonds: ties, within the noise of a member that dominates them in means);"
                        + " the device's SRAM budget as a line.")
                .append(time ? " Device time per training step is the third objective: the front is the policies no"
                        + " other beats in accuracy, SRAM and time at once, so a member may look dominated in one"
                        + " projection and be faster (right panel) or smaller (left panel) than those above it." : "")
                .append(" Hover a point for its policy; click a front member to show it below.</p></section>\n")
                .append("<section><h2>Hypervolume per generation</h2>")
                .append("<p class=\"note\">").append(time ? "Volume" : "Area")
                .append(" dominated by the front (mean accuracies of its non-tied members) as a fraction of the box"
                        + " accuracy 0..1 x 0..budget bytes")
                .append(time ? " x 0..the device time of a dense training step (every layer trained)" : "")
                .append(".</p>")
                .append("<div class=\"chart\" id=\"hypervolume-chart\"></div></section>\n")
                .append("<section id=\"member\"><h2>Front member</h2>")
                .append("<label for=\"member-select\">Member: </label><select id=\"member-select\"></select>")
                .append("<p id=\"member-policy\" class=\"policy\"></p><dl id=\"member-figures\"></dl>")
                .append("<div class=\"row\"><div class=\"chart half\" id=\"breakdown-chart\"></div>")
                .append("<div class=\"chart half\" id=\"curve-chart\"></div></div></section>\n")
                .append("<section><h2>The front</h2><div id=\"front-tables\"></div></section>\n")
                .append("<section><details><summary>Search configuration</summary><pre id=\"config\"></pre>")
                .append("</details></section>\n")
                .append("</main>\n<footer id=\"footer\"></footer>\n")
                .append("<script type=\"application/json\" id=\"report-data\">").append(scriptSafeJson(data))
                .append("</script>\n")
                .append("<script>\n").append(resource("error-capture.js")).append("</script>\n")
                .append("<script>\n").append(charts.script()).append("\n</script>\n")
                .append("<script>\n").append(resource("report.js")).append("</script>\n")
                .append("</body>\n</html>\n");
        return page.toString();
    }

    /** {@code s} as HTML text or attribute value: {@code & < > " '} escaped. */
    static String html(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** {@code data} as JSON that can stand inside a script element (see the class comment). */
    static String scriptSafeJson(ObjectNode data) {
        try {
            return SCRIPT_SAFE_JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("report data cannot be written as JSON", e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = ReportPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("report resource " + name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read report resource " + name, e);
        }
    }

    /** Jackson's escapes plus {@code < > &} and U+2028/U+2029 as {@code \\uXXXX}. */
    private static final class ScriptSafeEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] escapes = standardAsciiEscapesForJSON();

        ScriptSafeEscapes() {
            escapes['<'] = ESCAPE_STANDARD;
            escapes['>'] = ESCAPE_STANDARD;
            escapes['&'] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return escapes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if (ch == 0x2028 || ch == 0x2029) {
                return new SerializedString(String.format("\\u%04x", ch));
            }
            return null;
        }
    }
}
