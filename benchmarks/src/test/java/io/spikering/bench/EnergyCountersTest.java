package io.spikering.bench;

import io.spikering.core.energy.EnergyProfile;
import io.spikering.core.energy.EnergyProfiles;
import io.spikering.core.energy.OpCounts;
import io.spikering.core.engine.OpCounter;
import io.spikering.core.engine.Simulator;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnergyCountersTest
{
    @Test
    void countsAndEnergiesAreTheDeltasSinceAttachingPricedByEveryBuiltInProfile() throws Exception
    {
        try (Simulator sim = new Simulator(LmuBenchmark.shapedNetwork(true)))
        {
            final EnergyCounters c = new EnergyCounters();
            final double[] pixel = new double[1];
            sim.run(5);
            c.record(sim.ops(), 1);                       // attaches: the first 5 steps are not counted
            final long[] before = totals(sim.ops());
            for (int t = 0; t < 40; t++)
            {
                pixel[0] = (t % 3) * 0.4;
                sim.setInput(0, pixel);
                sim.step();
                if (t % 10 == 9)
                {
                    c.record(sim.ops(), 1);
                }
            }
            final long[] after = totals(sim.ops());
            assertEquals(4, c.operations);
            final double[] d = new double[after.length];
            for (int k = 0; k < d.length; k++)
            {
                d[k] = after[k] - before[k];
            }
            assertEquals(d[1], c.synops);
            assertEquals(d[4], c.macs_effective);
            assertEquals(d[5], c.macs_dense);
            assertEquals(d[6], c.neuron_updates);
            assertTrue(c.synops > 0 && c.macs_effective > 0, "the network must have done something");

            final OpCounts counts = new OpCounts(d[0], d[1], d[2], d[3], d[4], d[5], d[6]);
            for (final EnergyProfile p : EnergyProfiles.builtIn())
            {
                final String field = "nJ_" + p.name().replace('-', '_').replace('.', '_');
                final double reported = EnergyCounters.class.getField(field).getDouble(c);
                final double expected = p.estimate(counts).joules() * 1e9;
                assertEquals(expected, reported, Math.abs(expected) * 1e-12, field);
            }
        }
    }

    @Test
    void recordingAllocatesNothing()
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        try (Simulator sim = new Simulator(LmuBenchmark.shapedNetwork(true)))
        {
            final EnergyCounters c = new EnergyCounters();
            for (int i = 0; i < 20_000; i++)
            {
                c.record(sim.ops(), 1);
            }
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 20_000; i++)
            {
                c.record(sim.ops(), 1);
            }
            assertEquals(0, threads.getCurrentThreadAllocatedBytes() - before);
        }
    }

    private static long[] totals(final OpCounter ops)
    {
        final OpCounter.Op[] all = OpCounter.Op.values();
        final long[] t = new long[all.length];
        for (int k = 0; k < all.length; k++)
        {
            t[k] = ops.total(all[k]);
        }
        return t;
    }
}
