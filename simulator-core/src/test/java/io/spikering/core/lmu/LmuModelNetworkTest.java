package io.spikering.core.lmu;

import com.google.gson.JsonObject;
import io.spikering.core.engine.OpCounter;
import io.spikering.core.engine.OpCounter.Op;
import io.spikering.core.engine.Simulator;
import io.spikering.core.lmu.LmuModelNetwork.MemoryMode;
import io.spikering.core.lmu.LmuModelNetwork.MemorySchedule;
import io.spikering.core.model.ModelFile;
import io.spikering.core.model.Tensor;
import io.spikering.neuron.BitMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class LmuModelNetworkTest
{
    @TempDir
    Path dir;

    private LmuFile write(final ModelFile mf) throws IOException
    {
        final Path p = dir.resolve("tiny.safetensors");
        mf.write(p);
        return LmuFile.load(p);
    }

    private String loadError(final ModelFile mf) throws IOException
    {
        final Path p = dir.resolve("bad.safetensors");
        mf.write(p);
        return assertThrows(IllegalArgumentException.class, () -> LmuFile.load(p)).getMessage();
    }

    @Test
    void validatesTheFile() throws IOException
    {
        final LmuFile ok = write(TinyLmu.file(1.0, 1));
        assertEquals(TinyLmu.ORDER, ok.order());
        assertEquals(TinyLmu.STEPS - TinyLmu.WINDOW, ok.hiddenFirstStep());

        final Map<String, Tensor> t = TinyLmu.tensors(1);
        String m = loadError(ModelFile.create(Map.of("architecture", TinyLmu.architecture(1.0).toString()), TinyLmu.without(t, LmuFile.READOUT_KERNEL)));
        assertTrue(m.contains("bad.safetensors") && m.contains("readout.kernel") && m.contains("[3, 2]"), m);

        final Map<String, Tensor> wrongShape = new LinkedHashMap<>(t);
        wrongShape.put(LmuFile.HIDDEN_MEMORY_KERNEL, Tensor.f32(LmuFile.HIDDEN_MEMORY_KERNEL, new int[] {TinyLmu.HIDDEN, TinyLmu.ORDER},
            new float[TinyLmu.ORDER * TinyLmu.HIDDEN]));
        m = loadError(TinyLmu.file(TinyLmu.architecture(1.0), wrongShape));
        assertTrue(m.contains("lmu.hidden.memory_kernel") && m.contains("expected [4, 3]"), m);

        final JsonObject variant = TinyLmu.architecture(1.0);
        variant.addProperty("hidden_recurrent", true);
        m = loadError(TinyLmu.file(variant, t));
        assertTrue(m.contains("hidden_recurrent"), m);

        final JsonObject recurrent = TinyLmu.architecture(1.0);
        recurrent.addProperty("variant", "recurrent");
        m = loadError(TinyLmu.file(recurrent, t));
        assertTrue(m.contains("'hidden_first_step' must be 0 for the recurrent variant"), m);
        recurrent.addProperty("hidden_first_step", 0);
        recurrent.addProperty("hidden_recurrent", true);
        m = loadError(TinyLmu.file(recurrent, t));
        assertTrue(m.contains("no tensor 'lmu.hidden.recurrent_kernel'"), m);

        final JsonObject unknown = TinyLmu.architecture(1.0);
        unknown.addProperty("variant", "bidirectional");
        m = loadError(TinyLmu.file(unknown, t));
        assertTrue(m.contains("variant 'bidirectional' is not supported"), m);

        final JsonObject missing = TinyLmu.architecture(1.0);
        missing.remove("order");
        m = loadError(TinyLmu.file(missing, t));
        assertTrue(m.contains("'order'"), m);

        final Map<String, String> v2 = new LinkedHashMap<>();
        v2.put("format", "spikering-model");
        v2.put("format_version", "7");
        v2.put("architecture", TinyLmu.architecture(1.0).toString());
        m = loadError(new ModelFile(null, v2, List.copyOf(t.values())));
        assertTrue(m.contains("format_version") && m.contains("7"), m);

        final Path garbage = dir.resolve("garbage.safetensors");
        Files.write(garbage, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        m = assertThrows(IllegalArgumentException.class, () -> LmuFile.load(garbage)).getMessage();
        assertTrue(m.contains("garbage.safetensors"), m);

        final Path nan = dir.resolve("nan.safetensors");
        TinyLmu.file(1.0, 1).write(nan);
        final byte[] bytes = Files.readAllBytes(nan);
        final long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putFloat((int)(8 + headerLength + 4 * 5), Float.NaN);
        Files.write(nan, bytes);
        m = assertThrows(IllegalArgumentException.class, () -> LmuFile.load(nan)).getMessage();
        assertTrue(m.contains("NaN") && m.contains("lmu.memory.A") && m.contains("[1, 1]"), m);

        assertThrows(IOException.class, () -> LmuFile.load(dir.resolve("absent.safetensors")));
    }

    @Test
    void validatesTheMemoryQuantizer() throws IOException
    {
        final JsonObject arch = TinyLmu.architecture(1.0);
        arch.getAsJsonObject("quantized").addProperty("memory", true);
        final JsonObject mq = new JsonObject();
        mq.addProperty("type", "sigma-delta");
        mq.addProperty("activation", "linear");
        mq.addProperty("dt", 0.5);
        mq.addProperty("amplitude", 1.0);
        arch.add("memory_quantizer", mq);
        final Map<String, Tensor> t = new LinkedHashMap<>(TinyLmu.tensors(1));
        t.put(LmuFile.MEMORY_QUANTIZER_GAIN, Tensor.f32(LmuFile.MEMORY_QUANTIZER_GAIN, new int[] {TinyLmu.ORDER}, new float[] {1, 2, 3, 4}));
        t.put(LmuFile.MEMORY_QUANTIZER_OFFSET, Tensor.f32(LmuFile.MEMORY_QUANTIZER_OFFSET, new int[] {TinyLmu.ORDER}, new float[] {0, -1, 1, 0}));
        final LmuFile ok = write(TinyLmu.file(arch, t));
        assertTrue(ok.memoryQuantized());
        assertEquals(0.5, ok.memoryDt());
        assertEquals(3.0f, ok.memoryGain()[2]);
        assertEquals(-1.0f, ok.memoryOffset()[1]);
        assertTrue(ok.architecture().memoryQuantized());
        assertEquals(ok.architecture(), LmuFile.create(ok.architecture(), ok.tensors(), Map.of()).architecture());
        final LmuModelNetwork net = LmuModelNetwork.build(ok, true, Double.NaN, LmuModelNetwork.MemoryMode.FILTER);
        assertEquals("memory_quantizer", net.network().population(net.memoryQuantizer()).name());
        assertEquals(0.5, net.memoryDt());
        assertFalse(write(TinyLmu.file(1.0, 1)).memoryQuantized());

        String m = loadError(TinyLmu.file(arch, withoutKey(t, LmuFile.MEMORY_QUANTIZER_GAIN)));
        assertTrue(m.contains(LmuFile.MEMORY_QUANTIZER_GAIN) && m.contains("[4]"), m);

        mq.addProperty("amplitude", 2.0);
        m = loadError(TinyLmu.file(arch, t));
        assertTrue(m.contains("memory_quantizer.amplitude") && m.contains("must be 1"), m);

        arch.remove("memory_quantizer");
        m = loadError(TinyLmu.file(arch, t));
        assertTrue(m.contains("'memory_quantizer'"), m);
    }

    private static Map<String, Tensor> withoutKey(final Map<String, Tensor> t, final String name)
    {
        final Map<String, Tensor> copy = new LinkedHashMap<>(t);
        copy.remove(name);
        return copy;
    }

    @Test
    void opCountsOfTinyModelByHand() throws IOException
    {
        final LmuFile model = write(TinyLmu.file(2.0, 3));
        final LmuModelNetwork net = LmuModelNetwork.build(model, true, Double.NaN, MemoryMode.RECURRENCE);
        final float[] pixels = {0.5f, 0, 0, 1, 0.25f, 0, 0, 0, 0.75f, 0.5f, 0, 1f};
        final int nonZero = 6;
        final int nonZeroInWindow = 2; // steps 9, 10, 11: 0.5, 0, 1
        try (Simulator sim = new Simulator(net.network()))
        {
            sim.reset(0);
            long events = 0;
            long synops = 0;
            long shiftAdds = 0;
            for (int t = 0; t < TinyLmu.STEPS; t++)
            {
                final double[] in = {pixels[t]};
                sim.setInput(net.pixel(), in);
                sim.setInput(net.pixelDirect(), in);
                sim.step();
                for (final int c : sim.counts(net.hidden()))
                {
                    events += c != 0 ? 1 : 0;
                    synops += Math.abs(c) * (long)TinyLmu.CLASSES;
                    shiftAdds += BitMetrics.significantBits(Math.abs(c)) * (long)TinyLmu.CLASSES;
                }
            }
            assertTrue(events > 0);
            final OpCounter ops = sim.ops();
            final int d = TinyLmu.ORDER;
            final int n = TinyLmu.HIDDEN;
            final int k = TinyLmu.WINDOW;
            final int c = TinyLmu.CLASSES;
            final int steps = TinyLmu.STEPS;
            // memory: Ā (ZOH of a Legendre memory, no zero entries) and B̄ every step
            assertEquals((long)steps * (d * d + d), ops.population(net.memory(), Op.MACS_EFFECTIVE));
            assertEquals((long)steps * (d * d + d), ops.population(net.memory(), Op.MACS_DENSE));
            assertEquals((long)steps * d, ops.population(net.memory(), Op.NEURON_UPDATES));
            assertEquals(nonZero, ops.projection(net.encoderProjection(), Op.MACS_EFFECTIVE));
            assertEquals(0, ops.projection(net.encoderProjection(), Op.MACS_DENSE)); // folds into B̄
            // hidden only in the window: memory is non-zero there, every weight is non-zero
            assertEquals((long)k * d * n, ops.projection(net.memoryProjection(), Op.MACS_EFFECTIVE));
            assertEquals((long)k * d * n, ops.projection(net.memoryProjection(), Op.MACS_DENSE));
            assertEquals((long)nonZeroInWindow * n, ops.projection(net.inputProjection(), Op.MACS_EFFECTIVE));
            assertEquals((long)k * n, ops.projection(net.inputProjection(), Op.MACS_DENSE));
            assertEquals((long)k * n, ops.population(net.hidden(), Op.NEURON_UPDATES));
            assertEquals(events, ops.population(net.hidden(), Op.EVENTS));
            assertEquals(events, ops.projection(net.readoutProjection(), Op.EVENTS));
            assertEquals(synops, ops.projection(net.readoutProjection(), Op.SYNOPS));
            assertEquals(events * c, ops.projection(net.readoutProjection(), Op.ROW_ADDS));
            assertEquals(shiftAdds, ops.projection(net.readoutProjection(), Op.SHIFT_ADDS));
            assertEquals((long)k * n * c, ops.projection(net.readoutProjection(), Op.MACS_DENSE));
            assertEquals((long)k * c, ops.population(net.readout(), Op.NEURON_UPDATES));
            assertEquals((long)k * n, ops.histogram(net.hidden()).total());
        }
        // the event-driven memory: K·d MACs per non-zero pixel before the window, fewer inside it
        final LmuModelNetwork filter = LmuModelNetwork.build(model, true, Double.NaN, MemoryMode.FILTER);
        try (Simulator sim = new Simulator(filter.network()))
        {
            filter.run(sim, pixels, 0, new double[1]);
            final int d = TinyLmu.ORDER;
            final long expected = (4L * 3 /* steps 0, 3, 4, 8 */ + 3 /* step 9 */ + 1 /* step 11 */) * d;
            assertEquals(expected, sim.ops().population(filter.memory(), Op.MACS_EFFECTIVE));
            assertEquals((long)TinyLmu.WINDOW * d, sim.ops().population(filter.memory(), Op.NEURON_UPDATES));
        }
    }

    /** A TinyLmu file whose memory output is quantized (gains 1..4, offsets 0, -1, 1, 0; dt_m 0.5). */
    private LmuFile quantizedMemoryModel() throws IOException
    {
        final JsonObject arch = TinyLmu.architecture(1.0);
        arch.getAsJsonObject("quantized").addProperty("memory", true);
        final JsonObject mq = new JsonObject();
        mq.addProperty("type", "sigma-delta");
        mq.addProperty("activation", "linear");
        mq.addProperty("dt", 0.5);
        mq.addProperty("amplitude", 1.0);
        arch.add("memory_quantizer", mq);
        final Map<String, Tensor> t = new LinkedHashMap<>(TinyLmu.tensors(1));
        t.put(LmuFile.MEMORY_QUANTIZER_GAIN, Tensor.f32(LmuFile.MEMORY_QUANTIZER_GAIN, new int[] {TinyLmu.ORDER}, new float[] {1, 2, 3, 4}));
        t.put(LmuFile.MEMORY_QUANTIZER_OFFSET, Tensor.f32(LmuFile.MEMORY_QUANTIZER_OFFSET, new int[] {TinyLmu.ORDER}, new float[] {0, -1, 1, 0}));
        return write(TinyLmu.file(arch, t));
    }

    /** MACS_DENSE of one sample, every mode, counted by hand: what the cheapest dense implementation of each network does. */
    @Test
    void denseCountsByHand() throws IOException
    {
        final int d = TinyLmu.ORDER;
        final int n = TinyLmu.HIDDEN;
        final int k = TinyLmu.WINDOW;
        final int c = TinyLmu.CLASSES;
        final int steps = TinyLmu.STEPS;
        final int before = steps - k; // input steps before the window: each feeds all k window steps
        final long hiddenIn = (long)k * d * n + (long)k * n; // W_m and W_x at the k window steps
        final long readout = (long)k * n * c;
        final long recurrence = (long)steps * (d * d + d);
        final long filter = (long)before * k * d + (long)(k + (k - 1) + 1) * d; // d-wide impulse rows, window steps still ahead
        final long fused = (long)before * k * n + (long)(k + (k - 1) + 1) * n; // n-wide rows (W_m folded in)
        final LmuFile plain = write(TinyLmu.file(2.0, 3));
        final LmuFile qmem = quantizedMemoryModel();
        assertEquals(recurrence + hiddenIn + readout, denseMacs(plain, true, MemoryMode.RECURRENCE, -1));
        assertEquals(filter + hiddenIn + readout, denseMacs(plain, true, MemoryMode.FILTER, -1));
        assertEquals(filter + hiddenIn + readout, denseMacs(plain, false, MemoryMode.FILTER, -1));
        // fused: the one-to-one memory -> hidden projection costs n per window step, not n x n; the encoder folds into B̄
        final LmuModelNetwork f = LmuModelNetwork.build(plain, false, Double.NaN, MemoryMode.FUSED);
        assertEquals((long)k * n, denseMacs(plain, false, MemoryMode.FUSED, f.memoryProjection()));
        assertEquals(0, denseMacs(plain, false, MemoryMode.FUSED, f.encoderProjection()));
        assertEquals(fused + (long)k * n + (long)k * n + readout, denseMacs(plain, false, MemoryMode.FUSED, -1));
        // quantized memory: the gain costs d per window step before the sigma-delta quantizer, nothing where it folds into W_m
        final LmuModelNetwork q = LmuModelNetwork.build(qmem, true, Double.NaN, MemoryMode.FILTER);
        assertEquals((long)k * d, denseMacs(qmem, true, MemoryMode.FILTER, q.gainProjection()));
        assertEquals(filter + (long)k * d + hiddenIn + readout, denseMacs(qmem, true, MemoryMode.FILTER, -1));
        assertEquals(0, denseMacs(qmem, false, MemoryMode.FILTER, q.gainProjection()));
        assertEquals(filter + hiddenIn + readout, denseMacs(qmem, false, MemoryMode.FILTER, -1));
        assertEquals(fused + (long)k * n + (long)k * n + readout, denseMacs(qmem, false, MemoryMode.FUSED, -1));
    }

    /** MACS_DENSE of one sample: of {@code projection}, or the network total if it is -1. */
    private static long denseMacs(final LmuFile model, final boolean spiking, final MemoryMode mode, final int projection)
    {
        final LmuModelNetwork net = LmuModelNetwork.build(model, spiking, Double.NaN, mode);
        try (Simulator sim = new Simulator(net.network()))
        {
            net.run(sim, TinyLmu.pixels(new Random(5), TinyLmu.STEPS), 0, new double[1]);
            return projection < 0 ? sim.ops().total(Op.MACS_DENSE) : sim.ops().projection(projection, Op.MACS_DENSE);
        }
    }

    @Test
    void eventDrivenModesAgreeWithRecurrence() throws IOException
    {
        final LmuFile model = write(TinyLmu.file(4.0, 5));
        final Random rnd = new Random(11);
        for (final MemoryMode mode : new MemoryMode[] {MemoryMode.FILTER, MemoryMode.FUSED})
        for (final boolean spiking : new boolean[] {true, false})
        {
            final LmuModelNetwork rec = LmuModelNetwork.build(model, spiking, Double.NaN, MemoryMode.RECURRENCE);
            final LmuModelNetwork fil = LmuModelNetwork.build(model, spiking, Double.NaN, mode);
            try (Simulator a = new Simulator(rec.network()); Simulator b = new Simulator(fil.network()))
            {
                for (int s = 0; s < 20; s++)
                {
                    final float[] pixels = TinyLmu.pixels(rnd, TinyLmu.STEPS);
                    a.reset(s);
                    b.reset(s);
                    for (int t = 0; t < TinyLmu.STEPS; t++)
                    {
                        final double[] in = {pixels[t]};
                        a.setInput(rec.pixel(), in);
                        a.setInput(rec.pixelDirect(), in);
                        b.setInput(fil.pixel(), in);
                        b.setInput(fil.pixelDirect(), in);
                        a.step();
                        b.step();
                        if (t >= model.hiddenFirstStep())
                        {
                            // impulse rows vs repeated products: rounding only
                            if (mode == MemoryMode.FILTER)
                            {
                                assertArrayEquals(a.outputs(rec.memory()), b.outputs(fil.memory()), 1e-12);
                            }
                            assertArrayEquals(a.outputs(rec.hidden()), b.outputs(fil.hidden()), 1e-9);
                        }
                    }
                    assertArrayEquals(a.outputs(rec.readout()), b.outputs(fil.readout()), 1e-9);
                }
            }
        }
    }

    @Test
    void eagerScheduleGivesTheDeferredResultsBitForBit() throws IOException
    {
        final LmuFile model = write(TinyLmu.file(4.0, 5));
        final Random rnd = new Random(12);
        for (final MemoryMode mode : new MemoryMode[] {MemoryMode.FILTER, MemoryMode.FUSED})
        {
            final LmuModelNetwork deferred = LmuModelNetwork.build(model, true, Double.NaN, Double.NaN, mode, MemorySchedule.DEFERRED);
            final LmuModelNetwork eager = LmuModelNetwork.build(model, true, Double.NaN, Double.NaN, mode, MemorySchedule.EAGER);
            assertEquals(MemorySchedule.EAGER, eager.memorySchedule());
            try (Simulator a = new Simulator(deferred.network()); Simulator b = new Simulator(eager.network()))
            {
                for (int s = 0; s < 10; s++)
                {
                    final float[] pixels = TinyLmu.pixels(rnd, TinyLmu.STEPS);
                    a.reset(s);
                    b.reset(s);
                    for (int t = 0; t < TinyLmu.STEPS; t++)
                    {
                        final double[] in = {pixels[t]};
                        a.setInput(deferred.pixel(), in);
                        a.setInput(deferred.pixelDirect(), in);
                        b.setInput(eager.pixel(), in);
                        b.setInput(eager.pixelDirect(), in);
                        a.step();
                        b.step();
                        assertArrayEquals(a.counts(deferred.hidden()), b.counts(eager.hidden()), mode + " sample " + s + " step " + t);
                    }
                    assertArrayEquals(a.outputs(deferred.readout()), b.outputs(eager.readout()), 0.0);
                }
                assertEquals(a.ops().total(Op.MACS_EFFECTIVE), b.ops().total(Op.MACS_EFFECTIVE));
                assertEquals(a.ops().total(Op.MACS_DENSE), b.ops().total(Op.MACS_DENSE));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> MemorySchedule.parse("lazy"));
    }

    @Test
    void resultsDoNotDependOnThreads() throws IOException
    {
        final LmuFile model = write(TinyLmu.file(1.0, 9));
        final Random rnd = new Random(3);
        final float[][] data = new float[25][];
        final int[] labels = new int[data.length];
        for (int i = 0; i < data.length; i++)
        {
            data[i] = TinyLmu.pixels(rnd, TinyLmu.STEPS);
            labels[i] = rnd.nextInt(TinyLmu.CLASSES);
        }
        final LmuEvaluation.Samples samples = new LmuEvaluation.Samples()
        {
            public int size()
            {
                return data.length;
            }

            public int label(final int sample)
            {
                return labels[sample];
            }

            public void copy(final int sample, final float[] dst)
            {
                System.arraycopy(data[sample], 0, dst, 0, dst.length);
            }
        };
        final LmuModelNetwork net = LmuModelNetwork.build(model, true, Double.NaN, MemoryMode.FILTER);
        final LmuEvaluation.Result one = LmuEvaluation.run(net, samples, data.length, 1, 2, null);
        final LmuEvaluation.Result three = LmuEvaluation.run(net, samples, data.length, 3, 2, null);
        assertArrayEquals(one.predictions(), three.predictions());
        for (final Op op : Op.values())
        {
            assertEquals(one.ops().total(op), three.ops().total(op), op.name());
        }
        assertEquals(one.ops().histogram(net.hidden()).meanActivityBits(false, false),
            three.ops().histogram(net.hidden()).meanActivityBits(false, false));
        assertArrayEquals(one.raster()[1][2], three.raster()[1][2]);
        // the same samples one by one with LmuModelNetwork.run
        try (Simulator sim = new Simulator(net.network()))
        {
            for (int i = 0; i < data.length; i++)
            {
                assertEquals(one.predictions()[i], net.run(sim, data[i], i, new double[1]));
            }
        }
    }

    @Test
    void loadChecksCatchHugeWeightsWrongMemoryMatricesAndTypes() throws IOException
    {
        final Map<String, Tensor> huge = new LinkedHashMap<>(TinyLmu.tensors(1));
        final float[] w = new float[TinyLmu.HIDDEN * TinyLmu.CLASSES];
        w[4] = 3e37f;
        huge.put(LmuFile.READOUT_KERNEL, Tensor.f32(LmuFile.READOUT_KERNEL, new int[] {TinyLmu.HIDDEN, TinyLmu.CLASSES}, w));
        String m = loadError(TinyLmu.file(TinyLmu.architecture(1.0), huge));
        assertTrue(m.contains("bad.safetensors") && m.contains("'readout.kernel' holds 3.0E37 at index 4, beyond ±1000000"), m);

        // the tensors are a ZOH memory with theta 10; the file declares another theta, or Euler
        final JsonObject theta = TinyLmu.architecture(1.0);
        theta.addProperty("theta", 12.0);
        m = loadError(TinyLmu.file(theta, TinyLmu.tensors(1)));
        assertTrue(m.contains("lmu.memory.A[0][0]") && m.contains("order 4, theta 12.0, zoh"), m);
        final JsonObject euler = TinyLmu.architecture(1.0);
        euler.addProperty("discretization", "euler");
        m = loadError(TinyLmu.file(euler, TinyLmu.tensors(1)));
        assertTrue(m.contains("not the Legendre memory the architecture declares (order 4, theta 10.0, euler)"), m);
        final Map<String, Tensor> wrongB = new LinkedHashMap<>(TinyLmu.tensors(1));
        final float[] b = wrongB.get(LmuFile.MEMORY_B).floats();
        b[2] *= 1.01f;
        wrongB.put(LmuFile.MEMORY_B, Tensor.f32(LmuFile.MEMORY_B, new int[] {TinyLmu.ORDER}, b));
        m = loadError(TinyLmu.file(TinyLmu.architecture(1.0), wrongB));
        assertTrue(m.contains("lmu.memory.B[2]"), m);

        final JsonObject stringOrder = TinyLmu.architecture(1.0);
        stringOrder.addProperty("order", "4");
        m = loadError(TinyLmu.file(stringOrder, TinyLmu.tensors(1)));
        assertTrue(m.contains("'order' must be a JSON number (an integer), got \"4\""), m);
        final JsonObject fractional = TinyLmu.architecture(1.0);
        fractional.addProperty("order", 4.5);
        m = loadError(TinyLmu.file(fractional, TinyLmu.tensors(1)));
        assertTrue(m.contains("'order' must be an integer"), m);

        final JsonObject predictor = new JsonObject();
        predictor.addProperty("type", "lmu-predictor");
        m = loadError(TinyLmu.file(predictor, TinyLmu.tensors(1)));
        assertTrue(m.contains("Mackey-Glass predictor") && m.contains("./spikering stream run --model") && m.contains("mackey-glass score"), m);
    }

    @Test
    void largeOrdersCheckTheZohIdentityInsteadOfTheExponential() throws IOException
    {
        // above FULL_CHECK_MAX_ORDER Ā is not recomputed; B̄ is checked against Ā by A·B̄ = (Ā − I)·B
        final int order = LmuFile.FULL_CHECK_MAX_ORDER + 8;
        final io.spikering.neuron.LegendreMemory lmu = io.spikering.neuron.LegendreMemory.zoh(order, 1000.0);
        final double[][] ad = lmu.a();
        final double[] bd = lmu.b();
        final float[] a = new float[order * order];
        final float[] b = new float[order];
        for (int i = 0; i < order; i++)
        {
            for (int j = 0; j < order; j++)
            {
                a[i * order + j] = (float)ad[i][j];
            }
            b[i] = (float)bd[i];
        }
        final JsonObject arch = TinyLmu.architecture(1.0);
        arch.addProperty("order", order);
        arch.addProperty("theta", 1000.0);
        final Map<String, Tensor> t = new LinkedHashMap<>(TinyLmu.tensors(1));
        t.put(LmuFile.MEMORY_A, Tensor.f32(LmuFile.MEMORY_A, new int[] {order, order}, a));
        t.put(LmuFile.MEMORY_B, Tensor.f32(LmuFile.MEMORY_B, new int[] {order}, b));
        t.put(LmuFile.HIDDEN_MEMORY_KERNEL, Tensor.f32(LmuFile.HIDDEN_MEMORY_KERNEL, new int[] {order, TinyLmu.HIDDEN},
            new float[order * TinyLmu.HIDDEN]));
        assertEquals(order, write(TinyLmu.file(arch, t)).order());
        final float[] wrong = b.clone();
        wrong[7] *= 1.1f;
        t.put(LmuFile.MEMORY_B, Tensor.f32(LmuFile.MEMORY_B, new int[] {order}, wrong));
        final String m = loadError(TinyLmu.file(arch, t));
        assertTrue(m.contains("(Ā − I)·B") && m.contains("theta 1000.0, zoh"), m);
    }

    @Test
    void runtimeFailureNamesModelSamplePopulationAndStep() throws IOException
    {
        final LmuFile model = write(TinyLmu.file(1.0, 2));
        final LmuEvaluation.Samples samples = new LmuEvaluation.Samples()
        {
            public int size()
            {
                return 3;
            }

            public int label(final int sample)
            {
                return 0;
            }

            public void copy(final int sample, final float[] dst)
            {
                System.arraycopy(TinyLmu.pixels(new Random(sample), TinyLmu.STEPS), 0, dst, 0, dst.length);
            }
        };
        // a quantizer dt of 1e12 asks for counts beyond the int range at the first hidden step
        final LmuModelNetwork net = LmuModelNetwork.build(model, true, 1e12, MemoryMode.FILTER);
        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> LmuEvaluation.run(net, samples, 3, 1, 0, null));
        assertTrue(e.getMessage().contains("tiny.safetensors, test sample 0: population 'hidden' at step " + (TinyLmu.STEPS - TinyLmu.WINDOW)
            + ": count of neuron"), e.getMessage());
    }
}
