package io.spikering.training;

import java.util.List;

/**
 * Everything a recurrent run needs to continue exactly where it stopped: the live parameters and Adam state of its
 * {@link RecurrentTrainer}, the position (epoch, next batch; shuffles and voltages are pure functions of the seed,
 * epoch and batch), the epoch's running sums, the best parameters of each phase and the history.
 * {@link RecurrentCheckpoint} writes and reads it.
 */
public final class RecurrentState
{
    final LmuSpec spec;
    final RecurrentLmu.Options options;
    final int inputs;
    final TrainingConfig config;
    final float[] params;
    final Adam adam;
    final TrainingProgress<float[]> progress = new TrainingProgress<>();
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
        return progress.epoch >= config.epochs();
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

    /** Best non-spiking-phase parameters by validation accuracy, or null if that phase has not validated yet. */
    public float[] bestNonSpiking()
    {
        return progress.bestNonSpiking;
    }

    public double bestNonSpikingAccuracy()
    {
        return progress.bestNonSpikingAccuracy;
    }

    public int bestNonSpikingEpoch()
    {
        return progress.bestNonSpikingEpoch;
    }

    /** Best spiking-phase parameters by validation accuracy at dtEnd, or null. */
    public float[] bestSpiking()
    {
        return progress.bestSpiking;
    }

    public double bestSpikingAccuracy()
    {
        return progress.bestSpikingAccuracy;
    }

    public int bestSpikingEpoch()
    {
        return progress.bestSpikingEpoch;
    }

    /** True when the spiking phase has validated at least once, so {@link #best()} is a spiking-aware model. */
    public boolean hasSpikingBest()
    {
        return progress.bestSpiking != null;
    }

    /** The model to ship: the best spiking one if any, else the best non-spiking one, else the current one. */
    public float[] best()
    {
        return progress.bestSpiking != null ? progress.bestSpiking : progress.bestNonSpiking != null ? progress.bestNonSpiking : params;
    }

    /** Epoch (0-based) of {@link #best()}, or −1 for the current parameters. */
    public int bestEpoch()
    {
        return progress.bestSpiking != null ? progress.bestSpikingEpoch : progress.bestNonSpikingEpoch;
    }

    /** Validation accuracy of {@link #best()}, or −1. */
    public double bestAccuracy()
    {
        return progress.bestSpiking != null ? progress.bestSpikingAccuracy : progress.bestNonSpikingAccuracy;
    }

    public List<EpochRecord> history()
    {
        return progress.history;
    }

    public int epoch()
    {
        return progress.epoch;
    }

    public int batch()
    {
        return progress.batch;
    }

    /** Wall-clock seconds spent training over all runs of this state (resumes included). */
    public double elapsedSeconds()
    {
        return progress.elapsedSeconds;
    }
}
