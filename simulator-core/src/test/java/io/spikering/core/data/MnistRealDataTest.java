package io.spikering.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Checks the real MNIST when it is in the default cache (CI needs no MNIST: skipped there). */
class MnistRealDataTest
{
    @Test
    void genuineMnist() throws IOException
    {
        assumeTrue(Files.isRegularFile(MnistDataset.defaultCacheDir().resolve(MnistFile.TRAIN_LABELS.fileName())),
            "MNIST not fetched");
        final MnistDataset d = MnistDataset.load();
        assertEquals(60_000, d.trainSize());
        assertEquals(10_000, d.testSize());
        assertArrayEquals(new byte[] {5, 0, 4, 1, 9}, java.util.Arrays.copyOf(d.trainLabels(), 5));
        assertArrayEquals(new byte[] {7, 2, 1, 0, 4}, java.util.Arrays.copyOf(d.testLabels(), 5));
        assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}, d.trainLabelHistogram());
        long sum = 0;
        for (final byte b : d.trainImages())
        {
            sum += b & 0xFF;
        }
        assertEquals(1_567_298_545L, sum);
    }
}
