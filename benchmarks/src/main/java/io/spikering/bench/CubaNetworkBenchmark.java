package io.spikering.bench;

import io.spikering.core.bench.CubaNetwork;
import io.spikering.core.engine.Simulator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The CUBA benchmark network (Brette et al. 2007; {@link CubaNetwork}, 4000 LIF neurons, dt 0.1 ms): one operation
 * is {@value #STEPS} steps = 0.1 simulated seconds, so ms/op x 10 = ms of wall time per simulated second. With
 * {@link EnergyCounters} (synops, MACs, estimated energy per 0.1 s).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// as the launcher runs `bench cuba`: the Vector API kernel of the LIF update (neuron/CubaLifVector) on 64-byte aligned arrays
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx2g", "--add-modules=jdk.incubator.vector", "-XX:ObjectAlignmentInBytes=64",
    "-Dspikering.lif.vector=true"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CubaNetworkBenchmark
{
    /** Steps per operation: 0.1 simulated seconds at dt = 0.1 ms. */
    public static final int STEPS = 1000;

    @Param({"0", "2"})
    public int threads;

    private Simulator simulator;

    @Setup(Level.Trial)
    public void setUp()
    {
        simulator = new Simulator(CubaNetwork.build(1), threads);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        simulator.close();
    }

    @Benchmark
    public void run100ms(final EnergyCounters counters)
    {
        simulator.run(STEPS);
        counters.record(simulator.ops(), 1);
    }
}
