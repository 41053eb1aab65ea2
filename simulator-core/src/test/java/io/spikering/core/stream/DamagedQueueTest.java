package io.spikering.core.stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Queues damaged on disk (a flipped byte, a zeroed last excerpt, a truncated file): {@code stream read} names the damage,
 * and a restart of {@code stream run} keeps the intact outputs, recomputes the rest and ends with exactly the outputs of
 * an uninterrupted run.
 */
class DamagedQueueTest
{
    private static final int SAMPLES = 100;

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private Path model;
    private Path in;
    private Path out;

    private void setUp(final boolean endMark) throws IOException
    {
        model = RandomPredictors.write(RandomPredictors.random(6, 10, 12, 1, 4.0, false, 4), tmp.resolve("m.safetensors"));
        in = tmp.resolve("in");
        out = tmp.resolve("out");
        final double[] s = new double[SAMPLES];
        for (int i = 0; i < SAMPLES; i++)
        {
            s[i] = Math.sin(0.05 * i) + 0.3 * Math.sin(0.31 * i);
        }
        // two runs, each ending with a (synchronous) snapshot: state.prev.snap at input 90, state.snap at 100
        try (StreamFeeder f = new StreamFeeder(in, 0))
        {
            f.feed(Sources.series(Arrays.copyOf(s, 90)), -1, 0, false);
        }
        run(out, 1000, 300);
        try (StreamFeeder f = new StreamFeeder(in, 0))
        {
            f.feed(Sources.series(Arrays.copyOfRange(s, 90, SAMPLES)), -1, 0, endMark);
        }
        run(out, 1000, endMark ? 0 : 300);
    }

