package io.spikering.bench;

import io.spikering.core.data.MnistDataset;
import io.spikering.core.data.PixelSequences;
import io.spikering.core.data.PsMnist;
import io.spikering.core.engine.Network;
import io.spikering.core.engine.Quantization;
import io.spikering.core.engine.Simulator;
import io.spikering.core.lmu.LmuFile;
import io.spikering.core.lmu.LmuModelNetwork;
import io.spikering.neuron.Activation;
import io.spikering.neuron.LegendreMemory;
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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One psMNIST inference (784 steps, one pixel per step) of an LMU network per operation, single-threaded, direct
 * delivery; per-step cost = time / 784. With {@link EnergyCounters} (ops and estimated energy per inference).
 * <ul>
 * <li>{@code model}: {@code shaped} (an LMU-shaped network built with the engine API: order-256 Legendre memory,
 * θ = 784, 512 hidden units, 10 readout units, seeded random weights) or the path of a trained LMU model file
 * (e.g. the shipped {@code models/psmnist-lmu-hybrid.safetensors}) run through {@link LmuModelNetwork};</li>
 * <li>{@code hidden}: {@code spiking} (sigma-delta hidden layer, event-driven) or {@code dense} (rate neurons: the
 * non-spiking baseline);</li>
 * <li>{@code memory} (model files only): {@code recurrence}, {@code filter} or {@code fused}
 * ({@link LmuModelNetwork.MemoryMode});</li>
 * <li>{@code data}: {@code psmnist} (the first test samples from the MNIST cache) or {@code synthetic} (seeded
 * random images with MNIST's share of non-zero pixels, for machines without the cache).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LmuBenchmark
{
    /** Samples cycled through. */
    public static final int SAMPLES = 16;

    /** Shape of the {@code shaped} network. */
    public static final int ORDER = 256;
    public static final int HIDDEN = 512;
    public static final int CLASSES = 10;

    @Param({"shaped"})
    public String model;

    @Param({"spiking", "dense"})
    public String hidden;

    @Param({"recurrence"})
    public String memory;

    @Param({"psmnist"})
    public String data;

    private Simulator simulator;
    private LmuModelNetwork fileNetwork;
    private float[][] samples;
    private final double[] buffer = new double[1];
    private int pixel;
    private int readout;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        final boolean spiking = switch (hidden)
        {
            case "spiking" -> true;
            case "dense" -> false;
            default -> throw new IllegalArgumentException("hidden must be 'spiking' or 'dense', got '" + hidden + "'");
        };
        final long permutationSeed;
        final Network network;
        if (model.equals("shaped"))
        {
            if (!memory.equals("recurrence"))
            {
                throw new IllegalArgumentException("the shaped network has memory 'recurrence' only, got '" + memory + "'");
            }
            network = shapedNetwork(spiking);
            pixel = network.population("pixel").id();
            readout = network.population("readout").id();
            permutationSeed = PsMnist.DEFAULT_SEED;
        }
        else
        {
            final Path file = Path.of(model);
            if (!Files.isRegularFile(file))
            {
                throw new IllegalArgumentException("model must be 'shaped' or an LMU model file; " + file.toAbsolutePath() +
                    " does not exist");
            }
            final LmuFile lmu = LmuFile.load(file);
            fileNetwork = LmuModelNetwork.build(lmu, spiking, Double.NaN, LmuModelNetwork.MemoryMode.parse(memory));
            network = fileNetwork.network();
            permutationSeed = lmu.permutationSeed();
        }
        samples = loadSamples(data, permutationSeed);
        simulator = new Simulator(network);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        simulator.close();
    }

    @Benchmark
    public int sample(final EnergyCounters counters)
    {
        final int s = next;
        next = s + 1 == SAMPLES ? 0 : s + 1;
        final int prediction;
        if (fileNetwork != null)
        {
            prediction = fileNetwork.run(simulator, samples[s], s, buffer);
        }
        else
        {
            final float[] pixels = samples[s];
            simulator.reset(s);
            for (int t = 0; t < pixels.length; t++)
            {
                buffer[0] = pixels[t];
                simulator.setInput(pixel, buffer);
                simulator.step();
            }
            prediction = LmuModelNetwork.argmax(simulator.outputs(readout));
        }
        counters.record(simulator.ops(), 1);
        return prediction;
    }

    /** pixel -> order-256 Legendre memory -> 512 hidden (sigma-delta or rate, tanh) -> 10 linear readout. */
    static Network shapedNetwork(final boolean spiking)
    {
        final SplittableRandom random = new SplittableRandom(31);
        final Network.Builder b = Network.builder();
        final int pixel = b.input("pixel", 1);
        final int mem = b.legendreMemory("memory", 1, LegendreMemory.zoh(ORDER, PsMnist.STEPS), null);
        final int hid = spiking ?
            b.sigmaDelta("hidden", HIDDEN, new Quantization(Activation.TANH, 1.0, 1.0, 41)) :
            b.rate("hidden", HIDDEN, Activation.TANH);
        final int out = b.rate("readout", CLASSES, Activation.LINEAR);
        b.connect(pixel, mem).name("encoder").dense(new float[][] {{1f}});
        b.connect(mem, hid).name("W_m").dense(gaussian(random, ORDER, HIDDEN, 1 / Math.sqrt(ORDER)));
        b.connect(pixel, hid).name("W_x").dense(gaussian(random, 1, HIDDEN, 1));
        b.connect(hid, out).name("W_out").dense(gaussian(random, HIDDEN, CLASSES, 1 / Math.sqrt(HIDDEN)));
        return b.build();
    }

    private static float[][] gaussian(final SplittableRandom random, final int rows, final int cols, final double sd)
    {
        final float[][] w = new float[rows][cols];
        for (final float[] row : w)
        {
            for (int j = 0; j < cols; j++)
            {
                row[j] = (float)(random.nextGaussian() * sd);
            }
        }
        return w;
    }

    static float[][] loadSamples(final String data, final long permutationSeed) throws IOException
    {
        final float[][] out = new float[SAMPLES][PsMnist.STEPS];
        if (data.equals("psmnist"))
        {
            final Path cache = MnistDataset.defaultCacheDir();
            final PixelSequences test = PsMnist.load(cache, permutationSeed).test();
            for (int s = 0; s < SAMPLES; s++)
            {
                test.copySequence(s, out[s], 0);
            }
        }
        else if (data.equals("synthetic"))
        {
            // about a fifth of MNIST's pixels are non-zero
            final SplittableRandom random = new SplittableRandom(51);
            for (final float[] sample : out)
            {
                for (int t = 0; t < sample.length; t++)
                {
                    sample[t] = random.nextDouble() < 0.19 ? (float)random.nextDouble() : 0f;
                }
            }
        }
        else
        {
            throw new IllegalArgumentException("data must be 'psmnist' (needs the MNIST cache: ./spikering data fetch " +
                "mnist) or 'synthetic', got '" + data + "'");
        }
        return out;
    }
}
