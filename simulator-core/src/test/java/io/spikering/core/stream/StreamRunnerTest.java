package io.spikering.core.stream;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamRunnerTest
{
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final PrintStream progress = new PrintStream(log, true, StandardCharsets.UTF_8);

    private StreamRunner.Options options(final Path model, final StreamRunner.OnBad onBad, final long snapshotEvery, final int autonomous)
    {
        return new StreamRunner.Options(model, tmp.resolve("in"), tmp.resolve("out"), tmp.resolve("snap"), 0, StreamRunner.Idle.BACKOFF,
            onBad, snapshotEvery, autonomous, 0, progress);
    }

    private static double[] sine(final int n, final double phase)
    {
        final double[] s = new double[n];
        for (int i = 0; i < n; i++)
        {
            s[i] = Math.sin(0.05 * i + phase) + 0.3 * Math.sin(0.31 * i);
        }
        return s;
    }

    @Test
    void oneOutputPerInputEqualToSteppingTheModelDirectlyWithResetsAtSequenceStarts() throws IOException
    {
        final LmuPredictor model = RandomPredictors.random(8, 12, 16, 2, 8.0, true, 3);
        final Path file = RandomPredictors.write(model, tmp.resolve("m.safetensors"));
        final List<double[]> seqs = List.of(sine(300, 0), sine(200, 1));
        try (StreamFeeder f = new StreamFeeder(tmp.resolve("in"), 5))
        {
            f.feed(Sources.sequences(seqs), -1, 0, true);
        }
        final StreamRunner.Summary s = StreamRunner.run(options(file, StreamRunner.OnBad.STOP, 64, -1));
        assertEquals(500, s.processed());
        assertEquals(500, s.latency().getTotalCount());
        final List<float[]> expected = new ArrayList<>();
        try (StreamModel direct = new StreamModel(model, 0, -1))
        {
            for (final double[] seq : seqs)
            {
                direct.startSequence();
                for (final double v : seq)
                {
                    final double[] out = direct.step((float)v);
                    expected.add(new float[] {(float)out[0], (float)out[1]});
                }
            }
        }
        final List<OutputWire.Output> outputs = readOutputs(tmp.resolve("out"));
        assertEquals(500, outputs.size());
        for (int i = 0; i < 500; i++)
        {
            assertEquals(i, outputs.get(i).inputOrdinal);
            assertEquals(OutputWire.STATUS_OK, outputs.get(i).status);
            assertArrayEquals(expected.get(i), java.util.Arrays.copyOf(outputs.get(i).values, 2), "input " + i);
            assertTrue(outputs.get(i).macs > 64, "memory MACs counted");
        }
        // the engine's Disruptor delivery path gives the same bytes
        StreamRunner.run(new StreamRunner.Options(file, tmp.resolve("in"), tmp.resolve("out2"), tmp.resolve("snap2"), 2,
            StreamRunner.Idle.BUSY, StreamRunner.OnBad.STOP, 64, -1, 0, progress));
        final List<OutputWire.Output> threaded = readOutputs(tmp.resolve("out2"));
        assertEquals(500, threaded.size());
        for (int i = 0; i < 500; i++)
        {
            assertArrayEquals(outputs.get(i).values, threaded.get(i).values, "threads=2, input " + i);
            assertEquals(outputs.get(i).synops, threaded.get(i).synops);
        }
    }

    @Test
    void theStreamingLoopAllocatesNothingPerSampleAfterWarmUp() throws IOException
    {
        final Path file = RandomPredictors.write(RandomPredictors.random(16, 20, 32, 1, 8.0, true, 9), tmp.resolve("m.safetensors"));
        final List<double[]> seqs = new ArrayList<>();
        for (int s = 0; s < 30; s++)
        {
            seqs.add(sine(1000, s));
        }
        try (StreamFeeder f = new StreamFeeder(tmp.resolve("in"), 0))
        {
            f.feed(Sources.sequences(seqs), -1, 0, true);
        }
        final StreamRunner.Summary s = StreamRunner.run(new StreamRunner.Options(file, tmp.resolve("in"), tmp.resolve("out"),
            tmp.resolve("snap"), 0, StreamRunner.Idle.BACKOFF, StreamRunner.OnBad.STOP, 0, -1, 0, null, "fused", 10_000));
        assertEquals(30_000, s.processed());
        assertEquals(19_999, s.measured());
        // read, validate, reset at sequence starts, step, append, two histogram records: no per-sample garbage. Any
        // per-sample object would cost >= 16 bytes x 20,000; a few KiB of occasional allocation (late JIT
        // recompilation, queue bookkeeping) stay allowed. Progress printing, once a second, is off here.
        assertTrue(s.bytesAllocatedAfterWarmup() >= 0 && s.bytesAllocatedAfterWarmup() < 20_000,
            "bytes allocated by the stream thread over 20,000 samples after warm-up: " + s.bytesAllocatedAfterWarmup());
    }

    @Test
    void restartAfterCleanEndReplaysNothingAndAppendsNewInputsOnly() throws IOException
    {
        final Path file = RandomPredictors.write(RandomPredictors.random(6, 10, 12, 1, 4.0, false, 4), tmp.resolve("m.safetensors"));
        try (StreamFeeder f = new StreamFeeder(tmp.resolve("in"), 0))
        {
            f.feed(Sources.series(sine(100, 0)), -1, 0, true);
        }
        StreamRunner.run(options(file, StreamRunner.OnBad.STOP, 30, -1));
        try (StreamFeeder f = new StreamFeeder(tmp.resolve("in"), 0))
        {
            f.feed(Sources.series(sine(50, 2)), -1, 0, true);
        }
        final StreamRunner.Summary second = StreamRunner.run(options(file, StreamRunner.OnBad.STOP, 30, -1));
        assertEquals(100, second.firstOrdinal());
        assertEquals(50, second.processed());
        assertEquals(150, readOutputs(tmp.resolve("out")).size());
    }

    @Test
    void restartAfterTheEndOfStreamWasConsumedStopsAtOnceInsteadOfWaitingForInput() throws IOException
    {
        // the crash/resume hang: a run killed after its final snapshot (or a clean end) leaves a snapshot positioned after
        // the end-of-stream sample; the restart used to tail the input forever (no --max-idle), printing nothing
        final Path file = RandomPredictors.write(RandomPredictors.random(6, 10, 12, 1, 4.0, false, 4), tmp.resolve("m.safetensors"));
        try (StreamFeeder f = new StreamFeeder(tmp.resolve("in"), 0))
        {
            f.feed(Sources.series(sine(100, 0)), -1, 0, true);
        }
        StreamRunner.run(options(file, StreamRunner.OnBad.STOP, 30, -1));
        final StreamRunner.Summary again = assertTimeoutPreemptively(Duration.ofSeconds(60),
            () -> StreamRunner.run(options(file, StreamRunner.OnBad.STOP, 30, -1)));
        assertEquals(100, again.firstOrdinal());
        assertEquals(0, again.processed());
        assertEquals(100, readOutputs(tmp.resolve("out")).size());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("already complete"), log.toString(StandardCharsets.UTF_8));
    }

    @Test
    void badSamplesAreNamedByIndexAndSkippedOrStopTheRun() throws IOException
    {
        final Path file = RandomPredictors.write(RandomPredictors.random(4, 8, 8, 1, 4.0, false, 5), tmp.resolve("m.safetensors"));
        try (StreamFeeder f = new StreamFeeder(tmp.resolve("in"), 0))
        {
            f.append(SampleWire.FLAG_SEQUENCE_START, -1, new float[] {0.5f}, 1);
            f.append(0, -1, new float[] {Float.NaN}, 1);
            f.append(0, -1, new float[] {0.1f, 0.2f}, 2);
            f.append(SampleWire.FLAG_END_OF_STREAM, -1, new float[] {0.25f}, 1);
        }
        final IllegalArgumentException stop = assertThrows(IllegalArgumentException.class,
            () -> StreamRunner.run(options(file, StreamRunner.OnBad.STOP, 0, -1)));
        assertTrue(stop.getMessage().contains("input excerpt 1") && stop.getMessage().contains("NaN"), stop.getMessage());
        assertEquals(1, readOutputs(tmp.resolve("out")).size(), "nothing written for the bad sample");

        final StreamRunner.Summary s = StreamRunner.run(options(file, StreamRunner.OnBad.SKIP, 0, -1));
        assertEquals(2, s.skipped());
        final List<OutputWire.Output> outs = readOutputs(tmp.resolve("out"));
        assertEquals(4, outs.size());
        assertEquals(OutputWire.STATUS_SKIPPED, outs.get(1).status);
        assertEquals(OutputWire.STATUS_SKIPPED, outs.get(2).status);
        assertEquals(OutputWire.STATUS_OK, outs.get(3).status);
        final String warnings = log.toString(StandardCharsets.UTF_8);
        assertTrue(warnings.contains("input excerpt 2") && warnings.contains("vector length 2"), warnings);
    }

    @Test
    void missingQueueAndForeignModelAreClearErrors() throws IOException
    {
        final Path file = RandomPredictors.write(RandomPredictors.random(4, 8, 8, 1, 4.0, false, 5), tmp.resolve("m.safetensors"));
        final IOException missing = assertThrows(IOException.class, () -> StreamRunner.run(options(file, StreamRunner.OnBad.STOP, 0, -1)));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        try (StreamFeeder f = new StreamFeeder(tmp.resolve("in"), 0))
        {
            f.feed(Sources.series(sine(20, 0)), -1, 0, true);
        }
        StreamRunner.run(options(file, StreamRunner.OnBad.STOP, 5, -1));
        final Path other = RandomPredictors.write(RandomPredictors.random(4, 8, 8, 1, 4.0, false, 6), tmp.resolve("other.safetensors"));
        final IOException mismatch = assertThrows(IOException.class, () -> StreamRunner.run(options(other, StreamRunner.OnBad.STOP, 5, -1)));
        assertTrue(mismatch.getMessage().contains("sha256"), mismatch.getMessage());
    }

    static List<OutputWire.Output> readOutputs(final Path dir) throws IOException
    {
        final List<OutputWire.Output> list = new ArrayList<>();
        try (ChronicleQueue q = Queues.openExisting(dir, "output"); ExcerptTailer t = q.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = t.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    final OutputWire.Output o = new OutputWire.Output();
                    final String error = OutputWire.read(dc.wire().bytes(), o);
                    if (error != null)
                    {
                        throw new IOException(error);
                    }
                    list.add(o);
                }
            }
        }
        return list;
    }
}
