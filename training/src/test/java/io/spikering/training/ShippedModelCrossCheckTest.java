package io.spikering.training;

import io.spikering.core.data.MnistDataset;
import io.spikering.core.data.PixelSequences;
import io.spikering.core.data.PsMnist;
import io.spikering.core.engine.Simulator;
import io.spikering.core.lmu.LmuFile;
import io.spikering.core.lmu.LmuModelNetwork;
import io.spikering.core.lmu.LmuModelNetwork.MemoryMode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The shipped model (or {@code -Dspikering.model=FILE}) on real psMNIST test samples: engine (recurrence memory)
 * against the trainer's {@link ReferenceForward}, exactly; the event-driven memory modes against the recurrence.
 * Needs the model file and the MNIST cache; skipped otherwise.
 */
@Tag("slow")
final class ShippedModelCrossCheckTest
{
    private static Path modelPath()
    {
        final String p = System.getProperty("spikering.model");
        return p != null ? Path.of(p) : Path.of("..", "models", "psmnist-lmu-hybrid.safetensors");
    }

    @Test
    void engineEqualsReferenceForwardOnRealSamples() throws IOException
    {
        final Path file = modelPath();
        assumeTrue(Files.isRegularFile(file), "no model at " + file.toAbsolutePath());
        assumeTrue(Files.isRegularFile(MnistDataset.defaultCacheDir().resolve("t10k-images-idx3-ubyte")), "no MNIST cache");
        final LmuFile lmu = LmuFile.load(file);
        final LmuFile model = lmu;
        final PixelSequences test = PsMnist.load(MnistDataset.defaultCacheDir(), lmu.permutationSeed()).test();
        final LmuModelNetwork net = LmuModelNetwork.build(lmu, true, Double.NaN, MemoryMode.RECURRENCE);
        final Random rnd = new Random(1);
        final float[] p = new float[test.steps()];
        try (Simulator sim = new Simulator(net.network()))
        {
            for (int s = 0; s < 8; s++)
            {
                test.copySequence(s, p, 0);
                final double[] v0 = new double[lmu.hidden()];
                for (int j = 0; j < v0.length; j++)
                {
                    v0[j] = rnd.nextDouble();
                }
                final ReferenceForward.Result ref = ReferenceForward.run(model, p, lmu.dt(), true, v0);
                sim.reset(s);
                sim.quantizer(net.hidden()).setVoltages(v0);
                final double[] in = new double[1];
                for (int t = 0; t < p.length; t++)
                {
                    in[0] = p[t];
                    sim.setInput(net.pixel(), in);
                    sim.setInput(net.pixelDirect(), in);
                    sim.step();
                    final int k = t - lmu.hiddenFirstStep();
                    if (k >= 0)
                    {
                        assertArrayEquals(ref.counts()[k], sim.counts(net.hidden()), "sample " + s + " step " + t);
                    }
                }
                assertEquals(ref.prediction(), LmuModelNetwork.argmax(sim.outputs(net.readout())));
                assertArrayEquals(ref.logits(), sim.outputs(net.readout()), 1e-9);
            }
        }
    }

    @Test
    void eventDrivenModesAgreeWithRecurrenceOnRealSamples() throws IOException
    {
        final Path file = modelPath();
        assumeTrue(Files.isRegularFile(file), "no model at " + file.toAbsolutePath());
        assumeTrue(Files.isRegularFile(MnistDataset.defaultCacheDir().resolve("t10k-images-idx3-ubyte")), "no MNIST cache");
        final LmuFile lmu = LmuFile.load(file);
        final PixelSequences test = PsMnist.load(MnistDataset.defaultCacheDir(), lmu.permutationSeed()).test();
        final int samples = 40;
        final int[][] predictions = new int[3][samples];
        final double[][][] logits = new double[3][samples][];
        for (final MemoryMode mode : MemoryMode.values())
        {
            final LmuModelNetwork net = LmuModelNetwork.build(lmu, true, Double.NaN, mode);
            try (Simulator sim = new Simulator(net.network()))
            {
                final float[] p = new float[test.steps()];
                for (int s = 0; s < samples; s++)
                {
                    test.copySequence(s, p, 0);
                    predictions[mode.ordinal()][s] = net.run(sim, p, s, new double[1]);
                    logits[mode.ordinal()][s] = sim.outputs(net.readout()).clone();
                }
            }
        }
        int agree = 0;
        for (int s = 0; s < samples; s++)
        {
            for (int m = 1; m < 3; m++)
            {
                // rounding can flip a count where a voltage lands within ~1e-12 of an integer: one count moves a logit
                // by |W_out| * scale / K at most; here we require near-identity
                assertArrayEquals(logits[0][s], logits[m][s], 1e-6, "mode " + MemoryMode.values()[m] + " sample " + s);
                agree += predictions[0][s] == predictions[m][s] ? 1 : 0;
            }
        }
        assertEquals(2 * samples, agree);
        assertTrue(samples > 0);
    }

