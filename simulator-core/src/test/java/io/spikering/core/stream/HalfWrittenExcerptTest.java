package io.spikering.core.stream;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A writer killed in the middle of an append leaves the output queue ending in a Chronicle header marked "not complete"
 * and the queue's write lock held by a dead process. A restarted run must neither wait on that excerpt nor count it:
 * it replays, recovers the header and ends with exactly the outputs of an uninterrupted run.
 */
class HalfWrittenExcerptTest
{
    @TempDir
    Path tmp;

    /** Child process: opens the queue, starts an excerpt, writes part of an output and dies without closing it. */
    public static void main(final String[] args) throws Exception
    {
        try (ChronicleQueue q = Queues.openForAppend(Path.of(args[0]), "output"))
        {
            final ExcerptAppender appender = q.createAppender();
            final DocumentContext dc = appender.writingDocument();
            dc.wire().bytes().writeShort(OutputWire.MAGIC).writeByte(OutputWire.VERSION).writeByte((byte)0).writeLong(12345L);
            Runtime.getRuntime().halt(0); // like kill -9: no close, no shutdown hooks
        }
    }

    @Test
    void aRestartRecoversAHalfWrittenOutputExcerptLeftByAKilledWriter() throws Exception
    {
        final Path model = RandomPredictors.write(RandomPredictors.random(6, 10, 12, 1, 4.0, false, 4), tmp.resolve("m.safetensors"));
        final Path in = tmp.resolve("in");
        final Path out = tmp.resolve("out");
        final Path snap = tmp.resolve("out-snap").resolve("state.snap");
        final double[] series = sine(150);
        feed(in, series, 0, 100, false);
        run(model, in, out, 300); // outputs 0..99, snapshot at 100
        final Path stale = Files.copy(snap, tmp.resolve("stale.snap"));
        feed(in, series, 100, 120, false);
        run(model, in, out, 300); // outputs 100..119
        // the state a kill -9 leaves: a snapshot 20 outputs behind the queue, and a half-written excerpt at its end
        Files.copy(stale, snap, StandardCopyOption.REPLACE_EXISTING);
        writeHalfAnExcerptAndDie(out);
        feed(in, series, 120, 150, true);

        final StreamRunner.Summary resumed = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> run(model, in, out, 0));
        assertEquals(100, resumed.firstOrdinal());
        assertEquals(20, resumed.replayed());
        assertEquals(30, resumed.processed());
        run(model, in, tmp.resolve("reference"), 0);
        final String expected = csv(tmp.resolve("reference"));
        assertEquals(151, expected.split("\n").length, "header + one output per input");
        assertEquals(expected, csv(out));
    }

    private void writeHalfAnExcerptAndDie(final Path queue) throws Exception
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (arg.startsWith("--add-") || arg.startsWith("--enable-native-access") || arg.startsWith("-Dchronicle"))
            {
                cmd.add(arg);
            }
        }
        cmd.addAll(List.of("-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
            HalfWrittenExcerptTest.class.getName(), queue.toString()));
        final Path log = tmp.resolve("child.log");
        final Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not finish: " + Files.readString(log));
        assertEquals(0, child.exitValue(), Files.readString(log));
    }

    private StreamRunner.Summary run(final Path model, final Path in, final Path out, final long maxIdleMillis) throws IOException
    {
        return StreamRunner.run(new StreamRunner.Options(model, in, out, out.resolveSibling(out.getFileName() + "-snap"), 0,
            StreamRunner.Idle.BACKOFF, StreamRunner.OnBad.STOP, 50, -1, maxIdleMillis,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    }

    private static void feed(final Path in, final double[] series, final int from, final int to, final boolean endMark) throws IOException
    {
        try (StreamFeeder f = new StreamFeeder(in, 0))
        {
            f.feed(Sources.series(Arrays.copyOfRange(series, from, to)), -1, 0, endMark);
        }
    }

    private static String csv(final Path dir) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StreamReader.toCsv(dir, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static double[] sine(final int n)
    {
        final double[] s = new double[n];
        for (int i = 0; i < n; i++)
        {
            s[i] = Math.sin(0.05 * i) + 0.3 * Math.sin(0.31 * i);
        }
        return s;
    }
}