    @Test
    void aFlippedByteInAStoredOutputIsNamedByStreamReadAndRecomputedOnResume() throws IOException
    {
        setUp(true);
        final String expected = reference();
        final long at = payloadOffset(out, OutputWire.MAGIC, 37);
        flip(out, at + OutputWire.HEADER_BYTES + 2); // inside the first value
        final IOException e = assertThrows(IOException.class, () -> csv(out));
        final String m = e.getMessage();
        assertTrue(m.contains("output excerpt 37 (index 0x") && m.contains(".cq4") && m.contains("checksum mismatch") &&
            m.contains("run 'stream run' again"), m);

        final StreamRunner.Summary resumed = run(out, 1000, 0);
        assertEquals(0, resumed.firstOrdinal(), "outputs before 37 intact, both snapshots (90, 100) are after it: from input 0");
        assertEquals(SAMPLES - 37, resumed.processed());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("damaged output: output excerpt 37"), log.toString(StandardCharsets.UTF_8));
        assertEquals(expected, csv(out));
        assertTrue(Files.isDirectory(tmp.resolve("out.damaged")), "the damaged queue is kept");
    }

    @Test
    void aZeroedLastOutputIsATornTailAndTheRestartRecomputesItFromTheSnapshot() throws IOException
    {
        setUp(true);
        final String expected = reference();
        final long at = payloadOffset(out, OutputWire.MAGIC, SAMPLES - 1);
        zero(out, at - 4, at + OutputWire.MIN_BYTES + 4L * 1); // Chronicle's header, the payload (one value) and the checksum
        final IOException e = assertThrows(IOException.class, () -> csv(out));
        assertTrue(e.getMessage().contains("torn tail") && e.getMessage().contains("excerpt " + (SAMPLES - 2)), e.getMessage());

        final StreamRunner.Summary resumed = run(out, 1000, 0);
        assertEquals(90, resumed.firstOrdinal(), "the final snapshot (100) is after the hole, the previous one (90) before it");
        assertEquals(9, resumed.replayed());
        assertEquals(1, resumed.processed());
        assertEquals(expected, csv(out));
        // and the repaired run is a normal one: a further restart has nothing to do
        assertEquals(0, run(out, 1000, 0).processed());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("already complete"), log.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aTruncatedOutputQueueResumesFromTheSnapshotBeforeTheCut() throws IOException
    {
        setUp(false);
        final long at = payloadOffset(out, OutputWire.MAGIC, 95);
        try (FileChannel ch = FileChannel.open(cq4(out), StandardOpenOption.WRITE))
        {
            ch.truncate(at - 4); // the file ends before output 95's header
        }
        final StreamRunner.Summary resumed = run(out, 1000, 300);
        assertEquals(90, resumed.firstOrdinal());
        assertEquals(5, resumed.replayed(), "90..94 replayed and checked");
        assertEquals(5, resumed.processed(), "95..99 appended again");
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("the queue was truncated") ||
            log.toString(StandardCharsets.UTF_8).contains("torn tail"), log.toString(StandardCharsets.UTF_8));
        assertEquals(reference(), csv(out));

        // a queue deleted altogether: no snapshot is before its end, so the run starts again from input 0
        deleteQueue(out);
        final StreamRunner.Summary again = run(out, 1000, 300);
        assertEquals(0, again.firstOrdinal());
        assertEquals(SAMPLES, again.processed());
        assertEquals(reference(), csv(out));
    }

    @Test
    void aQueueOfTheOldWireVersionIsRefusedWithTheFix() throws IOException
    {
        setUp(true);
        final long at = payloadOffset(in, SampleWire.MAGIC, 0);
        try (FileChannel ch = FileChannel.open(cq4(in), StandardOpenOption.WRITE))
        {
            ch.write(ByteBuffer.wrap(new byte[] {1}), at + 2); // version 1, as an older build wrote it
        }
        final IOException e = assertThrows(IOException.class, () -> csv(in));
        assertTrue(e.getMessage().contains("input excerpt 0") && e.getMessage().contains("wire version 1") &&
            e.getMessage().contains("'stream feed' into a new directory"), e.getMessage());
    }

    private String reference() throws IOException
    {
        final Path ref = tmp.resolve("reference");
        if (!Files.exists(ref))
        {
            run(ref, 0, 300);
        }
        final String csv = csv(ref);
        assertEquals(SAMPLES + 1, csv.split("\n").length);
        return csv;
    }

    private StreamRunner.Summary run(final Path output, final long snapshotEvery, final long maxIdleMillis) throws IOException
    {
        return StreamRunner.run(new StreamRunner.Options(model, in, output, output.resolveSibling(output.getFileName() + "-snap"), 0,
            StreamRunner.Idle.BACKOFF, StreamRunner.OnBad.STOP, snapshotEvery, -1, maxIdleMillis,
            new PrintStream(log, true, StandardCharsets.UTF_8)));
    }

    private static String csv(final Path dir) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StreamReader.toCsv(dir, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** File offset of the payload of the excerpt with this magic, current version and ordinal field (outputs) or sequence (inputs). */
    static long payloadOffset(final Path queue, final short magic, final long ordinal) throws IOException
    {
        try (FileChannel ch = FileChannel.open(cq4(queue), StandardOpenOption.READ))
        {
            final ByteBuffer b = ByteBuffer.allocate((int)Math.min(ch.size(), 4 << 20)).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(b, 0);
            final int field = magic == OutputWire.MAGIC ? 4 : 8;
            final byte version = magic == OutputWire.MAGIC ? OutputWire.VERSION : SampleWire.VERSION;
            for (int p = 4; p + 16 < b.limit(); p++)
            {
                if (b.getShort(p) == magic && b.get(p + 2) == version && b.getLong(p + field) == ordinal)
                {
                    return p;
                }
            }
        }
        throw new AssertionError("excerpt " + ordinal + " not found in " + queue);
    }

    static Path cq4(final Path queue) throws IOException
    {
        try (Stream<Path> files = Files.list(queue))
        {
            final Path[] cq4 = files.filter(p -> p.toString().endsWith(".cq4")).toArray(Path[]::new);
            assertEquals(1, cq4.length, Arrays.toString(cq4));
            return cq4[0];
        }
    }

    static void flip(final Path queue, final long offset) throws IOException
    {
        try (FileChannel ch = FileChannel.open(cq4(queue), StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, offset);
            one.put(0, (byte)(one.get(0) ^ 0x10)).rewind();
            ch.write(one, offset);
        }
    }

    private static void zero(final Path queue, final long from, final long to) throws IOException
    {
        try (FileChannel ch = FileChannel.open(cq4(queue), StandardOpenOption.WRITE))
        {
            ch.write(ByteBuffer.allocate((int)(to - from)), from);
        }
    }

    private static void deleteQueue(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.walk(dir))
        {
            for (final Path p : files.sorted(java.util.Comparator.reverseOrder()).toList())
            {
                Files.delete(p);
            }
        }
    }
}
