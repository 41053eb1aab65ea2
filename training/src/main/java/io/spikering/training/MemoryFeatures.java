package io.spikering.training;

import io.spikering.core.engine.Workers;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The memory states m_t and inputs x_t of every sample at the last K steps (t = T−K..T−1), precomputed once.
 * With no feedback into the memory, m is a fixed linear filter of the input: m_{T−K} comes from the impulse
 * response (Σ_s Ā^{T−K−s} B̄ u_s) and the remaining K−1 states from the recurrence, all in double from the
 * float32 Ā, B̄ of {@link MemoryMatrices}, stored as float.
 *
 * <p>Layout: {@code memory[(n·K + k)·d + i]} and {@code input[n·K + k]} for sample n, window step k, feature i.
 */
public final class MemoryFeatures
{
    private final int count;
    private final int window;
    private final int order;
    private final float[] memory;
    private final float[] input;
    private final int[] labels;

    MemoryFeatures(final int count, final int window, final int order, final float[] memory, final float[] input, final int[] labels)
    {
        this.count = count;
        this.window = window;
        this.order = order;
        this.memory = memory;
        this.input = input;
        this.labels = labels;
    }

    /** Writes sample {@code sample}'s input sequence (one value per step) into {@code dst}. */
    @FunctionalInterface
    public interface Sequences
    {
        void copy(int sample, float[] dst);
    }

    /**
     * Computes the features of {@code sequences} (each of length spec.steps(), the input u_t per step).
     *
     * @param threads worker threads; the result does not depend on it.
     */
    public static MemoryFeatures compute(final LmuSpec spec, final MemoryMatrices matrices, final float[][] sequences,
        final int[] labels, final int threads)
    {
        if (sequences.length != labels.length)
        {
            throw new IllegalArgumentException("sequences and labels differ in length: " + sequences.length + " vs " + labels.length);
        }
        final int n = sequences.length;
        for (int s = 0; s < n; s++)
        {
            if (sequences[s].length != spec.steps())
            {
                throw new IllegalArgumentException("sequence " + s + " has " + sequences[s].length + " steps, expected " + spec.steps());
            }
            if (labels[s] < 0 || labels[s] >= spec.classes())
            {
                throw new IllegalArgumentException("label of sample " + s + " is " + labels[s] + ", expected 0.." + (spec.classes() - 1));
            }
        }
        final long size = (long)n * spec.window() * spec.order();
        if (size > Integer.MAX_VALUE - 8)
        {
            throw new IllegalArgumentException("too many samples for one feature array: " + n + " × " + spec.window() + " × " + spec.order());
        }
        final MemoryFeatures f = new MemoryFeatures(n, spec.window(), spec.order(), new float[(int)size], new float[n * spec.window()], labels.clone());
        f.fill(spec, matrices, (s, dst) -> System.arraycopy(sequences[s], 0, dst, 0, dst.length), threads);
        return f;
    }

    /**
     * Replaces these features by those of {@code sequences} (same samples and labels, e.g. perturbed), standardized
     * with {@code standardization}; the result equals {@link #compute} on the same sequences, then {@link #standardize}.
     */
    public void recompute(final LmuSpec spec, final MemoryMatrices matrices, final Sequences sequences, final Standardization standardization,
        final int threads)
    {
        if (spec.order() != order || spec.window() != window)
        {
            throw new IllegalArgumentException("features have order " + order + " and window " + window + ", the model " + spec.order()
                + " and " + spec.window());
        }
        fill(spec, matrices, sequences, threads);
        standardize(standardization);
    }

