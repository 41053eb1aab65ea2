package io.spikering.core.engine;

import io.spikering.neuron.Activation;
import io.spikering.neuron.CubaLif;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad networks fail at build time with a message naming the population or projection. */
final class NetworkValidationTest
{
    private static void fails(final Executable build, final String... fragments)
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        for (final String f : fragments)
        {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
    }

    @Test
    void denseShapeMismatchNamesProjection()
    {
        final Network.Builder b = Network.builder();
        final int in = b.input("in", 2);
        final int h = b.rate("hidden", 3, Activation.TANH);
        fails(() -> b.connect(in, h).name("enc").dense(new float[][] {{1, 2, 3}}), "'enc'", "1 rows", "expected 2");
        fails(() -> b.connect(in, h).dense(new float[][] {{1, 2, 3}, {1, 2}}), "'in->hidden'", "row 1", "expected 3");
    }

    @Test
    void sparseRowsAreChecked()
    {
        final Network.Builder b = Network.builder();
        final int in = b.input("in", 2);
        final int h = b.rate("hidden", 3, Activation.TANH);
        fails(() -> b.connect(in, h).sparse(new int[][] {{0}, {3}}, new float[][] {{1}, {1}}), "column 3", "hidden");
        fails(() -> b.connect(in, h).sparse(new int[][] {{0, 0}, {}}, new float[][] {{1, 1}, {}}), "twice");
        fails(() -> b.connect(in, h).sparse(new int[][] {{0, 1}, {}}, new float[][] {{1}, {}}), "row 0");
    }

    @Test
    void nonFiniteWeightsAndBiasAreRejected()
    {
        final Network.Builder b = Network.builder();
        final int in = b.input("in", 2);
        final int h = b.rate("hidden", 2, Activation.TANH);
        fails(() -> b.connect(in, h).name("w").dense(new float[][] {{1, Float.NaN}, {0, 0}}), "'w'", "[0][1]", "NaN");
        fails(() -> b.connect(in, h).dense(new float[][] {{1, 0}, {Float.POSITIVE_INFINITY, 0}}), "Infinity");
        fails(() -> b.bias(h, new float[] {0, Float.NaN}), "hidden", "bias[1]");
        fails(() -> b.bias(h, new float[] {0}), "hidden", "length 1");
    }

    @Test
    void zeroDelayCycleIsRejectedButDelayedRecurrenceIsFine()
    {
        final Network.Builder b = Network.builder();
        final int x = b.rate("x", 2, Activation.TANH);
        final int y = b.rate("y", 2, Activation.TANH);
        final float[][] w = {{1, 0}, {0, 1}};
        b.connect(x, y).name("x2y").dense(w);
        b.connect(y, x).name("y2x").dense(w);
        fails(b::build, "cycle", "x2y", "y2x");

        final Network.Builder ok = Network.builder();
        final int a = ok.rate("a", 2, Activation.TANH);
        final int c = ok.rate("c", 2, Activation.TANH);
        ok.connect(c, a).dense(w);
        ok.connect(a, c).delay(1).dense(w);
        ok.connect(a, a).delay(1).dense(w);
        assertArrayEquals(new int[] {c, a}, ok.build().order());
    }

    @Test
    void selfLoopWithoutDelayIsACycle()
    {
        final Network.Builder b = Network.builder();
        final int x = b.rate("x", 2, Activation.TANH);
        b.connect(x, x).name("self").dense(new float[][] {{1, 0}, {0, 1}});
        fails(b::build, "cycle", "self");
    }

    @Test
    void delayBeyondRingLimitIsRejected()
    {
        final Network.Builder b = Network.builder().maxDelay(8);
        final int in = b.input("in", 1);
        final int h = b.rate("h", 1, Activation.LINEAR);
        fails(() -> b.connect(in, h).name("late").delay(9).dense(new float[][] {{1}}), "'late'", "delay 9", "[0, 8]");
        fails(() -> b.connect(in, h).delay(-1).dense(new float[][] {{1}}), "delay -1");
    }

    @Test
    void portsAndTargetsAreChecked()
    {
        final Network.Builder b = Network.builder();
        final int in = b.input("in", 1);
        final int h = b.rate("h", 1, Activation.LINEAR);
        fails(() -> b.connect(in, h).port(Port.INHIBITORY).dense(new float[][] {{1}}), "INHIBITORY", "'h'");
        fails(() -> b.connect(h, in), "'in'", "input population");
        fails(() -> b.connect(h, 7), "no population with id 7");
        fails(() -> b.rate("h", 2, Activation.LINEAR), "'h'", "already used");
        fails(() -> b.rate("z", 0, Activation.LINEAR), "'z'", "size");
    }

    @Test
    void populationParametersAreChecked()
    {
        final Network.Builder b = Network.builder();
        fails(() -> b.stateSpace("mem", 1, new double[][] {{1, 0}}, new double[] {1, 0}), "'mem'", "A has 1 rows");
        fails(() -> b.stateSpace("mem", 1, new double[][] {{Double.NaN}}, new double[] {1}), "'mem'", "A row 0[0]");
        fails(() -> b.lif("lif", 2, CubaLif.Parameters.cuba(), 0.0), "'lif'", "dtMs");
        fails(() -> b.lif("lif", 2, CubaLif.Parameters.cuba(), 0.1, new double[] {1}), "'lif'", "initialMembraneMv");
        assertThrows(IllegalArgumentException.class, () -> new Quantization(Activation.TANH, 0.0, 1.0, 1));
    }

    @Test
    void simulatorArgumentsAreChecked()
    {
        final Network.Builder b = Network.builder();
        final int in = b.input("in", 2);
        final int h = b.rate("h", 2, Activation.LINEAR);
        b.connect(in, h).dense(new float[][] {{1, 0}, {0, 1}});
        final Network network = b.build();
        fails(() -> new Simulator(network, -1), "threads");
        try (Simulator sim = new Simulator(network))
        {
            fails(() -> sim.setInput(in, new double[] {1}), "'in'", "expected 2");
            fails(() -> sim.setInput(in, new double[] {1, Double.NaN}), "value[1]");
            fails(() -> sim.setInput(h, new double[] {1, 1}), "'h'", "not an input");
            fails(() -> sim.counts(h), "'h'", "not spiking");
        }
    }
}
