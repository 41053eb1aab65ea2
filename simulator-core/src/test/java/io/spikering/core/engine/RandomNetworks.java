package io.spikering.core.engine;

import io.spikering.neuron.Activation;
import io.spikering.neuron.CubaLif;
import io.spikering.neuron.LegendreMemory;

import java.util.SplittableRandom;

/** Random hybrid networks for equivalence tests: every population kind, recurrence, delays, dense and sparse. */
final class RandomNetworks
{
    private RandomNetworks()
    {
    }

    static Network create(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final Network.Builder b = Network.builder();
        final int count = 5 + random.nextInt(4);
        // population 0 is an input, and so may be others; at least one non-input is forced below
        final int[] ids = new int[count];
        final PopulationKind[] kinds = new PopulationKind[count];
        for (int k = 0; k < count; k++)
        {
            final PopulationKind kind = k == 0 ? PopulationKind.INPUT : k == 1 ? PopulationKind.SIGMA_DELTA :
                PopulationKind.values()[random.nextInt(5)];
            kinds[k] = kind;
            final int size = 2 + random.nextInt(9);
            final String name = "p" + k;
            ids[k] = switch (kind)
            {
                case INPUT -> b.input(name, size);
                case RATE -> b.rate(name, size, random.nextBoolean() ? Activation.TANH : Activation.RELU);
                case SIGMA_DELTA -> b.sigmaDelta(name, size, quantization(random));
                case LIF ->
                {
                    final double[] v = new double[size];
                    for (int i = 0; i < size; i++)
                    {
                        v[i] = -60.0 + 10.0 * random.nextDouble();
                    }
                    yield b.lif(name, size, CubaLif.Parameters.cuba(), 0.1, v);
                }
                case STATE_SPACE ->
                {
                    final int channels = 1 + random.nextInt(2);
                    final Quantization q = random.nextBoolean() ? quantization(random) : null;
                    if (random.nextBoolean())
                    {
                        yield b.legendreMemory(name, channels, LegendreMemory.zoh(2 + random.nextInt(4), 5.0 + random.nextInt(20)), q);
                    }
                    final int d = 1 + random.nextInt(4);
                    final double[][] a = new double[d][d];
                    final double[] bb = new double[d];
                    for (int i = 0; i < d; i++)
                    {
                        bb[i] = random.nextDouble() < 0.2 ? 0.0 : random.nextDouble(-1, 1);
                        for (int j = 0; j < d; j++)
                        {
                            a[i][j] = random.nextDouble() < 0.3 ? 0.0 : random.nextDouble(-0.9, 0.9) / d;
                        }
                    }
                    yield b.stateSpace(name, channels, a, bb, q);
                }
                default -> throw new IllegalStateException("kind not generated here: " + kind);
            };
            if (kind != PopulationKind.INPUT && random.nextDouble() < 0.4)
            {
                b.bias(ids[k], randomRow(random, b.population(ids[k]).inputSize(), 1.5, 0.0));
            }
        }
        // a random update rank: zero delays only go from lower to higher rank, so no zero-delay cycle
        final int[] rank = new int[count];
        for (int k = 0; k < count; k++)
        {
            rank[k] = random.nextInt(1000);
        }
        final int projections = count + random.nextInt(2 * count);
        final int[] src = new int[projections];
        final int[] dst = new int[projections];
        final int[] incoming = new int[count];
        for (int p = 0; p < projections; p++)
        {
            src[p] = random.nextInt(count);
            int t = 1 + random.nextInt(count - 1);
            while (kinds[t] == PopulationKind.INPUT)
            {
                t = 1 + random.nextInt(count - 1);
            }
            dst[p] = t;
            incoming[t]++;
        }
        for (int p = 0; p < projections; p++)
        {
            final int s = src[p];
            final int t = dst[p];
            final int sourceSize = outputSize(b, ids[s]);
            final int targetSize = inputSize(b, ids[t]);
            // non-LIF targets: |sum of inputs| <= 0.9 max|source output|, so recurrent loops stay bounded
            final double scale = kinds[t] == PopulationKind.LIF ? 300.0 : 0.9 / ((double)sourceSize * incoming[t]);
            int delay = random.nextInt(4);
            if (delay == 0 && !(rank[s] < rank[t]))
            {
                delay = 1 + random.nextInt(3);
            }
            Network.ProjectionBuilder pb = b.connect(ids[s], ids[t]).delay(delay);
            if (kinds[t] == PopulationKind.LIF && random.nextBoolean())
            {
                pb = pb.port(Port.INHIBITORY);
            }
            final float[][] w = new float[sourceSize][];
            if (random.nextBoolean())
            {
                for (int i = 0; i < sourceSize; i++)
                {
                    w[i] = randomRow(random, targetSize, scale, 0.25);
                }
                pb.dense(w);
            }
            else
            {
                final int[][] targets = new int[sourceSize][];
                for (int i = 0; i < sourceSize; i++)
                {
                    final int[] perm = shuffled(random, targetSize);
                    final int nnz = random.nextInt(targetSize + 1);
                    targets[i] = java.util.Arrays.copyOf(perm, nnz);
                    w[i] = randomRow(random, nnz, scale, 0.1);
                }
                pb.sparse(targets, w);
            }
        }
        return b.build();
    }

