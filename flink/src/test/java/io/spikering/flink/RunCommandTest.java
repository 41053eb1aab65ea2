package io.spikering.flink;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunCommandTest
{
    private static final String MODEL = Path.of("..", "models", "mackey-glass-lmu.safetensors").toString();

    @TempDir
    Path tmp;

    @Test
    void localRunOfGeneratedKeysCommitsOneOutputPerSampleEqualToTheEngine() throws Exception
    {
        final Path out = tmp.resolve("out");
        assertEquals(0, FlinkMain.run("run", "--local", "--model", MODEL, "--generate", "mackey-glass", "--keys", "3", "--steps", "40",
            "--parallelism", "2", "--checkpoint-ms", "100", "--out", out.toString()));
        final Map<String, TreeMap<Long, String>> got = Committed.byKey(Committed.lines(out.resolve(ScaleOutJob.OUTPUTS)));
        assertEquals(List.of("sensor-0", "sensor-1", "sensor-2"), List.copyOf(got.keySet()));
        final float[][] series = Generator.mackeyGlass();
        final ModelSpec spec = ModelSpec.load(Path.of(MODEL), -1, "fused", "deferred");
        for (int k = 0; k < 3; k++)
        {
            final List<Sample> samples = new java.util.ArrayList<>();
            for (int t = 0; t < 40; t++)
            {
                samples.add(Sample.of("sensor-" + k, t == 0 ? 1 : 0, series[k][t], 0));
            }
            Committed.assertSame(Reference.direct(spec, "sensor-" + k, samples), List.copyOf(got.get("sensor-" + k).values()), "sensor-" + k);
        }
    }

    @Test
    void badInputIsRefusedWithExitCode2AndAMessage()
    {
        assertEquals(2, quiet("run", "--model", tmp.resolve("missing.safetensors").toString(), "--generate", "mackey-glass", "--out", "x"),
            "missing model");
        assertEquals(2, quiet("run", "--model", MODEL, "--input", tmp.resolve("none.csv").toString(), "--out", "x"), "missing input");
        assertEquals(2, quiet("run", "--model", MODEL, "--input", "a.csv", "--generate", "mackey-glass", "--out", "x"), "two sources");
        assertEquals(2, quiet("run", "--model", MODEL, "--generate", "sine", "--out", "x"), "unknown generator");
        assertEquals(2, quiet("run", "--model", MODEL, "--generate", "mackey-glass", "--state-backend", "memory", "--out", "x"), "backend");
        assertEquals(2, quiet("run", "--model", MODEL, "--kafka-bootstrap", "localhost:9092", "--out", "x"), "kafka without topic");
    }

    @Test
    void theKafkaJobGraphBuildsWithoutABroker() throws Exception
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
            ScaleOutJob.configuration(1000, "rocksdb", tmp.toUri().toString(), 3, 100));
        ScaleOutJob.fileSinks(ScaleOutJob.models(ScaleOutJob.kafka(env, "broker:9092", "samples", "spikering", true),
            ModelSpec.load(Path.of(MODEL), -1, "fused", "deferred")), tmp.resolve("out").toUri().toString());
        final StreamGraph graph = env.getStreamGraph();
        final String names = graph.getStreamNodes().stream().map(StreamNode::getOperatorName).toList().toString();
        assertTrue(names.contains("kafka samples") && names.contains("model mackey-glass-lmu.safetensors") && names.contains("outputs") &&
            names.contains("rejected"), names);
    }

    private static int quiet(final String... args)
    {
        final PrintStream err = System.err;
        final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try
        {
            return FlinkMain.run(args);
        }
        finally
        {
            System.setErr(err);
            final String text = buffer.toString(StandardCharsets.UTF_8);
            assertTrue(!text.contains("\tat "), "no stack trace: " + text);
        }
    }
}
