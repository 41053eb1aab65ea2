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

    @Test
    void integratorsAndLeakyIntegratorsEmitTheirVoltage()
    {
        final Trace i = trace(NeuronDynamics.builder(Model.I, 1).r(of(2)).dt(DT).build(), new double[] {1, 0, -3});
        assertArrayEquals(new double[] {2e-4, 2e-4, 2e-4 - 6e-4}, i.v, 1e-18);
        assertArrayEquals(i.v, i.out, "I emits v");
        final Trace f = trace(NeuronDynamics.builder(Model.IF, 1).r(of(1 / DT)).vThreshold(of(1.5)).vReset(of(0.25)).dt(DT)
            .build(), new double[] {1, 1, 1});
        assertArrayEquals(new double[] {1, 0.25, 1.25}, f.v, 1e-12, "IF: v += dt r x, reset to v_reset above 1.5");
        assertArrayEquals(new int[] {0, 1, 0}, f.spikes);
        assertArrayEquals(new double[] {0, 1, 0}, f.out, "a spike is worth spikeValue = 1");
        final Trace li = trace(NeuronDynamics.builder(Model.LI, 1).tau(of(TAU)).r(of(3)).vLeak(of(0.5)).dt(DT)
            .discretization(Discretization.EULER).build(), new double[] {1, 0});
        // starts at v_leak; Euler: v += dt/tau (v_leak - v + r x)
        final double v1 = 0.5 + 0.04 * 3;
        assertArrayEquals(new double[] {v1, v1 + 0.04 * (0.5 - v1)}, li.v, 1e-15);
        assertArrayEquals(li.v, li.out);
    }

    @Test
    void cubaExactSolvesTheCoupledOdeAndEulerFollowsEitherCurrentOrder()
    {
        final double[] input = {1, 1, 0, 2, 0, 0, -1, 1};
        for (final double tauSyn : new double[] {0.001, TAU, 0.004})
        {
            final double[] exact = trace(cuba(tauSyn, Discretization.EXACT, CurrentOrder.START_OF_STEP), input).v;
            // the ODE integrated with 4000 RK4 substeps per step, the input held over each step
            double v = 0.1;
            double current = 0.0;
            final int substeps = 4000;
            final double h = DT / substeps;
            for (int t = 0; t < input.length; t++)
            {
                final double s = 0.7 * input[t];
                for (int k = 0; k < substeps; k++)
                {
                    final double[] k1 = derivative(v, current, s, tauSyn);
                    final double[] k2 = derivative(v + h / 2 * k1[0], current + h / 2 * k1[1], s, tauSyn);
                    final double[] k3 = derivative(v + h / 2 * k2[0], current + h / 2 * k2[1], s, tauSyn);
                    final double[] k4 = derivative(v + h * k3[0], current + h * k3[1], s, tauSyn);
                    v += h / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0]);
                    current += h / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1]);
                }
                assertEquals(v, exact[t], 1e-12, "tauSyn " + tauSyn + " step " + t);
            }
            // Euler by hand, both orders
            final double[] start = trace(cuba(tauSyn, Discretization.EULER, CurrentOrder.START_OF_STEP), input).v;
            final double[] updated = trace(cuba(tauSyn, Discretization.EULER, CurrentOrder.UPDATED), input).v;
            final double[] updatedExact = trace(cuba(tauSyn, Discretization.EXACT, CurrentOrder.UPDATED), input).v;
            double vs = 0.1;
            double vu = 0.1;
            double ve = 0.1;
            double is = 0.0;
            double iu = 0.0;
            double ie = 0.0;
            final double k = DT / TAU;
            final double ks = DT / tauSyn;
            for (int t = 0; t < input.length; t++)
            {
                final double s = 0.7 * input[t];
                final double nextS = is + ks * (s - is);
                vs = vs + k * (-0.05 - vs + 2.0 * is);
                is = nextS;
                iu = iu + ks * (s - iu);
                vu = vu + k * (-0.05 - vu + 2.0 * iu);
                ie = s + (ie - s) * Math.exp(-ks);
                ve = -0.05 + (ve + 0.05) * Math.exp(-k) + 2.0 * (1 - Math.exp(-k)) * ie;
                assertEquals(vs, start[t], 1e-15, "Euler, current from the start of the step, step " + t);
                assertEquals(vu, updated[t], 1e-15, "Euler, updated current, step " + t);
                assertEquals(ve, updatedExact[t], 1e-14, "exact, updated current held, step " + t);
            }
        }
    }

    /** d(v, I)/dt of the CUBA model with tau 2.5 ms, r 2, v_leak -0.05, w_in 0.7 (applied to s by the caller). */
    private static double[] derivative(final double v, final double current, final double s, final double tauSyn)
    {
        return new double[] {(-0.05 - v + 2.0 * current) / TAU, (s - current) / tauSyn};
    }

    private static NeuronDynamics cuba(final double tauSyn, final Discretization discretization, final CurrentOrder order)
    {
        return NeuronDynamics.builder(Model.CUBA_LIF, 1).tau(of(TAU)).tauSyn(of(tauSyn)).r(of(2)).vLeak(of(-0.05)).wIn(of(0.7))
            .vThreshold(of(100)).vInitial(of(0.1)).dt(DT).discretization(discretization).currentOrder(order).build();
    }

    @Test
    void thresholdIsAStatelessStepOfTheInputAndSpikesCarryTheirValue()
    {
        final double[] input = {0.5, 0.49, 0.51, 0.5};
        final NeuronDynamics.Builder strict = NeuronDynamics.builder(Model.THRESHOLD, 1).vThreshold(of(0.5)).spikeValue(2.5);
        assertArrayEquals(new int[] {0, 0, 1, 0}, trace(strict.build(), input).spikes);
        assertArrayEquals(new double[] {0, 0, 2.5, 0}, trace(strict.build(), input).out);
        assertArrayEquals(new int[] {1, 0, 1, 1},
            trace(strict.thresholdTest(ThresholdTest.NON_STRICT).build(), input).spikes);
        // a spike of value 2.5 held for one step moves a downstream integrator (r = 4) by dt * r * 2.5
        final Network.Builder b = Network.builder();
        final int in = b.input("in", 1);
        final int th = b.neurons("th", NeuronDynamics.builder(Model.THRESHOLD, 1).vThreshold(of(0)).spikeValue(2.5).build());
        final int integrator = b.neurons("i", NeuronDynamics.builder(Model.I, 1).r(of(4)).dt(DT).build());
        b.connect(in, th).diagonal(new float[] {1});
        b.connect(th, integrator).diagonal(new float[] {1});
        try (Simulator sim = new Simulator(b.build()))
        {
            sim.setInput(in, new double[] {1});
            sim.run(3);
            assertEquals(3 * DT * 4 * 2.5, sim.voltage(integrator)[0], 1e-15);
        }
    }

    @Test
    void everyOptionCombinationEqualsTheReferenceOnEveryDeliveryPath()
    {
        // per model, one population per (discretization, reset, threshold test, current order), fed by one input
        final java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (final Model model : Model.values())
        {
            final Network.Builder b = Network.builder();
            final int in = b.input("in", 4);
            for (final Discretization disc : Discretization.values())
            {
                for (final Reset reset : Reset.values())
                {
                    for (final ThresholdTest test : ThresholdTest.values())
                    {
                        for (final CurrentOrder order : CurrentOrder.values())
                        {
                            final int id = b.neurons(model + "-" + disc + "-" + reset + "-" + test + "-" + order,
                                RandomNetworks.randomDynamics(random, 3, model, disc, reset, test, order));
                            final float[][] w = new float[4][3];
                            for (final float[] row : w)
                            {
                                for (int j = 0; j < 3; j++)
                                {
                                    row[j] = (float)random.nextDouble(-0.2, 1.0);
                                }
                            }
                            b.connect(in, id).delay(1).dense(w); // delayed: no per-population barrier on the bus
                            b.connect(id, id).delay(1).diagonal(new float[] {0.3f, -0.2f, 0.1f});
                            b.bias(id, new float[] {0.5f, 0.3f, 0.4f});
                        }
                    }
                }
            }
            checkAgainstReferenceAndThreads(b.build(), in);
        }
    }

    /** 80 steps of random input: engine equals reference exactly, threads 1, 2, 4 bit-identical; every spiker spikes. */
    private static void checkAgainstReferenceAndThreads(final Network network, final int in)
    {
        final int steps = 80;
        final long[] spikes = new long[network.populationCount()];
        final long[][] reference = new long[steps][];
        try (Simulator sim = new Simulator(network))
        {
            final ReferenceSimulator ref = new ReferenceSimulator(network);
            final java.util.SplittableRandom inputs = new java.util.SplittableRandom(1);
            for (int t = 0; t < steps; t++)
            {
                final double[] x = new double[4];
                RandomNetworks.randomInput(inputs, x);
                sim.setInput(in, x);
                ref.setInput(in, x);
                sim.step();
                ref.step();
                for (int p = 1; p < network.populationCount(); p++)
                {
                    for (int i = 0; i < 3; i++)
                    {
                        final String where = network.population(p) + " step " + t + " unit " + i;
                        assertEquals(ref.voltage(p)[i], sim.voltage(p)[i], 0.0, where);
                        assertEquals(ref.current(p)[i], sim.current(p)[i], 0.0, where);
                        assertEquals(ref.outputs(p)[i], sim.outputs(p)[i], 0.0, where);
                    }
                    spikes[p] += network.population(p).isSpiking() ? sim.eventCount(p) : 0;
                }
                reference[t] = state(sim, network);
            }
        }
        for (int p = 1; p < network.populationCount(); p++)
        {
            if (network.population(p).isSpiking())
            {
                assertTrue(spikes[p] > 0 && spikes[p] < steps * 3, network.population(p) + " spiked " + spikes[p] + " times in " +
                    steps * 3);
            }
        }
        for (final int threads : new int[] {1, 2, 4})
        {
            try (Simulator sim = new Simulator(network, threads))
            {
                final java.util.SplittableRandom inputs = new java.util.SplittableRandom(1);
                for (int t = 0; t < steps; t++)
                {
                    final double[] x = new double[4];
                    RandomNetworks.randomInput(inputs, x);
                    sim.setInput(in, x);
                    sim.step();
                    assertArrayEquals(reference[t], state(sim, network), "threads " + threads + " step " + t);
                }
            }
        }
    }

    /** Raw bits of every NEURON population's voltage, current and output. */
    private static long[] state(final Simulator sim, final Network network)
    {
        final long[] bits = new long[(network.populationCount() - 1) * 9];
        int k = 0;
        for (int p = 1; p < network.populationCount(); p++)
        {
            for (int i = 0; i < 3; i++)
            {
                bits[k++] = Double.doubleToRawLongBits(sim.voltage(p)[i]);
                bits[k++] = Double.doubleToRawLongBits(sim.current(p)[i]);
                bits[k++] = Double.doubleToRawLongBits(sim.outputs(p)[i]);
            }
        }
        return bits;
    }

    @Test
    void parametersAreCheckedNamingTheParameter()
    {
        assertRefused(() -> NeuronDynamics.builder(Model.LIF, 2).r(of(1, 1)).vLeak(of(0, 0)).vThreshold(of(1, 1)).dt(DT).build(),
            "parameter tau is required");
        assertRefused(() -> NeuronDynamics.builder(Model.LIF, 2).tau(of(0.01, -1)), "tau[1] is -1.0");
        assertRefused(() -> NeuronDynamics.builder(Model.LIF, 2).tau(of(0.01, 0)), "tau[1] is 0.0");
        assertRefused(() -> NeuronDynamics.builder(Model.LI, 2).r(of(1, Double.NaN)), "r[1] is NaN");
        assertRefused(() -> NeuronDynamics.builder(Model.LI, 2).vLeak(of(1)), "v_leak has length 1, expected 2");
        assertRefused(() -> NeuronDynamics.builder(Model.LIF, 1).tau(of(TAU)).r(of(1)).vLeak(of(0)).vThreshold(of(1))
            .wIn(of(2)).dt(DT).build(), "w_in has no meaning for LIF");
        assertRefused(() -> NeuronDynamics.builder(Model.LI, 1).tau(of(TAU)).r(of(1)).vLeak(of(0)).vThreshold(of(1)).dt(DT)
            .build(), "v_threshold has no meaning for LI");
        assertRefused(() -> NeuronDynamics.builder(Model.LI, 1).tau(of(TAU)).r(of(1)).vLeak(of(0)).build(), "dt (seconds) is not set");
        assertRefused(() -> NeuronDynamics.builder(Model.CUBA_LIF, 1).tauSyn(of(Double.POSITIVE_INFINITY)), "tau_syn[0] is Infinity");
        assertRefused(() -> NeuronDynamics.builder(Model.IF, 0), "size must be > 0");
        assertRefused(() -> NeuronDynamics.builder(Model.IF, 1).dt(-1), "dt must be finite and > 0");
        assertRefused(() -> NeuronDynamics.builder(Model.IF, 1).spikeValue(0), "spike value must be finite and non-zero");
        final NeuronDynamics d = NeuronDynamics.builder(Model.CUBA_LIF, 2).tau(of(1, 2)).tauSyn(of(3, 4)).r(of(5, 6))
            .vLeak(of(7, 8)).vThreshold(of(9, 10)).dt(DT).build();
        assertArrayEquals(of(0, 0), d.vReset(), "NIR's default v_reset");
        assertArrayEquals(of(1, 1), d.wIn(), "NIR's default w_in");
        assertArrayEquals(of(7, 8), d.vInitial(), "leaky models start at v_leak");
        assertEquals(Discretization.EXACT, d.discretization());
        assertEquals(Reset.TO_V_RESET, d.reset());
        assertEquals(ThresholdTest.STRICT, d.thresholdTest());
        assertEquals(CurrentOrder.START_OF_STEP, d.currentOrder());
        assertEquals(1.0, d.spikeValue());
    }

    private static void assertRefused(final org.junit.jupiter.api.function.Executable build, final String message)
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().contains(message), e.getMessage());
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
