package io.tinysparse.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.simulator.run.DataSpec;
import io.tinysparse.simulator.run.TrainingBudget;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The options of {@code search}: shared with {@code run} and {@code sql}, the --quick preset, and what wins. */
class SearchJobOptionsTest {
    @TempDir
    Path dir;

    private static SearchJob parse(String... args) {
        SearchJob job = new SearchJob();
        CommandRunner.commandLine(job).parseArgs(args);
        return job;
    }

    @Test
    void runAndSearchDeclareEveryOptionTheyShareWithTheSameDefault() {
        CommandLine launcher = CommandRunner.commandLine(Tinysparse.commands());
        CommandSpec search = launcher.getSubcommands().get("search").getCommandSpec();
        CommandSpec run = launcher.getSubcommands().get("run").getCommandSpec();
        Set<String> shared = new TreeSet<>();
        for (OptionSpec o : search.options()) {
            OptionSpec other = run.findOption(o.longestName());
            // Each command's own: --seed (the search seed, the seed of one run) and --backbone (what each does with it).
            if (other == null || o.usageHelp() || o.versionHelp() || Set.of("--seed", "--backbone").contains(o.longestName())) {
                continue;
            }
            shared.add(o.longestName());
            assertEquals(o.defaultValue(), other.defaultValue(), o.longestName());
            assertEquals(List.of(o.description()), List.of(other.description()), o.longestName());
        }
        assertEquals(new TreeSet<>(List.of("--calibration-dataset", "--calibration-samples", "--cycles", "--data-dir",
                "--dataset", "--defaults", "--device", "--evaluations", "--linear-probe", "--lr-grid", "--model",
                "--precision", "--probe-l2", "--qas",
                "--iterations", "--lr", "--subset-seed", "--test-samples", "--train-samples", "--val-samples",
                "--warmup")), shared);
    }

    @Test
    void theDefaultsAreTheSharedOnesAndTheSubsetSeedIsTheSearchSeed() {
        SearchJob job = parse("--seed", "5");
        assertEquals(new DataSpec("mnist", 1000, 1000, 1000, 5), job.dataSpec());
        assertEquals(new TrainingBudget(600, 1, 0.05, 0, 30, 2), job.trainingBudget());
        assertEquals(1, job.replicates);
        assertEquals(3, parse("--seed", "5", "--subset-seed", "3").dataSpec().subsetSeed());
    }

    @Test
    void thePinnedSearchsFlagsGiveTheTaskAndBudgetItWasPinnedWith() {
        SearchJob job = parse("--train-samples", "20", "--val-samples", "10", "--test-samples", "20", "--iterations",
                "8", "--seed", "7");
        assertEquals(new DataSpec("mnist", 20, 10, 20, 7), job.dataSpec());
        assertEquals(new TrainingBudget(8, 1, 0.05, 0, 0, 2), job.trainingBudget());
    }

    @Test
    void quickSelectsItsPresetAndAFlagGivenAnywhereOnTheLineWins() {
        SearchJob quick = parse("--quick");
        assertEquals(500, quick.dataSpec().trainSamples());
        assertEquals(1500, quick.trainingBudget().iterations());
        assertEquals(0.03, quick.trainingBudget().learningRate());
        assertEquals(3, quick.replicates);
        assertEquals(1000, quick.dataSpec().valSamples(), "options outside the preset keep their defaults");
        SearchJob before = parse("--train-samples", "300", "--quick");
        assertEquals(300, before.dataSpec().trainSamples());
        SearchJob after = parse("--quick", "--replicates", "1");
        assertEquals(1, after.replicates);
        assertEquals(500, after.dataSpec().trainSamples());
    }

    @Test
    void aDefaultsFileWinsOverTheQuickPresetAndAFlagOverTheFile() throws Exception {
        Path f = dir.resolve("tinysparse.properties");
        Files.writeString(f, "train-samples=400\nsearch.iterations=90\nrun.iterations=50\n");
        SearchJob job = parse("--quick", "--defaults", f.toString());
        assertEquals(400, job.dataSpec().trainSamples());
        assertEquals(90, job.trainingBudget().iterations(), "search's own key, not run's");
        assertEquals(3, job.replicates);
        assertEquals(250, parse("--defaults", f.toString(), "--train-samples", "250").dataSpec().trainSamples());
    }

