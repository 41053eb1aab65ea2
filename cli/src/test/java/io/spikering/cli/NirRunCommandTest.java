package io.spikering.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.jetbrains.bio.npy.NpyArray;
import org.jetbrains.bio.npy.NpyFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code run} and {@code sweep} on a real NIR graph (Sinabs' N-MNIST CNN) with generated NumPy input, in-process. */
class NirRunCommandTest
{
    /** The interop module's copy of the NIR paper's fixture (tests run in the module directory). */
    static final Path CNN = Path.of("..", "interop", "src", "test", "resources", "nir", "cnn_sinabs.nir");

    static final int SAMPLES = 3;
    static final int STEPS = 12;

    @TempDir
    Path dir;

    private Path spikes(final String name, final int... perStep)
    {
        int features = 1;
        for (final int d : perStep)
        {
            features *= d;
        }
        final Random rnd = new Random(11);
        final float[] x = new float[SAMPLES * STEPS * features];
        for (int i = 0; i < x.length; i++)
        {
            x[i] = rnd.nextDouble() < 0.08 ? 1f : 0f;
        }
        final int[] shape = new int[2 + perStep.length];
        shape[0] = SAMPLES;
        shape[1] = STEPS;
        System.arraycopy(perStep, 0, shape, 2, perStep.length);
        final Path p = dir.resolve(name);
        NpyFile.write(p, x, shape);
        return p;
    }

    private Path labels()
    {
        final Path p = dir.resolve("y.npy");
        NpyFile.write(p, new long[] {3, 1, 4}, new int[] {SAMPLES});
        return p;
    }

    @Test
    void runsTheSinabsCnnEndToEnd() throws Exception
    {
        assertTrue(Files.isRegularFile(CNN), CNN.toAbsolutePath().toString());
        final Path x = spikes("x.npy", 2, 34, 34);
        final Path json = dir.resolve("out.json");
        final Path states = dir.resolve("states");
        final String[] r = RunCommandTest.runCli("run", "--model", CNN.toString(), "--input", x.toString(), "--labels", labels().toString(), "--dt", "1e-3",
            "--spikes", "impulse", "--reset", "subtract", "--threads", "2", "--json", json.toString(), "--report", dir.resolve("report").toString(),
            "--record-states", states.toString(), "--no-progress");
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("accuracy") && r[1].contains("synops") && r[1].contains("energy per inference"), r[1]);
        final JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals(SAMPLES, o.get("samples").getAsInt());
        assertEquals("impulse", o.get("spikes").getAsString());
        assertTrue(o.getAsJsonObject("ops").get("synops").getAsDouble() > 0);
        assertTrue(o.getAsJsonObject("energy").size() > 0);
        final JsonObject out = o.getAsJsonObject("nodes").getAsJsonObject("12");
        assertEquals("IF", out.get("type").getAsString());
        assertEquals("events", out.get("runs_as").getAsString());
        assertTrue(Files.isRegularFile(dir.resolve("report").resolve("report.md")));
        // the recorded spike traces agree with the reported spikes and the predictions (class = most output spikes)
        final NpyArray recorded = NpyFile.read(states.resolve("12.spikes.npy"), 1 << 16);
        assertArrayEquals(new int[] {SAMPLES, STEPS, 10}, recorded.getShape());
        final float[] s = recorded.asFloatArray();
        double total = 0;
        int correct = 0;
        final long[] labels = {3, 1, 4};
        for (int i = 0; i < SAMPLES; i++)
        {
            final double[] count = new double[10];
            for (int t = 0; t < STEPS; t++)
            {
                for (int k = 0; k < 10; k++)
                {
                    count[k] += s[(i * STEPS + t) * 10 + k];
                }
            }
            int best = 0;
            for (int k = 0; k < 10; k++)
            {
                best = count[k] > count[best] ? k : best;
                total += count[k];
            }
            assertEquals(best, o.getAsJsonArray("predictions").get(i).getAsInt(), "sample " + i);
            correct += best == labels[i] ? 1 : 0;
        }
        assertEquals(total / SAMPLES, out.get("spikes").getAsDouble(), 1e-9);
        assertEquals((double)correct / SAMPLES, o.get("accuracy").getAsDouble(), 1e-12);
        assertArrayEquals(new int[] {SAMPLES, STEPS, 16 * 16 * 16}, NpyFile.read(states.resolve("1.voltage.npy"), 1 << 16).getShape());
    }

    @Test
    void sweepsTheTimeStep() throws Exception
    {
        final Path out = dir.resolve("sweep");
        final String[] r = RunCommandTest.runCli("sweep", "--model", CNN.toString(), "--input", spikes("x.npy", 2, 34, 34).toString(), "--dt", "1e-3,2e-3",
            "--spikes", "impulse", "--threads", "1", "--out", out.toString(), "--no-progress");
        assertEquals("0", r[0], r[1] + r[2]);
        final List<String> lines = Files.readAllLines(out.resolve("sweep.csv"));
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(1).startsWith("0.001,") && lines.get(2).startsWith("0.002,"), String.join("\n", lines));
    }

    @Test
    void badInputGetsOneClearError() throws Exception
    {
        String[] r = RunCommandTest.runCli("run", "--model", CNN.toString(), "--input", spikes("narrow.npy", 2, 30, 34).toString(), "--dt", "1e-3", "--no-progress");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("narrow.npy") && r[2].contains("cnn_sinabs.nir") && r[2].contains("2312"), r[2]);
        assertTrue(!r[2].contains("\tat "), "no stack trace: " + r[2]);
        final Path flat = dir.resolve("flat.npy");
        NpyFile.write(flat, new float[12], new int[] {3, 4});
        r = RunCommandTest.runCli("run", "--model", CNN.toString(), "--input", flat.toString(), "--dt", "1e-3", "--no-progress");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("flat.npy") && r[2].contains("rank 2"), r[2]);
        r = RunCommandTest.runCli("run", "--model", CNN.toString(), "--input", flat.toString(), "--no-progress");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--dt"), r[2]);
        r = RunCommandTest.runCli("run", "--model", CNN.toString(), "--input", spikes("x.npy", 2, 34, 34).toString(), "--dt", "1e-3", "--memory", "fused");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--memory") && r[2].contains("NIR graph"), r[2]);
        r = RunCommandTest.runCli("run", "--model", CNN.toString(), "--input", spikes("x.npy", 2, 34, 34).toString(), "--dt", "1e-3", "--batch", "8");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--batch") && r[2].contains("NIR graph"), r[2]);
        r = RunCommandTest.runCli("run", "--model", CNN.toString(), "--input", spikes("x.npy", 2, 34, 34).toString(), "--dt", "1e-3", "--reset", "zero");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--reset 'zero'") && r[2].contains("subtract"), r[2]);
        final Path strings = dir.resolve("labels.npy");
        NpyFile.write(strings, new float[] {1, 2, 3}, new int[] {3});
        r = RunCommandTest.runCli("run", "--model", CNN.toString(), "--input", spikes("x.npy", 2, 34, 34).toString(), "--labels", strings.toString(), "--dt", "1e-3");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("labels.npy") && r[2].contains("integer"), r[2]);
    }
}
