package io.spikering.training;

import io.spikering.core.lmu.LmuFile;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Trains the parallel LMU: mini-batch Adam on cross-entropy with gradient-norm clipping, non-spiking epochs then
 * spiking-aware epochs with an annealed dt, validation after every epoch and keep-best per phase, checkpoints
 * every epoch and every few minutes.
 *
 * <p>Data parallelism is deterministic: a batch is cut into fixed shards of {@code shardSize} samples, each shard's
 * gradient goes to its own buffer, and the buffers are summed in shard order. The same seed therefore gives a
 * bit-identical model for any thread count, and a resumed run equals an uninterrupted one.
 */
public final class Trainer implements AutoCloseable
{
    private final LmuSpec spec;
    private final TrainingConfig config;
    private final ShardPool pool;
    private final ShardKernel[] kernels;
    private final float[][] shardGrad;
    private final double[][] shardResult;
    private final long[][] shardCounts;
    private final float[] grad;
    private long lastCorrect;
    private int[] identity = new int[0];

    public Trainer(final LmuSpec spec, final TrainingConfig config)
    {
        this.spec = spec;
        this.config = config;
        this.pool = new ShardPool(config.threads());
        this.kernels = new ShardKernel[config.threads()];
        for (int i = 0; i < kernels.length; i++)
        {
            kernels[i] = new ShardKernel(spec, config.shardSize());
            final LmuFile.Encoding e = config.encoding();
            kernels[i].encoding(e.hiddenDelta(), e.hiddenThreshold(), e.memoryDelta(), e.memoryThreshold());
            kernels[i].activityPenalty(config.activityPenalty());
            kernels[i].dropout(config.dropout());
        }
        final int shards = (config.batchSize() + config.shardSize() - 1) / config.shardSize();
        this.shardGrad = new float[shards][spec.parameterCount()];
        this.shardResult = new double[shards][2];
        this.shardCounts = new long[config.threads()][2 * ShardKernel.COUNT_RANGE + 1];
        this.grad = new float[spec.parameterCount()];
    }

    /**
     * Trains from {@code state} until it is finished or the listener asks to stop; returns the same state.
     * {@code train} and {@code validation} must be standardized with {@code state.standardization()}.
     */
    public TrainingState train(final TrainingState state, final MemoryFeatures train, final MemoryFeatures validation,
        final TrainingListener listener)
    {
        return train(state, train, validation, null, listener);
    }

    /**
     * As {@link #train(TrainingState, MemoryFeatures, MemoryFeatures, TrainingListener)}, with {@code perturbed} (if not null)
     * rewriting {@code train} before every epoch, e.g. {@link PerturbedFeatures} for the config's augmentation.
     */
    public TrainingState train(final TrainingState state, final MemoryFeatures train, final MemoryFeatures validation,
        final EpochFeatures perturbed, final TrainingListener listener)
    {
        if (config.augmentation().active() && perturbed == null)
        {
            throw new IllegalArgumentException("the config asks for " + config.augmentation() + " but no source of perturbed features was given");
        }
        checkData(train, "training");
        checkData(validation, "validation");
        final float[] params = state.params.values();
        final long validationSeed = validationVoltageSeed(config.seed());
        EpochLoop.run(config, state, new EpochLoop.Model<LmuParameters>()
        {
            @Override
            public double step(final int[] order, final int from, final int to, final double dt, final double memoryDt, final long voltageSeed,
                final double learningRate)
            {
                return Trainer.this.step(train, order, from, to, dt, memoryDt, voltageSeed, learningRate, params, state);
            }

            @Override
            public long lastCorrect()
            {
                return lastCorrect;
            }

            @Override
            public Evaluation validate(final double dt, final double memoryDt)
            {
                return evaluate(state.params, validation, dt, memoryDt, validationSeed, false);
            }

            @Override
            public LmuParameters copyParameters()
            {
                return state.params.copy();
            }

            @Override
            public Path writeCheckpoint() throws IOException
            {
                return Checkpoint.write(state, config.checkpointDir());
            }

            @Override
            public void beginEpoch(final int epoch)
            {
                if (perturbed != null)
                {
                    perturbed.refill(epoch, train);
                }
            }
        }, train.count(), validation.count(), listener);
        return state;
    }

    /** Rewrites the training features before an epoch (a pure function of the epoch, so resumed runs match). */
    @FunctionalInterface
    public interface EpochFeatures
    {
        void refill(int epoch, MemoryFeatures train);
    }

