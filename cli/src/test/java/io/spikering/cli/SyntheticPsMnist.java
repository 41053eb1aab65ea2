package io.spikering.cli;

import io.spikering.core.data.MnistDataset;
import io.spikering.core.data.PsMnist;
import java.util.SplittableRandom;

/** A small synthetic psMNIST for command tests (CI has no MNIST). */
final class SyntheticPsMnist
{
    private SyntheticPsMnist()
    {
    }

    /** 80 training images (the last 20 validate) and 20 test images; the class brightens one band of rows. */
    static PsMnist make()
    {
        final SplittableRandom r = new SplittableRandom(3);
        final byte[][] images = new byte[2][];
        final byte[][] labels = new byte[2][];
        final int[] counts = {80, 20};
        for (int split = 0; split < 2; split++)
        {
            images[split] = new byte[counts[split] * MnistDataset.PIXELS];
            labels[split] = new byte[counts[split]];
            for (int s = 0; s < counts[split]; s++)
            {
                final int c = r.nextInt(3);
                labels[split][s] = (byte)c;
                for (int p = 0; p < MnistDataset.PIXELS; p++)
                {
                    final boolean band = p / 28 >= 9 * c && p / 28 < 9 * c + 9;
                    images[split][s * MnistDataset.PIXELS + p] = (byte)(r.nextInt(60) + (band ? 150 : 0));
                }
            }
        }
        return PsMnist.of(new MnistDataset(images[0], labels[0], images[1], labels[1]), 0, 20);
    }

}