    /**
     * Random NIR-like networks: a spatial input through a convolution, a pooling, a 1-d convolution over the flattened
     * map, a diagonal and dense layers into NEURON and PASS_THROUGH populations (random models, options and
     * parameters), with conv biases, a recurrent delayed projection, a per-element delay through a pass-through, and a
     * rate and a sigma-delta population mixed in.
     */
    static Network createNir(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final Network.Builder b = Network.builder();
        final int c0 = 1 + random.nextInt(2);
        final int h0 = 4 + random.nextInt(4);
        final int w0 = 4 + random.nextInt(4);
        final int in = b.input("in", c0 * h0 * w0);
        final ConvKernel conv = randomConv2d(random, c0, h0, w0);
        final int l1 = nirTarget(b, random, "conv", conv.outputSize());
        b.connect(in, l1).name("conv").conv(conv);
        if (random.nextBoolean())
        {
            b.bias(l1, conv.expandBias(randomRow(random, conv.outChannels(), 0.3, 0.0)));
        }
        int[] shape = {conv.outChannels(), conv.outputShape()[0], conv.outputShape()[1]};
        int last = l1;
        if (shape[1] >= 2 && shape[2] >= 2)
        {
            final int[] k = {1 + random.nextInt(2), 1 + random.nextInt(2)};
            final int[] stride = {1 + random.nextInt(2), 1 + random.nextInt(2)};
            final int[] pad = {random.nextInt(k[0] / 2 + 1), random.nextInt(k[1] / 2 + 1)};
            final ConvKernel pool = random.nextBoolean() ?
                ConvKernel.sumPool2d(shape[0], shape[1], shape[2], k, stride, pad) :
                ConvKernel.avgPool2d(shape[0], shape[1], shape[2], k, stride, pad);
            final int l2 = nirTarget(b, random, "pool", pool.outputSize());
            b.connect(last, l2).name("pool").conv(pool);
            shape = new int[] {shape[0], pool.outputShape()[0], pool.outputShape()[1]};
            last = l2;
        }
        // the map flattened per channel, (C, H * W), through a 1-d convolution
        final int length = shape[1] * shape[2];
        final int outC = 1 + random.nextInt(3);
        final int kernel = 1 + random.nextInt(Math.min(3, length));
        final ConvKernel conv1 = ConvKernel.conv(shape[0], new int[] {length}, outC, new int[] {kernel},
            randomRow(random, outC * shape[0] * kernel, 2.0 / Math.sqrt(shape[0] * kernel), 0.1))
            .stride(1 + random.nextInt(2)).padding(random.nextInt(2)).build();
        final int l3 = nirTarget(b, random, "conv1d", conv1.outputSize());
        b.connect(last, l3).name("conv1d").conv(conv1);
        final int l4 = nirTarget(b, random, "scale", conv1.outputSize());
        b.connect(l3, l4).name("scale").diagonal(randomRow(random, conv1.outputSize(), 2.0, 0.2));
        final int out = b.neurons("out", randomDynamics(random, 2 + random.nextInt(4)));
        final int outSize = b.population(out).inputSize();
        final float[][] w = new float[conv1.outputSize()][];
        for (int i = 0; i < w.length; i++)
        {
            w[i] = randomRow(random, outSize, 3.0 / Math.sqrt(w.length), 0.2);
        }
        b.connect(l4, out).name("affine").dense(w);
        // recurrence with a delay, as NIR graphs with cycles run
        final float[][] rec = new float[outSize][];
        for (int i = 0; i < outSize; i++)
        {
            rec[i] = randomRow(random, outSize, 0.5, 0.3);
        }
        b.connect(out, out).name("recurrent").delay(1 + random.nextInt(2)).dense(rec);
        // a per-element delay: units with delay d go through their own diagonal into one pass-through
        final int delayed = b.passThrough("delay", outSize);
        for (int d = 0; d < 3; d++)
        {
            final float[] gains = new float[outSize];
            for (int i = 0; i < outSize; i++)
            {
                gains[i] = i % 3 == d ? 1f : 0f;
            }
            b.connect(out, delayed).name("delay" + d).delay(d).diagonal(gains);
        }
        final int rate = b.rate("rate", 3, Activation.TANH);
        b.connect(delayed, rate).sparse(new int[outSize][0], new float[outSize][0]);
        final int[][] targets = new int[conv.outputSize()][];
        final float[][] weights = new float[conv.outputSize()][];
        for (int i = 0; i < targets.length; i++)
        {
            targets[i] = new int[] {i % 3};
            weights[i] = new float[] {(float)random.nextDouble(-0.5, 0.5)};
        }
        b.connect(l1, rate).name("l1->rate").delay(1).sparse(targets, weights);
        final int sd = b.sigmaDelta("sd", 3, quantization(random));
        b.connect(rate, sd).dense(new float[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
        b.connect(sd, out).name("sd->out").delay(1).dense(new float[][] {randomRow(random, outSize, 1.0, 0.0),
            randomRow(random, outSize, 1.0, 0.0), randomRow(random, outSize, 1.0, 0.0)});
        return b.build();
    }

    private static ConvKernel randomConv2d(final SplittableRandom random, final int inC, final int h, final int w)
    {
        final int groups = inC == 2 && random.nextBoolean() ? 2 : 1;
        final int outC = groups * (1 + random.nextInt(3));
        final int[] k = {1 + random.nextInt(3), 1 + random.nextInt(3)};
        final float[] weights = randomRow(random, outC * (inC / groups) * k[0] * k[1], 3.0 / Math.sqrt(k[0] * k[1] * inC), 0.1);
        final ConvKernel.Builder builder = ConvKernel.conv(inC, new int[] {h, w}, outC, k, weights).groups(groups)
            .dilation(1 + random.nextInt(2), 1);
        if (random.nextInt(4) == 0)
        {
            return builder.paddingSame().build();
        }
        return builder.stride(1 + random.nextInt(2), 1 + random.nextInt(2)).padding(random.nextInt(2), random.nextInt(2)).build();
    }

    /** A NEURON population of random dynamics (two in three) or a pass-through. */
    private static int nirTarget(final Network.Builder b, final SplittableRandom random, final String name, final int size)
    {
        return random.nextInt(3) == 0 ? b.passThrough(name, size) : b.neurons(name, randomDynamics(random, size));
    }

    /** Random model, options and parameters, scaled so that inputs of order 1 make the spiking models fire. */
    static NeuronDynamics randomDynamics(final SplittableRandom random, final int size)
    {
        final NeuronDynamics.Model[] models = NeuronDynamics.Model.values();
        return randomDynamics(random, size, models[random.nextInt(models.length)],
            NeuronDynamics.Discretization.values()[random.nextInt(2)], NeuronDynamics.Reset.values()[random.nextInt(2)],
            NeuronDynamics.ThresholdTest.values()[random.nextInt(2)], NeuronDynamics.CurrentOrder.values()[random.nextInt(2)]);
    }

    static NeuronDynamics randomDynamics(
        final SplittableRandom random,
        final int size,
        final NeuronDynamics.Model model,
        final NeuronDynamics.Discretization discretization,
        final NeuronDynamics.Reset reset,
        final NeuronDynamics.ThresholdTest test,
        final NeuronDynamics.CurrentOrder order)
    {
        final double dt = 1e-3;
        final double[] tau = new double[size];
        final double[] tauSyn = new double[size];
        final double[] r = new double[size];
        final double[] vLeak = new double[size];
        final double[] vTh = new double[size];
        final double[] vReset = new double[size];
        final double[] wIn = new double[size];
        for (int i = 0; i < size; i++)
        {
            tau[i] = dt * random.nextDouble(1.5, 12);
            // some equal time constants: the exact CUBA update's k = k_s case
            tauSyn[i] = random.nextInt(4) == 0 ? tau[i] : dt * random.nextDouble(1, 6);
            final boolean integrator = model == NeuronDynamics.Model.I || model == NeuronDynamics.Model.IF;
            r[i] = random.nextDouble(0.5, 2.5) / (integrator ? 5 * dt : 1);
            vLeak[i] = random.nextDouble(-0.2, 0.2);
            vTh[i] = random.nextDouble(0.2, 0.8);
            vReset[i] = random.nextDouble(-0.2, 0.1);
            wIn[i] = random.nextDouble(0.5, 2);
        }
        final NeuronDynamics.Builder b = NeuronDynamics.builder(model, size).discretization(discretization).reset(reset)
            .thresholdTest(test).currentOrder(order).spikeValue(new double[] {1.0, 0.5, 2.5}[random.nextInt(3)]);
        switch (model)
        {
            case I -> b.r(r).dt(dt);
            case IF -> b.r(r).vThreshold(vTh).vReset(vReset).dt(dt);
            case LI -> b.tau(tau).r(r).vLeak(vLeak).dt(dt);
            case LIF -> b.tau(tau).r(r).vLeak(vLeak).vThreshold(vTh).vReset(vReset).dt(dt);
            case CUBA_LI -> b.tau(tau).tauSyn(tauSyn).r(r).vLeak(vLeak).wIn(wIn).dt(dt);
            case CUBA_LIF -> b.tau(tau).tauSyn(tauSyn).r(r).vLeak(vLeak).wIn(wIn).vThreshold(vTh).vReset(vReset).dt(dt);
            case THRESHOLD -> b.vThreshold(vTh);
        }
        if (model != NeuronDynamics.Model.THRESHOLD && random.nextBoolean())
        {
            final double[] v0 = new double[size];
            for (int i = 0; i < size; i++)
            {
                v0[i] = random.nextDouble(-0.3, 0.3);
            }
            b.vInitial(v0);
        }
        return b.build();
    }

    /** Fills {@code values} with random input values, some exact zeros. */
    static void randomInput(final SplittableRandom random, final double[] values)
    {
        for (int i = 0; i < values.length; i++)
        {
            values[i] = random.nextDouble() < 0.3 ? 0.0 : random.nextDouble(-2, 2);
        }
    }

    private static Quantization quantization(final SplittableRandom random)
    {
        final Activation[] fs = {Activation.LINEAR, Activation.TANH, Activation.RELU};
        final double[] dts = {0.25, 1.0, 3.0, 8.0};
        return new Quantization(fs[random.nextInt(3)], dts[random.nextInt(4)], 0.5 + 0.5 * random.nextDouble(), random.nextLong());
    }

    private static float[] randomRow(final SplittableRandom random, final int n, final double scale, final double zeros)
    {
        final float[] row = new float[n];
        for (int j = 0; j < n; j++)
        {
            row[j] = random.nextDouble() < zeros ? 0.0f : (float)(scale * random.nextDouble(-1, 1));
        }
        return row;
    }

    private static int[] shuffled(final SplittableRandom random, final int n)
    {
        final int[] perm = new int[n];
        for (int i = 0; i < n; i++)
        {
            perm[i] = i;
        }
        for (int i = n - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final int tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
        return perm;
    }

    private static int outputSize(final Network.Builder b, final int id)
    {
        return b.population(id).outputSize();
    }

    private static int inputSize(final Network.Builder b, final int id)
    {
        return b.population(id).inputSize();
    }
}
