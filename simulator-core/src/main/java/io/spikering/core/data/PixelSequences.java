package io.spikering.core.data;

/**
 * A split of a pixel-sequence data set (psMNIST): {@link #size()} samples of {@link #steps()} pixel
 * values in [0, 1], one per time step in the permuted order, and one label per sample (read at the end of
 * the sequence). Backed by one shared byte array in permuted order: reading a sample copies nothing and
 * allocates nothing.
 */
public final class PixelSequences
{
    private static final float[] LEVELS = new float[256];

    static
    {
        for (int i = 0; i < 256; i++)
        {
            LEVELS[i] = i / 255f;
        }
    }

    private final byte[] pixels;
    private final byte[] labels;
    private final int first;
    private final int size;
    private final int steps;

    PixelSequences(final byte[] permutedPixels, final byte[] labels, final int first, final int size, final int steps)
    {
        this.pixels = permutedPixels;
        this.labels = labels;
        this.first = first;
        this.size = size;
        this.steps = steps;
    }

    /** Number of samples. */
    public int size()
    {
        return size;
    }

    /** Sequence length (784 for psMNIST). */
    public int steps()
    {
        return steps;
    }

    /** Number of classes (10). */
    public int classes()
    {
        return MnistDataset.CLASSES;
    }

    /** Input at time step {@code step} of sample {@code sample}: the permuted pixel divided by 255. */
    public float pixel(final int sample, final int step)
    {
        return LEVELS[pixels[(first + checkSample(sample)) * steps + step] & 0xFF];
    }

    /** The raw 0..255 value behind {@link #pixel(int, int)}. */
    public int rawPixel(final int sample, final int step)
    {
        return pixels[(first + checkSample(sample)) * steps + step] & 0xFF;
    }

    /** Label (0..9) of a sample. */
    public int label(final int sample)
    {
        return labels[first + checkSample(sample)] & 0xFF;
    }

    /** Writes the {@link #steps()} inputs of a sample into {@code dst[offset ..]}. */
    public void copySequence(final int sample, final float[] dst, final int offset)
    {
        final int base = (first + checkSample(sample)) * steps;
        for (int t = 0; t < steps; t++)
        {
            dst[offset + t] = LEVELS[pixels[base + t] & 0xFF];
        }
    }

    /** A view of samples [from, to) of this split (no copy), e.g. a small subset for a quick run. */
    public PixelSequences slice(final int from, final int to)
    {
        if (from < 0 || to > size || from > to)
        {
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") is outside [0, " + size + "]");
        }
        return new PixelSequences(pixels, labels, first + from, to - from, steps);
    }

    private int checkSample(final int sample)
    {
        if (sample < 0 || sample >= size)
        {
            throw new IndexOutOfBoundsException("sample " + sample + " is outside [0, " + size + ")");
        }
        return sample;
    }
}
