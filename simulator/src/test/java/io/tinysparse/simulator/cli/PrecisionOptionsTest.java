package io.tinysparse.simulator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.simulator.run.Quantization;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code --precision}, {@code --qas} and the calibration options: defaults, the int8 spec, bad input. */
class PrecisionOptionsTest {
    @Command(name = "probe")
    static final class Probe implements Callable<Integer> {
        @Mixin
        PrecisionOptions precision;

        @Override
        public Integer call() {
            return CommandRunner.OK;
        }
    }

    private static PrecisionOptions parse(String... args) {
        Probe p = new Probe();
        new CommandLine(p).parseArgs(args);
        return p.precision;
    }

    @Test
    void fp32IsTheDefaultAndHasNoQuantization() {
        assertNull(parse().quantization("fashion-mnist"));
        assertNull(parse("--precision", "fp32", "--qas", "off").quantization("fashion-mnist"));
    }

    @Test
    void int8DefaultsToQasCalibratedOnTheBackbonesSourceData() {
        assertEquals(new Quantization("int8", true, "fashion-mnist", 256),
                parse("--precision", "int8").quantization("fashion-mnist"));
        assertEquals(new Quantization("int8", false, "cifar10", 64), parse("--precision", "int8", "--qas", "off",
                "--calibration-dataset", "cifar10", "--calibration-samples", "64").quantization("fashion-mnist"));
    }

    @Test
    void qasOnWithFp32IsBadInputNamingIt() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> parse("--qas", "on").quantization("fashion-mnist"));
        assertTrue(e.getMessage().contains("--qas on"), e.getMessage());
    }

    @Test
    void unknownValuesAreBadInputNamingThem() {
        InvalidInputException p = assertThrows(InvalidInputException.class,
                () -> parse("--precision", "int4").quantization("fashion-mnist"));
        assertTrue(p.getMessage().contains("'int4'"), p.getMessage());
        InvalidInputException q = assertThrows(InvalidInputException.class,
                () -> parse("--precision", "int8", "--qas", "yes").quantization("fashion-mnist"));
        assertTrue(q.getMessage().contains("'yes'"), q.getMessage());
        assertThrows(InvalidInputException.class, () -> parse("--precision", "int8").quantization(null));
        assertThrows(InvalidInputException.class,
                () -> parse("--precision", "int8", "--calibration-samples", "0").quantization("mnist"));
        assertThrows(InvalidInputException.class,
                () -> parse("--calibration-samples", "10").quantization("mnist"));
    }
}