    @Test
    void anArgumentFileWorksThroughTheLauncher() throws Exception {
        Path args = dir.resolve("search.args");
        Files.write(args, List.of("--train-samples 20", "--iterations 8", "--device stm32f746"));
        CommandLine launcher = CommandRunner.commandLine(Tinysparse.commands());
        launcher.parseArgs("search", "@" + args, "--seed", "2");
        SearchJob job = launcher.getSubcommands().get("search").getCommand();
        assertEquals(new DataSpec("mnist", 20, 1000, 1000, 2), job.dataSpec());
        assertEquals(8, job.trainingBudget().iterations());
        assertEquals("stm32f746", job.device.name());
    }

    @Test
    void searchAndSqlShareTheSparkOptionsAndADefaultsFileBeforeTheCommandReachesThem() throws Exception {
        Path f = dir.resolve("d.properties");
        Files.writeString(f, "warehouse=" + dir.resolve("wh") + "\nmaster=local[3]\n");
        CommandLine launcher = CommandRunner.commandLine(Tinysparse.commands());
        launcher.parseArgs("--defaults", f.toString(), "sql", "SELECT 1");
        SqlJob sql = launcher.getSubcommands().get("sql").getCommand();
        assertEquals(dir.resolve("wh").toString(), sql.spark.warehouse());
        assertEquals("local[3]", sql.spark.master);
        CommandLine again = CommandRunner.commandLine(Tinysparse.commands());
        again.parseArgs("--defaults", f.toString(), "search");
        SearchJob search = again.getSubcommands().get("search").getCommand();
        assertEquals(dir.resolve("wh").toString(), search.spark.warehouse());
        assertEquals(TinysparseHome.warehouse(), parse().spark.warehouse(), "without a file: the declared default");
    }

    @Test
    void anUnknownDeviceOrABadDefaultsFileIsBadInputBeforeAnyWork() {
        StringWriter err = new StringWriter();
        CommandLine cl = CommandRunner.commandLine(new SearchJob());
        cl.setErr(new PrintWriter(err));
        assertEquals(CommandRunner.BAD_INPUT, cl.execute("--device", "esp32", "--warehouse", dir.toString()));
        assertTrue(err.toString().contains("unknown device 'esp32'"), err.toString());
        Path missing = dir.resolve("nope.properties");
        StringWriter err2 = new StringWriter();
        CommandLine cl2 = CommandRunner.commandLine(new SearchJob());
        cl2.setErr(new PrintWriter(err2));
        assertEquals(CommandRunner.BAD_INPUT, cl2.execute("--defaults", missing.toString()));
        assertTrue(err2.toString().contains("defaults file " + missing + " does not exist"), err2.toString());
    }

    @Test
    void helpPrintsTheQuickPresetAndTheSharedDefaults() {
        StringWriter out = new StringWriter();
        CommandLine cl = CommandRunner.commandLine(new SearchJob());
        cl.setOut(new PrintWriter(out));
        assertEquals(CommandRunner.OK, cl.execute("--help"));
        String help = out.toString().replaceAll("\\s+", " ");
        assertTrue(help.contains("search with " + SearchJob.QUICK_PRESET + " unless given otherwise"), help);
        assertTrue(help.contains("Training samples per run, stratified (default: 1000)"), help);
        assertTrue(help.contains("Warehouse of result tables, local or any Hadoop path (default: "
                + TinysparseHome.warehouse() + ")"), help);
    }

    @Test
    void underTheLauncherQuickAndRunsIterationsCheckSeeTheCommandLineThatParsed() {
        CommandLine launcher = CommandRunner.commandLine(Tinysparse.commands());
        launcher.parseArgs("search", "--quick");
        SearchJob job = launcher.getSubcommands().get("search").getCommand();
        assertEquals(500, job.dataSpec().trainSamples());
        StringWriter err = new StringWriter();
        CommandLine again = CommandRunner.commandLine(Tinysparse.commands());
        again.setErr(new PrintWriter(err));
        again.getSubcommands().get("run").setErr(new PrintWriter(err));
        assertEquals(CommandRunner.BAD_INPUT, again.execute("run", "--policy", "p.json", "--backbone", "b.tsnw",
                "--iterations", "5", "--epochs", "1"));
        assertTrue(err.toString().contains("give --iterations or --epochs, not both"), err.toString());
    }
}
