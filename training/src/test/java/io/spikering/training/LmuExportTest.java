package io.spikering.training;

import io.spikering.core.lmu.LmuFile;
import io.spikering.core.model.ModelFile;
import io.spikering.core.model.Tensor;
import io.spikering.neuron.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LmuExportTest
{
    private static LmuFile model()
    {
        final LmuSpec spec = Synthetic.spec(8, Activation.RELU);
        final LmuParameters p = LmuParameters.initialize(spec, 5);
        final double[] mean = new double[spec.order()];
        final double[] std = new double[spec.order()];
        for (int i = 0; i < mean.length; i++)
        {
            mean[i] = 0.1 * i;
            std[i] = 1.0 + i;
        }
        return LmuExport.export(p, new Standardization(mean, std), MemoryMatrices.of(spec), 2.0, true, Map.of("dataset", "{\"name\":\"synthetic\"}"));
    }

    @Test
    void roundTripsEveryTensorAndTheMetadata(@TempDir final Path dir) throws Exception
    {
        final LmuFile m = model();
        final Path file = dir.resolve("m.safetensors");
        m.write(file);
        final LmuFile back = LmuFile.load(file);
        assertEquals(LmuExport.spec(m), LmuExport.spec(back));
        assertEquals(Synthetic.spec(8, Activation.RELU), LmuExport.spec(back));
        assertEquals(2.0, back.dt());
        assertEquals(m.architecture(), back.architecture());
        assertEquals(LmuFile.architectureJson(m.architecture()), ModelFile.load(file).metadata("architecture"));
        assertEquals("{\"name\":\"synthetic\"}", back.extraMetadata().get("dataset"));
        for (final Map.Entry<String, float[]> e : m.tensors().entrySet())
        {
            assertArrayEquals(e.getValue(), back.tensors().get(e.getKey()), e.getKey());
        }
        final ModelFile raw = ModelFile.load(file);
        assertArrayEquals(new int[] {12, 8}, raw.tensor(LmuFile.HIDDEN_MEMORY_KERNEL).shape());
    }

    @Test
    void foldingMatchesTheStandardizedForwardPass()
    {
        // z from standardized features with W_m, b equals z from raw features with the folded W_m', b'
        final LmuSpec spec = Synthetic.spec(8, Activation.RELU);
        final LmuParameters p = LmuParameters.initialize(spec, 5);
        final MemoryFeatures raw = Synthetic.make(spec, 4, 1).features(spec, 1);
        final MemoryFeatures std = Synthetic.make(spec, 4, 1).features(spec, 1);
        final Standardization s = raw.statistics();
        std.standardize(s);
        final LmuFile m = LmuExport.export(p, s, MemoryMatrices.of(spec), 1.0, false, Map.of());
        final ReferenceLmu before = new ReferenceLmu(spec, std, new int[] {0, 1, 2, 3});
        final ReferenceLmu after = new ReferenceLmu(spec, raw, new int[] {0, 1, 2, 3});
        final double[] pd = toDouble(p.values());
        final double[] md = toDouble(LmuExport.parameters(m).values());
        for (int sample = 0; sample < 4; sample++)
        {
            assertArrayEquals(before.preactivation(pd, sample, 2), after.preactivation(md, sample, 2), 1e-5);
        }
    }

    private static double[] toDouble(final float[] f)
    {
        final double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++)
        {
            d[i] = f[i];
        }
        return d;
    }

    @Test
    void wrongShapeOrMissingTensorNamesTheTensor(@TempDir final Path dir) throws Exception
    {
        final LmuFile m = model();
        final List<Tensor> tensors = new ArrayList<>();
        for (final Map.Entry<String, float[]> e : m.tensors().entrySet())
        {
            final int[] shape = LmuFile.shapes(m.architecture()).get(e.getKey());
            if (e.getKey().equals(LmuFile.READOUT_KERNEL))
            {
                tensors.add(Tensor.f32(e.getKey(), new int[] {shape[1], shape[0]}, e.getValue()));
            }
            else if (!e.getKey().equals(LmuFile.READOUT_BIAS))
            {
                tensors.add(Tensor.f32(e.getKey(), shape, e.getValue()));
            }
        }
        final Path file = dir.resolve("bad.safetensors");
        ModelFile.create(java.util.Map.of("architecture", LmuFile.architectureJson(m.architecture())), tensors).write(file);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LmuFile.load(file));
        assertTrue(e.getMessage().contains(LmuFile.READOUT_KERNEL) && e.getMessage().contains("[8, 3]"), e.getMessage());

        final Path truncated = dir.resolve("t.safetensors");
        m.write(truncated);
        final byte[] bytes = Files.readAllBytes(truncated);
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        assertThrows(Exception.class, () -> LmuFile.load(truncated));
    }

    @Test
    void quantizedMemoryModelRoundTripsAndEvaluatesLikeTheTrainer(@TempDir final Path dir) throws Exception
    {
        final LmuSpec spec = Synthetic.spec(8, Activation.TANH);
        final LmuParameters p = LmuParameters.initialize(spec, 5);
        final MemoryFeatures raw = Synthetic.make(spec, 40, 3).features(spec, 1);
        final MemoryFeatures std = Synthetic.make(spec, 40, 3).features(spec, 1);
        final Standardization s = raw.statistics();
        std.standardize(s);
        final LmuFile m = LmuExport.export(p, s, MemoryMatrices.of(spec), 1.0, true, 0.5, Map.of());
        final Path file = dir.resolve("q.safetensors");
        m.write(file);
        final LmuFile back = LmuFile.load(file);
        assertTrue(back.memoryQuantized());
        assertEquals(0.5, back.memoryDt());
        assertEquals(m.architecture(), back.architecture());
        assertEquals((float)(1.0 / s.std()[3]), back.memoryGain()[3]);
        assertEquals((float)(-s.mean()[3] / s.std()[3]), back.memoryOffset()[3]);
        assertTrue(ModelFile.load(file).metadata("architecture").contains("\"memory_quantizer\""));
        // nothing folded: the file's W_m and b are the trained ones
        assertArrayEquals(p.values(), LmuExport.parameters(back).values());
        final MemoryFeatures mapped = LmuExport.evaluationFeatures(back, raw);
        for (int i = 0; i < mapped.memory().length; i++)
        {
            assertEquals(std.memory()[i], mapped.memory()[i], 1e-5, "feature " + i);
        }
        final TrainingConfig c = TrainingConfig.defaults(1, 0, 42, 1).withBatch(8, 8);
        try (Trainer trainer = new Trainer(spec, c))
        {
            final Evaluation trained = trainer.evaluate(p, std, 1.0, 0.5, 7, false);
            final Evaluation exported = trainer.evaluate(LmuExport.parameters(back), mapped, 1.0, 0.5, 7, false);
            assertEquals(trained.loss(), exported.loss(), 0.02);
            final Evaluation unquantized = trainer.evaluate(p, std, 1.0, 0.0, 7, false);
            assertTrue(Math.abs(unquantized.loss() - trained.loss()) > 1e-4, "the memory quantizer changed nothing");
        }
    }

    @Test
    void unfoldUndoesTheFolding()
    {
        final LmuSpec spec = Synthetic.spec(8, Activation.RELU);
        final LmuParameters p = LmuParameters.initialize(spec, 9);
        final double[] mean = new double[spec.order()];
        final double[] std = new double[spec.order()];
        for (int i = 0; i < mean.length; i++)
        {
            mean[i] = 0.2 * i - 1;
            std[i] = 0.5 + i;
        }
        final Standardization s = new Standardization(mean, std);
        final float[] back = LmuExport.unfold(LmuExport.export(p, s, MemoryMatrices.of(spec), 1.0, true, Map.of()), s).values();
        for (int i = 0; i < back.length; i++)
        {
            assertEquals(p.values()[i], back[i], 1e-5 * (1 + Math.abs(p.values()[i])), "parameter " + i);
        }
    }
}
