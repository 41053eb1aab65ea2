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
