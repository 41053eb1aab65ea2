package io.spikering.training;

import io.spikering.core.data.PixelSequences;

/** Glue between the psMNIST splits and the trainer: sequences, labels and standardized memory features. */
public final class PsMnistTraining
{
    private PsMnistTraining()
    {
    }

    /**
     * The features of one run.
     *
     * @param train           standardized training features.
     * @param validation      standardized validation features.
     * @param standardization training-set statistics.
     */
    public record Prepared(MemoryFeatures train, MemoryFeatures validation, Standardization standardization)
    {
    }

    /** The first {@code limit} sequences of a split as float arrays (pixel/255 per step). */
    public static float[][] sequences(final PixelSequences split, final int limit)
    {
        final int n = Math.min(limit, split.size());
        final float[][] s = new float[n][split.steps()];
        for (int i = 0; i < n; i++)
        {
            split.copySequence(i, s[i], 0);
        }
        return s;
    }

    public static int[] labels(final PixelSequences split, final int limit)
    {
        final int n = Math.min(limit, split.size());
        final int[] l = new int[n];
        for (int i = 0; i < n; i++)
        {
            l[i] = split.label(i);
        }
        return l;
    }

    /** Unstandardized features of (the first {@code limit} samples of) a split. */
    public static MemoryFeatures features(final LmuSpec spec, final MemoryMatrices memory, final PixelSequences split, final int limit,
        final int threads)
    {
        if (split.steps() != spec.steps())
        {
            throw new IllegalArgumentException("data has " + split.steps() + " steps per sample, the model expects " + spec.steps());
        }
        return MemoryFeatures.compute(spec, memory, sequences(split, limit), labels(split, limit), threads);
    }

    /** Training and validation features, standardized by the training set's statistics. */
    public static Prepared prepare(final LmuSpec spec, final MemoryMatrices memory, final PixelSequences train, final PixelSequences validation,
        final int trainLimit, final int threads)
    {
        return prepare(spec, memory, train, validation, trainLimit, Integer.MAX_VALUE, threads);
    }

    /** As {@link #prepare(LmuSpec, MemoryMatrices, PixelSequences, PixelSequences, int, int)} on the first {@code validationLimit} validation samples. */
    public static Prepared prepare(final LmuSpec spec, final MemoryMatrices memory, final PixelSequences train, final PixelSequences validation,
        final int trainLimit, final int validationLimit, final int threads)
    {
        final MemoryFeatures tr = features(spec, memory, train, trainLimit, threads);
        final MemoryFeatures va = features(spec, memory, validation, validationLimit, threads);
        final Standardization std = tr.statistics();
        tr.standardize(std);
        va.standardize(std);
        return new Prepared(tr, va, std);
    }
}
