package io.spikering.training;

import io.spikering.core.data.MnistDataset;
import io.spikering.core.data.PixelSequences;
import io.spikering.core.data.PsMnist;
import io.spikering.neuron.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AugmentationTest
{
    private static final int SIDE = 28;
    private static final int PIXELS = SIDE * SIDE;
    private static final int[] PERMUTATION = PsMnist.of(data(), 0, 20).permutation();
    /** 784 steps like psMNIST, so that the perturbed images are real 28 × 28 ones; small elsewhere to stay fast. */
    private static final LmuSpec SPEC = new LmuSpec(8, 784.0, true, PIXELS, 4, 12, Activation.TANH, 3);

    /** 100 training images (the last 20 validate): the class brightens one band of rows, with noise. */
    private static MnistDataset data()
    {
        final SplittableRandom r = new SplittableRandom(5);
        final byte[][] images = new byte[2][];
        final byte[][] labels = new byte[2][];
        final int[] counts = {100, 10};
        for (int split = 0; split < 2; split++)
        {
            images[split] = new byte[counts[split] * PIXELS];
            labels[split] = new byte[counts[split]];
            for (int s = 0; s < counts[split]; s++)
            {
                final int c = r.nextInt(3);
                labels[split][s] = (byte)c;
                for (int p = 0; p < PIXELS; p++)
                {
                    final boolean band = p / SIDE >= 9 * c && p / SIDE < 9 * c + 9;
                    images[split][s * PIXELS + p] = (byte)(r.nextInt(4) == 0 ? r.nextInt(60) + (band ? 150 : 0) : 0);
                }
            }
        }
        return new MnistDataset(images[0], labels[0], images[1], labels[1]);
    }

    /** The sequence of a row-major image under the permutation: step t shows pixel permutation[t]. */
    private static float[] sequence(final float[] image)
    {
        final float[] s = new float[PIXELS];
        for (int t = 0; t < PIXELS; t++)
        {
            s[t] = image[PERMUTATION[t]];
        }
        return s;
    }

    private static float[] perturb(final Augmentation a, final float[] sequence, final long seed, final int epoch, final int sample)
    {
        final float[] out = new float[PIXELS];
        a.apply(sequence, PERMUTATION, seed, epoch, sample, new float[PIXELS], out);
        return out;
    }

    @Test
    void noPerturbationLeavesTheSequenceAsItIs()
    {
        final float[] image = new float[PIXELS];
        final SplittableRandom r = new SplittableRandom(1);
        for (int p = 0; p < PIXELS; p++)
        {
            image[p] = (float)r.nextDouble();
        }
        final float[] s = sequence(image);
        assertArrayEquals(s, perturb(Augmentation.NONE, s, 7, 3, 11));
        assertFalse(Augmentation.NONE.active());
    }

    @Test
    void shiftTranslatesTheImageByAtMostSPixelsAlongEachAxis()
    {
        final Augmentation a = new Augmentation(2, 0.0);
        final Set<Integer> shifts = new HashSet<>();
        final SplittableRandom r = new SplittableRandom(2);
        for (int sample = 0; sample < 300; sample++)
        {
            // a single lit pixel far from the borders reveals the translation this (seed, epoch, sample) draws
            final float[] probe = new float[PIXELS];
            probe[14 * SIDE + 14] = 1.0f;
            final float[] moved = perturb(a, sequence(probe), 9, 1, sample);
            int at = -1;
            for (int t = 0; t < PIXELS; t++)
            {
                if (moved[t] != 0.0f)
                {
                    assertEquals(-1, at, "one lit pixel");
                    at = PERMUTATION[t];
                }
            }
            final int dx = at % SIDE - 14;
            final int dy = at / SIDE - 14;
            assertTrue(Math.abs(dx) <= 2 && Math.abs(dy) <= 2, "shift " + dx + ", " + dy);
            shifts.add(dx * 10 + dy);

            // the same draw translates a random image exactly like a plain 2-D translation with zero fill
            final float[] image = new float[PIXELS];
            for (int p = 0; p < PIXELS; p++)
            {
                image[p] = (float)r.nextDouble();
            }
            final float[] expected = new float[PIXELS];
            for (int y = 0; y < SIDE; y++)
            {
                for (int x = 0; x < SIDE; x++)
                {
                    final int sx = x - dx;
                    final int sy = y - dy;
                    expected[y * SIDE + x] = sx >= 0 && sx < SIDE && sy >= 0 && sy < SIDE ? image[sy * SIDE + sx] : 0.0f;
                }
            }
            assertArrayEquals(sequence(expected), perturb(a, sequence(image), 9, 1, sample), "sample " + sample);
        }
        assertEquals(25, shifts.size(), "all 5 × 5 translations are drawn");
    }

    @Test
    void drawsArePureFunctionsOfSeedEpochAndSample()
    {
        final Augmentation a = new Augmentation(3, 0.1);
        final float[] image = new float[PIXELS];
        for (int p = 0; p < PIXELS; p++)
        {
            image[p] = (p % 7) / 7.0f;
        }
        final float[] s = sequence(image);
        int differ = 0;
        for (int sample = 0; sample < 20; sample++)
        {
            assertArrayEquals(perturb(a, s, 4, 2, sample), perturb(a, s, 4, 2, sample));
            if (!java.util.Arrays.equals(perturb(a, s, 4, 2, sample), perturb(a, s, 4, 3, sample)))
            {
                differ++;
            }
        }
        assertTrue(differ >= 18, "another epoch draws other perturbations: " + differ + " of 20 differ");
    }

    @Test
    void pixelDropoutZeroesAboutPOfThePixels()
    {
        final Augmentation a = new Augmentation(0, 0.2);
        final float[] ones = new float[PIXELS];
        java.util.Arrays.fill(ones, 1.0f);
        long zeros = 0;
        for (int sample = 0; sample < 200; sample++)
        {
            for (final float v : perturb(a, ones, 1, 0, sample))
            {
                zeros += v == 0.0f ? 1 : 0;
            }
        }
        assertEquals(0.2, zeros / (200.0 * PIXELS), 0.01);
    }

    @Test
    void badSettingsAreRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> new Augmentation(-1, 0.0));
        assertThrows(IllegalArgumentException.class, () -> new Augmentation(5, 0.0));
        assertThrows(IllegalArgumentException.class, () -> new Augmentation(0, 0.6));
        assertThrows(IllegalArgumentException.class, () -> new Augmentation(0, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new Augmentation(1, 0.0).apply(new float[10], new int[10], 0, 0, 0, new float[10], new float[10]));
    }

    @Test
    void perturbedFeaturesEqualTheFeaturesOfThePerturbedImages()
    {
        final PsMnist ps = PsMnist.of(data(), 0, 20);
        final MemoryMatrices matrices = MemoryMatrices.of(SPEC);
        final PsMnistTraining.Prepared prepared = PsMnistTraining.prepare(SPEC, matrices, ps.train(), ps.validation(), 60, 2);
        final TrainingConfig config = TrainingConfig.defaults(2, 0, 11, 2).withAugmentation(new Augmentation(2, 0.1));
        final MemoryFeatures two = PsMnistTraining.features(SPEC, matrices, ps.train(), 60, 1);
        two.standardize(prepared.standardization());
        new PerturbedFeatures(SPEC, matrices, ps.train(), ps.permutation(), config, prepared.standardization()).refill(3, two);
        final MemoryFeatures one = PsMnistTraining.features(SPEC, matrices, ps.train(), 60, 1);
        new PerturbedFeatures(SPEC, matrices, ps.train(), ps.permutation(), config.withThreads(1), prepared.standardization()).refill(3, one);

        // the slow path: perturb every sequence, compute the features afresh, standardize with the clean statistics
        final PixelSequences split = ps.train();
        final float[][] perturbed = new float[60][];
        final int[] labels = new int[60];
        for (int s = 0; s < 60; s++)
        {
            final float[] clean = new float[PIXELS];
            split.copySequence(s, clean, 0);
            perturbed[s] = perturb(config.augmentation(), clean, 11, 3, s);
            labels[s] = split.label(s);
        }
        final MemoryFeatures expected = MemoryFeatures.compute(SPEC, matrices, perturbed, labels, 1);
        expected.standardize(prepared.standardization());
        assertArrayEquals(expected.memory(), two.memory());
        assertArrayEquals(expected.input(), two.input());
        assertArrayEquals(expected.memory(), one.memory());
        assertFalse(java.util.Arrays.equals(expected.memory(), prepared.train().memory()), "the perturbation changes the features");
    }

    private static TrainingConfig trainingConfig(final int threads)
    {
        return TrainingConfig.defaults(3, 1, 42, threads).withBatch(16, 8).withDt(4.0, 1.0, true).withLearningRates(1e-2, 3e-3, 1.0)
            .withAugmentation(new Augmentation(2, 0.05));
    }

    private static TrainingState train(final TrainingConfig config, final PsMnist ps, final TrainingState from, final TrainingListener listener)
    {
        final MemoryMatrices matrices = MemoryMatrices.of(SPEC);
        final PsMnistTraining.Prepared p = PsMnistTraining.prepare(SPEC, matrices, ps.train(), ps.validation(), 80, config.threads());
        final TrainingState start = from != null ? from : TrainingState.start(SPEC, config, p.standardization());
        try (Trainer trainer = new Trainer(SPEC, config))
        {
            return trainer.train(start, p.train(), p.validation(),
                new PerturbedFeatures(SPEC, matrices, ps.train(), ps.permutation(), config, p.standardization()), listener);
        }
    }

    @Test
    void augmentedTrainingIsReproducibleAtAnyThreadCountAndResumesExactly(@TempDir final Path dir) throws Exception
    {
        final PsMnist ps = PsMnist.of(data(), 0, 20);
        final TrainingState straight = train(trainingConfig(2), ps, null, TrainingListener.NONE);
        assertTrue(straight.finished());
        assertArrayEquals(straight.parameters().values(), train(trainingConfig(1), ps, null, TrainingListener.NONE).parameters().values());

        final TrainingConfig plain = trainingConfig(2).withAugmentation(Augmentation.NONE);
        final MemoryMatrices matrices = MemoryMatrices.of(SPEC);
        final PsMnistTraining.Prepared p = PsMnistTraining.prepare(SPEC, matrices, ps.train(), ps.validation(), 80, 2);
        try (Trainer trainer = new Trainer(SPEC, plain))
        {
            final TrainingState unperturbed = trainer.train(TrainingState.start(SPEC, plain, p.standardization()), p.train(), p.validation(),
                TrainingListener.NONE);
            assertFalse(java.util.Arrays.equals(unperturbed.parameters().values(), straight.parameters().values()));
        }
        try (Trainer trainer = new Trainer(SPEC, trainingConfig(1)))
        {
            assertThrows(IllegalArgumentException.class, () -> trainer.train(TrainingState.start(SPEC, trainingConfig(1), p.standardization()),
                p.train(), p.validation(), TrainingListener.NONE));
        }

        // stop in the middle of the second epoch, resume from the checkpoint: the resumed epoch sees the same perturbed images
        final TrainingConfig withCkpt = trainingConfig(2).withCheckpoints(dir);
        final int[] batches = {0};
        final TrainingListener stopper = new TrainingListener()
        {
            public void onBatch(final Progress progress)
            {
                batches[0]++;
            }

            public boolean stopRequested()
            {
                return batches[0] == 7;
            }
        };
        final TrainingState partial = train(withCkpt, ps, null, stopper);
        assertFalse(partial.finished());
        assertEquals(1, partial.epoch());
        final TrainingState restored = Checkpoint.read(dir.resolve(Checkpoint.FILE_NAME), SPEC, withCkpt.withThreads(1));
        final TrainingState resumed = train(withCkpt.withThreads(1), ps, restored, TrainingListener.NONE);
        assertArrayEquals(straight.parameters().values(), resumed.parameters().values());
        assertArrayEquals(straight.bestSpiking().values(), resumed.bestSpiking().values());

        final java.io.IOException other = assertThrows(java.io.IOException.class,
            () -> Checkpoint.read(dir.resolve(Checkpoint.FILE_NAME), SPEC, withCkpt.withAugmentation(new Augmentation(1, 0.05))));
        assertTrue(other.getMessage().contains("--augment-shift"), other.getMessage());
    }
}
