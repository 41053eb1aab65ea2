package io.spikering.cli;

import io.spikering.core.stream.RandomPredictors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** feed → run → read through the command line, and bad options/inputs exiting 2 with a message. */
class StreamCommandTest
{
    @TempDir
    Path tmp;

    private String captureOut(final Runnable r)
    {
        final PrintStream old = System.out;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try
        {
            r.run();
        }
        finally
        {
            System.setOut(old);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void feedRunReadFromCsv() throws Exception
    {
        final Path csv = tmp.resolve("s.csv");
        Files.write(csv, List.of("0.1", "0.2", "0.3", "", "0.4", "0.5"));
        final Path model = tmp.resolve("m.safetensors");
        RandomPredictors.random(4, 6, 8, 1, 4.0, true, 1).write(model);
        assertEquals(0, Main.run("stream", "feed", "--source", csv.toString(), "--queue", tmp.resolve("in").toString()));
        final String run = captureOut(() -> assertEquals(0, Main.run("stream", "run", "--model", model.toString(), "--in",
            tmp.resolve("in").toString(), "--out", tmp.resolve("out").toString())));
        assertTrue(run.contains("inputs 0..4: 5 outputs appended"), run);
        final Path outCsv = tmp.resolve("out.csv");
        assertEquals(0, Main.run("stream", "read", "--queue", tmp.resolve("out").toString(), "--csv", outCsv.toString()));
        final List<String> rows = Files.readAllLines(outCsv);
        assertEquals(6, rows.size());
        assertTrue(rows.get(0).startsWith("input,status,stream,sequence"), rows.get(0));
        assertTrue(rows.get(4).startsWith("3,0,0,3,"), rows.get(4));
    }

    @Test
    void streamReadOfADamagedOutputExitsTwoNamingTheExcerpt() throws Exception
    {
        final Path csv = tmp.resolve("s.csv");
        Files.write(csv, List.of("0.1", "0.2", "0.3", "0.4", "0.5"));
        final Path model = tmp.resolve("m.safetensors");
        RandomPredictors.random(4, 6, 8, 1, 4.0, true, 1).write(model);
        final Path out = tmp.resolve("out");
        assertEquals(0, Main.run("stream", "feed", "--source", csv.toString(), "--queue", tmp.resolve("in").toString()));
        captureOut(() -> assertEquals(0, Main.run("stream", "run", "--model", model.toString(), "--in", tmp.resolve("in").toString(),
            "--out", out.toString())));
        final Path file;
        try (java.util.stream.Stream<Path> files = Files.list(out))
        {
            file = files.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ,
            java.nio.file.StandardOpenOption.WRITE))
        {
            final java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 << 20).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            ch.read(b, 0);
            int at = -1;
            for (int p = 0; p + 12 < b.limit() && at < 0; p++)
            {
                if (b.getShort(p) == io.spikering.core.stream.OutputWire.MAGIC && b.getLong(p + 4) == 3)
                {
                    at = p;
                }
            }
            assertTrue(at > 0);
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {(byte)(b.get(at + 40) ^ 1)}), at + 40); // a bit of output 3's synops
        }
        final PrintStream oldErr = System.err;
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try
        {
            assertEquals(2, Main.run("stream", "read", "--queue", out.toString()));
        }
        finally
        {
            System.setErr(oldErr);
        }
        final String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("output excerpt 3 (index 0x") && message.contains(file.toString()) &&
            message.contains("checksum mismatch") && message.contains("'stream run' again"), message);
        assertTrue(!message.contains("\tat "), "no stack trace: " + message);
    }

    @Test
    void badOptionsAndMissingQueuesExitTwo() throws Exception
    {
        final Path model = tmp.resolve("m.safetensors");
        RandomPredictors.random(4, 6, 8, 1, 4.0, true, 1).write(model);
        assertEquals(2, Main.run("stream", "read", "--queue", tmp.resolve("none").toString()));
        assertEquals(2, Main.run("stream", "run", "--model", model.toString(), "--in", tmp.resolve("none").toString(), "--out",
            tmp.resolve("out").toString()));
        assertEquals(2, Main.run("stream", "feed", "--source", "nosuch.csv", "--queue", tmp.resolve("in").toString()));
        assertEquals(2, Main.run("stream", "feed", "--source", "mackey-glass", "--rate", "-5", "--queue", tmp.resolve("in").toString()));
        assertEquals(0, Main.run("stream", "feed", "--source", "mackey-glass", "--count", "3", "--queue", tmp.resolve("in").toString()));
        assertEquals(2, Main.run("stream", "run", "--model", model.toString(), "--in", tmp.resolve("in").toString(), "--out",
            tmp.resolve("out").toString(), "--idle", "sometimes"));
        assertEquals(2, Main.run("stream", "run", "--model", tmp.resolve("missing.safetensors").toString(), "--in",
            tmp.resolve("in").toString(), "--out", tmp.resolve("out").toString()));
    }

    @Test
    void latencyFeedsAtTheRateForTheDurationAndPrintsPercentilesThroughputAndTheBreakdown() throws Exception
    {
        final Path model = tmp.resolve("m.safetensors");
        RandomPredictors.random(4, 6, 8, 1, 4.0, true, 1).write(model);
        final String out = captureOut(() -> assertEquals(0, Main.run("stream", "latency", "--model", model.toString(), "--source",
            "mackey-glass", "--rate", "2000", "--duration", "1", "--warmup", "0.5", "--feeder", "thread", "--snapshot-every", "300",
            "--idle", "backoff", "--dir", tmp.resolve("lat").toString())));
        assertTrue(out.contains("1000 warm-up + 2000 measured samples"), out);
        assertTrue(out.matches("(?s).*append-to-output latency: p50 [0-9.]+ µs, p99 [0-9.]+ µs, p99\\.9 [0-9.]+ µs, max [0-9.]+ µs " +
            "\\(n=2000\\).*"), out);
        final double throughput = Double.parseDouble(out.replaceAll("(?s).*throughput: ([0-9]+) samples/s.*", "$1"));
        assertEquals(2000, throughput, 200, "paced at 2000/s: " + out);
        for (final String part : new String[]{"publish", "queued", "snapshot", "stalled", "step", "append"})
        {
            assertTrue(out.contains("\n  " + part + " "), part + " in " + out);
        }
        assertTrue(out.contains("snapshots: 7,"), "3000 inputs, a snapshot every 300, 7 after the 1000 warm-up ones: " + out);
        assertEquals(2, Main.run("stream", "latency", "--model", model.toString(), "--rate", "0"));
        assertEquals(2, Main.run("stream", "latency", "--model", model.toString(), "--feeder", "socket"));
        assertEquals(2, Main.run("stream", "latency", "--model", model.toString(), "--dir", tmp.resolve("lat").toString(), "--source",
            "mackey-glass", "--feeder", "thread"));
    }
}
