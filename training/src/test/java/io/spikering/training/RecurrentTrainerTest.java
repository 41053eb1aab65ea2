package io.spikering.training;

import io.spikering.neuron.Activation;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecurrentTrainerTest
{
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
        final float[][] finalParams = new float[2][];
        double first = 0.0;
        double last = 0.0;
        for (int run = 0; run < 2; run++)
        {
            try (RecurrentTrainer t = new RecurrentTrainer(spec, new RecurrentLmu.Options(true, true, true, true), 1, 20, 5, run == 0 ? 1 : 3,
                1e-2, 1.0, 7))
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
                finalParams[run] = t.parameters().clone();
            }
        }
        assertArrayEquals(finalParams[0], finalParams[1]);
        assertTrue(last < 0.5 * first, "loss went from " + first + " to " + last);
    }
}
