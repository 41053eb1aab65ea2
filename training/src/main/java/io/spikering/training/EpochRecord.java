package io.spikering.training;

/**
 * One epoch's summary.
 *
 * @param epoch          0-based epoch.
 * @param trainDt        dt of the epoch's last batch (0 = non-spiking).
 * @param trainLoss      mean training loss.
 * @param trainAccuracy  training accuracy (on the quantized forward pass when spiking).
 * @param validationDt   dt of the validation pass (0 = non-spiking).
 * @param validationLoss mean validation loss.
 * @param validationAccuracy validation accuracy.
 * @param seconds        wall-clock seconds of the epoch (training + validation).
 */
public record EpochRecord(int epoch, double trainDt, double trainLoss, double trainAccuracy, double validationDt,
    double validationLoss, double validationAccuracy, double seconds)
{
    @Override
    public String toString()
    {
        return String.format(java.util.Locale.ROOT,
            "epoch %d: train dt=%s loss %.4f acc %.4f | validation dt=%s loss %.4f acc %.4f | %.1f s",
            epoch + 1, dtName(trainDt), trainLoss, trainAccuracy, dtName(validationDt), validationLoss, validationAccuracy, seconds);
    }

    /** "off" for dt 0, else dt with 3 significant digits. */
    public static String dtNameOf(final double dt)
    {
        return dtName(dt);
    }

    static String dtName(final double dt)
    {
        return dt > 0.0 ? String.format(java.util.Locale.ROOT, "%.3g", dt) : "off";
    }
}
