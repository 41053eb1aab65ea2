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
    private int[] identity;
    private long lastCorrect;

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
        this.identity = new int[0];
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
        return step(x, labels, order, from, to, dt, voltageSeed, learningRate);
    }

    /** As {@link #step(float[][], int[], int[], int, int, double, long)} with an explicit Adam step size for this batch. */
    public double step(final float[][] x, final int[] labels, final int[] order, final int from, final int to, final double dt,
        final long voltageSeed, final double stepSize)
    {
        final int size = to - from;
        final int shards = (size + shardSize - 1) / shardSize;
        if (shards > shardGrad.length)
        {
            throw new IllegalArgumentException("batch of " + size + " exceeds the configured batch size");
        }
        final float scale = 1.0f / size;
        projectMemory(params);
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
        long correct = (long)shardResult[0][1];
        for (int s = 1; s < shards; s++)
        {
            final float[] g = shardGrad[s];
            for (int i = 0; i < grad.length; i++)
            {
                grad[i] += g[i];
            }
            loss += shardResult[s][0];
            correct += (long)shardResult[s][1];
        }
        lastCorrect = correct;
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
        adam.update(params, grad, clip, stepSize);
        return loss / size;
    }

    /** Correct predictions (on the forward pass that computed the gradient) in the last {@link #step}'s batch. */
    public long lastCorrect()
    {
        return lastCorrect;
    }

    /** The optimizer state (moments and step count), for checkpoints. */
    public Adam adam()
    {
        return adam;
    }

    /**
     * The training forward pass (no gradient) of {@code params} over samples 0..count−1 at quantizer {@code dt}
     * (0 = non-spiking); sample i's voltages derive from {@code voltageSeed} and i, so the result does not depend on
     * the thread count. Counts are not tallied ({@link Evaluation#counts()} is null).
     */
    public Evaluation evaluate(final float[] params, final float[][] x, final int[] labels, final int count, final double dt,
        final long voltageSeed)
    {
        if (count < 1 || count > x.length || count > labels.length)
        {
            throw new IllegalArgumentException("evaluation count must be in 1.." + Math.min(x.length, labels.length) + ", got " + count);
        }
        if (params.length != this.params.length)
        {
            throw new IllegalArgumentException("parameter array has " + params.length + " entries, the model has " + this.params.length);
        }
        final int[] ids = identity(count);
        final int shards = (count + shardSize - 1) / shardSize;
        final double[][] results = new double[shards][2];
        projectMemory(params);
        pool.run(shards, (worker, shard) ->
        {
            final int a = shard * shardSize;
            final int b = Math.min(count, a + shardSize);
            kernels[worker].run(params, x, labels, ids, a, b, dt, voltageSeed, a, null, 0.0f, results[shard]);
        });
        double loss = 0.0;
        double correct = 0.0;
        for (final double[] r : results)
        {
            loss += r[0];
            correct += r[1];
        }
        return new Evaluation(count, loss / count, correct / count, dt, null);
    }

    /** The fixed-memory path's g_j = W_mᵀ H_j for p, shared by all shards, rows split over the threads (each row is independent). */
    private void projectMemory(final float[] p)
    {
        if (response != null)
        {
            response.load(p, wmOffset);
            final int steps = response.steps();
            final int parts = pool.threads();
            pool.run(parts, (worker, part) -> response.project(part * steps / parts, (part + 1) * steps / parts));
        }
    }

    private int[] identity(final int count)
    {
        if (identity.length < count)
        {
            identity = new int[count];
            for (int i = 0; i < count; i++)
            {
                identity[i] = i;
            }
        }
        return identity;
    }

    /** True when training with these inputs and options takes the fixed-memory fast path (whose products {@link #products} names). */
    public static boolean usesFixedMemory(final int inputs, final RecurrentLmu.Options options)
    {
        return RecurrentBatchKernel.hasFixedMemory(inputs, options);
    }

    /** The fixed-memory path's products in this JVM, for logs. */
    public static String products()
    {
        return FloatMatrixOps.best().describe();
    }

    @Override
    public void close()
    {
        pool.close();
    }
}
