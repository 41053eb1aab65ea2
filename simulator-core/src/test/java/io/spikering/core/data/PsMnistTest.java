package io.spikering.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class PsMnistTest
{
    /** Small synthetic MNIST: image s has pixel i = (s * 7 + i) % 256, labels s % 10. */
    static MnistDataset synthetic(final int train, final int test)
    {
        return new MnistDataset(images(train), labels(train), images(test), labels(test));
    }

    private static byte[] images(final int n)
    {
        final byte[] b = new byte[n * 784];
        for (int s = 0; s < n; s++)
        {
            for (int i = 0; i < 784; i++)
            {
                b[s * 784 + i] = (byte)((s * 7 + i) % 256);
            }
        }
        return b;
    }

    private static byte[] labels(final int n)
    {
        final byte[] b = new byte[n];
        for (int s = 0; s < n; s++)
        {
            b[s] = (byte)(s % 10);
        }
        return b;
    }

    @Test
    void permutedPixelsSplitsAndLabels()
    {
        final PsMnist ps = PsMnist.of(synthetic(12, 3), 0, 4);
        final int[] perm = ps.permutation();
        assertEquals(8, ps.train().size());
        assertEquals(4, ps.validation().size());
        assertEquals(3, ps.test().size());
        assertEquals(784, ps.train().steps());
        final float[] seq = new float[784 + 2];
        for (int s = 0; s < 4; s++)
        {
            final int original = 8 + s;
            assertEquals(original % 10, ps.validation().label(s));
            ps.validation().copySequence(s, seq, 2);
            for (int t = 0; t < 784; t++)
            {
                final float expected = ((original * 7 + perm[t]) % 256) / 255f;
                assertEquals(expected, ps.validation().pixel(s, t));
                assertEquals(expected, seq[2 + t]);
            }
        }
        assertEquals(((2 * 7 + perm[5]) % 256) / 255f, ps.test().pixel(2, 5));
        assertEquals(693, perm[0]);
        assertEquals(1f, PsMnist.sequential(synthetic(2, 1), 1).train().pixel(0, 255));
        final PixelSequences slice = ps.train().slice(3, 5);
        assertEquals(2, slice.size());
        assertEquals(ps.train().label(4), slice.label(1));
        assertEquals(ps.train().pixel(4, 100), slice.pixel(1, 100));
    }

    @Test
    void rejectsBadArguments()
    {
        assertThrows(IllegalArgumentException.class, () -> PsMnist.of(synthetic(5, 1), 0, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> PsMnist.of(synthetic(5, 1), 0, 1).train().label(4));
        assertThrows(IllegalArgumentException.class, () -> PsMnist.of(synthetic(5, 1), 0, 1).train().slice(2, 9));
        assertThrows(IllegalArgumentException.class,
            () -> new MnistDataset(new byte[784], new byte[] {10}, new byte[0], new byte[0]));
    }

    @Test
    void realPsMnistSizes() throws IOException
    {
        assumeTrue(Files.isRegularFile(MnistDataset.defaultCacheDir().resolve(MnistFile.TEST_LABELS.fileName())),
            "MNIST not fetched");
        final PsMnist ps = PsMnist.load(MnistDataset.defaultCacheDir(), PsMnist.DEFAULT_SEED);
        assertEquals(50_000, ps.train().size());
        assertEquals(10_000, ps.validation().size());
        assertEquals(10_000, ps.test().size());
        assertEquals(5, ps.train().label(0));
        assertEquals(7, ps.test().label(0));
        // pinned from numpy: (X / 255).astype(float32)[:, RandomState(0).permutation(784)]
        final int[] steps = {6, 7, 20, 22, 31};
        final float[] values = {0.9254902005195618f, 0.9960784316062927f, 0.4745098054409027f, 0.7764706015586853f,
            0.7764706015586853f};
        for (int i = 0; i < steps.length; i++)
        {
            assertEquals(values[i], ps.test().pixel(0, steps[i]));
        }
        assertEquals(0f, ps.test().pixel(0, 5));
        assertEquals(0.886274516582489f, ps.train().pixel(49_999, 14));
        double sum = 0;
        for (int s = 0; s < ps.train().size(); s++)
        {
            for (int t = 0; t < PsMnist.STEPS; t++)
            {
                sum += ps.train().pixel(s, t);
            }
        }
        assertEquals(5133682.5971448645, sum, 1e-3);
    }

    /** Our i / 255f equals KerasLMU's preprocessing, float64 division then cast to float32, for every byte. */
    @Test
    void scalingMatchesFloat64DivisionCastToFloat32()
    {
        final PsMnist ps = PsMnist.sequential(synthetic(2, 1), 1);
        for (int i = 0; i < 256; i++)
        {
            assertEquals(i, ps.train().rawPixel(0, i));
            assertEquals((float)(i / 255.0), ps.train().pixel(0, i));
        }
    }
}
