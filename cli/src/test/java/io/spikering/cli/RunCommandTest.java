package io.spikering.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.spikering.core.energy.EnergyProfiles;
import io.spikering.core.lmu.LmuEvaluation;
import io.spikering.core.lmu.LmuFile;
import io.spikering.core.lmu.LmuModelNetwork.MemoryMode;
import io.spikering.neuron.Activation;
import io.spikering.training.LmuExport;
import io.spikering.training.LmuSpec;
import io.spikering.training.MemoryMatrices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunCommandTest
{
    @TempDir
    Path dir;

    Path tinyModel() throws IOException
    {
        final LmuSpec spec = new LmuSpec(8, 20.0, true, 30, 4, 12, Activation.TANH, 3);
        final Random rnd = new Random(2);
        final MemoryMatrices mm = MemoryMatrices.of(spec);
        final Map<String, float[]> t = new LinkedHashMap<>();
        final float[] a = new float[64];
        for (int i = 0; i < 8; i++)
        {
            System.arraycopy(mm.a()[i], 0, a, i * 8, 8);
        }
        t.put("lmu.memory.A", a);
        t.put("lmu.memory.B", mm.b());
        t.put("lmu.memory.input_encoder", new float[] {1});
        t.put("lmu.hidden.memory_kernel", random(rnd, 8 * 12));
        t.put("lmu.hidden.input_kernel", random(rnd, 12));
        t.put("lmu.hidden.bias", random(rnd, 12));
        t.put("readout.kernel", random(rnd, 36));
        t.put("readout.bias", random(rnd, 3));
        final Path p = dir.resolve("tiny.safetensors");
        LmuFile.create(LmuExport.architecture(spec, true, 2.0, 1.0), t, Map.of()).write(p);
        return p;
    }

    private static float[] random(final Random rnd, final int n)
    {
        final float[] v = new float[n];
        for (int i = 0; i < n; i++)
        {
            v[i] = (float)rnd.nextGaussian();
        }
        return v;
    }

    static LmuEvaluation.Samples samples(final int count, final int steps)
    {
        final Random rnd = new Random(4);
        final float[][] x = new float[count][steps];
        final int[] y = new int[count];
        for (int i = 0; i < count; i++)
        {
            for (int t = 0; t < steps; t++)
            {
                x[i][t] = rnd.nextDouble() < 0.8 ? 0 : rnd.nextInt(256) / 255f;
            }
            y[i] = rnd.nextInt(3);
        }
        return new LmuEvaluation.Samples()
        {
            public int size()
            {
                return count;
            }

            public int label(final int sample)
            {
                return y[sample];
            }

            public void copy(final int sample, final float[] dst)
            {
                System.arraycopy(x[sample], 0, dst, 0, dst.length);
            }
        };
    }

    @Test
    void reportHasTheDocumentedKeysAndFiles() throws IOException
    {
        final LmuFile m = LmuFile.load(tinyModel());
        final RunReport r = RunCommand.run(m, samples(40, 30), 40, 2, Double.NaN, MemoryMode.FILTER, EnergyProfiles.builtIn(), false, 5);
        final JsonObject o = JsonParser.parseString(r.jsonText()).getAsJsonObject();
        for (final String key : new String[] {"accuracy", "samples", "synops", "macs", "mean_activity_bits", "mean_significant_bits", "energy",
            "samples_per_second", "non_spiking", "layers", "ops"})
        {
            assertTrue(o.has(key), key);
        }
        assertEquals(40, o.get("samples").getAsInt());
        assertEquals(EnergyProfiles.NAMES.size(), o.getAsJsonObject("energy").size());
        assertTrue(o.get("synops").getAsDouble() > 0);
        assertEquals(0.0, o.getAsJsonObject("non_spiking").get("synops").getAsDouble());
        // spiking and non-spiking runs share the memory: same memory MACs
        assertEquals(o.getAsJsonObject("layers").getAsJsonObject("memory").get("macs_effective").getAsDouble(),
            o.getAsJsonObject("non_spiking").getAsJsonObject("layers").getAsJsonObject("memory").get("macs_effective").getAsDouble());
        // NeuroBench metrics by hand: 232 float32 tensor entries; connection layers encoder 1x1 (30 steps), W_m 8x12 and
        // W_x 1x12 (4 window steps), W_out 12x3 (4 readout steps); Gaussian weights, no zeros; 12 sigma-delta units x 4 steps
        final JsonObject nb = o.getAsJsonObject("neurobench");
        assertEquals(4 * 232, nb.get("Footprint").getAsLong());
        assertEquals(0.0, nb.get("ConnectionSparsity").getAsDouble());
        assertEquals(30 + 4 * 96 + 4 * 12 + 4 * 36, nb.getAsJsonObject("SynapticOperations").get("Dense").getAsDouble());
        assertEquals(12 * 4, nb.get("MembraneUpdates").getAsDouble());
        final JsonObject syn = nb.getAsJsonObject("SynapticOperations");
        final JsonObject ops = o.getAsJsonObject("ops");
        // effective = every projection's row adds and MACs, not the memory's own; the "memory" layer also holds the
        // encoder's MACs (one per non-zero pixel, at most 30), which NeuroBench counts
        final double encoder = syn.get("Effective_MACs").getAsDouble() + syn.get("Effective_ACs").getAsDouble()
            - (ops.get("row_adds").getAsDouble() + ops.get("macs_effective").getAsDouble()
            - o.getAsJsonObject("layers").getAsJsonObject("memory").get("macs_effective").getAsDouble());
        assertTrue(encoder > 0 && encoder <= 30, "encoder MACs per sample " + encoder);
        assertEquals(0.0, o.getAsJsonObject("non_spiking").getAsJsonObject("neurobench").get("MembraneUpdates").getAsDouble());
        final String table = r.table();
        assertTrue(table.contains("estimate") && table.contains("loihi") && table.contains("non-spiking"), table);
        assertTrue(table.contains("SynapticOperations Effective_ACs") && table.contains("ActivationSparsity"), table);
        r.write(dir.resolve("report"));
        for (final String f : new String[] {"report.md", "report.json", "ops-per-layer.png", "count-histogram.png", "raster.png"})
        {
            assertTrue(Files.size(dir.resolve("report").resolve(f)) > 100, f);
        }
    }

    @Test
    void runsARecurrentModelWithTheRecurrenceMemory() throws IOException
    {
        final LmuSpec spec = new LmuSpec(8, 20.0, true, 30, 2, 12, Activation.TANH, 3);
        final io.spikering.training.RecurrentLmu.Options options = io.spikering.training.RecurrentLmu.Options.kerasPsMnist();
        final double[] init = new io.spikering.training.RecurrentLmu(spec, options, 1).initialize(3);
        final float[] p = new float[init.length];
        for (int i = 0; i < p.length; i++)
        {
            p[i] = (float)(2.0 * init[i]);
        }
        final Path file = dir.resolve("rec.safetensors");
        new io.spikering.training.RecurrentModel(spec, options, 1, p, true, 2.0, Map.of()).write(file);
        final LmuFile m = LmuFile.load(file);
        final RunReport r = RunCommand.run(m, samples(20, 30), 20, 2, Double.NaN, MemoryMode.RECURRENCE, EnergyProfiles.builtIn(), false, 0);
        final JsonObject o = JsonParser.parseString(r.jsonText()).getAsJsonObject();
        assertEquals(20, o.get("samples").getAsInt());
        assertTrue(o.get("mean_activity_bits").getAsDouble() > 0);
        // per inference the hidden layer runs all 30 steps (12 units each), not only the readout window
        assertEquals(30 * 12, o.getAsJsonObject("layers").getAsJsonObject("hidden").get("neuron_updates").getAsDouble());
        r.write(dir.resolve("rec-report"));
        assertTrue(Files.size(dir.resolve("rec-report").resolve("raster.png")) > 100);
        final IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> RunCommand.run(m, samples(20, 30), 20, 2, Double.NaN, MemoryMode.FILTER, EnergyProfiles.builtIn(), false, 0));
        assertTrue(e.getMessage().contains("--memory recurrence"), e.getMessage());
        // without --memory, run and sweep pick the recurrence for a recurrent file and 'filter' for a feed-forward one
        final ModelRunOptions defaults = new ModelRunOptions();
        new picocli.CommandLine(defaults).parseArgs("--model", file.toString());
        assertEquals(MemoryMode.RECURRENCE, defaults.memoryMode(m));
        assertEquals(MemoryMode.RECURRENCE, defaults.baselineMemoryMode(m));
        assertEquals(MemoryMode.FILTER, defaults.memoryMode(LmuFile.load(tinyQuantizedMemoryModel())));
    }

    Path tinyQuantizedMemoryModel() throws IOException
    {
        final LmuSpec spec = new LmuSpec(8, 20.0, true, 30, 4, 12, Activation.TANH, 3);
        final Random rnd = new Random(5);
        final Map<String, float[]> t = new LinkedHashMap<>(LmuExport.tensors(MemoryMatrices.of(spec), random(rnd, 8 * 12), random(rnd, 12),
            random(rnd, 12), random(rnd, 36), random(rnd, 3)));
        final float[] gain = new float[8];
        java.util.Arrays.fill(gain, 4.0f);
        t.put(LmuFile.MEMORY_QUANTIZER_GAIN, gain);
        t.put(LmuFile.MEMORY_QUANTIZER_OFFSET, random(rnd, 8));
        final LmuFile.Architecture a = LmuExport.architecture(spec, true, 2.0, 1.0);
        final Path p = dir.resolve("tiny-qmem.safetensors");
        LmuFile.create(new LmuFile.Architecture(a.order(), a.theta(), a.zoh(), a.steps(), a.window(), a.hidden(), a.activation(), a.classes(),
            true, 2.0, 1.0, true, 1.0), t, Map.of()).write(p);
        return p;
    }

    @Test
    void quantizedMemoryIsReportedAndItsEventsCostRowAddsNotMacs() throws IOException
    {
        final LmuFile m = LmuFile.load(tinyQuantizedMemoryModel());
        final RunReport r = RunCommand.run(m, samples(40, 30), 40, 2, Double.NaN, 0.5, MemoryMode.FILTER, MemoryMode.FUSED,
            EnergyProfiles.builtIn(), false, 0);
        final JsonObject o = JsonParser.parseString(r.jsonText()).getAsJsonObject();
        assertTrue(o.get("memory_quantized").getAsBoolean());
        assertEquals(0.5, o.get("memory_dt").getAsDouble());
        assertTrue(o.get("memory_activity_bits").getAsDouble() > 0);
        assertEquals("fused", o.getAsJsonObject("non_spiking").get("memory_mode").getAsString());
        final JsonObject layers = o.getAsJsonObject("layers");
        final JsonObject memoryQ = layers.getAsJsonObject("memory_quantizer");
        final JsonObject hidden = layers.getAsJsonObject("hidden");
        assertTrue(memoryQ.get("events").getAsDouble() > 0);
        // every memory event adds one row of 12 non-zero W_m weights; the hidden layer's only MACs are W_x's (<= 12 per window step)
        assertEquals(12 * memoryQ.get("events").getAsDouble(), hidden.get("row_adds").getAsDouble(), 1e-9);
        assertTrue(hidden.get("macs_effective").getAsDouble() <= 4 * 12, hidden.toString());
        // the gain projection (memory -> quantizer, dense source) costs one MAC per memory dimension and window step
        assertEquals(4 * 8, memoryQ.get("macs_effective").getAsDouble(), 1e-9);
        final String table = r.table();
        assertTrue(table.contains("memory activity bits") && table.contains("dt_m 0.5") && table.contains("baseline: fused"), table);
        final IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> RunCommand.run(m, samples(2, 30), 2, 1, Double.NaN, Double.NaN, MemoryMode.FUSED, MemoryMode.FUSED, EnergyProfiles.builtIn(), false, 0));
        assertTrue(e.getMessage().contains("'fused'") && e.getMessage().contains("'filter'"), e.getMessage());
    }

    @Test
    void encoderOptionsRunTheSameFileWithEitherRule() throws IOException
    {
        final Path file = tinyQuantizedMemoryModel();
        final ModelRunOptions o = new ModelRunOptions();
        new picocli.CommandLine(o).parseArgs("--model", file.toString(), "--encoder", "delta", "--threshold", "0.5", "--memory-encoder", "delta");
        final LmuFile delta = o.loadModel();
        assertEquals(new LmuFile.Encoding(true, 0.5, true, 1.0), delta.encoding());
        assertEquals(file, delta.source());
        final RunReport r = RunCommand.run(delta, samples(40, 30), 40, 2, Double.NaN, MemoryMode.FILTER, EnergyProfiles.builtIn(), false, 0);
        assertTrue(r.table().contains("hidden units delta-encoded") && r.table().contains("memory output delta-encoded"), r.table());
        final JsonObject layers = JsonParser.parseString(r.jsonText()).getAsJsonObject().getAsJsonObject("layers");
        assertTrue(layers.getAsJsonObject("hidden").get("events").getAsDouble() > 0);
        // the file's own rule without the options
        final ModelRunOptions plain = new ModelRunOptions();
        new picocli.CommandLine(plain).parseArgs("--model", file.toString());
        assertEquals(LmuFile.Encoding.SIGMA_DELTA, plain.loadModel().encoding());
        for (final String[] bad : new String[][] {{"--encoder", "loihi"}, {"--threshold", "2"}, {"--encoder", "delta", "--threshold", "-1"}})
        {
            final ModelRunOptions b = new ModelRunOptions();
            final String[] args = new String[bad.length + 2];
            args[0] = "--model";
            args[1] = file.toString();
            System.arraycopy(bad, 0, args, 2, bad.length);
            new picocli.CommandLine(b).parseArgs(args);
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, b::loadModel, String.join(" ", bad));
        }
        final ModelRunOptions noMemory = new ModelRunOptions();
        new picocli.CommandLine(noMemory).parseArgs("--model", tinyModel().toString(), "--memory-encoder", "delta");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, noMemory::loadModel);
    }

    static String[] runCli(final String... args)
    {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final ByteArrayOutputStream o = new ByteArrayOutputStream();
        final ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try
        {
            final int code = Main.run(args);
            return new String[] {Integer.toString(code), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
        }
        finally
        {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void aBatchOutOfRangeIsRefused() throws IOException
    {
        final String[] r = runCli("run", "--model", tinyModel().toString(), "--batch", "0");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--batch") && r[2].contains("got 0"), r[2]);
    }

    @Test
    void badInputGetsClearErrors() throws IOException
    {
        String[] r = runCli("run", "--model", dir.resolve("absent.safetensors").toString(), "--dataset", "psmnist");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("absent.safetensors") && r[2].contains("train"), r[2]);
        r = runCli("run", "--model", tinyModel().toString(), "--dataset", "cifar");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--dataset"), r[2]);
        r = runCli("run", "--model", tinyModel().toString(), "--data", dir.resolve("no-mnist").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("data fetch mnist"), r[2]);
        r = runCli("sweep", "--model", tinyModel().toString(), "--dt", "1,-2");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--dt"), r[2]);
        r = runCli("mackey-glass", "evaluate", "--repeats", "1", "--tau", "17,31");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--tau") && r[2].contains("17..30") && r[2].contains("31"), r[2]);
        r = runCli("mackey-glass", "evaluate", "--repeats", "1", "--tau", "x");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--tau: 'x'") && r[2].contains("'all'"), r[2]);
    }
}
