package io.tinysparse.simulator.cli;

import io.tinysparse.core.cli.CommandRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** A command run in-process the way {@code bin/tinysparse} runs it: exit code, stdout and stderr. */
public record CliRun(int code, String out, String err) {
    /** Runs {@code command} with {@code args}. */
    public static CliRun of(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = CommandRunner.commandLine(command);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
