package io.spikering.core.engine;

import io.spikering.core.engine.OpCounter.Op;
import io.spikering.neuron.Activation;
import io.spikering.neuron.CountHistogram;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Op counts on a small network, against values computed by hand. */
final class OpCounterTest
{
    @Test
    void countsMatchHandComputedValues()
    {
        final Network.Builder b = Network.builder();
        final int in = b.input("in", 3);
        final int s = b.sigmaDelta("s", 3, new Quantization(Activation.LINEAR, 1.0, 1.0, 1));
        final int r = b.rate("r", 2, Activation.LINEAR);
        final int ss = b.stateSpace("ss", 2, new double[][] {{0.5, 0.0}, {0.25, 0.5}}, new double[] {1.0, 0.0});
        final int inToS = b.connect(in, s).dense(new float[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
        final int sToR = b.connect(s, r).dense(new float[][] {{1, 0}, {0.5f, 0.25f}, {3, 3}});
        final int rToS = b.connect(r, s).delay(1).sparse(new int[][] {{2}, {0, 1}}, new float[][] {{1}, {0, 2}});
        final int rToSs = b.connect(r, ss).dense(new float[][] {{1, 0}, {0, 1}});
        try (Simulator sim = new Simulator(b.build()))
        {
            sim.quantizer(s).setVoltages(new double[] {0, 0, 0});
            sim.setInput(in, new double[] {3.5, -1.5, 0.0});
            sim.step();

            // s: v = 0 + x -> counts floor(3.5) = 3, floor(-1.5) = -2, 0
            assertEquals(3, sim.counts(s)[0]);
            assertEquals(-2, sim.counts(s)[1]);
            assertEquals(0, sim.counts(s)[2]);
            final OpCounter ops = sim.ops();

            // in -> s: dense source, non-zero inputs 3.5 and -1.5, one non-zero weight each
            assertEquals(2, ops.projection(inToS, Op.MACS_EFFECTIVE));
            assertEquals(9, ops.projection(inToS, Op.MACS_DENSE));
            assertEquals(0, ops.projection(inToS, Op.SYNOPS));

            // s -> r: events (0, 3) with fan-out 1 and (1, -2) with fan-out 2
            assertEquals(2, ops.projection(sToR, Op.EVENTS));
            assertEquals(3 * 1 + 2 * 2, ops.projection(sToR, Op.SYNOPS));
            assertEquals(1 + 2, ops.projection(sToR, Op.ROW_ADDS));
            assertEquals(2 * 1 + 1 * 2, ops.projection(sToR, Op.SHIFT_ADDS)); // significant bits: 3 -> 2, 2 -> 1
            assertEquals(6, ops.projection(sToR, Op.MACS_DENSE));
            assertEquals(0, ops.projection(sToR, Op.MACS_EFFECTIVE));

            // r = [3 * 1 - 2 * 0.5, -2 * 0.25] = [2, -0.5]; r -> s sparse, the zero weight does not count; r -> ss identity
            assertEquals(2.0, sim.outputs(r)[0]);
            assertEquals(-0.5, sim.outputs(r)[1]);
            assertEquals(2, ops.projection(rToS, Op.MACS_EFFECTIVE));
            assertEquals(6, ops.projection(rToS, Op.MACS_DENSE));
            assertEquals(2, ops.projection(rToSs, Op.MACS_EFFECTIVE));
            assertEquals(4, ops.projection(rToSs, Op.MACS_DENSE));

            // ss: nnz(A) = 3, nnz(B) = 1, two channels; dense (4 + 2) per channel
            assertEquals(8, ops.population(ss, Op.MACS_EFFECTIVE));
            assertEquals(12, ops.population(ss, Op.MACS_DENSE));
            assertEquals(4, ops.population(ss, Op.NEURON_UPDATES));
            assertEquals(0, ops.population(in, Op.NEURON_UPDATES));

            assertEquals(2, ops.total(Op.EVENTS));
            assertEquals(7, ops.total(Op.SYNOPS));
            assertEquals(3, ops.total(Op.ROW_ADDS));
            assertEquals(4, ops.total(Op.SHIFT_ADDS));
            assertEquals(2 + 2 + 2 + 8, ops.total(Op.MACS_EFFECTIVE));
            assertEquals(9 + 6 + 6 + 4 + 12, ops.total(Op.MACS_DENSE));
            assertEquals(2 + 3 + 4, ops.total(Op.NEURON_UPDATES));

            final CountHistogram h = ops.histogram(s);
            assertEquals(3, h.total());
            assertEquals(2, h.nonZero());
            assertEquals(1, h.countOf(3));
            assertEquals(1, h.countOf(-2));
            assertEquals(1, h.countOf(0));
            assertNull(ops.histogram(r));

            // second step: s gets r's delayed sparse input, so its counts change; totals accumulate
            sim.step();
            assertEquals(2, ops.steps());
            assertEquals(6, ops.histogram(s).total());
            assertEquals(2 * 9, ops.total(Op.NEURON_UPDATES));
            ops.clear();
            assertEquals(0, ops.total(Op.MACS_DENSE));
            assertEquals(0, ops.histogram(s).total());
        }
    }

    /**
     * A 1x3x3 input through a 2x2 convolution (one zero weight) into 4 IF neurons, a diagonal into a pass-through, a
     * 2x2 sum pooling and a dense layer into an LI population: counts by hand.
     */
    @Test
    void convolutionPoolingDiagonalAndNeuronCounts()
    {
        final Network.Builder b = Network.builder();
        final int in = b.input("in", 9);
        final ConvKernel conv = ConvKernel.conv(1, new int[] {3, 3}, 1, new int[] {2, 2}, new float[] {1, 0, 2, 3}).build();
        final int fire = b.neurons("if", NeuronDynamics.builder(NeuronDynamics.Model.IF, 4).r(new double[] {1e3, 1e3, 1e3, 1e3})
            .vThreshold(new double[] {0.5, 0.5, 0.5, 0.5}).dt(1e-3).build());
        final int pass = b.passThrough("pass", 4);
        final int li = b.neurons("li", NeuronDynamics.builder(NeuronDynamics.Model.LI, 1).tau(new double[] {0.01})
            .r(new double[] {1}).vLeak(new double[] {0}).dt(1e-3).build());
        final int c = b.connect(in, fire).conv(conv);
        final int d = b.connect(fire, pass).diagonal(new float[] {2, 0, 1, 1});
        final int p = b.connect(pass, li).conv(ConvKernel.sumPool2d(1, 2, 2, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}));
        try (Simulator sim = new Simulator(b.build()))
        {
            // only the centre input (1, 1) is on: every output sees it, through taps (1,1)=3, (1,0)=2, (0,1)=0, (0,0)=1
            sim.setInput(in, new double[] {0, 0, 0, 0, 1, 0, 0, 0, 0});
            sim.step();
            final OpCounter ops = sim.ops();
            assertEquals(3, ops.projection(c, Op.MACS_EFFECTIVE), "the centre's stencil without the zero weight");
            assertEquals(1 * 4 * 1 * 4, ops.projection(c, Op.MACS_DENSE), "outC x positions x inC x kernel");
            // IF: v = dt r x = x: outputs (0,0) <- w(1,1) = 3, (0,1) <- w(1,0) = 2, (1,0) <- w(0,1) = 0, (1,1) <- w(0,0) = 1
            assertEquals(3, ops.population(fire, Op.EVENTS));
            assertEquals(4, ops.population(fire, Op.NEURON_UPDATES));
            assertEquals(3, ops.projection(d, Op.EVENTS));
            assertEquals(2, ops.projection(d, Op.SYNOPS), "spikes of units 0, 1, 3; unit 1's gain is 0");
            assertEquals(2, ops.projection(d, Op.ROW_ADDS));
            assertEquals(4, ops.projection(d, Op.MACS_DENSE), "a diagonal's dense cost is its length");
            assertEquals(0, ops.population(pass, Op.NEURON_UPDATES), "a pass-through updates no neurons");
            assertEquals(2, ops.projection(p, Op.MACS_EFFECTIVE), "pass-through outputs 2 and 1 (units 0 and 3)");
            assertEquals(4, ops.projection(p, Op.MACS_DENSE), "pooling: 1 output x 4 kernel elements");
            assertEquals(1, ops.population(li, Op.NEURON_UPDATES));
            assertEquals(3.0, sim.outputs(pass)[0] + sim.outputs(pass)[3]);
        }
    }

    @Test
    void lifSpikesCountOneSynopPerNonZeroTarget()
    {
        final Network.Builder b = Network.builder();
        final double[] nearThreshold = {-50.0, -70.0, -50.0};
        final int lif = b.lif("lif", 3, io.spikering.neuron.CubaLif.Parameters.cuba(), 0.1, nearThreshold);
        final int out = b.rate("out", 4, Activation.LINEAR);
        final int p = b.connect(lif, out).delay(1).dense(new float[][] {{1, 1, 0, 0}, {1, 1, 1, 1}, {0, 0, 0, 2}});
        try (Simulator sim = new Simulator(b.build()))
        {
            sim.step();
            // neurons 0 and 2 start at threshold (-50 mV) and spike on the first step
            assertEquals(2, sim.eventCount(lif));
            assertEquals(2 + 1, sim.ops().projection(p, Op.SYNOPS));
            assertEquals(2 + 1, sim.ops().projection(p, Op.SHIFT_ADDS));
            sim.step();
            assertEquals(1.0 + 0.0, sim.outputs(out)[0]);
            assertEquals(2.0, sim.outputs(out)[3]);
        }
    }

    @Test
    void oneToOneAndStatedDenseCosts()
    {
        final Network.Builder b = Network.builder();
        final int in = b.input("in", 3);
        final int r = b.rate("r", 3, Activation.LINEAR);
        final int s = b.sigmaDelta("s", 3, new Quantization(Activation.LINEAR, 1.0, 1.0, 0));
        final int out = b.rate("out", 2, Activation.LINEAR);
        final int diag = b.connect(in, r).diagonal(new float[] {2, 0, -1});
        final int id = b.connect(r, s).identity();
        final int stated = b.connect(s, out).denseMacsPerStep(5).dense(new float[][] {{1, 0}, {1, 1}, {0, 1}});
        final int plain = b.connect(in, out).sparse(new int[][] {{0}, {}, {1}}, new float[][] {{1}, {}, {1}});
        final Network net = b.build();
        assertEquals(3, net.projection(diag).denseMacsPerStep());
        assertEquals(3, net.projection(id).denseMacsPerStep());
        assertEquals(5, net.projection(stated).denseMacsPerStep());
        assertEquals(6, net.projection(plain).denseMacsPerStep());
        try (Simulator sim = new Simulator(net))
        {
            sim.quantizer(s).setVoltages(new double[] {0, 0, 0});
            sim.setInput(in, new double[] {1.5, 4.0, 2.0});
            sim.step();
            sim.step();
            final OpCounter ops = sim.ops();
            // r = [3, 0, -2] (the gain 0 carries nothing); s counts 3, 0, -2
            assertEquals(3.0, sim.outputs(r)[0]);
            assertEquals(-2.0, sim.outputs(r)[2]);
            assertEquals(2 * 3, ops.projection(diag, Op.MACS_DENSE));
            assertEquals(2 * 2, ops.projection(diag, Op.MACS_EFFECTIVE)); // inputs 1.5 and 2.0 have a non-zero gain
            assertEquals(2 * 3, ops.projection(id, Op.MACS_DENSE));
            assertEquals(2 * 2, ops.projection(id, Op.MACS_EFFECTIVE));
            assertEquals(2 * 5, ops.projection(stated, Op.MACS_DENSE));
            assertEquals(2 * 6, ops.projection(plain, Op.MACS_DENSE));
            assertEquals(2 * (3 + 3 + 5 + 6), ops.total(Op.MACS_DENSE));
        }
    }

    @Test
    void oneToOneAndStatedCostsAreValidated()
    {
        final Network.Builder b = Network.builder();
        final int in = b.input("in", 3);
        final int out = b.rate("out", 2, Activation.LINEAR);
        final int same = b.rate("same", 3, Activation.LINEAR);
        final IllegalArgumentException sizes = assertThrows(IllegalArgumentException.class, () -> b.connect(in, out).identity());
        assertTrue(sizes.getMessage().contains("'in->out'"), sizes.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.connect(in, same).diagonal(new float[] {1, 2}));
        final IllegalArgumentException negative =
            assertThrows(IllegalArgumentException.class, () -> b.connect(in, same).name("g").denseMacsPerStep(-1));
        assertTrue(negative.getMessage().contains("'g'") && negative.getMessage().contains(">= 0"), negative.getMessage());
    }
}
