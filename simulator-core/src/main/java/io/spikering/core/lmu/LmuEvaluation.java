package io.spikering.core.lmu;

import io.spikering.core.data.PixelSequences;
import io.spikering.core.engine.FilterBatch;
import io.spikering.core.engine.Simulator;
import io.spikering.core.engine.Workers;


/**
 * Streams samples through an {@link LmuModelNetwork}, step by step, with sample-level parallelism: the samples are cut
 * into batches of consecutive samples, worker w runs batches w, w + T, w + 2T, ... on its own {@link Simulator}s (one
 * per sample of a batch, direct delivery). Sample i is always reset with seed i, so predictions, op counts and
 * histograms are the same for every number of threads and every batch size.
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

    /** Samples per batch when none is given: enough to share the filter's impulse rows in cache across samples. */
    public static final int DEFAULT_BATCH = 32;

    /** Largest batch accepted. */
    public static final int MAX_BATCH = 1024;

    private LmuEvaluation()
    {
    }

    /**
     * Runs the first {@code count} samples in batches of {@link #DEFAULT_BATCH}: as
     * {@link #run(LmuModelNetwork, Samples, int, int, int, int, Progress)}.
     */
    public static Result run(final LmuModelNetwork net, final Samples samples, final int count, final int threads,
        final int rasterSamples, final Progress progress)
    {
        return run(net, samples, count, threads, DEFAULT_BATCH, rasterSamples, progress);
    }

    /**
     * Runs the first {@code count} samples. Each worker steps a batch of consecutive samples in lockstep, one
     * simulator per sample; an event-driven memory with the deferred schedule adds the batch's inputs at once
     * ({@link FilterBatch}) before the readout window. Predictions, op counts and histograms are those of running
     * every sample alone, bit for bit, for every batch size and number of threads.
     *
     * @param threads       worker threads, 1..64.
     * @param batch         samples per batch, 1..{@link #MAX_BATCH} (1: one sample at a time).
     * @param rasterSamples how many of the first samples to record hidden counts for.
     */
    public static Result run(final LmuModelNetwork net, final Samples samples, final int count, final int threads, final int batch,
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
        if (batch < 1 || batch > MAX_BATCH)
        {
            throw new IllegalArgumentException("--batch must be in [1, " + MAX_BATCH + "], got " + batch);
        }
        final int blocks = (count + batch - 1) / batch;
        final int workers = Math.min(threads, blocks);
        final int size = Math.min(batch, count);
        final int steps = net.model().steps();
        final int[] predictions = new int[count];
        final int[] labels = new int[count];
        final int from = net.model().hiddenFirstStep();
        final int rasters = net.spiking() ? Math.min(rasterSamples, count) : 0;
        final int[][][] raster = new int[rasters][steps - from][];
        // the batch meets at the filter's first window step, where its deferred inputs are added together
        final boolean together = size > 1 && net.memoryMode() != LmuModelNetwork.MemoryMode.RECURRENCE &&
            net.memorySchedule() == LmuModelNetwork.MemorySchedule.DEFERRED;
        final int meet = together ? from : steps;
        final Simulator[][] sims = new Simulator[workers][size];
        for (int w = 0; w < workers; w++)
        {
            for (int b = 0; b < size; b++)
            {
                sims[w][b] = new Simulator(net.network());
            }
        }
        final Workers pool = new Workers();
        final int[] current = new int[workers];
        final long start = System.nanoTime();
        pool.run(workers, "spikering-run-", worker ->
        {
                try
                {
                    final Simulator[] mine = sims[worker];
                    final float[][] pixels = new float[size][steps];
                    final double[] buffer = new double[1];
                    for (int block = worker; block < blocks && !pool.failed(); block += workers)
                    {
                        final int first = block * batch;
                        final int m = Math.min(batch, count - first);
                        for (int b = 0; b < m; b++)
                        {
                            current[worker] = first + b;
                            samples.copy(first + b, pixels[b]);
                            labels[first + b] = samples.label(first + b);
                            mine[b].reset(first + b);
                            step(net, mine[b], pixels[b], 0, meet, buffer, first + b < rasters ? raster[first + b] : null, from);
                        }
                        if (together)
                        {
                            FilterBatch.flush(mine, m, net.memory());
                        }
                        for (int b = 0; b < m; b++)
                        {
                            final int i = first + b;
                            current[worker] = i;
                            step(net, mine[b], pixels[b], meet, steps, buffer, i < rasters ? raster[i] : null, from);
                            predictions[i] = LmuModelNetwork.argmax(mine[b].outputs(net.readout()));
                            if (progress != null)
                            {
                                progress.onSample(i, predictions[i] == labels[i]);
                            }
                        }
                    }
                }
                catch (final RuntimeException e)
                {
                    pool.fail(new IllegalStateException("model " + net.model().source() + ", test sample " + current[worker]
                        + ": " + e.getMessage() + (e.getMessage() != null && e.getMessage().contains("finite")
                        ? " (the weights or the input drive the activity beyond the float range)" : ""), e));
                }
        });
        final double seconds = (System.nanoTime() - start) * 1e-9;
        pool.throwIfFailed();
        final OpTotals ops = new OpTotals(net.network());
        for (final Simulator[] row : sims)
        {
            for (final Simulator sim : row)
            {
                ops.add(sim.ops());
                sim.close();
            }
        }
        return new Result(predictions, labels, ops, raster, seconds, workers);
    }

    /** Steps [lo, hi) of one sample; records the hidden counts of steps &gt;= {@code from} into {@code raster} if given. */
    private static void step(final LmuModelNetwork net, final Simulator sim, final float[] pixels, final int lo, final int hi,
        final double[] buffer, final int[][] raster, final int from)
    {
        for (int t = lo; t < hi; t++)
        {
            buffer[0] = pixels[t];
            sim.setInput(net.pixel(), buffer);
            sim.setInput(net.pixelDirect(), buffer);
            sim.step();
            if (raster != null && t >= from)
            {
                raster[t - from] = sim.counts(net.hidden()).clone();
            }
        }
    }
}
