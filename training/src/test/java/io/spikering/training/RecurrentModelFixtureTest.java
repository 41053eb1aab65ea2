package io.spikering.training;

import io.spikering.core.lmu.LmuFile;
import io.spikering.neuron.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fixtures were written by RecurrentModel's own JSON writer before LmuFile took over the recurrent variant
 * (main at 729f352): the parameters are sin(0.7 i + 0.3), the metadata below. Reading them and writing them again,
 * or writing the same model afresh, must give the same bytes.
 */
class RecurrentModelFixtureTest
{
    private static final LmuSpec ALL_SPEC = new LmuSpec(3, 5.0, false, 6, 2, 4, Activation.TANH, 2);
    private static final RecurrentLmu.Options ALL = new RecurrentLmu.Options(true, true, true, true);
    private static final LmuSpec KERAS_SPEC = new LmuSpec(4, 8.0, true, 8, 1, 5, Activation.RELU, 3);

    @Test
    void filesWrittenByTheOldWriterReadBackAndRewriteByteForByte(@TempDir final Path dir) throws IOException, URISyntaxException
    {
        check(dir, "recurrent-all-options.safetensors", ALL_SPEC, ALL, 2, true, 0.5);
        check(dir, "recurrent-keras.safetensors", KERAS_SPEC, RecurrentLmu.Options.kerasPsMnist(), 1, false, 1.0);
    }

    @Test
    void theTrainerRefusesWhatLmuFileAcceptsButItCannotTake(@TempDir final Path dir) throws IOException
    {
        final RecurrentModel model = new RecurrentModel(ALL_SPEC, ALL, 2, parameters(ALL_SPEC, ALL, 2), true, 0.5, Map.of());
        final LmuFile.Architecture a = model.file().architecture();
        final Path loud = dir.resolve("amplitude.safetensors");
        LmuFile.create(new LmuFile.Architecture(a.order(), a.theta(), a.zoh(), a.steps(), a.window(), a.hidden(), a.activation(), a.classes(),
            a.hiddenQuantized(), a.dt(), 2.0, false, 0.0, a.recurrence()), model.tensors(), Map.of()).write(loud);
        String m = assertThrows(IllegalArgumentException.class, () -> RecurrentModel.read(loud)).getMessage();
        assertTrue(m.contains(loud.toString()) && m.contains("'quantizer.amplitude' must be 1.0"), m);

        final LmuFile.Architecture ff = new LmuFile.Architecture(a.order(), a.theta(), a.zoh(), a.steps(), a.window(), a.hidden(), a.activation(),
            a.classes(), false, 1.0, 1.0);
        final Map<String, float[]> zeros = new LinkedHashMap<>();
        LmuFile.shapes(ff).forEach((k, shape) -> zeros.put(k, new float[java.util.Arrays.stream(shape).reduce(1, (x, y) -> x * y)]));
        zeros.putAll(LmuFile.memoryTensors(ff.order(), ff.theta(), ff.zoh()));
        m = assertThrows(IllegalArgumentException.class, () -> RecurrentModel.of(LmuFile.create(ff, zeros, Map.of()))).getMessage();
        assertTrue(m.contains("not a recurrent LMU") && m.contains("without --recurrent"), m);
    }

    private static void check(final Path dir, final String name, final LmuSpec spec, final RecurrentLmu.Options options, final int inputs,
        final boolean quantized, final double dt) throws IOException, URISyntaxException
    {
        final Path fixture = Path.of(RecurrentModelFixtureTest.class.getResource(name).toURI());
        final byte[] bytes = Files.readAllBytes(fixture);
        final float[] params = parameters(spec, options, inputs);
        final RecurrentModel back = RecurrentModel.read(fixture);
        assertEquals(spec, back.spec());
        assertEquals(options, back.options());
        assertEquals(inputs, back.inputs());
        assertEquals(quantized, back.hiddenQuantized());
        assertEquals(dt, back.dt());
        assertEquals(metadata(), back.extraMetadata());
        assertArrayEquals(params, back.parameters());

        final Path rewritten = dir.resolve("rewritten-" + name);
        back.write(rewritten);
        assertArrayEquals(bytes, Files.readAllBytes(rewritten), name);
        final Path fresh = dir.resolve("fresh-" + name);
        new RecurrentModel(spec, options, inputs, params, quantized, dt, metadata()).write(fresh);
        assertArrayEquals(bytes, Files.readAllBytes(fresh), name);
        final Path viaLmuFile = dir.resolve("lmufile-" + name);
        final LmuFile lmu = LmuFile.load(fixture);
        LmuFile.create(lmu.architecture(), lmu.tensors(), lmu.extraMetadata()).write(viaLmuFile);
        assertArrayEquals(bytes, Files.readAllBytes(viaLmuFile), name);
    }

    private static float[] parameters(final LmuSpec spec, final RecurrentLmu.Options options, final int inputs)
    {
        final float[] p = new float[RecurrentLmu.layout(spec, options, inputs)[9]];
        for (int i = 0; i < p.length; i++)
        {
            p[i] = (float)StrictMath.sin(0.7 * i + 0.3);
        }
        return p;
    }

    private static Map<String, String> metadata()
    {
        final Map<String, String> meta = new LinkedHashMap<>();
        meta.put("dataset", "{\"name\":\"fixture\",\"permutation_seed\":7}");
        meta.put("training", "{\"epochs\":1}");
        return meta;
    }
}
