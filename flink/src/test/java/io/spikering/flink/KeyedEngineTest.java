package io.spikering.flink;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operator's fast path (one engine, each key's state restored and saved as bytes) against one model per key. */
class KeyedEngineTest
{
    private static final Path MODEL = Path.of("..", "models", "mackey-glass-lmu.safetensors");

    @Test
    void keysInterleavedAtRandomThroughOneEngineEqualOneModelPerKey() throws Exception
    {
        final ModelSpec spec = ModelSpec.load(MODEL, -1, "fused", "eager");
        final SplittableRandom r = new SplittableRandom(5);
        final Map<String, List<Sample>> byKey = new TreeMap<>();
        final List<Sample> stream = new ArrayList<>();
        for (int i = 0; i < 3000; i++)
        {
            final String key = "k" + r.nextInt(5);
            final List<Sample> mine = byKey.computeIfAbsent(key, x -> new ArrayList<>());
            // runs of one key (the engine skips the restore) and switches; sequence starts and malformed records now and then
            final Sample s = r.nextInt(50) == 0 ? Sample.malformed(key, "bad", key + ",x") :
                Sample.of(key, mine.isEmpty() || r.nextInt(200) == 0 ? 1 : 0, (float)(0.5 + 0.4 * Math.sin(0.1 * i)), 0);
            final int repeat = 1 + r.nextInt(3);
            for (int j = 0; j < repeat; j++)
            {
                mine.add(s);
                stream.add(s);
            }
        }
        final Map<String, byte[]> state = new TreeMap<>();
        final Map<String, List<String>> got = new TreeMap<>();
        try (KeyedEngine engine = new KeyedEngine(spec.open()))
        {
            for (final Sample s : stream)
            {
                final byte[] bytes = state.computeIfAbsent(s.key, k -> engine.freshState());
                final Output o = new Output();
                engine.process(s.key, bytes, s, o);
                got.computeIfAbsent(s.key, k -> new ArrayList<>()).add(o.line());
            }
        }
        for (final Map.Entry<String, List<Sample>> e : byKey.entrySet())
        {
            Committed.assertSame(Reference.direct(spec, e.getKey(), e.getValue()), got.get(e.getKey()), e.getKey());
        }
    }

    @Test
    void restoreStepSaveAllocatesNothingPerRecord() throws Exception
    {
        final ModelSpec spec = ModelSpec.load(MODEL, -1, "fused", "eager");
        final int keys = 16;
        try (KeyedEngine engine = new KeyedEngine(spec.open()))
        {
            final byte[][] bytes = new byte[keys][];
            final String[] names = new String[keys];
            final Sample[] samples = new Sample[keys];
            for (int k = 0; k < keys; k++)
            {
                bytes[k] = engine.freshState();
                names[k] = "sensor-" + k;
                samples[k] = Sample.of(names[k], 0, 0.5f, 0);
            }
            final Output o = new Output();
            final com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
            long before = 0;
            for (int i = 0; i < 40_000; i++)
            {
                if (i == 20_000)
                {
                    before = bean.getCurrentThreadAllocatedBytes();
                }
                final int k = i % keys;
                samples[k].value = (float)(0.5 + 0.3 * Math.sin(i * 0.01));
                engine.process(names[k], bytes[k], samples[k], o);
            }
            final long allocated = bean.getCurrentThreadAllocatedBytes() - before;
            // any object per record would be >= 16 bytes x 20,000; a few KiB of late JIT work stay allowed
            assertTrue(allocated < 20_000, "bytes allocated over 20,000 records after warm-up: " + allocated);
        }
    }
}
