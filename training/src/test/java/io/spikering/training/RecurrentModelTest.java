package io.spikering.training;

import io.spikering.core.lmu.LmuFile;
import io.spikering.core.model.ModelFile;
import io.spikering.core.model.Tensor;
import io.spikering.neuron.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecurrentModelTest
{
    private static final LmuSpec SPEC = new LmuSpec(6, 20.0, true, 20, 2, 10, Activation.RELU, 3);

    @Test
    void exportLoadGivesIdenticalParametersAndPredictionsForEveryOption(@TempDir final Path dir) throws IOException
    {
        final Synthetic train = Synthetic.make(SPEC, 40, 1);
        final Synthetic test = Synthetic.make(SPEC, 30, 2);
        for (int bits = 0; bits < 16; bits++)
        {
            final RecurrentLmu.Options options = new RecurrentLmu.Options((bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0, (bits & 8) != 0);
            final TrainingConfig c = TrainingConfig.defaults(2, 1, bits, 1).withBatch(20, 10).withDt(3.0, 2.0, true)
                .withLearningRates(1e-2, 1e-2, 1.0);
            try (RecurrentTraining t = new RecurrentTraining(SPEC, options, 1, c))
            {
                final RecurrentState s = t.train(train.sequences, train.labels, test.sequences, test.labels, TrainingListener.NONE);
                final Path file = dir.resolve("m" + bits + ".safetensors");
                new RecurrentModel(SPEC, options, 1, s.best(), true, 2.0, Map.of("training", "{\"seed\":" + bits + "}")).write(file);
                final RecurrentModel back = RecurrentModel.read(file);
                assertEquals(SPEC, back.spec());
                assertEquals(options, back.options());
                assertEquals(2.0, back.dt());
                assertTrue(back.hiddenQuantized());
                assertEquals("{\"seed\":" + bits + "}", back.extraMetadata().get("training"));
                assertArrayEquals(s.best(), back.parameters(), options.toString());
                for (final double dt : new double[] {0.0, 2.0})
                {
                    final Evaluation before = t.evaluate(s.best(), test.sequences, test.labels, dt, 5);
                    final Evaluation after = t.evaluate(back.parameters(), test.sequences, test.labels, dt, 5);
                    assertEquals(before.loss(), after.loss(), options + " dt " + dt);
                    assertEquals(before.accuracy(), after.accuracy());
                }
                final ModelFile mf = ModelFile.load(file);
                assertEquals(new RecurrentModel(SPEC, options, 1, s.best(), true, 2.0, Map.of()).shapes().keySet().size(), mf.tensors().size());
            }
        }
    }

    @Test
    void badFilesAreRejectedNamingTheField(@TempDir final Path dir) throws IOException
    {
        final RecurrentLmu.Options keras = RecurrentLmu.Options.kerasPsMnist();
        final RecurrentModel model = new RecurrentModel(SPEC, keras, 1, toFloat(new RecurrentLmu(SPEC, keras, 1).initialize(3)), false, 1.0,
            Map.of());
        assertRejected(dir, model, m -> m, t -> t.name().equals(RecurrentModel.RECURRENT_KERNEL) ? Tensor.f32(t.name(), new int[] {10, 9},
            new float[90]) : t, "'lmu.hidden.recurrent_kernel' has shape [10, 9], expected [10, 10]");
        assertRejected(dir, model, m -> m, t -> t.name().equals(LmuFile.HIDDEN_BIAS) ? null : t, "no tensor 'lmu.hidden.bias'");
        assertRejected(dir, model, m -> m, t -> t.name().equals(LmuFile.MEMORY_A) ? Tensor.f32(t.name(), t.shape(), new float[36]) : t,
            "lmu.memory.A[0][0] is 0.0, expected 0.94826335: the memory matrices are not the Legendre memory the architecture declares");
        assertRejected(dir, model, m -> m.replace("\"memory_to_memory\":false", "\"memory_to_memory\":true"), t -> t,
            "no tensor 'lmu.memory.memory_encoder'");
        assertRejected(dir, model, m -> m.replace("\"hidden_recurrent\":true", "\"hidden_recurrent\":false"), t -> t,
            "'lmu.hidden.recurrent_kernel' is not part of this architecture");
        assertRejected(dir, model, m -> m.replace("\"variant\":\"recurrent\"", "\"variant\":\"feed-forward-in-time\""), t -> t,
            "without --recurrent");
        assertRejected(dir, model, m -> m.replace("\"hidden_size\":10", "\"hidden_size\":\"ten\""), t -> t, "'hidden_size' must be a JSON number (an integer), got \"ten\"");
        assertRejected(dir, model, m -> m.replace("\"input_to_hidden\":true", "\"input_to_hidden\":1"), t -> t, "'input_to_hidden' must be true or false");
        final float[] nan = model.parameters();
        nan[3] = Float.NaN;
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new RecurrentModel(SPEC, keras, 1, nan, false, 1.0, Map.of()));
        assertTrue(e.getMessage().contains("'lmu.hidden.memory_kernel' holds NaN at flat index 2"), e.getMessage());
    }

    private static float[] toFloat(final double[] p)
    {
        final float[] f = new float[p.length];
        for (int i = 0; i < p.length; i++)
        {
            f[i] = (float)p[i];
        }
        return f;
    }

    private static void assertRejected(final Path dir, final RecurrentModel model, final UnaryOperator<String> architecture,
        final UnaryOperator<Tensor> tensor, final String message) throws IOException
    {
        final Map<String, String> meta = new LinkedHashMap<>(model.metadata());
        meta.put(ModelFile.ARCHITECTURE_KEY, architecture.apply(meta.get(ModelFile.ARCHITECTURE_KEY)));
        final List<Tensor> tensors = new ArrayList<>();
        final Map<String, int[]> shapes = model.shapes();
        for (final Map.Entry<String, float[]> e : model.tensors().entrySet())
        {
            final Tensor t = tensor.apply(Tensor.f32(e.getKey(), shapes.get(e.getKey()), e.getValue()));
            if (t != null)
            {
                tensors.add(t);
            }
        }
        final Path file = dir.resolve("bad.safetensors");
        ModelFile.create(meta, tensors).write(file);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RecurrentModel.read(file));
        assertTrue(e.getMessage().contains(message) && e.getMessage().contains("bad.safetensors"), e.getMessage());
    }
}
