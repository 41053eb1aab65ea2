package io.spikering.flink;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code spikering flink run}: the scale-out job. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run a network per key on Flink: records key,flags,value from files, Kafka or the generator; outputs and rejected " +
        "records committed exactly once under OUT (docs/scale-out.md).")
final class RunCommand implements Callable<Integer>
{
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model file, any that 'stream run' accepts.")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input
    {
        @Option(names = "--input", paramLabel = "PATH", description = "A file, or a directory of files, of key,flags,value lines " +
            "(all records of a key in one file, in order); a cluster path (shared file system, s3://...) on a cluster.")
        String files;

        @Option(names = "--generate", paramLabel = "mackey-glass|psmnist", description = "Generated samples for --keys keys (benchmarks).")
        String generate;

        @Option(names = "--kafka-bootstrap", paramLabel = "HOST:PORT", description = "Kafka brokers; the topic's messages are key,flags,value records.")
        String kafka;
    }

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory: outputs/ and rejected/ part files.")
    String out;

    @Option(names = "--local", description = "Run on an embedded MiniCluster in this JVM (what happens outside 'flink run' anyway).")
    boolean local;

    @Option(names = "--parallelism", defaultValue = "1", paramLabel = "N", description = "Parallel model instances (default ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--checkpoint-ms", defaultValue = "1000", paramLabel = "MS",
        description = "Checkpoint interval; outputs are committed at checkpoints (default ${DEFAULT-VALUE}).")
    long checkpointMillis;

    @Option(names = "--checkpoint-dir", paramLabel = "URI", description = "Checkpoint storage (default: OUT/checkpoints).")
    String checkpointDir;

    @Option(names = "--state-backend", defaultValue = "hashmap", paramLabel = "hashmap|rocksdb",
        description = "Keyed state on the heap (default) or in RocksDB on local disk (many keys).")
    String stateBackend;

    @Option(names = "--restarts", defaultValue = "10", paramLabel = "N", description = "Restarts after a failure before giving up (default ${DEFAULT-VALUE}).")
    int restarts;

    @Option(names = "--keys", defaultValue = "1000", paramLabel = "N", description = "--generate: number of keys (default ${DEFAULT-VALUE}).")
    int keys;

    @Option(names = "--steps", defaultValue = "1500", paramLabel = "N", description = "--generate: samples per key (default ${DEFAULT-VALUE}).")
    long steps;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "HZ", description = "--generate: samples per second, all keys (0 = unpaced).")
    double rate;

    @Option(names = "--permutation-seed", defaultValue = "0", paramLabel = "SEED", description = "--generate psmnist: pixel permutation seed.")
    long permutationSeed;

    @Option(names = "--kafka-topic", paramLabel = "TOPIC", description = "Kafka topic (with --kafka-bootstrap).")
    String topic;

    @Option(names = "--kafka-group", defaultValue = "spikering", paramLabel = "ID", description = "Kafka consumer group (default ${DEFAULT-VALUE}).")
    String group;

    @Option(names = "--kafka-bounded", description = "Stop at the offsets that are latest when the job starts (default: run until cancelled).")
    boolean bounded;

    @Option(names = "--autonomous-after", defaultValue = "-1", paramLabel = "K", description = "As 'stream run --autonomous-after'.")
    int autonomousAfter;

    @Option(names = "--memory-mode", defaultValue = "fused", paramLabel = "recurrence|filter|fused", description = "As 'stream run'.")
    String memoryMode;

    @Option(names = "--memory-schedule", defaultValue = io.spikering.core.stream.StreamRunner.DEFAULT_MEMORY_SCHEDULE, paramLabel = "eager|deferred",
        description = "As 'stream run' (default ${DEFAULT-VALUE}).")
    String memorySchedule;

    public Integer call() throws Exception
    {
        if (parallelism < 1 || parallelism > 1024)
        {
            throw new IllegalArgumentException("--parallelism must be in [1, 1024], got " + parallelism);
        }
        if (input.kafka != null && topic == null)
        {
            throw new IllegalArgumentException("--kafka-bootstrap needs --kafka-topic");
        }
        if (input.generate == null && (rate != 0 || steps != 1500 || keys != 1000))
        {
            throw new IllegalArgumentException("--keys, --steps and --rate apply to --generate only");
        }
        if (steps < 1 || rate < 0)
        {
            throw new IllegalArgumentException("--steps must be >= 1 and --rate >= 0");
        }
        if (input.files != null && !input.files.contains("://") && !Files.exists(Path.of(input.files)))
        {
            throw new IllegalArgumentException("--input " + input.files + ": no such file or directory");
        }
        final ModelSpec spec = ModelSpec.load(model, autonomousAfter, memoryMode, memorySchedule);
        if ("psmnist".equals(input.generate))
        {
            // the readers load it again on the task managers; a missing data set fails here, once, not in every restart
            try
            {
                io.spikering.core.data.PsMnist.load(io.spikering.core.data.MnistDataset.defaultCacheDir(), permutationSeed);
            }
            catch (final IOException e)
            {
                throw new IllegalArgumentException("--generate psmnist needs MNIST (./spikering data fetch mnist): " + e.getMessage(), e);
            }
        }
        final String checkpoints = checkpointDir != null ? checkpointDir : uri(out) + "/checkpoints";
        final Configuration conf = ScaleOutJob.configuration(checkpointMillis, stateBackend, checkpoints, restarts, 1000);
        final StreamExecutionEnvironment env = local ? StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf) :
            StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        final DataStream<Sample> samples;
        if (input.files != null)
        {
            samples = ScaleOutJob.files(env, uri(input.files));
        }
        else if (input.generate != null)
        {
            samples = ScaleOutJob.generated(env, new Generator(input.generate, keys, permutationSeed), keys * steps,
                rate > 0 ? RateLimiterStrategy.perSecond(rate) : RateLimiterStrategy.noOp());
        }
        else
        {
            samples = ScaleOutJob.kafka(env, input.kafka, topic, group, bounded);
        }
        ScaleOutJob.fileSinks(ScaleOutJob.models(samples, spec), uri(out));
        final JobExecutionResult result = env.execute("spikering " + spec.name());
        System.out.printf(Locale.ROOT, "job %s finished in %.1f s: outputs in %s/%s, rejected records in %s/%s%n", result.getJobID(),
            result.getNetRuntime() / 1e3, out, ScaleOutJob.OUTPUTS, out, ScaleOutJob.REJECTED);
        if (!out.contains("://"))
        {
            System.out.printf(Locale.ROOT, "committed: %d outputs, %d rejected records%n", lines(Path.of(out, ScaleOutJob.OUTPUTS)),
                lines(Path.of(out, ScaleOutJob.REJECTED)));
        }
        return 0;
    }

    /** A local directory as a file: URI (Flink's paths take URIs; a bare path would be resolved against the cluster's default FS). */
    private static String uri(final String dir)
    {
        return dir.contains("://") ? dir : Path.of(dir).toAbsolutePath().toUri().toString().replaceAll("/$", "");
    }

    /** Lines in the committed (not dot-prefixed) part files under {@code dir}. */
    static long lines(final Path dir) throws IOException
    {
        if (!Files.isDirectory(dir))
        {
            return 0;
        }
        long n = 0;
        try (var files = Files.walk(dir))
        {
            for (final Path f : files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).toList())
            {
                try (var l = Files.lines(f))
                {
                    n += l.count();
                }
            }
        }
        return n;
    }
}
