package io.tinysparse.core.cli;

import io.tinysparse.core.InvalidInputException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A file of option defaults in Java properties form (UTF-8), as {@code --defaults FILE} or
 * {@code TINYSPARSE_DEFAULTS} names it. A key is an option's long name without its dashes
 * ({@code train-samples=1000}, for every command that has the option), or that name after a
 * command's name and a dot ({@code search.iterations=600}, for that command only, winning over
 * the plain key).
 *
 * <p>Invariant, checked against the command tree the file is used with
 * ({@link #checkKeys(CommandSpec)}): every plain key names an option of some command of the
 * tree, and every command key of a command in the tree names one of that command's options. A
 * command key of a command that is not in the tree is left alone: under {@code spark-submit} the
 * tree is one command, and a shared file also holds the other commands' keys.
 */
public final class DefaultsFile {
    private final Path path;
    private final Map<String, String> values;

    private DefaultsFile(Path path, Map<String, String> values) {
        this.path = path;
        this.values = values;
    }

    /** The defaults in {@code path}; bad input naming the file if it cannot be read as properties. */
    public static DefaultsFile read(Path path) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("defaults file " + path + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidInputException("defaults file " + path + " is not a readable properties file: " + e, e);
        }
        Map<String, String> values = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> values.put(k.strip(), p.getProperty(k).strip()));
        return new DefaultsFile(path, values);
    }

    /** Where the defaults were read from. */
    public Path path() {
        return path;
    }

    /** This file's value for {@code option} of {@code command}: the command's own key, else the plain key, else null. */
    String valueFor(CommandSpec command, OptionSpec option) {
        String name = keyOf(option);
        String own = values.get(command.name() + "." + name);
        return own != null ? own : values.get(name);
    }

    /** The key of this file that sets {@code option} of {@code command} ({@link #valueFor}'s), or null if none does. */
    String keyFor(CommandSpec command, OptionSpec option) {
        String own = command.name() + "." + keyOf(option);
        return values.containsKey(own) ? own : values.containsKey(keyOf(option)) ? keyOf(option) : null;
    }

    /** Bad input naming the file and the key if a key fits no option of the tree under {@code root} (see the class comment). */
    public void checkKeys(CommandSpec root) {
        Map<String, Set<String>> byCommand = new HashMap<>();
        Set<String> all = new HashSet<>();
        Deque<CommandSpec> todo = new ArrayDeque<>(java.util.List.of(root));
        while (!todo.isEmpty()) {
            CommandSpec c = todo.pop();
            Set<String> names = byCommand.computeIfAbsent(c.name(), k -> new HashSet<>());
            for (OptionSpec o : c.options()) {
                if (takesDefaults(o)) {
                    names.add(keyOf(o));
                    all.add(keyOf(o));
                }
            }
            c.subcommands().values().forEach(sub -> todo.push(sub.getCommandSpec()));
        }
        for (String key : values.keySet()) {
            int dot = key.indexOf('.');
            Set<String> names = dot < 0 ? all : byCommand.get(key.substring(0, dot));
            if (names != null && !names.contains(key.substring(dot + 1))) {
                throw new InvalidInputException("defaults file " + path + ": '" + key + "' is not an option of "
                        + (dot < 0 ? "any command" : "'" + key.substring(0, dot) + "'"));
            }
        }
    }

    /** Whether a defaults file may set {@code option}: not the help, version and defaults options themselves. */
    static boolean takesDefaults(OptionSpec option) {
        return !option.usageHelp() && !option.versionHelp() && !option.longestName().equals(OptionDefaults.OPTION);
    }

    /** The key of {@code option}: its longest name without the leading dashes. */
    static String keyOf(OptionSpec option) {
        return option.longestName().replaceFirst("^-+", "");
    }

    /** Bad input as picocli reports it for {@code commandLine}, so that it exits with code 2 like any bad flag. */
    static CommandLine.ParameterException asParameterException(CommandLine commandLine, InvalidInputException e) {
        return new CommandLine.ParameterException(commandLine, e.getMessage(), e);
    }
}
