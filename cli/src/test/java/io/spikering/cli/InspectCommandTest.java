package io.spikering.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikering.core.model.ModelFile;
import io.spikering.core.model.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest
{
    @TempDir
    Path dir;

    @Test
    void printsMetadataAndTensorStatistics() throws IOException
    {
        final Path p = dir.resolve("m.safetensors");
        ModelFile.create(Map.of("architecture", "{\"type\":\"lmu\",\"order\":4}"), List.of(
            Tensor.f32("kernel", new int[] {2, 2}, new float[] {0f, 2f, -1f, 0f}),
            Tensor.i32("steps", new int[] {1}, new int[] {784}))).write(p);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        InspectCommand.print(ModelFile.read(p), Files.size(p), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        final String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("format: spikering-model version 1"), out);
        assertTrue(out.contains("\"order\": 4"), out);
        assertTrue(out.matches("(?s).*kernel\\s+trained\\s+F32\\s+\\[2, 2]\\s+4\\s+-1\\.00000\\s+2\\.00000\\s+0\\.250000\\s+50\\.0%.*"), out);
        assertTrue(out.contains("2 tensors, 5 parameters: 5 trained, 0 fixed"), out);
    }

    @Test
    void badFileExitsWithTwo() throws IOException
    {
        final Path p = Files.write(dir.resolve("x.safetensors"), new byte[] {1, 2, 3});
        assertEquals(2, Main.run("inspect", p.toString()));
        assertEquals(2, Main.run("data", "fetch", "cifar10"));
    }

    @Test
    void shippedModelSeparatesTrainedFromFixedParameters() throws java.io.IOException
    {
        // docs/results.md: 137,226 trained parameters plus the fixed Ā (256 x 256), B̄ (256) and the input encoder (1)
        final Path shipped = Path.of("..", "models", "psmnist-lmu-hybrid.safetensors");
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        InspectCommand.print(io.spikering.core.model.ModelFile.read(shipped), java.nio.file.Files.size(shipped),
            new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
        final String out = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(out.contains("8 tensors, 203019 parameters: 137226 trained, 65793 fixed"), out);
        assertTrue(out.matches("(?s).*lmu\\.memory\\.A\\s+fixed\\s+F32.*") && out.matches("(?s).*readout\\.kernel\\s+trained\\s+F32.*"), out);
    }
}
