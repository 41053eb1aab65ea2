package io.spikering.core.lmu;

import io.spikering.core.data.PixelSequences;
import io.spikering.core.engine.Simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Streams samples through an {@link LmuModelNetwork}, step by step, with sample-level parallelism: worker w runs
 * samples w, w + T, w + 2T, ... on its own {@link Simulator} (direct delivery). Sample i is always reset with seed
 * i, so predictions, op counts and histograms are the same for every number of threads.
 */
public final class LmuEvaluation
{
    /** Labelled input sequences. */
    public interface Samples
    {
        int size();

        int label(int sample);

        /** Writes the sample's sequence into {@code dst}. */
        void copy(int sample, float[] dst);

        static Samples of(final PixelSequences data)
        {
            return new Samples()
            {
                public int size()
                {
                    return data.size();
                }

                public int label(final int sample)
                {
                    return data.label(sample);
                }

                public void copy(final int sample, final float[] dst)
                {
                    data.copySequence(sample, dst, 0);
                }
            };
        }
    }

    /** Called by the workers after each sample (from several threads: implementations must be thread-safe). */
    public interface Progress
    {
        void onSample(int sample, boolean correct);
    }

    /**
     * Outcome of a run.
     *
     * @param predictions per sample.
     * @param labels      per sample.
     * @param ops         operation counts and histograms summed over all samples.
     * @param raster      hidden counts [sample][step − hidden first step][neuron] of the first samples (spiking runs only).
     * @param seconds     wall time of the stepping (network construction excluded).
     */
    public record Result(int[] predictions, int[] labels, OpTotals ops, int[][][] raster, double seconds, int threads)
    {
        public int samples()
        {
            return predictions.length;
        }

        public int correct()
        {
            int c = 0;
            for (int i = 0; i < predictions.length; i++)
            {
                c += predictions[i] == labels[i] ? 1 : 0;
            }
            return c;
        }

        public double accuracy()
        {
            return predictions.length == 0 ? 0.0 : (double)correct() / predictions.length;
        }

        public double samplesPerSecond()
        {
            return predictions.length / seconds;
        }
    }

    private LmuEvaluation()
    {
    }

    /**
     * Runs the first {@code count} samples.
     *
     * @param threads       worker threads (each with its own simulator), 1..64.
     * @param rasterSamples how many of the first samples to record hidden counts for.
     */
    public static Result run(final LmuModelNetwork net, final Samples samples, final int count, final int threads,
        final int rasterSamples, final Progress progress)
    {
        if (count < 1 || count > samples.size())
        {
            throw new IllegalArgumentException("--samples must be in [1, " + samples.size() + "], got " + count);
        }
        if (threads < 1 || threads > Simulator.MAX_THREADS)
        {
            throw new IllegalArgumentException("--threads must be in [1, " + Simulator.MAX_THREADS + "], got " + threads);
        }
        final int workers = Math.min(threads, count);
        final int[] predictions = new int[count];
        final int[] labels = new int[count];
        final int from = net.model().hiddenFirstStep();
        final int rasters = net.spiking() ? Math.min(rasterSamples, count) : 0;
        final int[][][] raster = new int[rasters][net.model().steps() - from][];
        final Simulator[] sims = new Simulator[workers];
        for (int w = 0; w < workers; w++)
        {
            sims[w] = new Simulator(net.network());
        }
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final int[] current = new int[workers];
        final List<Thread> pool = new ArrayList<>();
        final long start = System.nanoTime();
        for (int w = 0; w < workers; w++)
        {
            final int worker = w;
            final Thread thread = new Thread(() ->
            {
                try
                {
                    final Simulator sim = sims[worker];
                    final float[] pixels = new float[net.model().steps()];
                    final double[] buffer = new double[1];
                    for (int i = worker; i < count && failure.get() == null; i += workers)
                    {
                        current[worker] = i;
                        samples.copy(i, pixels);
                        labels[i] = samples.label(i);
                        if (i < rasters)
                        {
                            predictions[i] = runRecorded(net, sim, pixels, i, buffer, raster[i], from);
                        }
                        else
                        {
                            predictions[i] = net.run(sim, pixels, i, buffer);
                        }
                        if (progress != null)
                        {
                            progress.onSample(i, predictions[i] == labels[i]);
                        }
                    }
                }
                catch (final RuntimeException e)
                {
                    failure.compareAndSet(null, new IllegalStateException("model " + net.model().source() + ", test sample " + current[worker]
                        + ": " + e.getMessage() + (e.getMessage() != null && e.getMessage().contains("finite")
                        ? " (the weights or the input drive the activity beyond the float range)" : ""), e));
                }
                catch (final Throwable t)
                {
                    failure.compareAndSet(null, t);
                }
            }, "spikering-run-" + w);
            pool.add(thread);
            thread.start();
        }
        for (final Thread t : pool)
        {
            try
            {
                t.join();
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the workers", e);
            }
        }
        final double seconds = (System.nanoTime() - start) * 1e-9;
        if (failure.get() != null)
        {
            if (failure.get() instanceof RuntimeException e)
            {
                throw e;
            }
            throw new IllegalStateException("a worker failed: " + failure.get(), failure.get());
        }
        final OpTotals ops = new OpTotals(net.network());
        for (final Simulator sim : sims)
        {
            ops.add(sim.ops());
            sim.close();
        }
        return new Result(predictions, labels, ops, raster, seconds, workers);
    }

    private static int runRecorded(final LmuModelNetwork net, final Simulator sim, final float[] pixels, final long seed,
        final double[] buffer, final int[][] raster, final int from)
    {
        sim.reset(seed);
        final int steps = net.model().steps();
        for (int t = 0; t < steps; t++)
        {
            buffer[0] = pixels[t];
            sim.setInput(net.pixel(), buffer);
            sim.setInput(net.pixelDirect(), buffer);
            sim.step();
            if (t >= from)
            {
                raster[t - from] = sim.counts(net.hidden()).clone();
            }
        }
        return LmuModelNetwork.argmax(sim.outputs(net.readout()));
    }
}
