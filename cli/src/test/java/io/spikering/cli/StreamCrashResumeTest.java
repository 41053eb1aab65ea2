package io.spikering.cli;

import io.spikering.core.stream.LmuPredictor;
import io.spikering.core.stream.Sources;
import io.spikering.core.stream.StreamFeeder;
import io.spikering.core.stream.StreamReader;
import io.spikering.core.stream.StreamRunner;
import io.spikering.neuron.Activation;
import io.spikering.neuron.LegendreMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exactly-once resume: a real child JVM runs {@code stream run} while this process appends samples; it is killed
 * (SIGKILL, destroyForcibly) several times at random moments and restarted; the final output queue must equal,
 * byte for byte in its CSV dump, the output of one uninterrupted run over the same input queue.
 */
class StreamCrashResumeTest
{
    private static final int SAMPLES = 40_000;
    private static final double RATE = 8_000;

    @TempDir
    Path tmp;

    private int children;

    @Test
    void killedAndRestartedRunEndsWithExactlyTheUninterruptedOutputs() throws Exception
    {
        final Path model = tmp.resolve("model.safetensors");
        model(16, 48, 7).write(model);
        final Path in = tmp.resolve("in");
        final Path out = tmp.resolve("out");
        final double[] series = new double[SAMPLES];
        for (int i = 0; i < SAMPLES; i++)
        {
            series[i] = Math.sin(i * 0.013) + 0.5 * Math.sin(i * 0.171 + 1);
        }
        // sequences of 1000 steps so that resets at sequence starts are exercised across restarts
        final List<double[]> sequences = new ArrayList<>();
        for (int s = 0; s < SAMPLES; s += 1000)
        {
            sequences.add(java.util.Arrays.copyOfRange(series, s, s + 1000));
        }
        try (StreamFeeder f = new StreamFeeder(in, 1))
        {
            f.feed(Sources.sequences(sequences), 1, 0, false); // creates the queue before the child starts
        }
        // the last sequence, with the end-of-stream mark, is appended only after the kills: a child that reached the end
        // of the stream could not be killed mid-stream any more (and a run killed after its final snapshot has nothing
        // left to do), which made the kill count depend on how fast children start on a loaded machine
        final CountDownLatch killsDone = new CountDownLatch(1);
        final Thread feeder = new Thread(() ->
        {
            try (StreamFeeder f = new StreamFeeder(in, 1))
            {
                final StreamFeeder.Source src = Sources.sequences(sequences);
                src.next(new float[1]); // the first sample is already in
                f.feed(src, SAMPLES - 1000 - 1, RATE, false);
                killsDone.await();
                f.feed(src, -1, RATE, true);
            }
            catch (final IOException e)
            {
                throw new RuntimeException(e);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }, "feeder");
        feeder.setDaemon(true); // never outlives a failed test waiting for killsDone
        feeder.start();

        final SplittableRandom random = new SplittableRandom(42);
        int kills = 0;
        final List<Long> outputsAtKill = new ArrayList<>();
        while (kills < 4)
        {
            final long before = countOutputs(out);
            final Process child = start(model, in, out);
            // wait until this child has appended something (JVM start-up varies a lot on a loaded machine), then kill
            // it after a random extra delay, so kills land at arbitrary points of processing, appending and snapshotting
            final long deadline = System.nanoTime() + 30_000_000_000L;
            while (child.isAlive() && countOutputs(out) == before && before < countOutputs(in) && System.nanoTime() < deadline)
            {
                Thread.sleep(20);
            }
            if (child.waitFor(random.nextInt(600), TimeUnit.MILLISECONDS))
            {
                break; // finished before we could kill it
            }
            child.destroyForcibly().waitFor();
            kills++;
            outputsAtKill.add(countOutputs(out));
        }
        killsDone.countDown();
        feeder.join();
        final Process last = start(model, in, out);
        final boolean finished = last.waitFor(180, TimeUnit.SECONDS);
        if (!finished)
        {
            last.destroyForcibly().waitFor();
        }
        final String finalLog = Files.readString(tmp.resolve("child-" + children + ".log"));
        assertTrue(finished, "final run did not finish; its output:\n" + finalLog);
        assertEquals(0, last.exitValue(), finalLog);

        // uninterrupted reference run over the same input queue, in this process
        final Path reference = tmp.resolve("reference");
        StreamRunner.run(new StreamRunner.Options(model, in, reference, tmp.resolve("reference.snapshots"), 0, StreamRunner.Idle.BACKOFF,
            StreamRunner.OnBad.STOP, 0, -1, 0, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));

        final String resumed = csv(out);
        final String expected = csv(reference);
        assertEquals(SAMPLES + 1, expected.split("\n").length, "header + one output per input");
        assertEquals(expected, resumed, "outputs after " + kills + " kills at output counts " + outputsAtKill);
        assertEquals(4, kills, "the child was killed mid-stream 4 times, at output counts " + outputsAtKill);
        assertTrue(outputsAtKill.stream().anyMatch(n -> n > 0 && n < SAMPLES), "some kill landed mid-stream: " + outputsAtKill);
    }

    private Process start(final Path model, final Path in, final Path out) throws IOException
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (arg.startsWith("--add-") || arg.startsWith("--enable-native-access") || arg.startsWith("--sun-misc") ||
                arg.startsWith("-Dchronicle") || arg.startsWith("-Ddisable"))
            {
                cmd.add(arg);
            }
        }
        cmd.add("-Xmx256m");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of("stream", "run", "--model", model.toString(), "--in", in.toString(), "--out", out.toString(),
            "--snapshot-every", "700"));
        // to a file, not a pipe: nobody reads a pipe while the child runs, and a full pipe would block the child
        children++;
        return new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(tmp.resolve("child-" + children + ".log").toFile()).start();
    }

    private static long countOutputs(final Path out) throws IOException
    {
        if (!Files.isDirectory(out))
        {
            return 0;
        }
        long n = 0;
        try (net.openhft.chronicle.queue.ChronicleQueue q = io.spikering.core.stream.Queues.openExisting(out, "output");
             net.openhft.chronicle.queue.ExcerptTailer t = q.createTailer())
        {
            while (true)
            {
                try (net.openhft.chronicle.wire.DocumentContext dc = t.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        return n;
                    }
                    n++;
                }
            }
        }
        catch (final IOException notYetAQueue)
        {
            return 0;
        }
    }

    private static String csv(final Path dir) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StreamReader.toCsv(dir, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    static LmuPredictor model(final int order, final int hidden, final long seed)
    {
        final SplittableRandom r = new SplittableRandom(seed);
        final LegendreMemory lmu = LegendreMemory.zoh(order, 30);
        final float[] a = new float[order * order];
        final float[] b = new float[order];
        for (int i = 0; i < order; i++)
        {
            for (int j = 0; j < order; j++)
            {
                a[i * order + j] = (float)lmu.a()[i][j];
            }
            b[i] = (float)lmu.b()[i];
        }
        final Map<String, float[]> t = new LinkedHashMap<>();
        t.put(LmuPredictor.MEMORY_A, a);
        t.put(LmuPredictor.MEMORY_B, b);
        t.put(LmuPredictor.HIDDEN_MEMORY_KERNEL, random(r, order * hidden, 0.4));
        t.put(LmuPredictor.HIDDEN_INPUT_KERNEL, random(r, hidden, 0.5));
        t.put(LmuPredictor.HIDDEN_BIAS, random(r, hidden, 0.2));
        t.put(LmuPredictor.READOUT_HIDDEN_KERNEL, random(r, hidden, 0.2));
        t.put(LmuPredictor.READOUT_MEMORY_KERNEL, random(r, order, 0.1));
        t.put(LmuPredictor.READOUT_INPUT_KERNEL, random(r, 1, 0.5));
        t.put(LmuPredictor.READOUT_BIAS, random(r, 1, 0.1));
        return new LmuPredictor(order, 30, hidden, 1, Activation.TANH, true, 16.0, 1.0, seed, true, t, Map.of("task", "test"));
    }

    private static float[] random(final SplittableRandom r, final int n, final double scale)
    {
        final float[] v = new float[n];
        for (int i = 0; i < n; i++)
        {
            v[i] = (float)((r.nextDouble() * 2 - 1) * scale);
        }
        return v;
    }
}
