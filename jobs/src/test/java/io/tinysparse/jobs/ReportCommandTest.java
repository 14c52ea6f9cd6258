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
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tinysparse report} writes {@code OUT/SEARCH_ID.html} from a warehouse given as a path or
 * a {@code file:} URI, says where, and leaves no temporary file; a search the warehouse does not
 * hold, a missing warehouse and an {@code --out} that is a file or lies under one are bad input
 * (exit 2, one line naming the value) and write nothing.
 */
class ReportCommandTest {
    @TempDir
    static Path shared;

    static Path warehouse;

    @TempDir
    Path dir;

    /** What a command printed and returned. */
    record Outcome(int exitCode, String out, String err) {}

    @BeforeAll
    static void writeSearch() {
        warehouse = shared.resolve("wh");
        ReportSearchFixture.write(warehouse, "halving-1");
    }

    static Outcome report(String... args) {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            var cl = CommandRunner.commandLine(new ReportCommand());
            cl.setErr(new PrintWriter(err));
            int code = cl.execute(Stream.concat(Stream.of("--master", "local[1]"), Stream.of(args)).toArray(String[]::new));
            return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(stdout);
        }
    }

    static List<String> files(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesOnePageNamedAfterTheSearchFromAPathOrAFileUriAndSaysWhere() throws IOException {
        Path out = dir.resolve("reports");
        Outcome plain = report("--search-id", "halving-1", "--warehouse", warehouse.toString(), "--out", out.toString());
        assertEquals(CommandRunner.OK, plain.exitCode(), plain.err());
        Path page = out.resolve("halving-1.html");
        assertTrue(plain.out().strip().endsWith(page.toAbsolutePath().toString()), plain.out());
        assertEquals(List.of("halving-1.html"), files(out), "no temporary file left");
        String html = Files.readString(page);
        assertTrue(html.contains("<title>tinysparse search halving-1</title>") && html.endsWith("</html>\n"));

        Outcome uri = report("--search-id", "halving-1", "--warehouse", warehouse.toUri().toString(), "--out",
                out.toString());
        assertEquals(CommandRunner.OK, uri.exitCode(), uri.err());
        assertEquals(List.of("halving-1.html"), files(out), "the page replaced, nothing beside it");
    }

    @Test
    void aSearchTheWarehouseDoesNotHoldIsBadInputNamingItAndWritesNothing() {
        Path out = dir.resolve("reports");
        Outcome o = report("--search-id", "halving-2", "--warehouse", warehouse.toString(), "--out", out.toString());
        assertEquals(CommandRunner.BAD_INPUT, o.exitCode());
        assertEquals("tinysparse: error: search 'halving-2' is not in warehouse '" + warehouse
                + "' (no committed generation)", o.err().strip());
        assertFalse(Files.exists(out));
        Outcome bad = report("--search-id", "../x", "--warehouse", warehouse.toString(), "--out", out.toString());
        assertEquals(CommandRunner.BAD_INPUT, bad.exitCode());
        assertTrue(bad.err().contains("search id '../x' is invalid"), bad.err());
        Outcome missing = report("--search-id", "halving-1", "--warehouse", dir.resolve("none").toString(), "--out",
                out.toString());
        assertEquals(CommandRunner.BAD_INPUT, missing.exitCode());
        assertEquals("tinysparse: error: --warehouse '" + dir.resolve("none") + "' does not exist", missing.err().strip());
        assertFalse(Files.exists(out));
    }

    @Test
    void anOutThatIsAFileOrLiesUnderOneIsBadInput() throws IOException {
        Path file = Files.writeString(dir.resolve("taken"), "x");
        Outcome o = report("--search-id", "halving-1", "--warehouse", warehouse.toString(), "--out", file.toString());
        assertEquals(CommandRunner.BAD_INPUT, o.exitCode());
        assertEquals("tinysparse: error: --out " + file + " is not a directory", o.err().strip());
        Outcome under = report("--search-id", "halving-1", "--warehouse", warehouse.toString(), "--out",
                file.resolve("reports").toString());
        assertEquals(CommandRunner.BAD_INPUT, under.exitCode());
        assertEquals("tinysparse: error: --out " + file.resolve("reports") + " cannot be created: " + file
                + " is not a directory", under.err().strip());
        assertEquals("x", Files.readString(file));
    }
}
