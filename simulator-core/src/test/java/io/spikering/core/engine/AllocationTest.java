package io.spikering.core.engine;

import io.spikering.neuron.Activation;
import io.spikering.neuron.CubaLif;
import io.spikering.neuron.LegendreMemory;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** After warm-up, stepping allocates nothing on the stepping thread (thread allocation counter). */
final class AllocationTest
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @Test
    void hybridLmuNetworkStepsWithoutAllocating()
    {
        hybridLmuNetwork(0);
    }

    /** The Disruptor path: the stepping thread (publishing, barriers) allocates nothing either. */
    @Test
    void hybridLmuNetworkOnTheDisruptorPathStepsWithoutAllocating()
    {
        hybridLmuNetwork(2);
    }

    private static void hybridLmuNetwork(final int threads)
    {
        final Network.Builder b = Network.builder();
        final int in = b.input("pixel", 1);
        final int mem = b.legendreMemory("memory", 1, LegendreMemory.zoh(32, 100.0), null);
        final int qmem = b.legendreMemory("qmemory", 1, LegendreMemory.zoh(8, 50.0),
            new Quantization(Activation.LINEAR, 1.0, 0.1, 3));
        final int hidden = b.sigmaDelta("hidden", 64, new Quantization(Activation.TANH, 2.0, 1.0, 7));
        final int rate = b.rate("rate", 16, Activation.RELU);
        final SplittableRandom random = new SplittableRandom(5);
        b.connect(in, mem).dense(matrix(random, 1, 1));
        b.connect(in, qmem).dense(matrix(random, 1, 1));
        b.connect(mem, hidden).dense(matrix(random, 32, 64));
        b.connect(qmem, hidden).dense(matrix(random, 8, 64));
        b.connect(hidden, hidden).delay(1).dense(matrix(random, 64, 64));
        b.connect(hidden, rate).dense(matrix(random, 64, 16));
        b.connect(rate, hidden).delay(2).sparse(new int[16][0], new float[16][0]);
        b.bias(hidden, new float[64]);
        final Network network = b.build();
        try (Simulator sim = new Simulator(network, threads))
        {
            final double[] pixel = new double[1];
            final long[] seen = new long[1];
            sim.addListener((step, population, neurons, counts, n) -> seen[0] += n);
            final Runnable steps = () ->
            {
                for (int t = 0; t < 2_000; t++)
                {
                    pixel[0] = (t % 7) * 0.3 - 0.9;
                    sim.setInput(in, pixel);
                    sim.step();
                }
            };
            assertNoAllocation(steps);
            assertTrue(seen[0] > 0);
            assertTrue(sim.ops().total(OpCounter.Op.SYNOPS) > 0);
        }
    }

    @Test
    void sparseLifNetworkStepsWithoutAllocating()
    {
        final int n = 400;
        final Network.Builder b = Network.builder();
        final double[] v = new double[n];
        final SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < n; i++)
        {
            v[i] = -60 + 10 * random.nextDouble();
        }
        final int lif = b.lif("cuba", n, CubaLif.Parameters.cuba(), 0.1, v);
        final int[][] targets = new int[n][];
        final float[][] weights = new float[n][];
        for (int i = 0; i < n; i++)
        {
            targets[i] = random.ints(0, n).distinct().limit(20).toArray();
            weights[i] = new float[20];
            java.util.Arrays.fill(weights[i], i < 320 ? 16.2f : -139.4f);
        }
        b.connect(lif, lif).delay(1).sparse(targets, weights);
        b.bias(lif, filled(n, 30.0f));
        try (Simulator sim = new Simulator(b.build()))
        {
            assertNoAllocation(() -> sim.run(2_000));
            assertTrue(sim.ops().total(OpCounter.Op.EVENTS) > 0, "the LIF network must spike");
        }
    }

    /** A spiking CNN of NIR primitives (conv, LIF, sum pooling, pass-through, CubaLIF, affine, LI), both paths. */
    @Test
    void nirConvolutionalNetworkStepsWithoutAllocating()
    {
        for (final int threads : new int[] {0, 2})
        {
            final SplittableRandom random = new SplittableRandom(3);
            final Network.Builder b = Network.builder();
            final int in = b.input("in", 2 * 12 * 12);
            final ConvKernel conv = ConvKernel.conv(2, new int[] {12, 12}, 4, new int[] {3, 3}, vector(random, 4 * 2 * 9, 1.0))
                .padding(1).build();
            final int lif = b.neurons("lif", nir(NeuronDynamics.Model.LIF, conv.outputSize()));
            b.connect(in, lif).conv(conv);
            b.bias(lif, conv.expandBias(new float[] {0.1f, 0.2f, 0.3f, 0.4f}));
            final ConvKernel pool = ConvKernel.sumPool2d(4, 12, 12, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0});
            final int pooled = b.passThrough("pool", pool.outputSize());
            b.connect(lif, pooled).conv(pool);
            final ConvKernel conv2 = ConvKernel.conv(4, new int[] {6, 6}, 4, new int[] {3, 3}, vector(random, 4 * 4 * 9, 1.0))
                .stride(2).build();
            final int cuba = b.neurons("cuba", nir(NeuronDynamics.Model.CUBA_LIF, conv2.outputSize()));
            b.connect(pooled, cuba).conv(conv2);
            b.connect(cuba, cuba).delay(1).diagonal(vector(random, conv2.outputSize(), 0.5));
            final int li = b.neurons("li", nir(NeuronDynamics.Model.LI, 10));
            b.connect(cuba, li).dense(matrix(random, conv2.outputSize(), 10));
            final Network network = b.build();
            try (Simulator sim = new Simulator(network, threads))
            {
                final double[] frame = new double[2 * 12 * 12];
                final long[] t = new long[1];
                assertNoAllocation(() ->
                {
                    for (int s = 0; s < 2_000; s++)
                    {
                        // a sparse moving pattern of input events
                        java.util.Arrays.fill(frame, 0.0);
                        for (int k = 0; k < 20; k++)
                        {
                            frame[(int)((t[0] * 37 + k * 101) % frame.length)] = 1.0;
                        }
                        t[0]++;
                        sim.setInput(in, frame);
                        sim.step();
                    }
                });
                assertTrue(sim.ops().population(lif, OpCounter.Op.EVENTS) > 0 && sim.ops().population(cuba, OpCounter.Op.EVENTS) > 0,
                    "both spiking layers must spike");
            }
        }
    }

    private static NeuronDynamics nir(final NeuronDynamics.Model model, final int n)
    {
        final double[] tau = filled(n, 0.002);
        final NeuronDynamics.Builder b = NeuronDynamics.builder(model, n).tau(tau).r(filled(n, 1.0)).vLeak(filled(n, 0.0)).dt(1e-3)
            .reset(NeuronDynamics.Reset.SUBTRACT);
        if (model == NeuronDynamics.Model.CUBA_LIF)
        {
            b.tauSyn(filled(n, 0.001)).currentOrder(NeuronDynamics.CurrentOrder.UPDATED);
        }
        return model.isSpiking() ? b.vThreshold(filled(n, 0.2)).build() : b.build();
    }

    private static double[] filled(final int n, final double value)
    {
        final double[] a = new double[n];
        java.util.Arrays.fill(a, value);
        return a;
    }

    private static float[] vector(final SplittableRandom random, final int n, final double scale)
    {
        final float[] v = new float[n];
        for (int i = 0; i < n; i++)
        {
            v[i] = (float)(scale * random.nextGaussian());
        }
        return v;
    }

    @Test
    void allocationCounterSeesAllocations()
    {
        assertTrue(allocatedBytes(() -> sink = new long[1024], 2) >= 8 * 1024, "the measurement must be able to fail");
    }

    private static Object sink;

    /**
     * Warms up for 5 rounds of 2000 steps, then measures 5 more: at least one round allocates exactly 0 bytes, and all
     * 5 together (10,000 steps) less than 10,000 bytes (under 1 byte per step). Any allocation per step would cost at
     * least 16 bytes per step (160,000 bytes). The slack admits rare JVM-internal allocations of a few hundred bytes
     * that also hit the thread's counter between steps, outside the engine (seen in the full suite while the JIT is
     * still recompiling; a per-step probe showed them in 4 of 20,000 steps and equally in the harness loop).
     */
    /** The partitioned step: neither the stepping thread nor the other thread allocates per step. */
    @Test
    void partitionedCubaNetworkStepsWithoutAllocating()
    {
        try (Simulator sim = Simulator.partitioned(io.spikering.core.bench.CubaNetwork.build(1, 400, 100, 40, 10), 2))
        {
            sim.run(100);
            warmUp(() -> sim.run(2_000));
            final long worker = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("spikering-step-1")).findFirst().orElseThrow().getId();
            final long before = THREADS.getThreadAllocatedBytes(worker);
            assertNoAllocation(() -> sim.run(2_000));
            final long workerBytes = THREADS.getThreadAllocatedBytes(worker) - before;
            assertTrue(workerBytes < 10_000, "bytes allocated by the other thread over 20,000 steps: " + workerBytes);
            assertTrue(sim.ops().total(OpCounter.Op.EVENTS) > 0, "the LIF network must spike");
        }
    }

    /**
     * Runs rounds until one allocates nothing (at most 40): the Vector API LIF kernel allocates per operation until C2
     * has compiled it, which in a JVM that has run nothing else takes more than 10,000 steps. A step that keeps
     * allocating fails the measurement after it.
     */
    private static void warmUp(final Runnable twoThousandSteps)
    {
        for (int round = 0; round < 40 && allocatedBytes(twoThousandSteps, 1) > 0; round++)
        {
            allocatedBytes(twoThousandSteps, 1);
        }
    }

    private static void assertNoAllocation(final Runnable twoThousandSteps)
    {
        warmUp(twoThousandSteps);
        long total = 0;
        long min = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++)
        {
            final long bytes = allocatedBytes(twoThousandSteps, 1);
            total += bytes;
            min = Math.min(min, bytes);
        }
        assertEquals(0, min, "bytes allocated in the best of 5 rounds of 2000 steps");
        assertTrue(total < 10_000, "bytes allocated over 10,000 steps: " + total);
    }

    /** Allocated bytes of the last of {@code rounds} runs (earlier runs warm up, JIT compile). */
    private static long allocatedBytes(final Runnable work, final int rounds)
    {
        final long id = Thread.currentThread().getId();
        long bytes = -1;
        for (int r = 0; r < rounds; r++)
        {
            final long calibrate = THREADS.getThreadAllocatedBytes(id);
            final long overhead = THREADS.getThreadAllocatedBytes(id) - calibrate;
            final long before = THREADS.getThreadAllocatedBytes(id);
            work.run();
            bytes = THREADS.getThreadAllocatedBytes(id) - before - overhead;
        }
        return bytes;
    }

    private static float[][] matrix(final SplittableRandom random, final int rows, final int columns)
    {
        final float[][] w = new float[rows][columns];
        for (final float[] row : w)
        {
            for (int j = 0; j < columns; j++)
            {
                row[j] = (float)(random.nextGaussian() / Math.sqrt(rows));
            }
        }
        return w;
    }

    private static float[] filled(final int n, final float value)
    {
        final float[] a = new float[n];
        java.util.Arrays.fill(a, value);
        return a;
    }
}
