package io.spikering.training;

import java.util.ArrayList;
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
    int epoch;
    int batch;
    double epochLoss;
    long epochCorrect;
    long epochSeen;
    double lastDt;
    float[] bestNonSpiking;
    double bestNonSpikingAccuracy = -1.0;
    int bestNonSpikingEpoch = -1;
    float[] bestSpiking;
    double bestSpikingAccuracy = -1.0;
    int bestSpikingEpoch = -1;
    final List<EpochRecord> history = new ArrayList<>();
    double elapsedSeconds;
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

    /** Best non-spiking-phase parameters by validation accuracy, or null if that phase has not validated yet. */
    public float[] bestNonSpiking()
    {
        return bestNonSpiking;
    }

    public double bestNonSpikingAccuracy()
    {
        return bestNonSpikingAccuracy;
    }

    public int bestNonSpikingEpoch()
    {
        return bestNonSpikingEpoch;
    }

    /** Best spiking-phase parameters by validation accuracy at dtEnd, or null. */
    public float[] bestSpiking()
    {
        return bestSpiking;
    }

    public double bestSpikingAccuracy()
    {
        return bestSpikingAccuracy;
    }

    public int bestSpikingEpoch()
    {
        return bestSpikingEpoch;
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

    public List<EpochRecord> history()
    {
        return history;
    }

    public int epoch()
    {
        return epoch;
    }

    public int batch()
    {
        return batch;
    }

    /** Wall-clock seconds spent training over all runs of this state (resumes included). */
    public double elapsedSeconds()
    {
        return elapsedSeconds;
    }
}
