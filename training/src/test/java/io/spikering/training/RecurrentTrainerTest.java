package io.spikering.training;

import io.spikering.neuron.Activation;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecurrentTrainerTest
{
    /** Final parameters of the 1-thread and the 3-thread run, and the first and last epoch loss of the last run. */
    private record Runs(float[][] params, double first, double last)
    {
    }

    /** 15 epochs of three batches of 20 (dt 2 from epoch 10), Adam 1e-2, clip 1, seed 7; with 1 and with 3 threads. */
    private static Runs trainWithOneAndThreeThreads(final LmuSpec spec, final RecurrentLmu.Options options, final int shard,
        final Synthetic data, final int[] order)
    {
        final float[][] params = new float[2][];
        double first = 0.0;
        double last = 0.0;
        for (int run = 0; run < 2; run++)
        {
            try (RecurrentTrainer t = new RecurrentTrainer(spec, options, 1, 20, shard, run == 0 ? 1 : 3, 1e-2, 1.0, 7))
            {
                for (int epoch = 0; epoch < 15; epoch++)
                {
                    double loss = 0.0;
                    for (int b = 0; b < 3; b++)
                    {
                        loss += t.step(data.sequences, data.labels, order, b * 20, b * 20 + 20, epoch >= 10 ? 2.0 : 0.0, epoch) / 3;
                    }
                    if (epoch == 0)
                    {
                        first = loss;
                    }
                    last = loss;
                }
                params[run] = t.parameters().clone();
            }
        }
        return new Runs(params, first, last);
    }

    @Test
    void learnsAndIsIndependentOfTheThreadCount()
    {
        final LmuSpec spec = new LmuSpec(6, 20.0, true, 20, 1, 10, Activation.TANH, 3);
        final Synthetic data = Synthetic.make(spec, 60, 4);
        final int[] order = new int[60];
        for (int i = 0; i < order.length; i++)
        {
            order[i] = i;
        }
        final Runs runs = trainWithOneAndThreeThreads(spec, new RecurrentLmu.Options(true, true, true, true), 5, data, order);
        assertArrayEquals(runs.params()[0], runs.params()[1]);
        assertTrue(runs.last() < 0.5 * runs.first(), "loss went from " + runs.first() + " to " + runs.last());
    }

    /**
     * KerasLMU's psMNIST options take the fixed-memory path (impulse response shared by the shards, projected in
     * parallel): it learns, 1 and 3 threads give identical parameters, and its gradient equals the one of the
     * generic (memory recurrence) kernel within float rounding (1e-5 of the largest gradient entry).
     */
    @Test
    void fixedMemoryPathIsDeterministicAndMatchesTheGenericKernel()
    {
        final LmuSpec spec = new LmuSpec(8, 20.0, true, 20, 1, 10, Activation.TANH, 3);
        final Synthetic data = Synthetic.make(spec, 60, 4);
        final int[] order = new int[60];
        for (int i = 0; i < order.length; i++)
        {
            order[i] = i;
        }
        final RecurrentLmu.Options options = RecurrentLmu.Options.kerasPsMnist();
        final Runs runs = trainWithOneAndThreeThreads(spec, options, 6, data, order);
        final float[][] finalParams = runs.params();
        assertArrayEquals(finalParams[0], finalParams[1]);
        assertTrue(runs.last() < 0.7 * runs.first(), "loss went from " + runs.first() + " to " + runs.last());

        // evaluating other parameters than the trained ones projects the response from them (not the stale one)
        try (RecurrentTrainer t = new RecurrentTrainer(spec, options, 1, 20, 6, 2, 1e-2, 1.0, 7))
        {
            t.step(data.sequences, data.labels, order, 0, 20, 0.0, 0);
            final float[] other = finalParams[0];
            final Evaluation e = t.evaluate(other, data.sequences, data.labels, 40, 2.0, 5);
            final double[] r = new double[2];
            new RecurrentBatchKernel(new RecurrentLmu(spec, options, 1), 40, false).run(other, data.sequences, data.labels, order, 0, 40, 2.0, 5, 0,
                null, 0.0f, r);
            assertEquals(r[0] / 40, e.loss(), 1e-5 * (1 + r[0] / 40), "evaluation loss");
        }

        // a kernel on a shared response (as the trainer runs it, projected in two parts) equals the generic kernel
        final RecurrentLmu cell = new RecurrentLmu(spec, options, 1);
        final float[] p = finalParams[1];
        final FixedMemoryResponse response = new FixedMemoryResponse(spec);
        response.load(p, cell.offsets()[3]);
        response.project(0, 7);
        response.project(7, spec.steps());
        final float[] fast = new float[p.length];
        final float[] generic = new float[p.length];
        new RecurrentBatchKernel(cell, 20, true, response).run(p, data.sequences, data.labels, order, 20, 40, 2.0, 3, 0, fast, 0.05f, new double[2]);
        new RecurrentBatchKernel(cell, 20, false).run(p, data.sequences, data.labels, order, 20, 40, 2.0, 3, 0, generic, 0.05f, new double[2]);
        double maxG = 0.0;
        for (final float v : generic)
        {
            maxG = Math.max(maxG, Math.abs(v));
        }
        for (int i = 0; i < p.length; i++)
        {
            assertEquals(generic[i], fast[i], 1e-5 * maxG, "parameter " + i);
        }
    }
}
