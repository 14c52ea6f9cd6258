package io.tinysparse.core.cli;

import io.tinysparse.core.InvalidInputException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where a command's options take their values from when they are not given on the command line
 * (or in an {@code @file}, which picocli expands into the command line): first a
 * {@link DefaultsFile} ({@code --defaults FILE} before {@code $TINYSPARSE_DEFAULTS}), then a
 * preset the command selected (e.g. {@code search --quick}), then the option's own
 * {@code defaultValue}, which is the one place each default is declared. {@code --help} prints
 * the value that applies.
 *
 * <p>One instance per command: picocli applies defaults after it has parsed a command's
 * arguments, so {@code --defaults} and a preset flag take effect wherever they stand on the line.
 */
public final class OptionDefaults implements IDefaultValueProvider {
    /** The option that names a defaults file, on every command {@link #install installed} on. */
    public static final String OPTION = "--defaults";
    /** The environment variable that names a defaults file for every command. */
    public static final String ENVIRONMENT = "TINYSPARSE_DEFAULTS";

    private final List<DefaultsFile> files = new ArrayList<>();
    private final Map<String, String> preset = new LinkedHashMap<>();
    private Path environmentFile;

    private OptionDefaults() {}

    /** The defaults of {@code command}, installed on it first if another provider (or none) is there. */
    private static OptionDefaults of(CommandSpec command) {
        if (command.defaultValueProvider() instanceof OptionDefaults d) {
            return d;
        }
        OptionDefaults d = new OptionDefaults();
        command.defaultValueProvider(d);
        return d;
    }

    /**
     * Gives every command of the tree under {@code root} its defaults and a {@code --defaults FILE}
     * option (on a command, the file applies to it and the commands below it), with
     * {@code environmentFile} (null: none) as the file of last resort, read when first needed.
     */
    static void install(CommandLine root, String environmentFile) {
        Deque<CommandLine> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            CommandLine cl = todo.pop();
            OptionDefaults d = of(cl.getCommandSpec());
            d.environmentFile = environmentFile == null || environmentFile.isBlank() ? null : Path.of(environmentFile);
            if (cl.getCommandSpec().findOption(OPTION) == null) {
                cl.getCommandSpec().addOption(OptionSpec.builder(OPTION).paramLabel("FILE").type(Path.class)
                        .description("Properties file of option defaults: NAME=VALUE or COMMAND.NAME=VALUE, NAME an"
                                + " option without its dashes; flags win over it (default: $" + ENVIRONMENT
                                + " if set).")
                        .setter(new CommandLine.Model.ISetter() {
                            @Override
                            public <T> T set(T value) {
                                if (value != null) {
                                    useFile(cl, (Path) value);
                                }
                                return null;
                            }
                        })
                        .build());
            }
            todo.addAll(cl.getSubcommands().values());
        }
    }

    /** Reads {@code file} and puts it first for {@code commandLine} and every command below it. */
    static void useFile(CommandLine commandLine, Path file) {
        DefaultsFile defaults;
        try {
            defaults = DefaultsFile.read(file);
            defaults.checkKeys(commandLine.getCommandSpec().root());
        } catch (InvalidInputException e) {
            throw DefaultsFile.asParameterException(commandLine, e);
        }
        Deque<CommandLine> todo = new ArrayDeque<>(List.of(commandLine));
        while (!todo.isEmpty()) {
            CommandLine cl = todo.pop();
            of(cl.getCommandSpec()).files.add(0, defaults);
            todo.addAll(cl.getSubcommands().values());
        }
    }

    /**
     * Selects a preset for {@code command}: {@code "--name value --name value ..."}, each name
     * one of its options (a programming error otherwise); the preset gives way to a defaults file
     * and to a flag.
     */
    public static void usePreset(CommandSpec command, String options) {
        Map<String, String> preset = of(command).preset;
        String[] words = options.trim().split("\\s+");
        if (words.length % 2 != 0) {
            throw new IllegalStateException("preset '" + options + "' is not pairs of option and value");
        }
        for (int i = 0; i < words.length; i += 2) {
            if (command.findOption(words[i]) == null) {
                throw new IllegalStateException("preset '" + options + "': " + command.name() + " has no " + words[i]);
            }
            preset.put(command.findOption(words[i]).longestName(), words[i + 1]);
        }
    }

    /**
     * Where the bad value of a parse error came from when it came from a defaults file, as
     * {@code defaults file FILE, key 'KEY'}; null when the option was given on the command line
     * ({@code args}), or no file sets it, or the error is about no option.
     */
    static String sourceOf(CommandLine.ParameterException ex, String[] args) {
        if (!(ex.getArgSpec() instanceof OptionSpec option) || option.command() == null
                || !(option.command().defaultValueProvider() instanceof OptionDefaults d)) {
            return null;
        }
        for (String arg : args == null ? new String[0] : args) {
            for (String name : option.names()) {
                if (arg.equals(name) || arg.startsWith(name + "=")) {
                    return null;
                }
            }
        }
        for (DefaultsFile f : d.files) {
            String key = f.keyFor(option.command(), option);
            if (key != null) {
                return "defaults file " + f.path() + ", key '" + key + "'";
            }
        }
        return null;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || !DefaultsFile.takesDefaults(option)) {
            return null;
        }
        CommandSpec command = option.command();
        if (environmentFile != null) {
            Path file = environmentFile;
            environmentFile = null; // read once, after any --defaults FILE (which comes first)
            try {
                DefaultsFile defaults = DefaultsFile.read(file);
                defaults.checkKeys(command.root());
                files.add(defaults);
            } catch (InvalidInputException e) {
                throw DefaultsFile.asParameterException(command.commandLine(),
                        new InvalidInputException("$" + ENVIRONMENT + ": " + e.getMessage(), e));
            }
        }
        for (DefaultsFile f : files) {
            String v = f.valueFor(command, option);
            if (v != null) {
                return v;
            }
        }
        return preset.get(option.longestName());
    }
}