    private void fill(final LmuSpec spec, final MemoryMatrices matrices, final Sequences sequences, final int threads)
    {
        final int n = count;
        final int d = order;
        final int steps = spec.steps();
        final int first = spec.firstHiddenStep();
        final double[][] impulse = matrices.impulseResponse(first + 1);
        final double[][] at = matrices.aTransposed();
        final float[] b = matrices.b();
        final AtomicInteger next = new AtomicInteger();
        final Workers workers = new Workers();
        workers.run(Math.max(1, threads), "features-", worker ->
        {
            final double[] m = new double[d];
            final double[] tmp = new double[d];
            final float[] u = new float[steps];
            for (int s = next.getAndIncrement(); s < n && !workers.failed(); s = next.getAndIncrement())
            {
                sequences.copy(s, u);
                java.util.Arrays.fill(m, 0.0);
                for (int t = 0; t <= first; t++)
                {
                    final double ut = u[t];
                    if (ut != 0.0)
                    {
                        final double[] h = impulse[first - t];
                        for (int i = 0; i < d; i++)
                        {
                            m[i] += ut * h[i];
                        }
                    }
                }
                for (int k = 0; k < window; k++)
                {
                    if (k > 0)
                    {
                        MemoryMatrices.multiplyTransposed(at, m, tmp);
                        final double ut = u[first + k];
                        for (int i = 0; i < d; i++)
                        {
                            m[i] = tmp[i] + ut * b[i];
                        }
                    }
                    final int off = (s * window + k) * d;
                    for (int i = 0; i < d; i++)
                    {
                        memory[off + i] = (float)m[i];
                    }
                    input[s * window + k] = u[first + k];
                }
            }
        });
        workers.throwIfFailed();
    }

    /** Mean and standard deviation of each memory feature over all samples and window steps (single-threaded, fixed order). */
    public Standardization statistics()
    {
        final double[] sum = new double[order];
        final double[] sq = new double[order];
        final int rows = count * window;
        for (int r = 0; r < rows; r++)
        {
            final int off = r * order;
            for (int i = 0; i < order; i++)
            {
                final double v = memory[off + i];
                sum[i] += v;
                sq[i] += v * v;
            }
        }
        final double[] mean = new double[order];
        final double[] std = new double[order];
        for (int i = 0; i < order; i++)
        {
            mean[i] = sum[i] / rows;
            final double var = Math.max(0.0, sq[i] / rows - mean[i] * mean[i]);
            std[i] = var > 1e-20 ? Math.sqrt(var) : 1.0;
        }
        return new Standardization(mean, std);
    }

    /** Replaces every memory feature by (m − mean)/std in place. */
    public void standardize(final Standardization s)
    {
        if (s.mean().length != order)
        {
            throw new IllegalArgumentException("standardization has " + s.mean().length + " features, expected " + order);
        }
        final float[] mean = new float[order];
        final float[] inv = new float[order];
        for (int i = 0; i < order; i++)
        {
            mean[i] = (float)s.mean()[i];
            inv[i] = (float)(1.0 / s.std()[i]);
        }
        final int rows = count * window;
        for (int r = 0; r < rows; r++)
        {
            final int off = r * order;
            for (int i = 0; i < order; i++)
            {
                memory[off + i] = (memory[off + i] - mean[i]) * inv[i];
            }
        }
    }

    /** Replaces every memory feature by m·gain + offset (float32, per feature) in place. */
    public void affine(final float[] gain, final float[] offset)
    {
        if (gain.length != order || offset.length != order)
        {
            throw new IllegalArgumentException("gain/offset have " + gain.length + "/" + offset.length + " features, expected " + order);
        }
        final int rows = count * window;
        for (int r = 0; r < rows; r++)
        {
            final int off = r * order;
            for (int i = 0; i < order; i++)
            {
                memory[off + i] = memory[off + i] * gain[i] + offset[i];
            }
        }
    }

    public int count()
    {
        return count;
    }

    public int window()
    {
        return window;
    }

    public int order()
    {
        return order;
    }

    float[] memory()
    {
        return memory;
    }

    float[] input()
    {
        return input;
    }

    public int label(final int sample)
    {
        return labels[sample];
    }

    int[] labels()
    {
        return labels;
    }
}
