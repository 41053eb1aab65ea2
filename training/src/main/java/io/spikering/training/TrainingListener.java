package io.spikering.training;

/** Receives progress from {@link Trainer}; the CLI renders it as a progress bar. Called on the training thread. */
public interface TrainingListener
{
    /** After each batch. */
    default void onBatch(final Progress progress)
    {
    }

    /** After each epoch's validation. */
    default void onEpoch(final EpochRecord record)
    {
    }

    /** After a checkpoint has been written. */
    default void onCheckpoint(final java.nio.file.Path file)
    {
    }

    /** Polled after each batch: true makes the trainer write a checkpoint and return early (resumable). */
    default boolean stopRequested()
    {
        return false;
    }

    /**
     * Training state after a batch.
     *
     * @param epoch            0-based epoch.
     * @param epochs           total epochs.
     * @param batch            batches done in this epoch.
     * @param batches          batches per epoch.
     * @param loss             mean training loss so far in this epoch.
     * @param accuracy         training accuracy so far in this epoch.
     * @param dt               quantizer dt of the last batch (0 = non-spiking).
     * @param samplesPerSecond training throughput since this run started.
     * @param etaSeconds       estimated seconds to the end of training (validation included roughly).
     */
    record Progress(int epoch, int epochs, int batch, int batches, double loss, double accuracy, double dt,
        double samplesPerSecond, double etaSeconds)
    {
    }

    /** NOP listener. */
    TrainingListener NONE = new TrainingListener()
    {
    };
}
