package io.tinysparse.dl4j.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.core.hash.ContentHash;
import io.tinysparse.simulator.cli.CliRun;
import io.tinysparse.dl4j.cli.ImportKerasCommand;
import io.tinysparse.simulator.cli.RunCommand;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.engine.PaddingConvention;
import io.tinysparse.simulator.engine.train.FineTuneResult;
import io.tinysparse.simulator.engine.train.FineTuneRun;
import io.tinysparse.simulator.engine.train.Fixtures;
import io.tinysparse.simulator.engine.train.Samples;
import io.tinysparse.simulator.engine.train.TrainingConfig;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.policy.ChannelSelection;
import io.tinysparse.simulator.policy.SelectionStrategy;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.policy.WeightUpdate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tinysparse import-keras}: writes a network file with provenance that {@code run}'s
 * loader reads and a fine-tuning run trains (through the TF-padded stride-2 layers), and turns
 * bad input into exit code 2 with a one-line message and nothing written.
 */
class ImportKerasCommandTest {
    private static final ModelSpec SPEC = new ModelSpec(0.35, 32, 4, true, 1);

    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(new ImportKerasCommand(), args);
    }

    /** {@code n} 32 x 32 images of 4 classes: a fixed random pattern per class plus noise. */
    private static Samples images(int n, long seed) {
        return Fixtures.images(n, 4, 32, 0.5, seed);
    }

    @Test
    void importedBackboneIsWrittenWithProvenanceAndFineTunesThroughTheTfPaddedLayers() throws IOException {
        Path h5 = new KerasMobileNetV2File(SPEC, true, 1).write(dir.resolve("mbv2.h5"));
        CliRun r = run("--h5", h5.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        Path out = dir.resolve("mbv2.tsnw");
        assertTrue(r.out().contains(out.toString()), r.out());

        Network backbone = io.tinysparse.simulator.pretrain.Backbones.load(out);
        assertEquals(SPEC, backbone.spec());
        assertEquals(PaddingConvention.TF_SAME, backbone.paddingConvention());
        KerasImportProvenance p = new ObjectMapper().readValue(dir.resolve("mbv2.tsnw.json").toFile(),
                KerasImportProvenance.class);
        assertEquals(backbone.parameterHash(), p.parameterHash());
        assertEquals(ContentHash.ofFile(h5), p.sourceSha256());
        assertEquals("2.4.0", p.kerasVersion());
        assertEquals("1.0.0-M2.1", p.dl4jVersion());
        assertEquals(32, p.fileResolution());
        assertTrue(p.dl4jDifference() < 1e-4);

        // What 'run' does with a backbone: fold, a new classifier, sparse fine-tuning. The
        // policy updates the stem and block 1's stride-2 depthwise conv, so gradients flow
        // through TF-padded layers.
        Network start = backbone.fold().withNewClassifier(4, 3);
        SparseUpdatePolicy policy = new SparseUpdatePolicy(52,
                List.of(WeightUpdate.ratio(0, 1.0), WeightUpdate.ratio(4, 0.5), WeightUpdate.ratio(50, 0.25)),
                ChannelSelection.dynamic(SelectionStrategy.IMPORTANCE, 2), true);
        FineTuneRun run = new FineTuneRun(start, policy, new TrainingConfig(24, 4, 0.05, 0.9, 0, 2, 8, 16, 5));
        assertEquals(0, run.cutLayer());
        FineTuneResult result = run.run(images(24, 1), images(8, 2), images(8, 3));
        assertNotEquals(start.weights(0)[0], run.network().weights(0)[0], "the TF-padded stem was trained");
        float[] loss = result.trainLoss();
        double first = (loss[0] + loss[1] + loss[2] + loss[3]) / 4;
        double last = (loss[20] + loss[21] + loss[22] + loss[23]) / 4;
        assertTrue(last < first, "loss " + first + " -> " + last);
        assertTrue(result.testAccuracy() >= 0 && result.testAccuracy() <= 1);
    }

    private void assertBadInput(String value, String... args) throws IOException {
        Path out = dir.resolve("b.tsnw");
        String[] all = Stream.concat(Stream.of(args), Stream.of("--out", out.toString())).toArray(String[]::new);
        CliRun r = run(all);
        assertEquals(CommandRunner.BAD_INPUT, r.code(), r.out() + r.err());
        String first = r.err().lines().findFirst().orElse("");
        assertTrue(first.startsWith("tinysparse: error: ") && first.contains(value), r.err());
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith("b.tsnw")), "nothing written");
        }
        assertFalse(Files.exists(out));
    }

    @Test
    void badInputExitsWith2NamingTheValueAndWritesNothing() throws IOException {
        Path text = Files.writeString(dir.resolve("text.h5"), "plain text");
        assertBadInput("text.h5", "--h5", text.toString());
        assertBadInput("missing.h5", "--h5", dir.resolve("missing.h5").toString());
        Path noBn = new KerasMobileNetV2File(SPEC, true, 1).editConfig(l -> {
            for (int i = 0; i < l.size(); i++) {
                if (l.get(i).path("name").asText().equals("Conv_1_bn")) {
                    l.remove(i);
                    return;
                }
            }
        }).write(dir.resolve("nobn.h5"));
        assertBadInput("Conv_1_bn", "--h5", noBn.toString());
        Path good = new KerasMobileNetV2File(SPEC, true, 1).write(dir.resolve("good.h5"));
        assertBadInput("4", "--h5", good.toString(), "--resolution", "4");
        assertBadInput("0", "--h5", good.toString(), "--classes", "0");
    }

    @Test
    void helpPrintsTheDefaults() {
        CliRun r = run("--help");
        assertEquals(0, r.code());
        String help = r.out().replaceAll("\\s+", " ");
        assertTrue(help.contains("default: 10") && help.contains("default: 0"), help);
    }
}
