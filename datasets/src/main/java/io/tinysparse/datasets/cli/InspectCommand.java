package io.tinysparse.datasets.cli;

import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.datasets.catalog.DatasetCatalog;
import io.tinysparse.datasets.catalog.DatasetDescriptor;
import io.tinysparse.datasets.catalog.ExpectedFile;
import io.tinysparse.datasets.format.CifarReader;
import io.tinysparse.datasets.format.CifarVariant;
import io.tinysparse.datasets.format.DataFiles;
import io.tinysparse.datasets.format.DataFormat;
import io.tinysparse.datasets.format.IdxFileInfo;
import io.tinysparse.datasets.format.IdxReader;
import io.tinysparse.datasets.format.OpenedFile;
import io.tinysparse.datasets.image.ImageDataset;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tinysparse datasets inspect PATH}: reads and validates a whole data file and prints its
 * format, image count, shape, class count, pixel statistics and class histogram. A corrupt file
 * is exit code 2 with one line naming the file and the problem.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Reads and checks a data file (IDX images or labels, raw or gzip; a CIFAR-10/100 binary "
                + "batch) and prints its format, image count, shape, classes and class histogram.")
public final class InspectCommand implements Callable<Integer> {
    /** The formats {@code --format} accepts. */
    enum Format {
        auto, idx, cifar10, cifar100
    }

    private static final int BAR = 40;

    @Parameters(index = "0", paramLabel = "PATH",
            description = "The file: a local path or any Hadoop URI (file:, hdfs://, s3a://).")
    String path;

    @Option(names = "--labels", paramLabel = "PATH",
            description = "Labels file of an IDX images file (default: the file beside it whose name has "
                    + "labels-idx1 for images-idx3).")
    String labels;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto",
            description = "File format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}, recognised from the "
                    + "content).")
    Format format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        // Printed only once the whole file has been read and checked: a bad file gives the one
        // error line and nothing else.
        StringWriter report = new StringWriter();
        PrintWriter out = new PrintWriter(report);
        DataFiles files = DataFiles.defaults();
        Path file = new Path(path);
        DataFormat f = switch (format) {
            case auto -> DataFormat.detect(files, file);
            case idx -> DataFormat.IDX;
            case cifar10 -> DataFormat.CIFAR10;
            case cifar100 -> DataFormat.CIFAR100;
        };
        boolean gzip;
        long stored;
        try (OpenedFile opened = files.open(file)) {
            gzip = opened.gzip();
            stored = opened.storedBytes();
        }
        Optional<DatasetDescriptor> known = DatasetCatalog.identify(file.getName(), stored);
        List<String> classNames = known.map(DatasetDescriptor::classNames).orElse(List.of());
        String compression = (gzip ? "gzip" : "raw") + ", " + stored + " bytes";
        out.println("file:      " + file);
        if (f == DataFormat.IDX) {
            inspectIdx(out, files, file, compression, known, classNames);
        } else {
            CifarVariant v = f == DataFormat.CIFAR10 ? CifarVariant.CIFAR10 : CifarVariant.CIFAR100;
            out.println("format:    " + v.displayName() + " binary batch (" + compression + ", "
                    + v.recordBytes() + "-byte records)");
            printKnown(out, file, stored, known);
            ImageDataset ds = new CifarReader(files).read(List.of(file), v, file.getName(), classNames,
                    known.map(DatasetDescriptor::coarseClassNames).orElse(List.of()));
            printDataset(out, ds);
        }
        out.flush();
        spec.commandLine().getOut().print(report);
        spec.commandLine().getOut().flush();
        return CommandRunner.OK;
    }

    private void inspectIdx(PrintWriter out, DataFiles files, Path file, String compression,
            Optional<DatasetDescriptor> known, List<String> classNames) throws IOException {
        IdxReader reader = new IdxReader(files);
        IdxFileInfo info = reader.describe(file);
        out.println("format:    IDX " + info.kind().name().toLowerCase(Locale.ROOT) + ", unsigned bytes ("
                + compression + ")");
        printKnown(out, file, info.storedBytes(), known);
        if (info.kind() == IdxFileInfo.Kind.LABELS) {
            int[] h = java.util.Arrays.copyOf(info.labelHistogram(),
                    Math.max(info.labelHistogram().length, classNames.size()));
            out.println("labels:    " + info.count());
            out.println("classes:   " + h.length);
            printHistogram(out, "labels per class", h, classNames);
            return;
        }
        Path labelFile = labels != null ? new Path(labels) : sibling(file);
        if (labelFile == null || !files.exists(labelFile)) {
            out.println("images:    " + info.count());
            out.println("shape:     " + info.shape().describe());
            out.println("labels:    none found" + (labelFile == null ? "" : " (looked for " + labelFile + ")")
                    + "; give --labels PATH for classes and the histogram");
            return;
        }
        out.println("labels:    " + labelFile);
        printDataset(out, reader.read(file, labelFile, file.getName(), classNames));
    }

    /** The conventional labels file beside an IDX images file ({@code train-images-idx3-ubyte} -> {@code train-labels-idx1-ubyte}). */
    static Path sibling(Path images) {
        String name = images.getName();
        if (!name.contains("images-idx3")) {
            return null;
        }
        return new Path(images.getParent(), name.replace("images-idx3", "labels-idx1"));
    }

    private static void printKnown(PrintWriter out, Path file, long stored, Optional<DatasetDescriptor> known) {
        known.ifPresent(d -> {
            for (ExpectedFile f : d.files()) {
                if (f.name().equals(file.getName()) && f.sizeBytes() == stored) {
                    out.println("dataset:   " + d.name() + " " + f.split().id() + " (" + d.title()
                            + "; name and size match, 'datasets list' checks the SHA-256)");
                }
            }
        });
    }

    private static void printDataset(PrintWriter out, ImageDataset ds) {
        out.println("images:    " + ds.size());
        out.println("shape:     " + ds.shape().describe());
        out.println("classes:   " + ds.classCount());
        double[][] stats = ds.channelStatistics();
        for (int c = 0; c < stats[0].length; c++) {
            out.printf(Locale.ROOT, "pixels:    channel %d mean %.4f, std %.4f (on the [0, 1] scale)%n", c,
                    stats[0][c], stats[1][c]);
        }
        printHistogram(out, "images per class", ds.classHistogram(), ds.classNames());
        if (ds.hasCoarseLabels()) {
            out.println("coarse classes: " + ds.coarseClassCount());
            printHistogram(out, "images per coarse class", ds.coarseClassHistogram(),
                    ds.withCoarseLabels().classNames());
        }
    }

    private static void printHistogram(PrintWriter out, String title, int[] histogram, List<String> names) {
        int max = 1;
        long total = 0;
        for (int h : histogram) {
            max = Math.max(max, h);
            total += h;
        }
        int width = 1;
        for (String n : names) {
            width = Math.max(width, n.length());
        }
        int min = Integer.MAX_VALUE;
        for (int h : histogram) {
            min = Math.min(min, h);
        }
        out.println("histogram (" + title + "; min " + min + ", max " + max + "):");
        for (int c = 0; c < histogram.length; c++) {
            String name = c < names.size() && !names.get(c).equals(Integer.toString(c)) ? names.get(c) : "";
            out.printf(Locale.ROOT, "  %3d %-" + width + "s %8d %6.2f%%  %s%n", c, name, histogram[c],
                    100.0 * histogram[c] / total, "#".repeat((int) Math.round((double) BAR * histogram[c] / max)));
        }
    }
}
