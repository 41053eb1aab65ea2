package io.spikering.training;

/**
 * Mini-batch BPTT training of the recurrent LMU cell ({@link RecurrentLmu} equations, fast float
 * {@link RecurrentBatchKernel}) with Adam and gradient-norm clipping, data parallel over fixed shards reduced in shard
 * order, so the same seed gives the same parameters for any thread count.
 */
public final class RecurrentTrainer implements AutoCloseable
{
    private final RecurrentBatchKernel[] kernels;
    private final FixedMemoryResponse response;
    private final int wmOffset;
    private final ShardPool pool;
    private final int shardSize;
    private final float[][] shardGrad;
    private final double[][] shardResult;
    private final float[] grad;
    private final float[] params;
    private final Adam adam;
    private final double learningRate;
    private final double clipNorm;

    public RecurrentTrainer(final LmuSpec spec, final RecurrentLmu.Options options, final int inputs, final int batchSize, final int shardSize,
        final int threads, final double learningRate, final double clipNorm, final long seed)
    {
        if (shardSize < 1 || shardSize > batchSize)
        {
            throw new IllegalArgumentException("need 1 <= shard size <= batch size, got " + shardSize + " and " + batchSize);
        }
        final RecurrentLmu cell = new RecurrentLmu(spec, options, inputs);
        this.response = RecurrentBatchKernel.hasFixedMemory(inputs, options) ? new FixedMemoryResponse(spec) : null;
        this.wmOffset = cell.offsets()[3];
        this.kernels = new RecurrentBatchKernel[threads];
        for (int i = 0; i < threads; i++)
        {
            kernels[i] = new RecurrentBatchKernel(cell, shardSize, true, response);
        }
        this.pool = new ShardPool(threads);
        this.shardSize = shardSize;
        final int shards = (batchSize + shardSize - 1) / shardSize;
        final int size = cell.parameterCount();
        this.shardGrad = new float[shards][size];
        this.shardResult = new double[shards][2];
        this.grad = new float[size];
        final double[] init = cell.initialize(seed);
        this.params = new float[size];
        for (int i = 0; i < size; i++)
        {
            params[i] = (float)init[i];
        }
        this.adam = new Adam(size);
        this.learningRate = learningRate;
        this.clipNorm = clipNorm;
    }

    /** The live parameters (layout of {@link RecurrentLmu}). */
    public float[] parameters()
    {
        return params;
    }

    /**
     * One Adam step on samples {@code order[from..to)} of {@code x} (each steps × inputs values); dt > 0 trains
     * spiking-aware with voltages derived from {@code voltageSeed}. Returns the batch-mean loss.
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
        final float scale = 1.0f / size;
        if (response != null)
        {
            // g_j = W_mᵀ H_j once per step for all shards, rows split over the threads (each row is independent)
            response.load(params, wmOffset);
            final int steps = response.steps();
            final int parts = pool.threads();
            pool.run(parts, (worker, part) -> response.project(part * steps / parts, (part + 1) * steps / parts));
        }
        pool.run(shards, (worker, shard) ->
        {
            final float[] g = shardGrad[shard];
            java.util.Arrays.fill(g, 0.0f);
            final double[] r = shardResult[shard];
            r[0] = 0.0;
            r[1] = 0.0;
            final int a = from + shard * shardSize;
            final int b = Math.min(to, a + shardSize);
            kernels[worker].run(params, x, labels, order, a, b, dt, voltageSeed, a - from, g, scale, r);
        });
        System.arraycopy(shardGrad[0], 0, grad, 0, grad.length);
        double loss = shardResult[0][0];
        for (int s = 1; s < shards; s++)
        {
            final float[] g = shardGrad[s];
            for (int i = 0; i < grad.length; i++)
            {
                grad[i] += g[i];
            }
            loss += shardResult[s][0];
        }
        double norm2 = 0.0;
        for (final float g : grad)
        {
            norm2 += (double)g * g;
        }
        if (!Double.isFinite(norm2))
        {
            throw new IllegalStateException("gradient is not finite at step " + (adam.step() + 1) + "; lower the learning rate or enable clipping");
        }
        final float clip = clipNorm > 0.0 && norm2 > clipNorm * clipNorm ? (float)(clipNorm / Math.sqrt(norm2)) : 1.0f;
        adam.update(params, grad, clip, learningRate);
        return loss / size;
    }

    @Override
    public void close()
    {
        pool.close();
    }
}
