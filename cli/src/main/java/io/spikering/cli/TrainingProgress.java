package io.spikering.cli;

import io.spikering.training.EpochRecord;
import io.spikering.training.TrainingListener;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The console side of a training run: a progress bar (loss, accuracy, dt, samples/s, ETA), one line per epoch, and
 * SIGINT/SIGTERM handling: a signal makes the trainer stop at the next batch boundary and write a checkpoint, and the
 * JVM waits (up to two minutes) until {@link #close()} so that checkpoint is complete before it exits.
 */
final class TrainingProgress implements TrainingListener, AutoCloseable
{
    private final AtomicBoolean stop = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;
    private final ProgressBar bar;

    TrainingProgress(final long totalBatches, final long doneBatches)
    {
        this.hook = new Thread(() ->
        {
            stop.set(true);
            try
            {
                finished.await(120, TimeUnit.SECONDS);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }, "train-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        this.bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(totalBatches).setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(2000).setMaxRenderedLength(150).build();
        bar.stepTo(doneBatches);
    }

    @Override
    public void onBatch(final Progress p)
    {
        bar.stepTo((long)p.epoch() * p.batches() + p.batch());
        bar.setExtraMessage(String.format(Locale.ROOT, " ep %d/%d loss %.4f acc %.2f%% dt %s %.0f samples/s ETA %.0f min",
            p.epoch() + 1, p.epochs(), p.loss(), 100 * p.accuracy(), EpochRecord.dtNameOf(p.dt()), p.samplesPerSecond(), p.etaSeconds() / 60));
    }

    @Override
    public void onEpoch(final EpochRecord record)
    {
        System.out.println(record);
    }

    @Override
    public boolean stopRequested()
    {
        return stop.get();
    }

    /** True when a signal stopped the run (print what to do next before {@link #close()}). */
    boolean stopped()
    {
        return stop.get();
    }

    /** Closes the bar and lets a pending shutdown proceed; without a signal, removes the hook. */
    @Override
    public void close()
    {
        bar.close();
        finished.countDown();
        if (!stop.get())
        {
            try
            {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (final IllegalStateException shuttingDown)
            {
                // already shutting down
            }
        }
    }
}