    @Test
    void quantizedMemoryModelEngineEqualsReferenceForwardOnRealSamples() throws IOException
    {
        final Path file = Path.of("..", "models", "psmnist-lmu-hybrid-qmem.safetensors");
        assumeTrue(Files.isRegularFile(file), "no model at " + file.toAbsolutePath());
        assumeTrue(Files.isRegularFile(MnistDataset.defaultCacheDir().resolve("t10k-images-idx3-ubyte")), "no MNIST cache");
        final LmuFile lmu = LmuFile.load(file);
        assertTrue(lmu.memoryQuantized());
        final PixelSequences test = PsMnist.load(MnistDataset.defaultCacheDir(), lmu.permutationSeed()).test();
        final Random rnd = new Random(2);
        final float[] p = new float[test.steps()];
        long memoryEvents = 0;
        for (final MemoryMode mode : new MemoryMode[] {MemoryMode.RECURRENCE, MemoryMode.FILTER})
        {
            final LmuModelNetwork net = LmuModelNetwork.build(lmu, true, Double.NaN, mode);
            try (Simulator sim = new Simulator(net.network()))
            {
                for (int s = 0; s < 4; s++)
                {
                    test.copySequence(s, p, 0);
                    final double[] v0 = new double[lmu.hidden()];
                    final double[] vm0 = new double[lmu.order()];
                    for (int j = 0; j < v0.length; j++)
                    {
                        v0[j] = rnd.nextDouble();
                    }
                    for (int i = 0; i < vm0.length; i++)
                    {
                        vm0[i] = rnd.nextDouble();
                    }
                    final ReferenceForward.Result ref = ReferenceForward.run(lmu, p, lmu.dt(), true, v0, lmu.memoryDt(), vm0);
                    sim.reset(s);
                    sim.quantizer(net.hidden()).setVoltages(v0);
                    sim.quantizer(net.memoryQuantizer()).setVoltages(vm0);
                    final double[] in = new double[1];
                    int mismatches = 0;
                    for (int t = 0; t < p.length; t++)
                    {
                        in[0] = p[t];
                        sim.setInput(net.pixel(), in);
                        sim.setInput(net.pixelDirect(), in);
                        sim.step();
                        final int k = t - lmu.hiddenFirstStep();
                        if (k >= 0)
                        {
                            if (mode == MemoryMode.RECURRENCE)
                            {
                                assertArrayEquals(ref.memoryCounts()[k], sim.counts(net.memoryQuantizer()), "memory, sample " + s + " step " + t);
                                assertArrayEquals(ref.counts()[k], sim.counts(net.hidden()), "hidden, sample " + s + " step " + t);
                            }
                            else
                            {
                                // the filter sums the impulse response in another order: a count may flip where a voltage
                                // lands within rounding of an integer
                                mismatches += java.util.Arrays.equals(ref.memoryCounts()[k], sim.counts(net.memoryQuantizer())) ? 0 : 1;
                            }
                            for (final int c : ref.memoryCounts()[k])
                            {
                                memoryEvents += c != 0 ? 1 : 0;
                            }
                        }
                    }
                    assertTrue(mismatches <= 1, mode + " sample " + s + ": " + mismatches + " window steps differ");
                    if (mode == MemoryMode.RECURRENCE)
                    {
                        assertEquals(ref.prediction(), LmuModelNetwork.argmax(sim.outputs(net.readout())));
                        assertArrayEquals(ref.logits(), sim.outputs(net.readout()), 1e-9);
                    }
                }
            }
        }
        assertTrue(memoryEvents > 1000, memoryEvents + " memory events");
    }
}
