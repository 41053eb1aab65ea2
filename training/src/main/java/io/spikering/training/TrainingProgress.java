package io.spikering.training;

import java.util.ArrayList;
import java.util.List;

/**
 * The resumable progress of a training run, shared by {@link TrainingState} and {@link RecurrentState}: position
 * (epoch, next batch), the epoch's running sums, the best parameters {@code P} of each phase, the history and the
 * wall time. {@link EpochLoop} advances it; the checkpoints write and read it.
 */
final class TrainingProgress<P>
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
}
