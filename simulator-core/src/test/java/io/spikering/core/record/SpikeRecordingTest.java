package io.spikering.core.record;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SpikeRecordingTest
{
    private static final RecordingInfo INFO = new RecordingInfo(0.1, "test", "seed 7",
        List.of(new RecordingInfo.Population("exc", 50), new RecordingInfo.Population("inh", 20)));

    /** One excerpt as plain values, for comparing what was written with what is read. */
    private record Excerpt(long step, int population, int[] neurons, int[] counts)
    {
        @Override
        public boolean equals(final Object o)
        {
            return o instanceof Excerpt e && e.step == step && e.population == population &&
                Arrays.equals(e.neurons, neurons) && Arrays.equals(e.counts, counts);
        }

        @Override
        public int hashCode()
        {
            return Long.hashCode(step) * 31 + population;
        }

        @Override
        public String toString()
        {
            return "step " + step + " pop " + population + " " + Arrays.toString(neurons) + " " + Arrays.toString(counts);
        }
    }

    /** Random events (signed, multi-spike counts included) for 300 steps; empty steps are skipped. */
    private static List<Excerpt> randomRun(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final List<Excerpt> run = new ArrayList<>();
        for (long step = 0; step < 300; step++)
        {
            for (int p = 0; p < 2; p++)
            {
                final int size = INFO.populations().get(p).size();
                final int n = random.nextInt(4) == 0 ? 0 : random.nextInt(size + 1);
                final int[] neurons = random.ints(0, size).distinct().limit(n).toArray();
                final int[] counts = random.ints(neurons.length, -3, 4).map(c -> c == 0 ? 1 : c).toArray();
                if (neurons.length > 0)
                {
                    run.add(new Excerpt(step, p, neurons, counts));
                }
            }
        }
        return run;
    }

    private static void write(final Path dir, final List<Excerpt> run, final long steps) throws IOException
    {
        try (SpikeRecorder recorder = SpikeRecorder.create(dir, INFO))
        {
            for (final Excerpt e : run)
            {
                recorder.onEvents(e.step, e.population, e.neurons, e.counts, e.neurons.length);
            }
            recorder.markStep(steps - 1);
        }
    }

    private static List<Excerpt> readAll(final SpikeReader reader, final SpikeFilter filter)
    {
        final List<Excerpt> out = new ArrayList<>();
        final long delivered = reader.read(filter, (step, population, neurons, counts, n) ->
            out.add(new Excerpt(step, population, Arrays.copyOf(neurons, n), Arrays.copyOf(counts, n))));
        assertEquals(out.size(), delivered);
        return out;
    }

    @Test
    void roundTripReturnsExactlyWhatWasWrittenInOrder(@TempDir final Path tmp) throws IOException
    {
        final List<Excerpt> run = randomRun(7);
        final Path dir = tmp.resolve("rec");
        write(dir, run, 300);
        try (SpikeReader reader = SpikeReader.open(dir))
        {
            assertEquals(INFO, reader.info());
            assertTrue(reader.complete());
            assertEquals(300, reader.stepsRecorded());
            assertEquals(run.stream().mapToLong(e -> e.neurons.length).sum(), reader.eventsRecorded());
            assertEquals(run, readAll(reader, SpikeFilter.all()));
            assertEquals(run, readAll(reader, SpikeFilter.all()), "a second read starts from the beginning again");
        }
    }

    @Test
    void filtersByPopulationAndHalfOpenStepRange(@TempDir final Path tmp) throws IOException
    {
        final List<Excerpt> run = randomRun(11);
        write(tmp, run, 300);
        try (SpikeReader reader = SpikeReader.open(tmp))
        {
            final int inh = reader.info().populationIndex("inh");
            final List<Excerpt> expected = run.stream()
                .filter(e -> e.population == inh && e.step >= 40 && e.step < 120).toList();
            assertFalse(expected.isEmpty());
            assertEquals(expected, readAll(reader, SpikeFilter.population(inh).steps(40, 120)));
            assertEquals(run.stream().filter(e -> e.step >= 299).toList(),
                readAll(reader, SpikeFilter.all().steps(299, 1000)));
            assertTrue(readAll(reader, SpikeFilter.all().steps(300, 400)).isEmpty());
            assertThrows(IllegalArgumentException.class, () -> reader.info().populationIndex("nope"));
        }
    }

    @Test
    void emptyRecordingReadsAsNoExcerpts(@TempDir final Path tmp) throws IOException
    {
        write(tmp, List.of(), 10);
        try (SpikeReader reader = SpikeReader.open(tmp))
        {
            assertEquals(10, reader.stepsRecorded());
            assertTrue(readAll(reader, SpikeFilter.all()).isEmpty());
        }
    }

    @Test
    void sidecarIsWrittenBeforeTheRunAndMarkedIncompleteUntilClose(@TempDir final Path tmp) throws IOException
    {
        try (SpikeRecorder recorder = SpikeRecorder.create(tmp, INFO))
        {
            recorder.onEvents(3, 0, new int[] {4}, new int[] {1}, 1);
            final String json = Files.readString(tmp.resolve("recording.json"));
            assertTrue(json.contains("\"complete\": false"), json);
            assertTrue(json.contains("\"name\": \"exc\"") && json.contains("\"size\": 50") && json.contains("\"dtMs\": 0.1"), json);
        }
        assertTrue(Files.readString(tmp.resolve("recording.json")).contains("\"complete\": true"));
    }

    @Test
    void pathUnderARegularFileFailsNamingTheDirectory(@TempDir final Path tmp) throws IOException
    {
        final Path file = Files.writeString(tmp.resolve("plain.txt"), "x");
        final Path dir = file.resolve("rec");
        final IOException ex = assertThrows(IOException.class, () -> SpikeRecorder.create(dir, INFO));
        assertTrue(ex.getMessage().contains(dir.toString()), ex.getMessage());
        assertTrue(ex.getMessage().contains("is a file, not a directory"), ex.getMessage());
    }

    @Test
    void readOnlyDirectoryFailsNamingTheDirectory(@TempDir final Path tmp) throws IOException
    {
        final Path readOnly = Files.createDirectory(tmp.resolve("ro"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        try
        {
            // root ignores permission bits; sysfs refuses new files even to root
            final Path dir = Files.isWritable(readOnly) ? Path.of("/sys") : readOnly;
            assumeTrue(Files.isDirectory(dir), "no read-only directory available");
            final IOException ex = assertThrows(IOException.class, () -> SpikeRecorder.create(dir, INFO));
            assertTrue(ex.getMessage().contains("'" + dir + "'") && ex.getMessage().contains("not writable"), ex.getMessage());
            final Path below = dir.resolve("spikering-rec");
            final IOException create = assertThrows(IOException.class, () -> SpikeRecorder.create(below, INFO));
            assertTrue(create.getMessage().contains("'" + below + "'"), create.getMessage());
        }
        finally
        {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void refusesToAppendToAnExistingRecording(@TempDir final Path tmp) throws IOException
    {
        write(tmp, randomRun(3), 300);
        final IOException ex = assertThrows(IOException.class, () -> SpikeRecorder.create(tmp, INFO));
        assertTrue(ex.getMessage().contains("already holds a recording"), ex.getMessage());
    }

    @Test
    void notARecordingFailsNamingTheDirectory(@TempDir final Path tmp)
    {
        final IOException ex = assertThrows(IOException.class, () -> SpikeReader.open(tmp));
        assertTrue(ex.getMessage().contains(tmp.toString()) && ex.getMessage().contains("recording.json"), ex.getMessage());
        assertThrows(IOException.class, () -> SpikeReader.open(tmp.resolve("missing")));
    }

    @Test
    void badEventsAreRejectedNamingThePopulation(@TempDir final Path tmp) throws IOException
    {
        try (SpikeRecorder recorder = SpikeRecorder.create(tmp, INFO))
        {
            recorder.onEvents(5, 0, new int[] {1}, new int[] {1}, 1);
            final IllegalArgumentException neuron = assertThrows(IllegalArgumentException.class,
                () -> recorder.onEvents(5, 1, new int[] {20}, new int[] {1}, 1));
            assertTrue(neuron.getMessage().contains("'inh'"), neuron.getMessage());
            assertThrows(IllegalArgumentException.class, () -> recorder.onEvents(4, 0, new int[] {1}, new int[] {1}, 1));
            assertThrows(IllegalArgumentException.class, () -> recorder.onEvents(6, 2, new int[] {1}, new int[] {1}, 1));
            assertThrows(IllegalArgumentException.class, () -> recorder.onEvents(6, 1, new int[21], new int[21], 21));
        }
        try (SpikeReader reader = SpikeReader.open(tmp))
        {
            assertEquals(1, readAll(reader, SpikeFilter.all()).size(), "rejected events leave nothing behind");
        }
    }

    @Test
    void recordingAStepAllocatesNothingAfterWarmUp(@TempDir final Path tmp) throws IOException
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final int[] neurons = new int[50];
        final int[] counts = new int[50];
        for (int i = 0; i < neurons.length; i++)
        {
            neurons[i] = i;
            counts[i] = 1 + (i % 3);
        }
        try (SpikeRecorder recorder = SpikeRecorder.create(tmp, INFO))
        {
            long step = 0;
            for (; step < 20_000; step++)
            {
                recorder.onEvents(step, 0, neurons, counts, (int)(step % 50));
            }
            final long thread = Thread.currentThread().getId();
            final long before = threads.getThreadAllocatedBytes(thread);
            for (; step < 40_000; step++)
            {
                recorder.onEvents(step, 0, neurons, counts, (int)(step % 50));
                recorder.onEvents(step, 1, neurons, counts, (int)(step % 20));
            }
            final long allocated = threads.getThreadAllocatedBytes(thread) - before;
            // Steady state allocates nothing per excerpt; Chronicle allocates a few small objects when it maps
            // the next chunk of the file (a few KB per ~8 MB written), hence a bound well below one object per
            // excerpt (40,000 excerpts x >= 16 bytes = 640 kB).
            assertTrue(allocated < 100_000, "allocated " + allocated + " bytes over 20,000 recorded steps");
        }
    }
}
