package io.spikering.training;

import io.spikering.neuron.Activation;

import java.util.SplittableRandom;

/** Small synthetic sequence tasks for tests (CI has no MNIST): the class is a bump early in a noisy sequence. */
final class Synthetic
{
    final float[][] sequences;
    final int[] labels;

    private Synthetic(final float[][] sequences, final int[] labels)
    {
        this.sequences = sequences;
        this.labels = labels;
    }

    static LmuSpec spec(final int hidden, final Activation activation)
    {
        return new LmuSpec(12, 40.0, true, 40, 4, hidden, activation, 3);
    }

    static Synthetic make(final LmuSpec spec, final int n, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final float[][] seqs = new float[n][spec.steps()];
        final int[] labels = new int[n];
        final int segment = spec.steps() / (spec.classes() + 1);
        for (int s = 0; s < n; s++)
        {
            final int c = random.nextInt(spec.classes());
            labels[s] = c;
            for (int t = 0; t < spec.steps(); t++)
            {
                seqs[s][t] = (float)(0.3 * random.nextDouble());
            }
            for (int t = c * segment; t < (c + 1) * segment; t++)
            {
                seqs[s][t] += 0.7f;
            }
        }
        return new Synthetic(seqs, labels);
    }

    MemoryFeatures features(final LmuSpec spec, final int threads)
    {
        return MemoryFeatures.compute(spec, MemoryMatrices.of(spec), sequences, labels, threads);
    }
}
