package io.spikering.core.lmu;

import io.spikering.core.engine.FilterBatch;
import io.spikering.core.engine.OpCounter.Op;
import io.spikering.core.engine.Simulator;
import io.spikering.core.lmu.LmuModelNetwork.MemoryMode;
import io.spikering.core.lmu.LmuModelNetwork.MemorySchedule;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Batched evaluation ({@link LmuEvaluation} with batches, {@link FilterBatch}) against every sample run alone with
 * {@link LmuModelNetwork#run}: the same logits bit for bit, predictions, op counts per projection and population,
 * count histograms and rasters, on the shipped models (every memory mode they run in, spiking and not) with
 * psMNIST-like inputs (a fifth of the pixels non-zero).
 */
final class BatchedEvaluationTest
{
    private static final Path MODELS = Path.of("..", "models");

    private record Data(float[][] pixels, int[] labels) implements LmuEvaluation.Samples
    {
        public int size()
        {
            return pixels.length;
        }

        public int label(final int sample)
        {
            return labels[sample];
        }

        public void copy(final int sample, final float[] dst)
        {
            System.arraycopy(pixels[sample], 0, dst, 0, dst.length);
        }
    }

    private static Data data(final int samples, final int steps, final long seed)
    {
        final Random rnd = new Random(seed);
        final float[][] pixels = new float[samples][steps];
        final int[] labels = new int[samples];
        for (int s = 0; s < samples; s++)
        {
            for (int t = 0; t < steps; t++)
            {
                pixels[s][t] = rnd.nextInt(5) == 0 ? (1 + rnd.nextInt(255)) / 255f : 0f;
            }
            labels[s] = rnd.nextInt(10);
        }
        return new Data(pixels, labels);
    }

    @Test
    void shippedModelsBatchedEqualOneSampleAtATime() throws IOException
    {
        final LmuFile hybrid = LmuFile.load(MODELS.resolve("psmnist-lmu-hybrid.safetensors"));
        final LmuFile qmem = LmuFile.load(MODELS.resolve("psmnist-lmu-hybrid-qmem.safetensors"));
        final Data data = data(11, hybrid.steps(), 5);
        check(LmuModelNetwork.build(hybrid, true, Double.NaN, MemoryMode.FUSED), data);
        check(LmuModelNetwork.build(hybrid, false, Double.NaN, MemoryMode.FUSED), data);
        check(LmuModelNetwork.build(hybrid, true, Double.NaN, MemoryMode.FILTER), data);
        check(LmuModelNetwork.build(qmem, true, Double.NaN, Double.NaN, MemoryMode.FILTER), data);
        check(LmuModelNetwork.build(qmem, false, Double.NaN, Double.NaN, MemoryMode.FUSED), data);
        // delta encoders on the hidden layer and the memory quantizer
        check(LmuModelNetwork.build(qmem.withEncoding(new LmuFile.Encoding(true, 1.0, true, 1.0)), true, Double.NaN, Double.NaN,
            MemoryMode.FILTER), data);
    }

    @Test
    void tinyModelBatchedEqualsOneSampleAtATime() throws IOException
    {
        final Path dir = java.nio.file.Files.createTempDirectory("batched");
        final Path p = dir.resolve("tiny.safetensors");
        TinyLmu.file(0.5, 4).write(p);
        final LmuFile tiny = LmuFile.load(p);
        final Data data = data(23, tiny.steps(), 9);
        for (final MemoryMode mode : MemoryMode.values())
        {
            check(LmuModelNetwork.build(tiny, true, Double.NaN, mode), data);
            check(LmuModelNetwork.build(tiny, false, Double.NaN, mode), data);
        }
        check(LmuModelNetwork.build(tiny, true, Double.NaN, Double.NaN, MemoryMode.FILTER, MemorySchedule.EAGER), data);
    }

    private static void check(final LmuModelNetwork net, final Data data)
    {
        final int n = data.size();
        // each sample alone: logits and predictions
        final double[][] logits = new double[n][];
        final int[] predictions = new int[n];
        try (Simulator sim = new Simulator(net.network()))
        {
            for (int i = 0; i < n; i++)
            {
                predictions[i] = net.run(sim, data.pixels[i], i, new double[1]);
                logits[i] = sim.outputs(net.readout()).clone();
            }
        }
        // the batch by hand, to compare the logits
        if (net.memoryMode() != MemoryMode.RECURRENCE && net.memorySchedule() == MemorySchedule.DEFERRED)
        {
            final Simulator[] sims = new Simulator[n];
            final double[] buffer = new double[1];
            final int from = net.model().hiddenFirstStep();
            for (int i = 0; i < n; i++)
            {
                sims[i] = new Simulator(net.network());
                sims[i].reset(i);
                for (int t = 0; t < from; t++)
                {
                    step(net, sims[i], data.pixels[i][t], buffer);
                }
            }
            FilterBatch.flush(sims, n, net.memory());
            for (int i = 0; i < n; i++)
            {
                for (int t = from; t < net.model().steps(); t++)
                {
                    step(net, sims[i], data.pixels[i][t], buffer);
                }
                assertArrayEquals(logits[i], sims[i].outputs(net.readout()), net.memoryMode() + " sample " + i);
                sims[i].close();
            }
        }
        final LmuEvaluation.Result one = LmuEvaluation.run(net, data, n, 1, 1, 3, null);
        assertArrayEquals(predictions, one.predictions());
        for (final int[] shape : new int[][] {{1, 4}, {2, 3}, {2, 32}})
        {
            final LmuEvaluation.Result batched = LmuEvaluation.run(net, data, n, shape[0], shape[1], 3, null);
            final String what = net.memoryMode() + (net.spiking() ? " spiking" : " non-spiking") + ", " + shape[0] + " threads, batch " + shape[1];
            assertArrayEquals(predictions, batched.predictions(), what);
            for (final Op op : Op.values())
            {
                for (int p = 0; p < net.network().populationCount(); p++)
                {
                    assertEquals(one.ops().population(p, op), batched.ops().population(p, op), what + ", population " + p + " " + op);
                    if (one.ops().histogram(p) != null)
                    {
                        for (int c = -8; c <= 8; c++)
                        {
                            assertEquals(one.ops().histogram(p).countOf(c), batched.ops().histogram(p).countOf(c), what + " histogram");
                        }
                    }
                }
                for (int r = 0; r < net.network().projectionCount(); r++)
                {
                    assertEquals(one.ops().projection(r, op), batched.ops().projection(r, op), what + ", projection " + r + " " + op);
                }
            }
            for (int s = 0; s < one.raster().length; s++)
            {
                for (int t = 0; t < one.raster()[s].length; t++)
                {
                    assertArrayEquals(one.raster()[s][t], batched.raster()[s][t], what + " raster");
                }
            }
        }
    }

    private static void step(final LmuModelNetwork net, final Simulator sim, final float pixel, final double[] buffer)
    {
        buffer[0] = pixel;
        sim.setInput(net.pixel(), buffer);
        sim.setInput(net.pixelDirect(), buffer);
        sim.step();
    }
}
