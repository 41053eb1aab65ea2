package io.spikering.training;

import java.util.ArrayList;
import java.util.List;

/**
 * The resumable progress of a training run, shared by {@link TrainingState} and {@link RecurrentState}: position
 * (epoch, next batch), the epoch's running sums, the best parameters {@code P} of each phase, the history and the
 * wall time. {@link EpochLoop} advances it; the checkpoints write and read it.
 */
abstract class TrainingProgress<P>
{
    int epoch;
    int batch;
    double epochLoss;
    long epochCorrect;
    long epochSeen;
    double lastDt;
    P bestNonSpiking;
    double bestNonSpikingAccuracy = -1.0;
    int bestNonSpikingEpoch = -1;
    P bestSpiking;
    double bestSpikingAccuracy = -1.0;
    int bestSpikingEpoch = -1;
    final List<EpochRecord> history = new ArrayList<>();
    double elapsedSeconds;

    /** Best non-spiking-phase parameters by validation accuracy, or null if that phase has not validated yet. */
    public P bestNonSpiking()
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
    public P bestSpiking()
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

    /** One record per completed epoch. */
    public List<EpochRecord> history()
    {
        return history;
    }

    /** The current epoch (0-based; equals the epoch count when finished). */
    public int epoch()
    {
        return epoch;
    }

    /** The next batch of the current epoch. */
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
