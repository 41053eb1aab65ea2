package io.spikering.interop.nir;

import io.spikering.core.engine.Network;
import io.spikering.core.engine.PopulationKind;
import io.spikering.core.engine.Simulator;
import io.spikering.core.engine.Workers;
import io.spikering.core.lmu.OpTotals;


/**
 * Runs samples through a compiled NIR graph: worker w runs samples w, w + T, ... on its own {@link Simulator}, each
 * sample from a reset state, so predictions, spike counts and op counts are the same for any number of workers and
 * delivery threads. Each step feeds the sample's values times the spike value to the Input population.
 */
public final class NirEvaluation
{
    /** Input sequences [sample][step][feature], optionally labelled. */
    public interface Samples
    {
        int size();

        int steps();

        /** Values per step (the product of the graph's Input shape). */
        int features();

        /** Writes sample {@code sample}'s steps x features values, C order, into {@code dst}. */
        void copy(int sample, float[] dst);

        /** The class of sample {@code sample}, or -1 when the data have no labels. */
        int label(int sample);
    }

    /** How the output population names a class. */
    public enum Classify
    {
        /** The output neuron with the most spikes over the sample (ties: the lowest index). */
        SPIKES,
        /** The output neuron with the highest membrane potential (or output value) at any step. */
        POTENTIAL
    }

    /** Called after each sample, from the workers (implementations must be thread-safe). */
    public interface Progress
    {
        void onSample(int sample, boolean correct);
    }

    /**
     * Outcome of a run.
     *
     * @param predictions per sample
     * @param labels      per sample (-1 without labels)
     * @param spikes      spikes per population summed over all samples and steps (0 for non-spiking ones)
     * @param ops         operation counts summed over all samples
     * @param seconds     wall time of the stepping
     * @param threads     workers used
     */
    public record Result(int[] predictions, int[] labels, long[] spikes, OpTotals ops, double seconds, int threads)
    {
        public int samples()
        {
            return predictions.length;
        }

        public boolean labelled()
        {
            return labels.length > 0 && labels[0] >= 0;
        }

        public double accuracy()
        {
            int c = 0;
            for (int i = 0; i < predictions.length; i++)
            {
                c += predictions[i] == labels[i] ? 1 : 0;
            }
            return predictions.length == 0 ? 0.0 : (double)c / predictions.length;
        }

        public double samplesPerSecond()
        {
            return predictions.length / seconds;
        }
    }

    private NirEvaluation()
    {
    }

    /**
     * Runs the first {@code count} samples with {@code threads} workers, each simulator with {@code deliveryThreads}
     * (0 = direct path); {@code recorder} (may be null) receives every step of every sample.
     */
    public static Result run(final NirNetwork net, final Samples samples, final int count, final int threads, final int deliveryThreads,
        final Classify classify, final NirStateRecorder recorder, final Progress progress)
    {
        if (count < 1 || count > samples.size())
        {
            throw new IllegalArgumentException("--samples must be in [1, " + samples.size() + "], got " + count);
        }
        if (threads < 1 || threads > Simulator.MAX_THREADS)
        {
            throw new IllegalArgumentException("--threads must be in [1, " + Simulator.MAX_THREADS + "], got " + threads);
        }
        if (samples.features() != net.inputSize())
        {
            throw new IllegalArgumentException("input has " + samples.features() + " values per step, but " + net.source() + "'s Input takes " +
                net.inputSize());
        }
        final Network network = net.network();
        final int out = net.output();
        final boolean outSpikes = network.population(out).isSpiking();
        if (classify == Classify.SPIKES && !outSpikes)
        {
            throw new IllegalArgumentException(net.source() + ": the node feeding Output '" + net.outputNode() + "' emits values, not " +
                "spikes; classify by potential (--classify potential)");
        }
        final boolean outNeurons = network.population(out).kind() == PopulationKind.NEURON;
        final int workers = Math.min(threads, count);
        final int[] predictions = new int[count];
        final int[] labels = new int[count];
        final Simulator[] sims = new Simulator[workers];
        final long[][] spikes = new long[workers][network.populationCount()];
        for (int w = 0; w < workers; w++)
        {
            sims[w] = new Simulator(network, deliveryThreads);
        }
        final Workers pool = new Workers();
        final double spike = net.options().spikeValue();
        final boolean[] spiking = new boolean[network.populationCount()];
        for (int p = 0; p < spiking.length; p++)
        {
            spiking[p] = network.population(p).isSpiking();
        }
        final long start = System.nanoTime();
        pool.run(workers, "spikering-nir-", worker ->
        {
                    final Simulator sim = sims[worker];
                    final int steps = samples.steps();
                    final int features = samples.features();
                    final float[] data = new float[steps * features];
                    final double[] step = new double[features];
                    final int outSize = network.population(out).outputSize();
                    final double[] score = new double[outSize];
                    final long[] counted = spikes[worker];
                    for (int i = worker; i < count && !pool.failed(); i += workers)
                    {
                        samples.copy(i, data);
                        labels[i] = samples.label(i);
                        sim.reset(i);
                        java.util.Arrays.fill(score, classify == Classify.SPIKES ? 0.0 : Double.NEGATIVE_INFINITY);
                        for (int t = 0; t < steps; t++)
                        {
                            for (int f = 0; f < features; f++)
                            {
                                step[f] = data[t * features + f] * spike;
                            }
                            sim.setInput(net.input(), step);
                            sim.step();
                            for (int p = 0; p < counted.length; p++)
                            {
                                if (spiking[p])
                                {
                                    counted[p] += sim.eventCount(p);
                                }
                            }
                            if (classify == Classify.SPIKES)
                            {
                                final int[] idx = sim.eventNeurons(out);
                                for (int k = sim.eventCount(out) - 1; k >= 0; k--)
                                {
                                    score[idx[k]] += 1.0;
                                }
                            }
                            else
                            {
                                final double[] v = outNeurons && outSpikes ? sim.voltage(out) : sim.outputs(out);
                                for (int k = 0; k < outSize; k++)
                                {
                                    score[k] = Math.max(score[k], v[k]);
                                }
                            }
                            if (recorder != null)
                            {
                                recorder.record(sim, i, t);
                            }
                        }
                        predictions[i] = argmax(score);
                        if (progress != null)
                        {
                            progress.onSample(i, predictions[i] == labels[i]);
                        }
                    }
        });
        final double seconds = (System.nanoTime() - start) * 1e-9;
        final OpTotals ops = new OpTotals(network);
        final long[] total = new long[network.populationCount()];
        for (int w = 0; w < workers; w++)
        {
            ops.add(sims[w].ops());
            sims[w].close();
            for (int p = 0; p < total.length; p++)
            {
                total[p] += spikes[w][p];
            }
        }
        pool.throwIfFailed();
        return new Result(predictions, labels, total, ops, seconds, workers);
    }

    static int argmax(final double[] values)
    {
        int best = 0;
        for (int k = 1; k < values.length; k++)
        {
            if (values[k] > values[best])
            {
                best = k;
            }
        }
        return best;
    }
}
