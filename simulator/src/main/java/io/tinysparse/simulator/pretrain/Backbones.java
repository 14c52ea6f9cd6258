package io.tinysparse.simulator.pretrain;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.datasets.catalog.DataDirectory;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.run.Normalisation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** Where the network a run or search fine-tunes comes from: a file the user names, or the default pretraining. */
public final class Backbones {
    private Backbones() {}

    /**
     * The network in {@code file}; bad input naming the file if it is missing, a directory, or not a
     * tinysparse network.
     */
    public static Network load(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new InvalidInputException("backbone file " + file + " is a directory; give a network file (.tsnw)");
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("backbone file " + file + " does not exist");
        }
        try {
            return Network.load(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("backbone file " + file + " does not exist");
        } catch (IOException e) {
            throw new InvalidInputException("backbone file " + file + " is not a tinysparse network: " + e.getMessage(), e);
        }
    }

    /**
     * The network in {@code file} ({@link #load(Path)}), which must be {@code model}'s network (any
     * resolution and classes) when {@code model} is given; bad input naming both otherwise.
     */
    public static Network load(Path file, ModelSpec model) throws IOException {
        Network network = load(file);
        if (model != null && !model.withResolution(network.spec().resolution()).withClasses(network.spec().numClasses())
                .equals(network.spec())) {
            throw new InvalidInputException("backbone file " + file + " holds network "
                    + network.spec().architecture().name() + ", not " + model.architecture().name()
                    + " that --model names");
        }
        return network;
    }

    /**
     * The default pretraining ({@link PretrainSpec#defaults()}) from the backbone store of
     * {@code home}, pretrained once if it is not there yet, with progress and provenance on
     * {@code out}.
     */
    public static BackboneCheckpoint defaultPretrained(DataDirectory home, PrintStream out) throws IOException {
        return defaultPretrained(PretrainSpec.defaults(), home, out);
    }

    /**
     * The default pretraining of {@code model}'s network ({@link PretrainSpec#defaultsFor}), from
     * the backbone store of {@code home}, pretrained once if it is not there yet.
     */
    public static BackboneCheckpoint defaultPretrained(ModelSpec model, DataDirectory home, PrintStream out)
            throws IOException {
        return defaultPretrained(PretrainSpec.defaultsFor(model), home, out);
    }

    private static BackboneCheckpoint defaultPretrained(PretrainSpec spec, DataDirectory home, PrintStream out)
            throws IOException {
        BackboneCheckpoint ckpt = BackboneStore.atHome(home).getOrPretrain(spec,
                (point, total) -> out.printf(Locale.ROOT, "pretraining the backbone on %s: step %d/%d, loss %.3f%n",
                        spec.dataset(), point.step(), total, point.meanLoss()));
        out.printf(Locale.ROOT, "backbone %s: pretrained on %s, held-out accuracy %.4f%n",
                ckpt.provenance().parameterHash().substring(0, 12), ckpt.provenance().spec().dataset(),
                ckpt.provenance().heldOutAccuracy());
        return ckpt;
    }

    /**
     * The network a command fine-tunes and the statistics its target images are normalised with:
     * {@code file}'s, with a warning on {@code err} if it has no pretraining provenance, or, if
     * {@code file} is null, the {@linkplain #defaultPretrained default pretraining}'s (progress on
     * {@code out}).
     */
    public static Selected select(Path file, DataDirectory home, PrintStream out, PrintStream err) throws IOException {
        return select(file, null, home, out, err);
    }

    /**
     * As {@link #select(Path, DataDirectory, PrintStream, PrintStream)}, for {@code model}'s
     * network when it is given: without a file, that network's
     * {@linkplain #defaultPretrained(ModelSpec, DataDirectory, PrintStream) default pretraining};
     * with one, the file's network, which must be that network (any resolution and classes).
     */
    public static Selected select(Path file, ModelSpec model, DataDirectory home, PrintStream out, PrintStream err)
            throws IOException {
        if (file == null) {
            BackboneCheckpoint ckpt = model == null ? defaultPretrained(home, out) : defaultPretrained(model, home, out);
            return new Selected(ckpt.network(), ckpt.provenance().inputNormalisation());
        }
        Network network = load(file, model);
        Normalisation statistics = statistics(file).orElse(null);
        if (statistics == null) {
            err.println("tinysparse: warning: " + file + " has no pretraining provenance (FILE.json): target images"
                    + " are normalised with their training subset's own statistics");
        }
        return new Selected(network, statistics);
    }

    /**
     * A network to fine-tune.
     *
     * @param network    the network as stored (batch norm not yet folded, its own classifier)
     * @param statistics the input statistics it was pretrained with; null if unknown (target images are then
     *                   normalised with their training subset's own)
     */
    public record Selected(Network network, Normalisation statistics) {}

    /**
     * The dataset the network in {@code networkFile} was pretrained on, from its provenance file,
     * if it has one.
     */
    public static Optional<String> sourceDataset(Path networkFile) throws IOException {
        Path provenance = BackboneCheckpoint.provenanceFile(networkFile);
        if (!Files.isRegularFile(provenance)) {
            return Optional.empty();
        }
        try {
            return Optional.of(BackboneCheckpoint.readProvenance(provenance).spec().dataset());
        } catch (InvalidInputException e) {
            return Optional.empty(); // another tool's provenance (a Keras import's)
        }
    }

    /**
     * The pretraining statistics of the network in {@code networkFile}, from its provenance file
     * ({@code FILE.json}, as {@code tinysparse pretrain} writes it), if it has one.
     */
    public static Optional<Normalisation> statistics(Path networkFile) throws IOException {
        Path provenance = BackboneCheckpoint.provenanceFile(networkFile);
        if (!Files.isRegularFile(provenance)) {
            return Optional.empty();
        }
        try {
            return Optional.of(BackboneCheckpoint.readProvenance(provenance).inputNormalisation());
        } catch (InvalidInputException e) {
            return Optional.empty(); // another tool's provenance (a Keras import's): no pretraining statistics
        }
    }
}
