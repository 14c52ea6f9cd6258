package io.tinysparse.simulator.bench;

import io.tinysparse.datasets.catalog.DataDirectory;
import io.tinysparse.datasets.catalog.DatasetCatalog;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.engine.quant.Int8Sgd;
import io.tinysparse.simulator.engine.quant.QuantizedNetwork;
import io.tinysparse.simulator.engine.train.FineTuneResult;
import io.tinysparse.simulator.engine.train.FineTuneRun;
import io.tinysparse.simulator.engine.train.TrainingConfig;
import io.tinysparse.simulator.policy.PolicyJson;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.pretrain.Backbones;
import io.tinysparse.simulator.run.DataSpec;
import io.tinysparse.simulator.run.Quantization;
import io.tinysparse.simulator.run.TaskData;
import io.tinysparse.simulator.run.TrainingBudget;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Why int8 training loses what it loses (development aid): trains {@code run}'s default task
 * (mnist, 1000/1000/1000, 600 steps at batch 1, cosine from {@code lr}) with the default
 * backbone in int8 and prints, besides the test accuracy, how many int8 weight and bias updates
 * changed a stored code. Arguments: policy file, {@code on|off} (QAS), learning rate, seed.
 */
public final class Int8UpdateCounts {
    public static void main(String[] args) throws Exception {
        Path policyFile = Path.of(args[0]);
        boolean qas = args[1].equals("on");
        double lr = Double.parseDouble(args[2]);
        long seed = Long.parseLong(args[3]);
        DataDirectory dir = DataDirectory.resolve(null);
        Backbones.Selected selected = Backbones.select(null, null, dir, System.err, System.err);
        DataSpec data = new DataSpec("mnist", 1000, 1000, 1000, seed).withNormalisation(selected.statistics());
        TaskData task = TaskData.load(DatasetCatalog.local(dir), data, selected.network().spec());
        Network backbone = selected.network().fold().withNewClassifier(task.classes(), seed);
        SparseUpdatePolicy policy = PolicyJson.read(policyFile, backbone.spec());
        Quantization q = Quantization.int8(qas, "fashion-mnist");
        var images = TaskData.loadTrain(DatasetCatalog.local(dir), q.calibrationData(data), backbone.spec());
        QuantizedNetwork quantized = QuantizedNetwork.calibrate(backbone, images.values(), images.count(), 64);
        TrainingConfig config = new TrainingBudget(600, 1, lr, 0, 30, 2).trainingConfig(seed);
        FineTuneRun run = new FineTuneRun(quantized, qas, policy, config);
        FineTuneResult r = run.run(run.prefixFeatures(task.train()), run.prefixFeatures(task.validation()),
                run.prefixFeatures(task.test()));
        Int8Sgd sgd = (Int8Sgd) run.trainer().optimizer();
        System.out.printf(Locale.ROOT, "%s qas=%s lr=%g seed=%d: test %.4f, %d of %d code updates changed a code (%.2f %%)%n",
                policyFile.getFileName(), qas ? "on" : "off", lr, seed, r.testAccuracy(), sgd.changedCodes(),
                sgd.attemptedUpdates(), 100.0 * sgd.changedCodes() / sgd.attemptedUpdates());
    }
}
