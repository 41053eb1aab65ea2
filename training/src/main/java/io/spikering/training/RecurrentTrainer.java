package io.spikering.training;

/**
 * Mini-batch BPTT training of a {@link RecurrentLmu} (double precision) with Adam and gradient-norm clipping, data
 * parallel over fixed shards reduced in shard order, so the same seed gives the same parameters for any thread count.
 */
public final class RecurrentTrainer implements AutoCloseable
{
    private final RecurrentLmu[] cells;
    private final ShardPool pool;
    private final int shardSize;
    private final double[][] shardGrad;
    private final double[] shardLoss;
    private final double[] grad;
    private final double[] m;
    private final double[] v;
    private final double[] params;
    private final double learningRate;
    private final double clipNorm;
    private long step;

    public RecurrentTrainer(final LmuSpec spec, final RecurrentLmu.Options options, final int inputs, final int batchSize, final int shardSize,
        final int threads, final double learningRate, final double clipNorm, final long seed)
    {
        if (shardSize < 1 || shardSize > batchSize)
        {
            throw new IllegalArgumentException("need 1 <= shard size <= batch size, got " + shardSize + " and " + batchSize);
        }
        this.cells = new RecurrentLmu[threads];
        for (int i = 0; i < threads; i++)
        {
            cells[i] = new RecurrentLmu(spec, options, inputs);
        }
        this.pool = new ShardPool(threads);
        this.shardSize = shardSize;
        final int shards = (batchSize + shardSize - 1) / shardSize;
        final int size = cells[0].parameterCount();
        this.shardGrad = new double[shards][size];
        this.shardLoss = new double[shards];
        this.grad = new double[size];
        this.m = new double[size];
        this.v = new double[size];
        this.params = cells[0].initialize(seed);
        this.learningRate = learningRate;
        this.clipNorm = clipNorm;
    }

    /** The live parameters. */
    public double[] parameters()
    {
        return params;
    }

    /**
     * One Adam step on samples {@code order[from..to)} of {@code x} (each steps × inputs values); dt > 0 trains
     * spiking-aware with voltages from {@code voltageSeed}. Returns the batch-mean loss.
     */
    public double step(final float[][] x, final int[] labels, final int[] order, final int from, final int to, final double dt,
        final long voltageSeed)
    {
        final int size = to - from;
        final int shards = (size + shardSize - 1) / shardSize;
        if (shards > shardGrad.length)
        {
            throw new IllegalArgumentException("batch of " + size + " exceeds the configured batch size");
        }
        pool.run(shards, (worker, shard) ->
        {
            final double[] g = shardGrad[shard];
            java.util.Arrays.fill(g, 0.0);
            double loss = 0.0;
            final RecurrentLmu cell = cells[worker];
            final int a = from + shard * shardSize;
            final int b = Math.min(to, a + shardSize);
            for (int s = a; s < b; s++)
            {
                final int sample = order[s];
                loss += cell.forward(params, x[sample], labels[sample], dt, ShardKernel.voltageSeed(voltageSeed, s - from), null, null);
                cell.backward(params, x[sample], labels[sample], 1.0 / size, g);
            }
            shardLoss[shard] = loss;
        });
        System.arraycopy(shardGrad[0], 0, grad, 0, grad.length);
        double loss = shardLoss[0];
        for (int s = 1; s < shards; s++)
        {
            final double[] g = shardGrad[s];
            for (int i = 0; i < grad.length; i++)
            {
                grad[i] += g[i];
            }
            loss += shardLoss[s];
        }
        double norm2 = 0.0;
        for (final double g : grad)
        {
            norm2 += g * g;
        }
        if (!Double.isFinite(norm2))
        {
            throw new IllegalStateException("gradient is not finite at step " + (step + 1) + "; lower the learning rate or enable clipping");
        }
        final double scale = clipNorm > 0.0 && norm2 > clipNorm * clipNorm ? clipNorm / Math.sqrt(norm2) : 1.0;
        step++;
        final double c1 = 1.0 - Math.pow(Adam.BETA1, step);
        final double c2 = 1.0 - Math.pow(Adam.BETA2, step);
        for (int i = 0; i < params.length; i++)
        {
            final double g = grad[i] * scale;
            m[i] = Adam.BETA1 * m[i] + (1.0 - Adam.BETA1) * g;
            v[i] = Adam.BETA2 * v[i] + (1.0 - Adam.BETA2) * g * g;
            params[i] -= learningRate * (m[i] / c1) / (Math.sqrt(v[i] / c2) + Adam.EPSILON);
        }
        return loss / size;
    }

    @Override
    public void close()
    {
        pool.close();
    }
}
