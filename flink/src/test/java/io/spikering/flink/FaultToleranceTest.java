package io.spikering.flink;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Failures at seeded random points (exceptions in the model's operator chain; task managers lost) while the job
 * checkpoints every N records per source reader; afterwards every input's output is committed exactly once and equals
 * the failure-free outputs (the engine stepped directly, one model per key, which {@link EquivalenceTest} ties to
 * {@code stream run}).
 */
class FaultToleranceTest
{
    private static final Path MODEL = Path.of("..", "models", "mackey-glass-lmu.safetensors");

    /** Records through the model operator over all attempts, and the injected-failure schedule (shared with the tasks). */
    static final AtomicLong SEEN = new AtomicLong();
    static final AtomicInteger FIRED = new AtomicInteger();
    static volatile long[] failAt = new long[0];

    @TempDir
    Path tmp;

    @Test
    void twelveExceptionsInTheModelOperatorChainOnTheHeapBackend() throws Exception
    {
        final int keys = 8;
        final long records = keys * 400L;
        final SplittableRandom r = new SplittableRandom(17);
        failAt = r.longs(12, 1, records).sorted().toArray();
        try (Cluster cluster = new Cluster(2))
        {
            final JobID job = cluster.submit(job(keys, records, "hashmap"));
            cluster.await(job, 300);
        }
        assertEquals(12, FIRED.get(), "injected failures at records " + Arrays.toString(failAt));
        verify(keys, records);
    }

    @Test
    void eightTaskManagersLostOnRocksDb() throws Exception
    {
        final int keys = 8;
        final long records = keys * 700L;
        failAt = new long[0];
        final SplittableRandom r = new SplittableRandom(29);
        int kills = 0;
        try (Cluster cluster = new Cluster(2))
        {
            final JobID job = cluster.submit(job(keys, records, "rocksdb"));
            final List<Integer> live = new ArrayList<>(List.of(0, 1));
            int next = 2;
            long seenAtKill = 0;
            while (kills < 8 && !cluster.mini.getJobStatus(job).get().isGloballyTerminalState())
            {
                final long due = seenAtKill + 100 + r.nextInt(500);
                if (SEEN.get() < due || cluster.mini.getJobStatus(job).get() != JobStatus.RUNNING)
                {
                    Thread.sleep(5);
                    continue;
                }
                final int victim = live.remove(r.nextInt(live.size()));
                cluster.mini.terminateTaskManager(victim).get(30, TimeUnit.SECONDS);
                cluster.mini.startTaskManager();
                live.add(next++);
                seenAtKill = SEEN.get();
                kills++;
            }
            cluster.await(job, 300);
        }
        assertEquals(8, kills, "task managers lost before the job ended");
        verify(keys, records);
    }

    private StreamExecutionEnvironment job(final int keys, final long records, final String backend) throws Exception
    {
        SEEN.set(0);
        FIRED.set(0);
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
            ScaleOutJob.configuration(50, backend, tmp.resolve("checkpoints").toUri().toString(), 1000, 10));
        env.setParallelism(2);
        final ModelSpec spec = ModelSpec.load(MODEL, -1, "fused", "deferred");
        // the source emits 100 records, then waits for the next checkpoint: a checkpoint every 100 records
        final DataStream<Sample> samples = ScaleOutJob.generated(env, new Generator("mackey-glass", keys, 0), records,
            RateLimiterStrategy.perCheckpoint(100));
        final SingleOutputStreamOperator<Output> models = ScaleOutJob.models(samples, spec);
        ScaleOutJob.fileSinks(models.map(new Inject()).name("inject"), models.getSideOutput(ModelFunction.REJECTED),
            tmp.resolve("out").toString());
        return env;
    }

    /** Counts records and throws at the scheduled counts (each once, over all attempts). */
    static final class Inject implements MapFunction<Output, Output>
    {
        public Output map(final Output o)
        {
            final long n = SEEN.incrementAndGet();
            final int i = FIRED.get();
            if (i < failAt.length && n >= failAt[i] && FIRED.compareAndSet(i, i + 1))
            {
                throw new IllegalStateException("injected failure " + (i + 1) + " at record " + n);
            }
            return o;
        }
    }

    private void verify(final int keys, final long records) throws Exception
    {
        final Generator g = new Generator("mackey-glass", keys, 0);
        g.open(null);
        final Map<String, List<Sample>> byKey = new TreeMap<>();
        for (long n = 0; n < records; n++)
        {
            final Sample s = g.map(n);
            byKey.computeIfAbsent(s.key, k -> new ArrayList<>()).add(s);
        }
        final Map<String, TreeMap<Long, String>> got = Committed.byKey(Committed.lines(tmp.resolve("out").resolve(ScaleOutJob.OUTPUTS)));
        assertEquals(byKey.keySet(), got.keySet());
        final ModelSpec spec = ModelSpec.load(MODEL, -1, "fused", "deferred");
        for (final Map.Entry<String, List<Sample>> e : byKey.entrySet())
        {
            Committed.assertSame(Reference.direct(spec, e.getKey(), e.getValue()), new ArrayList<>(got.get(e.getKey()).values()), e.getKey());
        }
        assertEquals(List.of(), Committed.lines(tmp.resolve("out").resolve(ScaleOutJob.REJECTED)));
    }
}
