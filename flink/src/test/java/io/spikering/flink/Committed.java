package io.spikering.flink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertNull;

/** The committed lines of a FileSink directory (finished part files; in-progress and pending files are hidden, dot-prefixed). */
final class Committed
{
    private Committed()
    {
    }

    static List<String> lines(final Path dir) throws IOException
    {
        final List<String> lines = new ArrayList<>();
        if (!Files.isDirectory(dir))
        {
            return lines;
        }
        try (Stream<Path> files = Files.walk(dir))
        {
            for (final Path f : files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList())
            {
                lines.addAll(Files.readAllLines(f));
            }
        }
        return lines;
    }

    /** Output lines by key, then by input ordinal; fails on a line committed twice. */
    static Map<String, TreeMap<Long, String>> byKey(final List<String> lines)
    {
        final Map<String, TreeMap<Long, String>> map = new TreeMap<>();
        for (final String line : lines)
        {
            final int c1 = line.indexOf(',');
            final int c2 = line.indexOf(',', c1 + 1);
            final String key = line.substring(0, c1);
            final long input = Long.parseLong(line.substring(c1 + 1, c2));
            final String previous = map.computeIfAbsent(key, k -> new TreeMap<>()).put(input, line);
            assertNull(previous, "committed twice: " + key + " input " + input);
        }
        return map;
    }

    /** Equal lists, or a failure naming the first differing line (the lists are long). */
    static void assertSame(final List<String> expected, final List<String> actual, final String key)
    {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++)
        {
            if (!expected.get(i).equals(actual.get(i)))
            {
                throw new AssertionError("key " + key + ": first difference at line " + i + " of " + expected.size() + ": expected " +
                    expected.get(i) + ", committed " + actual.get(i));
            }
        }
        if (expected.size() != actual.size())
        {
            throw new AssertionError("key " + key + ": " + actual.size() + " outputs committed, expected " + expected.size());
        }
    }
}
