package io.spikering.core.lmu;

import io.spikering.core.lmu.LmuFile.Architecture;
import io.spikering.core.model.ModelFile;
import io.spikering.core.model.Tensor;
import io.spikering.neuron.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The recurrent variant through LmuFile: every option set reads and writes; the engine refuses what it cannot run when it builds. */
class RecurrentLmuFileTest
{
    private static Architecture architecture(final LmuFile.Recurrence r)
    {
        return new Architecture(3, 5.0, true, 6, 2, 4, Activation.TANH, 2, true, 0.5, 1.0, false, 0.0, r);
    }

    private static Map<String, float[]> tensors(final Architecture a, final long seed)
    {
        final Random random = new Random(seed);
        final Map<String, float[]> t = new LinkedHashMap<>();
        for (final Map.Entry<String, int[]> e : LmuFile.shapes(a).entrySet())
        {
            int size = 1;
            for (final int s : e.getValue())
            {
                size *= s;
            }
            final float[] v = new float[size];
            for (int i = 0; i < size; i++)
            {
                v[i] = (float)random.nextGaussian();
            }
            t.put(e.getKey(), v);
        }
        t.putAll(LmuFile.memoryTensors(a.order(), a.theta(), a.zoh()));
        return t;
    }

    @Test
    void everyOptionSetRoundTripsAndOnlyUnsupportedOnesAreRefusedWhenTheNetworkIsBuilt(@TempDir final Path dir) throws IOException
    {
        for (final int inputs : new int[] {1, 2})
        {
            for (int bits = 0; bits < 16; bits++)
            {
                final LmuFile.Recurrence r = new LmuFile.Recurrence(inputs, (bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0, (bits & 8) != 0);
                final Architecture a = architecture(r);
                final Map<String, float[]> t = tensors(a, bits);
                final Path file = dir.resolve("r" + inputs + "-" + bits + ".safetensors");
                LmuFile.create(a, t, Map.of("dataset", "{\"permutation_seed\":5}")).write(file);
                final LmuFile back = LmuFile.load(file);
                assertEquals(a, back.architecture(), r.toString());
                assertTrue(back.recurrent());
                assertEquals(t.keySet(), back.tensors().keySet());
                for (final String name : t.keySet())
                {
                    assertArrayEquals(t.get(name), back.tensors().get(name), name + " " + r);
                }
                assertEquals(5L, back.permutationSeed());
                assertEquals(r.hiddenRecurrent(), back.recurrentKernel() != null);
                assertEquals(r.inputToHidden(), back.inputKernel() != null);
                final Path again = dir.resolve("again.safetensors");
                back.withExtraMetadata(back.extraMetadata()).write(again);
                assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(again), r.toString());

                final boolean runnable = inputs == 1 && r.inputToHidden() && !r.hiddenToMemory() && !r.memoryToMemory();
                if (runnable)
                {
                    assertNotNull(LmuModelNetwork.build(back, true, Double.NaN, LmuModelNetwork.MemoryMode.RECURRENCE).network());
                }
                else
                {
                    final String m = assertThrows(IllegalArgumentException.class,
                        () -> LmuModelNetwork.build(back, true, Double.NaN, LmuModelNetwork.MemoryMode.RECURRENCE)).getMessage();
                    final String option = inputs != 1 ? "input_size = 2" : !r.inputToHidden() ? "input_to_hidden = false"
                        : r.hiddenToMemory() ? "hidden_to_memory = true" : "memory_to_memory = true";
                    assertTrue(m.contains(file.toString()) && m.contains("'" + option + "'"), m);
                }
            }
        }
    }

    @Test
    void feedForwardFilesHaveNoRecurrence()
    {
        final Architecture a = architecture(null);
        final LmuFile f = LmuFile.create(a, tensors(a, 1), Map.of());
        assertNull(f.architecture().recurrence());
        assertTrue(!f.recurrent() && f.inputKernel() != null && f.recurrentKernel() == null);
    }

    @Test
    void malformedRecurrentFilesNameTheFileAndTheField(@TempDir final Path dir) throws IOException
    {
        final LmuFile.Recurrence all = new LmuFile.Recurrence(2, true, true, true, true);
        assertRejected(dir, all, j -> j.replace("\"input_size\":2", "\"input_size\":0"), t -> t, "'input_size' is 0, expected 1..65536");
        assertRejected(dir, all, j -> j.replace("\"hidden_to_memory\":true", "\"hidden_to_memory\":\"yes\""), t -> t,
            "'hidden_to_memory' must be true or false");
        assertRejected(dir, all, j -> j, t -> t.name().equals(LmuFile.HIDDEN_ENCODER) ? null : t, "no tensor 'lmu.memory.hidden_encoder'");
        assertRejected(dir, all, j -> j, t -> t.name().equals(LmuFile.MEMORY_ENCODER) ? Tensor.f32(t.name(), new int[] {4}, new float[4]) : t,
            "'lmu.memory.memory_encoder' has shape [4], expected [3]");
        assertRejected(dir, all, j -> j, t -> t.name().equals(LmuFile.INPUT_ENCODER) ? Tensor.f32(t.name(), new int[] {1}, new float[1]) : t,
            "'lmu.memory.input_encoder' has shape [1], expected [2]");
        assertRejected(dir, all, j -> j.replace("\"memory_to_memory\":true", "\"memory_to_memory\":false"), t -> t,
            "tensor 'lmu.memory.memory_encoder' is not part of this architecture");
        assertRejected(dir, all, j -> j.replace("\"input_to_hidden\":true", "\"input_to_hidden\":false"), t -> t,
            "tensor 'lmu.hidden.input_kernel' is not part of this architecture");
        assertRejected(dir, all, j -> j.replace("\"hidden_first_step\":0", "\"hidden_first_step\":4"), t -> t,
            "'hidden_first_step' must be 0 for the recurrent variant");
        assertRejected(dir, all, j -> j.replace("\"memory\":false", "\"memory\":true"), t -> t,
            "'quantized.memory': a quantized memory is not supported for the recurrent variant");
        // the feed-forward variant still admits none of the recurrent options
        assertRejected(dir, all, j -> j.replace("\"variant\":\"recurrent\"", "\"variant\":\"feed-forward-in-time\""), t -> t,
            "'hidden_to_memory' is true; the 'feed-forward-in-time' variant has only hidden_to_memory = false");
    }

    private static void assertRejected(final Path dir, final LmuFile.Recurrence r, final UnaryOperator<String> architecture,
        final UnaryOperator<Tensor> tensor, final String message) throws IOException
    {
        final Architecture a = architecture(r);
        final Map<String, String> meta = new LinkedHashMap<>();
        meta.put(ModelFile.ARCHITECTURE_KEY, architecture.apply(LmuFile.architectureJson(a)));
        final List<Tensor> list = new ArrayList<>();
        final Map<String, int[]> shapes = LmuFile.shapes(a);
        for (final Map.Entry<String, float[]> e : tensors(a, 3).entrySet())
        {
            final Tensor t = tensor.apply(Tensor.f32(e.getKey(), shapes.get(e.getKey()), e.getValue()));
            if (t != null)
            {
                list.add(t);
            }
        }
        final Path file = dir.resolve("bad.safetensors");
        ModelFile.create(meta, list).write(file);
        final String m = assertThrows(IllegalArgumentException.class, () -> LmuFile.load(file)).getMessage();
        assertTrue(m.contains(message) && m.contains(file.toString()), m);
    }
}