    /** One Adam step on samples order[from..to); returns the summed loss and sets {@link #lastCorrect}. */
    private double step(final MemoryFeatures train, final int[] order, final int from, final int to, final double dt, final double memoryDt,
        final long voltageBase, final double lr, final float[] params, final TrainingState state)
    {
        final int size = to - from;
        final int shardSize = config.shardSize();
        final int shards = (size + shardSize - 1) / shardSize;
        final float gradScale = 1.0f / size;
        pool.run(shards, (worker, shard) ->
        {
            final float[] g = shardGrad[shard];
            java.util.Arrays.fill(g, 0.0f);
            final double[] r = shardResult[shard];
            r[0] = 0.0;
            r[1] = 0.0;
            final int a = from + shard * shardSize;
            final int b = Math.min(to, a + shardSize);
            kernels[worker].run(params, train, order, a, b, dt, memoryDt, voltageBase, a - from, g, gradScale, null, r);
        });
        System.arraycopy(shardGrad[0], 0, grad, 0, grad.length);
        double loss = shardResult[0][0];
        double correct = shardResult[0][1];
        for (int s = 1; s < shards; s++)
        {
            final float[] g = shardGrad[s];
            for (int i = 0; i < grad.length; i++)
            {
                grad[i] += g[i];
            }
            loss += shardResult[s][0];
            correct += shardResult[s][1];
        }
        double norm2 = 0.0;
        for (final float g : grad)
        {
            norm2 += (double)g * g;
        }
        final double norm = Math.sqrt(norm2);
        if (!Double.isFinite(norm))
        {
            throw new IllegalStateException("gradient is not finite at epoch " + (state.epoch + 1) + ", batch " + (state.batch + 1)
                + " (dt " + dt + "); lower the learning rate or enable clipping");
        }
        final float scale = config.clipNorm() > 0.0 && norm > config.clipNorm() ? (float)(config.clipNorm() / norm) : 1.0f;
        state.adam.update(params, grad, scale, lr);
        lastCorrect = (long)correct;
        return loss;
    }

    /**
     * Runs {@code params} over all of {@code data} at quantizer {@code dt} (0 = non-spiking). Sample i's initial
     * voltages derive from {@code voltageSeed} and i, so the result is independent of the thread count.
     */
    public Evaluation evaluate(final LmuParameters params, final MemoryFeatures data, final double dt, final long voltageSeed,
        final boolean tallyCounts)
    {
        return evaluate(params, data, dt, 0.0, voltageSeed, tallyCounts);
    }

    /**
     * As {@link #evaluate(LmuParameters, MemoryFeatures, double, long, boolean)} with the memory output quantized at
     * {@code memoryDt} (0 = not quantized); {@code data} must then be in the quantizer's input units (standardized).
     */
    public Evaluation evaluate(final LmuParameters params, final MemoryFeatures data, final double dt, final double memoryDt,
        final long voltageSeed, final boolean tallyCounts)
    {
        checkData(data, "evaluation");
        final int n = data.count();
        if (identity.length < n)
        {
            identity = new int[n];
            for (int i = 0; i < n; i++)
            {
                identity[i] = i;
            }
        }
        final int[] ids = identity;
        for (final long[] c : shardCounts)
        {
            java.util.Arrays.fill(c, 0L);
        }
        final int shardSize = config.shardSize();
        final int shards = (n + shardSize - 1) / shardSize;
        final double[][] results = new double[shards][2];
        final float[] values = params.values();
        pool.run(shards, (worker, shard) ->
        {
            final int a = shard * shardSize;
            final int b = Math.min(n, a + shardSize);
            kernels[worker].run(values, data, ids, a, b, dt, memoryDt, voltageSeed, a, null, 0.0f,
                tallyCounts && dt > 0.0 ? shardCounts[worker] : null, results[shard]);
        });
        double loss = 0.0;
        double correct = 0.0;
        for (final double[] r : results)
        {
            loss += r[0];
            correct += r[1];
        }
        long[] counts = null;
        if (tallyCounts && dt > 0.0)
        {
            counts = new long[2 * ShardKernel.COUNT_RANGE + 1];
            for (final long[] c : shardCounts)
            {
                for (int i = 0; i < counts.length; i++)
                {
                    counts[i] += c[i];
                }
            }
        }
        return new Evaluation(n, loss / n, correct / n, dt, counts);
    }

    /**
     * The sample order of an epoch, a pure function of (seed, epoch): a Fisher–Yates shuffle of 0..n−1 into
     * {@code order} (or a new array if it is shorter than n). Shared by the recurrent trainer.
     */
    static int[] shuffled(final long seed, final int epoch, final int n, final int[] order)
    {
        final int[] o = order.length < n ? new int[n] : order;
        for (int i = 0; i < n; i++)
        {
            o[i] = i;
        }
        final java.util.SplittableRandom random = new java.util.SplittableRandom(ShardKernel.mix(seed + 0x2545F4914F6CDD1DL * (epoch + 1)));
        for (int i = n - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final int t = o[i];
            o[i] = o[j];
            o[j] = t;
        }
        return o;
    }

    /** Base seed of a training batch's initial voltages, a pure function of (seed, epoch, batch). */
    static long batchVoltageSeed(final long seed, final int epoch, final int batch)
    {
        return ShardKernel.mix(seed * 0x632BE59BD9B4E019L + ((long)epoch << 32) + batch);
    }

    /** Seed of the validation passes' initial voltages. */
    static long validationVoltageSeed(final long seed)
    {
        return seed ^ 0x5DEECE66DL;
    }

    private void checkData(final MemoryFeatures data, final String what)
    {
        if (data.order() != spec.order() || data.window() != spec.window())
        {
            throw new IllegalArgumentException(what + " features have order " + data.order() + " and window " + data.window()
                + ", the model expects " + spec.order() + " and " + spec.window());
        }
        if (data.count() == 0)
        {
            throw new IllegalArgumentException(what + " set is empty");
        }
    }

    @Override
    public void close()
    {
        pool.close();
    }
}
