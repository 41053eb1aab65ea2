package io.spikering.training;

import io.spikering.neuron.Activation;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecurrentActivityTest
{
    private static final LmuSpec SPEC = new LmuSpec(6, 20.0, true, 20, 2, 10, Activation.TANH, 3);

    @Test
    void talliesEveryNeuronStepIndependentlyOfThreadsAndAgreesWithTheTrainersForward()
    {
        final Synthetic train = Synthetic.make(SPEC, 60, 1);
        final Synthetic test = Synthetic.make(SPEC, 40, 2);
        final RecurrentLmu.Options options = RecurrentLmu.Options.kerasPsMnist();
        final TrainingConfig c = TrainingConfig.defaults(6, 2, 9, 2).withBatch(20, 5).withDt(3.0, 1.0, true).withLearningRates(1e-2, 3e-3, 1.0);
        try (RecurrentTraining t = new RecurrentTraining(SPEC, options, 1, c))
        {
            final float[] p = t.train(train.sequences, train.labels, test.sequences, test.labels, TrainingListener.NONE).best();
            for (final double dt : new double[] {1.0, 3.0})
            {
                final Evaluation one = RecurrentActivity.measure(SPEC, options, 1, p, test.sequences, test.labels, 40, dt, 5, 1);
                final Evaluation three = RecurrentActivity.measure(SPEC, options, 1, p, test.sequences, test.labels, 40, dt, 5, 3);
                assertArrayEquals(one.counts(), three.counts());
                assertEquals(one.loss(), three.loss());
                long total = 0;
                for (final long n : one.counts())
                {
                    total += n;
                }
                assertEquals(40L * SPEC.steps() * SPEC.hidden(), total);
                // tanh ∈ (−1, 1): v + dt·f ∈ (−dt, 1 + dt), so |n| ≤ ⌈dt⌉
                assertTrue(one.maxAbsCount() <= Math.ceil(dt), "max |n| " + one.maxAbsCount() + " at dt " + dt);
                assertTrue(one.countOf(0) < total, "some spikes");
                // float kernel vs this double reference: the same spikes except where rounding moves v across an integer (here: none;
                // measured loss difference 1e-7 relative), so a flipped prediction is allowed but the loss must agree closely
                final Evaluation kernel = t.evaluate(p, test.sequences, test.labels, dt, 5);
                assertEquals(kernel.accuracy(), one.accuracy(), 0.05, "dt " + dt);
                assertEquals(kernel.loss(), one.loss(), 1e-3 * kernel.loss(), "dt " + dt);
            }
            assertThrows(IllegalArgumentException.class, () -> RecurrentActivity.measure(SPEC, options, 1, p, test.sequences, test.labels, 40, 0.0, 5, 1));
        }
    }
}
