package io.spikering.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The epoch/batch schedule shared by {@link Trainer} and {@link RecurrentTraining}: per-epoch shuffles and per-batch
 * voltage seeds as pure functions of (seed, epoch, batch), the phase's learning rate, progress reports, checkpoints
 * every epoch and every {@code checkpointMinutes} (and on a stop request), validation after every epoch with
 * keep-best per phase, and the history.
 */
final class EpochLoop
{
    /** The model-specific part of a training run. */
    interface Model<P>
    {
        /** One optimiser step on samples order[from..to); returns the summed loss (see {@link #lastCorrect()}). */
        double step(int[] order, int from, int to, double dt, double memoryDt, long voltageSeed, double learningRate);

        /** Correctly classified samples of the last {@link #step}. */
        long lastCorrect();

        /** The current parameters over the validation set at quantizer {@code dt} and memory quantizer {@code memoryDt}. */
        Evaluation validate(double dt, double memoryDt);

        /** A copy of the current parameters, kept as a phase's best. */
        P copyParameters();

        /** Writes the run's checkpoint to the config's directory and returns the file. */
        Path writeCheckpoint() throws IOException;

        /** Called before the first batch of every epoch trained in this run, also one resumed mid-epoch. */
        default void beginEpoch(final int epoch)
        {
        }
    }

    private EpochLoop()
    {
    }

    /** Trains {@code n} samples per epoch until the schedule is done or the listener asks to stop. */
    static <P> void run(final TrainingConfig config, final TrainingProgress<P> p, final Model<P> model, final int n,
        final int validationCount, final TrainingListener listener)
    {
        final int batches = (n + config.batchSize() - 1) / config.batchSize();
        final long runStart = System.nanoTime();
        long lastCheckpoint = runStart;
        long samplesThisRun = 0;
        final long totalSamples = (long)config.epochs() * n;
        int[] order = new int[0];
        while (p.epoch < config.epochs())
        {
            final long epochStart = System.nanoTime();
            order = Trainer.shuffled(config.seed(), p.epoch, n, order);
            model.beginEpoch(p.epoch);
            while (p.batch < batches)
            {
                final int from = p.batch * config.batchSize();
                final int to = Math.min(n, from + config.batchSize());
                final double dt = config.dt(p.epoch, p.batch, batches);
                final double memoryDt = config.memoryDt(p.epoch, p.batch, batches);
                p.epochLoss += model.step(order, from, to, dt, memoryDt, Trainer.batchVoltageSeed(config.seed(), p.epoch, p.batch),
                    config.learningRate(p.epoch, p.batch, batches));
                p.epochCorrect += model.lastCorrect();
                p.epochSeen += to - from;
                p.lastDt = dt;
                p.batch++;
                samplesThisRun += to - from;
                final double rate = samplesThisRun / Math.max((System.nanoTime() - runStart) * 1e-9, 1e-9);
                final long done = (long)p.epoch * n + Math.min(n, (long)p.batch * config.batchSize());
                listener.onBatch(new TrainingListener.Progress(p.epoch, config.epochs(), p.batch, batches,
                    p.epochLoss / p.epochSeen, (double)p.epochCorrect / p.epochSeen, dt, rate,
                    (totalSamples - done) / rate * (1.0 + (double)validationCount / (3.0 * n))));
                final boolean stop = listener.stopRequested();
                if (stop || System.nanoTime() - lastCheckpoint > config.checkpointMinutes() * 60e9)
                {
                    checkpoint(config, p, model, runStart, listener);
                    lastCheckpoint = System.nanoTime();
                    if (stop)
                    {
                        p.elapsedSeconds += (System.nanoTime() - runStart) * 1e-9;
                        return;
                    }
                }
            }
            endEpoch(config, p, model, listener, epochStart);
            checkpoint(config, p, model, runStart, listener);
            lastCheckpoint = System.nanoTime();
        }
        p.elapsedSeconds += (System.nanoTime() - runStart) * 1e-9;
    }

    private static <P> void endEpoch(final TrainingConfig config, final TrainingProgress<P> p, final Model<P> model,
        final TrainingListener listener, final long epochStart)
    {
        final boolean spiking = p.epoch >= config.firstSpikingEpoch();
        final double validationDt = spiking ? config.dtEnd() : 0.0;
        final Evaluation eval = model.validate(validationDt, spiking ? config.memoryDtEnd() : 0.0);
        final EpochRecord record = new EpochRecord(p.epoch, p.lastDt, p.epochLoss / p.epochSeen,
            (double)p.epochCorrect / p.epochSeen, validationDt, eval.loss(), eval.accuracy(), (System.nanoTime() - epochStart) * 1e-9);
        p.history.add(record);
        if (spiking)
        {
            if (eval.accuracy() > p.bestSpikingAccuracy)
            {
                p.bestSpiking = model.copyParameters();
                p.bestSpikingAccuracy = eval.accuracy();
                p.bestSpikingEpoch = p.epoch;
            }
        }
        else if (eval.accuracy() > p.bestNonSpikingAccuracy)
        {
            p.bestNonSpiking = model.copyParameters();
            p.bestNonSpikingAccuracy = eval.accuracy();
            p.bestNonSpikingEpoch = p.epoch;
        }
        p.epoch++;
        p.batch = 0;
        p.epochLoss = 0.0;
        p.epochCorrect = 0;
        p.epochSeen = 0;
        listener.onEpoch(record);
    }

    /** Writes a checkpoint with the elapsed time so far included (not counted twice when this run continues). */
    private static void checkpoint(final TrainingConfig config, final TrainingProgress<?> p, final Model<?> model, final long runStart,
        final TrainingListener listener)
    {
        if (config.checkpointDir() == null)
        {
            return;
        }
        final double run = (System.nanoTime() - runStart) * 1e-9;
        p.elapsedSeconds += run;
        try
        {
            listener.onCheckpoint(model.writeCheckpoint());
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot write checkpoint to " + config.checkpointDir() + ": " + e.getMessage(), e);
        }
        finally
        {
            p.elapsedSeconds -= run;
        }
    }
}
