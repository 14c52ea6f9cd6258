package io.tinysparse.core.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * The range a numeric option's value must lie in, checked as picocli sets it (from a flag, a
 * defaults file or the declared default), so a value out of range is bad input (exit 2) before
 * the command does any work. The message names the option and the value as given, e.g.
 * {@code --epochs NaN must be a finite number > 0}; NaN and the infinities are outside every
 * range of a {@code double}.
 */
public final class OptionRange {
    private OptionRange() {}

    /** {@code value} if it is at least {@code min}, else bad input naming {@code option} of {@code command}. */
    public static int atLeast(CommandSpec command, String option, int value, int min) {
        if (value < min) {
            throw outside(command, option, Integer.toString(value), ">= " + min);
        }
        return value;
    }

    /** {@code value} if it is a finite number greater than 0, else bad input naming {@code option}. */
    public static double positive(CommandSpec command, String option, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw outside(command, option, shown(value), "a finite number > 0");
        }
        return value;
    }

    /** {@code value} if it is a finite number of at least 0, else bad input naming {@code option}. */
    public static double nonNegative(CommandSpec command, String option, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw outside(command, option, shown(value), "a finite number >= 0");
        }
        return value;
    }

    /** {@code value} if it lies in [{@code low}, {@code high}), else bad input naming {@code option}. */
    public static double inHalfOpen(CommandSpec command, String option, double value, double low, double high) {
        if (!(value >= low && value < high)) {
            throw outside(command, option, shown(value), "in [" + low + ", " + high + ")");
        }
        return value;
    }

    /** A double as a user would have typed it: {@code -1}, not {@code -1.0}. */
    private static String shown(double value) {
        return value == Math.rint(value) && !Double.isInfinite(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value) : Double.toString(value);
    }

    private static ParameterException outside(CommandSpec command, String option, String value, String range) {
        OptionSpec spec = command.findOption(option);
        if (spec == null) {
            throw new IllegalStateException(command.name() + " has no option " + option);
        }
        return new ParameterException(command.commandLine(), option + " " + value + " must be " + range, spec, value);
    }
}
