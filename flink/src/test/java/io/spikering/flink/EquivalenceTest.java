package io.spikering.flink;

import io.spikering.core.stream.RandomPredictors;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** For every key, the Flink job's committed outputs equal {@code stream run}'s outputs on the same samples, bit for bit. */
class EquivalenceTest
{
    @TempDir
    Path tmp;

    private static Cluster cluster;

    @BeforeAll
    static void start() throws Exception
    {
        cluster = new Cluster(2);
    }

    @AfterAll
    static void stop() throws Exception
    {
        cluster.close();
    }

    @Test
    void predictorKeysWithMalformedRecordsEqualStreamRunOnTheHeapBackend() throws Exception
    {
        final Path model = RandomPredictors.write(RandomPredictors.random(8, 12, 16, 2, 8.0, true, 3), tmp.resolve("m.safetensors"));
        check(model, -1, "hashmap", 6, 400, 3);
    }

    @Test
    void psMnistClassifierOnRocksDbEqualsStreamRun() throws Exception
    {
        check(Path.of("..", "models", "psmnist-lmu-hybrid.safetensors"), -1, "rocksdb", 2, 784, 1);
    }

    @Test
    void mackeyGlassPredictorInAutonomousModeEqualsStreamRun() throws Exception
    {
        check(Path.of("..", "models", "mackey-glass-lmu.safetensors"), 150, "hashmap", 3, 300, 2);
    }

    /**
     * {@code keys} keys, each with {@code sequences} sequences of up to {@code length} steps, interleaved at random
     * into two files (keys split by parity, each key's records in order), a few malformed records among them.
     */
    private void check(final Path model, final int autonomousAfter, final String backend, final int keys, final int length,
        final int sequences) throws Exception
    {
        final SplittableRandom r = new SplittableRandom(keys * 31L + length);
        final Map<String, List<String>> lines = new LinkedHashMap<>();
        for (int k = 0; k < keys; k++)
        {
            final List<String> l = new ArrayList<>();
            for (int s = 0; s < sequences; s++)
            {
                final int n = length / 2 + r.nextInt(length / 2 + 1);
                final double phase = r.nextDouble() * 6;
                for (int i = 0; i < n; i++)
                {
                    final int flags = (i == 0 ? 1 : 0) | (i == n - 1 ? 2 : 0);
                    l.add("sensor-" + k + "," + flags + "," + (float)(0.5 + 0.4 * Math.sin(0.07 * i + phase) + 0.05 * r.nextGaussian()));
                }
            }
            l.add(r.nextInt(l.size()), "sensor-" + k + ",0,not-a-number");
            l.add(r.nextInt(l.size()), "sensor-" + k + ",0,NaN");
            l.add(r.nextInt(l.size()), "sensor-" + k + ",9,0.5");
            lines.put("sensor-" + k, l);
        }
        lines.put("no-comma-at-all", List.of("no-comma-at-all"));
        final Path in = Files.createDirectories(tmp.resolve("in"));
        final List<List<String>> files = List.of(new ArrayList<>(), new ArrayList<>());
        final List<List<String>> queues = new ArrayList<>(lines.values());
        final int[] next = new int[queues.size()];
        int left = lines.values().stream().mapToInt(List::size).sum();
        while (left > 0)
        {
            final int q = r.nextInt(queues.size());
            if (next[q] < queues.get(q).size())
            {
                files.get(q % 2).add(queues.get(q).get(next[q]++));
                left--;
            }
        }
        Files.write(in.resolve("a.csv"), files.get(0));
        Files.write(in.resolve("b.csv"), files.get(1));

        final ModelSpec spec = ModelSpec.load(model, autonomousAfter, "fused", "deferred");
        final Path out = tmp.resolve("out");
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
            ScaleOutJob.configuration(100, backend, tmp.resolve("checkpoints").toUri().toString(), 0, 0));
        env.setParallelism(2);
        ScaleOutJob.fileSinks(ScaleOutJob.models(ScaleOutJob.files(env, in.toString()), spec), out.toString());
        cluster.await(cluster.submit(env), 300);

        final Map<String, TreeMap<Long, String>> got = Committed.byKey(Committed.lines(out.resolve(ScaleOutJob.OUTPUTS)));
        assertEquals(lines.keySet(), got.keySet());
        int rejected = 0;
        for (final Map.Entry<String, List<String>> e : lines.entrySet())
        {
            final List<Sample> samples = e.getValue().stream().map(Records::parse).toList();
            rejected += (int)samples.stream().filter(s -> s.error != null).count();
            final List<String> expected = Reference.streamRun(model, e.getKey(), samples, tmp.resolve("ref-" + e.getKey()), autonomousAfter);
            assertEquals(samples.size(), expected.size());
            Committed.assertSame(expected, new ArrayList<>(got.get(e.getKey()).values()), e.getKey());
        }
        final List<String> side = Committed.lines(out.resolve(ScaleOutJob.REJECTED));
        assertEquals(rejected, side.size(), "every malformed record on the side output: " + side);
        assertTrue(side.stream().anyMatch(l -> l.startsWith("sensor-0,") && l.contains("'not-a-number' is not a number")), side.toString());
        assertTrue(side.stream().anyMatch(l -> l.startsWith("no-comma-at-all,0,expected key")), side.toString());
    }
}
