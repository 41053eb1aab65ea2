package io.spikering.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Trains the recurrent LMU cell ({@link RecurrentTrainer}) on the schedule of a {@link TrainingConfig}, as
 * {@link Trainer} does for the parallel LMU: non-spiking epochs then spiking-aware epochs with dt annealed, Adam with
 * the phase's step size and gradient-norm clipping, validation after every epoch and keep-best per phase, checkpoints
 * every epoch and every {@code checkpointMinutes}. Shuffles and initial voltages are pure functions of (seed, epoch,
 * batch) and the reduction is in shard order, so a resumed run is bit-identical to an uninterrupted one and the
 * thread count does not change the result.
 */
public final class RecurrentTraining implements AutoCloseable
{
    private final TrainingConfig config;
    private final RecurrentTrainer trainer;
    private final RecurrentState state;
    private int[] order = new int[0];

    /** A fresh run: parameters initialised from the config's seed. */
    public RecurrentTraining(final LmuSpec spec, final RecurrentLmu.Options options, final int inputs, final TrainingConfig config)
    {
        this.config = config;
        this.trainer = new RecurrentTrainer(spec, options, inputs, config.batchSize(), config.shardSize(), config.threads(),
            config.learningRate(), config.clipNorm(), config.seed());
        this.state = new RecurrentState(spec, options, inputs, config, trainer);
    }

    /** Continues from a checkpoint written by a run with the same model and config (see {@link RecurrentCheckpoint#read}). */
    public RecurrentState resume(final Path checkpoint) throws IOException
    {
        RecurrentCheckpoint.read(checkpoint, state);
        return state;
    }

    public RecurrentState state()
    {
        return state;
    }

    /**
     * Trains until the schedule is done or the listener asks to stop (a checkpoint is then written, if configured);
     * returns the state. Sequences hold steps × inputs values each.
     */
    public RecurrentState train(final float[][] trainX, final int[] trainY, final float[][] validX, final int[] validY,
        final TrainingListener listener)
    {
        check(trainX, trainY, "training");
        check(validX, validY, "validation");
        final long fingerprint = fingerprint(validX, validY, fingerprint(trainX, trainY, 0x5EED));
        if (state.dataFingerprint != 0 && state.dataFingerprint != fingerprint)
        {
            throw new IllegalStateException("the checkpoint was trained on other data (its fingerprint differs); resume with the same "
                + "--train-limit, --validation-limit, --permutation-seed and MNIST files");
        }
        state.dataFingerprint = fingerprint;
        final int n = trainX.length;
        final int batches = (n + config.batchSize() - 1) / config.batchSize();
        final long runStart = System.nanoTime();
        long lastCheckpoint = runStart;
        long samplesThisRun = 0;
        final long totalSamples = (long)config.epochs() * n;
        while (state.epoch < config.epochs())
        {
            final long epochStart = System.nanoTime();
            order = Trainer.shuffled(config.seed(), state.epoch, n, order);
            while (state.batch < batches)
            {
                final int from = state.batch * config.batchSize();
                final int to = Math.min(n, from + config.batchSize());
                final double dt = config.dt(state.epoch, state.batch, batches);
                final double loss = trainer.step(trainX, trainY, order, from, to, dt, Trainer.batchVoltageSeed(config.seed(), state.epoch, state.batch),
                    dt > 0.0 ? config.spikingLearningRate() : config.learningRate());
                state.epochLoss += loss * (to - from);
                state.epochCorrect += trainer.lastCorrect();
                state.epochSeen += to - from;
                state.lastDt = dt;
                state.batch++;
                samplesThisRun += to - from;
                final double rate = samplesThisRun / Math.max((System.nanoTime() - runStart) * 1e-9, 1e-9);
                final long done = (long)state.epoch * n + Math.min(n, (long)state.batch * config.batchSize());
                listener.onBatch(new TrainingListener.Progress(state.epoch, config.epochs(), state.batch, batches,
                    state.epochLoss / state.epochSeen, (double)state.epochCorrect / state.epochSeen, dt, rate,
                    (totalSamples - done) / rate * (1.0 + (double)validX.length / (3.0 * n))));
                final boolean stop = listener.stopRequested();
                if (stop || System.nanoTime() - lastCheckpoint > config.checkpointMinutes() * 60e9)
                {
                    checkpoint(runStart, listener);
                    lastCheckpoint = System.nanoTime();
                    if (stop)
                    {
                        state.elapsedSeconds += (System.nanoTime() - runStart) * 1e-9;
                        return state;
                    }
                }
            }
            endEpoch(validX, validY, listener, epochStart);
            checkpoint(runStart, listener);
            lastCheckpoint = System.nanoTime();
        }
        state.elapsedSeconds += (System.nanoTime() - runStart) * 1e-9;
        return state;
    }

