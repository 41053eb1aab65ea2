package io.spikering.training;

import io.spikering.neuron.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest
{
    private static final LmuSpec SPEC = Synthetic.spec(16, Activation.TANH);

    private static MemoryFeatures[] data(final Standardization[] stdOut)
    {
        final MemoryFeatures train = Synthetic.make(SPEC, 300, 1).features(SPEC, 2);
        final MemoryFeatures val = Synthetic.make(SPEC, 90, 2).features(SPEC, 2);
        final Standardization std = train.statistics();
        train.standardize(std);
        val.standardize(std);
        stdOut[0] = std;
        return new MemoryFeatures[] {train, val};
    }

    private static TrainingConfig config(final int threads)
    {
        // batch 32 → a partial last batch of 12; shard 8 → partial shards too
        return TrainingConfig.defaults(4, 2, 42, threads).withBatch(32, 8).withDt(4.0, 1.0, true).withLearningRates(1e-2, 3e-3, 1.0);
    }

    private static TrainingState run(final TrainingConfig config, final MemoryFeatures[] d, final Standardization std)
    {
        try (Trainer trainer = new Trainer(SPEC, config))
        {
            return trainer.train(TrainingState.start(SPEC, config, std), d[0], d[1], TrainingListener.NONE);
        }
    }

    @Test
    void learnsTheSyntheticTaskAndKeepsItWhenSpiking()
    {
        final Standardization[] std = new Standardization[1];
        final MemoryFeatures[] d = data(std);
        final TrainingState s = run(config(2), d, std[0]);
        assertTrue(s.finished());
        assertEquals(4, s.history().size());
        assertTrue(s.bestNonSpikingAccuracy() > 0.9, "non-spiking validation accuracy " + s.bestNonSpikingAccuracy());
        assertTrue(s.bestSpikingAccuracy() > 0.85, "spiking validation accuracy " + s.bestSpikingAccuracy());
        assertTrue(s.history().get(0).trainLoss() > s.history().get(1).trainLoss());
        assertEquals(0.0, s.history().get(1).validationDt());
        assertEquals(1.0, s.history().get(3).validationDt());
        assertEquals(1.0, s.history().get(3).trainDt(), 1e-12);
    }

    @Test
    void activityPenaltyLowersTheHiddenEventsAndKeepsTheTask()
    {
        final Standardization[] std = new Standardization[1];
        final MemoryFeatures[] d = data(std);
        final TrainingState plain = run(config(2), d, std[0]);
        final TrainingState penalized = run(config(2).withActivityPenalty(4.0), d, std[0]);
        final double plainEvents = eventsPerSample(plain, d[1]);
        final double penalizedEvents = eventsPerSample(penalized, d[1]);
        assertTrue(penalizedEvents < 0.8 * plainEvents, "events per sample " + penalizedEvents + " with the penalty vs " + plainEvents);
        assertTrue(penalized.bestSpikingAccuracy() > 0.8, "spiking validation accuracy " + penalized.bestSpikingAccuracy());
        assertThrows(IllegalArgumentException.class, () -> config(1).withActivityPenalty(-1.0));
        assertThrows(IllegalArgumentException.class, () -> config(1).withActivityPenalty(Double.NaN));
        assertThrows(IllegalArgumentException.class,
            () -> config(1).withEncoding(new io.spikering.core.lmu.LmuFile.Encoding(true, 1.0, false, 0.0)).withActivityPenalty(0.5));
    }

    /** Hidden-layer events (Σ |count|) per validation sample of the best spiking model, at dt 1. */
    private static double eventsPerSample(final TrainingState s, final MemoryFeatures val)
    {
        try (Trainer t = new Trainer(SPEC, config(1)))
        {
            final Evaluation e = t.evaluate(s.bestSpiking(), val, 1.0, 7L, true);
            double events = 0.0;
            for (int c = -Evaluation.countRange(); c <= Evaluation.countRange(); c++)
            {
                events += Math.abs(c) * (double)e.countOf(c);
            }
            return events / e.samples();
        }
    }

    @Test
    void sameSeedGivesBitIdenticalModelsForAnyThreadCount()
    {
        final Standardization[] std = new Standardization[1];
        final MemoryFeatures[] d = data(std);
        final TrainingState one = run(config(1), d, std[0]);
        final TrainingState three = run(config(3), d, std[0]);
        assertArrayEquals(one.parameters().values(), three.parameters().values());
        assertArrayEquals(one.bestSpiking().values(), three.bestSpiking().values());
        assertEquals(one.history().get(3).validationLoss(), three.history().get(3).validationLoss());
    }

    @Test
    void interruptedAndResumedEqualsUninterrupted(@TempDir final Path dir) throws Exception
    {
        final Standardization[] std = new Standardization[1];
        final MemoryFeatures[] d = data(std);
        final TrainingState straight = run(config(2), d, std[0]);

        // stop in the middle of epoch 3 (spiking, dt being annealed), then resume from the checkpoint with other threads
        final TrainingConfig withCkpt = config(2).withCheckpoints(dir);
        final int[] batches = {0};
        final TrainingListener stopper = new TrainingListener()
        {
            public void onBatch(final Progress p)
            {
                batches[0]++;
            }

            public boolean stopRequested()
            {
                return batches[0] == 25;
            }
        };
        try (Trainer trainer = new Trainer(SPEC, withCkpt))
        {
            final TrainingState partial = trainer.train(TrainingState.start(SPEC, withCkpt, std[0]), d[0], d[1], stopper);
            assertFalse(partial.finished());
            assertEquals(2, partial.epoch());
            assertEquals(5, partial.batch());
        }
        final TrainingState restored = Checkpoint.read(dir.resolve(Checkpoint.FILE_NAME), SPEC, withCkpt.withThreads(1));
        final TrainingState resumed;
        try (Trainer trainer = new Trainer(SPEC, withCkpt.withThreads(1)))
        {
            resumed = trainer.train(restored, d[0], d[1], TrainingListener.NONE);
        }
        assertTrue(resumed.finished());
        assertArrayEquals(straight.parameters().values(), resumed.parameters().values());
        assertArrayEquals(straight.adam().firstMoments(), resumed.adam().firstMoments());
        assertArrayEquals(straight.adam().secondMoments(), resumed.adam().secondMoments());
        assertNotNull(resumed.bestSpiking());
        assertArrayEquals(straight.bestSpiking().values(), resumed.bestSpiking().values());
        assertArrayEquals(straight.bestNonSpiking().values(), resumed.bestNonSpiking().values());
        assertEquals(straight.history().size(), resumed.history().size());
        for (int e = 0; e < straight.history().size(); e++)
        {
            assertEquals(straight.history().get(e).trainLoss(), resumed.history().get(e).trainLoss(), "epoch " + e);
            assertEquals(straight.history().get(e).validationAccuracy(), resumed.history().get(e).validationAccuracy());
        }
    }

    @Test
    void epochCountsMayChangeOnResumeOnlyBeforeTheSpikingPhase(@TempDir final Path dir) throws Exception
    {
        final Standardization[] std = new Standardization[1];
        final MemoryFeatures[] d = data(std);
        final TrainingConfig longer = TrainingConfig.defaults(5, 2, 42, 2).withBatch(32, 8).withDt(4.0, 1.0, true)
            .withLearningRates(1e-2, 3e-3, 1.0).withCheckpoints(dir);
        final TrainingConfig shorter = TrainingConfig.defaults(3, 1, 42, 2).withBatch(32, 8).withDt(4.0, 1.0, true)
            .withLearningRates(1e-2, 3e-3, 1.0);
        final int[] batches = {0};
        final TrainingListener stopper = new TrainingListener()
        {
            public void onBatch(final Progress p)
            {
                batches[0]++;
            }

            public boolean stopRequested()
            {
                return batches[0] == 13;
            }
        };
        try (Trainer trainer = new Trainer(SPEC, longer))
        {
            trainer.train(TrainingState.start(SPEC, longer, std[0]), d[0], d[1], stopper);
        }
        final TrainingState restored = Checkpoint.read(dir.resolve(Checkpoint.FILE_NAME), SPEC, shorter);
        final TrainingState resumed;
        try (Trainer trainer = new Trainer(SPEC, shorter))
        {
            resumed = trainer.train(restored, d[0], d[1], TrainingListener.NONE);
        }
        final TrainingState straight = run(shorter, d, std[0]);
        assertArrayEquals(straight.parameters().values(), resumed.parameters().values());
        assertArrayEquals(straight.bestSpiking().values(), resumed.bestSpiking().values());

        // once a spiking batch has run, the schedule is fixed
        final TrainingConfig spikingNow = shorter.withCheckpoints(dir);
        batches[0] = 0;
        try (Trainer trainer = new Trainer(SPEC, spikingNow))
        {
            trainer.train(TrainingState.start(SPEC, spikingNow, std[0]), d[0], d[1], new TrainingListener()
            {
                public void onBatch(final Progress p)
                {
                    batches[0]++;
                }

                public boolean stopRequested()
                {
                    return batches[0] == 23;
                }
            });
        }
        final java.io.IOException e = assertThrows(java.io.IOException.class,
            () -> Checkpoint.read(dir.resolve(Checkpoint.FILE_NAME), SPEC, longer.withCheckpoints(null)));
        assertTrue(e.getMessage().contains("before the spiking phase"), e.getMessage());
    }

    @Test
    void checkpointForAnotherConfigurationIsRejected(@TempDir final Path dir) throws Exception
    {
        final Standardization[] std = new Standardization[1];
        final MemoryFeatures[] d = data(std);
        final TrainingConfig c = TrainingConfig.defaults(1, 0, 42, 1).withBatch(32, 8).withCheckpoints(dir);
        try (Trainer trainer = new Trainer(SPEC, c))
        {
            trainer.train(TrainingState.start(SPEC, c, std[0]), d[0], d[1], TrainingListener.NONE);
        }
        final Path file = dir.resolve(Checkpoint.FILE_NAME);
        final java.io.IOException seed = assertThrows(java.io.IOException.class,
            () -> Checkpoint.read(file, SPEC, TrainingConfig.defaults(1, 0, 43, 1).withBatch(32, 8)));
        assertTrue(seed.getMessage().contains("seed 42"), seed.getMessage());
        assertThrows(java.io.IOException.class, () -> Checkpoint.read(file, Synthetic.spec(17, Activation.TANH), c));
        final java.io.IOException penalty = assertThrows(java.io.IOException.class, () -> Checkpoint.read(file, SPEC, c.withActivityPenalty(0.1)));
        assertTrue(penalty.getMessage().contains("--activity-penalty"), penalty.getMessage());
        final byte[] bytes = java.nio.file.Files.readAllBytes(file);
        java.nio.file.Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        final java.io.IOException torn = assertThrows(java.io.IOException.class, () -> Checkpoint.read(file, SPEC, c));
        assertTrue(torn.getMessage().contains("truncated"), torn.getMessage());
    }

    @Test
    void cosineDecayHalvesTheRateAtMidpointAndLeavesTheSpikingPhaseAlone()
    {
        final TrainingConfig c = TrainingConfig.defaults(6, 2, 1, 1).withLearningRates(1e-3, 2e-4, 5.0).withRegularization(0.0, true);
        assertEquals(1e-3, c.learningRate(0, 0, 10), 1e-15);
        assertEquals(0.5e-3, c.learningRate(2, 0, 10), 1e-15);
        assertEquals(1e-3 * 0.5 * (1 + Math.cos(Math.PI * 39 / 40.0)), c.learningRate(3, 9, 10), 1e-15);
        assertEquals(2e-4, c.learningRate(4, 0, 10), 0.0);
        assertEquals(1e-3, c.withRegularization(0.0, false).learningRate(3, 9, 10), 0.0);
        assertThrows(IllegalArgumentException.class, () -> c.withRegularization(1.0, true));
    }

    @Test
    void dtScheduleAnnealsExponentiallyAndEndsAtTheTarget()
    {
        final TrainingConfig perBatch = TrainingConfig.defaults(5, 3, 1, 1).withDt(16.0, 1.0, true);
        assertEquals(0.0, perBatch.dt(1, 7, 10));
        assertEquals(16.0, perBatch.dt(2, 0, 10), 1e-12);
        assertEquals(4.0, perBatch.dt(3, 0, 10), 1e-12);
        assertEquals(16.0 * Math.pow(1.0 / 16.0, 15.0 / 20.0), perBatch.dt(3, 5, 10), 1e-12);
        assertEquals(1.0, perBatch.dt(4, 0, 10), 1e-12);
        assertEquals(1.0, perBatch.dt(4, 9, 10), 1e-12);
        final TrainingConfig perEpoch = perBatch.withDt(16.0, 1.0, false);
        assertEquals(4.0, perEpoch.dt(3, 9, 10), 1e-12);
        final TrainingConfig single = TrainingConfig.defaults(2, 1, 1, 1).withDt(8.0, 2.0, true);
        assertEquals(8.0, single.dt(1, 0, 5), 1e-12);
        assertEquals(2.0, single.dt(1, 4, 5), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.defaults(2, 3, 1, 1));
    }
}
