package io.spikering.core.engine;

import io.spikering.core.engine.NeuronDynamics.CurrentOrder;
import io.spikering.core.engine.NeuronDynamics.Discretization;
import io.spikering.core.engine.NeuronDynamics.Model;
import io.spikering.core.engine.NeuronDynamics.Reset;
import io.spikering.core.engine.NeuronDynamics.ThresholdTest;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** NEURON populations: single-neuron traces checked by hand per model, discretization, reset and threshold option. */
final class NeuronPopulationsTest
{
    private static final double DT = 1e-4;
    private static final double TAU = 0.0025;

    @Test
    void lifExactFollowsTheClosedFormAndEulerTheForwardStep()
    {
        // NIR paper's single LIF: tau 2.5 ms, r 1, v_leak 0, threshold 0.1, dt 0.1 ms; input current 1 held for steps
        final double a = Math.exp(-DT / TAU);
        double exact = 0.0;
        double euler = 0.0;
        final Trace e = trace(lif(Discretization.EXACT, Reset.TO_V_RESET, ThresholdTest.STRICT, 10), new double[] {1, 1, 1, 0, 1});
        final Trace f = trace(lif(Discretization.EULER, Reset.TO_V_RESET, ThresholdTest.STRICT, 10), new double[] {1, 1, 1, 0, 1});
        final double[] input = {1, 1, 1, 0, 1};
        for (int t = 0; t < input.length; t++)
        {
            exact = exact * a + input[t] * (1 - a);
            euler = euler + DT / TAU * (0.0 - euler + input[t]);
            assertEquals(exact, e.v[t], 1e-15, "exact step " + t);
            assertEquals(euler, f.v[t], 1e-15, "euler step " + t);
        }
        assertEquals(0.03921056084767682, e.v[0], 1e-15, "1 - e^-0.04");
        assertEquals(0.04, f.v[0], 1e-15, "what Norse records after one step of input 1");
        assertEquals(0.0784, f.v[1], 1e-15);
    }

    @Test
    void resetOptionsAndThresholdTests()
    {
        // Euler with dt/tau = 0.04 and input 5: v = 0.2 after one step, above threshold 0.1
        final Trace toReset = trace(lif(Discretization.EULER, Reset.TO_V_RESET, ThresholdTest.STRICT, 0.1), new double[] {5});
        assertEquals(1, toReset.spikes[0]);
        assertEquals(0.0, toReset.v[0]);
        final Trace subtract = trace(lif(Discretization.EULER, Reset.SUBTRACT, ThresholdTest.STRICT, 0.1), new double[] {5});
        assertEquals(1, subtract.spikes[0]);
        assertEquals(0.2 - 0.1, subtract.v[0], 1e-15, "reset by subtraction keeps the overshoot");
        // input 2.5: v = 0.1 exactly (0.04 * 2.5 = 0.1 in double), equal to the threshold
        assertEquals(0.1, DT / TAU * 2.5);
        assertEquals(0, trace(lif(Discretization.EULER, Reset.TO_V_RESET, ThresholdTest.STRICT, 0.1), new double[] {2.5}).spikes[0],
            "strict: v > threshold");
        assertEquals(1, trace(lif(Discretization.EULER, Reset.TO_V_RESET, ThresholdTest.NON_STRICT, 0.1), new double[] {2.5}).spikes[0],
            "non-strict: v >= threshold");
        // a v_reset other than 0: subtraction removes threshold - v_reset
        final NeuronDynamics d = NeuronDynamics.builder(Model.LIF, 1).tau(of(TAU)).r(of(1)).vLeak(of(0)).vThreshold(of(0.1))
            .vReset(of(-0.05)).dt(DT).discretization(Discretization.EULER).reset(Reset.SUBTRACT).build();
        assertEquals(0.2 - 0.15, trace(d, new double[] {5}).v[0], 1e-15);
    }

    private record Trace(double[] v, int[] spikes, double[] out)
    {
    }

    /** One neuron driven by {@code input} (one value per step) through a unit diagonal; v, spikes and output per step. */
    private static Trace trace(final NeuronDynamics dynamics, final double[] input)
    {
        final Network.Builder b = Network.builder();
        final int in = b.input("in", 1);
        final int n = b.neurons("n", dynamics);
        b.connect(in, n).diagonal(new float[] {1});
        final Network network = b.build();
        final double[] v = new double[input.length];
        final int[] spikes = new int[input.length];
        final double[] out = new double[input.length];
        try (Simulator sim = new Simulator(network))
        {
            for (int t = 0; t < input.length; t++)
            {
                sim.setInput(in, new double[] {input[t]});
                sim.step();
                v[t] = sim.voltage(n)[0];
                out[t] = sim.outputs(n)[0];
                spikes[t] = dynamics.model().isSpiking() ? sim.counts(n)[0] : 0;
            }
        }
        return new Trace(v, spikes, out);
    }

    private static NeuronDynamics lif(
        final Discretization discretization, final Reset reset, final ThresholdTest test, final double threshold)
    {
        return NeuronDynamics.builder(Model.LIF, 1).tau(of(TAU)).r(of(1)).vLeak(of(0)).vThreshold(of(threshold)).dt(DT)
            .discretization(discretization).reset(reset).thresholdTest(test).build();
    }

    static double[] of(final double... values)
    {
        return values;
    }
}