    private void endEpoch(final float[][] validX, final int[] validY, final TrainingListener listener, final long epochStart)
    {
        final boolean spiking = state.epoch >= config.firstSpikingEpoch();
        final double validationDt = spiking ? config.dtEnd() : 0.0;
        final Evaluation eval = evaluate(state.params, validX, validY, validationDt, Trainer.validationVoltageSeed(config.seed()));
        final EpochRecord record = new EpochRecord(state.epoch, state.lastDt, state.epochLoss / state.epochSeen,
            (double)state.epochCorrect / state.epochSeen, validationDt, eval.loss(), eval.accuracy(), (System.nanoTime() - epochStart) * 1e-9);
        state.history.add(record);
        if (spiking)
        {
            if (eval.accuracy() > state.bestSpikingAccuracy)
            {
                state.bestSpiking = state.params.clone();
                state.bestSpikingAccuracy = eval.accuracy();
                state.bestSpikingEpoch = state.epoch;
            }
        }
        else if (eval.accuracy() > state.bestNonSpikingAccuracy)
        {
            state.bestNonSpiking = state.params.clone();
            state.bestNonSpikingAccuracy = eval.accuracy();
            state.bestNonSpikingEpoch = state.epoch;
        }
        state.epoch++;
        state.batch = 0;
        state.epochLoss = 0.0;
        state.epochCorrect = 0;
        state.epochSeen = 0;
        listener.onEpoch(record);
    }

    /** Writes a checkpoint with the elapsed time so far included (not counted twice when this run continues). */
    private void checkpoint(final long runStart, final TrainingListener listener)
    {
        if (config.checkpointDir() == null)
        {
            return;
        }
        final double run = (System.nanoTime() - runStart) * 1e-9;
        state.elapsedSeconds += run;
        try
        {
            listener.onCheckpoint(RecurrentCheckpoint.write(state, config.checkpointDir()));
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot write checkpoint to " + config.checkpointDir() + ": " + e.getMessage(), e);
        }
        finally
        {
            state.elapsedSeconds -= run;
        }
    }

    /**
     * The training forward pass (no gradient) of {@code params} over all of {@code x} at quantizer {@code dt}
     * (0 = non-spiking), sample i's voltages from {@code voltageSeed} and i.
     */
    public Evaluation evaluate(final float[] params, final float[][] x, final int[] labels, final double dt, final long voltageSeed)
    {
        check(x, labels, "evaluation");
        return trainer.evaluate(params, x, labels, x.length, dt, voltageSeed);
    }

    private static long fingerprint(final float[][] x, final int[] labels, final long seed)
    {
        long h = ShardKernel.mix(seed + x.length);
        for (int i = 0; i < x.length; i++)
        {
            h = ShardKernel.mix(h + labels[i]);
            for (final float v : x[i])
            {
                h = h * 0x9E3779B97F4A7C15L + Float.floatToRawIntBits(v);
            }
            h = ShardKernel.mix(h);
        }
        return h == 0 ? 1 : h;
    }

    private void check(final float[][] x, final int[] labels, final String what)
    {
        if (x.length == 0 || x.length != labels.length)
        {
            throw new IllegalArgumentException(what + " set needs at least one sample and one label per sequence, got " + x.length
                + " sequences and " + labels.length + " labels");
        }
        final int expected = state.spec.steps() * state.inputs;
        for (int i = 0; i < x.length; i++)
        {
            if (x[i].length != expected)
            {
                throw new IllegalArgumentException(what + " sequence " + i + " has " + x[i].length + " values, the model expects steps × inputs = "
                    + expected);
            }
        }
        for (int i = 0; i < labels.length; i++)
        {
            if (labels[i] < 0 || labels[i] >= state.spec.classes())
            {
                throw new IllegalArgumentException(what + " label " + labels[i] + " at index " + i + " is outside [0, " + state.spec.classes() + ")");
            }
        }
    }

    @Override
    public void close()
    {
        trainer.close();
    }
}
