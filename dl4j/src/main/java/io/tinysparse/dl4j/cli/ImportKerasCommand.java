package io.tinysparse.dl4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.core.hash.ContentHash;
import io.tinysparse.core.provenance.BuildInfo;
import io.tinysparse.datasets.format.AtomicFile;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.dl4j.keras.KerasImport;
import io.tinysparse.dl4j.keras.KerasImportProvenance;
import io.tinysparse.simulator.pretrain.BackboneCheckpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tinysparse import-keras}: imports a {@code tf.keras.applications.MobileNetV2} saved as
 * a Keras 2 {@code .h5} file ({@link KerasImport}) and writes it as a network file for
 * {@code tinysparse run --backbone} and {@code search --backbone}, with a
 * {@link KerasImportProvenance} at {@code FILE.json}. The network keeps batch norm unfolded
 * (Keras's epsilon) and TensorFlow's padding convention. Both files are written atomically and
 * only after the whole import succeeded, so a failed import leaves nothing behind.
 */
@Command(
        name = "import-keras",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Import MobileNetV2 weights from a Keras .h5 file (model.save) as a tinysparse backbone.")
public final class ImportKerasCommand implements Callable<Integer> {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    private CommandSpec spec;

    @Option(names = "--h5", paramLabel = "FILE", required = true,
            description = "Keras 2 .h5 file of a whole tf.keras.applications.MobileNetV2 (model_config and weights).")
    private Path h5;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Network file to write (provenance at FILE.json). Default: the .h5 file's name with .tsnw.")
    private Path out;

    @Option(names = "--resolution", paramLabel = "R",
            description = "Input resolution of the backbone (default: the Keras model's input size).")
    private Integer resolution;

    @Option(names = "--classes", paramLabel = "N", defaultValue = "10",
            description = "Classes of the fresh classifier of an include_top=False model; a model with its "
                    + "'predictions' layer keeps it (default: ${DEFAULT-VALUE}).")
    private int classes;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of that fresh classifier and of the image the import is verified on "
                    + "(default: ${DEFAULT-VALUE}).")
    private long seed;

    @Override
    public Integer call() throws IOException {
        Path target = out != null ? out : defaultOut(h5);
        if (Files.isDirectory(target)) {
            throw new InvalidInputException("--out " + target + " is a directory; give a file name");
        }
        if (target.toAbsolutePath().normalize().equals(h5.toAbsolutePath().normalize())) {
            throw new InvalidInputException("--out " + target + " would overwrite the .h5 file");
        }
        KerasImport.Result r = KerasImport.read(h5, resolution, classes, seed);
        Network network = r.network();
        KerasImportProvenance provenance = new KerasImportProvenance(KerasImportProvenance.FORMAT_VERSION,
                KerasImportProvenance.SOURCE, h5.toString(), ContentHash.ofFile(h5), Files.size(h5), r.modelName(),
                r.kerasVersion(), r.backend(), KerasImport.dl4jVersion(), network.spec(), r.fileResolution(),
                r.includeTop(), seed, network.batchNormEpsilon(), network.paddingConvention().name(),
                r.dl4jDifference(), network.parameterHash(), BuildInfo.current().version(), BuildInfo.current().commit(),
                Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        Path parent = target.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        network.save(target);
        Path provenanceFile = BackboneCheckpoint.provenanceFile(target);
        AtomicFile.write(provenanceFile, o -> MAPPER.writeValue(o, provenance));
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "imported %s (Keras %s, %s): %s, %s, batch-norm epsilon %s, TensorFlow padding%n",
                r.modelName(), r.kerasVersion(), h5, network.spec().label(),
                r.includeTop() ? "its classifier" : "a fresh classifier (include_top=False)",
                network.batchNormEpsilon());
        o.printf(Locale.ROOT, "matches DL4J's import of the file to %.2e (relative)%n", r.dl4jDifference());
        o.printf(Locale.ROOT, "backbone %s (parameters %s)%n", target, network.parameterHash().substring(0, 16));
        o.printf(Locale.ROOT, "provenance %s%n", provenanceFile);
        o.flush();
        return CommandRunner.OK;
    }

    private static Path defaultOut(Path h5) {
        String name = h5.getFileName().toString();
        String stem = name.toLowerCase(Locale.ROOT).endsWith(".h5") ? name.substring(0, name.length() - 3) : name;
        return h5.resolveSibling(stem + ".tsnw");
    }

    public static void main(String[] args) {
        CommandRunner.main(new ImportKerasCommand(), args);
    }
}
