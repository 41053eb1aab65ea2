package io.spikering.training;

/**
 * Everything a recurrent run needs to continue exactly where it stopped: the live parameters and Adam state of its
 * {@link RecurrentTrainer}, the position (epoch, next batch; shuffles and voltages are pure functions of the seed,
 * epoch and batch), the epoch's running sums, the best parameters of each phase and the history.
 * {@link RecurrentCheckpoint} writes and reads it.
 */
public final class RecurrentState extends TrainingProgress<float[]>
{
    final LmuSpec spec;
    final RecurrentLmu.Options options;
    final int inputs;
    final TrainingConfig config;
    final float[] params;
    final Adam adam;
    long dataFingerprint;

    RecurrentState(final LmuSpec spec, final RecurrentLmu.Options options, final int inputs, final TrainingConfig config,
        final RecurrentTrainer trainer)
    {
        this.spec = spec;
        this.options = options;
        this.inputs = inputs;
        this.config = config;
        this.params = trainer.parameters();
        this.adam = trainer.adam();
    }

    public boolean finished()
    {
        return epoch >= config.epochs();
    }

    public LmuSpec spec()
    {
        return spec;
    }

    public RecurrentLmu.Options options()
    {
        return options;
    }

    public int inputs()
    {
        return inputs;
    }

    public TrainingConfig config()
    {
        return config;
    }

    /** The current parameters (live; layout of {@link RecurrentLmu}). */
    public float[] parameters()
    {
        return params;
    }

    public Adam adam()
    {
        return adam;
    }

    /** True when the spiking phase has validated at least once, so {@link #best()} is a spiking-aware model. */
    public boolean hasSpikingBest()
    {
        return bestSpiking != null;
    }

    /** The model to ship: the best spiking one if any, else the best non-spiking one, else the current one. */
    public float[] best()
    {
        return bestSpiking != null ? bestSpiking : bestNonSpiking != null ? bestNonSpiking : params;
    }

    /** Epoch (0-based) of {@link #best()}, or −1 for the current parameters. */
    public int bestEpoch()
    {
        return bestSpiking != null ? bestSpikingEpoch : bestNonSpikingEpoch;
    }

    /** Validation accuracy of {@link #best()}, or −1. */
    public double bestAccuracy()
    {
        return bestSpiking != null ? bestSpikingAccuracy : bestNonSpikingAccuracy;
    }
}
