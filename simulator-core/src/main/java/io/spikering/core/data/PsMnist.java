package io.spikering.core.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Permuted sequential MNIST as in the LMU literature: each image becomes a sequence of 784 inputs
 * (pixel/255), its positions reordered by one fixed permutation, one pixel per time step, the label read
 * at the end. The permutation is numpy's {@code np.random.RandomState(seed).permutation(784)}, reproduced
 * exactly ({@link Mt19937#numpyPermutation}); seed 0 is KerasLMU's psMNIST example. (The LMU and NRU
 * papers' code used seed 50 and also shuffled the training set with it; we do not shuffle here, the
 * trainer owns its sample order.) Splits: the first 50000 training images train, the last 10000
 * training images validate, the 10000 test images test.
 */
public final class PsMnist
{
    /** KerasLMU's psMNIST permutation seed. */
    public static final long DEFAULT_SEED = 0;
    public static final int STEPS = MnistDataset.PIXELS;
    public static final int VALIDATION_SIZE = 10_000;

    private final int[] permutation;
    private final long seed;
    private final PixelSequences train;
    private final PixelSequences validation;
    private final PixelSequences test;

    private PsMnist(final MnistDataset data, final int[] permutation, final long seed, final int validationSize)
    {
        checkPermutation(permutation);
        if (validationSize < 0 || validationSize >= data.trainSize())
        {
            throw new IllegalArgumentException("validation size " + validationSize + " must be in [0, " +
                data.trainSize() + ") (the training set has " + data.trainSize() + " images)");
        }
        this.permutation = permutation.clone();
        this.seed = seed;
        final byte[] trainPixels = permute(data.trainImages(), permutation);
        final int trainSize = data.trainSize() - validationSize;
        this.train = new PixelSequences(trainPixels, data.trainLabels(), 0, trainSize, STEPS);
        this.validation = new PixelSequences(trainPixels, data.trainLabels(), trainSize, validationSize, STEPS);
        this.test = new PixelSequences(permute(data.testImages(), permutation), data.testLabels(), 0, data.testSize(), STEPS);
    }

    /** psMNIST from the MNIST cache with the permutation of {@code seed} (default {@link #DEFAULT_SEED}). */
    public static PsMnist load(final Path mnistCacheDir, final long seed) throws IOException
    {
        return of(MnistDataset.load(mnistCacheDir), seed);
    }

    /** psMNIST from loaded MNIST with numpy's {@code RandomState(seed).permutation(784)}, 10000 validation images. */
    public static PsMnist of(final MnistDataset data, final long seed)
    {
        return of(data, seed, VALIDATION_SIZE);
    }

    /** As {@link #of(MnistDataset, long)} with the last {@code validationSize} training images as validation. */
    public static PsMnist of(final MnistDataset data, final long seed, final int validationSize)
    {
        return new PsMnist(data, Mt19937.numpyPermutation(STEPS, seed), seed, validationSize);
    }

    /** Sequential MNIST (no permutation: row-major pixel order), seed reported as -1. */
    public static PsMnist sequential(final MnistDataset data, final int validationSize)
    {
        final int[] identity = new int[STEPS];
        for (int i = 0; i < STEPS; i++)
        {
            identity[i] = i;
        }
        return new PsMnist(data, identity, -1, validationSize);
    }

    private static void checkPermutation(final int[] p)
    {
        if (p.length != STEPS)
        {
            throw new IllegalArgumentException("permutation has " + p.length + " entries, expected " + STEPS);
        }
        final boolean[] seen = new boolean[STEPS];
        for (final int i : p)
        {
            if (i < 0 || i >= STEPS || seen[i])
            {
                throw new IllegalArgumentException("not a permutation of 0.." + (STEPS - 1) + ": entry " + i);
            }
            seen[i] = true;
        }
    }

    private static byte[] permute(final byte[] images, final int[] permutation)
    {
        final int n = images.length / STEPS;
        final byte[] out = new byte[images.length];
        for (int s = 0; s < n; s++)
        {
            final int base = s * STEPS;
            for (int t = 0; t < STEPS; t++)
            {
                out[base + t] = images[base + permutation[t]];
            }
        }
        return out;
    }

    /** Step t of every sequence shows pixel {@code permutation()[t]} of the row-major 28×28 image (a copy). */
    public int[] permutation()
    {
        return permutation.clone();
    }

    /** The permutation seed, or -1 for {@link #sequential}. */
    public long seed()
    {
        return seed;
    }

    public PixelSequences train()
    {
        return train;
    }

    public PixelSequences validation()
    {
        return validation;
    }

    public PixelSequences test()
    {
        return test;
    }
}
