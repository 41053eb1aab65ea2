package io.spikering.core.stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WireRoundTripTest
{
    @TempDir
    Path tmp;

    @Test
    void feedThenReadGivesTheSamplesFlagsAndContinuingSequenceNumbers() throws IOException
    {
        final Path q = tmp.resolve("in");
        try (StreamFeeder feeder = new StreamFeeder(q, 7))
        {
            assertEquals(5, feeder.feed(Sources.series(new double[] {0.5, 0.25, -1, 2, 3}), -1, 0, false));
        }
        try (StreamFeeder feeder = new StreamFeeder(q, 7))
        {
            assertEquals(2, feeder.feed(Sources.series(new double[] {9, 8, 7}), 2, 0, true));
        }
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertEquals(7, StreamReader.toCsv(q, new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        final String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals("ordinal,stream,sequence,timestamp_ns,flags,label,values...", lines[0]);
        assertTrue(lines[1].startsWith("0,7,0,"), lines[1]);
        assertTrue(lines[1].endsWith(",1,-1,0.5"), lines[1]);
        assertTrue(lines[3].endsWith(",0,-1,-1.0"), lines[3]);
        assertTrue(lines[5].endsWith(",2,-1,3.0"), lines[5]);
        assertTrue(lines[6].startsWith("5,7,5,"), lines[6]);
        assertTrue(lines[7].startsWith("6,7,6,") && lines[7].endsWith("," + (SampleWire.FLAG_END_OF_STREAM) + ",-1,8.0"), lines[7]);
    }

    @Test
    void csvSourceSplitsSequencesAtBlankLinesAndNamesBadLines() throws IOException
    {
        final Path csv = tmp.resolve("s.csv");
        Files.writeString(csv, "a,b\n1,2\n3,4\n\n5,6\n");
        final StreamFeeder.Source s = Sources.csv(csv);
        final float[] v = new float[2];
        assertEquals(SampleWire.FLAG_SEQUENCE_START, s.next(v));
        assertEquals(SampleWire.FLAG_SEQUENCE_END, s.next(v));
        assertEquals(4f, v[1]);
        assertEquals(SampleWire.FLAG_SEQUENCE_START | SampleWire.FLAG_SEQUENCE_END, s.next(v));
        assertEquals(-1, s.next(v));
        Files.writeString(csv, "1,2\n3\n");
        final IOException e = assertThrows(IOException.class, () -> Sources.csv(csv));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void missingAndForeignDirectoriesAreRefusedClearly() throws IOException
    {
        final IOException missing = assertThrows(IOException.class, () -> StreamReader.toCsv(tmp.resolve("nope"), System.out));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        final Path foreign = Files.createDirectories(tmp.resolve("foreign"));
        Files.writeString(foreign.resolve("x.txt"), "hello");
        final IOException notQueue = assertThrows(IOException.class, () -> StreamReader.toCsv(foreign, System.out));
        assertTrue(notQueue.getMessage().contains("is not a Chronicle queue"), notQueue.getMessage());
        assertThrows(IOException.class, () -> new StreamFeeder(foreign, 0));
    }
}
