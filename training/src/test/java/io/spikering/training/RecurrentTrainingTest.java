package io.spikering.training;

import io.spikering.neuron.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecurrentTrainingTest
{
    private static final LmuSpec SPEC = new LmuSpec(6, 20.0, true, 20, 2, 10, Activation.TANH, 3);
    private static final Synthetic TRAIN = Synthetic.make(SPEC, 60, 4);
    private static final Synthetic VALID = Synthetic.make(SPEC, 30, 5);

    private static TrainingConfig config(final int threads)
    {
        return TrainingConfig.defaults(3, 2, 11, threads).withBatch(20, 5).withDt(4.0, 1.0, true).withLearningRates(1e-2, 3e-3, 1.0);
    }

    private static RecurrentState straight(final RecurrentLmu.Options options, final TrainingConfig c)
    {
        try (RecurrentTraining t = new RecurrentTraining(SPEC, options, 1, c))
        {
            return t.train(TRAIN.sequences, TRAIN.labels, VALID.sequences, VALID.labels, TrainingListener.NONE);
        }
    }

    @Test
    void interruptedAndResumedEqualsUninterruptedOnBothKernelPaths(@TempDir final Path dir) throws IOException
    {
        for (final RecurrentLmu.Options options : new RecurrentLmu.Options[] {RecurrentLmu.Options.kerasPsMnist(),
            new RecurrentLmu.Options(true, true, true, true)})
        {
            final RecurrentState straight = straight(options, config(2));
            assertTrue(straight.finished());
            assertEquals(3, straight.history().size());

            // stop in epoch 2 (spiking, dt being annealed) after 5 of 9 batches, resume in a new process-like object with 1 thread
            final Path ckpt = dir.resolve(options.hiddenToMemory() ? "generic" : "fast");
            final TrainingConfig withCkpt = config(2).withCheckpoints(ckpt);
            final int[] batches = {0};
            final TrainingListener stopper = new TrainingListener()
            {
                public void onBatch(final Progress p)
                {
                    batches[0]++;
                }

                public boolean stopRequested()
                {
                    return batches[0] == 5;
                }
            };
            try (RecurrentTraining t = new RecurrentTraining(SPEC, options, 1, withCkpt))
            {
                final RecurrentState partial = t.train(TRAIN.sequences, TRAIN.labels, VALID.sequences, VALID.labels, stopper);
                assertFalse(partial.finished());
                assertEquals(1, partial.epoch());
                assertEquals(2, partial.batch());
            }
            assertFalse(Files.exists(ckpt.resolve(RecurrentCheckpoint.FILE_NAME + ".tmp")));
            final RecurrentState resumed;
            try (RecurrentTraining t = new RecurrentTraining(SPEC, options, 1, withCkpt.withThreads(1)))
            {
                t.resume(ckpt.resolve(RecurrentCheckpoint.FILE_NAME));
                resumed = t.train(TRAIN.sequences, TRAIN.labels, VALID.sequences, VALID.labels, TrainingListener.NONE);
            }
            assertTrue(resumed.finished());
            assertArrayEquals(straight.parameters(), resumed.parameters(), options.toString());
            assertArrayEquals(straight.adam().firstMoments(), resumed.adam().firstMoments());
            assertArrayEquals(straight.adam().secondMoments(), resumed.adam().secondMoments());
            assertEquals(straight.adam().step(), resumed.adam().step());
            assertNotNull(resumed.bestSpiking());
            assertArrayEquals(straight.bestSpiking(), resumed.bestSpiking());
            assertArrayEquals(straight.bestNonSpiking(), resumed.bestNonSpiking());
            for (int e = 0; e < 3; e++)
            {
                assertEquals(straight.history().get(e).trainLoss(), resumed.history().get(e).trainLoss(), "epoch " + e);
                assertEquals(straight.history().get(e).trainAccuracy(), resumed.history().get(e).trainAccuracy(), "epoch " + e);
                assertEquals(straight.history().get(e).validationAccuracy(), resumed.history().get(e).validationAccuracy(), "epoch " + e);
            }
        }
    }

    @Test
    void learnsTheSyntheticTaskAndKeepsTheBestPerPhase()
    {
        final TrainingConfig c = TrainingConfig.defaults(8, 2, 3, 2).withBatch(20, 5).withDt(4.0, 2.0, true).withLearningRates(1e-2, 3e-3, 1.0);
        final RecurrentState s = straight(RecurrentLmu.Options.kerasPsMnist(), c);
        final EpochRecord first = s.history().get(0);
        final EpochRecord lastNonSpiking = s.history().get(5);
        assertTrue(lastNonSpiking.trainLoss() < 0.6 * first.trainLoss(), first + " / " + lastNonSpiking);
        assertTrue(s.bestNonSpikingAccuracy() >= lastNonSpiking.validationAccuracy());
        assertTrue(s.bestSpikingEpoch() >= 6, "best spiking epoch " + s.bestSpikingEpoch());
        assertEquals(s.bestSpiking(), s.best());
        assertTrue(s.hasSpikingBest());
        for (final EpochRecord r : s.history())
        {
            assertEquals(r.epoch() >= 6 ? 2.0 : 0.0, r.validationDt());
        }
    }

    @Test
    void checkpointOfAnotherModelOrScheduleIsRejectedNamingTheFix(@TempDir final Path dir) throws IOException
    {
        final TrainingConfig c = TrainingConfig.defaults(1, 0, 11, 1).withBatch(20, 5).withCheckpoints(dir);
        try (RecurrentTraining t = new RecurrentTraining(SPEC, RecurrentLmu.Options.kerasPsMnist(), 1, c))
        {
            t.train(TRAIN.sequences, TRAIN.labels, VALID.sequences, VALID.labels, TrainingListener.NONE);
        }
        final Path file = dir.resolve(RecurrentCheckpoint.FILE_NAME);
        try (RecurrentTraining other = new RecurrentTraining(SPEC, new RecurrentLmu.Options(false, false, true, false), 1, c))
        {
            final IOException e = assertThrows(IOException.class, () -> other.resume(file));
            assertTrue(e.getMessage().contains("connection options"), e.getMessage());
        }
        try (RecurrentTraining other = new RecurrentTraining(SPEC, RecurrentLmu.Options.kerasPsMnist(), 1,
            TrainingConfig.defaults(1, 0, 12, 1).withBatch(20, 5)))
        {
            final IOException e = assertThrows(IOException.class, () -> other.resume(file));
            assertTrue(e.getMessage().contains("seed 11") && e.getMessage().contains("same options"), e.getMessage());
        }
        try (RecurrentTraining same = new RecurrentTraining(SPEC, RecurrentLmu.Options.kerasPsMnist(), 1, c))
        {
            same.resume(file);
            final IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> same.train(VALID.sequences, VALID.labels, VALID.sequences, VALID.labels, TrainingListener.NONE));
            assertTrue(e.getMessage().contains("other data"), e.getMessage());
        }
        Files.write(file, java.util.Arrays.copyOf(Files.readAllBytes(file), 100));
        try (RecurrentTraining same = new RecurrentTraining(SPEC, RecurrentLmu.Options.kerasPsMnist(), 1, c))
        {
            final IOException e = assertThrows(IOException.class, () -> same.resume(file));
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
    }
}
