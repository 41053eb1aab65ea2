package io.spikering.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * MNIST in memory: 60000 training and 10000 test images of 28×28 unsigned bytes (row-major, image after
 * image) and their labels 0..9. Loaded from a cache directory filled by {@code ./spikering data fetch mnist}.
 */
public final class MnistDataset
{
    public static final int ROWS = 28;
    public static final int COLS = 28;
    public static final int PIXELS = ROWS * COLS;
    public static final int CLASSES = 10;
    public static final int TRAIN_SIZE = 60_000;
    public static final int TEST_SIZE = 10_000;
    /** Environment variable naming the root of spikering's caches (MNIST goes to its {@code mnist/}). */
    public static final String CACHE_ENV = "SPIKERING_CACHE";

    private final byte[] trainImages;
    private final byte[] trainLabels;
    private final byte[] testImages;
    private final byte[] testLabels;

    /**
     * Wraps image and label arrays (not copied). Any sizes are accepted so tests can build small data
     * sets; image arrays hold {@link #PIXELS} bytes per label.
     */
    public MnistDataset(final byte[] trainImages, final byte[] trainLabels, final byte[] testImages, final byte[] testLabels)
    {
        check("train", trainImages, trainLabels);
        check("test", testImages, testLabels);
        this.trainImages = trainImages;
        this.trainLabels = trainLabels;
        this.testImages = testImages;
        this.testLabels = testLabels;
    }

    private static void check(final String split, final byte[] images, final byte[] labels)
    {
        if ((long)labels.length * PIXELS != images.length)
        {
            throw new IllegalArgumentException(split + " images hold " + images.length + " bytes but " + labels.length +
                " labels need " + (long)labels.length * PIXELS + " (" + PIXELS + " per image)");
        }
        for (int i = 0; i < labels.length; i++)
        {
            if ((labels[i] & 0xFF) >= CLASSES)
            {
                throw new IllegalArgumentException(split + " label " + (labels[i] & 0xFF) + " at index " + i +
                    " is outside [0, " + CLASSES + ")");
            }
        }
    }

    /** Default cache directory: {@code $SPIKERING_CACHE/mnist} if set, else {@code ~/.cache/spikering/mnist}. */
    public static Path defaultCacheDir()
    {
        final String env = System.getenv(CACHE_ENV);
        final Path root = env != null && !env.isBlank() ?
            Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "spikering");
        return root.resolve("mnist");
    }

    /** Loads MNIST from the default cache directory. */
    public static MnistDataset load() throws IOException
    {
        return load(defaultCacheDir());
    }

    /** Loads and verifies (SHA-256 and IDX structure) the four files of a cache directory. */
    public static MnistDataset load(final Path cacheDir) throws IOException
    {
        for (final MnistFile f : MnistFile.values())
        {
            if (!Files.isRegularFile(cacheDir.resolve(f.fileName())))
            {
                throw new IOException("MNIST is missing: " + cacheDir.resolve(f.fileName()) + " does not exist; run " +
                    "./spikering data fetch mnist" + (cacheDir.equals(defaultCacheDir()) ? "" : " --cache " + cacheDir));
            }
        }
        return new MnistDataset(
            images(cacheDir, MnistFile.TRAIN_IMAGES, TRAIN_SIZE), labels(cacheDir, MnistFile.TRAIN_LABELS, TRAIN_SIZE),
            images(cacheDir, MnistFile.TEST_IMAGES, TEST_SIZE), labels(cacheDir, MnistFile.TEST_LABELS, TEST_SIZE));
    }

    private static byte[] images(final Path dir, final MnistFile f, final int count) throws IOException
    {
        final Path p = dir.resolve(f.fileName());
        final byte[] bytes = MnistFetcher.verify(f, Files.readAllBytes(p), p.toString());
        final IdxReader.IdxArray a = IdxReader.parse(p, bytes);
        if (a.dims().length != 3 || a.dims()[0] != count || a.dims()[1] != ROWS || a.dims()[2] != COLS)
        {
            throw new IOException("IDX file " + p + ": expected dimensions [" + count + ", 28, 28]");
        }
        return a.data();
    }

    private static byte[] labels(final Path dir, final MnistFile f, final int count) throws IOException
    {
        final Path p = dir.resolve(f.fileName());
        final byte[] bytes = MnistFetcher.verify(f, Files.readAllBytes(p), p.toString());
        final IdxReader.IdxArray a = IdxReader.parse(p, bytes);
        if (a.dims().length != 1 || a.dims()[0] != count)
        {
            throw new IOException("IDX file " + p + ": expected dimensions [" + count + "]");
        }
        return a.data();
    }

    public int trainSize()
    {
        return trainLabels.length;
    }

    public int testSize()
    {
        return testLabels.length;
    }

    /** Training images, {@link #PIXELS} unsigned bytes per image (live array, do not modify). */
    public byte[] trainImages()
    {
        return trainImages;
    }

    /** Training labels, one unsigned byte per image (live array, do not modify). */
    public byte[] trainLabels()
    {
        return trainLabels;
    }

    public byte[] testImages()
    {
        return testImages;
    }

    public byte[] testLabels()
    {
        return testLabels;
    }

    /** Label counts per class of the training set. */
    public int[] trainLabelHistogram()
    {
        final int[] h = new int[CLASSES];
        for (final byte l : trainLabels)
        {
            h[l & 0xFF]++;
        }
        return h;
    }
}
