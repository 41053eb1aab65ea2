package io.spikering.flink;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The scale-out job's pieces: sources of {@link Sample}s (files, Kafka, the benchmark {@link Generator}), the keyed
 * model operator ({@link ModelFunction}) and the exactly-once file sinks (Flink's two-phase-commit {@link FileSink}:
 * part files become visible only when the checkpoint that covers them completes).
 */
public final class ScaleOutJob
{
    /** Sub-directories of the output directory. */
    public static final String OUTPUTS = "outputs";
    public static final String REJECTED = "rejected";

    private ScaleOutJob()
    {
    }

    /**
     * The job's configuration: exactly-once checkpoints every {@code checkpointMillis} into {@code checkpointDir}, the
     * {@code hashmap} (default) or {@code rocksdb} state backend, restarts with a fixed delay.
     */
    public static Configuration configuration(final long checkpointMillis, final String stateBackend, final String checkpointDir,
        final int restartAttempts, final long restartDelayMillis)
    {
        if (!stateBackend.equals("hashmap") && !stateBackend.equals("rocksdb"))
        {
            throw new IllegalArgumentException("--state-backend must be hashmap or rocksdb, got " + stateBackend);
        }
        if (checkpointMillis < 10)
        {
            throw new IllegalArgumentException("--checkpoint-ms must be >= 10 (the sink commits outputs at checkpoints), got " + checkpointMillis);
        }
        final Configuration c = new Configuration();
        c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(checkpointMillis));
        c.set(StateBackendOptions.STATE_BACKEND, stateBackend);
        c.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir);
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, restartAttempts);
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(restartDelayMillis));
        return c;
    }

    /** Text records ({@link Records}) from a file or every file under a directory; each file is read in order by one reader. */
    public static DataStream<Sample> files(final StreamExecutionEnvironment env, final String path)
    {
        final FileSource<String> source = FileSource.forRecordStreamFormat(new TextLineInputFormat(), new Path(path)).build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "records " + path).map(new Parse()).name("parse");
    }

    /**
     * Text records ({@link Records}) from a Kafka topic, from the earliest offset; {@code bounded}: up to the offsets
     * that are latest when the job starts. Producers should key the messages by stream id, so one key stays in one
     * partition and in order.
     */
    public static DataStream<Sample> kafka(final StreamExecutionEnvironment env, final String bootstrap, final String topic,
        final String group, final boolean bounded)
    {
        final var builder = KafkaSource.<String>builder().setBootstrapServers(bootstrap).setTopics(topic).setGroupId(group)
            .setStartingOffsets(OffsetsInitializer.earliest()).setValueOnlyDeserializer(new SimpleStringSchema());
        if (bounded)
        {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return env.fromSource(builder.build(), WatermarkStrategy.noWatermarks(), "kafka " + topic).map(new Parse()).name("parse");
    }

    /**
     * {@code records} generated samples ({@link Generator}), paced by {@code rate}. One reader: a parallel generator
     * splits the record range into contiguous blocks, which would hand one key's early and late steps to different
     * readers and lose their order.
     */
    public static DataStream<Sample> generated(final StreamExecutionEnvironment env, final Generator generator, final long records,
        final RateLimiterStrategy rate)
    {
        return env.fromSource(new DataGeneratorSource<>(generator, records, rate, TypeInformation.of(Sample.class)),
            WatermarkStrategy.noWatermarks(), "generator").setParallelism(1);
    }

    /** One network per key: the keyed model operator. Its {@link ModelFunction#REJECTED} side output holds malformed records. */
    public static SingleOutputStreamOperator<Output> models(final DataStream<Sample> samples, final ModelSpec spec)
    {
        return samples.keyBy(new ByKey(), Types.STRING).process(new ModelFunction(spec), TypeInformation.of(Output.class))
            .name("model " + spec.name()).uid("model");
    }

    /** Outputs to {@code dir/outputs}, rejected records to {@code dir/rejected}, committed exactly once at checkpoints. */
    public static void fileSinks(final SingleOutputStreamOperator<Output> models, final String dir)
    {
        fileSinks(models, models.getSideOutput(ModelFunction.REJECTED), dir);
    }

    /** As {@link #fileSinks(SingleOutputStreamOperator, String)} for outputs that pass further operators first. */
    public static void fileSinks(final DataStream<Output> outputs, final DataStream<Rejected> rejected, final String dir)
    {
        outputs.sinkTo(sink(dir + "/" + OUTPUTS, new OutputLines())).name("outputs").uid("outputs");
        rejected.sinkTo(sink(dir + "/" + REJECTED, new RejectedLines())).name("rejected").uid("rejected");
    }

    private static <T> FileSink<T> sink(final String dir, final Encoder<T> encoder)
    {
        return FileSink.forRowFormat(new Path(dir), encoder).withRollingPolicy(OnCheckpointRollingPolicy.build())
            .withBucketAssigner(new BasePathBucketAssigner<>())
            .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("part").withPartSuffix(".csv").build()).build();
    }

    static final class Parse implements MapFunction<String, Sample>
    {
        private static final long serialVersionUID = 1L;

        public Sample map(final String line)
        {
            return Records.parse(line);
        }
    }

    static final class ByKey implements KeySelector<Sample, String>
    {
        private static final long serialVersionUID = 1L;

        public String getKey(final Sample s)
        {
            return s.key;
        }
    }

    static final class OutputLines implements Encoder<Output>
    {
        private static final long serialVersionUID = 1L;

        public void encode(final Output o, final OutputStream stream) throws IOException
        {
            stream.write((o.line() + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    static final class RejectedLines implements Encoder<Rejected>
    {
        private static final long serialVersionUID = 1L;

        public void encode(final Rejected r, final OutputStream stream) throws IOException
        {
            stream.write((r.line() + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
