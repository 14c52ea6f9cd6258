package io.tinysparse.simulator.bench;

import io.tinysparse.simulator.engine.kernels.ConvKernel;
import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.LayerTable;
import io.tinysparse.simulator.model.ModelSpec;
import java.util.SplittableRandom;

/** Per-layer kernel timings at batch 1 (development aid). */
public final class LayerProfile {
    public static void main(String[] args) {
        ModelSpec spec = ModelSpec.preset(args.length > 0 ? args[0] : "mbv2-w0.35");
        if (args.length > 1) {
            spec = spec.withResolution(Integer.parseInt(args[1]));
        }
        LayerTable t = spec.layers();
        for (int pass = 0; pass < 2; pass++) {
            profile(t, pass == 1);
        }
    }

    private static void profile(LayerTable t, boolean print) {
        int reps = 200;
        double[] tot = new double[4];
        for (ConvLayer c : t.convs()) {
            ConvKernel k = ConvKernel.create(c.inChannels(), c.outChannels(), c.kernel(), c.stride(), c.padding(),
                    c.groups(), c.inHeight(), c.inWidth(), 1);
            SplittableRandom r = new SplittableRandom(1);
            float[] in = rand(r, k.inputSize());
            float[] w = rand(r, k.weightCount());
            float[] b = rand(r, c.outChannels());
            float[] out = new float[k.outputSize()];
            float[] dOut = rand(r, k.outputSize());
            float[] dIn = new float[k.inputSize()];
            int[] all = new int[c.inChannels()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            float[] dW = new float[k.weightCount()];
            float[] db = new float[c.outChannels()];
            double[] ms = new double[4];
            for (int round = 0; round < 2; round++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    k.forward(in, w, b, null, out, 1, c.relu6());
                }
                long t1 = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    k.backwardInput(dOut, w, dIn, 1);
                }
                long t2 = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    k.weightGradient(dOut, in, 1, all, all.length, dW);
                }
                long t3 = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    k.biasGradient(dOut, 1, db);
                }
                long t4 = System.nanoTime();
                ms[0] = (t1 - t0) / 1e6 / reps;
                ms[1] = (t2 - t1) / 1e6 / reps;
                ms[2] = (t3 - t2) / 1e6 / reps;
                ms[3] = (t4 - t3) / 1e6 / reps;
            }
            for (int i = 0; i < 4; i++) {
                tot[i] += ms[i];
            }
            if (print) System.out.printf("%2d %-9s %3d->%3d %3dx%-3d s%d macs %8d  fwd %.3f (%.1f GMAC/s) bin %.3f wgrad %.3f bias %.4f%n",
                    c.index(), c.kind(), c.inChannels(), c.outChannels(), c.inHeight(), c.inWidth(), c.stride(), c.macs(),
                    ms[0], c.macs() / ms[0] / 1e6, ms[1], ms[2], ms[3]);
        }
        if (print) System.out.printf("total fwd %.3f bin %.3f wgrad %.3f bias %.3f ms%n", tot[0], tot[1], tot[2], tot[3]);
    }

    private static float[] rand(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }
}
