package io.spikering.training;

import java.io.IOException;
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
        final long validationSeed = Trainer.validationVoltageSeed(config.seed());
        EpochLoop.run(config, state, new EpochLoop.Model<float[]>()
        {
            @Override
            public double step(final int[] order, final int from, final int to, final double dt, final double memoryDt, final long voltageSeed,
                final double learningRate)
            {
                return trainer.step(trainX, trainY, order, from, to, dt, voltageSeed, learningRate) * (to - from);
            }

            @Override
            public long lastCorrect()
            {
                return trainer.lastCorrect();
            }

            @Override
            public Evaluation validate(final double dt, final double memoryDt)
            {
                return evaluate(state.params, validX, validY, dt, validationSeed);
            }

            @Override
            public float[] copyParameters()
            {
                return state.params.clone();
            }

            @Override
            public Path writeCheckpoint() throws IOException
            {
                return RecurrentCheckpoint.write(state, config.checkpointDir());
            }
        }, trainX.length, validX.length, listener);
        return state;
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
